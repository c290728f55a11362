/*
 * check_audit.c — the audit: a clean store audits clean; each way of tampering with a store
 * (a body byte, a stored hash at any level, a checkpoint's root or note, a deleted entry,
 * two swapped bodies, a forged row far beyond the log, a cut file) is found with its code at
 * the right leaf, node or tree size, and an erased body is a notice, not a problem.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

#define HL TR_MERKLE_HASH_LEN
#define ORIGIN "talentreg.example/audit"
#define MAX_FOUND 64

static char dir[TEST_PATH_MAX];
static char path[TEST_PATH_MAX];

static const unsigned char operator_seed[TR_ED25519_SEED_LEN] = {
    0x61, 0x75, 0x64, 0x69, 0x74, 0x20, 0x6f, 0x70, 0x65, 0x72, 0x61, 0x74, 0x6f, 0x72, 0x20, 0x73,
    0x65, 0x65, 0x64, 0x20, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62};

static void setup(void)
{
    test_store_dir("check_audit", dir, path);
}

static void teardown(void)
{
    test_store_remove(dir, path);
}

/* What the audit reported, in order. */
struct found {
    size_t n;
    struct tr_audit_finding f[MAX_FOUND];
};

static int collect(void *ctx, const struct tr_audit_finding *f, struct tr_error *err)
{
    struct found *list = ctx;
    (void)err;
    ck_assert_uint_lt(list->n, MAX_FOUND);
    list->f[list->n++] = *f;
    return TR_OK;
}

static void exec_ok(struct tr_db *db, const char *sql)
{
    struct tr_error err = {0};
    int rc = tr_db_exec(db, sql, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

/* The body of test record n, canonical, with a proof member; id = hash without it. */
static void record_body(unsigned n, char body[64], char id[TR_LOG_RECORD_ID_LEN + 1])
{
    char bare[32];
    unsigned char h[HL];
    snprintf(body, 64, "{\"n\":%u,\"proof\":{\"p\":\"x\"}}", n);
    snprintf(bare, sizeof bare, "{\"n\":%u}", n);
    ck_assert_int_eq(tr_sha256(bare, strlen(bare), h), TR_OK);
    memcpy(id, test_hex(h, HL), TR_LOG_RECORD_ID_LEN + 1);
}

static void append_raw(struct tr_db *db, const char *id, const char *body)
{
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    int rc = tr_log_append(db, id, body, strlen(body), NULL, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
}

static void append_records(struct tr_db *db, unsigned from, unsigned to)
{
    for (unsigned n = from; n < to; n++) {
        char body[64], id[TR_LOG_RECORD_ID_LEN + 1];
        record_body(n, body, id);
        append_raw(db, id, body);
    }
}

static void checkpoint(struct tr_db *db)
{
    struct tr_error err = {0};
    int rc = tr_log_checkpoint(db, operator_seed, NULL, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

/* A store of n records with checkpoints at sizes 5 (when n > 5) and n. */
static struct tr_db *make_store(unsigned n)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    int rc = tr_db_create(path, ORIGIN, &db, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_ed25519_public(operator_seed, pub), TR_OK);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, NULL), TR_OK);
    append_records(db, 0, n < 5 ? n : 5);
    if (n > 5) {
        checkpoint(db);
        append_records(db, 5, n);
    }
    checkpoint(db);
    return db;
}

static void close_store(struct tr_db *db)
{
    struct tr_error err = {0};
    int rc = tr_db_close(db, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

/* Audit db, asserting that the audit itself ran; findings into list. */
static struct tr_audit_summary audit(struct tr_db *db, struct found *list)
{
    struct tr_audit_options opts = {.on_finding = collect, .finding_ctx = list, .skip_records = 1};
    struct tr_audit_summary sum;
    struct tr_error err = {0};
    list->n = 0;
    int rc = tr_audit_run(db, &opts, &sum, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_uint_eq(sum.errors + sum.notices, list->n);
    return sum;
}

/* Finding i is code about subject at a (leaf, tree size or level) and b (count or index). */
static void expect(const struct found *list, size_t i, enum tr_audit_code code,
                   enum tr_audit_subject subject, uint64_t a, uint64_t b, const char *detail)
{
    ck_assert_uint_lt(i, list->n);
    const struct tr_audit_finding *f = &list->f[i];
    ck_assert_str_eq(tr_audit_code_name(f->code), tr_audit_code_name(code));
    ck_assert_int_eq(f->subject, subject);
    if (subject == TR_AUDIT_AT_NODE) {
        ck_assert_uint_eq(f->level, a);
        ck_assert_uint_eq(f->index, b);
    } else {
        ck_assert_uint_eq(f->leaf, a);
        ck_assert_uint_eq(f->count, b);
    }
    if (detail != NULL) {
        ck_assert_str_eq(f->detail, detail);
    }
}

/* The first 8 bytes of h in hex, followed by "...". */
static const char *short_hex(const unsigned char *h)
{
    static char ring[4][24];
    static int next;
    char *out = ring[next++ % 4];
    snprintf(out, 24, "%.16s...", test_hex(h, HL));
    return out;
}

static void stored_node(struct tr_db *db, unsigned level, uint64_t idx, unsigned char out[HL])
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    size_t len = 0;
    ck_assert_int_eq(
        tr_db_prepare(db, "SELECT hash FROM log_node WHERE level = :l AND idx = :i", &st, NULL),
        TR_OK);
    tr_db_bind_int(st, ":l", level);
    tr_db_bind_int(st, ":i", (int64_t)idx);
    ck_assert_int_eq(tr_db_step(st, &row, NULL), TR_OK);
    ck_assert_int_eq(row, 1);
    memcpy(out, tr_db_column_blob(st, 0, &len), HL);
    ck_assert_uint_eq(len, HL);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, NULL), TR_OK);
}

/* Flip the low bit of byte at of the stored node (level, idx). */
static void flip_node(struct tr_db *db, unsigned level, uint64_t idx)
{
    struct tr_db_stmt *st = NULL;
    unsigned char h[HL];
    stored_node(db, level, idx, h);
    h[0] ^= 1;
    ck_assert_int_eq(
        tr_db_prepare(db, "UPDATE log_node SET hash = :h WHERE level = :l AND idx = :i", &st, NULL),
        TR_OK);
    tr_db_bind_blob(st, ":h", h, HL);
    tr_db_bind_int(st, ":l", level);
    tr_db_bind_int(st, ":i", (int64_t)idx);
    ck_assert_int_eq(tr_db_step(st, NULL, NULL), TR_OK);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, NULL), TR_OK);
}

