/*
 * check_bundle.c — offline bundles: a bundle built from a log verifies with the operator's
 * key alone; changing any field that matters (each member, a proof hash, a leaf index, a
 * credential byte, the checkpoint), carrying an unrelated, later, unsigned or unpermitted
 * Organization record, a checkpoint of another log, a truncated proof, a missing or
 * unexpected signer, each fails with its reason; a verifier that has seen a checkpoint
 * refuses a rollback, a fork and an inconsistent tree.
 */
#include <check.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

#define HL TR_MERKLE_HASH_LEN
#define ORIGIN "talentreg.example/bundle"
#define DATA "tests/bundle/"

static const unsigned char operator_seed[TR_ED25519_SEED_LEN] = {
    0x62, 0x75, 0x6e, 0x64, 0x6c, 0x65, 0x20, 0x6f, 0x70, 0x65, 0x72, 0x61, 0x74, 0x6f, 0x72, 0x20,
    0x73, 0x65, 0x65, 0x64, 0x20, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61};

/* The test organisations sign with the did:key vector seeds 0, 1 and 2. */
static void org_seed(unsigned n, unsigned char seed[TR_ED25519_SEED_LEN])
{
    memset(seed, 0, TR_ED25519_SEED_LEN);
    seed[TR_ED25519_SEED_LEN - 1] = (unsigned char)n;
}

/* A log in memory with its credentials, and the checkpoint signed over it. */
struct scene {
    struct tr_merkle_mem tree;
    struct tr_json *leaves[32]; /* owned; NULL for filler leaves */
    struct tr_buf note;
    struct tr_note_verifier vkey;
};

static struct tr_json *load(const char *name)
{
    char p[128];
    snprintf(p, sizeof p, DATA "%s", name);
    return test_json(p);
}

