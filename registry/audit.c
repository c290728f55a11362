/*
 * audit.c — the operator's audit: one streaming pass over the log's entries in leaf order,
 * merged with one cursor per level of log_node, so every body, leaf hash and interior node
 * is read once and checked against what it must be; then the stored checkpoints against
 * the tree and one another. Tables: schemas/store-log.sql. Codes: docs/audit.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_judge.h"
#include "talentreg/audit.h"
#include "talentreg/jcs.h"
#include "talentreg/json.h"
#include "talentreg/trust.h"
#include "talentreg/verify.h"

#define HASH_LEN TR_MERKLE_HASH_LEN
#define LEVELS TR_MERKLE_MAX_LEVELS
/* Leaves between two progress calls: a power of two. */
#define PROGRESS_EVERY 16384u

static const char *const code_names[TR_AUDIT_CODE_COUNT] = {
    "store-damaged",
    "missing-leaf",
    "missing-node",
    "extra-node",
    "leaf-hash-mismatch",
    "node-mismatch",
    "body-erased",
    "body-malformed",
    "record-id-mismatch",
    "checkpoint-signature",
    "checkpoint-row-mismatch",
    "checkpoint-root-mismatch",
    "checkpoint-inconsistent",
    "record-does-not-verify",
    "trust-mismatch",
};

const char *tr_audit_code_name(enum tr_audit_code code)
{
    if ((unsigned)code >= TR_AUDIT_CODE_COUNT) {
        return "unknown";
    }
    return code_names[code];
}

/* A hash that may be unknown (its node is missing and cannot be computed). */
struct slot {
    int known;
    unsigned char hash[HASH_LEN];
};

/* One level of log_node, read in index order; holds at most one row read ahead. */
struct level_cursor {
    struct tr_db_stmt *st; /* NULL until the level is first needed */
    int row;               /* 1: idx, len and hash hold the next row not yet taken */
    int done;              /* the level has no more rows */
    uint64_t idx;
    size_t len;
    unsigned char hash[HASH_LEN];
};

/* A stored checkpoint, as its signed note states it when the note opens. */
struct checkpoint_item {
    uint64_t size;
    unsigned char root[HASH_LEN];
    int opened; /* its note verified under the operator key */
};

struct audit {
    struct tr_db *db;
    const struct tr_audit_options *opts;
    struct tr_audit_summary *sum;
    struct tr_error *err;
    uint64_t size; /* the tree size audited */
    struct level_cursor level[LEVELS];
    /* pend[h]: the latest even-index node completed at level h, waiting for its sibling;
     * when bit h of the size read so far is set, it is a digit of that tree's root. */
    struct slot pend[LEVELS];
    struct tr_db_stmt *entries; /* log_entry in leaf order */
    int entry_row;              /* 1: the entry columns hold the next entry not yet taken */
    int entries_done;
    uint64_t entry_leaf;
    struct tr_db_stmt *point; /* one node by (level, idx) */
    struct checkpoint_item *cps;
    size_t ncps, next_cp;
    struct tr_limits limits;
    struct tr_buf scratch;
    /* Records and trust: every record is judged again, and the trust index is built again
     * from the log in a store of its own, then compared with the store's. */
    int records;
    struct audit_judge *judge;
    struct tr_db *rebuilt;
    char rebuilt_dir[256];
    char rebuilt_path[288];
};

/* ---- Findings ---- */

