/*
 * cli_report.c — what the reporting commands (dossier, eligible, transcript) share: the log
 * size and the as-of day they are computed for, the view of the store they read, and
 * printing what they made.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

int cli_parse_log_size(struct cli *cli, const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = text[0] >= '0' && text[0] <= '9' ? strtoull(text, &end, 10) : 0;
    if (end == NULL || errno != 0 || *end != '\0') {
        return cli_usage_error(cli, "option '--log-size' needs a number of leaves, not '%s'", text);
    }
    *out = (uint64_t)v;
    return CLI_EXIT_OK;
}

int cli_parse_day(struct cli *cli, const char *name, const char *text, int64_t *out)
{
    struct tr_error err = {0};
    if (text == NULL) {
        *out = (int64_t)time(NULL) / TR_SECONDS_PER_DAY;
        return CLI_EXIT_OK;
    }
    if (tr_date_parse(text, strlen(text), out, &err) != TR_OK) {
        return cli_usage_error(cli, "option '--%s' needs a date YYYY-MM-DD, not '%s'", name, text);
    }
    return CLI_EXIT_OK;
}

int cli_open_view(struct cli *cli, const char *log_size, enum tr_eligibility_mode mode,
                  struct tr_eligibility **out)
{
    struct tr_error err = {0};
    uint64_t size = TR_ELIGIBILITY_WHOLE_LOG;
    *out = NULL;
    if (log_size != NULL && cli_parse_log_size(cli, log_size, &size) != CLI_EXIT_OK) {
        return CLI_EXIT_ERROR;
    }
    if (tr_eligibility_open(cli->db, size, mode, out, &err) != TR_OK) {
        return cli_fail(&err);
    }
    return CLI_EXIT_OK;
}

int cli_load_policy(const char *id, struct tr_policy **out)
{
    struct tr_error err = {0};
    if (tr_policy_load(id, out, &err) != TR_OK) {
        /* An unknown preset is an error of the command line, not a negative verdict. */
        return cli_error("%s", err.msg);
    }
    return CLI_EXIT_OK;
}

int cli_print_buf(const struct tr_buf *b, const char *path)
{
    if (b->err != TR_OK) {
        return cli_error("%s", tr_strerror(b->err));
    }
    return path != NULL ? cli_write_new_file(path, b->data, b->len) : cli_write(b->data, b->len);
}
