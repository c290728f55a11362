/*
 * talentreg/audit.h — the operator's audit of a store: everything the log says is checked
 * again against what the store holds, and each disagreement is reported with a stable code.
 *
 * One streaming pass over log_entry in leaf order (one body in memory at a time), merged with
 * one cursor per level of log_node, checks that
 *   - every leaf below the log's size has its entry and its level-0 hash, and
 *     SHA-256(0x00 || body) is that hash; an erased body (NULL) is reported as erased;
 *   - every stored interior node is SHA-256(0x01 || left || right) of its stored children,
 *     every perfect subtree of the tree is stored, and no node lies beyond the tree;
 *   - every body is the RFC 8785 bytes of a JSON object, and the entry's record id is the
 *     SHA-256 of that object without its proof;
 *   - every stored checkpoint's note opens under the operator key (meta operator_key) with
 *     the store's origin, states its row's size and root, and its root is the root of the
 *     stored tree of that size; successive checkpoints are consistent (RFC 9162 proof read
 *     from the stored nodes, checked against the notes' roots).
 * The size audited is the largest of: the level-0 nodes, the entries, the checkpoints whose
 * notes verify. So a log cut short of a checkpoint it published is reported as missing
 * leaves. A run of missing leaves is one finding (with its count), so a forged row at a huge
 * index cannot make the audit walk through every index before it.
 *
 * With the trust module, every record is judged again (tr_verify_record) as the log stood
 * just after its leaf, by worker threads while the pass goes on, and the trust index is built
 * again from the log in a temporary store and compared with the store's, table by table.
 *
 * Costs: the bodies are read once, each hashed once, parsed once and serialized twice (its
 * canonical form and its record id); every node is read once, sequentially; checkpoints and
 * the consistency of successive ones take O(log n) reads each.
 */
#ifndef TALENTREG_AUDIT_H
#define TALENTREG_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "error.h"
#include "log.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a finding is about. The values are stable: they are part of the API. */
enum tr_audit_code {
    TR_AUDIT_STORE_DAMAGED = 0,        /* "store-damaged": PRAGMA quick_check found damage */
    TR_AUDIT_MISSING_LEAF = 1,         /* "missing-leaf": no entry for leaves below the size */
    TR_AUDIT_MISSING_NODE = 2,         /* "missing-node": a perfect subtree's hash is not stored */
    TR_AUDIT_EXTRA_NODE = 3,           /* "extra-node": a node stored beyond the tree */
    TR_AUDIT_LEAF_HASH_MISMATCH = 4,   /* "leaf-hash-mismatch": body does not hash to its leaf */
    TR_AUDIT_NODE_MISMATCH = 5,        /* "node-mismatch": node is not the hash of its children */
    TR_AUDIT_BODY_ERASED = 6,          /* "body-erased": the body was erased (a notice) */
    TR_AUDIT_BODY_MALFORMED = 7,       /* "body-malformed": not the JCS bytes of an object */
    TR_AUDIT_RECORD_ID_MISMATCH = 8,   /* "record-id-mismatch": id is not the body's hash */
    TR_AUDIT_CHECKPOINT_SIGNATURE = 9, /* "checkpoint-signature": note does not open */
    TR_AUDIT_CHECKPOINT_ROW_MISMATCH = 10,  /* "checkpoint-row-mismatch": row != its note */
    TR_AUDIT_CHECKPOINT_ROOT_MISMATCH = 11, /* "checkpoint-root-mismatch": not the tree's root */
    TR_AUDIT_CHECKPOINT_INCONSISTENT = 12,  /* "checkpoint-inconsistent": with the one before */
    TR_AUDIT_RECORD_DOES_NOT_VERIFY = 13,   /* "record-does-not-verify": tr_verify_record */
    TR_AUDIT_TRUST_MISMATCH = 14            /* "trust-mismatch": trust tables != the log */
};
#define TR_AUDIT_CODE_COUNT 15

