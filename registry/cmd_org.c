/*
 * cmd_org.c — `talentreg org register | list | revoke-key`: the organisations the operator
 * registers, their keys and what they may issue.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char cmd_org_usage[] =
    "usage: talentreg org register FILE --key OPERATOR_KEY [--passphrase-file F]\n"
    "                              [--created DATETIME] [--json]\n"
    "       talentreg org list [--json]\n"
    "       talentreg org revoke-key USCC DID --key KEY [--compromised-since N]\n"
    "                                [--reason TEXT] [--passphrase-file F] [--json]\n"
    "\n"
    "Organisations exist only through Organization records signed by the registry operator;\n"
    "their keys and the record kinds they may issue come from those records. A key counts\n"
    "from the leaf of its registration to the leaf of its revocation.\n"
    "Run 'talentreg org SUBCOMMAND --help' for the options of each.\n";

static const char register_usage[] =
    "usage: talentreg org register FILE --key OPERATOR_KEY [--passphrase-file F]\n"
    "                              [--created DATETIME] [--json]\n"
    "\n"
    "Sign each Organization record in FILE (a stream of YAML records, \"-\" reads standard\n"
    "input) with the operator key and submit it, printing one line a record as 'talentreg\n"
    "submit' does. A later Organization record of the same organisation replaces its name\n"
    "and permissions from its leaf on and may add keys; it must list every key that is not\n"
    "revoked. Exit status: 0 all accepted, 1 a record rejected or invalid, 2 an error.\n"
    "\n"
    "Options:\n"
    "  --key OPERATOR_KEY   the operator's key file (the key 'talentreg init' stored)\n"
    "  --passphrase-file F  the key's passphrase, the first line of F\n"
    "  --created DATETIME   the proofs' creation time (default: now, UTC)\n"
    "  --json               one JSON array of results\n";

static const char list_usage[] =
    "usage: talentreg org list [--json]\n"
    "\n"
    "Print every registered organisation in the order of registration: its USCC, name and\n"
    "kind, the Organization record in force, the kinds it may issue, and each key with the\n"
    "leaf of its registration and, when revoked, of its revocation and compromise.\n"
    "\n"
    "Options:\n"
    "  --json    print the organisations as JSON\n";

static const char revoke_usage[] =
    "usage: talentreg org revoke-key USCC DID --key KEY [--compromised-since N]\n"
    "                                [--reason TEXT] [--passphrase-file F] [--json]\n"
    "\n"
    "Revoke the key DID (did:key:z6Mk...) of organisation USCC from the next leaf on: build a\n"
    "KeyRevocation record, sign it with KEY and submit it. KEY is the operator's key, or\n"
    "another key of that organisation (a key cannot sign its own revocation). Records logged\n"
    "before the revocation stay valid unless --compromised-since N says the key was\n"
    "compromised from leaf N on: records it signed from there no longer count.\n"
    "\n"
    "Options:\n"
    "  --key KEY                the signing key file\n"
    "  --compromised-since N    the leaf index from which the key is compromised\n"
    "  --reason TEXT            why the key is revoked\n"
    "  --passphrase-file F      the key's passphrase, the first line of F\n"
    "  --json                   print the result as JSON\n";

enum {
    OPT_KEY = CLI_OPT_BASE + 1,
    OPT_PASSPHRASE_FILE,
    OPT_JSON,
    OPT_COMPROMISED_SINCE,
    OPT_REASON,
    OPT_CREATED
};

struct org_args {
    const char *key, *passphrase_file, *since, *reason, *created;
    int json;
};

/* Parse the options into a and check nargs arguments follow. -1 when it went through. */
static int parse(struct cli *cli, int argc, char **argv, const struct option *opts, int nargs,
                 struct org_args *a)
{
    int c;
    memset(a, 0, sizeof *a);
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        switch (c) {
        case OPT_KEY:
            a->key = optarg;
            break;
        case OPT_PASSPHRASE_FILE:
            a->passphrase_file = optarg;
            break;
        case OPT_COMPROMISED_SINCE:
            a->since = optarg;
            break;
        case OPT_REASON:
            a->reason = optarg;
            break;
        case OPT_CREATED:
            a->created = optarg;
            break;
        case OPT_JSON:
            a->json = 1;
            break;
        default:
            return cli->exit;
        }
    }
    if (argc - optind != nargs) {
        return cli_usage_error(cli,
                               argc - optind < nargs ? "too few arguments" : "too many arguments");
    }
    if (opts[0].val == OPT_KEY && a->key == NULL) {
        return cli_usage_error(cli, "option '--key' is required");
    }
    return -1;
}

