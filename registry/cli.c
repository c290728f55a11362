/* cli.c — the command table, option parsing shared by every command, and error output. */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

/* Sorted by name: cli_find uses bsearch. */
const struct cli_cmd cli_commands[] = {
    {"canonical", cmd_canonical, 0, "print the RFC 8785 canonical form of a JSON document",
     cmd_canonical_usage},
    {"help", cmd_help, 0, "show help for talentreg or one command", cmd_help_usage},
    {"init", cmd_init, 0, "create a new store", cmd_init_usage},
    {"key", cmd_key, 0, "create, show and import Ed25519 signing keys", cmd_key_usage},
    {"log", cmd_log, 0, "sign checkpoints; prove records and tree sizes against them",
     cmd_log_usage},
};
const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

static int compare_name(const void *key, const void *elem)
{
    return strcmp(key, ((const struct cli_cmd *)elem)->name);
}

const struct cli_cmd *cli_find(const char *name)
{
    return bsearch(name, cli_commands, cli_ncommands, sizeof cli_commands[0], compare_name);
}

int cli_open_store(struct cli *cli, int writable, struct tr_db **out)
{
    struct tr_error err = {0};
    if (tr_db_open(cli->db_path, writable ? TR_DB_READWRITE : TR_DB_READONLY, out, &err) !=
        TR_OK) {
        return cli_error("%s", err.msg);
    }
    return CLI_EXIT_OK;
}

/* Open the store of a CLI_STORE_* command into cli->db and begin its transaction. */
static int open_command_store(struct cli *cli)
{
    struct tr_error err = {0};
    int writable = (cli->cmd->flags & CLI_STORE_WRITE) != 0;
    if (cli_open_store(cli, writable, &cli->db) != CLI_EXIT_OK) {
        return CLI_EXIT_ERROR;
    }
    if (tr_db_begin(cli->db, &err) != TR_OK) {
        cli_error("%s", err.msg);
        tr_db_close(cli->db, NULL);
        cli->db = NULL;
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

int cli_commit(struct cli *cli)
{
    struct tr_error err = {0};
    if (cli->db == NULL || tr_db_in_transaction(cli->db) == 0) {
        return CLI_EXIT_OK;
    }
    if (tr_db_commit(cli->db, &err) != TR_OK) {
        return cli_error("%s", err.msg);
    }
    return CLI_EXIT_OK;
}

int cli_close_store(struct cli *cli, int code)
{
    struct tr_error err = {0};
    if (cli->db == NULL) {
        return code;
    }
    if (code == CLI_EXIT_OK) {
        code = cli_commit(cli);
    } else if (tr_db_in_transaction(cli->db) > 0) {
        tr_db_rollback(cli->db, NULL);
    }
    if (tr_db_close(cli->db, &err) != TR_OK) {
        code = cli_error("%s", err.msg);
    }
    cli->db = NULL;
    return code;
}

#define CLI_MAX_OPTS 48

int cli_getopt(struct cli *cli, int argc, char **argv, const struct option *opts)
{
    struct option all[CLI_MAX_OPTS + 3];
    size_t n = 0;
    while (opts != NULL && opts[n].name != NULL && n < CLI_MAX_OPTS) {
        all[n] = opts[n];
        n++;
    }
    all[n++] = (struct option){"help", no_argument, NULL, 'h'};
    all[n++] = (struct option){"db", required_argument, NULL, CLI_OPT_DB};
    all[n] = (struct option){NULL, 0, NULL, 0};

    if (!cli->getopt_started) {
        optind = 0; /* GNU getopt: full re-initialisation for this argv */
        cli->getopt_started = 1;
    }
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, "+h", all, NULL);
        if (c == CLI_OPT_DB) {
            cli->db_path = optarg;
            continue;
        }
        if (c == 'h') {
            fputs(cli->cmd->usage, stdout);
            cli->exit = CLI_EXIT_OK;
            return '?';
        }
        if (c == '?' || c == ':') {
            const char *arg = argv[optind - 1];
            if (optopt != 0 && optopt < CLI_OPT_BASE) {
                cli->exit = cli_usage_error(cli, "unknown option '-%c'", optopt);
            } else if (optopt != 0) {
                cli->exit = cli_usage_error(cli, "option '%s' needs a value", arg);
            } else {
                cli->exit = cli_usage_error(cli, "unknown option '%s'", arg);
            }
            return '?';
        }
        if (c == -1 && (cli->cmd->flags & (CLI_STORE_READ | CLI_STORE_WRITE)) != 0 &&
            cli->db == NULL && open_command_store(cli) != CLI_EXIT_OK) {
            cli->exit = CLI_EXIT_ERROR;
            return '?';
        }
        return c;
    }
}

