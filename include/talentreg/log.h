/*
 * talentreg/log.h — the stored, tamper-evident log: an RFC 9162 Merkle tree over every
 * accepted record, kept in the store (tables of schemas/store-log.sql), with the checkpoints
 * the operator signs, and the check a client makes of a newer checkpoint.
 *
 * Every accepted record is a leaf; its leaf hash is SHA-256(0x00 || body), where body is the
 * RFC 8785 bytes of the signed credential. Leaf indices are 0-based and never change. The
 * hash of every perfect subtree is stored once (talentreg/merkle.h explains the layout), so a
 * root or a proof of any tree size reads O(log n) rows, with one prepared statement per call;
 * nothing here scans the leaves. Bodies live beside the hashes and may later be erased (the
 * body becomes NULL, the leaf hash stays).
 *
 * Checkpoints are C2SP tlog-checkpoint bodies ("ORIGIN\nSIZE\nBASE64(ROOT)\n") in C2SP
 * signed notes, signed by the operator's Ed25519 key under the key name ORIGIN, the store's
 * origin. The operator's raw 32-byte public key is kept in meta under
 * TR_DB_META_OPERATOR_KEY. Each stored checkpoint is consistent with the one before it.
 *
 * Errors: TR_OK or one TR_E* code, with a message in the optional struct tr_error. Store
 * failures are those of talentreg/db.h. Sizes and indices beyond the log are TR_EINVAL
 * ("tree size 9 is larger than the log (8 leaves)"), a leaf or record not in the log
 * TR_ENOTFOUND, a stored hash that does not match what it must TR_EVERIFY, a checkpoint that
 * contradicts the stored ones TR_ECONFLICT.
 */
#ifndef TALENTREG_LOG_H
#define TALENTREG_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "db.h"
#include "error.h"
#include "ident.h"
#include "merkle.h"
#include "note.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The meta key holding the operator's raw 32-byte Ed25519 public key. */
#define TR_DB_META_OPERATOR_KEY "operator_key"

/* A record id: lowercase hex SHA-256 of the credential without its proof. */
#define TR_LOG_RECORD_ID_LEN TR_RECORD_ID_LEN
/* An operator-clock time as stored: RFC 3339 UTC, "2026-01-31T08:00:00Z". */
#define TR_LOG_TIME_LEN 20

/* What tr_log_entry reports of one leaf. */
struct tr_log_entry {
    uint64_t leaf;
    char record_id[TR_LOG_RECORD_ID_LEN + 1]; /* NUL-terminated */
    char logged_at[TR_LOG_TIME_LEN + 1];      /* NUL-terminated */
    unsigned char leaf_hash[TR_MERKLE_HASH_LEN];
    int erased; /* 1 when the body has been erased (its leaf hash stays) */
};

/*
 * tr_log_size — *size (out) = the number of leaves in the log. One indexed read.
 * Returns TR_OK or a store error.
 */
int tr_log_size(struct tr_db *db, uint64_t *size, struct tr_error *err);

/*
 * tr_log_append — append one leaf: the leaf hash SHA-256(0x00 || body[0..len)), stored at
 * level 0 of log_node with every parent node it completes (O(log n) rows), and its entry
 * (record id, body, logged_at = now, UTC).
 *
 * Must run inside the caller's transaction (tr_db_begin), so a record and its leaf are
 * written together or not at all; outside one it is TR_EINVAL and nothing is written. Its
 * own writes run in a savepoint: on failure none of them is kept, the caller's earlier
 * writes stay.
 * record_id: TR_LOG_RECORD_ID_LEN lowercase hex digits, NUL-terminated (else TR_EINVAL
 *            "record id 'X' is not 64 lowercase hex digits").
 * body:      len bytes, copied; may be NULL when len is 0.
 * leaf:      [out, may be NULL] the new leaf's index, the log's size before the call.
 * Returns TR_OK; TR_EINVAL; TR_ECRYPTO; a store error (TR_EEXIST when the rows it writes
 * already exist: the tables disagree about the log's size).
 */
int tr_log_append(struct tr_db *db, const char *record_id, const void *body, size_t len,
                  uint64_t *leaf, struct tr_error *err);

