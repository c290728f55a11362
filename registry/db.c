/*
 * db.c — the store's connection and transactions: opens, creates, checks and closes a store
 * and runs its transactions and savepoints. With db_stmt.c (statements) and db_meta.c (the
 * meta table) the one module that talks to SQLite (see talentreg/db.h and docs/store.md).
 * Every other module reaches its tables through the statements there.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_impl.h"
#include "embedded.h"
#include "fts_cjk.h"
#include "talentreg/crypto.h"
#include "talentreg/db.h"

/* The schema: this file first, then every schemas/store-<module>.sql in name order. */
#define SCHEMA_MAIN "schemas/store.sql"
#define SCHEMA_PREFIX "schemas/store-"
#define SCHEMA_SUFFIX ".sql"

/* Files beside a store that SQLite would apply to a new file of the same name. */
static const char *const side_files[] = {"-wal", "-shm", "-journal"};

const char *db_first_line(const char *sql, char line[SQL_LINE_MAX + 4])
{
    const char *p = sql != NULL ? sql : "";
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        }
        if (p[0] == '-' && p[1] == '-') {
            p += strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end != NULL ? end + 2 : p + strlen(p);
        } else {
            break;
        }
    }
    size_t n = strcspn(p, "\r\n");
    int cut = n > SQL_LINE_MAX;
    if (cut) {
        n = SQL_LINE_MAX;
        while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t')) {
        n--;
    }
    memcpy(line, p, n);
    memcpy(line + n, cut ? "..." : "", cut ? 4 : 1);
    return line;
}

int db_fail(struct tr_db *db, int src, const char *sql, struct tr_error *err)
{
    char line[SQL_LINE_MAX + 4];
    const char *detail = sqlite3_errmsg(db->h);
    switch (src & 0xFF) {
    case SQLITE_NOMEM:
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    case SQLITE_BUSY:
        return tr_error_set(err, TR_EDB, "store '%s' is busy: another process holds a lock on it",
                            db->path);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return tr_error_set(err, TR_EDB, "store '%s' is damaged", db->path);
    case SQLITE_FULL:
        return tr_error_set(err, TR_EIO, "store '%s': the disk is full", db->path);
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: {
        int e = sqlite3_system_errno(db->h);
        return tr_error_set(err, TR_EIO, "store '%s': cannot read or write: %s", db->path,
                            e != 0 ? strerror(e) : detail);
    }
    default:
        break;
    }
    int code = TR_EDB;
    if (src == SQLITE_CONSTRAINT_UNIQUE || src == SQLITE_CONSTRAINT_PRIMARYKEY) {
        code = TR_EEXIST;
    } else if ((src & 0xFF) == SQLITE_CONSTRAINT) {
        code = TR_ECONFLICT;
    }
    if (sql == NULL) {
        return tr_error_set(err, code, "store '%s': %s", db->path, detail);
    }
    return tr_error_set(err, code, "store '%s': cannot run '%s': %s", db->path,
                        db_first_line(sql, line), detail);
}

int tr_db_check_origin(const char *origin, struct tr_error *err)
{
    if (origin == NULL || origin[0] == '\0') {
        return tr_error_set(err, TR_EINVAL, "origin must not be empty");
    }
    size_t len = strlen(origin);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)origin[i];
        if (c < 0x20 || c > 0x7E) {
            return tr_error_set(err, TR_EINVAL,
                                "origin holds a byte that is not printable ASCII (0x%02x at "
                                "offset %zu)",
                                c, i);
        }
    }
    if (len > TR_DB_ORIGIN_MAX) {
        return tr_error_set(err, TR_EINVAL, "origin is %zu bytes long, more than %d", len,
                            TR_DB_ORIGIN_MAX);
    }
    if (strchr(origin, ' ') != NULL) {
        return tr_error_set(err, TR_EINVAL, "origin '%s' contains a space", origin);
    }
    if (strchr(origin, '+') != NULL) {
        return tr_error_set(err, TR_EINVAL, "origin '%s' contains '+'", origin);
    }
    return TR_OK;
}

