/*
 * fuzz_json.c — the strict JSON reader and the writer (tr_json_parse, tr_json_write).
 *
 * Any input: parse never crashes, leaks or over-reads; a refusal has a message and no tree.
 * An accepted input: its compact and pretty texts parse again to an equal tree, a second
 * write gives the same bytes, and a deep copy is equal. Under small limits taken from the
 * input's last bytes, a document is accepted only if it is under the defaults, as the same
 * tree. JSON is YAML too: when the YAML loader also accepts the input (and it holds none of
 * the characters YAML 1.1 reads as line breaks inside strings), it gives the same tree.
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

/* Limits of 1 to 16 levels, 1 to 64 values and 1 to 256 bytes, from the last 3 bytes. */
static void check_small_limits(const uint8_t *data, size_t size, const struct tr_json *full)
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    if (size < 3) {
        return;
    }
    struct tr_limits limits = {size, 1u + data[size - 1] % 16u, 1u + data[size - 2] % 64u,
                               1u + data[size - 3]};
    int rc = tr_json_parse((const char *)data, size, "fuzz", &limits, &doc, &err);
    if (rc == TR_OK) {
        FUZZ_ASSERT(full != NULL && tr_json_equal(doc, full));
    } else {
        FUZZ_ASSERT(doc == NULL && (rc == TR_EPARSE || rc == TR_ELIMIT));
        /* A document that is valid is refused by limits only. */
        FUZZ_ASSERT(full == NULL || rc == TR_ELIMIT);
    }
    tr_json_free(doc);
}

/* Whether s holds NEL, LS or PS, which libyaml (YAML 1.1) folds inside quoted strings. */
static int has_yaml_break(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if ((s[i] == 0xC2 && s[i + 1] == 0x85) || (i + 2 < n && s[i] == 0xE2 && s[i + 1] == 0x80 &&
                                                   (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))) {
            return 1;
        }
    }
    return 0;
}

static void check_as_yaml(const uint8_t *data, size_t size, const struct tr_json *doc)
{
    struct tr_json *y = NULL;
    if (has_yaml_break(data, size) ||
        tr_yaml_load((const char *)data, size, "fuzz", NULL, &y, NULL) != TR_OK) {
        return;
    }
    FUZZ_ASSERT(tr_json_equal(doc, y));
    tr_json_free(y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    int rc = tr_json_parse((const char *)data, size, "fuzz", NULL, &doc, &err);
    check_small_limits(data, size, rc == TR_OK ? doc : NULL);
    if (rc != TR_OK) {
        FUZZ_ASSERT(doc == NULL);
        FUZZ_ASSERT(err.code == rc && err.msg[0] != '\0');
        FUZZ_ASSERT(rc == TR_EPARSE || rc == TR_ELIMIT);
        return 0;
    }
    FUZZ_ASSERT(doc != NULL);
    check_as_yaml(data, size, doc);
    round_trip(doc, TR_JSON_COMPACT);
    round_trip(doc, TR_JSON_PRETTY);
    struct tr_json *copy = tr_json_clone(doc);
    FUZZ_ASSERT(copy != NULL && tr_json_equal(doc, copy));
    tr_json_free(copy);
    tr_json_free(doc);
    return 0;
}
