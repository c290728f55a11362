/*
 * fuzz_jcs.c — RFC 8785 canonicalisation (tr_jcs_serialize, tr_jcs_serialize_without,
 * tr_jcs_number).
 *
 * Any JSON input that parses: its canonical bytes parse to an equal tree and canonicalise
 * again to the same bytes; they hold no whitespace outside strings; the bytes without the
 * first member are those of a copy that lacks it. Any 8 bytes read as a double: the
 * number's text reads back to the same double (or the call refuses NaN and infinities).
 *
 * fuzz-options: -max_len=8192
 */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

static void check_number(const uint8_t *data, size_t size)
{
    double v;
    char text[TR_JCS_NUMBER_MAX];
    if (size < sizeof v) {
        return;
    }
    memcpy(&v, data, sizeof v);
    int rc = tr_jcs_number(v, text);
    if (!isfinite(v)) {
        FUZZ_ASSERT(rc == TR_EINVAL && text[0] == '\0');
        return;
    }
    FUZZ_ASSERT(rc == TR_OK);
    FUZZ_ASSERT(strlen(text) < sizeof text);
    char *end = NULL;
    double back = strtod(text, &end);
    FUZZ_ASSERT(*end == '\0' && back == v);
}

/* The canonical bytes of node; aborts when they cannot be made. */
static void canon(const struct tr_json *node, struct tr_buf *out)
{
    struct tr_error err = {0};
    int rc = tr_jcs_serialize(node, out, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
}

/* No byte of whitespace outside strings: skip string bodies, escapes included. */
static void check_no_whitespace(const struct tr_buf *b)
{
    int in_string = 0;
    for (size_t i = 0; i < b->len; i++) {
        char c = b->data[i];
        if (in_string) {
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                in_string = 0;
            }
        } else if (c == '"') {
            in_string = 1;
        } else {
            FUZZ_ASSERT(c != ' ' && c != '\n' && c != '\r' && c != '\t');
        }
    }
}

static void check_without(const struct tr_json *doc)
{
    if (doc->type != TR_JSON_OBJECT || doc->u.object.len == 0) {
        return;
    }
    const char *key = doc->u.object.members[0].key;
    struct tr_buf a, b;
    struct tr_error err = {0};
    struct tr_json *copy = tr_json_clone(doc);
    FUZZ_ASSERT(copy != NULL);
    FUZZ_ASSERT(tr_json_object_remove(copy, key) == 1);
    tr_buf_init(&a);
    tr_buf_init(&b);
    int rc = tr_jcs_serialize_without(doc, key, &a, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    canon(copy, &b);
    FUZZ_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    tr_buf_release(&a);
    tr_buf_release(&b);
    tr_json_free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tr_json *doc = NULL, *again = NULL;
    struct tr_buf first, second;
    struct tr_error err = {0};
    struct tr_limits limits = {TR_LIMIT_CEIL_BYTES, TR_LIMIT_CEIL_DEPTH, TR_LIMIT_CEIL_NODES,
                               TR_LIMIT_CEIL_SCALAR};
    check_number(data, size);
    if (tr_json_parse((const char *)data, size, "fuzz", NULL, &doc, &err) != TR_OK) {
        return 0;
    }
    tr_buf_init(&first);
    tr_buf_init(&second);
    canon(doc, &first);
    check_no_whitespace(&first);
    int rc = tr_json_parse(first.data, first.len, "canonical", &limits, &again, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(tr_json_equal(doc, again));
    canon(again, &second);
    FUZZ_ASSERT(first.len == second.len && memcmp(first.data, second.data, first.len) == 0);
    check_without(doc);
    tr_json_free(again);
    tr_json_free(doc);
    tr_buf_release(&first);
    tr_buf_release(&second);
    return 0;
}
