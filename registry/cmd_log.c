/*
 * cmd_log.c — `talentreg log checkpoint | show | prove | consistency`: the operator's signed
 * checkpoints and the proofs that tie records and tree sizes to them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "talentreg/key.h"

static const char cmd_log_usage[] =
    "usage: talentreg log checkpoint --key FILE [--passphrase-file F] [--json]\n"
    "       talentreg log show [--json]\n"
    "       talentreg log prove [--size N] [--json] ID|LEAF\n"
    "       talentreg log consistency [--json] OLD NEW\n"
    "\n"
    "The log holds every accepted record as a leaf of an RFC 9162 Merkle tree. The operator\n"
    "signs checkpoints of it (C2SP tlog-checkpoint notes); proofs tie a record to a tree\n"
    "size, and a smaller tree size to a larger one.\n"
    "Run 'talentreg log SUBCOMMAND --help' for the options of each.\n";

static const char checkpoint_usage[] =
    "usage: talentreg log checkpoint --key FILE [--passphrase-file F] [--json]\n"
    "\n"
    "Sign a checkpoint of the whole log with the operator key in FILE, store it, and print\n"
    "the signed note. It is refused when FILE is not the store's operator key or when the log\n"
    "is not consistent with a checkpoint signed before. When the log has not grown since the\n"
    "last checkpoint, that checkpoint is printed again.\n"
    "\n"
    "Options:\n"
    "  --key FILE           the operator's key file\n"
    "  --passphrase-file F  the passphrase of an encrypted FILE: the first line of F\n"
    "  --json               print origin, treeSize, rootHash and note as JSON\n";

static const char show_usage[] =
    "usage: talentreg log show [--json]\n"
    "\n"
    "Print the latest signed checkpoint, checked again against the operator key.\n"
    "\n"
    "Options:\n"
    "  --json    print origin, treeSize, rootHash and note as JSON\n";

static const char prove_usage[] =
    "usage: talentreg log prove [--size N] [--json] ID|LEAF\n"
    "\n"
    "Print the inclusion proof of a leaf in the tree of size N: the latest leaf of the record\n"
    "ID (its 64-hex record id) within that tree, or the leaf number LEAF (counted from 0).\n"
    "\n"
    "Options:\n"
    "  --size N  the tree size (default: the whole log)\n"
    "  --json    print treeSize, leafIndex, leafHash, rootHash and proof as JSON\n";

static const char consistency_usage[] =
    "usage: talentreg log consistency [--json] OLD NEW\n"
    "\n"
    "Print the consistency proof between the trees of sizes OLD and NEW of the log\n"
    "(1 <= OLD <= NEW <= the log's size): the hashes that show the older tree is a prefix\n"
    "of the newer one.\n"
    "\n"
    "Options:\n"
    "  --json    print oldSize, newSize, oldRoot, newRoot and proof as JSON\n";

enum { OPT_KEY = CLI_OPT_BASE + 1, OPT_PASSPHRASE_FILE, OPT_SIZE, OPT_JSON };

#define HASH_LEN TR_MERKLE_HASH_LEN

/* The options of the subcommands, once parsed. */
struct log_args {
    const char *key;
    const char *passphrase_file;
    const char *size;
    int json;
};

/*
 * Parse the options of a subcommand into a, leaving optind at the first argument, and check
 * that exactly nargs arguments follow. Returns -1 when parsing went through, else the exit
 * code to return.
 */
static int parse(struct cli *cli, int argc, char **argv, const struct option *opts, int nargs,
                 struct log_args *a)
{
    int c;
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        switch (c) {
        case OPT_KEY:
            a->key = optarg;
            break;
        case OPT_PASSPHRASE_FILE:
            a->passphrase_file = optarg;
            break;
        case OPT_SIZE:
            a->size = optarg;
            break;
        case OPT_JSON:
            a->json = 1;
            break;
        default:
            return cli->exit;
        }
    }
    if (argc - optind < nargs) {
        return cli_usage_error(cli, "too few arguments");
    }
    if (argc - optind > nargs) {
        return cli_usage_error(cli, "too many arguments");
    }
    return -1;
}