static int emit(struct audit *a, struct tr_audit_finding *f, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static int emit(struct audit *a, struct tr_audit_finding *f, const char *fmt, va_list ap)
{
    vsnprintf(f->detail, sizeof f->detail, fmt, ap);
    f->notice = f->code == TR_AUDIT_BODY_ERASED;
    a->sum->by_code[f->code]++;
    if (f->notice) {
        a->sum->notices++;
    } else {
        a->sum->errors++;
    }
    if (a->opts == NULL || a->opts->on_finding == NULL) {
        return TR_OK;
    }
    return a->opts->on_finding(a->opts->finding_ctx, f, a->err);
}

static int found_fmt(struct audit *a, struct tr_audit_finding *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int found_fmt(struct audit *a, struct tr_audit_finding *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = emit(a, f, fmt, ap);
    va_end(ap);
    return rc;
}

static int found_leaf(struct audit *a, enum tr_audit_code code, uint64_t leaf, uint64_t count,
                      const char *record_id, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int found_leaf(struct audit *a, enum tr_audit_code code, uint64_t leaf, uint64_t count,
                      const char *record_id, const char *fmt, ...)
{
    struct tr_audit_finding f;
    memset(&f, 0, sizeof f);
    f.code = code;
    f.subject = TR_AUDIT_AT_LEAF;
    f.leaf = leaf;
    f.count = count;
    if (record_id != NULL) {
        snprintf(f.record_id, sizeof f.record_id, "%s", record_id);
    }
    va_list ap;
    va_start(ap, fmt);
    int rc = emit(a, &f, fmt, ap);
    va_end(ap);
    return rc;
}

static int found_node(struct audit *a, enum tr_audit_code code, unsigned level, uint64_t index,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int found_node(struct audit *a, enum tr_audit_code code, unsigned level, uint64_t index,
                      const char *fmt, ...)
{
    struct tr_audit_finding f;
    memset(&f, 0, sizeof f);
    f.code = code;
    f.subject = TR_AUDIT_AT_NODE;
    f.level = level;
    f.index = index;
    va_list ap;
    va_start(ap, fmt);
    int rc = emit(a, &f, fmt, ap);
    va_end(ap);
    return rc;
}

static int found_other(struct audit *a, enum tr_audit_code code, enum tr_audit_subject subject,
                       uint64_t size, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int found_other(struct audit *a, enum tr_audit_code code, enum tr_audit_subject subject,
                       uint64_t size, const char *fmt, ...)
{
    struct tr_audit_finding f;
    memset(&f, 0, sizeof f);
    f.code = code;
    f.subject = subject;
    f.leaf = size;
    va_list ap;
    va_start(ap, fmt);
    int rc = emit(a, &f, fmt, ap);
    va_end(ap);
    return rc;
}

/* Report f with detail text as it is. */
static int emit_text(struct audit *a, struct tr_audit_finding *f, const char *text)
{
    return found_fmt(a, f, "%s", text);
}

/* ---- Hashes ---- */

static int node_hash(const struct slot *left, const struct slot *right, struct slot *out,
                     struct tr_error *err)
{
    out->known = left->known && right->known;
    if (out->known && tr_merkle_node_hash(left->hash, right->hash, out->hash) != TR_OK) {
        return tr_error_set(err, TR_ECRYPTO, "sha-256 failed");
    }
    return TR_OK;
}

/* The first 8 bytes of a hash in hex, for messages. */
static const char *short_hex(const unsigned char *h, char out[17])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < 8; i++) {
        out[2 * i] = digits[h[i] >> 4];
        out[2 * i + 1] = digits[h[i] & 15];
    }
    out[16] = '\0';
    return out;
}

/* out = the root of the tree of size leaves read so far, from the pending nodes. */
static int root_of(struct audit *a, uint64_t size, struct slot *out)
{
    int first = 1;
    out->known = 1;
    if (size == 0) {
        return tr_sha256("", 0, out->hash) == TR_OK
                   ? TR_OK
                   : tr_error_set(a->err, TR_ECRYPTO, "sha-256 failed");
    }
    for (unsigned h = 0; h < LEVELS && out->known; h++) {
        if (((size >> h) & 1u) == 0) {
            continue;
        }
        if (first) {
            *out = a->pend[h];
            first = 0;
            continue;
        }
        int rc = node_hash(&a->pend[h], out, out, a->err);
        if (rc != TR_OK) {
            return rc;
        }
    }
    return TR_OK;
}

/* ---- Reading ---- */

/* Make sure cursor c of level holds its next row, unless the level has no more. */
static int level_peek(struct audit *a, unsigned level)
{
    struct level_cursor *c = &a->level[level];
    int row = 0;
    int rc = TR_OK;
    if (c->row || c->done) {
        return TR_OK;
    }
    if (c->st == NULL) {
        rc =
            tr_db_prepare(a->db, "SELECT idx, hash FROM log_node WHERE level = :level ORDER BY idx",
                          &c->st, a->err);
        if (rc != TR_OK) {
            return rc;
        }
        tr_db_bind_int(c->st, ":level", (int64_t)level);
    }
    rc = tr_db_step(c->st, &row, a->err);
    if (rc != TR_OK) {
        return rc;
    }
    if (!row) {
        c->done = 1;
        return TR_OK;
    }
    c->row = 1;
    c->idx = (uint64_t)tr_db_column_int(c->st, 0);
    const void *p = tr_db_column_blob(c->st, 1, &c->len);
    if (c->len == HASH_LEN) {
        memcpy(c->hash, p, HASH_LEN);
    }
    return TR_OK;
}

/*
 * Take the stored node (level, idx): *found is 1 when it is stored, and out gets its hash
 * (unknown when the row's hash is not 32 bytes, which is reported). Rows before idx are
 * passed over: they lie under a run of missing leaves, where nothing can be checked.
 */
static int level_take(struct audit *a, unsigned level, uint64_t idx, int *found, struct slot *out)
{
    struct level_cursor *c = &a->level[level];
    *found = 0;
    out->known = 0;
    for (;;) {
        int rc = level_peek(a, level);
        if (rc != TR_OK || c->done || c->idx > idx) {
            return rc;
        }
        c->row = 0;
        if (c->idx < idx) {
            continue;
        }
        *found = 1;
        a->sum->nodes++;
        if (c->len != HASH_LEN) {
            return found_node(a, TR_AUDIT_NODE_MISMATCH, level, idx,
                              "the stored hash has %zu bytes, not %d", c->len, HASH_LEN);
        }
        out->known = 1;
        memcpy(out->hash, c->hash, HASH_LEN);
        return TR_OK;
    }
}

/* out = the stored node (level, idx) by a point read; unknown when it is not stored. */
static int read_point(struct audit *a, unsigned level, uint64_t idx, struct slot *out)
{
    int row = 0;
    size_t len = 0;
    out->known = 0;
    int rc = a->point == NULL ? tr_db_prepare(a->db,
                                              "SELECT hash FROM log_node\n"
                                              "    WHERE level = :level AND idx = :idx",
                                              &a->point, a->err)
                              : tr_db_reset(a->point, a->err);
    if (rc != TR_OK) {
        return rc;
    }
    tr_db_bind_int(a->point, ":level", (int64_t)level);
    tr_db_bind_int(a->point, ":idx", (int64_t)idx);
    rc = tr_db_step(a->point, &row, a->err);
    if (rc == TR_OK && row) {
        const void *p = tr_db_column_blob(a->point, 0, &len);
        if (len == HASH_LEN) {
            out->known = 1;
            memcpy(out->hash, p, HASH_LEN);
        }
    }
    return rc;
}

static int entry_peek(struct audit *a)
{
    int row = 0;
    if (a->entry_row || a->entries_done) {
        return TR_OK;
    }
    int rc = tr_db_step(a->entries, &row, a->err);
    if (rc != TR_OK) {
        return rc;
    }
    if (!row) {
        a->entries_done = 1;
        return TR_OK;
    }
    a->entry_row = 1;
    a->entry_leaf = (uint64_t)tr_db_column_int(a->entries, 0);
    return TR_OK;
}

/* ---- Checks ---- */

/*
 * The body of leaf must be the canonical bytes of a JSON object whose id is record_id.
 * *out (the caller frees it) gets the parsed object when it is, else NULL; id then gets the
 * SHA-256 the record id spells.
 */
static int check_body(struct audit *a, uint64_t leaf, const char *record_id, const char *body,
                      size_t len, struct tr_json **out, unsigned char id[HASH_LEN])
{
    struct tr_json *doc = NULL;
    struct tr_error e = {0};
    *out = NULL;
    int rc = tr_json_parse(body, len, "body", &a->limits, &doc, &e);
    if (rc == TR_ENOMEM) {
        rc = tr_error_set(a->err, rc, "%s", e.msg);
        goto out;
    }
    if (rc != TR_OK) {
        rc = found_leaf(a, TR_AUDIT_BODY_MALFORMED, leaf, 1, record_id, "the body is not JSON: %s",
                        e.msg);
        goto out;
    }
    if (!tr_json_is(doc, TR_JSON_OBJECT)) {
        rc = found_leaf(a, TR_AUDIT_BODY_MALFORMED, leaf, 1, record_id,
                        "the body is a JSON %s, not an object", tr_json_type_name(doc->type));
        goto out;
    }
    tr_buf_reset(&a->scratch);
    rc = tr_jcs_serialize(doc, &a->scratch, a->err);
    if (rc != TR_OK) {
        goto out;
    }
    if (a->scratch.len != len || memcmp(a->scratch.data, body, len) != 0) {
        rc = found_leaf(a, TR_AUDIT_BODY_MALFORMED, leaf, 1, record_id,
                        "the body is not in RFC 8785 canonical form");
        goto out;
    }
    tr_buf_reset(&a->scratch);
    rc = tr_jcs_serialize_without(doc, "proof", &a->scratch, a->err);
    if (rc != TR_OK) {
        goto out;
    }
    if (tr_sha256(a->scratch.data, a->scratch.len, id) != TR_OK) {
        rc = tr_error_set(a->err, TR_ECRYPTO, "sha-256 failed");
        goto out;
    }
    tr_buf_reset(&a->scratch);
    rc = tr_buf_addhex(&a->scratch, id, HASH_LEN);
    if (rc != TR_OK) {
        rc = tr_error_set(a->err, rc, "out of memory");
        goto out;
    }
    if (strcmp(a->scratch.data, record_id) != 0) {
        rc = found_leaf(a, TR_AUDIT_RECORD_ID_MISMATCH, leaf, 1, record_id,
                        "the body's record id is %s", a->scratch.data);
        goto out;
    }
    *out = doc;
    doc = NULL;
out:
    tr_json_free(doc);
    return rc;
}

/* The record of leaf (its body intact, parsed as *doc, its record id spelling id) must
 * index again as the store indexed it, and count as the log stood when it was logged (judged
 * by a->judge from *doc, which it takes, reported after the pass). */
static int check_record(struct audit *a, uint64_t leaf, const char *record_id, struct tr_json **doc,
                        const unsigned char id[HASH_LEN])
{
    struct tr_error e = {0};
    a->sum->records++;
    int rc = tr_trust_index(a->rebuilt, *doc, record_id, leaf, &e);
    if (rc == TR_ECONFLICT || rc == TR_EINVAL) {
        rc = found_leaf(a, TR_AUDIT_TRUST_MISMATCH, leaf, 1, record_id,
                        "the record does not index again: %s", e.msg);
    } else if (rc != TR_OK) {
        rc = tr_error_set(a->err, rc, "%s", e.msg);
    }
    if (rc != TR_OK) {
        return rc;
    }
    rc = audit_judge_push(a->judge, leaf, record_id, *doc, id, a->err);
    *doc = NULL;
    return rc;
}

/* Wait for the records still being judged; report those that do not count. */
static int report_judged(struct audit *a, int rc)
{
    struct audit_judged *list = NULL;
    size_t n = 0;
    rc = audit_judge_finish(a->judge, rc, &list, &n, a->err);
    a->judge = NULL;
    for (size_t i = 0; rc == TR_OK && i < n; i++) {
        rc = found_leaf(a, TR_AUDIT_RECORD_DOES_NOT_VERIFY, list[i].leaf, 1, list[i].record_id,
                        "%s", list[i].detail);
    }
    free(list);
    return rc;
}

/*
 * Node (0, leaf) is cur; climb the levels it completes: while the node is a right child,
 * its parent is perfect now. Each stored parent must be the hash of its stored children.
 */
static int climb(struct audit *a, uint64_t leaf, struct slot cur)
{
    uint64_t j = leaf;
    unsigned h = 0;
    while ((j & 1u) != 0 && h + 1 < LEVELS) {
        struct slot want, stored;
        int found = 0;
        int rc = node_hash(&a->pend[h], &cur, &want, a->err);
        if (rc == TR_OK) {
            rc = level_take(a, h + 1, j >> 1, &found, &stored);
        }
        if (rc == TR_OK && !found) {
            rc = found_node(a, TR_AUDIT_MISSING_NODE, h + 1, j >> 1,
                            "the hash of leaves %" PRIu64 " to %" PRIu64 " is not stored",
                            (j >> 1) << (h + 1), (((j >> 1) + 1) << (h + 1)) - 1);
        }
        if (rc == TR_OK && stored.known && want.known &&
            memcmp(stored.hash, want.hash, HASH_LEN) != 0) {
            char s1[17], s2[17];
            rc = found_node(a, TR_AUDIT_NODE_MISMATCH, h + 1, j >> 1,
                            "the stored hash %s... is not the hash of its children %s...",
                            short_hex(stored.hash, s1), short_hex(want.hash, s2));
        }
        if (rc != TR_OK) {
            return rc;
        }
        cur = stored.known ? stored : want;
        j >>= 1;
        h++;
    }
    a->pend[h] = cur;
    return TR_OK;
}

/* Check leaf: its entry (if the cursor holds it) and its level-0 hash; then climb. */
static int check_leaf(struct audit *a, uint64_t leaf)
{
    struct slot stored, computed = {0};
    int found = 0;
    int have_entry = a->entry_row && a->entry_leaf == leaf;
    const char *record_id = NULL;
    int rc = level_take(a, 0, leaf, &found, &stored);
    if (rc != TR_OK) {
        return rc;
    }
    if (!found) {
        rc = found_node(a, TR_AUDIT_MISSING_NODE, 0, leaf,
                        "the hash of leaf %" PRIu64 " is not stored", leaf);
    }
    if (rc == TR_OK && !have_entry) {
        rc = found_leaf(a, TR_AUDIT_MISSING_LEAF, leaf, 1, NULL,
                        "leaf %" PRIu64 " has a stored hash but no entry", leaf);
    }
    if (rc != TR_OK || !have_entry) {
        goto climb;
    }
    a->entry_row = 0; /* taken: its columns stay valid until the next step */
    a->sum->leaves++;
    record_id = tr_db_column_text(a->entries, 1, NULL);
    if (tr_db_column_null(a->entries, 2)) {
        a->sum->erased++;
        rc = found_leaf(a, TR_AUDIT_BODY_ERASED, leaf, 1, record_id,
                        "the body was erased; its leaf hash stays");
        goto climb;
    }
    size_t len = 0;
    const char *body = tr_db_column_blob(a->entries, 2, &len);
    if (tr_merkle_leaf_hash(body, len, computed.hash) != TR_OK) {
        return tr_error_set(a->err, TR_ECRYPTO, "sha-256 failed");
    }
    computed.known = 1;
    int intact = !stored.known || memcmp(stored.hash, computed.hash, HASH_LEN) == 0;
    if (!intact) {
        char s1[17], s2[17];
        rc = found_leaf(a, TR_AUDIT_LEAF_HASH_MISMATCH, leaf, 1, record_id,
                        "the body hashes to %s..., the stored leaf hash is %s...",
                        short_hex(computed.hash, s1), short_hex(stored.hash, s2));
    }
    struct tr_json *doc = NULL;
    unsigned char id[HASH_LEN];
    if (rc == TR_OK) {
        rc = check_body(a, leaf, record_id, body, len, &doc, id);
    }
    if (rc == TR_OK && doc != NULL && intact && found && a->records) {
        rc = check_record(a, leaf, record_id, &doc, id);
    }
    tr_json_free(doc);
climb:
    if (rc != TR_OK) {
        return rc;
    }
    return climb(a, leaf, stored.known ? stored : computed);
}

/* Check the roots of the checkpoints of every size up to size (the leaves read so far). */
static int check_roots(struct audit *a, uint64_t size)
{
    while (a->next_cp < a->ncps && a->cps[a->next_cp].size <= size) {
        const struct checkpoint_item *cp = &a->cps[a->next_cp++];
        struct slot root;
        if (cp->size < size) {
            continue; /* inside a run of missing leaves: no root to compare */
        }
        int rc = root_of(a, size, &root);
        if (rc == TR_OK && root.known && memcmp(root.hash, cp->root, HASH_LEN) != 0) {
            char s1[17], s2[17];
            rc = found_other(a, TR_AUDIT_CHECKPOINT_ROOT_MISMATCH, TR_AUDIT_AT_CHECKPOINT, size,
                             "the stored tree's root is %s..., the checkpoint's %s...",
                             short_hex(root.hash, s1), short_hex(cp->root, s2));
        }
        if (rc != TR_OK) {
            return rc;
        }
    }
    return TR_OK;
}

/* Leaves [from, to) have neither entry nor hash: report them, and take up the tree at to. */
static int skip_missing(struct audit *a, uint64_t from, uint64_t to)
{
    int rc =
        to - from == 1
            ? found_leaf(a, TR_AUDIT_MISSING_LEAF, from, 1, NULL,
                         "leaf %" PRIu64 " has neither an entry nor a stored hash", from)
            : found_leaf(a, TR_AUDIT_MISSING_LEAF, from, to - from, NULL,
                         "leaves %" PRIu64 " to %" PRIu64 " have neither entries nor stored hashes",
                         from, to - 1);
    /* The digits of the tree of size to are the nodes a later leaf climbs onto. */
    for (unsigned h = 0; rc == TR_OK && h < LEVELS; h++) {
        if (((to >> h) & 1u) != 0) {
            rc = read_point(a, h, (to >> h) - 1, &a->pend[h]);
        }
    }
    return rc;
}

static int compare_items(const void *x, const void *y)
{
    const struct checkpoint_item *p = x, *q = y;
    return p->size < q->size ? -1 : p->size > q->size;
}

/* Read and verify every stored checkpoint into a->cps, sorted by the size its note states. */
static int load_checkpoints(struct audit *a)
{
    struct tr_db_stmt *st = NULL;
    struct tr_note_verifier v;
    struct tr_error key_err = {0};
    int row = 0;
    size_t cap = 0;
    int have_key = tr_log_operator_verifier(a->db, &v, &key_err) == TR_OK;
    if (!have_key && key_err.code != TR_EDB && key_err.code != TR_EINVAL) {
        return tr_error_set(a->err, key_err.code, "%s", key_err.msg);
    }
    int rc = tr_db_prepare(a->db, "SELECT tree_size, root, note FROM checkpoint ORDER BY tree_size",
                           &st, a->err);
    while (rc == TR_OK && (rc = tr_db_step(st, &row, a->err)) == TR_OK && row) {
        struct checkpoint_item item = {0};
        struct tr_note_checkpoint parsed;
        struct tr_error e = {0};
        size_t root_len = 0, note_len = 0;
        uint64_t size = (uint64_t)tr_db_column_int(st, 0);
        const void *root = tr_db_column_blob(st, 1, &root_len);
        const char *note = tr_db_column_text(st, 2, &note_len);
        item.size = size;
        memcpy(item.root, root, root_len == HASH_LEN ? HASH_LEN : 0);
        a->sum->checkpoints++;
        if (!have_key) {
            rc = found_other(a, TR_AUDIT_CHECKPOINT_SIGNATURE, TR_AUDIT_AT_CHECKPOINT, size, "%s",
                             key_err.msg);
        } else if (tr_note_checkpoint_open(note, note_len, tr_db_origin(a->db), &v, 1, &parsed,
                                           &e) != TR_OK) {
            rc = found_other(a, TR_AUDIT_CHECKPOINT_SIGNATURE, TR_AUDIT_AT_CHECKPOINT, size, "%s",
                             e.msg);
        } else {
            item.opened = 1;
            if (parsed.size != size || root_len != HASH_LEN ||
                memcmp(parsed.root, root, HASH_LEN) != 0) {
                rc = found_other(a, TR_AUDIT_CHECKPOINT_ROW_MISMATCH, TR_AUDIT_AT_CHECKPOINT, size,
                                 "its note states tree size %" PRIu64 " and another root or size",
                                 parsed.size);
            }
            item.size = parsed.size;
            memcpy(item.root, parsed.root, HASH_LEN);
        }
        if (rc == TR_OK && a->ncps == cap) {
            size_t grown = cap == 0 ? 16 : 2 * cap;
            struct checkpoint_item *p = realloc(a->cps, grown * sizeof *p);
            if (p == NULL) {
                rc = tr_error_set(a->err, TR_ENOMEM, "out of memory");
                break;
            }
            a->cps = p;
            cap = grown;
        }
        if (rc == TR_OK) {
            a->cps[a->ncps++] = item;
        }
    }
    rc = tr_db_finalize(st, rc, a->err);
    if (rc == TR_OK && a->ncps > 1) {
        qsort(a->cps, a->ncps, sizeof a->cps[0], compare_items);
    }
    return rc;
}

/* Each checkpoint whose note opens must be consistent with the one before it. */
static int check_consistency(struct audit *a)
{
    const struct checkpoint_item *prev = NULL;
    for (size_t i = 0; i < a->ncps; i++) {
        const struct checkpoint_item *cp = &a->cps[i];
        struct tr_merkle_proof proof;
        struct tr_error e = {0};
        int rc = TR_OK;
        if (!cp->opened) {
            continue;
        }
        if (prev != NULL && prev->size == cp->size && memcmp(prev->root, cp->root, HASH_LEN) != 0) {
            rc = found_other(a, TR_AUDIT_CHECKPOINT_INCONSISTENT, TR_AUDIT_AT_CHECKPOINT, cp->size,
                             "two checkpoints of tree size %" PRIu64 " have different roots",
                             cp->size);
        } else if (prev != NULL && prev->size > 0 && prev->size < cp->size) {
            rc = tr_log_prove_consistency(a->db, prev->size, cp->size, &proof, &e);
            if (rc == TR_OK) {
                rc = tr_merkle_verify_consistency(prev->size, cp->size, proof.hash, proof.len,
                                                  prev->root, cp->root, &e);
            }
            if (rc == TR_EVERIFY) {
                rc = found_other(a, TR_AUDIT_CHECKPOINT_INCONSISTENT, TR_AUDIT_AT_CHECKPOINT,
                                 cp->size,
                                 "not consistent with the checkpoint of size %" PRIu64 ": %s",
                                 prev->size, e.msg);
            } else if (rc == TR_EINVAL || rc == TR_ENOTFOUND) {
                rc = TR_OK; /* the nodes it needs are missing: reported with the leaves */
            } else if (rc != TR_OK) {
                rc = tr_error_set(a->err, rc, "%s", e.msg);
            }
        }
        if (rc != TR_OK) {
            return rc;
        }
        prev = cp;
    }
    return TR_OK;
}

/* Nodes stored beyond the tree of a->size leaves. */
static int check_extra_nodes(struct audit *a)
{
    struct tr_db_stmt *st = NULL;
    int rc = tr_db_prepare(a->db,
                           "SELECT idx FROM log_node WHERE level = :level AND idx >= :from\n"
                           "    ORDER BY idx",
                           &st, a->err);
    for (unsigned h = 0; rc == TR_OK && h < LEVELS - 1; h++) {
        int row = 0;
        uint64_t from = a->size >> h;
        rc = tr_db_reset(st, a->err);
        tr_db_bind_int(st, ":level", (int64_t)h);
        tr_db_bind_int(st, ":from", (int64_t)from);
        while (rc == TR_OK && (rc = tr_db_step(st, &row, a->err)) == TR_OK && row) {
            rc = found_node(a, TR_AUDIT_EXTRA_NODE, h, (uint64_t)tr_db_column_int(st, 0),
                            "a node beyond the tree of size %" PRIu64, a->size);
        }
    }
    return tr_db_finalize(st, rc, a->err);
}

/* ---- The trust index, built again ---- */

/* Make the store the trust index is built again in: a new one in a temporary directory. */
/* The page cache of the rebuilt trust index, in KiB. */
#define REBUILT_CACHE_KIB "32768"

static int rebuilt_open(struct audit *a)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0' || strlen(tmp) > 200) {
        tmp = "/tmp";
    }
    snprintf(a->rebuilt_dir, sizeof a->rebuilt_dir, "%s/talentreg-audit.XXXXXX", tmp);
    if (mkdtemp(a->rebuilt_dir) == NULL) {
        int e = errno;
        a->rebuilt_dir[0] = '\0';
        return tr_error_set(a->err, TR_EIO, "cannot create a temporary directory in '%s': %s", tmp,
                            strerror(e));
    }
    snprintf(a->rebuilt_path, sizeof a->rebuilt_path, "%s/index.db", a->rebuilt_dir);
    int rc = tr_db_create(a->rebuilt_path, tr_db_origin(a->db), &a->rebuilt, a->err);
    if (rc == TR_OK) {
        /* Its one transaction is never committed: with SQLite's default 2 MiB page cache
         * it spilled to the write-ahead log again and again as the index grew. */
        rc = tr_db_exec(a->rebuilt,
                        "PRAGMA cache_size = -" REBUILT_CACHE_KIB "; PRAGMA temp_store = MEMORY",
                        a->err);
    }
    if (rc == TR_OK) {
        rc = tr_db_begin(a->rebuilt, a->err);
    }
    return rc;
}

/* Drop the rebuilt index and its directory. */
static void rebuilt_remove(struct audit *a)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[sizeof a->rebuilt_path + 16];
    if (a->rebuilt != NULL) {
        while (tr_db_in_transaction(a->rebuilt) > 0) {
            tr_db_rollback(a->rebuilt, NULL);
        }
        tr_db_close(a->rebuilt, NULL);
        a->rebuilt = NULL;
    }
    if (a->rebuilt_dir[0] == '\0') {
        return;
    }
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", a->rebuilt_path, suffix[i]);
        unlink(p);
    }
    rmdir(a->rebuilt_dir);
    a->rebuilt_dir[0] = '\0';
}