/* What a finding names. */
enum tr_audit_subject {
    TR_AUDIT_AT_STORE = 0,      /* the store as a whole */
    TR_AUDIT_AT_LEAF = 1,       /* leaves [leaf, leaf + count) */
    TR_AUDIT_AT_NODE = 2,       /* the node (level, index) */
    TR_AUDIT_AT_CHECKPOINT = 3, /* the checkpoint of tree size `leaf` */
    TR_AUDIT_AT_TABLE = 4       /* a row of a table of the trust index */
};

/* Room for a finding's detail, NUL-terminated. */
#define TR_AUDIT_DETAIL_MAX 512

/* One disagreement between the log and the store. */
struct tr_audit_finding {
    enum tr_audit_code code;
    enum tr_audit_subject subject;
    int notice;        /* 1: reported, but the store is not wrong (an erased body) */
    uint64_t leaf;     /* AT_LEAF: the first leaf; AT_CHECKPOINT: the tree size */
    uint64_t count;    /* AT_LEAF: how many leaves (1 but for a run of missing leaves); else 0 */
    unsigned level;    /* AT_NODE: the node's level */
    uint64_t index;    /* AT_NODE: the node's index in its level */
    const char *table; /* AT_TABLE: the table's name (static), else NULL */
    char record_id[TR_LOG_RECORD_ID_LEN + 1]; /* the entry's record id, "" when none */
    char detail[TR_AUDIT_DETAIL_MAX];         /* what was found, in words */
};

/*
 * Called once per finding, in the order found (leaves in ascending order, then checkpoint
 * consistency, then extra nodes). Return TR_OK to go on, anything else to stop the audit,
 * which then returns that code (with the message the callback put in err, which may be
 * NULL). ctx is the caller's.
 */
typedef int (*tr_audit_finding_fn)(void *ctx, const struct tr_audit_finding *finding,
                                   struct tr_error *err);

/* Called now and then while leaves are read: done of total leaves so far. */
typedef void (*tr_audit_progress_fn)(void *ctx, uint64_t done, uint64_t total);

struct tr_audit_options {
    tr_audit_finding_fn on_finding; /* may be NULL: findings are only counted */
    void *finding_ctx;
    tr_audit_progress_fn on_progress; /* may be NULL */
    void *progress_ctx;
    int skip_store_check; /* 1: do not run PRAGMA quick_check (it reads every page) */
    int skip_records;     /* 1: check the log only: no record judged again, no trust index */
    /* Worker threads judging records (at most 8): 0 = none, the caller's thread judges them.
     * Each worker opens the store again read-only and sees what is committed, so a caller
     * inside a write transaction with records not yet committed uses 0. */
    unsigned threads;
};

/* What an audit went through and found. */
struct tr_audit_summary {
    uint64_t tree_size;   /* the size audited */
    uint64_t leaves;      /* entries read */
    uint64_t erased;      /* of which erased */
    uint64_t nodes;       /* stored nodes checked (level 0 included) */
    uint64_t checkpoints; /* stored checkpoints checked */
    uint64_t records;     /* records verified again (0 without the trust module) */
    uint64_t errors;      /* findings that are not notices: the store is wrong when > 0 */
    uint64_t notices;     /* findings that are notices */
    uint64_t by_code[TR_AUDIT_CODE_COUNT]; /* findings per code */
};

/* tr_audit_code_name — the stable code of a finding ("leaf-hash-mismatch", ...); "unknown"
 * for a value out of range. */
const char *tr_audit_code_name(enum tr_audit_code code);

/*
 * tr_audit_run — audit the store db (opened read-only or read-write). Runs in one read
 * transaction of its own (tr_db_begin), so it sees one snapshot; nothing is written.
 * opts:    may be NULL (no callbacks, quick_check run).
 * summary: [out] what was checked and found; filled also when the audit stops early.
 * Returns TR_OK when the audit ran to its end, whatever it found (summary->errors says
 * whether the store is wrong); TR_EDB and the other store errors when the store cannot be
 * read (a file cut short or damaged pages fail here, after a store-damaged finding when
 * quick_check saw it), TR_ENOMEM, TR_ECRYPTO, or a callback's code.
 */
int tr_audit_run(struct tr_db *db, const struct tr_audit_options *opts,
                 struct tr_audit_summary *summary, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
