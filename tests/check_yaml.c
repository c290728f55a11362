/* check_yaml.c — bounded YAML loading: core schema, streams, positions, refusals, limits. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

/* load — tr_yaml_load of the C string s named "t.yaml"; the message lands in err. */
static int load(const char *s, const struct tr_limits *l, struct tr_json **out,
                struct tr_error *err)
{
    tr_error_clear(err);
    return tr_yaml_load(s, strlen(s), "t.yaml", l, out, err);
}

/* load_ok — the one document of s, asserting success. */
static struct tr_json *load_ok(const char *s)
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    int rc = load(s, NULL, &doc, &err);
    ck_assert_msg(rc == TR_OK, "%s: %s", s, err.msg);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

/* assert_refused — loading s (under l, NULL = defaults) fails with code and exactly msg. */
static void assert_refused(const char *s, const struct tr_limits *l, int code, const char *msg)
{
    struct tr_json *doc = (struct tr_json *)&doc;
    struct tr_error err = {0};
    int rc = load(s, l, &doc, &err);
    ck_assert_msg(rc == code, "%s: code %d, expected %d (%s)", s, rc, code, err.msg);
    ck_assert_int_eq(err.code, code);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_ptr_null(doc);
}

/* assert_loads — s loads under l (NULL = defaults). */
static void assert_loads(const char *s, const struct tr_limits *l)
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    ck_assert_msg(load(s, l, &doc, &err) == TR_OK, "%s: %s", s, err.msg);
    ck_assert_ptr_nonnull(doc);
    tr_json_free(doc);
}

/*
 * assert_stream — the reader over s (named "s.yaml") under l yields ok documents, then fails
 * with code and exactly msg, or (msg NULL) ends.
 */
static void assert_stream(const char *s, const struct tr_limits *l, int ok, int code,
                          const char *msg)
{
    struct tr_yaml_reader *r = NULL;
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_yaml_reader_open_mem(s, strlen(s), "s.yaml", l, &r, &err), TR_OK);
    for (int i = 0; i < ok; i++) {
        ck_assert_msg(tr_yaml_reader_next(r, &doc, &err) == TR_OK, "%s", err.msg);
        ck_assert_ptr_nonnull(doc);
        tr_json_free(doc);
    }
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), code);
    ck_assert_ptr_null(doc);
    if (msg != NULL) {
        ck_assert_str_eq(err.msg, msg);
    }
    tr_yaml_reader_free(r);
}

/* ---- the core schema ------------------------------------------------------------------ */

/* How `v: IN` resolves: type, and the string, or the number and its text, or the boolean. */
static const struct {
    const char *in;
    enum tr_json_type type;
    const char *text; /* string value, or number text */
    double number;
    int boolean;
} resolution[] = {
    {"", TR_JSON_NULL, NULL, 0, 0},
    {"~", TR_JSON_NULL, NULL, 0, 0},
    {"null", TR_JSON_NULL, NULL, 0, 0},
    {"Null", TR_JSON_NULL, NULL, 0, 0},
    {"NULL", TR_JSON_NULL, NULL, 0, 0},
    {"true", TR_JSON_BOOL, NULL, 0, 1},
    {"True", TR_JSON_BOOL, NULL, 0, 1},
    {"TRUE", TR_JSON_BOOL, NULL, 0, 1},
    {"false", TR_JSON_BOOL, NULL, 0, 0},
    {"False", TR_JSON_BOOL, NULL, 0, 0},
    {"FALSE", TR_JSON_BOOL, NULL, 0, 0},
    {"0", TR_JSON_NUMBER, "0", 0, 0},
    {"42", TR_JSON_NUMBER, "42", 42, 0},
    {"-17", TR_JSON_NUMBER, "-17", -17, 0},
    {"+12", TR_JSON_NUMBER, "+12", 12, 0},
    {"007", TR_JSON_NUMBER, "007", 7, 0},
    {"0o17", TR_JSON_NUMBER, "15", 15, 0},
    {"0o0", TR_JSON_NUMBER, "0", 0, 0},
    {"0x1F", TR_JSON_NUMBER, "31", 31, 0},
    {"0xff", TR_JSON_NUMBER, "255", 255, 0},
    {"9007199254740992", TR_JSON_NUMBER, "9007199254740992", 9007199254740992.0, 0},
    {"-9007199254740992", TR_JSON_NUMBER, "-9007199254740992", -9007199254740992.0, 0},
    {"0x20000000000000", TR_JSON_NUMBER, "9007199254740992", 9007199254740992.0, 0},
    {"1.5", TR_JSON_NUMBER, "1.5", 1.5, 0},
    {"-1.5", TR_JSON_NUMBER, "-1.5", -1.5, 0},
    {".5", TR_JSON_NUMBER, ".5", 0.5, 0},
    {"1.", TR_JSON_NUMBER, "1.", 1, 0},
    {"1e3", TR_JSON_NUMBER, "1e3", 1000, 0},
    {"1.5E-3", TR_JSON_NUMBER, "1.5E-3", 0.0015, 0},
    {"+.5e+2", TR_JSON_NUMBER, "+.5e+2", 50, 0},
    {"1e-400", TR_JSON_NUMBER, "1e-400", 0, 0},
    {"nULL", TR_JSON_STRING, "nULL", 0, 0},
    {"tRUE", TR_JSON_STRING, "tRUE", 0, 0},
    {"yes", TR_JSON_STRING, "yes", 0, 0},
    {"No", TR_JSON_STRING, "No", 0, 0},
    {"on", TR_JSON_STRING, "on", 0, 0},
    {"0b101", TR_JSON_STRING, "0b101", 0, 0},
    {"1_000", TR_JSON_STRING, "1_000", 0, 0},
    {"0X1F", TR_JSON_STRING, "0X1F", 0, 0},
    {"0o", TR_JSON_STRING, "0o", 0, 0},
    {"0o8", TR_JSON_STRING, "0o8", 0, 0},
    {"0x", TR_JSON_STRING, "0x", 0, 0},
    {"-0x1", TR_JSON_STRING, "-0x1", 0, 0},
    {"12:30", TR_JSON_STRING, "12:30", 0, 0},
    {"2024-01-01", TR_JSON_STRING, "2024-01-01", 0, 0},
    {"1e", TR_JSON_STRING, "1e", 0, 0},
    {"e5", TR_JSON_STRING, "e5", 0, 0},
    {"1.2.3", TR_JSON_STRING, "1.2.3", 0, 0},
    {".", TR_JSON_STRING, ".", 0, 0},
    {"+", TR_JSON_STRING, "+", 0, 0},
    {"inf", TR_JSON_STRING, "inf", 0, 0},
    {"nan", TR_JSON_STRING, "nan", 0, 0},
    {"\"1\"", TR_JSON_STRING, "1", 0, 0},
    {"'true'", TR_JSON_STRING, "true", 0, 0},
    {"\"null\"", TR_JSON_STRING, "null", 0, 0},
    {"'~'", TR_JSON_STRING, "~", 0, 0},
    {"\"\"", TR_JSON_STRING, "", 0, 0},
    {"\".nan\"", TR_JSON_STRING, ".nan", 0, 0},
    {"|\n  12\n", TR_JSON_STRING, "12\n", 0, 0},
    {">-\n  a\n  b\n", TR_JSON_STRING, "a b", 0, 0},
    {"\"caf\\u00e9 \\U0001F600\"", TR_JSON_STRING, "caf\xc3\xa9 \xf0\x9f\x98\x80", 0, 0},
    {"!!str 12", TR_JSON_STRING, "12", 0, 0},
    {"!!str true", TR_JSON_STRING, "true", 0, 0},
    {"!!str", TR_JSON_STRING, "", 0, 0},
    {"!!int \"12\"", TR_JSON_NUMBER, "12", 12, 0},
    {"!!int 0x10", TR_JSON_NUMBER, "16", 16, 0},
    {"!<tag:yaml.org,2002:int> 0o10", TR_JSON_NUMBER, "8", 8, 0},
    {"!!float 3", TR_JSON_NUMBER, "3", 3, 0},
    {"!!float '2.5'", TR_JSON_NUMBER, "2.5", 2.5, 0},
    {"!!bool \"true\"", TR_JSON_BOOL, NULL, 0, 1},
    {"!!null ''", TR_JSON_NULL, NULL, 0, 0},
    {"!!null", TR_JSON_NULL, NULL, 0, 0},
};

