/*
 * talentreg/submit.h — accepting a signed record into the registry: verify it as of the
 * log's end, append it to the log, index it, and read back what was written.
 *
 * Only a record that counts (talentreg/verify.h) is written. The same record id again is
 * idempotent: a proof set that adds no new signature changes nothing, and one that adds a
 * valid co-signature is merged into the stored proof set and logged as a new leaf of the
 * same record.
 */
#ifndef TALENTREG_SUBMIT_H
#define TALENTREG_SUBMIT_H

#include <stdint.h>

#include "db.h"
#include "error.h"
#include "ident.h"
#include "json.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What became of a submitted record. */
enum tr_submit_status {
    TR_SUBMIT_STORED = 0,    /* a new record, logged at leaf */
    TR_SUBMIT_DUPLICATE = 1, /* already stored with every signature it brings: nothing changed */
    TR_SUBMIT_MERGED = 2,    /* new co-signatures merged; the merged credential logged at leaf */
    TR_SUBMIT_REJECTED = 3   /* it does not count: nothing changed; the verdict says why */
};

struct tr_submit_result {
    enum tr_submit_status status;
    char record_id[TR_RECORD_ID_LEN + 1]; /* "" when the input is not a JSON object */
    uint64_t leaf; /* STORED, MERGED: the new leaf; DUPLICATE: the record's latest leaf */
    size_t added;  /* MERGED: the proofs appended to the stored proof set */
    struct tr_verdict verdict; /* REJECTED: why; otherwise the verdict on what is stored */
};

/* tr_submit_result_release — free what r holds (its verdict). NULL is a no-op. */
void tr_submit_result_release(struct tr_submit_result *r);

/*
 * tr_submit_credential — submit one signed credential.
 *
 * Must run inside the caller's transaction (tr_db_begin; TR_EINVAL otherwise); its writes
 * run in a savepoint of their own, so a rejected record, or any failure, leaves the store as
 * it was, and the caller may go on with the next record and commit what was accepted.
 *
 * The record is judged with tr_verify_credential at the log's size. When its record id is
 * not in the log, a record that counts is appended: its body is the RFC 8785 bytes of the
 * credential as given, its record row and trust effects are indexed (tr_trust_index). When
 * the id is in the log, the incoming proofs are compared with the stored (latest) proof
 * set: a proof equal to a stored one, or by a key that already signed, adds nothing. With
 * nothing added the result is DUPLICATE. Otherwise the new proofs are appended to the stored
 * set (stored order kept) and the merged credential is judged and, when it counts, logged
 * as a new leaf (MERGED). Before the savepoint is released the new leaf is read back: its
 * body must be the bytes written, hash to its leaf hash and to the record id, and the record
 * must count as of the log that now ends with it (else TR_EVERIFY, nothing kept). The
 * verdict reached before the write is that verdict, moved to the new leaf, unless the record
 * is an Organization, KeyRevocation or Revocation (whose index rows the rules read back):
 * those are judged again.
 *
 * credential: not modified; may be any JSON value (a non-object is REJECTED).
 * out:        [out] overwritten (release an earlier result first); on TR_OK the result,
 *             which the caller releases with tr_submit_result_release; empty otherwise.
 * Returns TR_OK (out says what happened), TR_EINVAL, TR_ENOMEM, TR_ECRYPTO, TR_EVERIFY, or
 * a store error.
 */
int tr_submit_credential(struct tr_db *db, const struct tr_json *credential,
                         struct tr_submit_result *out, struct tr_error *err);

/*
 * tr_submit_prechecked — tr_submit_credential with the store-free part of the verdict
 * (record id, schema, every signature) taken from pre, made by tr_verify_precheck of this
 * very credential, possibly in another thread: a bulk import verifies signatures on every
 * core and submits in log order from one thread. The rules that depend on the log's
 * position (keys valid at the leaf, required signers, permissions, revocations, duplicates)
 * are applied here, as of the log's end, exactly as tr_submit_credential applies them. The
 * read-back of a new leaf compares its body with the bytes written and, when the record is
 * judged again, judges it with pre, so no signature is verified twice. A duplicate equal to
 * the stored record is judged with pre. A co-signature merged into a stored record makes
 * another credential: its proofs equal to proofs of credential take their results from pre;
 * when every one does, none is verified again, otherwise all are.
 * pre: NULL is tr_submit_credential. Otherwise the caller answers that it belongs to
 *      credential (a precheck of another document gives a verdict on the wrong proofs).
 * Returns as tr_submit_credential.
 */
int tr_submit_prechecked(struct tr_db *db, const struct tr_json *credential,
                         const struct tr_verify_precheck *pre, struct tr_submit_result *out,
                         struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
