/* json.c — the JSON value tree: construction, lookup, copy, comparison, limits. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg/json.h"

void tr_limits_default(struct tr_limits *l)
{
    l->max_bytes = TR_LIMIT_DEFAULT_BYTES;
    l->max_depth = TR_LIMIT_DEFAULT_DEPTH;
    l->max_nodes = TR_LIMIT_DEFAULT_NODES;
    l->max_scalar = TR_LIMIT_DEFAULT_SCALAR;
}

int tr_limits_check(const struct tr_limits *l, struct tr_error *err)
{
    static const struct {
        const char *name;
        size_t offset;
        size_t ceiling;
    } fields[] = {
        {"max-bytes", offsetof(struct tr_limits, max_bytes), TR_LIMIT_CEIL_BYTES},
        {"max-depth", offsetof(struct tr_limits, max_depth), TR_LIMIT_CEIL_DEPTH},
        {"max-nodes", offsetof(struct tr_limits, max_nodes), TR_LIMIT_CEIL_NODES},
        {"max-scalar", offsetof(struct tr_limits, max_scalar), TR_LIMIT_CEIL_SCALAR},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        size_t v = *(const size_t *)(const void *)((const char *)l + fields[i].offset);
        if (v == 0 || v > fields[i].ceiling) {
            return tr_error_set(err, TR_EINVAL, "limit '%s' must be between 1 and %zu",
                                fields[i].name, fields[i].ceiling);
        }
    }
    return TR_OK;
}

static struct tr_json *new_node(enum tr_json_type type)
{
    struct tr_json *n = calloc(1, sizeof *n);
    if (n != NULL) {
        n->type = type;
    }
    return n;
}

struct tr_json *tr_json_new_null(void)
{
    return new_node(TR_JSON_NULL);
}

struct tr_json *tr_json_new_bool(int value)
{
    struct tr_json *n = new_node(TR_JSON_BOOL);
    if (n != NULL) {
        n->u.boolean = value != 0;
    }
    return n;
}

struct tr_json *tr_json_new_number(double value)
{
    if (!isfinite(value)) {
        return NULL;
    }
    struct tr_json *n = new_node(TR_JSON_NUMBER);
    if (n != NULL) {
        n->u.number.value = value;
    }
    return n;
}

struct tr_json *tr_json_new_string(const char *s, size_t len)
{
    struct tr_json *n = new_node(TR_JSON_STRING);
    if (n == NULL) {
        return NULL;
    }
    n->u.string.ptr = malloc(len + 1);
    if (n->u.string.ptr == NULL) {
        free(n);
        return NULL;
    }
    if (len > 0) {
        memcpy(n->u.string.ptr, s, len);
    }
    n->u.string.ptr[len] = '\0';
    n->u.string.len = len;
    return n;
}

struct tr_json *tr_json_new_cstr(const char *s)
{
    return tr_json_new_string(s, strlen(s));
}

struct tr_json *tr_json_new_array(void)
{
    return new_node(TR_JSON_ARRAY);
}

struct tr_json *tr_json_new_object(void)
{
    return new_node(TR_JSON_OBJECT);
}

void tr_json_free(struct tr_json *node)
{
    if (node == NULL) {
        return;
    }
    switch (node->type) {
    case TR_JSON_NUMBER:
        free(node->u.number.text);
        break;
    case TR_JSON_STRING:
        free(node->u.string.ptr);
        break;
    case TR_JSON_ARRAY:
        for (size_t i = 0; i < node->u.array.len; i++) {
            tr_json_free(node->u.array.items[i]);
        }
        free(node->u.array.items);
        break;
    case TR_JSON_OBJECT:
        for (size_t i = 0; i < node->u.object.len; i++) {
            free(node->u.object.members[i].key);
            tr_json_free(node->u.object.members[i].value);
        }
        free(node->u.object.members);
        break;
    default:
        break;
    }
    free(node);
}

static char *dup_bytes(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p != NULL) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

struct tr_json *tr_json_clone(const struct tr_json *node)
{
    if (node == NULL) {
        return NULL;
    }
    struct tr_json *c = NULL;
    switch (node->type) {
    case TR_JSON_NULL:
        c = tr_json_new_null();
        break;
    case TR_JSON_BOOL:
        c = tr_json_new_bool(node->u.boolean);
        break;
    case TR_JSON_NUMBER:
        c = tr_json_new_number(node->u.number.value);
        if (c != NULL && node->u.number.text != NULL) {
            c->u.number.text = dup_bytes(node->u.number.text, strlen(node->u.number.text));
            if (c->u.number.text == NULL) {
                tr_json_free(c);
                return NULL;
            }
        }
        break;
    case TR_JSON_STRING:
        c = tr_json_new_string(node->u.string.ptr, node->u.string.len);
        break;
    case TR_JSON_ARRAY:
        c = tr_json_new_array();
        for (size_t i = 0; c != NULL && i < node->u.array.len; i++) {
            struct tr_json *item = tr_json_clone(node->u.array.items[i]);
            if (item == NULL || tr_json_array_append(c, item) != TR_OK) {
                tr_json_free(c);
                return NULL;
            }
        }
        break;
    case TR_JSON_OBJECT:
        c = tr_json_new_object();
        for (size_t i = 0; c != NULL && i < node->u.object.len; i++) {
            const struct tr_json_member *m = &node->u.object.members[i];
            struct tr_json *v = tr_json_clone(m->value);
            if (v == NULL || tr_json_object_add(c, m->key, m->key_len, m->key_pos, v) != TR_OK) {
                tr_json_free(c);
                return NULL;
            }
        }
        break;
    }
    if (c != NULL) {
        c->pos = node->pos;
    }
    return c;
}

int tr_json_array_append(struct tr_json *array, struct tr_json *item)
{
    if (array == NULL || array->type != TR_JSON_ARRAY || item == NULL) {
        tr_json_free(item);
        return TR_EINVAL;
    }
    if (array->u.array.len == array->u.array.cap) {
        size_t cap = array->u.array.cap ? array->u.array.cap * 2 : 4;
        struct tr_json **p = realloc(array->u.array.items, cap * sizeof *p);
        if (p == NULL) {
            tr_json_free(item);
            return TR_ENOMEM;
        }
        array->u.array.items = p;
        array->u.array.cap = cap;
    }
    array->u.array.items[array->u.array.len++] = item;
    return TR_OK;
}

int tr_json_object_add(struct tr_json *obj, const char *key, size_t key_len, struct tr_pos pos,
                       struct tr_json *value)
{
    if (obj == NULL || obj->type != TR_JSON_OBJECT || key == NULL || value == NULL) {
        tr_json_free(value);
        return TR_EINVAL;
    }
    if (obj->u.object.len == obj->u.object.cap) {
        size_t cap = obj->u.object.cap ? obj->u.object.cap * 2 : 4;
        struct tr_json_member *p = realloc(obj->u.object.members, cap * sizeof *p);
        if (p == NULL) {
            tr_json_free(value);
            return TR_ENOMEM;
        }
        obj->u.object.members = p;
        obj->u.object.cap = cap;
    }
    char *k = dup_bytes(key, key_len);
    if (k == NULL) {
        tr_json_free(value);
        return TR_ENOMEM;
    }
    struct tr_json_member *m = &obj->u.object.members[obj->u.object.len++];
    m->key = k;
    m->key_len = key_len;
    m->key_pos = pos;
    m->value = value;
    return TR_OK;
}

static struct tr_json_member *find_member(const struct tr_json *obj, const char *key)
{
    if (obj == NULL || obj->type != TR_JSON_OBJECT || key == NULL) {
        return NULL;
    }
    size_t len = strlen(key);
    for (size_t i = 0; i < obj->u.object.len; i++) {
        struct tr_json_member *m = &obj->u.object.members[i];
        if (m->key_len == len && memcmp(m->key, key, len) == 0) {
            return m;
        }
    }
    return NULL;
}

int tr_json_object_set(struct tr_json *obj, const char *key, struct tr_json *value)
{
    if (value == NULL) {
        return TR_EINVAL;
    }
    struct tr_json_member *m = find_member(obj, key);
    if (m != NULL) {
        value->pos = value->pos.line != 0 ? value->pos : m->value->pos;
        tr_json_free(m->value);
        m->value = value;
        return TR_OK;
    }
    struct tr_pos none = {0, 0};
    return tr_json_object_add(obj, key, key != NULL ? strlen(key) : 0, none, value);
}

struct tr_json *tr_json_object_get(const struct tr_json *obj, const char *key)
{
    struct tr_json_member *m = find_member(obj, key);
    return m != NULL ? m->value : NULL;
}

struct tr_json *tr_json_object_take(struct tr_json *obj, const char *key)
{
    struct tr_json_member *m = find_member(obj, key);
    if (m == NULL) {
        return NULL;
    }
    struct tr_json *v = m->value;
    free(m->key);
    size_t i = (size_t)(m - obj->u.object.members);
    memmove(m, m + 1, (obj->u.object.len - i - 1) * sizeof *m);
    obj->u.object.len--;
    return v;
}

int tr_json_object_remove(struct tr_json *obj, const char *key)
{
    struct tr_json *v = tr_json_object_take(obj, key);
    if (v == NULL) {
        return 0;
    }
    tr_json_free(v);
    return 1;
}

const char *tr_json_string(const struct tr_json *node)
{
    return node != NULL && node->type == TR_JSON_STRING ? node->u.string.ptr : NULL;
}

int tr_json_is(const struct tr_json *node, enum tr_json_type type)
{
    return node != NULL && node->type == type;
}

const char *tr_json_type_name(enum tr_json_type type)
{
    switch (type) {
    case TR_JSON_NULL:
        return "null";
    case TR_JSON_BOOL:
        return "boolean";
    case TR_JSON_NUMBER:
        return "number";
    case TR_JSON_STRING:
        return "string";
    case TR_JSON_ARRAY:
        return "array";
    case TR_JSON_OBJECT:
        return "object";
    }
    return "unknown";
}

int tr_json_equal(const struct tr_json *a, const struct tr_json *b)
{
    if (a == NULL || b == NULL || a->type != b->type) {
        return a == b;
    }
    switch (a->type) {
    case TR_JSON_NULL:
        return 1;
    case TR_JSON_BOOL:
        return a->u.boolean == b->u.boolean;
    case TR_JSON_NUMBER:
        return a->u.number.value == b->u.number.value;
    case TR_JSON_STRING:
        return a->u.string.len == b->u.string.len &&
               memcmp(a->u.string.ptr, b->u.string.ptr, a->u.string.len) == 0;
    case TR_JSON_ARRAY:
        if (a->u.array.len != b->u.array.len) {
            return 0;
        }
        for (size_t i = 0; i < a->u.array.len; i++) {
            if (!tr_json_equal(a->u.array.items[i], b->u.array.items[i])) {
                return 0;
            }
        }
        return 1;
    case TR_JSON_OBJECT:
        if (a->u.object.len != b->u.object.len) {
            return 0;
        }
        for (size_t i = 0; i < a->u.object.len; i++) {
            const struct tr_json_member *m = &a->u.object.members[i];
            if (!tr_json_equal(m->value, tr_json_object_get(b, m->key))) {
                return 0;
            }
        }
        return 1;
    }
    return 0;
}
