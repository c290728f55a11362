/*
 * check_verify.c — the verification core and submission, attacked: a region built with the
 * real modules (the organisations of docs/examples/organizations.yaml registered by the
 * operator, their keys from the fixed seeds of tests/vectors/didkey), records from
 * docs/examples signed and submitted, then every way a record may fail to count, each with
 * its exact verdict: tampered signatures, documents and proof options; keys that are unknown,
 * revoked before the record, or compromised; signers missing, foreign or not permitted;
 * revocations by the wrong party; replays and co-signatures; verdicts as of an older log.
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

#define EX "docs/examples/"
#define CREATED "2025-06-01T08:00:00Z"

/* The organisations of docs/examples/organizations.yaml, in registration order (leaves 0-4). */
enum org { MINJIANG, NINGDE, FUZHOU, BOARD, SINO, NORG };

static const char *const uscc[NORG] = {"12350100488101234T", "91350900MA2Y8K3Q1U",
                                       "91350100MA31XR6T22", "113500000035912489",
                                       "52350100MJD4C28059"};

/* Seeds of the organisations' keys (tests/vectors/didkey/ed25519.json). Fuzhou has two. */
static const char *const seed_hex[NORG + 1] = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000001",
    "0000000000000000000000000000000000000000000000000000000000000002",
    "0000000000000000000000000000000000000000000000000000000000000005",
    "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6",
    "0000000000000000000000000000000000000000000000000000000000000003", /* Fuzhou's second */
};
#define FUZHOU_2 NORG

static char dir[64];
static char path[128];
static struct tr_db *db;
static unsigned char id_key[TR_ID_KEY_LEN];
static unsigned char op_seed[TR_ED25519_SEED_LEN];

static void seed_of(int who, unsigned char out[TR_ED25519_SEED_LEN])
{
    test_unhex(seed_hex[who], out, TR_ED25519_SEED_LEN);
}

/* A seed nobody registered. */
static void stranger_seed(unsigned char out[TR_ED25519_SEED_LEN])
{
    memset(out, 0x5a, TR_ED25519_SEED_LEN);
}

static const char *did_of_seed(const unsigned char seed[TR_ED25519_SEED_LEN])
{
    static char did[4][TR_KEY_DID_SIZE];
    static int next;
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    ck_assert_int_eq(tr_ed25519_public(seed, pub), TR_OK);
    char *out = did[next++ % 4];
    tr_key_did(pub, out);
    return out;
}

static const char *did_of(int who)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    seed_of(who, seed);
    return did_of_seed(seed);
}

/* The index-th record (from 0) of a YAML text, as its unsigned credential. */
static struct tr_json *credential_of(const char *yaml, size_t len, size_t index)
{
    struct tr_yaml_reader *r = NULL;
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_error err = {0};
    struct tr_diag diag;
    tr_diag_init(&diag, "record");
    ck_assert_int_eq(tr_yaml_reader_open_mem(yaml, len, "record", NULL, &r, &err), TR_OK);
    for (size_t i = 0; i <= index; i++) {
        tr_json_free(doc);
        ck_assert_msg(tr_yaml_reader_next(r, &doc, &err) == TR_OK && doc != NULL, "%s", err.msg);
    }
    int rc = tr_schema_from_record(doc, id_key, &cred, &diag);
    if (rc != TR_OK) {
        struct tr_buf b;
        tr_buf_init(&b);
        tr_diag_format(&diag, 0, &b);
        ck_abort_msg("%s", b.data);
    }
    tr_diag_release(&diag);
    tr_json_free(doc);
    tr_yaml_reader_free(r);
    return cred;
}

static struct tr_json *record(const char *file, size_t index)
{
    size_t len = 0;
    char *text = test_read(file, &len);
    struct tr_json *cred = credential_of(text, len, index);
    free(text);
    return cred;
}

static struct tr_json *record_text(const char *yaml)
{
    return credential_of(yaml, strlen(yaml), 0);
}

static void sign_with(struct tr_json *cred, const unsigned char seed[TR_ED25519_SEED_LEN],
                      const char *created, const char *purpose)
{
    struct tr_error err = {0};
    struct tr_proof_sign_options opts = {created, NULL, purpose};
    ck_assert_msg(tr_proof_sign(cred, seed, &opts, &err) == TR_OK, "%s", err.msg);
}

static void sign(struct tr_json *cred, int who)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    seed_of(who, seed);
    sign_with(cred, seed, CREATED, NULL);
}

static uint64_t log_size(void)
{
    uint64_t n = 0;
    ck_assert_int_eq(tr_log_size(db, &n, NULL), TR_OK);
    return n;
}

/*
 * Submit cred in a transaction of its own; the result is the caller's to release. Every
 * other submission goes through tr_submit_prechecked with cred's precheck, so each test
 * holds for both ways in.
 */
static void submit(const struct tr_json *cred, struct tr_submit_result *r)
{
    static unsigned calls;
    struct tr_error err = {0};
    struct tr_verify_precheck pre;
    tr_verify_precheck_init(&pre);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    int rc = TR_OK;
    if (calls++ % 2 == 1) {
        ck_assert_msg(tr_verify_precheck(cred, &pre, &err) == TR_OK, "%s", err.msg);
        rc = tr_submit_prechecked(db, cred, &pre, r, &err);
    } else {
        rc = tr_submit_credential(db, cred, r, &err);
    }
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_db_commit(db, &err) == TR_OK, "%s", err.msg);
    tr_verify_precheck_release(&pre);
}

/* Submit cred, which must be stored; returns its leaf. Frees cred. */
static uint64_t store(struct tr_json *cred)
{
    struct tr_submit_result r;
    submit(cred, &r);
    ck_assert_msg(r.status == TR_SUBMIT_STORED, "status %d: %s: %s", (int)r.status,
                  r.verdict.nreasons ? tr_verify_reason_code(r.verdict.reasons[0].reason) : "",
                  r.verdict.nreasons ? r.verdict.reasons[0].detail : "");
    uint64_t leaf = r.leaf;
    tr_submit_result_release(&r);
    tr_json_free(cred);
    return leaf;
}

static void record_id(const struct tr_json *cred, char out[TR_RECORD_ID_LEN + 1])
{
    ck_assert_int_eq(tr_verify_record_id(cred, out, NULL), TR_OK);
}

/* Assert that v's reasons are exactly the comma-separated codes ("" for none). */
static void expect_codes(const struct tr_verdict *v, const char *codes)
{
    struct tr_buf got;
    tr_buf_init(&got);
    for (size_t i = 0; i < v->nreasons; i++) {
        tr_buf_addf(&got, "%s%s", i > 0 ? "," : "", tr_verify_reason_code(v->reasons[i].reason));
    }
    ck_assert_str_eq(got.data, codes);
    ck_assert_int_eq(v->counts, codes[0] == '\0');
    tr_buf_release(&got);
}

