/*
 * import_impl.h — the state the parts of the bulk import share (internal to the library):
 * import.c runs it, writes and commits the batches; import_source.c reads the inputs into
 * items; import_workers.c runs the reader, the workers and the writer in their threads.
 *
 * The bulk import (talentreg/import.h): a reader thread, worker threads that parse, map, sign
 * and precheck, and the caller's thread, which submits in input order.
 *
 * Items travel through a ring of TR_IMPORT_WINDOW slots. Item n lives in slot n % WINDOW
 * from the moment the reader fills it until the writer has stored it; three counters say how
 * far each stage got (next_read >= next_work >= next_write), so the slots need no queue of
 * their own, and the writer takes them in input order whatever order the workers finish in.
 */
#ifndef TALENTREG_IMPORT_IMPL_H
#define TALENTREG_IMPORT_IMPL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "stream.h"
#include "talentreg/csv.h"
#include "talentreg/import.h"
#include "talentreg/yaml.h"

/* One input. */
struct source {
    const char *path;
    const char *name; /* for messages */
    enum tr_import_format format;
    uint64_t base; /* bytes of the inputs before it */
};

enum slot_state { SLOT_FREE = 0, SLOT_READ, SLOT_DONE };

/* One item on its way from the reader to the writer. */
struct slot {
    enum slot_state state;
    size_t source;
    uint64_t line;        /* where it starts */
    size_t record;        /* its number in the file; 0 for a problem of the file as a whole */
    int whole_file;       /* 1: a problem of the file (a CSV header), not of an item */
    uint64_t end;         /* bytes of the file read through it */
    size_t bytes;         /* what it counts in the window */
    int truncated;        /* a last JSON line without its line end */
    struct tr_buf text;   /* a JSON line */
    struct tr_json *doc;  /* a YAML document, or a CSV row made a record */
    struct tr_json *cred; /* the credential */
    struct tr_verify_precheck pre;
    struct tr_import_problem *problems; /* why it is no record (the reader's or a worker's) */
    size_t nproblems, cap;
    int fatal; /* a worker could not go on: error holds why */
    struct tr_error error;
};

/* The reader's state in the input being read. */
struct input {
    size_t source; /* its index; nsources once every input is read */
    int open;
    size_t items;
    uint64_t line; /* JSON lines: the last line read */
    int failed;    /* a YAML stream that failed: nothing more comes of it */
    struct stream lines;
    struct tr_yaml_reader *yaml;
    struct tr_csv_reader *csv;
    struct tr_buf header; /* CSV: the column names, each NUL-terminated */
    size_t *columns;      /* their offsets in header */
    size_t ncolumns;
};

struct import {
    struct tr_db *db;
    const struct tr_import_options *opts;
    struct tr_limits limits;
    struct tr_proof_sign_options sign;
    unsigned char id_key[TR_ID_KEY_LEN];
    struct source *sources;
    size_t nsources;
    struct input in; /* the reader's alone */
    struct slot *slots;
    size_t batch, in_batch;
    int batch_open;
    int flat;            /* the store's savepoints are off: tokens are indexed a batch at once */
    int64_t search_mark; /* the open batch's tr_search_pending_mark */
    int durable;         /* batches are committed on their own: on_commit is called */
    struct tr_buf acked; /* the open batch's records in the store: ids, each ended by '\n' */
    size_t nacked;
    struct tr_import_summary *sum;
    /* Shared between the threads, under lock. */
    pthread_mutex_t lock;
    pthread_cond_t can_read, can_work, can_write;
    uint64_t next_read, next_work, next_write;
    size_t bytes_in_flight;
    int reader_done;
    int stop;   /* the writer has stopped: everyone ends */
    int failed; /* the reader or a worker failed: fail_rc and fail say why */
    int fail_rc;
    struct tr_error fail;
};

/* ---- import.c: the items and the writer ---- */

/* Note a reason why the item is no record. TR_OK or TR_ENOMEM. */
int import_add_problem(struct slot *s, unsigned reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Empty the slot for the next item (keeping a small line buffer). */
void import_slot_clear(struct slot *s);

/* Store one item (or report it), in the open batch; *rejected says whether it was stored. */
int import_write_item(struct import *im, struct slot *s, int *rejected, struct tr_error *err);

/* After the item written: progress, and whether strict stops here. *stop (out). */
int import_after_item(struct import *im, int rejected, int *stop);

/* ---- import_source.c: the inputs and their items ---- */

/*
 * A parser's message "'NAME' line L column C: WHAT" as a detail (out, size bytes): without the
 * name, and, for a JSON line parsed alone (line not 0; text, len its bytes), at the item's
 * line. *at (may be NULL) gets the line the message names.
 */
void import_item_message(char *out, size_t size, const char *msg, const char *name, uint64_t line,
                         const char *text, size_t len, uint64_t *at);

/* Close the input being read; the next one is read next. */
void import_close_input(struct import *im);

/*
 * Read the next item into s, from the input being read or the next one. *got = 0 when every
 * input is read. A failure to read (not a malformed item) is an error.
 */
int import_read_item(struct import *im, struct slot *s, int *got, struct tr_error *err);

/* Check every input and tell its format, before anything is read or written. */
int import_prepare_sources(struct import *im, const char *const *paths, size_t n,
                           struct tr_error *err);

/* ---- import_workers.c: the threads ---- */

/* The writer with a reader and nworkers workers: items in input order as they are done. */
int import_run_threads(struct import *im, unsigned nworkers, struct tr_error *err);

/* Everything in the caller's thread, one item at a time. */
int import_run_inline(struct import *im, struct tr_error *err);

#endif
