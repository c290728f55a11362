/* cmd_init.c — `talentreg init`: create a new store. */
#include <stdio.h>

#include "cli.h"

static const char cmd_init_usage[] =
    "usage: talentreg init --origin NAME\n"
    "\n"
    "Create a new, empty store at --db PATH (else $TALENTREG_DB, else ./talent.db) whose log\n"
    "is called NAME. An existing file is never overwritten. The store is created with mode\n"
    "0600: it holds the key that turns national id numbers into keyed hashes.\n"
    "\n"
    "Options:\n"
    "  --origin NAME    the log's origin, the first line of every checkpoint: 1 to 255\n"
    "                   printable ASCII characters without spaces or '+',\n"
    "                   e.g. talentreg.example/jiangsu\n";

enum { OPT_ORIGIN = CLI_OPT_BASE + 1 };

static int cmd_init(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"origin", required_argument, NULL, OPT_ORIGIN},
        {NULL, 0, NULL, 0},
    };
    struct tr_error err = {0};
    struct tr_db *db = NULL;
    const char *origin = NULL;
    int c;
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c != OPT_ORIGIN) {
            return cli->exit;
        }
        origin = optarg;
    }
    if (optind < argc) {
        return cli_usage_error(cli, "unexpected argument '%s'", argv[optind]);
    }
    if (origin == NULL) {
        return cli_usage_error(cli, "option '--origin' is required");
    }
    if (tr_db_check_origin(origin, &err) != TR_OK) {
        return cli_usage_error(cli, "%s", err.msg);
    }
    if (tr_db_create(cli->db_path, origin, &db, &err) != TR_OK) {
        return cli_fail(&err);
    }
    if (tr_db_close(db, &err) != TR_OK) {
        return cli_fail(&err);
    }
    printf("initialised store '%s' with origin '%s'\n", cli->db_path, origin);
    return CLI_EXIT_OK;
}

const struct cli_cmd cli_cmd_init = {"init", cmd_init, 0, "create a new store", cmd_init_usage};
