/*
 * fuzz_yaml.c — the bounded YAML loader (tr_yaml_load and the stream reader).
 *
 * Any input: neither loader crashes, leaks or runs away; a refusal has a message and no
 * tree. Every document either loader accepts is a JSON tree that writes and parses back to
 * an equal tree. tr_yaml_load accepts exactly the inputs whose stream holds one document,
 * and gives that document. Under small limits taken from the input's last bytes, a
 * document is accepted only if it is under the defaults, as the same tree, and a valid
 * document is refused only with TR_ELIMIT.
 *
 * fuzz-options: -max_len=16384
 */
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

static void check_json(const struct tr_json *doc)
{
    struct tr_buf text;
    struct tr_json *again = NULL;
    struct tr_error err = {0};
    struct tr_limits limits = {TR_LIMIT_CEIL_BYTES, TR_LIMIT_CEIL_DEPTH, TR_LIMIT_CEIL_NODES,
                               TR_LIMIT_CEIL_SCALAR};
    tr_buf_init(&text);
    int rc = tr_json_write(doc, TR_JSON_COMPACT, &text, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_json_parse(text.data, text.len, "written", &limits, &again, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(tr_json_equal(doc, again));
    tr_json_free(again);
    tr_buf_release(&text);
}

/* Limits of 1 to 16 levels, 1 to 64 values and 1 to 256 bytes, from the last 3 bytes. */
static void check_small_limits(const uint8_t *data, size_t size, const struct tr_json *full)
{
    struct tr_json *doc = NULL;
    if (size < 3) {
        return;
    }
    struct tr_limits limits = {size, 1u + data[size - 1] % 16u, 1u + data[size - 2] % 64u,
                               1u + data[size - 3]};
    int rc = tr_yaml_load((const char *)data, size, "fuzz", &limits, &doc, NULL);
    if (rc == TR_OK) {
        FUZZ_ASSERT(full != NULL && tr_json_equal(doc, full));
    } else {
        FUZZ_ASSERT(doc == NULL && (full == NULL || rc == TR_ELIMIT));
    }
    tr_json_free(doc);
}

static int is_refusal(int rc)
{
    return rc == TR_EPARSE || rc == TR_ELIMIT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct tr_json *one = NULL;
    struct tr_yaml_reader *r = NULL;
    struct tr_error err = {0};

    int load_rc = tr_yaml_load(text, size, "fuzz", NULL, &one, &err);
    if (load_rc == TR_OK) {
        FUZZ_ASSERT(one != NULL);
        check_json(one);
    } else {
        FUZZ_ASSERT(one == NULL && is_refusal(load_rc) && err.msg[0] != '\0');
    }
    check_small_limits(data, size, one);

    int rc = tr_yaml_reader_open_mem(text, size, "fuzz", NULL, &r, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    size_t docs = 0;
    for (;;) {
        struct tr_json *doc = NULL;
        rc = tr_yaml_reader_next(r, &doc, &err);
        if (rc != TR_OK) {
            FUZZ_ASSERT(doc == NULL && is_refusal(rc) && err.msg[0] != '\0');
            /* A failed stream keeps failing. */
            struct tr_error again = {0};
            FUZZ_ASSERT(tr_yaml_reader_next(r, &doc, &again) == rc && doc == NULL);
            break;
        }
        if (doc == NULL) {
            break;
        }
        check_json(doc);
        if (docs == 0 && load_rc == TR_OK) {
            FUZZ_ASSERT(tr_json_equal(doc, one));
        }
        docs++;
        tr_json_free(doc);
    }
    FUZZ_ASSERT(load_rc != TR_OK || rc == TR_OK);
    if (rc == TR_OK) {
        /* The whole stream read: one document exactly when tr_yaml_load took it. */
        FUZZ_ASSERT((docs == 1) == (load_rc == TR_OK));
    }
    tr_yaml_reader_free(r);
    tr_json_free(one);
    return 0;
}
