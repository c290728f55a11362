/* cmd_key.c — `talentreg key generate | show | import`: Ed25519 key files and their did:key. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char cmd_key_usage[] =
    "usage: talentreg key generate --out FILE [--passphrase-file F] [--force] [--name NAME]\n"
    "                              [--json]\n"
    "       talentreg key show [--passphrase-file F] [--name NAME] [--json] FILE\n"
    "       talentreg key import --multibase SECRET --out FILE [--passphrase-file F] [--force]\n"
    "                            [--name NAME] [--json]\n"
    "\n"
    "Create, show and import Ed25519 signing keys. A key file is PEM PKCS#8 with mode 0600,\n"
    "encrypted (scrypt, AES-256-CBC) when a passphrase file is given. Each subcommand prints\n"
    "the key's did:key, verification method id, public key and C2SP signed-note verifier key\n"
    "(named by --name NAME, default \"talentreg\"; name it after the log's origin).\n"
    "Run 'talentreg key SUBCOMMAND --help' for the options of each.\n";

static const char generate_usage[] =
    "usage: talentreg key generate --out FILE [--passphrase-file F] [--force] [--name NAME]\n"
    "                              [--json]\n"
    "\n"
    "Create a new Ed25519 key in FILE (PEM PKCS#8, mode 0600) and print its did:key,\n"
    "verification method id, public key and verifier key. An existing FILE is never replaced\n"
    "without --force.\n"
    "\n"
    "Options:\n"
    "  --out FILE           the key file to create\n"
    "  --passphrase-file F  encrypt the key with the first line of F\n"
    "  --force              replace FILE if it exists\n"
    "  --name NAME          the key name of the verifier key (default talentreg)\n"
    "  --json               print the report as JSON\n";

static const char show_usage[] =
    "usage: talentreg key show [--passphrase-file F] [--name NAME] [--json] FILE\n"
    "\n"
    "Print the did:key, verification method id, public key and C2SP signed-note verifier key\n"
    "of the key in FILE. FILE must be a regular file, not a symbolic link, that neither group\n"
    "nor others may read or write.\n"
    "\n"
    "Options:\n"
    "  --passphrase-file F  the passphrase of an encrypted FILE: the first line of F\n"
    "  --name NAME          the key name of the verifier key (default talentreg): the log's\n"
    "                       origin for an operator key\n"
    "  --json               print the report as JSON\n";

static const char import_usage[] =
    "usage: talentreg key import --multibase SECRET --out FILE [--passphrase-file F] [--force]\n"
    "                            [--name NAME] [--json]\n"
    "\n"
    "Write the Ed25519 key SECRET, a secretKeyMultibase (\"z\" + base58btc of 80 26 and the\n"
    "32-byte seed, optionally followed by the 32-byte public key), to FILE as key generate\n"
    "does, and print its report. Other users of the machine can see a command line (ps,\n"
    "/proc): import a secret key only where no one else can.\n"
    "\n"
    "Options:\n"
    "  --multibase SECRET   the secret key\n"
    "  --out FILE           the key file to create\n"
    "  --passphrase-file F  encrypt the key with the first line of F\n"
    "  --force              replace FILE if it exists\n"
    "  --name NAME          the key name of the verifier key (default talentreg)\n"
    "  --json               print the report as JSON\n";

/* The verifier key's name when --name is not given. */
#define DEFAULT_NAME "talentreg"

enum { OPT_OUT = CLI_OPT_BASE + 1, OPT_PASSPHRASE_FILE, OPT_FORCE, OPT_JSON, OPT_MULTIBASE, OPT_NAME };

/* The options of the three subcommands, once parsed. */
struct key_args {
    const char *out;
    const char *passphrase_file;
    const char *multibase;
    const char *name;
    int force;
    int json;
};

/*
 * Parse the options of a subcommand into a, leaving optind at the first argument.
 * Returns -1 when parsing went through, else the exit code to return.
 */
