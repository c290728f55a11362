/* check_json.c — the value tree: construction, lookup, ownership, copy, comparison, limits. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg.h"

/* {"a":1,"b":[true,null,"x"]} built by hand. */
static struct tr_json *sample(void)
{
    struct tr_json *obj = tr_json_new_object();
    struct tr_json *arr = tr_json_new_array();
    ck_assert_ptr_nonnull(obj);
    ck_assert_ptr_nonnull(arr);
    ck_assert_int_eq(tr_json_array_append(arr, tr_json_new_bool(1)), TR_OK);
    ck_assert_int_eq(tr_json_array_append(arr, tr_json_new_null()), TR_OK);
    ck_assert_int_eq(tr_json_array_append(arr, tr_json_new_cstr("x")), TR_OK);
    ck_assert_int_eq(tr_json_object_set(obj, "a", tr_json_new_number(1)), TR_OK);
    ck_assert_int_eq(tr_json_object_set(obj, "b", arr), TR_OK);
    return obj;
}

START_TEST(constructors_set_type_and_value)
{
    struct tr_json *n = tr_json_new_number(2.5);
    struct tr_json *b = tr_json_new_bool(7);
    struct tr_json *s = tr_json_new_string("ab\0cd", 2);
    ck_assert_int_eq(n->type, TR_JSON_NUMBER);
    ck_assert(n->u.number.value == 2.5);
    ck_assert_ptr_null(n->u.number.text);
    ck_assert_int_eq(b->u.boolean, 1);
    ck_assert_str_eq(tr_json_string(s), "ab");
    ck_assert_uint_eq(s->u.string.len, 2);
    ck_assert_uint_eq(n->pos.line, 0);
    ck_assert_ptr_null(tr_json_string(n));
    ck_assert_ptr_null(tr_json_string(NULL));
    ck_assert_int_eq(tr_json_is(b, TR_JSON_BOOL), 1);
    ck_assert_int_eq(tr_json_is(b, TR_JSON_NULL), 0);
    ck_assert_int_eq(tr_json_is(NULL, TR_JSON_NULL), 0);
    tr_json_free(n);
    tr_json_free(b);
    tr_json_free(s);
    tr_json_free(NULL);
}
END_TEST

START_TEST(number_must_be_finite)
{
    ck_assert_ptr_null(tr_json_new_number(NAN));
    ck_assert_ptr_null(tr_json_new_number(INFINITY));
    ck_assert_ptr_null(tr_json_new_number(-INFINITY));
}
END_TEST

START_TEST(type_names)
{
    ck_assert_str_eq(tr_json_type_name(TR_JSON_NULL), "null");
    ck_assert_str_eq(tr_json_type_name(TR_JSON_BOOL), "boolean");
    ck_assert_str_eq(tr_json_type_name(TR_JSON_NUMBER), "number");
    ck_assert_str_eq(tr_json_type_name(TR_JSON_STRING), "string");
    ck_assert_str_eq(tr_json_type_name(TR_JSON_ARRAY), "array");
    ck_assert_str_eq(tr_json_type_name(TR_JSON_OBJECT), "object");
}
END_TEST

START_TEST(set_replaces_in_place_and_get_finds)
{
    struct tr_json *obj = sample();
    struct tr_json *c = tr_json_new_cstr("c");
    c->pos = (struct tr_pos){0, 0};
    ck_assert_int_eq(tr_json_object_set(obj, "a", c), TR_OK);
    ck_assert_uint_eq(obj->u.object.len, 2);
    ck_assert_str_eq(obj->u.object.members[0].key, "a");
    ck_assert_ptr_eq(tr_json_object_get(obj, "a"), c);
    ck_assert_ptr_null(tr_json_object_get(obj, "z"));
    ck_assert_ptr_null(tr_json_object_get(obj, NULL));
    ck_assert_ptr_null(tr_json_object_get(tr_json_object_get(obj, "b"), "a"));
    ck_assert_ptr_null(tr_json_object_get(NULL, "a"));
    tr_json_free(obj);
}
END_TEST

START_TEST(set_keeps_the_position_of_the_replaced_value)
{
    struct tr_json *obj = tr_json_new_object();
    struct tr_json *v = tr_json_new_null();
    v->pos = (struct tr_pos){3, 7};
    ck_assert_int_eq(tr_json_object_set(obj, "k", v), TR_OK);
    ck_assert_int_eq(tr_json_object_set(obj, "k", tr_json_new_bool(0)), TR_OK);
    ck_assert_uint_eq(tr_json_object_get(obj, "k")->pos.line, 3);
    ck_assert_uint_eq(tr_json_object_get(obj, "k")->pos.column, 7);
    tr_json_free(obj);
}
END_TEST

