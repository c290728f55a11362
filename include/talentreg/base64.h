/*
 * talentreg/base64.h — standard base64 (RFC 4648 section 4: alphabet A-Z a-z 0-9 + /, '='
 * padding), as used by C2SP signed notes, checkpoints and verifier keys.
 *
 * Decoding is strict: only the one canonical encoding of a byte string is accepted. Refused:
 * a length that is not a multiple of 4, missing or extra padding, '=' anywhere but the last
 * one or two places, characters outside the alphabet (whitespace and the URL-safe '-' '_'
 * included), and unused low bits of the last character that are not zero. So a value that
 * decodes has exactly one text form, and a signed text cannot be varied without changing
 * its bytes.
 */
#ifndef TALENTREG_BASE64_H
#define TALENTREG_BASE64_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Characters in the encoding of n bytes (padding included, NUL not included). */
#define TR_BASE64_ENCODED_LEN(n) (((n) + 2) / 3 * 4)

/*
 * tr_base64_encode — append the padded base64 encoding of p[0..n) to out (p may be NULL
 * when n is 0). Returns TR_OK or out's sticky error (TR_ENOMEM, TR_ELIMIT).
 */
int tr_base64_encode(const void *p, size_t n, struct tr_buf *out);

/*
 * tr_base64_decode — decode the len characters at s (s need not be NUL-terminated) into
 * dst, which has room for cap bytes; *out_len (out, not NULL) gets the number of bytes
 * decoded, 0 on failure.
 * Nothing is written to dst unless the whole input is canonical base64 that fits.
 * Returns TR_OK; TR_EPARSE when s is not canonical base64 (the message says why and where);
 * TR_ELIMIT when the decoded bytes would not fit in cap ("base64 decodes to N bytes, more
 * than CAP"). An empty s decodes to 0 bytes. err may be NULL.
 */
int tr_base64_decode(const char *s, size_t len, unsigned char *dst, size_t cap, size_t *out_len,
                     struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
