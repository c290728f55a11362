/*
 * talentreg/base58.h — base58btc (the Bitcoin alphabet) and its multibase form.
 *
 * base58btc writes a byte string as a big number in base 58 with the alphabet below, and
 * writes each leading zero byte as one '1'; decoding turns each leading '1' back into one
 * zero byte. Decoding here is strict: every character must be in the alphabet (no
 * whitespace, no '0', 'O', 'I', 'l', nothing outside ASCII), and the output never exceeds
 * the caller's buffer. The empty string is the encoding of zero bytes.
 *
 * Multibase (used by did:key, publicKeyMultibase, secretKeyMultibase and eddsa-jcs-2022
 * proofValue) is the same text after the one-character prefix 'z'.
 *
 * Nothing here allocates. err may be NULL; other pointers may not, except p when n is 0.
 * The functions do not run in constant time; the only secrets they see (multibase secret
 * keys) are handled by talentreg/key.h, which wipes the buffers.
 */
#ifndef TALENTREG_BASE58_H
#define TALENTREG_BASE58_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TR_BASE58_ALPHABET "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

/* The multibase prefix of base58btc. */
#define TR_MULTIBASE_BASE58BTC 'z'

/*
 * TR_BASE58_SIZE — room for the base58btc text of n bytes, its NUL included: a byte takes
 * log(256)/log(58) < 1.38 digits. For constant n (the macro does not guard against
 * overflow of n * 138).
 */
#define TR_BASE58_SIZE(n) ((n)*138 / 100 + 2)

/* TR_MULTIBASE_SIZE — the same with room for the 'z' prefix. */
#define TR_MULTIBASE_SIZE(n) (TR_BASE58_SIZE(n) + 1)

/*
 * tr_base58_encode — write the base58btc text of n bytes at p into out (cap bytes, room for
 * the NUL included); *out_len (may be NULL) gets its length. p may be NULL when n is 0.
 * Returns TR_OK, or TR_ELIMIT when out is too small (TR_BASE58_SIZE(n) is always enough);
 * out is then "" when cap > 0.
 */
int tr_base58_encode(const void *p, size_t n, char *out, size_t cap, size_t *out_len);

/*
 * tr_base58_decode — decode len characters of s into out (cap bytes); *out_len gets the
 * number of bytes. Returns TR_OK; TR_EPARSE for a character outside the alphabet
 * ("invalid base58 character 'l' at offset 7"; bytes that are not printable ASCII are shown
 * as \xNN); TR_ELIMIT when the value needs more than cap bytes ("base58 value is longer
 * than N bytes"). On failure *out_len is 0 and the cap bytes of out are zeroed, so no part
 * of a secret stays behind. err may be NULL.
 */
int tr_base58_decode(const char *s, size_t len, void *out, size_t cap, size_t *out_len,
                     struct tr_error *err);

/*
 * tr_base58_encode_multibase — like tr_base58_encode, with the 'z' prefix in front.
 * TR_MULTIBASE_SIZE(n) is always enough.
 */
int tr_base58_encode_multibase(const void *p, size_t n, char *out, size_t cap, size_t *out_len);

/*
 * tr_base58_decode_multibase — decode a multibase string that must be base58btc: s[0] is
 * 'z', the rest is decoded as by tr_base58_decode. An empty s, or one with another prefix,
 * is TR_EPARSE ("multibase value is empty", "multibase prefix 'u' is not base58btc ('z')");
 * offsets in messages count from the start of s, the prefix included.
 */
int tr_base58_decode_multibase(const char *s, size_t len, void *out, size_t cap, size_t *out_len,
                               struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
