/* cmd_submit.c — `talentreg submit`: signed credentials into the log, each verified first. */
#include <string.h>

#include "cli.h"

static const char cmd_submit_usage[] =
    "usage: talentreg submit [--json] FILE...\n"
    "\n"
    "Submit each FILE, one signed credential in JSON (\"-\" reads standard input), to the\n"
    "store. A record is verified as if logged now (talentreg verify explains the rules) and\n"
    "stored only when it counts; its record id is the SHA-256 of its RFC 8785 form without\n"
    "its proofs. Each file gets one line:\n"
    "  stored RECORD_ID at leaf N\n"
    "  already stored RECORD_ID, nothing changed      (a replay adds nothing)\n"
    "  merged a co-signature into RECORD_ID at leaf N (new proofs join the stored ones)\n"
    "  rejected 'FILE': CODE: DETAIL                  (one line per reason)\n"
    "A rejected record changes nothing and does not stop the others; what was accepted is\n"
    "committed. Exit status: 0 when every record was accepted (or already stored), 1 when one\n"
    "was rejected or a file is not JSON, 2 when a file cannot be read or the store fails.\n"
    "\n"
    "Options:\n"
    "  --json           one JSON array of results (file, status, recordId, leaf, "
    "reasons)\n" CLI_LIMIT_USAGE;

enum { OPT_JSON = CLI_OPT_BASE + 1 };

/* Read one credential: 0, 1 (not JSON, over a limit) or 2 (unreadable), messages printed. */
static int read_credential(const char *path, const struct tr_limits *limits, struct tr_json **out)
{
    struct tr_buf b;
    struct tr_error err = {0};
    tr_buf_init(&b);
    *out = NULL;
    int rc = tr_buf_read_file(&b, path, limits->max_bytes, &err);
    if (rc == TR_OK) {
        rc = tr_json_parse(b.data, b.len, strcmp(path, "-") == 0 ? "<stdin>" : path, limits, out,
                           &err);
    }
    tr_buf_release(&b);
    if (rc == TR_OK) {
        return CLI_EXIT_OK;
    }
    cli_error("%s", err.msg);
    return rc == TR_EPARSE || rc == TR_ELIMIT ? CLI_EXIT_NEGATIVE : CLI_EXIT_ERROR;
}

static int cmd_submit(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        CLI_LIMIT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct tr_limits limits;
    struct tr_json *list = NULL;
    struct tr_buf text;
    int c, json = 0, worst = CLI_EXIT_OK, failed = 0;
    tr_limits_default(&limits);
    tr_buf_init(&text);
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c == '?') {
            return cli->exit;
        }
        if (c == OPT_JSON) {
            json = 1;
        } else if (cli_limit_option(cli, c, optarg, &limits) != CLI_EXIT_OK) {
            return CLI_EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        return cli_usage_error(cli, "no FILE given");
    }
    if (json && (list = tr_json_new_array()) == NULL) {
        return cli_error("%s", tr_strerror(TR_ENOMEM));
    }
    for (int i = optind; i < argc; i++) {
        struct tr_json *cred = NULL;
        struct tr_submit_result r;
        struct tr_error err = {0};
        int code = read_credential(argv[i], &limits, &cred);
        if (code != CLI_EXIT_OK) {
            worst = code > worst ? code : worst;
            continue;
        }
        int rc = tr_submit_credential(cli->db, cred, &r, &err);
        tr_json_free(cred);
        if (rc != TR_OK) {
            /* The store failed: nothing of this run is kept. */
            worst = cli_error("'%s': %s", argv[i], err.msg);
            failed = 1;
            break;
        }
        if (r.status == TR_SUBMIT_REJECTED && worst == CLI_EXIT_OK) {
            worst = CLI_EXIT_NEGATIVE;
        }
        rc = cli_submit_report(argv[i], 0, &r, &text, list);
        tr_submit_result_release(&r);
        if (rc != TR_OK) {
            worst = cli_error("%s", tr_strerror(rc));
            failed = 1;
            break;
        }
    }
    /* What was accepted is kept whatever became of the others, and is on disk when printed. */
    if (!failed && cli_commit(cli) != CLI_EXIT_OK) {
        worst = CLI_EXIT_ERROR;
    } else if (!failed) {
        int code = json ? cli_print_json(list) : cli_write(text.data, text.len);
        worst = code != CLI_EXIT_OK ? code : worst;
    }
    tr_json_free(list);
    tr_buf_release(&text);
    return worst;
}

const struct cli_cmd cli_cmd_submit = {
    "submit", cmd_submit, CLI_STORE_WRITE,
    "verify signed credentials and add those that count to the log", cmd_submit_usage};
