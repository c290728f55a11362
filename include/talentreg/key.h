/*
 * talentreg/key.h — Ed25519 signing keys: did:key names, multibase keys, key files and
 * passphrase files.
 *
 * A key is the 32-byte RFC 8032 seed and the public key derived from it. Its public name is
 * a did:key: "did:key:" + multibase, where multibase = "z" + base58btc(0xed 0x01 ‖ public
 * key) (multicodec ed25519-pub), so it always starts "did:key:z6Mk". Proofs name the key by
 * its verification method id, the did + "#" + the same multibase.
 *
 * Key files are PEM PKCS#8, the format `openssl pkey` reads: "PRIVATE KEY" without a
 * passphrase, "ENCRYPTED PRIVATE KEY" (PBES2: scrypt + AES-256-CBC) with one. Files are
 * created with mode 0600 and never replaced unless asked; loading refuses symbolic links and
 * files that group or others may read or write. docs/keys.md describes the formats.
 *
 * Every buffer that held a seed or a passphrase is wiped before it is released.
 *
 * NULL: err may always be NULL; other pointers only where a function says so.
 */
#ifndef TALENTREG_KEY_H
#define TALENTREG_KEY_H

#include <stdint.h>

#include "crypto.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* did:key and multicodec. */
#define TR_DIDKEY_PREFIX "did:key:"
#define TR_DIDKEY_PREFIX_LEN 8
#define TR_MULTICODEC_ED25519_PUB 0xedu    /* ed25519-pub, varint bytes ed 01 */
#define TR_MULTICODEC_ED25519_PRIV 0x1300u /* ed25519-priv, varint bytes 80 26 */
#define TR_MULTICODEC_PREFIX_LEN 2         /* both codecs take two varint bytes */

/*
 * A multibase key ("z" + base58btc of the two multicodec bytes and 32 key bytes) is always
 * 48 characters: those 34 bytes start with 0xed or 0x80, so their value lies between 58^46
 * and 58^47.
 */
#define TR_KEY_MULTIBASE_LEN 48
#define TR_KEY_MULTIBASE_SIZE (TR_KEY_MULTIBASE_LEN + 1)
#define TR_KEY_DID_LEN (TR_DIDKEY_PREFIX_LEN + TR_KEY_MULTIBASE_LEN)
#define TR_KEY_DID_SIZE (TR_KEY_DID_LEN + 1)
#define TR_KEY_VM_LEN (TR_KEY_DID_LEN + 1 + TR_KEY_MULTIBASE_LEN)
#define TR_KEY_VM_SIZE (TR_KEY_VM_LEN + 1)

/* Key files. */
#define TR_KEY_PEM_LABEL "PRIVATE KEY"
#define TR_KEY_PEM_LABEL_ENCRYPTED "ENCRYPTED PRIVATE KEY"
#define TR_KEY_FILE_MAX 8192 /* bytes; a key file is a few hundred */
#define TR_KEY_CIPHER "AES-256-CBC"
#define TR_KEY_SALT_LEN 16

/*
 * The scrypt cost of new encrypted files: N = 2^14, r = 8 (16 MiB), p = 8, about 0.3 s on
 * one core. 16 MiB is as high as N goes while staying under OpenSSL's 32 MiB limit for
 * decrypting PKCS#8, so `openssl pkey` can read every file talentreg writes; p buys the time
 * the memory cannot.
 */
#define TR_KEY_SCRYPT_N 16384u
#define TR_KEY_SCRYPT_R 8u
#define TR_KEY_SCRYPT_P 8u

/*
 * What a file may ask of the key derivation before it is refused, so that a hostile file
 * cannot keep the program busy for hours: scrypt N·r·p at most 2^23 (8 times the default)
 * and the memory OpenSSL needs (128·r·(N+2) + 128·r·p bytes) at most 32 MiB; PBKDF2 at most
 * ten million iterations.
 */
#define TR_KEY_SCRYPT_MAX_WORK (1u << 23)
#define TR_KEY_SCRYPT_MAX_MEM (32u << 20)
#define TR_KEY_PBKDF2_MAX_ITER 10000000u

