/*
 * import.c — bulk import (talentreg/import.h): the run, its items' slots, and the writer,
 * which stores the items in input order and commits them in batches (import_impl.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_impl.h"
#include "talentreg/date.h"
#include "talentreg/log.h"
#include "talentreg/search.h"
#include "talentreg/submit.h"

/* A slot's line buffer larger than this is freed after use rather than kept for the next. */
#define KEEP_TEXT (64u << 10)
/* The progress callback is called every this many items. */
#define PROGRESS_EVERY 256
/* The page cache of the store while it imports, in KiB (see tune). */
#define IMPORT_CACHE_KIB "32768"
/* Pages of write-ahead log after which a commit copies them into the store (see tune). */
#define IMPORT_CHECKPOINT_PAGES "16384"

static const char *const import_codes[] = {"malformed-input", "truncated-line", "over-limit"};

const char *tr_import_reason_code(unsigned reason)
{
    if (reason < TR_VERIFY_REASON_COUNT) {
        return tr_verify_reason_code((enum tr_verify_reason)reason);
    }
    if (reason < TR_IMPORT_REASON_COUNT) {
        return import_codes[reason - TR_VERIFY_REASON_COUNT];
    }
    return "unknown";
}

/* ---- The items ---- */

/* Note a reason why the item is no record. TR_OK or TR_ENOMEM. */
int import_add_problem(struct slot *s, unsigned reason, const char *fmt, ...)
{
    if (s->nproblems == s->cap) {
        size_t more = s->cap == 0 ? 2 : 2 * s->cap;
        struct tr_import_problem *p = realloc(s->problems, more * sizeof *p);
        if (p == NULL) {
            return TR_ENOMEM;
        }
        s->problems = p;
        s->cap = more;
    }
    struct tr_import_problem *p = &s->problems[s->nproblems++];
    va_list ap;
    p->reason = reason;
    va_start(ap, fmt);
    vsnprintf(p->detail, sizeof p->detail, fmt, ap);
    va_end(ap);
    return TR_OK;
}

/* Empty the slot for the next item (keeping a small line buffer). */
void import_slot_clear(struct slot *s)
{
    struct tr_buf text = s->text;
    struct tr_import_problem *problems = s->problems;
    size_t cap = s->cap;
    tr_json_free(s->doc);
    tr_json_free(s->cred);
    tr_verify_precheck_release(&s->pre);
    if (text.cap > KEEP_TEXT) {
        tr_buf_release(&text);
    }
    tr_buf_reset(&text);
    memset(s, 0, sizeof *s);
    s->text = text;
    s->problems = problems;
    s->cap = cap;
}

static void slot_release(struct slot *s)
{
    import_slot_clear(s);
    tr_buf_release(&s->text);
    free(s->problems);
    memset(s, 0, sizeof *s);
}

/* ---- The writer ---- */

/* Hand the item's problems, or its verdict's reasons, to the caller. */
static int reject(struct import *im, struct slot *s, const char *record_id, struct tr_error *err)
{
    struct tr_import_summary *sum = im->sum;
    struct tr_import_reject r = {
        .file = im->sources[s->source].name,
        .line = s->line,
        .record = s->record,
        .record_id = record_id,
        .problems = s->problems,
        .nproblems = s->nproblems,
    };
    sum->rejected++;
    if (s->nproblems > 0 && s->problems[0].reason < TR_IMPORT_REASON_COUNT) {
        sum->by_reason[s->problems[0].reason]++;
    }
    if (im->opts->on_reject == NULL) {
        return TR_OK;
    }
    return im->opts->on_reject(im->opts->reject_ctx, &r, err);
}

/* The verdict's reasons as the item's problems. */
static int verdict_problems(struct slot *s, const struct tr_verdict *v)
{
    for (size_t i = 0; i < v->nreasons; i++) {
        if (import_add_problem(s, v->reasons[i].reason, "%s", v->reasons[i].detail) != TR_OK) {
            return TR_ENOMEM;
        }
    }
    return TR_OK;
}

/*
 * Commit the open batch, with the full-text tokens of its records when they wait for it,
 * then tell on_commit which records it holds.
 */
static int commit_batch(struct import *im, struct tr_error *err)
{
    const struct tr_import_options *o = im->opts;
    im->batch_open = 0;
    int rc = im->flat ? tr_search_index_pending(im->db, im->search_mark, err) : TR_OK;
    if (rc != TR_OK) {
        tr_db_rollback(im->db, NULL);
    } else {
        rc = tr_db_commit(im->db, err);
    }
    if (rc == TR_OK && im->acked.err != TR_OK) {
        rc = tr_error_set(err, im->acked.err, "out of memory");
    }
    if (rc == TR_OK && im->durable && o->on_commit != NULL) {
        struct tr_import_commit c = {im->acked.data, im->nacked, im->sum};
        rc = o->on_commit(o->commit_ctx, &c, err);
    }
    tr_buf_reset(&im->acked);
    im->nacked = 0;
    return rc;
}

