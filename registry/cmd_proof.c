/* cmd_proof.c — `talentreg proof sign|verify`: eddsa-jcs-2022 proofs on any JSON document. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "talentreg/key.h"
#include "talentreg/proof.h"

static const char cmd_proof_usage[] =
    "usage: talentreg proof sign [options] FILE --key KEY\n"
    "       talentreg proof verify [--json] FILE\n"
    "\n"
    "Create or check W3C Data Integrity proofs (eddsa-jcs-2022) on any JSON document.\n"
    "'sign' prints the document with a new proof added (a proof set when it already has\n"
    "one); the signature is verified again before anything is printed. 'verify' checks\n"
    "every proof, resolving did:key verification methods; it exits 0 when all verify and\n"
    "1 when any does not.\n"
    "\n"
    "Options of sign:\n"
    "  --key KEY                    the signing key file\n"
    "  --passphrase-file F          read the key's passphrase from the first line of F\n"
    "  --created DATETIME           the proof's creation time (default: now, UTC)\n"
    "  --verification-method VM     the method id to name (default: the key's did:key)\n"
    "Options of verify:\n"
    "  --json                       print the verdict of every proof as JSON\n"
    "Both read FILE (\"-\" = standard input) under the input limits:\n" CLI_LIMIT_USAGE;

enum {
    OPT_KEY = CLI_OPT_BASE,
    OPT_PASSFILE,
    OPT_CREATED,
    OPT_VM,
    OPT_JSON
};

static const struct option options[] = {
    {"key", required_argument, NULL, OPT_KEY},
    {"passphrase-file", required_argument, NULL, OPT_PASSFILE},
    {"created", required_argument, NULL, OPT_CREATED},
    {"verification-method", required_argument, NULL, OPT_VM},
    {"json", no_argument, NULL, OPT_JSON},
    CLI_LIMIT_OPTIONS,
    {NULL, 0, NULL, 0},
};

struct proof_args {
    const char *key, *passfile, *created, *vm, *file;
    int json;
    struct tr_limits limits;
};

static int parse(struct cli *cli, int argc, char **argv, int signing, struct proof_args *a)
{
    int c;
    memset(a, 0, sizeof *a);
    tr_limits_default(&a->limits);
    while ((c = cli_getopt(cli, argc, argv, options)) != -1) {
        switch (c) {
        case OPT_KEY:
            a->key = optarg;
            break;
        case OPT_PASSFILE:
            a->passfile = optarg;
            break;
        case OPT_CREATED:
            a->created = optarg;
            break;
        case OPT_VM:
            a->vm = optarg;
            break;
        case OPT_JSON:
            a->json = 1;
            break;
        case CLI_OPT_MAX_BYTES:
        case CLI_OPT_MAX_DEPTH:
        case CLI_OPT_MAX_NODES:
        case CLI_OPT_MAX_SCALAR:
            if (cli_limit_option(cli, c, optarg, &a->limits) != CLI_EXIT_OK) {
                return CLI_EXIT_ERROR;
            }
            break;
        default:
            return cli->exit;
        }
    }
    if (signing && (a->json)) {
        return cli_usage_error(cli, "option '--json' belongs to 'proof verify'");
    }
    if (!signing && (a->key || a->passfile || a->created || a->vm)) {
        return cli_usage_error(cli, "'proof verify' takes only --json and limits");
    }
    if (signing && a->key == NULL) {
        return cli_usage_error(cli, "'proof sign' needs --key KEY");
    }
    if (argc - optind != 1) {
        return cli_usage_error(cli, "expected one FILE");
    }
    a->file = argv[optind];
    return CLI_EXIT_OK;
}

static int print_json(const struct tr_json *doc, unsigned flags)
{
    struct tr_buf out;
    struct tr_error err = {0};
    tr_buf_init(&out);
    int rc = tr_json_write(doc, flags, &out, &err);
    int code = rc == TR_OK ? cli_write(out.data, out.len) : cli_fail(&err);
    tr_buf_release(&out);
    return code;
}

static int proof_sign(struct cli *cli, int argc, char **argv)
{
    struct proof_args a;
    struct tr_json *doc = NULL;
    struct tr_key *key = NULL;
    struct tr_error err = {0};
    int code = parse(cli, argc, argv, 1, &a);
    if (code != CLI_EXIT_OK || cli->helped) {
        return code;
    }
    if ((code = cli_read_json(a.file, &a.limits, &doc)) != CLI_EXIT_OK ||
        (code = cli_load_key(a.key, a.passfile, &key)) != CLI_EXIT_OK) {
        goto out;
    }
    struct tr_proof_sign_options opts = {a.created, a.vm, NULL};
    if (tr_proof_sign(doc, key->seed, &opts, &err) != TR_OK) {
        code = cli_fail(&err);
        goto out;
    }
    code = print_json(doc, TR_JSON_PRETTY);
out:
    tr_key_free(key);
    tr_json_free(doc);
    return code;
}

static int add_result(struct tr_json *list, const struct tr_proof_result *r)
{
    struct tr_json *o = tr_json_new_object();
    struct tr_json *vm = tr_json_new_cstr(r->verification_method);
    struct tr_json *ok = tr_json_new_bool(r->status == TR_PROOF_VALID);
    struct tr_json *reason = tr_json_new_cstr(tr_proof_reason_code(r->status));
    struct tr_json *detail = tr_json_new_cstr(r->detail);
    int rc = o != NULL ? TR_OK : TR_ENOMEM;
    if (rc == TR_OK) {
        rc = tr_json_object_set(o, "verificationMethod", vm);
        vm = NULL;
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(o, "verified", ok);
        ok = NULL;
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(o, "reason", reason);
        reason = NULL;
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(o, "detail", detail);
        detail = NULL;
    }
    tr_json_free(vm);
    tr_json_free(ok);
    tr_json_free(reason);
    tr_json_free(detail);
    if (rc != TR_OK) {
        tr_json_free(o);
        return rc;
    }
    return tr_json_array_append(list, o);
}

static int proof_verify(struct cli *cli, int argc, char **argv)
{
    struct proof_args a;
    struct tr_json *doc = NULL, *report = NULL, *list = NULL;
    struct tr_proof_result *res = NULL;
    size_t n = 0;
    struct tr_error err = {0};
    int code = parse(cli, argc, argv, 0, &a);
    if (code != CLI_EXIT_OK || cli->helped) {
        return code;
    }
    if ((code = cli_read_json(a.file, &a.limits, &doc)) != CLI_EXIT_OK) {
        goto out;
    }
    int rc = tr_proof_verify(doc, NULL, NULL, NULL, &res, &n, &err);
    if (rc != TR_OK && rc != TR_EVERIFY) {
        code = cli_fail(&err);
        goto out;
    }
    code = rc == TR_OK ? CLI_EXIT_OK : CLI_EXIT_NEGATIVE;
    if (a.json) {
        report = tr_json_new_object();
        list = tr_json_new_array();
        int jrc = report != NULL && list != NULL ? TR_OK : TR_ENOMEM;
        for (size_t i = 0; jrc == TR_OK && i < n; i++) {
            jrc = add_result(list, &res[i]);
        }
        if (jrc == TR_OK) {
            jrc = tr_json_object_set(report, "verified", tr_json_new_bool(rc == TR_OK));
        }
        if (jrc == TR_OK) {
            jrc = tr_json_object_set(report, "proofs", list);
            list = NULL;
        }
        if (jrc != TR_OK) {
            code = cli_error("out of memory");
            goto out;
        }
        int wc = print_json(report, TR_JSON_PRETTY);
        code = wc != CLI_EXIT_OK ? wc : code;
        goto out;
    }
    if (n == 0) {
        printf("not verified: %s\n", err.msg);
    }
    for (size_t i = 0; i < n; i++) {
        if (res[i].status == TR_PROOF_VALID) {
            printf("proof %zu: ok %s\n", i + 1, res[i].verification_method);
        } else {
            printf("proof %zu: %s: %s\n", i + 1, tr_proof_reason_code(res[i].status),
                   res[i].detail);
        }
    }
    if (n > 0) {
        printf("%s\n", rc == TR_OK ? "verified" : "not verified");
    }
out:
    free(res);
    tr_json_free(list);
    tr_json_free(report);
    tr_json_free(doc);
    return code;
}

/* The subcommands, named as cli_usage_error shows them. */
static const struct cli_cmd subcommands[] = {
    {"proof sign", proof_sign, 0, "add an eddsa-jcs-2022 proof to a JSON document",
     cmd_proof_usage},
    {"proof verify", proof_verify, 0, "verify every proof of a JSON document", cmd_proof_usage},
};

static int cmd_proof(struct cli *cli, int argc, char **argv)
{
    return cli_run_subcommand(cli, argc, argv, subcommands,
                              sizeof subcommands / sizeof subcommands[0]);
}

const struct cli_cmd cli_cmd_proof = {"proof", cmd_proof, 0,
    "sign and verify W3C Data Integrity proofs on JSON documents", cmd_proof_usage};
