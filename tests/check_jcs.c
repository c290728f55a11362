/* check_jcs.c — RFC 8785: the upstream vectors, the number table, key order, eddsa-jcs-2022. */
#include <check.h>
#include <glob.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg.h"
#include "tr_test.h"

static struct tr_json *parse_file(const char *path)
{
    size_t len;
    char *text = test_read(path, &len);
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    int rc = tr_json_parse(text, len, path, NULL, &doc, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    free(text);
    return doc;
}

/* The canonical bytes of node, NUL-terminated; *len gets their length. */
static char *canonical(const struct tr_json *node, size_t *len)
{
    struct tr_buf out;
    struct tr_error err = {0};
    tr_buf_init(&out);
    int rc = tr_jcs_serialize(node, &out, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    return tr_buf_detach(&out, len);
}

static char *canonical_text(const char *text)
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    int rc = tr_json_parse(text, strlen(text), "text", NULL, &doc, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    char *out = canonical(doc, NULL);
    tr_json_free(doc);
    return out;
}

/* Upstream .hex format: lowercase byte pairs separated by whitespace. */
static unsigned char *read_hex(const char *path, size_t *n)
{
    char *text = test_read(path, NULL);
    unsigned char *bytes = malloc(strlen(text) / 2 + 1);
    size_t k = 0;
    for (char *p = text; *p != '\0';) {
        if (*p == ' ' || *p == '\n') {
            p++;
            continue;
        }
        char pair[3] = {p[0], p[1], '\0'};
        ck_assert_ptr_nonnull(strchr("0123456789abcdef", p[1]));
        bytes[k++] = (unsigned char)strtoul(pair, NULL, 16);
        p += 2;
    }
    free(text);
    *n = k;
    return bytes;
}

START_TEST(upstream_vectors_byte_for_byte)
{
    glob_t g;
    ck_assert_int_eq(glob("tests/vectors/jcs/*.input.json", 0, NULL, &g), 0);
    ck_assert_uint_eq(g.gl_pathc, 7);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *in = g.gl_pathv[i];
        size_t stem = strlen(in) - strlen(".input.json");
        char out_path[256], hex_path[256];
        snprintf(out_path, sizeof out_path, "%.*s.output.json", (int)stem, in);
        snprintf(hex_path, sizeof hex_path, "%.*s.hex", (int)stem, in);
        struct tr_json *doc = parse_file(in);
        size_t got_len, want_len, hex_len;
        char *got = canonical(doc, &got_len);
        char *want = test_read(out_path, &want_len);
        unsigned char *hex = read_hex(hex_path, &hex_len);
        ck_assert_msg(got_len == want_len && memcmp(got, want, want_len) == 0,
                      "%s:\n got %s\nwant %s", in, got, want);
        ck_assert_uint_eq(hex_len, got_len);
        ck_assert_mem_eq(hex, got, got_len);
        /* The canonical form is a fixed point, and compact writing keeps it. */
        struct tr_json *again = parse_file(out_path);
        char *twice = canonical(again, NULL);
        ck_assert_str_eq(twice, want);
        struct tr_buf compact;
        tr_buf_init(&compact);
        ck_assert_int_eq(tr_json_write(again, TR_JSON_COMPACT, &compact, NULL), TR_OK);
        ck_assert_str_eq(compact.data, want);
        tr_buf_release(&compact);
        free(twice);
        tr_json_free(again);
        free(hex);
        free(want);
        free(got);
        tr_json_free(doc);
    }
    globfree(&g);
}
END_TEST

static double from_bits(const char *hex)
{
    uint64_t u = strtoull(hex, NULL, 16);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

START_TEST(rfc8785_number_table)
{
    struct tr_json *rows = parse_file("tests/vectors/jcs/numbers.json");
    size_t errors = 0;
    ck_assert_uint_eq(rows->u.array.len, 26);
    for (size_t i = 0; i < rows->u.array.len; i++) {
        const struct tr_json *row = rows->u.array.items[i];
        double v = from_bits(tr_json_string(tr_json_object_get(row, "ieee754_hex")));
        const struct tr_json *want = tr_json_object_get(row, "json");
        char got[TR_JCS_NUMBER_MAX];
        if (tr_json_is(tr_json_object_get(row, "error"), TR_JSON_BOOL)) {
            ck_assert_int_eq(tr_jcs_number(v, got), TR_EINVAL);
            ck_assert_str_eq(got, "");
            ck_assert_int_eq(want->type, TR_JSON_NULL);
            errors++;
            continue;
        }
        ck_assert_int_eq(tr_jcs_number(v, got), TR_OK);
        ck_assert_str_eq(got, tr_json_string(want));
        /* And the text reads back as the same double. */
        struct tr_json *back = NULL;
        ck_assert_int_eq(tr_json_parse(got, strlen(got), "n", NULL, &back, NULL), TR_OK);
        ck_assert(back->u.number.value == v);
        tr_json_free(back);
    }
    ck_assert_uint_eq(errors, 2);
    tr_json_free(rows);
}
END_TEST

static const struct {
    double v;
    const char *text;
} number_forms[] = {
    {0.0, "0"},
    {-0.0, "0"},
    {1, "1"},
    {-1, "-1"},
    {7.5, "7.5"},
    {10.0, "10"},
    {0.1, "0.1"},
    {1.0 / 3, "0.3333333333333333"},
    {100, "100"},
    {1e20, "100000000000000000000"},
    {1e21, "1e+21"},
    {-1e21, "-1e+21"},
    {123e20, "1.23e+22"},
    {1152921504606846976.0, "1152921504606847000"},
    {9007199254740991.0, "9007199254740991"},
    {9007199254740993.0, "9007199254740992"},
    {1e-6, "0.000001"},
    {1.2e-6, "0.0000012"},
    {1e-7, "1e-7"},
    {-1.5e-10, "-1.5e-10"},
    {0.000001234, "0.000001234"},
    {1.7976931348623157e308, "1.7976931348623157e+308"},
    {4.9e-324, "5e-324"},
    {1.5e-323, "1.5e-323"},
    /* Powers of two, where the nearest shortest decimal misses and its neighbour hits. */
    {0x1p-24, "5.960464477539063e-8"},
    {0x1p-44, "5.684341886080802e-14"},
    {0x1p60, "1152921504606847000"},
    {0x1p-1022, "2.2250738585072014e-308"},
};

START_TEST(ecmascript_number_forms)
{
    char got[TR_JCS_NUMBER_MAX];
    for (size_t i = 0; i < sizeof number_forms / sizeof number_forms[0]; i++) {
        ck_assert_int_eq(tr_jcs_number(number_forms[i].v, got), TR_OK);
        ck_assert_str_eq(got, number_forms[i].text);
    }
    ck_assert_int_eq(tr_jcs_number(NAN, got), TR_EINVAL);
    ck_assert_int_eq(tr_jcs_number(-INFINITY, got), TR_EINVAL);
}
END_TEST

START_TEST(number_literals_are_reformatted)
{
    char *out = canonical_text("[1E+2, 4.50, 56.0, -0, 0.0e10, 1e-7, 2e-0, 18446744073709551615]");
    ck_assert_str_eq(out, "[100,4.5,56,0,0,1e-7,2,18446744073709552000]");
    free(out);
}
END_TEST

/*
 * Keys sort by UTF-16 code units: U+1F600 is the pair D83D DE00, so it sorts after U+D7FF
 * and before U+E000 and U+FB33, although its code point (and its UTF-8) is larger.
 */
START_TEST(keys_sort_by_utf16_code_units)
{
    char *out = canonical_text("{\"\\ufb33\":1, \"\\ud83d\\ude00\":2, \"\\u00e9\":3, \"a\":4,"
                               " \"\\ue000\":5, \"\\ud7ff\":6, \"\":7, \"aa\":8, \"A\":9,"
                               " \"\\ud800\\udc00\":10, \"\\uffff\":11}");
    ck_assert_str_eq(out, "{\"\":7,\"A\":9,\"a\":4,\"aa\":8,\"\xc3\xa9\":3,\"\xed\x9f\xbf\":6,"
                          "\"\xf0\x90\x80\x80\":10,\"\xf0\x9f\x98\x80\":2,\"\xee\x80\x80\":5,"
                          "\"\xef\xac\xb3\":1,\"\xef\xbf\xbf\":11}");
    free(out);
}
END_TEST

START_TEST(nested_objects_are_sorted_too)
{
    char *out = canonical_text("{\"b\":[{\"z\":1,\"y\":{\"d\":0,\"c\":0}}],\"a\":{}}");
    ck_assert_str_eq(out, "{\"a\":{},\"b\":[{\"y\":{\"c\":0,\"d\":0},\"z\":1}]}");
    free(out);
}
END_TEST

START_TEST(strings_carry_only_the_mandatory_escapes)
{
    char raw[32 + 8];
    for (int c = 0; c < 32; c++) {
        raw[c] = (char)c;
    }
    memcpy(raw + 32, "\"\\/\x7f\xc3\xa9<>", 8);
    struct tr_json *s = tr_json_new_string(raw, sizeof raw);
    char *out = canonical(s, NULL);
    ck_assert_str_eq(out, "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n"
                          "\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015"
                          "\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"
                          "\\\"\\\\/\x7f\xc3\xa9<>\"");
    free(out);
    tr_json_free(s);
}
END_TEST

START_TEST(refuses_what_has_no_canonical_form)
{
    struct tr_buf out;
    struct tr_error err = {0};
    tr_buf_init(&out);
    tr_buf_adds(&out, "kept");
    struct tr_json *n = tr_json_new_number(1);
    n->u.number.value = NAN;
    ck_assert_int_eq(tr_jcs_serialize(n, &out, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "cannot write JSON: number is not finite");
    struct tr_json *arr = tr_json_new_array();
    ck_assert_int_eq(tr_json_array_append(arr, tr_json_new_cstr("ok")), TR_OK);
    ck_assert_int_eq(tr_json_array_append(arr, tr_json_new_string("\xed\xa0\x80", 3)), TR_OK);
    ck_assert_int_eq(tr_jcs_serialize(arr, &out, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "cannot write JSON: a string is not valid UTF-8");
    struct tr_json *obj = tr_json_new_object();
    struct tr_pos none = {0, 0};
    ck_assert_int_eq(tr_json_object_add(obj, "k\xff", 2, none, tr_json_new_null()), TR_OK);
    ck_assert_int_eq(tr_jcs_serialize(obj, &out, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "cannot write JSON: a key is not valid UTF-8");
    tr_json_free(obj);
    obj = tr_json_new_object();
    ck_assert_int_eq(tr_json_object_add(obj, "k", 1, none, tr_json_new_null()), TR_OK);
    ck_assert_int_eq(tr_json_object_add(obj, "k", 1, none, tr_json_new_null()), TR_OK);
    ck_assert_int_eq(tr_jcs_serialize(obj, &out, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "cannot write JSON: duplicate key 'k'");
    ck_assert_int_eq(tr_jcs_serialize(NULL, &out, &err), TR_EINVAL);
    /* A failed call leaves the buffer as it found it. */
    ck_assert_str_eq(out.data, "kept");
    ck_assert_int_eq(out.err, TR_OK);
    tr_json_free(obj);
    tr_json_free(arr);
    tr_json_free(n);
    tr_buf_release(&out);
}
END_TEST

static void check_vector_hash(const char *canon, const struct tr_json *hex, const char *path)
{
    unsigned char h[TR_SHA256_LEN];
    ck_assert_int_eq(tr_sha256(canon, strlen(canon), h), TR_OK);
    ck_assert_msg(strcmp(test_hex(h, sizeof h), tr_json_string(hex)) == 0, "%s", path);
}

START_TEST(eddsa_jcs_2022_vectors)
{
    glob_t g;
    ck_assert_int_eq(glob("tests/vectors/eddsa-jcs-2022/*.json", 0, NULL, &g), 0);
    ck_assert_uint_ge(g.gl_pathc, 4);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *path = g.gl_pathv[i];
        struct tr_json *v = parse_file(path);
        char *doc = canonical(tr_json_object_get(v, "unsignedDocument"), NULL);
        char *proof = canonical(tr_json_object_get(v, "proofOptions"), NULL);
        ck_assert_msg(strcmp(doc, tr_json_string(tr_json_object_get(v, "canonicalDocument"))) ==
                          0,
                      "%s: %s", path, doc);
        ck_assert_msg(
            strcmp(proof, tr_json_string(tr_json_object_get(v, "canonicalProofConfig"))) == 0,
            "%s: %s", path, proof);
        check_vector_hash(doc, tr_json_object_get(v, "documentHashHex"), path);
        check_vector_hash(proof, tr_json_object_get(v, "proofConfigHashHex"), path);
        free(proof);
        free(doc);
        tr_json_free(v);
    }
    globfree(&g);
}
END_TEST

Suite *jcs_suite(void)
{
    Suite *s = suite_create("jcs");
    TCase *tc = tcase_create("vectors");
    tcase_add_test(tc, upstream_vectors_byte_for_byte);
    tcase_add_test(tc, rfc8785_number_table);
    tcase_add_test(tc, eddsa_jcs_2022_vectors);
    suite_add_tcase(s, tc);
    tc = tcase_create("rules");
    tcase_add_test(tc, ecmascript_number_forms);
    tcase_add_test(tc, number_literals_are_reformatted);
    tcase_add_test(tc, keys_sort_by_utf16_code_units);
    tcase_add_test(tc, nested_objects_are_sorted_too);
    tcase_add_test(tc, strings_carry_only_the_mandatory_escapes);
    tcase_add_test(tc, refuses_what_has_no_canonical_form);
    suite_add_tcase(s, tc);
    return s;
}
