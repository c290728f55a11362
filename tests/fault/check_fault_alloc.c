/*
 * check_fault_alloc.c — every allocation of the parsers, the record mapping and the proofs
 * may fail: swept over N, the Nth allocation (or the Nth and all later ones) fails, and
 * the call must return an error, leave its outputs empty and its inputs unchanged, and
 * (under ASan) leak nothing. The sweep ends at the first N the call no longer reaches,
 * where it must succeed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "talentreg.h"
#include "tr_test.h"

/* No call here needs more allocations than this; a sweep that gets there is a runaway. */
#define SWEEP_MAX 100000

#define SIGNED "tests/cli/data/w3c-signed.json"
#define UNSIGNED "tests/cli/data/w3c-unsigned.json"
#define PERSONS "docs/examples/persons.yaml"
#define PLACEMENT "docs/examples/enterprise-placement.yaml"
#define ID_KEY "docs/examples/id.key"

static const unsigned char seed[TR_ED25519_SEED_LEN] = {0x66, 0x61, 0x75, 0x6c, 0x74};

/*
 * Load, unarmed, what is loaded once per process and kept failed when its first load fails:
 * the schemas (tr_schema_load says so) and OpenSSL's own one-time set-up of each algorithm.
 */
static void warm_up(void)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN], sig[TR_ED25519_SIG_LEN];
    unsigned char key[TR_ID_KEY_LEN] = {0};
    char hash[TR_ID_HASH_LEN + 1];
    ck_assert_int_eq(tr_schema_load(NULL), TR_OK);
    ck_assert_int_eq(tr_ident_hash(key, "x", 1, hash), TR_OK);
    /* Not tr_sha256: the sweeps check that a failed first use does not stick. */
    ck_assert_int_eq(tr_ed25519_public(seed, pub), TR_OK);
    ck_assert_int_eq(tr_ed25519_sign(seed, "x", 1, sig), TR_OK);
    ck_assert_int_eq(tr_ed25519_verify(pub, "x", 1, sig), TR_OK);
}

/* Print the size of a sweep when FAULT_VERBOSE is set (docs/fuzzing.md quotes them). */
static void report(const char *name, long allocations, enum fault_mode mode)
{
    if (getenv("FAULT_VERBOSE") != NULL) {
        printf("fault sweep %s (%s): %ld allocations\n", name,
               mode == FAULT_ONCE ? "once" : "from on", allocations);
    }
}

/*
 * One operation under test. prepare (may be NULL) runs unarmed before each run, run runs
 * armed and keeps what it makes in ctx, check runs unarmed with run's code, whether an
 * allocation was made to fail, and the message, asserts what the outcome must be and frees
 * what run made.
 */
struct op {
    void (*prepare)(void *ctx);
    int (*run)(void *ctx, struct tr_error *err);
    void (*check)(void *ctx, int rc, int hit, long n, const struct tr_error *err);
    void *ctx;
};

/*
 * Fail allocation N = 1, 2, ... of op until a run meets no failure, which must then
 * succeed. Returns the number of allocations swept.
 */
static long sweep(const struct op *op, enum fault_mode mode)
{
    for (long n = 1;; n++) {
        struct tr_error err = {0};
        ck_assert_int_lt(n, SWEEP_MAX);
        if (op->prepare != NULL) {
            op->prepare(op->ctx);
        }
        fault_alloc_arm(n, mode);
        int rc = op->run(op->ctx, &err);
        int hit = fault_alloc_disarm();
        if (!hit) {
            ck_assert_msg(rc == TR_OK, "%s", err.msg);
        }
        op->check(op->ctx, rc, hit, n, &err);
        if (!hit) {
            return n - 1;
        }
    }
}

/* A failure that reached the caller: out of memory, or OpenSSL's failure for it. */
static void assert_failed(int rc, long n, const struct tr_error *err)
{
    ck_assert_msg(rc == TR_ENOMEM || rc == TR_ECRYPTO, "N=%ld: %d %s", n, rc, err->msg);
}

/* A JSON file and the tree read from it. */
struct parse {
    const char *name;
    char *text;
    size_t len;
    struct tr_json *doc;
};

static int parse_json(void *ctx, struct tr_error *err)
{
    struct parse *p = ctx;
    return tr_json_parse(p->text, p->len, p->name, NULL, &p->doc, err);
}

static int load_yaml(void *ctx, struct tr_error *err)
{
    struct parse *p = ctx;
    return tr_yaml_load(p->text, p->len, p->name, NULL, &p->doc, err);
}

/* Only TR_ENOMEM, with no tree, and the reader's message "'NAME' line L column C: out of
 * memory" for JSON. */
