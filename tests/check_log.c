/*
 * check_log.c — the stored log: leaves appended to a real store give the roots, nodes and
 * proofs of tests/vectors/merkle; every proof of a 40-leaf store verifies and equals the
 * in-memory reference (itself checked against the RFC recursion in check_merkle.c);
 * checkpoints reproduce the signed vectors of tests/vectors/signed-note byte for byte and
 * refuse a store or a key that contradicts them; the client's check refuses a rollback and a
 * fork.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

#define MERKLE "tests/vectors/merkle/"
#define NOTES "tests/vectors/signed-note/"
#define HL TR_MERKLE_HASH_LEN
#define ORIGIN "talentreg.example/test"

typedef unsigned char hash_t[HL];

static char dir[64];
static char path[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/check_log.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/talent.db", dir);
}

static void teardown(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    rmdir(dir);
}

static struct tr_db *make_store(const char *origin)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    int rc = tr_db_create(path, origin, &db, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    return db;
}

static void close_store(struct tr_db *db)
{
    struct tr_error err = {0};
    int rc = tr_db_close(db, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

/* Run a fixed statement (test setup and tampering), asserting that it succeeds. */
static void exec_ok(struct tr_db *db, const char *sql)
{
    struct tr_error err = {0};
    int rc = tr_db_exec(db, sql, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

/* The record id of test record n: hex SHA-256 of its decimal number. */
static const char *record_id(unsigned n)
{
    static char ring[4][TR_LOG_RECORD_ID_LEN + 1];
    static int next;
    char *out = ring[next++ % 4];
    char text[16];
    hash_t h;
    snprintf(text, sizeof text, "%u", n);
    ck_assert_int_eq(tr_sha256(text, strlen(text), h), TR_OK);
    memcpy(out, test_hex(h, HL), TR_LOG_RECORD_ID_LEN + 1);
    return out;
}

/* Append body as record n inside its own transaction; returns the leaf index. */
static uint64_t append(struct tr_db *db, unsigned n, const void *body, size_t len)
{
    struct tr_error err = {0};
    uint64_t leaf = UINT64_MAX;
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    int rc = tr_log_append(db, record_id(n), body, len, &leaf, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    return leaf;
}

/* Append leaves [from, to) of the 8 in leaves.json, as records from..to-1. */
static void append_vector_leaves(struct tr_db *db, size_t from, size_t to)
{
    struct tr_json *doc = test_json(MERKLE "leaves.json");
    ck_assert_uint_eq(doc->u.array.len, 8);
    for (size_t i = from; i < to; i++) {
        const char *hex = tr_json_string(doc->u.array.items[i]);
        unsigned char data[64];
        test_unhex(hex, data, strlen(hex) / 2);
        ck_assert_uint_eq(append(db, (unsigned)i, data, strlen(hex) / 2), i);
    }
    tr_json_free(doc);
}

/* Body of synthetic leaf i: 1 to 3 bytes, so leaves of different lengths mix. */
static size_t synthetic_body(size_t i, unsigned char out[3])
{
    out[0] = (unsigned char)i;
    out[1] = 0xa5;
    out[2] = (unsigned char)(i >> 8);
    return 1 + i % 3;
}

static void hex_list(const struct tr_json *arr, hash_t out[TR_MERKLE_MAX_PROOF], size_t *len)
{
    ck_assert_uint_le(arr->u.array.len, TR_MERKLE_MAX_PROOF);
    for (size_t i = 0; i < arr->u.array.len; i++) {
        test_unhex(tr_json_string(arr->u.array.items[i]), out[i], HL);
    }
    *len = arr->u.array.len;
}

static int64_t count_rows(struct tr_db *db, const char *sql)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    ck_assert_int_eq(tr_db_prepare(db, sql, &st, NULL), TR_OK);
    ck_assert_int_eq(tr_db_step(st, &row, NULL), TR_OK);
    ck_assert_int_eq(row, 1);
    int64_t n = tr_db_column_int(st, 0);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, NULL), TR_OK);
    return n;
}

/* A fixed operator seed for the tests, and the one of an impostor. */
static const unsigned char operator_seed[TR_ED25519_SEED_LEN] = {
    0x4c, 0x6f, 0x67, 0x20, 0x6f, 0x70, 0x65, 0x72, 0x61, 0x74, 0x6f, 0x72, 0x20, 0x74, 0x65, 0x73,
    0x74, 0x20, 0x73, 0x65, 0x65, 0x64, 0x20, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38};
static const unsigned char other_seed[TR_ED25519_SEED_LEN] = {1, 2, 3, 4, 5, 6, 7, 8};

static void set_operator(struct tr_db *db, const unsigned char seed[TR_ED25519_SEED_LEN])
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    ck_assert_int_eq(tr_ed25519_public(seed, pub), TR_OK);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, NULL), TR_OK);
}

/* The signed checkpoint (origin, size, root) by seed, as tr_note_sign makes it. */
static void sign_body(const char *origin, uint64_t size, const hash_t root,
                      const unsigned char seed[TR_ED25519_SEED_LEN], struct tr_buf *out)
{
    struct tr_buf text;
    tr_buf_init(&text);
    ck_assert_int_eq(tr_note_checkpoint_format(origin, size, root, &text, NULL), TR_OK);
    ck_assert_int_eq(tr_note_sign(text.data, text.len, origin, seed, out, NULL), TR_OK);
    tr_buf_release(&text);
}

