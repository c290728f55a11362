/*
 * key.c — Ed25519 keys: did:key, multibase keys, PEM PKCS#8 key files, passphrase files.
 * The formats and every message are described in include/talentreg/key.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "talentreg/base58.h"
#include "talentreg/buf.h"
#include "talentreg/key.h"

/* The unsigned-varint bytes of the two multicodecs. */
static const unsigned char ed25519_pub_prefix[TR_MULTICODEC_PREFIX_LEN] = {0xed, 0x01};
static const unsigned char ed25519_priv_prefix[TR_MULTICODEC_PREFIX_LEN] = {0x80, 0x26};

/* Decoding room: the longest secret form (2 + 64 bytes) and some, so that a slightly wrong
 * length is reported as a length. */
#define DECODE_MAX 80

int tr_key_from_seed(const unsigned char seed[TR_ED25519_SEED_LEN], struct tr_key **out,
                     struct tr_error *err)
{
    int rc = TR_OK;
    struct tr_key *key = calloc(1, sizeof *key);
    if (key == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(key->seed, seed, TR_ED25519_SEED_LEN);
    if (tr_ed25519_public(key->seed, key->pub) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "cannot derive the public key");
        goto out;
    }
out:
    if (rc != TR_OK) {
        tr_key_free(key);
        key = NULL;
    }
    *out = key;
    return rc;
}

int tr_key_generate(struct tr_key **out, struct tr_error *err)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    int rc = tr_random(seed, sizeof seed);
    if (rc != TR_OK) {
        *out = NULL;
        rc = tr_error_set(err, rc, "cannot get random bytes for a new key");
        goto out;
    }
    rc = tr_key_from_seed(seed, out, err);
out:
    tr_wipe(seed, sizeof seed);
    return rc;
}

void tr_key_free(struct tr_key *key)
{
    if (key != NULL) {
        tr_wipe(key, sizeof *key);
        free(key);
    }
}

/* out = "z" + base58btc(prefix ‖ bytes): always TR_KEY_MULTIBASE_LEN characters. */
static void encode_codec(const unsigned char prefix[TR_MULTICODEC_PREFIX_LEN],
                         const unsigned char bytes[32], char out[TR_KEY_MULTIBASE_SIZE])
{
    unsigned char raw[TR_MULTICODEC_PREFIX_LEN + 32];
    memcpy(raw, prefix, TR_MULTICODEC_PREFIX_LEN);
    memcpy(raw + TR_MULTICODEC_PREFIX_LEN, bytes, 32);
    /* Cannot fail: 34 bytes with a non-zero first byte are 47 digits (see key.h). */
    (void)tr_base58_encode_multibase(raw, sizeof raw, out, TR_KEY_MULTIBASE_SIZE, NULL);
    tr_wipe(raw, sizeof raw);
}

/* The unsigned varint at p[0..n): its byte count, or 0 when it is not a complete varint. */
static size_t read_varint(const unsigned char *p, size_t n, uint64_t *value)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 9; i++) {
        v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
        if ((p[i] & 0x80) == 0) {
            *value = v;
            return i + 1;
        }
    }
    return 0;
}

/*
 * Decode the multibase s[0..len) into buf (DECODE_MAX bytes) and check that it starts with
 * the varint of codec (prefix). *n gets the number of bytes after the prefix. Messages carry
 * no subject; the caller adds it. buf is wiped on failure.
 */