static void sign(struct tr_json *doc, const unsigned char seed[TR_ED25519_SEED_LEN])
{
    struct tr_proof_sign_options opts = {.created = "2026-01-05T08:00:00Z"};
    struct tr_error err = {0};
    int rc = tr_proof_sign(doc, seed, &opts, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

static struct tr_json *signed_org(const char *file)
{
    struct tr_json *doc = load(file);
    sign(doc, operator_seed);
    return doc;
}

/* Append doc (owned by s from now on) as the next leaf, or a filler leaf when NULL. */
static uint64_t add_leaf(struct scene *s, struct tr_json *doc)
{
    struct tr_buf b;
    unsigned char h[HL];
    uint64_t leaf = s->tree.size;
    tr_buf_init(&b);
    if (doc != NULL) {
        ck_assert_int_eq(tr_jcs_serialize(doc, &b, NULL), TR_OK);
    } else {
        tr_buf_addf(&b, "filler %" PRIu64, leaf);
    }
    ck_assert_int_eq(tr_merkle_leaf_hash(b.data, b.len, h), TR_OK);
    ck_assert_int_eq(tr_merkle_mem_append(&s->tree, h, NULL), TR_OK);
    ck_assert_uint_lt(leaf, 32);
    s->leaves[leaf] = doc;
    tr_buf_release(&b);
    return leaf;
}

/* Sign the checkpoint of the first size leaves into s->note with seed under origin. */
static void sign_checkpoint(struct scene *s, uint64_t size, const char *origin,
                            const unsigned char seed[TR_ED25519_SEED_LEN])
{
    struct tr_buf text;
    unsigned char root[HL];
    tr_buf_init(&text);
    tr_buf_reset(&s->note);
    ck_assert_int_eq(tr_merkle_root(size, tr_merkle_mem_get, &s->tree, root, NULL), TR_OK);
    ck_assert_int_eq(tr_note_checkpoint_format(origin, size, root, &text, NULL), TR_OK);
    ck_assert_int_eq(tr_note_sign(text.data, text.len, origin, seed, &s->note, NULL), TR_OK);
    tr_buf_release(&text);
}

/*
 * The scene: filler, the university (1), the enterprise (2), filler, the other enterprise
 * (4), the dual appointment signed by both (5), a credit by the university (6), fillers up
 * to 10 leaves; the checkpoint of size 10.
 */
static void scene_init(struct scene *s)
{
    unsigned char seed[TR_ED25519_SEED_LEN], pub[TR_ED25519_PUBLIC_LEN];
    memset(s, 0, sizeof *s);
    tr_merkle_mem_init(&s->tree);
    tr_buf_init(&s->note);
    ck_assert_int_eq(tr_ed25519_public(operator_seed, pub), TR_OK);
    ck_assert_int_eq(tr_note_verifier_from_public(ORIGIN, pub, &s->vkey, NULL), TR_OK);
    add_leaf(s, NULL);
    add_leaf(s, signed_org("org-university.json"));
    add_leaf(s, signed_org("org-enterprise.json"));
    add_leaf(s, NULL);
    add_leaf(s, signed_org("org-other.json"));
    struct tr_json *dual = load("dual-appointment.json");
    org_seed(0, seed);
    sign(dual, seed);
    org_seed(1, seed);
    sign(dual, seed);
    add_leaf(s, dual);
    struct tr_json *credit = load("credit.json");
    org_seed(0, seed);
    sign(credit, seed);
    add_leaf(s, credit);
    while (s->tree.size < 10) {
        add_leaf(s, NULL);
    }
    sign_checkpoint(s, 10, ORIGIN, operator_seed);
}

static void scene_release(struct scene *s)
{
    for (size_t i = 0; i < 32; i++) {
        tr_json_free(s->leaves[i]);
    }
    tr_merkle_mem_release(&s->tree);
    tr_buf_release(&s->note);
}

/* {"leaf_index", "inclusion_proof", "credential"} of leaf in the tree of size. */
static struct tr_json *leaf_entry(struct scene *s, uint64_t leaf, uint64_t size)
{
    struct tr_merkle_proof proof;
    struct tr_json *o = tr_json_new_object();
    struct tr_json *arr = tr_json_new_array();
    ck_assert_int_eq(
        tr_merkle_prove_inclusion(leaf, size, tr_merkle_mem_get, &s->tree, &proof, NULL), TR_OK);
    for (size_t i = 0; i < proof.len; i++) {
        ck_assert_int_eq(tr_json_array_append(arr, tr_json_new_cstr(test_hex(proof.hash[i], HL))),
                         TR_OK);
    }
    ck_assert_int_eq(tr_json_object_set(o, "leaf_index", tr_json_new_number((double)leaf)), TR_OK);
    ck_assert_int_eq(tr_json_object_set(o, "inclusion_proof", arr), TR_OK);
    ck_assert_int_eq(tr_json_object_set(o, "credential", tr_json_clone(s->leaves[leaf])), TR_OK);
    return o;
}

/* The bundle of record leaf with the Organization records at orgs (count n), size 10. */
static struct tr_json *bundle_of(struct scene *s, uint64_t leaf, const uint64_t *orgs, size_t n)
{
    struct tr_json *b = tr_json_new_object();
    struct tr_json *arr = tr_json_new_array();
    ck_assert_int_eq(tr_json_object_set(b, "format", tr_json_new_cstr(TR_BUNDLE_FORMAT)), TR_OK);
    ck_assert_int_eq(tr_json_object_set(b, "version", tr_json_new_number(1)), TR_OK);
    ck_assert_int_eq(tr_json_object_set(b, "checkpoint", tr_json_new_cstr(s->note.data)), TR_OK);
    ck_assert_int_eq(tr_json_object_set(b, "record", leaf_entry(s, leaf, s->tree.size)), TR_OK);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(tr_json_array_append(arr, leaf_entry(s, orgs[i], s->tree.size)), TR_OK);
    }
    ck_assert_int_eq(tr_json_object_set(b, "organizations", arr), TR_OK);
    return b;
}

static struct tr_json *dual_bundle(struct scene *s)
{
    static const uint64_t orgs[] = {1, 2};
    return bundle_of(s, 5, orgs, 2);
}

/* Verify b (freed here) and expect reason with exactly message (NULL: any message). */
static void expect_reason(struct scene *s, struct tr_json *b, const struct tr_bundle_seen *seen,
                          enum tr_bundle_reason reason, const char *message)
{
    struct tr_bundle_result r;
    struct tr_error err = {0};
    int rc = tr_bundle_verify(b, &s->vkey, seen, &r, &err);
    ck_assert_msg(rc == (reason == TR_BUNDLE_VALID ? TR_OK : TR_EVERIFY), "rc %d: %s", rc, err.msg);
    ck_assert_str_eq(tr_bundle_reason_code(r.reason), tr_bundle_reason_code(reason));
    if (message != NULL) {
        ck_assert_str_eq(err.msg, message);
    }
    tr_json_free(b);
}

static struct tr_json *member(struct tr_json *obj, const char *path)
{
    char key[64];
    const char *dot = strchr(path, '.');
    size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);
    snprintf(key, sizeof key, "%.*s", (int)n, path);
    struct tr_json *v = NULL;
    if (tr_json_is(obj, TR_JSON_ARRAY)) {
        v = obj->u.array.items[atoi(key)];
    } else {
        v = tr_json_object_get(obj, key);
    }
    ck_assert_msg(v != NULL, "no member '%s'", path);
    return dot != NULL ? member(v, dot + 1) : v;
}

/* Replace the member at path (dotted; array indices as numbers) by value. */
static void set(struct tr_json *b, const char *path, struct tr_json *value)
{
    const char *dot = strrchr(path, '.');
    if (dot == NULL) {
        ck_assert_int_eq(tr_json_object_set(b, path, value), TR_OK);
        return;
    }
    char parent[128];
    snprintf(parent, sizeof parent, "%.*s", (int)(dot - path), path);
    struct tr_json *p = member(b, parent);
    if (tr_json_is(p, TR_JSON_ARRAY)) {
        size_t i = (size_t)atoi(dot + 1);
        tr_json_free(p->u.array.items[i]);
        p->u.array.items[i] = value;
    } else {
        ck_assert_int_eq(tr_json_object_set(p, dot + 1, value), TR_OK);
    }
}

