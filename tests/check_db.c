/* check_db.c — the store: creation, refusal of what is not a store, statements, transactions. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

#define ORIGIN "talentreg.example/test"

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/check_db.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
    }
    closedir(d);
    rmdir(path);
}

static void teardown(void)
{
    remove_tree(dir);
}

/* The file name in the test's directory, in a ring of buffers (valid for 8 calls). */
static const char *in_dir(const char *name)
{
    static char ring[8][256];
    static int next;
    char *out = ring[next++ % 8];
    snprintf(out, sizeof ring[0], "%s/%s", dir, name);
    return out;
}

static struct tr_db *make_store(const char *path)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    int rc = tr_db_create(path, ORIGIN, &db, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    return db;
}

static void close_ok(struct tr_db *db)
{
    struct tr_error err = {0};
    int rc = tr_db_close(db, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

static struct tr_db *open_ok(const char *path, int flags)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    int rc = tr_db_open(path, flags, &db, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    return db;
}

/* The meta value under key as a string (static), or NULL when there is none. */
static const char *meta_text(struct tr_db *db, const char *key)
{
    static char out[256];
    struct tr_error err = {0};
    struct tr_buf b;
    tr_buf_init(&b);
    int rc = tr_db_meta_get(db, key, &b, &err);
    ck_assert_msg(rc == TR_OK || rc == TR_ENOTFOUND, "%s", err.msg);
    snprintf(out, sizeof out, "%s", b.data);
    tr_buf_release(&b);
    return rc == TR_OK ? out : NULL;
}

static void meta_set_ok(struct tr_db *db, const char *key, const char *value)
{
    struct tr_error err = {0};
    int rc = tr_db_meta_set(db, key, value, strlen(value), &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

static void exec_ok(struct tr_db *db, const char *sql)
{
    struct tr_error err = {0};
    int rc = tr_db_exec(db, sql, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(p, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* The one integer a statement without parameters returns. */
static int64_t query_int(struct tr_db *db, const char *sql)
{
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    int row = 0;
    int rc = tr_db_prepare(db, sql, &st, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_db_step(st, &row, &err), TR_OK);
    ck_assert_int_eq(row, 1);
    int64_t v = tr_db_column_int(st, 0);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    return v;
}

static const char *query_text(struct tr_db *db, const char *sql)
{
    static char out[256];
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    int row = 0;
    ck_assert_int_eq(tr_db_prepare(db, sql, &st, &err), TR_OK);
    ck_assert_int_eq(tr_db_step(st, &row, &err), TR_OK);
    ck_assert_int_eq(row, 1);
    snprintf(out, sizeof out, "%s", tr_db_column_text(st, 0, NULL));
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    return out;
}

/* Creation. */

START_TEST(create_then_open)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    ck_assert_str_eq(tr_db_path(db), path);
    ck_assert_str_eq(tr_db_origin(db), ORIGIN);
    ck_assert_int_eq(query_int(db, "PRAGMA application_id"), 0x54526567);
    ck_assert_int_eq(query_int(db, "PRAGMA user_version"), TR_DB_SCHEMA_VERSION);
    ck_assert_str_eq(query_text(db, "PRAGMA journal_mode"), "wal");
    ck_assert_int_eq(query_int(db, "PRAGMA foreign_keys"), 1);
    ck_assert_int_eq(query_int(db, "PRAGMA synchronous"), 2); /* FULL */
    unsigned char key1[TR_DB_ID_KEY_LEN], key2[TR_DB_ID_KEY_LEN];
    ck_assert_int_eq(tr_db_id_key(db, key1, &err), TR_OK);
    close_ok(db);

    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);

    for (int flags = TR_DB_READONLY; flags <= TR_DB_READWRITE; flags++) {
        ck_assert_int_eq(tr_db_open(path, flags, &db, &err), TR_OK);
        ck_assert_str_eq(tr_db_origin(db), ORIGIN);
        ck_assert_int_eq(tr_db_id_key(db, key2, &err), TR_OK);
        ck_assert_mem_eq(key1, key2, sizeof key1);
        struct tr_buf created;
        tr_buf_init(&created);
        ck_assert_int_eq(tr_db_meta_get(db, TR_DB_META_CREATED, &created, &err), TR_OK);
        /* 2026-01-31T08:00:00Z */
        ck_assert_uint_eq(created.len, 20);
        ck_assert_int_eq(created.data[4], '-');
        ck_assert_int_eq(created.data[10], 'T');
        ck_assert_int_eq(created.data[19], 'Z');
        tr_buf_release(&created);
        ck_assert_int_eq(tr_db_check(db, &err), TR_OK);
        close_ok(db);
    }
}
END_TEST

START_TEST(each_store_has_its_own_id_key)
{
    struct tr_db *a = make_store(in_dir("a.db"));
    struct tr_db *b = make_store(in_dir("b.db"));
    unsigned char ka[TR_DB_ID_KEY_LEN], kb[TR_DB_ID_KEY_LEN], zero[TR_DB_ID_KEY_LEN] = {0};
    ck_assert_int_eq(tr_db_id_key(a, ka, NULL), TR_OK);
    ck_assert_int_eq(tr_db_id_key(b, kb, NULL), TR_OK);
    ck_assert_int_ne(memcmp(ka, kb, sizeof ka), 0);
    ck_assert_int_ne(memcmp(ka, zero, sizeof ka), 0);
    close_ok(a);
    close_ok(b);
}
END_TEST

START_TEST(create_refuses_existing_file)
{
    const char *path = in_dir("s.db");
    const char keep[] = "not mine\n";
    struct tr_db *db = (struct tr_db *)&db;
    struct tr_error err = {0};
    write_file(path, keep, sizeof keep - 1);
    ck_assert_int_eq(tr_db_create(path, ORIGIN, &db, &err), TR_EEXIST);
    test_msg(&err, "'%s' already exists", path);
    ck_assert_ptr_null(db);
    size_t len = 0;
    char *got = test_read(path, &len);
    ck_assert_uint_eq(len, sizeof keep - 1);
    ck_assert_mem_eq(got, keep, len);
    free(got);
}
END_TEST

START_TEST(create_refuses_existing_store)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_db *again = NULL;
    struct tr_error err = {0};
    unsigned char key1[TR_DB_ID_KEY_LEN], key2[TR_DB_ID_KEY_LEN];
    ck_assert_int_eq(tr_db_id_key(db, key1, &err), TR_OK);
    close_ok(db);
    ck_assert_int_eq(tr_db_create(path, "other", &again, &err), TR_EEXIST);
    test_msg(&err, "'%s' already exists", path);
    ck_assert_int_eq(tr_db_open(path, TR_DB_READONLY, &db, &err), TR_OK);
    ck_assert_str_eq(tr_db_origin(db), ORIGIN);
    ck_assert_int_eq(tr_db_id_key(db, key2, &err), TR_OK);
    ck_assert_mem_eq(key1, key2, sizeof key1);
    close_ok(db);
}
END_TEST

START_TEST(create_refuses_symlink)
{
    const char *path = in_dir("s.db");
    const char *target = in_dir("target.db");
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(symlink(target, path), 0);
    ck_assert_int_eq(tr_db_create(path, ORIGIN, &db, &err), TR_EEXIST);
    test_msg(&err, "'%s' already exists", path);
    ck_assert_int_eq(exists(target), 0);
}
END_TEST

START_TEST(create_refuses_leftover_wal)
{
    const char *path = in_dir("s.db");
    const char *wal = in_dir("s.db-wal");
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    write_file(wal, "x", 1);
    ck_assert_int_eq(tr_db_create(path, ORIGIN, &db, &err), TR_EEXIST);
    test_msg(&err, "'%s' already exists", wal);
    ck_assert_int_eq(exists(path), 0);
}
END_TEST

START_TEST(create_in_missing_directory_fails)
{
    const char *path = in_dir("no/s.db");
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_create(path, ORIGIN, &db, &err), TR_EIO);
    test_msg(&err, "cannot create '%s': No such file or directory", path);
}
END_TEST

static const struct {
    const char *origin;
    const char *msg; /* NULL when valid */
} origins[] = {
    {"talentreg.example/jiangsu", NULL},
    {"a", NULL},
    {"!\"#$%&'()*,-./09:;<=>?@AZ[\\]^_`az{|}~", NULL},
    {"", "origin must not be empty"},
    {"a b", "origin 'a b' contains a space"},
    {"a+b", "origin 'a+b' contains '+'"},
    {"a\tb", "origin holds a byte that is not printable ASCII (0x09 at offset 1)"},
    {"a\nb", "origin holds a byte that is not printable ASCII (0x0a at offset 1)"},
    {"\xe4\xb8\xad", "origin holds a byte that is not printable ASCII (0xe4 at offset 0)"},
    {"\x7f", "origin holds a byte that is not printable ASCII (0x7f at offset 0)"},
};

START_TEST(origins_are_checked)
{
    struct tr_error err = {0};
    int want = origins[_i].msg == NULL ? TR_OK : TR_EINVAL;
    ck_assert_int_eq(tr_db_check_origin(origins[_i].origin, &err), want);
    if (want != TR_OK) {
        ck_assert_str_eq(err.msg, origins[_i].msg);
        struct tr_db *db = NULL;
        const char *path = in_dir("s.db");
        ck_assert_int_eq(tr_db_create(path, origins[_i].origin, &db, &err), TR_EINVAL);
        ck_assert_str_eq(err.msg, origins[_i].msg);
        ck_assert_int_eq(exists(path), 0);
    }
}
END_TEST

START_TEST(origin_length_is_bounded)
{
    char origin[TR_DB_ORIGIN_MAX + 2];
    struct tr_error err = {0};
    memset(origin, 'o', sizeof origin - 1);
    origin[sizeof origin - 1] = '\0';
    ck_assert_int_eq(tr_db_check_origin(origin, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "origin is 256 bytes long, more than 255");
    ck_assert_int_eq(tr_db_check_origin(NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "origin must not be empty");
    origin[TR_DB_ORIGIN_MAX] = '\0';
    struct tr_db *db = NULL;
    ck_assert_int_eq(tr_db_create(in_dir("s.db"), origin, &db, &err), TR_OK);
    ck_assert_str_eq(tr_db_origin(db), origin);
    close_ok(db);
}
END_TEST

/* Opening what is not a store. */

START_TEST(open_missing_file)
{
    const char *path = in_dir("none.db");
    struct tr_db *db = (struct tr_db *)&db;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_open(path, TR_DB_READWRITE, &db, &err), TR_ENOTFOUND);
    test_msg(&err, "store '%s' does not exist (run 'talentreg init')", path);
    ck_assert_ptr_null(db);
    ck_assert_int_eq(exists(path), 0);
}
END_TEST

/* Open path both ways; each must fail with code and the message pre PATH post, and leave
 * the file's bytes as they were. */
static void expect_refused(const char *path, int code, const char *pre, const char *post)
{
    size_t before_len = 0, after_len = 0;
    char *before = test_read(path, &before_len);
    for (int flags = TR_DB_READONLY; flags <= TR_DB_READWRITE; flags++) {
        struct tr_db *db = (struct tr_db *)&db;
        struct tr_error err = {0};
        ck_assert_int_eq(tr_db_open(path, flags, &db, &err), code);
        ck_assert_ptr_null(db);
        test_msg(&err, "%s%s%s", pre, path, post);
    }
    char *after = test_read(path, &after_len);
    ck_assert_uint_eq(before_len, after_len);
    ck_assert_mem_eq(before, after, before_len);
    free(before);
    free(after);
}

START_TEST(open_empty_file)
{
    const char *path = in_dir("empty.db");
    write_file(path, "", 0);
    expect_refused(path, TR_EDB, "'", "' is not a talentreg store");
}
END_TEST

START_TEST(open_text_file)
{
    const char *path = in_dir("notes.txt");
    const char text[] = "name: somebody\nfte: 0.5\n";
    write_file(path, text, sizeof text - 1);
    expect_refused(path, TR_EDB, "'", "' is not a talentreg store");

    /* Longer than a SQLite header, so SQLite reads it as one. */
    char big[4096];
    memset(big, 'x', sizeof big);
    write_file(path, big, sizeof big);
    expect_refused(path, TR_EDB, "'", "' is not a talentreg store");
}
END_TEST

START_TEST(open_directory)
{
    const char *path = in_dir("d.db");
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(mkdir(path, 0700), 0);
    ck_assert_int_eq(tr_db_open(path, TR_DB_READWRITE, &db, &err), TR_EDB);
    test_msg(&err, "'%s' is not a talentreg store", path);
}
END_TEST

/* Stores changed behind talentreg's back, and how opening them fails. */
static const struct {
    const char *sql;
    int code;
    const char *pre, *post; /* the message is pre PATH post */
} altered[] = {
    {"PRAGMA application_id = 1179603779", TR_EDB, "'", "' is not a talentreg store"},
    {"PRAGMA application_id = 0", TR_EDB, "'", "' is not a talentreg store"},
    {"PRAGMA user_version = 99", TR_EVERSION, "store '",
     "' has schema version 99, newer than this talentreg reads (1)"},
    {"PRAGMA user_version = 0", TR_EDB, "store '", "' has no schema version"},
    {"DELETE FROM meta WHERE key = 'origin'", TR_EDB, "store '", "' has no origin"},
    {"DROP TABLE meta", TR_EDB, "store '",
     "': cannot run 'SELECT value FROM meta WHERE key = :key': no such table: meta"},
};

START_TEST(open_altered_store)
{
    const char *path = in_dir("altered.db");
    struct tr_db *db = make_store(path);
    exec_ok(db, altered[_i].sql);
    close_ok(db);
    expect_refused(path, altered[_i].code, altered[_i].pre, altered[_i].post);
}
END_TEST

/* A store with n more pages of data in a table of its own. */
static void fill_store(const char *path, int n)
{
    struct tr_db *db = make_store(path);
    exec_ok(db, "CREATE TABLE filler (x BLOB NOT NULL) STRICT");
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_prepare(db, "INSERT INTO filler (x) VALUES (randomblob(3000))", &st,
                                   &err),
                     TR_OK);
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(tr_db_step(st, NULL, &err), TR_OK);
        ck_assert_int_eq(tr_db_reset(st, &err), TR_OK);
    }
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    close_ok(db);
}

START_TEST(open_truncated_store)
{
    const char *path = in_dir("cut.db");
    struct stat sb;
    fill_store(path, 40);
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_gt(sb.st_size, 40 * 3000);
    ck_assert_int_eq(truncate(path, sb.st_size / 2), 0);
    expect_refused(path, TR_EDB, "store '", "' is damaged");
    /* Cut inside the first page: no header left to trust. */
    ck_assert_int_eq(truncate(path, 50), 0);
    expect_refused(path, TR_EDB, "'", "' is not a talentreg store");
}
END_TEST

START_TEST(check_finds_damaged_page)
{
    const char *path = in_dir("bad.db");
    struct stat sb;
    fill_store(path, 40);
    ck_assert_int_eq(stat(path, &sb), 0);
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    char junk[4096];
    memset(junk, 0xAB, sizeof junk);
    ck_assert_int_eq(fseek(f, sb.st_size - 4096, SEEK_SET), 0);
    ck_assert_uint_eq(fwrite(junk, 1, sizeof junk, f), sizeof junk);
    ck_assert_int_eq(fclose(f), 0);

    struct tr_db *db = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_open(path, TR_DB_READONLY, &db, &err), TR_OK);
    ck_assert_int_eq(tr_db_check(db, &err), TR_EDB);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "store '%s' is damaged: ", path);
    ck_assert_msg(strncmp(err.msg, prefix, strlen(prefix)) == 0, "%s", err.msg);
    ck_assert_ptr_null(strchr(err.msg, '\n'));
    close_ok(db);
}
END_TEST