/* Store a checkpoint row directly, as a forger with write access to the file would. */
static void store_row(struct tr_db *db, uint64_t size, const hash_t root, const char *note)
{
    struct tr_db_stmt *st = NULL;
    ck_assert_int_eq(tr_db_prepare(db,
                                   "INSERT INTO checkpoint (tree_size, root, note, created_at)\n"
                                   "    VALUES (:size, :root, :note, '2026-01-01T00:00:00Z')",
                                   &st, NULL),
                     TR_OK);
    tr_db_bind_int(st, ":size", (int64_t)size);
    tr_db_bind_blob(st, ":root", root, HL);
    tr_db_bind_str(st, ":note", note);
    ck_assert_int_eq(tr_db_step(st, NULL, NULL), TR_OK);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, NULL), TR_OK);
}

/* ---- Appending and the vectors ---- */

START_TEST(vector_leaves_give_every_root_and_node)
{
    struct tr_db *db = make_store(ORIGIN);
    struct tr_json *roots = test_json(MERKLE "roots.json");
    struct tr_json *nodes = test_json(MERKLE "nodes.json");
    hash_t got, want;
    uint64_t size = 99;
    ck_assert_int_eq(tr_log_size(db, &size, NULL), TR_OK);
    ck_assert_uint_eq(size, 0);
    append_vector_leaves(db, 0, 8);
    ck_assert_int_eq(tr_log_size(db, &size, NULL), TR_OK);
    ck_assert_uint_eq(size, 8);
    for (unsigned n = 0; n <= 8; n++) {
        char key[4];
        snprintf(key, sizeof key, "%u", n);
        test_unhex(test_str(roots, key), want, HL);
        ck_assert_int_eq(tr_log_root(db, n, got, NULL), TR_OK);
        ck_assert_mem_eq(got, want, HL);
    }
    /* Exactly the perfect subtrees are stored: 8 + 4 + 2 + 1 rows, each as nodes.json says. */
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM log_node"), 15);
    const struct tr_json *levels = test_get(nodes, "levels");
    struct tr_db_stmt *st = NULL;
    ck_assert_int_eq(
        tr_db_prepare(db, "SELECT level, idx, hash FROM log_node ORDER BY level, idx", &st, NULL),
        TR_OK);
    for (size_t h = 0; h < 4; h++) {
        const struct tr_json *level = levels->u.array.items[h];
        for (size_t i = 0; i < level->u.array.len; i++) {
            int row = 0;
            size_t len = 0;
            ck_assert_int_eq(tr_db_step(st, &row, NULL), TR_OK);
            ck_assert_int_eq(row, 1);
            ck_assert_int_eq(tr_db_column_int(st, 0), (int64_t)h);
            ck_assert_int_eq(tr_db_column_int(st, 1), (int64_t)i);
            test_unhex(tr_json_string(level->u.array.items[i]), want, HL);
            ck_assert_mem_eq(tr_db_column_blob(st, 2, &len), want, HL);
            ck_assert_uint_eq(len, HL);
        }
    }
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, NULL), TR_OK);
    tr_json_free(roots);
    tr_json_free(nodes);
    close_store(db);
}
END_TEST

START_TEST(vector_proofs_come_from_the_store)
{
    struct tr_db *db = make_store(ORIGIN);
    struct tr_json *inc = test_json(MERKLE "inclusion.json");
    struct tr_json *con = test_json(MERKLE "consistency.json");
    append_vector_leaves(db, 0, 8);
    for (size_t i = 0; i < inc->u.array.len; i++) {
        const struct tr_json *v = inc->u.array.items[i];
        hash_t want[TR_MERKLE_MAX_PROOF], leaf_hash, want_leaf;
        size_t want_len = 0;
        struct tr_merkle_proof got;
        uint64_t leaf = test_u64(v, "leafIndex"), size = test_u64(v, "treeSize");
        hex_list(test_get(v, "proof"), want, &want_len);
        ck_assert_int_eq(tr_log_prove_inclusion(db, leaf, size, &got, NULL), TR_OK);
        ck_assert_uint_eq(got.len, want_len);
        ck_assert_mem_eq(got.hash, want, want_len * HL);
        ck_assert_int_eq(tr_log_leaf_hash(db, leaf, leaf_hash, NULL), TR_OK);
        test_unhex(test_str(v, "leafHash"), want_leaf, HL);
        ck_assert_mem_eq(leaf_hash, want_leaf, HL);
    }
    for (size_t i = 0; i < con->u.array.len; i++) {
        const struct tr_json *v = con->u.array.items[i];
        hash_t want[TR_MERKLE_MAX_PROOF], root1, root2, want1, want2;
        size_t want_len = 0;
        struct tr_merkle_proof got;
        uint64_t s1 = test_u64(v, "size1"), s2 = test_u64(v, "size2");
        hex_list(test_get(v, "proof"), want, &want_len);
        ck_assert_int_eq(tr_log_prove_consistency(db, s1, s2, &got, NULL), TR_OK);
        ck_assert_uint_eq(got.len, want_len);
        ck_assert_mem_eq(got.hash, want, want_len * HL);
        ck_assert_int_eq(tr_log_root(db, s1, root1, NULL), TR_OK);
        ck_assert_int_eq(tr_log_root(db, s2, root2, NULL), TR_OK);
        test_unhex(test_str(v, "root1"), want1, HL);
        test_unhex(test_str(v, "root2"), want2, HL);
        ck_assert_mem_eq(root1, want1, HL);
        ck_assert_mem_eq(root2, want2, HL);
    }
    tr_json_free(inc);
    tr_json_free(con);
    close_store(db);
}
END_TEST

