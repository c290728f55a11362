/*
 * bundle.c — offline bundles: one record with the Organization records of its keys, their
 * inclusion proofs and the checkpoint they lead to (docs/bundle.md); written from a store
 * and verified with nothing but the operator's key.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg/bundle.h"
#include "talentreg/diag.h"
#include "talentreg/ident.h"
#include "talentreg/jcs.h"
#include "talentreg/key.h"
#include "talentreg/proof.h"
#include "talentreg/trust.h"
#include "talentreg/verify.h"

#define HASH_LEN TR_MERKLE_HASH_LEN
/* Keys one Organization record lists at most (schemas/Organization.yaml). */
#define ORG_KEYS_MAX 16

static const char *const reason_codes[] = {
    "ok",
    "bundle-malformed",
    "checkpoint-signature",
    "inclusion-proof",
    "schema-invalid",
    "proof-invalid",
    "unknown-key",
    "key-conflict",
    "organization-invalid",
    "organization-later",
    "organization-unused",
    "issuer-mismatch",
    "missing-cosigner",
    "signer-not-permitted",
    "checkpoint-rollback",
    "checkpoint-fork",
    "checkpoint-inconsistent",
};

const char *tr_bundle_reason_code(enum tr_bundle_reason reason)
{
    if ((unsigned)reason >= sizeof reason_codes / sizeof reason_codes[0]) {
        return "unknown";
    }
    return reason_codes[reason];
}

/* ---- Reading a bundle ---- */

/* One credential of a bundle with its place in the log. */
struct leaf_item {
    const struct tr_json *credential;
    uint64_t leaf;
    size_t proof_len;
    unsigned char proof[TR_MERKLE_MAX_PROOF][HASH_LEN];
};

/* An Organization record of the bundle, once read. */
struct org_item {
    struct leaf_item at;
    char name[40]; /* "organization N" for messages */
    char uscc[TR_USCC_LEN + 1];
    size_t nkeys;
    unsigned char keys[ORG_KEYS_MAX][TR_ED25519_PUBLIC_LEN];
    const struct tr_json *may_issue;
    int used;
};

struct verify {
    const struct tr_note_verifier *vkey;
    struct tr_bundle_result *out;
    struct tr_error *err;
    int operator_only; /* the resolver accepts the operator's key and no other */
    struct org_item orgs[TR_BUNDLE_MAX_ORGS];
    size_t norgs;
};