/* Store one item (or report it), in the open batch; *rejected says whether it was stored. */
int import_write_item(struct import *im, struct slot *s, int *rejected, struct tr_error *err)
{
    struct tr_import_summary *sum = im->sum;
    struct tr_submit_result r;
    struct tr_error e = {0};
    int rc = TR_OK;
    *rejected = 0;
    sum->records++;
    if (!im->batch_open) {
        if ((rc = tr_db_begin(im->db, err)) != TR_OK) {
            return rc;
        }
        im->batch_open = 1;
        im->in_batch = 0;
        if (im->flat && (rc = tr_search_pending_mark(im->db, &im->search_mark, err)) != TR_OK) {
            return rc;
        }
        tr_buf_reset(&im->acked);
        im->nacked = 0;
    }
    if (s->nproblems > 0) {
        *rejected = 1;
        rc = reject(im, s, "", err);
        goto out;
    }
    rc = tr_submit_prechecked(im->db, s->cred, &s->pre, &r, &e);
    if (rc != TR_OK) {
        return tr_error_set(err, rc, "'%s' line %" PRIu64 ": %s", im->sources[s->source].name,
                            s->line, e.msg);
    }
    switch (r.status) {
    case TR_SUBMIT_STORED:
        sum->stored++;
        sum->log_size = r.leaf + 1;
        break;
    case TR_SUBMIT_MERGED:
        sum->merged++;
        sum->log_size = r.leaf + 1;
        break;
    case TR_SUBMIT_DUPLICATE:
        sum->duplicates++;
        break;
    case TR_SUBMIT_REJECTED:
        *rejected = 1;
        rc = verdict_problems(s, &r.verdict);
        rc = rc != TR_OK ? tr_error_set(err, rc, "out of memory") : reject(im, s, r.record_id, err);
        break;
    }
    if (!*rejected && im->durable) {
        tr_buf_adds(&im->acked, r.record_id);
        tr_buf_addc(&im->acked, '\n');
        im->nacked++;
    }
    tr_submit_result_release(&r);
out:
    if (rc == TR_OK) {
        sum->bytes = im->sources[s->source].base + s->end;
    }
    if (rc == TR_OK && ++im->in_batch >= im->batch) {
        rc = commit_batch(im, err);
    }
    return rc;
}

/* After the item written: progress, and whether strict stops here. *stop (out). */
int import_after_item(struct import *im, int rejected, int *stop)
{
    const struct tr_import_options *o = im->opts;
    *stop = rejected && o->strict;
    im->sum->stopped = *stop;
    if (o->on_progress != NULL && im->sum->records % PROGRESS_EVERY == 0) {
        o->on_progress(o->progress_ctx, im->sum);
    }
    return TR_OK;
}

/* ---- Setting up ---- */

/* The store's settings the import changes, restored when it ends. */
struct tuning {
    int saved;
    int flat; /* savepoints were turned off */
    int64_t cache_size, temp_store, wal_autocheckpoint;
};

static int pragma_value(struct tr_db *db, const char *sql, int64_t *out, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    int rc = tr_db_prepare(db, sql, &st, err);
    if (rc == TR_OK) {
        rc = tr_db_step(st, &row, err);
    }
    *out = rc == TR_OK && row ? tr_db_column_int(st, 0) : 0;
    return tr_db_finalize(st, rc, err);
}

/*
 * Give the store what an import needs while it runs. A record's id is a random key in two
 * indexes (log_entry_record, record), so each record dirties a page of each: with SQLite's
 * default 2 MiB cache a batch spills to the write-ahead log before it commits, writing the
 * same pages again and again. And every record is written in three nested savepoints, whose
 * journals of the pages they change go to temporary files unless kept in memory. Better
 * still, the import needs no savepoints at all: a record it rejects has written nothing, and
 * any failure ends the batch, so they are turned off when no transaction of the caller's is
 * open (each savepoint also made the full-text index write a segment of its own). The
 * write-ahead log is copied into the store every 64 MiB rather than every 4 MiB, so an index
 * page that each batch changes is copied (and the store synced) once for many batches. The
 * log's synchronous = FULL stays: a committed batch survives a crash or a power loss.
 */
static int tune(struct tr_db *db, struct tuning *t, struct tr_error *err)
{
    int rc = pragma_value(db, "PRAGMA cache_size", &t->cache_size, err);
    if (rc == TR_OK) {
        rc = pragma_value(db, "PRAGMA temp_store", &t->temp_store, err);
    }
    if (rc == TR_OK) {
        rc = pragma_value(db, "PRAGMA wal_autocheckpoint", &t->wal_autocheckpoint, err);
    }
    if (rc == TR_OK) {
        t->saved = 1;
        rc = tr_db_exec(db,
                        "PRAGMA cache_size = -" IMPORT_CACHE_KIB "; PRAGMA temp_store = MEMORY; "
                        "PRAGMA wal_autocheckpoint = " IMPORT_CHECKPOINT_PAGES,
                        err);
    }
    if (rc == TR_OK && tr_db_in_transaction(db) == 0) {
        rc = tr_db_set_savepoints(db, 0, err);
        t->flat = rc == TR_OK;
    }
    return rc;
}

