/*
 * check_fault_ingest.c — the two ways records come in, under failing allocations and failing
 * disks: submitting one signed credential (tr_submit_credential in its transaction, as
 * `talentreg submit` does) and importing a small JSON-lines file (tr_import_run, every item
 * in the caller's thread, two records a batch). The Nth allocation, write or sync is made to
 * fail (once, or from N on), swept over N. Every run must return an error or succeed whole;
 * afterwards the store must pass PRAGMA integrity_check and an audit, its log must be the
 * log before the call or after one of its committed batches (same size, same root), every
 * record the import acknowledged (on_commit) must be in it, and the call run again with
 * nothing armed must complete it. Under ASan (make check-asan) every run must leak nothing.
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

#define SWEEP_MAX 200000
#define ORIGIN "fault.example/ingest"
/* The first organisations of docs/examples/organizations.yaml: the template's leaves. */
#define NORGS 3
#define CREATED "2025-06-01T08:00:00Z"
#define BATCH 2     /* records per transaction of the import */
#define COMMITS 3   /* the template, then the import's two batches */
#define MAX_ACKED 8 /* record ids an import may acknowledge */
#define FULL_AUDIT_EVERY 64

struct fixture {
    char dir[64];
    char template[96];
    char path[96];
    char input[96];
    struct tr_json *credit; /* a Credit signed by its issuer, for submit */
    /* The log after each commit of an import run unarmed: [0] the template. */
    uint64_t size[COMMITS];
    unsigned char root[COMMITS][TR_MERKLE_HASH_LEN];
    size_t commits;
    /* What on_commit acknowledged in the run under test (no allocation while armed). */
    char acked[MAX_ACKED][TR_RECORD_ID_LEN + 1];
    size_t nacked;
};

static const unsigned char operator_seed[TR_ED25519_SEED_LEN] = {0x0f, 0x0f, 0x0f};
static const unsigned char issuer_seed[TR_ED25519_SEED_LEN] = {0}; /* Minjiang University */

/*
 * The step of a sweep over N. Writes and syncs: 1. Allocations: every N costs a store copy,
 * a run and a check (some 6,000 of them in all), so `make check` takes every ALLOC_STRIDE-th
 * (a prime, so the N taken fall on every kind of allocation), every ASAN_STRIDE-th under
 * AddressSanitizer; FAULT_STRIDE=1 in the environment sweeps every N.
 */
#define ALLOC_STRIDE 7
#define ASAN_STRIDE 31

static long stride(enum fault_target t)
{
    const char *env = getenv("FAULT_STRIDE");
    long step = ALLOC_STRIDE;
#if defined(__SANITIZE_ADDRESS__)
    step = ASAN_STRIDE;
#endif
    if (env != NULL) {
        step = strtol(env, NULL, 10);
    }
    return t != FAULT_ON_ALLOC || step < 1 ? 1 : step;
}

static void report(const char *op, enum fault_target t, enum fault_mode mode, long n)
{
    if (getenv("FAULT_VERBOSE") != NULL) {
        printf("fault sweep %s (%s, %s, step %ld): %ld\n", op, sweep_target_name(t),
               mode == FAULT_ONCE ? "once" : "from on", stride(t), n - stride(t));
    }
}

/* A credential of the YAML record text, signed with seed. Owned by the caller. */
static struct tr_json *signed_record(const char *yaml, const unsigned char *seed,
                                     const char *created)
{
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_error err = {0};
    struct tr_diag diag;
    struct tr_proof_sign_options o = {created, NULL, NULL};
    tr_diag_init(&diag, "record");
    ck_assert_msg(tr_yaml_load(yaml, strlen(yaml), "record", NULL, &doc, &err) == TR_OK, "%s",
                  err.msg);
    ck_assert_int_eq(tr_schema_from_record(doc, NULL, &cred, &diag), TR_OK);
    ck_assert_msg(tr_proof_sign(cred, seed, &o, &err) == TR_OK, "%s", err.msg);
    tr_diag_release(&diag);
    tr_json_free(doc);
    return cred;
}