static void check_parse(void *ctx, int rc, int hit, long n, const struct tr_error *err)
{
    struct parse *p = ctx;
    if (rc == TR_OK) {
        tr_json_free(p->doc);
        p->doc = NULL;
        return;
    }
    (void)hit;
    ck_assert_msg(rc == TR_ENOMEM, "N=%ld: %d %s", n, rc, err->msg);
    ck_assert_ptr_null(p->doc);
    if (strcmp(p->name, "w3c-signed.json") == 0) {
        ck_assert_int_eq(strncmp(err->msg, "'w3c-signed.json' line ", 23), 0);
        ck_assert_str_eq(err->msg + strlen(err->msg) - 15, ": out of memory");
    }
}

START_TEST(json_parse_fails_cleanly)
{
    struct parse p = {"w3c-signed.json", NULL, 0, NULL};
    struct op op = {NULL, parse_json, check_parse, &p};
    p.text = test_read(SIGNED, &p.len);
    report("tr_json_parse", sweep(&op, (enum fault_mode)_i), (enum fault_mode)_i);
    free(p.text);
}
END_TEST

START_TEST(yaml_load_fails_cleanly)
{
    struct parse p = {PLACEMENT, NULL, 0, NULL};
    struct op op = {NULL, load_yaml, check_parse, &p};
    p.text = test_read(PLACEMENT, &p.len);
    report("tr_yaml_load", sweep(&op, (enum fault_mode)_i), (enum fault_mode)_i);
    free(p.text);
}
END_TEST

/* A stream read to its end: how many documents came, and whether one came with an error. */
struct stream {
    char *text;
    size_t len;
    size_t docs;
    int leftover;
};

static int read_stream(void *ctx, struct tr_error *err)
{
    struct stream *st = ctx;
    struct tr_yaml_reader *r = NULL;
    st->docs = 0;
    st->leftover = 0;
    int rc = tr_yaml_reader_open_mem(st->text, st->len, PERSONS, NULL, &r, err);
    while (rc == TR_OK) {
        struct tr_json *doc = NULL;
        rc = tr_yaml_reader_next(r, &doc, err);
        if (rc != TR_OK || doc == NULL) {
            st->leftover = doc != NULL;
            tr_json_free(doc);
            break;
        }
        st->docs++;
        tr_json_free(doc);
    }
    tr_yaml_reader_free(r);
    return rc;
}

static void check_stream(void *ctx, int rc, int hit, long n, const struct tr_error *err)
{
    const struct stream *st = ctx;
    (void)hit;
    ck_assert(!st->leftover);
    if (rc == TR_OK) {
        /* Running out of memory never shortens the stream. */
        ck_assert_msg(st->docs == 6, "N=%ld: %zu documents", n, st->docs);
    } else {
        ck_assert_msg(rc == TR_ENOMEM, "N=%ld: %d %s", n, rc, err->msg);
    }
}

START_TEST(yaml_stream_fails_cleanly)
{
    struct stream st = {NULL, 0, 0, 0};
    struct op op = {NULL, read_stream, check_stream, &st};
    st.text = test_read(PERSONS, &st.len);
    report("tr_yaml_reader", sweep(&op, (enum fault_mode)_i), (enum fault_mode)_i);
    free(st.text);
}
END_TEST

/* One record through the mapping: a fresh copy each time, since the mapping wipes it. */
struct mapping {
    const struct tr_json *record;
    const unsigned char *id_key;
    struct tr_json *copy;
    struct tr_json *cred;
    struct tr_diag diag;
};

static void copy_record(void *ctx)
{
    struct mapping *m = ctx;
    m->copy = tr_json_clone(m->record);
    ck_assert_ptr_nonnull(m->copy);
    tr_diag_init(&m->diag, PERSONS);
}

static int map_record(void *ctx, struct tr_error *err)
{
    struct mapping *m = ctx;
    (void)err;
    return tr_schema_from_record(m->copy, m->id_key, &m->cred, &m->diag);
}

static void check_mapping(void *ctx, int rc, int hit, long n, const struct tr_error *err)
{
    struct mapping *m = ctx;
    const char *id = tr_json_string(tr_json_object_get(m->copy, "nationalId"));
    (void)hit;
    ck_assert(id == NULL || id[0] == '\0'); /* wiped, whatever happened */
    if (rc == TR_OK) {
        ck_assert_ptr_nonnull(m->cred);
    } else {
        assert_failed(rc, n, err);
        ck_assert_ptr_null(m->cred);
    }
    tr_json_free(m->cred);
    tr_json_free(m->copy);
    tr_diag_release(&m->diag);
    m->cred = m->copy = NULL;
}

