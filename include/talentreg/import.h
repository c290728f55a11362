/*
 * talentreg/import.h — bulk import: many records from JSON lines of signed credentials, YAML
 * streams of records and CSV files (docs/import.md), verified on every core and stored in
 * log order by one writer, in batches.
 *
 * The work is split so that each signature is verified once and every decision that depends
 * on the log is taken in log order:
 *   - a reader (one thread) reads the inputs in order, one record at a time: a line of a
 *     JSON-lines file, a document of a YAML stream (loaded), a row of a CSV file (made into
 *     a record, its header's columns as keys);
 *   - workers (threads) parse each JSON line, map each YAML or CSV record to its credential
 *     and sign it with the import's key, then make its tr_verify_precheck: the record id,
 *     the schema check and every proof's signature;
 *   - the writer (the caller's thread, which holds the store) submits the records in input
 *     order with tr_submit_prechecked: keys valid at the leaf, required signers, permissions,
 *     revocations and duplicates are judged as of the log's end, as `submit` judges them.
 * Between them a window of at most TR_IMPORT_WINDOW records and TR_IMPORT_WINDOW_BYTES bytes
 * of input is in flight, so memory does not grow with the input.
 *
 * Transactions: the writer commits every batch records (tr_db_begin .. tr_db_commit). Called
 * outside a transaction, each batch is durable once committed, and on_commit says which
 * records it holds: an import that is interrupted keeps its committed batches, and running it
 * again stores the rest (a record already stored is a duplicate and changes nothing). The log
 * grows in input order whatever the threads do, so an import interrupted and run again leaves
 * the same log (same leaves, same root) as one that never was. Called inside the caller's
 * transaction, the batches are savepoints and nothing is durable before the caller commits.
 *
 * A record that is not stored is reported with every reason (the verifier's codes, plus
 * malformed-input, truncated-line and over-limit for input that is no record) and does not
 * stop the others; with strict, the first one stops the import.
 */
#ifndef TALENTREG_IMPORT_H
#define TALENTREG_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "error.h"
#include "json.h"
#include "key.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Records between the reader and the writer, at most. */
#define TR_IMPORT_WINDOW 1024
/* Bytes of input read and not yet stored, at most (one record may exceed it alone). */
#define TR_IMPORT_WINDOW_BYTES (8u << 20)
/* Records per transaction when the options give none. */
#define TR_IMPORT_BATCH 1000
/* Worker threads, at most. */
#define TR_IMPORT_MAX_THREADS 16

/* What an input holds. */
enum tr_import_format {
    TR_IMPORT_AUTO = 0,  /* by the file name's extension, else by its first bytes */
    TR_IMPORT_JSONL = 1, /* one signed credential (a JSON object) a line */
    TR_IMPORT_YAML = 2,  /* a stream of YAML records, signed with the import's key */
    TR_IMPORT_CSV = 3    /* a header row of record keys, then one record a row, signed */
};

/*
 * Why an input item is not stored: the verifier's reasons (enum tr_verify_reason, the same
 * values), then these, for input that is no record at all.
 */
enum tr_import_reason {
    TR_IMPORT_MALFORMED_INPUT = TR_VERIFY_REASON_COUNT, /* "malformed-input" */
    TR_IMPORT_TRUNCATED_LINE,                           /* "truncated-line" */
    TR_IMPORT_OVER_LIMIT                                /* "over-limit" */
};
#define TR_IMPORT_REASON_COUNT (TR_VERIFY_REASON_COUNT + 3)

/* tr_import_reason_code — the stable code of a reason (the verifier's codes below
 * TR_VERIFY_REASON_COUNT); "unknown" when out of range. */
const char *tr_import_reason_code(unsigned reason);

/* One reason an item was not stored. */
struct tr_import_problem {
    unsigned reason;                   /* a verifier reason or an enum tr_import_reason */
    char detail[TR_VERIFY_DETAIL_MAX]; /* in words; positions as "line L column C: ..." */
};

/* An item that was not stored, as reported to the caller. */
struct tr_import_reject {
    const char *file;      /* the input, as messages name it ("<stdin>" for "-") */
    uint64_t line;         /* where the item starts in it (1-based); 0: the file as a whole */
    size_t record;         /* its number among the items of the file, from 1; 0: the file */
    const char *record_id; /* the record id, "" when the item is no credential */
    const struct tr_import_problem *problems; /* every reason, in the verifier's order */
    size_t nproblems;
};

/*
 * Called for each item not stored, in input order, from the caller's thread. Return TR_OK to
 * go on; anything else stops the import, which returns it (with the message in err).
 */
typedef int (*tr_import_reject_fn)(void *ctx, const struct tr_import_reject *reject,
                                   struct tr_error *err);

