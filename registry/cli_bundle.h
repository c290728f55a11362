/*
 * cli_bundle.h — `talentreg verify --bundle`: an offline bundle checked with the operator's
 * verifier key and no store (the command-line side of talentreg/bundle.h).
 */
#ifndef TALENTREG_CLI_BUNDLE_H
#define TALENTREG_CLI_BUNDLE_H

#include "cli.h"

/* cli_has_bundle_option — 1 when argv (before a "--") holds --bundle, so the command runs
 * in bundle mode. */
int cli_has_bundle_option(int argc, char **argv);

/*
 * cli_verify_bundle — run `verify --bundle FILE --operator VKEY [--checkpoint F] [--json]`
 * for cli's command, which opens no store for it (its usage is cli's). Prints the verdict and,
 * when the record verifies, that revocations logged after the checkpoint cannot be seen.
 * Returns 0 when the record verifies, 1 when it does not, 2 for a usage error or a file or
 * key that cannot be read.
 */
int cli_verify_bundle(struct cli *cli, int argc, char **argv);

#endif
