/*
 * tr_test.h — helpers shared by the libcheck suites. Tests run with the source tree as the
 * working directory, so data files are named relative to it (tests/vectors/...).
 */
#ifndef TR_TEST_H
#define TR_TEST_H

#include <stddef.h>

#include "talentreg.h"

/* test_hex — lowercase hex of n bytes in a static ring of buffers (valid for 8 calls). */
const char *test_hex(const void *p, size_t n);

/* test_unhex — decode exactly 2n hex digits into out; aborts the test on bad input. */
void test_unhex(const char *hex, unsigned char *out, size_t n);

/* test_read — the whole file at path, NUL-terminated; *len (may be NULL) gets its length.
 * Aborts the test when the file cannot be read. The caller frees the result. */
char *test_read(const char *path, size_t *len);

/* test_json_load — the JSON document in the file at path (strict parse, default limits).
 * Aborts the test with the parser's message when it fails. Free with tr_json_free. */
struct tr_json *test_json_load(const char *path);

/* test_json_str — the string member key of obj; aborts the test when there is none. */
const char *test_json_str(const struct tr_json *obj, const char *key);

#endif