/* A table of the trust index: its rows ordered by their key, the first column. */
struct index_table {
    const char *name;
    const char *sql;
    const char *columns[7];
    size_t ncols;
};

static const struct index_table index_tables[] = {
    {"record",
     "SELECT id, kind, issuer, subject, leaf, first_leaf FROM record ORDER BY id",
     {"id", "kind", "issuer", "subject", "leaf", "first_leaf"},
     6},
    {"trust_org_version",
     "SELECT record_id, uscc, leaf, name, org_kind, permitted FROM trust_org_version\n"
     "    ORDER BY record_id",
     {"record_id", "uscc", "leaf", "name", "org_kind", "permitted"},
     6},
    {"trust_org",
     "SELECT uscc, record_id, leaf, first_leaf, name, org_kind, permitted FROM trust_org\n"
     "    ORDER BY uscc",
     {"uscc", "record_id", "leaf", "first_leaf", "name", "org_kind", "permitted"},
     7},
    {"trust_key",
     "SELECT pub, uscc, org_record, registered_leaf, revoked_leaf, revocation_record,\n"
     "    compromised_since FROM trust_key ORDER BY pub",
     {"pub", "uscc", "org_record", "registered_leaf", "revoked_leaf", "revocation_record",
      "compromised_since"},
     7},
    {"trust_key_revocation",
     "SELECT record_id, pub, leaf, compromised_since FROM trust_key_revocation\n"
     "    ORDER BY record_id",
     {"record_id", "pub", "leaf", "compromised_since"},
     4},
    {"trust_revocation",
     "SELECT record_id, target, leaf, action, replacement FROM trust_revocation\n"
     "    ORDER BY record_id",
     {"record_id", "target", "leaf", "action", "replacement"},
     5},
};

