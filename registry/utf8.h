/*
 * utf8.h — strict UTF-8 decoding (internal, not part of the library API).
 *
 * The JSON reader validates its input with it and the writer refuses strings that are not
 * UTF-8, so both agree on one definition: RFC 3629, no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences.
 */
#ifndef TALENTREG_UTF8_H
#define TALENTREG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * tr_utf8_decode — decode the sequence at s (n bytes available, n may be 0).
 * Returns its length (1 to 4) and the code point in *cp (out), or 0 when the bytes at s are
 * not a complete, valid sequence (*cp is then unspecified).
 */
size_t tr_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * tr_utf8_encode — write cp (at most U+10FFFF, not a surrogate) as UTF-8 into out (4 bytes
 * of room). Returns the length (1 to 4), or 0 for a value that is not a scalar value.
 */
size_t tr_utf8_encode(uint32_t cp, unsigned char out[4]);

#endif