/*
 * tr_log_leaf_hash — out = the stored leaf hash of leaf. Returns TR_OK, TR_ENOTFOUND
 * "leaf L is not in the log" or a store error.
 */
int tr_log_leaf_hash(struct tr_db *db, uint64_t leaf, unsigned char out[TR_MERKLE_HASH_LEN],
                     struct tr_error *err);

/*
 * tr_log_root — out = the root hash of the tree of the first size leaves, for any size up to
 * the log's (0 gives SHA-256("")). At most 1 + 64 reads. Returns TR_OK; TR_EINVAL "tree size
 * N is larger than the log (M leaves)"; TR_ECRYPTO; a store error.
 */
int tr_log_root(struct tr_db *db, uint64_t size, unsigned char out[TR_MERKLE_HASH_LEN],
                struct tr_error *err);

/*
 * tr_log_prove_inclusion — out = the RFC 9162 inclusion proof of leaf in the tree of size
 * (at most 1 + 2 * 64 reads). Returns TR_OK; TR_EINVAL for a size larger than the log or
 * "leaf L is not in the tree of size N"; TR_ECRYPTO; a store error.
 */
int tr_log_prove_inclusion(struct tr_db *db, uint64_t leaf, uint64_t size,
                           struct tr_merkle_proof *out, struct tr_error *err);

/*
 * tr_log_prove_consistency — out = the RFC 9162 consistency proof from the tree of size
 * old_size to the tree of size new_size (empty when they are equal; at most 1 + 3 * 64
 * reads). Returns TR_OK; TR_EINVAL for a new size larger than the log, "old tree size must
 * be at least 1" or "old tree size N is larger than new tree size M"; TR_ECRYPTO; a store
 * error.
 */
int tr_log_prove_consistency(struct tr_db *db, uint64_t old_size, uint64_t new_size,
                             struct tr_merkle_proof *out, struct tr_error *err);

/*
 * tr_log_find — the leaves of record record_id (an indexed read of its rows only).
 * latest: [out, may be NULL] its last leaf.
 * leaves: [out, may be NULL] every leaf of the record in log order, in an array the caller
 *         frees with free(); *count (out, may be NULL only when leaves is) gets their number.
 * Returns TR_OK; TR_EINVAL for a malformed record id; TR_ENOTFOUND "record 'ID' is not in
 * the log" (outputs then 0 / NULL); TR_ENOMEM; a store error.
 */
int tr_log_find(struct tr_db *db, const char *record_id, uint64_t *latest, uint64_t **leaves,
                size_t *count, struct tr_error *err);

/*
 * tr_log_entry — what the log holds at leaf.
 * out:  [out] its record id, time, stored leaf hash and whether its body was erased.
 * body: [may be NULL] the body is appended here (nothing when erased); it is checked first:
 *       a body whose leaf hash is not the stored one is TR_EVERIFY "leaf L: body does not
 *       match its leaf hash" and nothing is appended. body's own sticky error counts.
 * Returns TR_OK; TR_ENOTFOUND "leaf L is not in the log"; TR_EVERIFY; TR_EDB for a row the
 * schema should have refused; a store error.
 */
int tr_log_entry(struct tr_db *db, uint64_t leaf, struct tr_log_entry *out, struct tr_buf *body,
                 struct tr_error *err);