static void set_body(struct tr_db *db, uint64_t leaf, const char *body)
{
    struct tr_db_stmt *st = NULL;
    ck_assert_int_eq(tr_db_prepare(db, "UPDATE log_entry SET body = :b WHERE leaf = :l", &st, NULL),
                     TR_OK);
    if (body == NULL) {
        tr_db_bind_null(st, ":b");
    } else {
        tr_db_bind_blob(st, ":b", body, strlen(body));
    }
    tr_db_bind_int(st, ":l", (int64_t)leaf);
    ck_assert_int_eq(tr_db_step(st, NULL, NULL), TR_OK);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, NULL), TR_OK);
    ck_assert_int_eq(tr_db_changes(db), 1);
}

static const char *leaf_hash_hex(const char *body)
{
    unsigned char h[HL];
    ck_assert_int_eq(tr_merkle_leaf_hash(body, strlen(body), h), TR_OK);
    return short_hex(h);
}

START_TEST(clean_store_audits_clean)
{
    struct tr_db *db = make_store(12);
    struct found list;
    struct tr_audit_summary sum = audit(db, &list);
    ck_assert_uint_eq(list.n, 0);
    ck_assert_uint_eq(sum.tree_size, 12);
    ck_assert_uint_eq(sum.leaves, 12);
    ck_assert_uint_eq(sum.erased, 0);
    ck_assert_uint_eq(sum.nodes, 12 + 6 + 3 + 1);
    ck_assert_uint_eq(sum.checkpoints, 2);
    ck_assert_uint_eq(sum.errors, 0);
    close_store(db);
}
END_TEST

START_TEST(empty_store_audits_clean)
{
    struct tr_db *db = make_store(0);
    struct found list;
    struct tr_audit_summary sum = audit(db, &list);
    ck_assert_uint_eq(list.n, 0);
    ck_assert_uint_eq(sum.tree_size, 0);
    ck_assert_uint_eq(sum.checkpoints, 1);
    close_store(db);
}
END_TEST

START_TEST(every_size_of_a_growing_log_audits_clean)
{
    struct tr_db *db = make_store(0);
    struct found list;
    for (unsigned n = 1; n <= 33; n++) {
        append_records(db, n - 1, n);
        if (n % 3 == 0) {
            checkpoint(db);
        }
        struct tr_audit_summary sum = audit(db, &list);
        ck_assert_msg(list.n == 0, "size %u: %s: %s", n, tr_audit_code_name(list.f[0].code),
                      list.f[0].detail);
        ck_assert_uint_eq(sum.tree_size, n);
        ck_assert_uint_eq(sum.checkpoints, 1 + n / 3);
    }
    close_store(db);
}
END_TEST

