/*
 * check_key.c — did:key and multibase keys against the vectors, key files (plain and
 * encrypted, refused modes and links, no silent overwrite) and passphrase files.
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "talentreg.h"
#include "tr_test.h"

#define DIDKEY_VECTORS "tests/vectors/didkey/ed25519.json"
#define DIDKEY_COUNT 6

/* Cheap scrypt for tests; production files use the TR_KEY_SCRYPT_* defaults. */
static const struct tr_key_kdf fast = {1024, 8, 1};

/* The W3C eddsa-jcs-2022 test key. */
static const char w3c_seed[] = "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6";
static const char w3c_secret[] = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
static const char w3c_public[] = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

/* ---- helpers ---- */

static char dir[64];

static void make_dir(void)
{
    strcpy(dir, "/tmp/check_key.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_dir(void)
{
    ck_assert_int_eq(nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}

/* A path in the test directory, in a static ring of buffers (valid for 4 calls). */
static const char *in_dir(const char *name)
{
    static char ring[4][128];
    static int next;
    char *out = ring[next++ % 4];
    snprintf(out, sizeof ring[0], "%s/%s", dir, name);
    return out;
}

/* The number of entries in the test directory. */
static int count_entries(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    closedir(d);
    return n;
}

static void write_text(const char *path, const char *text, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    ck_assert_int_eq(fchmod(fd, mode), 0);
    ck_assert_int_eq(close(fd), 0);
}

static struct tr_key *w3c_key(void)
{
    unsigned char seed[32];
    struct tr_key *key = NULL;
    test_unhex(w3c_seed, seed, 32);
    ck_assert_int_eq(tr_key_from_seed(seed, &key, NULL), TR_OK);
    return key;
}

/* The multibase of prefix ‖ n key bytes (all 0x11). */
static const char *multibase_of(unsigned char a, unsigned char b, size_t n)
{
    static char text[TR_MULTIBASE_SIZE(96)];
    unsigned char raw[96];
    ck_assert_uint_le(n + 2, sizeof raw);
    raw[0] = a;
    raw[1] = b;
    memset(raw + 2, 0x11, n);
    ck_assert_int_eq(tr_base58_encode_multibase(raw, n + 2, text, sizeof text, NULL), TR_OK);
    return text;
}

/* ---- did:key vectors ---- */

/* Entry i of the did:key vectors; aborts when there is none. */
static const struct tr_json *didkey_entry(const struct tr_json *doc, int i)
{
    ck_assert(tr_json_is(doc, TR_JSON_ARRAY));
    ck_assert_uint_lt((size_t)i, doc->u.array.len);
    return doc->u.array.items[i];
}

START_TEST(didkey_vectors_encode)
{
    struct tr_json *doc = test_json(DIDKEY_VECTORS);
    const struct tr_json *v = didkey_entry(doc, _i);
    unsigned char seed[32];
    struct tr_key *key = NULL;
    char mb[TR_KEY_MULTIBASE_SIZE], did[TR_KEY_DID_SIZE], vm[TR_KEY_VM_SIZE];
    test_unhex(test_str(v, "seedHex"), seed, 32);
    ck_assert_int_eq(tr_key_from_seed(seed, &key, NULL), TR_OK);
    ck_assert_str_eq(test_hex(key->seed, 32), test_str(v, "seedHex"));
    ck_assert_str_eq(test_hex(key->pub, 32), test_str(v, "publicKeyHex"));
    tr_key_public_multibase(key->pub, mb);
    tr_key_did(key->pub, did);
    tr_key_verification_method(key->pub, vm);
    ck_assert_str_eq(mb, test_str(v, "publicKeyMultibase"));
    ck_assert_str_eq(did, test_str(v, "did"));
    ck_assert_str_eq(vm, test_str(v, "verificationMethod"));
    ck_assert_uint_eq(strlen(mb), TR_KEY_MULTIBASE_LEN);
    ck_assert_uint_eq(strlen(did), TR_KEY_DID_LEN);
    ck_assert_uint_eq(strlen(vm), TR_KEY_VM_LEN);
    ck_assert_int_eq(strncmp(did, "did:key:z6Mk", 12), 0);
    tr_key_free(key);
    tr_json_free(doc);
}
END_TEST

START_TEST(didkey_vectors_decode)
{
    struct tr_json *doc = test_json(DIDKEY_VECTORS);
    const struct tr_json *v = didkey_entry(doc, _i);
    unsigned char pub[32];
    struct tr_error err = {0};
    const char *want = test_str(v, "publicKeyHex");
    ck_assert_int_eq(tr_key_parse_did(test_str(v, "did"), pub, &err), TR_OK);
    ck_assert_str_eq(test_hex(pub, 32), want);
    memset(pub, 0, sizeof pub);
    ck_assert_int_eq(tr_key_parse_did(test_str(v, "verificationMethod"), pub, &err), TR_OK);
    ck_assert_str_eq(test_hex(pub, 32), want);
    memset(pub, 0, sizeof pub);
    ck_assert_int_eq(
        tr_key_parse_public_multibase(test_str(v, "publicKeyMultibase"), pub, &err), TR_OK);
    ck_assert_str_eq(test_hex(pub, 32), want);
    tr_json_free(doc);
}
END_TEST

START_TEST(didkey_vector_count)
{
    struct tr_json *doc = test_json(DIDKEY_VECTORS);
    ck_assert(tr_json_is(doc, TR_JSON_ARRAY));
    ck_assert_uint_eq(doc->u.array.len, DIDKEY_COUNT);
    tr_json_free(doc);
}
END_TEST

static const struct {
    unsigned char a, b;
    size_t n;
    const char *msg; /* after "public key multibase 'S': " */
} bad_public[] = {
    {0xec, 0x01, 32, "multicodec 0xec is not ed25519-pub (0xed)"},    /* x25519-pub */
    {0xe7, 0x01, 33, "multicodec 0xe7 is not ed25519-pub (0xed)"},    /* secp256k1-pub */
    {0x80, 0x26, 32, "multicodec 0x1300 is not ed25519-pub (0xed)"},  /* ed25519-priv */
    {0xed, 0x81, 32, "multicodec 0x440ed is not ed25519-pub (0xed)"}, /* longer varint */
    {0xed, 0x01, 31, "an Ed25519 public key has 32 bytes, not 31"},
    {0xed, 0x01, 33, "an Ed25519 public key has 32 bytes, not 33"},
    {0xed, 0x01, 0, "an Ed25519 public key has 32 bytes, not 0"},
    {0xed, 0x01, 78, "an Ed25519 public key has 32 bytes, not 78"},
    {0xed, 0x01, 79, "base58 value is longer than 80 bytes"},
};

START_TEST(public_multibase_rejects_other_codecs_and_lengths)
{
    unsigned char pub[32];
    struct tr_error err = {0};
    char want[1024], did[256], vm[512];
    const char *mb = multibase_of(bad_public[_i].a, bad_public[_i].b, bad_public[_i].n);

    memset(pub, 0x55, sizeof pub);
    ck_assert_int_eq(tr_key_parse_public_multibase(mb, pub, &err), TR_EPARSE);
    snprintf(want, sizeof want, "public key multibase '%s': %s", mb, bad_public[_i].msg);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(err.code, TR_EPARSE);
    static const unsigned char zero[32];
    ck_assert_mem_eq(pub, zero, 32);

    snprintf(did, sizeof did, "did:key:%s", mb);
    ck_assert_int_eq(tr_key_parse_did(did, pub, &err), TR_EPARSE);
    snprintf(want, sizeof want, "did:key '%s': %s", did, bad_public[_i].msg);
    ck_assert_str_eq(err.msg, want);

    snprintf(vm, sizeof vm, "%s#%s", did, mb);
    ck_assert_int_eq(tr_key_parse_did(vm, pub, &err), TR_EPARSE);
    snprintf(want, sizeof want, "did:key '%s': %s", vm, bad_public[_i].msg);
    ck_assert_str_eq(err.msg, want);
}
END_TEST

START_TEST(public_multibase_rejects_bad_text)
{
    unsigned char pub[32];
    struct tr_error err = {0};
    ck_assert_int_eq(tr_key_parse_public_multibase("", pub, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "public key multibase '': multibase value is empty");
    ck_assert_int_eq(tr_key_parse_public_multibase("u7QE", pub, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg,
                     "public key multibase 'u7QE': multibase prefix 'u' is not base58btc ('z')");
    ck_assert_int_eq(tr_key_parse_public_multibase(
                         "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ0", pub, &err),
                     TR_EPARSE);
    ck_assert_str_eq(err.msg, "public key multibase "
                              "'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ0': invalid "
                              "base58 character '0' at offset 47");
    /* A varint that never ends. */
    static const unsigned char cont[] = {0xff};
    char text[16];
    ck_assert_int_eq(tr_base58_encode_multibase(cont, 1, text, sizeof text, NULL), TR_OK);
    ck_assert_int_eq(tr_key_parse_public_multibase(text, pub, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg,
                     "public key multibase 'z5Q': multicodec prefix is not a valid varint");
}
END_TEST

START_TEST(did_parse_rejects_other_methods_and_fragments)
{
    unsigned char pub[32];
    struct tr_error err = {0};
    ck_assert_int_eq(tr_key_parse_did("did:web:example.com", pub, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "'did:web:example.com' is not a did:key");
    ck_assert_int_eq(tr_key_parse_did(w3c_public, pub, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg,
                     "'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2' is not a did:key");
    ck_assert_int_eq(
        tr_key_parse_did("DID:KEY:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", pub, &err),
        TR_EPARSE);
    ck_assert_int_eq(tr_key_parse_did("did:key:", pub, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "did:key 'did:key:': multibase value is empty");
    /* The fragment of another key, an empty fragment, a longer one. */
    static const char *const frags[] = {
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        "#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#",
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2x",
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#key-1",
    };
    for (size_t i = 0; i < sizeof frags / sizeof frags[0]; i++) {
        char want[TR_ERROR_MAX];
        memset(pub, 0x55, sizeof pub);
        ck_assert_int_eq(tr_key_parse_did(frags[i], pub, &err), TR_EPARSE);
        snprintf(want, sizeof want, "verification method '%s': fragment does not match the did",
                 frags[i]);
        ck_assert_str_eq(err.msg, want);
        ck_assert_int_eq(pub[0], 0);
    }
    /* Anything after the multibase other than the fragment is not base58. */
    ck_assert_int_eq(
        tr_key_parse_did("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2?x=1", pub, &err),
        TR_EPARSE);
    ck_assert_str_eq(err.msg,
                     "did:key 'did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2?x=1': "
                     "invalid base58 character '?' at offset 48");
}
END_TEST

/* ---- multibase secret keys: the keyPair of every eddsa-jcs-2022 vector ---- */

/* Check the keyPair of the eddsa-jcs-2022 vector at path; returns the length of its
 * secretKeyMultibase. */
static size_t check_key_pair(const char *path)
{
    struct tr_json *doc = test_json(path);
    const struct tr_json *pair = tr_json_object_get(doc, "keyPair");
    const char *public_mb = test_str(pair, "publicKeyMultibase");
    const char *secret_mb = test_str(pair, "secretKeyMultibase");
    const char *public_hex = test_str(pair, "publicKeyHex");
    const char *seed_hex = test_str(pair, "secretSeedHex");
    size_t secret_len = strlen(secret_mb);
    unsigned char pub[32];
    struct tr_key *key = NULL;
    struct tr_error err = {0};
    char mb[TR_KEY_MULTIBASE_SIZE];

    ck_assert_msg(tr_key_parse_public_multibase(public_mb, pub, &err) == TR_OK, "%s: %s", path,
                  err.msg);
    ck_assert_str_eq(test_hex(pub, 32), public_hex);
    ck_assert_msg(tr_key_parse_secret_multibase(secret_mb, &key, &err) == TR_OK, "%s: %s", path,
                  err.msg);
    ck_assert_str_eq(test_hex(key->seed, 32), seed_hex);
    ck_assert_str_eq(test_hex(key->pub, 32), public_hex);
    tr_key_public_multibase(key->pub, mb);
    ck_assert_str_eq(mb, public_mb);
    /* The 34-byte form encodes back to itself; the 66-byte form is 91 characters. */
    tr_key_secret_multibase(key, mb);
    if (secret_len == TR_KEY_MULTIBASE_LEN) {
        ck_assert_str_eq(mb, secret_mb);
    } else {
        ck_assert_uint_eq(secret_len, 91);
    }
    /* Where the proof names a did:key, it is this key's. */
    const char *vm = test_str(doc, "verificationMethod");
    if (strncmp(vm, "did:key:", 8) == 0) {
        ck_assert_int_eq(tr_key_parse_did(vm, pub, &err), TR_OK);
        ck_assert_str_eq(test_hex(pub, 32), public_hex);
    }
    tr_key_free(key);
    tr_json_free(doc);
    return secret_len;
}

START_TEST(every_eddsa_vector_key_pair_decodes)
{
    glob_t g;
    int short_form = 0, long_form = 0;
    ck_assert_int_eq(glob("tests/vectors/eddsa-jcs-2022/*.json", 0, NULL, &g), 0);
    ck_assert_uint_ge(g.gl_pathc, 4);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        size_t len = check_key_pair(g.gl_pathv[i]);
        short_form += len == TR_KEY_MULTIBASE_LEN;
        long_form += len == 91;
    }
    /* Both secret forms are exercised. */
    ck_assert_int_ge(short_form, 1);
    ck_assert_int_ge(long_form, 1);
    ck_assert_int_eq(short_form + long_form, (int)g.gl_pathc);
    globfree(&g);
}
END_TEST

START_TEST(secret_multibase_round_trips)
{
    struct tr_key *key = w3c_key(), *back = NULL;
    char mb[TR_KEY_MULTIBASE_SIZE];
    tr_key_secret_multibase(key, mb);
    ck_assert_str_eq(mb, w3c_secret);
    ck_assert_int_eq(tr_key_parse_secret_multibase(mb, &back, NULL), TR_OK);
    ck_assert_mem_eq(back->seed, key->seed, 32);
    ck_assert_mem_eq(back->pub, key->pub, 32);
    tr_key_free(back);
    tr_key_free(key);
}
END_TEST

START_TEST(secret_multibase_rejects_bad_values)
{
    struct tr_key *key = w3c_key(), *back = (struct tr_key *)1;
    struct tr_error err = {0};
    unsigned char raw[66];
    char text[TR_MULTIBASE_SIZE(66)];

    /* 64-byte form whose public half belongs to another seed. */
    raw[0] = 0x80;
    raw[1] = 0x26;
    memcpy(raw + 2, key->seed, 32);
    memcpy(raw + 34, key->pub, 32);
    raw[65] ^= 1;
    ck_assert_int_eq(tr_base58_encode_multibase(raw, 66, text, sizeof text, NULL), TR_OK);
    ck_assert_int_eq(tr_key_parse_secret_multibase(text, &back, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "secret key multibase: the public key does not match the seed");
    ck_assert_ptr_null(back);

    ck_assert_int_eq(tr_key_parse_secret_multibase(multibase_of(0x80, 0x26, 33), &back, &err),
                     TR_EPARSE);
    ck_assert_str_eq(err.msg, "secret key multibase: an Ed25519 secret key has 32 or 64 bytes, "
                              "not 33");
    ck_assert_int_eq(tr_key_parse_secret_multibase(multibase_of(0x80, 0x26, 63), &back, &err),
                     TR_EPARSE);
    ck_assert_str_eq(err.msg, "secret key multibase: an Ed25519 secret key has 32 or 64 bytes, "
                              "not 63");
    ck_assert_int_eq(tr_key_parse_secret_multibase(multibase_of(0xed, 0x01, 32), &back, &err),
                     TR_EPARSE);
    ck_assert_str_eq(err.msg, "secret key multibase: multicodec 0xed is not ed25519-priv (0x1300)");
    ck_assert_int_eq(tr_key_parse_secret_multibase(multibase_of(0x81, 0x26, 32), &back, &err),
                     TR_EPARSE);
    ck_assert_str_eq(err.msg,
                     "secret key multibase: multicodec 0x1301 is not ed25519-priv (0x1300)");
    /* Messages never show the secret. */
    ck_assert_int_eq(tr_key_parse_secret_multibase(
                         "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjx0", &back, &err),
                     TR_EPARSE);
    ck_assert_str_eq(err.msg, "secret key multibase: invalid base58 character '0' at offset 47");
    ck_assert_int_eq(tr_key_parse_secret_multibase("", &back, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "secret key multibase: multibase value is empty");
    tr_key_free(key);
}
END_TEST

START_TEST(generate_makes_distinct_keys)
{
    struct tr_key *a = NULL, *b = NULL;
    unsigned char pub[32];
    ck_assert_int_eq(tr_key_generate(&a, NULL), TR_OK);
    ck_assert_int_eq(tr_key_generate(&b, NULL), TR_OK);
    ck_assert_int_ne(memcmp(a->seed, b->seed, 32), 0);
    ck_assert_int_eq(tr_ed25519_public(a->seed, pub), TR_OK);
    ck_assert_mem_eq(pub, a->pub, 32);
    tr_key_free(a);
    tr_key_free(b);
    tr_key_free(NULL);
}
END_TEST

/* ---- key files ---- */

/* The W3C key as `openssl genpkey` writes an Ed25519 key: PKCS#8 v1, no public key. */
static const char w3c_pem[] = "-----BEGIN PRIVATE KEY-----\n"
                              "MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W\n"
                              "-----END PRIVATE KEY-----\n";

START_TEST(plain_file_is_pkcs8_pem_mode_0600)
{
    struct tr_key *key = w3c_key(), *back = NULL;
    struct stat st;
    make_dir();
    const char *path = in_dir("k.pem");
    ck_assert_int_eq(tr_key_save(key, path, NULL, NULL, 0, NULL), TR_OK);
    char *text = test_read(path, NULL);
    ck_assert_str_eq(text, w3c_pem);
    ck_assert_int_eq(lstat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);
    ck_assert_int_eq(tr_key_load(path, NULL, &back, NULL), TR_OK);
    ck_assert_mem_eq(back->seed, key->seed, 32);
    ck_assert_mem_eq(back->pub, key->pub, 32);
    /* A passphrase is not needed, and not refused, for a plain file. */
    tr_key_free(back);
    ck_assert_int_eq(tr_key_load(path, "unused", &back, NULL), TR_OK);
    ck_assert_mem_eq(back->seed, key->seed, 32);
    tr_key_free(back);
    tr_key_free(key);
    free(text);
    remove_dir();
}
END_TEST

START_TEST(mode_is_0600_whatever_the_umask)
{
    struct tr_key *key = w3c_key();
    struct stat st;
    make_dir();
    mode_t old = umask(0);
    ck_assert_int_eq(tr_key_save(key, in_dir("a.pem"), NULL, NULL, 0, NULL), TR_OK);
    umask(0377);
    ck_assert_int_eq(tr_key_save(key, in_dir("b.pem"), NULL, NULL, 0, NULL), TR_OK);
    umask(old);
    ck_assert_int_eq(stat(in_dir("a.pem"), &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);
    ck_assert_int_eq(stat(in_dir("b.pem"), &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);
    tr_key_free(key);
    remove_dir();
}
END_TEST

START_TEST(encrypted_file_round_trips)
{
    struct tr_key *key = NULL, *back = NULL;
    struct tr_error err = {0};
    struct stat st;
    make_dir();
    const char *path = in_dir("e.pem");
    ck_assert_int_eq(tr_key_generate(&key, NULL), TR_OK);
    ck_assert_int_eq(tr_key_save(key, path, "correct horse", &fast, 0, &err), TR_OK);
    char *text = test_read(path, NULL);
    ck_assert_int_eq(strncmp(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n", 38), 0);
    ck_assert_ptr_nonnull(strstr(text, "-----END ENCRYPTED PRIVATE KEY-----\n"));
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);
    ck_assert_int_eq(tr_key_load(path, "correct horse", &back, &err), TR_OK);
    ck_assert_mem_eq(back->seed, key->seed, 32);
    ck_assert_mem_eq(back->pub, key->pub, 32);
    tr_key_free(back);

    char want[TR_ERROR_MAX];
    back = (struct tr_key *)1;
    ck_assert_int_eq(tr_key_load(path, "correct horsf", &back, &err), TR_EPASS);
    snprintf(want, sizeof want, "wrong passphrase for '%s'", path);
    ck_assert_str_eq(err.msg, want);
    ck_assert_ptr_null(back);
    ck_assert_int_eq(tr_key_load(path, NULL, &back, &err), TR_EPASS);
    snprintf(want, sizeof want, "key file '%s' is encrypted and no passphrase was given", path);
    ck_assert_str_eq(err.msg, want);
    tr_key_free(key);
    free(text);
    remove_dir();
}
END_TEST

/* The same file, two salts: encryption is randomised. */
START_TEST(encrypted_files_differ_for_one_key)
{
    struct tr_key *key = w3c_key();
    make_dir();
    ck_assert_int_eq(tr_key_save(key, in_dir("1.pem"), "pw", &fast, 0, NULL), TR_OK);
    ck_assert_int_eq(tr_key_save(key, in_dir("2.pem"), "pw", &fast, 0, NULL), TR_OK);
    char *a = test_read(in_dir("1.pem"), NULL);
    char *b = test_read(in_dir("2.pem"), NULL);
    ck_assert_str_ne(a, b);
    free(a);
    free(b);
    tr_key_free(key);
    remove_dir();
}
END_TEST

START_TEST(save_rejects_empty_passphrase_and_bad_cost)
{
    struct tr_key *key = w3c_key();
    struct tr_error err = {0};
    struct stat st;
    make_dir();
    const char *path = in_dir("k.pem");
    ck_assert_int_eq(tr_key_save(key, path, "", &fast, 0, &err), TR_EINVAL);
    char want[TR_ERROR_MAX];
    snprintf(want, sizeof want, "the passphrase for key file '%s' is empty", path);
    ck_assert_str_eq(err.msg, want);
    static const struct tr_key_kdf bad[] = {
        {1000, 8, 1},            /* not a power of two */
        {1, 8, 1},               /* too small */
        {1024, 0, 1},            /* r = 0 */
        {1024, 8, 0},            /* p = 0 */
        {32768, 8, 1},           /* 32 MiB and more */
        {16384, 8, 65},          /* over the work limit */
        {1u << 30, 1u << 30, 1}, /* overflow */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(tr_key_save(key, path, "pw", &bad[i], 0, &err), TR_EINVAL);
        snprintf(want, sizeof want, "scrypt parameters N=%llu r=%llu p=%llu are out of range",
                 (unsigned long long)bad[i].n, (unsigned long long)bad[i].r,
                 (unsigned long long)bad[i].p);
        ck_assert_str_eq(err.msg, want);
    }
    ck_assert_int_eq(lstat(path, &st), -1);
    tr_key_free(key);
    remove_dir();
}
END_TEST

START_TEST(save_refuses_existing_file_without_force)
{
    struct tr_key *key = w3c_key(), *other = NULL, *back = NULL;
    struct tr_error err = {0};
    char want[TR_ERROR_MAX];
    make_dir();
    const char *path = in_dir("k.pem");
    write_text(path, "keep me\n", 8, 0600);
    ck_assert_int_eq(tr_key_save(key, path, NULL, NULL, 0, &err), TR_EEXIST);
    snprintf(want, sizeof want, "key file '%s' already exists", path);
    ck_assert_str_eq(err.msg, want);
    char *text = test_read(path, NULL);
    ck_assert_str_eq(text, "keep me\n");
    free(text);

    /* A symbolic link, even a dangling one, is never followed. */
    const char *link = in_dir("link.pem");
    ck_assert_int_eq(symlink(in_dir("target.pem"), link), 0);
    ck_assert_int_eq(tr_key_save(key, link, NULL, NULL, 0, &err), TR_EEXIST);
    ck_assert_int_eq(access(in_dir("target.pem"), F_OK), -1);

    /* With force, the file is replaced, and nothing else is left in the directory. */
    ck_assert_int_eq(tr_key_generate(&other, NULL), TR_OK);
    ck_assert_int_eq(tr_key_save(other, path, NULL, NULL, TR_KEY_FORCE, &err), TR_OK);
    ck_assert_int_eq(tr_key_load(path, NULL, &back, &err), TR_OK);
    ck_assert_mem_eq(back->seed, other->seed, 32);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);
    ck_assert_int_eq(count_entries(), 2);
    /* Force on a new path creates it. */
    ck_assert_int_eq(tr_key_save(other, in_dir("new.pem"), NULL, NULL, TR_KEY_FORCE, &err), TR_OK);
    tr_key_free(back);
    tr_key_free(other);
    tr_key_free(key);
    remove_dir();
}
END_TEST

START_TEST(save_reports_missing_directory)
{
    struct tr_key *key = w3c_key();
    struct tr_error err = {0};
    ck_assert_int_eq(tr_key_save(key, "/nonexistent-dir/k.pem", NULL, NULL, 0, &err), TR_EIO);
    ck_assert_str_eq(err.msg,
                     "cannot create key file '/nonexistent-dir/k.pem': No such file or directory");
    ck_assert_int_eq(tr_key_save(key, "/nonexistent-dir/k.pem", NULL, NULL, TR_KEY_FORCE, &err),
                     TR_EIO);
    ck_assert_str_eq(err.msg,
                     "cannot create key file '/nonexistent-dir/k.pem': No such file or directory");
    tr_key_free(key);
}
END_TEST

START_TEST(load_refuses_loose_modes)
{
    static const struct {
        mode_t mode;
        const char *what;
    } modes[] = {
        {0644, "mode 0644 lets others read it"},   {0640, "mode 0640 lets others read it"},
        {0604, "mode 0604 lets others read it"},   {0620, "mode 0620 lets others change it"},
        {0602, "mode 0602 lets others change it"},
    };
    struct tr_key *back = NULL;
    struct tr_error err = {0};
    char want[TR_ERROR_MAX];
    make_dir();
    const char *path = in_dir("k.pem");
    write_text(path, w3c_pem, strlen(w3c_pem), 0600);
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        ck_assert_int_eq(chmod(path, modes[i].mode), 0);
        ck_assert_int_eq(tr_key_load(path, NULL, &back, &err), TR_EPERM);
        snprintf(want, sizeof want, "refusing key file '%s': %s (chmod 600)", path, modes[i].what);
        ck_assert_str_eq(err.msg, want);
        ck_assert_ptr_null(back);
    }
    /* Owner-only modes are fine. */
    ck_assert_int_eq(chmod(path, 0400), 0);
    ck_assert_int_eq(tr_key_load(path, NULL, &back, &err), TR_OK);
    tr_key_free(back);
    remove_dir();
}
END_TEST

START_TEST(load_refuses_symlinks_and_special_files)
{
    struct tr_key *back = NULL;
    struct tr_error err = {0};
    char want[TR_ERROR_MAX];
    make_dir();
    const char *path = in_dir("k.pem");
    const char *link = in_dir("link.pem");
    write_text(path, w3c_pem, strlen(w3c_pem), 0600);
    ck_assert_int_eq(symlink(path, link), 0);
    ck_assert_int_eq(tr_key_load(link, NULL, &back, &err), TR_EPERM);
    snprintf(want, sizeof want, "refusing key file '%s': it is a symbolic link", link);
    ck_assert_str_eq(err.msg, want);

    ck_assert_int_eq(tr_key_load(dir, NULL, &back, &err), TR_EPERM);
    snprintf(want, sizeof want, "refusing key file '%s': it is not a regular file", dir);
    ck_assert_str_eq(err.msg, want);

    const char *fifo = in_dir("fifo");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    ck_assert_int_eq(tr_key_load(fifo, NULL, &back, &err), TR_EPERM);
    snprintf(want, sizeof want, "refusing key file '%s': it is not a regular file", fifo);
    ck_assert_str_eq(err.msg, want);

    ck_assert_int_eq(tr_key_load(in_dir("missing.pem"), NULL, &back, &err), TR_EIO);
    snprintf(want, sizeof want, "cannot open key file '%s': No such file or directory",
             in_dir("missing.pem"));
    ck_assert_str_eq(err.msg, want);
    remove_dir();
}
END_TEST

static const struct {
    const char *text;
    int code;
    const char *msg; /* after "key file 'PATH' " */
} bad_files[] = {
    {"", TR_EPARSE, "is not PEM"},
    {"hello\n", TR_EPARSE, "is not PEM"},
    {"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIMlu+eoQ\n", TR_EPARSE, "is not valid PEM"},
    {"-----BEGIN PRIVATE KEY-----\n"
     "MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W\n"
     "-----END PRIVATE KEY-----\n"
     "trailing\n",
     TR_EPARSE, "has data after the key"},
    {"-----BEGIN PRIVATE KEY-----\n"
     "MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W\n"
     "-----END PRIVATE KEY-----\n"
     "-----BEGIN PRIVATE KEY-----\n"
     "MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W\n"
     "-----END PRIVATE KEY-----\n",
     TR_EPARSE, "has data after the key"},
    /* One byte short of the DER. */
    {"-----BEGIN PRIVATE KEY-----\n"
     "MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uKw==\n"
     "-----END PRIVATE KEY-----\n",
     TR_EPARSE, "is damaged (invalid PKCS#8)"},
    {"-----BEGIN PUBLIC KEY-----\n"
     "MCowBQYDK2VwAyEAsA2Nk45/dz1RVlqtNqYj9TRPf10ZYPnPPo4SYg6igQ8=\n"
     "-----END PUBLIC KEY-----\n",
     TR_EPARSE, "holds a 'PUBLIC KEY', not a private key"},
    {"-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
     "MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W\n"
     "-----END ENCRYPTED PRIVATE KEY-----\n",
     TR_EPARSE, "is damaged (invalid PKCS#8)"},
    {"-----BEGIN PRIVATE KEY-----\n"
     "Proc-Type: 4,ENCRYPTED\n"
     "DEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n"
     "\n"
     "MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W\n"
     "-----END PRIVATE KEY-----\n",
     TR_EPARSE, "has PEM headers (legacy encryption is not supported)"},
    /* An X25519 key (OID 1.3.101.110). */
    {"-----BEGIN PRIVATE KEY-----\n"
     "MC4CAQAwBQYDK2VuBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W\n"
     "-----END PRIVATE KEY-----\n",
     TR_EPARSE, "holds a key of type X25519, not Ed25519"},
};

START_TEST(load_rejects_malformed_files)
{
    struct tr_key *back = NULL;
    struct tr_error err = {0};
    char want[TR_ERROR_MAX];
    make_dir();
    const char *path = in_dir("k.pem");
    write_text(path, bad_files[_i].text, strlen(bad_files[_i].text), 0600);
    ck_assert_int_eq(tr_key_load(path, "pw", &back, &err), bad_files[_i].code);
    snprintf(want, sizeof want, "key file '%s' %s", path, bad_files[_i].msg);
    ck_assert_str_eq(err.msg, want);
    ck_assert_ptr_null(back);
    remove_dir();
}
END_TEST

START_TEST(load_rejects_oversized_file)
{
    struct tr_key *back = NULL;
    struct tr_error err = {0};
    char want[TR_ERROR_MAX];
    static char big[TR_KEY_FILE_MAX + 1];
    memset(big, '\n', sizeof big);
    memcpy(big, w3c_pem, strlen(w3c_pem));
    make_dir();
    const char *path = in_dir("k.pem");
    write_text(path, big, TR_KEY_FILE_MAX, 0600);
    ck_assert_int_eq(tr_key_load(path, NULL, &back, &err), TR_OK);
    tr_key_free(back);
    write_text(path, big, sizeof big, 0600);
    ck_assert_int_eq(tr_key_load(path, NULL, &back, &err), TR_ELIMIT);
    snprintf(want, sizeof want, "key file '%s' is larger than 8192 bytes", path);
    ck_assert_str_eq(err.msg, want);
    remove_dir();
}
END_TEST

/* Write key as an encrypted PKCS#8 PEM through OpenSSL directly, with PBKDF2. */
static void write_pbkdf2_file(const char *path, const struct tr_key *key, int iter)
{
    EVP_PKEY *pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, key->seed, 32);
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(pk);
    X509_SIG *sig = PKCS8_encrypt_ex(-1, EVP_aes_128_cbc(), "pw", 2, NULL, 0, iter, p8, NULL, NULL);
    ck_assert_ptr_nonnull(sig);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(PEM_write_PKCS8(f, sig), 1);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(path, 0600), 0);
    X509_SIG_free(sig);
    PKCS8_PRIV_KEY_INFO_free(p8);
    EVP_PKEY_free(pk);
}

START_TEST(load_reads_pbkdf2_files_of_other_tools)
{
    struct tr_key *key = w3c_key(), *back = NULL;
    struct tr_error err = {0};
    make_dir();
    const char *path = in_dir("p.pem");
    write_pbkdf2_file(path, key, 2048);
    ck_assert_int_eq(tr_key_load(path, "pw", &back, &err), TR_OK);
    ck_assert_mem_eq(back->seed, key->seed, 32);
    tr_key_free(back);
    ck_assert_int_eq(tr_key_load(path, "pv", &back, &err), TR_EPASS);
    tr_key_free(key);
    remove_dir();
}
END_TEST

/*
 * Write an encrypted PKCS#8 file whose encryption is pbe (taken over) and whose ciphertext
 * is filler: the checks of the parameters come before any decryption.
 */
static void write_encrypted_stub(const char *path, X509_ALGOR *pbe)
{
    X509_SIG *sig = X509_SIG_new();
    X509_ALGOR *alg = NULL;
    ASN1_OCTET_STRING *digest = NULL;
    ck_assert_ptr_nonnull(sig);
    ck_assert_ptr_nonnull(pbe);
    X509_SIG_getm(sig, &alg, &digest);
    ck_assert_int_eq(X509_ALGOR_copy(alg, pbe), 1);
    ck_assert_int_eq(ASN1_OCTET_STRING_set(digest, (const unsigned char *)"0123456789abcdef", 16),
                     1);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(PEM_write_PKCS8(f, sig), 1);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(chmod(path, 0600), 0);
    X509_ALGOR_free(pbe);
    X509_SIG_free(sig);
}

START_TEST(load_refuses_hostile_kdf_cost)
{
    struct tr_key *back = NULL;
    struct tr_error err = {0};
    char want[TR_ERROR_MAX];
    make_dir();
    const char *path = in_dir("s.pem");

    write_encrypted_stub(path,
                         PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), NULL, 16, NULL, 16384, 8, 127));
    ck_assert_int_eq(tr_key_load(path, "pw", &back, &err), TR_ELIMIT);
    snprintf(want, sizeof want,
             "key file '%s' asks for scrypt N=16384 r=8 p=127, outside the accepted range", path);
    ck_assert_str_eq(err.msg, want);

    write_encrypted_stub(
        path, PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), 10000001, NULL, 16, NULL, NID_hmacWithSHA256));
    ck_assert_int_eq(tr_key_load(path, "pw", &back, &err), TR_ELIMIT);
    snprintf(want, sizeof want,
             "key file '%s' asks for 10000001 PBKDF2 iterations, outside the accepted range "
             "(1 to 10000000)",
             path);
    ck_assert_str_eq(err.msg, want);

    /* Within the limits, the filler is refused as a wrong passphrase. */
    write_encrypted_stub(
        path, PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), 1000, NULL, 16, NULL, NID_hmacWithSHA256));
    ck_assert_int_eq(tr_key_load(path, "pw", &back, &err), TR_EPASS);

    /* PKCS#12 PBE, not PBES2. */
    write_encrypted_stub(path,
                         PKCS5_pbe_set(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, 1000, NULL, 8));
    ck_assert_int_eq(tr_key_load(path, "pw", &back, &err), TR_EPARSE);
    snprintf(want, sizeof want, "key file '%s' uses an unsupported encryption (not PBES2)", path);
    ck_assert_str_eq(err.msg, want);
    ck_assert_ptr_null(back);
    remove_dir();
}
END_TEST

/* ---- passphrase files ---- */

static const struct {
    const char *text;
    size_t len;
    const char *want;
} passphrases[] = {
    {"secret\n", 7, "secret"},
    {"secret", 6, "secret"},
    {"secret\r\n", 8, "secret"},
    {"two words \nsecond line\n", 23, "two words "},
    {"\xe5\xaf\x86\xe7\xa0\x81\n", 7, "\xe5\xaf\x86\xe7\xa0\x81"},
    {"cr\rinside\n", 10, "cr\rinside"},
};

START_TEST(passphrase_is_first_line)
{
    char pass[TR_KEY_PASSPHRASE_MAX];
    struct tr_error err = {0};
    make_dir();
    const char *path = in_dir("pass");
    write_text(path, passphrases[_i].text, passphrases[_i].len, 0600);
    ck_assert_int_eq(tr_key_read_passphrase(path, pass, &err), TR_OK);
    ck_assert_str_eq(pass, passphrases[_i].want);
    remove_dir();
}
END_TEST

START_TEST(passphrase_file_errors)
{
    char pass[TR_KEY_PASSPHRASE_MAX];
    char want[TR_ERROR_MAX];
    static char long_line[TR_KEY_PASSPHRASE_MAX + 1];
    struct tr_error err = {0};
    make_dir();
    const char *path = in_dir("pass");

    write_text(path, "", 0, 0600);
    ck_assert_int_eq(tr_key_read_passphrase(path, pass, &err), TR_EINVAL);
    snprintf(want, sizeof want, "passphrase file '%s' is empty", path);
    ck_assert_str_eq(err.msg, want);
    write_text(path, "\nsecond\n", 8, 0600);
    ck_assert_int_eq(tr_key_read_passphrase(path, pass, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, want);
    write_text(path, "\r\n", 2, 0600);
    ck_assert_int_eq(tr_key_read_passphrase(path, pass, &err), TR_EINVAL);

    write_text(path, "ab\0c\n", 5, 0600);
    ck_assert_int_eq(tr_key_read_passphrase(path, pass, &err), TR_EPARSE);
    snprintf(want, sizeof want, "passphrase file '%s' holds a NUL byte", path);
    ck_assert_str_eq(err.msg, want);

    /* 1023 bytes fit, with or without the newline; 1024 do not. */
    memset(long_line, 'x', sizeof long_line);
    long_line[TR_KEY_PASSPHRASE_MAX - 1] = '\n';
    write_text(path, long_line, TR_KEY_PASSPHRASE_MAX, 0600);
    ck_assert_int_eq(tr_key_read_passphrase(path, pass, &err), TR_OK);
    ck_assert_uint_eq(strlen(pass), TR_KEY_PASSPHRASE_MAX - 1);
    write_text(path, long_line, TR_KEY_PASSPHRASE_MAX - 1, 0600);
    ck_assert_int_eq(tr_key_read_passphrase(path, pass, &err), TR_OK);
    ck_assert_uint_eq(strlen(pass), TR_KEY_PASSPHRASE_MAX - 1);
    long_line[TR_KEY_PASSPHRASE_MAX - 1] = 'x';
    long_line[TR_KEY_PASSPHRASE_MAX] = '\n';
    write_text(path, long_line, TR_KEY_PASSPHRASE_MAX + 1, 0600);
    ck_assert_int_eq(tr_key_read_passphrase(path, pass, &err), TR_ELIMIT);
    snprintf(want, sizeof want, "passphrase in '%s' is longer than 1023 bytes", path);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(pass[0], '\0');

    ck_assert_int_eq(tr_key_read_passphrase(in_dir("missing"), pass, &err), TR_EIO);
    snprintf(want, sizeof want, "cannot open passphrase file '%s': No such file or directory",
             in_dir("missing"));
    ck_assert_str_eq(err.msg, want);
    remove_dir();
}
END_TEST

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *key_suite(void)
{
    Suite *s = suite_create("key");
    TCase *tc = tcase_create("didkey");
    tcase_add_loop_test(tc, didkey_vectors_encode, 0, DIDKEY_COUNT);
    tcase_add_loop_test(tc, didkey_vectors_decode, 0, DIDKEY_COUNT);
    tcase_add_test(tc, didkey_vector_count);
    tcase_add_loop_test(tc, public_multibase_rejects_other_codecs_and_lengths, 0,
                        COUNT(bad_public));
    tcase_add_test(tc, public_multibase_rejects_bad_text);
    tcase_add_test(tc, did_parse_rejects_other_methods_and_fragments);
    suite_add_tcase(s, tc);

    tc = tcase_create("multibase secret");
    tcase_add_test(tc, every_eddsa_vector_key_pair_decodes);
    tcase_add_test(tc, secret_multibase_round_trips);
    tcase_add_test(tc, secret_multibase_rejects_bad_values);
    tcase_add_test(tc, generate_makes_distinct_keys);
    suite_add_tcase(s, tc);

    tc = tcase_create("key files");
    tcase_add_test(tc, plain_file_is_pkcs8_pem_mode_0600);
    tcase_add_test(tc, mode_is_0600_whatever_the_umask);
    tcase_add_test(tc, encrypted_file_round_trips);
    tcase_add_test(tc, encrypted_files_differ_for_one_key);
    tcase_add_test(tc, save_rejects_empty_passphrase_and_bad_cost);
    tcase_add_test(tc, save_refuses_existing_file_without_force);
    tcase_add_test(tc, save_reports_missing_directory);
    tcase_add_test(tc, load_refuses_loose_modes);
    tcase_add_test(tc, load_refuses_symlinks_and_special_files);
    tcase_add_loop_test(tc, load_rejects_malformed_files, 0, COUNT(bad_files));
    tcase_add_test(tc, load_rejects_oversized_file);
    tcase_add_test(tc, load_reads_pbkdf2_files_of_other_tools);
    tcase_add_test(tc, load_refuses_hostile_kdf_cost);
    suite_add_tcase(s, tc);

    tc = tcase_create("passphrase files");
    tcase_add_loop_test(tc, passphrase_is_first_line, 0, COUNT(passphrases));
    tcase_add_test(tc, passphrase_file_errors);
    suite_add_tcase(s, tc);
    return s;
}