START_TEST(core_schema_resolution)
{
    char doc[128];
    snprintf(doc, sizeof doc, "v: %s", resolution[_i].in);
    struct tr_json *root = load_ok(doc);
    const struct tr_json *v = tr_json_object_get(root, "v");
    ck_assert_ptr_nonnull(v);
    ck_assert_msg(v->type == resolution[_i].type, "%s: type %s", doc, tr_json_type_name(v->type));
    switch (v->type) {
    case TR_JSON_STRING:
        ck_assert_str_eq(v->u.string.ptr, resolution[_i].text);
        ck_assert_uint_eq(v->u.string.len, strlen(resolution[_i].text));
        break;
    case TR_JSON_NUMBER:
        ck_assert_str_eq(v->u.number.text, resolution[_i].text);
        ck_assert_msg(v->u.number.value == resolution[_i].number, "%s: %.17g", doc,
                      v->u.number.value);
        break;
    case TR_JSON_BOOL:
        ck_assert_int_eq(v->u.boolean, resolution[_i].boolean);
        break;
    default:
        break;
    }
    tr_json_free(root);
}
END_TEST

START_TEST(collections_and_quoted_merge_key)
{
    struct tr_json *root = load_ok("\"<<\": x\nlist: [a, [b], {c: d}]\nmap: {}\nseq: []\n"
                                   "tagged: !!map {k: !!seq [1]}\n");
    ck_assert_str_eq(tr_json_string(tr_json_object_get(root, "<<")), "x");
    const struct tr_json *list = tr_json_object_get(root, "list");
    ck_assert(tr_json_is(list, TR_JSON_ARRAY));
    ck_assert_uint_eq(list->u.array.len, 3);
    ck_assert(tr_json_is(list->u.array.items[1], TR_JSON_ARRAY));
    ck_assert_str_eq(tr_json_string(tr_json_object_get(list->u.array.items[2], "c")), "d");
    ck_assert_uint_eq(tr_json_object_get(root, "map")->u.object.len, 0);
    ck_assert_uint_eq(tr_json_object_get(root, "seq")->u.array.len, 0);
    const struct tr_json *k = tr_json_object_get(tr_json_object_get(root, "tagged"), "k");
    ck_assert(tr_json_is(k, TR_JSON_ARRAY));
    tr_json_free(root);
}
END_TEST

START_TEST(keys_become_strings_after_resolution)
{
    struct tr_json *root = load_ok("1: a\n0x10: b\n~: c\ntrue: d\n1.50: e\n-0: f\n\"x\": g\n");
    static const char *const keys[] = {"1", "16", "null", "true", "1.50", "0", "x"};
    ck_assert_uint_eq(root->u.object.len, 7);
    for (size_t i = 0; i < 7; i++) {
        ck_assert_str_eq(root->u.object.members[i].key, keys[i]);
        ck_assert_uint_eq(root->u.object.members[i].key_len, strlen(keys[i]));
    }
    tr_json_free(root);
}
END_TEST

START_TEST(many_keys_are_indexed_and_kept_in_order)
{
    struct tr_buf b;
    tr_buf_init(&b);
    for (int i = 0; i < 5000; i++) {
        tr_buf_addf(&b, "k%d: %d\n", i, i);
    }
    struct tr_json *root = load_ok(b.data);
    ck_assert_uint_eq(root->u.object.len, 5000);
    ck_assert_str_eq(root->u.object.members[4321].key, "k4321");
    ck_assert(root->u.object.members[4321].value->u.number.value == 4321);
    tr_json_free(root);
    tr_buf_addf(&b, "k2500: again\n");
    assert_refused(b.data, NULL, TR_EPARSE, "'t.yaml' line 5001 column 1: duplicate key 'k2500'");
    tr_buf_release(&b);
}
END_TEST

/* ---- streams -------------------------------------------------------------------------- */

START_TEST(multi_document_stream)
{
    static const char s[] = "# leading comment\na: 1\n---\n- x\n--- text\n---\n...\n---\n"
                            "b: {c: 2}\n...\n";
    struct tr_yaml_reader *r = NULL;
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_yaml_reader_open_mem(s, strlen(s), "s.yaml", NULL, &r, &err), TR_OK);

    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_OK);
    ck_assert(tr_json_is(doc, TR_JSON_OBJECT));
    ck_assert_uint_eq(doc->pos.line, 2);
    tr_json_free(doc);

    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_OK);
    ck_assert(tr_json_is(doc, TR_JSON_ARRAY));
    ck_assert_str_eq(tr_json_string(doc->u.array.items[0]), "x");
    tr_json_free(doc);

    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_OK);
    ck_assert_str_eq(tr_json_string(doc), "text");
    tr_json_free(doc);

    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_OK);
    ck_assert(tr_json_is(doc, TR_JSON_NULL));
    tr_json_free(doc);

    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_OK);
    ck_assert(tr_json_object_get(tr_json_object_get(doc, "b"), "c")->u.number.value == 2);
    tr_json_free(doc);

    for (int i = 0; i < 3; i++) {
        doc = (struct tr_json *)&doc;
        ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_OK);
        ck_assert_ptr_null(doc);
    }
    tr_yaml_reader_free(r);
}
END_TEST

