/*
 * fuzz_base64.c — strict base64 decoding (tr_base64_decode) and encoding.
 *
 * Any input as text: decoding never writes past the caller's buffer, writes nothing when it
 * fails, and accepts only the one canonical encoding of the bytes, so encoding them gives
 * the text back; a buffer one byte too small is TR_ELIMIT. Any input as bytes: encoding
 * then decoding gives them back.
 *
 * fuzz-options: -max_len=1024
 */
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

#define CAP 1024

static void decode(const char *s, size_t len)
{
    unsigned char *out = malloc(CAP);
    size_t n = 99;
    struct tr_buf text;
    struct tr_error err = {0};
    FUZZ_ASSERT(out != NULL);
    memset(out, 0xA5, CAP);
    int rc = tr_base64_decode(s, len, out, CAP, &n, &err);
    if (rc != TR_OK) {
        FUZZ_ASSERT((rc == TR_EPARSE || rc == TR_ELIMIT) && err.msg[0] != '\0' && n == 0);
        for (size_t i = 0; i < CAP; i++) {
            FUZZ_ASSERT(out[i] == 0xA5);
        }
        free(out);
        return;
    }
    FUZZ_ASSERT(n <= CAP && len == TR_BASE64_ENCODED_LEN(n));
    tr_buf_init(&text);
    FUZZ_ASSERT(tr_base64_encode(out, n, &text) == TR_OK);
    FUZZ_ASSERT(text.len == len && memcmp(text.data, s, len) == 0);
    tr_buf_release(&text);
    if (n > 0) {
        unsigned char *tight = malloc(n);
        size_t m = 0;
        FUZZ_ASSERT(tight != NULL);
        FUZZ_ASSERT(tr_base64_decode(s, len, tight, n, &m, NULL) == TR_OK && m == n);
        FUZZ_ASSERT(memcmp(tight, out, n) == 0);
        FUZZ_ASSERT(tr_base64_decode(s, len, tight, n - 1, &m, NULL) == TR_ELIMIT && m == 0);
        free(tight);
    }
    free(out);
}

static void encode(const uint8_t *data, size_t size)
{
    struct tr_buf text;
    unsigned char *back = malloc(size > 0 ? size : 1);
    size_t n = 0;
    FUZZ_ASSERT(back != NULL);
    tr_buf_init(&text);
    FUZZ_ASSERT(tr_base64_encode(data, size, &text) == TR_OK);
    FUZZ_ASSERT(text.len == TR_BASE64_ENCODED_LEN(size));
    FUZZ_ASSERT(tr_base64_decode(text.data, text.len, back, size, &n, NULL) == TR_OK);
    FUZZ_ASSERT(n == size && memcmp(back, data, size) == 0);
    tr_buf_release(&text);
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    decode((const char *)data, size);
    encode(data, size);
    return 0;
}