/*
 * tr_log_checkpoint — sign a checkpoint of the whole log and store it.
 *
 * seed: the operator's 32-byte Ed25519 seed; its public key must be the one in meta under
 *       TR_DB_META_OPERATOR_KEY (else TR_EPERM "the signing key is not the operator key of
 *       store 'PATH'"; no key there is TR_EDB "store 'PATH' has no operator key").
 * note: [out, may be NULL] the signed note is appended to it (on TR_OK only; its sticky
 *       error counts).
 *
 * The body is "ORIGIN\nSIZE\nBASE64(ROOT)\n" with ORIGIN = tr_db_origin(db) and the current
 * size and root; it is signed under the key name ORIGIN and opened again with the operator
 * key before it is stored. Before it is stored it must agree with the stored checkpoints,
 * else TR_ECONFLICT and nothing is written:
 *   - no stored checkpoint may be larger than the log ("the log has N leaves, fewer than
 *     its checkpoint of size M");
 *   - one of the same size must have the same root; it is then returned unchanged, and
 *     nothing new is signed;
 *   - the latest smaller one must verify (opens under the operator key, its size and root
 *     match its row), and the consistency proof from its size, read from the stored nodes,
 *     must verify against its root and the new root ("the log is not consistent with its
 *     checkpoint of size M: ..."). Stored checkpoints are a chain, so this covers all.
 * The row is written in a savepoint, inside the caller's transaction when there is one.
 * Returns TR_OK; TR_EPERM; TR_ECONFLICT; TR_EVERIFY (a stored note that does not open);
 * TR_EDB; TR_ECRYPTO; TR_EINVAL; a store error.
 */
int tr_log_checkpoint(struct tr_db *db, const unsigned char seed[TR_ED25519_SEED_LEN],
                      struct tr_buf *note, struct tr_error *err);

/*
 * tr_log_latest_checkpoint — the stored checkpoint of the largest tree size, verified
 * again: its note opens under the operator key with the store's origin, and its size and
 * root are those of its row (else TR_EVERIFY).
 * note: [out, may be NULL] the signed note is appended (its sticky error counts).
 * size: [out, may be NULL] its tree size.  root: [out, may be NULL] its root hash.
 * Returns TR_OK; TR_ENOTFOUND "the log has no checkpoint yet"; TR_EVERIFY; TR_EDB (a
 * checkpoint but no operator key to check it); a store error.
 */
int tr_log_latest_checkpoint(struct tr_db *db, struct tr_buf *note, uint64_t *size,
                             unsigned char root[TR_MERKLE_HASH_LEN], struct tr_error *err);

/*
 * tr_log_operator_verifier — v (out) = the operator's signed-note verifier: the Ed25519 key
 * in meta under TR_DB_META_OPERATOR_KEY, named by the store's origin, as checkpoints are
 * signed. Returns TR_OK; TR_EDB "store 'PATH' has no operator key" or "store 'PATH' has an
 * operator key of N bytes, not 32"; TR_EINVAL (an origin that is no key name); a store error.
 */
int tr_log_operator_verifier(struct tr_db *db, struct tr_note_verifier *v, struct tr_error *err);

/*
 * tr_log_check_checkpoint_update — the check of a client that has seen the tree head
 * (old_size, old_root) of a log and is handed a newer checkpoint. Pure: no store.
 *
 * note:   the signed checkpoint, len bytes; it must open under the trusted key vkey
 *         (tr_note_checkpoint_open) with origin origin (NUL-terminated).
 * proof:  the consistency proof from old_size to the note's size, len hashes (NULL when
 *         proof_len is 0).
 * out:    [out, may be NULL] the new checkpoint, on TR_OK only.
 * A note that does not open, parse or carry origin fails as tr_note_checkpoint_open says
 * (TR_EVERIFY, TR_EPARSE, TR_ELIMIT). Then, with TR_EVERIFY:
 *   - a smaller size is a rollback: "checkpoint size N is smaller than the size M already
 *     seen";
 *   - the same size with another root is a fork: "checkpoint of size N has another root
 *     than the one already seen";
 *   - otherwise the proof must tie old_root to the new root: "checkpoint of size N is not
 *     consistent with the size M already seen: REASON".
 * old_size 0 has nothing to check beyond the signature: old_root must be SHA-256("") and
 * the proof empty. TR_EINVAL: NULL note, key or origin. TR_ECRYPTO.
 * Returns TR_OK when the client may move to the new checkpoint.
 */
int tr_log_check_checkpoint_update(uint64_t old_size,
                                   const unsigned char old_root[TR_MERKLE_HASH_LEN],
                                   const char *note, size_t len,
                                   const struct tr_note_verifier *vkey, const char *origin,
                                   const unsigned char (*proof)[TR_MERKLE_HASH_LEN],
                                   size_t proof_len, struct tr_note_checkpoint *out,
                                   struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