/* Meta. */

START_TEST(meta_round_trip)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    struct tr_buf b;
    tr_buf_init(&b);
    const unsigned char bytes[] = {0x00, 0xff, 'a', 0x00, '\'', ';'};
    ck_assert_int_eq(tr_db_meta_set(db, "bytes", bytes, sizeof bytes, &err), TR_OK);
    ck_assert_int_eq(tr_db_meta_set(db, "empty", NULL, 0, &err), TR_OK);
    ck_assert_int_eq(tr_db_meta_get(db, "bytes", &b, &err), TR_OK);
    ck_assert_uint_eq(b.len, sizeof bytes);
    ck_assert_mem_eq(b.data, bytes, sizeof bytes);
    tr_buf_reset(&b);
    ck_assert_int_eq(tr_db_meta_set(db, "bytes", "new", 3, &err), TR_OK);
    ck_assert_int_eq(tr_db_meta_get(db, "bytes", &b, &err), TR_OK);
    ck_assert_str_eq(b.data, "new");
    tr_buf_reset(&b);
    ck_assert_int_eq(tr_db_meta_get(db, "empty", &b, &err), TR_OK);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_int_eq(tr_db_meta_get(db, "nope", &b, &err), TR_ENOTFOUND);
    test_msg(&err, "store '%s' has no meta 'nope'", path);
    tr_buf_release(&b);
    close_ok(db);

    db = open_ok(path, TR_DB_READONLY);
    ck_assert_str_eq(meta_text(db, "bytes"), "new");
    ck_assert_str_eq(meta_text(db, TR_DB_META_ORIGIN), ORIGIN);
    close_ok(db);
}
END_TEST