/* A Credit of Minjiang University's, made different by n. */
static struct tr_json *credit(int n)
{
    char yaml[256];
    snprintf(yaml, sizeof yaml,
             "kind: Credit\nissuer: 12350100488101234T\nsubject: p-li-na-1999\n"
             "course: Course %d\nframework: cn-credit\npoints: 2\nearnedOn: 2025-01-10\n",
             n);
    return signed_record(yaml, issuer_seed, CREATED);
}

/* The template: the operator key and the first NORGS organisations (leaves 0 to 2). */
static void make_template(const struct fixture *f)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    ck_assert_msg(tr_db_create(f->template, ORIGIN, &db, &err) == TR_OK, "%s", err.msg);
    test_register_orgs(db, operator_seed, NORGS);
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
}

/* A fresh copy of the template at f->path. */
static void copy_template(const struct fixture *f)
{
    sweep_copy_store(f->template, f->path);
}

/*
 * The import's input: two Credits, a line that is no JSON, a third Credit. With BATCH 2 the
 * first batch stores two records, the second rejects a line and stores one.
 */
static void write_input(const struct fixture *f)
{
    struct tr_buf b;
    tr_buf_init(&b);
    for (int i = 1; i <= 3; i++) {
        struct tr_json *c = credit(i);
        if (i == 3) {
            tr_buf_adds(&b, "{\"not\": json\n");
        }
        ck_assert_int_eq(tr_json_write(c, TR_JSON_COMPACT, &b, NULL), TR_OK);
        tr_buf_addc(&b, '\n');
        tr_json_free(c);
    }
    ck_assert_int_eq(b.err, TR_OK);
    FILE *out = fopen(f->input, "wb");
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(fwrite(b.data, 1, b.len, out), b.len);
    ck_assert_int_eq(fclose(out), 0);
    tr_buf_release(&b);
}

/* PRAGMA integrity_check (every page, every index entry): "ok" and nothing else. */
static void assert_integrity(struct tr_db *db)
{
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    int row = 0, rows = 0;
    int rc = tr_db_prepare(db, "PRAGMA integrity_check", &st, &err);
    while (rc == TR_OK && (rc = tr_db_step(st, &row, &err)) == TR_OK && row) {
        ck_assert_str_eq(tr_db_column_text(st, 0, NULL), "ok");
        rows++;
    }
    ck_assert_msg(tr_db_finalize(st, rc, &err) == TR_OK, "%s", err.msg);
    ck_assert_int_eq(rows, 1);
}

/*
 * Open the store at path with nothing armed and check it whole: integrity, an audit that
 * finds nothing (every leaf and node; with full, every record judged again and the trust
 * tables rebuilt and compared), and every record f->acked in the log. Returns the log's size
 * and, in root, its root.
 */