START_TEST(changed_body_byte_is_a_leaf_hash_mismatch)
{
    struct tr_db *db = make_store(12);
    struct found list;
    char body[64], id[TR_LOG_RECORD_ID_LEN + 1], want[256];
    unsigned char stored[HL];
    /* One byte inside the proof: the record id stays right, the leaf hash does not. */
    record_body(7, body, id);
    char *x = strstr(body, "\"x\"");
    x[1] = 'y';
    set_body(db, 7, body);
    stored_node(db, 0, 7, stored);
    audit(db, &list);
    ck_assert_uint_eq(list.n, 1);
    snprintf(want, sizeof want, "the body hashes to %s, the stored leaf hash is %s",
             leaf_hash_hex(body), short_hex(stored));
    expect(&list, 0, TR_AUDIT_LEAF_HASH_MISMATCH, TR_AUDIT_AT_LEAF, 7, 1, want);
    ck_assert_str_eq(list.f[0].record_id, id);

    /* A byte of the statement itself: the record id no longer matches either. */
    record_body(7, body, id);
    body[5] = '8'; /* {"n":8,... */
    set_body(db, 7, body);
    audit(db, &list);
    ck_assert_uint_eq(list.n, 2);
    expect(&list, 0, TR_AUDIT_LEAF_HASH_MISMATCH, TR_AUDIT_AT_LEAF, 7, 1, NULL);
    record_body(8, body, id);
    snprintf(want, sizeof want, "the body's record id is %s", id);
    expect(&list, 1, TR_AUDIT_RECORD_ID_MISMATCH, TR_AUDIT_AT_LEAF, 7, 1, want);
    close_store(db);
}
END_TEST

START_TEST(changed_leaf_hash_is_found_at_its_leaf_and_parent)
{
    struct tr_db *db = make_store(12);
    struct found list;
    unsigned char h[HL];
    char body[64], id[TR_LOG_RECORD_ID_LEN + 1], want[256], children[HL];
    flip_node(db, 0, 6);
    stored_node(db, 0, 6, h);
    record_body(6, body, id);
    audit(db, &list);
    ck_assert_uint_eq(list.n, 2);
    snprintf(want, sizeof want, "the body hashes to %s, the stored leaf hash is %s",
             leaf_hash_hex(body), short_hex(h));
    expect(&list, 0, TR_AUDIT_LEAF_HASH_MISMATCH, TR_AUDIT_AT_LEAF, 6, 1, want);
    /* Node 1/3 = H(leaf 6, leaf 7) no longer matches the tampered child. */
    unsigned char l7[HL], parent[HL];
    stored_node(db, 0, 7, l7);
    stored_node(db, 1, 3, parent);
    ck_assert_int_eq(tr_merkle_node_hash(h, l7, (unsigned char *)children), TR_OK);
    snprintf(want, sizeof want, "the stored hash %s is not the hash of its children %s",
             short_hex(parent), short_hex((unsigned char *)children));
    expect(&list, 1, TR_AUDIT_NODE_MISMATCH, TR_AUDIT_AT_NODE, 1, 3, want);
    close_store(db);
}
END_TEST

START_TEST(changed_interior_node_is_found_with_its_parent)
{
    struct tr_db *db = make_store(12);
    struct found list;
    /* Node 2/0 covers leaves 0..3; its parent 3/0 covers 0..7. The checkpoint of size 5
     * reads 2/0 as a digit of its root; the one of size 12 reads 3/0. The consistency proof
     * from 5 to 12, read from the stored nodes, holds the changed 2/0. */
    flip_node(db, 2, 0);
    audit(db, &list);
    ck_assert_uint_eq(list.n, 4);
    expect(&list, 0, TR_AUDIT_NODE_MISMATCH, TR_AUDIT_AT_NODE, 2, 0, NULL);
    expect(&list, 1, TR_AUDIT_CHECKPOINT_ROOT_MISMATCH, TR_AUDIT_AT_CHECKPOINT, 5, 0, NULL);
    expect(&list, 2, TR_AUDIT_NODE_MISMATCH, TR_AUDIT_AT_NODE, 3, 0, NULL);
    expect(&list, 3, TR_AUDIT_CHECKPOINT_INCONSISTENT, TR_AUDIT_AT_CHECKPOINT, 12, 0,
           "not consistent with the checkpoint of size 5: consistency proof does not lead to "
           "the root of tree size 5");
    close_store(db);
}
END_TEST