START_TEST(meta_get_respects_buffer_limit)
{
    struct tr_db *db = make_store(in_dir("s.db"));
    struct tr_error err = {0};
    struct tr_buf b;
    tr_buf_init(&b);
    b.max = 4;
    ck_assert_int_eq(tr_db_meta_get(db, TR_DB_META_ORIGIN, &b, &err), TR_ELIMIT);
    test_msg(&err, "store '%s': meta 'origin' does not fit its buffer", in_dir("s.db"));
    tr_buf_release(&b);
    close_ok(db);
}
END_TEST

START_TEST(id_key_must_be_32_bytes)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    unsigned char key[TR_DB_ID_KEY_LEN];
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_ID_KEY, "short", 5, &err), TR_OK);
    ck_assert_int_eq(tr_db_id_key(db, key, &err), TR_EDB);
    test_msg(&err, "store '%s' has an id key of 5 bytes, not 32", path);
    exec_ok(db, "DELETE FROM meta WHERE key = 'id_key'");
    ck_assert_int_eq(tr_db_id_key(db, key, &err), TR_EDB);
    test_msg(&err, "store '%s' has no id key", path);
    close_ok(db);
}
END_TEST

/* Statements. */

static const char *const hostile[] = {
    "'; DROP TABLE meta; --",
    "Robert'); DELETE FROM t; --",
    "\"double\" and 'single' quotes",
    ":name ?1 @at $dollar %s %n \\",
    "王小明 — Ñandú 😀",
    "",
    "line one\nline two\r\n\ttab",
};

