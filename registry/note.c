/*
 * note.c — C2SP signed notes with Ed25519 keys, and C2SP tlog checkpoints (rules in
 * include/talentreg/note.h and docs/log-format.md).
 */
#include <inttypes.h>
#include <string.h>

#include "talentreg/base64.h"
#include "talentreg/crypto.h"
#include "talentreg/note.h"
#include "utf8.h"

#define KEY_LEN (1 + TR_ED25519_PUBLIC_LEN) /* algorithm byte and public key or seed */
#define SIG_LEN (4 + TR_ED25519_SIG_LEN)    /* key ID and Ed25519 signature */

static const char sig_prefix[] = TR_NOTE_EM_DASH " ";

/* Unicode White_Space (what Go's unicode.IsSpace and C2SP's "Unicode spaces" mean). */
static int is_space(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* Note text rules: UTF-8, no control character but "\n". what names the input in the
 * message, code is returned. */
static int check_text(const char *s, size_t len, const char *what, int code, struct tr_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0, n; i < len; i += n) {
        uint32_t cp = 0;
        n = tr_utf8_decode(u + i, len - i, &cp);
        if (n == 0) {
            return tr_error_set(err, code, "%s is not valid UTF-8 at byte %zu", what, i);
        }
        if (cp < 0x20 && cp != '\n') {
            return tr_error_set(err, code, "%s has control character 0x%02x at byte %zu", what,
                                (unsigned)cp, i);
        }
    }
    return TR_OK;
}

/* Key name characters (see note.h); the reason goes to err with code. The length limit is
 * the caller's: for a signature line a long name only means an unknown key. */
static int check_name(const char *s, size_t len, int code, struct tr_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0) {
        return tr_error_set(err, code, "key name is empty");
    }
    for (size_t i = 0, n; i < len; i += n) {
        uint32_t cp = 0;
        n = tr_utf8_decode(u + i, len - i, &cp);
        if (n == 0) {
            return tr_error_set(err, code, "key name is not valid UTF-8 at byte %zu", i);
        }
        /* The name is not quoted: it may hold terminal control sequences. */
        if (cp == '+' || is_space(cp) || cp < 0x20 || cp == 0x7F) {
            return tr_error_set(err, code,
                                "key name has a space, '+' or control character at byte %zu", i);
        }
    }
    return TR_OK;
}

/* key ID = SHA-256(name || "\n" || key)[:4] read big-endian; key is algorithm byte + key. */
static int key_id_of(const char *name, size_t name_len, const unsigned char key[KEY_LEN],
                     uint32_t *out)
{
    unsigned char h[TR_SHA256_LEN];
    const void *ptrs[] = {name, "\n", key};
    size_t lens[] = {name_len, 1, KEY_LEN};
    if (tr_sha256_parts(ptrs, lens, 3, h) != TR_OK) {
        return TR_ECRYPTO;
    }
    *out = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
    return TR_OK;
}

/* Exactly 8 lowercase hex digits, as the key ID of a key text. */
static int parse_key_id(const char *s, size_t len, uint32_t *out)
{
    uint32_t v = 0;
    if (len != 8) {
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        const char *p = strchr("0123456789abcdef", s[i]);
        if (s[i] == '\0' || p == NULL) {
            return -1;
        }
        v = v << 4 | (uint32_t)(p - "0123456789abcdef");
    }
    *out = v;
    return TR_OK;
}

/*
 * The fields after any fixed prefix of a key text: NAME+HEX8+BASE64(0x01 || 32 bytes),
 * split on the first two '+'. Fills name, *key_id and key (0x01 and the 32 bytes, which
 * the caller wipes when they are a seed). The key ID is checked by the caller, who knows
 * the public key.
 */
