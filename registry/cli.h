/*
 * cli.h — the command-line program's shared machinery (not part of the library API).
 *
 * Each subcommand lives in registry/cmd_<name>.c with its usage string and option table
 * beside its function, and has one row in the sorted command table in cli.c. A command
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

/* The command table, sorted by name (cli_find uses bsearch). */
extern const struct cli_cmd cli_commands[];
extern const size_t cli_ncommands;

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

/*
 * cli_subcommand — run the subcommand that argv[optind] names, for a command made of
 * subcommands (`talentreg log prove ...`). Call it after the command's own cli_getopt loop.
 * subs: n rows whose names are "COMMAND SUBCOMMAND", as cli_usage_error shows them. The row
 * found becomes cli->cmd, so its usage, its --help and its store flags apply, and the
 * dispatcher commits and closes the store it opens. Returns the subcommand's exit code, or 2
 * after a usage error (none given, or an unknown one).
 */
int cli_subcommand(struct cli *cli, int argc, char **argv, const struct cli_cmd *subs, size_t n);

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

#endif
