/* tr_test.c — helpers shared by the libcheck suites (see tr_test.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_test.h"

const char *test_hex(const void *p, size_t n)
{
    static char ring[8][1024];
    static int next;
    char *out = ring[next++ % 8];
    const unsigned char *s = p;
    ck_assert_uint_lt(n, sizeof ring[0] / 2);
    for (size_t i = 0; i < n; i++) {
        snprintf(out + 2 * i, 3, "%02x", s[i]);
    }
    out[2 * n] = '\0';
    return out;
}

void test_unhex(const char *hex, unsigned char *out, size_t n)
{
    ck_assert_uint_eq(strlen(hex), 2 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (unsigned char)v;
    }
}

char *test_read(const char *path, size_t *len)
{
    struct tr_buf b;
    struct tr_error err = {0};
    tr_buf_init(&b);
    int rc = tr_buf_read_file(&b, path, (size_t)1 << 30, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    return tr_buf_detach(&b, len);
}

struct tr_json *test_json_load(const char *path)
{
    size_t len = 0;
    char *text = test_read(path, &len);
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    int rc = tr_json_parse(text, len, path, NULL, &doc, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    free(text);
    return doc;
}

const char *test_json_str(const struct tr_json *obj, const char *key)
{
    const char *s = tr_json_string(tr_json_object_get(obj, key));
    ck_assert_msg(s != NULL, "no string member '%s'", key);
    return s;
}