/* Passphrases: the first line of a file, at most TR_KEY_PASSPHRASE_MAX - 1 bytes. */
#define TR_KEY_PASSPHRASE_MAX 1024

/*
 * A signing key. Allocated by the functions below and freed with tr_key_free, which wipes
 * it. Sign with tr_ed25519_sign(key->seed, ...).
 */
struct tr_key {
    unsigned char seed[TR_ED25519_SEED_LEN];  /* the secret: RFC 8032 private key */
    unsigned char pub[TR_ED25519_PUBLIC_LEN]; /* derived from seed */
};

/* The scrypt cost of an encrypted key file (see TR_KEY_SCRYPT_*). */
struct tr_key_kdf {
    uint64_t n; /* CPU/memory cost, a power of two >= 2 */
    uint64_t r; /* block size, >= 1 */
    uint64_t p; /* parallelization, >= 1 */
};

/* Flags of tr_key_save. */
#define TR_KEY_FORCE 1u /* replace an existing file (through a new file and rename) */

/*
 * tr_key_generate — a new key from the operating system's CSPRNG.
 * Returns TR_OK and *out (free with tr_key_free), TR_ECRYPTO or TR_ENOMEM (*out NULL).
 */
int tr_key_generate(struct tr_key **out, struct tr_error *err);

/*
 * tr_key_from_seed — the key of a 32-byte seed (copied; the caller wipes its own copy).
 * Returns TR_OK and *out (free with tr_key_free), TR_ECRYPTO or TR_ENOMEM (*out NULL).
 */
int tr_key_from_seed(const unsigned char seed[TR_ED25519_SEED_LEN], struct tr_key **out,
                     struct tr_error *err);

/* tr_key_free — wipe and free key. NULL is a no-op. */
void tr_key_free(struct tr_key *key);

/*
 * tr_key_public_multibase — out = "z" + base58btc(ed 01 ‖ pub), the publicKeyMultibase of
 * a Multikey and the method-specific id of the did:key. Cannot fail.
 */
void tr_key_public_multibase(const unsigned char pub[TR_ED25519_PUBLIC_LEN],
                             char out[TR_KEY_MULTIBASE_SIZE]);

/* tr_key_did — out = "did:key:" + the public multibase. Cannot fail. */
void tr_key_did(const unsigned char pub[TR_ED25519_PUBLIC_LEN], char out[TR_KEY_DID_SIZE]);

/* tr_key_verification_method — out = did + "#" + the public multibase. Cannot fail. */
void tr_key_verification_method(const unsigned char pub[TR_ED25519_PUBLIC_LEN],
                                char out[TR_KEY_VM_SIZE]);

/*
 * tr_key_parse_public_multibase — decode a publicKeyMultibase ("z6Mk…") into pub.
 * Returns TR_OK, or TR_EPARSE ("public key multibase 'S': …") when s is not base58btc
 * multibase, its multicodec is not ed25519-pub ("multicodec 0x1200 is not ed25519-pub
 * (0xed)") or the key is not 32 bytes ("an Ed25519 public key has 32 bytes, not 33").
 * pub is zeroed on failure.
 */
int tr_key_parse_public_multibase(const char *s, unsigned char pub[TR_ED25519_PUBLIC_LEN],
                                  struct tr_error *err);

/*
 * tr_key_parse_did — decode a did:key ("did:key:z6Mk…") or a verification method id
 * ("did:key:z6Mk…#z6Mk…", whose fragment must equal the did's multibase) into pub.
 * Returns TR_OK, or TR_EPARSE: "'S' is not a did:key", "did:key 'S': REASON" with the
 * reasons of tr_key_parse_public_multibase, "verification method 'S': fragment does not
 * match the did". pub is zeroed on failure.
 */
int tr_key_parse_did(const char *s, unsigned char pub[TR_ED25519_PUBLIC_LEN], struct tr_error *err);

/*
 * tr_key_secret_multibase — out = "z" + base58btc(80 26 ‖ seed), the 34-byte form of a
 * secretKeyMultibase. out is a secret: wipe it after use. Cannot fail.
 */
void tr_key_secret_multibase(const struct tr_key *key, char out[TR_KEY_MULTIBASE_SIZE]);

