/* cmd_help.c — `talentreg help [CMD]` and the global usage. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "main.h"

static const char cmd_help_usage[] =
    "usage: talentreg help [COMMAND]\n"
    "\n"
    "Show the list of commands, or the usage of COMMAND.\n";

void cli_print_global_usage(FILE *out)
{
    fputs("usage: talentreg [--db PATH] COMMAND [OPTIONS] [ARGS]\n"
          "       talentreg --help | --version | help COMMAND\n"
          "\n"
          "A regional talent archive and credit mutual-recognition registry.\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < cli_ncommands; i++) {
        fprintf(out, "  %-12s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    }
    fputs("\n"
          "The store is --db PATH, else $TALENTREG_DB, else ./talent.db.\n"
          "Every command takes --help. Reports take --json.\n"
          "\n"
          "Exit status:\n"
          "  0  ok\n"
          "  1  a negative verdict: does not verify, not eligible, not found\n"
          "  2  usage or operational error\n",
          out);
}

static int cmd_help(struct cli *cli, int argc, char **argv)
{
    int c;
    while ((c = cli_getopt(cli, argc, argv, NULL)) != -1) {
        return cli->exit;
    }
    if (argc - optind > 1) {
        return cli_usage_error(cli, "too many arguments");
    }
    if (argc - optind == 0) {
        cli_print_global_usage(stdout);
        return CLI_EXIT_OK;
    }
    const struct cli_cmd *cmd = cli_find(argv[optind]);
    if (cmd == NULL) {
        return cli_usage_error(cli, "unknown command '%s'", argv[optind]);
    }
    fputs(cmd->usage, stdout);
    return CLI_EXIT_OK;
}

const struct cli_cmd cli_cmd_help = {"help", cmd_help, 0,
    "show help for talentreg or one command", cmd_help_usage};