static int parse(struct cli *cli, int argc, char **argv, const struct option *opts,
                 struct key_args *a)
{
    int c;
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        switch (c) {
        case OPT_OUT:
            a->out = optarg;
            break;
        case OPT_PASSPHRASE_FILE:
            a->passphrase_file = optarg;
            break;
        case OPT_MULTIBASE:
            a->multibase = optarg;
            break;
        case OPT_NAME:
            a->name = optarg;
            break;
        case OPT_FORCE:
            a->force = 1;
            break;
        case OPT_JSON:
            a->json = 1;
            break;
        default:
            return cli->exit;
        }
    }
    if (a->name == NULL) {
        a->name = DEFAULT_NAME;
    }
    struct tr_note_verifier v;
    struct tr_error err = {0};
    unsigned char any[TR_ED25519_PUBLIC_LEN] = {0};
    if (tr_note_verifier_from_public(a->name, any, &v, &err) != TR_OK) {
        return cli_usage_error(cli, "option '--name': %s", err.msg);
    }
    return -1;
}

/* Print the public names of key, its verifier key named name: text lines, or one JSON
 * object. */
static int report(const struct tr_key *key, const char *name, int json)
{
    char mb[TR_KEY_MULTIBASE_SIZE], did[TR_KEY_DID_SIZE], vm[TR_KEY_VM_SIZE];
    struct tr_json *obj = NULL;
    struct tr_note_verifier v;
    struct tr_buf hex, vkey, out;
    struct tr_error err = {0};
    int rc = CLI_EXIT_OK;

    tr_buf_init(&hex);
    tr_buf_init(&vkey);
    tr_buf_init(&out);
    if (tr_note_verifier_from_public(name, key->pub, &v, &err) != TR_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    if (tr_note_verifier_format(&v, &vkey) != TR_OK) {
        rc = cli_error("%s", tr_strerror(vkey.err));
        goto out;
    }
    tr_key_public_multibase(key->pub, mb);
    tr_key_did(key->pub, did);
    tr_key_verification_method(key->pub, vm);
    if (tr_buf_addhex(&hex, key->pub, sizeof key->pub) != TR_OK) {
        rc = cli_error("%s", tr_strerror(hex.err));
        goto out;
    }
    if (json) {
        obj = tr_json_new_object();
        if (obj == NULL || tr_json_object_set(obj, "did", tr_json_new_cstr(did)) != TR_OK ||
            tr_json_object_set(obj, "verificationMethod", tr_json_new_cstr(vm)) != TR_OK ||
            tr_json_object_set(obj, "publicKeyMultibase", tr_json_new_cstr(mb)) != TR_OK ||
            tr_json_object_set(obj, "publicKeyHex", tr_json_new_cstr(hex.data)) != TR_OK ||
            tr_json_object_set(obj, "verifierKey", tr_json_new_cstr(vkey.data)) != TR_OK) {
            rc = cli_error("%s", tr_strerror(TR_ENOMEM));
            goto out;
        }
        if (tr_json_write(obj, TR_JSON_PRETTY, &out, &err) != TR_OK) {
            rc = cli_fail(&err);
            goto out;
        }
    } else if (tr_buf_addf(&out,
                           "did: %s\nverificationMethod: %s\npublicKeyMultibase: %s\n"
                           "publicKeyHex: %s\nverifierKey: %s\n",
                           did, vm, mb, hex.data, vkey.data) != TR_OK) {
        rc = cli_error("%s", tr_strerror(out.err));
        goto out;
    }
    rc = cli_write(out.data, out.len);
out:
    tr_json_free(obj);
    tr_buf_release(&hex);
    tr_buf_release(&vkey);
    tr_buf_release(&out);
    return rc;
}

/*
 * Read the passphrase of a->passphrase_file into pass (TR_KEY_PASSPHRASE_MAX bytes) and point
 * *given at it, or leave *given NULL when there is no such option. Returns -1 when it went
 * through, else the exit code to return.
 */
static int read_passphrase(const struct key_args *a, char *pass, const char **given)
{
    struct tr_error err = {0};
    *given = NULL;
    if (a->passphrase_file == NULL) {
        return -1;
    }
    if (tr_key_read_passphrase(a->passphrase_file, pass, &err) != TR_OK) {
        return cli_fail(&err);
    }
    *given = pass;
    return -1;
}

/* key generate and key import: a new key, or the one of --multibase, written to --out. */
static int write_key(struct cli *cli, int argc, char **argv, int import)
{
    static const struct option opts[] = {
        {"multibase", required_argument, NULL, OPT_MULTIBASE},
        {"out", required_argument, NULL, OPT_OUT},
        {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
        {"force", no_argument, NULL, OPT_FORCE},
        {"name", required_argument, NULL, OPT_NAME},
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct key_args a = {0};
    struct tr_key *key = NULL;
    struct tr_error err = {0};
    char pass[TR_KEY_PASSPHRASE_MAX];
    const char *passphrase = NULL;
    int rc = parse(cli, argc, argv, import ? opts : opts + 1, &a);
    if (rc != -1) {
        goto out;
    }
    if (optind < argc) {
        rc = cli_usage_error(cli, "too many arguments");
        goto out;
    }
    if ((import && a.multibase == NULL) || a.out == NULL) {
        rc = cli_usage_error(cli, "option '%s' is required",
                             a.out != NULL ? "--multibase" : "--out");
        goto out;
    }
    if ((import ? tr_key_parse_secret_multibase(a.multibase, &key, &err)
                : tr_key_generate(&key, &err)) != TR_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    if ((rc = read_passphrase(&a, pass, &passphrase)) != -1) {
        goto out;
    }
    if (tr_key_save(key, a.out, passphrase, NULL, a.force ? TR_KEY_FORCE : 0, &err) != TR_OK) {
        rc =
            err.code == TR_EEXIST ? cli_error("%s (--force replaces it)", err.msg) : cli_fail(&err);
        goto out;
    }
    rc = report(key, a.name, a.json);
out:
    tr_wipe(pass, sizeof pass);
    tr_key_free(key);
    return rc;
}

static int key_generate(struct cli *cli, int argc, char **argv)
{
    return write_key(cli, argc, argv, 0);
}

static int key_import(struct cli *cli, int argc, char **argv)
{
    return write_key(cli, argc, argv, 1);
}

static int key_show(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
        {"name", required_argument, NULL, OPT_NAME},
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct key_args a = {0};
    struct tr_key *key = NULL;
    struct tr_error err = {0};
    char pass[TR_KEY_PASSPHRASE_MAX];
    const char *passphrase = NULL;
    int rc = parse(cli, argc, argv, opts, &a);
    if (rc != -1) {
        goto out;
    }
    if (argc - optind != 1) {
        rc = cli_usage_error(cli, argc - optind == 0 ? "no FILE given" : "too many arguments");
        goto out;
    }
    if ((rc = read_passphrase(&a, pass, &passphrase)) != -1) {
        goto out;
    }
    if (tr_key_load(argv[optind], passphrase, &key, &err) != TR_OK) {
        rc = err.code == TR_EPASS && passphrase == NULL
                 ? cli_error("%s (--passphrase-file F gives it)", err.msg)
                 : cli_fail(&err);
        goto out;
    }
    rc = report(key, a.name, a.json);
out:
    tr_wipe(pass, sizeof pass);
    tr_key_free(key);
    return rc;
}

/* The subcommands, named as cli_usage_error shows them. */
static const struct cli_cmd subcommands[] = {
    {"key generate", key_generate, 0, "create a new key file", generate_usage},
    {"key import", key_import, 0, "write a multibase secret key to a key file", import_usage},
    {"key show", key_show, 0, "print the did:key of a key file", show_usage},
};

static int cmd_key(struct cli *cli, int argc, char **argv)
{
    return cli_run_subcommand(cli, argc, argv, subcommands,
                              sizeof subcommands / sizeof subcommands[0]);
}

const struct cli_cmd cli_cmd_key = {"key", cmd_key, 0,
    "create, show and import Ed25519 signing keys", cmd_key_usage};
