/*
 * fuzz_json.c — the strict JSON reader and the writer (tr_json_parse, tr_json_write).
 *
 * Any input: parse never crashes, leaks or over-reads; a refusal has a message and no tree.
 * An accepted input: its compact and pretty texts parse again to an equal tree, a second
 * write gives the same bytes, and a deep copy is equal.
 *
 * fuzz-options: -max_len=16384
 */
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

/* Write doc with flags, parse the text again, and check both ways. */
static void round_trip(const struct tr_json *doc, unsigned flags)
{
    struct tr_buf a, b;
    struct tr_json *again = NULL;
    struct tr_error err = {0};
    tr_buf_init(&a);
    tr_buf_init(&b);
    int rc = tr_json_write(doc, flags, &a, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    /* The text may hold more values or longer strings than an input may (escapes grow). */
    struct tr_limits limits = {TR_LIMIT_CEIL_BYTES, TR_LIMIT_CEIL_DEPTH, TR_LIMIT_CEIL_NODES,
                               TR_LIMIT_CEIL_SCALAR};
    rc = tr_json_parse(a.data, a.len, "written", &limits, &again, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(tr_json_equal(doc, again));
    rc = tr_json_write(again, flags, &b, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    tr_json_free(again);
    tr_buf_release(&a);
    tr_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    int rc = tr_json_parse((const char *)data, size, "fuzz", NULL, &doc, &err);
    if (rc != TR_OK) {
        FUZZ_ASSERT(doc == NULL);
        FUZZ_ASSERT(err.code == rc && err.msg[0] != '\0');
        FUZZ_ASSERT(rc == TR_EPARSE || rc == TR_ELIMIT);
        return 0;
    }
    FUZZ_ASSERT(doc != NULL);
    round_trip(doc, TR_JSON_COMPACT);
    round_trip(doc, TR_JSON_PRETTY);
    struct tr_json *copy = tr_json_clone(doc);
    FUZZ_ASSERT(copy != NULL && tr_json_equal(doc, copy));
    tr_json_free(copy);
    tr_json_free(doc);
    return 0;
}