START_TEST(empty_stream_has_no_document)
{
    static const char *const empties[] = {"", "# only a comment\n", "\n\n  \n", "\xef\xbb\xbf"};
    for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
        struct tr_yaml_reader *r = NULL;
        struct tr_json *doc = (struct tr_json *)&doc;
        ck_assert_int_eq(
            tr_yaml_reader_open_mem(empties[i], strlen(empties[i]), "e.yaml", NULL, &r, NULL),
            TR_OK);
        ck_assert_int_eq(tr_yaml_reader_next(r, &doc, NULL), TR_OK);
        ck_assert_ptr_null(doc);
        tr_yaml_reader_free(r);
    }
    struct tr_yaml_reader *r = NULL;
    struct tr_json *doc = (struct tr_json *)&doc;
    ck_assert_int_eq(tr_yaml_reader_open_mem(NULL, 0, NULL, NULL, &r, NULL), TR_OK);
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, NULL), TR_OK);
    ck_assert_ptr_null(doc);
    tr_yaml_reader_free(r);
    assert_refused("", NULL, TR_EPARSE,
                   "'t.yaml' line 1 column 1: expected one document, found none");
    assert_refused("# c\n", NULL, TR_EPARSE,
                   "'t.yaml' line 2 column 1: expected one document, found none");
}
END_TEST

START_TEST(explicitly_empty_document_is_null)
{
    struct tr_json *doc = load_ok("---\n");
    ck_assert(tr_json_is(doc, TR_JSON_NULL));
    ck_assert_uint_eq(doc->pos.line, 2);
    ck_assert_uint_eq(doc->pos.column, 1);
    tr_json_free(doc);
    doc = load_ok("--- # nothing here\n...\n");
    ck_assert(tr_json_is(doc, TR_JSON_NULL));
    tr_json_free(doc);
}
END_TEST

START_TEST(load_refuses_a_second_document)
{
    assert_refused("a: 1\n---\nb: 2\n", NULL, TR_EPARSE,
                   "'t.yaml' line 2 column 1: expected one document, found more");
    assert_refused("a: 1\n...\n---\n", NULL, TR_EPARSE,
                   "'t.yaml' line 3 column 1: expected one document, found more");
    /* what follows the first document is not loaded, only found */
    assert_refused("a: 1\n--- *alias\n", NULL, TR_EPARSE,
                   "'t.yaml' line 2 column 1: expected one document, found more");
    struct tr_json *doc = load_ok("a: 1\n...\n# trailing comment\n");
    tr_json_free(doc);
}
END_TEST

/* ---- positions ------------------------------------------------------------------------ */

static void assert_pos(struct tr_pos p, unsigned line, unsigned column)
{
    ck_assert_uint_eq(p.line, line);
    ck_assert_uint_eq(p.column, column);
}

START_TEST(positions_are_start_marks)
{
    struct tr_json *root = load_ok("# c\nperson:\n  name: Zhang\n  roles: [a, \"b\"]\n"
                                   "  tag: !!str 5\n  fte: \n");
    assert_pos(root->pos, 2, 1);
    assert_pos(root->u.object.members[0].key_pos, 2, 1);
    const struct tr_json *p = tr_json_object_get(root, "person");
    assert_pos(p->pos, 3, 3);
    assert_pos(p->u.object.members[0].key_pos, 3, 3);
    assert_pos(tr_json_object_get(p, "name")->pos, 3, 9);
    const struct tr_json *roles = tr_json_object_get(p, "roles");
    assert_pos(p->u.object.members[1].key_pos, 4, 3);
    assert_pos(roles->pos, 4, 10);
    assert_pos(roles->u.array.items[0]->pos, 4, 11);
    assert_pos(roles->u.array.items[1]->pos, 4, 14);
    assert_pos(tr_json_object_get(p, "tag")->pos, 5, 8);
    assert_pos(tr_json_object_get(p, "fte")->pos, 6, 7);
    tr_json_free(root);
}
END_TEST

/* Found by tests/fuzz/fuzz_import.c: a value at the end of an input without a final line
 * break was placed on a line after the last. */
START_TEST(positions_at_an_end_without_a_line_break)
{
    struct tr_json *root = load_ok("a:\n  b:");
    assert_pos(tr_json_object_get(tr_json_object_get(root, "a"), "b")->pos, 2, 5);
    tr_json_free(root);
    root = load_ok("a: [x,\n ]");
    assert_pos(tr_json_object_get(root, "a")->pos, 1, 4);
    tr_json_free(root);
    struct tr_yaml_reader *r = NULL;
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_yaml_reader_open_mem("a: 1\n---", 8, "s.yaml", NULL, &r, &err), TR_OK);
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_OK);
    tr_json_free(doc);
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_OK);
    ck_assert_int_eq(doc->type, TR_JSON_NULL);
    assert_pos(doc->pos, 2, 4);
    tr_json_free(doc);
    tr_yaml_reader_free(r);
}
END_TEST

START_TEST(columns_count_characters)
{
    struct tr_json *root = load_ok("名字: 张三\n年龄: [é, x]\n");
    assert_pos(root->u.object.members[1].key_pos, 2, 1);
    const struct tr_json *v = tr_json_object_get(root, "年龄");
    assert_pos(v->pos, 2, 5);
    assert_pos(v->u.array.items[1]->pos, 2, 9);
    tr_json_free(root);
    assert_refused("名字: 张三\n年龄: \xff\n", NULL, TR_EPARSE,
                   "'t.yaml' line 2 column 5: invalid UTF-8: byte 0xff cannot start a character");
    assert_refused("\xef\xbb\xbf"
                   "a: \xff\n",
                   NULL, TR_EPARSE,
                   "'t.yaml' line 1 column 4: invalid UTF-8: byte 0xff cannot start a character");
    assert_refused("\xef\xbb\xbf名字: a\r\n\r\nb: \xc3\n", NULL, TR_EPARSE,
                   "'t.yaml' line 3 column 5: invalid UTF-8: byte 0x0a cannot continue a "
                   "character");
}
END_TEST

/* ---- refusals ------------------------------------------------------------------------- */

/* RAW — an input holding NUL bytes, with its length. */
#define RAW(s) s, sizeof(s) - 1