static uint64_t check_store(const struct fixture *f, int full,
                            unsigned char root[TR_MERKLE_HASH_LEN])
{
    struct tr_db *db = NULL;
    struct tr_audit_options ao = {0};
    ao.skip_records = !full;
    struct tr_audit_summary as;
    struct tr_error err = {0};
    uint64_t size = 0;
    ck_assert_msg(tr_db_open(f->path, TR_DB_READWRITE, &db, &err) == TR_OK, "%s", err.msg);
    assert_integrity(db);
    ck_assert_msg(tr_audit_run(db, &ao, &as, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(as.errors == 0 && as.notices == 0, "the audit found %llu errors",
                  (unsigned long long)as.errors);
    ck_assert_int_eq(tr_log_size(db, &size, NULL), TR_OK);
    ck_assert_uint_eq(as.leaves, size);
    ck_assert_int_eq(tr_log_root(db, size, root, NULL), TR_OK);
    for (size_t i = 0; i < f->nacked; i++) {
        ck_assert_msg(tr_log_find(db, f->acked[i], NULL, NULL, NULL, &err) == TR_OK,
                      "acknowledged record %s: %s", f->acked[i], err.msg);
    }
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
    return size;
}

/*
 * Whether the check after run N audits the records too. A full audit judges every record
 * again (some 60 ms here, against well under 1 ms for the log alone): after every write or
 * sync failure, after every FULL_AUDIT_EVERY-th allocation failure, and after every one
 * when FAULT_FULL_AUDIT is set in the environment.
 */
static int full_audit(enum fault_target t, long n)
{
    return t != FAULT_ON_ALLOC || n % FULL_AUDIT_EVERY == 0 || getenv("FAULT_FULL_AUDIT") != NULL;
}

/* Where a sweep starts: 1, or FAULT_FROM from the environment (to look at one N again). */
static long first_n(void)
{
    const char *from = getenv("FAULT_FROM");
    long n = from != NULL ? strtol(from, NULL, 10) : 1;
    return n > 0 ? n : 1;
}

/* The index of the commit whose log is (size, root); fails when there is none. */
static size_t commit_of(const struct fixture *f, long n, uint64_t size,
                        const unsigned char root[TR_MERKLE_HASH_LEN])
{
    for (size_t i = 0; i < f->commits; i++) {
        if (f->size[i] == size && memcmp(f->root[i], root, TR_MERKLE_HASH_LEN) == 0) {
            return i;
        }
    }
    ck_abort_msg("N=%ld: a log of %llu leaves that no commit made", n, (unsigned long long)size);
    return 0;
}

static void fixture_init(struct fixture *f)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN], sig[TR_ED25519_SIG_LEN], r[8];
    struct stat sb;
    memset(f, 0, sizeof *f);
    /* What is set up once per process, unarmed (see check_fault_store.c). */
    ck_assert_int_eq(tr_schema_load(NULL), TR_OK);
    ck_assert_int_eq(tr_random(r, sizeof r), TR_OK);
    ck_assert_int_eq(tr_ed25519_public(operator_seed, pub), TR_OK);
    ck_assert_int_eq(tr_ed25519_sign(operator_seed, "x", 1, sig), TR_OK);
    ck_assert_int_eq(tr_ed25519_verify(pub, "x", 1, sig), TR_OK);
    /* tmpfs where there is one: a sync there costs nothing, so the sweeps stay fast. */
    const char *base = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(f->dir, sizeof f->dir, "%s/tr-ingest-XXXXXX", base);
    ck_assert_ptr_nonnull(mkdtemp(f->dir));
    snprintf(f->template, sizeof f->template, "%s/template.db", f->dir);
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    snprintf(f->input, sizeof f->input, "%s/records.jsonl", f->dir);
    make_template(f);
    f->credit = credit(1);
}

static void fixture_release(struct fixture *f)
{
    tr_json_free(f->credit);
    sweep_remove_store(f->template);
    sweep_remove_store(f->path);
    unlink(f->input);
    ck_assert_int_eq(rmdir(f->dir), 0);
}

/* ---- submit ---- */

/* Open, begin, submit the credit, commit, close: what `talentreg submit` does. */
static int submit_once(const struct fixture *f, enum tr_submit_status *status, struct tr_error *err)
{
    struct tr_db *db = NULL;
    struct tr_submit_result r;
    int rc = tr_db_open(f->path, TR_DB_READWRITE, &db, err);
    if (rc == TR_OK && (rc = tr_db_begin(db, err)) == TR_OK) {
        rc = tr_submit_credential(db, f->credit, &r, err);
        if (rc == TR_OK) {
            *status = r.status;
            tr_submit_result_release(&r);
            rc = tr_db_commit(db, err);
        } else {
            tr_db_rollback(db, NULL);
        }
    }
    if (rc == TR_OK && tr_db_in_transaction(db) != 0) {
        rc = tr_error_set(err, TR_EINVAL, "a transaction was left open");
    }
    int close_rc = tr_db_close(db, NULL);
    return rc == TR_OK ? close_rc : rc;
}

