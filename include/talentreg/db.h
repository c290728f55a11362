/*
 * talentreg/db.h — the store: one SQLite file, and the only way into it.
 *
 * Every SQL statement of talentreg runs through this module (see docs/store.md). A store is
 * stamped with PRAGMA application_id TR_DB_APPLICATION_ID and PRAGMA user_version
 * TR_DB_SCHEMA_VERSION, runs in WAL mode with synchronous=FULL and foreign keys on, and
 * keeps its settings (origin, creation time, id key) in the table meta. The tables are
 * created from the commented schema files compiled into the library: schemas/store.sql, then
 * every schemas/store-<module>.sql in name order, each owned by its module.
 *
 * Rules every caller keeps:
 *   - user text is always bound (tr_db_bind_*), never spliced into SQL text;
 *   - every statement is finalized with tr_db_finalize, whose result is checked;
 *   - writes run inside tr_db_begin .. tr_db_commit (BEGIN IMMEDIATE), so a write is all or
 *     nothing and a crash at any point leaves the store as it was before the transaction.
 *
 * Errors: functions return TR_OK or one TR_E* code and fill an optional struct tr_error.
 * Messages name the store ("store 'PATH': ...") and, for a failing statement, the first
 * line of its SQL. SQLite result codes map to: out of memory TR_ENOMEM; a UNIQUE or PRIMARY
 * KEY constraint TR_EEXIST; any other constraint TR_ECONFLICT; disk I/O or a full disk
 * TR_EIO; everything else (busy, damaged, not a store, misuse) TR_EDB.
 *
 * A struct tr_db and its statements belong to one thread at a time.
 */
#ifndef TALENTREG_DB_H
#define TALENTREG_DB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PRAGMA application_id of every store: ASCII "TReg". */
#define TR_DB_APPLICATION_ID 0x54526567
/* PRAGMA user_version of the schema this library creates and reads. */
#define TR_DB_SCHEMA_VERSION 1
/* Bytes of the store's id key (an HMAC-SHA256 key). */
#define TR_DB_ID_KEY_LEN 32
/* Longest origin in bytes. */
#define TR_DB_ORIGIN_MAX 255
/* How long a statement waits for another process's lock before it fails, in milliseconds. */
#define TR_DB_BUSY_TIMEOUT_MS 10000

/* Keys of the meta table written by tr_db_create. */
#define TR_DB_META_ORIGIN "origin"   /* the origin, as given to tr_db_create */
#define TR_DB_META_CREATED "created" /* creation time, RFC 3339 UTC: 2026-01-31T08:00:00Z */
#define TR_DB_META_ID_KEY "id_key"   /* TR_DB_ID_KEY_LEN random bytes */

/* Flags of tr_db_open. */
enum tr_db_mode {
    TR_DB_READONLY = 0, /* reads only; any write fails with TR_EDB */
    TR_DB_READWRITE = 1
};

/* An open store. Opaque; made by tr_db_create or tr_db_open, freed by tr_db_close. */
struct tr_db;

/* A prepared statement of one store. Opaque; made by tr_db_prepare, freed by tr_db_finalize. */
struct tr_db_stmt;

/*
 * tr_db_check_origin — TR_OK when origin is a valid log origin: 1 to TR_DB_ORIGIN_MAX bytes
 * of printable ASCII (0x21..0x7e) other than '+', the characters a C2SP signed-note key name
 * and checkpoint origin may hold. Otherwise TR_EINVAL with a message saying what is wrong
 * ("origin 'a b' contains a space"); an origin with an unprintable byte is not quoted back.
 * origin NULL is TR_EINVAL.
 */
int tr_db_check_origin(const char *origin, struct tr_error *err);

/*
 * tr_db_create — create a new store at path and open it read-write.
 *
 * The file is created with mode 0600 and O_EXCL|O_NOFOLLOW, so an existing file (or
 * symbolic link) is never touched: that is TR_EEXIST "'PATH' already exists". So are
 * leftover PATH-wal, PATH-shm and PATH-journal files, which SQLite would otherwise apply to
 * the new store. In one transaction it runs the schema files, stamps application_id and
 * user_version, and writes origin, created and a fresh random id_key to meta; then it closes
 * and re-opens the store with tr_db_open, so what it wrote is read back and checked.
 *
 * path:   the store's file name; NULL or "" is TR_EINVAL.
 * origin: checked with tr_db_check_origin (TR_EINVAL).
 * out:    [out] the open store, owned by the caller (tr_db_close); NULL on failure.
 * Returns TR_OK, TR_EINVAL, TR_EEXIST, TR_EIO (the file cannot be created), TR_ECRYPTO
 * (no randomness), TR_ENOMEM or TR_EDB. On any failure the files it created are removed.
 */