static const struct {
    const char *in;
    size_t len; /* 0: strlen(in) */
    int code;
    const char *msg; /* after "'t.yaml' " */
} refusals[] = {
    {"a: &x 1\n", 0, TR_EPARSE, "line 1 column 4: anchors and aliases are not allowed"},
    {"- *x\n", 0, TR_EPARSE, "line 1 column 3: anchors and aliases are not allowed"},
    {"&m {a: 1}\n", 0, TR_EPARSE, "line 1 column 1: anchors and aliases are not allowed"},
    {"- &s [1]\n", 0, TR_EPARSE, "line 1 column 3: anchors and aliases are not allowed"},
    {"&a [*a]\n", 0, TR_EPARSE, "line 1 column 1: anchors and aliases are not allowed"},
    {"a: !!binary QQ==\n", 0, TR_EPARSE, "line 1 column 4: tag '!!binary' is not allowed"},
    {"!!python/object:os.system x\n", 0, TR_EPARSE,
     "line 1 column 1: tag '!!python/object:os.system' is not allowed"},
    {"a: !custom x\n", 0, TR_EPARSE, "line 1 column 4: tag '!custom' is not allowed"},
    {"a: ! x\n", 0, TR_EPARSE, "line 1 column 4: tag '!' is not allowed"},
    {"a: !!timestamp 2024-01-01\n", 0, TR_EPARSE,
     "line 1 column 4: tag '!!timestamp' is not allowed"},
    {"!!set {a}\n", 0, TR_EPARSE, "line 1 column 1: tag '!!set' is not allowed"},
    {"!<tag:example.com,2000:x> [1]\n", 0, TR_EPARSE,
     "line 1 column 1: tag 'tag:example.com,2000:x' is not allowed"},
    {"%TAG !! tag:example.com,2000:\n--- !!str x\n", 0, TR_EPARSE,
     "line 2 column 5: tag 'tag:example.com,2000:str' is not allowed"},
    {"!!str [a]\n", 0, TR_EPARSE, "line 1 column 1: tag '!!str' cannot be used on a sequence"},
    {"!!seq {a: 1}\n", 0, TR_EPARSE, "line 1 column 1: tag '!!seq' cannot be used on a mapping"},
    {"a: !!seq x\n", 0, TR_EPARSE, "line 1 column 4: tag '!!seq' cannot be used on a scalar"},
    {"--- !!map\n", 0, TR_EPARSE, "line 1 column 5: tag '!!map' cannot be used on a scalar"},
    {"a: !!bool yes\n", 0, TR_EPARSE, "line 1 column 4: 'yes' is not a valid !!bool"},
    {"a: !!null x\n", 0, TR_EPARSE, "line 1 column 4: 'x' is not a valid !!null"},
    {"a: !!float 0x1\n", 0, TR_EPARSE, "line 1 column 4: '0x1' is not a valid !!float"},
    {"a: !!int .inf\n", 0, TR_EPARSE, "line 1 column 4: '.inf' is not a valid !!int"},
    {"a: !!int 1.5\n", 0, TR_EPARSE, "line 1 column 4: '1.5' is not a valid !!int"},
    {"a: !!float .nan\n", 0, TR_EPARSE,
     "line 1 column 4: '.nan' is not allowed: JSON numbers are finite"},
    {"[a]: b\n", 0, TR_EPARSE, "line 1 column 1: mapping keys must be scalars, not sequences"},
    {"{a: 1}: b\n", 0, TR_EPARSE, "line 1 column 1: mapping keys must be scalars, not mappings"},
    {"? - a\n: b\n", 0, TR_EPARSE, "line 1 column 3: mapping keys must be scalars, not sequences"},
    {"{[a]: b}\n", 0, TR_EPARSE, "line 1 column 2: mapping keys must be scalars, not sequences"},
    {"a: 1\nb: 2\na: 3\n", 0, TR_EPARSE, "line 3 column 1: duplicate key 'a'"},
    {"1: x\n\"1\": y\n", 0, TR_EPARSE, "line 2 column 1: duplicate key '1'"},
    {"0o10: x\n8: y\n", 0, TR_EPARSE, "line 2 column 1: duplicate key '8'"},
    {"+1: x\n01: y\n", 0, TR_EPARSE, "line 2 column 1: duplicate key '1'"},
    {"true: x\nTrue: y\n", 0, TR_EPARSE, "line 2 column 1: duplicate key 'true'"},
    {"null: a\n\"null\": b\n", 0, TR_EPARSE, "line 2 column 1: duplicate key 'null'"},
    {"? a\n? a\n", 0, TR_EPARSE, "line 2 column 3: duplicate key 'a'"},
    {"x:\n  - {k: 1, k: 2}\n", 0, TR_EPARSE, "line 2 column 12: duplicate key 'k'"},
    {"\"a\\nb\": 1\n\"a\\nb\": 2\n", 0, TR_EPARSE, "line 2 column 1: duplicate key 'a?b'"},
    {"<<: {a: 1}\n", 0, TR_EPARSE, "line 1 column 1: merge keys ('<<') are not allowed"},
    {"{<<: {a: 1}}\n", 0, TR_EPARSE, "line 1 column 2: merge keys ('<<') are not allowed"},
    {"a: \"x\\0y\"\n", 0, TR_EPARSE, "line 1 column 4: NUL is not allowed in a scalar"},
    {"a: \"\\x00\"\n", 0, TR_EPARSE, "line 1 column 4: NUL is not allowed in a scalar"},
    {"a: \"\\u0000\"\n", 0, TR_EPARSE, "line 1 column 4: NUL is not allowed in a scalar"},
    {"\"k\\0\": 1\n", 0, TR_EPARSE, "line 1 column 1: NUL is not allowed in a scalar"},
    {RAW("a: x\0y\n"), TR_EPARSE, "line 1 column 5: control character U+0000 is not allowed"},
    {"a: \"\\ud800\"\n", 0, TR_EPARSE,
     "line 1 column 7: invalid escape: a surrogate or beyond U+10FFFF"},
    {"a: \"\\udfff\"\n", 0, TR_EPARSE,
     "line 1 column 7: invalid escape: a surrogate or beyond U+10FFFF"},
    {"a: \"\\U00110000\"\n", 0, TR_EPARSE,
     "line 1 column 7: invalid escape: a surrogate or beyond U+10FFFF"},
    {"a: \xed\xb0\x80\n", 0, TR_EPARSE,
     "line 1 column 4: invalid UTF-8: U+DC00 is a surrogate or beyond U+10FFFF"},
    {"a: \xf4\x90\x80\x80\n", 0, TR_EPARSE,
     "line 1 column 4: invalid UTF-8: U+110000 is a surrogate or beyond U+10FFFF"},
    {"a: \xe0\x80\xaf\n", 0, TR_EPARSE, "line 1 column 4: invalid UTF-8: overlong encoding"},
    {"a: \x80\n", 0, TR_EPARSE,
     "line 1 column 4: invalid UTF-8: byte 0x80 cannot start a character"},
    {"a: \xc3(\n", 0, TR_EPARSE,
     "line 1 column 5: invalid UTF-8: byte 0x28 cannot continue a character"},
    {"a: \xf0\x9f\x98", 0, TR_EPARSE,
     "line 1 column 4: invalid UTF-8: truncated character at the end"},
    {"a: \x1b[0m\n", 0, TR_EPARSE, "line 1 column 4: control character U+001B is not allowed"},
    {"a: .nan\n", 0, TR_EPARSE, "line 1 column 4: '.nan' is not allowed: JSON numbers are finite"},
    {"a: .NaN\n", 0, TR_EPARSE, "line 1 column 4: '.NaN' is not allowed: JSON numbers are finite"},
    {"a: .inf\n", 0, TR_EPARSE, "line 1 column 4: '.inf' is not allowed: JSON numbers are finite"},
    {"a: +.Inf\n", 0, TR_EPARSE,
     "line 1 column 4: '+.Inf' is not allowed: JSON numbers are finite"},
    {"a: -.INF\n", 0, TR_EPARSE,
     "line 1 column 4: '-.INF' is not allowed: JSON numbers are finite"},
    {"a: 9007199254740993\n", 0, TR_EPARSE,
     "line 1 column 4: integer is too large (magnitude over 2^53); quote codes and id numbers"},
    {"a: -9007199254740993\n", 0, TR_EPARSE,
     "line 1 column 4: integer is too large (magnitude over 2^53); quote codes and id numbers"},
    {"a: 0x20000000000001\n", 0, TR_EPARSE,
     "line 1 column 4: integer is too large (magnitude over 2^53); quote codes and id numbers"},
    {"a: 0o400000000000000001\n", 0, TR_EPARSE,
     "line 1 column 4: integer is too large (magnitude over 2^53); quote codes and id numbers"},
    {"a: 1000000000000000000000000000000\n", 0, TR_EPARSE,
     "line 1 column 4: integer is too large (magnitude over 2^53); quote codes and id numbers"},
    {"a: 1e400\n", 0, TR_EPARSE, "line 1 column 4: number '1e400' is out of range"},
    {"a: -1.8e308\n", 0, TR_EPARSE, "line 1 column 4: number '-1.8e308' is out of range"},
    {"a:\n\tb: 1\n", 0, TR_EPARSE, "line 2 column 1: tabs are not allowed in indentation"},
    {"a: [1, 2\n", 0, TR_EPARSE,
     "line 2 column 1: did not find expected ',' or ']' (while parsing a flow sequence at line "
     "1 column 4)"},
    /* Input that ends without a line break fails where it ends, not on a line after it
     * (found by tests/fuzz/fuzz_import.c). */
    {"{", 0, TR_EPARSE,
     "line 1 column 2: did not find expected node content (while parsing a flow node at line 1 "
     "column 2)"},
    {"a: x\nb: [", 0, TR_EPARSE,
     "line 2 column 5: did not find expected node content (while parsing a flow node at line 2 "
     "column 5)"},
    {"{a", 0, TR_EPARSE,
     "line 1 column 3: did not find expected ',' or '}' (while parsing a flow mapping at line 1 "
     "column 1)"},
    {"a: [1, 2", 0, TR_EPARSE,
     "line 1 column 9: did not find expected ',' or ']' (while parsing a flow sequence at line "
     "1 column 4)"},
    {"a: \"x\r\n", 0, TR_EPARSE,
     "line 2 column 1: found unexpected end of stream (while scanning a quoted scalar at line 1 "
     "column 4)"},
    {"a: b: c\n", 0, TR_EPARSE, "line 1 column 5: mapping values are not allowed in this context"},
    {RAW("\xff\xfe"
         "a\0:\0 \0x\0\n\0"),
     TR_EPARSE, "line 1 column 1: input is UTF-16; only UTF-8 is accepted"},
    {RAW("\xfe\xff"
         "\0a\xd8\0"),
     TR_EPARSE, "line 1 column 1: input is UTF-16; only UTF-8 is accepted"},
    {"a: !<tag:x%C0%AFy> 1\n", 0, TR_EPARSE, "line 1 column 4: tag 'tag:x??y' is not allowed"},
    {"a: !<tag:x%C3%A9y> 1\n", 0, TR_EPARSE,
     "line 1 column 4: tag 'tag:x\xc3\xa9y' is not allowed"},
};

