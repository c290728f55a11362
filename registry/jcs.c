/*
 * jcs.c — RFC 8785 JSON Canonicalization Scheme: the ECMAScript number form, the string
 * escaping and the UTF-16 member order. The tree walk is tr_json_write's (json_write.c),
 * which uses the same rules in every mode.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_text.h"
#include "talentreg/jcs.h"
#include "utf8.h"

/* A positive decimal 0.d[0]d[1]...d[k-1] × 10^n, d[0] != '0'. */
struct decimal {
    char d[24];
    int k;
    int n;
};

/* The double nearest to dec. The text has no decimal point, so no locale can misread it. */
static double decimal_value(const struct decimal *dec)
{
    char text[48];
    snprintf(text, sizeof text, "%.*se%d", dec->k, dec->d, dec->n - dec->k);
    return strtod(text, NULL);
}

/* dec = a (> 0, finite) correctly rounded to p significant digits (1 <= p <= 17). */
static void round_to_digits(double a, int p, struct decimal *dec)
{
    char text[48];
    snprintf(text, sizeof text, "%.*e", p - 1, a);
    const char *s = text;
    dec->k = 0;
    /* Skip whatever the locale uses as decimal point: only the digits matter. */
    for (; *s != '\0' && *s != 'e'; s++) {
        if (*s >= '0' && *s <= '9') {
            dec->d[dec->k++] = *s;
        }
    }
    dec->n = (int)strtol(*s == 'e' ? s + 1 : s, NULL, 10) + 1;
}

/* Move dec one unit of its last digit up or down, keeping k digits. */
static void step(struct decimal *dec, int up)
{
    int i = dec->k - 1;
    if (up) {
        while (i >= 0 && dec->d[i] == '9') {
            dec->d[i--] = '0';
        }
        if (i < 0) {
            dec->d[0] = '1';
            dec->n++;
        } else {
            dec->d[i]++;
        }
        return;
    }
    while (dec->d[i] == '0') {
        dec->d[i--] = '9';
    }
    dec->d[i]--;
    if (dec->d[0] == '0') {
        /* 0.100 × 10^n went to 0.099 × 10^n: the grid below 10^(n-1) is 0.999 × 10^(n-1). */
        memmove(dec->d, dec->d + 1, (size_t)dec->k - 1);
        dec->d[dec->k - 1] = '9';
        dec->n--;
    }
}

/*
 * Whether some p-digit decimal reads back as a; if so dec is the nearest one to a. When the
 * nearest misses, only its neighbour on the other side of a can still hit (the round-trip
 * interval is lopsided at powers of two).
 */
static int round_trips(double a, int p, struct decimal *dec)
{
    round_to_digits(a, p, dec);
    double r = decimal_value(dec);
    if (r == a) {
        return 1;
    }
    struct decimal other = *dec;
    step(&other, r < a);
    if (decimal_value(&other) == a) {
        *dec = other;
        return 1;
    }
    return 0;
}

/*
 * The shortest digits that read back as a (> 0, finite). The p-digit grid contains the
 * (p-1)-digit grid, so "some p-digit decimal round-trips" is monotone in p: the few digits
 * of most numbers in records (0.5, 87.5) are tried first, one by one, then a binary search.
 */
#define FEW_DIGITS 3

static void shortest(double a, struct decimal *best)
{
    int lo = FEW_DIGITS + 1, hi = 17;
    int have = 0;
    for (int p = 1; p <= FEW_DIGITS; p++) {
        if (round_trips(a, p, best)) {
            goto trim;
        }
    }
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        struct decimal dec;
        if (round_trips(a, mid, &dec)) {
            *best = dec;
            have = 1;
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    if (!have || best->k != lo) {
        round_trips(a, lo, best);
    }
trim:
    while (best->k > 1 && best->d[best->k - 1] == '0') {
        best->k--;
    }
}

int tr_jcs_number(double v, char out[TR_JCS_NUMBER_MAX])
{
    if (!isfinite(v)) {
        out[0] = '\0';
        return TR_EINVAL;
    }
    if (v == 0) {
        strcpy(out, "0"); /* -0 too */
        return TR_OK;
    }
    double a = fabs(v);
    if (a < 9007199254740992.0 && a == floor(a)) {
        snprintf(out, TR_JCS_NUMBER_MAX, "%s%llu", v < 0 ? "-" : "", (unsigned long long)a);
        return TR_OK;
    }
    struct decimal dec;
    shortest(a, &dec);
    int k = dec.k, n = dec.n;
    const char *d = dec.d;
    char *o = out;
    if (v < 0) {
        *o++ = '-';
    }
    /* ECMA-262 Number::toString for k digits d with value 0.d × 10^n. */
    if (k <= n && n <= 21) {
        memcpy(o, d, (size_t)k);
        memset(o + k, '0', (size_t)(n - k));
        o += n;
    } else if (0 < n && n <= 21) {
        memcpy(o, d, (size_t)n);
        o[n] = '.';
        memcpy(o + n + 1, d + n, (size_t)(k - n));
        o += k + 1;
    } else if (-6 < n && n <= 0) {
        memcpy(o, "0.", 2);
        memset(o + 2, '0', (size_t)-n);
        memcpy(o + 2 - n, d, (size_t)k);
        o += 2 - n + k;
    } else {
        int e = n - 1;
        *o++ = d[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)(k - 1));
            o += k - 1;
        }
        o += snprintf(o, 8, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    }
    *o = '\0';
    return TR_OK;
}

