/* proof.c — eddsa-jcs-2022 Data Integrity proofs: create, verify, proof sets. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "talentreg/base58.h"
#include "talentreg/date.h"
#include "talentreg/jcs.h"
#include "talentreg/key.h"
#include "talentreg/proof.h"

#define HASH_DATA_LEN (2 * TR_SHA256_LEN)

const char *tr_proof_reason_code(enum tr_proof_status status)
{
    switch (status) {
    case TR_PROOF_VALID:
        return "ok";
    case TR_PROOF_MALFORMED:
        return "malformed-proof";
    case TR_PROOF_WRONG_TYPE:
        return "wrong-proof-type";
    case TR_PROOF_WRONG_CRYPTOSUITE:
        return "wrong-cryptosuite";
    case TR_PROOF_WRONG_PURPOSE:
        return "wrong-proof-purpose";
    case TR_PROOF_CONTEXT_MISMATCH:
        return "context-mismatch";
    case TR_PROOF_UNKNOWN_KEY:
        return "unknown-key";
    case TR_PROOF_BAD_SIGNATURE:
        return "bad-signature";
    }
    return "unknown";
}

int tr_proof_resolve_didkey(void *ctx, const char *verification_method,
                            unsigned char pub[TR_ED25519_PUBLIC_LEN], struct tr_error *err)
{
    (void)ctx;
    if (tr_key_parse_did(verification_method, pub, err) != TR_OK) {
        return TR_ENOTFOUND;
    }
    return TR_OK;
}

struct tr_json *tr_proof_unsecured(const struct tr_json *doc)
{
    if (!tr_json_is(doc, TR_JSON_OBJECT)) {
        return NULL;
    }
    /* Copy member by member so the proofs (often the larger part) are never cloned. */
    struct tr_json *copy = tr_json_new_object();
    for (size_t i = 0; copy != NULL && i < doc->u.object.len; i++) {
        const struct tr_json_member *m = &doc->u.object.members[i];
        if (strcmp(m->key, "proof") == 0) {
            continue;
        }
        struct tr_json *v = tr_json_clone(m->value);
        if (v == NULL || tr_json_object_add(copy, m->key, m->key_len, m->key_pos, v) != TR_OK) {
            tr_json_free(copy);
            return NULL;
        }
    }
    if (copy != NULL) {
        copy->pos = doc->pos;
    }
    return copy;
}

/* out = SHA-256(JCS(node)), leaving out its top-level member skip when not NULL. */
static int hash_canonical(const struct tr_json *node, const char *skip,
                          unsigned char out[TR_SHA256_LEN], struct tr_error *err)
{
    struct tr_buf b;
    tr_buf_init(&b);
    int rc = skip != NULL ? tr_jcs_serialize_without(node, skip, &b, err)
                          : tr_jcs_serialize(node, &b, err);
    if (rc == TR_OK) {
        rc = tr_sha256(b.data, b.len, out);
        if (rc != TR_OK) {
            tr_error_set(err, rc, "cannot hash a canonical document");
        }
    }
    tr_buf_release(&b);
    return rc;
}

static int now_datetime(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    if (t == (time_t)-1 || gmtime_r(&t, &tm) == NULL) {
        return TR_EINVAL;
    }
    return strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0 ? TR_OK : TR_EINVAL;
}

static int add_string(struct tr_json *obj, const char *key, const char *value)
{
    struct tr_json *v = tr_json_new_cstr(value);
    return v != NULL ? tr_json_object_set(obj, key, v) : TR_ENOMEM;
}