START_TEST(changed_checkpoint_root_and_note_are_found)
{
    struct tr_db *db = make_store(12);
    struct found list;
    exec_ok(db, "UPDATE checkpoint SET root = zeroblob(32) WHERE tree_size = 12");
    audit(db, &list);
    ck_assert_uint_eq(list.n, 1);
    expect(&list, 0, TR_AUDIT_CHECKPOINT_ROW_MISMATCH, TR_AUDIT_AT_CHECKPOINT, 12, 0,
           "its note states tree size 12 and another root or size");

    /* The first character of the note's root line: the signature no longer verifies. */
    exec_ok(db, "UPDATE checkpoint SET note = substr(note, 1, 26)\n"
                "    || (CASE substr(note, 27, 1) WHEN 'A' THEN 'B' ELSE 'A' END)\n"
                "    || substr(note, 28) WHERE tree_size = 5");
    audit(db, &list);
    ck_assert_uint_eq(list.n, 2);
    expect(&list, 0, TR_AUDIT_CHECKPOINT_SIGNATURE, TR_AUDIT_AT_CHECKPOINT, 5, 0, NULL);
    ck_assert_ptr_nonnull(strstr(list.f[0].detail, "does not verify"));
    expect(&list, 1, TR_AUDIT_CHECKPOINT_ROW_MISMATCH, TR_AUDIT_AT_CHECKPOINT, 12, 0, NULL);
    close_store(db);
}
END_TEST

START_TEST(checkpoint_of_another_tree_is_inconsistent)
{
    struct tr_db *db = make_store(12);
    struct found list;
    struct tr_buf text, note;
    struct tr_db_stmt *st = NULL;
    unsigned char root[HL];
    tr_buf_init(&text);
    tr_buf_init(&note);
    /* The operator key signs a checkpoint of size 8 with a root of another tree. */
    memset(root, 0x5a, HL);
    ck_assert_int_eq(tr_note_checkpoint_format(ORIGIN, 8, root, &text, NULL), TR_OK);
    ck_assert_int_eq(tr_note_sign(text.data, text.len, ORIGIN, operator_seed, &note, NULL), TR_OK);
    ck_assert_int_eq(tr_db_prepare(db,
                                   "INSERT INTO checkpoint (tree_size, root, note, created_at)\n"
                                   "    VALUES (8, :root, :note, '2026-01-01T00:00:00Z')",
                                   &st, NULL),
                     TR_OK);
    tr_db_bind_blob(st, ":root", root, HL);
    tr_db_bind_str(st, ":note", note.data);
    ck_assert_int_eq(tr_db_step(st, NULL, NULL), TR_OK);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, NULL), TR_OK);
    audit(db, &list);
    ck_assert_uint_eq(list.n, 3);
    expect(&list, 0, TR_AUDIT_CHECKPOINT_ROOT_MISMATCH, TR_AUDIT_AT_CHECKPOINT, 8, 0, NULL);
    expect(&list, 1, TR_AUDIT_CHECKPOINT_INCONSISTENT, TR_AUDIT_AT_CHECKPOINT, 8, 0, NULL);
    ck_assert_ptr_nonnull(strstr(list.f[1].detail, "with the checkpoint of size 5: "));
    expect(&list, 2, TR_AUDIT_CHECKPOINT_INCONSISTENT, TR_AUDIT_AT_CHECKPOINT, 12, 0, NULL);
    tr_buf_release(&text);
    tr_buf_release(&note);
    close_store(db);
}
END_TEST

START_TEST(deleted_entry_is_a_missing_leaf)
{
    struct tr_db *db = make_store(12);
    struct found list;
    exec_ok(db, "DELETE FROM log_entry WHERE leaf = 4");
    struct tr_audit_summary sum = audit(db, &list);
    ck_assert_uint_eq(list.n, 1);
    expect(&list, 0, TR_AUDIT_MISSING_LEAF, TR_AUDIT_AT_LEAF, 4, 1,
           "leaf 4 has a stored hash but no entry");
    ck_assert_uint_eq(sum.leaves, 11);

    /* The last leaf gone with its hash: the checkpoint of size 12 still names it. */
    exec_ok(db, "DELETE FROM log_entry WHERE leaf = 11; DELETE FROM log_node WHERE level = 0 AND "
                "idx = 11");
    sum = audit(db, &list);
    ck_assert_uint_eq(sum.tree_size, 12);
    ck_assert_uint_eq(list.n, 2);
    expect(&list, 0, TR_AUDIT_MISSING_LEAF, TR_AUDIT_AT_LEAF, 4, 1, NULL);
    expect(&list, 1, TR_AUDIT_MISSING_LEAF, TR_AUDIT_AT_LEAF, 11, 1,
           "leaf 11 has neither an entry nor a stored hash");
    close_store(db);
}
END_TEST

START_TEST(missing_node_is_named)
{
    struct tr_db *db = make_store(12);
    struct found list;
    exec_ok(db, "DELETE FROM log_node WHERE level = 1 AND idx = 2");
    audit(db, &list);
    ck_assert_uint_eq(list.n, 1);
    expect(&list, 0, TR_AUDIT_MISSING_NODE, TR_AUDIT_AT_NODE, 1, 2,
           "the hash of leaves 4 to 5 is not stored");
    close_store(db);
}
END_TEST

