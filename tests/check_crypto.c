/* check_crypto.c — SHA-256 and Ed25519 against RFC 8032 / FIPS 180 values. */
#include <check.h>
#include <string.h>

#include "talentreg.h"
#include "tr_test.h"

START_TEST(sha256_of_abc)
{
    unsigned char h[32];
    ck_assert_int_eq(tr_sha256("abc", 3, h), TR_OK);
    ck_assert_str_eq(test_hex(h, 32),
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(sha256_parts_equals_whole)
{
    unsigned char a[32], b[32];
    const void *ptrs[] = {"\x00", "hello world"};
    size_t lens[] = {1, 11};
    ck_assert_int_eq(tr_sha256_parts(ptrs, lens, 2, a), TR_OK);
    ck_assert_int_eq(tr_sha256("\x00hello world", 12, b), TR_OK);
    ck_assert_mem_eq(a, b, 32);
}
END_TEST

/* RFC 8032 section 7.1, TEST 2. */
START_TEST(ed25519_rfc8032_test2)
{
    unsigned char seed[32], pub[32], sig[64];
    test_unhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", seed, 32);
    ck_assert_int_eq(tr_ed25519_public(seed, pub), TR_OK);
    ck_assert_str_eq(test_hex(pub, 32),
                     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    ck_assert_int_eq(tr_ed25519_sign(seed, "\x72", 1, sig), TR_OK);
    ck_assert_str_eq(test_hex(sig, 64),
                     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
    ck_assert_int_eq(tr_ed25519_verify(pub, "\x72", 1, sig), TR_OK);
    ck_assert_int_eq(tr_ed25519_verify(pub, "\x73", 1, sig), TR_EVERIFY);
    sig[0] ^= 1;
    ck_assert_int_eq(tr_ed25519_verify(pub, "\x72", 1, sig), TR_EVERIFY);
}
END_TEST

/* S >= L must be refused (malleability): add L to a valid S. */
START_TEST(ed25519_rejects_non_canonical_s)
{
    static const unsigned char L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                        0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                        0,    0,    0,    0,    0,    0,    0,    0,
                                        0,    0,    0,    0,    0,    0,    0,    0x10};
    unsigned char seed[32] = {1}, pub[32], sig[64];
    ck_assert_int_eq(tr_ed25519_public(seed, pub), TR_OK);
    ck_assert_int_eq(tr_ed25519_sign(seed, "m", 1, sig), TR_OK);
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        unsigned v = sig[32 + i] + L[i] + carry;
        sig[32 + i] = (unsigned char)v;
        carry = v >> 8;
    }
    ck_assert_int_eq(tr_ed25519_verify(pub, "m", 1, sig), TR_EVERIFY);
}
END_TEST

START_TEST(ed25519_all_zero_signature_fails)
{
    unsigned char seed[32] = {7}, pub[32], sig[64] = {0};
    ck_assert_int_eq(tr_ed25519_public(seed, pub), TR_OK);
    ck_assert_int_eq(tr_ed25519_verify(pub, "m", 1, sig), TR_EVERIFY);
}
END_TEST

START_TEST(ed25519_small_order_keys_verify_nothing)
{
    /* y of each point of small order, and y + p where it fits; the top bit is x's sign. */
    static const unsigned char y[][32] = {
        {0},
        {0x01},
        {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
         0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
         0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
        {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
         0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
         0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
        {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
        {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
        {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    };
    /* R = the identity, S = 0: under the identity this "signs" every message. */
    unsigned char sig[64] = {0x01};
    for (size_t i = 0; i < sizeof y / sizeof y[0]; i++) {
        for (int sign = 0; sign < 2; sign++) {
            unsigned char pub[32];
            memcpy(pub, y[i], sizeof pub);
            pub[31] = (unsigned char)(pub[31] | (sign << 7));
            ck_assert_msg(tr_ed25519_verify(pub, "any message", 11, sig) == TR_EVERIFY,
                          "key %zu sign %d", i, sign);
        }
    }
    /* An ordinary key still verifies what it signed. */
    unsigned char seed[32] = {7}, pub[32];
    ck_assert_int_eq(tr_ed25519_public(seed, pub), TR_OK);
    ck_assert_int_eq(tr_ed25519_sign(seed, "m", 1, sig), TR_OK);
    ck_assert_int_eq(tr_ed25519_verify(pub, "m", 1, sig), TR_OK);
}
END_TEST

START_TEST(memeq_ct_compares)
{
    ck_assert_int_eq(tr_memeq_ct("abc", "abc", 3), 1);
    ck_assert_int_eq(tr_memeq_ct("abc", "abd", 3), 0);
}
END_TEST

Suite *crypto_suite(void)
{
    Suite *s = suite_create("crypto");
    TCase *tc = tcase_create("crypto");
    tcase_add_test(tc, sha256_of_abc);
    tcase_add_test(tc, sha256_parts_equals_whole);
    tcase_add_test(tc, ed25519_rfc8032_test2);
    tcase_add_test(tc, ed25519_rejects_non_canonical_s);
    tcase_add_test(tc, ed25519_all_zero_signature_fails);
    tcase_add_test(tc, ed25519_small_order_keys_verify_nothing);
    tcase_add_test(tc, memeq_ct_compares);
    suite_add_tcase(s, tc);
    return s;
}
