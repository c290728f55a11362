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
    const unsigned char *id_key;
    const struct tr_limits *limits;
    int worst; /* the exit status so far */
};

static void worsen(struct run *r, int code)
{
    if (code > r->worst) {
        r->worst = code;
    }
}

static void print_diag(const struct tr_diag *diag)
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

/* One record: print its credential, or its problems. */
static void validate_record(struct run *r, const char *name, struct tr_json *doc)
{
    struct tr_diag diag;
    struct tr_json *cred = NULL;
    struct tr_buf out;
    struct tr_error err = {0};
    tr_diag_init(&diag, name);
    tr_buf_init(&out);
    int rc = tr_schema_from_record(doc, r->id_key, &cred, &diag);
    if (rc == TR_OK) {
        rc = tr_json_write(cred, r->json ? TR_JSON_COMPACT : TR_JSON_PRETTY, &out, &err);
        if (rc == TR_OK && r->json) {
            rc = tr_buf_addc(&out, '\n');
        }
        if (rc != TR_OK) {
            worsen(r, cli_fail(&err));
        } else {
            worsen(r, cli_write(out.data, out.len));
        }
    } else if (rc == TR_ESCHEMA) {
        print_diag(&diag);
        worsen(r, CLI_EXIT_NEGATIVE);
    } else {
        print_diag(&diag);
        tr_error_set(&err, rc, "'%s': %s", name, tr_strerror(rc));
        worsen(r, cli_fail(&err));
    }
    tr_json_free(cred);
    tr_diag_release(&diag);
    tr_buf_release(&out);
}

static void validate_file(struct run *r, const char *path)
{
    struct tr_yaml_reader *reader = NULL;
    struct tr_error err = {0};
    size_t records = 0;
    /* Named as the YAML reader names it, so every message about one input agrees. */
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (tr_yaml_reader_open_file(path, r->limits, &reader, &err) != TR_OK) {
        worsen(r, cli_fail(&err));
        return;
    }
    for (;;) {
        struct tr_json *doc = NULL;
        int rc = tr_yaml_reader_next(reader, &doc, &err);
        if (rc != TR_OK) {
            /* A file that is not YAML does not validate; one that cannot be read is an error. */
            cli_fail(&err);
            worsen(r, rc == TR_EPARSE || rc == TR_ELIMIT ? CLI_EXIT_NEGATIVE : CLI_EXIT_ERROR);
            break;
        }
        if (doc == NULL) {
            if (records == 0) {
                cli_error("'%s' holds no record", name);
                worsen(r, CLI_EXIT_NEGATIVE);
            }
            break;
        }
        records++;
        validate_record(r, name, doc);
        tr_json_free(doc);
    }
    tr_yaml_reader_free(reader);
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
    const char *key_path = NULL;
    struct tr_error err = {0};
    int c, rc = CLI_EXIT_OK;
    tr_limits_default(&limits);
    r.limits = &limits;
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
        r.id_key = key;
    }
    for (int i = optind; i < argc; i++) {
        validate_file(&r, argv[i]);
    }
    rc = r.worst;
out:
    tr_wipe(key, sizeof key);
    return rc;
}

const struct cli_cmd cli_cmd_validate = {"validate", cmd_validate, 0,
    "check YAML records and print their unsigned credentials", cmd_validate_usage};
