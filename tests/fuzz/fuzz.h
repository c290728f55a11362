/*
 * fuzz.h — what every harness of tests/fuzz/ shares.
 *
 * A harness is one file, tests/fuzz/fuzz_<target>.c, that defines LLVMFuzzerTestOneInput
 * (and may define LLVMFuzzerInitialize). The same object is linked two ways: with libFuzzer
 * for `make fuzz-smoke` (clang, -fsanitize=fuzzer,address,undefined), and with
 * tests/fuzz/replay.c for `make check`, which runs it on every file of
 * tests/fuzz/corpus/<target>/ and tests/fuzz/crashes/<target>/. Its header comment may hold
 * one line " * fuzz-options: ..." of libFuzzer flags (e.g. -max_len) for fuzz-smoke.
 *
 * A harness must free everything it allocates and never abort on a hostile input; it may
 * stop the process with FUZZ_ASSERT when an invariant of the library breaks, which is a
 * finding like a sanitizer report.
 */
#ifndef TR_FUZZ_H
#define TR_FUZZ_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* FUZZ_ASSERT — stop with a message naming the invariant when cond is false. */
#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* FUZZ_ASSERT_RC — as FUZZ_ASSERT, and show the library's message when it is not TR_OK. */
#define FUZZ_ASSERT_RC(rc, want, err)                                                              \
    do {                                                                                           \
        if ((rc) != (want)) {                                                                      \
            fprintf(stderr, "%s:%d: expected %d, got %d: %s\n", __FILE__, __LINE__, (want), (rc),  \
                    (err).msg);                                                                    \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The scratch directory of fuzz_scratch_dir, and the process that made it. */
static char fuzz_scratch[64];
static pid_t fuzz_scratch_maker;

/* Remove the scratch directory and the files in it, in the process that made it only (the
 * replayer's children exit through here too). */
static inline void fuzz_scratch_remove(void)
{
    char p[sizeof fuzz_scratch + 256];
    if (getpid() != fuzz_scratch_maker) {
        return;
    }
    DIR *d = opendir(fuzz_scratch);
    if (d != NULL) {
        for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
            if (e->d_name[0] != '.') {
                snprintf(p, sizeof p, "%s/%s", fuzz_scratch, e->d_name);
                unlink(p);
            }
        }
        closedir(d);
    }
    rmdir(fuzz_scratch);
}

/*
 * fuzz_scratch_dir — for a harness that needs files (a store, an input file): a new
 * directory of its own, in /dev/shm when there is one (writes and syncs cost nothing there),
 * else /tmp, named after the harness, removed with its files when the process exits
 * (one a sanitizer stops leaves it behind). Returns its name; call it once.
 */
static inline const char *fuzz_scratch_dir(const char *name)
{
    struct stat sb;
    const char *base = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(fuzz_scratch, sizeof fuzz_scratch, "%s/%s.XXXXXX", base, name);
    FUZZ_ASSERT(mkdtemp(fuzz_scratch) != NULL);
    fuzz_scratch_maker = getpid();
    FUZZ_ASSERT(atexit(fuzz_scratch_remove) == 0);
    return fuzz_scratch;
}

#endif
