/*
 * log.c — the stored Merkle log: leaves and perfect-subtree hashes in the store, roots and
 * proofs from O(log n) of them, signed checkpoints, and the client's check of a newer
 * checkpoint. Tables: schemas/store-log.sql. Layout and reads: docs/log-format.md.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "talentreg/log.h"

#define HASH_LEN TR_MERKLE_HASH_LEN

/* SQLite integers are signed: the log holds at most INT64_MAX leaves. */
#define LOG_MAX_SIZE ((uint64_t)INT64_MAX)

/* ---- Small helpers ---- */

static int check_record_id(const char *id, struct tr_error *err)
{
    if (id == NULL) {
        return tr_error_set(err, TR_EINVAL, "no record id given");
    }
    if (tr_ident_record_id_check(id, strlen(id), NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "record id '%.80s' is not %d lowercase hex digits", id,
                            TR_LOG_RECORD_ID_LEN);
    }
    return TR_OK;
}

/* out = the current time by the operator's clock, RFC 3339 UTC. */
static int now_utc(char out[TR_LOG_TIME_LEN + 1], struct tr_error *err)
{
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL ||
        strftime(out, TR_LOG_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm) != TR_LOG_TIME_LEN) {
        return tr_error_set(err, TR_EINVAL, "cannot format the current time");
    }
    return TR_OK;
}

/* End a savepoint begun by this module: commit when rc is TR_OK, else roll back. */
static int end_savepoint(struct tr_db *db, int rc, struct tr_error *err)
{
    if (rc == TR_OK) {
        return tr_db_commit(db, err);
    }
    tr_db_rollback(db, NULL);
    return rc;
}

/* ---- Reading stored nodes ---- */

/* The tr_merkle_get_fn context: one prepared SELECT, reused for every node of a call. */
struct node_reader {
    struct tr_db *db;
    struct tr_db_stmt *st;
};

static int reader_open(struct tr_db *db, struct node_reader *r, struct tr_error *err)
{
    r->db = db;
    r->st = NULL;
    return tr_db_prepare(db, "SELECT hash FROM log_node WHERE level = :level AND idx = :idx",
                         &r->st, err);
}

static int reader_close(struct node_reader *r, int rc, struct tr_error *err)
{
    rc = tr_db_finalize(r->st, rc, err);
    r->st = NULL;
    return rc;
}

