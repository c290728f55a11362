/* cmd_cosign.c — `talentreg cosign`: add a signer's proof to a signed credential. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char cmd_cosign_usage[] =
    "usage: talentreg cosign FILE --key KEY [--out F] [--passphrase-file F]\n"
    "                        [--created DATETIME]\n"
    "\n"
    "Add an eddsa-jcs-2022 proof by KEY to the signed credential in FILE (JSON, \"-\" reads\n"
    "standard input), making a proof set, and print it as pretty JSON or write it to a new\n"
    "file F. The record id does not change: submitting the co-signed credential merges the\n"
    "new proof into the stored record. Refused (exit 1) when the credential does not pass its\n"
    "schema, when one of its proofs does not verify, or when KEY has already signed it.\n"
    "\n"
    "Options:\n"
    "  --key KEY            the co-signer's key file\n"
    "  --passphrase-file F  the key's passphrase, the first line of F\n"
    "  --out F              write the credential to the new file F instead of printing it\n"
    "  --created DATETIME   the proof's creation time (default: now, UTC)\n" CLI_LIMIT_USAGE;

enum { OPT_KEY = CLI_OPT_BASE + 1, OPT_OUT, OPT_PASSPHRASE_FILE, OPT_CREATED };

/*
 * What cosigning must not paper over: a credential that fails its schema, a proof that does
 * not verify, a key that signed already. Returns 0, or 1 after saying why.
 */
static int check_cosignable(const char *name, const struct tr_json *cred, const struct tr_key *key)
{
    struct tr_diag diag;
    struct tr_proof_result *res = NULL;
    struct tr_error err = {0};
    size_t n = 0;
    int code = CLI_EXIT_OK;
    tr_diag_init(&diag, name);
    int rc = tr_schema_check(cred, &diag);
    if (rc != TR_OK) {
        cli_print_diag(&diag);
        code = rc == TR_ESCHEMA ? CLI_EXIT_NEGATIVE : CLI_EXIT_ERROR;
        goto out;
    }
    rc = tr_proof_verify(cred, NULL, NULL, NULL, &res, &n, &err);
    if (rc != TR_OK) {
        code = rc == TR_EVERIFY ? CLI_EXIT_NEGATIVE : CLI_EXIT_ERROR;
        cli_error("'%s' does not verify: %s", name, err.msg);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (memcmp(res[i].pub, key->pub, sizeof key->pub) == 0) {
            char did[TR_KEY_DID_SIZE];
            tr_key_did(key->pub, did);
            code = CLI_EXIT_NEGATIVE;
            cli_error("'%s' is already signed by %s (proof %zu)", name, did, i + 1);
            break;
        }
    }
out:
    free(res);
    tr_diag_release(&diag);
    return code;
}

static int cmd_cosign(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, OPT_KEY},
        {"out", required_argument, NULL, OPT_OUT},
        {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
        {"created", required_argument, NULL, OPT_CREATED},
        CLI_LIMIT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct tr_limits limits;
    struct tr_json *cred = NULL;
    struct tr_key *key = NULL;
    struct tr_buf text;
    struct tr_error err = {0};
    const char *key_path = NULL, *out = NULL, *passfile = NULL, *created = NULL;
    int c, code = CLI_EXIT_OK;
    tr_limits_default(&limits);
    tr_buf_init(&text);
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c == OPT_KEY) {
            key_path = optarg;
        } else if (c == OPT_OUT) {
            out = optarg;
        } else if (c == OPT_PASSPHRASE_FILE) {
            passfile = optarg;
        } else if (c == OPT_CREATED) {
            created = optarg;
        } else if (c == '?') {
            return cli->exit;
        } else if (cli_limit_option(cli, c, optarg, &limits) != CLI_EXIT_OK) {
            return CLI_EXIT_ERROR;
        }
    }
    if (argc - optind != 1) {
        return cli_usage_error(cli, argc == optind ? "no FILE given" : "too many arguments");
    }
    if (key_path == NULL) {
        return cli_usage_error(cli, "option '--key' is required");
    }
    const char *file = argv[optind];
    if ((code = cli_read_json(file, &limits, &cred)) != CLI_EXIT_OK ||
        (code = cli_load_key(key_path, passfile, &key)) != CLI_EXIT_OK ||
        (code = check_cosignable(strcmp(file, "-") == 0 ? "<stdin>" : file, cred, key)) !=
            CLI_EXIT_OK) {
        goto out;
    }
    struct tr_proof_sign_options sopts = {created, NULL, NULL};
    if (tr_proof_sign(cred, key->seed, &sopts, &err) != TR_OK ||
        tr_json_write(cred, TR_JSON_PRETTY, &text, &err) != TR_OK) {
        code = cli_fail(&err);
        goto out;
    }
    code =
        out != NULL ? cli_write_new_file(out, text.data, text.len) : cli_write(text.data, text.len);
out:
    tr_key_free(key);
    tr_json_free(cred);
    tr_buf_release(&text);
    return code;
}

const struct cli_cmd cli_cmd_cosign = {
    "cosign", cmd_cosign, 0, "add a co-signer's proof to a signed credential", cmd_cosign_usage};
