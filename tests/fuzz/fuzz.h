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

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif
