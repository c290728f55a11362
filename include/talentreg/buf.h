/*
 * talentreg/buf.h — the one growable byte buffer.
 *
 * Invariants, which every function keeps:
 *   - data is never NULL (an empty buffer points at a static "");
 *   - data[len] == '\0' always, so data is a C string when the bytes hold no NUL;
 *   - the first failure is sticky: once an append fails (out of memory or over max),
 *     err is set and every later append is a no-op, so ten appends need one check;
 *   - tr_buf_detach is the only way to take ownership of the bytes.
 */
#ifndef TALENTREG_BUF_H
#define TALENTREG_BUF_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct tr_buf {
    char *data; /* never NULL, NUL-terminated */
    size_t len; /* bytes in use, not counting the terminating NUL */
    size_t cap; /* bytes allocated, 0 while data is the static "" */
    size_t max; /* growth limit in bytes (0 = SIZE_MAX/2); appends past it fail with TR_ELIMIT */
    int err;    /* TR_OK, or the sticky code of the first failed append */
};

/* tr_buf_init — make b an empty buffer; allocates nothing. */
void tr_buf_init(struct tr_buf *b);

/* tr_buf_release — free b's bytes and make it empty again (err is cleared). */
void tr_buf_release(struct tr_buf *b);

/* tr_buf_reset — make b empty, keep its allocation and its max; clears err. */
void tr_buf_reset(struct tr_buf *b);

/*
 * tr_buf_grow — make room for extra more bytes. Returns TR_OK, TR_ENOMEM or TR_ELIMIT
 * (also sets the sticky err).
 */
int tr_buf_grow(struct tr_buf *b, size_t extra);

/* Appends. Each returns b->err after the call (TR_OK when everything so far succeeded). */
int tr_buf_add(struct tr_buf *b, const void *p, size_t n);
int tr_buf_adds(struct tr_buf *b, const char *s);
int tr_buf_addc(struct tr_buf *b, char c);
int tr_buf_addf(struct tr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tr_buf_vaddf(struct tr_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* tr_buf_addhex — append n bytes as lowercase hex. */
int tr_buf_addhex(struct tr_buf *b, const void *p, size_t n);

/* tr_buf_truncate — shorten to len bytes (no-op when len >= b->len). */
void tr_buf_truncate(struct tr_buf *b, size_t len);

/*
 * tr_buf_detach — hand the bytes to the caller, who frees them with free(). Returns NULL
 * when b->err is set (the bytes are then released). *len_out (may be NULL) gets the length.
 * b is left empty. An empty buffer detaches as a freshly allocated "".
 */
char *tr_buf_detach(struct tr_buf *b, size_t *len_out);

/*
 * tr_buf_read_file — append the whole file at path ("-" is standard input) to b,
 * refusing files over max bytes with TR_ELIMIT. Returns TR_OK, TR_EIO, TR_ELIMIT or
 * TR_ENOMEM; err (may be NULL) names the file.
 */
struct tr_error;
int tr_buf_read_file(struct tr_buf *b, const char *path, size_t max, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