/* Attach proof to doc as a new member of its proof set. Takes ownership of proof. */
static int attach_proof(struct tr_json *doc, struct tr_json *proof)
{
    struct tr_json *old = tr_json_object_get(doc, "proof");
    if (old == NULL) {
        return tr_json_object_set(doc, "proof", proof);
    }
    if (old->type == TR_JSON_ARRAY) {
        return tr_json_array_append(old, proof);
    }
    struct tr_json *set = tr_json_new_array();
    struct tr_json *first = tr_json_clone(old);
    if (set == NULL || first == NULL || tr_json_array_append(set, first) != TR_OK) {
        tr_json_free(set);
        tr_json_free(first);
        tr_json_free(proof);
        return TR_ENOMEM;
    }
    if (tr_json_array_append(set, proof) != TR_OK) {
        tr_json_free(set);
        return TR_ENOMEM;
    }
    return tr_json_object_set(doc, "proof", set);
}

int tr_proof_sign(struct tr_json *doc, const unsigned char seed[TR_ED25519_SEED_LEN],
                  const struct tr_proof_sign_options *opts, struct tr_error *err)
{
    int rc = TR_OK;
    struct tr_json *proof = NULL;
    unsigned char pub[TR_ED25519_PUBLIC_LEN], hash[HASH_DATA_LEN], sig[TR_ED25519_SIG_LEN];
    char created[32], vm[TR_KEY_VM_SIZE], value[TR_MULTIBASE_SIZE(TR_ED25519_SIG_LEN)];
    struct tr_proof_sign_options none = {0};
    if (opts == NULL) {
        opts = &none;
    }

    struct tr_json *existing = tr_json_object_get(doc, "proof");
    if (!tr_json_is(doc, TR_JSON_OBJECT)) {
        rc = tr_error_set(err, TR_EINVAL, "only a JSON object can be signed");
        goto out;
    }
    if (existing != NULL && existing->type != TR_JSON_OBJECT && existing->type != TR_JSON_ARRAY) {
        rc = tr_error_set(err, TR_EINVAL, "member 'proof' must be an object or an array");
        goto out;
    }
    if (opts->created != NULL) {
        int64_t seconds;
        if (tr_date_parse_datetime(opts->created, strlen(opts->created), &seconds, NULL) !=
            TR_OK) {
            rc = tr_error_set(err, TR_EINVAL, "created '%s' is not a UTC date-time like "
                              "2024-05-01T08:00:00Z", opts->created);
            goto out;
        }
        snprintf(created, sizeof created, "%s", opts->created);
    } else if (now_datetime(created) != TR_OK) {
        rc = tr_error_set(err, TR_EINVAL, "cannot read the clock");
        goto out;
    }
    if ((rc = tr_ed25519_public(seed, pub)) != TR_OK) {
        rc = tr_error_set(err, rc, "cannot derive the public key");
        goto out;
    }
    if (opts->verification_method != NULL) {
        if (strlen(opts->verification_method) >= TR_PROOF_VM_MAX ||
            opts->verification_method[0] == '\0') {
            rc = tr_error_set(err, TR_EINVAL, "verification method must be 1 to %d bytes",
                              TR_PROOF_VM_MAX - 1);
            goto out;
        }
    } else {
        tr_key_verification_method(pub, vm);
    }

    proof = tr_json_new_object();
    if (proof == NULL || add_string(proof, "type", TR_PROOF_TYPE) != TR_OK ||
        add_string(proof, "cryptosuite", TR_PROOF_CRYPTOSUITE) != TR_OK ||
        add_string(proof, "created", created) != TR_OK ||
        add_string(proof, "verificationMethod", opts->verification_method != NULL
                                                    ? opts->verification_method
                                                    : vm) != TR_OK ||
        add_string(proof, "proofPurpose",
                   opts->proof_purpose != NULL ? opts->proof_purpose : TR_PROOF_PURPOSE) !=
            TR_OK) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    /* The Recommendation binds the proof to the document's contexts (§3.3.1 step 4). */
    struct tr_json *context = tr_json_object_get(doc, "@context");
    if (context != NULL) {
        struct tr_json *c = tr_json_clone(context);
        if (c == NULL || tr_json_object_set(proof, "@context", c) != TR_OK) {
            rc = tr_error_set(err, TR_ENOMEM, "out of memory");
            goto out;
        }
    }

    if ((rc = hash_canonical(proof, NULL, hash, err)) != TR_OK ||
        (rc = hash_canonical(doc, "proof", hash + TR_SHA256_LEN, err)) != TR_OK) {
        goto out;
    }
    if ((rc = tr_ed25519_sign(seed, hash, sizeof hash, sig)) != TR_OK) {
        rc = tr_error_set(err, rc, "cannot sign");
        goto out;
    }
    /* Sign, then check the signature before anything is written (minisign does the same). */
    if (tr_ed25519_verify(pub, hash, sizeof hash, sig) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "the new signature does not verify");
        goto out;
    }
    if (tr_base58_encode_multibase(sig, sizeof sig, value, sizeof value, NULL) != TR_OK ||
        add_string(proof, "proofValue", value) != TR_OK) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    rc = attach_proof(doc, proof);
    proof = NULL;
    if (rc != TR_OK) {
        tr_error_set(err, rc, "out of memory");
    }
