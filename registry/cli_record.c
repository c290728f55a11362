/*
 * cli_record.c — records in and out for the commands that take them: YAML records and their
 * problems, and new output files.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_print_diag(const struct tr_diag *diag)
{
    struct tr_buf line;
    tr_buf_init(&line);
    for (size_t i = 0; i < diag->len; i++) {
        tr_buf_reset(&line);
        tr_diag_format(diag, i, &line);
        cli_error("%s", line.err == TR_OK ? line.data : tr_strerror(line.err));
    }
    if (diag->dropped > 0) {
        cli_error("'%s': %zu more problems not shown", diag->name, diag->dropped);
    }
    tr_buf_release(&line);
}

/* Keep the worse of two exit codes. */
static int worse(int a, int b)
{
    return a > b ? a : b;
}

/* One record: its credential to fn, or its problems to stderr. */
static int each(const char *name, size_t n, struct tr_json *doc, const unsigned char *id_key,
                const char *why_no_key, int (*fn)(void *, const char *, size_t, struct tr_json *),
                void *ctx)
{
    struct tr_diag diag;
    struct tr_json *cred = NULL;
    struct tr_error err = {0};
    int code = CLI_EXIT_OK;
    tr_diag_init(&diag, name);
    if (id_key == NULL && why_no_key != NULL && tr_json_object_get(doc, "nationalId") != NULL) {
        cli_error("'%s' record %zu: no id key to hash its nationalId: %s", name, n, why_no_key);
    }
    int rc = tr_schema_from_record(doc, id_key, &cred, &diag);
    if (rc == TR_OK) {
        code = fn(ctx, name, n, cred);
    } else if (rc == TR_ESCHEMA) {
        cli_print_diag(&diag);
        code = CLI_EXIT_NEGATIVE;
    } else {
        cli_print_diag(&diag);
        tr_error_set(&err, rc, "'%s': %s", name, tr_strerror(rc));
        code = cli_fail(&err);
    }
    tr_json_free(cred);
    tr_diag_release(&diag);
    return code;
}

int cli_each_record(const char *path, const struct tr_limits *limits, const unsigned char *id_key,
                    const char *why_no_key,
                    int (*fn)(void *ctx, const char *name, size_t n, struct tr_json *credential),
                    void *ctx)
{
    struct tr_yaml_reader *reader = NULL;
    struct tr_error err = {0};
    size_t records = 0;
    int worst = CLI_EXIT_OK;
    /* Named as the YAML reader names it, so every message about one input agrees. */
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (tr_yaml_reader_open_file(path, limits, &reader, &err) != TR_OK) {
        return cli_fail(&err);
    }
    for (;;) {
        struct tr_json *doc = NULL;
        int rc = tr_yaml_reader_next(reader, &doc, &err);
        if (rc != TR_OK) {
            /* A file that is not YAML does not validate; one that cannot be read is an error. */
            cli_fail(&err);
            worst = worse(worst,
                          rc == TR_EPARSE || rc == TR_ELIMIT ? CLI_EXIT_NEGATIVE : CLI_EXIT_ERROR);
            break;
        }
        if (doc == NULL) {
            if (records == 0) {
                cli_error("'%s' holds no record", name);
                worst = worse(worst, CLI_EXIT_NEGATIVE);
            }
            break;
        }
        records++;
        worst = worse(worst, each(name, records, doc, id_key, why_no_key, fn, ctx));
        tr_json_free(doc);
    }
    tr_yaml_reader_free(reader);
    return worst;
}

int cli_write_new_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        return cli_error("cannot create '%s': %s", path, strerror(errno));
    }
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            int e = errno;
            close(fd);
            unlink(path);
            return cli_error("cannot write '%s': %s", path, strerror(e));
        }
        p += n;
        len -= (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(path);
        return cli_error("cannot write '%s': %s", path, strerror(e));
    }
    return CLI_EXIT_OK;
}
