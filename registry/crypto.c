/* crypto.c — SHA-256 and Ed25519 through OpenSSL EVP. */
#include <limits.h>
#include <pthread.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "talentreg/crypto.h"

int tr_sha256(const void *p, size_t n, unsigned char out[TR_SHA256_LEN])
{
    return tr_sha256_parts(&p, &n, 1, out);
}

/*
 * SHA-256 is fetched from the provider once per process, and each thread keeps one digest
 * context: an implicit fetch and a context allocation per hash cost more than hashing a
 * record. A thread's context is freed when the thread ends (they hold no secret).
 */
static EVP_MD *sha256_md;
static pthread_key_t sha256_key;
static int sha256_ready;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void free_ctx(void *ctx)
{
    EVP_MD_CTX_free(ctx);
}

static void fetch_sha256(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    sha256_ready = sha256_md != NULL && pthread_key_create(&sha256_key, free_ctx) == 0;
}

static EVP_MD_CTX *sha256_begin(void)
{
    if (pthread_once(&sha256_once, fetch_sha256) != 0 || !sha256_ready) {
        return NULL;
    }
    EVP_MD_CTX *ctx = pthread_getspecific(sha256_key);
    if (ctx == NULL) {
        ctx = EVP_MD_CTX_new();
        if (ctx == NULL || pthread_setspecific(sha256_key, ctx) != 0) {
            EVP_MD_CTX_free(ctx);
            return NULL;
        }
    }
    return EVP_DigestInit_ex(ctx, sha256_md, NULL) == 1 ? ctx : NULL;
}

int tr_sha256_parts(const void *const *ptrs, const size_t *lens, size_t count,
                    unsigned char out[TR_SHA256_LEN])
{
    int rc = TR_ECRYPTO;
    EVP_MD_CTX *ctx = sha256_begin();
    if (ctx == NULL) {
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        if (EVP_DigestUpdate(ctx, ptrs[i], lens[i]) != 1) {
            goto out;
        }
    }
    if (EVP_DigestFinal_ex(ctx, out, NULL) == 1) {
        rc = TR_OK;
    }
out:
    return rc;
}

int tr_ed25519_public(const unsigned char seed[TR_ED25519_SEED_LEN],
                      unsigned char pub[TR_ED25519_PUBLIC_LEN])
{
    int rc = TR_ECRYPTO;
    size_t len = TR_ED25519_PUBLIC_LEN;
    EVP_PKEY *pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
                                                TR_ED25519_SEED_LEN);
    if (pk != NULL && EVP_PKEY_get_raw_public_key(pk, pub, &len) == 1 &&
        len == TR_ED25519_PUBLIC_LEN) {
        rc = TR_OK;
    }
    EVP_PKEY_free(pk); /* OpenSSL clears private key material on free */
    return rc;
}

int tr_ed25519_sign(const unsigned char seed[TR_ED25519_SEED_LEN], const void *msg, size_t n,
                    unsigned char sig[TR_ED25519_SIG_LEN])
{
    int rc = TR_ECRYPTO;
    size_t len = TR_ED25519_SIG_LEN;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY *pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed,
                                                TR_ED25519_SEED_LEN);
    if (ctx == NULL || pk == NULL || EVP_DigestSignInit(ctx, NULL, NULL, NULL, pk) != 1) {
        goto out;
    }
    if (EVP_DigestSign(ctx, sig, &len, msg, n) == 1 && len == TR_ED25519_SIG_LEN) {
        rc = TR_OK;
    }
out:
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pk);
    return rc;
}

int tr_ed25519_verify(const unsigned char pub[TR_ED25519_PUBLIC_LEN], const void *msg, size_t n,
                      const unsigned char sig[TR_ED25519_SIG_LEN])
{
    int rc = TR_ECRYPTO;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY *pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
                                               TR_ED25519_PUBLIC_LEN);
    if (pk == NULL) {
        /* A public key that is not a curve point cannot have signed anything. */
        rc = ctx != NULL ? TR_EVERIFY : TR_ECRYPTO;
        goto out;
    }
    if (ctx == NULL || EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) != 1) {
        goto out;
    }
    rc = EVP_DigestVerify(ctx, sig, TR_ED25519_SIG_LEN, msg, n) == 1 ? TR_OK : TR_EVERIFY;
out:
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pk);
    return rc;
}

int tr_random(void *p, size_t n)
{
    if (n > (size_t)INT_MAX) {
        return TR_ECRYPTO;
    }
    return RAND_bytes(p, (int)n) == 1 ? TR_OK : TR_ECRYPTO;
}

int tr_memeq_ct(const void *a, const void *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}