START_TEST(bound_text_round_trips_exactly)
{
    struct tr_db *db = make_store(in_dir("s.db"));
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    size_t n = sizeof hostile / sizeof hostile[0];
    exec_ok(db, "CREATE TABLE t (i INTEGER NOT NULL, s TEXT NOT NULL) STRICT");
    ck_assert_int_eq(tr_db_prepare(db, "INSERT INTO t (i, s) VALUES (:i, :s)", &st, &err), TR_OK);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(tr_db_bind_int(st, ":i", (int64_t)i), TR_OK);
        ck_assert_int_eq(tr_db_bind_str(st, ":s", hostile[i]), TR_OK);
        ck_assert_int_eq(tr_db_step(st, NULL, &err), TR_OK);
        ck_assert_int_eq(tr_db_changes(db), 1);
        ck_assert_int_eq(tr_db_reset(st, &err), TR_OK);
    }
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    ck_assert_int_eq(query_int(db, "SELECT count(*) FROM t"), (int64_t)n);
    ck_assert_int_eq(query_int(db, "SELECT count(*) FROM meta"), 3);

    /* Each value reads back byte for byte, and finds itself when bound in a WHERE. */
    ck_assert_int_eq(tr_db_prepare(db, "SELECT i, s FROM t WHERE s = :s", &st, &err), TR_OK);
    for (size_t i = 0; i < n; i++) {
        int row = 0;
        size_t len = 99;
        ck_assert_int_eq(tr_db_bind_text(st, ":s", hostile[i], strlen(hostile[i])), TR_OK);
        ck_assert_int_eq(tr_db_step(st, &row, &err), TR_OK);
        ck_assert_int_eq(row, 1);
        ck_assert_int_eq(tr_db_column_int(st, 0), (int64_t)i);
        const char *s = tr_db_column_text(st, 1, &len);
        ck_assert_uint_eq(len, strlen(hostile[i]));
        ck_assert_mem_eq(s, hostile[i], len);
        ck_assert_int_eq(s[len], '\0');
        ck_assert_int_eq(tr_db_step(st, &row, &err), TR_OK);
        ck_assert_int_eq(row, 0);
        ck_assert_int_eq(tr_db_reset(st, &err), TR_OK);
    }
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    close_ok(db);
}
END_TEST

START_TEST(columns_read_each_type)
{
    struct tr_db *db = make_store(in_dir("s.db"));
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    int row = 0;
    size_t len = 99;
    ck_assert_int_eq(tr_db_prepare(db, "SELECT :big, :neg, :blob, :empty, :nul, :text", &st,
                                   &err),
                     TR_OK);
    tr_db_bind_int(st, ":big", INT64_MAX);
    tr_db_bind_int(st, ":neg", INT64_MIN);
    tr_db_bind_blob(st, ":blob", "\x00\x01\x02", 3);
    tr_db_bind_blob(st, ":empty", NULL, 0);
    tr_db_bind_null(st, ":nul");
    ck_assert_int_eq(tr_db_bind_text(st, ":text", "abc", 2), TR_OK);
    ck_assert_int_eq(tr_db_step(st, &row, &err), TR_OK);
    ck_assert_int_eq(row, 1);
    ck_assert_int_eq(tr_db_column_int(st, 0), INT64_MAX);
    ck_assert_int_eq(tr_db_column_int(st, 1), INT64_MIN);
    const void *p = tr_db_column_blob(st, 2, &len);
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(p, "\x00\x01\x02", 3);
    ck_assert_int_eq(tr_db_column_null(st, 3), 0);
    ck_assert_ptr_nonnull(tr_db_column_blob(st, 3, &len));
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(tr_db_column_null(st, 4), 1);
    ck_assert_str_eq(tr_db_column_text(st, 4, &len), "");
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(tr_db_column_text(st, 5, &len), "ab");
    ck_assert_uint_eq(len, 2);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    ck_assert_int_eq(tr_db_prepare(db, "SELECT -2.5, 7, NULL", &st, &err), TR_OK);
    ck_assert_int_eq(tr_db_step(st, &row, &err), TR_OK);
    ck_assert(tr_db_column_double(st, 0) == -2.5);
    ck_assert(tr_db_column_double(st, 1) == 7.0);
    ck_assert(tr_db_column_double(st, 2) == 0.0);
    ck_assert(tr_db_column_double(st, 3) == 0.0);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_EINVAL);
    test_msg(&err, "store '%s': no column 3 in 'SELECT -2.5, 7, NULL'", in_dir("s.db"));
    close_ok(db);
}
END_TEST

