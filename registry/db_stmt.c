/*
 * db_stmt.c — the store's statements: prepare, bind, step, read columns, reset and finalize,
 * and the cache that keeps statements finalized in good order for the next prepare of the
 * same SQL (see talentreg/db.h).
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "talentreg/db.h"

void db_drop_cache(struct tr_db *db)
{
    while (db->ncache > 0) {
        sqlite3_finalize(db->cache[--db->ncache]);
    }
}

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
                          db_first_line(sqlite3_sql(st->st), line));
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
                          db_first_line(sql, line));
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
                              db->path, db_first_line(sql, line));
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
    if (st->db != NULL && !sqlite3_stmt_readonly(st->st)) {
        st->db->writes++;
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
    db_first_line(sqlite3_sql(st->st), line);
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
