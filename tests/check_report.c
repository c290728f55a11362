/*
 * check_report.c — the report forms: record text is never trusted (HTML escaped, control
 * characters replaced), numbers are shown as they were judged, and a dossier tree whose
 * every string is hostile renders as text and HTML without one raw tag or escape sequence.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "talentreg.h"
#include "tr_test.h"

static char *html_of(const char *s)
{
    struct tr_buf b;
    tr_buf_init(&b);
    tr_report_html_put(&b, s);
    return tr_buf_detach(&b, NULL);
}

static char *text_of(const char *s)
{
    struct tr_buf b;
    tr_buf_init(&b);
    tr_report_text_put(&b, s);
    return tr_buf_detach(&b, NULL);
}

START_TEST(html_escapes_markup_quotes_and_controls)
{
    char *out = html_of("<a href=\"x\" title='y'>&amp;</a>\x1b[1m\x7f\xc2\x85ok 中");
    ck_assert_str_eq(out, "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
                          "\xEF\xBF\xBD[1m\xEF\xBF\xBD\xEF\xBF\xBDok 中");
    free(out);
    out = html_of(NULL);
    ck_assert_str_eq(out, "");
    free(out);
}
END_TEST

START_TEST(text_replaces_control_characters_and_broken_bytes)
{
    /* A newline, an ESC sequence, a C1 control (U+009B, CSI) and a lone continuation byte. */
    char *out = text_of("a\nb\x1b[31mc\xc2\x9b"
                        "2Jd\x80"
                        "e <b>");
    ck_assert_str_eq(out, "a\xEF\xBF\xBD"
                          "b\xEF\xBF\xBD[31mc\xEF\xBF\xBD"
                          "2Jd\xEF\xBF\xBD"
                          "e <b>");
    free(out);
}
END_TEST

START_TEST(numbers_are_shown_as_judged)
{
    char n[REPORT_NUM_SIZE];
    report_number(6, n);
    ck_assert_str_eq(n, "6");
    report_number(2.5, n);
    ck_assert_str_eq(n, "2.5");
    report_number(60.866667, n);
    ck_assert_str_eq(n, "60.866667");
    report_number(-0.0000001, n);
    ck_assert_str_eq(n, "0");
    report_number(1200000, n);
    ck_assert_str_eq(n, "1200000");
    report_number(1e15, n);
    ck_assert_str_eq(n, "1e+15");
}
END_TEST

/* A dossier tree in which every string that comes from a record or a policy is hostile. */
static const char hostile[] =
    "{\"person\": \"p-x\", \"name\": \"<x>\\u001b\", \"alternateName\": \"<x>\","
    " \"categories\": [\"<x>\"], \"home\": \"<x>\", \"asOf\": \"2025-12-31\","
    " \"basis\": {\"logSize\": 9, \"root\": \"<x>\", \"checkpoint\": {\"size\": 9, \"root\": "
    "\"<x>\"}},"
    " \"summary\": {\"records\": 2, \"counting\": 1},"
    " \"records\": [{\"kind\": \"EnterprisePlacement\", \"count\": 2, \"counting\": 1,"
    "   \"records\": [{\"record\": \"<x>\", \"kind\": \"EnterprisePlacement\", \"related\": false,"
    "     \"leaf\": 5, \"counts\": true, \"erased\": false, \"issuer\": \"<x>\","
    "     \"validFrom\": \"2024-01-01T00:00:00Z\", \"validUntil\": \"2024-06-30T23:59:59Z\","
    "     \"credentialSubject\": {\"host\": \"<x>\", \"form\": \"<x>\", \"fte\": 0.5,"
    "       \"project\": \"</title></rect><script src=https://e.example/x.js>\\u009b\"}},"
    "    {\"record\": \"<x>\", \"kind\": \"EnterprisePlacement\", \"related\": false,"
    "     \"leaf\": 6, \"counts\": false, \"code\": \"<x>\", \"reason\": \"<x>\\n\","
    "     \"erased\": false, \"issuer\": \"<x>\", \"validFrom\": \"2024-03-01T00:00:00Z\","
    "     \"validUntil\": \"2025-03-01T00:00:00Z\","
    "     \"credentialSubject\": {\"host\": \"<x>\", \"form\": \"<x>\", \"fte\": 1}}]}],"
    " \"organisations\": [{\"uscc\": \"<x>\", \"name\": \"<x>\"}],"
    " \"policies\": [{\"policy\": {\"id\": \"<x>\", \"version\": 1, \"title\": \"<x>\","
    "   \"example\": true}, \"verdict\": \"<x>\", \"criteria\": [{\"id\": \"<x>\","
    "   \"type\": \"enterprise_months\", \"title\": \"<x>\", \"basis\": \"<x>\", \"unit\": \"<x>\","
    "   \"value\": 1, \"threshold\": 6, \"verdict\": \"<x>\", \"window\": {\"type\": \"rolling\","
    "   \"years\": 5, \"from\": \"2021-01-01\", \"until\": \"2025-12-31\"},"
    "   \"counted\": [{\"record\": \"<x>\", \"kind\": \"<x>\", \"contribution\": 1,"
    "     \"detail\": {\"<x>\": \"<x>\"}}],"
    "   \"excluded\": [{\"record\": \"<x>\", \"kind\": \"<x>\", \"reason\": \"<x>\"}],"
    "   \"detail\": {\"<x>\": [\"<x>\"]}}], \"excluded\": [{\"record\": \"<x>\","
    "   \"reason\": \"<x>\"}]}]}";

