/* base58.c — base58btc and multibase 'z'; the rules are in include/talentreg/base58.h. */
#include <stdio.h>
#include <string.h>

#include "talentreg/base58.h"

static const char alphabet[] = TR_BASE58_ALPHABET;

/* The value of c in the alphabet, or -1. */
static int digit_value(unsigned char c)
{
    const char *hit = c != '\0' ? strchr(alphabet, c) : NULL;
    return hit != NULL ? (int)(hit - alphabet) : -1;
}

/* Write c for a message: itself when printable ASCII (not a quote), else \xNN. */
static void show_char(unsigned char c, char out[5])
{
    if (c >= 0x21 && c < 0x7f && c != '\'' && c != '\\') {
        out[0] = (char)c;
        out[1] = '\0';
    } else {
        snprintf(out, 5, "\\x%02x", c);
    }
}

/* Reverse n bytes in place. */
static void reverse(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        unsigned char t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
    }
}

int tr_base58_encode(const void *p, size_t n, char *out, size_t cap, size_t *out_len)
{
    const unsigned char *in = p;
    unsigned char *o = (unsigned char *)out;
    int rc = TR_OK;
    size_t zeros = 0;
    size_t digits = 0; /* base-58 digits of the number, little-endian, in o[zeros..] */

    while (zeros < n && in[zeros] == 0) {
        zeros++;
    }
    if (zeros + 1 > cap) {
        rc = TR_ELIMIT;
        goto out;
    }
    memset(o, '1', zeros);
    for (size_t i = zeros; i < n; i++) {
        unsigned carry = in[i];
        for (size_t j = 0; j < digits; j++) {
            carry += (unsigned)o[zeros + j] << 8;
            o[zeros + j] = (unsigned char)(carry % 58);
            carry /= 58;
        }
        while (carry > 0) {
            if (zeros + digits + 2 > cap) {
                rc = TR_ELIMIT;
                goto out;
            }
            o[zeros + digits++] = (unsigned char)(carry % 58);
            carry /= 58;
        }
    }
    reverse(o + zeros, digits);
    for (size_t j = 0; j < digits; j++) {
        o[zeros + j] = (unsigned char)alphabet[o[zeros + j]];
    }
    o[zeros + digits] = '\0';
out:
    if (rc != TR_OK && cap > 0) {
        memset(out, 0, cap);
    }
    if (out_len != NULL) {
        *out_len = rc == TR_OK ? zeros + digits : 0;
    }
    return rc;
}

/* tr_base58_decode, with offsets in messages shifted by base (the multibase prefix). */
static int decode(const char *s, size_t len, size_t base, unsigned char *out, size_t cap,
                  size_t *out_len, struct tr_error *err)
{
    int rc = TR_OK;
    size_t zeros = 0;
    size_t n = 0; /* bytes of the number, little-endian, in out[zeros..] */
    size_t i = 0;

    for (; i < len && s[i] == '1'; i++) {
        if (zeros == cap) {
            rc = tr_error_set(err, TR_ELIMIT, "base58 value is longer than %zu bytes", cap);
            goto out;
        }
        zeros++;
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int d = digit_value(c);
        if (d < 0) {
            char shown[5];
            show_char(c, shown);
            rc = tr_error_set(err, TR_EPARSE, "invalid base58 character '%s' at offset %zu", shown,
                              base + i);
            goto out;
        }
        unsigned carry = (unsigned)d;
        for (size_t j = 0; j < n; j++) {
            carry += (unsigned)out[zeros + j] * 58;
            out[zeros + j] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
        while (carry > 0) {
            if (zeros + n == cap) {
                rc = tr_error_set(err, TR_ELIMIT, "base58 value is longer than %zu bytes", cap);
                goto out;
            }
            out[zeros + n++] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
    }
    reverse(out + zeros, n);
    memset(out, 0, zeros);
out:
    if (rc != TR_OK) {
        tr_wipe(out, cap);
    }
    *out_len = rc == TR_OK ? zeros + n : 0;
    return rc;
}

int tr_base58_decode(const char *s, size_t len, void *out, size_t cap, size_t *out_len,
                     struct tr_error *err)
{
    return decode(s, len, 0, out, cap, out_len, err);
}

int tr_base58_encode_multibase(const void *p, size_t n, char *out, size_t cap, size_t *out_len)
{
    size_t len = 0;
    int rc = TR_ELIMIT;
    if (cap >= 2) {
        out[0] = TR_MULTIBASE_BASE58BTC;
        rc = tr_base58_encode(p, n, out + 1, cap - 1, &len);
    }
    if (rc != TR_OK && cap > 0) {
        out[0] = '\0';
    }
    if (out_len != NULL) {
        *out_len = rc == TR_OK ? len + 1 : 0;
    }
    return rc;
}

int tr_base58_decode_multibase(const char *s, size_t len, void *out, size_t cap, size_t *out_len,
                               struct tr_error *err)
{
    char shown[5];
    if (len > 0 && s[0] == TR_MULTIBASE_BASE58BTC) {
        return decode(s + 1, len - 1, 1, out, cap, out_len, err);
    }
    tr_wipe(out, cap);
    *out_len = 0;
    if (len == 0) {
        return tr_error_set(err, TR_EPARSE, "multibase value is empty");
    }
    show_char((unsigned char)s[0], shown);
    return tr_error_set(err, TR_EPARSE, "multibase prefix '%s' is not base58btc ('z')", shown);
}