int cli_subcommand(struct cli *cli, int argc, char **argv, const struct cli_cmd *subs, size_t n)
{
    if (optind >= argc) {
        return cli_usage_error(cli, "no subcommand given");
    }
    size_t skip = strlen(cli->cmd->name) + 1;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(subs[i].name, cli->cmd->name, skip - 1) == 0 &&
            subs[i].name[skip - 1] == ' ' && strcmp(subs[i].name + skip, argv[optind]) == 0) {
            cli->cmd = &subs[i];
            cli->getopt_started = 0;
            return subs[i].run(cli, argc - optind, argv + optind);
        }
    }
    return cli_usage_error(cli, "unknown subcommand '%s'", argv[optind]);
}

int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "talentreg %s: ", cli->cmd != NULL ? cli->cmd->name : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cli->cmd != NULL) {
        fputs(cli->cmd->usage, stderr);
    }
    return CLI_EXIT_ERROR;
}

int cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("talentreg: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_EXIT_ERROR;
}

int cli_fail(const struct tr_error *err)
{
    cli_error("%s", err->msg[0] != '\0' ? err->msg : tr_strerror(err->code));
    if (err->code == TR_EVERIFY || err->code == TR_ENOTFOUND) {
        return CLI_EXIT_NEGATIVE;
    }
    return CLI_EXIT_ERROR;
}

int cli_write(const void *p, size_t n)
{
    if (n > 0 && fwrite(p, 1, n, stdout) != n) {
        return cli_error("cannot write standard output: %s", strerror(errno));
    }
    return CLI_EXIT_OK;
}

int cli_parse_size(struct cli *cli, const char *name, const char *text, size_t *out)
{
    char *end = NULL;
    errno = 0;
    if (text[0] < '0' || text[0] > '9') {
        return cli_usage_error(cli, "option '--%s' needs a positive number, not '%s'", name,
                               text);
    }
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v == 0 || v > (unsigned long long)SIZE_MAX) {
        return cli_usage_error(cli, "option '--%s' needs a positive number, not '%s'", name,
                               text);
    }
    *out = (size_t)v;
    return CLI_EXIT_OK;
}

int cli_limit_option(struct cli *cli, int c, const char *arg, struct tr_limits *l)
{
    static const struct {
        int id;
        const char *name;
        size_t offset;
    } map[] = {
        {CLI_OPT_MAX_BYTES, "max-bytes", offsetof(struct tr_limits, max_bytes)},
        {CLI_OPT_MAX_DEPTH, "max-depth", offsetof(struct tr_limits, max_depth)},
        {CLI_OPT_MAX_NODES, "max-nodes", offsetof(struct tr_limits, max_nodes)},
        {CLI_OPT_MAX_SCALAR, "max-scalar", offsetof(struct tr_limits, max_scalar)},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (map[i].id != c) {
            continue;
        }
        size_t *field = (size_t *)(void *)((char *)l + map[i].offset);
        if (cli_parse_size(cli, map[i].name, arg, field) != CLI_EXIT_OK) {
            return CLI_EXIT_ERROR;
        }
        struct tr_error err = {0};
        if (tr_limits_check(l, &err) != TR_OK) {
            return cli_usage_error(cli, "%s", err.msg);
        }
        return CLI_EXIT_OK;
    }
    return cli_usage_error(cli, "internal: option %d is not a limit", c);
}
