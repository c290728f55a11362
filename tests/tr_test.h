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

/*
 * test_json_field — the string value of the nth (0-based) member "name": "..." in the JSON
 * text, as written (escapes are not decoded; the vectors' keys and hex values have none),
 * in a static ring of buffers (valid for 8 calls); NULL when there are fewer. A line-level
 * reader for vector files, so that key tests do not depend on the JSON parser.
 */
const char *test_json_field(const char *text, const char *name, int nth);

#endif