/* Every record of persons.yaml (hashed national ids, so HMAC too) through the mapping. */
START_TEST(schema_from_record_fails_cleanly)
{
    size_t len = 0, key_len = 0;
    char *text = test_read(PERSONS, &len);
    char *key_hex = test_read(ID_KEY, &key_len);
    unsigned char id_key[TR_ID_KEY_LEN];
    struct tr_yaml_reader *r = NULL;
    struct tr_json *record = NULL;
    struct mapping m = {NULL, id_key, NULL, NULL, {0}};
    struct op op = {copy_record, map_record, check_mapping, &m};
    long total = 0;
    warm_up();
    ck_assert_uint_ge(key_len, 2 * TR_ID_KEY_LEN);
    key_hex[2 * TR_ID_KEY_LEN] = '\0';
    test_unhex(key_hex, id_key, TR_ID_KEY_LEN);
    ck_assert_int_eq(tr_yaml_reader_open_mem(text, len, PERSONS, NULL, &r, NULL), TR_OK);
    while (tr_yaml_reader_next(r, &record, NULL) == TR_OK && record != NULL) {
        m.record = record;
        total += sweep(&op, (enum fault_mode)_i);
        tr_json_free(record);
        record = NULL;
    }
    report("tr_schema_from_record (6 records)", total, (enum fault_mode)_i);
    tr_yaml_reader_free(r);
    tr_wipe(id_key, sizeof id_key);
    free(key_hex);
    free(text);
}
END_TEST

/* A document signed or verified: the original, and the copy the call works on. */
struct proving {
    struct tr_json *doc;
    struct tr_json *copy;
    struct tr_proof_result *res;
    size_t count;
};

static void copy_doc(void *ctx)
{
    struct proving *p = ctx;
    p->copy = tr_json_clone(p->doc);
    ck_assert_ptr_nonnull(p->copy);
}

static int sign_doc(void *ctx, struct tr_error *err)
{
    struct proving *p = ctx;
    struct tr_proof_sign_options opts = {"2024-05-01T08:00:00Z", NULL, NULL};
    return tr_proof_sign(p->copy, seed, &opts, err);
}

/* A failure OpenSSL can do without (a cache entry) may not show: then the proof is good. */
static void check_sign(void *ctx, int rc, int hit, long n, const struct tr_error *err)
{
    struct proving *p = ctx;
    (void)hit;
    if (rc == TR_OK) {
        ck_assert_int_eq(tr_proof_verify(p->copy, NULL, NULL, NULL, NULL, NULL, NULL), TR_OK);
    } else {
        assert_failed(rc, n, err);
        ck_assert(tr_json_equal(p->copy, p->doc)); /* unchanged */
    }
    tr_json_free(p->copy);
    p->copy = NULL;
}

START_TEST(proof_sign_fails_cleanly)
{
    struct proving p = {test_json(UNSIGNED), NULL, NULL, 0};
    struct op op = {copy_doc, sign_doc, check_sign, &p};
    warm_up();
    report("tr_proof_sign", sweep(&op, (enum fault_mode)_i), (enum fault_mode)_i);
    tr_json_free(p.doc);
}
END_TEST

static int verify_doc(void *ctx, struct tr_error *err)
{
    struct proving *p = ctx;
    p->count = 99;
    return tr_proof_verify(p->doc, NULL, NULL, NULL, &p->res, &p->count, err);
}

/* Running out of memory is never a verdict on the document. */
static void check_verify(void *ctx, int rc, int hit, long n, const struct tr_error *err)
{
    struct proving *p = ctx;
    (void)hit;
    if (rc == TR_OK) {
        ck_assert_uint_eq(p->count, 1);
        ck_assert_int_eq(p->res[0].status, TR_PROOF_VALID);
    } else {
        assert_failed(rc, n, err);
        ck_assert_ptr_null(p->res);
        ck_assert_uint_eq(p->count, 0);
    }
    free(p->res);
    p->res = NULL;
}

START_TEST(proof_verify_fails_cleanly)
{
    struct proving p = {test_json(SIGNED), NULL, NULL, 0};
    struct op op = {NULL, verify_doc, check_verify, &p};
    warm_up();
    report("tr_proof_verify", sweep(&op, (enum fault_mode)_i), (enum fault_mode)_i);
    tr_json_free(p.doc);
}
END_TEST

Suite *fault_alloc_suite(void)
{
    Suite *s = suite_create("fault_alloc");
    TCase *tc = tcase_create("allocation failures");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, json_parse_fails_cleanly, FAULT_ONCE, FAULT_FROM_ON + 1);
    tcase_add_loop_test(tc, yaml_stream_fails_cleanly, FAULT_ONCE, FAULT_FROM_ON + 1);
    tcase_add_loop_test(tc, yaml_load_fails_cleanly, FAULT_ONCE, FAULT_FROM_ON + 1);
    tcase_add_loop_test(tc, schema_from_record_fails_cleanly, FAULT_ONCE, FAULT_FROM_ON + 1);
    tcase_add_loop_test(tc, proof_sign_fails_cleanly, FAULT_ONCE, FAULT_FROM_ON + 1);
    tcase_add_loop_test(tc, proof_verify_fails_cleanly, FAULT_ONCE, FAULT_FROM_ON + 1);
    suite_add_tcase(s, tc);
    return s;
}
