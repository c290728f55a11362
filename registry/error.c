/* error.c — return codes, messages, and wiping secrets. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "talentreg/error.h"

/* Cut s at n bytes without splitting a UTF-8 sequence. */
static void cut_utf8(char *s, size_t n)
{
    size_t len = strlen(s);
    if (len <= n) {
        return;
    }
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
        n--;
    }
    s[n] = '\0';
}

int tr_error_set(struct tr_error *err, int code, const char *fmt, ...)
{
    if (err == NULL) {
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    cut_utf8(err->msg, sizeof err->msg - 1);
    err->code = code;
    return code;
}

void tr_error_prefix(struct tr_error *err, const char *fmt, ...)
{
    if (err == NULL) {
        return;
    }
    char joined[2 * TR_ERROR_MAX + 2];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(joined, TR_ERROR_MAX, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : strlen(joined);
    memcpy(joined + len, ": ", 2);
    memcpy(joined + len + 2, err->msg, sizeof err->msg);
    joined[sizeof joined - 1] = '\0';
    cut_utf8(joined, sizeof err->msg - 1);
    memcpy(err->msg, joined, sizeof err->msg);
}

void tr_error_clear(struct tr_error *err)
{
    if (err != NULL) {
        err->code = TR_OK;
        err->msg[0] = '\0';
    }
}

const char *tr_strerror(int code)
{
    switch (code) {
    case TR_OK:
        return "ok";
    case TR_ENOMEM:
        return "out of memory";
    case TR_EINVAL:
        return "invalid argument";
    case TR_EIO:
        return "input/output error";
    case TR_EPARSE:
        return "malformed input";
    case TR_ELIMIT:
        return "input limit exceeded";
    case TR_ESCHEMA:
        return "schema violation";
    case TR_EDB:
        return "store error";
    case TR_ECRYPTO:
        return "cryptographic failure";
    case TR_EVERIFY:
        return "does not verify";
    case TR_ENOTFOUND:
        return "not found";
    case TR_EEXIST:
        return "already exists";
    case TR_EPERM:
        return "refused for safety";
    case TR_EPASS:
        return "wrong passphrase";
    case TR_EVERSION:
        return "unsupported version";
    case TR_ECONFLICT:
        return "conflicts with stored state";
    default:
        return "unknown error";
    }
}

void tr_wipe(void *p, size_t n)
{
    if (p == NULL || n == 0) {
        return;
    }
    volatile unsigned char *v = p;
    while (n-- > 0) {
        *v++ = 0;
    }
    __asm__ __volatile__("" : : "r"(p) : "memory");
}
