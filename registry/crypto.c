/* crypto.c — SHA-256 and Ed25519 through OpenSSL EVP. */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
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
 * record. A thread's context is freed when the thread ends (they hold no secret). A fetch
 * that fails (out of memory) is tried again by the next hash, not kept as the answer for
 * the life of the process.
 */
static EVP_MD *sha256_md;
static pthread_key_t sha256_key;
static atomic_int sha256_ready; /* 1 once sha256_md and sha256_key are made */
static pthread_mutex_t sha256_lock = PTHREAD_MUTEX_INITIALIZER;

static void free_ctx(void *ctx)
{
    EVP_MD_CTX_free(ctx);
}

/* 1 when SHA-256 is ready for use: made now or by an earlier call. */
static int sha256_setup(void)
{
    if (atomic_load_explicit(&sha256_ready, memory_order_acquire)) {
        return 1;
    }
    if (pthread_mutex_lock(&sha256_lock) != 0) {
        return 0;
    }
    if (!atomic_load_explicit(&sha256_ready, memory_order_relaxed)) {
        EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
        if (md != NULL && pthread_key_create(&sha256_key, free_ctx) == 0) {
            sha256_md = md;
            atomic_store_explicit(&sha256_ready, 1, memory_order_release);
        } else {
            EVP_MD_free(md);
        }
    }
    int ready = atomic_load_explicit(&sha256_ready, memory_order_relaxed);
    pthread_mutex_unlock(&sha256_lock);
    return ready;
}

static EVP_MD_CTX *sha256_begin(void)
{
    if (!sha256_setup()) {
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

/*
 * Whether the failure OpenSSL just reported is a verdict on the signature. A signature that
 * does not verify leaves nothing on OpenSSL's error queue; most operational failures (out
 * of memory) leave an error, and must not read as "does not verify". Empties the queue.
 */
static int failure_is_verdict(void)
{
    int verdict = ERR_peek_error() == 0;
    ERR_clear_error();
    return verdict;
}

/*
 * One Ed25519 verification: TR_OK, TR_EVERIFY or TR_ECRYPTO. OpenSSL 3.0 answers a failed
 * allocation of its SHA-512 context with 0 and no error, as it answers a bad signature, so
 * a negative answer is asked twice (a passing shortage gives the right answer the second
 * time), and trusted only while such a context can be allocated at all.
 */
static int verify_once(EVP_MD_CTX *ctx, const unsigned char sig[TR_ED25519_SIG_LEN],
                       const void *msg, size_t n)
{
    if (EVP_DigestVerify(ctx, sig, TR_ED25519_SIG_LEN, msg, n) == 1) {
        return TR_OK;
    }
    return failure_is_verdict() ? TR_EVERIFY : TR_ECRYPTO;
}

/*
 * The points of small order (dividing 8) as public keys: their y coordinates, little-endian,
 * and the non-canonical spellings y + p of y = 0 and y = 1; the sign bit is left out. OpenSSL
 * accepts such a key, and under it a signature that nobody made verifies (under the identity,
 * R = the identity and S = 0 verify every message). The list is libsodium's.
 */
static const unsigned char small_order[][TR_ED25519_PUBLIC_LEN] = {
    {0},
    {0x01},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

/* 1 when pub is a point of small order, whatever its sign bit. */
static int small_order_key(const unsigned char pub[TR_ED25519_PUBLIC_LEN])
{
    for (size_t i = 0; i < sizeof small_order / sizeof small_order[0]; i++) {
        if (memcmp(pub, small_order[i], TR_ED25519_PUBLIC_LEN - 1) == 0 &&
            (pub[TR_ED25519_PUBLIC_LEN - 1] & 0x7f) == small_order[i][TR_ED25519_PUBLIC_LEN - 1]) {
            return 1;
        }
    }
    return 0;
}

/*
 * Public keys made for verification are kept, by their first bytes in a table per thread:
 * a region's records are signed by a few hundred or thousand organisations, and making an
 * EVP_PKEY from 32 bytes (a provider import and its allocations) cost a tenth of a
 * verification. Each thread has its own table (no lock per verification), freed when the
 * thread ends; they hold no secret. A key replaces the one in its slot.
 */
#define KEY_SLOTS 1024

struct key_cache {
    unsigned char pub[KEY_SLOTS][TR_ED25519_PUBLIC_LEN];
    EVP_PKEY *pk[KEY_SLOTS];
};

static pthread_key_t keys_key;
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;
static int keys_ready;

static void free_keys(void *p)
{
    struct key_cache *c = p;
    for (size_t i = 0; i < KEY_SLOTS; i++) {
        EVP_PKEY_free(c->pk[i]);
    }
    free(c);
}

static void keys_setup(void)
{
    keys_ready = pthread_key_create(&keys_key, free_keys) == 0;
}

/*
 * The key for pub, with a reference the caller frees: from this thread's table, else made
 * (and kept when the table can be had). NULL when it cannot be made.
 */
static EVP_PKEY *public_key(const unsigned char pub[TR_ED25519_PUBLIC_LEN])
{
    struct key_cache *c = NULL;
    if (pthread_once(&keys_once, keys_setup) == 0 && keys_ready) {
        c = pthread_getspecific(keys_key);
        if (c == NULL && (c = calloc(1, sizeof *c)) != NULL &&
            pthread_setspecific(keys_key, c) != 0) {
            free(c);
            c = NULL;
        }
    }
    size_t i = ((size_t)pub[0] | (size_t)pub[1] << 8) % KEY_SLOTS;
    if (c != NULL && c->pk[i] != NULL && memcmp(c->pub[i], pub, TR_ED25519_PUBLIC_LEN) == 0) {
        return EVP_PKEY_up_ref(c->pk[i]) == 1 ? c->pk[i] : NULL;
    }
    EVP_PKEY *pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
                                               TR_ED25519_PUBLIC_LEN);
    if (pk == NULL || c == NULL || EVP_PKEY_up_ref(pk) != 1) {
        return pk;
    }
    EVP_PKEY_free(c->pk[i]);
    memcpy(c->pub[i], pub, TR_ED25519_PUBLIC_LEN);
    c->pk[i] = pk;
    return pk;
}

int tr_ed25519_verify(const unsigned char pub[TR_ED25519_PUBLIC_LEN], const void *msg, size_t n,
                      const unsigned char sig[TR_ED25519_SIG_LEN])
{
    if (small_order_key(pub)) {
        /* Nothing allocated yet. Such a key cannot have signed anything. */
        return TR_EVERIFY;
    }
    int rc = TR_ECRYPTO;
    ERR_clear_error();
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_MD_CTX *probe = NULL;
    EVP_PKEY *pk = public_key(pub);
    if (pk == NULL) {
        /* A public key that is not a curve point cannot have signed anything. */
        rc = ctx != NULL && failure_is_verdict() ? TR_EVERIFY : TR_ECRYPTO;
        goto out;
    }
    if (ctx == NULL || EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) != 1) {
        goto out;
    }
    rc = verify_once(ctx, sig, msg, n);
    if (rc == TR_EVERIFY) {
        rc = verify_once(ctx, sig, msg, n);
    }
    if (rc == TR_EVERIFY && (probe = EVP_MD_CTX_new()) == NULL) {
        rc = TR_ECRYPTO;
    }
out:
    ERR_clear_error();
    EVP_MD_CTX_free(probe);
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
