/*
 * talentreg/crypto.h — the cryptographic primitives, all through OpenSSL 3 EVP:
 * SHA-256 and pure Ed25519 (RFC 8032, no pre-hash).
 *
 * Keys here are raw bytes; key files, did:key and passphrases live in talentreg/key.h.
 * Every buffer that held a seed is wiped by these functions before they return.
 */
#ifndef TALENTREG_CRYPTO_H
#define TALENTREG_CRYPTO_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TR_SHA256_LEN 32
#define TR_ED25519_SEED_LEN 32
#define TR_ED25519_PUBLIC_LEN 32
#define TR_ED25519_SIG_LEN 64

/* tr_sha256 — out = SHA-256(p[0..n)). Returns TR_OK or TR_ECRYPTO. */
int tr_sha256(const void *p, size_t n, unsigned char out[TR_SHA256_LEN]);

/*
 * tr_sha256_parts — out = SHA-256 of the concatenation of count parts (ptrs[i], lens[i]),
 * without copying them together. Returns TR_OK or TR_ECRYPTO.
 */
int tr_sha256_parts(const void *const *ptrs, const size_t *lens, size_t count,
                    unsigned char out[TR_SHA256_LEN]);

/* tr_ed25519_public — derive the public key of a 32-byte seed. TR_OK or TR_ECRYPTO. */
int tr_ed25519_public(const unsigned char seed[TR_ED25519_SEED_LEN],
                      unsigned char pub[TR_ED25519_PUBLIC_LEN]);

/* tr_ed25519_sign — sig = Ed25519(seed, msg). Deterministic. TR_OK or TR_ECRYPTO. */
int tr_ed25519_sign(const unsigned char seed[TR_ED25519_SEED_LEN], const void *msg, size_t n,
                    unsigned char sig[TR_ED25519_SIG_LEN]);

/*
 * tr_ed25519_verify — TR_OK when sig is a valid signature of msg by pub, TR_EVERIFY when
 * not (including a non-canonical S >= L, which OpenSSL refuses, and any signature under a
 * public key of small order, under which signatures nobody made would verify), TR_ECRYPTO
 * when OpenSSL failed otherwise (e.g. out of memory).
 */
int tr_ed25519_verify(const unsigned char pub[TR_ED25519_PUBLIC_LEN], const void *msg, size_t n,
                      const unsigned char sig[TR_ED25519_SIG_LEN]);

/* tr_random — fill p with n bytes from the operating system's CSPRNG. TR_OK or TR_ECRYPTO. */
int tr_random(void *p, size_t n);

/* tr_memeq_ct — 1 when a and b are equal, compared in constant time, else 0. */
int tr_memeq_ct(const void *a, const void *b, size_t n);

#ifdef __cplusplus
}
#endif
#endif
