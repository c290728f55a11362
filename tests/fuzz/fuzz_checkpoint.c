/*
 * fuzz_checkpoint.c — C2SP checkpoints (tr_note_checkpoint_parse, tr_note_checkpoint_format,
 * tr_note_checkpoint_open).
 *
 * Any input: the strict parser never crashes or over-reads, and refuses with a message. A
 * text it accepts is canonical: formatting its origin, size and root and appending its
 * extension lines gives the same bytes. Signed by our key, it opens as the same checkpoint;
 * opening the raw input as a signed checkpoint never crashes.
 *
 * fuzz-options: -max_len=1024
 */
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

static const unsigned char seed[TR_ED25519_SEED_LEN] = {0x63, 0x6b, 0x70, 0x74};
static struct tr_note_verifier vkey;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_error err = {0};
    (void)argc;
    (void)argv;
    FUZZ_ASSERT(tr_ed25519_public(seed, pub) == TR_OK);
    int rc = tr_note_verifier_from_public("fuzz.example/log", pub, &vkey, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    return 0;
}

/* Sign text under the checkpoint's own origin and open it again. */
static void sign_and_open(const char *text, size_t len, const struct tr_note_checkpoint *cp)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_note_verifier own;
    struct tr_note_checkpoint back;
    struct tr_buf note;
    struct tr_error err = {0};
    FUZZ_ASSERT(tr_ed25519_public(seed, pub) == TR_OK);
    if (tr_note_verifier_from_public(cp->origin, pub, &own, &err) != TR_OK) {
        return; /* an origin need not be a valid key name (it may hold a space) */
    }
    tr_buf_init(&note);
    int rc = tr_note_sign(text, len, cp->origin, seed, &note, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_note_checkpoint_open(note.data, note.len, cp->origin, &own, 1, &back, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(strcmp(back.origin, cp->origin) == 0 && back.size == cp->size);
    FUZZ_ASSERT(memcmp(back.root, cp->root, sizeof back.root) == 0);
    FUZZ_ASSERT(back.ext_count == cp->ext_count && back.ext_len == cp->ext_len);
    tr_buf_release(&note);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct tr_note_checkpoint cp;
    struct tr_buf again;
    struct tr_error err = {0};

    int rc = tr_note_checkpoint_open(text, size, "fuzz.example/log", &vkey, 1, &cp, &err);
    FUZZ_ASSERT(rc != TR_OK || strcmp(cp.origin, "fuzz.example/log") == 0);

    rc = tr_note_checkpoint_parse(text, size, &cp, &err);
    if (rc != TR_OK) {
        FUZZ_ASSERT((rc == TR_EPARSE || rc == TR_ELIMIT) && err.msg[0] != '\0');
        return 0;
    }
    FUZZ_ASSERT(cp.origin[0] != '\0' && cp.ext_offset + cp.ext_len == size);
    FUZZ_ASSERT((cp.ext_count == 0) == (cp.ext_len == 0));
    tr_buf_init(&again);
    rc = tr_note_checkpoint_format(cp.origin, cp.size, cp.root, &again, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(again.len == cp.ext_offset && memcmp(again.data, text, again.len) == 0);
    tr_buf_release(&again);
    sign_and_open(text, size, &cp);
    return 0;
}
