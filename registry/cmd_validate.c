/* cmd_validate.c — `talentreg validate`: YAML records to unsigned credentials, or every error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char cmd_validate_usage[] =
    "usage: talentreg validate [OPTIONS] FILE...\n"
    "\n"
    "Check the records in each FILE, a stream of YAML documents (\"-\" reads standard\n"
    "input), against the schema of their kind, and print each record's unsigned credential\n"
    "as pretty JSON, or with --json as one compact JSON document a line. Every problem is\n"
    "reported on standard error with its file, line and column. Exit status: 0 when every\n"
    "record validates; 1 when a record does not, a file is not YAML, goes over a limit or\n"
    "holds no record; 2 when a file cannot be read or the usage is wrong.\n"
    "\n"
    "Options:\n"
    "  --json           one compact credential a line\n"
    "  --id-key FILE    the id key (64 hex digits) that hashes national id numbers; a\n"
    "                   record with a nationalId is refused without it\n" CLI_LIMIT_USAGE;

enum { OPT_JSON = CLI_OPT_BASE, OPT_ID_KEY };

struct run {
    int json;
};

/* Print one record's credential: pretty, or one compact line with --json. */
static int print_credential(void *ctx, const char *name, size_t n, struct tr_json *cred)
{
    const struct run *r = ctx;
    struct tr_buf out;
    struct tr_error err = {0};
    (void)name;
    (void)n;
    tr_buf_init(&out);
    int rc = tr_json_write(cred, r->json ? TR_JSON_COMPACT : TR_JSON_PRETTY, &out, &err);
    if (rc == TR_OK && r->json) {
        rc = tr_buf_addc(&out, '\n');
    }
    int code = rc != TR_OK ? cli_fail(&err) : cli_write(out.data, out.len);
    tr_buf_release(&out);
    return code;
}

static int cmd_validate(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, OPT_JSON},
                                         {"id-key", required_argument, NULL, OPT_ID_KEY},
                                         CLI_LIMIT_OPTIONS,
                                         {NULL, 0, NULL, 0}};
    struct tr_limits limits;
    struct run r = {0};
    unsigned char key[TR_ID_KEY_LEN];
    const unsigned char *id_key = NULL;
    const char *key_path = NULL;
    struct tr_error err = {0};
    int c, rc = CLI_EXIT_OK;
    tr_limits_default(&limits);
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c == '?') {
            rc = cli->exit;
            goto out;
        }
        if (c == OPT_JSON) {
            r.json = 1;
        } else if (c == OPT_ID_KEY) {
            key_path = optarg;
        } else if ((rc = cli_limit_option(cli, c, optarg, &limits)) != CLI_EXIT_OK) {
            goto out;
        }
    }
    if (optind >= argc) {
        rc = cli_usage_error(cli, "no FILE given");
        goto out;
    }
    if (key_path != NULL) {
        if (tr_ident_key_read(key_path, key, &err) != TR_OK) {
            rc = cli_fail(&err);
            goto out;
        }
        id_key = key;
    }
    for (int i = optind; i < argc; i++) {
        int code = cli_each_record(argv[i], &limits, id_key, NULL, print_credential, &r);
        rc = code > rc ? code : rc;
    }
out:
    tr_wipe(key, sizeof key);
    return rc;
}

const struct cli_cmd cli_cmd_validate = {"validate", cmd_validate, 0,
    "check YAML records and print their unsigned credentials", cmd_validate_usage};