/* Parse text as a decimal number below 2^64; -1 when it is not one. */
static int parse_u64(const char *text, uint64_t *out)
{
    char *end = NULL;
    if (text[0] < '0' || text[0] > '9') {
        return -1;
    }
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0') {
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}


/* ---- Output ---- */

/* A JSON string of n bytes as lowercase hex, or NULL when out of memory. */
static struct tr_json *json_hex(const void *p, size_t n)
{
    struct tr_buf b;
    tr_buf_init(&b);
    struct tr_json *s = tr_buf_addhex(&b, p, n) == TR_OK ? tr_json_new_string(b.data, b.len) : NULL;
    tr_buf_release(&b);
    return s;
}

/* obj["proof"] = a JSON array of the proof's hashes as hex. */
static int json_set_proof(struct tr_json *obj, const struct tr_merkle_proof *proof)
{
    struct tr_json *arr = tr_json_new_array();
    int rc = arr == NULL ? TR_ENOMEM : TR_OK;
    for (size_t i = 0; rc == TR_OK && i < proof->len; i++) {
        rc = tr_json_array_append(arr, json_hex(proof->hash[i], HASH_LEN));
    }
    if (rc != TR_OK) {
        tr_json_free(arr);
        return rc;
    }
    return tr_json_object_set(obj, "proof", arr);
}

/* Print obj as one line of JSON and free it. rc is how building it went: only allocations
 * can fail there, so any failure (or a NULL obj) is out of memory. */
static int print_json(struct tr_json *obj, int rc)
{
    struct tr_buf out;
    struct tr_error err = {0};
    int code = CLI_EXIT_OK;
    tr_buf_init(&out);
    if (obj == NULL || rc != TR_OK) {
        code = cli_error("%s", tr_strerror(TR_ENOMEM));
        goto out;
    }
    if (tr_json_write(obj, TR_JSON_COMPACT, &out, &err) != TR_OK) {
        code = cli_fail(&err);
        goto out;
    }
    if (tr_buf_addc(&out, '\n') != TR_OK) {
        code = cli_error("%s", tr_strerror(out.err));
        goto out;
    }
    code = cli_write(out.data, out.len);
out:
    tr_json_free(obj);
    tr_buf_release(&out);
    return code;
}

/* Write out, or report why it could not be made; out is released. */
static int print_text(struct tr_buf *out)
{
    int code =
        out->err != TR_OK ? cli_error("%s", tr_strerror(out->err)) : cli_write(out->data, out->len);
    tr_buf_release(out);
    return code;
}

/*
 * Print a proof with what it ties together: two numbers, two hashes and the proof's hashes,
 * under names[0..3] and "proof". Text is one "NAME: VALUE" line each, then "proof:" and one
 * indented hash a line; JSON is one object in that order. Hex is lowercase.
 */
static int print_proof(int json, const char *const names[4], uint64_t n0, uint64_t n1,
                       const unsigned char h2[HASH_LEN], const unsigned char h3[HASH_LEN],
                       const struct tr_merkle_proof *proof)
{
    if (json) {
        struct tr_json *obj = tr_json_new_object();
        int rc = obj == NULL ? TR_ENOMEM : TR_OK;
        if (rc == TR_OK) {
            rc = tr_json_object_set(obj, names[0], tr_json_new_number((double)n0));
        }
        if (rc == TR_OK) {
            rc = tr_json_object_set(obj, names[1], tr_json_new_number((double)n1));
        }
        if (rc == TR_OK) {
            rc = tr_json_object_set(obj, names[2], json_hex(h2, HASH_LEN));
        }
        if (rc == TR_OK) {
            rc = tr_json_object_set(obj, names[3], json_hex(h3, HASH_LEN));
        }
        if (rc == TR_OK) {
            rc = json_set_proof(obj, proof);
        }
        return print_json(obj, rc);
    }
    struct tr_buf out;
    tr_buf_init(&out);
    tr_buf_addf(&out, "%s: %" PRIu64 "\n%s: %" PRIu64 "\n%s: ", names[0], n0, names[1], n1,
                names[2]);
    tr_buf_addhex(&out, h2, HASH_LEN);
    tr_buf_addf(&out, "\n%s: ", names[3]);
    tr_buf_addhex(&out, h3, HASH_LEN);
    tr_buf_adds(&out, "\nproof:\n");
    for (size_t i = 0; i < proof->len; i++) {
        tr_buf_adds(&out, "  ");
        tr_buf_addhex(&out, proof->hash[i], HASH_LEN);
        tr_buf_addc(&out, '\n');
    }
    return print_text(&out);
}