static int decode_codec(const char *s, size_t len, const unsigned char *prefix, unsigned codec,
                        const char *codec_name, unsigned char buf[DECODE_MAX], size_t *n,
                        struct tr_error *err)
{
    size_t got = 0;
    uint64_t value = 0;
    int rc = tr_base58_decode_multibase(s, len, buf, DECODE_MAX, &got, err);
    if (rc == TR_ELIMIT) {
        /* Too long to be any key: for a key, that is a malformed value. */
        rc = TR_EPARSE;
        if (err != NULL) {
            err->code = TR_EPARSE;
        }
    }
    if (rc != TR_OK) {
        goto out;
    }
    if (got < TR_MULTICODEC_PREFIX_LEN || memcmp(buf, prefix, TR_MULTICODEC_PREFIX_LEN) != 0) {
        if (read_varint(buf, got, &value) == 0) {
            rc = tr_error_set(err, TR_EPARSE, "multicodec prefix is not a valid varint");
        } else {
            rc = tr_error_set(err, TR_EPARSE, "multicodec 0x%llx is not %s (0x%x)",
                              (unsigned long long)value, codec_name, codec);
        }
        goto out;
    }
    *n = got - TR_MULTICODEC_PREFIX_LEN;
out:
    if (rc != TR_OK) {
        tr_wipe(buf, DECODE_MAX);
        *n = 0;
    }
    return rc;
}

/* Decode the public multibase s[0..len) into pub; messages carry no subject. */
static int decode_public(const char *s, size_t len, unsigned char pub[TR_ED25519_PUBLIC_LEN],
                         struct tr_error *err)
{
    unsigned char buf[DECODE_MAX];
    size_t n = 0;
    int rc = decode_codec(s, len, ed25519_pub_prefix, TR_MULTICODEC_ED25519_PUB, "ed25519-pub", buf,
                          &n, err);
    if (rc == TR_OK && n != TR_ED25519_PUBLIC_LEN) {
        rc = tr_error_set(err, TR_EPARSE, "an Ed25519 public key has 32 bytes, not %zu", n);
    }
    if (rc == TR_OK) {
        memcpy(pub, buf + TR_MULTICODEC_PREFIX_LEN, TR_ED25519_PUBLIC_LEN);
    } else {
        memset(pub, 0, TR_ED25519_PUBLIC_LEN);
    }
    return rc;
}

void tr_key_public_multibase(const unsigned char pub[TR_ED25519_PUBLIC_LEN],
                             char out[TR_KEY_MULTIBASE_SIZE])
{
    encode_codec(ed25519_pub_prefix, pub, out);
}

void tr_key_did(const unsigned char pub[TR_ED25519_PUBLIC_LEN], char out[TR_KEY_DID_SIZE])
{
    memcpy(out, TR_DIDKEY_PREFIX, TR_DIDKEY_PREFIX_LEN);
    encode_codec(ed25519_pub_prefix, pub, out + TR_DIDKEY_PREFIX_LEN);
}

void tr_key_verification_method(const unsigned char pub[TR_ED25519_PUBLIC_LEN],
                                char out[TR_KEY_VM_SIZE])
{
    tr_key_did(pub, out);
    out[TR_KEY_DID_LEN] = '#';
    encode_codec(ed25519_pub_prefix, pub, out + TR_KEY_DID_LEN + 1);
}

int tr_key_parse_public_multibase(const char *s, unsigned char pub[TR_ED25519_PUBLIC_LEN],
                                  struct tr_error *err)
{
    int rc = decode_public(s, strlen(s), pub, err);
    if (rc != TR_OK) {
        tr_error_prefix(err, "public key multibase '%s'", s);
    }
    return rc;
}

int tr_key_parse_did(const char *s, unsigned char pub[TR_ED25519_PUBLIC_LEN], struct tr_error *err)
{
    int rc = TR_OK;
    if (strncmp(s, TR_DIDKEY_PREFIX, TR_DIDKEY_PREFIX_LEN) != 0) {
        memset(pub, 0, TR_ED25519_PUBLIC_LEN);
        rc = tr_error_set(err, TR_EPARSE, "'%s' is not a did:key", s);
        goto out;
    }
    const char *id = s + TR_DIDKEY_PREFIX_LEN;
    const char *hash = strchr(id, '#');
    size_t id_len = hash != NULL ? (size_t)(hash - id) : strlen(id);
    rc = decode_public(id, id_len, pub, err);
    if (rc != TR_OK) {
        tr_error_prefix(err, "did:key '%s'", s);
        goto out;
    }
    if (hash != NULL && (strlen(hash + 1) != id_len || memcmp(hash + 1, id, id_len) != 0)) {
        memset(pub, 0, TR_ED25519_PUBLIC_LEN);
        rc = tr_error_set(err, TR_EPARSE,
                          "verification method '%s': fragment does not match the did", s);
        goto out;
    }
out:
    return rc;
}

