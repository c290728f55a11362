/* check_json_write.c — compact, pretty and canonical text of a value tree. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg.h"

static const char sample[] = "{\"b\": [1, {}, [], {\"z\": null, \"a\": true}], \"a\": \"x\\u0001\","
                             " \"n\": 4.50}";

static char *write_text(const char *text, unsigned flags)
{
    struct tr_json *doc = NULL;
    struct tr_buf out;
    struct tr_error err = {0};
    tr_buf_init(&out);
    ck_assert_int_eq(tr_json_parse(text, strlen(text), "t", NULL, &doc, NULL), TR_OK);
    int rc = tr_json_write(doc, flags, &out, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    tr_json_free(doc);
    return tr_buf_detach(&out, NULL);
}

START_TEST(compact_keeps_member_order)
{
    char *out = write_text(sample, TR_JSON_COMPACT);
    ck_assert_str_eq(out, "{\"b\":[1,{},[],{\"z\":null,\"a\":true}],\"a\":\"x\\u0001\",\"n\":4.5}");
    free(out);
}
END_TEST

START_TEST(pretty_indents_by_two_and_ends_with_newline)
{
    char *out = write_text(sample, TR_JSON_PRETTY);
    ck_assert_str_eq(out, "{\n"
                          "  \"b\": [\n"
                          "    1,\n"
                          "    {},\n"
                          "    [],\n"
                          "    {\n"
                          "      \"z\": null,\n"
                          "      \"a\": true\n"
                          "    }\n"
                          "  ],\n"
                          "  \"a\": \"x\\u0001\",\n"
                          "  \"n\": 4.5\n"
                          "}\n");
    free(out);
    out = write_text("\"s\"", TR_JSON_PRETTY);
    ck_assert_str_eq(out, "\"s\"\n");
    free(out);
}
END_TEST

START_TEST(canonical_sorts_and_pretty_canonical_indents)
{
    char *out = write_text(sample, TR_JSON_CANONICAL);
    ck_assert_str_eq(out, "{\"a\":\"x\\u0001\",\"b\":[1,{},[],{\"a\":true,\"z\":null}],\"n\":4.5}");
    free(out);
    out = write_text("{\"b\":1,\"a\":[2]}", TR_JSON_CANONICAL | TR_JSON_PRETTY);
    ck_assert_str_eq(out, "{\n  \"a\": [\n    2\n  ],\n  \"b\": 1\n}\n");
    free(out);
}
END_TEST

START_TEST(appends_to_what_the_buffer_holds)
{
    struct tr_buf out;
    struct tr_json *t = tr_json_new_bool(1);
    tr_buf_init(&out);
    tr_buf_adds(&out, "x=");
    ck_assert_int_eq(tr_json_write(t, TR_JSON_COMPACT, &out, NULL), TR_OK);
    ck_assert_str_eq(out.data, "x=true");
    tr_buf_release(&out);
    tr_json_free(t);
}
END_TEST

START_TEST(bad_flags_and_buffer_errors)
{
    struct tr_buf out;
    struct tr_error err = {0};
    struct tr_json *s = tr_json_new_cstr("0123456789");
    tr_buf_init(&out);
    ck_assert_int_eq(tr_json_write(s, 4, &out, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "cannot write JSON: unknown flags 0x4");
    ck_assert_int_eq(tr_json_write(s, 0, NULL, &err), TR_EINVAL);
    out.max = 8;
    ck_assert_int_eq(tr_json_write(s, TR_JSON_COMPACT, &out, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "cannot write JSON: output larger than 8 bytes");
    ck_assert_uint_eq(out.len, 0);
    /* The buffer's error is sticky: a later write fails at once. */
    ck_assert_int_eq(tr_json_write(s, TR_JSON_COMPACT, &out, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "cannot write JSON: output larger than 8 bytes");
    tr_buf_release(&out);
    tr_json_free(s);
}
END_TEST

Suite *json_write_suite(void)
{
    Suite *s = suite_create("json_write");
    TCase *tc = tcase_create("modes");
    tcase_add_test(tc, compact_keeps_member_order);
    tcase_add_test(tc, pretty_indents_by_two_and_ends_with_newline);
    tcase_add_test(tc, canonical_sorts_and_pretty_canonical_indents);
    tcase_add_test(tc, appends_to_what_the_buffer_holds);
    tcase_add_test(tc, bad_flags_and_buffer_errors);
    suite_add_tcase(s, tc);
    return s;
}
