/*
 * db_impl.h — what the files of the store share (internal to registry/db*.c; not part of the
 * library API; talentreg/db.h is the store's contract).
 *
 * db.c opens, creates, checks and closes the store and runs its transactions; db_stmt.c
 * prepares, binds, steps and finalizes statements and keeps the statement cache; db_meta.c
 * reads and writes the meta table.
 */
#ifndef TALENTREG_DB_IMPL_H
#define TALENTREG_DB_IMPL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "talentreg/db.h"
#include "talentreg/error.h"

/*
 * Statements finalized in good order are kept, reset and with their binds cleared, and
 * handed out again by tr_db_prepare for the same SQL text: compiling a statement costs more
 * than running most of ours, and the verifier runs the same few for every record.
 */
#define STMT_CACHE 24
/* How deep transactions may nest while savepoints are off (tr_db_set_savepoints). */
#define FLAT_DEPTH 32

struct tr_db {
    sqlite3 *h;
    char *path;   /* as given to create or open, for messages */
    char *origin; /* read from meta on open */
    int readonly;
    int depth; /* open transactions: 1 = BEGIN, more = savepoints inside it */
    /*
     * Savepoints off (tr_db_set_savepoints): an inner begin notes how many writing
     * statements had run (writes, counted by tr_db_step and tr_db_exec) in flat[depth], and
     * its rollback is free as long as none ran since.
     */
    int flat;
    uint64_t writes;
    uint64_t flat_mark[FLAT_DEPTH + 1];
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


/* How much of a statement's first line goes into a message. */
#define SQL_LINE_MAX 72

/* ---- db.c: messages ---- */

/*
 * Copy the first line of sql that is not blank or a comment into line, cut at SQL_LINE_MAX
 * bytes with "..." added, so a message names the statement without quoting all of it.
 */
const char *db_first_line(const char *sql, char line[SQL_LINE_MAX + 4]);

/*
 * Turn SQLite result code src, met while running sql (may be NULL), into a TR_E* code and a
 * message. SQLite's own text is used only where nothing clearer can be said.
 */
int db_fail(struct tr_db *db, int src, const char *sql, struct tr_error *err);

/* ---- db_stmt.c: the statement cache ---- */

/* Finalize the idle statements of db. */
void db_drop_cache(struct tr_db *db);

#endif
