/*
 * tr_test.h — helpers shared by the libcheck suites. Tests run with the source tree as the
 * working directory, so data files are named relative to it (tests/vectors/...).
 */
#ifndef TR_TEST_H
#define TR_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "talentreg.h"

/* test_hex — lowercase hex of n bytes in a static ring of buffers (valid for 8 calls). */
const char *test_hex(const void *p, size_t n);

/* test_unhex — decode exactly 2n hex digits into out; aborts the test on bad input. */
void test_unhex(const char *hex, unsigned char *out, size_t n);

/* test_read — the whole file at path, NUL-terminated; *len (may be NULL) gets its length.
 * Aborts the test when the file cannot be read. The caller frees the result. */
char *test_read(const char *path, size_t *len);

/* test_json — the JSON document in the file at path (parsed with limits large enough for any
 * vector file). Aborts the test when it cannot be read or parsed. Free with tr_json_free. */
struct tr_json *test_json(const char *path);

/* test_get — member key of object obj; aborts the test when it is missing. */
const struct tr_json *test_get(const struct tr_json *obj, const char *key);

/* test_str — the string member key of obj; aborts the test when it is not a string. */
const char *test_str(const struct tr_json *obj, const char *key);

/* test_u64 — the member key of obj as an unsigned 64-bit integer, read from the number's
 * literal text so that values above 2^53 keep every digit. Aborts unless it is a plain
 * decimal integer below 2^64. */
uint64_t test_u64(const struct tr_json *obj, const char *key);

/* test_msg — assert that err holds exactly the message fmt makes. */
void test_msg(const struct tr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Room for the paths test_store_dir makes. */
#define TEST_PATH_MAX 128

/* test_store_dir — dir = a new directory /tmp/NAME.XXXXXX and path = DIR/talent.db in it,
 * for a store a test creates. Aborts the test when the directory cannot be made. */
void test_store_dir(const char *name, char dir[TEST_PATH_MAX], char path[TEST_PATH_MAX]);

/* test_store_remove — remove the store at path, the files SQLite keeps beside it, and dir. */
void test_store_remove(const char *dir, const char *path);

struct tr_db;

/* test_register_orgs — in one transaction of db: trust the operator key of seed, and store
 * the first n organisations of docs/examples/organizations.yaml, signed with seed at
 * 2024-01-02T08:00:00Z (leaves 0 to n - 1, the same bytes every time). */
void test_register_orgs(struct tr_db *db, const unsigned char *seed, int n);

#endif
