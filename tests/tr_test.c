/* tr_test.c — helpers shared by the libcheck suites (see tr_test.h). */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "talentreg.h"
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

struct tr_json *test_json(const char *path)
{
    size_t len = 0;
    char *text = test_read(path, &len);
    struct tr_limits limits;
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    tr_limits_default(&limits);
    limits.max_bytes = TR_LIMIT_CEIL_BYTES;
    int rc = tr_json_parse(text, len, path, &limits, &doc, &err);
    free(text);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    return doc;
}

const struct tr_json *test_get(const struct tr_json *obj, const char *key)
{
    const struct tr_json *v = tr_json_object_get(obj, key);
    ck_assert_msg(v != NULL, "member '%s' is missing", key);
    return v;
}

const char *test_str(const struct tr_json *obj, const char *key)
{
    const char *s = tr_json_string(test_get(obj, key));
    ck_assert_msg(s != NULL, "member '%s' is not a string", key);
    return s;
}

uint64_t test_u64(const struct tr_json *obj, const char *key)
{
    const struct tr_json *v = test_get(obj, key);
    ck_assert_msg(v->type == TR_JSON_NUMBER && v->u.number.text != NULL,
                  "member '%s' is not a parsed number", key);
    const char *t = v->u.number.text;
    ck_assert_msg(t[0] != '\0' && strspn(t, "0123456789") == strlen(t), "'%s' is not a uint64", t);
    errno = 0;
    unsigned long long u = strtoull(t, NULL, 10);
    ck_assert_msg(errno == 0, "'%s' does not fit in 64 bits", t);
    return (uint64_t)u;
}

void test_msg(const struct tr_error *err, const char *fmt, ...)
{
    char want[TR_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);
    ck_assert_str_eq(err->msg, want);
}

void test_store_dir(const char *name, char dir[TEST_PATH_MAX], char path[TEST_PATH_MAX])
{
    snprintf(dir, TEST_PATH_MAX, "/tmp/%s.XXXXXX", name);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, TEST_PATH_MAX, "%s/talent.db", dir);
}

void test_store_remove(const char *dir, const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[TEST_PATH_MAX + 16];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    rmdir(dir);
}

void test_register_orgs(struct tr_db *db, const unsigned char *seed, int n)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    char *orgs = test_read("docs/examples/organizations.yaml", NULL);
    struct tr_yaml_reader *r = NULL;
    ck_assert_int_eq(tr_ed25519_public(seed, pub), TR_OK);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, NULL), TR_OK);
    ck_assert_int_eq(tr_yaml_reader_open_mem(orgs, strlen(orgs), "orgs", NULL, &r, NULL), TR_OK);
    ck_assert_int_eq(tr_db_begin(db, NULL), TR_OK);
    for (int i = 0; i < n; i++) {
        struct tr_json *doc = NULL, *cred = NULL;
        struct tr_submit_result res;
        struct tr_diag diag;
        struct tr_proof_sign_options o = {"2024-01-02T08:00:00Z", NULL, NULL};
        tr_diag_init(&diag, "orgs");
        ck_assert_int_eq(tr_yaml_reader_next(r, &doc, NULL), TR_OK);
        ck_assert_int_eq(tr_schema_from_record(doc, NULL, &cred, &diag), TR_OK);
        ck_assert_int_eq(tr_proof_sign(cred, seed, &o, NULL), TR_OK);
        ck_assert_int_eq(tr_submit_credential(db, cred, &res, NULL), TR_OK);
        ck_assert_int_eq(res.status, TR_SUBMIT_STORED);
        tr_submit_result_release(&res);
        tr_diag_release(&diag);
        tr_json_free(doc);
        tr_json_free(cred);
    }
    ck_assert_int_eq(tr_db_commit(db, NULL), TR_OK);
    tr_yaml_reader_free(r);
    free(orgs);
}
