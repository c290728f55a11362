/*
 * fuzz_note.c — C2SP signed notes and their keys (tr_note_open, tr_note_verifier_parse,
 * tr_note_signer_parse, tr_note_sign).
 *
 * Any input: opening it as a note under published keys and one of ours never crashes,
 * leaks or over-reads; an opened note's text is a prefix that ends in a newline right
 * before the signature block, and at least one key verified it. A verifier key that parses
 * formats back to the same bytes. A text that signs opens again under our key, whole.
 *
 * fuzz-options: -max_len=4096
 */
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

#define NKEYS 4
#define OURS 3
#define OUR_NAME "fuzz.example/log"

static const char *const published[] = {
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
};

static const unsigned char our_seed[TR_ED25519_SEED_LEN] = {0x6e, 0x6f, 0x74, 0x65};
static struct tr_note_verifier keys[NKEYS];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_error err = {0};
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < OURS; i++) {
        int rc = tr_note_verifier_parse(published[i], strlen(published[i]), &keys[i], &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
    }
    FUZZ_ASSERT(tr_ed25519_public(our_seed, pub) == TR_OK);
    int rc = tr_note_verifier_from_public(OUR_NAME, pub, &keys[OURS], &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    return 0;
}

static void open_note(const char *note, size_t len)
{
    unsigned char verified[NKEYS];
    size_t text_len = 0;
    struct tr_error err = {0};
    int rc = tr_note_open(note, len, keys, NKEYS, &text_len, verified, &err);
    if (rc != TR_OK) {
        FUZZ_ASSERT(rc == TR_EPARSE || rc == TR_ELIMIT || rc == TR_EVERIFY);
        FUZZ_ASSERT(err.msg[0] != '\0');
        return;
    }
    FUZZ_ASSERT(text_len > 0 && text_len + 1 < len);
    FUZZ_ASSERT(note[text_len - 1] == '\n' && note[text_len] == '\n');
    FUZZ_ASSERT(note[len - 1] == '\n');
    int any = 0;
    for (size_t i = 0; i < NKEYS; i++) {
        FUZZ_ASSERT(verified[i] == 0 || verified[i] == 1);
        any |= verified[i];
    }
    FUZZ_ASSERT(any);
}

static void parse_keys(const char *s, size_t len)
{
    struct tr_note_verifier v;
    struct tr_note_signer sk;
    struct tr_buf b;
    struct tr_error err = {0};
    if (tr_note_verifier_parse(s, len, &v, &err) == TR_OK) {
        tr_buf_init(&b);
        FUZZ_ASSERT(tr_note_verifier_format(&v, &b) == TR_OK);
        FUZZ_ASSERT(b.len == len && memcmp(b.data, s, len) == 0);
        tr_buf_release(&b);
    }
    int rc = tr_note_signer_parse(s, len, &sk, &err);
    FUZZ_ASSERT(rc == TR_OK || rc == TR_EPARSE || rc == TR_ELIMIT);
    tr_wipe(&sk, sizeof sk);
}

static void sign_text(const char *text, size_t len)
{
    unsigned char verified[NKEYS];
    size_t text_len = 0;
    struct tr_buf note;
    struct tr_error err = {0};
    tr_buf_init(&note);
    int rc = tr_note_sign(text, len, OUR_NAME, our_seed, &note, &err);
    if (rc == TR_OK) {
        rc = tr_note_open(note.data, note.len, keys, NKEYS, &text_len, verified, &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
        FUZZ_ASSERT(text_len == len && verified[OURS] == 1);
    } else {
        FUZZ_ASSERT(rc == TR_EINVAL && note.len == 0);
    }
    tr_buf_release(&note);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    open_note(s, size);
    parse_keys(s, size);
    sign_text(s, size);
    return 0;
}
