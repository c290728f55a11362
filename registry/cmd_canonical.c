/* cmd_canonical.c — `talentreg canonical`: the RFC 8785 bytes of a JSON document. */
#include <stdlib.h>

#include "cli.h"
#include "cmd.h"

const char cmd_canonical_usage[] =
    "usage: talentreg canonical [OPTIONS] FILE\n"
    "\n"
    "Print the RFC 8785 canonical form of the JSON document in FILE (\"-\" reads standard\n"
    "input), exactly the bytes that record ids hash and eddsa-jcs-2022 proofs sign, with no\n"
    "final newline. The document must be strict JSON: no duplicate keys, valid UTF-8, no NUL.\n"
    "\n"
    "Options:\n" CLI_LIMIT_USAGE;

int cmd_canonical(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {CLI_LIMIT_OPTIONS, {NULL, 0, NULL, 0}};
    struct tr_limits limits;
    struct tr_error err = {0};
    struct tr_buf in, out;
    struct tr_json *doc = NULL;
    int c, rc = CLI_EXIT_OK;
    tr_limits_default(&limits);
    tr_buf_init(&in);
    tr_buf_init(&out);
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c == '?') {
            rc = cli->exit;
            goto out;
        }
        if ((rc = cli_limit_option(cli, c, optarg, &limits)) != CLI_EXIT_OK) {
            goto out;
        }
    }
    if (argc - optind != 1) {
        rc = cli_usage_error(cli, argc - optind == 0 ? "no FILE given" : "too many arguments");
        goto out;
    }
    const char *path = argv[optind];
    if (tr_buf_read_file(&in, path, limits.max_bytes, &err) != TR_OK ||
        tr_json_parse(in.data, in.len, path, &limits, &doc, &err) != TR_OK ||
        tr_jcs_serialize(doc, &out, &err) != TR_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    rc = cli_write(out.data, out.len);
out:
    tr_json_free(doc);
    tr_buf_release(&in);
    tr_buf_release(&out);
    return rc;
}
