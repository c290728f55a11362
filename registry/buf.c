/* buf.c — the growable buffer; invariants in include/talentreg/buf.h. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg/buf.h"
#include "talentreg/error.h"

static char empty[1];

void tr_buf_init(struct tr_buf *b)
{
    b->data = empty;
    b->len = 0;
    b->cap = 0;
    b->max = 0;
    b->err = TR_OK;
}

void tr_buf_release(struct tr_buf *b)
{
    size_t max = b->max;
    if (b->cap > 0) {
        free(b->data);
    }
    tr_buf_init(b);
    b->max = max;
}

void tr_buf_reset(struct tr_buf *b)
{
    b->len = 0;
    if (b->cap > 0) {
        b->data[0] = '\0'; /* never into the shared empty buffer, which threads share */
    }
    b->err = TR_OK;
}

int tr_buf_grow(struct tr_buf *b, size_t extra)
{
    if (b->err != TR_OK) {
        return b->err;
    }
    size_t limit = b->max != 0 ? b->max : SIZE_MAX / 2;
    if (extra > limit || b->len > limit - extra) {
        b->err = TR_ELIMIT;
        return b->err;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) {
        return TR_OK;
    }
    size_t cap = b->cap < 64 ? 64 : b->cap;
    while (cap < need) {
        cap = cap > SIZE_MAX / 4 ? need : cap * 2;
    }
    char *p = realloc(b->cap > 0 ? b->data : NULL, cap);
    if (p == NULL) {
        b->err = TR_ENOMEM;
        return b->err;
    }
    if (b->cap == 0) {
        p[0] = '\0';
    }
    b->data = p;
    b->cap = cap;
    return TR_OK;
}

int tr_buf_add(struct tr_buf *b, const void *p, size_t n)
{
    if (tr_buf_grow(b, n) != TR_OK) {
        return b->err;
    }
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return TR_OK;
}

int tr_buf_adds(struct tr_buf *b, const char *s)
{
    return tr_buf_add(b, s, strlen(s));
}

int tr_buf_addc(struct tr_buf *b, char c)
{
    return tr_buf_add(b, &c, 1);
}

int tr_buf_vaddf(struct tr_buf *b, const char *fmt, va_list ap)
{
    if (b->err != TR_OK) {
        return b->err;
    }
    va_list cp;
    va_copy(cp, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, cp);
    va_end(cp);
    if (n < 0) {
        b->err = TR_EINVAL;
        return b->err;
    }
    if ((size_t)n < sizeof small) {
        return tr_buf_add(b, small, (size_t)n);
    }
    if (tr_buf_grow(b, (size_t)n) != TR_OK) {
        return b->err;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return TR_OK;
}

int tr_buf_addf(struct tr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = tr_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int tr_buf_addhex(struct tr_buf *b, const void *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *s = p;
    if (n > SIZE_MAX / 2 || tr_buf_grow(b, n * 2) != TR_OK) {
        return b->err != TR_OK ? b->err : (b->err = TR_ELIMIT);
    }
    for (size_t i = 0; i < n; i++) {
        b->data[b->len++] = digits[s[i] >> 4];
        b->data[b->len++] = digits[s[i] & 15];
    }
    b->data[b->len] = '\0';
    return TR_OK;
}

void tr_buf_truncate(struct tr_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

char *tr_buf_detach(struct tr_buf *b, size_t *len_out)
{
    char *p = NULL;
    size_t len = 0;
    if (b->err == TR_OK) {
        if (b->cap == 0) {
            p = calloc(1, 1);
        } else {
            p = b->data;
            len = b->len;
            b->cap = 0;
        }
    }
    if (len_out != NULL) {
        *len_out = p != NULL ? len : 0;
    }
    tr_buf_release(b);
    return p;
}

int tr_buf_read_file(struct tr_buf *b, const char *path, size_t max, struct tr_error *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    int rc = TR_OK;
    size_t start = b->len;
    if (f == NULL) {
        return tr_error_set(err, TR_EIO, "cannot open '%s': %s", path, strerror(errno));
    }
    char chunk[65536];
    for (;;) {
        size_t n = fread(chunk, 1, sizeof chunk, f);
        if (n > 0) {
            if (b->len - start + n > max) {
                rc = tr_error_set(err, TR_ELIMIT, "'%s' is larger than %zu bytes", path, max);
                goto out;
            }
            if (tr_buf_add(b, chunk, n) != TR_OK) {
                rc = tr_error_set(err, b->err, "cannot read '%s': %s", path,
                                  tr_strerror(b->err));
                goto out;
            }
        }
        if (n < sizeof chunk) {
            if (ferror(f)) {
                rc = tr_error_set(err, TR_EIO, "cannot read '%s': %s", path, strerror(errno));
            }
            break;
        }
    }
out:
    if (!is_stdin && fclose(f) != 0 && rc == TR_OK) {
        rc = tr_error_set(err, TR_EIO, "cannot close '%s': %s", path, strerror(errno));
    }
    if (rc != TR_OK) {
        tr_buf_truncate(b, start);
    }
    return rc;
}