static void untune(struct tr_db *db, const struct tuning *t)
{
    char sql[192];
    if (t->saved) {
        snprintf(sql, sizeof sql,
                 "PRAGMA cache_size = %" PRId64 "; PRAGMA temp_store = %" PRId64
                 "; PRAGMA wal_autocheckpoint = %" PRId64,
                 t->cache_size, t->temp_store, t->wal_autocheckpoint);
        tr_db_exec(db, sql, NULL);
    }
    if (t->flat) {
        tr_db_set_savepoints(db, 1, NULL);
    }
}

static int check_options(const struct tr_import_options *o, size_t npaths, struct tr_error *err)
{
    int64_t seconds;
    if (npaths == 0) {
        return tr_error_set(err, TR_EINVAL, "no input to import");
    }
    if (o->threads > TR_IMPORT_MAX_THREADS) {
        return tr_error_set(err, TR_EINVAL, "at most %d worker threads, not %u",
                            TR_IMPORT_MAX_THREADS, o->threads);
    }
    if ((unsigned)o->format > TR_IMPORT_CSV) {
        return tr_error_set(err, TR_EINVAL, "unknown input format %d", (int)o->format);
    }
    if (o->created != NULL &&
        tr_date_parse_datetime(o->created, strlen(o->created), &seconds, NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL,
                            "created '%s' is not a UTC date-time like 2024-05-01T08:00:00Z",
                            o->created);
    }
    return o->limits != NULL ? tr_limits_check(o->limits, err) : TR_OK;
}

int tr_import_run(struct tr_db *db, const char *const *paths, size_t npaths,
                  const struct tr_import_options *opts, struct tr_import_summary *summary,
                  struct tr_error *err)
{
    struct import im;
    struct tuning tuning = {0};
    int rc = TR_OK, outer = 0;
    memset(summary, 0, sizeof *summary);
    memset(&im, 0, sizeof im);
    im.db = db;
    im.opts = opts;
    im.sum = summary;
    im.batch = opts->batch > 0 ? opts->batch : TR_IMPORT_BATCH;
    im.sign.created = opts->created;
    im.in.source = 0;
    im.durable = !opts->dry_run && tr_db_in_transaction(db) == 0;
    tr_buf_init(&im.acked);
    pthread_mutex_init(&im.lock, NULL);
    pthread_cond_init(&im.can_read, NULL);
    pthread_cond_init(&im.can_work, NULL);
    pthread_cond_init(&im.can_write, NULL);
    if (opts->limits != NULL) {
        im.limits = *opts->limits;
    } else {
        tr_limits_default(&im.limits);
    }
    if ((rc = check_options(opts, npaths, err)) != TR_OK ||
        (rc = import_prepare_sources(&im, paths, npaths, err)) != TR_OK ||
        (rc = tr_db_id_key(db, im.id_key, err)) != TR_OK ||
        (rc = tr_log_size(db, &summary->log_size, err)) != TR_OK ||
        (rc = tune(db, &tuning, err)) != TR_OK) {
        goto out;
    }
    im.flat = tuning.flat;
    im.slots = calloc(opts->threads > 0 ? TR_IMPORT_WINDOW : 1, sizeof *im.slots);
    if (im.slots == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    if (opts->dry_run) {
        /* One transaction around the batches, rolled back: later records see earlier ones. */
        if ((rc = tr_db_begin(db, err)) != TR_OK) {
            goto out;
        }
        outer = 1;
    }
    rc = opts->threads > 0 ? import_run_threads(&im, opts->threads, err)
                           : import_run_inline(&im, err);
    if (im.batch_open && rc == TR_OK) {
        rc = commit_batch(&im, err);
    } else if (im.batch_open) {
        tr_db_rollback(db, NULL);
    }
    im.batch_open = 0;
    if (opts->on_progress != NULL) {
        opts->on_progress(opts->progress_ctx, summary);
    }
out:
    if (outer) {
        tr_db_rollback(db, NULL);
    }
    untune(db, &tuning);
    if (im.in.source < im.nsources) {
        import_close_input(&im);
    }
    for (size_t i = 0; im.slots != NULL && i < (opts->threads > 0 ? TR_IMPORT_WINDOW : 1); i++) {
        slot_release(&im.slots[i]);
    }
    free(im.slots);
    free(im.sources);
    tr_buf_release(&im.acked);
    tr_wipe(im.id_key, sizeof im.id_key);
    pthread_cond_destroy(&im.can_write);
    pthread_cond_destroy(&im.can_work);
    pthread_cond_destroy(&im.can_read);
    pthread_mutex_destroy(&im.lock);
    return rc;
}