static void expect_detail(const struct tr_verdict *v, size_t i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void expect_detail(const struct tr_verdict *v, size_t i, const char *fmt, ...)
{
    char want[TR_VERIFY_DETAIL_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);
    ck_assert_uint_gt(v->nreasons, i);
    ck_assert_str_eq(v->reasons[i].detail, want);
}

/* Assert that two verdicts say the same, reason by reason and proof by proof. */
static void same_verdict(const struct tr_verdict *a, const struct tr_verdict *b)
{
    ck_assert_int_eq(a->counts, b->counts);
    ck_assert_str_eq(a->record_id, b->record_id);
    ck_assert_int_eq(a->has_kind, b->has_kind);
    ck_assert_int_eq(a->kind, b->kind);
    ck_assert_int_eq(a->logged, b->logged);
    ck_assert_uint_eq(a->position, b->position);
    ck_assert_uint_eq(a->nreasons, b->nreasons);
    for (size_t i = 0; i < a->nreasons; i++) {
        ck_assert_int_eq(a->reasons[i].reason, b->reasons[i].reason);
        ck_assert_uint_eq(a->reasons[i].proof, b->reasons[i].proof);
        ck_assert_str_eq(a->reasons[i].detail, b->reasons[i].detail);
    }
    ck_assert_uint_eq(a->nproofs, b->nproofs);
    for (size_t i = 0; i < a->nproofs; i++) {
        ck_assert_int_eq(memcmp(&a->proofs[i], &b->proofs[i], sizeof a->proofs[i]), 0);
    }
}

/*
 * Judge cred as if submitted now; the verdict is the caller's to release. The verdict from
 * a precheck (made, as an import makes it, with no store) must be the same.
 */
static void judge(const struct tr_json *cred, struct tr_verdict *v)
{
    struct tr_error err = {0};
    struct tr_verify_precheck pre;
    struct tr_verdict again;
    tr_verify_verdict_init(v);
    ck_assert_msg(tr_verify_credential(db, cred, log_size(), v, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_verify_precheck(cred, &pre, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_verify_credential_prechecked(db, cred, &pre, log_size(), &again, &err) ==
                      TR_OK,
                  "%s", err.msg);
    same_verdict(v, &again);
    tr_verify_verdict_release(&again);
    tr_verify_precheck_release(&pre);
}

static void judge_stored(const char *id, uint64_t size, struct tr_verdict *v)
{
    struct tr_error err = {0};
    tr_verify_verdict_init(v);
    ck_assert_msg(tr_verify_record(db, id, size, v, &err) == TR_OK, "%s", err.msg);
}

/* Judge cred now and expect codes; frees cred. */
static void expect_now(struct tr_json *cred, const char *codes)
{
    struct tr_verdict v;
    judge(cred, &v);
    expect_codes(&v, codes);
    tr_verify_verdict_release(&v);
    tr_json_free(cred);
}

static struct tr_json *the_proof(struct tr_json *cred, size_t i)
{
    struct tr_json *p = tr_json_object_get(cred, "proof");
    return p->type == TR_JSON_ARRAY ? p->u.array.items[i] : p;
}

static void set_str(struct tr_json *obj, const char *key, const char *value)
{
    ck_assert_int_eq(tr_json_object_set(obj, key, tr_json_new_cstr(value)), TR_OK);
}

static void get_signature(struct tr_json *cred, size_t i, unsigned char sig[64])
{
    size_t n = 0;
    const char *s = test_str(the_proof(cred, i), "proofValue");
    ck_assert_int_eq(tr_base58_decode_multibase(s, strlen(s), sig, 64, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 64);
}

static void set_signature(struct tr_json *cred, size_t i, const unsigned char sig[64])
{
    char text[TR_MULTIBASE_SIZE(64)];
    ck_assert_int_eq(tr_base58_encode_multibase(sig, 64, text, sizeof text, NULL), TR_OK);
    set_str(the_proof(cred, i), "proofValue", text);
}

/*
 * The Contribution of docs/examples signed by its issuer, and (out) a copy co-signed by the
 * beneficiary; id gets its record id.
 */
static struct tr_json *contribution(char id[TR_RECORD_ID_LEN + 1], struct tr_json **cosigned)
{
    struct tr_json *cred = record(EX "contribution.yaml", 0);
    record_id(cred, id);
    sign(cred, MINJIANG);
    *cosigned = tr_json_clone(cred);
    sign(*cosigned, NINGDE);
    return cred;
}

/* A KeyRevocation of key did of organisation org, issued by issuer ("operator" or a USCC). */
static struct tr_json *key_revocation(const char *issuer, int org, const char *did,
                                      const char *since)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "kind: KeyRevocation\nissuer: \"%s\"\nsubject: \"%s\"\nkey: %s\n%s%s%sreason: "
             "lost\n",
             issuer, uscc[org], did, since != NULL ? "compromisedSince: " : "",
             since != NULL ? since : "", since != NULL ? "\n" : "");
    return record_text(yaml);
}

/* A Revocation of record target by issuer. */
static struct tr_json *revocation(const char *issuer, const char *target, const char *action,
                                  const char *by)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "kind: Revocation\nissuer: \"%s\"\nsubject: \"%s\"\naction: %s\nreason: wrong\n%s%s\n",
             issuer, target, action, by != NULL ? "supersededBy: " : "", by != NULL ? by : "");
    return record_text(yaml);
}

/* An EnterprisePlacement hosted by Fuzhou, with a project name to make each one new. */
static struct tr_json *placement(const char *project, const char *from)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "kind: EnterprisePlacement\nissuer: 91350100MA31XR6T22\nsubject: p-zhang-wei-1984\n"
             "validFrom: %s\nvalidUntil: 2025-12-31\nhost: 91350100MA31XR6T22\n"
             "home: 12350100488101234T\nfte: 0.5\nform: post\nproject: %s\n",
             from, project);
    return record_text(yaml);
}

static void setup(void)
{
    struct tr_error err = {0};
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    snprintf(dir, sizeof dir, "/tmp/check_verify.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/talent.db", dir);
    ck_assert_int_eq(tr_ident_key_read(EX "id.key", id_key, NULL), TR_OK);
    memset(op_seed, 0x0f, sizeof op_seed);
    ck_assert_int_eq(tr_ed25519_public(op_seed, pub), TR_OK);
    ck_assert_msg(tr_db_create(path, "talentreg.example/test", &db, &err) == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, NULL), TR_OK);
    for (size_t i = 0; i < NORG; i++) {
        struct tr_json *org = record(EX "organizations.yaml", i);
        sign_with(org, op_seed, "2024-01-02T08:00:00Z", NULL);
        ck_assert_uint_eq(store(org), i);
    }
}

/* Remove the store at name and the files SQLite keeps beside it. */
static void remove_store(const char *name)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[200];
        snprintf(p, sizeof p, "%s%s", name, suffix[i]);
        unlink(p);
    }
}

static void teardown(void)
{
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
    remove_store(path);
    rmdir(dir);
}

/* ---- What counts ---- */

START_TEST(organisations_registered_by_the_operator_count)
{
    struct tr_verdict v;
    struct tr_trust_org org;
    struct tr_json *first = record(EX "organizations.yaml", 0);
    char id[TR_RECORD_ID_LEN + 1];
    record_id(first, id);
    judge_stored(id, log_size(), &v);
    expect_codes(&v, "");
    ck_assert_int_eq(v.has_kind, 1);
    ck_assert_int_eq(v.kind, TR_KIND_ORGANIZATION);
    ck_assert_int_eq(v.logged, 1);
    ck_assert_uint_eq(v.leaf, 0);
    ck_assert_uint_eq(v.nproofs, 1);
    ck_assert_int_eq(v.proofs[0].by_operator, 1);
    ck_assert_int_eq(v.proofs[0].counts, 1);
    ck_assert_uint_eq(v.proofs[0].position, 0);
    tr_verify_verdict_release(&v);
    ck_assert_int_eq(tr_trust_org_get(db, uscc[SINO], log_size(), &org, NULL), TR_OK);
    ck_assert_str_eq(org.name, "中德智能制造学院");
    ck_assert_str_eq(org.org_kind, "university");
    ck_assert_uint_eq(org.leaf, 4);
    ck_assert_int_eq(tr_trust_org_may_issue(&org, TR_KIND_CREDIT), 1);
    ck_assert_int_eq(tr_trust_org_may_issue(&org, TR_KIND_EVALUATION), 0);
    tr_json_free(first);
}
END_TEST