void tr_key_secret_multibase(const struct tr_key *key, char out[TR_KEY_MULTIBASE_SIZE])
{
    encode_codec(ed25519_priv_prefix, key->seed, out);
}

int tr_key_parse_secret_multibase(const char *s, struct tr_key **out, struct tr_error *err)
{
    unsigned char buf[DECODE_MAX];
    size_t n = 0;
    struct tr_key *key = NULL;
    int rc = decode_codec(s, strlen(s), ed25519_priv_prefix, TR_MULTICODEC_ED25519_PRIV,
                          "ed25519-priv", buf, &n, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (n != TR_ED25519_SEED_LEN && n != TR_ED25519_SEED_LEN + TR_ED25519_PUBLIC_LEN) {
        rc = tr_error_set(err, TR_EPARSE, "an Ed25519 secret key has 32 or 64 bytes, not %zu", n);
        goto out;
    }
    rc = tr_key_from_seed(buf + TR_MULTICODEC_PREFIX_LEN, &key, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (n > TR_ED25519_SEED_LEN &&
        !tr_memeq_ct(key->pub, buf + TR_MULTICODEC_PREFIX_LEN + TR_ED25519_SEED_LEN,
                     TR_ED25519_PUBLIC_LEN)) {
        rc = tr_error_set(err, TR_EPARSE, "the public key does not match the seed");
        goto out;
    }
out:
    tr_wipe(buf, sizeof buf);
    if (rc != TR_OK) {
        tr_error_prefix(err, "secret key multibase");
        tr_key_free(key);
        key = NULL;
    }
    *out = key;
    return rc;
}

/* 1 when OpenSSL can run scrypt with these parameters within the TR_KEY_SCRYPT_MAX_* limits. */
static int scrypt_ok(uint64_t n, uint64_t r, uint64_t p)
{
    const uint64_t work = TR_KEY_SCRYPT_MAX_WORK;
    if (n < 2 || (n & (n - 1)) != 0 || r == 0 || p == 0) {
        return 0;
    }
    if (n > work || r > work / n || p > work / (n * r)) {
        return 0;
    }
    /* The memory OpenSSL's scrypt allocates (B and V; n·r·p <= 2^23, so no overflow). */
    return 128 * r * (n + 2) + 128 * r * p <= TR_KEY_SCRYPT_MAX_MEM;
}

/* The encryption of sig must be PBES2 with scrypt or PBKDF2 within the limits, and a
 * cipher OpenSSL has. */
static int check_pbes2(const X509_SIG *sig, const char *path, struct tr_error *err)
{
    int rc = TR_OK;
    const X509_ALGOR *alg = NULL;
    PBE2PARAM *pbe2 = NULL;
    SCRYPT_PARAMS *sp = NULL;
    PBKDF2PARAM *kp = NULL;
    EVP_CIPHER *cipher = NULL;
    uint64_t n = 0, r = 0, p = 0, iter = 0;

    X509_SIG_get0(sig, &alg, NULL);
    if (OBJ_obj2nid(alg->algorithm) != NID_pbes2) {
        rc = tr_error_set(err, TR_EPARSE,
                          "key file '%s' uses an unsupported encryption (not PBES2)", path);
        goto out;
    }
    pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
    if (pbe2 == NULL) {
        rc = tr_error_set(err, TR_EPARSE, "key file '%s' is damaged (PBES2 parameters)", path);
        goto out;
    }
    switch (OBJ_obj2nid(pbe2->keyfunc->algorithm)) {
    case NID_id_scrypt:
        sp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), pbe2->keyfunc->parameter);
        if (sp == NULL || ASN1_INTEGER_get_uint64(&n, sp->costParameter) != 1 ||
            ASN1_INTEGER_get_uint64(&r, sp->blockSize) != 1 ||
            ASN1_INTEGER_get_uint64(&p, sp->parallelizationParameter) != 1) {
            rc = tr_error_set(err, TR_EPARSE, "key file '%s' is damaged (scrypt parameters)", path);
            goto out;
        }
        if (!scrypt_ok(n, r, p)) {
            rc = tr_error_set(err, TR_ELIMIT,
                              "key file '%s' asks for scrypt N=%llu r=%llu p=%llu, outside "
                              "the accepted range",
                              path, (unsigned long long)n, (unsigned long long)r,
                              (unsigned long long)p);
            goto out;
        }
        break;
    case NID_id_pbkdf2:
        kp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter);
        if (kp == NULL || ASN1_INTEGER_get_uint64(&iter, kp->iter) != 1) {
            rc = tr_error_set(err, TR_EPARSE, "key file '%s' is damaged (PBKDF2 parameters)", path);
            goto out;
        }
        if (iter == 0 || iter > TR_KEY_PBKDF2_MAX_ITER) {
            rc = tr_error_set(err, TR_ELIMIT,
                              "key file '%s' asks for %llu PBKDF2 iterations, outside the "
                              "accepted range (1 to %u)",
                              path, (unsigned long long)iter, TR_KEY_PBKDF2_MAX_ITER);
            goto out;
        }
        break;
    default:
        rc = tr_error_set(err, TR_EPARSE,
                          "key file '%s' uses an unsupported key derivation (not scrypt or "
                          "PBKDF2)",
                          path);
        goto out;
    }
    const char *name = OBJ_nid2sn(OBJ_obj2nid(pbe2->encryption->algorithm));
    cipher = name != NULL ? EVP_CIPHER_fetch(NULL, name, NULL) : NULL;
    if (cipher == NULL) {
        rc = tr_error_set(err, TR_EPARSE, "key file '%s' uses an unsupported cipher", path);
        goto out;
    }
