/* cmd_eligible.c — `talentreg eligible`: who meets a policy, and what the others lack. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char cmd_eligible_usage[] =
    "usage: talentreg eligible --policy ID [--org USCC] [--as-of DATE] [--log-size N]\n"
    "                          [--recheck] [--json]\n"
    "\n"
    "Judge every person a policy applies to and list them with the verdict and the criteria\n"
    "they do not meet (value against threshold): with --org the people whose home\n"
    "organisation is USCC (by their Person record that counts), else every person the log\n"
    "holds a record about. Each person's records are selected and judged as the archive\n"
    "stood at log size N, as 'talentreg dossier' does; the list says which log size and\n"
    "which checkpoint it was computed from.\n"
    "\n"
    "Records are judged from the trust index: a record the log accepted counts until a\n"
    "Revocation names it, a key revocation marks one of its keys compromised since before\n"
    "it, or its body is erased, and those records are judged again in full. --recheck judges\n"
    "every record in full, its signatures checked again (slower; the verdicts are the same).\n"
    "\n"
    "The verdicts are data: the exit status is 0 whenever the list was made, 2 on an error.\n"
    "\n"
    "Options:\n"
    "  --policy ID     the policy preset (schemas/policies/ID.yaml, docs/policies.md)\n"
    "  --org USCC      only the people whose home organisation is USCC\n"
    "  --as-of DATE    the day the policy is judged on, YYYY-MM-DD (default: today, UTC)\n"
    "  --log-size N    as the archive stood when the log had N leaves (default: the whole log)\n"
    "  --recheck       judge every record in full instead of from the trust index\n"
    "  --json          print the list as JSON\n";

enum { OPT_POLICY = CLI_OPT_BASE + 1, OPT_ORG, OPT_AS_OF, OPT_LOG_SIZE, OPT_RECHECK, OPT_JSON };

struct eligible_args {
    const char *policy, *org, *as_of, *log_size;
    int recheck, json;
};

static int parse(struct cli *cli, int argc, char **argv, struct eligible_args *a)
{
    static const struct option opts[] = {
        {"policy", required_argument, NULL, OPT_POLICY},
        {"org", required_argument, NULL, OPT_ORG},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"log-size", required_argument, NULL, OPT_LOG_SIZE},
        {"recheck", no_argument, NULL, OPT_RECHECK},
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(a, 0, sizeof *a);
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        switch (c) {
        case OPT_POLICY:
            a->policy = optarg;
            break;
        case OPT_ORG:
            a->org = optarg;
            break;
        case OPT_AS_OF:
            a->as_of = optarg;
            break;
        case OPT_LOG_SIZE:
            a->log_size = optarg;
            break;
        case OPT_RECHECK:
            a->recheck = 1;
            break;
        case OPT_JSON:
            a->json = 1;
            break;
        default:
            return cli->exit;
        }
    }
    if (argc > optind) {
        return cli_usage_error(cli, "unexpected argument '%s'", argv[optind]);
    }
    if (a->policy == NULL) {
        return cli_usage_error(cli, "no --policy ID given");
    }
    if (a->org != NULL && tr_ident_uscc_check(a->org, strlen(a->org), NULL) != TR_OK) {
        return cli_usage_error(cli, "option '--org' needs a USCC, not '%s'", a->org);
    }
    return CLI_EXIT_OK;
}

/* What the list is made of. */
struct run {
    struct tr_eligibility *view;
    struct tr_policy *policy;
    struct tr_metric_options opt;
    struct tr_json **lines; /* one per person, filled by line() from any worker */
    char *met;              /* likewise: 1 when person i is eligible */
    struct tr_json *people; /* the lines, in order */
    size_t eligible;
};

/* Person i's line; called from the workers, each i once. */
static int line(void *ctx, size_t i, const struct tr_metric_result *result)
{
    struct run *r = ctx;
    r->met[i] = result->met != 0;
    r->lines[i] = tr_report_eligible_json(result);
    return r->lines[i] != NULL ? TR_OK : TR_ENOMEM;
}

/* The processors beside this thread, for the workers. */
static unsigned workers(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 1 ? (unsigned)(n - 1) : 0;
}