START_TEST(hostile_dossier_renders_no_markup_and_no_escape_sequence)
{
    struct tr_json *d = NULL;
    struct tr_buf out;
    struct tr_error err = {0};
    ck_assert_msg(tr_json_parse(hostile, strlen(hostile), "hostile", NULL, &d, &err) == TR_OK, "%s",
                  err.msg);
    tr_buf_init(&out);
    ck_assert_int_eq(tr_report_dossier_html(d, &out, &err), TR_OK);
    ck_assert_ptr_null(strstr(out.data, "<x"));
    ck_assert_ptr_null(strstr(out.data, "<script"));
    ck_assert_ptr_null(strstr(out.data, "\x1b"));
    ck_assert_ptr_nonnull(strstr(out.data, "&lt;x&gt;"));
    ck_assert_ptr_nonnull(strstr(out.data, "&lt;/title&gt;&lt;/rect&gt;&lt;script src=https://"));
    ck_assert_ptr_nonnull(strstr(out.data, "<svg class=\"timeline\""));
    /* The placement that does not count is drawn apart. */
    ck_assert_ptr_nonnull(strstr(out.data, "<rect class=\"bar out\""));
    tr_buf_reset(&out);
    ck_assert_int_eq(tr_report_dossier_text(d, &out, &err), TR_OK);
    ck_assert_ptr_null(strstr(out.data, "\x1b"));
    ck_assert_ptr_null(strstr(out.data, "\xc2\x9b"));
    ck_assert_ptr_nonnull(strstr(out.data, "<x>\xEF\xBF\xBD"));
    tr_buf_release(&out);
    tr_json_free(d);
}
END_TEST

START_TEST(a_tree_that_is_not_a_dossier_is_refused)
{
    struct tr_json *d = NULL;
    struct tr_buf out;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_json_parse("{\"person\": 1}", 13, "x", NULL, &d, NULL), TR_OK);
    tr_buf_init(&out);
    ck_assert_int_eq(tr_report_dossier_html(d, &out, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "not a dossier");
    ck_assert_int_eq(tr_report_dossier_text(d, &out, &err), TR_EINVAL);
    ck_assert_int_eq(tr_report_eligible_text(d, &out, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "not a line of an eligibility list");
    ck_assert_int_eq(tr_transcript_text(d, &out, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "not a transcript");
    ck_assert_uint_eq(out.len, 0);
    tr_buf_release(&out);
    tr_json_free(d);
}
END_TEST

START_TEST(eligibility_line_names_each_failing_criterion)
{
    static const char line[] =
        "{\"person\": \"p-a\", \"verdict\": \"not_eligible\", \"failing\": ["
        "{\"criterion\": \"practice\", \"value\": 3.5, \"threshold\": 6, \"unit\": \"months\"},"
        "{\"criterion\": \"review\", \"value\": 0, \"threshold\": 80, \"unit\": \"average score\","
        " \"missingRoles\": [\"skill_master\", \"academic_leader\"]}]}";
    struct tr_json *d = NULL;
    struct tr_buf out;
    ck_assert_int_eq(tr_json_parse(line, strlen(line), "x", NULL, &d, NULL), TR_OK);
    tr_buf_init(&out);
    ck_assert_int_eq(tr_report_eligible_text(d, &out, NULL), TR_OK);
    ck_assert_str_eq(out.data, "p-a  not eligible: practice 3.5 of 6 months; review 0 of 80 "
                               "average score, missing skill_master and academic_leader\n");
    tr_buf_release(&out);
    tr_json_free(d);
}
END_TEST

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_add_test(tc, html_escapes_markup_quotes_and_controls);
    tcase_add_test(tc, text_replaces_control_characters_and_broken_bytes);
    tcase_add_test(tc, numbers_are_shown_as_judged);
    tcase_add_test(tc, hostile_dossier_renders_no_markup_and_no_escape_sequence);
    tcase_add_test(tc, a_tree_that_is_not_a_dossier_is_refused);
    tcase_add_test(tc, eligibility_line_names_each_failing_criterion);
    suite_add_tcase(s, tc);
    return s;
}