out:
    EVP_CIPHER_free(cipher);
    PBKDF2PARAM_free(kp);
    SCRYPT_PARAMS_free(sp);
    PBE2PARAM_free(pbe2);
    return rc;
}

/* 1 when p[0..n) holds only ASCII whitespace. */
static int only_space(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') {
            return 0;
        }
    }
    return 1;
}

/*
 * Decode the PEM PKCS#8 text data[0..len) of the key file path into seed. On failure seed
 * is zeroed. Every intermediate copy of the key is wiped (PEM_FLAG_SECURE, clear_free, and
 * OpenSSL cleanses a PKCS8_PRIV_KEY_INFO when it frees it).
 */
static int decode_pem(const unsigned char *data, size_t len, const char *path, const char *pass,
                      unsigned char seed[TR_ED25519_SEED_LEN], struct tr_error *err)
{
    static const char begin[] = "-----BEGIN ";
    int rc = TR_OK;
    BIO *bio = NULL;
    char *name = NULL, *header = NULL;
    unsigned char *der = NULL;
    long der_len = 0;
    X509_SIG *sig = NULL;
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    EVP_PKEY *pk = NULL;
    size_t seed_len = TR_ED25519_SEED_LEN;

    ERR_set_mark();
    if (len < sizeof begin - 1 || memcmp(data, begin, sizeof begin - 1) != 0 || len > INT_MAX) {
        rc = tr_error_set(err, TR_EPARSE, "key file '%s' is not PEM", path);
        goto out;
    }
    bio = BIO_new_mem_buf(data, (int)len);
    if (bio == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    if (PEM_read_bio_ex(bio, &name, &header, &der, &der_len,
                        PEM_FLAG_SECURE | PEM_FLAG_EAY_COMPATIBLE) != 1) {
        rc = tr_error_set(err, TR_EPARSE, "key file '%s' is not valid PEM", path);
        goto out;
    }
    unsigned char *rest = NULL;
    long rest_len = BIO_get_mem_data(bio, &rest);
    if (rest_len > 0 && !only_space(rest, (size_t)rest_len)) {
        rc = tr_error_set(err, TR_EPARSE, "key file '%s' has data after the key", path);
        goto out;
    }
    if (header[0] != '\0') {
        rc = tr_error_set(err, TR_EPARSE,
                          "key file '%s' has PEM headers (legacy encryption is not supported)",
                          path);
        goto out;
    }
    const unsigned char *p = der;
    if (strcmp(name, TR_KEY_PEM_LABEL) == 0) {
        p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, der_len);
        if (p8 == NULL || p != der + der_len) {
            rc = tr_error_set(err, TR_EPARSE, "key file '%s' is damaged (invalid PKCS#8)", path);
            goto out;
        }
    } else if (strcmp(name, TR_KEY_PEM_LABEL_ENCRYPTED) == 0) {
        if (pass == NULL) {
            rc = tr_error_set(err, TR_EPASS,
                              "key file '%s' is encrypted and no passphrase was given", path);
            goto out;
        }
        size_t pass_len = strlen(pass);
        sig = d2i_X509_SIG(NULL, &p, der_len);
        if (sig == NULL || p != der + der_len) {
            rc = tr_error_set(err, TR_EPARSE, "key file '%s' is damaged (invalid PKCS#8)", path);
            goto out;
        }
        rc = check_pbes2(sig, path, err);
        if (rc != TR_OK) {
            goto out;
        }
        p8 = pass_len <= INT_MAX ? PKCS8_decrypt_ex(sig, pass, (int)pass_len, NULL, NULL) : NULL;
        if (p8 == NULL) {
            if (ERR_GET_REASON(ERR_peek_last_error()) == ERR_R_MALLOC_FAILURE) {
                rc = tr_error_set(err, TR_ENOMEM, "out of memory");
            } else {
                rc = tr_error_set(err, TR_EPASS, "wrong passphrase for '%s'", path);
            }
            goto out;
        }
    } else {
        rc = tr_error_set(err, TR_EPARSE, "key file '%s' holds a '%.40s', not a private key", path,
                          name);
        goto out;
    }
    pk = EVP_PKCS82PKEY_ex(p8, NULL, NULL);
    if (pk == NULL) {
        rc = tr_error_set(err, TR_EPARSE, "key file '%s' does not hold a usable private key", path);
        goto out;
    }
    if (!EVP_PKEY_is_a(pk, "ED25519")) {
        rc = tr_error_set(err, TR_EPARSE, "key file '%s' holds a key of type %s, not Ed25519", path,
                          EVP_PKEY_get0_type_name(pk));
        goto out;
    }
    if (EVP_PKEY_get_raw_private_key(pk, seed, &seed_len) != 1 || seed_len != TR_ED25519_SEED_LEN) {
        rc = tr_error_set(err, TR_ECRYPTO, "key file '%s': cannot extract the Ed25519 key", path);
        goto out;
    }
out:
    if (rc != TR_OK) {
        tr_wipe(seed, TR_ED25519_SEED_LEN);
    }
    EVP_PKEY_free(pk);
    PKCS8_PRIV_KEY_INFO_free(p8);
    X509_SIG_free(sig);
    OPENSSL_secure_clear_free(der, der_len > 0 ? (size_t)der_len : 0);
    OPENSSL_secure_free(header);
    OPENSSL_secure_free(name);
    BIO_free(bio);
    ERR_pop_to_mark();
    return rc;
}

