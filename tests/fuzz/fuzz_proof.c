/*
 * fuzz_proof.c — eddsa-jcs-2022 proof verification and signing (tr_proof_verify,
 * tr_proof_sign).
 *
 * Any JSON input, most usefully a mutated secured document: verification never crashes or
 * leaks, with did:key methods or with a resolver that answers one key for every method (so
 * mutated documents reach the signature check); it gives one result per proof, TR_OK only
 * when every result is valid, and TR_EVERIFY only with a reason. A document that verifies
 * stops verifying when a member is added. The unsecured copy of any object, signed by one
 * key and co-signed by another, verifies as a proof set of two.
 *
 * fuzz-options: -max_len=16384
 */
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

static const unsigned char seed_a[TR_ED25519_SEED_LEN] = {0x61};
static const unsigned char seed_b[TR_ED25519_SEED_LEN] = {0x62};

/* A resolver that answers the key in ctx whatever the method, as a registry lookup might. */
static int resolve_fixed(void *ctx, const char *vm, unsigned char pub[TR_ED25519_PUBLIC_LEN],
                         struct tr_error *err)
{
    (void)vm;
    (void)err;
    memcpy(pub, ctx, TR_ED25519_PUBLIC_LEN);
    return TR_OK;
}

/* The number of proofs tr_proof_verify should report for doc, which has a `proof`. */
static size_t proof_count(const struct tr_json *doc)
{
    const struct tr_json *p = tr_json_object_get(doc, "proof");
    return p->type == TR_JSON_ARRAY ? p->u.array.len : 1;
}

/* A proof binds the whole document: one more member and it no longer verifies. */
static void check_binding(const struct tr_json *doc, tr_proof_resolve_fn resolve, void *ctx)
{
    if (tr_json_object_get(doc, "fuzzTampered") != NULL) {
        return;
    }
    struct tr_json *copy = tr_json_clone(doc);
    FUZZ_ASSERT(copy != NULL);
    FUZZ_ASSERT(tr_json_object_set(copy, "fuzzTampered", tr_json_new_bool(1)) == TR_OK);
    FUZZ_ASSERT(tr_proof_verify(copy, NULL, resolve, ctx, NULL, NULL, NULL) == TR_EVERIFY);
    tr_json_free(copy);
}

static void verify(const struct tr_json *doc, tr_proof_resolve_fn resolve, void *ctx)
{
    struct tr_proof_result *res = NULL;
    size_t n = 0;
    struct tr_error err = {0};
    int rc = tr_proof_verify(doc, NULL, resolve, ctx, &res, &n, &err);
    if (rc == TR_EINVAL) {
        FUZZ_ASSERT(doc->type != TR_JSON_OBJECT && res == NULL && n == 0);
        return;
    }
    FUZZ_ASSERT(rc == TR_OK || rc == TR_EVERIFY);
    if (tr_json_object_get(doc, "proof") == NULL) {
        FUZZ_ASSERT(rc == TR_EVERIFY && res == NULL && n == 0);
        return;
    }
    FUZZ_ASSERT(n == proof_count(doc) && (n == 0) == (res == NULL));
    size_t valid = 0;
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(memchr(res[i].detail, '\0', sizeof res[i].detail) != NULL);
        FUZZ_ASSERT(memchr(res[i].verification_method, '\0', sizeof res[i].verification_method) !=
                    NULL);
        FUZZ_ASSERT((res[i].status == TR_PROOF_VALID) == (res[i].detail[0] == '\0'));
        valid += res[i].status == TR_PROOF_VALID;
    }
    FUZZ_ASSERT((rc == TR_OK) == (n > 0 && valid == n));
    FUZZ_ASSERT(rc == TR_OK || err.msg[0] != '\0');
    free(res);
    if (rc == TR_OK) {
        check_binding(doc, resolve, ctx);
    }
}

static void sign_and_verify(const struct tr_json *doc)
{
    struct tr_proof_sign_options opts = {"2024-05-01T08:00:00Z", NULL, NULL};
    struct tr_proof_result *res = NULL;
    size_t n = 0;
    struct tr_error err = {0};
    struct tr_json *copy = tr_proof_unsecured(doc);
    if (doc->type != TR_JSON_OBJECT) {
        FUZZ_ASSERT(copy == NULL);
        return;
    }
    FUZZ_ASSERT(copy != NULL);
    int rc = tr_proof_sign(copy, seed_a, &opts, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_proof_sign(copy, seed_b, &opts, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_proof_verify(copy, NULL, NULL, NULL, &res, &n, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(n == 2);
    free(res);
    tr_json_free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tr_json *doc = NULL;
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_error err = {0};
    if (tr_json_parse((const char *)data, size, "fuzz", NULL, &doc, &err) != TR_OK) {
        return 0;
    }
    verify(doc, NULL, NULL);
    FUZZ_ASSERT(tr_ed25519_public(seed_a, pub) == TR_OK);
    verify(doc, resolve_fixed, pub);
    sign_and_verify(doc);
    tr_json_free(doc);
    return 0;
}