START_TEST(refusals_with_exact_messages)
{
    char msg[TR_ERROR_MAX];
    snprintf(msg, sizeof msg, "'t.yaml' %s", refusals[_i].msg);
    const char *in = refusals[_i].in;
    size_t len = refusals[_i].len != 0 ? refusals[_i].len : strlen(in);
    struct tr_json *doc = (struct tr_json *)&doc;
    struct tr_error err = {0};
    int rc = tr_yaml_load(in, len, "t.yaml", NULL, &doc, &err);
    ck_assert_msg(rc == refusals[_i].code, "%s: %d %s", in, rc, err.msg);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_ptr_null(doc);
}
END_TEST

START_TEST(long_subjects_are_cut_in_messages)
{
    struct tr_buf b;
    tr_buf_init(&b);
    tr_buf_adds(&b, "? ");
    for (int i = 0; i < 30; i++) {
        tr_buf_adds(&b, "é");
    }
    tr_buf_adds(&b, "abcdefgh\n: 1\n? ");
    for (int i = 0; i < 30; i++) {
        tr_buf_adds(&b, "é");
    }
    tr_buf_adds(&b, "abcdefgh\n: 2\n");
    struct tr_buf want;
    tr_buf_init(&want);
    tr_buf_adds(&want, "'t.yaml' line 3 column 3: duplicate key '");
    for (int i = 0; i < 30; i++) {
        tr_buf_adds(&want, "é");
    }
    tr_buf_adds(&want, "abcd...'");
    assert_refused(b.data, NULL, TR_EPARSE, want.data);
    tr_buf_release(&b);
    tr_buf_release(&want);
}
END_TEST

/* ---- limits --------------------------------------------------------------------------- */

static struct tr_limits limits(size_t bytes, size_t depth, size_t nodes, size_t scalar)
{
    struct tr_limits l;
    tr_limits_default(&l);
    l.max_bytes = bytes != 0 ? bytes : l.max_bytes;
    l.max_depth = depth != 0 ? depth : l.max_depth;
    l.max_nodes = nodes != 0 ? nodes : l.max_nodes;
    l.max_scalar = scalar != 0 ? scalar : l.max_scalar;
    return l;
}

START_TEST(depth_limit_at_and_over)
{
    struct tr_limits l = limits(0, 3, 0, 0);
    assert_loads("[[[1]]]", &l);
    assert_loads("a: {b: [c]}\n", &l);
    assert_refused("[[[[1]]]]", &l, TR_ELIMIT, "'t.yaml' line 1 column 4: nesting deeper than 3");
    assert_refused("a:\n  b:\n    - c:\n        d\n", &l, TR_ELIMIT,
                   "'t.yaml' line 3 column 7: nesting deeper than 3");
    l = limits(0, 1, 0, 0);
    assert_loads("plain", &l);
    assert_refused("[[]]", &l, TR_ELIMIT, "'t.yaml' line 1 column 2: nesting deeper than 1");
}
END_TEST