START_TEST(examples_signed_by_their_issuers_count)
{
    static const struct {
        const char *file;
        size_t index;
        int signer, cosigner;
    } examples[] = {
        {EX "persons.yaml", 0, MINJIANG, -1},
        {EX "persons.yaml", 3, NINGDE, -1},
        {EX "persons.yaml", 5, SINO, -1},
        {EX "credits.yaml", 0, MINJIANG, -1},
        {EX "credits.yaml", 1, SINO, -1},
        {EX "evaluations.yaml", 0, BOARD, -1},
        {EX "dual-appointment.yaml", 0, MINJIANG, NINGDE},
        {EX "recognition-agreement.yaml", 0, MINJIANG, SINO},
        {EX "enterprise-placement.yaml", 0, NINGDE, -1},
        {EX "contribution.yaml", 0, MINJIANG, NINGDE},
        {EX "credit-recognition.yaml", 0, MINJIANG, -1},
        {EX "key-revocation.yaml", 0, FUZHOU_2, -1},
    };
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        struct tr_json *cred = record(examples[i].file, examples[i].index);
        sign(cred, examples[i].signer);
        if (examples[i].cosigner >= 0) {
            sign(cred, examples[i].cosigner);
        }
        ck_assert_uint_eq(store(cred), NORG + i);
    }
    ck_assert_uint_eq(log_size(), NORG + 12);
}
END_TEST

/* ---- Tampering ---- */

START_TEST(flipped_bit_in_signature_is_bad_signature)
{
    unsigned char sig[64];
    struct tr_json *cred = record(EX "persons.yaml", 0);
    sign(cred, MINJIANG);
    get_signature(cred, 0, sig);
    sig[4 * _i] ^= (unsigned char)(1u << (_i % 8)); /* R and S; check_proof.c flips all */
    set_signature(cred, 0, sig);
    struct tr_verdict v;
    judge(cred, &v);
    expect_codes(&v, "bad-signature");
    expect_detail(&v, 0, "proof 1: the signature does not verify");
    ck_assert_uint_eq(v.reasons[0].proof, 1);
    ck_assert_str_eq(v.proofs[0].signer, uscc[MINJIANG]);
    tr_verify_verdict_release(&v);
    tr_json_free(cred);
}
END_TEST

START_TEST(zero_random_and_non_canonical_signatures_are_bad)
{
    static const unsigned char L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                        0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                        0,    0,    0,    0,    0,    0,    0,    0,
                                        0,    0,    0,    0,    0,    0,    0,    0x10};
    unsigned char sig[64], zero[64] = {0}, random[64];
    struct tr_json *cred = record(EX "persons.yaml", 0);
    sign(cred, MINJIANG);
    get_signature(cred, 0, sig);
    set_signature(cred, 0, zero);
    expect_now(tr_json_clone(cred), "bad-signature");
    ck_assert_int_eq(tr_random(random, sizeof random), TR_OK);
    set_signature(cred, 0, random);
    expect_now(tr_json_clone(cred), "bad-signature");
    unsigned carry = 0; /* S + L: the same point equation, a non-canonical S */
    for (int i = 0; i < 32; i++) {
        unsigned v = sig[32 + i] + L[i] + carry;
        sig[32 + i] = (unsigned char)v;
        carry = v >> 8;
    }
    set_signature(cred, 0, sig);
    struct tr_submit_result r;
    uint64_t before = log_size();
    submit(cred, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_REJECTED);
    expect_codes(&r.verdict, "bad-signature");
    ck_assert_uint_eq(log_size(), before);
    tr_submit_result_release(&r);
    tr_json_free(cred);
}
END_TEST

START_TEST(changed_document_is_bad_signature)
{
    struct tr_json *cred = record(EX "credits.yaml", 0);
    sign(cred, MINJIANG);
    struct tr_json *cs = tr_json_object_get(cred, "credentialSubject");
    ck_assert_int_eq(tr_json_object_set(cs, "points", tr_json_new_number(20)), TR_OK);
    expect_now(cred, "bad-signature");
}
END_TEST

START_TEST(changed_proof_options_are_bad_signature)
{
    struct tr_json *cred = record(EX "credits.yaml", 0);
    sign(cred, MINJIANG);
    set_str(the_proof(cred, 0), "created", "2020-01-01T00:00:00Z");
    expect_now(cred, "bad-signature");
}
END_TEST

START_TEST(other_purpose_or_cryptosuite_is_refused)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    struct tr_json *cred = record(EX "credits.yaml", 0);
    seed_of(MINJIANG, seed);
    sign_with(cred, seed, CREATED, "authentication");
    struct tr_verdict v;
    judge(cred, &v);
    expect_codes(&v, "wrong-proof-purpose");
    expect_detail(&v, 0, "proof 1: proof purpose 'authentication' is not the one required");
    tr_verify_verdict_release(&v);
    tr_json_free(cred);

    cred = record(EX "credits.yaml", 0);
    sign(cred, MINJIANG);
    set_str(the_proof(cred, 0), "cryptosuite", "eddsa-rdfc-2022");
    judge(cred, &v);
    expect_codes(&v, "wrong-cryptosuite");
    expect_detail(&v, 0, "proof 1: cryptosuite 'eddsa-rdfc-2022' is not eddsa-jcs-2022");
    tr_verify_verdict_release(&v);
    tr_json_free(cred);
}
END_TEST

START_TEST(no_proof_and_bad_schema_do_not_count)
{
    struct tr_json *cred = record(EX "credits.yaml", 0);
    struct tr_verdict v;
    judge(cred, &v);
    expect_codes(&v, "no-proof");
    expect_detail(&v, 0, "the document has no proof");
    tr_verify_verdict_release(&v);
    sign(cred, MINJIANG);
    struct tr_json *cs = tr_json_object_get(cred, "credentialSubject");
    ck_assert_int_eq(tr_json_object_set(cs, "points", tr_json_new_number(101)), TR_OK);
    judge(cred, &v);
    expect_codes(&v, "schema-invalid,bad-signature");
    expect_detail(&v, 0,
                  "line 10 column 9: field 'credentialSubject.points' must be between 0 and 100");
    tr_verify_verdict_release(&v);
    struct tr_json *array = tr_json_new_array();
    judge(array, &v);
    expect_codes(&v, "schema-invalid");
    expect_detail(&v, 0, "a credential must be a JSON object, not array");
    ck_assert_str_eq(v.record_id, "");
    tr_verify_verdict_release(&v);
    tr_json_free(array);
    tr_json_free(cred);
}
END_TEST

/* ---- Keys and signers ---- */

START_TEST(unknown_key_does_not_count)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    struct tr_json *cred = record(EX "credits.yaml", 0);
    stranger_seed(seed);
    sign_with(cred, seed, CREATED, NULL);
    struct tr_verdict v;
    judge(cred, &v);
    expect_codes(&v, "unknown-key,issuer-mismatch");
    expect_detail(&v, 0, "proof 1: key %s is not a key of a registered organisation",
                  did_of_seed(seed));
    expect_detail(&v, 1, "the issuer %s has no valid proof", uscc[MINJIANG]);
    tr_verify_verdict_release(&v);
    tr_json_free(cred);
}
END_TEST

START_TEST(key_of_another_organisation_is_issuer_mismatch)
{
    struct tr_json *cred = record(EX "credits.yaml", 1); /* issued by the Sino-German institute */
    sign(cred, MINJIANG);
    struct tr_verdict v;
    judge(cred, &v);
    expect_codes(&v, "signer-not-permitted,issuer-mismatch");
    expect_detail(&v, 0, "proof 1: %s is neither a signer nor a co-signer of Credit records",
                  uscc[MINJIANG]);
    expect_detail(&v, 1, "the issuer %s has no valid proof", uscc[SINO]);
    tr_verify_verdict_release(&v);
    tr_json_free(cred);
}
END_TEST

START_TEST(operator_signing_a_credit_is_not_permitted)
{
    struct tr_json *cred = record(EX "credits.yaml", 0);
    sign(cred, MINJIANG);
    sign_with(cred, op_seed, CREATED, NULL);
    struct tr_verdict v;
    judge(cred, &v);
    expect_codes(&v, "signer-not-permitted");
    expect_detail(&v, 0,
                  "proof 2: the registry operator is neither a signer nor a co-signer of Credit "
                  "records");
    tr_verify_verdict_release(&v);
    tr_json_free(cred);
}
END_TEST

