/* main.h — what the program's entry point shares with the help command. */
#ifndef TALENTREG_MAIN_H
#define TALENTREG_MAIN_H

#include <stdio.h>

/* cli_print_global_usage — the usage of the whole program, with the command list. */
void cli_print_global_usage(FILE *out);

#endif
