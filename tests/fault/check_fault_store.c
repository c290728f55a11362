/*
 * check_fault_store.c — the store under failing allocations and failing disks: creating a
 * store, appending a leaf to the log and signing a checkpoint, with the Nth allocation
 * (SQLite's, OpenSSL's and ours), the Nth write or the Nth sync made to fail, swept over N
 * (once, or from N on). Every failure must return an error, and the store must then open,
 * pass its integrity check, hold a log whose root recomputed from its leaves is the stored
 * one and whose latest checkpoint verifies, and accept the same operation again.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sweep.h"
#include "talentreg.h"
#include "tr_test.h"

#define SWEEP_MAX 100000
#define ORIGIN "fault.example/log"
#define TEMPLATE_LEAVES 4 /* leaves in the template store; its checkpoint is at 3 */

static const unsigned char operator_seed[TR_ED25519_SEED_LEN] = {0x6f, 0x70, 0x65, 0x72};

struct sandbox {
    char dir[64];
    char template[96];
    char path[96];
};

static void report(const char *op, enum fault_target t, enum fault_mode mode, long n)
{
    if (getenv("FAULT_VERBOSE") != NULL) {
        printf("fault sweep %s (%s, %s): %ld\n", op, sweep_target_name(t),
               mode == FAULT_ONCE ? "once" : "from on", n - 1);
    }
}

/* The record id of leaf i: 64 decimal digits are lowercase hex digits too. */
static void record_id(unsigned i, char out[TR_LOG_RECORD_ID_LEN + 1])
{
    snprintf(out, TR_LOG_RECORD_ID_LEN + 1, "%064u", i);
}

static int append(struct tr_db *db, unsigned i, struct tr_error *err)
{
    char id[TR_LOG_RECORD_ID_LEN + 1];
    char body[32];
    record_id(i, id);
    int n = snprintf(body, sizeof body, "{\"leaf\":%u}", i);
    return tr_log_append(db, id, body, (size_t)n, NULL, err);
}

/* Begin, append leaf i, commit: all or nothing. */
static int append_one(struct tr_db *db, unsigned i, struct tr_error *err)
{
    int rc = tr_db_begin(db, err);
    if (rc != TR_OK) {
        return rc;
    }
    rc = append(db, i, err);
    if (rc == TR_OK) {
        return tr_db_commit(db, err);
    }
    tr_db_rollback(db, NULL);
    return rc;
}

/*
 * Set up, unarmed, what OpenSSL sets up once per process: when its first set-up of the
 * random generator runs out of memory, OpenSSL 3.0 is left broken (a later RAND_bytes
 * crashes on a lock it never made), which no caller can repair.
 */
static void warm_up(void)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN], sig[TR_ED25519_SIG_LEN], r[8];
    ck_assert_int_eq(tr_random(r, sizeof r), TR_OK);
    ck_assert_int_eq(tr_ed25519_public(operator_seed, pub), TR_OK);
    ck_assert_int_eq(tr_ed25519_sign(operator_seed, "x", 1, sig), TR_OK);
    ck_assert_int_eq(tr_ed25519_verify(pub, "x", 1, sig), TR_OK);
}

static void sandbox_init(struct sandbox *s)
{
    warm_up();
    /* tmpfs where there is one: a sync there costs nothing, so the sweeps stay fast. */
    struct stat sb;
    const char *base = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(s->dir, sizeof s->dir, "%s/tr-fault-XXXXXX", base);
    ck_assert_ptr_nonnull(mkdtemp(s->dir));
    snprintf(s->template, sizeof s->template, "%s/template.db", s->dir);
    snprintf(s->path, sizeof s->path, "%s/store.db", s->dir);
}

static void sandbox_release(struct sandbox *s)
{
    sweep_remove_store(s->template);
    sweep_remove_store(s->path);
    ck_assert_int_eq(rmdir(s->dir), 0);
}

/* The template: TEMPLATE_LEAVES leaves, a checkpoint of the first 3, the operator key. */
static void make_template(const struct sandbox *s)
{
    struct tr_db *db = NULL;
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_error err = {0};
    ck_assert_msg(tr_db_create(s->template, ORIGIN, &db, &err) == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_ed25519_public(operator_seed, pub), TR_OK);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, NULL), TR_OK);
    ck_assert_int_eq(tr_db_begin(db, NULL), TR_OK);
    for (unsigned i = 0; i < TEMPLATE_LEAVES - 1; i++) {
        ck_assert_int_eq(append(db, i, NULL), TR_OK);
    }
    ck_assert_int_eq(tr_db_commit(db, NULL), TR_OK);
    ck_assert_msg(tr_log_checkpoint(db, operator_seed, NULL, &err) == TR_OK, "%s", err.msg);
    ck_assert_int_eq(append_one(db, TEMPLATE_LEAVES - 1, NULL), TR_OK);
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
}