START_TEST(bind_errors_are_sticky)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    exec_ok(db, "CREATE TABLE t (a TEXT, b TEXT)");
    ck_assert_int_eq(tr_db_prepare(db, "INSERT INTO t (a, b) VALUES (:a, :b)", &st, &err), TR_OK);
    ck_assert_int_eq(tr_db_bind_str(st, ":nope", "x"), TR_EINVAL);
    ck_assert_int_eq(tr_db_bind_str(st, ":a", "x"), TR_EINVAL);
    ck_assert_int_eq(tr_db_bind_text(st, ":b", "a\0b", 3), TR_EINVAL);
    ck_assert_int_eq(tr_db_step(st, NULL, &err), TR_EINVAL);
    test_msg(&err, "store '%s': no parameter ':nope' in 'INSERT INTO t (a, b) VALUES (:a, :b)'",
             path);
    tr_error_clear(&err);
    ck_assert_int_eq(tr_db_step(st, NULL, &err), TR_EINVAL);
    test_msg(&err, "store '%s': no parameter ':nope' in 'INSERT INTO t (a, b) VALUES (:a, :b)'",
             path);
    /* Returned by step already: finalize does not report it again. */
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    ck_assert_int_eq(query_int(db, "SELECT count(*) FROM t"), 0);

    ck_assert_int_eq(tr_db_prepare(db, "INSERT INTO t (a, b) VALUES (:a, :b)", &st, &err), TR_OK);
    ck_assert_int_eq(tr_db_bind_text(st, ":b", "a\0b", 3), TR_EINVAL);
    ck_assert_int_eq(tr_db_step(st, NULL, &err), TR_EINVAL);
    test_msg(&err,
             "store '%s': the text of ':b' holds a NUL byte in 'INSERT INTO t (a, b) VALUES "
             "(:a, :b)'",
             path);
    /* A reset clears the sticky error: the statement can run again. */
    ck_assert_int_eq(tr_db_reset(st, &err), TR_OK);
    ck_assert_int_eq(tr_db_bind_str(st, ":a", "x"), TR_OK);
    ck_assert_int_eq(tr_db_step(st, NULL, &err), TR_OK);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    ck_assert_int_eq(query_int(db, "SELECT count(*) FROM t WHERE a = 'x' AND b IS NULL"), 1);
    ck_assert_int_eq(tr_db_bind_int(NULL, ":a", 1), TR_EINVAL);
    close_ok(db);
}
END_TEST

START_TEST(finalize_reports_unseen_errors)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};

    ck_assert_int_eq(tr_db_prepare(db, "SELECT :x", &st, &err), TR_OK);
    tr_db_bind_int(st, ":y", 1);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_EINVAL);
    test_msg(&err, "store '%s': no parameter ':y' in 'SELECT :x'", path);

    ck_assert_int_eq(tr_db_prepare(db, "SELECT 1 WHERE 0", &st, &err), TR_OK);
    ck_assert_int_eq(tr_db_step(st, NULL, &err), TR_OK);
    ck_assert_int_eq(tr_db_column_int(st, 0), 0);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_EINVAL);
    test_msg(&err, "store '%s': column 0 read without a row in 'SELECT 1 WHERE 0'", path);

    int row = 0;
    ck_assert_int_eq(tr_db_prepare(db, "SELECT 1", &st, &err), TR_OK);
    ck_assert_int_eq(tr_db_step(st, &row, &err), TR_OK);
    ck_assert_str_eq(tr_db_column_text(st, 1, NULL), "");
    ck_assert_int_eq(tr_db_reset(st, &err), TR_EINVAL);
    test_msg(&err, "store '%s': no column 1 in 'SELECT 1'", path);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);

    /* The caller's first error wins and its message stays. */
    ck_assert_int_eq(tr_db_prepare(db, "SELECT :x", &st, &err), TR_OK);
    tr_db_bind_int(st, ":y", 1);
    tr_error_set(&err, TR_ENOTFOUND, "earlier");
    ck_assert_int_eq(tr_db_finalize(st, TR_ENOTFOUND, &err), TR_ENOTFOUND);
    ck_assert_str_eq(err.msg, "earlier");
    ck_assert_int_eq(tr_db_finalize(NULL, TR_OK, &err), TR_OK);
    close_ok(db);
}
END_TEST