out:
    tr_json_free(proof);
    return rc;
}

/* 1 when the document's @context starts with the proof's @context values, in order. */
static int context_is_prefix(const struct tr_json *doc_ctx, const struct tr_json *proof_ctx)
{
    if (doc_ctx == NULL) {
        return 0;
    }
    const struct tr_json *const *dv = &doc_ctx;
    const struct tr_json *const *pv = &proof_ctx;
    size_t dn = 1, pn = 1;
    if (doc_ctx->type == TR_JSON_ARRAY) {
        dv = (const struct tr_json *const *)doc_ctx->u.array.items;
        dn = doc_ctx->u.array.len;
    }
    if (proof_ctx->type == TR_JSON_ARRAY) {
        pv = (const struct tr_json *const *)proof_ctx->u.array.items;
        pn = proof_ctx->u.array.len;
    }
    if (pn > dn) {
        return 0;
    }
    for (size_t i = 0; i < pn; i++) {
        if (!tr_json_equal(dv[i], pv[i])) {
            return 0;
        }
    }
    return 1;
}

static void set_result(struct tr_proof_result *r, enum tr_proof_status status, const char *fmt,
                       ...) __attribute__((format(printf, 3, 4)));

static void set_result(struct tr_proof_result *r, enum tr_proof_status status, const char *fmt,
                       ...)
{
    va_list ap;
    r->status = status;
    va_start(ap, fmt);
    vsnprintf(r->detail, sizeof r->detail, fmt, ap);
    va_end(ap);
}

/* The members every proof must have as strings. */
static const char *const required_members[] = {"type", "cryptosuite", "verificationMethod",
                                               "proofPurpose", "proofValue"};

/*
 * Verify one proof. doc_hash is SHA-256(JCS(doc without proof)) for the document's own
 * @context; a proof whose @context differs hashes its own variant. Fills r; returns TR_OK
 * when the verdict is in r, or an operational error.
 */
static int verify_one(const struct tr_json *proof, const struct tr_json *doc,
                      const unsigned char doc_hash[TR_SHA256_LEN], const char *purpose,
                      tr_proof_resolve_fn resolve, void *ctx, struct tr_proof_result *r,
                      struct tr_error *err)
{
    int rc = TR_OK;
    struct tr_json *variant = NULL;
    unsigned char hash[HASH_DATA_LEN], sig[TR_ED25519_SIG_LEN + 1];
    size_t sig_len = 0;
    struct tr_error sub = {0};

