/* check_proof.c — eddsa-jcs-2022: the published vectors reproduce, and tampering fails. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg.h"
#include "talentreg/key.h"
#include "talentreg/proof.h"
#include "tr_test.h"

static const char *const vectors[] = {
    "tests/vectors/eddsa-jcs-2022/w3c-official.json",
    "tests/vectors/eddsa-jcs-2022/derived-openbadge-credit.json",
    "tests/vectors/eddsa-jcs-2022/digitalbazaar-proof-without-context.json",
    "tests/vectors/eddsa-jcs-2022/digitalbazaar-vc11-inline-context.json",
};

/* A resolver that knows one key, whatever the method is called (for https methods). */
static int resolve_fixed(void *ctx, const char *vm, unsigned char pub[32], struct tr_error *err)
{
    (void)vm;
    (void)err;
    memcpy(pub, ctx, 32);
    return TR_OK;
}

static struct tr_json *clone_member(const struct tr_json *v, const char *key)
{
    struct tr_json *c = tr_json_clone(test_get(v, key));
    ck_assert_ptr_nonnull(c);
    return c;
}

static const char *proof_value(const struct tr_json *doc, size_t i)
{
    const struct tr_json *p = tr_json_object_get(doc, "proof");
    if (p != NULL && p->type == TR_JSON_ARRAY) {
        p = p->u.array.items[i];
    }
    return test_str(p, "proofValue");
}

/* Signing the published document with the published key and `created` gives the published
 * proofValue, for every vector whose proof carries the document's @context. */
START_TEST(vectors_reproduce_byte_for_byte)
{
    struct tr_json *v = test_json(vectors[_i]);
    const struct tr_json *options = test_get(v, "proofOptions");
    unsigned char seed[32];
    test_unhex(test_str(test_get(v, "keyPair"), "secretSeedHex"), seed, 32);
    struct tr_json *doc = clone_member(v, "unsignedDocument");
    struct tr_proof_sign_options opts = {test_str(options, "created"),
                                         test_str(options, "verificationMethod"), NULL};
    struct tr_error err = {0};
    ck_assert_int_eq(tr_proof_sign(doc, seed, &opts, &err), TR_OK);
    if (tr_json_object_get(options, "@context") != NULL) {
        ck_assert_str_eq(proof_value(doc, 0), test_str(v, "proofValue"));
        /* The whole secured document equals the published one. */
        struct tr_buf a, b;
        tr_buf_init(&a);
        tr_buf_init(&b);
        ck_assert_int_eq(tr_jcs_serialize(doc, &a, NULL), TR_OK);
        ck_assert_int_eq(tr_jcs_serialize(test_get(v, "signedDocument"), &b, NULL), TR_OK);
        ck_assert_str_eq(a.data, b.data);
        tr_buf_release(&a);
        tr_buf_release(&b);
    } else {
        /* The pre-2024 form has no @context in the proof; ours always binds it. */
        ck_assert_str_ne(proof_value(doc, 0), test_str(v, "proofValue"));
    }
    tr_json_free(doc);
    tr_json_free(v);
}
END_TEST

START_TEST(vectors_verify)
{
    struct tr_json *v = test_json(vectors[_i]);
    unsigned char pub[32];
    test_unhex(test_str(test_get(v, "keyPair"), "publicKeyHex"), pub, 32);
    const struct tr_json *doc = test_get(v, "signedDocument");
    const char *vm = test_str(v, "verificationMethod");
    int didkey = strncmp(vm, "did:key:", 8) == 0;
    struct tr_proof_result *res = NULL;
    size_t n = 0;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_proof_verify(doc, NULL, didkey ? NULL : resolve_fixed, pub, &res, &n,
                                     &err),
                     TR_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(res[0].status, TR_PROOF_VALID);
    ck_assert_str_eq(res[0].verification_method, vm);
    ck_assert_mem_eq(res[0].pub, pub, 32);
    free(res);
    tr_json_free(v);
}
END_TEST

/* The W3C document signed with the W3C key: the base of the tampering cases. */
static struct tr_json *signed_w3c(unsigned char seed[32])
{
    struct tr_json *v = test_json(vectors[0]);
    test_unhex(test_str(test_get(v, "keyPair"), "secretSeedHex"), seed, 32);
    struct tr_json *doc = clone_member(v, "signedDocument");
    tr_json_free(v);
    return doc;
}