int tr_db_create(const char *path, const char *origin, struct tr_db **out,
                 struct tr_error *err);

/*
 * tr_db_open — open an existing store.
 *
 * flags: TR_DB_READONLY or TR_DB_READWRITE.
 * out:   [out] the open store, owned by the caller (tr_db_close); NULL on failure.
 * Nothing is written to a file that is not a talentreg store. Returns TR_OK, or
 *   TR_ENOTFOUND "store 'PATH' does not exist (run 'talentreg init')";
 *   TR_EDB "'PATH' is not a talentreg store" (not SQLite, an empty file, a directory,
 *          another application_id), "store 'PATH' is damaged" (truncated or corrupt pages),
 *          "store 'PATH' is busy: another process holds a lock on it";
 *   TR_EVERSION when its user_version is newer than TR_DB_SCHEMA_VERSION (or older, once
 *          there are older versions that this library cannot read);
 *   TR_EIO when the file cannot be opened (permissions), TR_EINVAL, TR_ENOMEM.
 */
int tr_db_open(const char *path, int flags, struct tr_db **out, struct tr_error *err);

/*
 * tr_db_close — close db and free it. NULL is a no-op returning TR_OK.
 * Closing inside a transaction rolls it back; a statement left unfinalized is a caller's
 * bug. Both are reported as TR_EDB (the handle is freed all the same, once its statements
 * are finalized). Otherwise TR_OK.
 */
int tr_db_close(struct tr_db *db, struct tr_error *err);

/* tr_db_path — the file name db was opened with; owned by db. */
const char *tr_db_path(const struct tr_db *db);

/* tr_db_origin — the store's origin, read from meta when it was opened; owned by db. */
const char *tr_db_origin(const struct tr_db *db);

/*
 * tr_db_id_key — copy the store's id key into out (which the caller wipes with tr_wipe
 * after use). Returns TR_OK, TR_EDB when the key is missing or not TR_DB_ID_KEY_LEN bytes,
 * or the errors of a statement.
 */
int tr_db_id_key(struct tr_db *db, unsigned char out[TR_DB_ID_KEY_LEN], struct tr_error *err);

/*
 * tr_db_meta_get — append the value stored under key in meta to out (out's own sticky error
 * counts: TR_ENOMEM or TR_ELIMIT). Returns TR_OK, TR_ENOTFOUND "store 'PATH' has no meta
 * 'KEY'", or the errors of a statement.
 */
int tr_db_meta_get(struct tr_db *db, const char *key, struct tr_buf *out, struct tr_error *err);

/*
 * tr_db_meta_set — store len bytes at value under key, replacing an older value.
 * value may be NULL when len is 0. Returns TR_OK or the errors of a statement.
 */
int tr_db_meta_set(struct tr_db *db, const char *key, const void *value, size_t len,
                   struct tr_error *err);

/*
 * Transactions. tr_db_begin starts one: BEGIN IMMEDIATE on a read-write store, so the write
 * lock is taken at once (or the call waits up to TR_DB_BUSY_TIMEOUT_MS and fails with
 * TR_EDB), and a plain BEGIN on a read-only one, so every read until the end sees one
 * snapshot. Calls nest: an inner begin opens a savepoint, whose commit releases it and whose
 * rollback undoes only what was done since it, so a library function can wrap its writes in
 * begin/commit whether or not its caller already holds a transaction. Only the outermost
 * commit makes the changes durable.
 *
 * tr_db_commit: TR_OK when committed (or the savepoint released). When COMMIT fails the
 *   transaction is rolled back, nothing of it is kept, and the error is returned.
 * tr_db_rollback: undoes the innermost open transaction. Returns TR_OK or the error of
 *   ROLLBACK; either way that level is ended. On an error path, pass err NULL to keep the
 *   first error's message.
 * Both return TR_EINVAL when no transaction is open.
 */
int tr_db_begin(struct tr_db *db, struct tr_error *err);
int tr_db_commit(struct tr_db *db, struct tr_error *err);
int tr_db_rollback(struct tr_db *db, struct tr_error *err);

/* tr_db_in_transaction — how many transactions are open (0 when none). */
int tr_db_in_transaction(const struct tr_db *db);

/*
 * tr_db_exec — run every statement of sql (separated by ';'), none with parameters; rows
 * they return are ignored. For schema text and fixed statements only: user text goes
 * through tr_db_prepare and the binds. Stops at the first failing statement and names it.
 */
int tr_db_exec(struct tr_db *db, const char *sql, struct tr_error *err);

/*
 * tr_db_changes — how many rows the last completed INSERT, UPDATE or DELETE changed
 * (0 after an INSERT OR IGNORE that found its row already there).
 */
int64_t tr_db_changes(const struct tr_db *db);

