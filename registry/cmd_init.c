/* cmd_init.c — `talentreg init`: create a new store, with the operator key it trusts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char cmd_init_usage[] =
    "usage: talentreg init --origin NAME [--operator-key FILE [--passphrase-file F]]\n"
    "\n"
    "Create a new, empty store at --db PATH (else $TALENTREG_DB, else ./talent.db) whose log\n"
    "is called NAME. An existing file is never overwritten. The store is created with mode\n"
    "0600: it holds the key that turns national id numbers into keyed hashes.\n"
    "\n"
    "With --operator-key, the store trusts the registry operator's key in FILE: only it\n"
    "registers organisations and signs checkpoints. FILE is loaded when it exists, else a new\n"
    "key is generated into it (mode 0600). The operator's did:key and C2SP signed-note\n"
    "verifier key (named NAME) are printed: they are all a verifier needs to trust.\n"
    "\n"
    "Options:\n"
    "  --origin NAME        the log's origin, the first line of every checkpoint: 1 to 255\n"
    "                       printable ASCII characters without spaces or '+',\n"
    "                       e.g. talentreg.example/jiangsu\n"
    "  --operator-key FILE  the operator's key file, loaded or created\n"
    "  --passphrase-file F  its passphrase, the first line of F (encrypts a new key)\n";

enum { OPT_ORIGIN = CLI_OPT_BASE + 1, OPT_OPERATOR_KEY, OPT_PASSPHRASE_FILE };

/* Load the operator key at path, or generate one (*generated = 1) when there is no file. */
static int operator_key(const char *path, const char *passphrase_file, struct tr_key **key,
                        int *generated)
{
    struct stat st;
    struct tr_error err = {0};
    *generated = 0;
    if (lstat(path, &st) == 0) {
        return cli_load_key(path, passphrase_file, key);
    }
    if (errno != ENOENT) {
        return cli_error("cannot use key file '%s': %s", path, strerror(errno));
    }
    if (tr_key_generate(key, &err) != TR_OK) {
        return cli_fail(&err);
    }
    *generated = 1;
    return CLI_EXIT_OK;
}

/* Write a generated key to path (never over an existing file) and its public key to meta. */
static int install_key(struct tr_db *db, const struct tr_key *key, const char *path,
                       const char *passphrase_file, int generated)
{
    struct tr_error err = {0};
    char pass[TR_KEY_PASSPHRASE_MAX];
    int rc = TR_OK;
    memset(pass, 0, sizeof pass);
    if (generated && passphrase_file != NULL) {
        rc = tr_key_read_passphrase(passphrase_file, pass, &err);
    }
    if (rc == TR_OK && generated) {
        rc = tr_key_save(key, path, passphrase_file != NULL ? pass : NULL, NULL, 0, &err);
    }
    tr_wipe(pass, sizeof pass);
    if (rc == TR_OK) {
        rc = tr_db_begin(db, &err);
    }
    if (rc == TR_OK) {
        rc = tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, key->pub, sizeof key->pub, &err);
        rc = rc == TR_OK ? tr_db_commit(db, &err) : (tr_db_rollback(db, NULL), rc);
    }
    return rc == TR_OK ? CLI_EXIT_OK : cli_fail(&err);
}

/* Remove the store just created (and the files SQLite keeps beside it). */
static void remove_store(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char name[4096];
        if ((size_t)snprintf(name, sizeof name, "%s%s", path, suffix[i]) < sizeof name) {
            unlink(name);
        }
    }
}

/* Print what was made: the store, and the operator's did:key and verifier key (key may be
 * NULL). */
static int report(const char *db_path, const char *origin, const struct tr_key *key,
                  const char *path, int generated)
{
    struct tr_note_verifier v;
    struct tr_error err = {0};
    struct tr_buf out;
    char did[TR_KEY_DID_SIZE];
    tr_buf_init(&out);
    tr_buf_addf(&out, "initialised store '%s' with origin '%s'\n", db_path, origin);
    if (key != NULL && tr_note_verifier_from_public(origin, key->pub, &v, &err) != TR_OK) {
        tr_buf_release(&out);
        return cli_fail(&err);
    }
    if (key != NULL) {
        tr_key_did(key->pub, did);
        if (generated) {
            tr_buf_addf(&out, "generated operator key '%s'\n", path);
        }
        tr_buf_addf(&out, "operator did:key: %s\noperator verifier key: ", did);
        tr_note_verifier_format(&v, &out);
        tr_buf_addc(&out, '\n');
    }
    int rc =
        out.err != TR_OK ? cli_error("%s", tr_strerror(out.err)) : cli_write(out.data, out.len);
    tr_buf_release(&out);
    return rc;
}

static int cmd_init(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"origin", required_argument, NULL, OPT_ORIGIN},
        {"operator-key", required_argument, NULL, OPT_OPERATOR_KEY},
        {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
        {NULL, 0, NULL, 0},
    };
    struct tr_error err = {0};
    struct tr_db *db = NULL;
    struct tr_key *key = NULL;
    const char *origin = NULL, *key_path = NULL, *passphrase_file = NULL;
    int c, generated = 0, rc = CLI_EXIT_OK;
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c == OPT_ORIGIN) {
            origin = optarg;
        } else if (c == OPT_OPERATOR_KEY) {
            key_path = optarg;
        } else if (c == OPT_PASSPHRASE_FILE) {
            passphrase_file = optarg;
        } else {
            return cli->exit;
        }
    }
    if (optind < argc) {
        return cli_usage_error(cli, "unexpected argument '%s'", argv[optind]);
    }
    if (origin == NULL) {
        return cli_usage_error(cli, "option '--origin' is required");
    }
    if (passphrase_file != NULL && key_path == NULL) {
        return cli_usage_error(cli, "option '--passphrase-file' needs '--operator-key'");
    }
    if (tr_db_check_origin(origin, &err) != TR_OK) {
        return cli_usage_error(cli, "%s", err.msg);
    }
    /* The key is checked before the store exists, so a wrong passphrase creates nothing. */
    if (key_path != NULL &&
        (rc = operator_key(key_path, passphrase_file, &key, &generated)) != CLI_EXIT_OK) {
        goto out;
    }
    if (tr_db_create(cli->db_path, origin, &db, &err) != TR_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    if (key != NULL &&
        (rc = install_key(db, key, key_path, passphrase_file, generated)) != CLI_EXIT_OK) {
        tr_db_close(db, NULL);
        db = NULL;
        remove_store(cli->db_path);
        goto out;
    }
    if (tr_db_close(db, &err) != TR_OK) {
        db = NULL;
        rc = cli_fail(&err);
        goto out;
    }
    db = NULL;
    rc = report(cli->db_path, origin, key, key_path, generated);
out:
    tr_key_free(key);
    return rc;
}

const struct cli_cmd cli_cmd_init = {"init", cmd_init, 0, "create a new store", cmd_init_usage};
