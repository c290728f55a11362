/* cli_key.c — loading a signing key for a command, with an optional passphrase file. */
#include <string.h>

#include "cli.h"
#include "talentreg/key.h"

int cli_load_key(const char *path, const char *passphrase_file, struct tr_key **out)
{
    struct tr_error err = {0};
    char pass[TR_KEY_PASSPHRASE_MAX];
    int rc = TR_OK;
    *out = NULL;
    memset(pass, 0, sizeof pass);
    if (passphrase_file != NULL &&
        (rc = tr_key_read_passphrase(passphrase_file, pass, &err)) != TR_OK) {
        goto out;
    }
    rc = tr_key_load(path, passphrase_file != NULL ? pass : NULL, out, &err);
out:
    tr_wipe(pass, sizeof pass);
    return rc == TR_OK ? CLI_EXIT_OK : cli_fail(&err);
}