/* The PEM text of key into *out (a secure memory BIO, freed with BIO_free). */
static int encode_pem(const struct tr_key *key, const char *pass, const struct tr_key_kdf *kdf,
                      BIO **out, struct tr_error *err)
{
    int rc = TR_OK;
    EVP_PKEY *pk = NULL;
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    X509_ALGOR *pbe = NULL;
    X509_SIG *sig = NULL;
    BIO *bio = BIO_new(BIO_s_secmem());

    ERR_set_mark();
    pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, key->seed, TR_ED25519_SEED_LEN);
    p8 = pk != NULL ? EVP_PKEY2PKCS8(pk) : NULL;
    if (bio == NULL || p8 == NULL) {
        rc = tr_error_set(err, TR_ECRYPTO, "cannot encode the key");
        goto out;
    }
    if (pass == NULL) {
        if (PEM_write_bio_PKCS8_PRIV_KEY_INFO(bio, p8) != 1) {
            rc = tr_error_set(err, TR_ECRYPTO, "cannot encode the key");
        }
        goto out;
    }
    pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), NULL, TR_KEY_SALT_LEN, NULL, kdf->n, kdf->r,
                                kdf->p);
    sig = pbe != NULL ? PKCS8_set0_pbe_ex(pass, (int)strlen(pass), p8, pbe, NULL, NULL) : NULL;
    if (sig != NULL) {
        pbe = NULL; /* now owned by sig */
    }
    if (sig == NULL || PEM_write_bio_PKCS8(bio, sig) != 1) {
        rc = tr_error_set(err, TR_ECRYPTO, "cannot encrypt the key");
        goto out;
    }
