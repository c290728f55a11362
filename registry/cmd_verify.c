/* cmd_verify.c — `talentreg verify`: whether a record counts, and every reason why not. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_bundle.h"

static const char cmd_verify_usage[] =
    "usage: talentreg verify [--json] [--log-size N] ID|FILE\n"
    "       talentreg verify --bundle FILE --operator VKEY [--checkpoint F] [--json]\n"
    "\n"
    "Say whether a record counts: the stored record ID (its 64-hex record id), or the signed\n"
    "credential in FILE (JSON, \"-\" reads standard input) as if it were submitted now. A\n"
    "record counts when it passes its schema, every proof verifies by a key that was valid\n"
    "at the proof's position in the log, every organisation its kind requires signed, no one\n"
    "else did, each signer may issue the kind, and no Revocation withdrew or superseded it.\n"
    "Trusted time is the log position, never a date in the record. Every reason a record\n"
    "does not count is printed as a stable code and a detail (docs/verification.md).\n"
    "\n"
    "Exit status: 0 the record counts; 1 it does not, or ID is not in the log; 2 an error.\n"
    "\n"
    "Options:\n"
    "  --log-size N     judge as the archive stood when the log had N leaves: later leaves,\n"
    "                   and the revocations they hold, are not seen (default: the whole log)\n"
    "  --json           print the verdict as JSON\n"
    "  --bundle FILE    check the offline bundle in FILE (talentreg export --bundle) with no\n"
    "                   store, trusting only the operator key VKEY; it cannot see revocations\n"
    "                   logged after the bundle's checkpoint (docs/bundle.md)\n"
    "  --operator VKEY  the operator's C2SP verifier key, NAME+KEYID+BASE64\n"
    "  --checkpoint F   a checkpoint seen before (a signed note in F): a bundle whose checkpoint\n"
    "                   is older, forks from it or cannot prove it extends it does not verify\n"
    CLI_LIMIT_USAGE;

enum { OPT_JSON = CLI_OPT_BASE + 1, OPT_LOG_SIZE };

struct verify_args {
    int json;
    const char *log_size; /* as given, or NULL */
    struct tr_limits limits;
    const char *target; /* ID or FILE */
};

/* Parse the options into a. Returns -1 when the command goes on, else its exit code. */
static int parse(struct cli *cli, int argc, char **argv, struct verify_args *a)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"log-size", required_argument, NULL, OPT_LOG_SIZE},
        CLI_LIMIT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(a, 0, sizeof *a);
    tr_limits_default(&a->limits);
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c == '?') {
            return cli->exit; /* --help (0) or a usage error (2): nothing more to do */
        }
        if (c == OPT_JSON) {
            a->json = 1;
        } else if (c == OPT_LOG_SIZE) {
            a->log_size = optarg;
        } else if (cli_limit_option(cli, c, optarg, &a->limits) != CLI_EXIT_OK) {
            return CLI_EXIT_ERROR;
        }
    }
    if (argc - optind != 1) {
        return cli_usage_error(cli, argc == optind ? "no ID or FILE given" : "too many arguments");
    }
    a->target = argv[optind];
    return -1;
}

/* The log size to judge as of: --log-size, else the whole log. */
static int log_size(struct cli *cli, const struct verify_args *a, uint64_t *out)
{
    struct tr_error err = {0};
    if (a->log_size == NULL) {
        return tr_log_size(cli->db, out, &err) == TR_OK ? CLI_EXIT_OK : cli_fail(&err);
    }
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(a->log_size, &end, 10);
    if (a->log_size[0] < '0' || a->log_size[0] > '9' || errno != 0 || *end != '\0') {
        return cli_usage_error(cli, "option '--log-size' needs a number of leaves, not '%s'",
                               a->log_size);
    }
    *out = (uint64_t)v;
    return CLI_EXIT_OK;
}

/* 1 when target names a record by id rather than a file. */
static int is_record_id(const char *target)
{
    struct stat st;
    return tr_ident_record_id_check(target, strlen(target), NULL) == TR_OK &&
           stat(target, &st) != 0;
}

/* Print the verdict; the exit code says whether the record counts. */
static int report(const struct tr_verdict *v, int json)
{
    int code = CLI_EXIT_OK;
    if (json) {
        struct tr_json *doc = cli_verdict_json(v);
        code = cli_print_json(doc);
        tr_json_free(doc);
    } else {
        struct tr_buf out;
        tr_buf_init(&out);
        cli_verdict_text(&out, v);
        code =
            out.err != TR_OK ? cli_error("%s", tr_strerror(out.err)) : cli_write(out.data, out.len);
        tr_buf_release(&out);
    }
    if (code != CLI_EXIT_OK) {
        return code;
    }
    return v->counts ? CLI_EXIT_OK : CLI_EXIT_NEGATIVE;
}

static int cmd_verify(struct cli *cli, int argc, char **argv)
{
    struct verify_args a;
    struct tr_verdict v;
    struct tr_json *cred = NULL;
    struct tr_error err = {0};
    uint64_t size = 0;
    if (cli_has_bundle_option(argc, argv)) {
        return cli_verify_bundle(cli, argc, argv);
    }
    int code = parse(cli, argc, argv, &a);
    tr_verify_verdict_init(&v);
    if (code != -1) {
        goto out;
    }
    /* The store is opened here, not by the dispatcher: a form that needs none may be added. */
    if ((code = cli_open_command_store(cli, 0)) != CLI_EXIT_OK ||
        (code = log_size(cli, &a, &size)) != CLI_EXIT_OK) {
        goto out;
    }
    int rc;
    if (is_record_id(a.target)) {
        rc = tr_verify_record(cli->db, a.target, size, &v, &err);
    } else if ((code = cli_read_json(a.target, &a.limits, &cred)) != CLI_EXIT_OK) {
        goto out;
    } else {
        rc = tr_verify_credential(cli->db, cred, size, &v, &err);
    }
    code = rc == TR_OK ? report(&v, a.json) : cli_fail(&err);
out:
    tr_verify_verdict_release(&v);
    tr_json_free(cred);
    return code;
}

const struct cli_cmd cli_cmd_verify = {"verify", cmd_verify, 0,
                                       "say whether a record counts, with every reason why not",
                                       cmd_verify_usage};
