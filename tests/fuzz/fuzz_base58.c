/*
 * fuzz_base58.c — base58btc and multibase decoding (tr_base58_decode,
 * tr_base58_decode_multibase) and encoding.
 *
 * Any input as text: decoding never writes past the caller's buffer (it is fenced by the
 * sanitizers) and on failure leaves it zeroed; a text that decodes is the one encoding of
 * its bytes, so encoding them gives the text back. A decode into a buffer one byte too
 * small fails with TR_ELIMIT. Any input as bytes: encoding then decoding gives them back.
 *
 * fuzz-options: -max_len=512
 */
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

#define CAP 512

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return 0;
        }
    }
    return 1;
}

static void decode(const char *s, size_t len)
{
    unsigned char *out = malloc(CAP);
    char *text = malloc(TR_MULTIBASE_SIZE(CAP));
    size_t n = 0, tlen = 0;
    struct tr_error err = {0};
    FUZZ_ASSERT(out != NULL && text != NULL);
    int rc = tr_base58_decode(s, len, out, CAP, &n, &err);
    if (rc == TR_OK) {
        FUZZ_ASSERT(n <= CAP);
        FUZZ_ASSERT(tr_base58_encode(out, n, text, TR_BASE58_SIZE(CAP), &tlen) == TR_OK);
        FUZZ_ASSERT(tlen == len && memcmp(text, s, len) == 0);
        if (n > 0) {
            /* Exactly n bytes of room is enough, one less is not. */
            unsigned char *tight = malloc(n);
            FUZZ_ASSERT(tight != NULL);
            size_t m = 0;
            FUZZ_ASSERT(tr_base58_decode(s, len, tight, n, &m, NULL) == TR_OK && m == n);
            FUZZ_ASSERT(tr_base58_decode(s, len, tight, n - 1, &m, NULL) == TR_ELIMIT);
            FUZZ_ASSERT(m == 0 && all_zero(tight, n - 1));
            free(tight);
        }
    } else {
        FUZZ_ASSERT((rc == TR_EPARSE || rc == TR_ELIMIT) && err.msg[0] != '\0');
        FUZZ_ASSERT(n == 0 && all_zero(out, CAP));
    }
    rc = tr_base58_decode_multibase(s, len, out, CAP, &n, &err);
    if (rc == TR_OK) {
        FUZZ_ASSERT(tr_base58_encode_multibase(out, n, text, TR_MULTIBASE_SIZE(CAP), &tlen) ==
                    TR_OK);
        FUZZ_ASSERT(tlen == len && memcmp(text, s, len) == 0);
    } else {
        FUZZ_ASSERT(n == 0 && all_zero(out, CAP));
    }
    free(out);
    free(text);
}

static void encode(const uint8_t *data, size_t size)
{
    char *text = malloc(TR_MULTIBASE_SIZE(CAP));
    unsigned char *back = malloc(CAP);
    size_t tlen = 0, n = 0;
    FUZZ_ASSERT(text != NULL && back != NULL && size <= CAP);
    FUZZ_ASSERT(tr_base58_encode_multibase(data, size, text, TR_MULTIBASE_SIZE(size), &tlen) ==
                TR_OK);
    FUZZ_ASSERT(text[tlen] == '\0' && tlen + 1 <= TR_MULTIBASE_SIZE(size));
    FUZZ_ASSERT(tr_base58_decode_multibase(text, tlen, back, CAP, &n, NULL) == TR_OK);
    FUZZ_ASSERT(n == size && memcmp(back, data, size) == 0);
    free(text);
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > CAP) {
        return 0;
    }
    decode((const char *)data, size);
    encode(data, size);
    return 0;
}
