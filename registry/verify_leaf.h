/*
 * verify_leaf.h — the verdict on a record the submit module has just logged (internal to the
 * library; not part of its API).
 */
#ifndef TALENTREG_VERIFY_LEAF_H
#define TALENTREG_VERIFY_LEAF_H

#include <stdint.h>

#include "talentreg/verify.h"

/*
 * verify_new_leaf — the verdict tr_verify_record gives for record pre->record_id as of log
 * size leaf + 1, for a record whose only leaf is leaf, just appended, and whose body the
 * caller has read back and found to be the RFC 8785 bytes of credential: the body is taken
 * to be credential, and pre (its precheck) stands for its schema check and signatures, so
 * nothing is parsed, hashed or verified again; every rule that reads the trust index is
 * applied again, to the index as it stands with the record in it.
 * out: [out] as for tr_verify_record. Returns as tr_verify_record.
 */
int verify_new_leaf(struct tr_db *db, const struct tr_json *credential,
                    const struct tr_verify_precheck *pre, uint64_t leaf, struct tr_verdict *out,
                    struct tr_error *err);

/*
 * verify_unlogged — tr_verify_credential_prechecked(db, credential, pre, size, ...) for a
 * credential (a JSON object; pre its precheck) whose record the caller has just found not
 * to be in the log, whose size it has just read as size, in the same transaction: neither
 * is read again. out: [out] as for tr_verify_credential. Returns as it does.
 */
int verify_unlogged(struct tr_db *db, const struct tr_json *credential,
                    const struct tr_verify_precheck *pre, uint64_t size, struct tr_verdict *out,
                    struct tr_error *err);

/*
 * verify_precheck_like — tr_verify_precheck of credential, where known is the precheck of
 * known_doc: when credential has the same record id and each of its proofs equals a proof of
 * known_doc, the proofs' results are taken from known and no signature is verified (a
 * proof's result depends only on the proof and on the document without its proofs; a
 * submission merged with the record it adds a co-signature to is judged so).
 * out: [out] as for tr_verify_precheck. Returns as tr_verify_precheck.
 */
int verify_precheck_like(const struct tr_json *credential, const struct tr_json *known_doc,
                         const struct tr_verify_precheck *known, struct tr_verify_precheck *out,
                         struct tr_error *err);

/*
 * verify_logged_leaf — the verdict tr_verify_record gives for record record_id as of log
 * size leaf + 1, for a logged leaf whose body the caller has read, checked against its
 * stored leaf hash and parsed as credential, and whose record id (hash, the SHA-256 it
 * spells) it has computed from credential: when leaf is the record's first leaf the body is
 * taken to be credential and its record id is not hashed again; otherwise the record is
 * judged by tr_verify_record, from the log.
 * out: [out] as for tr_verify_record. Returns as tr_verify_record.
 */
int verify_logged_leaf(struct tr_db *db, const struct tr_json *credential, const char *record_id,
                       const unsigned char hash[TR_SHA256_LEN], uint64_t leaf,
                       struct tr_verdict *out, struct tr_error *err);

#endif