/* Append column col of st's row to out as text: NULL, hex for the key bytes, else as is. */
static void add_value(struct tr_buf *out, struct tr_db_stmt *st, int col, const char *name)
{
    size_t len = 0;
    const void *p = tr_db_column_blob(st, col, &len);
    if (tr_db_column_null(st, col)) {
        tr_buf_adds(out, "NULL");
    } else if (strcmp(name, "pub") == 0) {
        tr_buf_addhex(out, p, len);
    } else {
        tr_buf_addf(out, "'%.*s'", (int)(len > 160 ? 160 : len), (const char *)p);
    }
}

/* -1, 0 or 1 as column col of x's row sorts before, with or after that of y's (SQLite's
 * BINARY order: the bytes, then the length). */
static int compare_column(struct tr_db_stmt *x, struct tr_db_stmt *y, int col)
{
    size_t lx = 0, ly = 0;
    int nx = tr_db_column_null(x, col), ny = tr_db_column_null(y, col);
    const void *px = tr_db_column_blob(x, col, &lx);
    const void *py = tr_db_column_blob(y, col, &ly);
    if (nx || ny) {
        return nx - ny;
    }
    int c = memcmp(px, py, lx < ly ? lx : ly);
    if (c != 0) {
        return c < 0 ? -1 : 1;
    }
    return lx < ly ? -1 : lx > ly;
}

