/* check_diag.c — the bounded list of diagnostics. */
#include <check.h>
#include <stdlib.h>

#include "talentreg.h"
#include "tr_test.h"

static char *format(const struct tr_diag *d, size_t i)
{
    struct tr_buf b;
    tr_buf_init(&b);
    ck_assert_int_eq(tr_diag_format(d, i, &b), TR_OK);
    return tr_buf_detach(&b, NULL);
}

START_TEST(entries_format_with_what_is_known)
{
    struct tr_diag d;
    struct tr_pos at = {4, 7}, none = {0, 0};
    struct tr_buf b;
    tr_diag_init(&d, "p.yaml");
    ck_assert_int_eq(
        tr_diag_add(&d, at, "fte", "field '%s' must be between %d and %d", "fte", 0, 1),
        TR_ESCHEMA);
    ck_assert_int_eq(tr_diag_add(&d, none, NULL, "holds no record"), TR_ESCHEMA);
    char *s = format(&d, 0);
    ck_assert_str_eq(s, "'p.yaml' line 4 column 7: field 'fte' must be between 0 and 1");
    free(s);
    s = format(&d, 1);
    ck_assert_str_eq(s, "'p.yaml': holds no record");
    free(s);
    ck_assert_str_eq(d.items[0].path, "fte");
    ck_assert_str_eq(d.items[1].path, "");
    d.name = NULL;
    s = format(&d, 0);
    ck_assert_str_eq(s, "field 'fte' must be between 0 and 1");
    free(s);
    tr_buf_init(&b);
    ck_assert_int_eq(tr_diag_format(&d, 2, &b), TR_EINVAL);
    tr_buf_release(&b);
    tr_diag_release(&d);
    ck_assert_uint_eq(tr_diag_count(&d), 0);
}
END_TEST

START_TEST(the_list_is_bounded_and_counts_the_rest)
{
    struct tr_diag d;
    struct tr_pos at = {1, 1};
    tr_diag_init(&d, NULL);
    d.max = 3;
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(tr_diag_add(&d, at, NULL, "problem %d", i), TR_ESCHEMA);
    }
    ck_assert_uint_eq(d.len, 3);
    ck_assert_uint_eq(d.dropped, 7);
    ck_assert_uint_eq(tr_diag_count(&d), 10);
    ck_assert_str_eq(d.items[2].msg, "problem 2");
    tr_diag_release(&d);
    ck_assert_uint_eq(d.max, 3);
}
END_TEST

START_TEST(sorting_puts_entries_in_input_order)
{
    struct tr_diag d;
    static const struct tr_pos pos[] = {{9, 1}, {0, 0}, {2, 5}, {2, 3}, {9, 1}, {1, 1}};
    tr_diag_init(&d, NULL);
    for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++) {
        tr_diag_add(&d, pos[i], NULL, "%zu", i);
    }
    tr_diag_sort(&d, 1);
    static const char *const want[] = {"0", "5", "3", "2", "4", "1"};
    for (size_t i = 0; i < d.len; i++) {
        ck_assert_str_eq(d.items[i].msg, want[i]);
    }
    tr_diag_release(&d);
}
END_TEST

START_TEST(first_entry_becomes_an_error)
{
    struct tr_diag d;
    struct tr_error err = {0};
    struct tr_pos at = {3, 2};
    tr_diag_init(&d, "c.json");
    tr_diag_add(&d, at, "type", "field 'type' is required");
    tr_diag_add(&d, at, "issuer", "field 'issuer' is required");
    ck_assert_int_eq(tr_diag_to_error(&d, TR_ESCHEMA, &err), TR_ESCHEMA);
    ck_assert_int_eq(err.code, TR_ESCHEMA);
    ck_assert_str_eq(err.msg, "'c.json' line 3 column 2: field 'type' is required");
    tr_diag_release(&d);
}
END_TEST

Suite *diag_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("diag");
    tcase_add_test(tc, entries_format_with_what_is_known);
    tcase_add_test(tc, the_list_is_bounded_and_counts_the_rest);
    tcase_add_test(tc, sorting_puts_entries_in_input_order);
    tcase_add_test(tc, first_entry_becomes_an_error);
    suite_add_tcase(s, tc);
    return s;
}