/* Results of records submitted by one subcommand, printed once they are committed. */
struct submitted {
    struct cli *cli;
    const struct tr_key *key;
    const char *created; /* the proofs' created time, NULL for now */
    struct tr_buf text;
    struct tr_json *list; /* with --json */
    int failed;           /* signing or the store failed: nothing is kept */
};

/* Sign cred with s->key, submit it and keep the report. Returns an exit code. */
static int sign_and_submit(struct submitted *s, const char *name, size_t n, struct tr_json *cred)
{
    struct tr_submit_result r;
    struct tr_error err = {0};
    struct tr_proof_sign_options opts = {s->created, NULL, NULL};
    if (tr_proof_sign(cred, s->key->seed, &opts, &err) != TR_OK) {
        s->failed = 1;
        return cli_fail(&err);
    }
    if (tr_submit_credential(s->cli->db, cred, &r, &err) != TR_OK) {
        s->failed = 1;
        return cli_fail(&err);
    }
    int rc = cli_submit_report(name, n, &r, &s->text, s->list);
    int code = r.status == TR_SUBMIT_REJECTED ? CLI_EXIT_NEGATIVE : CLI_EXIT_OK;
    tr_submit_result_release(&r);
    return rc == TR_OK ? code : cli_error("%s", tr_strerror(rc));
}

/* Commit what was accepted and print the reports; code is the worst so far. */
static int finish(struct submitted *s, int code)
{
    if (!s->failed && cli_commit(s->cli) != CLI_EXIT_OK) {
        code = CLI_EXIT_ERROR;
    } else if (!s->failed) {
        int wc = s->list != NULL ? cli_print_json(s->list) : cli_write(s->text.data, s->text.len);
        code = wc != CLI_EXIT_OK ? wc : code;
    }
    tr_json_free(s->list);
    tr_buf_release(&s->text);
    return code;
}

static int start(struct submitted *s, struct cli *cli, const struct tr_key *key, int json)
{
    memset(s, 0, sizeof *s);
    s->cli = cli;
    s->key = key;
    tr_buf_init(&s->text);
    if (json && (s->list = tr_json_new_array()) == NULL) {
        return cli_error("%s", tr_strerror(TR_ENOMEM));
    }
    return CLI_EXIT_OK;
}

/* ---- register ---- */

static int register_record(void *ctx, const char *name, size_t n, struct tr_json *cred)
{
    struct submitted *s = ctx;
    enum tr_kind kind;
    if (s->failed) {
        return CLI_EXIT_ERROR;
    }
    if (tr_schema_kind(cred, &kind, NULL) != TR_OK || kind != TR_KIND_ORGANIZATION) {
        cli_error("'%s' record %zu is not an Organization record", name, n);
        return CLI_EXIT_NEGATIVE;
    }
    return sign_and_submit(s, name, n, cred);
}

static int org_register(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, OPT_KEY},
        {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
        {"created", required_argument, NULL, OPT_CREATED},
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct org_args a;
    struct submitted s;
    struct tr_key *key = NULL;
    struct tr_error err = {0};
    unsigned char op[TR_ED25519_PUBLIC_LEN];
    int code = parse(cli, argc, argv, opts, 1, &a);
    if (code != -1) {
        return code;
    }
    if ((code = cli_load_key(a.key, a.passphrase_file, &key)) != CLI_EXIT_OK) {
        return code;
    }
    if (tr_trust_operator_key(cli->db, op, &err) != TR_OK) {
        cli_fail(&err);
        code = CLI_EXIT_ERROR;
    } else if (memcmp(op, key->pub, sizeof op) != 0) {
        code = cli_error("'%s' is not the operator key of store '%s'", a.key, cli->db_path);
    } else if ((code = start(&s, cli, key, a.json)) == CLI_EXIT_OK) {
        s.created = a.created;
        code = cli_each_record(argv[optind], NULL, NULL, NULL, register_record, &s);
        code = finish(&s, code);
    }
    tr_key_free(key);
    return code;
}

/* ---- list ---- */

/* The kind names of a permission set: "A, B" appended to out, or strings to list. */
static void add_kinds(struct tr_buf *out, unsigned permitted, struct tr_json *list, int *rc)
{
    const char *sep = "";
    for (int k = 0; k < TR_KIND_COUNT; k++) {
        const char *name = tr_schema_kind_name((enum tr_kind)k);
        if ((permitted & (1u << k)) == 0) {
            continue;
        }
        if (list == NULL) {
            tr_buf_addf(out, "%s%s", sep, name);
            sep = ", ";
        } else if (*rc == TR_OK) {
            *rc = tr_json_array_append(list, tr_json_new_cstr(name));
        }
    }
}

/* A number, or null when the flag is off. */
static struct tr_json *maybe(int on, uint64_t n)
{
    return on ? tr_json_new_number((double)n) : tr_json_new_null();
}

