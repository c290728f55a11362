/* check_json_read.c — the strict JSON reader: values, positions, every rejection, limits. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "talentreg.h"

static struct tr_json *parse_ok(const char *text)
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    int rc = tr_json_parse(text, strlen(text), "doc.json", NULL, &doc, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

START_TEST(reads_every_kind_of_value)
{
    struct tr_json *doc =
        parse_ok(" {\"n\": null, \"t\": true, \"f\": false, \"i\": -12, \"d\": 2.5e-3,"
                 " \"s\": \"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"a\": [], \"o\": {}} ");
    ck_assert_int_eq(doc->type, TR_JSON_OBJECT);
    ck_assert_uint_eq(doc->u.object.len, 8);
    ck_assert_int_eq(tr_json_object_get(doc, "n")->type, TR_JSON_NULL);
    ck_assert_int_eq(tr_json_object_get(doc, "t")->u.boolean, 1);
    ck_assert_int_eq(tr_json_object_get(doc, "f")->u.boolean, 0);
    ck_assert(tr_json_object_get(doc, "i")->u.number.value == -12);
    ck_assert_str_eq(tr_json_object_get(doc, "i")->u.number.text, "-12");
    ck_assert(tr_json_object_get(doc, "d")->u.number.value == 2.5e-3);
    ck_assert_str_eq(tr_json_object_get(doc, "d")->u.number.text, "2.5e-3");
    const struct tr_json *s = tr_json_object_get(doc, "s");
    ck_assert_str_eq(s->u.string.ptr, "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
    ck_assert_uint_eq(s->u.string.len, 15);
    ck_assert_int_eq(tr_json_object_get(doc, "a")->type, TR_JSON_ARRAY);
    ck_assert_uint_eq(tr_json_object_get(doc, "a")->u.array.len, 0);
    ck_assert_uint_eq(tr_json_object_get(doc, "o")->u.object.len, 0);
    ck_assert_str_eq(doc->u.object.members[7].key, "o");
    tr_json_free(doc);
}
END_TEST

START_TEST(scalars_at_top_level)
{
    const char *texts[] = {"0", "-0", "\"\"", "null", "true", " false\n", "[]", "{}"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        tr_json_free(parse_ok(texts[i]));
    }
}
END_TEST

START_TEST(keeps_number_literals_exactly)
{
    struct tr_json *doc = parse_ok("[18446744073709551615, -9223372036854775808, 1E+2, 0.10]");
    struct tr_json **v = doc->u.array.items;
    ck_assert_str_eq(v[0]->u.number.text, "18446744073709551615");
    ck_assert(v[0]->u.number.value == 18446744073709551616.0);
    ck_assert_str_eq(v[1]->u.number.text, "-9223372036854775808");
    ck_assert(v[1]->u.number.value == -9223372036854775808.0);
    ck_assert_str_eq(v[2]->u.number.text, "1E+2");
    ck_assert(v[2]->u.number.value == 100);
    ck_assert_str_eq(v[3]->u.number.text, "0.10");
    ck_assert(v[3]->u.number.value == 0.1);
    tr_json_free(doc);
}
END_TEST

START_TEST(numbers_round_correctly_and_underflow_to_zero)
{
    struct tr_json *doc = parse_ok("[1e-400, -1e-400, 4.9e-324, 1.7976931348623157e308,"
                                   " 0.1e1, 123456789012345678901234567890e-10,"
                                   " 0.000000000000000000000000000001e30]");
    struct tr_json **v = doc->u.array.items;
    ck_assert(v[0]->u.number.value == 0);
    ck_assert(v[1]->u.number.value == 0);
    ck_assert(v[2]->u.number.value == 4.9e-324);
    ck_assert(v[3]->u.number.value == 1.7976931348623157e308);
    ck_assert(v[4]->u.number.value == 1);
    ck_assert(v[5]->u.number.value == 12345678901234567890.1234567890);
    ck_assert(v[6]->u.number.value == 1);
    tr_json_free(doc);
}
END_TEST

START_TEST(records_positions_in_characters)
{
    /* é and ü are two bytes each but one column. */
    struct tr_json *doc = parse_ok("{\"\xc3\xa9\":\"\xc3\xbc\", \"x\": 1,\r\n"
                                   "\t\"y\": [true,\r  null],\n\n   \"z\": {}}");
    const struct tr_json_member *m = doc->u.object.members;
    ck_assert_uint_eq(doc->pos.line, 1);
    ck_assert_uint_eq(doc->pos.column, 1);
    ck_assert_uint_eq(m[0].key_pos.column, 2);
    ck_assert_uint_eq(m[0].value->pos.column, 6);
    ck_assert_uint_eq(m[1].key_pos.line, 1);
    ck_assert_uint_eq(m[1].key_pos.column, 11);
    ck_assert_uint_eq(m[1].value->pos.column, 16);
    ck_assert_uint_eq(m[2].key_pos.line, 2);
    ck_assert_uint_eq(m[2].key_pos.column, 2);
    ck_assert_uint_eq(m[2].value->pos.column, 7);
    ck_assert_uint_eq(m[2].value->u.array.items[0]->pos.line, 2);
    ck_assert_uint_eq(m[2].value->u.array.items[0]->pos.column, 8);
    ck_assert_uint_eq(m[2].value->u.array.items[1]->pos.line, 3);
    ck_assert_uint_eq(m[2].value->u.array.items[1]->pos.column, 3);
    ck_assert_uint_eq(m[3].key_pos.line, 5);
    ck_assert_uint_eq(m[3].key_pos.column, 4);
    ck_assert_uint_eq(m[3].value->pos.line, 5);
    ck_assert_uint_eq(m[3].value->pos.column, 9);
    tr_json_free(doc);
}
END_TEST