static int read_node(void *ctx, unsigned level, uint64_t index, unsigned char out[HASH_LEN],
                     struct tr_error *err)
{
    struct node_reader *r = ctx;
    size_t len = 0;
    int row = 0;
    int rc = tr_db_reset(r->st, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (index <= LOG_MAX_SIZE) {
        tr_db_bind_int(r->st, ":level", (int64_t)level);
        tr_db_bind_int(r->st, ":idx", (int64_t)index);
        rc = tr_db_step(r->st, &row, err);
        if (rc != TR_OK) {
            return rc;
        }
    }
    if (!row) {
        return tr_error_set(err, TR_ENOTFOUND,
                            "store '%s': log node at level %u index %" PRIu64 " is missing",
                            tr_db_path(r->db), level, index);
    }
    const void *p = tr_db_column_blob(r->st, 0, &len);
    if (len != HASH_LEN) {
        return tr_error_set(
            err, TR_EDB, "store '%s': log node at level %u index %" PRIu64 " has %zu bytes, not %d",
            tr_db_path(r->db), level, index, len, HASH_LEN);
    }
    memcpy(out, p, HASH_LEN);
    return TR_OK;
}

int tr_log_size(struct tr_db *db, uint64_t *size, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    *size = 0;
    /* The primary key (level, idx) answers this with one seek. */
    int rc = tr_db_prepare(db, "SELECT max(idx) + 1 FROM log_node WHERE level = 0", &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = tr_db_step(st, &row, err);
    if (rc == TR_OK && row) {
        int64_t n = tr_db_column_int(st, 0);
        *size = n > 0 ? (uint64_t)n : 0;
    }
out:
    return tr_db_finalize(st, rc, err);
}

/*
 * Open a reader over the stored tree after checking that a tree of size exists: size is at
 * most the log's size. what names the size in the message ("tree size", "new tree size").
 */
static int open_tree(struct tr_db *db, uint64_t size, const char *what, struct node_reader *r,
                     struct tr_error *err)
{
    uint64_t n = 0;
    r->st = NULL;
    int rc = tr_log_size(db, &n, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (size > n) {
        return tr_error_set(err, TR_EINVAL,
                            "%s %" PRIu64 " is larger than the log (%" PRIu64 " leaves)", what,
                            size, n);
    }
    return reader_open(db, r, err);
}

int tr_log_root(struct tr_db *db, uint64_t size, unsigned char out[HASH_LEN], struct tr_error *err)
{
    struct node_reader r;
    int rc = open_tree(db, size, "tree size", &r, err);
    if (rc == TR_OK) {
        rc = tr_merkle_root(size, read_node, &r, out, err);
    }
    return reader_close(&r, rc, err);
}

int tr_log_prove_inclusion(struct tr_db *db, uint64_t leaf, uint64_t size,
                           struct tr_merkle_proof *out, struct tr_error *err)
{
    struct node_reader r;
    out->len = 0;
    int rc = open_tree(db, size, "tree size", &r, err);
    if (rc == TR_OK) {
        rc = tr_merkle_prove_inclusion(leaf, size, read_node, &r, out, err);
    }
    return reader_close(&r, rc, err);
}

int tr_log_prove_consistency(struct tr_db *db, uint64_t old_size, uint64_t new_size,
                             struct tr_merkle_proof *out, struct tr_error *err)
{
    struct node_reader r;
    out->len = 0;
    int rc = open_tree(db, new_size, "new tree size", &r, err);
    if (rc == TR_OK) {
        rc = tr_merkle_prove_consistency(old_size, new_size, read_node, &r, out, err);
    }
    return reader_close(&r, rc, err);
}

int tr_log_leaf_hash(struct tr_db *db, uint64_t leaf, unsigned char out[HASH_LEN],
                     struct tr_error *err)
{
    struct node_reader r;
    int rc = reader_open(db, &r, err);
    if (rc == TR_OK) {
        rc = read_node(&r, 0, leaf, out, err);
    }
    if (rc == TR_ENOTFOUND) {
        rc = tr_error_set(err, TR_ENOTFOUND, "leaf %" PRIu64 " is not in the log", leaf);
    }
    return reader_close(&r, rc, err);
}

/* ---- Appending ---- */

/* Write the nodes one leaf completes, with one prepared INSERT. */
static int write_nodes(struct tr_db *db, const struct tr_merkle_node *nodes, size_t count,
                       struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int rc = tr_db_prepare(
        db, "INSERT INTO log_node (level, idx, hash) VALUES (:level, :idx, :hash)", &st, err);
    for (size_t i = 0; rc == TR_OK && i < count; i++) {
        rc = tr_db_reset(st, err);
        if (rc != TR_OK) {
            break;
        }
        tr_db_bind_int(st, ":level", (int64_t)nodes[i].level);
        tr_db_bind_int(st, ":idx", (int64_t)nodes[i].index);
        tr_db_bind_blob(st, ":hash", nodes[i].hash, HASH_LEN);
        rc = tr_db_step(st, NULL, err);
    }
    return tr_db_finalize(st, rc, err);
}

static int write_entry(struct tr_db *db, uint64_t leaf, const char *record_id, const void *body,
                       size_t len, const char *logged_at, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int rc = tr_db_prepare(db,
                           "INSERT INTO log_entry (leaf, record_id, body, logged_at)\n"
                           "    VALUES (:leaf, :record_id, :body, :logged_at)",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    tr_db_bind_str(st, ":record_id", record_id);
    tr_db_bind_blob(st, ":body", body, len);
    tr_db_bind_str(st, ":logged_at", logged_at);
    rc = tr_db_step(st, NULL, err);
out:
    return tr_db_finalize(st, rc, err);
}

int tr_log_append(struct tr_db *db, const char *record_id, const void *body, size_t len,
                  uint64_t *leaf, struct tr_error *err)
{
    struct node_reader r = {db, NULL};
    struct tr_merkle_node nodes[TR_MERKLE_MAX_LEVELS];
    unsigned char hash[HASH_LEN];
    char now[TR_LOG_TIME_LEN + 1];
    uint64_t size = 0;
    size_t count = 0;
    int began = 0;
    int rc = TR_OK;

    if (leaf != NULL) {
        *leaf = 0;
    }
    if (db == NULL || (body == NULL && len > 0)) {
        return tr_error_set(err, TR_EINVAL, "tr_log_append: no store or no body");
    }
    if (tr_db_in_transaction(db) == 0) {
        return tr_error_set(err, TR_EINVAL,
                            "store '%s': a log append must run inside the caller's transaction",
                            tr_db_path(db));
    }
    rc = check_record_id(record_id, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = now_utc(now, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (tr_merkle_leaf_hash(body, len, hash) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "sha-256 failed");
        goto out;
    }
    rc = tr_db_begin(db, err);
    if (rc != TR_OK) {
        goto out;
    }
    began = 1;
    rc = tr_log_size(db, &size, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (size >= LOG_MAX_SIZE) {
        rc = tr_error_set(err, TR_EINVAL, "store '%s': the log is full", tr_db_path(db));
        goto out;
    }
    rc = reader_open(db, &r, err);
    if (rc == TR_OK) {
        rc = tr_merkle_append(size, hash, read_node, &r, nodes, &count, err);
    }
    rc = reader_close(&r, rc, err);
    if (rc == TR_OK) {
        rc = write_nodes(db, nodes, count, err);
    }
    if (rc == TR_OK) {
        rc = write_entry(db, size, record_id, body, len, now, err);
    }
out:
    if (began) {
        rc = end_savepoint(db, rc, err);
    }
    if (rc == TR_OK && leaf != NULL) {
        *leaf = size;
    }
    return rc;
}

/* ---- Looking up ---- */

int tr_log_find(struct tr_db *db, const char *record_id, uint64_t *latest, uint64_t **leaves,
                size_t *count, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    uint64_t *list = NULL, last = 0;
    size_t n = 0, cap = 0;
    int row = 0;
    int rc = check_record_id(record_id, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = tr_db_prepare(db, "SELECT leaf FROM log_entry WHERE record_id = :id ORDER BY leaf", &st,
                       err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":id", record_id);
    while ((rc = tr_db_step(st, &row, err)) == TR_OK && row) {
        last = (uint64_t)tr_db_column_int(st, 0);
        if (leaves != NULL && n == cap) {
            size_t grown = cap == 0 ? 4 : 2 * cap;
            uint64_t *p = realloc(list, grown * sizeof *p);
            if (p == NULL) {
                rc = tr_error_set(err, TR_ENOMEM, "out of memory");
                break;
            }
            list = p;
            cap = grown;
        }
        if (leaves != NULL) {
            list[n] = last;
        }
        n++;
    }
    if (rc == TR_OK && n == 0) {
        rc = tr_error_set(err, TR_ENOTFOUND, "record '%s' is not in the log", record_id);
    }
out:
    rc = tr_db_finalize(st, rc, err);
    if (rc != TR_OK) {
        free(list);
        list = NULL;
        n = 0;
        last = 0;
    }
    if (latest != NULL) {
        *latest = last;
    }
    if (leaves != NULL) {
        *leaves = list;
    }
    if (count != NULL) {
        *count = n;
    }
    return rc;
}

int tr_log_entry(struct tr_db *db, uint64_t leaf, struct tr_log_entry *out, struct tr_buf *body,
                 struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    size_t id_len = 0, at_len = 0, hash_len = 0, body_len = 0;
    int row = 0;
    int rc = TR_OK;
    memset(out, 0, sizeof *out);
    if (leaf > LOG_MAX_SIZE) {
        rc = tr_error_set(err, TR_ENOTFOUND, "leaf %" PRIu64 " is not in the log", leaf);
        goto out;
    }
    rc = tr_db_prepare(db,
                       "SELECT e.record_id, e.logged_at, n.hash, e.body, e.body IS NULL\n"
                       "    FROM log_entry AS e\n"
                       "    LEFT JOIN log_node AS n ON n.level = 0 AND n.idx = e.leaf\n"
                       "    WHERE e.leaf = :leaf",
                       &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    rc = tr_db_step(st, &row, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (!row) {
        rc = tr_error_set(err, TR_ENOTFOUND, "leaf %" PRIu64 " is not in the log", leaf);
        goto out;
    }
    const char *id = tr_db_column_text(st, 0, &id_len);
    const char *at = tr_db_column_text(st, 1, &at_len);
    const void *hash = tr_db_column_blob(st, 2, &hash_len);
    const void *bytes = tr_db_column_blob(st, 3, &body_len);
    if (id_len != TR_LOG_RECORD_ID_LEN || at_len > TR_LOG_TIME_LEN || hash_len != HASH_LEN) {
        rc = tr_error_set(err, TR_EDB, "store '%s': log entry of leaf %" PRIu64 " is malformed",
                          tr_db_path(db), leaf);
        goto out;
    }
    out->leaf = leaf;
    memcpy(out->record_id, id, id_len + 1);
    memcpy(out->logged_at, at, at_len + 1);
    memcpy(out->leaf_hash, hash, HASH_LEN);
    out->erased = tr_db_column_int(st, 4) != 0;
    if (body == NULL || out->erased) {
        goto out;
    }
    unsigned char check[HASH_LEN];
    if (tr_merkle_leaf_hash(bytes, body_len, check) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "sha-256 failed");
        goto out;
    }
    if (memcmp(check, out->leaf_hash, HASH_LEN) != 0) {
        rc = tr_error_set(err, TR_EVERIFY, "leaf %" PRIu64 ": body does not match its leaf hash",
                          leaf);
        goto out;
    }
    rc = tr_buf_add(body, bytes, body_len);
    if (rc != TR_OK) {
        rc = tr_error_set(err, rc, "leaf %" PRIu64 ": body does not fit its buffer", leaf);
    }
out:
    return tr_db_finalize(st, rc, err);
}

/* ---- Checkpoints ---- */

int tr_log_operator_verifier(struct tr_db *db, struct tr_note_verifier *v, struct tr_error *err)
{
    struct tr_buf key;
    tr_buf_init(&key);
    int rc = tr_db_meta_get(db, TR_DB_META_OPERATOR_KEY, &key, err);
    if (rc == TR_ENOTFOUND) {
        rc = tr_error_set(err, TR_EDB, "store '%s' has no operator key", tr_db_path(db));
    }
    if (rc == TR_OK && key.len != TR_ED25519_PUBLIC_LEN) {
        rc = tr_error_set(err, TR_EDB, "store '%s' has an operator key of %zu bytes, not %d",
                          tr_db_path(db), key.len, TR_ED25519_PUBLIC_LEN);
    }
    if (rc == TR_OK) {
        rc =
            tr_note_verifier_from_public(tr_db_origin(db), (const unsigned char *)key.data, v, err);
    }
    tr_buf_release(&key);
    return rc;
}

/* A stored checkpoint, once read and verified. */
struct stored_checkpoint {
    int found;
    uint64_t size;
    unsigned char root[HASH_LEN];
    struct tr_buf note;
};

/*
 * Read the checkpoint of the largest tree size into cp (cp->found 0 when there is none) and
 * verify it: its note opens under v (NULL: the operator's key, read from meta only when
 * there is a checkpoint) with the store's origin and states its row's size and root.
 * cp->note, which the caller initialised, gets the note.
 */
static int latest_stored(struct tr_db *db, const struct tr_note_verifier *v,
                         struct stored_checkpoint *cp, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    struct tr_note_checkpoint parsed;
    struct tr_note_verifier operator_key;
    size_t root_len = 0, note_len = 0;
    int row = 0;
    cp->found = 0;
    cp->size = 0;
    int rc = tr_db_prepare(db,
                           "SELECT tree_size, root, note FROM checkpoint\n"
                           "    ORDER BY tree_size DESC LIMIT 1",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = tr_db_step(st, &row, err);
    if (rc != TR_OK || !row) {
        goto out;
    }
    cp->found = 1;
    cp->size = (uint64_t)tr_db_column_int(st, 0);
    const void *root = tr_db_column_blob(st, 1, &root_len);
    const char *note = tr_db_column_text(st, 2, &note_len);
    if (root_len != HASH_LEN) {
        rc = tr_error_set(err, TR_EDB, "store '%s': checkpoint of size %" PRIu64 " is malformed",
                          tr_db_path(db), cp->size);
        goto out;
    }
    memcpy(cp->root, root, HASH_LEN);
    rc = tr_buf_add(&cp->note, note, note_len);
    if (rc != TR_OK) {
        rc = tr_error_set(err, rc, "out of memory");
        goto out;
    }
    if (v == NULL) {
        rc = tr_log_operator_verifier(db, &operator_key, err);
        if (rc != TR_OK) {
            goto out;
        }
        v = &operator_key;
    }
    rc = tr_note_checkpoint_open(cp->note.data, cp->note.len, tr_db_origin(db), v, 1, &parsed, err);
    if (rc != TR_OK) {
        tr_error_prefix(err, "stored checkpoint of size %" PRIu64, cp->size);
        goto out;
    }
    if (parsed.size != cp->size || memcmp(parsed.root, cp->root, HASH_LEN) != 0) {
        rc =
            tr_error_set(err, TR_EVERIFY,
                         "stored checkpoint of size %" PRIu64 " does not match its note", cp->size);
    }
out:
    return tr_db_finalize(st, rc, err);
}

/* Does the stored tree of size (with root) extend the stored checkpoint prev? */
static int check_extends(struct tr_db *db, const struct stored_checkpoint *prev, uint64_t size,
                         const unsigned char root[HASH_LEN], struct tr_error *err)
{
    struct tr_merkle_proof proof;
    int rc = TR_OK;
    if (prev->size > size) {
        return tr_error_set(err, TR_ECONFLICT,
                            "the log has %" PRIu64
                            " leaves, fewer than its checkpoint of size %" PRIu64,
                            size, prev->size);
    }
    if (prev->size == size) {
        if (memcmp(prev->root, root, HASH_LEN) != 0) {
            rc = tr_error_set(err, TR_ECONFLICT,
                              "the log's root at size %" PRIu64
                              " is not the root of its checkpoint of that size",
                              size);
        }
        return rc;
    }
    if (prev->size == 0) {
        return TR_OK; /* every tree extends the empty one */
    }
    rc = tr_log_prove_consistency(db, prev->size, size, &proof, err);
    if (rc == TR_OK) {
        rc = tr_merkle_verify_consistency(prev->size, size, proof.hash, proof.len, prev->root, root,
                                          err);
    }
    if (rc == TR_EVERIFY) {
        char why[TR_ERROR_MAX];
        snprintf(why, sizeof why, "%s", err != NULL ? err->msg : "");
        rc = tr_error_set(err, TR_ECONFLICT,
                          "the log is not consistent with its checkpoint of size %" PRIu64 ": %s",
                          prev->size, why);
    }
    return rc;
}

/* Sign the checkpoint of (size, root), open it again under v, and append it to out. */
static int sign_checkpoint(const char *origin, uint64_t size, const unsigned char root[HASH_LEN],
                           const unsigned char seed[TR_ED25519_SEED_LEN],
                           const struct tr_note_verifier *v, struct tr_buf *out,
                           struct tr_error *err)
{
    struct tr_note_checkpoint back;
    struct tr_buf text;
    tr_buf_init(&text);
    int rc = tr_note_checkpoint_format(origin, size, root, &text, err);
    if (rc == TR_OK) {
        rc = tr_note_sign(text.data, text.len, origin, seed, out, err);
    }
    if (rc == TR_OK) {
        rc = tr_note_checkpoint_open(out->data, out->len, origin, v, 1, &back, err);
    }
    if (rc == TR_OK && (back.size != size || memcmp(back.root, root, HASH_LEN) != 0)) {
        rc = tr_error_set(err, TR_EVERIFY, "the signed checkpoint does not state what was signed");
    }
    tr_buf_release(&text);
    return rc;
}

static int store_checkpoint(struct tr_db *db, uint64_t size, const unsigned char root[HASH_LEN],
                            const struct tr_buf *note, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    char now[TR_LOG_TIME_LEN + 1];
    int rc = now_utc(now, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = tr_db_prepare(db,
                       "INSERT INTO checkpoint (tree_size, root, note, created_at)\n"
                       "    VALUES (:size, :root, :note, :created_at)",
                       &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_int(st, ":size", (int64_t)size);
    tr_db_bind_blob(st, ":root", root, HASH_LEN);
    tr_db_bind_text(st, ":note", note->data, note->len);
    tr_db_bind_str(st, ":created_at", now);
    rc = tr_db_step(st, NULL, err);
out:
    return tr_db_finalize(st, rc, err);
}

int tr_log_checkpoint(struct tr_db *db, const unsigned char seed[TR_ED25519_SEED_LEN],
                      struct tr_buf *note, struct tr_error *err)
{
    struct tr_note_verifier v;
    struct stored_checkpoint prev;
    struct tr_buf signed_note;
    unsigned char pub[TR_ED25519_PUBLIC_LEN], root[HASH_LEN];
    uint64_t size = 0;
    int began = 0;
    tr_buf_init(&signed_note);
    tr_buf_init(&prev.note);

    int rc = tr_log_operator_verifier(db, &v, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (tr_ed25519_public(seed, pub) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "cannot derive the public key of the signing key");
        goto out;
    }
    if (memcmp(pub, v.public_key, sizeof pub) != 0) {
        rc = tr_error_set(err, TR_EPERM, "the signing key is not the operator key of store '%s'",
                          tr_db_path(db));
        goto out;
    }
    rc = tr_db_begin(db, err);
    if (rc != TR_OK) {
        goto out;
    }
    began = 1;
    rc = tr_log_size(db, &size, err);
    if (rc == TR_OK) {
        rc = tr_log_root(db, size, root, err);
    }
    if (rc == TR_OK) {
        rc = latest_stored(db, &v, &prev, err);
    }
    if (rc == TR_OK && prev.found) {
        rc = check_extends(db, &prev, size, root, err);
    }
    if (rc != TR_OK) {
        goto out;
    }
    if (prev.found && prev.size == size) {
        if (tr_buf_add(&signed_note, prev.note.data, prev.note.len) != TR_OK) {
            rc = tr_error_set(err, signed_note.err, "out of memory");
        }
    } else {
        rc = sign_checkpoint(tr_db_origin(db), size, root, seed, &v, &signed_note, err);
        if (rc == TR_OK) {
            rc = store_checkpoint(db, size, root, &signed_note, err);
        }
    }
out:
    if (began) {
        rc = end_savepoint(db, rc, err);
    }
    if (rc == TR_OK && note != NULL &&
        tr_buf_add(note, signed_note.data, signed_note.len) != TR_OK) {
        rc = tr_error_set(err, note->err, "the checkpoint does not fit its buffer");
    }
    tr_buf_release(&signed_note);
    tr_buf_release(&prev.note);
    return rc;
}

int tr_log_latest_checkpoint(struct tr_db *db, struct tr_buf *note, uint64_t *size,
                             unsigned char root[HASH_LEN], struct tr_error *err)
{
    struct stored_checkpoint cp;
    tr_buf_init(&cp.note);
    int rc = latest_stored(db, NULL, &cp, err);
    if (rc == TR_OK && !cp.found) {
        rc = tr_error_set(err, TR_ENOTFOUND, "the log has no checkpoint yet");
    }
    if (rc == TR_OK && note != NULL && tr_buf_add(note, cp.note.data, cp.note.len) != TR_OK) {
        rc = tr_error_set(err, note->err, "the checkpoint does not fit its buffer");
    }
    if (rc == TR_OK && size != NULL) {
        *size = cp.size;
    }
    if (rc == TR_OK && root != NULL) {
        memcpy(root, cp.root, HASH_LEN);
    }
    tr_buf_release(&cp.note);
    return rc;
}

/* ---- The client's check ---- */

int tr_log_check_checkpoint_update(uint64_t old_size, const unsigned char old_root[HASH_LEN],
                                   const char *note, size_t len,
                                   const struct tr_note_verifier *vkey, const char *origin,
                                   const unsigned char (*proof)[HASH_LEN], size_t proof_len,
                                   struct tr_note_checkpoint *out, struct tr_error *err)
{
    struct tr_note_checkpoint cp;
    unsigned char empty[HASH_LEN];
    int rc = TR_OK;
    if (old_root == NULL || note == NULL || vkey == NULL || origin == NULL) {
        return tr_error_set(err, TR_EINVAL,
                            "tr_log_check_checkpoint_update: no old root, note, key or origin");
    }
    rc = tr_note_checkpoint_open(note, len, origin, vkey, 1, &cp, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (cp.size < old_size) {
        return tr_error_set(err, TR_EVERIFY,
                            "checkpoint size %" PRIu64 " is smaller than the size %" PRIu64
                            " already seen",
                            cp.size, old_size);
    }
    if (cp.size == old_size && memcmp(cp.root, old_root, HASH_LEN) != 0) {
        return tr_error_set(
            err, TR_EVERIFY,
            "checkpoint of size %" PRIu64 " has another root than the one already seen", cp.size);
    }
    if (old_size == 0) {
        if (tr_sha256("", 0, empty) != TR_OK) {
            return tr_error_set(err, TR_ECRYPTO, "sha-256 failed");
        }
        if (memcmp(old_root, empty, HASH_LEN) != 0) {
            return tr_error_set(err, TR_EINVAL, "the root of the empty tree is SHA-256(\"\")");
        }
        if (proof_len != 0) {
            return tr_error_set(err, TR_EVERIFY,
                                "a consistency proof from the empty tree must be empty");
        }
    } else {
        rc = tr_merkle_verify_consistency(old_size, cp.size, proof, proof_len, old_root, cp.root,
                                          err);
        if (rc == TR_EVERIFY) {
            tr_error_prefix(err,
                            "checkpoint of size %" PRIu64
                            " is not consistent with the size %" PRIu64 " already seen",
                            cp.size, old_size);
        }
        if (rc != TR_OK) {
            return rc;
        }
    }
    if (out != NULL) {
        *out = cp;
    }
    return TR_OK;
}