/*
 * Sweep the submission of one Credit: on a fresh copy of the template each time. After a
 * run that succeeded the record is stored; after one that failed the log is the template's,
 * and the same submission then stores it.
 */
START_TEST(submit_fails_cleanly)
{
    struct fixture f;
    enum fault_target t = SWEEP_TARGET(_i);
    enum fault_mode mode = SWEEP_MODE(_i);
    unsigned char root[TR_MERKLE_HASH_LEN], stored_root[TR_MERKLE_HASH_LEN];
    enum tr_submit_status status = TR_SUBMIT_REJECTED;
    struct tr_error err = {0};
    long n = first_n();
    fixture_init(&f);
    copy_template(&f);
    f.size[0] = check_store(&f, 1, f.root[0]);
    ck_assert_msg(submit_once(&f, &status, &err) == TR_OK, "%s", err.msg);
    ck_assert_int_eq(status, TR_SUBMIT_STORED);
    ck_assert_uint_eq(check_store(&f, 1, stored_root), NORGS + 1);
    for (;; n += stride(t)) {
        ck_assert_int_lt(n, SWEEP_MAX);
        copy_template(&f);
        status = TR_SUBMIT_REJECTED;
        sweep_arm(t, n, mode);
        int rc = submit_once(&f, &status, &err);
        int hit = sweep_disarm(t);
        uint64_t size = check_store(&f, full_audit(t, n), root);
        if (rc == TR_OK) {
            ck_assert_msg(status == TR_SUBMIT_STORED, "N=%ld: status %d", n, (int)status);
            ck_assert_uint_eq(size, NORGS + 1);
            ck_assert_mem_eq(root, stored_root, TR_MERKLE_HASH_LEN);
            if (!hit) {
                break;
            }
            continue;
        }
        ck_assert_msg(hit, "%s", err.msg);
        sweep_assert_failure_code(t, n, rc, &err);
        ck_assert_msg(size == f.size[0] && memcmp(root, f.root[0], sizeof root) == 0,
                      "N=%ld: the failed submit left %llu leaves", n, (unsigned long long)size);
        ck_assert_msg(submit_once(&f, &status, &err) == TR_OK, "%s", err.msg);
        ck_assert_int_eq(status, TR_SUBMIT_STORED);
        ck_assert_uint_eq(check_store(&f, 1, root), NORGS + 1);
        ck_assert_mem_eq(root, stored_root, TR_MERKLE_HASH_LEN);
    }
    report("tr_submit_credential", t, mode, n);
    fixture_release(&f);
}
END_TEST

/* ---- import ---- */

struct run {
    struct fixture *f;
    struct tr_db *db;
    int reference; /* 1: note the log after each commit; 0: note what is acknowledged */
};

static int on_commit(void *ctx, const struct tr_import_commit *batch, struct tr_error *err)
{
    struct run *r = ctx;
    struct fixture *f = r->f;
    if (r->reference) {
        ck_assert_uint_lt(f->commits, COMMITS);
        int rc = tr_log_size(r->db, &f->size[f->commits], err);
        if (rc == TR_OK) {
            rc = tr_log_root(r->db, f->size[f->commits], f->root[f->commits], err);
        }
        f->commits++;
        return rc;
    }
    /* Armed: no ck_assert here, libcheck allocates when it records a passing check. */
    for (size_t i = 0; i < batch->count; i++) {
        if (f->nacked == MAX_ACKED) {
            return tr_error_set(err, TR_EINVAL, "more records acknowledged than imported");
        }
        memcpy(f->acked[f->nacked], batch->record_ids + i * (TR_RECORD_ID_LEN + 1),
               TR_RECORD_ID_LEN);
        f->acked[f->nacked++][TR_RECORD_ID_LEN] = '\0';
    }
    return TR_OK;
}