    memset(r, 0, sizeof *r);
    if (!tr_json_is(proof, TR_JSON_OBJECT)) {
        set_result(r, TR_PROOF_MALFORMED, "%s", "a proof must be an object");
        goto out;
    }
    for (size_t i = 0; i < sizeof required_members / sizeof required_members[0]; i++) {
        if (!tr_json_is(tr_json_object_get(proof, required_members[i]), TR_JSON_STRING)) {
            set_result(r, TR_PROOF_MALFORMED, "member '%s' must be a string",
                       required_members[i]);
            goto out;
        }
    }
    const char *vm = tr_json_string(tr_json_object_get(proof, "verificationMethod"));
    if (strlen(vm) >= sizeof r->verification_method) {
        set_result(r, TR_PROOF_MALFORMED, "%s", "verification method is too long");
        goto out;
    }
    snprintf(r->verification_method, sizeof r->verification_method, "%s", vm);
    const struct tr_json *created = tr_json_object_get(proof, "created");
    int64_t seconds;
    if (created != NULL &&
        (!tr_json_is(created, TR_JSON_STRING) ||
         tr_date_parse_timestamp(created->u.string.ptr, created->u.string.len, &seconds, NULL) !=
             TR_OK)) {
        set_result(r, TR_PROOF_MALFORMED, "%s", "member 'created' must be a UTC date-time");
        goto out;
    }
    if (tr_json_object_get(proof, "previousProof") != NULL) {
        set_result(r, TR_PROOF_MALFORMED, "%s", "proof chains (previousProof) are not accepted");
        goto out;
    }
    const char *type = tr_json_string(tr_json_object_get(proof, "type"));
    if (strcmp(type, TR_PROOF_TYPE) != 0) {
        set_result(r, TR_PROOF_WRONG_TYPE, "proof type '%s' is not DataIntegrityProof", type);
        goto out;
    }
    const char *suite = tr_json_string(tr_json_object_get(proof, "cryptosuite"));
    if (strcmp(suite, TR_PROOF_CRYPTOSUITE) != 0) {
        set_result(r, TR_PROOF_WRONG_CRYPTOSUITE, "cryptosuite '%s' is not eddsa-jcs-2022",
                   suite);
        goto out;
    }
    const char *p = tr_json_string(tr_json_object_get(proof, "proofPurpose"));
    if (strcmp(p, purpose) != 0) {
        set_result(r, TR_PROOF_WRONG_PURPOSE, "proof purpose '%s' is not the one required", p);
        goto out;
    }
    const char *value = tr_json_string(tr_json_object_get(proof, "proofValue"));
    if (tr_base58_decode_multibase(value, strlen(value), sig, sizeof sig, &sig_len, NULL) !=
            TR_OK ||
        sig_len != TR_ED25519_SIG_LEN) {
        set_result(r, TR_PROOF_MALFORMED, "%s",
                   "proofValue is not a base58btc multibase 64-byte signature");
        goto out;
    }

    const struct tr_json *proof_ctx = tr_json_object_get(proof, "@context");
    const struct tr_json *doc_ctx = tr_json_object_get(doc, "@context");
    int own_variant = 0;
    if (proof_ctx != NULL) {
        if (!context_is_prefix(doc_ctx, proof_ctx)) {
            set_result(r, TR_PROOF_CONTEXT_MISMATCH, "%s",
                       "the document's @context does not start with the proof's @context");
            goto out;
        }
        own_variant = !tr_json_equal(doc_ctx, proof_ctx);
    }

    rc = (resolve != NULL ? resolve : tr_proof_resolve_didkey)(ctx, vm, r->pub, &sub);
    if (rc == TR_ENOTFOUND) {
        rc = TR_OK;
        set_result(r, TR_PROOF_UNKNOWN_KEY, "%s", sub.msg[0] != '\0' ? sub.msg : "unknown key");
        goto out;
    }
    if (rc != TR_OK) {
        tr_error_set(err, rc, "%s", sub.msg);
        goto out;
    }