START_TEST(node_limit_at_and_over)
{
    struct tr_limits l = limits(0, 0, 4, 0);
    assert_loads("[1, 2, 3]", &l);
    assert_loads("{a: 1, b: 2, c: 3}", &l); /* keys are not values */
    assert_refused("[1, 2, 3, 4]", &l, TR_ELIMIT, "'t.yaml' line 1 column 11: more than 4 values");
    assert_refused("a: [b, {c: d}]", &l, TR_ELIMIT,
                   "'t.yaml' line 1 column 12: more than 4 values");
    /* the count starts again with every document */
    assert_stream("[1, 2, 3]\n---\n[4, 5, 6]\n---\n[7, 8, 9, 10]\n", &l, 2, TR_ELIMIT,
                  "'s.yaml' line 5 column 11: more than 4 values");
}
END_TEST

START_TEST(scalar_limit_at_and_over)
{
    struct tr_limits l = limits(0, 0, 0, 5);
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    assert_loads("abcde: fghij", &l);
    assert_loads("12345", &l);
    /* the limit applies to the value after unescaping */
    ck_assert_int_eq(load("\"\\x41\\x42\\x43\\x44\\x45\"", &l, &doc, &err), TR_OK);
    ck_assert_str_eq(tr_json_string(doc), "ABCDE");
    tr_json_free(doc);
    assert_refused("a: abcdef", &l, TR_ELIMIT,
                   "'t.yaml' line 1 column 4: scalar longer than 5 bytes");
    assert_refused("abcdef: a", &l, TR_ELIMIT,
                   "'t.yaml' line 1 column 1: scalar longer than 5 bytes");
    assert_refused("- 123456", &l, TR_ELIMIT,
                   "'t.yaml' line 1 column 3: scalar longer than 5 bytes");
    assert_refused("- ééé", &l, TR_ELIMIT, "'t.yaml' line 1 column 3: scalar longer than 5 bytes");
}
END_TEST

START_TEST(byte_limit_at_and_over)
{
    struct tr_limits l = limits(7, 0, 0, 0);
    assert_loads("[1, 22]", &l);
    l = limits(6, 0, 0, 0);
    assert_refused("[1, 22]", &l, TR_ELIMIT,
                   "'t.yaml' line 1 column 7: document larger than 6 bytes");
    /* bytes, not characters: "é" is two */
    l = limits(8, 0, 0, 0);
    assert_loads("[1, é2]", &l);
    /* a byte order mark is not part of the document */
    assert_loads("\xef\xbb\xbf"
                 "[1, é2]",
                 &l);
    l = limits(7, 0, 0, 0);
    assert_refused("[1, é2]", &l, TR_ELIMIT,
                   "'t.yaml' line 1 column 7: document larger than 7 bytes");
    /* line breaks of two bytes (CR LF, NEL) count two */
    l = limits(9, 0, 0, 0);
    assert_loads("[1,\r\n 22]", &l);
    assert_loads("[1,\xc2\x85 22]", &l);
    l = limits(8, 0, 0, 0);
    assert_refused("[1,\r\n 22]", &l, TR_ELIMIT,
                   "'t.yaml' line 2 column 4: document larger than 8 bytes");
    assert_refused("[1,\xc2\x85 22]", &l, TR_ELIMIT,
                   "'t.yaml' line 2 column 4: document larger than 8 bytes");
    /* each document is counted from the end of the one before it */
    static const char s[] = "[1, 22]\n---\n[3, 44]\n";
    l = limits(12, 0, 0, 0);
    assert_stream(s, &l, 2, TR_OK, NULL);
    l = limits(11, 0, 0, 0);
    assert_stream(s, &l, 1, TR_ELIMIT, "'s.yaml' line 4 column 1: document larger than 11 bytes");
}
END_TEST

START_TEST(ten_megabyte_documents_fail_early)
{
    size_t len = (size_t)10 << 20;
    char *big = malloc(len + 1);
    ck_assert_ptr_nonnull(big);
    struct tr_json *doc = (struct tr_json *)&doc;
    struct tr_error err = {0};
    size_t column = 0;
    char tail[64];

    /* one 10 MB scalar: the read handler stops soon after 1 MiB */
    memcpy(big, "a: ", 3);
    memset(big + 3, 'x', len - 4);
    big[len - 1] = '\n';
    ck_assert_int_eq(tr_yaml_load(big, len, "big", NULL, &doc, &err), TR_ELIMIT);
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(sscanf(err.msg, "'big' line 1 column %zu: %63[^\n]", &column, tail), 2);
    ck_assert_str_eq(tail, "document larger than 1048576 bytes");
    ck_assert_uint_gt(column, (size_t)1 << 20);
    ck_assert_uint_lt(column, ((size_t)1 << 20) + ((size_t)320 << 10));

    /* 10 MB of short lines: the first event past 1 MiB fails */
    for (size_t i = 0; i < len / 12; i++) {
        snprintf(big + 12 * i, 13, "k%07zu: v\n", i);
    }
    struct tr_limits l = limits(0, 0, TR_LIMIT_CEIL_NODES, 0);
    ck_assert_int_eq(tr_yaml_load(big, len / 12 * 12, "many", &l, &doc, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'many' line 87382 column 1: document larger than 1048576 bytes");
    free(big);
}
END_TEST

/* An endless scalar written into a pipe, counting what was written. */
struct endless {
    int fd;
    size_t written;
};

static void *write_endless(void *arg)
{
    struct endless *e = arg;
    char chunk[4096];
    memset(chunk, 'x', sizeof chunk);
    memcpy(chunk, "a: ", 3);
    for (;;) {
        ssize_t n = write(e->fd, chunk, sizeof chunk);
        if (n <= 0) {
            break;
        }
        e->written += (size_t)n;
        memset(chunk, 'x', 3);
    }
    close(e->fd);
    return NULL;
}

START_TEST(endless_input_is_not_read_to_the_end)
{
    int fds[2];
    char path[64];
    pthread_t t;
    struct endless e = {0, 0};
    struct tr_yaml_reader *r = NULL;
    struct tr_json *doc = (struct tr_json *)&doc;
    struct tr_error err = {0};
    struct tr_limits l = limits((size_t)64 << 10, 0, 0, 0);
    signal(SIGPIPE, SIG_IGN);
    ck_assert_int_eq(pipe(fds), 0);
    e.fd = fds[1];
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    ck_assert_int_eq(tr_yaml_reader_open_file(path, &l, &r, &err), TR_OK);
    close(fds[0]);
    ck_assert_int_eq(pthread_create(&t, NULL, write_endless, &e), 0);
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_ELIMIT);
    ck_assert_ptr_null(doc);
    ck_assert_msg(strstr(err.msg, ": document larger than 65536 bytes") != NULL, "%s", err.msg);
    tr_yaml_reader_free(r);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    /* 64 KiB, the 256 KiB read allowance, libyaml's and the pipe's buffers */
    ck_assert_uint_lt(e.written, (size_t)1 << 20);
}
END_TEST

START_TEST(deep_nesting_is_rejected_fast)
{
    size_t depth = 100000;
    char *s = malloc(depth);
    ck_assert_ptr_nonnull(s);
    memset(s, '[', depth);
    struct tr_json *doc = (struct tr_json *)&doc;
    struct tr_error err = {0};
    /* Refused at the first bracket past the limit; how fast is measured by
     * tools/time-hostile.sh, not asserted here. */
    int rc = tr_yaml_load(s, depth, "deep", NULL, &doc, &err);
    ck_assert_int_eq(rc, TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'deep' line 1 column 65: nesting deeper than 64");
    /* also at the ceiling of max_depth */
    struct tr_limits l = limits(0, TR_LIMIT_CEIL_DEPTH, 0, 0);
    rc = tr_yaml_load(s, depth, "deep", &l, &doc, &err);
    ck_assert_int_eq(rc, TR_ELIMIT);
    ck_assert_str_eq(err.msg, "'deep' line 1 column 4097: nesting deeper than 4096");
    free(s);
}
END_TEST

START_TEST(invalid_limits_are_refused)
{
    struct tr_limits l = limits(0, 0, 0, 0);
    struct tr_yaml_reader *r = (struct tr_yaml_reader *)&l;
    struct tr_error err = {0};
    l.max_depth = 0;
    ck_assert_int_eq(tr_yaml_reader_open_mem("a", 1, "x", &l, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "limit 'max-depth' must be between 1 and 4096");
    ck_assert_ptr_null(r);
    l = limits(0, 0, 0, 0);
    l.max_bytes = (size_t)TR_LIMIT_CEIL_BYTES + 1;
    ck_assert_int_eq(tr_yaml_reader_open_file("tests/hostile/hostile-nan.yaml", &l, &r, &err),
                     TR_EINVAL);
    ck_assert_str_eq(err.msg, "limit 'max-bytes' must be between 1 and 268435456");
    ck_assert_ptr_null(r);
}
END_TEST

/* ---- the reader ----------------------------------------------------------------------- */

START_TEST(errors_are_sticky)
{
    static const char s[] = "a: 1\n---\nb: &x 2\n---\nc: 3\n";
    struct tr_yaml_reader *r = NULL;
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_yaml_reader_open_mem(s, strlen(s), "s.yaml", NULL, &r, &err), TR_OK);
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_OK);
    tr_json_free(doc);
    for (int i = 0; i < 3; i++) {
        doc = (struct tr_json *)&doc;
        tr_error_clear(&err);
        ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_EPARSE);
        ck_assert_int_eq(err.code, TR_EPARSE);
        ck_assert_str_eq(err.msg, "'s.yaml' line 3 column 4: anchors and aliases are not allowed");
        ck_assert_ptr_null(doc);
    }
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, NULL), TR_EPARSE);
    tr_yaml_reader_free(r);
    tr_yaml_reader_free(NULL);
}
END_TEST

