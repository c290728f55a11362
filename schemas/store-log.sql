-- store-log.sql — the tables of the log module (registry/log.c, include/talentreg/log.h):
-- an RFC 9162 Merkle tree over every accepted record, and the checkpoints the operator signs.
-- See docs/log-format.md for how roots and proofs are read from these rows.
--
-- The tree's hashes are kept apart from the record bodies. A later erasure order (PIPL,
-- GDPR) may remove a body; the leaf hash in log_node stays, so every root, every proof and
-- every checkpoint still verifies, and an audit reports that leaf as erased, not tampered.
--
-- Leaf indices and tree sizes are 0-based counts that never change once written; SQLite
-- integers are signed, so a store holds at most 2^63 - 1 leaves.

-- The hash of every perfect subtree: the node at (level, idx) is the root of leaves
-- [idx * 2^level, (idx + 1) * 2^level). Level 0 holds the leaf hashes, SHA-256(0x00 || body).
-- Appending leaf number n writes level 0 and each parent it completes (1 + the number of
-- trailing one bits of n rows), so the table holds fewer than 2 rows per leaf. Rows are
-- never updated or deleted. Subtrees on the right edge of a tree whose size is not a power
-- of two are not stored: they are combined from these when a root or proof is computed.
CREATE TABLE log_node (
    level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 62),
    idx   INTEGER NOT NULL CHECK (idx >= 0),
    hash  BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

-- One row per leaf: which record it logs and the bytes whose hash is the leaf hash.
--   leaf       the leaf index, equal to the idx of its level-0 row in log_node
--   record_id  the record's id, lowercase hex SHA-256 of its credential without proof; a
--              record has several leaves when a co-signature appends the merged credential
--   body       the RFC 8785 (JCS) bytes of the signed credential; NULL once erased
--   logged_at  when the operator appended it, RFC 3339 UTC by the operator's clock (not a
--              trusted time: the leaf index and the checkpoints that cover it are)
CREATE TABLE log_entry (
    leaf      INTEGER PRIMARY KEY CHECK (leaf >= 0),
    record_id TEXT NOT NULL CHECK (length(record_id) = 64 AND record_id NOT GLOB '*[^0-9a-f]*'),
    body      BLOB,
    logged_at TEXT NOT NULL
) STRICT;

-- Every leaf of one record, in log order.
CREATE INDEX log_entry_record ON log_entry (record_id, leaf);

-- The checkpoints the operator signed, one per tree size. Each is consistent with every
-- smaller one (tr_log_checkpoint checks the proof from the latest before it stores a new
-- one), so they form a chain.
--   tree_size   the checkpoint's tree size
--   root        its root hash, 32 bytes, as in the note's third line
--   note        the whole signed note (C2SP tlog-checkpoint in a C2SP signed note), signed by
--               the operator key under the key name = the store's origin
--   created_at  when it was signed, RFC 3339 UTC by the operator's clock
CREATE TABLE checkpoint (
    tree_size  INTEGER PRIMARY KEY CHECK (tree_size >= 0),
    root       BLOB NOT NULL CHECK (length(root) = 32),
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
