/* cmd_issue.c — `talentreg issue`: YAML records to signed credentials. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char cmd_issue_usage[] =
    "usage: talentreg issue FILE --key KEY [--out F] [--id-key FILE] [--passphrase-file F]\n"
    "                       [--created DATETIME]\n"
    "\n"
    "Map each record in FILE (a stream of YAML records, \"-\" reads standard input) to its\n"
    "credential, sign it with KEY (an eddsa-jcs-2022 proof) and print it as pretty JSON, or\n"
    "write it to a new file F (never over an existing one; F takes one record). A record\n"
    "that needs a second signer (a dual appointment, a recognition agreement) goes to the\n"
    "other organisation for 'talentreg cosign' before 'talentreg submit'. Nothing is stored.\n"
    "\n"
    "A Person record's nationalId is replaced by its keyed hash under the id key: --id-key\n"
    "FILE, else the key of the store (--db PATH, $TALENTREG_DB, ./talent.db) when it can be\n"
    "opened. Without either such a record is refused.\n"
    "\n"
    "Options:\n"
    "  --key KEY            the signing key file\n"
    "  --passphrase-file F  the key's passphrase, the first line of F\n"
    "  --out F              write the credential to the new file F instead of printing it\n"
    "  --id-key FILE        the id key (64 hex digits) that hashes national id numbers\n"
    "  --created DATETIME   the proof's creation time (default: now, UTC)\n" CLI_LIMIT_USAGE;

enum { OPT_KEY = CLI_OPT_BASE + 1, OPT_OUT, OPT_ID_KEY, OPT_PASSPHRASE_FILE, OPT_CREATED };

struct issue {
    const struct tr_key *key;
    const char *created;
    struct tr_buf out; /* the credentials, pretty JSON one after another */
    size_t count;
};

static int sign_record(void *ctx, const char *name, size_t n, struct tr_json *cred)
{
    struct issue *is = ctx;
    struct tr_error err = {0};
    struct tr_proof_sign_options opts = {is->created, NULL, NULL};
    (void)name;
    (void)n;
    if (tr_proof_sign(cred, is->key->seed, &opts, &err) != TR_OK ||
        tr_json_write(cred, TR_JSON_PRETTY, &is->out, &err) != TR_OK) {
        return cli_fail(&err);
    }
    is->count++;
    return CLI_EXIT_OK;
}

/*
 * The id key: --id-key, else the store's. When neither is there, *found is 0 and why says
 * why (for a record that needs one).
 */
static int find_id_key(struct cli *cli, const char *path, unsigned char key[TR_ID_KEY_LEN],
                       int *found, char *why, size_t why_size)
{
    struct tr_error err = {0};
    struct tr_db *db = NULL;
    struct stat st;
    *found = 0;
    if (path != NULL) {
        if (tr_ident_key_read(path, key, &err) != TR_OK) {
            return cli_fail(&err);
        }
        *found = 1;
        return CLI_EXIT_OK;
    }
    if (stat(cli->db_path, &st) != 0) {
        snprintf(why, why_size, "no --id-key FILE, and no store '%s' (%s)", cli->db_path,
                 strerror(errno));
        return CLI_EXIT_OK;
    }
    if (tr_db_open(cli->db_path, TR_DB_READONLY, &db, &err) != TR_OK ||
        tr_db_id_key(db, key, &err) != TR_OK) {
        snprintf(why, why_size, "no --id-key FILE, and %s", err.msg);
    } else {
        *found = 1;
    }
    tr_db_close(db, NULL);
    return CLI_EXIT_OK;
}

static int cmd_issue(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, OPT_KEY},
        {"out", required_argument, NULL, OPT_OUT},
        {"id-key", required_argument, NULL, OPT_ID_KEY},
        {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
        {"created", required_argument, NULL, OPT_CREATED},
        CLI_LIMIT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct tr_limits limits;
    struct issue is = {0};
    struct tr_key *key = NULL;
    unsigned char id_key[TR_ID_KEY_LEN];
    char why[TR_ERROR_MAX + 64] = "";
    const char *key_path = NULL, *out = NULL, *id_path = NULL, *passfile = NULL;
    int c, found = 0, code = CLI_EXIT_OK;
    tr_limits_default(&limits);
    tr_buf_init(&is.out);
    memset(id_key, 0, sizeof id_key);
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        switch (c) {
        case OPT_KEY:
            key_path = optarg;
            break;
        case OPT_OUT:
            out = optarg;
            break;
        case OPT_ID_KEY:
            id_path = optarg;
            break;
        case OPT_PASSPHRASE_FILE:
            passfile = optarg;
            break;
        case OPT_CREATED:
            is.created = optarg;
            break;
        case '?':
            code = cli->exit;
            goto out;
        default:
            if ((code = cli_limit_option(cli, c, optarg, &limits)) != CLI_EXIT_OK) {
                goto out;
            }
        }
    }
    if (argc - optind != 1) {
        code = cli_usage_error(cli, argc == optind ? "no FILE given" : "too many arguments");
        goto out;
    }
    if (key_path == NULL) {
        code = cli_usage_error(cli, "option '--key' is required");
        goto out;
    }
    if ((code = cli_load_key(key_path, passfile, &key)) != CLI_EXIT_OK ||
        (code = find_id_key(cli, id_path, id_key, &found, why, sizeof why)) != CLI_EXIT_OK) {
        goto out;
    }
    is.key = key;
    code = cli_each_record(argv[optind], &limits, found ? id_key : NULL, why, sign_record, &is);
    if (is.out.err != TR_OK) {
        code = cli_error("%s", tr_strerror(is.out.err));
    } else if (out != NULL && code == CLI_EXIT_OK && is.count != 1) {
        code = cli_error("'%s' holds %zu records; --out takes one", argv[optind], is.count);
    } else if (out != NULL && code == CLI_EXIT_OK) {
        code = cli_write_new_file(out, is.out.data, is.out.len);
    } else if (out == NULL) {
        int wc = cli_write(is.out.data, is.out.len);
        code = wc != CLI_EXIT_OK ? wc : code;
    }
out:
    tr_wipe(id_key, sizeof id_key);
    tr_key_free(key);
    tr_buf_release(&is.out);
    return code;
}

const struct cli_cmd cli_cmd_issue = {
    "issue", cmd_issue, 0, "sign YAML records and print their credentials", cmd_issue_usage};