/* One key: a text line appended to out, or a JSON object appended to list. */
static void add_key(struct tr_buf *out, const struct tr_trust_key *k, struct tr_json *list, int *rc)
{
    char did[TR_KEY_DID_SIZE];
    tr_key_did(k->pub, did);
    if (list == NULL) {
        tr_buf_addf(out, "  key %s registered at leaf %" PRIu64, did, k->registered_leaf);
        if (k->revoked) {
            tr_buf_addf(out, ", revoked at leaf %" PRIu64, k->revoked_leaf);
        }
        if (k->compromised) {
            tr_buf_addf(out, ", compromised since leaf %" PRIu64, k->compromised_since);
        }
        tr_buf_addc(out, '\n');
        return;
    }
    struct tr_json *o = *rc == TR_OK ? tr_json_new_object() : NULL;
    *rc = *rc != TR_OK ? *rc : o != NULL ? TR_OK : TR_ENOMEM;
    cli_json_set(o, "did", tr_json_new_cstr(did), rc);
    cli_json_set(o, "registeredLeaf", maybe(1, k->registered_leaf), rc);
    cli_json_set(o, "revokedLeaf", maybe(k->revoked, k->revoked_leaf), rc);
    cli_json_set(o, "revocationRecord",
                 k->revoked ? tr_json_new_cstr(k->revocation_record) : tr_json_new_null(), rc);
    cli_json_set(o, "compromisedSince", maybe(k->compromised, k->compromised_since), rc);
    *rc = *rc == TR_OK ? tr_json_array_append(list, o) : (tr_json_free(o), *rc);
}

/* One organisation and its keys: text appended to out, or a JSON object appended to list. */
static int add_org(struct cli *cli, uint64_t size, const struct tr_trust_org *org,
                   struct tr_buf *out, struct tr_json *list)
{
    struct tr_trust_key *keys = NULL;
    struct tr_json *o = NULL, *kinds = NULL, *klist = NULL;
    struct tr_error err = {0};
    size_t n = 0;
    int rc = TR_OK;
    if (tr_trust_org_keys(cli->db, org->uscc, size, &keys, &n, &err) != TR_OK) {
        return cli_fail(&err);
    }
    if (list != NULL) {
        o = tr_json_new_object();
        kinds = tr_json_new_array();
        klist = tr_json_new_array();
        rc = o != NULL && kinds != NULL && klist != NULL ? TR_OK : TR_ENOMEM;
        cli_json_set(o, "uscc", tr_json_new_cstr(org->uscc), &rc);
        cli_json_set(o, "name", tr_json_new_cstr(org->name), &rc);
        cli_json_set(o, "organizationType", tr_json_new_cstr(org->org_kind), &rc);
        cli_json_set(o, "recordId", tr_json_new_cstr(org->record_id), &rc);
        cli_json_set(o, "leaf", maybe(1, org->leaf), &rc);
        cli_json_set(o, "firstLeaf", maybe(1, org->first_leaf), &rc);
    } else {
        tr_buf_addf(out, "%s %s (%s)\n  record %s at leaf %" PRIu64 "\n  may issue: ", org->uscc,
                    org->name, org->org_kind, org->record_id, org->leaf);
    }
    add_kinds(out, org->permitted, kinds, &rc);
    if (list == NULL) {
        tr_buf_addc(out, '\n');
    }
    for (size_t i = 0; i < n; i++) {
        add_key(out, &keys[i], klist, &rc);
    }
    free(keys);
    if (list != NULL) {
        cli_json_set(o, "mayIssue", kinds, &rc);
        cli_json_set(o, "keys", klist, &rc);
        rc = rc == TR_OK ? tr_json_array_append(list, o) : (tr_json_free(o), rc);
    }
    return rc == TR_OK ? CLI_EXIT_OK : cli_error("%s", tr_strerror(rc));
}

static int org_list(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct org_args a;
    struct tr_trust_org *orgs = NULL;
    struct tr_json *list = NULL;
    struct tr_error err = {0};
    struct tr_buf out;
    uint64_t size = 0;
    size_t n = 0;
    int code = parse(cli, argc, argv, opts, 0, &a);
    if (code != -1) {
        return code;
    }
    if (tr_log_size(cli->db, &size, &err) != TR_OK ||
        tr_trust_org_list(cli->db, size, &orgs, &n, &err) != TR_OK) {
        return cli_fail(&err);
    }
    tr_buf_init(&out);
    if (a.json && (list = tr_json_new_array()) == NULL) {
        code = cli_error("%s", tr_strerror(TR_ENOMEM));
        goto out;
    }
    code = CLI_EXIT_OK;
    for (size_t i = 0; code == CLI_EXIT_OK && i < n; i++) {
        code = add_org(cli, size, &orgs[i], &out, list);
    }
    if (code == CLI_EXIT_OK) {
        code = a.json             ? cli_print_json(list)
               : out.err != TR_OK ? cli_error("%s", tr_strerror(out.err))
                                  : cli_write(out.data, out.len);
    }
out:
    free(orgs);
    tr_json_free(list);
    tr_buf_release(&out);
    return code;
}