START_TEST(bundle_of_a_dual_appointment_verifies)
{
    struct scene s;
    struct tr_bundle_result r;
    struct tr_error err = {0};
    char id[TR_LOG_RECORD_ID_LEN + 1];
    struct tr_buf jcs;
    unsigned char h[HL];
    scene_init(&s);
    struct tr_json *b = dual_bundle(&s);
    int rc = tr_bundle_verify(b, &s.vkey, NULL, &r, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_int_eq(r.reason, TR_BUNDLE_VALID);
    ck_assert_int_eq(r.kind, TR_KIND_DUAL_APPOINTMENT);
    ck_assert_uint_eq(r.leaf_index, 5);
    ck_assert_uint_eq(r.checkpoint.size, 10);
    ck_assert_str_eq(r.checkpoint.origin, ORIGIN);
    tr_buf_init(&jcs);
    ck_assert_int_eq(tr_jcs_serialize_without(s.leaves[5], "proof", &jcs, NULL), TR_OK);
    ck_assert_int_eq(tr_sha256(jcs.data, jcs.len, h), TR_OK);
    memcpy(id, test_hex(h, HL), sizeof id);
    ck_assert_str_eq(r.record_id, id);
    tr_buf_release(&jcs);
    tr_json_free(b);

    /* Through its text, as a file holds it. */
    struct tr_buf text;
    struct tr_json *back = NULL;
    tr_buf_init(&text);
    b = dual_bundle(&s);
    ck_assert_int_eq(tr_json_write(b, TR_JSON_PRETTY, &text, NULL), TR_OK);
    ck_assert_int_eq(tr_json_parse(text.data, text.len, "bundle", NULL, &back, NULL), TR_OK);
    expect_reason(&s, back, NULL, TR_BUNDLE_VALID, NULL);
    tr_json_free(b);
    tr_buf_release(&text);

    /* A credit needs only its issuer. */
    static const uint64_t univ[] = {1};
    expect_reason(&s, bundle_of(&s, 6, univ, 1), NULL, TR_BUNDLE_VALID, NULL);
    scene_release(&s);
}
END_TEST

START_TEST(every_member_of_the_envelope_matters)
{
    struct scene s;
    scene_init(&s);
    struct tr_json *b = dual_bundle(&s);
    set(b, "format", tr_json_new_cstr("talentreg-bundel"));
    expect_reason(&s, b, NULL, TR_BUNDLE_MALFORMED, "format must be 'talentreg-bundle'");
    b = dual_bundle(&s);
    set(b, "version", tr_json_new_number(2));
    expect_reason(&s, b, NULL, TR_BUNDLE_MALFORMED, "version must be 1");
    b = dual_bundle(&s);
    set(b, "extra", tr_json_new_null());
    expect_reason(&s, b, NULL, TR_BUNDLE_MALFORMED, "the bundle has an unknown member 'extra'");
    b = dual_bundle(&s);
    tr_json_object_remove(b, "record");
    expect_reason(&s, b, NULL, TR_BUNDLE_MALFORMED, "record must be an object");
    b = dual_bundle(&s);
    set(b, "record.leaf_index", tr_json_new_number(-1));
    expect_reason(&s, b, NULL, TR_BUNDLE_MALFORMED, "record.leaf_index must be a leaf index");
    b = dual_bundle(&s);
    set(b, "record.inclusion_proof.0", tr_json_new_cstr("00"));
    expect_reason(&s, b, NULL, TR_BUNDLE_MALFORMED,
                  "record.inclusion_proof[0] is not 64 lowercase hex digits");
    b = dual_bundle(&s);
    set(b, "organizations.1.seal", tr_json_new_null());
    expect_reason(&s, b, NULL, TR_BUNDLE_MALFORMED, "organization 1 has an unknown member 'seal'");
    b = dual_bundle(&s);
    set(b, "organizations", tr_json_new_object());
    expect_reason(&s, b, NULL, TR_BUNDLE_MALFORMED,
                  "organizations must be an array of at most 16 records");
    expect_reason(&s, tr_json_new_array(), NULL, TR_BUNDLE_MALFORMED,
                  "a bundle must be a JSON object");
    scene_release(&s);
}
END_TEST

START_TEST(changed_checkpoint_fails)
{
    struct scene s;
    unsigned char other[TR_ED25519_SEED_LEN];
    scene_init(&s);
    struct tr_json *b = dual_bundle(&s);
    struct tr_json *note = member(b, "checkpoint");
    note->u.string.ptr[strlen(ORIGIN) + 1] = '9'; /* the tree size line: "10" -> "90" */
    expect_reason(&s, b, NULL, TR_BUNDLE_CHECKPOINT_SIGNATURE, NULL);

    /* Another log's checkpoint, signed by its own key under its own name. */
    memset(other, 7, sizeof other);
    sign_checkpoint(&s, 10, "talentreg.example/elsewhere", other);
    expect_reason(&s, dual_bundle(&s), NULL, TR_BUNDLE_CHECKPOINT_SIGNATURE,
                  "checkpoint: note has no signature by a trusted key");
    /* The operator's key, but the checkpoint of another origin. */
    sign_checkpoint(&s, 10, "talentreg.example/elsewhere", operator_seed);
    expect_reason(&s, dual_bundle(&s), NULL, TR_BUNDLE_CHECKPOINT_SIGNATURE, NULL);
    /* The operator's checkpoint of a smaller tree than the record's leaf. */
    sign_checkpoint(&s, 5, ORIGIN, operator_seed);
    struct tr_json *small = dual_bundle(&s);
    expect_reason(&s, small, NULL, TR_BUNDLE_INCLUSION, NULL);
    scene_release(&s);
}
END_TEST

START_TEST(changed_proofs_and_leaves_fail)
{
    struct scene s;
    scene_init(&s);
    struct tr_json *b = dual_bundle(&s);
    set(b, "record.leaf_index", tr_json_new_number(4));
    expect_reason(&s, b, NULL, TR_BUNDLE_INCLUSION, NULL);

    b = dual_bundle(&s);
    char *h = member(b, "record.inclusion_proof.1")->u.string.ptr;
    h[63] = h[63] == '0' ? '1' : '0';
    expect_reason(&s, b, NULL, TR_BUNDLE_INCLUSION, NULL);

    /* A truncated proof: its last hash dropped. */
    b = dual_bundle(&s);
    struct tr_json *proof = member(b, "record.inclusion_proof");
    tr_json_free(proof->u.array.items[--proof->u.array.len]);
    expect_reason(&s, b, NULL, TR_BUNDLE_INCLUSION,
                  "record: leaf 5 is not in the tree of size 10: inclusion proof has 3 hashes, "
                  "fewer than a tree of size 10 needs");

    b = dual_bundle(&s);
    set(b, "record.credential.credentialSubject.workloadShare", tr_json_new_number(0.25));
    expect_reason(&s, b, NULL, TR_BUNDLE_INCLUSION, NULL);

    b = dual_bundle(&s);
    set(b, "organizations.0.leaf_index", tr_json_new_number(0));
    expect_reason(&s, b, NULL, TR_BUNDLE_INCLUSION, NULL);

    b = dual_bundle(&s);
    set(b, "organizations.1.credential.credentialSubject.mayIssue.0", tr_json_new_cstr("Credit"));
    expect_reason(&s, b, NULL, TR_BUNDLE_INCLUSION, NULL);

    b = dual_bundle(&s);
    struct tr_json *vm = member(b, "record.credential.proof.1.proofValue");
    vm->u.string.ptr[5] = vm->u.string.ptr[5] == 'A' ? 'B' : 'A';
    expect_reason(&s, b, NULL, TR_BUNDLE_INCLUSION, NULL);
    scene_release(&s);
}
END_TEST

START_TEST(organization_records_must_be_the_right_ones)
{
    struct scene s;
    scene_init(&s);
    /* One organisation left out: its key is unknown. */
    static const uint64_t only_univ[] = {1};
    expect_reason(&s, bundle_of(&s, 5, only_univ, 1), NULL, TR_BUNDLE_UNKNOWN_KEY,
                  "record: proof 2 is by key "
                  "'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG#"
                  "z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG', which no Organization "
                  "record of the bundle lists");
    /* An unrelated organisation carried along. */
    static const uint64_t extra[] = {1, 2, 4};
    expect_reason(&s, bundle_of(&s, 5, extra, 3), NULL, TR_BUNDLE_ORG_UNUSED,
                  "organization 2 (leaf 4): the record does not need it");
    /* The record itself passed off as an Organization record. */
    static const uint64_t self[] = {1, 2, 6};
    expect_reason(&s, bundle_of(&s, 5, self, 3), NULL, TR_BUNDLE_ORG_LATER,
                  "organization 2: leaf 6 is not before the record's leaf 5");
    /* A record of another kind passed off as an Organization record. */
    struct tr_json *b = bundle_of(&s, 6, only_univ, 1);
    set(b, "organizations.0", leaf_entry(&s, 5, 10));
    expect_reason(&s, b, NULL, TR_BUNDLE_ORG_INVALID, "organization 0: not an Organization record");
    scene_release(&s);
}
END_TEST

START_TEST(organization_records_need_the_operator_and_the_permission)
{
    struct scene s;
    unsigned char seed[TR_ED25519_SEED_LEN];
    scene_init(&s);
    /* Leaf 10: the enterprise registered by itself rather than by the operator. */
    struct tr_json *self = load("org-enterprise.json");
    org_seed(1, seed);
    sign(self, seed);
    add_leaf(&s, self);
    /* Leaf 11: the enterprise registered without DualAppointment among its kinds. */
    struct tr_json *narrow = load("org-enterprise.json");
    struct tr_json *kinds = member(narrow, "credentialSubject.mayIssue");
    tr_json_free(kinds->u.array.items[1]);
    memmove(&kinds->u.array.items[1], &kinds->u.array.items[2], 2 * sizeof kinds->u.array.items[0]);
    kinds->u.array.len--;
    sign(narrow, operator_seed);
    add_leaf(&s, narrow);
    /* Leaf 12: the dual appointment again, co-signed by the other enterprise too. */
    struct tr_json *dual = tr_json_clone(s.leaves[5]);
    org_seed(2, seed);
    sign(dual, seed);
    add_leaf(&s, dual);
    /* Leaf 13: the dual appointment signed by the university only. */
    struct tr_json *half = load("dual-appointment.json");
    org_seed(0, seed);
    sign(half, seed);
    add_leaf(&s, half);
    /* Leaf 14: a dual appointment with a share over 1, signed by both. */
    struct tr_json *bad = load("dual-appointment.json");
    set(bad, "credentialSubject.workloadShare", tr_json_new_number(2));
    org_seed(0, seed);
    sign(bad, seed);
    org_seed(1, seed);
    sign(bad, seed);
    add_leaf(&s, bad);
    /* Leaf 15: a credit whose proof was made over another statement. */
    struct tr_json *forged = tr_json_clone(s.leaves[6]);
    set(forged, "credentialSubject.points", tr_json_new_number(20));
    add_leaf(&s, forged);
    /* Leaf 16: kept for the dual appointment logged again below. */
    add_leaf(&s, NULL);
    /* Leaf 17: the dual appointment signed by the enterprise only. */
    struct tr_json *other_half = load("dual-appointment.json");
    org_seed(1, seed);
    sign(other_half, seed);
    add_leaf(&s, other_half);
    /* Leaf 18: the other enterprise registered with the university's key among its own. */
    struct tr_json *thief = load("org-other.json");
    set(thief, "credentialSubject.keys.1",
        tr_json_new_cstr("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"));
    sign(thief, operator_seed);
    add_leaf(&s, thief);
    sign_checkpoint(&s, s.tree.size, ORIGIN, operator_seed);

    /* The enterprise registered by itself (leaf 10), for the record of leaf 12. */
    expect_reason(&s, bundle_of(&s, 12, (const uint64_t[]){1, 10, 4}, 3), NULL,
                  TR_BUNDLE_ORG_INVALID,
                  "organization 1: proof 1 is by key "
                  "'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG#"
                  "z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG', which is not the "
                  "operator's");
    expect_reason(&s, bundle_of(&s, 12, (const uint64_t[]){1, 2, 4}, 3), NULL,
                  TR_BUNDLE_SIGNER_NOT_PERMITTED,
                  "record: proof 3: 91350100MA31XR6T22 is neither a signer nor a co-signer of a "
                  "DualAppointment record");
    expect_reason(&s, bundle_of(&s, 13, (const uint64_t[]){1}, 1), NULL, TR_BUNDLE_MISSING_COSIGNER,
                  "record: the enterprise 91350900MA2Y8K3Q1U has no proof");
    expect_reason(&s, bundle_of(&s, 17, (const uint64_t[]){2}, 1), NULL, TR_BUNDLE_ISSUER_MISMATCH,
                  "record: the issuer 12350100488101234T has no proof");
    /* Leaf 19: the dual appointment logged again, after the narrower record of leaf 11,
     * which is then the enterprise's version in force. */
    add_leaf(&s, tr_json_clone(s.leaves[5]));
    sign_checkpoint(&s, s.tree.size, ORIGIN, operator_seed);
    expect_reason(&s, bundle_of(&s, 19, (const uint64_t[]){1, 2, 11}, 3), NULL,
                  TR_BUNDLE_SIGNER_NOT_PERMITTED,
                  "record: 91350900MA2Y8K3Q1U may not issue DualAppointment records: its "
                  "Organization record at leaf 11 does not permit them");
    expect_reason(&s, bundle_of(&s, 19, (const uint64_t[]){1, 2}, 2), NULL, TR_BUNDLE_VALID, NULL);
    expect_reason(&s, bundle_of(&s, 14, (const uint64_t[]){1, 2}, 2), NULL, TR_BUNDLE_SCHEMA,
                  "record: field 'credentialSubject.workloadShare' must be between 0 and 1");
    expect_reason(&s, bundle_of(&s, 15, (const uint64_t[]){1}, 1), NULL, TR_BUNDLE_PROOF, NULL);
    scene_release(&s);
}
END_TEST

START_TEST(seen_checkpoint_refuses_rollback_fork_and_another_tree)
{
    struct scene s;
    struct tr_bundle_seen seen;
    struct tr_merkle_proof proof;
    scene_init(&s);
    /* The verifier has seen the tree of size 10: the same checkpoint is fine. */
    seen.size = 10;
    ck_assert_int_eq(tr_merkle_root(10, tr_merkle_mem_get, &s.tree, seen.root, NULL), TR_OK);
    expect_reason(&s, dual_bundle(&s), &seen, TR_BUNDLE_VALID, NULL);
    /* A fork: the same size, another root. */
    seen.root[0] ^= 1;
    expect_reason(&s, dual_bundle(&s), &seen, TR_BUNDLE_FORK,
                  "checkpoint of size 10 has another root than the one already seen");
    /* A rollback: it has seen 12 leaves. */
    add_leaf(&s, NULL);
    add_leaf(&s, NULL);
    seen.size = 12;
    ck_assert_int_eq(tr_merkle_root(12, tr_merkle_mem_get, &s.tree, seen.root, NULL), TR_OK);
    expect_reason(&s, dual_bundle(&s), &seen, TR_BUNDLE_ROLLBACK,
                  "checkpoint size 10 is smaller than the size 12 already seen");

    /* It has seen 7 leaves: the bundle (of 12 now) must prove it extends them. */
    sign_checkpoint(&s, 12, ORIGIN, operator_seed);
    seen.size = 7;
    ck_assert_int_eq(tr_merkle_root(7, tr_merkle_mem_get, &s.tree, seen.root, NULL), TR_OK);
    expect_reason(&s, dual_bundle(&s), &seen, TR_BUNDLE_INCONSISTENT,
                  "the bundle holds no consistency proof from the tree size 7 already seen");
    ck_assert_int_eq(tr_merkle_prove_consistency(7, 12, tr_merkle_mem_get, &s.tree, &proof, NULL),
                     TR_OK);
    struct tr_json *c = tr_json_new_object();
    struct tr_json *arr = tr_json_new_array();
    for (size_t i = 0; i < proof.len; i++) {
        tr_json_array_append(arr, tr_json_new_cstr(test_hex(proof.hash[i], HL)));
    }
    tr_json_object_set(c, "old_size", tr_json_new_number(7));
    tr_json_object_set(c, "proof", arr);
    struct tr_json *b = dual_bundle(&s);
    set(b, "consistency", tr_json_clone(c));
    expect_reason(&s, b, &seen, TR_BUNDLE_VALID, NULL);
    /* Without a seen checkpoint the proof is read but not needed. */
    b = dual_bundle(&s);
    set(b, "consistency", tr_json_clone(c));
    expect_reason(&s, b, NULL, TR_BUNDLE_VALID, NULL);
    /* The tree of size 7 it saw was another one. */
    seen.root[3] ^= 0x10;
    b = dual_bundle(&s);
    set(b, "consistency", tr_json_clone(c));
    expect_reason(&s, b, &seen, TR_BUNDLE_INCONSISTENT, NULL);
    seen.root[3] ^= 0x10;
    /* A changed or truncated consistency proof. */
    b = dual_bundle(&s);
    set(b, "consistency", tr_json_clone(c));
    tr_json_free(member(b, "consistency.proof")->u.array.items[0]);
    member(b, "consistency.proof")->u.array.items[0] = tr_json_new_cstr(test_hex(seen.root, HL));
    expect_reason(&s, b, &seen, TR_BUNDLE_INCONSISTENT, NULL);
    b = dual_bundle(&s);
    set(b, "consistency", tr_json_clone(c));
    struct tr_json *p = member(b, "consistency.proof");
    tr_json_free(p->u.array.items[--p->u.array.len]);
    expect_reason(&s, b, &seen, TR_BUNDLE_INCONSISTENT, NULL);
    /* A proof from another size than the one seen. */
    b = dual_bundle(&s);
    set(b, "consistency", c);
    set(b, "consistency.old_size", tr_json_new_number(6));
    expect_reason(&s, b, &seen, TR_BUNDLE_INCONSISTENT,
                  "the bundle holds no consistency proof from the tree size 7 already seen");
    scene_release(&s);
}
END_TEST

/* ---- Bundles written from a store ---- */

static char store_dir[TEST_PATH_MAX];
static char store_path[TEST_PATH_MAX];

static void store_setup(void)
{
    test_store_dir("check_bundle", store_dir, store_path);
}

static void store_teardown(void)
{
    test_store_remove(store_dir, store_path);
}

/* Submit doc (freed here) in a transaction of its own; returns its leaf. */
static uint64_t submit(struct tr_db *db, struct tr_json *doc)
{
    struct tr_submit_result r;
    struct tr_error err = {0};
    memset(&r, 0, sizeof r);
    tr_verify_verdict_init(&r.verdict);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    int rc = tr_submit_credential(db, doc, &r, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_msg(r.status == TR_SUBMIT_STORED, "status %d", r.status);
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    uint64_t leaf = r.leaf;
    tr_submit_result_release(&r);
    tr_json_free(doc);
    return leaf;
}

static void checkpoint_store(struct tr_db *db)
{
    struct tr_error err = {0};
    int rc = tr_log_checkpoint(db, operator_seed, NULL, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

/* The registry: the university (0), the enterprise (1), a credit (2), the dual appointment
 * (3). ids: the credit's and the dual appointment's record ids. */
static struct tr_db *registry(char credit_id[TR_LOG_RECORD_ID_LEN + 1],
                              char dual_id[TR_LOG_RECORD_ID_LEN + 1])
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    unsigned char pub[TR_ED25519_PUBLIC_LEN], seed[TR_ED25519_SEED_LEN];
    ck_assert_int_eq(tr_db_create(store_path, ORIGIN, &db, &err), TR_OK);
    ck_assert_int_eq(tr_ed25519_public(operator_seed, pub), TR_OK);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, NULL), TR_OK);
    submit(db, signed_org("org-university.json"));
    submit(db, signed_org("org-enterprise.json"));
    struct tr_json *credit = load("credit.json");
    org_seed(0, seed);
    sign(credit, seed);
    ck_assert_int_eq(tr_verify_record_id(credit, credit_id, NULL), TR_OK);
    submit(db, credit);
    struct tr_json *dual = load("dual-appointment.json");
    sign(dual, seed);
    org_seed(1, seed);
    sign(dual, seed);
    ck_assert_int_eq(tr_verify_record_id(dual, dual_id, NULL), TR_OK);
    submit(db, dual);
    return db;
}

static struct tr_note_verifier operator_verifier(void)
{
    struct tr_note_verifier v;
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    ck_assert_int_eq(tr_ed25519_public(operator_seed, pub), TR_OK);
    ck_assert_int_eq(tr_note_verifier_from_public(ORIGIN, pub, &v, NULL), TR_OK);
    return v;
}

START_TEST(exported_bundle_verifies_offline)
{
    char credit_id[TR_LOG_RECORD_ID_LEN + 1], dual_id[TR_LOG_RECORD_ID_LEN + 1];
    struct tr_db *db = registry(credit_id, dual_id);
    struct tr_note_verifier v = operator_verifier();
    struct tr_json *b = NULL;
    struct tr_bundle_result r;
    struct tr_error err = {0};
    checkpoint_store(db);
    int rc = tr_bundle_export(db, dual_id, 0, &b, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_uint_eq(member(b, "organizations")->u.array.len, 2);
    ck_assert_ptr_null(tr_json_object_get(b, "consistency"));
    ck_assert_int_eq(tr_bundle_verify(b, &v, NULL, &r, &err), TR_OK);
    ck_assert_str_eq(r.record_id, dual_id);
    ck_assert_uint_eq(r.leaf_index, 3);
    ck_assert_uint_eq(r.checkpoint.size, 4);
    tr_json_free(b);

    /* A credit needs one Organization record; with --since, a consistency proof. */
    ck_assert_int_eq(tr_bundle_export(db, credit_id, 2, &b, &err), TR_OK);
    ck_assert_uint_eq(member(b, "organizations")->u.array.len, 1);
    ck_assert_uint_eq(member(b, "consistency.proof")->u.array.len, 1);
    struct tr_bundle_seen seen = {.size = 2};
    ck_assert_int_eq(tr_log_root(db, 2, seen.root, NULL), TR_OK);
    ck_assert_int_eq(tr_bundle_verify(b, &v, &seen, &r, &err), TR_OK);
    tr_json_free(b);
    ck_assert_int_eq(tr_bundle_export(db, credit_id, 5, &b, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "tree size 5 is larger than the checkpoint's (4)");
    ck_assert_ptr_null(b);
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
}
END_TEST

START_TEST(export_needs_a_covering_checkpoint_and_a_record_that_counts)
{
    char credit_id[TR_LOG_RECORD_ID_LEN + 1], dual_id[TR_LOG_RECORD_ID_LEN + 1];
    char want[256];
    unsigned char seed[TR_ED25519_SEED_LEN];
    struct tr_db *db = registry(credit_id, dual_id);
    struct tr_json *b = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_bundle_export(db, dual_id, 0, &b, &err), TR_ECONFLICT);
    ck_assert_str_eq(err.msg, "the log has no checkpoint yet: run 'talentreg log checkpoint'");
    checkpoint_store(db);
    /* The university withdraws its credit at leaf 4, after the checkpoint of size 4. */
    struct tr_json *rev = NULL;
    char text[512];
    snprintf(text, sizeof text,
             "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
             "\"https://talentreg.example/ns/v1\"],\"type\":[\"VerifiableCredential\","
             "\"RevocationCredential\"],\"issuer\":\"urn:talentreg:org:12350100488101234T\","
             "\"credentialSubject\":{\"id\":\"urn:talentreg:record:%s\",\"action\":"
             "\"withdraw\",\"reason\":\"entered twice\"}}",
             credit_id);
    ck_assert_int_eq(tr_json_parse(text, strlen(text), "rev", NULL, &rev, NULL), TR_OK);
    org_seed(0, seed);
    sign(rev, seed);
    char rev_id[TR_LOG_RECORD_ID_LEN + 1];
    ck_assert_int_eq(tr_verify_record_id(rev, rev_id, NULL), TR_OK);
    ck_assert_uint_eq(submit(db, rev), 4);
    ck_assert_int_eq(tr_bundle_export(db, rev_id, 0, &b, &err), TR_ECONFLICT);
    ck_assert_str_eq(err.msg, "no checkpoint covers leaf 4: run 'talentreg log checkpoint'");
    /* As of the checkpoint of 4 the credit still counts; as of 5 it does not. */
    ck_assert_int_eq(tr_bundle_export(db, credit_id, 0, &b, &err), TR_OK);
    tr_json_free(b);
    checkpoint_store(db);
    ck_assert_int_eq(tr_bundle_export(db, credit_id, 0, &b, &err), TR_EVERIFY);
    snprintf(want, sizeof want,
             "record '%s' does not count as of tree size 5: revoked: ", credit_id);
    ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);
    ck_assert_int_eq(tr_bundle_export(db, rev_id, 0, &b, &err), TR_OK);
    tr_json_free(b);
    snprintf(want, sizeof want, "%064d", 0);
    ck_assert_int_eq(tr_bundle_export(db, want, 0, &b, &err), TR_ENOTFOUND);
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
}
END_TEST

START_TEST(export_of_an_erased_record_is_refused)
{
    char credit_id[TR_LOG_RECORD_ID_LEN + 1], dual_id[TR_LOG_RECORD_ID_LEN + 1];
    char sql[256];
    struct tr_db *db = registry(credit_id, dual_id);
    struct tr_json *b = NULL;
    struct tr_error err = {0};
    checkpoint_store(db);
    /* The body goes, the leaf hash stays: nothing of the person leaves in a bundle. */
    snprintf(sql, sizeof sql, "UPDATE log_entry SET body = NULL WHERE record_id = '%s'", credit_id);
    ck_assert_int_eq(tr_db_exec(db, sql, NULL), TR_OK);
    ck_assert_int_eq(tr_bundle_export(db, credit_id, 0, &b, &err), TR_EVERIFY);
    ck_assert_ptr_null(b);
    char want[256];
    snprintf(want, sizeof want,
             "record '%s' does not count as of tree size 4: erased: the body of leaf 2 has been "
             "erased",
             credit_id);
    ck_assert_str_eq(err.msg, want);
    /* The other records of the log still export. */
    ck_assert_int_eq(tr_bundle_export(db, dual_id, 0, &b, &err), TR_OK);
    tr_json_free(b);
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
}
END_TEST

START_TEST(reason_codes_are_stable)
{
    ck_assert_str_eq(tr_bundle_reason_code(TR_BUNDLE_VALID), "ok");
    ck_assert_str_eq(tr_bundle_reason_code(TR_BUNDLE_INCLUSION), "inclusion-proof");
    ck_assert_str_eq(tr_bundle_reason_code(TR_BUNDLE_INCONSISTENT), "checkpoint-inconsistent");
    ck_assert_str_eq(tr_bundle_reason_code((enum tr_bundle_reason)99), "unknown");
    struct tr_bundle_result r;
    ck_assert_int_eq(tr_bundle_verify(NULL, NULL, NULL, &r, NULL), TR_EINVAL);
}
END_TEST

Suite *bundle_suite(void)
{
    Suite *s = suite_create("bundle");
    TCase *tc = tcase_create("bundle");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, bundle_of_a_dual_appointment_verifies);
    tcase_add_test(tc, every_member_of_the_envelope_matters);
    tcase_add_test(tc, changed_checkpoint_fails);
    tcase_add_test(tc, changed_proofs_and_leaves_fail);
    tcase_add_test(tc, organization_records_must_be_the_right_ones);
    tcase_add_test(tc, organization_records_need_the_operator_and_the_permission);
    tcase_add_test(tc, seen_checkpoint_refuses_rollback_fork_and_another_tree);
    tcase_add_test(tc, reason_codes_are_stable);
    suite_add_tcase(s, tc);
    TCase *store = tcase_create("export");
    tcase_add_checked_fixture(store, store_setup, store_teardown);
    tcase_set_timeout(store, 60);
    tcase_add_test(store, exported_bundle_verifies_offline);
    tcase_add_test(store, export_needs_a_covering_checkpoint_and_a_record_that_counts);
    tcase_add_test(store, export_of_an_erased_record_is_refused);
    suite_add_tcase(s, store);
    return s;
}