START_TEST(swapped_bodies_are_found_at_both_leaves)
{
    struct tr_db *db = make_store(12);
    struct found list;
    char b2[64], b9[64], id[TR_LOG_RECORD_ID_LEN + 1];
    record_body(2, b2, id);
    record_body(9, b9, id);
    set_body(db, 2, b9);
    set_body(db, 9, b2);
    audit(db, &list);
    ck_assert_uint_eq(list.n, 4);
    expect(&list, 0, TR_AUDIT_LEAF_HASH_MISMATCH, TR_AUDIT_AT_LEAF, 2, 1, NULL);
    expect(&list, 1, TR_AUDIT_RECORD_ID_MISMATCH, TR_AUDIT_AT_LEAF, 2, 1, NULL);
    expect(&list, 2, TR_AUDIT_LEAF_HASH_MISMATCH, TR_AUDIT_AT_LEAF, 9, 1, NULL);
    expect(&list, 3, TR_AUDIT_RECORD_ID_MISMATCH, TR_AUDIT_AT_LEAF, 9, 1, NULL);
    close_store(db);
}
END_TEST

START_TEST(erased_body_is_a_notice)
{
    struct tr_db *db = make_store(12);
    struct found list;
    set_body(db, 3, NULL);
    struct tr_audit_summary sum = audit(db, &list);
    ck_assert_uint_eq(list.n, 1);
    expect(&list, 0, TR_AUDIT_BODY_ERASED, TR_AUDIT_AT_LEAF, 3, 1,
           "the body was erased; its leaf hash stays");
    ck_assert_int_eq(list.f[0].notice, 1);
    ck_assert_uint_eq(sum.errors, 0);
    ck_assert_uint_eq(sum.notices, 1);
    ck_assert_uint_eq(sum.erased, 1);
    close_store(db);
}
END_TEST

START_TEST(malformed_bodies_are_named)
{
    struct tr_db *db = make_store(0);
    struct found list;
    char id[TR_LOG_RECORD_ID_LEN + 1];
    char body[64];
    record_body(1, body, id);
    append_raw(db, id, "{\"proof\":1, \"n\":1}");
    append_raw(db, id, "[1]");
    append_raw(db, id, "{\"n\":");
    audit(db, &list);
    ck_assert_uint_eq(list.n, 3);
    expect(&list, 0, TR_AUDIT_BODY_MALFORMED, TR_AUDIT_AT_LEAF, 0, 1,
           "the body is not in RFC 8785 canonical form");
    expect(&list, 1, TR_AUDIT_BODY_MALFORMED, TR_AUDIT_AT_LEAF, 1, 1,
           "the body is a JSON array, not an object");
    expect(&list, 2, TR_AUDIT_BODY_MALFORMED, TR_AUDIT_AT_LEAF, 2, 1, NULL);
    ck_assert_ptr_nonnull(strstr(list.f[2].detail, "the body is not JSON: 'body' line 1"));
    close_store(db);
}
END_TEST

START_TEST(forged_row_far_beyond_the_log_is_one_finding)
{
    struct tr_db *db = make_store(12);
    struct found list;
    char sql[256];
    char body[64], id[TR_LOG_RECORD_ID_LEN + 1];
    record_body(3, body, id);
    snprintf(sql, sizeof sql,
             "INSERT INTO log_entry (leaf, record_id, body, logged_at)\n"
             "    VALUES (4611686018427387904, '%s', NULL, '2026-01-01T00:00:00Z')",
             id);
    exec_ok(db, sql);
    exec_ok(db, "INSERT INTO log_node (level, idx, hash) VALUES (5, 1000, zeroblob(32))");
    struct tr_audit_summary sum = audit(db, &list);
    ck_assert_uint_eq(sum.tree_size, 4611686018427387905ull);
    /* Node 5/1000 lies under the missing leaves, where nothing can be checked. */
    ck_assert_uint_eq(list.n, 3);
    expect(&list, 0, TR_AUDIT_MISSING_LEAF, TR_AUDIT_AT_LEAF, 12, 4611686018427387904ull - 12,
           "leaves 12 to 4611686018427387903 have neither entries nor stored hashes");
    expect(&list, 1, TR_AUDIT_MISSING_NODE, TR_AUDIT_AT_NODE, 0, 4611686018427387904ull,
           "the hash of leaf 4611686018427387904 is not stored");
    expect(&list, 2, TR_AUDIT_BODY_ERASED, TR_AUDIT_AT_LEAF, 4611686018427387904ull, 1, NULL);
    close_store(db);
}
END_TEST

