/* check_base64.c — standard padded base64; only canonical encodings decode. */
#include <check.h>
#include <string.h>

#include "talentreg.h"
#include "tr_test.h"

/* RFC 4648 section 10. */
static const char *const rfc4648[][2] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

static int decode_str(const char *s, unsigned char *dst, size_t cap, size_t *n,
                      struct tr_error *err)
{
    return tr_base64_decode(s, strlen(s), dst, cap, n, err);
}

START_TEST(encodes_rfc4648_vectors)
{
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        struct tr_buf b;
        tr_buf_init(&b);
        ck_assert_int_eq(tr_base64_encode(rfc4648[i][0], strlen(rfc4648[i][0]), &b), TR_OK);
        ck_assert_str_eq(b.data, rfc4648[i][1]);
        ck_assert_uint_eq(b.len, TR_BASE64_ENCODED_LEN(strlen(rfc4648[i][0])));
        tr_buf_release(&b);
    }
}
END_TEST

START_TEST(decodes_rfc4648_vectors)
{
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        unsigned char out[8];
        size_t n = 99;
        ck_assert_int_eq(decode_str(rfc4648[i][1], out, sizeof out, &n, NULL), TR_OK);
        ck_assert_uint_eq(n, strlen(rfc4648[i][0]));
        ck_assert_mem_eq(out, rfc4648[i][0], n);
    }
}
END_TEST

START_TEST(encode_appends_to_buffer)
{
    struct tr_buf b;
    tr_buf_init(&b);
    tr_buf_adds(&b, "key=");
    ck_assert_int_eq(tr_base64_encode("\xfb\xff", 2, &b), TR_OK);
    ck_assert_str_eq(b.data, "key=+/8=");
    tr_buf_release(&b);
}
END_TEST

START_TEST(encode_reports_sticky_buffer_error)
{
    struct tr_buf b;
    tr_buf_init(&b);
    b.max = 3;
    ck_assert_int_eq(tr_base64_encode("abc", 3, &b), TR_ELIMIT);
    ck_assert_str_eq(b.data, "");
    tr_buf_release(&b);
}
END_TEST

START_TEST(round_trips_every_byte_and_length)
{
    unsigned char in[70], out[70];
    for (size_t i = 0; i < sizeof in; i++) {
        in[i] = (unsigned char)(i * 37 + 11);
    }
    for (size_t len = 0; len <= sizeof in; len++) {
        struct tr_buf b;
        size_t n = 0;
        tr_buf_init(&b);
        ck_assert_int_eq(tr_base64_encode(in, len, &b), TR_OK);
        ck_assert_int_eq(tr_base64_decode(b.data, b.len, out, len, &n, NULL), TR_OK);
        ck_assert_uint_eq(n, len);
        ck_assert_mem_eq(out, in, len);
        tr_buf_release(&b);
    }
    for (unsigned v = 0; v < 256; v++) {
        struct tr_buf b;
        unsigned char c = (unsigned char)v, d = 0;
        size_t n = 0;
        tr_buf_init(&b);
        tr_base64_encode(&c, 1, &b);
        ck_assert_int_eq(tr_base64_decode(b.data, b.len, &d, 1, &n, NULL), TR_OK);
        ck_assert_uint_eq(d, c);
        tr_buf_release(&b);
    }
}
END_TEST

/* Of the 64 * 64 texts "XY==", exactly the 256 whose Y has four zero low bits decode. */
START_TEST(only_zero_unused_bits_decode)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t ok = 0;
    for (int x = 0; x < 64; x++) {
        for (int y = 0; y < 64; y++) {
            char s[5] = {abc[x], abc[y], '=', '=', '\0'};
            unsigned char d;
            size_t n;
            int rc = decode_str(s, &d, 1, &n, NULL);
            ck_assert_int_eq(rc, (y & 15) == 0 ? TR_OK : TR_EPARSE);
            ok += rc == TR_OK;
        }
    }
    ck_assert_uint_eq(ok, 256);
}
END_TEST

START_TEST(rejects_non_canonical_forms)
{
    static const struct {
        const char *in;
        const char *msg;
    } bad[] = {
        {"Zg", "base64 length 2 is not a multiple of 4"},
        {"Zg=", "base64 length 3 is not a multiple of 4"},
        {"Zg===", "base64 length 5 is not a multiple of 4"},
        {"Z===", "invalid base64 character at offset 1"},
        {"====", "invalid base64 character at offset 0"},
        {"Zg==Zg==", "invalid base64 character at offset 2"},
        {"Zm9v\n", "base64 length 5 is not a multiple of 4"},
        {"Zm 9", "invalid base64 character at offset 2"},
        {" Zm9", "invalid base64 character at offset 0"},
        {"Zm9\t", "invalid base64 character at offset 3"},
        {"-_8=", "invalid base64 character at offset 0"},
        {"Zm_v", "invalid base64 character at offset 2"},
        {"Zh==", "non-canonical base64: unused bits at offset 1 are not zero"},
        {"Zm9=", "non-canonical base64: unused bits at offset 2 are not zero"},
        {"Zm\xc3\xa9", "invalid base64 character at offset 2"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned char out[8] = {0};
        size_t n = 99;
        struct tr_error err = {0};
        ck_assert_int_eq(decode_str(bad[i].in, out, sizeof out, &n, &err), TR_EPARSE);
        ck_assert_str_eq(err.msg, bad[i].msg);
        ck_assert_uint_eq(n, 0);
    }
}
END_TEST

START_TEST(rejects_embedded_nul)
{
    unsigned char out[3];
    size_t n;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_base64_decode("Zm\0v", 4, out, sizeof out, &n, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "invalid base64 character at offset 2");
}
END_TEST

START_TEST(refuses_output_larger_than_destination)
{
    unsigned char out[6] = {0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA};
    size_t n = 99;
    struct tr_error err = {0};
    ck_assert_int_eq(decode_str("Zm9vYmFy", out, 5, &n, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "base64 decodes to 6 bytes, more than 5");
    ck_assert_uint_eq(n, 0);
    for (size_t i = 0; i < sizeof out; i++) {
        ck_assert_uint_eq(out[i], 0xAA);
    }
    ck_assert_int_eq(decode_str("Zm9vYmE=", out, 5, &n, &err), TR_OK);
    ck_assert_uint_eq(n, 5);
    ck_assert_uint_eq(out[5], 0xAA);
}
END_TEST

Suite *base64_suite(void)
{
    Suite *s = suite_create("base64");
    TCase *tc = tcase_create("base64");
    tcase_add_test(tc, encodes_rfc4648_vectors);
    tcase_add_test(tc, decodes_rfc4648_vectors);
    tcase_add_test(tc, encode_appends_to_buffer);
    tcase_add_test(tc, encode_reports_sticky_buffer_error);
    tcase_add_test(tc, round_trips_every_byte_and_length);
    tcase_add_test(tc, only_zero_unused_bits_decode);
    tcase_add_test(tc, rejects_non_canonical_forms);
    tcase_add_test(tc, rejects_embedded_nul);
    tcase_add_test(tc, refuses_output_larger_than_destination);
    suite_add_tcase(s, tc);
    return s;
}
