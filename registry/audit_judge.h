/*
 * audit_judge.h — judging the records of an audit again, in the caller's thread or in worker
 * threads (internal to registry/audit.c; not part of the library API).
 *
 * The audit's pass over the log hands each intact record to audit_judge_push, with its body
 * as the pass parsed it, which judges it as tr_verify_record does as the log stood just
 * after its leaf. The signature checks
 * there are the audit's main cost, so with workers each opens the store again read-only
 * (seeing what is committed) and judges records as they come, while the pass goes on.
 * The records that do not count are kept, and audit_judge_finish hands them back in leaf
 * order.
 */
#ifndef TALENTREG_AUDIT_JUDGE_H
#define TALENTREG_AUDIT_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "talentreg/audit.h"
#include "talentreg/crypto.h"
#include "talentreg/json.h"

struct audit_judge;

/* A record that did not count: its leaf, id and why. */
struct audit_judged {
    uint64_t leaf;
    char record_id[TR_LOG_RECORD_ID_LEN + 1];
    char detail[TR_AUDIT_DETAIL_MAX];
};

/*
 * audit_judge_start — *out = a judge of the records of db: threads workers (at most 8), or
 * none when threads is 0: records are then judged in the caller's thread, on db itself.
 * Returns TR_OK; TR_ENOMEM; TR_EIO when a thread cannot start; the errors of opening the
 * store again.
 */
int audit_judge_start(struct tr_db *db, unsigned threads, struct audit_judge **out,
                      struct tr_error *err);

/*
 * audit_judge_push — judge the record record_id of leaf (verify_logged_leaf): body is the
 * leaf's body, checked against its stored leaf hash and parsed, and hash the SHA-256 its
 * record id spells. j takes body (freed once judged, or dropped), whatever the return.
 * Returns TR_OK, or the error that stopped the judging (a store failure in a worker,
 * memory).
 */
int audit_judge_push(struct audit_judge *j, uint64_t leaf, const char *record_id,
                     struct tr_json *body, const unsigned char hash[TR_SHA256_LEN],
                     struct tr_error *err);

/*
 * audit_judge_finish — wait for every record pushed, stop the workers and free j (NULL is a
 * no-op). rc is the caller's result so far: when it is not TR_OK the records still queued
 * are dropped and rc is returned. Otherwise *out gets the records that did not count, in
 * leaf order (an array the caller frees with free(); NULL when none), *count their number,
 * and the return is TR_OK or the first error of a worker.
 */
int audit_judge_finish(struct audit_judge *j, int rc, struct audit_judged **out, size_t *count,
                       struct tr_error *err);

#endif