out:
    if (rc != TR_OK) {
        BIO_free(bio);
        bio = NULL;
    }
    X509_SIG_free(sig);
    X509_ALGOR_free(pbe);
    PKCS8_PRIV_KEY_INFO_free(p8);
    EVP_PKEY_free(pk);
    ERR_pop_to_mark();
    *out = bio;
    return rc;
}

/* Write all n bytes at p to fd. Returns 0 or -1 with errno set. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            if (w == 0) {
                errno = EIO;
            }
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/*
 * Create the file path (it must not exist), mode 0600, holding data[0..n), synced and
 * closed; on failure remove it again. name is the key file named in messages.
 */
static int create_file(const char *path, const char *name, const char *data, size_t n,
                       struct tr_error *err)
{
    int rc = TR_OK;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            rc = tr_error_set(err, TR_EEXIST, "key file '%s' already exists", name);
        } else {
            rc =
                tr_error_set(err, TR_EIO, "cannot create key file '%s': %s", name, strerror(errno));
        }
        return rc;
    }
    /* The umask may have taken the owner's bits away; the mode must be exactly 0600. */
    if (fchmod(fd, 0600) != 0) {
        rc = tr_error_set(err, TR_EIO, "cannot set the mode of key file '%s': %s", name,
                          strerror(errno));
        goto out;
    }
    if (write_all(fd, data, n) != 0) {
        rc = tr_error_set(err, TR_EIO, "cannot write key file '%s': %s", name, strerror(errno));
        goto out;
    }
    if (fsync(fd) != 0) {
        rc = tr_error_set(err, TR_EIO, "cannot sync key file '%s': %s", name, strerror(errno));
        goto out;
    }
    int closed = close(fd);
    fd = -1;
    if (closed != 0) {
        rc = tr_error_set(err, TR_EIO, "cannot close key file '%s': %s", name, strerror(errno));
        goto out;
    }
out:
    if (fd >= 0) {
        close(fd);
    }
    if (rc != TR_OK) {
        unlink(path);
    }
    return rc;
}

/* Replace path by a new file holding data[0..n): a temporary file beside it, renamed over it. */
static int replace_file(const char *path, const char *data, size_t n, struct tr_error *err)
{
    int rc = TR_OK;
    unsigned char rnd[8];
    struct tr_buf tmp;
    tr_buf_init(&tmp);
    if (tr_random(rnd, sizeof rnd) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "cannot get random bytes for a file name");
        goto out;
    }
    tr_buf_adds(&tmp, path);
    tr_buf_addc(&tmp, '.');
    tr_buf_addhex(&tmp, rnd, sizeof rnd);
    if (tr_buf_adds(&tmp, ".tmp") != TR_OK) {
        rc = tr_error_set(err, tmp.err, "%s", tr_strerror(tmp.err));
        goto out;
    }
    rc = create_file(tmp.data, path, data, n, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (rename(tmp.data, path) != 0) {
        rc = tr_error_set(err, TR_EIO, "cannot replace key file '%s': %s", path, strerror(errno));
        unlink(tmp.data);
        goto out;
    }
out:
    tr_buf_release(&tmp);
    return rc;
}