/* Judge every person, then put their lines in order. */
static int judge_people(struct run *r, char *const *people, size_t n, struct tr_error *err)
{
    if ((r->lines = calloc(n + 1, sizeof *r->lines)) == NULL ||
        (r->met = calloc(n + 1, 1)) == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    int rc = tr_eligibility_each(r->view, people, n, r->policy, &r->opt, workers(), line, r, err);
    for (size_t i = 0; rc == TR_OK && i < n; i++) {
        r->eligible += (size_t)r->met[i];
        rc = tr_json_array_append(r->people, r->lines[i]);
        r->lines[i] = NULL;
    }
    if (rc == TR_ENOMEM) {
        tr_error_set(err, rc, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        tr_json_free(r->lines[i]);
    }
    return rc;
}

static struct tr_json *policy_json(const struct tr_policy *p)
{
    int rc = TR_OK;
    struct tr_json *o = tr_json_new_object();
    cli_json_set(o, "id", tr_json_new_cstr(p->id), &rc);
    cli_json_set(o, "version", tr_json_new_number(p->version), &rc);
    cli_json_set(o, "title", tr_json_new_cstr(p->title), &rc);
    cli_json_set(o, "example", tr_json_new_bool(p->example), &rc);
    if (rc != TR_OK) {
        tr_json_free(o);
        return NULL;
    }
    return o;
}

static int print(struct run *r, const struct eligible_args *a)
{
    struct tr_json *doc = tr_json_new_object(), *basis = NULL;
    struct tr_error err = {0};
    struct tr_buf out;
    char day[TR_DATE_LEN + 1];
    size_t n = r->people->u.array.len;
    int rc = doc != NULL ? TR_OK : TR_ENOMEM, code = CLI_EXIT_OK;
    tr_buf_init(&out);
    tr_date_format(r->opt.as_of, day);
    basis = tr_report_basis_json(tr_eligibility_basis(r->view));
    if (!a->json) {
        tr_buf_addf(&out, "policy %s version %d%s, as of %s, from ", r->policy->id,
                    r->policy->version, r->policy->example ? " (an example)" : "", day);
        tr_report_basis_text(basis, &out);
        tr_buf_adds(&out, "\n");
        for (size_t i = 0; code == CLI_EXIT_OK && i < n; i++) {
            if (tr_report_eligible_text(r->people->u.array.items[i], &out, &err) != TR_OK) {
                code = cli_fail(&err);
            }
        }
        tr_buf_addf(&out, "%zu %s: %zu eligible, %zu not eligible\n", n,
                    n == 1 ? "person" : "people", r->eligible, n - r->eligible);
        tr_json_free(basis);
        code = code == CLI_EXIT_OK ? cli_print_buf(&out, NULL) : code;
        goto out;
    }
    cli_json_set(doc, "policy", policy_json(r->policy), &rc);
    cli_json_set(doc, "asOf", tr_json_new_cstr(day), &rc);
    cli_json_set(doc, "org", a->org != NULL ? tr_json_new_cstr(a->org) : tr_json_new_null(), &rc);
    cli_json_set(doc, "basis", basis, &rc);
    cli_json_set(doc, "people", r->people, &rc);
    r->people = NULL; /* the document has it */
    cli_json_set(doc, "eligible", tr_json_new_number((double)r->eligible), &rc);
    cli_json_set(doc, "notEligible", tr_json_new_number((double)(n - r->eligible)), &rc);
    code = cli_print_json(rc == TR_OK ? doc : NULL);
out:
    tr_json_free(doc);
    tr_buf_release(&out);
    return code;
}

static int cmd_eligible(struct cli *cli, int argc, char **argv)
{
    struct eligible_args a;
    struct run r;
    struct tr_error err = {0};
    char **people = NULL;
    size_t n = 0;
    memset(&r, 0, sizeof r);
    int code = parse(cli, argc, argv, &a);
    if (code != CLI_EXIT_OK || cli->helped ||
        (code = cli_parse_day(cli, "as-of", a.as_of, &r.opt.as_of)) != CLI_EXIT_OK ||
        (code = cli_load_policy(a.policy, &r.policy)) != CLI_EXIT_OK ||
        (code = cli_open_view(cli, a.log_size,
                              a.recheck ? TR_ELIGIBILITY_VERIFY : TR_ELIGIBILITY_INDEX, &r.view)) !=
            CLI_EXIT_OK) {
        goto out;
    }
    if ((r.people = tr_json_new_array()) == NULL) {
        code = cli_error("out of memory");
        goto out;
    }
    int rc = tr_eligibility_people(r.view, a.org, &people, &n, &err);
    if (rc == TR_OK) {
        rc = judge_people(&r, people, n, &err);
    }
    code = rc == TR_OK ? print(&r, &a) : cli_fail(&err);
out:
    free(r.lines);
    free(r.met);
    tr_eligibility_people_free(people, n);
    tr_json_free(r.people);
    tr_eligibility_close(r.view);
    tr_policy_free(r.policy);
    return code;
}

const struct cli_cmd cli_cmd_eligible = {"eligible", cmd_eligible, CLI_STORE_READ,
                                         "list who meets a policy, and what the others lack",
                                         cmd_eligible_usage};