/* A fresh copy of the template at s->path. */
static void copy_template(const struct sandbox *s)
{
    sweep_copy_store(s->template, s->path);
}

/*
 * Open the store at path with nothing armed and check it whole: integrity, every leaf's
 * body against its hash, the root recomputed from the leaf hashes against tr_log_root, the
 * latest checkpoint (if any) against the root of its size. Returns the log's size and, in
 * *cp_size, the latest checkpoint's size (0 when none).
 */
static uint64_t check_store(const char *path, uint64_t *cp_size)
{
    struct tr_db *db = NULL;
    struct tr_merkle_mem mem;
    struct tr_error err = {0};
    unsigned char stored[TR_MERKLE_HASH_LEN], recomputed[TR_MERKLE_HASH_LEN];
    uint64_t size = 0;
    ck_assert_msg(tr_db_open(path, TR_DB_READWRITE, &db, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_db_check(db, &err) == TR_OK, "%s", err.msg);
    ck_assert_str_eq(tr_db_origin(db), ORIGIN);
    ck_assert_int_eq(tr_log_size(db, &size, NULL), TR_OK);
    tr_merkle_mem_init(&mem);
    for (uint64_t i = 0; i < size; i++) {
        struct tr_log_entry e;
        struct tr_buf body;
        tr_buf_init(&body);
        ck_assert_msg(tr_log_entry(db, i, &e, &body, &err) == TR_OK, "%s", err.msg);
        ck_assert_int_eq(tr_merkle_mem_append(&mem, e.leaf_hash, NULL), TR_OK);
        tr_buf_release(&body);
    }
    ck_assert_int_eq(tr_merkle_root(size, tr_merkle_mem_get, &mem, recomputed, NULL), TR_OK);
    ck_assert_int_eq(tr_log_root(db, size, stored, NULL), TR_OK);
    ck_assert_mem_eq(stored, recomputed, TR_MERKLE_HASH_LEN);
    tr_merkle_mem_release(&mem);

    unsigned char cp_root[TR_MERKLE_HASH_LEN];
    *cp_size = 0;
    int rc = tr_log_latest_checkpoint(db, NULL, cp_size, cp_root, &err);
    if (rc == TR_OK) {
        ck_assert_uint_le(*cp_size, size);
        ck_assert_int_eq(tr_log_root(db, *cp_size, stored, NULL), TR_OK);
        ck_assert_mem_eq(stored, cp_root, TR_MERKLE_HASH_LEN);
    } else {
        ck_assert_msg(rc == TR_ENOTFOUND, "%s", err.msg);
    }
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
    return size;
}

static void assert_no_files(const char *path)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    struct stat sb;
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        char name[128];
        snprintf(name, sizeof name, "%s%s", path, sides[i]);
        ck_assert_msg(lstat(name, &sb) != 0, "'%s' was left behind", name);
    }
}

START_TEST(create_fails_cleanly)
{
    struct sandbox s;
    enum fault_target t = SWEEP_TARGET(_i);
    enum fault_mode mode = SWEEP_MODE(_i);
    uint64_t cp = 0;
    long n = 1;
    sandbox_init(&s);
    ck_assert_int_eq(tr_schema_load(NULL), TR_OK);
    for (;; n++) {
        struct tr_db *db = NULL;
        struct tr_error err = {0};
        ck_assert_int_lt(n, SWEEP_MAX);
        sweep_arm(t, n, mode);
        int rc = tr_db_create(s.path, ORIGIN, &db, &err);
        int close_rc = rc == TR_OK ? tr_db_close(db, NULL) : TR_OK;
        int hit = sweep_disarm(t);
        if (!hit) {
            ck_assert_msg(rc == TR_OK && close_rc == TR_OK, "%s", err.msg);
            break;
        }
        if (rc == TR_OK) {
            /* Only the close met the failure: the store was made and must be whole. */
            ck_assert_uint_eq(check_store(s.path, &cp), 0);
            sweep_remove_store(s.path);
            continue;
        }
        sweep_assert_failure_code(t, n, rc, &err);
        ck_assert_ptr_null(db);
        assert_no_files(s.path);
    }
    ck_assert_uint_eq(check_store(s.path, &cp), 0);
    report("tr_db_create", t, mode, n);
    sandbox_release(&s);
}
END_TEST