START_TEST(missing_cosigner_on_a_dual_appointment)
{
    struct tr_json *cred = record(EX "dual-appointment.yaml", 0);
    sign(cred, MINJIANG);
    struct tr_submit_result r;
    submit(cred, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_REJECTED);
    expect_codes(&r.verdict, "missing-cosigner");
    expect_detail(&r.verdict, 0, "the enterprise %s has no valid proof", uscc[NINGDE]);
    tr_submit_result_release(&r);
    ck_assert_uint_eq(log_size(), NORG);
    sign(cred, NINGDE);
    ck_assert_uint_eq(store(cred), NORG);
}
END_TEST

START_TEST(kind_not_permitted_is_refused)
{
    /* The evaluation board may issue Evaluation records only. */
    struct tr_json *cred = record_text("kind: Credit\nissuer: \"113500000035912489\"\n"
                                       "subject: p-li-na-1999\ncourse: Ethics\n"
                                       "framework: cn-credit\npoints: 2\nearnedOn: 2025-01-10\n");
    sign(cred, BOARD);
    struct tr_verdict v;
    judge(cred, &v);
    expect_codes(&v, "signer-not-permitted");
    expect_detail(&v, 0,
                  "%s may not issue Credit records: its Organization record at leaf 3 does not "
                  "permit them",
                  uscc[BOARD]);
    tr_verify_verdict_release(&v);
    tr_json_free(cred);
}
END_TEST

START_TEST(same_key_twice_counts_once)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    struct tr_json *cred = record(EX "credits.yaml", 0);
    seed_of(MINJIANG, seed);
    sign_with(cred, seed, "2025-06-01T08:00:00Z", NULL);
    sign_with(cred, seed, "2025-06-02T08:00:00Z", NULL);
    struct tr_verdict v;
    judge(cred, &v);
    expect_codes(&v, "");
    ck_assert_uint_eq(v.nproofs, 2);
    ck_assert_int_eq(v.proofs[0].counts, 1);
    ck_assert_int_eq(v.proofs[1].repeated, 1);
    ck_assert_int_eq(v.proofs[1].counts, 0);
    tr_verify_verdict_release(&v);
    struct tr_json *again = record(EX "credits.yaml", 0);
    sign_with(again, seed, "2025-06-03T08:00:00Z", NULL);
    uint64_t leaf = store(cred);
    /* A third proof by the same key adds no signature: nothing changes. */
    struct tr_submit_result r;
    submit(again, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_DUPLICATE);
    ck_assert_uint_eq(r.leaf, leaf);
    ck_assert_uint_eq(log_size(), leaf + 1);
    tr_submit_result_release(&r);
    tr_json_free(again);
}
END_TEST

/* ---- Key revocation and trusted time ---- */

START_TEST(key_revoked_before_the_record_is_refused)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    struct tr_json *rev = key_revocation("operator", FUZHOU, did_of(FUZHOU), NULL);
    sign_with(rev, op_seed, CREATED, NULL);
    uint64_t at = store(rev);
    ck_assert_uint_eq(at, NORG);
    struct tr_json *cred = placement("assembly line", "2025-01-01");
    sign(cred, FUZHOU);
    struct tr_verdict v;
    judge(cred, &v);
    expect_codes(&v, "key-revoked");
    expect_detail(&v, 0,
                  "proof 1: key %s of %s was revoked at leaf 5, before the proof's "
                  "position 6",
                  did_of(FUZHOU), uscc[FUZHOU]);
    tr_verify_verdict_release(&v);
    tr_json_free(cred);
    /* The organisation's other key still signs. */
    cred = placement("assembly line", "2025-01-01");
    seed_of(FUZHOU_2, seed);
    sign_with(cred, seed, CREATED, NULL);
    ck_assert_uint_eq(store(cred), NORG + 1);
}
END_TEST

START_TEST(self_dated_before_the_revocation_is_still_refused)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    struct tr_json *rev = key_revocation("operator", FUZHOU, did_of(FUZHOU), NULL);
    sign_with(rev, op_seed, CREATED, NULL);
    store(rev);
    /* Dated 2019 in the record and in its proof; logged after the revocation all the same. */
    struct tr_json *cred = placement("backdated", "2019-01-01");
    seed_of(FUZHOU, seed);
    sign_with(cred, seed, "2019-01-02T00:00:00Z", NULL);
    struct tr_submit_result r;
    submit(cred, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_REJECTED);
    expect_codes(&r.verdict, "key-revoked");
    tr_submit_result_release(&r);
    tr_json_free(cred);
}
END_TEST

START_TEST(records_before_a_revocation_stay_valid)
{
    struct tr_json *cred = placement("before", "2025-01-01");
    char id[TR_RECORD_ID_LEN + 1];
    record_id(cred, id);
    sign(cred, FUZHOU);
    uint64_t leaf = store(cred);
    struct tr_json *rev = key_revocation("operator", FUZHOU, did_of(FUZHOU), NULL);
    sign_with(rev, op_seed, CREATED, NULL);
    store(rev);
    struct tr_verdict v;
    judge_stored(id, log_size(), &v);
    expect_codes(&v, "");
    ck_assert_uint_eq(v.first_leaf, leaf);
    tr_verify_verdict_release(&v);
}
END_TEST

START_TEST(compromised_since_invalidates_later_records_only)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    char early[TR_RECORD_ID_LEN + 1], late[TR_RECORD_ID_LEN + 1];
    struct tr_json *a = placement("early", "2025-01-01");
    struct tr_json *b = placement("late", "2025-01-01");
    record_id(a, early);
    record_id(b, late);
    sign(a, FUZHOU);
    sign(b, FUZHOU);
    uint64_t la = store(a), lb = store(b);
    ck_assert_uint_eq(lb, la + 1);
    /* Fuzhou revokes the key itself, with its other key: compromised since the second record. */
    char since[24];
    snprintf(since, sizeof since, "%" PRIu64, lb);
    struct tr_json *rev = key_revocation(uscc[FUZHOU], FUZHOU, did_of(FUZHOU), since);
    seed_of(FUZHOU_2, seed);
    sign_with(rev, seed, CREATED, NULL);
    uint64_t at = store(rev);
    struct tr_verdict v;
    judge_stored(early, log_size(), &v);
    expect_codes(&v, "");
    tr_verify_verdict_release(&v);
    judge_stored(late, log_size(), &v);
    expect_codes(&v, "key-revoked");
    expect_detail(&v, 0,
                  "proof 1: key %s of %s is compromised since leaf %" PRIu64
                  " (revoked at leaf %" PRIu64 "), at or before the proof's position %" PRIu64,
                  did_of(FUZHOU), uscc[FUZHOU], lb, at, lb);
    tr_verify_verdict_release(&v);
    /* As the archive stood before the revocation, both counted. */
    judge_stored(late, at, &v);
    expect_codes(&v, "");
    tr_verify_verdict_release(&v);
}
END_TEST

START_TEST(key_cannot_sign_its_own_revocation)
{
    struct tr_json *rev = key_revocation(uscc[FUZHOU], FUZHOU, did_of(FUZHOU), NULL);
    sign(rev, FUZHOU);
    struct tr_verdict v;
    judge(rev, &v);
    expect_codes(&v, "self-revocation");
    expect_detail(&v, 0, "proof 1: key %s cannot sign its own revocation", did_of(FUZHOU));
    tr_verify_verdict_release(&v);
    tr_json_free(rev);
    /* Nor revoke a key that is not the organisation's. */
    rev = key_revocation(uscc[FUZHOU], FUZHOU, did_of(NINGDE), NULL);
    sign(rev, FUZHOU);
    judge(rev, &v);
    expect_codes(&v, "unknown-target");
    expect_detail(&v, 0, "key %s is not a key of %s", did_of(NINGDE), uscc[FUZHOU]);
    tr_verify_verdict_release(&v);
    tr_json_free(rev);
}
END_TEST