/* Verify and return the status of the only (or the i-th) proof. */
static enum tr_proof_status verdict(const struct tr_json *doc, size_t i, int want_rc)
{
    struct tr_proof_result *res = NULL;
    size_t n = 0;
    ck_assert_int_eq(tr_proof_verify(doc, NULL, NULL, NULL, &res, &n, NULL), want_rc);
    ck_assert_uint_gt(n, i);
    enum tr_proof_status s = res[i].status;
    free(res);
    return s;
}

static struct tr_json *the_proof(struct tr_json *doc)
{
    return tr_json_object_get(doc, "proof");
}

static void set_str(struct tr_json *obj, const char *key, const char *value)
{
    ck_assert_int_eq(tr_json_object_set(obj, key, tr_json_new_cstr(value)), TR_OK);
}

/* Replace the signature with 64 given bytes. */
static void set_signature(struct tr_json *doc, const unsigned char sig[64])
{
    char text[TR_MULTIBASE_SIZE(64)];
    ck_assert_int_eq(tr_base58_encode_multibase(sig, 64, text, sizeof text, NULL), TR_OK);
    set_str(the_proof(doc), "proofValue", text);
}

static void get_signature(struct tr_json *doc, unsigned char sig[64])
{
    size_t n = 0;
    const char *s = test_str(the_proof(doc), "proofValue");
    ck_assert_int_eq(tr_base58_decode_multibase(s, strlen(s), sig, 64, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 64);
}

START_TEST(flipped_bit_in_signature_fails)
{
    unsigned char seed[32], sig[64];
    struct tr_json *doc = signed_w3c(seed);
    get_signature(doc, sig);
    sig[_i / 8] ^= (unsigned char)(1u << (_i % 8));
    set_signature(doc, sig);
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_BAD_SIGNATURE);
    tr_json_free(doc);
}
END_TEST

START_TEST(zero_random_and_non_canonical_signatures_fail)
{
    static const unsigned char L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                        0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                        0,    0,    0,    0,    0,    0,    0,    0,
                                        0,    0,    0,    0,    0,    0,    0,    0x10};
    unsigned char seed[32], sig[64], zero[64] = {0}, random[64];
    struct tr_json *doc = signed_w3c(seed);
    get_signature(doc, sig);
    set_signature(doc, zero);
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_BAD_SIGNATURE);
    ck_assert_int_eq(tr_random(random, sizeof random), TR_OK);
    set_signature(doc, random);
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_BAD_SIGNATURE);
    unsigned carry = 0; /* S + L: the same point equation, a non-canonical S */
    for (int i = 0; i < 32; i++) {
        unsigned v = sig[32 + i] + L[i] + carry;
        sig[32 + i] = (unsigned char)v;
        carry = v >> 8;
    }
    set_signature(doc, sig);
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_BAD_SIGNATURE);
    tr_json_free(doc);
}
END_TEST

/* The document's hash handed in is the one the proofs are checked against: the record id's
 * hash verifies as tr_proof_verify does, any other fails every proof as a bad signature. */
START_TEST(verify_hashed_uses_the_given_hash)
{
    unsigned char seed[32], hash[32];
    char id[TR_RECORD_ID_LEN + 1];
    struct tr_json *doc = signed_w3c(seed);
    struct tr_proof_result *res = NULL;
    size_t n = 0;
    ck_assert_int_eq(tr_verify_record_id(doc, id, NULL), TR_OK);
    test_unhex(id, hash, sizeof hash);
    ck_assert_int_eq(tr_proof_verify_hashed(doc, hash, NULL, NULL, NULL, &res, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(res[0].status, TR_PROOF_VALID);
    free(res);
    hash[31] ^= 1;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_proof_verify_hashed(doc, hash, NULL, NULL, NULL, &res, &n, &err),
                     TR_EVERIFY);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(res[0].status, TR_PROOF_BAD_SIGNATURE);
    ck_assert_str_eq(err.msg, "proof 1: bad-signature: the signature does not verify");
    free(res);
    tr_json_free(doc);
}
END_TEST

START_TEST(changed_document_fails)
{
    unsigned char seed[32];
    struct tr_json *doc = signed_w3c(seed);
    struct tr_json *subject = tr_json_object_get(doc, "credentialSubject");
    set_str(subject, "alumniOf", "The School of Examples!");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_BAD_SIGNATURE);
    tr_json_object_remove(subject, "alumniOf");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_BAD_SIGNATURE);
    tr_json_free(doc);
}
END_TEST

