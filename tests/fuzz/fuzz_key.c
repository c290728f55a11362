/*
 * fuzz_key.c — key files and key texts (tr_key_load, tr_key_read_passphrase,
 * tr_key_parse_did, tr_key_parse_public_multibase, tr_key_parse_secret_multibase).
 *
 * Any bytes as a key file (mode 0600, in a directory of the process's own), loaded with the
 * passphrase "pass-7f3c9e" and with none: a refusal is TR_EPASS, TR_EPARSE or TR_ELIMIT with a
 * message that never shows the passphrase, and no key; a key that loads has the public key
 * its seed derives, and loads again the same from the file tr_key_save writes for it. The
 * same bytes as a passphrase file give their first line or a refusal with no passphrase
 * left. As text, a did:key, a public multibase or a secret multibase that parses is the
 * one encoding of its key (formatting it gives the text back, or the text without its
 * fragment or the public key appended to a 64-byte secret), and a secret's message never
 * shows the text.
 *
 * fuzz-options: -max_len=4096
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

#define PASSPHRASE "pass-7f3c9e"

static char file[128];
static char saved[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = fuzz_scratch_dir("fuzz_key");
    snprintf(file, sizeof file, "%s/in.pem", dir);
    snprintf(saved, sizeof saved, "%s/saved.pem", dir);
    return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
    unlink(file);
    FILE *f = fopen(file, "wb");
    FUZZ_ASSERT(f != NULL);
    FUZZ_ASSERT(fwrite(data, 1, size, f) == size && fclose(f) == 0);
    FUZZ_ASSERT(chmod(file, 0600) == 0);
}

/* A key that loaded is whole, and survives being saved and loaded again. */
static void check_key(const struct tr_key *key)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_key *again = NULL;
    struct tr_error err = {0};
    static const struct tr_key_kdf cheap = {2, 1, 1};
    FUZZ_ASSERT(tr_ed25519_public(key->seed, pub) == TR_OK);
    FUZZ_ASSERT(memcmp(pub, key->pub, sizeof pub) == 0);
    unlink(saved);
    int rc = tr_key_save(key, saved, PASSPHRASE, &cheap, 0, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_key_load(saved, PASSPHRASE, &again, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(memcmp(again->seed, key->seed, sizeof key->seed) == 0);
    tr_key_free(again);
}

static void load(const char *passphrase)
{
    struct tr_key *key = NULL;
    struct tr_error err = {0};
    int rc = tr_key_load(file, passphrase, &key, &err);
    if (rc == TR_OK) {
        FUZZ_ASSERT(key != NULL);
        check_key(key);
        tr_key_free(key);
        return;
    }
    FUZZ_ASSERT(key == NULL);
    if (rc != TR_EPASS && rc != TR_EPARSE && rc != TR_ELIMIT) {
        fprintf(stderr, "unexpected: %d %s\n", rc, err.msg);
    }
    FUZZ_ASSERT(rc == TR_EPASS || rc == TR_EPARSE || rc == TR_ELIMIT);
    FUZZ_ASSERT(err.msg[0] != '\0' && strstr(err.msg, PASSPHRASE) == NULL);
}

static void read_passphrase(const uint8_t *data, size_t size)
{
    static const char zero[TR_KEY_PASSPHRASE_MAX];
    char pass[TR_KEY_PASSPHRASE_MAX];
    struct tr_error err = {0};
    int rc = tr_key_read_passphrase(file, pass, &err);
    if (rc != TR_OK) {
        FUZZ_ASSERT(rc == TR_EINVAL || rc == TR_EPARSE || rc == TR_ELIMIT);
        FUZZ_ASSERT(memcmp(pass, zero, sizeof pass) == 0);
        return;
    }
    size_t n = strlen(pass);
    FUZZ_ASSERT(n > 0 && n <= size && memcmp(pass, data, n) == 0);
    FUZZ_ASSERT(memchr(pass, '\n', n) == NULL);
    FUZZ_ASSERT(n == size || data[n] == '\n' ||
                (data[n] == '\r' && n + 1 < size && data[n + 1] == '\n'));
    tr_wipe(pass, sizeof pass);
}

static void parse_texts(const char *s)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    char did[TR_KEY_DID_SIZE], vm[TR_KEY_VM_SIZE], mb[TR_KEY_MULTIBASE_SIZE];
    struct tr_key *key = NULL;
    struct tr_error err = {0};
    if (tr_key_parse_did(s, pub, &err) == TR_OK) {
        tr_key_did(pub, did);
        tr_key_verification_method(pub, vm);
        FUZZ_ASSERT(strcmp(s, did) == 0 || strcmp(s, vm) == 0);
    }
    if (tr_key_parse_public_multibase(s, pub, &err) == TR_OK) {
        tr_key_public_multibase(pub, mb);
        FUZZ_ASSERT(strcmp(s, mb) == 0);
    }
    int rc = tr_key_parse_secret_multibase(s, &key, &err);
    if (rc == TR_OK) {
        tr_key_secret_multibase(key, mb);
        FUZZ_ASSERT(strlen(s) > TR_KEY_MULTIBASE_LEN || strcmp(s, mb) == 0);
        tr_wipe(mb, sizeof mb);
        tr_key_free(key);
    } else {
        FUZZ_ASSERT(rc == TR_EPARSE && key == NULL);
        FUZZ_ASSERT(strncmp(err.msg, "secret key multibase: ", 22) == 0);
        /* A text shaped like a secret (no message words start with 'z') never shows. */
        FUZZ_ASSERT(s[0] != 'z' || strlen(s) < 8 || strstr(err.msg, s) == NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_input(data, size);
    load(PASSPHRASE);
    load(NULL);
    read_passphrase(data, size);
    char *s = malloc(size + 1);
    FUZZ_ASSERT(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';
    parse_texts(s);
    free(s);
    return 0;
}
