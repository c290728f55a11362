/* main.c — talentreg's entry point: global options, dispatch, exit status. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "main.h"

static int finish(int code)
{
    /* A result that could not be written is no result: report it and fail. A command that
     * failed has said why (cli_write reports a failed write itself): say nothing more. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (code == CLI_EXIT_ERROR) {
            return code;
        }
        fprintf(stderr, "talentreg: cannot write standard output: %s\n", strerror(errno));
        return CLI_EXIT_ERROR;
    }
    return code;
}

static int global_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int global_usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("talentreg: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cli_print_global_usage(stderr);
    return CLI_EXIT_ERROR;
}

int main(int argc, char **argv)
{
    struct cli cli = {0};
    const char *env = getenv("TALENTREG_DB");
    cli.db_path = env != NULL && env[0] != '\0' ? env : "./talent.db";

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_print_global_usage(stdout);
            return finish(CLI_EXIT_OK);
        }
        if (strcmp(a, "--version") == 0) {
            printf("talentreg %s\n", TR_VERSION_STRING);
            return finish(CLI_EXIT_OK);
        }
        if (strcmp(a, "--db") == 0) {
            if (i + 1 >= argc) {
                return global_usage_error("option '%s' needs a value", a);
            }
            cli.db_path = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            cli.db_path = a + 5;
        } else {
            return global_usage_error("unknown option '%s'", a);
        }
    }
    if (i >= argc) {
        return global_usage_error("%s", "no command given");
    }
    cli.cmd = cli_find(argv[i]);
    if (cli.cmd == NULL) {
        return global_usage_error("unknown command '%s'", argv[i]);
    }
    int code = cli.cmd->run(&cli, argc - i, argv + i);
    return finish(cli_close_store(&cli, code));
}