START_TEST(changed_proof_options_fail)
{
    unsigned char seed[32];
    struct tr_json *doc = signed_w3c(seed);
    set_str(the_proof(doc), "created", "2023-02-24T23:36:39Z");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_BAD_SIGNATURE);
    tr_json_free(doc);
    doc = signed_w3c(seed);
    set_str(the_proof(doc), "extra", "x");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_BAD_SIGNATURE);
    tr_json_free(doc);
}
END_TEST

START_TEST(other_purpose_suite_or_type_refused)
{
    unsigned char seed[32];
    struct tr_json *doc = signed_w3c(seed);
    set_str(the_proof(doc), "proofPurpose", "authentication");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_WRONG_PURPOSE);
    tr_json_free(doc);
    doc = signed_w3c(seed);
    set_str(the_proof(doc), "cryptosuite", "eddsa-rdfc-2022");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_WRONG_CRYPTOSUITE);
    tr_json_free(doc);
    doc = signed_w3c(seed);
    set_str(the_proof(doc), "type", "Ed25519Signature2020");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_WRONG_TYPE);
    tr_json_free(doc);
}
END_TEST

START_TEST(purpose_signed_for_another_use_is_refused)
{
    unsigned char seed[32];
    struct tr_json *v = test_json(vectors[0]);
    test_unhex(test_str(test_get(v, "keyPair"), "secretSeedHex"), seed, 32);
    struct tr_json *doc = clone_member(v, "unsignedDocument");
    struct tr_proof_sign_options opts = {"2024-01-01T00:00:00Z", NULL, "authentication"};
    ck_assert_int_eq(tr_proof_sign(doc, seed, &opts, NULL), TR_OK);
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_WRONG_PURPOSE);
    ck_assert_int_eq(tr_proof_verify(doc, "authentication", NULL, NULL, NULL, NULL, NULL), TR_OK);
    tr_json_free(doc);
    tr_json_free(v);
}
END_TEST

START_TEST(proof_context_must_prefix_document_context)
{
    unsigned char seed[32];
    struct tr_json *doc = signed_w3c(seed);
    struct tr_json *ctx = tr_json_object_get(doc, "@context");
    tr_json_free(ctx->u.array.items[1]);
    ctx->u.array.items[1] = tr_json_new_cstr("https://evil.example/v1");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_CONTEXT_MISMATCH);
    tr_json_free(doc);
}
END_TEST

START_TEST(malformed_proofs_refused_with_reason)
{
    unsigned char seed[32];
    struct tr_error err = {0};
    struct tr_json *doc = signed_w3c(seed);
    tr_json_object_remove(the_proof(doc), "verificationMethod");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_MALFORMED);
    tr_json_free(doc);
    doc = signed_w3c(seed);
    set_str(the_proof(doc), "proofValue", "u" "AAAA");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_MALFORMED);
    tr_json_free(doc);
    doc = signed_w3c(seed);
    set_str(the_proof(doc), "created", "2023-02-30T00:00:00Z");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_MALFORMED);
    tr_json_free(doc);
    doc = signed_w3c(seed);
    set_str(the_proof(doc), "verificationMethod", "did:web:example.com#key-1");
    ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_UNKNOWN_KEY);
    tr_json_object_remove(doc, "proof");
    ck_assert_int_eq(tr_proof_verify(doc, NULL, NULL, NULL, NULL, NULL, &err), TR_EVERIFY);
    ck_assert_str_eq(err.msg, "the document has no proof");
    ck_assert_int_eq(tr_json_object_set(doc, "proof", tr_json_new_array()), TR_OK);
    ck_assert_int_eq(tr_proof_verify(doc, NULL, NULL, NULL, NULL, NULL, &err), TR_EVERIFY);
    ck_assert_str_eq(err.msg, "the document's proof set is empty");
    tr_json_free(doc);
}
END_TEST