/* ---- Replays and co-signatures ---- */

START_TEST(replayed_record_counts_once)
{
    struct tr_json *cred = record(EX "persons.yaml", 1);
    sign(cred, MINJIANG);
    struct tr_json *copy = tr_json_clone(cred);
    char id[TR_RECORD_ID_LEN + 1];
    record_id(cred, id);
    uint64_t leaf = store(cred);
    struct tr_submit_result r;
    submit(copy, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_DUPLICATE);
    ck_assert_str_eq(r.record_id, id);
    ck_assert_uint_eq(r.leaf, leaf);
    expect_codes(&r.verdict, "");
    tr_submit_result_release(&r);
    ck_assert_uint_eq(log_size(), leaf + 1);
    struct tr_trust_record row;
    ck_assert_int_eq(tr_trust_record_get(db, id, &row, NULL), TR_OK);
    ck_assert_uint_eq(row.leaf, leaf);
    ck_assert_uint_eq(row.first_leaf, leaf);
    tr_json_free(copy);
}
END_TEST

/* r and want are the same result: status, leaf, proofs added and every field of the verdict. */
static void expect_same_result(const struct tr_submit_result *r,
                               const struct tr_submit_result *want)
{
    const struct tr_verdict *v = &r->verdict, *w = &want->verdict;
    ck_assert_int_eq(r->status, want->status);
    ck_assert_str_eq(r->record_id, want->record_id);
    ck_assert_uint_eq(r->leaf, want->leaf);
    ck_assert_uint_eq(r->added, want->added);
    ck_assert_int_eq(v->counts, w->counts);
    ck_assert_str_eq(v->record_id, w->record_id);
    ck_assert_int_eq(v->has_kind, w->has_kind);
    ck_assert_int_eq(v->kind, w->kind);
    ck_assert_int_eq(v->logged, w->logged);
    ck_assert_uint_eq(v->leaf, w->leaf);
    ck_assert_uint_eq(v->first_leaf, w->first_leaf);
    ck_assert_uint_eq(v->position, w->position);
    ck_assert_uint_eq(v->log_size, w->log_size);
    ck_assert_uint_eq(v->nproofs, w->nproofs);
    for (size_t i = 0; i < v->nproofs; i++) {
        const struct tr_verify_proof *p = &v->proofs[i], *q = &w->proofs[i];
        ck_assert_str_eq(p->verification_method, q->verification_method);
        ck_assert_int_eq(p->status, q->status);
        ck_assert_int_eq(p->has_key, q->has_key);
        ck_assert_mem_eq(p->pub, q->pub, sizeof p->pub);
        ck_assert_int_eq(p->by_operator, q->by_operator);
        ck_assert_str_eq(p->signer, q->signer);
        ck_assert_uint_eq(p->position, q->position);
        ck_assert_int_eq(p->counts, q->counts);
        ck_assert_int_eq(p->repeated, q->repeated);
    }
    ck_assert_uint_eq(v->nreasons, w->nreasons);
    for (size_t i = 0; i < v->nreasons; i++) {
        ck_assert_int_eq(v->reasons[i].reason, w->reasons[i].reason);
        ck_assert_uint_eq(v->reasons[i].proof, w->reasons[i].proof);
        ck_assert_str_eq(v->reasons[i].detail, w->reasons[i].detail);
    }
}

/*
 * Submit cred with its precheck, and expect the result tr_submit_credential gives: that one
 * is made first in a transaction that is then rolled back. Returns the status.
 */
