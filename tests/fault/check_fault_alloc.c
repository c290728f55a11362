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
static void report(const char *name, long n, enum fault_mode mode)
{
    if (getenv("FAULT_VERBOSE") != NULL) {
        printf("fault sweep %s (%s): %ld allocations\n", name,
               mode == FAULT_ONCE ? "once" : "from on", n - 1);
    }
}

START_TEST(json_parse_fails_cleanly)
{
    size_t len = 0;
    char *text = test_read(SIGNED, &len);
    enum fault_mode mode = (enum fault_mode)_i;
    long n = 1;
    for (;; n++) {
        struct tr_json *doc = NULL;
        struct tr_error err = {0};
        ck_assert_int_lt(n, SWEEP_MAX);
        fault_alloc_arm(n, mode);
        int rc = tr_json_parse(text, len, "w3c-signed.json", NULL, &doc, &err);
        if (!fault_alloc_disarm()) {
            ck_assert_msg(rc == TR_OK, "%s", err.msg);
            tr_json_free(doc);
            break;
        }
        /* "'w3c-signed.json' line L column C: out of memory" */
        ck_assert_int_eq(rc, TR_ENOMEM);
        ck_assert_ptr_null(doc);
        ck_assert_int_eq(strncmp(err.msg, "'w3c-signed.json' line ", 23), 0);
        ck_assert_str_eq(err.msg + strlen(err.msg) - 15, ": out of memory");
    }
    report("tr_json_parse", n, mode);
    free(text);
}
END_TEST

START_TEST(yaml_stream_fails_cleanly)
{
    size_t len = 0;
    char *text = test_read(PERSONS, &len);
    enum fault_mode mode = (enum fault_mode)_i;
    long n = 1;
    for (;; n++) {
        struct tr_yaml_reader *r = NULL;
        struct tr_error err = {0};
        size_t docs = 0;
        int leftover = 0;
        ck_assert_int_lt(n, SWEEP_MAX);
        fault_alloc_arm(n, mode);
        int rc = tr_yaml_reader_open_mem(text, len, PERSONS, NULL, &r, &err);
        while (rc == TR_OK) {
            struct tr_json *doc = NULL;
            rc = tr_yaml_reader_next(r, &doc, &err);
            if (rc != TR_OK || doc == NULL) {
                leftover = doc != NULL;
                tr_json_free(doc);
                break;
            }
            docs++;
            tr_json_free(doc);
        }
        tr_yaml_reader_free(r);
        int hit = fault_alloc_disarm();
        ck_assert(!leftover);
        if (rc == TR_OK) {
            /* Running out of memory never shortens the stream. */
            ck_assert_msg(docs == 6, "N=%ld: %zu documents", n, docs);
        }
        if (!hit) {
            ck_assert_msg(rc == TR_OK, "%s", err.msg);
            break;
        }
        ck_assert_msg(rc == TR_OK || rc == TR_ENOMEM, "N=%ld: %d %s", n, rc, err.msg);
    }
    report("tr_yaml_reader", n, mode);
    free(text);
}
END_TEST

START_TEST(yaml_load_fails_cleanly)
{
    size_t len = 0;
    char *text = test_read(PLACEMENT, &len);
    enum fault_mode mode = (enum fault_mode)_i;
    long n = 1;
    for (;; n++) {
        struct tr_json *doc = NULL;
        struct tr_error err = {0};
        ck_assert_int_lt(n, SWEEP_MAX);
        fault_alloc_arm(n, mode);
        int rc = tr_yaml_load(text, len, PLACEMENT, NULL, &doc, &err);
        if (!fault_alloc_disarm()) {
            ck_assert_msg(rc == TR_OK, "%s", err.msg);
            tr_json_free(doc);
            break;
        }
        ck_assert_msg(rc == TR_ENOMEM, "N=%ld: %d %s", n, rc, err.msg);
        ck_assert_ptr_null(doc);
    }
    report("tr_yaml_load", n, mode);
    free(text);
}
END_TEST