START_TEST(proof_set_every_member_must_verify)
{
    unsigned char seed[32], seed2[32] = {42};
    struct tr_error err = {0};
    struct tr_json *doc = signed_w3c(seed);
    struct tr_proof_sign_options opts = {"2024-05-01T08:00:00Z", NULL, NULL};
    ck_assert_int_eq(tr_proof_sign(doc, seed2, &opts, &err), TR_OK);
    const struct tr_json *set = the_proof(doc);
    ck_assert_int_eq(set->type, TR_JSON_ARRAY);
    ck_assert_uint_eq(set->u.array.len, 2);
    /* The first proof is untouched: a co-signature never changes what was signed. */
    ck_assert_str_eq(proof_value(doc, 0), "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCz"
                                          "pvJpwTWd3GAVFuUfjoJdcnTMuVor51aX");
    struct tr_proof_result *res = NULL;
    size_t n = 0;
    ck_assert_int_eq(tr_proof_verify(doc, NULL, NULL, NULL, &res, &n, &err), TR_OK);
    ck_assert_uint_eq(n, 2);
    free(res);
    /* A third signer's proof broken: the set fails and names it. */
    ck_assert_int_eq(tr_proof_sign(doc, seed2, &opts, &err), TR_OK);
    struct tr_json *third = the_proof(doc)->u.array.items[2];
    set_str(third, "created", "2024-05-01T08:00:01Z");
    ck_assert_int_eq(tr_proof_verify(doc, NULL, NULL, NULL, &res, &n, &err), TR_EVERIFY);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(res[0].status, TR_PROOF_VALID);
    ck_assert_int_eq(res[1].status, TR_PROOF_VALID);
    ck_assert_int_eq(res[2].status, TR_PROOF_BAD_SIGNATURE);
    ck_assert_str_eq(err.msg, "proof 3: bad-signature: the signature does not verify");
    free(res);
    tr_json_free(doc);
}
END_TEST