/*
 * tr_key_parse_secret_multibase — the key of a secretKeyMultibase: "z" + base58btc of
 * 80 26 ‖ seed, or of 80 26 ‖ seed ‖ public key (then the public key must be the one the
 * seed derives). Messages never show s: "secret key multibase: REASON" (base58 errors,
 * "multicodec 0x… is not ed25519-priv (0x1300)", "an Ed25519 secret key has 32 or 64 bytes,
 * not N", "the public key does not match the seed").
 * Returns TR_OK and *out (free with tr_key_free), TR_EPARSE, TR_ECRYPTO or TR_ENOMEM.
 */
int tr_key_parse_secret_multibase(const char *s, struct tr_key **out, struct tr_error *err);

/*
 * tr_key_save — write key to a new PEM PKCS#8 file at path, mode 0600.
 * passphrase: NULL writes "PRIVATE KEY" (unencrypted); otherwise a non-empty string that
 *   encrypts the file as "ENCRYPTED PRIVATE KEY" with scrypt under kdf (NULL = the
 *   TR_KEY_SCRYPT_* defaults) and AES-256-CBC.
 * flags: TR_KEY_FORCE replaces an existing file: the key is written to a new file beside it,
 *   then renamed over it, so the old file stays whole until the new one is on disk.
 * The encoded file is decoded again and compared with key before it is written. The file is
 * created with O_EXCL and O_NOFOLLOW, synced before it is closed, and its directory synced.
 * Returns TR_OK; TR_EEXIST ("key file 'PATH' already exists") without TR_KEY_FORCE; TR_EINVAL
 * (an empty passphrase, kdf out of the ranges above); TR_EIO ("cannot create key file
 * 'PATH': …", also write, sync, close and rename failures; nothing is left behind);
 * TR_ECRYPTO; TR_ENOMEM.
 */
int tr_key_save(const struct tr_key *key, const char *path, const char *passphrase,
                const struct tr_key_kdf *kdf, unsigned flags, struct tr_error *err);

/*
 * tr_key_load — read the PEM PKCS#8 Ed25519 key file at path.
 * passphrase: needed when the file is encrypted; ignored when it is not; NULL = none.
 * Returns TR_OK and *out (free with tr_key_free), or (*out NULL):
 *   TR_EPERM  "refusing key file 'PATH': it is a symbolic link", "…: it is not a regular
 *             file", "…: mode 0644 lets others read it (chmod 600)", "…: mode 0620 lets
 *             others change it (chmod 600)";
 *   TR_EPASS  "wrong passphrase for 'PATH'" (a damaged ciphertext reads the same: CBC has
 *             no integrity check), "key file 'PATH' is encrypted and no passphrase was
 *             given";
 *   TR_EPARSE "key file 'PATH' …": not PEM, not a private key, not Ed25519, damaged
 *             structure, an encryption other than PBES2 with scrypt or PBKDF2;
 *   TR_ELIMIT the file is over TR_KEY_FILE_MAX bytes or asks for a key derivation over the
 *             TR_KEY_SCRYPT_MAX_* / TR_KEY_PBKDF2_MAX_ITER limits;
 *   TR_EIO    "cannot open key file 'PATH': …" and read errors; TR_ECRYPTO; TR_ENOMEM.
 */
int tr_key_load(const char *path, const char *passphrase, struct tr_key **out,
                struct tr_error *err);

/*
 * tr_key_read_passphrase — out = the first line of the file at path, without its line end
 * ("\n" or "\r\n"). Any file that can be read works (a pipe, /dev/stdin); only as much as
 * the first line is read. out is a secret: wipe it (all TR_KEY_PASSPHRASE_MAX bytes) after
 * use. Returns TR_OK; TR_EINVAL "passphrase file 'PATH' is empty" (an empty first line);
 * TR_EPARSE "passphrase file 'PATH' holds a NUL byte"; TR_ELIMIT "passphrase in 'PATH' is
 * longer than 1023 bytes"; TR_EIO "cannot open passphrase file 'PATH': …" and read errors.
 * out is zeroed on failure.
 */
int tr_key_read_passphrase(const char *path, char out[TR_KEY_PASSPHRASE_MAX], struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