static enum tr_submit_status submit_both_ways(const struct tr_json *cred)
{
    struct tr_error err = {0};
    struct tr_submit_result plain, r;
    struct tr_verify_precheck pre;
    tr_verify_precheck_init(&pre);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    ck_assert_msg(tr_submit_credential(db, cred, &plain, &err) == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_db_rollback(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    ck_assert_msg(tr_verify_precheck(cred, &pre, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_submit_prechecked(db, cred, &pre, &r, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_db_commit(db, &err) == TR_OK, "%s", err.msg);
    expect_same_result(&r, &plain);
    enum tr_submit_status status = r.status;
    tr_submit_result_release(&plain);
    tr_submit_result_release(&r);
    tr_verify_precheck_release(&pre);
    return status;
}

START_TEST(prechecked_submission_gives_the_plain_result)
{
    char id[TR_RECORD_ID_LEN + 1];
    struct tr_json *cosigned = NULL;
    struct tr_json *cred = contribution(id, &cosigned);
    /* The co-signature alone, without the first proof. */
    struct tr_json *second = record(EX "contribution.yaml", 0);
    sign(second, NINGDE);
    uint64_t before = log_size();
    ck_assert_int_eq(submit_both_ways(cred), TR_SUBMIT_STORED);
    ck_assert_int_eq(submit_both_ways(cred), TR_SUBMIT_DUPLICATE);
    ck_assert_int_eq(submit_both_ways(second), TR_SUBMIT_MERGED);
    ck_assert_int_eq(submit_both_ways(second), TR_SUBMIT_DUPLICATE);
    ck_assert_int_eq(submit_both_ways(cosigned), TR_SUBMIT_DUPLICATE);
    ck_assert_uint_eq(log_size(), before + 2);
    tr_json_free(second);
    tr_json_free(cosigned);
    tr_json_free(cred);
}
END_TEST

START_TEST(prechecked_cosignature_gives_the_plain_result)
{
    char id[TR_RECORD_ID_LEN + 1];
    struct tr_json *cosigned = NULL;
    struct tr_json *cred = contribution(id, &cosigned);
    /* The document with both proofs: the stored one comes in again beside the new one. */
    uint64_t before = log_size();
    ck_assert_int_eq(submit_both_ways(cred), TR_SUBMIT_STORED);
    ck_assert_int_eq(submit_both_ways(cosigned), TR_SUBMIT_MERGED);
    ck_assert_int_eq(submit_both_ways(cosigned), TR_SUBMIT_DUPLICATE);
    ck_assert_uint_eq(log_size(), before + 2);
    tr_json_free(cosigned);
    tr_json_free(cred);
}
END_TEST

START_TEST(cosignature_is_merged_into_a_new_leaf)
{
    char id[TR_RECORD_ID_LEN + 1];
    struct tr_json *cosigned = NULL;
    struct tr_json *cred = contribution(id, &cosigned);
    struct tr_json *forged = tr_json_clone(cosigned);
    uint64_t first = store(tr_json_clone(cred));
    /* A forged co-signature is refused and changes nothing. */
    unsigned char sig[64];
    get_signature(forged, 1, sig);
    sig[0] ^= 1;
    set_signature(forged, 1, sig);
    struct tr_submit_result r;
    submit(forged, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_REJECTED);
    expect_codes(&r.verdict, "bad-signature");
    tr_submit_result_release(&r);
    ck_assert_uint_eq(log_size(), first + 1);
    /* The real one is merged. */
    submit(cosigned, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_MERGED);
    ck_assert_uint_eq(r.leaf, first + 1);
    ck_assert_uint_eq(r.added, 1);
    tr_submit_result_release(&r);
    struct tr_verdict v;
    judge_stored(id, log_size(), &v);
    expect_codes(&v, "");
    ck_assert_uint_eq(v.first_leaf, first);
    ck_assert_uint_eq(v.leaf, first + 1);
    ck_assert_uint_eq(v.nproofs, 2);
    ck_assert_uint_eq(v.proofs[0].position, first);
    ck_assert_uint_eq(v.proofs[1].position, first + 1);
    tr_verify_verdict_release(&v);
    /* As the archive stood before the merge, the record had one proof. */
    judge_stored(id, first + 1, &v);
    expect_codes(&v, "");
    ck_assert_uint_eq(v.nproofs, 1);
    tr_verify_verdict_release(&v);
    /* Again: nothing new. */
    submit(cosigned, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_DUPLICATE);
    ck_assert_uint_eq(r.leaf, first + 1);
    tr_submit_result_release(&r);
    submit(cred, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_DUPLICATE);
    tr_submit_result_release(&r);
    ck_assert_uint_eq(log_size(), first + 2);
    struct tr_trust_record row;
    ck_assert_int_eq(tr_trust_record_get(db, id, &row, NULL), TR_OK);
    ck_assert_uint_eq(row.first_leaf, first);
    ck_assert_uint_eq(row.leaf, first + 1);
    tr_json_free(forged);
    tr_json_free(cosigned);
    tr_json_free(cred);
}
END_TEST

START_TEST(cosignature_by_a_key_revoked_since_is_refused)
{
    char id[TR_RECORD_ID_LEN + 1];
    struct tr_json *cosigned = NULL;
    uint64_t first = store(contribution(id, &cosigned));
    struct tr_json *rev = key_revocation("operator", NINGDE, did_of(NINGDE), NULL);
    sign_with(rev, op_seed, CREATED, NULL);
    store(rev);
    struct tr_submit_result r;
    submit(cosigned, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_REJECTED);
    expect_codes(&r.verdict, "key-revoked");
    ck_assert_uint_eq(r.verdict.reasons[0].proof, 2);
    tr_submit_result_release(&r);
    /* The record as stored still counts: its proof was logged before the revocation. */
    struct tr_verdict v;
    judge_stored(id, log_size(), &v);
    expect_codes(&v, "");
    ck_assert_uint_eq(v.first_leaf, first);
    tr_verify_verdict_release(&v);
    tr_json_free(cosigned);
}
END_TEST

/* ---- Revocations of records ---- */

START_TEST(superseded_and_withdrawn_records_do_not_count)
{
    char good[TR_RECORD_ID_LEN + 1], wrong[TR_RECORD_ID_LEN + 1], own[TR_RECORD_ID_LEN + 1];
    struct tr_json *c1 = record(EX "credits.yaml", 0);
    struct tr_json *c2 = record(EX "credits.yaml", 1);
    struct tr_json *c3 = record(EX "credits.yaml", 2);
    record_id(c1, own);
    record_id(c2, good);
    record_id(c3, wrong);
    sign(c1, MINJIANG);
    sign(c2, SINO);
    sign(c3, SINO);
    store(c1);
    store(c2);
    store(c3);
    /* docs/examples/revocation.yaml names the ids these records have. */
    struct tr_json *rev = record(EX "revocation.yaml", 0);
    ck_assert_str_eq(
        tr_json_string(tr_json_object_get(tr_json_object_get(rev, "credentialSubject"), "id")) +
            strlen(TR_URN_RECORD),
        wrong);
    sign(rev, SINO);
    char rid[TR_RECORD_ID_LEN + 1];
    record_id(rev, rid);
    uint64_t at = store(rev);
    struct tr_verdict v;
    judge_stored(wrong, log_size(), &v);
    expect_codes(&v, "superseded");
    expect_detail(&v, 0, "superseded by record %s (Revocation %s at leaf %" PRIu64 ")", good, rid,
                  at);
    tr_verify_verdict_release(&v);
    judge_stored(wrong, at, &v); /* before the revocation */
    expect_codes(&v, "");
    tr_verify_verdict_release(&v);
    judge_stored(good, log_size(), &v);
    expect_codes(&v, "");
    tr_verify_verdict_release(&v);
    /* The operator withdraws Minjiang's credit. */
    struct tr_json *w = revocation("operator", own, "withdraw", NULL);
    sign_with(w, op_seed, CREATED, NULL);
    record_id(w, rid);
    at = store(w);
    judge_stored(own, log_size(), &v);
    expect_codes(&v, "revoked");
    expect_detail(&v, 0, "withdrawn by Revocation %s at leaf %" PRIu64, rid, at);
    tr_verify_verdict_release(&v);
}
END_TEST

START_TEST(revocation_by_another_organisation_is_refused)
{
    char id[TR_RECORD_ID_LEN + 1];
    struct tr_json *c1 = record(EX "credits.yaml", 0);
    record_id(c1, id);
    sign(c1, MINJIANG);
    store(c1);
    struct tr_json *rev = revocation(uscc[SINO], id, "withdraw", NULL);
    sign(rev, SINO);
    struct tr_submit_result r;
    submit(rev, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_REJECTED);
    expect_codes(&r.verdict, "revocation-not-permitted");
    expect_detail(&r.verdict, 0,
                  "%s did not issue record %s (its issuer is %s); only the issuer or the "
                  "registry operator may revoke it",
                  uscc[SINO], id, uscc[MINJIANG]);
    tr_submit_result_release(&r);
    struct tr_verdict v;
    judge_stored(id, log_size(), &v);
    expect_codes(&v, "");
    tr_verify_verdict_release(&v);
    tr_json_free(rev);
}
END_TEST

START_TEST(revocations_must_name_what_they_may_revoke)
{
    char org[TR_RECORD_ID_LEN + 1], credit[TR_RECORD_ID_LEN + 1];
    struct tr_json *first = record(EX "organizations.yaml", 0);
    record_id(first, org);
    tr_json_free(first);
    /* An Organization record is not revoked: keys end by KeyRevocation. */
    struct tr_json *rev = revocation("operator", org, "withdraw", NULL);
    sign_with(rev, op_seed, CREATED, NULL);
    expect_now(rev, "not-revocable");
    /* A record that is not in the log. */
    rev = revocation(uscc[MINJIANG],
                     "0000000000000000000000000000000000000000000000000000000000000000", "withdraw",
                     NULL);
    sign(rev, MINJIANG);
    expect_now(rev, "unknown-target");
    struct tr_json *c1 = record(EX "credits.yaml", 0);
    record_id(c1, credit);
    sign(c1, MINJIANG);
    store(c1);
    /* Superseding needs a replacement of the same kind, which is not the record itself. */
    rev = revocation(uscc[MINJIANG], credit, "supersede", NULL);
    sign(rev, MINJIANG);
    expect_now(rev, "invalid-revocation");
    rev = revocation(uscc[MINJIANG], credit, "supersede", credit);
    sign(rev, MINJIANG);
    expect_now(rev, "invalid-revocation");
    rev = revocation("operator", credit, "supersede", org);
    sign_with(rev, op_seed, CREATED, NULL);
    struct tr_verdict v;
    judge(rev, &v);
    expect_codes(&v, "invalid-revocation");
    expect_detail(&v, 0, "replacement record %s is of kind Organization, not Credit", org);
    tr_verify_verdict_release(&v);
    tr_json_free(rev);
}
END_TEST

/* ---- Organisations ---- */

START_TEST(organisation_updates_keep_their_keys_and_change_permissions)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    static const char *const credit =
        "kind: Credit\nissuer: 91350100MA31XR6T22\nsubject: p-li-na-1999\ncourse: Welding\n"
        "framework: cn-credit\npoints: 1\nearnedOn: 2025-03-01\n";
    char yaml[1024];
    const char *base = "kind: Organization\nissuer: operator\nsubject: 91350100MA31XR6T22\n"
                       "name: 福州智能装备有限公司\norganizationType: enterprise\n";
    /* Dropping a key that is not revoked, or taking another's, or the operator's: refused. */
    snprintf(yaml, sizeof yaml, "%skeys: [%s]\nmayIssue: [Credit]\n", base, did_of(FUZHOU));
    struct tr_json *org = record_text(yaml);
    sign_with(org, op_seed, CREATED, NULL);
    struct tr_verdict v;
    judge(org, &v);
    expect_codes(&v, "key-conflict");
    expect_detail(&v, 0,
                  "key %s of %s is not revoked and must stay listed (a KeyRevocation ends a key)",
                  did_of(FUZHOU_2), uscc[FUZHOU]);
    tr_verify_verdict_release(&v);
    tr_json_free(org);
    snprintf(yaml, sizeof yaml, "%skeys: [%s, %s, %s, %s]\nmayIssue: [Credit]\n", base,
             did_of(FUZHOU), did_of(FUZHOU_2), did_of(MINJIANG), did_of_seed(op_seed));
    org = record_text(yaml);
    sign_with(org, op_seed, CREATED, NULL);
    judge(org, &v);
    expect_codes(&v, "key-conflict,key-conflict");
    expect_detail(&v, 0, "key %s is a key of %s", did_of(MINJIANG), uscc[MINJIANG]);
    expect_detail(&v, 1, "key %s is the operator key", did_of_seed(op_seed));
    tr_verify_verdict_release(&v);
    tr_json_free(org);
    /* A proper update: both keys and a new one, and Credit permitted from now on. */
    struct tr_json *c = record_text(credit);
    sign(c, FUZHOU);
    char cid[TR_RECORD_ID_LEN + 1];
    record_id(c, cid);
    expect_now(tr_json_clone(c), "signer-not-permitted");
    stranger_seed(seed);
    snprintf(
        yaml, sizeof yaml,
        "%skeys: [%s, %s, %s]\nmayIssue: [Person, EnterprisePlacement, Contribution, Credit]\n",
        base, did_of(FUZHOU), did_of(FUZHOU_2), did_of_seed(seed));
    org = record_text(yaml);
    sign_with(org, op_seed, CREATED, NULL);
    uint64_t at = store(org);
    uint64_t leaf = store(c);
    judge_stored(cid, log_size(), &v);
    expect_codes(&v, "");
    tr_verify_verdict_release(&v);
    struct tr_trust_org now;
    ck_assert_int_eq(tr_trust_org_get(db, uscc[FUZHOU], log_size(), &now, NULL), TR_OK);
    ck_assert_uint_eq(now.leaf, at);
    ck_assert_uint_eq(now.first_leaf, 2);
    ck_assert_int_eq(tr_trust_org_may_issue(&now, TR_KIND_EVALUATION), 0);
    ck_assert_int_eq(tr_trust_org_may_issue(&now, TR_KIND_CREDIT), 1);
    ck_assert_int_eq(tr_trust_org_get(db, uscc[FUZHOU], at, &now, NULL), TR_OK);
    ck_assert_int_eq(tr_trust_org_may_issue(&now, TR_KIND_CREDIT), 0);
    ck_assert_uint_eq(leaf, at + 1);
    /* The new key signs from its registration on. */
    struct tr_json *p = placement("new key", "2025-01-01");
    sign_with(p, seed, CREATED, NULL);
    store(p);
}
END_TEST

START_TEST(organization_not_signed_by_the_operator_does_not_count)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "kind: Organization\nissuer: operator\nsubject: 91350100MA31XR6T22\nname: x\n"
             "organizationType: enterprise\nkeys: [%s, %s]\nmayIssue: [Evaluation]\n",
             did_of(FUZHOU), did_of(FUZHOU_2));
    struct tr_json *org = record_text(yaml);
    sign(org, FUZHOU);
    struct tr_verdict v;
    judge(org, &v);
    expect_codes(&v, "signer-not-permitted,issuer-mismatch");
    expect_detail(&v, 1, "the issuer, the registry operator, has no valid proof");
    tr_verify_verdict_release(&v);
    tr_json_free(org);
}
END_TEST

/* ---- The index is derived from the log ---- */

/* Every row of the trust tables of db, in a fixed order, as text. */
static char *dump_index(struct tr_db *from)
{
    static const char *const queries[] = {
        "SELECT group_concat(quote(id) || kind || issuer || quote(subject) || leaf || ' ' || "
        "first_leaf, ';') FROM (SELECT * FROM record ORDER BY id)",
        "SELECT group_concat(record_id || uscc || leaf || name || org_kind || permitted, ';') "
        "FROM (SELECT * FROM trust_org_version ORDER BY record_id)",
        "SELECT group_concat(uscc || record_id || leaf || ' ' || first_leaf || name || org_kind "
        "|| permitted, ';') FROM (SELECT * FROM trust_org ORDER BY uscc)",
        "SELECT group_concat(hex(pub) || uscc || org_record || registered_leaf || ' ' || "
        "quote(revoked_leaf) || quote(revocation_record) || quote(compromised_since), ';') "
        "FROM (SELECT * FROM trust_key ORDER BY pub)",
        "SELECT group_concat(record_id || hex(pub) || leaf || quote(compromised_since), ';') "
        "FROM (SELECT * FROM trust_key_revocation ORDER BY record_id)",
        "SELECT group_concat(record_id || target || leaf || action || quote(replacement), ';') "
        "FROM (SELECT * FROM trust_revocation ORDER BY record_id)",
    };
    struct tr_buf out;
    tr_buf_init(&out);
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        struct tr_db_stmt *st = NULL;
        int row = 0;
        ck_assert_int_eq(tr_db_prepare(from, queries[i], &st, NULL), TR_OK);
        ck_assert_int_eq(tr_db_step(st, &row, NULL), TR_OK);
        tr_buf_addf(&out, "%s\n", tr_db_column_text(st, 0, NULL));
        ck_assert_int_eq(tr_db_finalize(st, TR_OK, NULL), TR_OK);
    }
    return tr_buf_detach(&out, NULL);
}