START_TEST(missing_file_and_directory)
{
    struct tr_yaml_reader *r = (struct tr_yaml_reader *)&r;
    struct tr_json *doc = (struct tr_json *)&doc;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_yaml_reader_open_file("no/such/file.yaml", NULL, &r, &err), TR_EIO);
    ck_assert_int_eq(err.code, TR_EIO);
    ck_assert_str_eq(err.msg, "cannot open 'no/such/file.yaml': No such file or directory");
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tr_yaml_reader_open_file("tests/hostile", NULL, &r, &err), TR_OK);
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_EIO);
    ck_assert_str_eq(err.msg, "cannot read 'tests/hostile': Is a directory");
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_EIO);
    tr_yaml_reader_free(r);
}
END_TEST

START_TEST(standard_input_is_named_stdin)
{
    static const char s[] = "a: 1\n---\nb: 2\nb: 3\n";
    int fds[2];
    struct tr_yaml_reader *r = NULL;
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_uint_eq((size_t)write(fds[1], s, strlen(s)), strlen(s));
    close(fds[1]);
    ck_assert_int_eq(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
    close(fds[0]);
    ck_assert_int_eq(tr_yaml_reader_open_file("-", NULL, &r, &err), TR_OK);
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_OK);
    ck_assert(tr_json_object_get(doc, "a")->u.number.value == 1);
    tr_json_free(doc);
    ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "'<stdin>' line 4 column 1: duplicate key 'b'");
    tr_yaml_reader_free(r);
    /* standard input stays open */
    ck_assert_int_ne(fcntl(STDIN_FILENO, F_GETFD), -1);
}
END_TEST

/* A stream of n documents of a few hundred bytes each, with multibyte text, then bad bytes. */
static char *make_stream(size_t n, size_t *len)
{
    struct tr_buf b;
    tr_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        tr_buf_addf(&b,
                    "--- # record %zu\nid: %zu\nname: \"名字 %zu\"\nroles: [a, b, {c: é}]\n"
                    "note: |\n  line one\n  line two ü\n",
                    i, i, i);
    }
    tr_buf_adds(&b, "---\nlast: ok\nbad: ü\xff\n");
    return tr_buf_detach(&b, len);
}

/*
 * read_stream — load the documents of make_stream(n) from r until the error at its end,
 * checking each one. libyaml decodes its input ahead in blocks, so the bad bytes fail the
 * stream up to a block before the document that holds them: how many documents come first
 * depends on how the input arrived. Returns that count.
 */
static size_t read_stream(struct tr_yaml_reader *r, size_t n, const char *msg)
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    size_t i = 0;
    while (tr_yaml_reader_next(r, &doc, &err) == TR_OK) {
        ck_assert_ptr_nonnull(doc);
        if (i < n) {
            const struct tr_json *roles = tr_json_object_get(doc, "roles");
            ck_assert(tr_json_object_get(doc, "id")->u.number.value == (double)i);
            ck_assert_str_eq(tr_json_string(tr_json_object_get(doc, "note")),
                             "line one\nline two \xc3\xbc\n");
            assert_pos(roles->pos, 7 * (unsigned)i + 4, 8);
            assert_pos(roles->u.array.items[2]->pos, 7 * (unsigned)i + 4, 15);
        } else {
            ck_assert_str_eq(tr_json_string(tr_json_object_get(doc, "last")), "ok");
        }
        tr_json_free(doc);
        i++;
    }
    ck_assert_int_eq(err.code, TR_EPARSE);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_ptr_null(doc);
    return i;
}