START_TEST(extra_node_beyond_the_tree)
{
    struct tr_db *db = make_store(12);
    struct found list;
    exec_ok(db, "INSERT INTO log_node (level, idx, hash) VALUES (2, 3, zeroblob(32))");
    audit(db, &list);
    ck_assert_uint_eq(list.n, 1);
    expect(&list, 0, TR_AUDIT_EXTRA_NODE, TR_AUDIT_AT_NODE, 2, 3,
           "a node beyond the tree of size 12");
    close_store(db);
}
END_TEST

START_TEST(missing_operator_key_fails_every_checkpoint)
{
    struct tr_db *db = make_store(6);
    struct found list;
    char want[256];
    exec_ok(db, "DELETE FROM meta WHERE key = 'operator_key'");
    audit(db, &list);
    ck_assert_uint_eq(list.n, 2);
    snprintf(want, sizeof want, "store '%s' has no operator key", path);
    expect(&list, 0, TR_AUDIT_CHECKPOINT_SIGNATURE, TR_AUDIT_AT_CHECKPOINT, 5, 0, want);
    expect(&list, 1, TR_AUDIT_CHECKPOINT_SIGNATURE, TR_AUDIT_AT_CHECKPOINT, 6, 0, want);
    close_store(db);
}
END_TEST

START_TEST(cut_store_file_is_a_clean_error)
{
    struct tr_db *db = make_store(200);
    struct tr_error err = {0};
    struct stat sb;
    close_store(db);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(truncate(path, sb.st_size / 2), 0);
    db = NULL;
    int rc = tr_db_open(path, TR_DB_READONLY, &db, &err);
    if (rc == TR_OK) {
        struct found list = {0};
        struct tr_audit_options opts = {
            .on_finding = collect, .finding_ctx = &list, .skip_records = 1};
        struct tr_audit_summary sum;
        rc = tr_audit_run(db, &opts, &sum, &err);
        ck_assert_uint_ge(list.n, 1);
        expect(&list, 0, TR_AUDIT_STORE_DAMAGED, TR_AUDIT_AT_STORE, 0, 0, NULL);
        tr_db_close(db, NULL);
    }
    ck_assert_int_eq(rc, TR_EDB);
    ck_assert_ptr_nonnull(strstr(err.msg, "is damaged"));
}
END_TEST

static int stop_at_first(void *ctx, const struct tr_audit_finding *f, struct tr_error *err)
{
    (void)ctx;
    return tr_error_set(err, TR_EIO, "stopped at %s", tr_audit_code_name(f->code));
}

START_TEST(callback_can_stop_the_audit)
{
    struct tr_db *db = make_store(12);
    struct tr_audit_options opts = {.on_finding = stop_at_first, .skip_records = 1};
    struct tr_audit_summary sum;
    struct tr_error err = {0};
    exec_ok(db, "DELETE FROM log_entry WHERE leaf = 4");
    ck_assert_int_eq(tr_audit_run(db, &opts, &sum, &err), TR_EIO);
    ck_assert_str_eq(err.msg, "stopped at missing-leaf");
    ck_assert_int_eq(tr_db_in_transaction(db), 0);
    close_store(db);
}
END_TEST

START_TEST(codes_are_stable)
{
    ck_assert_str_eq(tr_audit_code_name(TR_AUDIT_STORE_DAMAGED), "store-damaged");
    ck_assert_str_eq(tr_audit_code_name(TR_AUDIT_LEAF_HASH_MISMATCH), "leaf-hash-mismatch");
    ck_assert_str_eq(tr_audit_code_name(TR_AUDIT_CHECKPOINT_INCONSISTENT),
                     "checkpoint-inconsistent");
    ck_assert_str_eq(tr_audit_code_name(TR_AUDIT_TRUST_MISMATCH), "trust-mismatch");
    ck_assert_str_eq(tr_audit_code_name((enum tr_audit_code)TR_AUDIT_CODE_COUNT), "unknown");
}
END_TEST

/* ---- Records and the trust index ---- */

/* Sign doc with the did:key vector seed n (0: the university, 1: the enterprise). */
static void sign_org(struct tr_json *doc, unsigned n)
{
    unsigned char seed[TR_ED25519_SEED_LEN] = {0};
    struct tr_proof_sign_options opts = {.created = "2026-01-05T08:00:00Z"};
    seed[TR_ED25519_SEED_LEN - 1] = (unsigned char)n;
    ck_assert_int_eq(tr_proof_sign(doc, seed, &opts, NULL), TR_OK);
}