/* Open, import the input (no worker threads, BATCH records a transaction), close. */
static int import_once(struct fixture *f, int reference, struct tr_import_summary *sum,
                       struct tr_error *err)
{
    const char *paths[] = {f->input};
    struct run r = {f, NULL, reference};
    struct tr_import_options o = {0};
    o.batch = BATCH;
    o.on_commit = on_commit;
    o.commit_ctx = &r;
    int rc = tr_db_open(f->path, TR_DB_READWRITE, &r.db, err);
    if (rc == TR_OK) {
        rc = tr_import_run(r.db, paths, 1, &o, sum, err);
    }
    if (rc == TR_OK && tr_db_in_transaction(r.db) != 0) {
        rc = tr_error_set(err, TR_EINVAL, "a transaction was left open");
    }
    int close_rc = tr_db_close(r.db, NULL);
    return rc == TR_OK ? close_rc : rc;
}

static void assert_whole_summary(const struct tr_import_summary *s, long n)
{
    ck_assert_msg(s->records == 4 && s->stored + s->duplicates == 3 && s->rejected == 1 &&
                      s->by_reason[TR_IMPORT_MALFORMED_INPUT] == 1,
                  "N=%ld: %llu records, %llu stored, %llu rejected", n,
                  (unsigned long long)s->records, (unsigned long long)s->stored,
                  (unsigned long long)s->rejected);
}

/*
 * Sweep the import: on a fresh copy of the template each time. After a run that succeeded
 * every record is stored; after one that failed the log is the template's or that of a
 * committed batch, holding every record acknowledged; the import run again then ends with
 * the log of an import that never failed.
 */
START_TEST(import_fails_cleanly)
{
    struct fixture f;
    enum fault_target t = SWEEP_TARGET(_i);
    enum fault_mode mode = SWEEP_MODE(_i);
    unsigned char root[TR_MERKLE_HASH_LEN];
    struct tr_import_summary sum;
    struct tr_error err = {0};
    long n = first_n();
    fixture_init(&f);
    write_input(&f);
    copy_template(&f);
    f.size[0] = check_store(&f, 1, f.root[0]);
    f.commits = 1;
    ck_assert_msg(import_once(&f, 1, &sum, &err) == TR_OK, "%s", err.msg);
    assert_whole_summary(&sum, 0);
    ck_assert_uint_eq(f.commits, COMMITS);
    ck_assert_uint_eq(f.size[COMMITS - 1], NORGS + 3);
    for (;; n += stride(t)) {
        ck_assert_int_lt(n, SWEEP_MAX);
        copy_template(&f);
        f.nacked = 0;
        sweep_arm(t, n, mode);
        int rc = import_once(&f, 0, &sum, &err);
        int hit = sweep_disarm(t);
        uint64_t size = check_store(&f, full_audit(t, n), root);
        size_t at = commit_of(&f, n, size, root);
        if (rc == TR_OK) {
            assert_whole_summary(&sum, n);
            ck_assert_msg(at == COMMITS - 1, "N=%ld: the import said it ended, at %zu", n, at);
            ck_assert_uint_eq(f.nacked, 3);
            if (!hit) {
                break;
            }
            continue;
        }
        ck_assert_msg(hit, "%s", err.msg);
        sweep_assert_failure_code(t, n, rc, &err);
        f.nacked = 0;
        ck_assert_msg(import_once(&f, 0, &sum, &err) == TR_OK, "%s", err.msg);
        assert_whole_summary(&sum, n);
        ck_assert_uint_eq(check_store(&f, 1, root), f.size[COMMITS - 1]);
        ck_assert_mem_eq(root, f.root[COMMITS - 1], TR_MERKLE_HASH_LEN);
    }
    report("tr_import_run", t, mode, n);
    fixture_release(&f);
}
END_TEST

Suite *fault_ingest_suite(void)
{
    Suite *s = suite_create("fault_ingest");
    TCase *tc = tcase_create("ingest failures");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, submit_fails_cleanly, 0, SWEEPS);
    tcase_add_loop_test(tc, import_fails_cleanly, 0, SWEEPS);
    suite_add_tcase(s, tc);
    return s;
}