/* 1 when record id (the key of st's row) has an erased leaf: its index cannot be rebuilt. */
static int erased_record(struct audit *a, struct tr_db_stmt *st, int *erased)
{
    struct tr_db_stmt *q = NULL;
    size_t len = 0;
    const char *id = tr_db_column_text(st, 0, &len);
    int rc = tr_db_prepare(a->db,
                           "SELECT 1 FROM log_entry WHERE record_id = :id AND body IS NULL LIMIT 1",
                           &q, a->err);
    *erased = 0;
    if (rc == TR_OK) {
        tr_db_bind_text(q, ":id", id, len);
        rc = tr_db_step(q, erased, a->err);
    }
    return tr_db_finalize(q, rc, a->err);
}

static int found_row(struct audit *a, const struct index_table *t, struct tr_db_stmt *st,
                     const char *what, struct tr_buf *b)
{
    struct tr_audit_finding f;
    memset(&f, 0, sizeof f);
    f.code = TR_AUDIT_TRUST_MISMATCH;
    f.subject = TR_AUDIT_AT_TABLE;
    f.table = t->name;
    tr_buf_reset(b);
    tr_buf_addf(b, "row %s = ", t->columns[0]);
    add_value(b, st, 0, t->columns[0]);
    tr_buf_addf(b, " %s", what);
    if (b->err != TR_OK) {
        return tr_error_set(a->err, b->err, "out of memory");
    }
    return emit_text(a, &f, b->data);
}