static int parse_key_text(const char *s, size_t len, char name[TR_NOTE_NAME_MAX + 1],
                          uint32_t *key_id, unsigned char key[KEY_LEN], struct tr_error *err)
{
    const char *end = s + len;
    const char *plus1 = memchr(s, '+', len);
    const char *plus2 = plus1 != NULL ? memchr(plus1 + 1, '+', (size_t)(end - plus1 - 1)) : NULL;
    if (plus2 == NULL) {
        return tr_error_set(err, TR_EPARSE, "key is not of the form name+keyid+key");
    }
    size_t name_len = (size_t)(plus1 - s);
    int rc = check_name(s, name_len, TR_EPARSE, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (name_len > TR_NOTE_NAME_MAX) {
        return tr_error_set(err, TR_ELIMIT, "key name is longer than %d bytes", TR_NOTE_NAME_MAX);
    }
    memcpy(name, s, name_len);
    name[name_len] = '\0';
    if (parse_key_id(plus1 + 1, (size_t)(plus2 - plus1 - 1), key_id) != TR_OK) {
        return tr_error_set(err, TR_EPARSE, "key '%s': key id is not 8 lowercase hex digits", name);
    }
    size_t n = 0;
    rc = tr_base64_decode(plus2 + 1, (size_t)(end - plus2 - 1), key, KEY_LEN, &n, err);
    if (rc == TR_ELIMIT) {
        return tr_error_set(err, TR_EPARSE, "key '%s' is longer than an Ed25519 key", name);
    }
    if (rc != TR_OK) {
        tr_error_prefix(err, "key '%s'", name);
        return TR_EPARSE;
    }
    if (n == 0) {
        return tr_error_set(err, TR_EPARSE, "key '%s' is empty", name);
    }
    if (key[0] != TR_NOTE_ALG_ED25519) {
        return tr_error_set(err, TR_EPARSE, "key '%s': unknown signature algorithm 0x%02x", name,
                            key[0]);
    }
    if (n != KEY_LEN) {
        return tr_error_set(err, TR_EPARSE, "key '%s': an Ed25519 key has %d bytes, not %zu", name,
                            TR_ED25519_PUBLIC_LEN, n - 1);
    }
    return TR_OK;
}

int tr_note_verifier_from_public(const char *name, const unsigned char pub[TR_ED25519_PUBLIC_LEN],
                                 struct tr_note_verifier *out, struct tr_error *err)
{
    size_t name_len = strlen(name);
    unsigned char key[KEY_LEN];
    int rc = check_name(name, name_len, TR_EINVAL, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (name_len > TR_NOTE_NAME_MAX) {
        return tr_error_set(err, TR_EINVAL, "key name is longer than %d bytes", TR_NOTE_NAME_MAX);
    }
    key[0] = TR_NOTE_ALG_ED25519;
    memcpy(key + 1, pub, TR_ED25519_PUBLIC_LEN);
    if (key_id_of(name, name_len, key, &out->key_id) != TR_OK) {
        return tr_error_set(err, TR_ECRYPTO, "sha-256 failed");
    }
    memcpy(out->name, name, name_len + 1);
    memcpy(out->public_key, pub, TR_ED25519_PUBLIC_LEN);
    return TR_OK;
}

int tr_note_verifier_parse(const char *vkey, size_t len, struct tr_note_verifier *out,
                           struct tr_error *err)
{
    unsigned char key[KEY_LEN];
    uint32_t want;
    int rc = parse_key_text(vkey, len, out->name, &out->key_id, key, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (key_id_of(out->name, strlen(out->name), key, &want) != TR_OK) {
        return tr_error_set(err, TR_ECRYPTO, "sha-256 failed");
    }
    if (want != out->key_id) {
        return tr_error_set(err, TR_EPARSE, "key '%s': key id %08" PRIx32 " does not match the key",
                            out->name, out->key_id);
    }
    memcpy(out->public_key, key + 1, TR_ED25519_PUBLIC_LEN);
    return TR_OK;
}

int tr_note_verifier_format(const struct tr_note_verifier *v, struct tr_buf *out)
{
    unsigned char key[KEY_LEN];
    key[0] = TR_NOTE_ALG_ED25519;
    memcpy(key + 1, v->public_key, TR_ED25519_PUBLIC_LEN);
    tr_buf_addf(out, "%s+%08" PRIx32 "+", v->name, v->key_id);
    return tr_base64_encode(key, sizeof key, out);
}

int tr_note_signer_parse(const char *skey, size_t len, struct tr_note_signer *out,
                         struct tr_error *err)
{
    static const char prefix[] = "PRIVATE+KEY+";
    const size_t plen = sizeof prefix - 1;
    unsigned char key[KEY_LEN], pub[KEY_LEN];
    uint32_t want;
    int rc = TR_OK;
    if (len < plen || memcmp(skey, prefix, plen) != 0) {
        rc = tr_error_set(err, TR_EPARSE, "private key does not start with '%s'", prefix);
        goto out;
    }
    rc = parse_key_text(skey + plen, len - plen, out->name, &out->key_id, key, err);
    if (rc != TR_OK) {
        goto out;
    }
    pub[0] = TR_NOTE_ALG_ED25519;
    if (tr_ed25519_public(key + 1, pub + 1) != TR_OK ||
        key_id_of(out->name, strlen(out->name), pub, &want) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "cannot derive the public key of '%s'", out->name);
        goto out;
    }
    if (want != out->key_id) {
        rc = tr_error_set(err, TR_EPARSE,
                          "private key '%s': key id %08" PRIx32 " does not match the key",
                          out->name, out->key_id);
        goto out;
    }
    memcpy(out->seed, key + 1, TR_ED25519_SEED_LEN);
out:
    tr_wipe(key, sizeof key);
    if (rc != TR_OK) {
        tr_wipe(out, sizeof *out);
    }
    return rc;
}

int tr_note_sign(const char *text, size_t len, const char *name,
                 const unsigned char seed[TR_ED25519_SEED_LEN], struct tr_buf *out,
                 struct tr_error *err)
{
    struct tr_note_verifier v;
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    unsigned char sig[SIG_LEN];
    size_t start = out->len;
    int rc = check_text(text, len, "note text", TR_EINVAL, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (len == 0 || text[len - 1] != '\n') {
        rc = tr_error_set(err, TR_EINVAL, "note text does not end in a newline");
        goto out;
    }
    if (tr_ed25519_public(seed, pub) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "cannot derive the public key of '%s'", name);
        goto out;
    }
    rc = tr_note_verifier_from_public(name, pub, &v, err);
    if (rc != TR_OK) {
        goto out;
    }
    sig[0] = (unsigned char)(v.key_id >> 24);
    sig[1] = (unsigned char)(v.key_id >> 16);
    sig[2] = (unsigned char)(v.key_id >> 8);
    sig[3] = (unsigned char)v.key_id;
    /* Verify before writing: a fault while signing must not leave a bad signature behind. */
    if (tr_ed25519_sign(seed, text, len, sig + 4) != TR_OK ||
        tr_ed25519_verify(pub, text, len, sig + 4) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "signing with '%s' failed", name);
        goto out;
    }
    tr_buf_add(out, text, len);
    tr_buf_addf(out, "\n%s%s ", sig_prefix, name);
    tr_base64_encode(sig, sizeof sig, out);
    rc = tr_buf_addc(out, '\n');
    if (rc != TR_OK) {
        tr_error_set(err, rc, "cannot write the signed note: %s", tr_strerror(rc));
    }
out:
    if (rc != TR_OK && out->err == TR_OK) {
        tr_buf_truncate(out, start);
    }
    return rc;
}

/* Verify one signature line of a known key. sig holds key ID and signature (n bytes). */
static int verify_line(const struct tr_note_verifier *key, const char *text, size_t text_len,
                       const unsigned char *sig, size_t n, size_t line, struct tr_error *err)
{
    if (n != SIG_LEN) {
        return tr_error_set(err, TR_EVERIFY,
                            "signature line %zu: signature by '%s' is %zu bytes, not %d", line,
                            key->name, n - 4, TR_ED25519_SIG_LEN);
    }
    int rc = tr_ed25519_verify(key->public_key, text, text_len, sig + 4);
    if (rc == TR_EVERIFY) {
        return tr_error_set(err, TR_EVERIFY,
                            "signature line %zu: signature by '%s' does not verify", line,
                            key->name);
    }
    if (rc != TR_OK) {
        return tr_error_set(err, rc, "signature line %zu: cannot verify: %s", line,
                            tr_strerror(rc));
    }
    return TR_OK;
}

int tr_note_open(const char *note, size_t len, const struct tr_note_verifier *keys, size_t nkeys,
                 size_t *text_len, unsigned char *verified, struct tr_error *err)
{
    unsigned char sig[TR_NOTE_MAX_SIGNATURE];
    int rc = TR_OK;
    size_t good = 0;
    *text_len = 0;
    if (verified != NULL && nkeys > 0) {
        memset(verified, 0, nkeys);
    }
    rc = check_text(note, len, "note", TR_EPARSE, err);
    if (rc != TR_OK) {
        goto out;
    }
    size_t split = len;
    for (size_t i = len; i >= 2; i--) {
        if (note[i - 1] == '\n' && note[i - 2] == '\n') {
            split = i - 2;
            break;
        }
    }
    if (split == len) {
        rc = tr_error_set(err, TR_EPARSE, "note has no blank line before its signatures");
        goto out;
    }
    const char *text = note;
    size_t tlen = split + 1;
    const char *p = note + split + 2, *end = note + len;
    if (p == end) {
        rc = tr_error_set(err, TR_EPARSE, "note has no signature lines");
        goto out;
    }
    if (end[-1] != '\n') {
        rc = tr_error_set(err, TR_EPARSE, "note does not end in a newline");
        goto out;
    }
    size_t lines = 0;
    for (const char *q = p; q < end; q++) {
        lines += *q == '\n';
    }
    if (lines > TR_NOTE_MAX_SIGNATURES) {
        rc = tr_error_set(err, TR_ELIMIT, "note has %zu signature lines, more than %d", lines,
                          TR_NOTE_MAX_SIGNATURES);
        goto out;
    }
    for (size_t line = 1; p < end; line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t plen = sizeof sig_prefix - 1;
        if ((size_t)(eol - p) < plen || memcmp(p, sig_prefix, plen) != 0) {
            rc =
                tr_error_set(err, TR_EPARSE,
                             "signature line %zu does not start with an em dash and a space", line);
            goto out;
        }
        const char *name = p + plen;
        const char *space = memchr(name, ' ', (size_t)(eol - name));
        if (space == NULL || space + 1 == eol) {
            rc = tr_error_set(err, TR_EPARSE, "signature line %zu is not '— NAME SIGNATURE'", line);
            goto out;
        }
        size_t name_len = (size_t)(space - name);
        rc = check_name(name, name_len, TR_EPARSE, err);
        if (rc != TR_OK) {
            tr_error_prefix(err, "signature line %zu", line);
            goto out;
        }
        size_t n = 0;
        rc = tr_base64_decode(space + 1, (size_t)(eol - space - 1), sig, sizeof sig, &n, err);
        if (rc != TR_OK) {
            tr_error_prefix(err, "signature line %zu", line);
            goto out;
        }
        if (n < 5) {
            rc =
                tr_error_set(err, TR_EPARSE, "signature line %zu: signature is %zu bytes", line, n);
            goto out;
        }
        uint32_t id =
            (uint32_t)sig[0] << 24 | (uint32_t)sig[1] << 16 | (uint32_t)sig[2] << 8 | sig[3];
        for (size_t k = 0; k < nkeys; k++) {
            if (keys[k].key_id != id || strlen(keys[k].name) != name_len ||
                memcmp(keys[k].name, name, name_len) != 0) {
                continue;
            }
            rc = verify_line(&keys[k], text, tlen, sig, n, line, err);
            if (rc != TR_OK) {
                goto out;
            }
            good++;
            if (verified != NULL) {
                verified[k] = 1;
            }
        }
        p = eol + 1;
    }
    if (good == 0) {
        rc = tr_error_set(err, TR_EVERIFY, "note has no signature by a trusted key");
        goto out;
    }
    *text_len = tlen;
out:
    if (rc != TR_OK && verified != NULL && nkeys > 0) {
        memset(verified, 0, nkeys);
    }
    return rc;
}

/* Origin rules: a note-text line that is non-empty and at most TR_NOTE_NAME_MAX bytes. */
static int check_origin(const char *s, size_t len, int code, struct tr_error *err)
{
    if (len == 0) {
        return tr_error_set(err, code, "checkpoint origin is empty");
    }
    if (memchr(s, '\n', len) != NULL) {
        return tr_error_set(err, code, "checkpoint origin has a newline");
    }
    if (len > TR_NOTE_NAME_MAX) {
        return tr_error_set(err, code == TR_EPARSE ? TR_ELIMIT : code,
                            "checkpoint origin is longer than %d bytes", TR_NOTE_NAME_MAX);
    }
    return check_text(s, len, "checkpoint origin", code, err);
}

int tr_note_checkpoint_format(const char *origin, uint64_t size,
                              const unsigned char root[TR_MERKLE_HASH_LEN], struct tr_buf *out,
                              struct tr_error *err)
{
    unsigned char empty[TR_MERKLE_HASH_LEN];
    int rc = check_origin(origin, strlen(origin), TR_EINVAL, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (size == 0 && (tr_sha256("", 0, empty) != TR_OK || memcmp(root, empty, sizeof empty) != 0)) {
        return tr_error_set(err, TR_EINVAL, "a checkpoint of size 0 needs the empty-tree root");
    }
    tr_buf_addf(out, "%s\n%" PRIu64 "\n", origin, size);
    tr_base64_encode(root, TR_MERKLE_HASH_LEN, out);
    rc = tr_buf_addc(out, '\n');
    if (rc != TR_OK) {
        return tr_error_set(err, rc, "cannot write the checkpoint: %s", tr_strerror(rc));
    }
    return TR_OK;
}

/* A tree size: decimal, no sign, no leading zero, below 2^64. */
static int parse_size(const char *s, size_t len, uint64_t *out, struct tr_error *err)
{
    uint64_t v = 0;
    if (len == 0) {
        return tr_error_set(err, TR_EPARSE, "checkpoint line 2: tree size is empty");
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return tr_error_set(err, TR_EPARSE,
                                "checkpoint line 2: tree size '%.*s' is not a decimal number",
                                (int)len, s);
        }
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            return tr_error_set(err, TR_EPARSE,
                                "checkpoint line 2: tree size '%.*s' does not fit in 64 bits",
                                (int)len, s);
        }
        v = v * 10 + d;
    }
    if (len > 1 && s[0] == '0') {
        return tr_error_set(err, TR_EPARSE,
                            "checkpoint line 2: tree size '%.*s' has a leading zero", (int)len, s);
    }
    *out = v;
    return TR_OK;
}

