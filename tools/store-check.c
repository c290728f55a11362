/*
 * store-check.c — what tools/crash-import.sh asks of a store after each kill: it opens,
 * SQLite's full PRAGMA integrity_check says "ok", and every record id acknowledged by
 * `talentreg import --ack` is in the log. Prints the log's size and root, so that two stores
 * can be compared.
 *
 * usage: store-check STORE [ACK...]
 *   ACK  a file of record ids, one a line, as `import --ack` writes them; a last line without
 *        its line feed (a write cut short by the kill) was never acknowledged and is skipped
 *
 * Output, one line each: "integrity ok", "acknowledged N records, all in the log" (when ACK
 * files are given), "size N", "root HEX". Exit 0 when every check passes, 1 when one fails
 * (the reason on stderr), 2 when the store cannot be opened or read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "talentreg.h"

static int fail(int code, const char *what, const struct tr_error *err)
{
    fprintf(stderr, "store-check: %s%s%s\n", what, err != NULL ? ": " : "",
            err != NULL ? err->msg : "");
    return code;
}

/* PRAGMA integrity_check over the whole store: 0 ok, 1 damaged (printed), 2 error. */
static int integrity(struct tr_db *db)
{
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    int row = 0, bad = 0;
    int rc = tr_db_prepare(db, "PRAGMA integrity_check", &st, &err);
    while (rc == TR_OK && (rc = tr_db_step(st, &row, &err)) == TR_OK && row) {
        const char *text = tr_db_column_text(st, 0, NULL);
        if (strcmp(text, "ok") != 0) {
            fprintf(stderr, "store-check: integrity_check: %s\n", text);
            bad = 1;
        }
    }
    rc = tr_db_finalize(st, rc, &err);
    if (rc != TR_OK) {
        return fail(2, "integrity_check", &err);
    }
    return bad;
}

/* Every complete line of the ack file at path is a record id in the log. *count (out). */
static int acknowledged(struct tr_db *db, const char *path, uint64_t *count)
{
    struct tr_error err = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    uint64_t lineno = 0;
    int code = 0;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "store-check: cannot open '%s'\n", path);
        return 2;
    }
    while (code == 0 && (n = getline(&line, &cap, f)) > 0 && line[n - 1] == '\n') {
        line[n - 1] = '\0';
        int rc = tr_log_find(db, line, NULL, NULL, NULL, &err);
        ++*count;
        ++lineno;
        if (rc == TR_ENOTFOUND || rc == TR_EINVAL) {
            fprintf(stderr, "store-check: '%s' line %" PRIu64 ": %s\n", path, lineno, err.msg);
            code = 1;
        } else if (rc != TR_OK) {
            code = fail(2, "cannot read the log", &err);
        }
    }
    if (ferror(f)) {
        code = fail(2, "cannot read the acknowledgements", NULL);
    }
    free(line);
    fclose(f);
    return code;
}

int main(int argc, char **argv)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    unsigned char root[TR_MERKLE_HASH_LEN];
    uint64_t size = 0, count = 0;
    int code = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: store-check STORE [ACK...]\n");
        return 2;
    }
    if (tr_db_open(argv[1], TR_DB_READONLY, &db, &err) != TR_OK) {
        return fail(2, "cannot open the store", &err);
    }
    code = integrity(db);
    if (code == 0) {
        printf("integrity ok\n");
    }
    for (int i = 2; code != 2 && i < argc; i++) {
        int c = acknowledged(db, argv[i], &count);
        code = c > code ? c : code;
    }
    if (code == 0 && argc > 2) {
        printf("acknowledged %" PRIu64 " records, all in the log\n", count);
    }
    if (code != 2 &&
        (tr_log_size(db, &size, &err) != TR_OK || tr_log_root(db, size, root, &err) != TR_OK)) {
        code = fail(2, "cannot read the log", &err);
    }
    if (code != 2) {
        printf("size %" PRIu64 "\nroot ", size);
        for (size_t i = 0; i < sizeof root; i++) {
            printf("%02x", root[i]);
        }
        printf("\n");
    }
    tr_db_close(db, NULL);
    return code;
}
