/* check_buf.c — the growable buffer keeps its invariants. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg.h"

START_TEST(empty_buffer_is_empty_string)
{
    struct tr_buf b;
    tr_buf_init(&b);
    ck_assert_ptr_nonnull(b.data);
    ck_assert_str_eq(b.data, "");
    ck_assert_uint_eq(b.len, 0);
    tr_buf_release(&b);
}
END_TEST

START_TEST(appends_keep_nul_terminator)
{
    struct tr_buf b;
    tr_buf_init(&b);
    ck_assert_int_eq(tr_buf_adds(&b, "ab"), TR_OK);
    ck_assert_int_eq(tr_buf_addc(&b, 'c'), TR_OK);
    ck_assert_int_eq(tr_buf_addf(&b, "-%d-", 42), TR_OK);
    ck_assert_int_eq(tr_buf_addhex(&b, "\x00\xff", 2), TR_OK);
    ck_assert_str_eq(b.data, "abc-42-00ff");
    ck_assert_uint_eq(b.len, 11);
    tr_buf_release(&b);
}
END_TEST

START_TEST(long_formatted_append)
{
    struct tr_buf b;
    tr_buf_init(&b);
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert_int_eq(tr_buf_addf(&b, "<%s>", big), TR_OK);
    ck_assert_uint_eq(b.len, 1001);
    ck_assert_int_eq(b.data[0], '<');
    ck_assert_int_eq(b.data[1000], '>');
    ck_assert_int_eq(b.data[1001], '\0');
    tr_buf_release(&b);
}
END_TEST

START_TEST(limit_is_sticky)
{
    struct tr_buf b;
    tr_buf_init(&b);
    b.max = 4;
    ck_assert_int_eq(tr_buf_adds(&b, "abc"), TR_OK);
    ck_assert_int_eq(tr_buf_adds(&b, "de"), TR_ELIMIT);
    ck_assert_int_eq(tr_buf_adds(&b, ""), TR_ELIMIT);
    ck_assert_str_eq(b.data, "abc");
    ck_assert_ptr_null(tr_buf_detach(&b, NULL));
    ck_assert_uint_eq(b.len, 0);
    tr_buf_release(&b);
}
END_TEST

START_TEST(detach_hands_over_bytes)
{
    struct tr_buf b;
    size_t len = 99;
    tr_buf_init(&b);
    char *p = tr_buf_detach(&b, &len);
    ck_assert_str_eq(p, "");
    ck_assert_uint_eq(len, 0);
    free(p);
    tr_buf_adds(&b, "hello");
    p = tr_buf_detach(&b, &len);
    ck_assert_str_eq(p, "hello");
    ck_assert_uint_eq(len, 5);
    ck_assert_str_eq(b.data, "");
    free(p);
}
END_TEST

START_TEST(read_file_refuses_oversize_and_missing)
{
    struct tr_buf b;
    struct tr_error err = {0};
    tr_buf_init(&b);
    ck_assert_int_eq(tr_buf_read_file(&b, "tests/vectors/jcs/arrays.output.json", 1000, &err),
                     TR_OK);
    ck_assert_uint_eq(b.len, 32);
    ck_assert_int_eq(tr_buf_read_file(&b, "tests/vectors/jcs/arrays.output.json", 31, &err),
                     TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'tests/vectors/jcs/arrays.output.json' is larger than 31 bytes");
    ck_assert_uint_eq(b.len, 32);
    ck_assert_int_eq(tr_buf_read_file(&b, "no/such/file", 10, &err), TR_EIO);
    ck_assert_str_eq(err.msg, "cannot open 'no/such/file': No such file or directory");
    tr_buf_release(&b);
}
END_TEST

Suite *buf_suite(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("buf");
    tcase_add_test(tc, empty_buffer_is_empty_string);
    tcase_add_test(tc, appends_keep_nul_terminator);
    tcase_add_test(tc, long_formatted_append);
    tcase_add_test(tc, limit_is_sticky);
    tcase_add_test(tc, detach_hands_over_bytes);
    tcase_add_test(tc, read_file_refuses_oversize_and_missing);
    suite_add_tcase(s, tc);
    return s;
}