static int fail(struct verify *v, enum tr_bundle_reason reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct verify *v, enum tr_bundle_reason reason, const char *fmt, ...)
{
    char msg[TR_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    v->out->reason = reason;
    return tr_error_set(v->err, TR_EVERIFY, "%s", msg);
}

/* 1 when obj is an object whose members are all among names[0..n). */
static int members_among(const struct tr_json *obj, const char *const *names, size_t n,
                         const char **unknown)
{
    for (size_t i = 0; i < obj->u.object.len; i++) {
        const char *key = obj->u.object.members[i].key;
        size_t j = 0;
        while (j < n && strcmp(key, names[j]) != 0) {
            j++;
        }
        if (j == n) {
            *unknown = key;
            return 0;
        }
    }
    return 1;
}

/*
 * *out = the JSON number n as an unsigned 64-bit integer, read from its literal when it was
 * parsed (so every digit counts), else from its value. -1 when it is not a plain decimal
 * integer below 2^64.
 */
static int json_u64(const struct tr_json *n, uint64_t *out)
{
    if (!tr_json_is(n, TR_JSON_NUMBER)) {
        return -1;
    }
    const char *text = n->u.number.text;
    if (text == NULL) {
        double d = n->u.number.value;
        if (d < 0 || d > 9007199254740992.0 || d != (double)(uint64_t)d) {
            return -1;
        }
        *out = (uint64_t)d;
        return 0;
    }
    size_t len = strlen(text);
    if (len == 0 || len > 20 || strspn(text, "0123456789") != len || (text[0] == '0' && len > 1)) {
        return -1;
    }
    errno = 0;
    unsigned long long v = strtoull(text, NULL, 10);
    if (errno != 0) {
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

/* out = the hash written as 64 lowercase hex digits in s; -1 when it is not one. */
static int hex_hash(const char *s, unsigned char out[HASH_LEN])
{
    if (s == NULL || strlen(s) != 2 * HASH_LEN || strspn(s, "0123456789abcdef") != 2 * HASH_LEN) {
        return -1;
    }
    for (size_t i = 0; i < HASH_LEN; i++) {
        unsigned hi = (unsigned)(s[2 * i] <= '9' ? s[2 * i] - '0' : s[2 * i] - 'a' + 10);
        unsigned lo =
            (unsigned)(s[2 * i + 1] <= '9' ? s[2 * i + 1] - '0' : s[2 * i + 1] - 'a' + 10);
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

/* Read a proof: an array of at most TR_MERKLE_MAX_PROOF hex hashes. */
static int read_proof(struct verify *v, const char *what, const struct tr_json *arr,
                      unsigned char proof[][HASH_LEN], size_t *len)
{
    if (!tr_json_is(arr, TR_JSON_ARRAY) || arr->u.array.len > TR_MERKLE_MAX_PROOF) {
        return fail(v, TR_BUNDLE_MALFORMED, "%s must be an array of at most %d hashes", what,
                    TR_MERKLE_MAX_PROOF);
    }
    for (size_t i = 0; i < arr->u.array.len; i++) {
        if (hex_hash(tr_json_string(arr->u.array.items[i]), proof[i]) != 0) {
            return fail(v, TR_BUNDLE_MALFORMED, "%s[%zu] is not 64 lowercase hex digits", what, i);
        }
    }
    *len = arr->u.array.len;
    return TR_OK;
}

/* Read {"leaf_index", "inclusion_proof", "credential"} into it; what names it. */
static int read_leaf(struct verify *v, const char *what, const struct tr_json *obj,
                     struct leaf_item *it)
{
    static const char *const names[] = {"leaf_index", "inclusion_proof", "credential"};
    const char *unknown = NULL;
    char field[64];
    if (!tr_json_is(obj, TR_JSON_OBJECT)) {
        return fail(v, TR_BUNDLE_MALFORMED, "%s must be an object", what);
    }
    if (!members_among(obj, names, 3, &unknown)) {
        return fail(v, TR_BUNDLE_MALFORMED, "%s has an unknown member '%.64s'", what, unknown);
    }
    if (json_u64(tr_json_object_get(obj, "leaf_index"), &it->leaf) != 0) {
        return fail(v, TR_BUNDLE_MALFORMED, "%s.leaf_index must be a leaf index", what);
    }
    it->credential = tr_json_object_get(obj, "credential");
    if (!tr_json_is(it->credential, TR_JSON_OBJECT)) {
        return fail(v, TR_BUNDLE_MALFORMED, "%s.credential must be an object", what);
    }
    snprintf(field, sizeof field, "%s.inclusion_proof", what);
    return read_proof(v, field, tr_json_object_get(obj, "inclusion_proof"), it->proof,
                      &it->proof_len);
}

/* The leaf of it must be proved in the checkpoint's tree. */
static int check_inclusion(struct verify *v, const char *what, const struct leaf_item *it)
{
    struct tr_buf jcs;
    struct tr_error e = {0};
    unsigned char leaf_hash[HASH_LEN];
    tr_buf_init(&jcs);
    int rc = tr_jcs_serialize(it->credential, &jcs, v->err);
    if (rc == TR_OK && tr_merkle_leaf_hash(jcs.data, jcs.len, leaf_hash) != TR_OK) {
        rc = tr_error_set(v->err, TR_ECRYPTO, "sha-256 failed");
    }
    if (rc == TR_OK) {
        const struct tr_note_checkpoint *cp = &v->out->checkpoint;
        rc = tr_merkle_verify_inclusion(it->leaf, cp->size, leaf_hash, it->proof, it->proof_len,
                                        cp->root, &e);
        if (rc == TR_EVERIFY) {
            rc = fail(v, TR_BUNDLE_INCLUSION,
                      "%s: leaf %" PRIu64 " is not in the tree of size %" PRIu64 ": %s", what,
                      it->leaf, cp->size, e.msg);
        } else if (rc != TR_OK) {
            rc = tr_error_set(v->err, rc, "%s", e.msg);
        }
    }
    tr_buf_release(&jcs);
    return rc;
}

/* ---- Keys and signers ---- */

static int is_operator_key(const struct verify *v, const unsigned char pub[TR_ED25519_PUBLIC_LEN])
{
    return memcmp(pub, v->vkey->public_key, TR_ED25519_PUBLIC_LEN) == 0;
}

/* 1 when Organization record o lists pub. */
static int lists_key(const struct org_item *o, const unsigned char pub[TR_ED25519_PUBLIC_LEN])
{
    for (size_t k = 0; k < o->nkeys; k++) {
        if (memcmp(o->keys[k], pub, TR_ED25519_PUBLIC_LEN) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The Organization record of the bundle that registered pub (the first to list it), or
 * NULL. Every record listing it is of the same organisation (checked when they are read). */
static struct org_item *org_of_key(struct verify *v, const unsigned char pub[TR_ED25519_PUBLIC_LEN])
{
    struct org_item *first = NULL;
    for (size_t i = 0; i < v->norgs; i++) {
        struct org_item *o = &v->orgs[i];
        if (lists_key(o, pub) && (first == NULL || o->at.leaf < first->at.leaf)) {
            first = o;
        }
    }
    return first;
}

/* The version of organisation uscc in force at the record: its latest record in the bundle
 * (all of them lie before the record's leaf). */
static struct org_item *org_version(struct verify *v, const char *uscc)
{
    struct org_item *latest = NULL;
    for (size_t i = 0; i < v->norgs; i++) {
        struct org_item *o = &v->orgs[i];
        if (strcmp(o->uscc, uscc) == 0 && (latest == NULL || o->at.leaf > latest->at.leaf)) {
            latest = o;
        }
    }
    return latest;
}

/* No key may be listed by Organization records of two organisations. */
static int check_key_owners(struct verify *v)
{
    for (size_t i = 0; i < v->norgs; i++) {
        for (size_t j = i + 1; j < v->norgs; j++) {
            const struct org_item *a = &v->orgs[i], *b = &v->orgs[j];
            for (size_t k = 0; strcmp(a->uscc, b->uscc) != 0 && k < a->nkeys; k++) {
                if (lists_key(b, a->keys[k])) {
                    return fail(v, TR_BUNDLE_KEY_CONFLICT,
                                "%s and %s list the same key for %s and %s", a->name, b->name,
                                a->uscc, b->uscc);
                }
            }
        }
    }
    return TR_OK;
}

/* The resolver of proofs: did:key methods of the operator's key, or (unless operator_only)
 * of a key that an Organization record of the bundle lists; TR_ENOTFOUND for any other. */
static int resolve(void *ctx, const char *verification_method,
                   unsigned char pub[TR_ED25519_PUBLIC_LEN], struct tr_error *err)
{
    struct verify *v = ctx;
    int rc = tr_proof_resolve_didkey(NULL, verification_method, pub, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (is_operator_key(v, pub) || (!v->operator_only && org_of_key(v, pub) != NULL)) {
        return TR_OK;
    }
    return tr_error_set(err, TR_ENOTFOUND, "no record of the bundle registers key '%s'",
                        verification_method);
}

/* Verify every proof of credential; what names it. On TR_OK, *results holds them. */
static int check_proofs(struct verify *v, const char *what, const struct tr_json *credential,
                        enum tr_bundle_reason unknown_reason, struct tr_proof_result **results,
                        size_t *count)
{
    struct tr_error e = {0};
    *results = NULL;
    *count = 0;
    int rc = tr_proof_verify(credential, NULL, resolve, v, results, count, &e);
    if (rc != TR_EVERIFY) {
        return rc == TR_OK ? TR_OK : tr_error_set(v->err, rc, "%s: %s", what, e.msg);
    }
    for (size_t i = 0; i < *count; i++) {
        const struct tr_proof_result *r = &(*results)[i];
        if (r->status == TR_PROOF_UNKNOWN_KEY) {
            return fail(v, unknown_reason, "%s: proof %zu is by key '%s', which %s", what, i + 1,
                        r->verification_method,
                        v->operator_only ? "is not the operator's"
                                         : "no Organization record of the bundle lists");
        }
        if (r->status != TR_PROOF_VALID) {
            return fail(v, TR_BUNDLE_PROOF, "%s: proof %zu does not verify: %s: %s", what, i + 1,
                        tr_proof_reason_code(r->status), r->detail);
        }
    }
    return fail(v, TR_BUNDLE_PROOF, "%s: %s", what, e.msg);
}

/* Validate credential against its schema; what names it. */
static int check_schema(struct verify *v, const char *what, const struct tr_json *credential,
                        enum tr_bundle_reason reason)
{
    struct tr_diag diag;
    struct tr_error e = {0};
    tr_diag_init(&diag, NULL);
    int rc = tr_schema_check(credential, &diag);
    if (rc == TR_ESCHEMA) {
        tr_diag_to_error(&diag, rc, &e);
        rc = fail(v, reason, "%s: %s", what, e.msg);
    } else if (rc != TR_OK) {
        rc = tr_diag_to_error(&diag, rc, v->err);
    }
    tr_diag_release(&diag);
    return rc;
}

/* Read and check Organization record o: an operator's Organization logged before leaf. */
static int check_org(struct verify *v, struct org_item *o, uint64_t leaf)
{
    struct tr_proof_result *results = NULL;
    size_t count = 0;
    enum tr_kind kind;
    int rc = check_inclusion(v, o->name, &o->at);
    if (rc != TR_OK) {
        return rc;
    }
    if (o->at.leaf >= leaf) {
        return fail(v, TR_BUNDLE_ORG_LATER,
                    "%s: leaf %" PRIu64 " is not before the record's leaf %" PRIu64, o->name,
                    o->at.leaf, leaf);
    }
    if (tr_schema_kind(o->at.credential, &kind, NULL) != TR_OK || kind != TR_KIND_ORGANIZATION) {
        return fail(v, TR_BUNDLE_ORG_INVALID, "%s: not an Organization record", o->name);
    }
    rc = check_schema(v, o->name, o->at.credential, TR_BUNDLE_ORG_INVALID);
    if (rc != TR_OK) {
        return rc;
    }
    v->operator_only = 1;
    rc = check_proofs(v, o->name, o->at.credential, TR_BUNDLE_ORG_INVALID, &results, &count);
    v->operator_only = 0;
    free(results);
    if (rc != TR_OK) {
        return rc;
    }
    /* The schema has checked these members: an org URN, 1 to 16 distinct did:keys. */
    const struct tr_json *subject = tr_json_object_get(o->at.credential, "credentialSubject");
    const struct tr_json *keys = tr_json_object_get(subject, "keys");
    const char *uscc =
        tr_ident_urn_value(tr_json_string(tr_json_object_get(subject, "id")), TR_URN_ORG);
    if (uscc == NULL || strlen(uscc) != TR_USCC_LEN || !tr_json_is(keys, TR_JSON_ARRAY) ||
        keys->u.array.len > ORG_KEYS_MAX) {
        return fail(v, TR_BUNDLE_ORG_INVALID, "%s: does not name an organisation and its keys",
                    o->name);
    }
    memcpy(o->uscc, uscc, TR_USCC_LEN + 1);
    for (size_t i = 0; i < keys->u.array.len; i++) {
        if (tr_key_parse_did(tr_json_string(keys->u.array.items[i]), o->keys[i], NULL) != TR_OK) {
            return fail(v, TR_BUNDLE_ORG_INVALID, "%s: key %zu is not a did:key", o->name, i);
        }
    }
    o->nkeys = keys->u.array.len;
    o->may_issue = tr_json_object_get(subject, "mayIssue");
    return TR_OK;
}

/* 1 when org may issue records of kind (its mayIssue names it). */
static int may_issue(const struct org_item *o, enum tr_kind kind)
{
    const char *name = tr_schema_kind_name(kind);
    for (size_t i = 0; tr_json_is(o->may_issue, TR_JSON_ARRAY) && i < o->may_issue->u.array.len;
         i++) {
        const char *s = tr_json_string(o->may_issue->u.array.items[i]);
        if (s != NULL && name != NULL && strcmp(s, name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The kinds an organisation needs a permission (mayIssue) to sign. */
static int needs_permission(enum tr_kind kind)
{
    return kind != TR_KIND_ORGANIZATION && kind != TR_KIND_KEY_REVOCATION &&
           kind != TR_KIND_REVOCATION;
}

/* 1 when proof result r is by signer s. */
static int proof_by(struct verify *v, const struct tr_proof_result *r, const struct tr_signer *s)
{
    if (is_operator_key(v, r->pub)) {
        return s->is_operator;
    }
    const struct org_item *o = org_of_key(v, r->pub);
    return !s->is_operator && o != NULL && strcmp(o->uscc, s->uscc) == 0;
}

/* 1 when s is the credential's issuer. */
static int is_issuer(const struct tr_json *credential, const struct tr_signer *s)
{
    const char *issuer = tr_json_string(tr_json_object_get(credential, "issuer"));
    if (issuer == NULL) {
        return 0;
    }
    if (s->is_operator) {
        return strcmp(issuer, TR_URN_OPERATOR) == 0;
    }
    const char *uscc = tr_ident_urn_value(issuer, TR_URN_ORG);
    return uscc != NULL && strcmp(uscc, s->uscc) == 0;
}

/*
 * The record's proofs (all valid) against its signers, as the verify module judges them: no
 * one the kind does not name signed, every required signer did, and each signing
 * organisation may issue the kind by its version in force. Marks the records used.
 */
static int check_signers(struct verify *v, const struct tr_json *credential, enum tr_kind kind,
                         const struct tr_proof_result *results, size_t count)
{
    struct tr_signers signers;
    struct tr_error e = {0};
    const char *kind_name = tr_schema_kind_name(kind);
    int rc = tr_schema_signers(credential, &signers, &e);
    if (rc != TR_OK) {
        return rc == TR_ESCHEMA ? fail(v, TR_BUNDLE_SCHEMA, "record: %s", e.msg)
                                : tr_error_set(v->err, rc, "%s", e.msg);
    }
    for (size_t i = 0; i < count; i++) {
        size_t s = 0;
        while (s < signers.len && !proof_by(v, &results[i], &signers.items[s])) {
            s++;
        }
        if (s == signers.len) {
            const struct org_item *o =
                is_operator_key(v, results[i].pub) ? NULL : org_of_key(v, results[i].pub);
            return fail(v, TR_BUNDLE_SIGNER_NOT_PERMITTED,
                        "record: proof %zu: %s is neither a signer nor a co-signer of a %s record",
                        i + 1, o == NULL ? "the registry operator" : o->uscc, kind_name);
        }
        if (!is_operator_key(v, results[i].pub)) {
            org_of_key(v, results[i].pub)->used = 1;
        }
    }
    for (size_t s = 0; s < signers.len; s++) {
        const struct tr_signer *sg = &signers.items[s];
        const char *name = sg->is_operator ? "the registry operator" : sg->uscc;
        size_t found = 0;
        while (found < count && !proof_by(v, &results[found], sg)) {
            found++;
        }
        if (found == count) {
            if (!sg->required) {
                continue;
            }
            if (is_issuer(credential, sg)) {
                return fail(v, TR_BUNDLE_ISSUER_MISMATCH, "record: the issuer %s has no proof",
                            name);
            }
            return fail(v, TR_BUNDLE_MISSING_COSIGNER, "record: the %s %s has no proof", sg->role,
                        name);
        }
        if (sg->is_operator) {
            continue;
        }
        struct org_item *version = org_version(v, sg->uscc);
        version->used = 1;
        if (needs_permission(kind) && !may_issue(version, kind)) {
            return fail(
                v, TR_BUNDLE_SIGNER_NOT_PERMITTED,
                "record: %s may not issue %s records: its Organization record at leaf %" PRIu64
                " does not permit them",
                sg->uscc, kind_name, version->at.leaf);
        }
    }
    return TR_OK;
}

/* ---- The checkpoint ---- */

static int check_seen(struct verify *v, const struct tr_json *bundle, const char *note,
                      size_t note_len, const struct tr_bundle_seen *seen)
{
    static const char *const names[] = {"old_size", "proof"};
    unsigned char proof[TR_MERKLE_MAX_PROOF][HASH_LEN];
    size_t proof_len = 0;
    uint64_t old_size = 0;
    const char *unknown = NULL;
    struct tr_error e = {0};
    const struct tr_note_checkpoint *cp = &v->out->checkpoint;
    const struct tr_json *c = tr_json_object_get(bundle, "consistency");
    if (c != NULL) {
        if (!tr_json_is(c, TR_JSON_OBJECT) || !members_among(c, names, 2, &unknown) ||
            json_u64(tr_json_object_get(c, "old_size"), &old_size) != 0) {
            return fail(v, TR_BUNDLE_MALFORMED,
                        "consistency must be an object of old_size and proof");
        }
        int rc =
            read_proof(v, "consistency.proof", tr_json_object_get(c, "proof"), proof, &proof_len);
        if (rc != TR_OK) {
            return rc;
        }
    }
    if (seen == NULL) {
        return TR_OK;
    }
    if (cp->size < seen->size) {
        return fail(v, TR_BUNDLE_ROLLBACK,
                    "checkpoint size %" PRIu64 " is smaller than the size %" PRIu64 " already seen",
                    cp->size, seen->size);
    }
    if (cp->size == seen->size) {
        if (memcmp(cp->root, seen->root, HASH_LEN) != 0) {
            return fail(v, TR_BUNDLE_FORK,
                        "checkpoint of size %" PRIu64 " has another root than the one already seen",
                        cp->size);
        }
        return TR_OK;
    }
    if (seen->size > 0 && (c == NULL || old_size != seen->size)) {
        return fail(v, TR_BUNDLE_INCONSISTENT,
                    "the bundle holds no consistency proof from the tree size %" PRIu64
                    " already seen",
                    seen->size);
    }
    int rc = tr_log_check_checkpoint_update(seen->size, seen->root, note, note_len, v->vkey,
                                            v->vkey->name, proof, proof_len, NULL, &e);
    if (rc == TR_EVERIFY || rc == TR_EINVAL) {
        return fail(v, TR_BUNDLE_INCONSISTENT, "%s", e.msg);
    }
    return rc == TR_OK ? TR_OK : tr_error_set(v->err, rc, "%s", e.msg);
}

/* ---- Verifying ---- */

/* The bundle's shape and checkpoint; fills v->out->checkpoint. */
static int check_envelope(struct verify *v, const struct tr_json *bundle,
                          const struct tr_bundle_seen *seen)
{
    static const char *const names[] = {"format", "version",       "checkpoint",
                                        "record", "organizations", "consistency"};
    const char *unknown = NULL;
    struct tr_error e = {0};
    uint64_t version = 0;
    if (!tr_json_is(bundle, TR_JSON_OBJECT)) {
        return fail(v, TR_BUNDLE_MALFORMED, "a bundle must be a JSON object");
    }
    if (!members_among(bundle, names, sizeof names / sizeof names[0], &unknown)) {
        return fail(v, TR_BUNDLE_MALFORMED, "the bundle has an unknown member '%.64s'", unknown);
    }
    const char *format = tr_json_string(tr_json_object_get(bundle, "format"));
    if (format == NULL || strcmp(format, TR_BUNDLE_FORMAT) != 0) {
        return fail(v, TR_BUNDLE_MALFORMED, "format must be '%s'", TR_BUNDLE_FORMAT);
    }
    if (json_u64(tr_json_object_get(bundle, "version"), &version) != 0 ||
        version != TR_BUNDLE_VERSION) {
        return fail(v, TR_BUNDLE_MALFORMED, "version must be %d", TR_BUNDLE_VERSION);
    }
    const struct tr_json *note = tr_json_object_get(bundle, "checkpoint");
    if (!tr_json_is(note, TR_JSON_STRING)) {
        return fail(v, TR_BUNDLE_MALFORMED, "checkpoint must be a signed note");
    }
    int rc = tr_note_checkpoint_open(note->u.string.ptr, note->u.string.len, v->vkey->name, v->vkey,
                                     1, &v->out->checkpoint, &e);
    if (rc == TR_EVERIFY || rc == TR_EPARSE || rc == TR_ELIMIT) {
        return fail(v, TR_BUNDLE_CHECKPOINT_SIGNATURE, "checkpoint: %s", e.msg);
    }
    if (rc != TR_OK) {
        return tr_error_set(v->err, rc, "checkpoint: %s", e.msg);
    }
    return check_seen(v, bundle, note->u.string.ptr, note->u.string.len, seen);
}

/* out = the record id of credential: hex SHA-256 of its JCS bytes without proof. */
static int record_id(const struct tr_json *credential, char out[TR_LOG_RECORD_ID_LEN + 1],
                     struct tr_error *err)
{
    struct tr_buf b;
    unsigned char h[HASH_LEN];
    tr_buf_init(&b);
    int rc = tr_jcs_serialize_without(credential, "proof", &b, err);
    if (rc == TR_OK && tr_sha256(b.data, b.len, h) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "sha-256 failed");
    }
    tr_buf_reset(&b);
    if (rc == TR_OK && tr_buf_addhex(&b, h, HASH_LEN) != TR_OK) {
        rc = tr_error_set(err, b.err, "out of memory");
    }
    if (rc == TR_OK) {
        memcpy(out, b.data, TR_LOG_RECORD_ID_LEN + 1);
    }
    tr_buf_release(&b);
    return rc;
}

int tr_bundle_verify(const struct tr_json *bundle, const struct tr_note_verifier *vkey,
                     const struct tr_bundle_seen *seen, struct tr_bundle_result *out,
                     struct tr_error *err)
{
    struct verify *v = NULL;
    struct leaf_item record;
    struct tr_proof_result *results = NULL;
    size_t count = 0;
    int rc = TR_OK;
    if (out != NULL) {
        memset(out, 0, sizeof *out);
        out->reason = TR_BUNDLE_MALFORMED;
    }
    if (bundle == NULL || vkey == NULL || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_bundle_verify: no bundle, key or result");
    }
    v = calloc(1, sizeof *v);
    if (v == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    v->vkey = vkey;
    v->out = out;
    v->err = err;
    rc = check_envelope(v, bundle, seen);
    if (rc == TR_OK) {
        rc = read_leaf(v, "record", tr_json_object_get(bundle, "record"), &record);
    }
    const struct tr_json *orgs = tr_json_object_get(bundle, "organizations");
    if (rc == TR_OK &&
        (!tr_json_is(orgs, TR_JSON_ARRAY) || orgs->u.array.len > TR_BUNDLE_MAX_ORGS)) {
        rc = fail(v, TR_BUNDLE_MALFORMED, "organizations must be an array of at most %d records",
                  TR_BUNDLE_MAX_ORGS);
    }
    for (size_t i = 0; rc == TR_OK && i < orgs->u.array.len; i++) {
        struct org_item *o = &v->orgs[v->norgs++];
        snprintf(o->name, sizeof o->name, "organization %zu", i);
        rc = read_leaf(v, o->name, orgs->u.array.items[i], &o->at);
    }
    if (rc == TR_OK) {
        rc = record_id(record.credential, out->record_id, err);
    }
    if (rc == TR_OK) {
        out->leaf_index = record.leaf;
        rc = check_inclusion(v, "record", &record);
    }
    for (size_t i = 0; rc == TR_OK && i < v->norgs; i++) {
        rc = check_org(v, &v->orgs[i], record.leaf);
    }
    if (rc == TR_OK) {
        rc = check_key_owners(v);
    }
    if (rc == TR_OK) {
        rc = check_schema(v, "record", record.credential, TR_BUNDLE_SCHEMA);
    }
    if (rc == TR_OK && tr_schema_kind(record.credential, &out->kind, err) != TR_OK) {
        rc = fail(v, TR_BUNDLE_SCHEMA, "record: %s", err != NULL ? err->msg : "unknown kind");
    }
    out->has_kind = rc == TR_OK;
    if (rc == TR_OK) {
        rc = check_proofs(v, "record", record.credential, TR_BUNDLE_UNKNOWN_KEY, &results, &count);
    }
    if (rc == TR_OK) {
        rc = check_signers(v, record.credential, out->kind, results, count);
    }
    for (size_t i = 0; rc == TR_OK && i < v->norgs; i++) {
        if (!v->orgs[i].used) {
            rc = fail(v, TR_BUNDLE_ORG_UNUSED, "%s (leaf %" PRIu64 "): the record does not need it",
                      v->orgs[i].name, v->orgs[i].at.leaf);
        }
    }
    if (rc == TR_OK) {
        out->reason = TR_BUNDLE_VALID;
    }
    free(results);
    free(v);
    return rc;
}

/* ---- Writing a bundle ---- */

/* A JSON array of the proof's hashes in hex, or NULL when out of memory. */
static struct tr_json *proof_json(const unsigned char (*hash)[HASH_LEN], size_t len)
{
    struct tr_json *arr = tr_json_new_array();
    struct tr_buf b;
    int rc = arr == NULL ? TR_ENOMEM : TR_OK;
    tr_buf_init(&b);
    for (size_t i = 0; rc == TR_OK && i < len; i++) {
        tr_buf_reset(&b);
        rc = tr_buf_addhex(&b, hash[i], HASH_LEN);
        if (rc == TR_OK) {
            rc = tr_json_array_append(arr, tr_json_new_string(b.data, b.len));
        }
    }
    tr_buf_release(&b);
    if (rc != TR_OK) {
        tr_json_free(arr);
        return NULL;
    }
    return arr;
}

/* obj[key] = value unless *rc already holds an error; value NULL is out of memory. */
static void set_member(struct tr_json *obj, const char *key, struct tr_json *value, int *rc)
{
    if (*rc != TR_OK) {
        tr_json_free(value);
        return;
    }
    *rc = value != NULL ? tr_json_object_set(obj, key, value) : TR_ENOMEM;
}

/* *out = {"leaf_index", "inclusion_proof", "credential"} of leaf in the tree of size. */
static int leaf_entry(struct tr_db *db, uint64_t leaf, uint64_t size, struct tr_json **out,
                      struct tr_error *err)
{
    struct tr_log_entry entry;
    struct tr_merkle_proof proof;
    struct tr_json *credential = NULL;
    struct tr_buf body;
    tr_buf_init(&body);
    *out = NULL;
    int rc = tr_log_entry(db, leaf, &entry, &body, err);
    if (rc == TR_OK && entry.erased) {
        rc = tr_error_set(err, TR_ECONFLICT, "the body of leaf %" PRIu64 " has been erased", leaf);
    }
    if (rc == TR_OK) {
        rc = tr_json_parse(body.data, body.len, "body", NULL, &credential, err);
    }
    if (rc == TR_OK) {
        rc = tr_log_prove_inclusion(db, leaf, size, &proof, err);
    }
    if (rc == TR_OK) {
        struct tr_json *o = tr_json_new_object();
        rc = o == NULL ? TR_ENOMEM : TR_OK;
        set_member(o, "leaf_index", tr_json_new_number((double)leaf), &rc);
        set_member(o, "inclusion_proof", proof_json(proof.hash, proof.len), &rc);
        set_member(o, "credential", credential, &rc);
        credential = NULL;
        if (rc != TR_OK) {
            tr_json_free(o);
            rc = tr_error_set(err, rc, "out of memory");
        } else {
            *out = o;
        }
    }
    tr_json_free(credential);
    tr_buf_release(&body);
    return rc;
}

/* The Organization records a bundle of the record judged in v carries: record ids, each once. */
struct org_ids {
    size_t n;
    char id[TR_BUNDLE_MAX_ORGS][TR_LOG_RECORD_ID_LEN + 1];
};

static int add_org_id(struct org_ids *ids, const char *id, struct tr_error *err)
{
    for (size_t i = 0; i < ids->n; i++) {
        if (strcmp(ids->id[i], id) == 0) {
            return TR_OK;
        }
    }
    if (ids->n == TR_BUNDLE_MAX_ORGS) {
        return tr_error_set(err, TR_ELIMIT, "a bundle carries at most %d Organization records",
                            TR_BUNDLE_MAX_ORGS);
    }
    snprintf(ids->id[ids->n++], TR_LOG_RECORD_ID_LEN + 1, "%s", id);
    return TR_OK;
}

/* For each organisation key that signed: the record that registered it, and the version of
 * its organisation in force at the proof's position. */
static int org_records(struct tr_db *db, const struct tr_verdict *v, uint64_t size,
                       struct org_ids *ids, struct tr_error *err)
{
    int rc = TR_OK;
    ids->n = 0;
    for (size_t i = 0; rc == TR_OK && i < v->nproofs; i++) {
        const struct tr_verify_proof *p = &v->proofs[i];
        struct tr_trust_key key;
        struct tr_trust_org org;
        if (!p->counts || p->by_operator || !p->has_key) {
            continue;
        }
        rc = tr_trust_key_get(db, p->pub, size, &key, err);
        if (rc == TR_OK) {
            rc = add_org_id(ids, key.org_record, err);
        }
        if (rc == TR_OK) {
            rc = tr_trust_org_get(db, key.uscc, p->position, &org, err);
        }
        if (rc == TR_OK) {
            rc = add_org_id(ids, org.record_id, err);
        }
        if (rc == TR_ENOTFOUND) {
            rc = tr_error_set(err, TR_EDB, "the trust index has no organisation for proof %zu",
                              i + 1);
        }
    }
    return rc;
}

/* The checkpoint the bundle is proved against: the latest, which must cover leaf. */
static int covering_checkpoint(struct tr_db *db, uint64_t leaf, struct tr_buf *note, uint64_t *size,
                               struct tr_error *err)
{
    int rc = tr_log_latest_checkpoint(db, note, size, NULL, err);
    if (rc == TR_ENOTFOUND) {
        return tr_error_set(err, TR_ECONFLICT,
                            "the log has no checkpoint yet: run 'talentreg log checkpoint'");
    }
    if (rc == TR_OK && leaf >= *size) {
        rc = tr_error_set(err, TR_ECONFLICT,
                          "no checkpoint covers leaf %" PRIu64 ": run 'talentreg log checkpoint'",
                          leaf);
    }
    return rc;
}

/* Check what was written, as a verifier with the operator key alone will. */
static int check_written(struct tr_db *db, const struct tr_json *bundle, struct tr_error *err)
{
    struct tr_note_verifier vkey;
    struct tr_bundle_result r;
    struct tr_error e = {0};
    int rc = tr_log_operator_verifier(db, &vkey, err);
    if (rc == TR_OK) {
        rc = tr_bundle_verify(bundle, &vkey, NULL, &r, &e);
    }
    if (rc == TR_EVERIFY) {
        return tr_error_set(err, TR_EVERIFY, "the bundle written does not verify: %s: %s",
                            tr_bundle_reason_code(r.reason), e.msg);
    }
    return rc == TR_OK ? TR_OK : tr_error_set(err, rc, "%s", e.msg[0] != '\0' ? e.msg : err->msg);
}

int tr_bundle_export(struct tr_db *db, const char *record_id, uint64_t since, struct tr_json **out,
                     struct tr_error *err)
{
    struct tr_verdict v;
    struct tr_buf note;
    struct org_ids ids;
    struct tr_json *b = NULL, *entry = NULL, *orgs = NULL;
    uint64_t leaf = 0, size = 0;
    tr_verify_verdict_init(&v);
    tr_buf_init(&note);
    if (out != NULL) {
        *out = NULL;
    }
    if (db == NULL || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_bundle_export: no store or no result");
    }
    int rc = tr_log_find(db, record_id, &leaf, NULL, NULL, err);
    if (rc == TR_OK) {
        rc = covering_checkpoint(db, leaf, &note, &size, err);
    }
    if (rc == TR_OK && since > size) {
        rc = tr_error_set(err, TR_EINVAL,
                          "tree size %" PRIu64 " is larger than the checkpoint's (%" PRIu64 ")",
                          since, size);
    }
    if (rc == TR_OK) {
        rc = tr_verify_record(db, record_id, size, &v, err);
    }
    if (rc == TR_OK && !v.counts) {
        rc = tr_error_set(
            err, TR_EVERIFY, "record '%s' does not count as of tree size %" PRIu64 ": %s: %s",
            record_id, size, v.nreasons > 0 ? tr_verify_reason_code(v.reasons[0].reason) : "",
            v.nreasons > 0 ? v.reasons[0].detail : "");
    }
    if (rc == TR_OK) {
        rc = org_records(db, &v, size, &ids, err);
    }
    if (rc == TR_OK) {
        b = tr_json_new_object();
        orgs = tr_json_new_array();
        rc = b == NULL || orgs == NULL ? TR_ENOMEM : TR_OK;
        set_member(b, "format", tr_json_new_cstr(TR_BUNDLE_FORMAT), &rc);
        set_member(b, "version", tr_json_new_number(TR_BUNDLE_VERSION), &rc);
        set_member(b, "checkpoint", tr_json_new_string(note.data, note.len), &rc);
        if (rc != TR_OK) {
            rc = tr_error_set(err, rc, "out of memory");
        }
    }
    if (rc == TR_OK) {
        rc = leaf_entry(db, leaf, size, &entry, err);
    }
    if (rc == TR_OK) {
        set_member(b, "record", entry, &rc);
        entry = NULL;
    }
    for (size_t i = 0; rc == TR_OK && i < ids.n; i++) {
        struct tr_trust_record r;
        rc = tr_trust_record_get(db, ids.id[i], &r, err);
        if (rc == TR_OK) {
            rc = leaf_entry(db, r.first_leaf, size, &entry, err);
        }
        if (rc == TR_OK) {
            rc = tr_json_array_append(orgs, entry);
            entry = NULL;
        }
    }
    if (rc == TR_OK) {
        set_member(b, "organizations", orgs, &rc);
        orgs = NULL;
    }
    if (rc == TR_OK && since > 0) {
        struct tr_merkle_proof proof;
        rc = tr_log_prove_consistency(db, since, size, &proof, err);
        struct tr_json *c = rc == TR_OK ? tr_json_new_object() : NULL;
        if (rc == TR_OK) {
            rc = c == NULL ? TR_ENOMEM : TR_OK;
            set_member(c, "old_size", tr_json_new_number((double)since), &rc);
            set_member(c, "proof", proof_json(proof.hash, proof.len), &rc);
            set_member(b, "consistency", c, &rc);
        }
    }
    if (rc == TR_ENOMEM) {
        rc = tr_error_set(err, rc, "out of memory");
    }
    if (rc == TR_OK) {
        rc = check_written(db, b, err);
    }
    if (rc == TR_OK) {
        *out = b;
        b = NULL;
    }
    tr_json_free(b);
    tr_json_free(orgs);
    tr_json_free(entry);
    tr_buf_release(&note);
    tr_verify_verdict_release(&v);
    return rc;
}