START_TEST(index_rebuilt_from_the_log_is_the_same)
{
    char credit[TR_RECORD_ID_LEN + 1], id[TR_RECORD_ID_LEN + 1];
    struct tr_json *cosigned = NULL;
    store(contribution(id, &cosigned));
    struct tr_submit_result r;
    submit(cosigned, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_MERGED);
    tr_submit_result_release(&r);
    tr_json_free(cosigned);
    struct tr_json *rev = key_revocation(uscc[FUZHOU], FUZHOU, did_of(FUZHOU), "3");
    sign(rev, FUZHOU_2);
    store(rev);
    struct tr_json *c = record(EX "credits.yaml", 0);
    record_id(c, credit);
    sign(c, MINJIANG);
    store(c);
    struct tr_json *w = revocation(uscc[MINJIANG], credit, "withdraw", NULL);
    sign(w, MINJIANG);
    store(w);

    /* A fresh store indexes every leaf's body, in log order. */
    char other[160];
    struct tr_db *copy = NULL;
    struct tr_error err = {0};
    snprintf(other, sizeof other, "%s/rebuilt.db", dir);
    ck_assert_int_eq(tr_db_create(other, "talentreg.example/test", &copy, NULL), TR_OK);
    ck_assert_int_eq(tr_db_begin(copy, NULL), TR_OK);
    for (uint64_t leaf = 0; leaf < log_size(); leaf++) {
        struct tr_log_entry e;
        struct tr_buf body;
        struct tr_json *cred = NULL;
        tr_buf_init(&body);
        ck_assert_int_eq(tr_log_entry(db, leaf, &e, &body, NULL), TR_OK);
        ck_assert_int_eq(tr_json_parse(body.data, body.len, "body", NULL, &cred, NULL), TR_OK);
        ck_assert_msg(tr_trust_index(copy, cred, e.record_id, leaf, &err) == TR_OK, "%s", err.msg);
        tr_json_free(cred);
        tr_buf_release(&body);
    }
    ck_assert_int_eq(tr_db_commit(copy, NULL), TR_OK);
    char *want = dump_index(db), *got = dump_index(copy);
    ck_assert_str_eq(got, want);
    ck_assert_ptr_nonnull(strstr(want, "revoke"));
    free(want);
    free(got);
    ck_assert_int_eq(tr_db_close(copy, NULL), TR_OK);
    remove_store(other);
}
END_TEST

/* ---- Stored records ---- */

/* Store a Person record and set its body to body_sql (an SQL expression); its id and leaf. */
static uint64_t store_and_change_body(char id[TR_RECORD_ID_LEN + 1], const char *body_sql)
{
    char sql[160];
    struct tr_json *cred = record(EX "persons.yaml", 2);
    record_id(cred, id);
    sign(cred, MINJIANG);
    uint64_t leaf = store(cred);
    snprintf(sql, sizeof sql, "UPDATE log_entry SET body = %s WHERE leaf = %" PRIu64, body_sql,
             leaf);
    ck_assert_int_eq(tr_db_exec(db, sql, NULL), TR_OK);
    return leaf;
}

