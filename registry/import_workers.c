/*
 * import_workers.c — the threads of a bulk import (import_impl.h): a reader thread, worker
 * threads that parse, map, sign and precheck, and the caller's thread as the writer.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "import_impl.h"
#include "talentreg/proof.h"
#include "talentreg/schema.h"

static struct slot *slot_of(struct import *im, uint64_t seq)
{
    return &im->slots[seq % TR_IMPORT_WINDOW];
}

/* ---- The workers ---- */

/* Every node of a tree parsed from one line is on that line of the file. */
static void set_line(struct tr_json *node, uint64_t line)
{
    node->pos.line = (uint32_t)line;
    if (node->type == TR_JSON_ARRAY) {
        for (size_t i = 0; i < node->u.array.len; i++) {
            set_line(node->u.array.items[i], line);
        }
    } else if (node->type == TR_JSON_OBJECT) {
        for (size_t i = 0; i < node->u.object.len; i++) {
            node->u.object.members[i].key_pos.line = (uint32_t)line;
            set_line(node->u.object.members[i].value, line);
        }
    }
}

/* A JSON line into a credential; a line that is not JSON is a problem of the item. */
static int parse_line(struct import *im, struct slot *s, struct tr_error *err)
{
    const struct source *src = &im->sources[s->source];
    char detail[TR_VERIFY_DETAIL_MAX];
    struct tr_error e = {0};
    int rc = tr_json_parse(s->text.data, s->text.len, src->name, &im->limits, &s->cred, &e);
    if (rc == TR_OK) {
        if (s->line <= UINT32_MAX) {
            set_line(s->cred, s->line);
        }
        return TR_OK;
    }
    if (rc != TR_EPARSE && rc != TR_ELIMIT) {
        return tr_error_set(err, rc, "%s", e.msg);
    }
    import_item_message(detail, sizeof detail, e.msg, src->name, s->line, s->text.data, s->text.len,
                        NULL);
    if (s->truncated) {
        rc = import_add_problem(
            s, TR_IMPORT_TRUNCATED_LINE,
            "the last line ends without a line feed and is not a whole JSON text: %s", detail);
    } else {
        rc = import_add_problem(
            s, rc == TR_ELIMIT ? TR_IMPORT_OVER_LIMIT : TR_IMPORT_MALFORMED_INPUT, "%s", detail);
    }
    return rc != TR_OK ? tr_error_set(err, rc, "out of memory") : TR_OK;
}

/* A YAML or CSV record into its credential, signed with the import's key. */
static int map_and_sign(struct import *im, struct slot *s, struct tr_error *err)
{
    struct tr_diag diag;
    tr_diag_init(&diag, im->sources[s->source].name);
    int rc = tr_schema_from_record(s->doc, im->id_key, &s->cred, &diag);
    if (rc == TR_ESCHEMA) {
        rc = TR_OK;
        for (size_t i = 0; rc == TR_OK && i < diag.len; i++) {
            const struct tr_diag_entry *d = &diag.items[i];
            rc = import_add_problem(s, TR_VERIFY_SCHEMA_INVALID, "line %u column %u: %s",
                                    (unsigned)d->pos.line, (unsigned)d->pos.column, d->msg);
        }
        if (rc == TR_OK && diag.dropped > 0) {
            rc = import_add_problem(s, TR_VERIFY_SCHEMA_INVALID, "%zu more problems", diag.dropped);
        }
        if (rc != TR_OK) {
            rc = tr_error_set(err, rc, "out of memory");
        }
    } else if (rc != TR_OK) {
        rc = tr_diag_to_error(&diag, rc, err);
    } else {
        rc = tr_proof_sign(s->cred, im->opts->key->seed, &im->sign, err);
    }
    tr_diag_release(&diag);
    return rc;
}

/* Turn the slot's input into a credential with its precheck, or into problems. */
static int work(struct import *im, struct slot *s, struct tr_error *err)
{
    struct tr_error e = {0};
    int rc = TR_OK;
    if (s->nproblems > 0) {
        return TR_OK;
    }
    if (im->sources[s->source].format == TR_IMPORT_JSONL) {
        rc = parse_line(im, s, err);
    } else {
        rc = map_and_sign(im, s, err);
        tr_json_free(s->doc);
        s->doc = NULL;
    }
    if (rc != TR_OK || s->nproblems > 0) {
        return rc;
    }
    rc = tr_verify_precheck(s->cred, &s->pre, &e);
    if (rc == TR_EINVAL) {
        /* An object the canonical form refuses: no record. */
        rc = import_add_problem(s, TR_VERIFY_SCHEMA_INVALID, "%s", e.msg);
        return rc != TR_OK ? tr_error_set(err, rc, "out of memory") : TR_OK;
    }
    return rc != TR_OK ? tr_error_set(err, rc, "%s", e.msg) : TR_OK;
}

/* ---- Threads ---- */

/* Record the first failure of the reader or a worker and wake everyone. Lock held. */
static void fail_locked(struct import *im, int rc, const struct tr_error *e)
{
    if (!im->failed) {
        im->failed = 1;
        im->fail_rc = rc;
        tr_error_set(&im->fail, rc, "%s", e->msg[0] != '\0' ? e->msg : tr_strerror(rc));
    }
    pthread_cond_broadcast(&im->can_read);
    pthread_cond_broadcast(&im->can_work);
    pthread_cond_broadcast(&im->can_write);
}