START_TEST(every_proof_of_a_40_leaf_store_verifies)
{
    enum { N = 40 };
    struct tr_db *db = make_store(ORIGIN);
    struct tr_merkle_mem mem;
    hash_t root[N + 1], leaf_hash[N];
    tr_merkle_mem_init(&mem);
    for (size_t i = 0; i < N; i++) {
        unsigned char body[3];
        size_t len = synthetic_body(i, body);
        ck_assert_uint_eq(append(db, (unsigned)i, body, len), i);
        ck_assert_int_eq(tr_merkle_leaf_hash(body, len, leaf_hash[i]), TR_OK);
        ck_assert_int_eq(tr_merkle_mem_append(&mem, leaf_hash[i], NULL), TR_OK);
    }
    for (size_t n = 0; n <= N; n++) {
        hash_t want;
        ck_assert_int_eq(tr_log_root(db, n, root[n], NULL), TR_OK);
        ck_assert_int_eq(tr_merkle_root(n, tr_merkle_mem_get, &mem, want, NULL), TR_OK);
        ck_assert_mem_eq(root[n], want, HL);
    }
    for (size_t n = 1; n <= N; n++) {
        for (size_t i = 0; i < n; i++) {
            struct tr_merkle_proof got, want;
            ck_assert_int_eq(tr_log_prove_inclusion(db, i, n, &got, NULL), TR_OK);
            ck_assert_int_eq(tr_merkle_prove_inclusion(i, n, tr_merkle_mem_get, &mem, &want, NULL),
                             TR_OK);
            ck_assert_uint_eq(got.len, want.len);
            ck_assert_mem_eq(got.hash, want.hash, got.len * HL);
            ck_assert_int_eq(
                tr_merkle_verify_inclusion(i, n, leaf_hash[i], got.hash, got.len, root[n], NULL),
                TR_OK);
        }
        for (size_t old = 1; old <= n; old++) {
            struct tr_merkle_proof got;
            ck_assert_int_eq(tr_log_prove_consistency(db, old, n, &got, NULL), TR_OK);
            ck_assert_int_eq(
                tr_merkle_verify_consistency(old, n, got.hash, got.len, root[old], root[n], NULL),
                TR_OK);
        }
    }
    /* Fewer than 2 node rows per leaf: 40 + 20 + 10 + 5 + 2 + 1. */
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM log_node"), 78);
    tr_merkle_mem_release(&mem);
    close_store(db);
}
END_TEST

START_TEST(append_needs_the_callers_transaction)
{
    struct tr_db *db = make_store(ORIGIN);
    struct tr_error err = {0};
    uint64_t leaf = 7, size = 7;
    ck_assert_int_eq(tr_log_append(db, record_id(1), "x", 1, &leaf, &err), TR_EINVAL);
    test_msg(&err, "store '%s': a log append must run inside the caller's transaction", path);
    ck_assert_uint_eq(leaf, 0);
    ck_assert_int_eq(tr_log_size(db, &size, NULL), TR_OK);
    ck_assert_uint_eq(size, 0);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM log_entry"), 0);
    close_store(db);
}
END_TEST

START_TEST(append_refuses_malformed_record_ids)
{
    static const char *const bad[] = {
        "",
        "abc",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g",
    };
    struct tr_db *db = make_store(ORIGIN);
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_begin(db, NULL), TR_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(tr_log_append(db, bad[i], "x", 1, NULL, &err), TR_EINVAL);
        test_msg(&err, "record id '%s' is not 64 lowercase hex digits", bad[i]);
    }
    ck_assert_int_eq(tr_log_append(db, NULL, "x", 1, NULL, &err), TR_EINVAL);
    test_msg(&err, "no record id given");
    ck_assert_int_eq(tr_log_append(db, record_id(1), NULL, 1, NULL, &err), TR_EINVAL);
    ck_assert_int_eq(tr_db_commit(db, NULL), TR_OK);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM log_node"), 0);
    close_store(db);
}
END_TEST

/* A failing append undoes its own rows and nothing of the caller's transaction. */
START_TEST(failed_append_keeps_no_row_of_its_own)
{
    struct tr_db *db = make_store(ORIGIN);
    struct tr_error err = {0};
    uint64_t size = 0;
    ck_assert_int_eq(tr_db_begin(db, NULL), TR_OK);
    ck_assert_int_eq(tr_log_append(db, record_id(0), "a", 1, NULL, NULL), TR_OK);
    /* An entry for leaf 1 without its hash: the next append writes its nodes, then fails. */
    exec_ok(db, "INSERT INTO log_entry VALUES (1, '"
                "0000000000000000000000000000000000000000"
                "000000000000000000000000', NULL, '2026-01-01T00:00:00Z')");
    ck_assert_int_eq(tr_log_append(db, record_id(1), "b", 1, NULL, &err), TR_EEXIST);
    ck_assert_int_eq(tr_db_in_transaction(db), 1);
    ck_assert_int_eq(tr_log_size(db, &size, NULL), TR_OK);
    ck_assert_uint_eq(size, 1);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM log_node"), 1);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM log_entry"), 2);
    ck_assert_int_eq(tr_db_rollback(db, NULL), TR_OK);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM log_entry"), 0);
    close_store(db);
}
END_TEST