/*
 * Print the latest checkpoint: its note, or origin, treeSize, rootHash and note as JSON. It
 * is read back and verified first; with commit set, the command's transaction is committed
 * between reading and printing, so what is printed is exactly what the command stored, on
 * disk, even if another writer follows at once.
 */
static int print_latest(struct cli *cli, int json, int commit)
{
    struct tr_error err = {0};
    struct tr_buf note;
    unsigned char root[HASH_LEN];
    uint64_t size = 0;
    int code = CLI_EXIT_OK;
    tr_buf_init(&note);
    if (tr_log_latest_checkpoint(cli->db, &note, &size, root, &err) != TR_OK) {
        code = cli_fail(&err);
    } else if (commit) {
        code = cli_commit(cli);
    }
    if (code != CLI_EXIT_OK) {
        tr_buf_release(&note);
        return code;
    }
    if (!json) {
        return print_text(&note);
    }
    struct tr_json *obj = tr_json_new_object();
    int rc = obj == NULL ? TR_ENOMEM : TR_OK;
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "origin", tr_json_new_cstr(tr_db_origin(cli->db)));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "treeSize", tr_json_new_number((double)size));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "rootHash", json_hex(root, HASH_LEN));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "note", tr_json_new_string(note.data, note.len));
    }
    tr_buf_release(&note);
    return print_json(obj, rc);
}

/* ---- Subcommands ---- */

static int log_checkpoint(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, OPT_KEY},
        {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct log_args a = {0};
    struct tr_key *key = NULL;
    struct tr_error err = {0};
    int rc = parse(cli, argc, argv, opts, 0, &a);
    if (rc != -1) {
        goto out;
    }
    if (a.key == NULL) {
        rc = cli_usage_error(cli, "option '--key' is required");
        goto out;
    }
    rc = cli_load_key(a.key, a.passphrase_file, &key);
    if (rc != CLI_EXIT_OK) {
        goto out;
    }
    if (tr_log_checkpoint(cli->db, key->seed, NULL, &err) != TR_OK) {
        rc = cli_fail(&err);
        goto out;
    }
    rc = print_latest(cli, a.json, 1);
out:
    tr_key_free(key);
    return rc;
}

static int log_show(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct log_args a = {0};
    int rc = parse(cli, argc, argv, opts, 0, &a);
    return rc != -1 ? rc : print_latest(cli, a.json, 0);
}

/*
 * The leaf that ID|LEAF names in the tree of size: the record's latest leaf below size, or
 * the leaf number. Returns 0 with *leaf set, else the exit code after printing why.
 */
static int resolve_leaf(struct cli *cli, const char *arg, uint64_t size, uint64_t *leaf)
{
    struct tr_error err = {0};
    uint64_t *leaves = NULL;
    size_t count = 0;
    if (strlen(arg) != TR_LOG_RECORD_ID_LEN) {
        if (parse_u64(arg, leaf) != 0) {
            return cli_usage_error(cli,
                                   "'%s' is neither a record id (64 hex digits) nor a leaf "
                                   "index",
                                   arg);
        }
        return CLI_EXIT_OK;
    }
    if (tr_log_find(cli->db, arg, NULL, &leaves, &count, &err) != TR_OK) {
        return cli_fail(&err);
    }
    size_t i = count;
    while (i > 0 && leaves[i - 1] >= size) {
        i--;
    }
    int rc = CLI_EXIT_OK;
    if (i == 0) {
        cli_error("record '%s' is not in the tree of size %" PRIu64, arg, size);
        rc = CLI_EXIT_NEGATIVE;
    } else {
        *leaf = leaves[i - 1];
    }
    free(leaves);
    return rc;
}

