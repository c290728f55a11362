/*
 * talentreg/note.h — C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, and C2SP
 * transparency-log checkpoints (c2sp.org/tlog-checkpoint) carried in them.
 *
 * A signed note is a text ending in "\n", a blank line, then one or more signature lines
 *     — <key name> <base64(4-byte key ID || 64-byte Ed25519 signature)>\n
 * (the dash is U+2014 EM DASH). The signed message is the text, final "\n" included.
 * key ID = SHA-256(key name || "\n" || 0x01 || 32-byte public key)[:4], read big-endian.
 *
 * A key name is non-empty UTF-8 with no '+', no Unicode white space (U+0009-000D, U+0020,
 * U+0085, U+00A0, U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000) and no other
 * control character, and at most TR_NOTE_NAME_MAX bytes here.
 *
 * A checkpoint is a note whose text is
 *     <origin>\n<tree size, decimal>\n<base64(32-byte root hash)>\n[<extension line>\n...]
 */
#ifndef TALENTREG_NOTE_H
#define TALENTREG_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "error.h"
#include "merkle.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TR_NOTE_NAME_MAX 255           /* bytes in a key name or checkpoint origin */
#define TR_NOTE_ALG_ED25519 0x01       /* the signature type byte of Ed25519 keys */
#define TR_NOTE_MAX_SIGNATURES 100     /* signature lines in one note, as Go's sumdb/note */
#define TR_NOTE_MAX_SIGNATURE 8192     /* bytes in one decoded signature (key ID included) */
#define TR_NOTE_EM_DASH "\xe2\x80\x94" /* U+2014, which starts every signature line */

/* A trusted key: verifier keys are text of the form name+hex8(key ID)+base64(0x01||pub). */
struct tr_note_verifier {
    char name[TR_NOTE_NAME_MAX + 1]; /* NUL-terminated key name */
    uint32_t key_id;
    unsigned char public_key[TR_ED25519_PUBLIC_LEN];
};

/*
 * A signing key in Go's private-key text form PRIVATE+KEY+name+hex8(key ID)+base64(0x01 ||
 * seed). Holds a secret: wipe it with tr_wipe(s, sizeof *s) when done.
 */
struct tr_note_signer {
    char name[TR_NOTE_NAME_MAX + 1];
    uint32_t key_id;
    unsigned char seed[TR_ED25519_SEED_LEN];
};

/* A parsed checkpoint body. */
struct tr_note_checkpoint {
    char origin[TR_NOTE_NAME_MAX + 1]; /* NUL-terminated, non-empty */
    uint64_t size;                     /* tree size */
    unsigned char root[TR_MERKLE_HASH_LEN];
    /* The extension lines: bytes [ext_offset, ext_offset + ext_len) of the parsed text,
     * ext_count non-empty lines each ending in "\n" (ext_len 0 when there are none). */
    size_t ext_offset, ext_len, ext_count;
};

/*
 * tr_note_verifier_from_public — out = the verifier of the Ed25519 public key pub under
 * name (a NUL-terminated string), with its key ID computed. Returns TR_OK, TR_EINVAL (an
 * invalid or too long name; the message says which) or TR_ECRYPTO.
 */
int tr_note_verifier_from_public(const char *name, const unsigned char pub[TR_ED25519_PUBLIC_LEN],
                                 struct tr_note_verifier *out, struct tr_error *err);

/*
 * tr_note_verifier_parse — parse the len bytes at vkey as a verifier key. It is split on
 * its first two '+' only (base64 may contain '+'). Refused with TR_EPARSE: an invalid name,
 * a key ID that is not 8 lowercase hex digits, a key that is not strict base64, an
 * algorithm byte other than 0x01, a public key that is not 32 bytes, and a key ID that is
 * not the one computed from name and key. TR_ELIMIT: a name over TR_NOTE_NAME_MAX bytes.
 * Returns TR_OK with *out filled, or one of those codes (or TR_ECRYPTO).
 */
int tr_note_verifier_parse(const char *vkey, size_t len, struct tr_note_verifier *out,
                           struct tr_error *err);

/* tr_note_verifier_format — append v's verifier-key text to out. Returns out's sticky
 * error. */
int tr_note_verifier_format(const struct tr_note_verifier *v, struct tr_buf *out);