START_TEST(records_are_found_by_id_and_entries_by_leaf)
{
    struct tr_db *db = make_store(ORIGIN);
    struct tr_error err = {0};
    struct tr_log_entry e;
    struct tr_buf body;
    uint64_t latest = 0, *leaves = NULL;
    size_t count = 0;
    tr_buf_init(&body);
    append(db, 5, "first", 5);
    append(db, 6, "other", 5);
    append(db, 5, "cosigned", 8);

    ck_assert_int_eq(tr_log_find(db, record_id(5), &latest, &leaves, &count, &err), TR_OK);
    ck_assert_uint_eq(latest, 2);
    ck_assert_uint_eq(count, 2);
    ck_assert_uint_eq(leaves[0], 0);
    ck_assert_uint_eq(leaves[1], 2);
    free(leaves);
    ck_assert_int_eq(tr_log_find(db, record_id(6), &latest, NULL, NULL, &err), TR_OK);
    ck_assert_uint_eq(latest, 1);
    ck_assert_int_eq(tr_log_find(db, record_id(7), &latest, &leaves, &count, &err), TR_ENOTFOUND);
    test_msg(&err, "record '%s' is not in the log", record_id(7));
    ck_assert_ptr_null(leaves);
    ck_assert_uint_eq(count, 0);
    ck_assert_int_eq(tr_log_find(db, "5", &latest, NULL, NULL, &err), TR_EINVAL);

    ck_assert_int_eq(tr_log_entry(db, 2, &e, &body, &err), TR_OK);
    ck_assert_uint_eq(e.leaf, 2);
    ck_assert_str_eq(e.record_id, record_id(5));
    ck_assert_uint_eq(strlen(e.logged_at), TR_LOG_TIME_LEN);
    ck_assert_int_eq(e.logged_at[4], '-');
    ck_assert_int_eq(e.logged_at[10], 'T');
    ck_assert_int_eq(e.logged_at[19], 'Z');
    ck_assert_int_eq(e.erased, 0);
    ck_assert_str_eq(body.data, "cosigned");
    hash_t want;
    ck_assert_int_eq(tr_merkle_leaf_hash("cosigned", 8, want), TR_OK);
    ck_assert_mem_eq(e.leaf_hash, want, HL);
    ck_assert_int_eq(tr_log_entry(db, 3, &e, &body, &err), TR_ENOTFOUND);
    test_msg(&err, "leaf 3 is not in the log");
    ck_assert_int_eq(tr_log_entry(db, UINT64_MAX, &e, NULL, &err), TR_ENOTFOUND);
    test_msg(&err, "leaf 18446744073709551615 is not in the log");
    tr_buf_release(&body);
    close_store(db);
}
END_TEST

/* An erased body leaves every hash; a changed body is caught by its leaf hash. */
START_TEST(erased_and_altered_bodies)
{
    struct tr_db *db = make_store(ORIGIN);
    struct tr_error err = {0};
    struct tr_log_entry e;
    struct tr_buf body;
    hash_t before, after;
    tr_buf_init(&body);
    for (unsigned i = 0; i < 5; i++) {
        append(db, i, "body", 4);
    }
    ck_assert_int_eq(tr_log_root(db, 5, before, NULL), TR_OK);
    exec_ok(db, "UPDATE log_entry SET body = NULL WHERE leaf = 1");
    exec_ok(db, "UPDATE log_entry SET body = x'626f6479ff' WHERE leaf = 3");
    ck_assert_int_eq(tr_log_root(db, 5, after, NULL), TR_OK);
    ck_assert_mem_eq(before, after, HL);

    tr_buf_adds(&body, "kept");
    ck_assert_int_eq(tr_log_entry(db, 1, &e, &body, &err), TR_OK);
    ck_assert_int_eq(e.erased, 1);
    ck_assert_str_eq(body.data, "kept");
    ck_assert_int_eq(tr_merkle_leaf_hash("body", 4, before), TR_OK);
    ck_assert_mem_eq(e.leaf_hash, before, HL);

    ck_assert_int_eq(tr_log_entry(db, 3, &e, &body, &err), TR_EVERIFY);
    test_msg(&err, "leaf 3: body does not match its leaf hash");
    ck_assert_str_eq(body.data, "kept");
    /* Without a body to return, nothing is read or checked. */
    ck_assert_int_eq(tr_log_entry(db, 3, &e, NULL, &err), TR_OK);
    tr_buf_release(&body);
    close_store(db);
}
END_TEST

START_TEST(sizes_beyond_the_log_are_refused)
{
    struct tr_db *db = make_store(ORIGIN);
    struct tr_error err = {0};
    struct tr_merkle_proof p;
    hash_t h;
    append_vector_leaves(db, 0, 8);
    ck_assert_int_eq(tr_log_root(db, 9, h, &err), TR_EINVAL);
    test_msg(&err, "tree size 9 is larger than the log (8 leaves)");
    ck_assert_int_eq(tr_log_prove_inclusion(db, 3, 9, &p, &err), TR_EINVAL);
    test_msg(&err, "tree size 9 is larger than the log (8 leaves)");
    ck_assert_int_eq(tr_log_prove_inclusion(db, 8, 8, &p, &err), TR_EINVAL);
    test_msg(&err, "leaf 8 is not in a tree of size 8");
    ck_assert_uint_eq(p.len, 0);
    ck_assert_int_eq(tr_log_prove_consistency(db, 5, 9, &p, &err), TR_EINVAL);
    test_msg(&err, "new tree size 9 is larger than the log (8 leaves)");
    ck_assert_int_eq(tr_log_prove_consistency(db, 0, 8, &p, &err), TR_EINVAL);
    test_msg(&err, "no consistency proof from an empty tree");
    ck_assert_int_eq(tr_log_prove_consistency(db, 6, 5, &p, &err), TR_EINVAL);
    test_msg(&err, "old tree size 6 is larger than new tree size 5");
    ck_assert_int_eq(tr_log_prove_consistency(db, 8, 8, &p, &err), TR_OK);
    ck_assert_uint_eq(p.len, 0);
    ck_assert_int_eq(tr_log_leaf_hash(db, 8, h, &err), TR_ENOTFOUND);
    test_msg(&err, "leaf 8 is not in the log");
    ck_assert_int_eq(tr_log_leaf_hash(db, UINT64_MAX, h, &err), TR_ENOTFOUND);
    test_msg(&err, "leaf 18446744073709551615 is not in the log");
    close_store(db);
}
END_TEST

