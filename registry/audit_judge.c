/*
 * audit_judge.c — the audit's records judged again, in the caller's thread or by workers
 * that each hold their own read-only connection to the store (audit_judge.h).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_judge.h"
#include "talentreg/verify.h"
#include "verify_leaf.h"

#define MAX_WORKERS 8
#define QUEUE_LEN 1024

struct job {
    uint64_t leaf;
    char record_id[TR_LOG_RECORD_ID_LEN + 1];
    struct tr_json *body;              /* the leaf's body as the pass parsed it; owned */
    unsigned char hash[TR_SHA256_LEN]; /* the record id it spells */
};

struct worker {
    struct audit_judge *j;
    pthread_t thread;
    int started;
    struct tr_db *db; /* its own connection; the caller's db when there are no workers */
    struct tr_verdict verdict;
};

struct audit_judge {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    struct job queue[QUEUE_LEN];
    size_t head, len;
    int done;   /* no more jobs will come */
    int failed; /* a worker met an error: err holds it */
    struct tr_error err;
    struct audit_judged *results; /* records that did not count, in the order judged */
    size_t nresults, cap;
    size_t nworkers;
    struct worker workers[MAX_WORKERS];
    struct worker inline_worker; /* judges in the caller's thread when nworkers is 0 */
};

/* Judge one record with w's connection; keep it when it does not count. Called with the
 * lock not held. */
static int judge_one(struct audit_judge *j, struct worker *w, const struct job *job,
                     struct tr_error *err)
{
    struct audit_judged r;
    tr_verify_verdict_release(&w->verdict);
    int rc = verify_logged_leaf(w->db, job->body, job->record_id, job->hash, job->leaf, &w->verdict,
                                err);
    memset(&r, 0, sizeof r);
    if (rc == TR_EVERIFY || rc == TR_EDB) {
        snprintf(r.detail, sizeof r.detail, "%s", err != NULL ? err->msg : tr_strerror(rc));
    } else if (rc != TR_OK) {
        return rc;
    } else if (w->verdict.counts || w->verdict.nreasons == 0) {
        return TR_OK;
    } else {
        const struct tr_verify_item *it = &w->verdict.reasons[0];
        snprintf(r.detail, sizeof r.detail, "%s: %s%s", tr_verify_reason_code(it->reason),
                 it->detail, w->verdict.nreasons > 1 ? " (and more)" : "");
    }
    r.leaf = job->leaf;
    memcpy(r.record_id, job->record_id, sizeof r.record_id);
    pthread_mutex_lock(&j->lock);
    if (j->nresults == j->cap) {
        size_t grown = j->cap == 0 ? 16 : 2 * j->cap;
        struct audit_judged *p = realloc(j->results, grown * sizeof *p);
        if (p == NULL) {
            pthread_mutex_unlock(&j->lock);
            return tr_error_set(err, TR_ENOMEM, "out of memory");
        }
        j->results = p;
        j->cap = grown;
    }
    j->results[j->nresults++] = r;
    pthread_mutex_unlock(&j->lock);
    return TR_OK;
}

/* Stop everything with the error in e (the first one wins). */
static void fail_all(struct audit_judge *j, int rc, const struct tr_error *e)
{
    pthread_mutex_lock(&j->lock);
    if (!j->failed) {
        j->failed = 1;
        tr_error_set(&j->err, rc, "%s", e->msg[0] != '\0' ? e->msg : tr_strerror(rc));
    }
    pthread_cond_broadcast(&j->not_empty);
    pthread_cond_broadcast(&j->not_full);
    pthread_mutex_unlock(&j->lock);
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct audit_judge *j = w->j;
    for (;;) {
        struct job job;
        struct tr_error e = {0};
        pthread_mutex_lock(&j->lock);
        while (j->len == 0 && !j->done && !j->failed) {
            pthread_cond_wait(&j->not_empty, &j->lock);
        }
        if (j->failed || j->len == 0) {
            pthread_mutex_unlock(&j->lock);
            return NULL;
        }
        job = j->queue[j->head];
        j->head = (j->head + 1) % QUEUE_LEN;
        j->len--;
        pthread_cond_signal(&j->not_full);
        pthread_mutex_unlock(&j->lock);
        int rc = judge_one(j, w, &job, &e);
        tr_json_free(job.body);
        if (rc != TR_OK) {
            fail_all(j, rc, &e);
            return NULL;
        }
    }
}