static void submit_ok(struct tr_db *db, struct tr_json *doc)
{
    struct tr_submit_result r;
    struct tr_error err = {0};
    memset(&r, 0, sizeof r);
    tr_verify_verdict_init(&r.verdict);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    int rc = tr_submit_credential(db, doc, &r, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_msg(r.status == TR_SUBMIT_STORED || r.status == TR_SUBMIT_MERGED, "status %d: %s",
                  r.status, r.verdict.nreasons > 0 ? r.verdict.reasons[0].detail : "");
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    tr_submit_result_release(&r);
    tr_json_free(doc);
}

/*
 * A registry: the university (leaf 0) and the enterprise (1), registered by the operator;
 * a credit of the university (2); a dual appointment signed by both (3); a checkpoint of 4.
 */
static struct tr_db *make_registry(void)
{
    struct tr_db *db = make_store(0);
    struct tr_proof_sign_options opts = {.created = "2026-01-05T08:00:00Z"};
    struct tr_json *org = test_json("tests/bundle/org-university.json");
    ck_assert_int_eq(tr_proof_sign(org, operator_seed, &opts, NULL), TR_OK);
    submit_ok(db, org);
    org = test_json("tests/bundle/org-enterprise.json");
    ck_assert_int_eq(tr_proof_sign(org, operator_seed, &opts, NULL), TR_OK);
    submit_ok(db, org);
    struct tr_json *credit = test_json("tests/bundle/credit.json");
    sign_org(credit, 0);
    submit_ok(db, credit);
    struct tr_json *dual = test_json("tests/bundle/dual-appointment.json");
    sign_org(dual, 0);
    sign_org(dual, 1);
    submit_ok(db, dual);
    checkpoint(db);
    return db;
}

/* Audit records and trust too, judging records in two worker threads; findings into list. */
static struct tr_audit_summary audit_all(struct tr_db *db, struct found *list)
{
    struct tr_audit_options opts = {.on_finding = collect, .finding_ctx = list, .threads = 2};
    struct tr_audit_summary sum;
    struct tr_error err = {0};
    list->n = 0;
    int rc = tr_audit_run(db, &opts, &sum, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    return sum;
}

START_TEST(registry_audits_clean_with_its_records)
{
    struct tr_db *db = make_registry();
    struct found list;
    struct tr_audit_summary sum = audit_all(db, &list);
    ck_assert_msg(list.n == 0, "%s: %s", tr_audit_code_name(list.f[0].code), list.f[0].detail);
    ck_assert_uint_eq(sum.tree_size, 4);
    ck_assert_uint_eq(sum.records, 4);
    ck_assert_uint_eq(sum.checkpoints, 2);
    close_store(db);
}
END_TEST

START_TEST(record_that_never_counted_is_found)
{
    struct tr_db *db = make_registry();
    struct found list;
    struct tr_buf body;
    char id[TR_LOG_RECORD_ID_LEN + 1];
    /* A credit signed by a key nobody registered, appended around the verifier. */
    struct tr_json *credit = test_json("tests/bundle/credit.json");
    tr_json_object_set(tr_json_object_get(credit, "credentialSubject"), "points",
                       tr_json_new_number(9));
    sign_org(credit, 7);
    tr_buf_init(&body);
    ck_assert_int_eq(tr_jcs_serialize(credit, &body, NULL), TR_OK);
    ck_assert_int_eq(tr_verify_record_id(credit, id, NULL), TR_OK);
    append_raw(db, id, body.data);
    audit_all(db, &list);
    ck_assert_uint_eq(list.n, 2);
    expect(&list, 0, TR_AUDIT_RECORD_DOES_NOT_VERIFY, TR_AUDIT_AT_LEAF, 4, 1, NULL);
    ck_assert_ptr_nonnull(strstr(list.f[0].detail, "unknown-key: "));
    ck_assert_str_eq(list.f[0].record_id, id);
    ck_assert_int_eq(list.f[1].code, TR_AUDIT_TRUST_MISMATCH);
    ck_assert_int_eq(list.f[1].subject, TR_AUDIT_AT_TABLE);
    ck_assert_str_eq(list.f[1].table, "record");
    char want[256];
    snprintf(want, sizeof want, "row id = '%s' is missing: the log makes it", id);
    ck_assert_str_eq(list.f[1].detail, want);
    tr_buf_release(&body);
    tr_json_free(credit);
    close_store(db);
}
END_TEST

START_TEST(changed_trust_tables_are_found)
{
    struct tr_db *db = make_registry();
    struct found list;
    /* The enterprise's key moved to the university; the university allowed Evaluation. */
    exec_ok(db,
            "UPDATE trust_key SET uscc = '12350100488101234T' WHERE uscc = '91350900MA2Y8K3Q1U'");
    exec_ok(db, "UPDATE trust_org SET permitted = '[\"Evaluation\"]'\n"
                "    WHERE uscc = '12350100488101234T'");
    audit_all(db, &list);
    ck_assert_uint_ge(list.n, 2);
    size_t last = list.n - 1;
    expect(&list, last - 1, TR_AUDIT_TRUST_MISMATCH, TR_AUDIT_AT_TABLE, 0, 0,
           "row uscc = '12350100488101234T' has permitted = '[\"Evaluation\"]', the log says "
           "'[\"Person\",\"DualAppointment\",\"Credit\",\"RecognitionAgreement\","
           "\"CreditRecognition\",\"Contribution\"]'");
    ck_assert_str_eq(list.f[last - 1].table, "trust_org");
    expect(&list, last, TR_AUDIT_TRUST_MISMATCH, TR_AUDIT_AT_TABLE, 0, 0,
           "row pub = 4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29 has "
           "uscc = '12350100488101234T', the log says '91350900MA2Y8K3Q1U'");
    ck_assert_str_eq(list.f[last].table, "trust_key");

    /* A record row dropped: the log still holds the record. */
    exec_ok(db, "PRAGMA foreign_keys = OFF; DELETE FROM record WHERE kind = 'Credit'");
    audit_all(db, &list);
    ck_assert_int_eq(list.f[0].code, TR_AUDIT_RECORD_DOES_NOT_VERIFY);
    close_store(db);
}
END_TEST

START_TEST(records_are_judged_alike_with_and_without_workers)
{
    struct tr_db *db = make_registry();
    struct tr_buf body;
    char id[TR_LOG_RECORD_ID_LEN + 1];
    struct tr_json *credit = test_json("tests/bundle/credit.json");
    sign_org(credit, 7);
    tr_buf_init(&body);
    ck_assert_int_eq(tr_jcs_serialize(credit, &body, NULL), TR_OK);
    ck_assert_int_eq(tr_verify_record_id(credit, id, NULL), TR_OK);
    append_raw(db, id, body.data);
    for (unsigned threads = 0; threads <= 3; threads++) {
        struct found list = {0};
        struct tr_audit_options opts = {
            .on_finding = collect, .finding_ctx = &list, .threads = threads};
        struct tr_audit_summary sum;
        ck_assert_int_eq(tr_audit_run(db, &opts, &sum, NULL), TR_OK);
        ck_assert_uint_eq(sum.records, 5);
        ck_assert_uint_eq(list.n, 2);
        expect(&list, 0, TR_AUDIT_RECORD_DOES_NOT_VERIFY, TR_AUDIT_AT_LEAF, 4, 1, NULL);
    }
    tr_buf_release(&body);
    tr_json_free(credit);
    close_store(db);
}
END_TEST

START_TEST(erased_record_is_not_a_trust_mismatch)
{
    struct tr_db *db = make_registry();
    struct found list;
    set_body(db, 2, NULL);
    struct tr_audit_summary sum = audit_all(db, &list);
    ck_assert_uint_eq(list.n, 1);
    expect(&list, 0, TR_AUDIT_BODY_ERASED, TR_AUDIT_AT_LEAF, 2, 1, NULL);
    ck_assert_uint_eq(sum.errors, 0);
    ck_assert_uint_eq(sum.records, 3);
    close_store(db);
}
END_TEST

Suite *audit_suite(void)
{
    Suite *s = suite_create("audit");
    TCase *tc = tcase_create("audit");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, clean_store_audits_clean);
    tcase_add_test(tc, empty_store_audits_clean);
    tcase_add_test(tc, every_size_of_a_growing_log_audits_clean);
    tcase_add_test(tc, changed_body_byte_is_a_leaf_hash_mismatch);
    tcase_add_test(tc, changed_leaf_hash_is_found_at_its_leaf_and_parent);
    tcase_add_test(tc, changed_interior_node_is_found_with_its_parent);
    tcase_add_test(tc, changed_checkpoint_root_and_note_are_found);
    tcase_add_test(tc, checkpoint_of_another_tree_is_inconsistent);
    tcase_add_test(tc, deleted_entry_is_a_missing_leaf);
    tcase_add_test(tc, missing_node_is_named);
    tcase_add_test(tc, swapped_bodies_are_found_at_both_leaves);
    tcase_add_test(tc, erased_body_is_a_notice);
    tcase_add_test(tc, malformed_bodies_are_named);
    tcase_add_test(tc, forged_row_far_beyond_the_log_is_one_finding);
    tcase_add_test(tc, extra_node_beyond_the_tree);
    tcase_add_test(tc, missing_operator_key_fails_every_checkpoint);
    tcase_add_test(tc, cut_store_file_is_a_clean_error);
    tcase_add_test(tc, callback_can_stop_the_audit);
    tcase_add_test(tc, codes_are_stable);
    tcase_add_test(tc, registry_audits_clean_with_its_records);
    tcase_add_test(tc, record_that_never_counted_is_found);
    tcase_add_test(tc, changed_trust_tables_are_found);
    tcase_add_test(tc, records_are_judged_alike_with_and_without_workers);
    tcase_add_test(tc, erased_record_is_not_a_trust_mismatch);
    suite_add_tcase(s, tc);
    return s;
}
