/* cmd_transcript.c — `talentreg transcript`: a learner's credits and their recognitions. */
#include <string.h>

#include "cli.h"

static const char cmd_transcript_usage[] =
    "usage: talentreg transcript PERSON [--log-size N] [--json]\n"
    "\n"
    "Show the credits PERSON (a person id, p-...) earned, as the archive stood at log size N:\n"
    "each Credit about them with its status (counts, or why not), every CreditRecognition of\n"
    "it with the decision, the agreement and the points it converts to, and the totals per\n"
    "framework, of the credits that count and of the recognitions that count. A recognition\n"
    "counts as the credits_recognised criterion of the policies says (docs/policies.md): the\n"
    "recognition, its credit and its agreement count, the decision accepts the credit, the\n"
    "agreement was in force on the day of the decision, both institutions are parties and it\n"
    "converts the credit's framework; its points are capped by the points it states.\n"
    "\n"
    "Exit status: 0 when the transcript was printed (also with no credit), 2 on an error.\n"
    "\n"
    "Options:\n"
    "  --log-size N  as the archive stood when the log had N leaves (default: the whole log)\n"
    "  --json        print the transcript as JSON\n";

enum { OPT_LOG_SIZE = CLI_OPT_BASE + 1, OPT_JSON };

static int cmd_transcript(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"log-size", required_argument, NULL, OPT_LOG_SIZE},
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct tr_eligibility *view = NULL;
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    struct tr_buf out;
    const char *log_size = NULL;
    int json = 0, c, code;
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c == OPT_LOG_SIZE) {
            log_size = optarg;
        } else if (c == OPT_JSON) {
            json = 1;
        } else {
            return cli->exit;
        }
    }
    if (argc - optind != 1) {
        return cli_usage_error(cli, argc == optind ? "no PERSON given" : "too many arguments");
    }
    const char *person = argv[optind];
    if (tr_ident_person_id_check(person, strlen(person), NULL) != TR_OK) {
        return cli_usage_error(cli, "'%s' is not a person id (p-...)", person);
    }
    tr_buf_init(&out);
    if ((code = cli_open_view(cli, log_size, TR_ELIGIBILITY_VERIFY, &view)) != CLI_EXIT_OK) {
        goto out;
    }
    if (tr_transcript_json(view, person, &doc, &err) != TR_OK) {
        code = cli_fail(&err);
    } else if (json) {
        code = cli_print_json(doc);
    } else if (tr_transcript_text(doc, &out, &err) != TR_OK) {
        code = cli_fail(&err);
    } else {
        code = cli_print_buf(&out, NULL);
    }
out:
    tr_buf_release(&out);
    tr_json_free(doc);
    tr_eligibility_close(view);
    return code;
}

const struct cli_cmd cli_cmd_transcript = {"transcript", cmd_transcript, CLI_STORE_READ,
                                           "show the credits a learner earned and their "
                                           "recognitions",
                                           cmd_transcript_usage};