/* Compare table t of the store with the one built again from the log. */
static int compare_table(struct audit *a, const struct index_table *t)
{
    struct tr_db_stmt *x = NULL, *y = NULL;
    struct tr_buf b;
    int rx = 0, ry = 0;
    tr_buf_init(&b);
    int rc = tr_db_prepare(a->db, t->sql, &x, a->err);
    if (rc == TR_OK) {
        rc = tr_db_prepare(a->rebuilt, t->sql, &y, a->err);
    }
    if (rc == TR_OK) {
        rc = tr_db_step(x, &rx, a->err);
    }
    if (rc == TR_OK) {
        rc = tr_db_step(y, &ry, a->err);
    }
    while (rc == TR_OK && (rx || ry)) {
        int c = !rx ? 1 : !ry ? -1 : compare_column(x, y, 0);
        if (c < 0) {
            int erased = 0;
            if (strcmp(t->name, "record") == 0) {
                rc = erased_record(a, x, &erased);
            }
            if (rc == TR_OK && !erased) {
                rc = found_row(
                    a, t, x, "is not what the log says: no intact record of the log makes it", &b);
            }
        } else if (c > 0) {
            rc = found_row(a, t, y, "is missing: the log makes it", &b);
        } else {
            size_t col = 1;
            while (col < t->ncols && compare_column(x, y, (int)col) == 0) {
                col++;
            }
            if (col < t->ncols) {
                struct tr_buf what;
                tr_buf_init(&what);
                tr_buf_addf(&what, "has %s = ", t->columns[col]);
                add_value(&what, x, (int)col, t->columns[col]);
                tr_buf_adds(&what, ", the log says ");
                add_value(&what, y, (int)col, t->columns[col]);
                rc = what.err != TR_OK ? tr_error_set(a->err, what.err, "out of memory")
                                       : found_row(a, t, x, what.data, &b);
                tr_buf_release(&what);
            }
        }
        if (rc == TR_OK && c <= 0) {
            rc = tr_db_step(x, &rx, a->err);
        }
        if (rc == TR_OK && c >= 0) {
            rc = tr_db_step(y, &ry, a->err);
        }
    }
    rc = tr_db_finalize(x, rc, a->err);
    rc = tr_db_finalize(y, rc, a->err);
    tr_buf_release(&b);
    return rc;
}

