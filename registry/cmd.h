/*
 * cmd.h — the subcommands. Each is defined in registry/cmd_<name>.c together with its
 * usage text; cli.c lists them in its sorted table.
 */
#ifndef TALENTREG_CMD_H
#define TALENTREG_CMD_H

struct cli;

int cmd_canonical(struct cli *cli, int argc, char **argv);
extern const char cmd_canonical_usage[];

int cmd_help(struct cli *cli, int argc, char **argv);
extern const char cmd_help_usage[];

int cmd_init(struct cli *cli, int argc, char **argv);
extern const char cmd_init_usage[];

int cmd_key(struct cli *cli, int argc, char **argv);
extern const char cmd_key_usage[];

int cmd_log(struct cli *cli, int argc, char **argv);
extern const char cmd_log_usage[];

#endif