/* fsync the directory that holds path, so that its new entry survives a crash. */
static int sync_dir(const char *path, struct tr_error *err)
{
    int rc = TR_OK;
    int fd = -1;
    struct tr_buf dir;
    tr_buf_init(&dir);
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        tr_buf_adds(&dir, ".");
    } else {
        tr_buf_add(&dir, path, slash == path ? 1 : (size_t)(slash - path));
    }
    if (dir.err != TR_OK) {
        rc = tr_error_set(err, dir.err, "%s", tr_strerror(dir.err));
        goto out;
    }
    fd = open(dir.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    /* Some file systems cannot sync a directory (EINVAL); there is nothing more to do there. */
    if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL)) {
        rc = tr_error_set(err, TR_EIO, "cannot sync the directory of key file '%s': %s", path,
                          strerror(errno));
        goto out;
    }
out:
    if (fd >= 0) {
        close(fd);
    }
    tr_buf_release(&dir);
    return rc;
}

int tr_key_save(const struct tr_key *key, const char *path, const char *passphrase,
                const struct tr_key_kdf *kdf, unsigned flags, struct tr_error *err)
{
    static const struct tr_key_kdf defaults = {TR_KEY_SCRYPT_N, TR_KEY_SCRYPT_R, TR_KEY_SCRYPT_P};
    int rc = TR_OK;
    BIO *bio = NULL;
    unsigned char check[TR_ED25519_SEED_LEN];
    char *data = NULL;

    if (kdf == NULL) {
        kdf = &defaults;
    }
    if (passphrase != NULL && (passphrase[0] == '\0' || strlen(passphrase) > INT_MAX)) {
        rc = tr_error_set(err, TR_EINVAL, "the passphrase for key file '%s' is empty", path);
        goto out;
    }
    if (passphrase != NULL && !scrypt_ok(kdf->n, kdf->r, kdf->p)) {
        rc = tr_error_set(err, TR_EINVAL, "scrypt parameters N=%llu r=%llu p=%llu are out of range",
                          (unsigned long long)kdf->n, (unsigned long long)kdf->r,
                          (unsigned long long)kdf->p);
        goto out;
    }
    rc = encode_pem(key, passphrase, kdf, &bio, err);
    if (rc != TR_OK) {
        goto out;
    }
    long len = BIO_get_mem_data(bio, &data);
    if (len <= 0) {
        rc = tr_error_set(err, TR_ECRYPTO, "cannot encode the key");
        goto out;
    }
    /* Read back what will be written, before anything is on disk. */
    rc = decode_pem((const unsigned char *)data, (size_t)len, path, passphrase, check, err);
    if (rc == TR_OK && !tr_memeq_ct(check, key->seed, sizeof check)) {
        rc = tr_error_set(err, TR_ECRYPTO, "key file '%s': the encoded key does not read back",
                          path);
    }
    if (rc != TR_OK) {
        goto out;
    }
    if ((flags & TR_KEY_FORCE) != 0) {
        rc = replace_file(path, data, (size_t)len, err);
    } else {
        rc = create_file(path, path, data, (size_t)len, err);
    }
    if (rc != TR_OK) {
        goto out;
    }
    rc = sync_dir(path, err);
out:
    tr_wipe(check, sizeof check);
    BIO_free(bio); /* a secure memory BIO: cleared when freed */
    return rc;
}