START_TEST(take_hands_over_and_remove_frees)
{
    struct tr_json *obj = sample();
    struct tr_json *b = tr_json_object_take(obj, "b");
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(b->type, TR_JSON_ARRAY);
    ck_assert_uint_eq(obj->u.object.len, 1);
    ck_assert_ptr_null(tr_json_object_take(obj, "b"));
    ck_assert_int_eq(tr_json_object_remove(obj, "a"), 1);
    ck_assert_int_eq(tr_json_object_remove(obj, "a"), 0);
    ck_assert_uint_eq(obj->u.object.len, 0);
    ck_assert_ptr_null(tr_json_object_take(b, "a"));
    tr_json_free(b);
    tr_json_free(obj);
}
END_TEST

START_TEST(take_keeps_the_order_of_the_rest)
{
    struct tr_json *obj = tr_json_new_object();
    const char *keys[] = {"k1", "k2", "k3", "k4", "k5"};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(tr_json_object_set(obj, keys[i], tr_json_new_number((double)i)), TR_OK);
    }
    tr_json_free(tr_json_object_take(obj, "k2"));
    ck_assert_uint_eq(obj->u.object.len, 4);
    ck_assert_str_eq(obj->u.object.members[0].key, "k1");
    ck_assert_str_eq(obj->u.object.members[1].key, "k3");
    ck_assert_str_eq(obj->u.object.members[3].key, "k5");
    ck_assert(obj->u.object.members[3].value->u.number.value == 4);
    tr_json_free(obj);
}
END_TEST

/* Ownership on failure: the value is freed (the leak checker of check-asan sees a leak). */
START_TEST(failed_insertions_free_the_value)
{
    struct tr_json *arr = tr_json_new_array();
    struct tr_json *obj = tr_json_new_object();
    struct tr_pos none = {0, 0};
    ck_assert_int_eq(tr_json_array_append(obj, tr_json_new_cstr("x")), TR_EINVAL);
    ck_assert_int_eq(tr_json_array_append(NULL, tr_json_new_cstr("x")), TR_EINVAL);
    ck_assert_int_eq(tr_json_array_append(arr, NULL), TR_EINVAL);
    ck_assert_int_eq(tr_json_object_set(arr, "k", tr_json_new_cstr("x")), TR_EINVAL);
    ck_assert_int_eq(tr_json_object_set(obj, NULL, tr_json_new_cstr("x")), TR_EINVAL);
    ck_assert_int_eq(tr_json_object_set(obj, "k", NULL), TR_EINVAL);
    ck_assert_int_eq(tr_json_object_add(arr, "k", 1, none, tr_json_new_cstr("x")), TR_EINVAL);
    ck_assert_int_eq(tr_json_object_add(obj, NULL, 0, none, tr_json_new_cstr("x")), TR_EINVAL);
    ck_assert_uint_eq(arr->u.array.len, 0);
    ck_assert_uint_eq(obj->u.object.len, 0);
    tr_json_free(arr);
    tr_json_free(obj);
}
END_TEST

START_TEST(add_keeps_key_bytes_and_position)
{
    struct tr_json *obj = tr_json_new_object();
    struct tr_pos at = {4, 9};
    ck_assert_int_eq(tr_json_object_add(obj, "keyXX", 3, at, tr_json_new_null()), TR_OK);
    ck_assert_str_eq(obj->u.object.members[0].key, "key");
    ck_assert_uint_eq(obj->u.object.members[0].key_len, 3);
    ck_assert_uint_eq(obj->u.object.members[0].key_pos.line, 4);
    ck_assert_uint_eq(obj->u.object.members[0].key_pos.column, 9);
    tr_json_free(obj);
}
END_TEST

START_TEST(arrays_grow)
{
    struct tr_json *arr = tr_json_new_array();
    for (int i = 0; i < 1000; i++) {
        ck_assert_int_eq(tr_json_array_append(arr, tr_json_new_number(i)), TR_OK);
    }
    ck_assert_uint_eq(arr->u.array.len, 1000);
    ck_assert(arr->u.array.items[999]->u.number.value == 999);
    tr_json_free(arr);
}
END_TEST