/* A node the reader needs is gone: the message names it. */
START_TEST(missing_node_is_named)
{
    struct tr_db *db = make_store(ORIGIN);
    struct tr_error err = {0};
    hash_t h;
    append_vector_leaves(db, 0, 6);
    exec_ok(db, "DELETE FROM log_node WHERE level = 1 AND idx = 2");
    ck_assert_int_eq(tr_log_root(db, 6, h, &err), TR_ENOTFOUND);
    test_msg(&err, "store '%s': log node at level 1 index 2 is missing", path);
    close_store(db);
}
END_TEST

/* ---- Checkpoints ---- */

/* The store of origin PeterNeumann signs the two checkpoints of the vectors byte for byte. */
START_TEST(checkpoints_reproduce_the_signed_vectors)
{
    struct tr_json *cps = test_json(NOTES "checkpoints.json");
    const struct tr_json *v7 = cps->u.array.items[2], *v8 = cps->u.array.items[3];
    struct tr_note_signer signer;
    struct tr_note_verifier vkey;
    struct tr_buf note, latest;
    struct tr_error err = {0};
    hash_t root, want;
    uint64_t size = 0;
    ck_assert_uint_eq(test_u64(v7, "treeSize"), 7);
    ck_assert_uint_eq(test_u64(v8, "treeSize"), 8);
    const char *key = test_str(v7, "signerKey");
    ck_assert_int_eq(tr_note_signer_parse(key, strlen(key), &signer, NULL), TR_OK);
    const char *vk = test_str(v7, "verifierKey");
    ck_assert_int_eq(tr_note_verifier_parse(vk, strlen(vk), &vkey, NULL), TR_OK);
    tr_buf_init(&note);
    tr_buf_init(&latest);

    struct tr_db *db = make_store(test_str(v7, "expectedOrigin"));
    ck_assert_int_eq(
        tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, vkey.public_key, sizeof vkey.public_key, NULL),
        TR_OK);
    append_vector_leaves(db, 0, 7);
    int rc = tr_log_checkpoint(db, signer.seed, &note, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_str_eq(note.data, test_str(v7, "signedNote"));

    /* Asking again at the same size returns the stored note and stores nothing new. */
    tr_buf_reset(&note);
    ck_assert_int_eq(tr_log_checkpoint(db, signer.seed, &note, &err), TR_OK);
    ck_assert_str_eq(note.data, test_str(v7, "signedNote"));
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM checkpoint"), 1);

    append_vector_leaves(db, 7, 8);
    tr_buf_reset(&note);
    ck_assert_int_eq(tr_log_checkpoint(db, signer.seed, &note, &err), TR_OK);
    ck_assert_str_eq(note.data, test_str(v8, "signedNote"));
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM checkpoint"), 2);

    ck_assert_int_eq(tr_log_latest_checkpoint(db, &latest, &size, root, &err), TR_OK);
    ck_assert_str_eq(latest.data, test_str(v8, "signedNote"));
    ck_assert_uint_eq(size, 8);
    test_unhex(test_str(v8, "rootHashHex"), want, HL);
    ck_assert_mem_eq(root, want, HL);

    tr_wipe(&signer, sizeof signer);
    tr_buf_release(&note);
    tr_buf_release(&latest);
    tr_json_free(cps);
    close_store(db);
}
END_TEST

/* The operator's store: origin ORIGIN, operator key of operator_seed, n synthetic leaves. */
static struct tr_db *operator_store(size_t n)
{
    struct tr_db *db = make_store(ORIGIN);
    set_operator(db, operator_seed);
    for (size_t i = 0; i < n; i++) {
        unsigned char body[3];
        append(db, (unsigned)i, body, synthetic_body(i, body));
    }
    return db;
}

static void checkpoint_ok(struct tr_db *db)
{
    struct tr_buf note;
    struct tr_error err = {0};
    tr_buf_init(&note);
    int rc = tr_log_checkpoint(db, operator_seed, &note, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    tr_buf_release(&note);
}

/* tr_log_checkpoint fails with code and exactly message; nothing is stored or returned. */
static void checkpoint_refused(struct tr_db *db, const unsigned char *seed, int code,
                               const char *message)
{
    struct tr_buf note;
    struct tr_error err = {0};
    int64_t before = count_rows(db, "SELECT count(*) FROM checkpoint");
    tr_buf_init(&note);
    ck_assert_int_eq(tr_log_checkpoint(db, seed, &note, &err), code);
    ck_assert_str_eq(err.msg, message);
    ck_assert_uint_eq(note.len, 0);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM checkpoint"), before);
    tr_buf_release(&note);
}

START_TEST(checkpoint_of_the_empty_log)
{
    struct tr_db *db = operator_store(0);
    struct tr_buf note, want;
    hash_t empty, root;
    uint64_t size = 9;
    tr_buf_init(&note);
    tr_buf_init(&want);
    ck_assert_int_eq(tr_log_latest_checkpoint(db, &note, &size, root, NULL), TR_ENOTFOUND);
    ck_assert_int_eq(tr_sha256("", 0, empty), TR_OK);
    ck_assert_int_eq(tr_log_checkpoint(db, operator_seed, &note, NULL), TR_OK);
    sign_body(ORIGIN, 0, empty, operator_seed, &want);
    ck_assert_str_eq(note.data, want.data);
    ck_assert_int_eq(tr_log_latest_checkpoint(db, NULL, &size, root, NULL), TR_OK);
    ck_assert_uint_eq(size, 0);
    ck_assert_mem_eq(root, empty, HL);
    /* Every tree extends the empty one. */
    append(db, 1, "a", 1);
    checkpoint_ok(db);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM checkpoint"), 2);
    tr_buf_release(&note);
    tr_buf_release(&want);
    close_store(db);
}
END_TEST

START_TEST(checkpoint_needs_the_operator_key)
{
    struct tr_db *db = make_store(ORIGIN);
    char msg[TR_ERROR_MAX];
    append(db, 1, "a", 1);
    snprintf(msg, sizeof msg, "store '%s' has no operator key", path);
    checkpoint_refused(db, operator_seed, TR_EDB, msg);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, "short", 5, NULL), TR_OK);
    snprintf(msg, sizeof msg, "store '%s' has an operator key of 5 bytes, not 32", path);
    checkpoint_refused(db, operator_seed, TR_EDB, msg);
    set_operator(db, operator_seed);
    snprintf(msg, sizeof msg, "the signing key is not the operator key of store '%s'", path);
    checkpoint_refused(db, other_seed, TR_EPERM, msg);
    checkpoint_ok(db);
    close_store(db);
}
END_TEST