/* Open path for reading a key: no symbolic link, a regular file, mode 0600 or stricter. */
static int open_key_file(const char *path, int *fd_out, struct tr_error *err)
{
    int rc = TR_OK;
    struct stat st;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
            rc = tr_error_set(err, TR_EPERM, "refusing key file '%s': it is a symbolic link", path);
        } else {
            rc = tr_error_set(err, TR_EIO, "cannot open key file '%s': %s", path, strerror(errno));
        }
        goto out;
    }
    if (fstat(fd, &st) != 0) {
        rc = tr_error_set(err, TR_EIO, "cannot open key file '%s': %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = tr_error_set(err, TR_EPERM, "refusing key file '%s': it is not a regular file", path);
        goto out;
    }
    if ((st.st_mode & (S_IRGRP | S_IROTH)) != 0) {
        rc = tr_error_set(err, TR_EPERM,
                          "refusing key file '%s': mode %04o lets others read it (chmod 600)", path,
                          (unsigned)(st.st_mode & 07777));
        goto out;
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        rc = tr_error_set(err, TR_EPERM,
                          "refusing key file '%s': mode %04o lets others change it (chmod 600)",
                          path, (unsigned)(st.st_mode & 07777));
        goto out;
    }
out:
    if (rc != TR_OK && fd >= 0) {
        close(fd);
        fd = -1;
    }
    *fd_out = fd;
    return rc;
}

int tr_key_load(const char *path, const char *passphrase, struct tr_key **out, struct tr_error *err)
{
    int rc = TR_OK;
    int fd = -1;
    unsigned char text[TR_KEY_FILE_MAX + 1];
    unsigned char seed[TR_ED25519_SEED_LEN];
    size_t len = 0;

    *out = NULL;
    rc = open_key_file(path, &fd, err);
    if (rc != TR_OK) {
        goto out;
    }
    while (len < sizeof text) {
        ssize_t r = read(fd, text + len, sizeof text - len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            rc = tr_error_set(err, TR_EIO, "cannot read key file '%s': %s", path, strerror(errno));
            goto out;
        }
        if (r == 0) {
            break;
        }
        len += (size_t)r;
    }
    if (len > TR_KEY_FILE_MAX) {
        rc = tr_error_set(err, TR_ELIMIT, "key file '%s' is larger than %d bytes", path,
                          TR_KEY_FILE_MAX);
        goto out;
    }
    rc = decode_pem(text, len, path, passphrase, seed, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = tr_key_from_seed(seed, out, err);
out:
    if (fd >= 0) {
        close(fd); /* read-only: nothing a failed close could lose */
    }
    tr_wipe(text, sizeof text);
    tr_wipe(seed, sizeof seed);
    return rc;
}

int tr_key_read_passphrase(const char *path, char out[TR_KEY_PASSPHRASE_MAX], struct tr_error *err)
{
    int rc = TR_OK;
    char buf[TR_KEY_PASSPHRASE_MAX];
    size_t len = 0;
    char *nl = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = tr_error_set(err, TR_EIO, "cannot open passphrase file '%s': %s", path,
                          strerror(errno));
        goto out;
    }
    while (nl == NULL && len < sizeof buf) {
        ssize_t r = read(fd, buf + len, sizeof buf - len);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            rc = tr_error_set(err, TR_EIO, "cannot read passphrase file '%s': %s", path,
                              strerror(errno));
            goto out;
        }
        if (r == 0) {
            break;
        }
        nl = memchr(buf + len, '\n', (size_t)r);
        len += (size_t)r;
    }
    size_t line = nl != NULL ? (size_t)(nl - buf) : len;
    if (line >= sizeof buf) {
        rc = tr_error_set(err, TR_ELIMIT, "passphrase in '%s' is longer than %d bytes", path,
                          TR_KEY_PASSPHRASE_MAX - 1);
        goto out;
    }
    if (nl != NULL && line > 0 && buf[line - 1] == '\r') {
        line--;
    }
    if (memchr(buf, '\0', line) != NULL) {
        rc = tr_error_set(err, TR_EPARSE, "passphrase file '%s' holds a NUL byte", path);
        goto out;
    }
    if (line == 0) {
        rc = tr_error_set(err, TR_EINVAL, "passphrase file '%s' is empty", path);
        goto out;
    }
    memcpy(out, buf, line);
    out[line] = '\0';
out:
    if (fd >= 0) {
        close(fd);
    }
    if (rc != TR_OK) {
        tr_wipe(out, TR_KEY_PASSPHRASE_MAX);
    }
    tr_wipe(buf, sizeof buf);
    return rc;
}
