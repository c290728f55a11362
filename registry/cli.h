/*
 * cli.h — the command-line program's shared machinery (not part of the library API).
 *
 * Each subcommand lives in registry/cmd_<name>.c with its usage string and option table
 * beside its function, and defines its row of the command table, `cli_cmd_<name>`. A command
 * parses its options with cli_getopt, which adds the options every command has (--help,
 * --db) and turns unknown options into exit 2 with the usage.
 */
#ifndef TALENTREG_CLI_H
#define TALENTREG_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "talentreg.h"

struct cli;

/* Exit codes, documented in --help and docs/talentreg.1. */
enum {
    CLI_EXIT_OK = 0,       /* ok */
    CLI_EXIT_NEGATIVE = 1, /* a negative verdict: does not verify, not eligible, not found */
    CLI_EXIT_ERROR = 2     /* usage or operational error */
};

/* Values above any character, used as getopt ids of long-only options. */
enum {
    CLI_OPT_BASE = 0x100,
    CLI_OPT_MAX_BYTES = 0x1F0,
    CLI_OPT_MAX_DEPTH,
    CLI_OPT_MAX_NODES,
    CLI_OPT_MAX_SCALAR,
    CLI_OPT_DB = 0x1FF
};

/* The input-limit options, for the option table of every command that reads documents. */
#define CLI_LIMIT_OPTIONS                                                                     \
    {"max-bytes", required_argument, NULL, CLI_OPT_MAX_BYTES},                                \
        {"max-depth", required_argument, NULL, CLI_OPT_MAX_DEPTH},                            \
        {"max-nodes", required_argument, NULL, CLI_OPT_MAX_NODES},                            \
        {"max-scalar", required_argument, NULL, CLI_OPT_MAX_SCALAR}

/* Their usage lines, for the usage text of those commands. */
#define CLI_LIMIT_USAGE                                                                       \
    "  --max-bytes N    bytes in one document (default 1048576)\n"                            \
    "  --max-depth N    nesting depth (default 64)\n"                                         \
    "  --max-nodes N    values in one document (default 100000)\n"                            \
    "  --max-scalar N   bytes in one string, key or number (default 65536)\n"

/*
 * cli_limit_option — apply option c (one of CLI_OPT_MAX_*) with value arg to l.
 * Returns 0, or 2 after printing a usage error (not a number, 0, or over the ceiling).
 */
int cli_limit_option(struct cli *cli, int c, const char *arg, struct tr_limits *l);

/*
 * What the dispatcher sets up for a command (struct cli_cmd.flags), once, so no command
 * opens the store or manages its transaction itself. The store is cli->db_path, opened when
 * cli_getopt reaches the end of the options (--db may come after the command's name):
 *   CLI_STORE_READ   read-only, inside one read transaction, so every query of the command
 *                    sees the same snapshot even while another process writes;
 *   CLI_STORE_WRITE  read-write, inside BEGIN IMMEDIATE: the command's writes are committed
 *                    when it exits 0 and rolled back otherwise (all or nothing).
 * Without either flag (help, init) there is no store and cli->db stays NULL.
 */
enum {
    CLI_STORE_READ = 1 << 0,
    CLI_STORE_WRITE = 1 << 1
};

struct cli_cmd {
    const char *name;
    int (*run)(struct cli *cli, int argc, char **argv);
    int flags;           /* CLI_STORE_*, or 0 */
    const char *summary; /* one line for `talentreg --help` */
    const char *usage;   /* full text for `talentreg help NAME`; first line "usage: ..." */
};

struct cli {
    const struct cli_cmd *cmd; /* the command being run */
    const char *db_path;       /* --db, else $TALENTREG_DB, else ./talent.db */
    struct tr_db *db;          /* the open store of a CLI_STORE_* command, else NULL */
    int exit;                  /* exit code chosen by cli_getopt when it returns '?' */
    int getopt_started;
};

/*
 * The command table, sorted by name (cli_find uses bsearch). It is built from the files
 * registry/cmd_<name>.c, each of which defines `const struct cli_cmd cli_cmd_<name>`, so
 * adding a command means adding its file and nothing else.
 */
extern const struct cli_cmd *const cli_commands[];
extern const size_t cli_ncommands;

/*
 * cli_run_subcommand — dispatch a command made of subcommands ("key generate", ...):
 * argv[1] names one of the n rows of subs, whose names are "<command> <subcommand>" and
 * whose flags and usage then apply (the store is opened for the subcommand). --help as
 * argv[1] prints the command's usage. Returns the subcommand's exit code, or 2 after a
 * usage error. The store the subcommand opened is handed back to cli, which closes it.
 */
int cli_run_subcommand(struct cli *cli, int argc, char **argv, const struct cli_cmd *subs,
                       size_t n);

/* cli_find — the command called name, or NULL. */
const struct cli_cmd *cli_find(const char *name);

/*
 * cli_getopt — getopt_long over the command's long options plus --help (-h) and --db.
 * Returns the option's val, -1 at the end of the options (positional arguments are then
 * argv[optind..argc-1]), or '?' after it has handled --help (cli->exit = 0, usage on stdout)
 * or an unknown or malformed option (cli->exit = 2, message and usage on stderr).
 * At the end of the options of a CLI_STORE_* command it opens cli->db as the command's
 * flags say; when that fails it prints why and returns '?' with cli->exit = 2.
 * opts ends with a zeroed row, as for getopt_long.
 */
int cli_getopt(struct cli *cli, int argc, char **argv, const struct option *opts);

