/*
 * json_write.c — the JSON text of a value tree: compact, pretty or RFC 8785 canonical.
 * Strings and numbers are written by the rules of jcs.c in every mode.
 */
#include <stdlib.h>

#include "json_text.h"
#include "talentreg/jcs.h"
#include "talentreg/json.h"

struct writer {
    struct tr_buf *out;
    unsigned flags;
    struct tr_error *err;
};

static int compare_members(const void *pa, const void *pb)
{
    const struct tr_json_member *a = *(const struct tr_json_member *const *)pa;
    const struct tr_json_member *b = *(const struct tr_json_member *const *)pb;
    return tr_jcs_key_compare(a->key, a->key_len, b->key, b->key_len);
}

static int add_string(struct writer *w, const char *s, size_t len, const char *what)
{
    int rc = tr_jcs_add_string(w->out, s, len);
    if (rc == TR_EINVAL) {
        return tr_error_set(w->err, TR_EINVAL, "cannot write JSON: %s is not valid UTF-8", what);
    }
    return rc;
}

static void newline(struct writer *w, size_t depth)
{
    if (w->flags & TR_JSON_PRETTY) {
        tr_buf_addc(w->out, '\n');
        for (size_t i = 0; i < depth; i++) {
            tr_buf_add(w->out, "  ", 2);
        }
    }
}

static int write_value(struct writer *w, const struct tr_json *node, size_t depth);

static int write_object(struct writer *w, const struct tr_json *node, size_t depth)
{
    int rc = TR_OK;
    size_t n = node->u.object.len;
    const struct tr_json_member **order = NULL;
    if (n == 0) {
        return tr_buf_adds(w->out, "{}");
    }
    order = malloc(n * sizeof *order);
    if (order == NULL) {
        rc = tr_error_set(w->err, TR_ENOMEM, "cannot write JSON: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        order[i] = &node->u.object.members[i];
    }
    if (w->flags & TR_JSON_CANONICAL) {
        qsort(order, n, sizeof *order, compare_members);
        for (size_t i = 1; i < n; i++) {
            if (compare_members(&order[i - 1], &order[i]) == 0) {
                char key[TR_JSON_SNIPPET_MAX];
                tr_json_snippet(order[i]->key, order[i]->key_len, key);
                rc = tr_error_set(w->err, TR_EINVAL, "cannot write JSON: duplicate key '%s'",
                                  key);
                goto out;
            }
        }
    }
    tr_buf_addc(w->out, '{');
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            tr_buf_addc(w->out, ',');
        }
        newline(w, depth + 1);
        rc = add_string(w, order[i]->key, order[i]->key_len, "a key");
        if (rc != TR_OK) {
            goto out;
        }
        tr_buf_adds(w->out, (w->flags & TR_JSON_PRETTY) ? ": " : ":");
        rc = write_value(w, order[i]->value, depth + 1);
        if (rc != TR_OK) {
            goto out;
        }
    }
    newline(w, depth);
    rc = tr_buf_addc(w->out, '}');
out:
    free(order);
    return rc;
}

static int write_array(struct writer *w, const struct tr_json *node, size_t depth)
{
    if (node->u.array.len == 0) {
        return tr_buf_adds(w->out, "[]");
    }
    tr_buf_addc(w->out, '[');
    for (size_t i = 0; i < node->u.array.len; i++) {
        if (i > 0) {
            tr_buf_addc(w->out, ',');
        }
        newline(w, depth + 1);
        int rc = write_value(w, node->u.array.items[i], depth + 1);
        if (rc != TR_OK) {
            return rc;
        }
    }
    newline(w, depth);
    return tr_buf_addc(w->out, ']');
}

static int write_value(struct writer *w, const struct tr_json *node, size_t depth)
{
    char num[TR_JCS_NUMBER_MAX];
    if (node == NULL) {
        return tr_error_set(w->err, TR_EINVAL, "cannot write JSON: missing value");
    }
    switch (node->type) {
    case TR_JSON_NULL:
        return tr_buf_adds(w->out, "null");
    case TR_JSON_BOOL:
        return tr_buf_adds(w->out, node->u.boolean ? "true" : "false");
    case TR_JSON_NUMBER:
        if (tr_jcs_number(node->u.number.value, num) != TR_OK) {
            return tr_error_set(w->err, TR_EINVAL, "cannot write JSON: number is not finite");
        }
        return tr_buf_adds(w->out, num);
    case TR_JSON_STRING:
        return add_string(w, node->u.string.ptr, node->u.string.len, "a string");
    case TR_JSON_ARRAY:
        return write_array(w, node, depth);
    case TR_JSON_OBJECT:
        return write_object(w, node, depth);
    }
    return tr_error_set(w->err, TR_EINVAL, "cannot write JSON: unknown value type %d",
                        (int)node->type);
}

static int buffer_error(const struct tr_buf *out, struct tr_error *err)
{
    if (out->err == TR_ELIMIT) {
        return tr_error_set(err, TR_ELIMIT, "cannot write JSON: output larger than %zu bytes",
                            out->max);
    }
    return tr_error_set(err, out->err, "cannot write JSON: %s", tr_strerror(out->err));
}

int tr_json_write(const struct tr_json *node, unsigned flags, struct tr_buf *out,
                  struct tr_error *err)
{
    if (out == NULL) {
        return tr_error_set(err, TR_EINVAL, "cannot write JSON: no output buffer");
    }
    if ((flags & ~(TR_JSON_PRETTY | TR_JSON_CANONICAL)) != 0) {
        return tr_error_set(err, TR_EINVAL, "cannot write JSON: unknown flags 0x%x", flags);
    }
    if (out->err != TR_OK) {
        return buffer_error(out, err);
    }
    struct writer w = {out, flags, err};
    size_t start = out->len;
    int rc = write_value(&w, node, 0);
    if (rc == TR_OK && (flags & TR_JSON_PRETTY)) {
        rc = tr_buf_addc(out, '\n');
    }
    if (rc == TR_OK) {
        rc = out->err;
    }
    if (rc != TR_OK) {
        if (out->err != TR_OK) {
            rc = buffer_error(out, err);
        }
        tr_buf_truncate(out, start);
    }
    return rc;
}
