/*
 * db.c — the store: the one module that talks to SQLite (see talentreg/db.h and
 * docs/store.md). Every other module reaches its tables through the statements here.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "embedded.h"
#include "fts_cjk.h"
#include "talentreg/crypto.h"
#include "talentreg/db.h"

/*
 * Statements finalized in good order are kept, reset and with their binds cleared, and
 * handed out again by tr_db_prepare for the same SQL text: compiling a statement costs more
 * than running most of ours, and the verifier runs the same few for every record.
 */
#define STMT_CACHE 24

struct tr_db {
    sqlite3 *h;
    char *path;   /* as given to create or open, for messages */
    char *origin; /* read from meta on open */
    int readonly;
    int depth; /* open transactions: 1 = BEGIN, more = savepoints inside it */
    /*
     * The statements made by tr_db_prepare and not yet finalized, newest first. SQLite's
     * own list (sqlite3_next_stmt) also holds the statements FTS5 keeps for its tables,
     * which are not a caller's to finalize.
     */
    struct tr_db_stmt *stmts;
    sqlite3_stmt *cache[STMT_CACHE]; /* idle statements, the most recently kept last */
    size_t ncache;
};

struct tr_db_stmt {
    struct tr_db *db;    /* NULL once the store was closed before the statement */
    struct tr_db_stmt *prev, *next; /* in db->stmts */
    sqlite3_stmt *st;
    int rc;              /* sticky: the first failure of a bind, a column read or a step */
    int reported;        /* rc has been returned by tr_db_step */
    int step_failed;     /* the last sqlite3_step failed, and tr_db_step returned it */
    struct tr_error err; /* the message of rc */
};

/* The schema: this file first, then every schemas/store-<module>.sql in name order. */
#define SCHEMA_MAIN "schemas/store.sql"
#define SCHEMA_PREFIX "schemas/store-"
#define SCHEMA_SUFFIX ".sql"

/* How much of a statement's first line goes into a message. */
#define SQL_LINE_MAX 72

/* Files beside a store that SQLite would apply to a new file of the same name. */
static const char *const side_files[] = {"-wal", "-shm", "-journal"};

/*
 * Copy the first line of sql that is not blank or a comment into line, cut at SQL_LINE_MAX
 * bytes with "..." added, so a message names the statement without quoting all of it.
 */
static const char *first_line(const char *sql, char line[SQL_LINE_MAX + 4])
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

/*
 * Turn SQLite result code src, met while running sql (may be NULL), into a TR_E* code and a
 * message. SQLite's own text is used only where nothing clearer can be said.
 */
static int db_fail(struct tr_db *db, int src, const char *sql, struct tr_error *err)
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
                        first_line(sql, line), detail);
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

/* Finalize the idle statements of db. */
static void drop_cache(struct tr_db *db)
{
    while (db->ncache > 0) {
        sqlite3_finalize(db->cache[--db->ncache]);
    }
}

