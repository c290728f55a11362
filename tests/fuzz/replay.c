/*
 * replay.c — run one fuzz harness on files, without libFuzzer: `make check` links it with
 * every tests/fuzz/fuzz_<target>.c and replays the target's corpus and crash inputs.
 *
 * usage: replay_TARGET NAME DIR...
 *
 * Each regular file of each DIR (names starting with '.' are skipped; a DIR that does not
 * exist is empty) is passed to LLVMFuzzerTestOneInput in a child process of its own, so a
 * crash, an abort, a sanitizer report (a leak is reported when the child exits) or a hang
 * of over REPLAY_TIMEOUT seconds fails that input only and the others still run. Prints each
 * failing file to stderr and "NAME: N passed, M failed" to stdout; exits 1 when any failed.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"
#include "talentreg.h"

#define REPLAY_TIMEOUT 60
#define REPLAY_MAX_INPUT (64u << 20)

/* A harness need not define it; libFuzzer calls it once when it does. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Run the harness on the file at path in a child. Returns 1 when it passed. */
static int replay(const char *path)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "replay: cannot fork: %s\n", strerror(errno));
        return 0;
    }
    if (pid == 0) {
        struct tr_buf b;
        struct tr_error err = {0};
        tr_buf_init(&b);
        alarm(REPLAY_TIMEOUT);
        if (tr_buf_read_file(&b, path, REPLAY_MAX_INPUT, &err) != TR_OK) {
            fprintf(stderr, "replay: %s\n", err.msg);
            exit(2);
        }
        /* A copy of exactly len bytes, so a read past the input is caught as libFuzzer's is. */
        uint8_t *data = malloc(b.len > 0 ? b.len : 1);
        if (data == NULL) {
            exit(2);
        }
        memcpy(data, b.data, b.len);
        size_t len = b.len;
        tr_buf_release(&b);
        LLVMFuzzerTestOneInput(data, len);
        free(data);
        exit(0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "replay: cannot wait: %s\n", strerror(errno));
            return 0;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return 1;
    }
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "replay: FAILED %s (signal %d)\n", path, WTERMSIG(status));
    } else {
        fprintf(stderr, "replay: FAILED %s (exit %d)\n", path, WEXITSTATUS(status));
    }
    return 0;
}

static int skip_entry(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

int main(int argc, char **argv)
{
    size_t passed = 0, failed = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s NAME DIR...\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize != NULL) {
        LLVMFuzzerInitialize(&argc, &argv);
    }
    for (int a = 2; a < argc; a++) {
        struct dirent **names = NULL;
        int n = scandir(argv[a], &names, skip_entry, alphasort);
        if (n < 0) {
            if (errno == ENOENT) {
                continue;
            }
            fprintf(stderr, "replay: cannot read '%s': %s\n", argv[a], strerror(errno));
            failed++;
            continue;
        }
        for (int i = 0; i < n; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[a], names[i]->d_name);
            if (replay(path)) {
                passed++;
            } else {
                failed++;
            }
            free(names[i]);
        }
        free(names);
    }
    printf("%s: %zu passed, %zu failed\n", argv[1], passed, failed);
    return failed == 0 ? 0 : 1;
}