struct bad {
    const char *text;
    size_t len;
    int code;
    const char *msg;
};

#define BAD(text, code, msg) {text, sizeof text - 1, code, msg}
#define AT "'doc.json' line "

static const struct bad bad_inputs[] = {
    BAD("", TR_EPARSE, AT "1 column 1: empty document"),
    BAD(" \n\t\r\n ", TR_EPARSE, AT "3 column 2: empty document"),
    BAD("\xef\xbb\xbf{}", TR_EPARSE, AT "1 column 1: byte order mark is not allowed"),
    BAD(" \xef\xbb\xbf{}", TR_EPARSE, AT "1 column 2: expected a value, found U+FEFF"),
    BAD("[1,]", TR_EPARSE, AT "1 column 4: expected a value, found ']'"),
    BAD("{\"a\":1,}", TR_EPARSE, AT "1 column 8: expected a string key, found '}'"),
    BAD("{\"a\" 1}", TR_EPARSE, AT "1 column 6: expected ':', found '1'"),
    BAD("{1:2}", TR_EPARSE, AT "1 column 2: expected a string key, found '1'"),
    BAD("{'a':2}", TR_EPARSE, AT "1 column 2: expected a string key, found '''"),
    BAD("[1 2]", TR_EPARSE, AT "1 column 4: expected ',' or ']', found '2'"),
    BAD("{\"a\":1 \"b\":2}", TR_EPARSE, AT "1 column 8: expected ',' or '}', found '\"'"),
    BAD("[1,2", TR_EPARSE, AT "1 column 5: expected ',' or ']', found end of input"),
    BAD("{\"a\":", TR_EPARSE, AT "1 column 6: expected a value, found end of input"),
    BAD("[", TR_EPARSE, AT "1 column 2: expected a value, found end of input"),
    BAD("]", TR_EPARSE, AT "1 column 1: expected a value, found ']'"),
    BAD("1 2", TR_EPARSE, AT "1 column 3: expected end of input, found '2'"),
    BAD("{}\n}", TR_EPARSE, AT "2 column 1: expected end of input, found '}'"),
    BAD("[1]x", TR_EPARSE, AT "1 column 4: expected end of input, found 'x'"),
    BAD("/* c */ 1", TR_EPARSE, AT "1 column 1: expected a value, found '/'"),
    BAD("[\x0c]", TR_EPARSE, AT "1 column 2: expected a value, found U+000C"),
    BAD("[\xc3\xa9]", TR_EPARSE, AT "1 column 2: expected a value, found U+00E9"),
    BAD("[\xff]", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("[1]\0", TR_EPARSE, AT "1 column 4: expected end of input, found U+0000"),
    BAD("\"abc", TR_EPARSE, AT "1 column 1: unterminated string"),
    BAD("[\"a\\", TR_EPARSE, AT "1 column 2: unterminated string"),
    BAD("{\"ab", TR_EPARSE, AT "1 column 2: unterminated key"),
    BAD("\"a\nb\"", TR_EPARSE, AT "1 column 3: unescaped control character U+000A in string"),
    BAD("\"\xc3\xa9\t\"", TR_EPARSE, AT "1 column 3: unescaped control character U+0009 in string"),
    BAD("{\"\x1f\":1}", TR_EPARSE, AT "1 column 3: unescaped control character U+001F in key"),
    BAD("\"a\0\"", TR_EPARSE, AT "1 column 3: NUL character in string"),
    BAD("\"a\\u0000\"", TR_EPARSE, AT "1 column 3: NUL character '\\u0000' in string"),
    BAD("{\"\\u0000\":1}", TR_EPARSE, AT "1 column 3: NUL character '\\u0000' in key"),
    BAD("\"\\ud800\"", TR_EPARSE, AT "1 column 2: unpaired surrogate '\\ud800' in string"),
    BAD("\"\\uDBFF\\u0041\"", TR_EPARSE, AT "1 column 2: unpaired surrogate '\\udbff' in string"),
    BAD("\"\\ud800\\ud800\"", TR_EPARSE, AT "1 column 2: unpaired surrogate '\\ud800' in string"),
    BAD("\"\\ud800\\n\"", TR_EPARSE, AT "1 column 2: unpaired surrogate '\\ud800' in string"),
    BAD("\"x\\udc00\"", TR_EPARSE, AT "1 column 3: unpaired surrogate '\\udc00' in string"),
    BAD("{\"\\ude00\":1}", TR_EPARSE, AT "1 column 3: unpaired surrogate '\\ude00' in key"),
    BAD("\"\\x\"", TR_EPARSE, AT "1 column 2: invalid escape '\\x' in string"),
    BAD("\"\\'\"", TR_EPARSE, AT "1 column 2: invalid escape '\\'' in string"),
    BAD("\"\\\xc3\xa9\"", TR_EPARSE, AT "1 column 2: invalid escape in string"),
    BAD("\"\\u12g4\"", TR_EPARSE, AT "1 column 2: invalid escape '\\u12g4' in string"),
    BAD("\"\\u12\"", TR_EPARSE, AT "1 column 2: invalid escape '\\u12\"' in string"),
    /* Invalid UTF-8: overlong, surrogates, beyond U+10FFFF, truncated, stray bytes. */
    BAD("\"\xc0\x80\"", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("\"\xc1\xbf\"", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("\"\xe0\x80\xaf\"", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("\"\xf0\x8f\xbf\xbf\"", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("\"\xed\xa0\x80\"", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("\"\xed\xbf\xbf\"", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("\"\xf4\x90\x80\x80\"", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("\"\xf5\x80\x80\x80\"", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("\"ab\xe2\x82\"", TR_EPARSE, AT "1 column 4: invalid UTF-8"),
    BAD("\"ab\xe2\x82", TR_EPARSE, AT "1 column 4: invalid UTF-8"),
    BAD("\"\x80\"", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("\"\xfe\"", TR_EPARSE, AT "1 column 2: invalid UTF-8"),
    BAD("{\"k\xc3\":1}", TR_EPARSE, AT "1 column 4: invalid UTF-8"),
    /* Numbers. */
    BAD("01", TR_EPARSE, AT "1 column 1: leading zero in number '01'"),
    BAD("[-00.5]", TR_EPARSE, AT "1 column 2: leading zero in number '-00.5'"),
    BAD("-", TR_EPARSE, AT "1 column 1: invalid number '-'"),
    BAD("1.", TR_EPARSE, AT "1 column 1: invalid number '1.'"),
    BAD("1.e5", TR_EPARSE, AT "1 column 1: invalid number '1.e5'"),
    BAD("1e", TR_EPARSE, AT "1 column 1: invalid number '1e'"),
    BAD("1e+", TR_EPARSE, AT "1 column 1: invalid number '1e+'"),
    BAD("1.5.3", TR_EPARSE, AT "1 column 1: invalid number '1.5.3'"),
    BAD("[1-2]", TR_EPARSE, AT "1 column 2: invalid number '1-2'"),
    BAD("--1", TR_EPARSE, AT "1 column 1: invalid number '--1'"),
    BAD("+1", TR_EPARSE, AT "1 column 1: expected a value, found '+'"),
    BAD(".5", TR_EPARSE, AT "1 column 1: expected a value, found '.'"),
    BAD("[0x10]", TR_EPARSE, AT "1 column 3: expected ',' or ']', found 'x'"),
    BAD("1e400", TR_EPARSE, AT "1 column 1: number '1e400' is out of range"),
    BAD("[-1.8e308]", TR_EPARSE, AT "1 column 2: number '-1.8e308' is out of range"),
    BAD("1e99999999999999999999", TR_EPARSE,
        AT "1 column 1: number '1e99999999999999999999' is out of range"),
    /* Literals. */
    BAD("tru", TR_EPARSE, AT "1 column 1: invalid literal 'tru'"),
    BAD("[True]", TR_EPARSE, AT "1 column 2: invalid literal 'True'"),
    BAD("nulll", TR_EPARSE, AT "1 column 1: invalid literal 'nulll'"),
    BAD("NaN", TR_EPARSE, AT "1 column 1: invalid literal 'NaN'"),
    BAD("[Infinity]", TR_EPARSE, AT "1 column 2: invalid literal 'Infinity'"),
    BAD("-Infinity", TR_EPARSE, AT "1 column 1: invalid number '-'"),
    /* Duplicate keys, compared decoded, reported at the first repetition. */
    BAD("{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}", TR_EPARSE,
        AT "4 column 3: duplicate key 'a'"),
    BAD("{\"\\u0061\":1,\"a\":2}", TR_EPARSE, AT "1 column 13: duplicate key 'a'"),
    BAD("{\"x\":{\"k\":1,\"k\":2},\"x\":0}", TR_EPARSE, AT "1 column 13: duplicate key 'k'"),
    BAD("{\"b\":1,\"a\":1,\"b\":2,\"a\":2}", TR_EPARSE, AT "1 column 14: duplicate key 'b'"),
    BAD("{\"\\n\":1,\"\\n\":2}", TR_EPARSE, AT "1 column 9: duplicate key '\\u000a'"),
};

START_TEST(rejects_malformed_input)
{
    const struct bad *c = &bad_inputs[_i];
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    int rc = tr_json_parse(c->text, c->len, "doc.json", NULL, &doc, &err);
    ck_assert_msg(rc == c->code, "case %d: rc %d, expected %d (%s)", _i, rc, c->code, err.msg);
    ck_assert_int_eq(err.code, c->code);
    ck_assert_str_eq(err.msg, c->msg);
    ck_assert_ptr_null(doc);
}
END_TEST

/* An object with n distinct keys "k0".."k{n-1}", then a repetition of key "k{rep}". */
static char *wide_object(size_t n, size_t rep)
{
    struct tr_buf b;
    tr_buf_init(&b);
    tr_buf_addc(&b, '{');
    for (size_t i = 0; i < n; i++) {
        tr_buf_addf(&b, "\"k%zu\":%zu,", i, i);
    }
    tr_buf_addf(&b, "\"k%zu\":0}", rep);
    return tr_buf_detach(&b, NULL);
}

START_TEST(duplicate_keys_found_in_large_objects)
{
    char *text = wide_object(5000, 4321);
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_json_parse(text, strlen(text), "wide", NULL, &doc, &err), TR_EPARSE);
    ck_assert_uint_eq(strlen(text), 62791);
    ck_assert_str_eq(err.msg, "'wide' line 1 column 62782: duplicate key 'k4321'");
    free(text);
    /* Without the repetition (the last key is new), the object is accepted. */
    text = wide_object(5000, 5000);
    ck_assert_int_eq(tr_json_parse(text, strlen(text), "wide", NULL, &doc, &err), TR_OK);
    ck_assert_uint_eq(doc->u.object.len, 5001);
    tr_json_free(doc);
    free(text);
}
END_TEST

START_TEST(bad_arguments)
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    struct tr_limits l;
    tr_limits_default(&l);
    ck_assert_int_eq(tr_json_parse("1", 1, "x", NULL, NULL, &err), TR_EINVAL);
    ck_assert_int_eq(tr_json_parse(NULL, 1, "x", NULL, &doc, &err), TR_EINVAL);
    l.max_nodes = 0;
    ck_assert_int_eq(tr_json_parse("1", 1, "x", &l, &doc, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "limit 'max-nodes' must be between 1 and 50000000");
    ck_assert_int_eq(tr_json_parse(NULL, 0, NULL, NULL, &doc, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "'input' line 1 column 1: empty document");
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(tr_json_parse("[1,]", 4, "x", NULL, &doc, NULL), TR_EPARSE);
}
END_TEST

static int parse_limited(const char *text, size_t len, const struct tr_limits *l,
                         struct tr_error *err)
{
    struct tr_json *doc = NULL;
    int rc = tr_json_parse(text, len, "lim", l, &doc, err);
    ck_assert(rc == TR_OK ? doc != NULL : doc == NULL);
    tr_json_free(doc);
    return rc;
}

static struct tr_limits small_limits(void)
{
    struct tr_limits l;
    tr_limits_default(&l);
    return l;
}

START_TEST(limit_on_bytes)
{
    struct tr_limits l = small_limits();
    struct tr_error err = {0};
    l.max_bytes = 8;
    ck_assert_int_eq(parse_limited("[1,\n2,3]", 8, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("[1,\n22,3]", 9, &l, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 2 column 5: document larger than 8 bytes");
    /* Checked before anything is parsed: the same error for garbage. */
    ck_assert_int_eq(parse_limited("\xff\xff\xff\xff\xff\xff\xff\xff\xff", 9, &l, &err),
                     TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 9: document larger than 8 bytes");
}
END_TEST

START_TEST(limit_on_depth)
{
    struct tr_limits l = small_limits();
    struct tr_error err = {0};
    char text[200];
    memset(text, '[', 64);
    memset(text + 64, ']', 64);
    ck_assert_int_eq(parse_limited(text, 128, NULL, &err), TR_OK);
    memset(text, '[', 65);
    memset(text + 65, ']', 65);
    ck_assert_int_eq(parse_limited(text, 130, NULL, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 65: nesting deeper than 64");
    l.max_depth = 2;
    ck_assert_int_eq(parse_limited("{\"a\":[1],\"b\":{}}", 16, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("{\"a\":[1],\"b\":{\"c\":[]}}", 22, &l, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 19: nesting deeper than 2");
    l.max_depth = 1;
    ck_assert_int_eq(parse_limited("7", 1, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("[[]]", 4, &l, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 2: nesting deeper than 1");
}
END_TEST

/* 100,000 opening brackets are refused at the 65th, without reading the rest. */
START_TEST(deep_nesting_is_refused_fast)
{
    size_t n = 100000;
    char *text = malloc(n);
    struct tr_error err = {0};
    memset(text, '[', n);
    /* How fast is measured by tools/time-hostile.sh, not asserted here. */
    ck_assert_int_eq(parse_limited(text, n, NULL, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 65: nesting deeper than 64");
    /* At the hard ceiling of 4096 levels the reader still does not recurse. */
    struct tr_limits l = small_limits();
    l.max_depth = TR_LIMIT_CEIL_DEPTH;
    ck_assert_int_eq(parse_limited(text, n, &l, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 4097: nesting deeper than 4096");
    free(text);
}
END_TEST

START_TEST(limit_on_values)
{
    struct tr_limits l = small_limits();
    struct tr_error err = {0};
    l.max_nodes = 6;
    ck_assert_int_eq(parse_limited("[1,[2],{\"k\":3}]", 15, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("[1,[2],{\"k\":3},4]", 17, &l, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 16: more than 6 values");
    ck_assert_int_eq(parse_limited("[1,[2],{\"k\":[]}]", 16, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("[[[[[[]]]]]]", 12, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("[[[[[[[]]]]]]]", 14, &l, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 7: more than 6 values");
    l.max_nodes = 1;
    ck_assert_int_eq(parse_limited("\"one\"", 5, &l, &err), TR_OK);
}
END_TEST

START_TEST(limit_on_scalars)
{
    struct tr_limits l = small_limits();
    struct tr_error err = {0};
    l.max_scalar = 4;
    ck_assert_int_eq(parse_limited("\"abcd\"", 6, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("[\"abcde\"]", 9, &l, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 2: string longer than 4 bytes");
    /* Decoded bytes count: two escapes of two bytes each fit, a third byte does not. */
    ck_assert_int_eq(parse_limited("\"\\u00e9\\u00e9\"", 14, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("\"\\u00e9\\u00e9x\"", 15, &l, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 1: string longer than 4 bytes");
    ck_assert_int_eq(parse_limited("\"abc\\n\"", 7, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("\"abcd\\n\"", 8, &l, &err), TR_ELIMIT);
    ck_assert_int_eq(parse_limited("\"\\ud83d\\ude00\"", 14, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("{\"abcd\":1}", 10, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("{\"abcde\":1}", 11, &l, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 2: key longer than 4 bytes");
    ck_assert_int_eq(parse_limited("-1.5", 4, &l, &err), TR_OK);
    ck_assert_int_eq(parse_limited("[-1.55]", 7, &l, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'lim' line 1 column 2: number longer than 4 bytes");
}
END_TEST

Suite *json_read_suite(void)
{
    Suite *s = suite_create("json_read");
    TCase *tc = tcase_create("valid");
    tcase_add_test(tc, reads_every_kind_of_value);
    tcase_add_test(tc, scalars_at_top_level);
    tcase_add_test(tc, keeps_number_literals_exactly);
    tcase_add_test(tc, numbers_round_correctly_and_underflow_to_zero);
    tcase_add_test(tc, records_positions_in_characters);
    suite_add_tcase(s, tc);
    tc = tcase_create("rejected");
    tcase_add_loop_test(tc, rejects_malformed_input, 0,
                        (int)(sizeof bad_inputs / sizeof bad_inputs[0]));
    tcase_add_test(tc, duplicate_keys_found_in_large_objects);
    tcase_add_test(tc, bad_arguments);
    suite_add_tcase(s, tc);
    tc = tcase_create("limits");
    tcase_add_test(tc, limit_on_bytes);
    tcase_add_test(tc, limit_on_depth);
    tcase_add_test(tc, deep_nesting_is_refused_fast);
    tcase_add_test(tc, limit_on_values);
    tcase_add_test(tc, limit_on_scalars);
    suite_add_tcase(s, tc);
    return s;
}