/* A handle with nothing open yet. */
static int db_alloc(const char *path, int readonly, struct tr_db **out, struct tr_error *err)
{
    struct tr_db *db = calloc(1, sizeof *db);
    if (db == NULL || (db->path = strdup(path)) == NULL) {
        free(db);
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    db->readonly = readonly;
    *out = db;
    return TR_OK;
}

/* Close without the checks of tr_db_close: for handles that failed to open. */
static void db_discard(struct tr_db *db)
{
    if (db != NULL) {
        db_drop_cache(db);
        sqlite3_close_v2(db->h);
        free(db->path);
        free(db->origin);
        free(db);
    }
}

/*
 * Open the SQLite handle of db with open flags oflags and apply the settings that are not
 * stored in the file. Reads nothing, so it cannot yet tell a store from any other file.
 */
static int db_connect(struct tr_db *db, int oflags, struct tr_error *err)
{
    int src = sqlite3_open_v2(db->path, &db->h, oflags | SQLITE_OPEN_EXRESCODE, NULL);
    if (src == SQLITE_NOMEM || db->h == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    if (src != SQLITE_OK) {
        int e = sqlite3_system_errno(db->h);
        return tr_error_set(err, TR_EIO, "cannot open store '%s': %s", db->path,
                            e != 0 ? strerror(e) : sqlite3_errmsg(db->h));
    }
    /*
     * Defensive mode: no SQL can rewrite the schema or a shadow table behind the schema's
     * back. trusted_schema stays on: with it off, SQLite refuses FTS5 tables in triggers,
     * which the search index may use; talentreg registers no function a hostile schema
     * could abuse.
     */
    if (sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(db->h, TR_DB_BUSY_TIMEOUT_MS) != SQLITE_OK) {
        return db_fail(db, sqlite3_errcode(db->h), NULL, err);
    }
    return TR_OK;
}

/*
 * Read the one integer a PRAGMA returns. A file SQLite cannot read as a database at all is
 * reported as not a store (the caller's subject is a file, not yet a store).
 */
static int pragma_int(struct tr_db *db, const char *sql, int64_t *out, struct tr_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = TR_OK;
    int src = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    if (src == SQLITE_OK) {
        src = sqlite3_step(st);
    }
    if (src == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
    } else if (src == SQLITE_NOTADB) {
        rc = tr_error_set(err, TR_EDB, "'%s' is not a talentreg store", db->path);
    } else {
        rc = db_fail(db, src, sql, err);
    }
    sqlite3_finalize(st); /* repeats the step's result, reported above */
    return rc;
}

/* Run one PRAGMA that answers with a text value, and check the answer. */
static int pragma_expect(struct tr_db *db, const char *sql, const char *want,
                         struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    int rc = tr_db_prepare(db, sql, &st, err);
    if (rc == TR_OK) {
        rc = tr_db_step(st, &row, err);
    }
    if (rc == TR_OK && (!row || strcmp(tr_db_column_text(st, 0, NULL), want) != 0)) {
        rc = tr_error_set(err, TR_EDB, "store '%s': '%s' did not answer '%s'", db->path, sql,
                          want);
    }
    return tr_db_finalize(st, rc, err);
}

/*
 * Register the search index's tokenizer (fts_cjk.c) with the connection's FTS5. The index
 * names it in its CREATE VIRTUAL TABLE, and FTS5 looks it up whenever the table is created
 * or opened, so it must be there before any statement touches the index.
 */
static int db_register_tokenizer(struct tr_db *db, struct tr_error *err)
{
    static const char sql[] = "SELECT fts5(:api)";
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    if (src == SQLITE_OK) {
        src = sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    }
    if (src == SQLITE_OK) {
        src = sqlite3_step(st);
        src = src == SQLITE_ROW ? SQLITE_OK : src;
    }
    if (src != SQLITE_OK) {
        int rc = db_fail(db, src, sql, err);
        sqlite3_finalize(st);
        return rc;
    }
    sqlite3_finalize(st);
    if (api == NULL) {
        return tr_error_set(err, TR_EDB, "store '%s': SQLite was built without FTS5", db->path);
    }
    src = tr_fts_cjk_register(api);
    if (src != SQLITE_OK) {
        return db_fail(db, src, NULL, err);
    }
    return TR_OK;
}

/* The settings every connection gets once it is known to be a store. */
static int db_configure(struct tr_db *db, struct tr_error *err)
{
    int rc = db_register_tokenizer(db, err);
    if (rc == TR_OK && !db->readonly) {
        rc = pragma_expect(db, "PRAGMA journal_mode = WAL", "wal", err);
    }
    if (rc == TR_OK) {
        rc = tr_db_exec(db,
                        "PRAGMA foreign_keys = ON;\n"
                        "PRAGMA synchronous = FULL;\n"
                        "PRAGMA cell_size_check = ON;\n"
                        /* 32 MiB of pages (2 MiB by default): a search walks thousands of
                           rows of the index and of search_record (docs/search.md) */
                        "PRAGMA cache_size = -32768",
                        err);
    }
    return rc;
}

/* Check that db is a store this library can read, then configure it and load the origin. */
static int db_validate(struct tr_db *db, struct tr_error *err)
{
    int64_t app = 0, version = 0;
    int rc = pragma_int(db, "PRAGMA application_id", &app, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (app != TR_DB_APPLICATION_ID) {
        return tr_error_set(err, TR_EDB, "'%s' is not a talentreg store", db->path);
    }
    rc = pragma_int(db, "PRAGMA user_version", &version, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (version > TR_DB_SCHEMA_VERSION) {
        return tr_error_set(err, TR_EVERSION,
                            "store '%s' has schema version %lld, newer than this talentreg "
                            "reads (%d)",
                            db->path, (long long)version, TR_DB_SCHEMA_VERSION);
    }
    if (version < 1) {
        return tr_error_set(err, TR_EDB, "store '%s' has no schema version", db->path);
    }
    rc = db_configure(db, err);
    if (rc != TR_OK) {
        return rc;
    }
    struct tr_buf origin;
    tr_buf_init(&origin);
    rc = tr_db_meta_get(db, TR_DB_META_ORIGIN, &origin, err);
    if (rc == TR_ENOTFOUND) {
        rc = tr_error_set(err, TR_EDB, "store '%s' has no origin", db->path);
    }
    if (rc == TR_OK) {
        db->origin = tr_buf_detach(&origin, NULL);
        if (db->origin == NULL) {
            rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        }
    }
    tr_buf_release(&origin);
    return rc;
}

int tr_db_open(const char *path, int flags, struct tr_db **out, struct tr_error *err)
{
    struct tr_db *db = NULL;
    struct stat sb;
    int rc = TR_OK;
    if (out != NULL) {
        *out = NULL;
    }
    if (path == NULL || path[0] == '\0' || out == NULL ||
        (flags != TR_DB_READONLY && flags != TR_DB_READWRITE)) {
        return tr_error_set(err, TR_EINVAL, "tr_db_open: no path, no result or bad flags");
    }
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT) {
            return tr_error_set(err, TR_ENOTFOUND,
                                "store '%s' does not exist (run 'talentreg init')", path);
        }
        return tr_error_set(err, TR_EIO, "cannot open store '%s': %s", path, strerror(errno));
    }
    if (!S_ISREG(sb.st_mode)) {
        return tr_error_set(err, TR_EDB, "'%s' is not a talentreg store", path);
    }
    int readonly = flags == TR_DB_READONLY;
    rc = db_alloc(path, readonly, &db, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = db_connect(db, readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = db_validate(db, err);
out:
    if (rc != TR_OK) {
        db_discard(db);
        db = NULL;
    }
    *out = db;
    return rc;
}

/* Run the schema files in one transaction that also stamps the store and fills meta. */
static int db_init_schema(struct tr_db *db, const char *origin, struct tr_error *err)
{
    unsigned char key[TR_DB_ID_KEY_LEN];
    char created[32];
    char stamp[96];
    time_t now = time(NULL);
    struct tm tm;
    int rc = TR_OK;

    const struct tr_embedded *main_schema = tr_embedded_find(SCHEMA_MAIN);
    if (main_schema == NULL) {
        return tr_error_set(err, TR_EDB, "schema '%s' is not compiled in", SCHEMA_MAIN);
    }
    if (tr_random(key, sizeof key) != TR_OK) {
        return tr_error_set(err, TR_ECRYPTO, "cannot generate the id key of store '%s'",
                            db->path);
    }
    if (gmtime_r(&now, &tm) == NULL ||
        strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        rc = tr_error_set(err, TR_EINVAL, "cannot format the current time");
        goto out;
    }
    rc = tr_db_begin(db, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = tr_db_exec(db, main_schema->data, err);
    if (rc != TR_OK) {
        tr_error_prefix(err, "schema '%s'", SCHEMA_MAIN);
    }
    for (size_t i = 0; rc == TR_OK && i < tr_embedded_count; i++) {
        const char *p = tr_embedded_files[i].path;
        size_t n = strlen(p);
        if (strncmp(p, SCHEMA_PREFIX, strlen(SCHEMA_PREFIX)) == 0 && n > strlen(SCHEMA_SUFFIX) &&
            strcmp(p + n - strlen(SCHEMA_SUFFIX), SCHEMA_SUFFIX) == 0) {
            rc = tr_db_exec(db, tr_embedded_files[i].data, err);
            if (rc != TR_OK) {
                tr_error_prefix(err, "schema '%s'", p);
            }
        }
    }
    if (rc == TR_OK) {
        snprintf(stamp, sizeof stamp, "PRAGMA application_id = %d;\nPRAGMA user_version = %d",
                 TR_DB_APPLICATION_ID, TR_DB_SCHEMA_VERSION);
        rc = tr_db_exec(db, stamp, err);
    }
    if (rc == TR_OK) {
        rc = tr_db_meta_set(db, TR_DB_META_ORIGIN, origin, strlen(origin), err);
    }
    if (rc == TR_OK) {
        rc = tr_db_meta_set(db, TR_DB_META_CREATED, created, strlen(created), err);
    }
    if (rc == TR_OK) {
        rc = tr_db_meta_set(db, TR_DB_META_ID_KEY, key, sizeof key, err);
    }
    if (rc == TR_OK) {
        rc = tr_db_commit(db, err);
    } else {
        tr_db_rollback(db, NULL);
    }
out:
    tr_wipe(key, sizeof key);
    return rc;
}

/* Make the new directory entry of path durable, as SQLite does for its journals. */
static int sync_dir(const char *path, struct tr_error *err)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash == NULL ? strdup(".") : strndup(path, (size_t)(slash - path) + 1);
    int rc = TR_OK;
    if (dir == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL)) {
        rc = tr_error_set(err, TR_EIO, "cannot sync directory '%s': %s", dir, strerror(errno));
    }
    if (fd >= 0) {
        close(fd);
    }
    free(dir);
    return rc;
}

/* Room for a store's file name with a side-file suffix. */
#define SIDE_NAME_MAX (PATH_MAX + 16)

/*
 * path with suffix appended into out; 0 when it does not fit (no such file can exist). No
 * allocation: the clean-up after a failed create must work when memory has run out.
 */
static int side_name(const char *path, const char *suffix, char out[SIDE_NAME_MAX])
{
    int n = snprintf(out, SIDE_NAME_MAX, "%s%s", path, suffix);
    return n >= 0 && n < SIDE_NAME_MAX;
}

/* Refuse when a file SQLite keeps beside a store already exists for path. */
static int check_side_files(const char *path, struct tr_error *err)
{
    struct stat sb;
    char name[SIDE_NAME_MAX];
    for (size_t i = 0; i < sizeof side_files / sizeof side_files[0]; i++) {
        if (side_name(path, side_files[i], name) && lstat(name, &sb) == 0) {
            return tr_error_set(err, TR_EEXIST, "'%s' already exists", name);
        }
    }
    return TR_OK;
}

/* Remove path and the files SQLite may have made beside it (none existed before create). */
static void remove_store_files(const char *path)
{
    char name[SIDE_NAME_MAX];
    unlink(path);
    for (size_t i = 0; i < sizeof side_files / sizeof side_files[0]; i++) {
        if (side_name(path, side_files[i], name)) {
            unlink(name);
        }
    }
}

int tr_db_create(const char *path, const char *origin, struct tr_db **out,
                 struct tr_error *err)
{
    struct tr_db *db = NULL;
    int created = 0;
    int rc = TR_OK;
    if (out != NULL) {
        *out = NULL;
    }
    if (path == NULL || path[0] == '\0' || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_db_create: no path or no result");
    }
    rc = tr_db_check_origin(origin, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = check_side_files(path, err);
    if (rc != TR_OK) {
        goto out;
    }
    /* O_EXCL makes the refusal atomic: nothing another process made at path is touched. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            rc = tr_error_set(err, TR_EEXIST, "'%s' already exists", path);
        } else {
            rc = tr_error_set(err, TR_EIO, "cannot create '%s': %s", path, strerror(errno));
        }
        goto out;
    }
    created = 1;
    if (close(fd) != 0) {
        rc = tr_error_set(err, TR_EIO, "cannot create '%s': %s", path, strerror(errno));
        goto out;
    }
    rc = db_alloc(path, 0, &db, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = db_connect(db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, err);
    if (rc == TR_OK) {
        rc = db_configure(db, err);
    }
    if (rc == TR_OK) {
        rc = db_init_schema(db, origin, err);
    }
    if (rc != TR_OK) {
        goto out;
    }
    rc = tr_db_close(db, err);
    db = NULL;
    if (rc == TR_OK) {
        rc = sync_dir(path, err);
    }
    if (rc == TR_OK) {
        /* Read back what was written: the new store must open like any other. */
        rc = tr_db_open(path, TR_DB_READWRITE, out, err);
    }
out:
    if (rc != TR_OK) {
        db_discard(db);
        if (created) {
            remove_store_files(path);
        }
    }
    return rc;
}

int tr_db_close(struct tr_db *db, struct tr_error *err)
{
    char line[SQL_LINE_MAX + 4];
    int rc = TR_OK;
    if (db == NULL) {
        return TR_OK;
    }
    if (db->depth > 0) {
        if (!sqlite3_get_autocommit(db->h)) {
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        }
        db->depth = 0;
        rc = tr_error_set(err, TR_EDB, "store '%s' was closed inside a transaction, which was "
                                       "rolled back",
                          db->path);
    }
    db_drop_cache(db);
    if (db->stmts != NULL && rc == TR_OK) {
        rc = tr_error_set(err, TR_EDB, "store '%s' was closed with statement '%s' not finalized",
                          db->path, db_first_line(sqlite3_sql(db->stmts->st), line));
    }
    /* Such a statement outlives the handle (SQLite closes once it is finalized). */
    for (struct tr_db_stmt *st = db->stmts; st != NULL; st = st->next) {
        st->db = NULL;
    }
    int src = sqlite3_close_v2(db->h);
    if (src != SQLITE_OK && rc == TR_OK) {
        rc = tr_error_set(err, TR_EDB, "cannot close store '%s': %s", db->path,
                          sqlite3_errstr(src));
    }
    free(db->path);
    free(db->origin);
    free(db);
    return rc;
}

const char *tr_db_path(const struct tr_db *db)
{
    return db->path;
}

const char *tr_db_origin(const struct tr_db *db)
{
    return db->origin != NULL ? db->origin : "";
}

int tr_db_in_transaction(const struct tr_db *db)
{
    return db->depth;
}

int64_t tr_db_changes(const struct tr_db *db)
{
    return sqlite3_changes64(db->h);
}

int tr_db_exec(struct tr_db *db, const char *sql, struct tr_error *err)
{
    const char *p = sql;
    int rc = TR_OK;
    while (rc == TR_OK && p != NULL && *p != '\0') {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        int src = sqlite3_prepare_v2(db->h, p, -1, &st, &tail);
        if (src != SQLITE_OK) {
            rc = db_fail(db, src, p, err);
            break;
        }
        if (st == NULL) {
            break; /* only comments and blanks were left */
        }
        if (!sqlite3_stmt_readonly(st)) {
            db->writes++;
        }
        do {
            src = sqlite3_step(st);
        } while (src == SQLITE_ROW);
        if (src != SQLITE_DONE) {
            rc = db_fail(db, src, p, err);
        }
        src = sqlite3_finalize(st);
        if (rc == TR_OK && src != SQLITE_OK) {
            rc = db_fail(db, src, p, err);
        }
        p = tail;
    }
    return rc;
}

/*
 * Run one statement without parameters through the statement cache: the transaction
 * statements are run several times for every record written (a savepoint per library
 * call), and compiling them each time cost more than running them.
 */
static int run_cached(struct tr_db *db, const char *sql, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int rc = tr_db_prepare(db, sql, &st, err);
    if (rc == TR_OK) {
        rc = tr_db_step(st, NULL, err);
    }
    return tr_db_finalize(st, rc, err);
}

int tr_db_set_savepoints(struct tr_db *db, int on, struct tr_error *err)
{
    if (db->depth != 0) {
        return tr_error_set(err, TR_EINVAL,
                            "store '%s': savepoints are turned on or off outside a transaction",
                            db->path);
    }
    db->flat = !on;
    return TR_OK;
}

int tr_db_savepoints(const struct tr_db *db)
{
    return !db->flat;
}

int tr_db_begin(struct tr_db *db, struct tr_error *err)
{
    char sql[32];
    if (db->depth > 0 && db->flat) {
        if (sqlite3_get_autocommit(db->h)) {
            return tr_error_set(err, TR_EDB,
                                "store '%s': the transaction was rolled back by an earlier error",
                                db->path);
        }
        if (db->depth > FLAT_DEPTH) {
            return tr_error_set(err, TR_EINVAL,
                                "store '%s': transactions nest deeper than %d without savepoints",
                                db->path, FLAT_DEPTH);
        }
        db->flat_mark[db->depth] = db->writes;
        db->depth++;
        return TR_OK;
    }
    if (db->depth == 0) {
        snprintf(sql, sizeof sql, "%s", db->readonly ? "BEGIN" : "BEGIN IMMEDIATE");
    } else {
        snprintf(sql, sizeof sql, "SAVEPOINT tr_%d", db->depth);
    }
    int rc = run_cached(db, sql, err);
    if (rc == TR_OK) {
        db->depth++;
    }
    return rc;
}

int tr_db_commit(struct tr_db *db, struct tr_error *err)
{
    char sql[64];
    int rc = TR_OK;
    if (db->depth == 0) {
        return tr_error_set(err, TR_EINVAL, "store '%s': commit without a transaction",
                            db->path);
    }
    if (sqlite3_get_autocommit(db->h)) {
        /* SQLite already rolled everything back after an earlier failure. */
        db->depth--;
        return tr_error_set(err, TR_EDB,
                            "store '%s': the transaction was rolled back by an earlier error",
                            db->path);
    }
    if (db->depth == 1) {
        rc = tr_db_exec(db, "COMMIT", err);
        if (rc != TR_OK && !sqlite3_get_autocommit(db->h)) {
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        }
    } else if (!db->flat) {
        snprintf(sql, sizeof sql, "RELEASE tr_%d", db->depth - 1);
        rc = run_cached(db, sql, err);
        if (rc != TR_OK) {
            snprintf(sql, sizeof sql, "ROLLBACK TO tr_%d; RELEASE tr_%d", db->depth - 1,
                     db->depth - 1);
            sqlite3_exec(db->h, sql, NULL, NULL, NULL);
        }
    }
    db->depth--;
    return rc;
}

int tr_db_rollback(struct tr_db *db, struct tr_error *err)
{
    char sql[64];
    int rc = TR_OK;
    if (db->depth == 0) {
        return tr_error_set(err, TR_EINVAL, "store '%s': rollback without a transaction",
                            db->path);
    }
    if (!sqlite3_get_autocommit(db->h)) {
        if (db->depth == 1) {
            rc = tr_db_exec(db, "ROLLBACK", err);
        } else if (db->flat) {
            if (db->writes != db->flat_mark[db->depth - 1]) {
                /* What was written since cannot be undone alone: all of it goes. */
                rc = tr_db_exec(db, "ROLLBACK", err);
                if (rc == TR_OK) {
                    rc = tr_error_set(err, TR_EDB,
                                      "store '%s': a rollback after writes without savepoints "
                                      "rolled back the whole transaction",
                                      db->path);
                }
            }
        } else {
            snprintf(sql, sizeof sql, "ROLLBACK TO tr_%d; RELEASE tr_%d", db->depth - 1,
                     db->depth - 1);
            rc = tr_db_exec(db, sql, err);
        }
    }
    db->depth--;
    return rc;
}

int tr_db_check(struct tr_db *db, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    int rc = tr_db_prepare(db, "PRAGMA quick_check(1)", &st, err);
    if (rc == TR_OK) {
        rc = tr_db_step(st, &row, err);
    }
    if (rc == TR_OK && row) {
        const char *verdict = tr_db_column_text(st, 0, NULL);
        if (strcmp(verdict, "ok") != 0) {
            /* SQLite's finding on one line: "*** in database main *** Page 5: ..." */
            rc = tr_error_set(err, TR_EDB, "store '%s' is damaged: %s", db->path, verdict);
            if (err != NULL) {
                for (char *q = err->msg; *q != '\0'; q++) {
                    *q = *q == '\n' ? ' ' : *q;
                }
            }
        }
    }
    return tr_db_finalize(st, rc, err);
}