START_TEST(prepare_refuses_bad_sql)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_db_stmt *st = (struct tr_db_stmt *)&st;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_prepare(db, "SELEC 1", &st, &err), TR_EDB);
    test_msg(&err, "store '%s': cannot run 'SELEC 1': near \"SELEC\": syntax error", path);
    ck_assert_ptr_null(st);
    ck_assert_int_eq(tr_db_prepare(db, "SELECT 1; SELECT 2", &st, &err), TR_EINVAL);
    test_msg(&err, "store '%s': 'SELECT 1; SELECT 2' holds more than one statement", path);
    ck_assert_int_eq(tr_db_prepare(db, "-- nothing\n", &st, &err), TR_EINVAL);
    test_msg(&err, "store '%s': no statement in ''", path);
    ck_assert_int_eq(tr_db_prepare(db, "SELECT * FROM absent", &st, &err), TR_EDB);
    test_msg(&err, "store '%s': cannot run 'SELECT * FROM absent': no such table: absent", path);
    /* Comments and blanks around one statement are fine; messages skip to its first line. */
    ck_assert_int_eq(tr_db_prepare(db, "  -- one\n/* two */ SELECT 1; -- done\n", &st, &err),
                     TR_OK);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    /* A long first line is cut. */
    ck_assert_int_eq(tr_db_prepare(db,
                                   "SELECT aaaaaaaaaa, bbbbbbbbbb, cccccccccc, dddddddddd, "
                                   "eeeeeeeeee, ffffffffff, gggggggggg\nFROM t",
                                   &st, &err),
                     TR_EDB);
    test_msg(&err,
             "store '%s': cannot run 'SELECT aaaaaaaaaa, bbbbbbbbbb, cccccccccc, dddddddddd, "
             "eeeeeeeeee, fffff...': no such table: t",
             path);
    close_ok(db);
}
END_TEST

START_TEST(exec_names_failing_statement)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_exec(db,
                                "CREATE TABLE a (x INTEGER);\n"
                                "-- the next one fails\n"
                                "INSERT INTO nope VALUES (1);\n"
                                "CREATE TABLE b (x INTEGER);\n",
                                &err),
                     TR_EDB);
    test_msg(&err, "store '%s': cannot run 'INSERT INTO nope VALUES (1);': no such table: nope",
             path);
    ck_assert_int_eq(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'a'"), 1);
    ck_assert_int_eq(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'b'"), 0);
    close_ok(db);
}
END_TEST

START_TEST(constraints_map_to_codes)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    exec_ok(db, "CREATE TABLE u (k TEXT PRIMARY KEY, n INTEGER CHECK (n > 0)) STRICT");
    exec_ok(db, "INSERT INTO u (k, n) VALUES ('a', 1)");
    ck_assert_int_eq(tr_db_prepare(db, "INSERT INTO u (k, n) VALUES (:k, :n)", &st, &err), TR_OK);
    tr_db_bind_str(st, ":k", "a");
    tr_db_bind_int(st, ":n", 1);
    ck_assert_int_eq(tr_db_step(st, NULL, &err), TR_EEXIST);
    test_msg(&err,
             "store '%s': cannot run 'INSERT INTO u (k, n) VALUES (:k, :n)': UNIQUE "
             "constraint failed: u.k",
             path);
    /* The step returned it: a caller that accepts "already there" finalizes cleanly. */
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);

    ck_assert_int_eq(tr_db_prepare(db, "INSERT INTO u (k, n) VALUES (:k, :n)", &st, &err), TR_OK);
    tr_db_bind_str(st, ":k", "b");
    tr_db_bind_int(st, ":n", 0);
    ck_assert_int_eq(tr_db_step(st, NULL, &err), TR_ECONFLICT);
    ck_assert_int_eq(tr_db_finalize(st, TR_ECONFLICT, &err), TR_ECONFLICT);

    exec_ok(db, "INSERT OR IGNORE INTO u (k, n) VALUES ('c', 1)");
    ck_assert_int_eq(tr_db_changes(db), 1);
    exec_ok(db, "INSERT OR IGNORE INTO u (k, n) VALUES ('c', 1)");
    ck_assert_int_eq(tr_db_changes(db), 0);
    close_ok(db);
}
END_TEST

START_TEST(readonly_store_refuses_writes)
{
    const char *path = in_dir("s.db");
    close_ok(make_store(path));
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_open(path, TR_DB_READONLY, &db, &err), TR_OK);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_meta_set(db, "k", "v", 1, &err), TR_EDB);
    test_msg(&err,
             "store '%s': cannot run 'INSERT INTO meta (key, value) VALUES (:key, :value)': "
             "attempt to write a readonly database",
             path);
    ck_assert_int_eq(tr_db_rollback(db, &err), TR_OK);
    close_ok(db);
}
END_TEST

/* Transactions. */

START_TEST(failed_transaction_changes_nothing)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    exec_ok(db, "CREATE TABLE u (k TEXT PRIMARY KEY) STRICT");
    exec_ok(db, "INSERT INTO u (k) VALUES ('taken')");

    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_in_transaction(db), 1);
    meta_set_ok(db, "first", "1");
    exec_ok(db, "INSERT INTO u (k) VALUES ('new')");
    ck_assert_int_eq(tr_db_exec(db, "INSERT INTO u (k) VALUES ('taken')", &err), TR_EEXIST);
    ck_assert_int_eq(tr_db_rollback(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_in_transaction(db), 0);
    ck_assert_ptr_null(meta_text(db, "first"));
    ck_assert_int_eq(query_int(db, "SELECT count(*) FROM u"), 1);
    close_ok(db);

    db = open_ok(path, TR_DB_READWRITE);
    ck_assert_ptr_null(meta_text(db, "first"));
    ck_assert_int_eq(query_int(db, "SELECT count(*) FROM u"), 1);
    ck_assert_int_eq(tr_db_commit(db, &err), TR_EINVAL);
    test_msg(&err, "store '%s': commit without a transaction", path);
    ck_assert_int_eq(tr_db_rollback(db, &err), TR_EINVAL);
    test_msg(&err, "store '%s': rollback without a transaction", path);
    close_ok(db);
}
END_TEST

START_TEST(committed_transaction_is_kept)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    meta_set_ok(db, "k", "v");
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    close_ok(db);
    db = open_ok(path, TR_DB_READONLY);
    ck_assert_str_eq(meta_text(db, "k"), "v");
    close_ok(db);
}
END_TEST