START_TEST(file_and_pipe_read_like_memory)
{
    size_t n = 4000;
    size_t len = 0;
    char *s = make_stream(n, &len);
    char path[] = "/tmp/check_yaml_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_uint_eq((size_t)write(fd, s, len), len);
    close(fd);
    char msg[TR_ERROR_MAX];

    struct tr_yaml_reader *f = NULL;
    struct tr_yaml_reader *m = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_yaml_reader_open_file(path, NULL, &f, &err), TR_OK);
    ck_assert_int_eq(tr_yaml_reader_open_mem(s, len, path, NULL, &m, &err), TR_OK);
    snprintf(msg, sizeof msg,
             "'%s' line %zu column 7: invalid UTF-8: byte 0xff cannot start a character", path,
             7 * n + 3);
    size_t from_file = read_stream(f, n, msg);
    ck_assert_uint_eq(read_stream(m, n, msg), from_file);
    ck_assert_uint_gt(from_file, n - 1000);
    tr_yaml_reader_free(f);
    tr_yaml_reader_free(m);
    unlink(path);

    /* a pipe hands the reader whatever has arrived: chunks of any size */
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        for (size_t off = 0; off < len;) {
            size_t chunk = 1 + (off * 7919) % 4099;
            chunk = chunk < len - off ? chunk : len - off;
            ssize_t w = write(fds[1], s + off, chunk);
            if (w <= 0) {
                _exit(1);
            }
            off += (size_t)w;
        }
        _exit(0);
    }
    close(fds[1]);
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    ck_assert_int_eq(tr_yaml_reader_open_file(path, NULL, &f, &err), TR_OK);
    close(fds[0]);
    snprintf(msg, sizeof msg,
             "'%s' line %zu column 7: invalid UTF-8: byte 0xff cannot start a character", path,
             7 * n + 3);
    ck_assert_uint_gt(read_stream(f, n, msg), n - 1000);
    tr_yaml_reader_free(f);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    free(s);
}
END_TEST

/* ---- the hostile corpus --------------------------------------------------------------- */

static int code_of(const char *name)
{
    static const struct {
        const char *name;
        int code;
    } codes[] = {{"TR_OK", TR_OK}, {"TR_EPARSE", TR_EPARSE}, {"TR_ELIMIT", TR_ELIMIT}};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        if (strcmp(codes[i].name, name) == 0) {
            return codes[i].code;
        }
    }
    ck_abort_msg("unknown code '%s' in tests/hostile/expect.tsv", name);
    return -1;
}

/* check_hostile — load one file both ways; returns 1. */
static int check_hostile(const char *file, int code, const char *msg)
{
    char path[256];
    size_t len = 0;
    snprintf(path, sizeof path, "tests/hostile/%s", file);
    char *data = test_read(path, &len);
    ck_assert_msg(len < 300000, "%s is %zu bytes", path, len);
    struct tr_json *doc = (struct tr_json *)&doc;
    struct tr_error err = {0};
    int rc = tr_yaml_load(data, len, path, NULL, &doc, &err);
    ck_assert_msg(rc == code, "%s: %d %s", path, rc, err.msg);
    if (code == TR_OK) {
        ck_assert(tr_json_is(doc, TR_JSON_NULL));
        tr_json_free(doc);
    } else {
        ck_assert_str_eq(err.msg, msg);
        ck_assert_ptr_null(doc);
    }
    /* the stream reader finds the same first error, but for the one-document rule */
    if (code != TR_OK && strstr(msg, "expected one document") == NULL) {
        struct tr_yaml_reader *r = NULL;
        ck_assert_int_eq(tr_yaml_reader_open_file(path, NULL, &r, &err), TR_OK);
        ck_assert_int_eq(tr_yaml_reader_next(r, &doc, &err), code);
        ck_assert_str_eq(err.msg, msg);
        tr_yaml_reader_free(r);
    }
    free(data);
    return 1;
}

START_TEST(hostile_corpus)
{
    size_t len = 0;
    char *tsv = test_read("tests/hostile/expect.tsv", &len);
    size_t rows = 0;
    char *save = NULL;
    for (char *line = strtok_r(tsv, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') {
            continue;
        }
        char *tab1 = strchr(line, '\t');
        ck_assert_ptr_nonnull(tab1);
        char *tab2 = strchr(tab1 + 1, '\t');
        ck_assert_ptr_nonnull(tab2);
        *tab1 = '\0';
        *tab2 = '\0';
        rows += (size_t)check_hostile(line, code_of(tab1 + 1), tab2 + 1);
    }
    free(tsv);

    /* every hostile-*.yaml file has its row */
    size_t files = 0;
    DIR *d = opendir("tests/hostile");
    ck_assert_ptr_nonnull(d);
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "hostile-", 8) == 0 && n > 5 &&
            strcmp(e->d_name + n - 5, ".yaml") == 0) {
            files++;
        }
    }
    closedir(d);
    ck_assert_uint_eq(rows, files);
    ck_assert_uint_ge(rows, 20);
}
END_TEST

Suite *yaml_suite(void)
{
    Suite *s = suite_create("yaml");
    TCase *tc = tcase_create("core schema");
    tcase_add_loop_test(tc, core_schema_resolution, 0,
                        (int)(sizeof resolution / sizeof resolution[0]));
    tcase_add_test(tc, collections_and_quoted_merge_key);
    tcase_add_test(tc, keys_become_strings_after_resolution);
    tcase_add_test(tc, many_keys_are_indexed_and_kept_in_order);
    suite_add_tcase(s, tc);

    tc = tcase_create("streams and positions");
    tcase_add_test(tc, multi_document_stream);
    tcase_add_test(tc, empty_stream_has_no_document);
    tcase_add_test(tc, explicitly_empty_document_is_null);
    tcase_add_test(tc, load_refuses_a_second_document);
    tcase_add_test(tc, positions_are_start_marks);
    tcase_add_test(tc, positions_at_an_end_without_a_line_break);
    tcase_add_test(tc, columns_count_characters);
    suite_add_tcase(s, tc);

    tc = tcase_create("refusals");
    tcase_add_loop_test(tc, refusals_with_exact_messages, 0,
                        (int)(sizeof refusals / sizeof refusals[0]));
    tcase_add_test(tc, long_subjects_are_cut_in_messages);
    tcase_add_test(tc, hostile_corpus);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, depth_limit_at_and_over);
    tcase_add_test(tc, node_limit_at_and_over);
    tcase_add_test(tc, scalar_limit_at_and_over);
    tcase_add_test(tc, byte_limit_at_and_over);
    tcase_add_test(tc, ten_megabyte_documents_fail_early);
    tcase_add_test(tc, endless_input_is_not_read_to_the_end);
    tcase_add_test(tc, deep_nesting_is_rejected_fast);
    tcase_add_test(tc, invalid_limits_are_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("reader");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, errors_are_sticky);
    tcase_add_test(tc, missing_file_and_directory);
    tcase_add_test(tc, standard_input_is_named_stdin);
    tcase_add_test(tc, file_and_pipe_read_like_memory);
    suite_add_tcase(s, tc);
    return s;
}