/* cli_usage_error — print "talentreg CMD: MESSAGE" and the usage to stderr; returns 2. */
int cli_usage_error(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* cli_error — print "talentreg: MESSAGE" to stderr; returns 2. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * cli_fail — print err's message as "talentreg: MESSAGE" and return the exit code for its
 * code: 1 for TR_EVERIFY and TR_ENOTFOUND (negative verdicts), 2 otherwise.
 */
int cli_fail(const struct tr_error *err);

/*
 * cli_write — write n bytes to stdout; returns 0, or 2 after reporting a write error
 * (a full disk or a closed pipe is an error, never silently ignored).
 */
int cli_write(const void *p, size_t n);

/*
 * cli_open_store — open the store at cli->db_path, read-write when writable, else read-only.
 * *out gets the store (closed by the caller with tr_db_close). Returns 0, or 2 after
 * printing the error ("talentreg: store 'talent.db' does not exist (run 'talentreg init')").
 */
int cli_open_store(struct cli *cli, int writable, struct tr_db **out);

/*
 * cli_open_command_store — what the dispatcher does for a CLI_STORE_* command, for a command
 * that needs the store only in some of its forms: open cli->db (read-write when writable)
 * and begin its transaction, which cli_close_store ends after the command returns.
 * Returns 0, or 2 after printing the error.
 */
int cli_open_command_store(struct cli *cli, int writable);

/*
 * cli_commit — commit the transaction the dispatcher opened for a CLI_STORE_WRITE command.
 * A command that prints what it wrote calls this first, so a reported success is on disk.
 * Returns 0 (also when there is nothing to commit), or 2 after printing the error.
 */
int cli_commit(struct cli *cli);

/*
 * cli_close_store — end what the dispatcher set up, after the command returned code:
 * commit when code is 0, roll back otherwise, close cli->db. Returns code, or 2 when the
 * commit or the close failed (after printing why). Nothing to do when cli->db is NULL.
 */
int cli_close_store(struct cli *cli, int code);

/* cli_parse_size — parse a positive decimal size for option name; 0 and garbage fail. */
int cli_parse_size(struct cli *cli, const char *name, const char *text, size_t *out);

struct tr_key;

/*
 * cli_load_key — load the key file at path, reading its passphrase from the first line of
 * passphrase_file when that is not NULL. Returns 0 and *out (free with tr_key_free), or 2
 * after printing the error.
 */
int cli_load_key(const char *path, const char *passphrase_file, struct tr_key **out);

/*
 * cli_read_json — read FILE ("-" = stdin) under limits and parse it as one JSON document.
 * Returns 0 and *out (free with tr_json_free), or 2 after printing the error.
 */
int cli_read_json(const char *path, const struct tr_limits *limits, struct tr_json **out);

/*
 * cli_json_set — obj[key] = value unless *rc already holds an error (sticky, as the buffer
 * is); value NULL (out of memory) sets *rc to TR_ENOMEM. Takes value in every case.
 */
void cli_json_set(struct tr_json *obj, const char *key, struct tr_json *value, int *rc);

/*
 * cli_print_json — write doc as pretty JSON to stdout. doc NULL means building it ran out of
 * memory, which is reported. Returns 0, or 2 after printing the error.
 */
int cli_print_json(const struct tr_json *doc);

/*
 * cli_verdict_json — a verdict as a JSON object (recordId, kind, counts, logSize, leaf,
 * firstLeaf, proofs, reasons), owned by the caller; NULL when out of memory.
 */
struct tr_json *cli_verdict_json(const struct tr_verdict *v);

/*
 * cli_verdict_text — append a verdict as text lines to out: "record ID: counts" (or "does
 * not count"), kind, leaf, log size, one line per proof, then "CODE: DETAIL" per reason.
 */
void cli_verdict_text(struct tr_buf *out, const struct tr_verdict *v);

/*
 * cli_submit_report — what became of a submitted record from file name (record: its number
 * in a stream of records counted from 1, or 0 for a file of one credential). With list not
 * NULL, a JSON object (file, record, status, recordId, leaf, reasons) is appended to it;
 * otherwise text is appended: "stored ID at leaf N", "already stored ID, nothing changed",
 * "merged a co-signature into ID at leaf N", or one "rejected 'FILE': CODE: DETAIL" line per
 * reason. Returns TR_OK or the sticky error of text / the JSON failure.
 */
int cli_submit_report(const char *name, size_t record, const struct tr_submit_result *r,
                      struct tr_buf *text, struct tr_json *list);

/*
 * cli_print_diag — print every entry of diag on stderr ("talentreg: 'FILE' line L column C:
 * MESSAGE"), and how many more were not kept.
 */
void cli_print_diag(const struct tr_diag *diag);

/*
 * cli_each_record — read path ("-" = standard input) as a stream of YAML records under
 * limits, map each to its unsigned credential (tr_schema_from_record with id_key, may be
 * NULL), and call fn(ctx, name, n, credential) with n counted from 1; fn owns nothing it is
 * given and returns an exit code. A record that does not map has its problems printed and is
 * skipped. When id_key is NULL and why_no_key is not, a record that gives a nationalId is
 * first told why there is no key. Returns the worst exit code seen: 1 for a record that did
 * not validate, a file that is not YAML, exceeds a limit or holds no record; 2 for a file
 * that cannot be read or an error; or what fn returned.
 */
int cli_each_record(const char *path, const struct tr_limits *limits, const unsigned char *id_key,
                    const char *why_no_key,
                    int (*fn)(void *ctx, const char *name, size_t n, struct tr_json *credential),
                    void *ctx);

/*
 * cli_write_new_file — write len bytes to a new file at path (mode 0644 before the umask),
 * never over an existing file or through a symbolic link, synced before it is closed.
 * Returns 0, or 2 after printing the error (a partly written file is removed).
 */
int cli_write_new_file(const char *path, const void *data, size_t len);

#endif