START_TEST(nested_rollback_undoes_only_inner)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    meta_set_ok(db, "outer", "1");
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_in_transaction(db), 2);
    meta_set_ok(db, "inner", "2");
    ck_assert_int_eq(tr_db_rollback(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    meta_set_ok(db, "kept", "3");
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_in_transaction(db), 1);
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    close_ok(db);

    db = open_ok(path, TR_DB_READONLY);
    ck_assert_str_eq(meta_text(db, "outer"), "1");
    ck_assert_str_eq(meta_text(db, "kept"), "3");
    ck_assert_ptr_null(meta_text(db, "inner"));
    close_ok(db);
}
END_TEST

/* err holds "store 'PATH': rest". */
static void store_msg_is(const struct tr_error *err, const char *path, const char *rest)
{
    char want[512];
    snprintf(want, sizeof want, "store '%s': %s", path, rest);
    ck_assert_str_eq(err->msg, want);
}

/* Without savepoints an inner begin and commit do nothing, and an inner rollback with
 * nothing written since its begin leaves the outer transaction whole. */
START_TEST(flat_nesting_keeps_outer_writes)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_set_savepoints(db, 0, &err), TR_OK);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    meta_set_ok(db, "outer", "1");
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_in_transaction(db), 2);
    ck_assert_str_eq(meta_text(db, "outer"), "1");
    ck_assert_int_eq(tr_db_rollback(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    meta_set_ok(db, "inner", "2");
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_in_transaction(db), 1);
    ck_assert_int_eq(tr_db_set_savepoints(db, 1, &err), TR_EINVAL);
    store_msg_is(&err, path, "savepoints are turned on or off outside a transaction");
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    close_ok(db);

    db = open_ok(path, TR_DB_READONLY);
    ck_assert_str_eq(meta_text(db, "outer"), "1");
    ck_assert_str_eq(meta_text(db, "inner"), "2");
    close_ok(db);
}
END_TEST

/* Without savepoints an inner rollback after a write cannot undo it alone: the whole
 * transaction goes, and its outer commit says so. */
START_TEST(flat_rollback_after_write_ends_everything)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_set_savepoints(db, 0, &err), TR_OK);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    meta_set_ok(db, "outer", "1");
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    meta_set_ok(db, "inner", "2");
    ck_assert_int_eq(tr_db_rollback(db, &err), TR_EDB);
    store_msg_is(&err, path,
                 "a rollback after writes without savepoints rolled back the whole transaction");
    ck_assert_int_eq(tr_db_begin(db, &err), TR_EDB);
    store_msg_is(&err, path, "the transaction was rolled back by an earlier error");
    ck_assert_int_eq(tr_db_commit(db, &err), TR_EDB);
    ck_assert_int_eq(tr_db_in_transaction(db), 0);
    ck_assert_int_eq(tr_db_set_savepoints(db, 1, &err), TR_OK);
    close_ok(db);

    db = open_ok(path, TR_DB_READONLY);
    ck_assert_ptr_null(meta_text(db, "outer"));
    ck_assert_ptr_null(meta_text(db, "inner"));
    close_ok(db);
}
END_TEST

START_TEST(close_inside_transaction_rolls_back)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    meta_set_ok(db, "k", "v");
    ck_assert_int_eq(tr_db_close(db, &err), TR_EDB);
    test_msg(&err, "store '%s' was closed inside a transaction, which was rolled back", path);
    db = open_ok(path, TR_DB_READONLY);
    ck_assert_ptr_null(meta_text(db, "k"));
    close_ok(db);
}
END_TEST

START_TEST(close_reports_unfinalized_statement)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_prepare(db, "SELECT 1\nFROM meta", &st, &err), TR_OK);
    ck_assert_int_eq(tr_db_close(db, &err), TR_EDB);
    test_msg(&err, "store '%s' was closed with statement 'SELECT 1' not finalized", path);
    /* The handle goes once its last statement does. */
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    ck_assert_int_eq(tr_db_close(NULL, &err), TR_OK);
}
END_TEST

START_TEST(statements_of_fts5_are_not_the_callers)
{
    /* FTS5 keeps statements of its own open while its table is in use; they are not
     * reported as left unfinalized, and the search tokenizer is there on every connection. */
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    int row = 0;
    exec_ok(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'talentreg_cjk')");
    exec_ok(db, "INSERT INTO t (x) VALUES ('电池管理')");
    ck_assert_int_eq(tr_db_prepare(db, "SELECT rowid FROM t WHERE t MATCH '\"电池\"'", &st, &err),
                     TR_OK);
    ck_assert_int_eq(tr_db_step(st, &row, &err), TR_OK);
    ck_assert_int_eq(row, 1);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    close_ok(db);
    ck_assert_int_eq(tr_db_open(path, TR_DB_READONLY, &db, &err), TR_OK);
    ck_assert_int_eq(
        tr_db_prepare(db, "SELECT count(*) FROM t WHERE t MATCH '\"池管\"'", &st, &err), TR_OK);
    ck_assert_int_eq(tr_db_step(st, &row, &err), TR_OK);
    ck_assert_int_eq(tr_db_column_int(st, 0), 1);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    close_ok(db);
}
END_TEST

START_TEST(readonly_transaction_sees_one_snapshot)
{
    const char *path = in_dir("s.db");
    struct tr_db *writer = make_store(path);
    struct tr_db *reader = open_ok(path, TR_DB_READONLY);
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_begin(reader, &err), TR_OK);
    ck_assert_ptr_null(meta_text(reader, "k"));
    meta_set_ok(writer, "k", "v");
    ck_assert_ptr_null(meta_text(reader, "k"));
    ck_assert_int_eq(tr_db_commit(reader, &err), TR_OK);
    ck_assert_str_eq(meta_text(reader, "k"), "v");
    close_ok(reader);
    close_ok(writer);
}
END_TEST