/*
 * An operation on the template store, and the log size and checkpoint size before it (the
 * template's) and after it.
 */
struct store_op {
    const char *name;
    int (*apply)(struct tr_db *db, struct tr_error *err);
    uint64_t size_after, cp_after;
};

static int apply_append(struct tr_db *db, struct tr_error *err)
{
    return append_one(db, TEMPLATE_LEAVES, err);
}

static int apply_checkpoint(struct tr_db *db, struct tr_error *err)
{
    struct tr_buf note;
    tr_buf_init(&note);
    int rc = tr_log_checkpoint(db, operator_seed, &note, err);
    if (rc == TR_OK && note.len == 0) {
        rc = tr_error_set(err, TR_EINVAL, "tr_log_checkpoint handed back no note");
    }
    tr_buf_release(&note);
    return rc;
}

static const struct store_op store_ops[] = {
    {"tr_log_append", apply_append, TEMPLATE_LEAVES + 1, TEMPLATE_LEAVES - 1},
    {"tr_log_checkpoint", apply_checkpoint, TEMPLATE_LEAVES, TEMPLATE_LEAVES},
};

/* Open the store at path, apply op, close: what a command does. Returns apply's code. */
static int open_apply_close(const char *path, const struct store_op *op, struct tr_error *err)
{
    struct tr_db *db = NULL;
    int rc = tr_db_open(path, TR_DB_READWRITE, &db, err);
    if (rc == TR_OK) {
        rc = op->apply(db, err);
        if (rc == TR_OK && tr_db_in_transaction(db) != 0) {
            rc = tr_error_set(err, TR_EINVAL, "a transaction was left open");
        }
    }
    tr_db_close(db, NULL);
    return rc;
}

/*
 * Sweep op over N with failures of kind t: on a fresh copy of the template each time, open,
 * apply, close. After a run that succeeded the store holds op's result; after one that
 * failed it holds the template's state, and the same operation then succeeds.
 */
START_TEST(store_op_fails_cleanly)
{
    struct sandbox s;
    const struct store_op *op = &store_ops[_i / SWEEPS];
    enum fault_target t = SWEEP_TARGET(_i % SWEEPS);
    enum fault_mode mode = SWEEP_MODE(_i % SWEEPS);
    uint64_t size = 0, cp = 0;
    long n = 1;
    sandbox_init(&s);
    make_template(&s);
    for (;; n++) {
        struct tr_error err = {0};
        ck_assert_int_lt(n, SWEEP_MAX);
        copy_template(&s);
        sweep_arm(t, n, mode);
        int rc = open_apply_close(s.path, op, &err);
        int hit = sweep_disarm(t);
        size = check_store(s.path, &cp);
        if (rc == TR_OK) {
            ck_assert_uint_eq(size, op->size_after);
            ck_assert_uint_eq(cp, op->cp_after);
            if (!hit) {
                break;
            }
            continue;
        }
        ck_assert_msg(hit, "%s", err.msg);
        sweep_assert_failure_code(t, n, rc, &err);
        ck_assert_msg(size == TEMPLATE_LEAVES && cp == TEMPLATE_LEAVES - 1,
                      "N=%ld: the failed %s left %llu leaves and a checkpoint at %llu", n, op->name,
                      (unsigned long long)size, (unsigned long long)cp);
        rc = open_apply_close(s.path, op, &err);
        ck_assert_msg(rc == TR_OK, "%s", err.msg);
        ck_assert_uint_eq(check_store(s.path, &cp), op->size_after);
        ck_assert_uint_eq(cp, op->cp_after);
    }
    report(op->name, t, mode, n);
    sandbox_release(&s);
}
END_TEST

Suite *fault_store_suite(void)
{
    Suite *s = suite_create("fault_store");
    TCase *tc = tcase_create("store failures");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, create_fails_cleanly, 0, SWEEPS);
    tcase_add_loop_test(tc, store_op_fails_cleanly, 0,
                        SWEEPS * (int)(sizeof store_ops / sizeof store_ops[0]));
    suite_add_tcase(s, tc);
    return s;
}