/* A note that cannot be handed back is not stored either: the caller would not know of it. */
START_TEST(checkpoint_that_does_not_fit_the_note_is_not_stored)
{
    struct tr_db *db = operator_store(0);
    struct tr_buf note;
    struct tr_error err = {0};
    uint64_t size = 9;
    append(db, 1, "a", 1);
    tr_buf_init(&note);
    note.max = 8;
    ck_assert_int_eq(tr_buf_adds(&note, "kept"), TR_OK);
    ck_assert_int_eq(tr_log_checkpoint(db, operator_seed, &note, &err), TR_ELIMIT);
    test_msg(&err, "the checkpoint does not fit its buffer");
    ck_assert_str_eq(note.data, "kept");
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM checkpoint"), 0);
    ck_assert_int_eq(tr_log_latest_checkpoint(db, NULL, &size, NULL, NULL), TR_ENOTFOUND);
    checkpoint_ok(db);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM checkpoint"), 1);
    tr_buf_release(&note);
    close_store(db);
}
END_TEST

/* A leaf hash changed after a checkpoint covered it: the consistency proof exposes it. */
START_TEST(checkpoint_refuses_a_tampered_node)
{
    struct tr_db *db = operator_store(5);
    checkpoint_ok(db);
    for (unsigned i = 5; i < 8; i++) {
        append(db, i, "more", 4);
    }
    exec_ok(db, "UPDATE log_node SET hash = zeroblob(32) WHERE level = 0 AND idx = 4");
    checkpoint_refused(db, operator_seed, TR_ECONFLICT,
                       "the log is not consistent with its checkpoint of size 5: "
                       "consistency proof does not lead to the root of tree size 5");
    close_store(db);
}
END_TEST

/* A node of the old tree's left part: its root cannot be rebuilt from the stored nodes. */
START_TEST(checkpoint_refuses_a_rewritten_subtree)
{
    struct tr_db *db = operator_store(6);
    checkpoint_ok(db);
    append(db, 6, "more", 4);
    exec_ok(db, "UPDATE log_node SET hash = zeroblob(32) WHERE level = 2 AND idx = 0");
    checkpoint_refused(db, operator_seed, TR_ECONFLICT,
                       "the log is not consistent with its checkpoint of size 6: "
                       "consistency proof does not lead to the root of tree size 6");
    close_store(db);
}
END_TEST

/* Stored checkpoints that a forger (or a faulty operator) could have written. */
static const struct {
    const char *origin; /* the note's origin */
    uint64_t size;      /* its tree size */
    int log_root;       /* 1: the note states the log's root at size; 0: another root */
    int row_log_root;   /* the same for the row's root column */
    int by_operator;    /* 1: signed by the operator key; 0: by another key */
    int code;           /* what tr_log_checkpoint then returns */
    const char *message;
} forged[] = {
    /* The operator's key over another root: the chain breaks there. */
    {ORIGIN, 6, 0, 0, 1, TR_ECONFLICT,
     "the log is not consistent with its checkpoint of size 6: "
     "consistency proof does not lead to the root of tree size 6"},
    /* A checkpoint larger than the log: leaves were removed after it was signed. */
    {ORIGIN, 10, 0, 0, 1, TR_ECONFLICT,
     "the log has 8 leaves, fewer than its checkpoint of size 10"},
    /* The same size with another root. */
    {ORIGIN, 8, 0, 0, 1, TR_ECONFLICT,
     "the log's root at size 8 is not the root of its checkpoint of that size"},
    /* Signed by another key. */
    {ORIGIN, 4, 1, 1, 0, TR_EVERIFY,
     "stored checkpoint of size 4: note has no signature by a trusted key"},
    /* A row whose root is not its note's. */
    {ORIGIN, 4, 1, 0, 1, TR_EVERIFY, "stored checkpoint of size 4 does not match its note"},
    /* A note of another log. */
    {"talentreg.example/other", 4, 1, 1, 1, TR_EVERIFY,
     "stored checkpoint of size 4: note has no signature by a trusted key"},
};

START_TEST(checkpoint_refuses_forged_checkpoints)
{
    struct tr_db *db = operator_store(8);
    struct tr_buf note;
    hash_t root, other;
    tr_buf_init(&note);
    memset(other, 0x5a, HL);
    for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
        if (forged[i].log_root || forged[i].row_log_root) {
            ck_assert_int_eq(tr_log_root(db, forged[i].size, root, NULL), TR_OK);
        }
        tr_buf_reset(&note);
        sign_body(forged[i].origin, forged[i].size, forged[i].log_root ? root : other,
                  forged[i].by_operator ? operator_seed : other_seed, &note);
        store_row(db, forged[i].size, forged[i].row_log_root ? root : other, note.data);
        checkpoint_refused(db, operator_seed, forged[i].code, forged[i].message);
        /* A reader of the latest checkpoint is refused a note that does not verify. */
        if (forged[i].code == TR_EVERIFY) {
            struct tr_error err = {0};
            ck_assert_int_eq(tr_log_latest_checkpoint(db, NULL, NULL, NULL, &err), TR_EVERIFY);
            ck_assert_str_eq(err.msg, forged[i].message);
        }
        exec_ok(db, "DELETE FROM checkpoint");
    }
    /* The honest chain is accepted. */
    ck_assert_int_eq(tr_log_root(db, 4, root, NULL), TR_OK);
    tr_buf_reset(&note);
    sign_body(ORIGIN, 4, root, operator_seed, &note);
    store_row(db, 4, root, note.data);
    checkpoint_ok(db);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM checkpoint"), 2);
    tr_buf_release(&note);
    close_store(db);
}
END_TEST