static int compare_index(struct audit *a)
{
    int rc = TR_OK;
    for (size_t i = 0; rc == TR_OK && i < sizeof index_tables / sizeof index_tables[0]; i++) {
        rc = compare_table(a, &index_tables[i]);
    }
    return rc;
}

/* a->size = the largest of the stored tree, the entries and the verified checkpoints. */
static int audited_size(struct audit *a)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    uint64_t size = 0;
    int rc = tr_log_size(a->db, &size, a->err);
    if (rc == TR_OK) {
        rc = tr_db_prepare(a->db, "SELECT max(leaf) FROM log_entry", &st, a->err);
    }
    if (rc == TR_OK) {
        rc = tr_db_step(st, &row, a->err);
    }
    if (rc == TR_OK && row && !tr_db_column_null(st, 0)) {
        uint64_t last = (uint64_t)tr_db_column_int(st, 0);
        size = last + 1 > size ? last + 1 : size;
    }
    rc = tr_db_finalize(st, rc, a->err);
    for (size_t i = 0; i < a->ncps; i++) {
        if (a->cps[i].opened && a->cps[i].size > size) {
            size = a->cps[i].size;
        }
    }
    a->size = size;
    return rc;
}

static void progress(struct audit *a, uint64_t done)
{
    if (a->opts != NULL && a->opts->on_progress != NULL) {
        a->opts->on_progress(a->opts->progress_ctx, done, a->size);
    }
}