START_TEST(clone_is_deep_and_equal)
{
    struct tr_json *doc = NULL;
    const char *text = "{\"a\": [1, 18446744073709551615, {\"x\": null}], \"b\": \"s\", \"c\": false}";
    ck_assert_int_eq(tr_json_parse(text, strlen(text), "t", NULL, &doc, NULL), TR_OK);
    struct tr_json *copy = tr_json_clone(doc);
    ck_assert_ptr_nonnull(copy);
    ck_assert_int_eq(tr_json_equal(doc, copy), 1);
    struct tr_json *arr = tr_json_object_get(copy, "a");
    ck_assert_ptr_ne(arr, tr_json_object_get(doc, "a"));
    ck_assert_str_eq(arr->u.array.items[1]->u.number.text, "18446744073709551615");
    ck_assert_ptr_ne(arr->u.array.items[1]->u.number.text,
                     tr_json_object_get(doc, "a")->u.array.items[1]->u.number.text);
    ck_assert_uint_eq(arr->pos.line, 1);
    ck_assert_uint_eq(arr->pos.column, 7);
    ck_assert_uint_eq(copy->u.object.members[1].key_pos.column, 47);
    /* Changing the copy leaves the original alone. */
    ck_assert_int_eq(tr_json_object_set(copy, "b", tr_json_new_cstr("t")), TR_OK);
    ck_assert_str_eq(tr_json_string(tr_json_object_get(doc, "b")), "s");
    ck_assert_int_eq(tr_json_equal(doc, copy), 0);
    ck_assert_ptr_null(tr_json_clone(NULL));
    tr_json_free(copy);
    tr_json_free(doc);
}
END_TEST

static int equal_texts(const char *a, const char *b)
{
    struct tr_json *x = NULL, *y = NULL;
    ck_assert_int_eq(tr_json_parse(a, strlen(a), "a", NULL, &x, NULL), TR_OK);
    ck_assert_int_eq(tr_json_parse(b, strlen(b), "b", NULL, &y, NULL), TR_OK);
    int eq = tr_json_equal(x, y);
    ck_assert_int_eq(tr_json_equal(y, x), eq);
    tr_json_free(x);
    tr_json_free(y);
    return eq;
}

START_TEST(equal_ignores_member_order_and_number_spelling)
{
    ck_assert_int_eq(equal_texts("{\"a\":1,\"b\":[2,3]}", "{\"b\":[2,3.0],\"a\":1e0}"), 1);
    ck_assert_int_eq(equal_texts("0", "-0"), 1);
    ck_assert_int_eq(equal_texts("[1,2]", "[2,1]"), 0);
    ck_assert_int_eq(equal_texts("[1]", "[1,1]"), 0);
    ck_assert_int_eq(equal_texts("{\"a\":1}", "{\"b\":1}"), 0);
    ck_assert_int_eq(equal_texts("{\"a\":1}", "{\"a\":1,\"b\":1}"), 0);
    ck_assert_int_eq(equal_texts("\"a\"", "\"a \""), 0);
    ck_assert_int_eq(equal_texts("true", "false"), 0);
    ck_assert_int_eq(equal_texts("null", "false"), 0);
    ck_assert_int_eq(equal_texts("null", "null"), 1);
    ck_assert_int_eq(equal_texts("1", "\"1\""), 0);
    ck_assert_int_eq(tr_json_equal(NULL, NULL), 1);
}
END_TEST

START_TEST(limits_are_checked)
{
    struct tr_limits l;
    struct tr_error err = {0};
    tr_limits_default(&l);
    ck_assert_uint_eq(l.max_bytes, 1048576);
    ck_assert_uint_eq(l.max_depth, 64);
    ck_assert_uint_eq(l.max_nodes, 100000);
    ck_assert_uint_eq(l.max_scalar, 65536);
    ck_assert_int_eq(tr_limits_check(&l, &err), TR_OK);
    l.max_depth = 0;
    ck_assert_int_eq(tr_limits_check(&l, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "limit 'max-depth' must be between 1 and 4096");
    l.max_depth = TR_LIMIT_CEIL_DEPTH;
    l.max_scalar = TR_LIMIT_CEIL_SCALAR + 1;
    ck_assert_int_eq(tr_limits_check(&l, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "limit 'max-scalar' must be between 1 and 16777216");
}
END_TEST

Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("tree");
    tcase_add_test(tc, constructors_set_type_and_value);
    tcase_add_test(tc, number_must_be_finite);
    tcase_add_test(tc, type_names);
    tcase_add_test(tc, set_replaces_in_place_and_get_finds);
    tcase_add_test(tc, set_keeps_the_position_of_the_replaced_value);
    tcase_add_test(tc, take_hands_over_and_remove_frees);
    tcase_add_test(tc, take_keeps_the_order_of_the_rest);
    tcase_add_test(tc, failed_insertions_free_the_value);
    tcase_add_test(tc, add_keeps_key_bytes_and_position);
    tcase_add_test(tc, arrays_grow);
    tcase_add_test(tc, clone_is_deep_and_equal);
    tcase_add_test(tc, equal_ignores_member_order_and_number_spelling);
    tcase_add_test(tc, limits_are_checked);
    suite_add_tcase(s, tc);
    return s;
}