/*
 * tr_db_check — PRAGMA quick_check over the whole file: TR_OK, or TR_EDB
 * "store 'PATH' is damaged: DETAIL" with SQLite's first finding. Reads every page.
 */
int tr_db_check(struct tr_db *db, struct tr_error *err);

/*
 * tr_db_prepare — compile exactly one statement. Parameters are written :name.
 * sql: the statement; its text is kept for error messages. Comments and whitespace around
 *      it are fine; a second statement is TR_EINVAL.
 * out: [out] the statement, owned by the caller until tr_db_finalize; NULL on failure.
 * Returns TR_OK, TR_EINVAL, TR_ENOMEM or TR_EDB (a syntax error, an unknown table).
 */
int tr_db_prepare(struct tr_db *db, const char *sql, struct tr_db_stmt **out,
                  struct tr_error *err);

/*
 * Binds. name is the parameter as written in the SQL, colon included (":key"). Each bind
 * copies its value. Errors are sticky, as in struct tr_buf: the first failure (an unknown
 * name TR_EINVAL, text holding a NUL byte TR_EINVAL, a value over SQLite's limit TR_ELIMIT,
 * TR_ENOMEM) is kept in the statement, every later bind is a no-op, and tr_db_step,
 * tr_db_reset or tr_db_finalize returns it with its message, so ten binds need one check.
 * Each returns the statement's sticky code (TR_OK so far). A NULL st returns TR_EINVAL.
 *
 * tr_db_bind_text: len bytes of UTF-8 at s (s may be NULL when len is 0: empty text).
 * tr_db_bind_str:  the C string s; s NULL binds SQL NULL.
 * tr_db_bind_blob: len bytes at p (p may be NULL when len is 0: an empty blob, not NULL).
 */
int tr_db_bind_text(struct tr_db_stmt *st, const char *name, const char *s, size_t len);
int tr_db_bind_str(struct tr_db_stmt *st, const char *name, const char *s);
int tr_db_bind_blob(struct tr_db_stmt *st, const char *name, const void *p, size_t len);
int tr_db_bind_int(struct tr_db_stmt *st, const char *name, int64_t v);
int tr_db_bind_null(struct tr_db_stmt *st, const char *name);

/*
 * tr_db_step — run st to its next row.
 * row: [out] 1 when a row is ready for the tr_db_column_* readers, 0 when the statement is
 *      done; may be NULL for statements that return no rows.
 * Returns TR_OK, the statement's sticky error, or the statement's failure (mapped as above,
 * message "store 'PATH': cannot run 'FIRST LINE OF SQL': SQLITE MESSAGE" where no clearer
 * message exists). After a failure, later steps return the same error.
 */
int tr_db_step(struct tr_db_stmt *st, int *row, struct tr_error *err);

/*
 * Column readers, for the row tr_db_step just returned; col counts from 0. Reading without
 * a row or past the last column is a caller's bug: it sets the sticky error TR_EINVAL and
 * returns 0 or "". Pointers stay valid until the next step, reset or finalize of st.
 *
 * tr_db_column_int:  the value as a 64-bit integer (SQL NULL is 0).
 * tr_db_column_double: the value as a double (SQL NULL is 0.0), e.g. an FTS5 rank.
 * tr_db_column_text: the value as NUL-terminated UTF-8, never NULL ("" for SQL NULL);
 *                    *len (may be NULL) gets its length in bytes.
 * tr_db_column_blob: the value's bytes, never NULL (an empty blob and SQL NULL give a
 *                    pointer to zero bytes); *len (may be NULL) gets their number.
 * tr_db_column_null: 1 when the value is SQL NULL, else 0.
 */
int64_t tr_db_column_int(struct tr_db_stmt *st, int col);
double tr_db_column_double(struct tr_db_stmt *st, int col);
const char *tr_db_column_text(struct tr_db_stmt *st, int col, size_t *len);
const void *tr_db_column_blob(struct tr_db_stmt *st, int col, size_t *len);
int tr_db_column_null(struct tr_db_stmt *st, int col);

/*
 * tr_db_reset — make st ready to run again with new binds (all binds are cleared).
 * Returns TR_OK, or an error not yet returned by tr_db_step (a sticky bind or column error);
 * the sticky state is cleared either way.
 */
int tr_db_reset(struct tr_db_stmt *st, struct tr_error *err);

/*
 * tr_db_finalize — free st (NULL is a no-op) and say how its life ended.
 * rc: the caller's result so far. When rc is not TR_OK, st is freed, err is left alone and
 *     rc is returned: the first error wins. When rc is TR_OK, the result is TR_OK or an
 *     error of st that no earlier call returned (a sticky bind or column error, or a failure
 *     SQLite reports on finalize), with its message in err.
 * So a function ends with `out: return tr_db_finalize(st, rc, err);`.
 */
int tr_db_finalize(struct tr_db_stmt *st, int rc, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