/* Inside the caller's transaction the checkpoint goes when the caller rolls back. */
START_TEST(checkpoint_joins_the_callers_transaction)
{
    struct tr_db *db = operator_store(3);
    ck_assert_int_eq(tr_db_begin(db, NULL), TR_OK);
    checkpoint_ok(db);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM checkpoint"), 1);
    ck_assert_int_eq(tr_db_rollback(db, NULL), TR_OK);
    ck_assert_int_eq(count_rows(db, "SELECT count(*) FROM checkpoint"), 0);
    close_store(db);
}
END_TEST

/* ---- The client's check ---- */

struct chain {
    struct tr_json *doc;
    struct tr_note_verifier vkey;
    const char *origin, *note7, *note8;
    hash_t root7, root8;
    hash_t proof[TR_MERKLE_MAX_PROOF]; /* 7 -> 8 */
    size_t proof_len;
};

static void load_chain(struct chain *c)
{
    struct tr_json *con = test_json(MERKLE "consistency.json");
    c->doc = test_json(NOTES "checkpoints.json");
    const struct tr_json *v7 = c->doc->u.array.items[2], *v8 = c->doc->u.array.items[3];
    const char *vk = test_str(v7, "verifierKey");
    ck_assert_int_eq(tr_note_verifier_parse(vk, strlen(vk), &c->vkey, NULL), TR_OK);
    c->origin = test_str(v7, "expectedOrigin");
    c->note7 = test_str(v7, "signedNote");
    c->note8 = test_str(v8, "signedNote");
    test_unhex(test_str(v7, "rootHashHex"), c->root7, HL);
    test_unhex(test_str(v8, "rootHashHex"), c->root8, HL);
    c->proof_len = SIZE_MAX;
    for (size_t i = 0; i < con->u.array.len; i++) {
        const struct tr_json *v = con->u.array.items[i];
        if (test_u64(v, "size1") == 7 && test_u64(v, "size2") == 8) {
            hex_list(test_get(v, "proof"), c->proof, &c->proof_len);
        }
    }
    ck_assert_uint_ne(c->proof_len, SIZE_MAX);
    tr_json_free(con);
}

static int update(const struct chain *c, uint64_t old_size, const hash_t old_root, const char *note,
                  const hash_t *proof, size_t len, struct tr_note_checkpoint *out,
                  struct tr_error *err)
{
    return tr_log_check_checkpoint_update(old_size, old_root, note, strlen(note), &c->vkey,
                                          c->origin, proof, len, out, err);
}

START_TEST(client_follows_a_consistent_chain)
{
    struct chain c;
    struct tr_note_checkpoint cp;
    struct tr_error err = {0};
    load_chain(&c);
    ck_assert_int_eq(update(&c, 7, c.root7, c.note8, c.proof, c.proof_len, &cp, &err), TR_OK);
    ck_assert_uint_eq(cp.size, 8);
    ck_assert_mem_eq(cp.root, c.root8, HL);
    /* The same checkpoint again: nothing to prove. */
    ck_assert_int_eq(update(&c, 8, c.root8, c.note8, NULL, 0, NULL, &err), TR_OK);
    tr_json_free(c.doc);
}
END_TEST

START_TEST(client_refuses_a_rollback)
{
    struct chain c;
    struct tr_note_checkpoint cp;
    struct tr_error err = {0};
    load_chain(&c);
    memset(&cp, 0x77, sizeof cp);
    ck_assert_int_eq(update(&c, 8, c.root8, c.note7, NULL, 0, &cp, &err), TR_EVERIFY);
    test_msg(&err, "checkpoint size 7 is smaller than the size 8 already seen");
    ck_assert_uint_eq(cp.size, 0x7777777777777777u);
    tr_json_free(c.doc);
}
END_TEST

START_TEST(client_refuses_a_fork)
{
    struct chain c;
    struct tr_error err = {0};
    hash_t forked;
    load_chain(&c);
    memcpy(forked, c.root8, HL);
    forked[31] ^= 1;
    ck_assert_int_eq(update(&c, 8, forked, c.note8, NULL, 0, NULL, &err), TR_EVERIFY);
    test_msg(&err, "checkpoint of size 8 has another root than the one already seen");
    /* A client that saw another tree of size 7 cannot be moved to this size 8. */
    memcpy(forked, c.root7, HL);
    forked[0] ^= 0x80;
    ck_assert_int_eq(update(&c, 7, forked, c.note8, c.proof, c.proof_len, NULL, &err), TR_EVERIFY);
    test_msg(&err, "checkpoint of size 8 is not consistent with the size 7 already seen: "
                   "consistency proof does not lead to the root of tree size 7");
    tr_json_free(c.doc);
}
END_TEST