/* The pass over the leaves, in order. */
static int walk_leaves(struct audit *a)
{
    uint64_t leaf = 0;
    int rc = tr_db_prepare(a->db, "SELECT leaf, record_id, body FROM log_entry ORDER BY leaf",
                           &a->entries, a->err);
    if (rc == TR_OK) {
        rc = check_roots(a, 0);
    }
    while (rc == TR_OK && leaf < a->size) {
        rc = entry_peek(a);
        if (rc == TR_OK) {
            rc = level_peek(a, 0);
        }
        if (rc != TR_OK) {
            break;
        }
        uint64_t next = a->size;
        if (a->entry_row && a->entry_leaf < next) {
            next = a->entry_leaf;
        }
        if (a->level[0].row && a->level[0].idx < next) {
            next = a->level[0].idx;
        }
        if (next > leaf) {
            rc = skip_missing(a, leaf, next);
            leaf = next;
        } else {
            rc = check_leaf(a, leaf);
            leaf++;
        }
        if (rc == TR_OK) {
            rc = check_roots(a, leaf);
        }
        if ((leaf & (PROGRESS_EVERY - 1u)) == 0) {
            progress(a, leaf);
        }
    }
    if (rc == TR_OK) {
        progress(a, a->size);
    }
    return rc;
}

int tr_audit_run(struct tr_db *db, const struct tr_audit_options *opts,
                 struct tr_audit_summary *summary, struct tr_error *err)
{
    struct audit a;
    int rc = TR_OK;
    memset(&a, 0, sizeof a);
    memset(summary, 0, sizeof *summary);
    a.db = db;
    a.opts = opts;
    a.sum = summary;
    a.err = err;
    a.records = opts == NULL || !opts->skip_records;
    tr_buf_init(&a.scratch);
    /* Bodies were accepted under the submitter's limits; read them under the ceilings. */
    a.limits = (struct tr_limits){TR_LIMIT_CEIL_BYTES, TR_LIMIT_CEIL_DEPTH, TR_LIMIT_CEIL_NODES,
                                  TR_LIMIT_CEIL_SCALAR};
    if (db == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_audit_run: no store");
    }
    rc = tr_db_begin(db, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (opts == NULL || !opts->skip_store_check) {
        struct tr_error e = {0};
        rc = tr_db_check(db, &e);
        if (rc == TR_EDB) {
            rc = found_other(&a, TR_AUDIT_STORE_DAMAGED, TR_AUDIT_AT_STORE, 0, "%s", e.msg);
        } else if (rc != TR_OK) {
            rc = tr_error_set(err, rc, "%s", e.msg);
        }
    }
    if (rc == TR_OK) {
        rc = load_checkpoints(&a);
    }
    if (rc == TR_OK) {
        rc = audited_size(&a);
    }
    summary->tree_size = a.size;
    if (rc == TR_OK && a.records) {
        rc = rebuilt_open(&a);
    }
    if (rc == TR_OK && a.records) {
        rc = audit_judge_start(db, opts != NULL ? opts->threads : 0, &a.judge, err);
    }
    if (rc == TR_OK) {
        rc = walk_leaves(&a);
    }
    if (a.records) {
        rc = report_judged(&a, rc);
    }
    if (rc == TR_OK) {
        rc = check_consistency(&a);
    }
    if (rc == TR_OK) {
        rc = check_extra_nodes(&a);
    }
    if (rc == TR_OK && a.records) {
        rc = compare_index(&a);
    }
    for (unsigned h = 0; h < LEVELS; h++) {
        rc = tr_db_finalize(a.level[h].st, rc, err);
    }
    rc = tr_db_finalize(a.entries, rc, err);
    rc = tr_db_finalize(a.point, rc, err);
    if (rc == TR_OK) {
        rc = tr_db_commit(db, err);
    } else {
        tr_db_rollback(db, NULL);
    }
    audit_judge_finish(a.judge, TR_EINVAL, NULL, NULL, NULL);
    rebuilt_remove(&a);
    free(a.cps);
    tr_buf_release(&a.scratch);
    return rc;
}