START_TEST(full_disk_is_an_error_and_changes_nothing)
{
    const char *path = in_dir("s.db");
    struct tr_db *db = make_store(path);
    struct tr_error err = {0};
    exec_ok(db, "CREATE TABLE u (v BLOB) STRICT");
    exec_ok(db, "INSERT INTO u (v) VALUES (zeroblob(100))");
    /* SQLite answers SQLITE_FULL when the file may not grow: the disk is full. */
    int64_t pages = query_int(db, "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
    exec_ok(db, sql);

    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    meta_set_ok(db, "first", "1");
    ck_assert_int_eq(tr_db_exec(db, "INSERT INTO u (v) VALUES (zeroblob(1000000))", &err), TR_EIO);
    test_msg(&err, "store '%s': the disk is full", path);
    ck_assert_int_eq(tr_db_rollback(db, &err), TR_OK);
    ck_assert_ptr_null(meta_text(db, "first"));
    ck_assert_int_eq(query_int(db, "SELECT count(*) FROM u"), 1);
    ck_assert_int_eq(tr_db_check(db, &err), TR_OK);

    /* Room again: the same write goes through. */
    exec_ok(db, "PRAGMA max_page_count = 1000000");
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    exec_ok(db, "INSERT INTO u (v) VALUES (zeroblob(1000000))");
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    close_ok(db);
    db = open_ok(path, TR_DB_READONLY);
    ck_assert_int_eq(query_int(db, "SELECT count(*) FROM u"), 2);
    close_ok(db);
}
END_TEST

START_TEST(second_writer_is_told_the_store_is_busy)
{
    const char *path = in_dir("s.db");
    struct tr_db *first = make_store(path);
    struct tr_db *second = open_ok(path, TR_DB_READWRITE);
    struct tr_error err = {0};
    /* No waiting for the lock: TR_DB_BUSY_TIMEOUT_MS would only make the test slow. */
    exec_ok(second, "PRAGMA busy_timeout = 0");
    ck_assert_int_eq(tr_db_begin(first, &err), TR_OK);
    meta_set_ok(first, "k", "first");
    ck_assert_int_eq(tr_db_begin(second, &err), TR_EDB);
    test_msg(&err, "store '%s' is busy: another process holds a lock on it", path);
    ck_assert_int_eq(tr_db_in_transaction(second), 0);
    ck_assert_int_eq(tr_db_commit(first, &err), TR_OK);

    /* The lock released, the second writer goes on and sees the first one's write. */
    ck_assert_int_eq(tr_db_begin(second, &err), TR_OK);
    ck_assert_str_eq(meta_text(second, "k"), "first");
    meta_set_ok(second, "k", "second");
    ck_assert_int_eq(tr_db_commit(second, &err), TR_OK);
    close_ok(second);
    ck_assert_str_eq(meta_text(first, "k"), "second");
    close_ok(first);
}
END_TEST

Suite *db_suite(void)
{
    Suite *s = suite_create("db");
    TCase *tc = tcase_create("create");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, create_then_open);
    tcase_add_test(tc, each_store_has_its_own_id_key);
    tcase_add_test(tc, create_refuses_existing_file);
    tcase_add_test(tc, create_refuses_existing_store);
    tcase_add_test(tc, create_refuses_symlink);
    tcase_add_test(tc, create_refuses_leftover_wal);
    tcase_add_test(tc, create_in_missing_directory_fails);
    tcase_add_loop_test(tc, origins_are_checked, 0, sizeof origins / sizeof origins[0]);
    tcase_add_test(tc, origin_length_is_bounded);
    suite_add_tcase(s, tc);

    tc = tcase_create("open");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, open_missing_file);
    tcase_add_test(tc, open_empty_file);
    tcase_add_test(tc, open_text_file);
    tcase_add_test(tc, open_directory);
    tcase_add_loop_test(tc, open_altered_store, 0, sizeof altered / sizeof altered[0]);
    tcase_add_test(tc, open_truncated_store);
    tcase_add_test(tc, check_finds_damaged_page);
    suite_add_tcase(s, tc);

    tc = tcase_create("meta");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, meta_round_trip);
    tcase_add_test(tc, meta_get_respects_buffer_limit);
    tcase_add_test(tc, id_key_must_be_32_bytes);
    suite_add_tcase(s, tc);

    tc = tcase_create("statements");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, bound_text_round_trips_exactly);
    tcase_add_test(tc, columns_read_each_type);
    tcase_add_test(tc, bind_errors_are_sticky);
    tcase_add_test(tc, finalize_reports_unseen_errors);
    tcase_add_test(tc, prepare_refuses_bad_sql);
    tcase_add_test(tc, exec_names_failing_statement);
    tcase_add_test(tc, constraints_map_to_codes);
    tcase_add_test(tc, readonly_store_refuses_writes);
    suite_add_tcase(s, tc);

    tc = tcase_create("transactions");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, failed_transaction_changes_nothing);
    tcase_add_test(tc, committed_transaction_is_kept);
    tcase_add_test(tc, nested_rollback_undoes_only_inner);
    tcase_add_test(tc, flat_nesting_keeps_outer_writes);
    tcase_add_test(tc, flat_rollback_after_write_ends_everything);
    tcase_add_test(tc, close_inside_transaction_rolls_back);
    tcase_add_test(tc, close_reports_unfinalized_statement);
    tcase_add_test(tc, statements_of_fts5_are_not_the_callers);
    tcase_add_test(tc, readonly_transaction_sees_one_snapshot);
    tcase_add_test(tc, full_disk_is_an_error_and_changes_nothing);
    tcase_add_test(tc, second_writer_is_told_the_store_is_busy);
    suite_add_tcase(s, tc);
    return s;
}