    if ((rc = hash_canonical(proof, "proofValue", hash, err)) != TR_OK) {
        goto out;
    }
    if (own_variant) {
        /* Hash the document with the proof's @context in place of its own (§3.3.2). */
        variant = tr_proof_unsecured(doc);
        struct tr_json *c = tr_json_clone(proof_ctx);
        if (variant == NULL || c == NULL || tr_json_object_set(variant, "@context", c) != TR_OK) {
            rc = tr_error_set(err, TR_ENOMEM, "out of memory");
            goto out;
        }
        rc = hash_canonical(variant, NULL, hash + TR_SHA256_LEN, err);
        if (rc != TR_OK) {
            goto out;
        }
    } else {
        memcpy(hash + TR_SHA256_LEN, doc_hash, TR_SHA256_LEN);
    }
    rc = tr_ed25519_verify(r->pub, hash, sizeof hash, sig);
    if (rc == TR_EVERIFY) {
        rc = TR_OK;
        set_result(r, TR_PROOF_BAD_SIGNATURE, "%s", "the signature does not verify");
    } else if (rc != TR_OK) {
        tr_error_set(err, rc, "cannot verify a signature");
    }
out:
    tr_json_free(variant);
    return rc;
}

/* tr_proof_verify with the document's hash given (given NULL: computed here). */
static int verify_all(const struct tr_json *doc, const unsigned char *given, const char *purpose,
                      tr_proof_resolve_fn resolve, void *ctx, struct tr_proof_result **results,
                      size_t *count, struct tr_error *err)
{
    int rc = TR_OK;
    struct tr_proof_result *res = NULL;
    unsigned char doc_hash[TR_SHA256_LEN];
    size_t n = 0;

    if (results != NULL) {
        *results = NULL;
    }
    if (count != NULL) {
        *count = 0;
    }
    if (!tr_json_is(doc, TR_JSON_OBJECT)) {
        return tr_error_set(err, TR_EINVAL, "only a JSON object can be verified");
    }
    const struct tr_json *proofs = tr_json_object_get(doc, "proof");
    if (proofs == NULL) {
        return tr_error_set(err, TR_EVERIFY, "the document has no proof");
    }
    const struct tr_json *const *list = &proofs;
    n = 1;
    if (proofs->type == TR_JSON_ARRAY) {
        list = (const struct tr_json *const *)proofs->u.array.items;
        n = proofs->u.array.len;
        if (n == 0) {
            return tr_error_set(err, TR_EVERIFY, "the document's proof set is empty");
        }
    }
    res = calloc(n, sizeof *res);
    if (res == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    if (given != NULL) {
        memcpy(doc_hash, given, TR_SHA256_LEN);
    } else if ((rc = hash_canonical(doc, "proof", doc_hash, err)) != TR_OK) {
        goto out;
    }
    int failed = -1;
    for (size_t i = 0; i < n; i++) {
        rc = verify_one(list[i], doc, doc_hash, purpose != NULL ? purpose : TR_PROOF_PURPOSE,
                        resolve, ctx, &res[i], err);
        if (rc != TR_OK) {
            goto out;
        }
        if (res[i].status != TR_PROOF_VALID && failed < 0) {
            failed = (int)i;
        }
    }
    if (failed >= 0) {
        rc = tr_error_set(err, TR_EVERIFY, "proof %d: %s: %s", failed + 1,
                          tr_proof_reason_code(res[failed].status), res[failed].detail);
    }
out:
    if (rc != TR_OK && rc != TR_EVERIFY) {
        free(res);
        res = NULL;
        n = 0;
    }
    if (results != NULL) {
        *results = res;
    } else {
        free(res);
    }
    if (count != NULL) {
        *count = res != NULL || results == NULL ? n : 0;
    }
    return rc;
}

int tr_proof_verify(const struct tr_json *doc, const char *purpose, tr_proof_resolve_fn resolve,
                    void *ctx, struct tr_proof_result **results, size_t *count,
                    struct tr_error *err)
{
    return verify_all(doc, NULL, purpose, resolve, ctx, results, count, err);
}

int tr_proof_verify_hashed(const struct tr_json *doc, const unsigned char doc_hash[TR_SHA256_LEN],
                           const char *purpose, tr_proof_resolve_fn resolve, void *ctx,
                           struct tr_proof_result **results, size_t *count,
                           struct tr_error *err)
{
    return verify_all(doc, doc_hash, purpose, resolve, ctx, results, count, err);
}