START_TEST(client_refuses_bad_proofs_and_notes)
{
    struct chain c;
    struct tr_error err = {0};
    hash_t bad[TR_MERKLE_MAX_PROOF], empty;
    load_chain(&c);
    memcpy(bad, c.proof, c.proof_len * HL);
    bad[c.proof_len - 1][5] ^= 0x01;
    ck_assert_int_eq(update(&c, 7, c.root7, c.note8, bad, c.proof_len, NULL, &err), TR_EVERIFY);
    test_msg(&err, "checkpoint of size 8 is not consistent with the size 7 already seen: "
                   "consistency proof does not lead to the root of tree size 7");
    ck_assert_int_eq(update(&c, 7, c.root7, c.note8, c.proof, c.proof_len - 1, NULL, &err),
                     TR_EVERIFY);
    ck_assert_int_eq(update(&c, 7, c.root7, c.note8, NULL, 0, NULL, &err), TR_EVERIFY);
    test_msg(&err, "checkpoint of size 8 is not consistent with the size 7 already seen: "
                   "consistency proof is empty");
    /* A checkpoint the trusted key did not sign, or of another log. */
    const char *other = test_str(c.doc->u.array.items[0], "signedNote");
    ck_assert_int_eq(update(&c, 7, c.root7, other, c.proof, c.proof_len, NULL, &err), TR_EVERIFY);
    ck_assert_int_eq(tr_log_check_checkpoint_update(7, c.root7, c.note8, strlen(c.note8), &c.vkey,
                                                    "another origin", c.proof, c.proof_len, NULL,
                                                    &err),
                     TR_EVERIFY);
    test_msg(&err, "checkpoint origin 'PeterNeumann' is not the expected 'another origin'");
    /* From the empty tree: only the signature is checked, and the proof must be empty. */
    ck_assert_int_eq(tr_sha256("", 0, empty), TR_OK);
    ck_assert_int_eq(update(&c, 0, empty, c.note8, NULL, 0, NULL, &err), TR_OK);
    ck_assert_int_eq(update(&c, 0, empty, c.note8, c.proof, 1, NULL, &err), TR_EVERIFY);
    test_msg(&err, "a consistency proof from the empty tree must be empty");
    ck_assert_int_eq(update(&c, 0, c.root7, c.note8, NULL, 0, NULL, &err), TR_EINVAL);
    ck_assert_int_eq(update(&c, 7, c.root7, c.note8, NULL, 0, NULL, NULL), TR_EVERIFY);
    ck_assert_int_eq(
        tr_log_check_checkpoint_update(7, c.root7, NULL, 0, &c.vkey, c.origin, NULL, 0, NULL, &err),
        TR_EINVAL);
    tr_json_free(c.doc);
}
END_TEST

/* The store's checkpoints, fetched as a client would, pass the client's check. */
START_TEST(store_checkpoints_pass_the_client_check)
{
    struct tr_db *db = operator_store(13);
    struct tr_note_verifier vkey;
    struct tr_merkle_proof proof;
    struct tr_buf note;
    struct tr_error err = {0};
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    hash_t old_root;
    uint64_t old_size = 0;
    tr_buf_init(&note);
    ck_assert_int_eq(tr_ed25519_public(operator_seed, pub), TR_OK);
    ck_assert_int_eq(tr_note_verifier_from_public(ORIGIN, pub, &vkey, NULL), TR_OK);
    checkpoint_ok(db);
    ck_assert_int_eq(tr_log_latest_checkpoint(db, NULL, &old_size, old_root, NULL), TR_OK);
    for (unsigned i = 13; i < 30; i++) {
        append(db, i, "later", 5);
    }
    ck_assert_int_eq(tr_log_checkpoint(db, operator_seed, &note, NULL), TR_OK);
    ck_assert_int_eq(tr_log_prove_consistency(db, old_size, 30, &proof, NULL), TR_OK);
    ck_assert_int_eq(tr_log_check_checkpoint_update(old_size, old_root, note.data, note.len, &vkey,
                                                    ORIGIN, proof.hash, proof.len, NULL, &err),
                     TR_OK);
    tr_buf_release(&note);
    close_store(db);
}
END_TEST

Suite *log_suite(void)
{
    Suite *s = suite_create("log");
    TCase *tc = tcase_create("log");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, vector_leaves_give_every_root_and_node);
    tcase_add_test(tc, vector_proofs_come_from_the_store);
    tcase_add_test(tc, every_proof_of_a_40_leaf_store_verifies);
    tcase_add_test(tc, append_needs_the_callers_transaction);
    tcase_add_test(tc, append_refuses_malformed_record_ids);
    tcase_add_test(tc, failed_append_keeps_no_row_of_its_own);
    tcase_add_test(tc, records_are_found_by_id_and_entries_by_leaf);
    tcase_add_test(tc, erased_and_altered_bodies);
    tcase_add_test(tc, sizes_beyond_the_log_are_refused);
    tcase_add_test(tc, missing_node_is_named);
    tcase_add_test(tc, checkpoints_reproduce_the_signed_vectors);
    tcase_add_test(tc, checkpoint_of_the_empty_log);
    tcase_add_test(tc, checkpoint_needs_the_operator_key);
    tcase_add_test(tc, checkpoint_that_does_not_fit_the_note_is_not_stored);
    tcase_add_test(tc, checkpoint_refuses_a_tampered_node);
    tcase_add_test(tc, checkpoint_refuses_a_rewritten_subtree);
    tcase_add_test(tc, checkpoint_refuses_forged_checkpoints);
    tcase_add_test(tc, checkpoint_joins_the_callers_transaction);
    tcase_add_test(tc, client_follows_a_consistent_chain);
    tcase_add_test(tc, client_refuses_a_rollback);
    tcase_add_test(tc, client_refuses_a_fork);
    tcase_add_test(tc, client_refuses_bad_proofs_and_notes);
    tcase_add_test(tc, store_checkpoints_pass_the_client_check);
    suite_add_tcase(s, tc);
    return s;
}
