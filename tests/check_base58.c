/* check_base58.c — base58btc and multibase: Bitcoin's vectors, strict decoding, bounds. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg.h"
#include "tr_test.h"

/* Bitcoin Core, src/test/data/base58_encode_decode.json. */
static const struct {
    const char *hex;
    const char *text;
} bitcoin[] = {
    {"", ""},
    {"61", "2g"},
    {"626262", "a3gV"},
    {"636363", "aPEr"},
    {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
    {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
    {"516b6fcd0f", "ABnLTmg"},
    {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
    {"572e4794", "3EFU7m"},
    {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
    {"10c8511e", "Rt5zm"},
    {"00000000000000000000", "1111111111"},
    {"000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5",
     "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"},
};

START_TEST(encodes_bitcoin_vectors)
{
    unsigned char bytes[64];
    char text[TR_BASE58_SIZE(64)];
    size_t len = 99;
    size_t n = strlen(bitcoin[_i].hex) / 2;
    test_unhex(bitcoin[_i].hex, bytes, n);
    ck_assert_int_eq(tr_base58_encode(bytes, n, text, sizeof text, &len), TR_OK);
    ck_assert_str_eq(text, bitcoin[_i].text);
    ck_assert_uint_eq(len, strlen(bitcoin[_i].text));
}
END_TEST

START_TEST(decodes_bitcoin_vectors)
{
    unsigned char bytes[64];
    size_t len = 99;
    struct tr_error err = {0};
    const char *text = bitcoin[_i].text;
    ck_assert_int_eq(tr_base58_decode(text, strlen(text), bytes, sizeof bytes, &len, &err), TR_OK);
    ck_assert_str_eq(test_hex(bytes, len), bitcoin[_i].hex);
}
END_TEST

START_TEST(leading_zero_bytes_are_ones)
{
    static const unsigned char in[] = {0, 0, 0, 1};
    char text[TR_BASE58_SIZE(4)];
    unsigned char out[8];
    size_t len = 0;
    ck_assert_int_eq(tr_base58_encode(in, 4, text, sizeof text, &len), TR_OK);
    ck_assert_str_eq(text, "1112");
    ck_assert_int_eq(tr_base58_decode("1112", 4, out, sizeof out, &len, NULL), TR_OK);
    ck_assert_uint_eq(len, 4);
    ck_assert_mem_eq(out, in, 4);
    ck_assert_int_eq(tr_base58_decode("1", 1, out, sizeof out, &len, NULL), TR_OK);
    ck_assert_uint_eq(len, 1);
    ck_assert_int_eq(out[0], 0);
}
END_TEST

static const struct {
    const char *text;
    const char *msg;
} invalid[] = {
    {"0", "invalid base58 character '0' at offset 0"},
    {"2gO", "invalid base58 character 'O' at offset 2"},
    {"1I", "invalid base58 character 'I' at offset 1"},
    {"abcl", "invalid base58 character 'l' at offset 3"},
    {"2g ", "invalid base58 character '\\x20' at offset 2"},
    {" 2g", "invalid base58 character '\\x20' at offset 0"},
    {"2g\n", "invalid base58 character '\\x0a' at offset 2"},
    {"a+b", "invalid base58 character '+' at offset 1"},
    {"a'b", "invalid base58 character '\\x27' at offset 1"},
    {"\xc3\xa9", "invalid base58 character '\\xc3' at offset 0"},
};

START_TEST(rejects_characters_outside_the_alphabet)
{
    unsigned char out[16];
    size_t len = 99;
    struct tr_error err = {0};
    const char *text = invalid[_i].text;
    ck_assert_int_eq(tr_base58_decode(text, strlen(text), out, sizeof out, &len, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, invalid[_i].msg);
    ck_assert_int_eq(err.code, TR_EPARSE);
    ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(rejects_embedded_nul)
{
    unsigned char out[16];
    size_t len = 99;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_base58_decode("2\0g", 3, out, sizeof out, &len, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "invalid base58 character '\\x00' at offset 1");
}
END_TEST

START_TEST(decode_is_bounded_by_destination)
{
    unsigned char out[4];
    size_t len = 99;
    struct tr_error err = {0};
    /* 0xffffffff fits four bytes; one more digit does not. */
    ck_assert_int_eq(tr_base58_decode("7YXq9G", 6, out, 4, &len, &err), TR_OK);
    ck_assert_str_eq(test_hex(out, len), "ffffffff");
    ck_assert_int_eq(tr_base58_decode("7YXq9Gz", 7, out, 4, &len, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "base58 value is longer than 4 bytes");
    ck_assert_uint_eq(len, 0);
    /* Leading zeros count too. */
    ck_assert_int_eq(tr_base58_decode("1111", 4, out, 4, &len, &err), TR_OK);
    ck_assert_uint_eq(len, 4);
    ck_assert_int_eq(tr_base58_decode("11111", 5, out, 4, &len, &err), TR_ELIMIT);
    ck_assert_int_eq(tr_base58_decode("1112g", 5, out, 4, &len, &err), TR_OK);
    ck_assert_str_eq(test_hex(out, len), "00000061");
    ck_assert_int_eq(tr_base58_decode("11112g", 6, out, 4, &len, &err), TR_ELIMIT);
    ck_assert_int_eq(tr_base58_decode("2g", 2, out, 0, &len, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "base58 value is longer than 0 bytes");
}
END_TEST

START_TEST(decode_failure_wipes_destination)
{
    unsigned char out[8];
    size_t len = 0;
    memset(out, 0xaa, sizeof out);
    ck_assert_int_eq(
        tr_base58_decode("2cFupjhnEsSn59qHXstmK2ffpLv2", 28, out, sizeof out, &len, NULL),
        TR_ELIMIT);
    for (size_t i = 0; i < sizeof out; i++) {
        ck_assert_int_eq(out[i], 0);
    }
    memset(out, 0xaa, sizeof out);
    ck_assert_int_eq(tr_base58_decode("2g2l", 4, out, sizeof out, &len, NULL), TR_EPARSE);
    for (size_t i = 0; i < sizeof out; i++) {
        ck_assert_int_eq(out[i], 0);
    }
}
END_TEST

START_TEST(encode_is_bounded_by_destination)
{
    char text[8];
    size_t len = 99;
    memset(text, 'x', sizeof text);
    /* "2cFupjhnEsSn59qHXstmK2ffpLv2" needs 29 bytes. */
    ck_assert_int_eq(tr_base58_encode("simply a long string", 20, text, sizeof text, &len),
                     TR_ELIMIT);
    ck_assert_str_eq(text, "");
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(tr_base58_encode("a", 1, text, 3, &len), TR_OK);
    ck_assert_str_eq(text, "2g");
    ck_assert_int_eq(tr_base58_encode("a", 1, text, 2, &len), TR_ELIMIT);
    ck_assert_int_eq(tr_base58_encode("\0\0", 2, text, 2, &len), TR_ELIMIT);
    ck_assert_int_eq(tr_base58_encode("", 0, text, 1, &len), TR_OK);
    ck_assert_str_eq(text, "");
    ck_assert_int_eq(tr_base58_encode("", 0, text, 0, &len), TR_ELIMIT);
}
END_TEST

/* TR_BASE58_SIZE(n) is room enough for the longest text of n bytes: all 0xff or all zero. */
START_TEST(size_macro_is_enough)
{
    unsigned char ff[200], zero[200] = {0};
    char text[TR_BASE58_SIZE(200)];
    memset(ff, 0xff, sizeof ff);
    for (size_t n = 0; n <= sizeof ff; n++) {
        ck_assert_int_eq(tr_base58_encode(ff, n, text, TR_BASE58_SIZE(n), NULL), TR_OK);
        ck_assert_int_eq(tr_base58_encode(zero, n, text, TR_BASE58_SIZE(n), NULL), TR_OK);
        ck_assert_uint_eq(strlen(text), n);
    }
}
END_TEST

START_TEST(random_values_round_trip)
{
    unsigned char in[80], out[80];
    char text[TR_BASE58_SIZE(80)];
    for (int round = 0; round < 500; round++) {
        unsigned char shape[2];
        ck_assert_int_eq(tr_random(shape, 2), TR_OK);
        size_t n = shape[0] % (sizeof in + 1);
        size_t zeros = n > 0 ? shape[1] % 4 % (n + 1) : 0;
        ck_assert_int_eq(tr_random(in, n), TR_OK);
        memset(in, 0, zeros);
        size_t len = 0, back = 0;
        ck_assert_int_eq(tr_base58_encode(in, n, text, sizeof text, &len), TR_OK);
        ck_assert_uint_eq(strlen(text), len);
        ck_assert_int_eq(tr_base58_decode(text, len, out, n, &back, NULL), TR_OK);
        ck_assert_uint_eq(back, n);
        ck_assert_mem_eq(out, in, n);
    }
}
END_TEST

START_TEST(multibase_adds_and_checks_prefix)
{
    char text[TR_MULTIBASE_SIZE(3)];
    unsigned char out[8];
    size_t len = 0;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_base58_encode_multibase("bbb", 3, text, sizeof text, &len), TR_OK);
    ck_assert_str_eq(text, "za3gV");
    ck_assert_uint_eq(len, 5);
    ck_assert_int_eq(tr_base58_decode_multibase("za3gV", 5, out, sizeof out, &len, &err), TR_OK);
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(out, "bbb", 3);
    ck_assert_int_eq(tr_base58_decode_multibase("z", 1, out, sizeof out, &len, &err), TR_OK);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(tr_base58_decode_multibase("", 0, out, sizeof out, &len, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "multibase value is empty");
    ck_assert_int_eq(tr_base58_decode_multibase("ma3gV", 5, out, sizeof out, &len, &err),
                     TR_EPARSE);
    ck_assert_str_eq(err.msg, "multibase prefix 'm' is not base58btc ('z')");
    ck_assert_int_eq(tr_base58_decode_multibase("Za3gV", 5, out, sizeof out, &len, &err),
                     TR_EPARSE);
    ck_assert_str_eq(err.msg, "multibase prefix 'Z' is not base58btc ('z')");
    /* Offsets count the prefix. */
    ck_assert_int_eq(tr_base58_decode_multibase("za30V", 5, out, sizeof out, &len, &err),
                     TR_EPARSE);
    ck_assert_str_eq(err.msg, "invalid base58 character '0' at offset 3");
    ck_assert_int_eq(tr_base58_encode_multibase("bbb", 3, text, 5, &len), TR_ELIMIT);
    ck_assert_str_eq(text, "");
    ck_assert_int_eq(tr_base58_encode_multibase("", 0, text, 1, &len), TR_ELIMIT);
    ck_assert_str_eq(text, "");
}
END_TEST

/* The W3C eddsa-jcs-2022 proofValue is "z" + base58btc of the 64-byte signature. */
START_TEST(proof_value_of_w3c_vector)
{
    struct tr_json *doc = test_json("tests/vectors/eddsa-jcs-2022/w3c-official.json");
    const char *sig_hex = test_str(doc, "signatureHex");
    const char *proof_value = test_str(doc, "proofValue");
    unsigned char sig[TR_ED25519_SIG_LEN], back[TR_ED25519_SIG_LEN + 1];
    char text[TR_MULTIBASE_SIZE(TR_ED25519_SIG_LEN)];
    size_t len = 0;
    test_unhex(sig_hex, sig, sizeof sig);
    ck_assert_int_eq(tr_base58_encode_multibase(sig, sizeof sig, text, sizeof text, &len), TR_OK);
    ck_assert_str_eq(text, proof_value);
    ck_assert_int_eq(
        tr_base58_decode_multibase(proof_value, strlen(proof_value), back, sizeof back, &len, NULL),
        TR_OK);
    ck_assert_uint_eq(len, TR_ED25519_SIG_LEN);
    ck_assert_mem_eq(back, sig, sizeof sig);
    tr_json_free(doc);
}
END_TEST

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *base58_suite(void)
{
    Suite *s = suite_create("base58");
    TCase *tc = tcase_create("base58");
    tcase_add_loop_test(tc, encodes_bitcoin_vectors, 0, COUNT(bitcoin));
    tcase_add_loop_test(tc, decodes_bitcoin_vectors, 0, COUNT(bitcoin));
    tcase_add_test(tc, leading_zero_bytes_are_ones);
    tcase_add_loop_test(tc, rejects_characters_outside_the_alphabet, 0, COUNT(invalid));
    tcase_add_test(tc, rejects_embedded_nul);
    tcase_add_test(tc, decode_is_bounded_by_destination);
    tcase_add_test(tc, decode_failure_wipes_destination);
    tcase_add_test(tc, encode_is_bounded_by_destination);
    tcase_add_test(tc, size_macro_is_enough);
    tcase_add_test(tc, random_values_round_trip);
    tcase_add_test(tc, multibase_adds_and_checks_prefix);
    tcase_add_test(tc, proof_value_of_w3c_vector);
    suite_add_tcase(s, tc);
    return s;
}