START_TEST(sign_refuses_bad_input_and_changes_nothing)
{
    unsigned char seed[32] = {1};
    struct tr_error err = {0};
    struct tr_json *arr = tr_json_new_array();
    ck_assert_int_eq(tr_proof_sign(arr, seed, NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "only a JSON object can be signed");
    tr_json_free(arr);
    struct tr_json *doc = tr_json_new_object();
    ck_assert_int_eq(tr_json_object_set(doc, "proof", tr_json_new_cstr("x")), TR_OK);
    ck_assert_int_eq(tr_proof_sign(doc, seed, NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "member 'proof' must be an object or an array");
    tr_json_object_remove(doc, "proof");
    struct tr_proof_sign_options opts = {"2024-13-01T00:00:00Z", NULL, NULL};
    ck_assert_int_eq(tr_proof_sign(doc, seed, &opts, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "created '2024-13-01T00:00:00Z' is not a UTC date-time like "
                              "2024-05-01T08:00:00Z");
    ck_assert_uint_eq(doc->u.object.len, 0);
    tr_json_free(doc);
}
END_TEST

/*
 * Sign the proof of doc again as any eddsa-jcs-2022 signer would, whatever its created says:
 * Ed25519 over SHA-256(JCS(proof without proofValue)) || SHA-256(JCS(doc without proof)).
 */
static void sign_again(struct tr_json *doc, const unsigned char seed[32])
{
    struct tr_buf config, body;
    unsigned char hash[64], sig[64];
    tr_buf_init(&config);
    tr_buf_init(&body);
    ck_assert_int_eq(tr_jcs_serialize_without(the_proof(doc), "proofValue", &config, NULL), TR_OK);
    ck_assert_int_eq(tr_jcs_serialize_without(doc, "proof", &body, NULL), TR_OK);
    ck_assert_int_eq(tr_sha256(config.data, config.len, hash), TR_OK);
    ck_assert_int_eq(tr_sha256(body.data, body.len, hash + 32), TR_OK);
    ck_assert_int_eq(tr_ed25519_sign(seed, hash, sizeof hash, sig), TR_OK);
    set_signature(doc, sig);
    tr_buf_release(&config);
    tr_buf_release(&body);
}

/* The detail of the only proof of doc, which must not verify with status want. */
static void refused_as(const struct tr_json *doc, enum tr_proof_status want, const char *detail)
{
    struct tr_proof_result *res = NULL;
    size_t n = 0;
    ck_assert_int_eq(tr_proof_verify(doc, NULL, NULL, NULL, &res, &n, NULL), TR_EVERIFY);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(res[0].status, want);
    ck_assert_str_eq(res[0].detail, detail);
    free(res);
}

START_TEST(created_with_fraction_of_a_second_verifies)
{
    static const char *const good[] = {"2023-02-24T23:36:38.123Z", "2023-02-24T23:36:38.5Z",
                                       "2023-02-24T23:36:38.000000001Z"};
    unsigned char seed[32];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct tr_json *doc = signed_w3c(seed);
        set_str(the_proof(doc), "created", good[i]);
        ck_assert_int_eq(verdict(doc, 0, TR_EVERIFY), TR_PROOF_BAD_SIGNATURE); /* it is signed */
        sign_again(doc, seed);
        ck_assert_int_eq(verdict(doc, 0, TR_OK), TR_PROOF_VALID);
        tr_json_free(doc);
    }
}
END_TEST

START_TEST(created_malformed_or_without_zone_is_refused)
{
    static const char *const bad[] = {"2023-02-24T23:36:38.Z",    "2023-02-24T23:36:38.123",
                                      "2023-02-24T23:36:38",      "2023-02-24T23:36:38.123+08:00",
                                      "2023-02-24T23:36:38,123Z", "2023-02-30T23:36:38.1Z"};
    unsigned char seed[32];
    struct tr_error err = {0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tr_json *doc = signed_w3c(seed);
        set_str(the_proof(doc), "created", bad[i]);
        sign_again(doc, seed);
        refused_as(doc, TR_PROOF_MALFORMED, "member 'created' must be a UTC date-time");
        tr_json_free(doc);
    }
    /* What talentreg signs keeps whole seconds: the created it writes has one spelling. */
    struct tr_json *doc = signed_w3c(seed);
    tr_json_object_remove(doc, "proof");
    struct tr_proof_sign_options opts = {"2024-05-01T08:00:00.5Z", NULL, NULL};
    ck_assert_int_eq(tr_proof_sign(doc, seed, &opts, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "created '2024-05-01T08:00:00.5Z' is not a UTC date-time like "
                              "2024-05-01T08:00:00Z");
    tr_json_free(doc);
}
END_TEST

START_TEST(reason_codes_are_stable)
{
    ck_assert_str_eq(tr_proof_reason_code(TR_PROOF_VALID), "ok");
    ck_assert_str_eq(tr_proof_reason_code(TR_PROOF_MALFORMED), "malformed-proof");
    ck_assert_str_eq(tr_proof_reason_code(TR_PROOF_WRONG_TYPE), "wrong-proof-type");
    ck_assert_str_eq(tr_proof_reason_code(TR_PROOF_WRONG_CRYPTOSUITE), "wrong-cryptosuite");
    ck_assert_str_eq(tr_proof_reason_code(TR_PROOF_WRONG_PURPOSE), "wrong-proof-purpose");
    ck_assert_str_eq(tr_proof_reason_code(TR_PROOF_CONTEXT_MISMATCH), "context-mismatch");
    ck_assert_str_eq(tr_proof_reason_code(TR_PROOF_UNKNOWN_KEY), "unknown-key");
    ck_assert_str_eq(tr_proof_reason_code(TR_PROOF_BAD_SIGNATURE), "bad-signature");
}
END_TEST

Suite *proof_suite(void)
{
    Suite *s = suite_create("proof");
    TCase *tc = tcase_create("proof");
    size_t nvec = sizeof vectors / sizeof vectors[0];
    tcase_add_loop_test(tc, vectors_reproduce_byte_for_byte, 0, (int)nvec);
    tcase_add_loop_test(tc, vectors_verify, 0, (int)nvec);
    tcase_add_loop_test(tc, flipped_bit_in_signature_fails, 0, 512);
    tcase_add_test(tc, zero_random_and_non_canonical_signatures_fail);
    tcase_add_test(tc, verify_hashed_uses_the_given_hash);
    tcase_add_test(tc, changed_document_fails);
    tcase_add_test(tc, changed_proof_options_fail);
    tcase_add_test(tc, other_purpose_suite_or_type_refused);
    tcase_add_test(tc, purpose_signed_for_another_use_is_refused);
    tcase_add_test(tc, proof_context_must_prefix_document_context);
    tcase_add_test(tc, malformed_proofs_refused_with_reason);
    tcase_add_test(tc, proof_set_every_member_must_verify);
    tcase_add_test(tc, sign_refuses_bad_input_and_changes_nothing);
    tcase_add_test(tc, created_with_fraction_of_a_second_verifies);
    tcase_add_test(tc, created_malformed_or_without_zone_is_refused);
    tcase_add_test(tc, reason_codes_are_stable);
    suite_add_tcase(s, tc);
    return s;
}