static void *reader_main(void *arg)
{
    struct import *im = arg;
    for (;;) {
        struct tr_error e = {0};
        int got = 0;
        pthread_mutex_lock(&im->lock);
        while (
            !im->stop && !im->failed &&
            (im->next_read - im->next_write >= TR_IMPORT_WINDOW ||
             (im->bytes_in_flight >= TR_IMPORT_WINDOW_BYTES && im->next_read != im->next_write))) {
            pthread_cond_wait(&im->can_read, &im->lock);
        }
        if (im->stop || im->failed) {
            pthread_mutex_unlock(&im->lock);
            return NULL;
        }
        struct slot *s = slot_of(im, im->next_read);
        pthread_mutex_unlock(&im->lock);
        int rc = import_read_item(im, s, &got, &e);
        pthread_mutex_lock(&im->lock);
        if (rc != TR_OK) {
            fail_locked(im, rc, &e);
        } else if (!got) {
            im->reader_done = 1;
            pthread_cond_broadcast(&im->can_work);
            pthread_cond_broadcast(&im->can_write);
        } else {
            s->state = SLOT_READ;
            im->bytes_in_flight += s->bytes;
            im->next_read++;
            pthread_cond_signal(&im->can_work);
        }
        int done = rc != TR_OK || !got;
        pthread_mutex_unlock(&im->lock);
        if (done) {
            return NULL;
        }
    }
}

static void *worker_main(void *arg)
{
    struct import *im = arg;
    for (;;) {
        struct tr_error e = {0};
        pthread_mutex_lock(&im->lock);
        while (!im->stop && !im->failed && im->next_work == im->next_read && !im->reader_done) {
            pthread_cond_wait(&im->can_work, &im->lock);
        }
        if (im->stop || im->failed || im->next_work == im->next_read) {
            pthread_mutex_unlock(&im->lock);
            return NULL;
        }
        uint64_t seq = im->next_work++;
        struct slot *s = slot_of(im, seq);
        pthread_mutex_unlock(&im->lock);
        int rc = work(im, s, &e);
        pthread_mutex_lock(&im->lock);
        if (rc != TR_OK) {
            fail_locked(im, rc, &e);
        }
        s->state = SLOT_DONE;
        if (seq == im->next_write) {
            pthread_cond_signal(&im->can_write);
        }
        pthread_mutex_unlock(&im->lock);
    }
}

/* The writer with a reader and workers: items in input order as they are done. */
int import_run_threads(struct import *im, unsigned nworkers, struct tr_error *err)
{
    pthread_t reader, workers[TR_IMPORT_MAX_THREADS];
    unsigned started = 0;
    int have_reader = 0, rc = TR_OK;
    if (pthread_create(&reader, NULL, reader_main, im) != 0) {
        return tr_error_set(err, TR_EIO, "cannot start the import's reader thread");
    }
    have_reader = 1;
    for (; started < nworkers; started++) {
        if (pthread_create(&workers[started], NULL, worker_main, im) != 0) {
            rc = tr_error_set(err, TR_EIO, "cannot start the import's worker threads");
            break;
        }
    }
    for (;;) {
        int rejected = 0, stop = 0;
        pthread_mutex_lock(&im->lock);
        struct slot *s = slot_of(im, im->next_write);
        while (rc == TR_OK && !im->failed && s->state != SLOT_DONE &&
               !(im->reader_done && im->next_write == im->next_read)) {
            pthread_cond_wait(&im->can_write, &im->lock);
        }
        if (rc == TR_OK && im->failed) {
            rc = tr_error_set(err, im->fail_rc, "%s", im->fail.msg);
        }
        int end = rc != TR_OK || s->state != SLOT_DONE;
        pthread_mutex_unlock(&im->lock);
        if (end) {
            break;
        }
        rc = import_write_item(im, s, &rejected, err);
        if (rc == TR_OK) {
            rc = import_after_item(im, rejected, &stop);
        }
        pthread_mutex_lock(&im->lock);
        im->bytes_in_flight -= s->bytes;
        import_slot_clear(s);
        im->next_write++;
        pthread_cond_signal(&im->can_read);
        pthread_mutex_unlock(&im->lock);
        if (rc != TR_OK || stop) {
            break;
        }
    }
    pthread_mutex_lock(&im->lock);
    im->stop = 1;
    pthread_cond_broadcast(&im->can_read);
    pthread_cond_broadcast(&im->can_work);
    pthread_mutex_unlock(&im->lock);
    if (have_reader) {
        pthread_join(reader, NULL);
    }
    for (unsigned i = 0; i < started; i++) {
        pthread_join(workers[i], NULL);
    }
    return rc;
}

/* Everything in the caller's thread, one item at a time. */
int import_run_inline(struct import *im, struct tr_error *err)
{
    struct slot *s = &im->slots[0];
    int rc = TR_OK;
    for (;;) {
        int got = 0, rejected = 0, stop = 0;
        rc = import_read_item(im, s, &got, err);
        if (rc != TR_OK || !got) {
            break;
        }
        rc = work(im, s, err);
        if (rc == TR_OK) {
            rc = import_write_item(im, s, &rejected, err);
        }
        if (rc == TR_OK) {
            rc = import_after_item(im, rejected, &stop);
        }
        import_slot_clear(s);
        if (rc != TR_OK || stop) {
            break;
        }
    }
    return rc;
}