int tr_jcs_add_string(struct tr_buf *out, const char *str, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    static const char raw[] = "\"\\\b\f\n\r\t", named[] = "\"\\bfnrt";
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    tr_buf_addc(out, '"');
    while (i < len) {
        size_t run = i;
        for (;;) {
            uint32_t cp;
            size_t n;
            if (i >= len || s[i] < 0x20 || s[i] == '"' || s[i] == '\\') {
                break;
            }
            if (s[i] < 0x80) {
                i++;
            } else if ((n = tr_utf8_decode(s + i, len - i, &cp)) > 0) {
                i += n;
            } else {
                tr_buf_add(out, s + run, i - run);
                return out->err != TR_OK ? out->err : TR_EINVAL;
            }
        }
        tr_buf_add(out, s + run, i - run);
        if (i >= len) {
            break;
        }
        const char *hit = s[i] != 0 ? strchr(raw, s[i]) : NULL;
        char esc[7] = {'\\', 'u', '0', '0', hex[s[i] >> 4], hex[s[i] & 15], '\0'};
        if (hit != NULL) {
            esc[1] = named[hit - raw];
            esc[2] = '\0';
        }
        tr_buf_adds(out, esc);
        i++;
    }
    return tr_buf_addc(out, '"');
}

/*
 * UTF-8 byte order is code point order; UTF-16 order differs from it only in that
 * supplementary characters (lead bytes F0..F4, surrogate pairs D800..DFFF in UTF-16) sort
 * before U+E000..U+FFFF (lead bytes EE, EF). So compare bytes, except at that one crossing.
 */
int tr_jcs_key_compare(const char *a, size_t alen, const char *b, size_t blen)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t n = alen < blen ? alen : blen;
    size_t i = 0;
    while (i < n && x[i] == y[i]) {
        i++;
    }
    if (i == n) {
        return alen < blen ? -1 : alen > blen;
    }
    /* Both characters start at the same lead byte position: the prefixes are equal. */
    size_t lead = i;
    while (lead > 0 && (x[lead] & 0xC0) == 0x80 && (y[lead] & 0xC0) == 0x80) {
        lead--;
    }
    int xs = x[lead] >= 0xF0 && x[lead] <= 0xF4, ys = y[lead] >= 0xF0 && y[lead] <= 0xF4;
    int xe = x[lead] == 0xEE || x[lead] == 0xEF, ye = y[lead] == 0xEE || y[lead] == 0xEF;
    if (xs && ye) {
        return -1;
    }
    if (xe && ys) {
        return 1;
    }
    return x[i] < y[i] ? -1 : 1;
}

void tr_json_snippet(const char *str, size_t len, char out[TR_JSON_SNIPPET_MAX])
{
    const unsigned char *s = (const unsigned char *)str;
    size_t o = 0, i = 0;
    while (i < len) {
        char piece[8];
        size_t n;
        uint32_t cp;
        size_t k = s[i] < 0x80 ? 1 : tr_utf8_decode(s + i, len - i, &cp);
        if (k == 0) {
            n = (size_t)snprintf(piece, sizeof piece, "\\x%02x", s[i]);
            k = 1;
        } else if (s[i] < 0x20 || s[i] == 0x7F) {
            n = (size_t)snprintf(piece, sizeof piece, "\\u%04x", s[i]);
        } else {
            memcpy(piece, s + i, k);
            n = k;
        }
        if (o + n > TR_JSON_SNIPPET_MAX - 4) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(out + o, piece, n);
        o += n;
        i += k;
    }
    out[o] = '\0';
}

int tr_jcs_serialize(const struct tr_json *node, struct tr_buf *out, struct tr_error *err)
{
    return tr_json_write(node, TR_JSON_CANONICAL, out, err);
}
