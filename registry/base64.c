/* base64.c — standard padded base64 with strict, canonical-only decoding. */
#include <stdint.h>

#include "talentreg/base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The 6-bit value of c, or -1 when c is not in the alphabet ('=' included). */
static int value_of(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

int tr_base64_encode(const void *p, size_t n, struct tr_buf *out)
{
    const unsigned char *s = p;
    if (n > (SIZE_MAX / 4 - 1) * 3 || tr_buf_grow(out, TR_BASE64_ENCODED_LEN(n)) != TR_OK) {
        return out->err != TR_OK ? out->err : (out->err = TR_ELIMIT);
    }
    char *d = out->data + out->len;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        *d++ = alphabet[v >> 18];
        *d++ = alphabet[(v >> 12) & 63];
        *d++ = alphabet[(v >> 6) & 63];
        *d++ = alphabet[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);
        *d++ = alphabet[v >> 18];
        *d++ = alphabet[(v >> 12) & 63];
        *d++ = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
        *d++ = '=';
    }
    out->len = (size_t)(d - out->data);
    out->data[out->len] = '\0';
    return TR_OK;
}

int tr_base64_decode(const char *s, size_t len, unsigned char *dst, size_t cap, size_t *out_len,
                     struct tr_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    *out_len = 0;
    if (len % 4 != 0) {
        return tr_error_set(err, TR_EPARSE, "base64 length %zu is not a multiple of 4", len);
    }
    size_t pad = 0;
    if (len > 0 && u[len - 1] == '=') {
        pad = len > 1 && u[len - 2] == '=' ? 2 : 1;
    }
    /* Every character before the padding must be in the alphabet: '=' inside is refused. */
    for (size_t i = 0; i < len - pad; i++) {
        if (value_of(u[i]) < 0) {
            return tr_error_set(err, TR_EPARSE, "invalid base64 character at offset %zu", i);
        }
    }
    size_t n = len / 4 * 3 - pad;
    if (n > cap) {
        return tr_error_set(err, TR_ELIMIT, "base64 decodes to %zu bytes, more than %zu", n, cap);
    }
    /* The bits of the last character that no output byte uses must be zero. */
    if (pad > 0) {
        int last = value_of(u[len - pad - 1]);
        int unused = pad == 2 ? 15 : 3;
        if ((last & unused) != 0) {
            return tr_error_set(err, TR_EPARSE,
                                "non-canonical base64: unused bits at offset %zu are not zero",
                                len - pad - 1);
        }
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        uint32_t v = 0;
        for (size_t j = 0; j < 4; j++) {
            int c = i + j < len - pad ? value_of(u[i + j]) : 0;
            v = v << 6 | (uint32_t)c;
        }
        unsigned char b[3] = {(unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
        for (size_t j = 0; j < 3 && o < n; j++) {
            dst[o++] = b[j];
        }
    }
    *out_len = n;
    return TR_OK;
}