/* What the import did, so far or in all. */
struct tr_import_summary {
    uint64_t records;    /* items read: records and input that is no record */
    uint64_t stored;     /* new records logged */
    uint64_t duplicates; /* already stored with every signature they bring: nothing changed */
    uint64_t merged;     /* co-signatures merged into a stored record (a new leaf each) */
    uint64_t rejected;   /* not stored */
    uint64_t by_reason[TR_IMPORT_REASON_COUNT]; /* rejected items by their first reason */
    uint64_t bytes;                             /* input read through the last item written */
    uint64_t total_bytes; /* the inputs' size; 0 when not known (standard input, a pipe) */
    uint64_t log_size;    /* the log's size after the last item */
    int stopped;          /* 1: strict stopped the import at a rejected item */
};

/* Called now and then from the caller's thread with the counts so far. */
typedef void (*tr_import_progress_fn)(void *ctx, const struct tr_import_summary *so_far);

/*
 * A batch that is committed: from the moment COMMIT returned, these records are in the store
 * and stay there whatever happens to the import (a kill, a crash, the machine down: the store
 * syncs every commit).
 */
struct tr_import_commit {
    const char *record_ids; /* count ids of TR_RECORD_ID_LEN hex digits, each ended by '\n' */
    size_t count;           /* the batch's items now in the store: stored, merged, duplicates */
    const struct tr_import_summary *so_far; /* the counts through the batch's last item */
};

/*
 * Called from the caller's thread after each batch is committed, before the next one begins,
 * only when the import commits on its own (not in a dry run nor inside the caller's
 * transaction). Return TR_OK to go on; anything else stops the import, which returns it (with
 * the message in err); the batch stays committed.
 */
typedef int (*tr_import_commit_fn)(void *ctx, const struct tr_import_commit *batch,
                                   struct tr_error *err);

struct tr_import_options {
    enum tr_import_format format;   /* of every input; AUTO decides for each */
    const struct tr_key *key;       /* signs YAML and CSV records; NULL refuses such inputs */
    const char *created;            /* the proofs' created time; NULL = now */
    const struct tr_limits *limits; /* per item (a line, a row, a document); NULL = defaults */
    unsigned threads;               /* workers; 0 = the caller's thread does everything */
    size_t batch;                   /* records per transaction; 0 = TR_IMPORT_BATCH */
    int dry_run;                    /* 1: judge every record in order, store nothing */
    int strict;                     /* 1: stop at the first item not stored */
    tr_import_reject_fn on_reject;  /* may be NULL */
    void *reject_ctx;
    tr_import_progress_fn on_progress; /* may be NULL */
    void *progress_ctx;
    tr_import_commit_fn on_commit; /* may be NULL */
    void *commit_ctx;
};

/*
 * tr_import_format_of — the format of path as AUTO decides it: by extension (.jsonl, .ndjson,
 * .json: JSONL; .yaml, .yml: YAML; .csv: CSV), else by the first bytes of the file (after a
 * byte order mark and white space: "{" JSONL; a first line with ':' or starting with '#' or
 * "---": YAML; anything else CSV). "-" (standard input) is JSONL.
 * Returns TR_OK and *out, or TR_EIO when the file cannot be opened or read.
 */
int tr_import_format_of(const char *path, enum tr_import_format *out, struct tr_error *err);

/*
 * tr_import_run — import the npaths inputs at paths ("-" = standard input, at most once),
 * in that order, into db (opened read-write).
 *
 * Each input is checked first (it can be opened; its format; a YAML or CSV input needs
 * opts->key), so that a missing file stops the import before anything is written. A Person
 * record's nationalId is hashed with the store's id key. Then the items are read, checked
 * and submitted in input order (see above); each item not stored is passed to on_reject.
 * dry_run: the same judgements, in a transaction (a savepoint inside the caller's) that is
 *          rolled back at the end, so later records see earlier ones and nothing is kept.
 * strict:  the first item not stored stops the import; the records before it are committed
 *          (whatever the batch size), nothing after it is read further; summary->stopped.
 * summary: [out] the counts, also when the import fails part-way (then the batches
 *          committed before the failure are what it says).
 * Returns TR_OK when every input was read to its end (or strict stopped it), whatever was
 * rejected; TR_EINVAL (bad options, a YAML or CSV input without a key, "-" twice); TR_EIO (an
 * input cannot be opened or read); TR_ENOMEM; TR_ECRYPTO; a store error; or a callback's
 * code. On an error the open batch is rolled back.
 */
int tr_import_run(struct tr_db *db, const char *const *paths, size_t npaths,
                  const struct tr_import_options *opts, struct tr_import_summary *summary,
                  struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