/* Close without the checks of tr_db_close: for handles that failed to open. */
static void db_discard(struct tr_db *db)
{
    if (db != NULL) {
        drop_cache(db);
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
                        "PRAGMA cell_size_check = ON",
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
    drop_cache(db);
    if (db->stmts != NULL && rc == TR_OK) {
        rc = tr_error_set(err, TR_EDB, "store '%s' was closed with statement '%s' not finalized",
                          db->path, first_line(sqlite3_sql(db->stmts->st), line));
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

int tr_db_begin(struct tr_db *db, struct tr_error *err)
{
    char sql[32];
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
    } else {
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

/* Statements. */

/* Set st's sticky error unless one is already set; returns the sticky code. */
static int stmt_fail(struct tr_db_stmt *st, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int stmt_fail(struct tr_db_stmt *st, int code, const char *fmt, ...)
{
    if (st->rc != TR_OK) {
        return st->rc;
    }
    char msg[TR_ERROR_MAX];
    char line[SQL_LINE_MAX + 4];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    st->rc = tr_error_set(&st->err, code, "store '%s': %s in '%s'", st->db->path, msg,
                          first_line(sqlite3_sql(st->st), line));
    st->reported = 0;
    return st->rc;
}

/* Hand st's sticky error to the caller. */
static int stmt_report(struct tr_db_stmt *st, struct tr_error *err)
{
    if (err != NULL) {
        *err = st->err;
    }
    st->reported = 1;
    return st->rc;
}

int tr_db_prepare(struct tr_db *db, const char *sql, struct tr_db_stmt **out,
                  struct tr_error *err)
{
    char line[SQL_LINE_MAX + 4];
    struct tr_db_stmt *st = NULL;
    const char *tail = NULL;
    int rc = TR_OK;
    if (out != NULL) {
        *out = NULL;
    }
    if (db == NULL || sql == NULL || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_db_prepare: no store, no SQL or no result");
    }
    st = calloc(1, sizeof *st);
    if (st == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    st->db = db;
    for (size_t i = db->ncache; i > 0; i--) {
        if (strcmp(sqlite3_sql(db->cache[i - 1]), sql) == 0) {
            /* Compiled before, and found to hold one statement then. */
            st->st = db->cache[i - 1];
            memmove(&db->cache[i - 1], &db->cache[i], (db->ncache - i) * sizeof db->cache[0]);
            db->ncache--;
            goto out;
        }
    }
    int src = sqlite3_prepare_v2(db->h, sql, -1, &st->st, &tail);
    if (src != SQLITE_OK) {
        rc = db_fail(db, src, sql, err);
        goto out;
    }
    if (st->st == NULL) {
        rc = tr_error_set(err, TR_EINVAL, "store '%s': no statement in '%s'", db->path,
                          first_line(sql, line));
        goto out;
    }
    tail += strspn(tail, " \t\r\n");
    if (*tail != '\0') {
        /* Anything after the statement other than comments is a second statement. */
        sqlite3_stmt *next = NULL;
        src = sqlite3_prepare_v2(db->h, tail, -1, &next, NULL);
        sqlite3_finalize(next);
        if (src != SQLITE_OK || next != NULL) {
            rc = tr_error_set(err, TR_EINVAL, "store '%s': '%s' holds more than one statement",
                              db->path, first_line(sql, line));
            goto out;
        }
    }
out:
    if (rc != TR_OK) {
        sqlite3_finalize(st->st);
        free(st);
        st = NULL;
    } else {
        st->next = db->stmts;
        if (db->stmts != NULL) {
            db->stmts->prev = st;
        }
        db->stmts = st;
    }
    *out = st;
    return rc;
}

/*
 * The start of every bind: the index of parameter name in st, or 0 when the bind is to do
 * nothing (no statement, an earlier sticky error, or no such parameter, which becomes the
 * sticky error).
 */
static int param_index(struct tr_db_stmt *st, const char *name)
{
    if (st == NULL || st->rc != TR_OK) {
        return 0;
    }
    int i = name != NULL ? sqlite3_bind_parameter_index(st->st, name) : 0;
    if (i == 0) {
        stmt_fail(st, TR_EINVAL, "no parameter '%s'", name != NULL ? name : "(null)");
    }
    return i;
}

/* What a bind that did nothing returns. */
static int bind_skipped(const struct tr_db_stmt *st)
{
    return st != NULL ? st->rc : TR_EINVAL;
}

/* Record the result of a sqlite3_bind_* call for parameter name. */
static int bind_result(struct tr_db_stmt *st, const char *name, int src)
{
    switch (src) {
    case SQLITE_OK:
        return TR_OK;
    case SQLITE_NOMEM:
        return stmt_fail(st, TR_ENOMEM, "out of memory binding '%s'", name);
    case SQLITE_TOOBIG:
        return stmt_fail(st, TR_ELIMIT, "the value of '%s' is too big", name);
    default:
        return stmt_fail(st, TR_EDB, "cannot bind '%s': %s", name, sqlite3_errstr(src));
    }
}

int tr_db_bind_text(struct tr_db_stmt *st, const char *name, const char *s, size_t len)
{
    int i = param_index(st, name);
    if (i == 0) {
        return bind_skipped(st);
    }
    if (s == NULL && len > 0) {
        return stmt_fail(st, TR_EINVAL, "no text for '%s'", name);
    }
    if (len > 0 && memchr(s, '\0', len) != NULL) {
        return stmt_fail(st, TR_EINVAL, "the text of '%s' holds a NUL byte", name);
    }
    return bind_result(st, name,
                       sqlite3_bind_text64(st->st, i, s != NULL ? s : "", (sqlite3_uint64)len,
                                           SQLITE_TRANSIENT, SQLITE_UTF8));
}

int tr_db_bind_str(struct tr_db_stmt *st, const char *name, const char *s)
{
    if (s == NULL) {
        return tr_db_bind_null(st, name);
    }
    return tr_db_bind_text(st, name, s, strlen(s));
}

int tr_db_bind_blob(struct tr_db_stmt *st, const char *name, const void *p, size_t len)
{
    int i = param_index(st, name);
    if (i == 0) {
        return bind_skipped(st);
    }
    if (p == NULL && len > 0) {
        return stmt_fail(st, TR_EINVAL, "no bytes for '%s'", name);
    }
    if (len == 0) {
        /* sqlite3_bind_blob with a NULL pointer would bind SQL NULL, not an empty blob. */
        return bind_result(st, name, sqlite3_bind_zeroblob(st->st, i, 0));
    }
    return bind_result(st, name,
                       sqlite3_bind_blob64(st->st, i, p, (sqlite3_uint64)len, SQLITE_TRANSIENT));
}

int tr_db_bind_int(struct tr_db_stmt *st, const char *name, int64_t v)
{
    int i = param_index(st, name);
    if (i == 0) {
        return bind_skipped(st);
    }
    return bind_result(st, name, sqlite3_bind_int64(st->st, i, v));
}

int tr_db_bind_null(struct tr_db_stmt *st, const char *name)
{
    int i = param_index(st, name);
    if (i == 0) {
        return bind_skipped(st);
    }
    return bind_result(st, name, sqlite3_bind_null(st->st, i));
}

int tr_db_step(struct tr_db_stmt *st, int *row, struct tr_error *err)
{
    if (row != NULL) {
        *row = 0;
    }
    if (st == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_db_step: no statement");
    }
    if (st->rc != TR_OK) {
        return stmt_report(st, err);
    }
    int src = sqlite3_step(st->st);
    if (src == SQLITE_ROW) {
        if (row != NULL) {
            *row = 1;
        }
        return TR_OK;
    }
    if (src == SQLITE_DONE) {
        return TR_OK;
    }
    st->rc = db_fail(st->db, src, sqlite3_sql(st->st), &st->err);
    st->step_failed = 1;
    return stmt_report(st, err);
}

/* Whether column col of the current row may be read; sets the sticky error when not. */
static int column_ok(struct tr_db_stmt *st, int col)
{
    if (st == NULL) {
        return 0;
    }
    int n = sqlite3_data_count(st->st);
    if (n == 0) {
        stmt_fail(st, TR_EINVAL, "column %d read without a row", col);
        return 0;
    }
    if (col < 0 || col >= n) {
        stmt_fail(st, TR_EINVAL, "no column %d", col);
        return 0;
    }
    return 1;
}

int64_t tr_db_column_int(struct tr_db_stmt *st, int col)
{
    return column_ok(st, col) ? sqlite3_column_int64(st->st, col) : 0;
}

double tr_db_column_double(struct tr_db_stmt *st, int col)
{
    return column_ok(st, col) ? sqlite3_column_double(st->st, col) : 0.0;
}

const char *tr_db_column_text(struct tr_db_stmt *st, int col, size_t *len)
{
    const char *p = NULL;
    if (len != NULL) {
        *len = 0;
    }
    if (!column_ok(st, col) || sqlite3_column_type(st->st, col) == SQLITE_NULL) {
        return "";
    }
    p = (const char *)sqlite3_column_text(st->st, col);
    if (p == NULL) {
        stmt_fail(st, TR_ENOMEM, "out of memory reading column %d", col);
        return "";
    }
    if (len != NULL) {
        *len = (size_t)sqlite3_column_bytes(st->st, col);
    }
    return p;
}

const void *tr_db_column_blob(struct tr_db_stmt *st, int col, size_t *len)
{
    if (len != NULL) {
        *len = 0;
    }
    if (!column_ok(st, col)) {
        return "";
    }
    const void *p = sqlite3_column_blob(st->st, col);
    int n = sqlite3_column_bytes(st->st, col);
    if (p == NULL) {
        if (n > 0 || sqlite3_errcode(st->db->h) == SQLITE_NOMEM) {
            stmt_fail(st, TR_ENOMEM, "out of memory reading column %d", col);
        }
        return "";
    }
    if (len != NULL) {
        *len = (size_t)n;
    }
    return p;
}

int tr_db_column_null(struct tr_db_stmt *st, int col)
{
    return column_ok(st, col) && sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

int tr_db_reset(struct tr_db_stmt *st, struct tr_error *err)
{
    if (st == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_db_reset: no statement");
    }
    int rc = TR_OK;
    if (st->rc != TR_OK && !st->reported) {
        rc = stmt_report(st, err);
    }
    int src = sqlite3_reset(st->st);
    if (rc == TR_OK && src != SQLITE_OK && !st->step_failed) {
        rc = db_fail(st->db, src, sqlite3_sql(st->st), err);
    }
    sqlite3_clear_bindings(st->st);
    st->rc = TR_OK;
    st->reported = 0;
    st->step_failed = 0;
    tr_error_clear(&st->err);
    return rc;
}

int tr_db_finalize(struct tr_db_stmt *st, int rc, struct tr_error *err)
{
    if (st == NULL) {
        return rc;
    }
    int pending = st->rc != TR_OK && !st->reported;
    if (rc == TR_OK && pending) {
        rc = stmt_report(st, err);
    }
    /* Keep the text for a message before the statement goes. */
    char line[SQL_LINE_MAX + 4];
    first_line(sqlite3_sql(st->st), line);
    struct tr_db *db = st->db;
    /* A statement that ended well is kept for the next prepare of its SQL; the reset
     * reports what finalize would. A store already closed keeps nothing. */
    int keep = db != NULL && st->rc == TR_OK && !st->step_failed;
    int src = keep ? sqlite3_reset(st->st) : SQLITE_OK;
    if (keep && src == SQLITE_OK && sqlite3_clear_bindings(st->st) == SQLITE_OK) {
        if (db->ncache == STMT_CACHE) {
            sqlite3_finalize(db->cache[0]);
            memmove(&db->cache[0], &db->cache[1], (STMT_CACHE - 1) * sizeof db->cache[0]);
            db->ncache--;
        }
        db->cache[db->ncache++] = st->st;
    } else {
        /* A failure the reset reported counts even if finalize then says nothing more. */
        int fsrc = sqlite3_finalize(st->st);
        src = src != SQLITE_OK ? src : fsrc;
        if (rc == TR_OK && src != SQLITE_OK && !st->step_failed) {
            /* Mapped as a step's failure is: a write that failed here is TR_EIO, not TR_EDB. */
            rc = db != NULL ? db_fail(db, src, line, err)
                            : tr_error_set(err, TR_EDB, "closed store: cannot finalize '%s': %s",
                                           line, sqlite3_errstr(src));
        }
    }
    if (st->db != NULL) {
        if (st->prev != NULL) {
            st->prev->next = st->next;
        } else {
            st->db->stmts = st->next;
        }
        if (st->next != NULL) {
            st->next->prev = st->prev;
        }
    }
    free(st);
    return rc;
}

/* Meta. */

int tr_db_meta_get(struct tr_db *db, const char *key, struct tr_buf *out, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    int rc = tr_db_prepare(db, "SELECT value FROM meta WHERE key = :key", &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":key", key);
    rc = tr_db_step(st, &row, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (!row) {
        rc = tr_error_set(err, TR_ENOTFOUND, "store '%s' has no meta '%s'", db->path,
                          key != NULL ? key : "(null)");
        goto out;
    }
    size_t len = 0;
    const void *p = tr_db_column_blob(st, 0, &len);
    rc = tr_buf_add(out, p, len);
    if (rc != TR_OK) {
        rc = tr_error_set(err, rc, "store '%s': meta '%s' does not fit its buffer", db->path,
                          key);
    }
out:
    return tr_db_finalize(st, rc, err);
}

int tr_db_meta_set(struct tr_db *db, const char *key, const void *value, size_t len,
                   struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int rc = tr_db_prepare(db,
                           "INSERT INTO meta (key, value) VALUES (:key, :value)\n"
                           "    ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":key", key);
    tr_db_bind_blob(st, ":value", value, len);
    rc = tr_db_step(st, NULL, err);
out:
    return tr_db_finalize(st, rc, err);
}

int tr_db_id_key(struct tr_db *db, unsigned char out[TR_DB_ID_KEY_LEN], struct tr_error *err)
{
    struct tr_buf b;
    tr_buf_init(&b);
    int rc = tr_buf_grow(&b, TR_DB_ID_KEY_LEN + 1); /* no realloc leaves a copy behind */
    if (rc != TR_OK) {
        rc = tr_error_set(err, rc, "out of memory");
        goto out;
    }
    rc = tr_db_meta_get(db, TR_DB_META_ID_KEY, &b, err);
    if (rc == TR_ENOTFOUND) {
        rc = tr_error_set(err, TR_EDB, "store '%s' has no id key", db->path);
    }
    if (rc == TR_OK && b.len != TR_DB_ID_KEY_LEN) {
        rc = tr_error_set(err, TR_EDB, "store '%s' has an id key of %zu bytes, not %d",
                          db->path, b.len, TR_DB_ID_KEY_LEN);
    }
    if (rc == TR_OK) {
        memcpy(out, b.data, TR_DB_ID_KEY_LEN);
    }
out:
    tr_wipe(b.data, b.len);
    tr_buf_release(&b);
    return rc;
}