int audit_judge_start(struct tr_db *db, unsigned threads, struct audit_judge **out,
                      struct tr_error *err)
{
    struct audit_judge *j = calloc(1, sizeof *j);
    int rc = TR_OK;
    *out = NULL;
    if (j == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->not_empty, NULL);
    pthread_cond_init(&j->not_full, NULL);
    j->inline_worker.j = j;
    j->inline_worker.db = db;
    tr_verify_verdict_init(&j->inline_worker.verdict);
    size_t n = threads > MAX_WORKERS ? MAX_WORKERS : threads;
    for (size_t i = 0; rc == TR_OK && i < n; i++) {
        struct worker *w = &j->workers[i];
        w->j = j;
        tr_verify_verdict_init(&w->verdict);
        j->nworkers++;
        rc = tr_db_open(tr_db_path(db), TR_DB_READONLY, &w->db, err);
        if (rc == TR_OK) {
            /* A worker reads a few rows of the trust index a record: SQLite's own 2 MiB of
               page cache holds them, where the store's 32 MiB (for search) is memory each
               worker would keep for nothing. */
            rc = tr_db_exec(w->db, "PRAGMA cache_size = -2048", err);
        }
        if (rc == TR_OK) {
            rc = tr_db_begin(w->db, err);
        }
        if (rc == TR_OK && pthread_create(&w->thread, NULL, work, w) != 0) {
            rc = tr_error_set(err, TR_EIO, "cannot start a thread to judge records");
        }
        w->started = rc == TR_OK;
    }
    *out = j;
    if (rc != TR_OK) {
        audit_judge_finish(j, rc, NULL, NULL, NULL);
        *out = NULL;
    }
    return rc;
}

int audit_judge_push(struct audit_judge *j, uint64_t leaf, const char *record_id,
                     struct tr_json *body, const unsigned char hash[TR_SHA256_LEN],
                     struct tr_error *err)
{
    struct job job;
    job.leaf = leaf;
    snprintf(job.record_id, sizeof job.record_id, "%s", record_id);
    job.body = body;
    memcpy(job.hash, hash, TR_SHA256_LEN);
    if (j->nworkers == 0) {
        int rc = judge_one(j, &j->inline_worker, &job, err);
        tr_json_free(body);
        return rc;
    }
    pthread_mutex_lock(&j->lock);
    while (j->len == QUEUE_LEN && !j->failed) {
        pthread_cond_wait(&j->not_full, &j->lock);
    }
    if (j->failed) {
        int rc = tr_error_set(err, j->err.code, "%s", j->err.msg);
        pthread_mutex_unlock(&j->lock);
        tr_json_free(body);
        return rc;
    }
    j->queue[(j->head + j->len) % QUEUE_LEN] = job;
    j->len++;
    pthread_cond_signal(&j->not_empty);
    pthread_mutex_unlock(&j->lock);
    return TR_OK;
}

static int compare_judged(const void *x, const void *y)
{
    const struct audit_judged *p = x, *q = y;
    return p->leaf < q->leaf ? -1 : p->leaf > q->leaf;
}

int audit_judge_finish(struct audit_judge *j, int rc, struct audit_judged **out, size_t *count,
                       struct tr_error *err)
{
    if (out != NULL) {
        *out = NULL;
        *count = 0;
    }
    if (j == NULL) {
        return rc;
    }
    pthread_mutex_lock(&j->lock);
    j->done = 1;
    if (rc != TR_OK) {
        j->failed = 1; /* drop what is queued */
    }
    pthread_cond_broadcast(&j->not_empty);
    pthread_mutex_unlock(&j->lock);
    for (size_t i = 0; i < j->nworkers; i++) {
        struct worker *w = &j->workers[i];
        if (w->started) {
            pthread_join(w->thread, NULL);
        }
        if (w->db != NULL) {
            tr_db_rollback(w->db, NULL);
            tr_db_close(w->db, NULL);
        }
        tr_verify_verdict_release(&w->verdict);
    }
    tr_verify_verdict_release(&j->inline_worker.verdict);
    for (; j->len > 0; j->len--) { /* the jobs dropped */
        tr_json_free(j->queue[j->head].body);
        j->head = (j->head + 1) % QUEUE_LEN;
    }
    if (rc == TR_OK && j->failed) {
        rc = tr_error_set(err, j->err.code, "%s", j->err.msg);
    }
    if (rc == TR_OK && out != NULL) {
        if (j->nresults > 1) {
            qsort(j->results, j->nresults, sizeof j->results[0], compare_judged);
        }
        *out = j->results;
        *count = j->nresults;
        j->results = NULL;
    }
    free(j->results);
    pthread_cond_destroy(&j->not_full);
    pthread_cond_destroy(&j->not_empty);
    pthread_mutex_destroy(&j->lock);
    free(j);
    return rc;
}