/* Every record of persons.yaml (hashed national ids, so HMAC too) through the mapping. */
START_TEST(schema_from_record_fails_cleanly)
{
    size_t len = 0, key_len = 0;
    char *text = test_read(PERSONS, &len);
    char *key_hex = test_read(ID_KEY, &key_len);
    unsigned char id_key[TR_ID_KEY_LEN];
    struct tr_yaml_reader *r = NULL;
    struct tr_json *record = NULL;
    enum fault_mode mode = (enum fault_mode)_i;
    long total = 0;
    warm_up();
    ck_assert_uint_ge(key_len, 2 * TR_ID_KEY_LEN);
    key_hex[2 * TR_ID_KEY_LEN] = '\0';
    test_unhex(key_hex, id_key, TR_ID_KEY_LEN);
    ck_assert_int_eq(tr_yaml_reader_open_mem(text, len, PERSONS, NULL, &r, NULL), TR_OK);
    while (tr_yaml_reader_next(r, &record, NULL) == TR_OK && record != NULL) {
        long n = 1;
        for (;; n++) {
            struct tr_json *copy = tr_json_clone(record);
            struct tr_json *cred = NULL;
            struct tr_diag diag;
            ck_assert_ptr_nonnull(copy);
            ck_assert_int_lt(n, SWEEP_MAX);
            tr_diag_init(&diag, PERSONS);
            fault_alloc_arm(n, mode);
            int rc = tr_schema_from_record(copy, id_key, &cred, &diag);
            int hit = fault_alloc_disarm();
            const char *id = tr_json_string(tr_json_object_get(copy, "nationalId"));
            ck_assert(id == NULL || id[0] == '\0'); /* wiped, whatever happened */
            if (!hit || rc == TR_OK) {
                ck_assert_int_eq(rc, TR_OK);
                ck_assert_ptr_nonnull(cred);
            } else {
                ck_assert_msg(rc == TR_ENOMEM || rc == TR_ECRYPTO, "N=%ld: %d", n, rc);
                ck_assert_ptr_null(cred);
            }
            tr_json_free(cred);
            tr_json_free(copy);
            tr_diag_release(&diag);
            if (!hit) {
                break;
            }
        }
        total += n - 1;
        tr_json_free(record);
        record = NULL;
    }
    report("tr_schema_from_record (6 records)", total + 1, mode);
    tr_yaml_reader_free(r);
    tr_wipe(id_key, sizeof id_key);
    free(key_hex);
    free(text);
}
END_TEST

START_TEST(proof_sign_fails_cleanly)
{
    struct tr_json *doc = test_json(UNSIGNED);
    struct tr_proof_sign_options opts = {"2024-05-01T08:00:00Z", NULL, NULL};
    enum fault_mode mode = (enum fault_mode)_i;
    long n = 1;
    warm_up();
    for (;; n++) {
        struct tr_json *copy = tr_json_clone(doc);
        struct tr_error err = {0};
        ck_assert_ptr_nonnull(copy);
        ck_assert_int_lt(n, SWEEP_MAX);
        fault_alloc_arm(n, mode);
        int rc = tr_proof_sign(copy, seed, &opts, &err);
        int hit = fault_alloc_disarm();
        /* A failure OpenSSL can do without (a cache entry, its error queue) may not show. */
        if (!hit || rc == TR_OK) {
            ck_assert_msg(rc == TR_OK, "%s", err.msg);
            ck_assert_int_eq(tr_proof_verify(copy, NULL, NULL, NULL, NULL, NULL, NULL), TR_OK);
            tr_json_free(copy);
            if (!hit) {
                break;
            }
            continue;
        }
        ck_assert_msg(rc == TR_ENOMEM || rc == TR_ECRYPTO, "N=%ld: %d %s", n, rc, err.msg);
        ck_assert(tr_json_equal(copy, doc)); /* unchanged */
        tr_json_free(copy);
    }
    report("tr_proof_sign", n, mode);
    tr_json_free(doc);
}
END_TEST

START_TEST(proof_verify_fails_cleanly)
{
    struct tr_json *doc = test_json(SIGNED);
    enum fault_mode mode = (enum fault_mode)_i;
    long n = 1;
    warm_up();
    for (;; n++) {
        struct tr_proof_result *res = NULL;
        size_t count = 99;
        struct tr_error err = {0};
        ck_assert_int_lt(n, SWEEP_MAX);
        fault_alloc_arm(n, mode);
        int rc = tr_proof_verify(doc, NULL, NULL, NULL, &res, &count, &err);
        int hit = fault_alloc_disarm();
        if (!hit || rc == TR_OK) {
            ck_assert_msg(rc == TR_OK, "%s", err.msg);
            ck_assert_uint_eq(count, 1);
            ck_assert_int_eq(res[0].status, TR_PROOF_VALID);
            free(res);
            if (!hit) {
                break;
            }
            continue;
        }
        /* Running out of memory is never a verdict on the document. */
        ck_assert_msg(rc == TR_ENOMEM || rc == TR_ECRYPTO, "N=%ld: %d %s", n, rc, err.msg);
        ck_assert_ptr_null(res);
        ck_assert_uint_eq(count, 0);
    }
    report("tr_proof_verify", n, mode);
    tr_json_free(doc);
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