int tr_note_checkpoint_parse(const char *text, size_t len, struct tr_note_checkpoint *out,
                             struct tr_error *err)
{
    const char *line[3];
    size_t line_len[3];
    const char *p = text, *end = text + len;
    int rc = check_text(text, len, "checkpoint", TR_EPARSE, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (len == 0 || end[-1] != '\n') {
        return tr_error_set(err, TR_EPARSE, "checkpoint does not end in a newline");
    }
    for (size_t i = 0; i < 3; i++) {
        const char *eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        if (eol == NULL) {
            return tr_error_set(err, TR_EPARSE, "checkpoint has %zu lines, not at least 3", i);
        }
        line[i] = p;
        line_len[i] = (size_t)(eol - p);
        p = eol + 1;
    }
    rc = check_origin(line[0], line_len[0], TR_EPARSE, err);
    if (rc != TR_OK) {
        tr_error_prefix(err, "checkpoint line 1");
        return rc;
    }
    rc = parse_size(line[1], line_len[1], &out->size, err);
    if (rc != TR_OK) {
        return rc;
    }
    rc = tr_merkle_hash_from_base64(line[2], line_len[2], out->root, err);
    if (rc != TR_OK) {
        tr_error_prefix(err, "checkpoint line 3: root hash");
        return rc;
    }
    unsigned char empty[TR_MERKLE_HASH_LEN];
    if (out->size == 0 &&
        (tr_sha256("", 0, empty) != TR_OK || memcmp(out->root, empty, sizeof empty) != 0)) {
        return tr_error_set(err, TR_EPARSE,
                            "checkpoint line 3: a tree of size 0 must have the empty-tree root");
    }
    out->ext_offset = (size_t)(p - text);
    out->ext_len = (size_t)(end - p);
    out->ext_count = 0;
    for (size_t n = 4; p < end; n++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == p) {
            return tr_error_set(err, TR_EPARSE, "checkpoint line %zu: extension line is empty", n);
        }
        out->ext_count++;
        p = eol + 1;
    }
    memcpy(out->origin, line[0], line_len[0]);
    out->origin[line_len[0]] = '\0';
    return TR_OK;
}

int tr_note_checkpoint_open(const char *note, size_t len, const char *origin,
                            const struct tr_note_verifier *keys, size_t nkeys,
                            struct tr_note_checkpoint *out, struct tr_error *err)
{
    size_t text_len = 0;
    int rc = tr_note_open(note, len, keys, nkeys, &text_len, NULL, err);
    if (rc != TR_OK) {
        return rc;
    }
    rc = tr_note_checkpoint_parse(note, text_len, out, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (strcmp(out->origin, origin) != 0) {
        return tr_error_set(err, TR_EVERIFY, "checkpoint origin '%s' is not the expected '%s'",
                            out->origin, origin);
    }
    return TR_OK;
}