/* ---- revoke-key ---- */

/* The KeyRevocation record of a, as a YAML record reads, mapped to its credential. */
static int revocation_record(const char *issuer, const char *uscc, const char *did,
                             const struct org_args *a, struct tr_json **out)
{
    struct tr_json *rec = tr_json_new_object();
    struct tr_diag diag;
    int rc = rec != NULL ? TR_OK : TR_ENOMEM;
    *out = NULL;
    if (rc == TR_OK) {
        rc = tr_json_object_set(rec, "kind", tr_json_new_cstr("KeyRevocation"));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(rec, "issuer", tr_json_new_cstr(issuer));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(rec, "subject", tr_json_new_cstr(uscc));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(rec, "key", tr_json_new_cstr(did));
    }
    if (rc == TR_OK && a->since != NULL) {
        char *end = NULL;
        errno = 0;
        unsigned long long v = strtoull(a->since, &end, 10);
        if (a->since[0] < '0' || a->since[0] > '9' || errno != 0 || *end != '\0' ||
            v > 9007199254740991ull) {
            tr_json_free(rec);
            return cli_error("option '--compromised-since' needs a leaf index, not '%s'", a->since);
        }
        rc = tr_json_object_set(rec, "compromisedSince", tr_json_new_number((double)v));
    }
    if (rc == TR_OK && a->reason != NULL) {
        rc = tr_json_object_set(rec, "reason", tr_json_new_cstr(a->reason));
    }
    if (rc != TR_OK) {
        tr_json_free(rec);
        return cli_error("%s", tr_strerror(rc));
    }
    tr_diag_init(&diag, "the key revocation");
    rc = tr_schema_from_record(rec, NULL, out, &diag);
    tr_json_free(rec);
    int code = CLI_EXIT_OK;
    if (rc != TR_OK) {
        cli_print_diag(&diag);
        code = rc == TR_ESCHEMA ? CLI_EXIT_NEGATIVE : CLI_EXIT_ERROR;
    }
    tr_diag_release(&diag);
    return code;
}

static int org_revoke_key(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, OPT_KEY},
        {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
        {"compromised-since", required_argument, NULL, OPT_COMPROMISED_SINCE},
        {"reason", required_argument, NULL, OPT_REASON},
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct org_args a;
    struct submitted s;
    struct tr_key *key = NULL;
    struct tr_json *cred = NULL;
    struct tr_error err = {0};
    unsigned char op[TR_ED25519_PUBLIC_LEN];
    int code = parse(cli, argc, argv, opts, 2, &a);
    if (code != -1) {
        return code;
    }
    const char *uscc = argv[optind], *did = argv[optind + 1];
    if ((code = cli_load_key(a.key, a.passphrase_file, &key)) != CLI_EXIT_OK) {
        return code;
    }
    /* The operator revokes as the operator; anyone else as the organisation itself. */
    int rc = tr_trust_operator_key(cli->db, op, &err);
    if (rc != TR_OK && rc != TR_ENOTFOUND) {
        code = cli_fail(&err);
        goto out;
    }
    const char *issuer = rc == TR_OK && memcmp(op, key->pub, sizeof op) == 0 ? "operator" : uscc;
    if ((code = revocation_record(issuer, uscc, did, &a, &cred)) != CLI_EXIT_OK ||
        (code = start(&s, cli, key, a.json)) != CLI_EXIT_OK) {
        goto out;
    }
    code = sign_and_submit(&s, did, 0, cred);
    code = finish(&s, code);
out:
    tr_json_free(cred);
    tr_key_free(key);
    return code;
}

/* The subcommands, named as cli_usage_error shows them, each with the store it needs. */
static const struct cli_cmd subcommands[] = {
    {"org list", org_list, CLI_STORE_READ, "list the registered organisations", list_usage},
    {"org register", org_register, CLI_STORE_WRITE, "register organisations", register_usage},
    {"org revoke-key", org_revoke_key, CLI_STORE_WRITE, "revoke an organisation key", revoke_usage},
};

static int cmd_org(struct cli *cli, int argc, char **argv)
{
    return cli_run_subcommand(cli, argc, argv, subcommands,
                              sizeof subcommands / sizeof subcommands[0]);
}

const struct cli_cmd cli_cmd_org = {
    "org", cmd_org, 0, "register organisations, list them, revoke their keys", cmd_org_usage};
