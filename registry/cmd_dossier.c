/* cmd_dossier.c — `talentreg dossier`: a person's records, their status and the metrics. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char cmd_dossier_usage[] =
    "usage: talentreg dossier PERSON [--as-of DATE] [--policy ID] [--log-size N]\n"
    "                         [--format text|json|html] [--json] [--out FILE]\n"
    "\n"
    "Show the dossier of PERSON (a person id, p-...): every record about them as the archive\n"
    "stood at log size N, grouped by kind, each judged again in full (counts, or the reason\n"
    "codes why not), the RecognitionAgreements and Credits their credit recognitions name,\n"
    "and the policy applied to them as of DATE: for each criterion its value, threshold and\n"
    "verdict, the records that made the value and the records left out, with the reason.\n"
    "Without --policy every policy preset is applied. The dossier says which log size and\n"
    "which checkpoint it was computed from.\n"
    "\n"
    "The HTML form is one self-contained file (no scripts, nothing fetched): a timeline of\n"
    "appointments and placements, the records and the criteria, printable on A4.\n"
    "\n"
    "The verdicts are data: the exit status is 0 when the dossier was printed, 1 when the log\n"
    "holds no record about PERSON, 2 on an error.\n"
    "\n"
    "Options:\n"
    "  --as-of DATE     the day the policies are judged on, YYYY-MM-DD (default: today, UTC)\n"
    "  --policy ID      apply only the policy preset ID (docs/policies.md)\n"
    "  --log-size N     as the archive stood when the log had N leaves (default: the whole log)\n"
    "  --format FORMAT  text (the default), json or html\n"
    "  --json           the same as --format json\n"
    "  --out FILE       write to the new file FILE (never over an existing one)\n";

enum { OPT_AS_OF = CLI_OPT_BASE + 1, OPT_POLICY, OPT_LOG_SIZE, OPT_FORMAT, OPT_JSON, OPT_OUT };

struct dossier_args {
    const char *as_of, *policy, *log_size, *format, *out, *person;
};

static int parse(struct cli *cli, int argc, char **argv, struct dossier_args *a)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"policy", required_argument, NULL, OPT_POLICY},
        {"log-size", required_argument, NULL, OPT_LOG_SIZE},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"json", no_argument, NULL, OPT_JSON},
        {"out", required_argument, NULL, OPT_OUT},
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(a, 0, sizeof *a);
    a->format = "text";
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        switch (c) {
        case OPT_AS_OF:
            a->as_of = optarg;
            break;
        case OPT_POLICY:
            a->policy = optarg;
            break;
        case OPT_LOG_SIZE:
            a->log_size = optarg;
            break;
        case OPT_FORMAT:
            a->format = optarg;
            break;
        case OPT_JSON:
            a->format = "json";
            break;
        case OPT_OUT:
            a->out = optarg;
            break;
        default:
            return cli->exit;
        }
    }
    if (argc - optind != 1) {
        return cli_usage_error(cli, argc == optind ? "no PERSON given" : "too many arguments");
    }
    a->person = argv[optind];
    if (strcmp(a->format, "text") != 0 && strcmp(a->format, "json") != 0 &&
        strcmp(a->format, "html") != 0) {
        return cli_usage_error(cli, "unknown format '%s' (text, json or html)", a->format);
    }
    if (tr_ident_person_id_check(a->person, strlen(a->person), NULL) != TR_OK) {
        return cli_usage_error(cli, "'%s' is not a person id (p-...)", a->person);
    }
    return CLI_EXIT_OK;
}

/* The policies to apply: --policy, else every preset. */
static int load_policies(const struct dossier_args *a, struct tr_policy ***list, size_t *n)
{
    struct tr_error err = {0};
    if (a->policy == NULL) {
        return tr_policy_list(list, n, &err) == TR_OK ? CLI_EXIT_OK : cli_fail(&err);
    }
    if ((*list = calloc(1, sizeof **list)) == NULL) {
        return cli_error("out of memory");
    }
    *n = 1;
    return cli_load_policy(a->policy, &(*list)[0]);
}

/* Print the dossier tree in the format asked for. */
static int print(const struct tr_json *doc, const struct dossier_args *a)
{
    struct tr_error err = {0};
    struct tr_buf out;
    int rc = TR_OK;
    tr_buf_init(&out);
    if (strcmp(a->format, "json") == 0) {
        rc = tr_json_write(doc, TR_JSON_PRETTY, &out, &err);
    } else if (strcmp(a->format, "html") == 0) {
        rc = tr_report_dossier_html(doc, &out, &err);
    } else {
        rc = tr_report_dossier_text(doc, &out, &err);
    }
    int code = rc == TR_OK ? cli_print_buf(&out, a->out) : cli_fail(&err);
    tr_buf_release(&out);
    return code;
}

static int cmd_dossier(struct cli *cli, int argc, char **argv)
{
    struct dossier_args a;
    struct tr_eligibility *view = NULL;
    struct tr_eligibility_records records = {0};
    struct tr_policy **policies = NULL;
    struct tr_metric_result **results = NULL;
    struct tr_trust_org *orgs = NULL;
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    struct tr_metric_options opt = {0};
    size_t npolicies = 0, norgs = 0, nresults = 0;
    int code = parse(cli, argc, argv, &a);
    if (code != CLI_EXIT_OK || cli->helped || (code = cli_parse_day(cli, "as-of", a.as_of, &opt.as_of)) != 0 ||
        (code = load_policies(&a, &policies, &npolicies)) != CLI_EXIT_OK ||
        (code = cli_open_view(cli, a.log_size, TR_ELIGIBILITY_VERIFY, &view)) != CLI_EXIT_OK) {
        goto out;
    }
    const struct tr_eligibility_basis *basis = tr_eligibility_basis(view);
    int rc = tr_eligibility_select(view, a.person, 0, &records, &err);
    if (rc == TR_OK && records.len == 0) {
        rc = tr_error_set(&err, TR_ENOTFOUND, "no record about %s is in the log of size %" PRIu64,
                          a.person, basis->log_size);
    }
    if (rc == TR_OK && (results = calloc(npolicies + 1, sizeof *results)) == NULL) {
        rc = tr_error_set(&err, TR_ENOMEM, "out of memory");
    }
    opt.subject = a.person;
    for (; rc == TR_OK && nresults < npolicies; nresults++) {
        rc = tr_eligibility_evaluate(&records, policies[nresults], &opt, &results[nresults], &err);
    }
    if (rc == TR_OK) {
        rc = tr_trust_org_list(cli->db, basis->log_size, &orgs, &norgs, &err);
    }
    if (rc == TR_OK) {
        struct tr_report_dossier d = {
            a.person, opt.as_of, basis, &records, (const struct tr_metric_result *const *)results,
            nresults, orgs,      norgs};
        rc = tr_report_dossier_json(&d, &doc, &err);
    }
    code = rc == TR_OK ? print(doc, &a) : cli_fail(&err);
out:
    for (size_t i = 0; results != NULL && i < nresults; i++) {
        tr_metric_result_free(results[i]);
    }
    free(results);
    tr_policy_list_free(policies, npolicies);
    tr_json_free(doc);
    free(orgs);
    tr_eligibility_records_release(&records);
    tr_eligibility_close(view);
    return code;
}

const struct cli_cmd cli_cmd_dossier = {"dossier", cmd_dossier, CLI_STORE_READ,
                                        "show a person's records, their status and the metrics",
                                        cmd_dossier_usage};