static int log_prove(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"size", required_argument, NULL, OPT_SIZE},
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct log_args a = {0};
    struct tr_error err = {0};
    struct tr_merkle_proof proof;
    unsigned char leaf_hash[HASH_LEN], root[HASH_LEN];
    uint64_t size = 0, leaf = 0;
    int rc = parse(cli, argc, argv, opts, 1, &a);
    if (rc != -1) {
        return rc;
    }
    if (a.size != NULL) {
        size_t n = 0;
        if (cli_parse_size(cli, "size", a.size, &n) != CLI_EXIT_OK) {
            return CLI_EXIT_ERROR;
        }
        size = n;
    } else if (tr_log_size(cli->db, &size, &err) != TR_OK) {
        return cli_fail(&err);
    }
    rc = resolve_leaf(cli, argv[optind], size, &leaf);
    if (rc != CLI_EXIT_OK) {
        return rc;
    }
    if (tr_log_leaf_hash(cli->db, leaf, leaf_hash, &err) != TR_OK ||
        tr_log_prove_inclusion(cli->db, leaf, size, &proof, &err) != TR_OK ||
        tr_log_root(cli->db, size, root, &err) != TR_OK ||
        tr_merkle_verify_inclusion(leaf, size, leaf_hash, proof.hash, proof.len, root, &err) !=
            TR_OK) {
        return cli_fail(&err);
    }
    static const char *const names[] = {"tree_size", "leaf_index", "leaf_hash", "root_hash"};
    static const char *const keys[] = {"treeSize", "leafIndex", "leafHash", "rootHash"};
    return print_proof(a.json, a.json ? keys : names, size, leaf, leaf_hash, root, &proof);
}

static int log_consistency(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    struct log_args a = {0};
    struct tr_error err = {0};
    struct tr_merkle_proof proof;
    unsigned char old_root[HASH_LEN], new_root[HASH_LEN];
    uint64_t old_size = 0, new_size = 0;
    int rc = parse(cli, argc, argv, opts, 2, &a);
    if (rc != -1) {
        return rc;
    }
    if (parse_u64(argv[optind], &old_size) != 0) {
        return cli_usage_error(cli, "OLD must be a tree size, not '%s'", argv[optind]);
    }
    if (parse_u64(argv[optind + 1], &new_size) != 0) {
        return cli_usage_error(cli, "NEW must be a tree size, not '%s'", argv[optind + 1]);
    }
    if (tr_log_prove_consistency(cli->db, old_size, new_size, &proof, &err) != TR_OK ||
        tr_log_root(cli->db, old_size, old_root, &err) != TR_OK ||
        tr_log_root(cli->db, new_size, new_root, &err) != TR_OK ||
        tr_merkle_verify_consistency(old_size, new_size, proof.hash, proof.len, old_root, new_root,
                                     &err) != TR_OK) {
        return cli_fail(&err);
    }
    static const char *const names[] = {"old_size", "new_size", "old_root", "new_root"};
    static const char *const keys[] = {"oldSize", "newSize", "oldRoot", "newRoot"};
    return print_proof(a.json, a.json ? keys : names, old_size, new_size, old_root, new_root,
                       &proof);
}

/* The subcommands, named as cli_usage_error shows them, each with the store it needs. */
static const struct cli_cmd subcommands[] = {
    {"log checkpoint", log_checkpoint, CLI_STORE_WRITE, "sign and store a checkpoint",
     checkpoint_usage},
    {"log consistency", log_consistency, CLI_STORE_READ, "prove a tree extends a smaller one",
     consistency_usage},
    {"log prove", log_prove, CLI_STORE_READ, "prove a record is in the log", prove_usage},
    {"log show", log_show, CLI_STORE_READ, "print the latest checkpoint", show_usage},
};

static int cmd_log(struct cli *cli, int argc, char **argv)
{
    return cli_run_subcommand(cli, argc, argv, subcommands,
                              sizeof subcommands / sizeof subcommands[0]);
}

const struct cli_cmd cli_cmd_log = {"log", cmd_log, 0,
    "sign checkpoints; prove records and tree sizes against them", cmd_log_usage};