/*
 * tr_note_signer_parse — parse the len bytes at skey as a private key
 * PRIVATE+KEY+name+hex8+base64(0x01 || 32-byte seed), checking the key ID against the
 * public key derived from the seed. Returns TR_OK, TR_EPARSE, TR_ELIMIT or TR_ECRYPTO as
 * tr_note_verifier_parse does. Every copy of the seed other than *out is wiped; *out is
 * wiped on failure.
 */
int tr_note_signer_parse(const char *skey, size_t len, struct tr_note_signer *out,
                         struct tr_error *err);

/*
 * tr_note_sign — append to out the note text[0..len) signed by the Ed25519 key seed under
 * the key name name (NUL-terminated): the text, a blank line and one signature line. The
 * signature is verified before it is written. The text must be what tr_note_open accepts:
 * UTF-8, no control characters but "\n", ending in "\n". Returns TR_OK; TR_EINVAL (a bad
 * text or name); TR_ECRYPTO; or out's sticky error. On failure out is left as it was
 * (unless its error was already set).
 */
int tr_note_sign(const char *text, size_t len, const char *name,
                 const unsigned char seed[TR_ED25519_SEED_LEN], struct tr_buf *out,
                 struct tr_error *err);

/*
 * tr_note_open — verify the signed note note[0..len) against the nkeys trusted keys.
 * The rules, in order:
 *   - the note is valid UTF-8 and holds no control character (below U+0020) but "\n";
 *   - it is split at its last "\n\n": the text is everything before and including the
 *     first of those two newlines, the signature block everything after them; the block is
 *     non-empty and ends in "\n";
 *   - at most TR_NOTE_MAX_SIGNATURES signature lines (else TR_ELIMIT);
 *   - every line is "— NAME BASE64" with a valid key name and a strict base64 signature of
 *     at least 5 bytes (key ID and at least one signature byte);
 *   - a line whose (name, key ID) matches no trusted key is ignored;
 *   - a line that matches a trusted key must verify with it, or the whole note is refused
 *     (a repeated line is verified again; keys sharing name and ID must all verify);
 *   - at least one line must verify.
 * Returns TR_OK with *text_len (out) the length of the text, which is note[0..*text_len);
 * verified (may be NULL) is an array of nkeys flags, set to 1 for each key whose signature
 * verified and 0 otherwise. TR_EPARSE (malformed), TR_ELIMIT (too many signature lines,
 * or one signature over TR_NOTE_MAX_SIGNATURE bytes),
 * TR_EVERIFY (a trusted key's signature fails, or none is by a trusted key), TR_ECRYPTO.
 */
int tr_note_open(const char *note, size_t len, const struct tr_note_verifier *keys, size_t nkeys,
                 size_t *text_len, unsigned char *verified, struct tr_error *err);

/*
 * tr_note_checkpoint_format — append the checkpoint text "ORIGIN\nSIZE\nBASE64(ROOT)\n" to
 * out. origin (NUL-terminated) must be a valid checkpoint origin (see
 * tr_note_checkpoint_parse), and size 0 needs the empty-tree root. Returns TR_OK,
 * TR_EINVAL, or out's sticky error.
 */
int tr_note_checkpoint_format(const char *origin, uint64_t size,
                              const unsigned char root[TR_MERKLE_HASH_LEN], struct tr_buf *out,
                              struct tr_error *err);

/*
 * tr_note_checkpoint_parse — strictly parse the checkpoint text text[0..len):
 *   - valid UTF-8 without control characters but "\n", ending in "\n", at least 3 lines;
 *   - line 1, the origin: non-empty, at most TR_NOTE_NAME_MAX bytes (else TR_ELIMIT);
 *   - line 2, the tree size: decimal digits, no sign, no leading zero (just "0" for the
 *     empty tree), below 2^64;
 *   - line 3, the root hash: strict padded base64 of exactly 32 bytes; for size 0 it must be
 *     the empty-tree hash SHA-256("");
 *   - any further lines (extension lines) are non-empty.
 * Returns TR_OK with *out filled, TR_EPARSE or TR_ELIMIT with a message naming the line.
 */
int tr_note_checkpoint_parse(const char *text, size_t len, struct tr_note_checkpoint *out,
                             struct tr_error *err);

/*
 * tr_note_checkpoint_open — tr_note_open, then tr_note_checkpoint_parse of the text, then
 * the origin must equal origin (NUL-terminated; TR_EVERIFY when it differs). Returns
 * TR_OK with *out filled, or the first failure's code.
 */
int tr_note_checkpoint_open(const char *note, size_t len, const char *origin,
                            const struct tr_note_verifier *keys, size_t nkeys,
                            struct tr_note_checkpoint *out, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