START_TEST(erased_body_does_not_count)
{
    char id[TR_RECORD_ID_LEN + 1];
    uint64_t leaf = store_and_change_body(id, "NULL");
    struct tr_verdict v;
    judge_stored(id, log_size(), &v);
    expect_codes(&v, "erased");
    expect_detail(&v, 0, "the body of leaf %" PRIu64 " has been erased", leaf);
    tr_verify_verdict_release(&v);
}
END_TEST

START_TEST(tampered_body_is_an_error_not_a_verdict)
{
    char id[TR_RECORD_ID_LEN + 1];
    uint64_t leaf = store_and_change_body(id, "CAST('{}' AS BLOB)");
    struct tr_verdict v;
    struct tr_error err = {0};
    tr_verify_verdict_init(&v);
    ck_assert_int_eq(tr_verify_record(db, id, log_size(), &v, &err), TR_EVERIFY);
    test_msg(&err, "leaf %" PRIu64 ": body does not match its leaf hash", leaf);
    ck_assert_uint_eq(v.nreasons, 0);
}
END_TEST

START_TEST(record_lookups_refuse_what_is_not_there)
{
    struct tr_verdict v;
    struct tr_error err = {0};
    const char *zero = "0000000000000000000000000000000000000000000000000000000000000000";
    tr_verify_verdict_init(&v);
    ck_assert_int_eq(tr_verify_record(db, zero, log_size(), &v, &err), TR_ENOTFOUND);
    test_msg(&err, "record '%s' is not in the log of size 5", zero);
    ck_assert_int_eq(tr_verify_record(db, "ABC", log_size(), &v, &err), TR_EINVAL);
    test_msg(&err, "record id 'ABC' is not 64 lowercase hex digits");
    ck_assert_int_eq(tr_verify_record(db, zero, 6, &v, &err), TR_EINVAL);
    test_msg(&err, "log size 6 is larger than the log (5 leaves)");
    struct tr_json *org = record(EX "organizations.yaml", 4);
    char id[TR_RECORD_ID_LEN + 1];
    record_id(org, id);
    ck_assert_int_eq(tr_verify_record(db, id, 4, &v, &err), TR_ENOTFOUND);
    /* As of position 0 nobody is registered: the operator's signature is all it needs. */
    sign_with(org, op_seed, CREATED, NULL);
    ck_assert_int_eq(tr_verify_credential(db, org, 0, &v, &err), TR_OK);
    expect_codes(&v, "");
    tr_verify_verdict_release(&v);
    tr_json_free(org);
    struct tr_json *cred = record(EX "persons.yaml", 0);
    sign(cred, MINJIANG);
    ck_assert_int_eq(tr_verify_credential(db, cred, 0, &v, &err), TR_OK);
    expect_codes(&v, "unknown-key,issuer-mismatch");
    expect_detail(&v, 1, "the issuer %s has no valid proof (it is not a registered organisation)",
                  uscc[MINJIANG]);
    tr_verify_verdict_release(&v);
    tr_json_free(cred);
}
END_TEST

START_TEST(submit_needs_a_transaction)
{
    struct tr_submit_result r;
    struct tr_error err = {0};
    struct tr_json *cred = record(EX "persons.yaml", 0);
    ck_assert_int_eq(tr_submit_credential(db, cred, &r, &err), TR_EINVAL);
    test_msg(&err, "submitting a record needs a transaction");
    tr_json_free(cred);
}
END_TEST

START_TEST(reason_codes_are_stable)
{
    static const char *const codes[TR_VERIFY_REASON_COUNT] = {"schema-invalid",
                                                              "no-proof",
                                                              "malformed-proof",
                                                              "wrong-proof-type",
                                                              "wrong-cryptosuite",
                                                              "wrong-proof-purpose",
                                                              "context-mismatch",
                                                              "bad-signature",
                                                              "unknown-key",
                                                              "key-revoked",
                                                              "self-revocation",
                                                              "issuer-mismatch",
                                                              "missing-cosigner",
                                                              "signer-not-permitted",
                                                              "key-conflict",
                                                              "unknown-target",
                                                              "not-revocable",
                                                              "invalid-revocation",
                                                              "revocation-not-permitted",
                                                              "revoked",
                                                              "superseded",
                                                              "erased"};
    for (int i = 0; i < TR_VERIFY_REASON_COUNT; i++) {
        enum tr_verify_reason r;
        ck_assert_str_eq(tr_verify_reason_code((enum tr_verify_reason)i), codes[i]);
        ck_assert_int_eq(tr_verify_reason_from_code(codes[i], &r), TR_OK);
        ck_assert_int_eq(r, i);
    }
    enum tr_verify_reason r;
    ck_assert_str_eq(tr_verify_reason_code(TR_VERIFY_REASON_COUNT), "unknown");
    ck_assert_int_eq(tr_verify_reason_from_code("ok", &r), TR_ENOTFOUND);
}
END_TEST

Suite *verify_suite(void)
{
    Suite *s = suite_create("verify");
    TCase *tc = tcase_create("verify");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, organisations_registered_by_the_operator_count);
    tcase_add_test(tc, examples_signed_by_their_issuers_count);
    tcase_add_loop_test(tc, flipped_bit_in_signature_is_bad_signature, 0, 16);
    tcase_add_test(tc, zero_random_and_non_canonical_signatures_are_bad);
    tcase_add_test(tc, changed_document_is_bad_signature);
    tcase_add_test(tc, changed_proof_options_are_bad_signature);
    tcase_add_test(tc, other_purpose_or_cryptosuite_is_refused);
    tcase_add_test(tc, no_proof_and_bad_schema_do_not_count);
    tcase_add_test(tc, unknown_key_does_not_count);
    tcase_add_test(tc, key_of_another_organisation_is_issuer_mismatch);
    tcase_add_test(tc, operator_signing_a_credit_is_not_permitted);
    tcase_add_test(tc, missing_cosigner_on_a_dual_appointment);
    tcase_add_test(tc, kind_not_permitted_is_refused);
    tcase_add_test(tc, same_key_twice_counts_once);
    tcase_add_test(tc, key_revoked_before_the_record_is_refused);
    tcase_add_test(tc, self_dated_before_the_revocation_is_still_refused);
    tcase_add_test(tc, records_before_a_revocation_stay_valid);
    tcase_add_test(tc, compromised_since_invalidates_later_records_only);
    tcase_add_test(tc, key_cannot_sign_its_own_revocation);
    tcase_add_test(tc, replayed_record_counts_once);
    tcase_add_test(tc, cosignature_is_merged_into_a_new_leaf);
    tcase_add_test(tc, prechecked_submission_gives_the_plain_result);
    tcase_add_test(tc, prechecked_cosignature_gives_the_plain_result);
    tcase_add_test(tc, cosignature_by_a_key_revoked_since_is_refused);
    tcase_add_test(tc, superseded_and_withdrawn_records_do_not_count);
    tcase_add_test(tc, revocation_by_another_organisation_is_refused);
    tcase_add_test(tc, revocations_must_name_what_they_may_revoke);
    tcase_add_test(tc, organisation_updates_keep_their_keys_and_change_permissions);
    tcase_add_test(tc, organization_not_signed_by_the_operator_does_not_count);
    tcase_add_test(tc, index_rebuilt_from_the_log_is_the_same);
    tcase_add_test(tc, erased_body_does_not_count);
    tcase_add_test(tc, tampered_body_is_an_error_not_a_verdict);
    tcase_add_test(tc, record_lookups_refuse_what_is_not_there);
    tcase_add_test(tc, submit_needs_a_transaction);
    tcase_add_test(tc, reason_codes_are_stable);
    suite_add_tcase(s, tc);
    return s;
}
