/*
 * check_note.c — C2SP signed notes and tlog checkpoints against tests/vectors/signed-note
 * (every entry), the checkpoint chain with tests/vectors/merkle, and the rules one by one.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg.h"
#include "tr_test.h"

#define VEC "tests/vectors/signed-note/"

static const char peter_vkey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char peter_skey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char enoch_vkey[] = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
static const char quote[] = "If you think cryptography is the answer to your problem,\n"
                            "then you don't know what your problem is.\n";
static const char peter_sig[] =
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN"
    "1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

static struct tr_note_verifier verifier(const char *vkey)
{
    struct tr_note_verifier v;
    struct tr_error err = {0};
    ck_assert_msg(tr_note_verifier_parse(vkey, strlen(vkey), &v, &err) == TR_OK, "%s", err.msg);
    return v;
}

static struct tr_note_signer signer(const char *skey)
{
    struct tr_note_signer s;
    struct tr_error err = {0};
    ck_assert_msg(tr_note_signer_parse(skey, strlen(skey), &s, &err) == TR_OK, "%s", err.msg);
    return s;
}

/* Open note (a C string) trusting only key; returns the code, err gets the message. */
static int open_with(const char *note, const struct tr_note_verifier *key, struct tr_error *err)
{
    size_t text_len = 99;
    int rc = tr_note_open(note, strlen(note), key, 1, &text_len, NULL, err);
    if (rc != TR_OK) {
        ck_assert_uint_eq(text_len, 0);
    }
    return rc;
}

/* quote, signed by Peter, then extra (more signature lines or junk). */
static char *peter_note_plus(const char *extra)
{
    struct tr_buf b;
    tr_buf_init(&b);
    tr_buf_adds(&b, quote);
    tr_buf_adds(&b, "\n");
    tr_buf_adds(&b, peter_sig);
    tr_buf_adds(&b, extra);
    return tr_buf_detach(&b, NULL);
}

/* ---- notes.json ---- */

START_TEST(notes_vectors_open_as_expected)
{
    struct tr_json *doc = test_json(VEC "notes.json");
    size_t valid = 0, signed_again = 0;
    ck_assert_uint_eq(doc->u.array.len, 19);
    for (size_t i = 0; i < doc->u.array.len; i++) {
        const struct tr_json *e = doc->u.array.items[i];
        const char *vkey = test_str(e, "verifierKey"), *text = test_str(e, "text");
        int want = test_get(e, "valid")->u.boolean;
        struct tr_note_verifier v;
        struct tr_error err = {0};
        unsigned char *note;
        size_t len;
        if (tr_json_is(test_get(e, "signedNote"), TR_JSON_STRING)) {
            len = strlen(test_str(e, "signedNote"));
            note = malloc(len + 1);
            memcpy(note, test_str(e, "signedNote"), len + 1);
        } else {
            len = strlen(test_str(e, "signedNoteHex")) / 2;
            note = malloc(len + 1);
            test_unhex(test_str(e, "signedNoteHex"), note, len);
        }
        int rc = tr_note_verifier_parse(vkey, strlen(vkey), &v, &err);
        if (rc != TR_OK) {
            /* A verifier key that does not parse makes the case fail. */
            ck_assert_int_eq(rc, TR_EPARSE);
            ck_assert_msg(!want, "entry %zu: %s", i, err.msg);
            free(note);
            continue;
        }
        size_t text_len = 0;
        unsigned char verified = 7;
        rc = tr_note_open((const char *)note, len, &v, 1, &text_len, &verified, &err);
        ck_assert_msg((rc == TR_OK) == want, "entry %zu: rc %d: %s", i, rc, err.msg);
        ck_assert_uint_eq(verified, rc == TR_OK);
        if (rc == TR_OK) {
            ck_assert_uint_eq(text_len, strlen(text));
            ck_assert_mem_eq(note, text, text_len);
            valid++;
        }
        const struct tr_json *impl = tr_json_object_get(e, "implementationDefined");
        if (impl != NULL && impl->u.boolean) {
            /* talentreg follows Go: more than 100 signatures is refused. */
            ck_assert_int_eq(rc, TR_ELIMIT);
            ck_assert_str_eq(err.msg, "note has 101 signature lines, more than 100");
        }
        if (tr_json_object_get(e, "signerKey") != NULL) {
            /* Ed25519 is deterministic: signing again gives the same bytes. */
            struct tr_note_signer s = signer(test_str(e, "signerKey"));
            struct tr_buf out;
            tr_buf_init(&out);
            ck_assert_uint_eq(s.key_id, v.key_id);
            ck_assert_int_eq(tr_note_sign(text, strlen(text), s.name, s.seed, &out, NULL), TR_OK);
            ck_assert_uint_eq(out.len, len);
            ck_assert_mem_eq(out.data, note, len);
            tr_buf_release(&out);
            tr_wipe(&s, sizeof s);
            signed_again++;
        }
        free(note);
    }
    ck_assert_uint_eq(valid, 5);
    ck_assert_uint_eq(signed_again, 1);
    tr_json_free(doc);
}
END_TEST

/* ---- checkpoints.json ---- */

START_TEST(checkpoint_vectors_open_as_expected)
{
    struct tr_json *doc = test_json(VEC "checkpoints.json");
    size_t valid = 0, signed_again = 0;
    ck_assert_uint_eq(doc->u.array.len, 7);
    for (size_t i = 0; i < doc->u.array.len; i++) {
        const struct tr_json *e = doc->u.array.items[i];
        const char *note = test_str(e, "signedNote"), *text = test_str(e, "text");
        struct tr_note_verifier v = verifier(test_str(e, "verifierKey"));
        struct tr_note_checkpoint cp;
        struct tr_error err = {0};
        unsigned char root[TR_MERKLE_HASH_LEN];
        int rc = tr_note_checkpoint_open(note, strlen(note), test_str(e, "expectedOrigin"), &v, 1,
                                         &cp, &err);
        ck_assert_msg((rc == TR_OK) == test_get(e, "valid")->u.boolean, "entry %zu: %s", i,
                      err.msg);
        valid += rc == TR_OK;
        /* Every entry's text is a well-formed checkpoint with the fields given. */
        ck_assert_int_eq(tr_note_checkpoint_parse(text, strlen(text), &cp, NULL), TR_OK);
        ck_assert_str_eq(cp.origin, test_str(e, "origin"));
        ck_assert_uint_eq(cp.size, test_u64(e, "treeSize"));
        test_unhex(test_str(e, "rootHashHex"), root, sizeof root);
        ck_assert_mem_eq(cp.root, root, sizeof root);
        ck_assert_uint_eq(cp.ext_count, 0);
        struct tr_buf out;
        tr_buf_init(&out);
        ck_assert_int_eq(tr_note_checkpoint_format(cp.origin, cp.size, cp.root, &out, NULL), TR_OK);
        ck_assert_str_eq(out.data, text);
        tr_buf_release(&out);
        if (tr_json_object_get(e, "signerKey") != NULL) {
            struct tr_note_signer s = signer(test_str(e, "signerKey"));
            tr_buf_init(&out);
            ck_assert_int_eq(tr_note_sign(text, strlen(text), s.name, s.seed, &out, NULL), TR_OK);
            ck_assert_str_eq(out.data, note);
            tr_buf_release(&out);
            tr_wipe(&s, sizeof s);
            signed_again++;
        }
    }
    ck_assert_uint_eq(valid, 4);
    ck_assert_uint_eq(signed_again, 2);
    tr_json_free(doc);
}
END_TEST

START_TEST(checkpoint_with_another_origin_is_refused)
{
    struct tr_json *doc = test_json(VEC "checkpoints.json");
    const struct tr_json *e = doc->u.array.items[1];
    const char *note = test_str(e, "signedNote");
    struct tr_note_verifier v = verifier(test_str(e, "verifierKey"));
    struct tr_note_checkpoint cp;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_note_checkpoint_open(note, strlen(note), test_str(e, "expectedOrigin"), &v,
                                             1, &cp, &err),
                     TR_EVERIFY);
    ck_assert_str_eq(err.msg, "checkpoint origin 'go.sum database tree' is not the expected 'Go "
                              "rocks but I might have the wrong ID'");
    tr_json_free(doc);
}
END_TEST

/* Checkpoint of size 7, consistency proof 7 -> 8, checkpoint of size 8. */
START_TEST(checkpoints_7_and_8_chain_through_a_consistency_proof)
{
    struct tr_json *cps = test_json(VEC "checkpoints.json");
    struct tr_json *proofs = test_json("tests/vectors/merkle/consistency.json");
    struct tr_note_verifier v = verifier(peter_vkey);
    struct tr_note_checkpoint c7 = {0}, c8 = {0}, cp;
    for (size_t i = 0; i < cps->u.array.len; i++) {
        const struct tr_json *e = cps->u.array.items[i];
        const char *note = test_str(e, "signedNote");
        if (tr_note_checkpoint_open(note, strlen(note), "PeterNeumann", &v, 1, &cp, NULL) !=
            TR_OK) {
            continue;
        }
        if (cp.size == 7) {
            c7 = cp;
        } else if (cp.size == 8 && c8.size == 0) {
            c8 = cp;
        }
    }
    ck_assert_uint_eq(c7.size, 7);
    ck_assert_uint_eq(c8.size, 8);
    const struct tr_json *e = NULL;
    for (size_t i = 0; i < proofs->u.array.len; i++) {
        const struct tr_json *p = proofs->u.array.items[i];
        if (test_u64(p, "size1") == 7 && test_u64(p, "size2") == 8) {
            e = p;
        }
    }
    ck_assert_ptr_nonnull(e);
    const struct tr_json *arr = test_get(e, "proof");
    unsigned char proof[TR_MERKLE_MAX_PROOF][TR_MERKLE_HASH_LEN];
    size_t len = arr->u.array.len;
    for (size_t i = 0; i < len; i++) {
        test_unhex(tr_json_string(arr->u.array.items[i]), proof[i], TR_MERKLE_HASH_LEN);
    }
    ck_assert_int_eq(
        tr_merkle_verify_consistency(c7.size, c8.size, proof, len, c7.root, c8.root, NULL), TR_OK);
    /* The chain does not hold the other way round or with the roots swapped. */
    ck_assert_int_eq(
        tr_merkle_verify_consistency(c7.size, c8.size, proof, len, c8.root, c7.root, NULL),
        TR_EVERIFY);
    tr_json_free(cps);
    tr_json_free(proofs);
}
END_TEST

/* ---- checkpoint_bodies.json ---- */

START_TEST(checkpoint_body_vectors_parse_strictly)
{
    struct tr_json *doc = test_json(VEC "checkpoint_bodies.json");
    size_t valid = 0;
    ck_assert_uint_eq(doc->u.array.len, 16);
    for (size_t i = 0; i < doc->u.array.len; i++) {
        const struct tr_json *e = doc->u.array.items[i];
        const char *text = test_str(e, "text");
        struct tr_note_checkpoint cp;
        struct tr_error err = {0};
        int rc = tr_note_checkpoint_parse(text, strlen(text), &cp, &err);
        ck_assert_msg((rc == TR_OK) == test_get(e, "valid")->u.boolean, "entry %zu: %s", i,
                      err.msg);
        const struct tr_json *upstream = tr_json_object_get(e, "upstreamResult");
        if (upstream != NULL && strcmp(tr_json_string(upstream), "accepted") == 0) {
            /* transparency-dev/formats accepts a 7-byte root; a SHA-256 log cannot have one. */
            ck_assert_int_eq(rc, TR_EPARSE);
            ck_assert_str_eq(err.msg, "checkpoint line 3: root hash: hash is 7 bytes, not 32");
        }
        if (rc != TR_OK) {
            continue;
        }
        valid++;
        unsigned char root[TR_MERKLE_HASH_LEN];
        test_unhex(test_str(e, "rootHashHex"), root, sizeof root);
        ck_assert_str_eq(cp.origin, test_str(e, "origin"));
        ck_assert_uint_eq(cp.size, test_u64(e, "treeSize"));
        ck_assert_mem_eq(cp.root, root, sizeof root);
        struct tr_buf b64;
        tr_buf_init(&b64);
        tr_base64_encode(cp.root, sizeof cp.root, &b64);
        ck_assert_str_eq(b64.data, test_str(e, "rootHashBase64"));
        tr_buf_release(&b64);
        const struct tr_json *ext = test_get(e, "extensionLines");
        ck_assert_uint_eq(cp.ext_count, ext->u.array.len);
        const char *p = text + cp.ext_offset;
        for (size_t k = 0; k < ext->u.array.len; k++) {
            const char *line = tr_json_string(ext->u.array.items[k]);
            ck_assert_mem_eq(p, line, strlen(line));
            ck_assert_int_eq(p[strlen(line)], '\n');
            p += strlen(line) + 1;
        }
        ck_assert_ptr_eq(p, text + cp.ext_offset + cp.ext_len);
        ck_assert_ptr_eq(p, text + strlen(text));
    }
    ck_assert_uint_eq(valid, 3);
    tr_json_free(doc);
}
END_TEST

/* ---- Keys ---- */

START_TEST(verifier_keys_round_trip)
{
    static const char *const vkeys[] = {
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        peter_vkey,
        enoch_vkey,
        "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
    };
    static const uint32_t ids[] = {0x530d903a, 0xc74f20a3, 0xaf0cfe78, 0x033de0ae};
    for (size_t i = 0; i < sizeof vkeys / sizeof vkeys[0]; i++) {
        struct tr_note_verifier v = verifier(vkeys[i]), w;
        struct tr_buf b;
        ck_assert_uint_eq(v.key_id, ids[i]);
        tr_buf_init(&b);
        ck_assert_int_eq(tr_note_verifier_format(&v, &b), TR_OK);
        ck_assert_str_eq(b.data, vkeys[i]);
        tr_buf_release(&b);
        ck_assert_int_eq(tr_note_verifier_from_public(v.name, v.public_key, &w, NULL), TR_OK);
        ck_assert_uint_eq(w.key_id, ids[i]);
    }
}
END_TEST

START_TEST(verifier_keys_are_checked)
{
    static const struct {
        const char *vkey;
        int rc;
        const char *msg;
    } bad[] = {
        {"PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", TR_EPARSE,
         "key 'PeterNeumann' is longer than an Ed25519 key"},
        {"PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", TR_EPARSE,
         "key 'PeterNeumann': unknown signature algorithm 0x65"},
        {"PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", TR_EPARSE,
         "key 'PeterNeumann': key id c74f20a4 does not match the key"},
        {"PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", TR_EPARSE,
         "key 'PeterNeumann': key id is not 8 lowercase hex digits"},
        {"PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", TR_EPARSE,
         "key 'PeterNeumann': key id is not 8 lowercase hex digits"},
        {"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", TR_EPARSE,
         "key 'PeterNeumann': base64 length 43 is not a multiple of 4"},
        {"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW ", TR_EPARSE,
         "key 'PeterNeumann': base64 length 45 is not a multiple of 4"},
        {"PeterNeumann+c74f20a3+ARpc", TR_EPARSE,
         "key 'PeterNeumann': an Ed25519 key has 32 bytes, not 2"},
        {"PeterNeumann+c74f20a3+", TR_EPARSE, "key 'PeterNeumann' is empty"},
        {"PeterNeumann+c74f20a3", TR_EPARSE, "key is not of the form name+keyid+key"},
        {"+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", TR_EPARSE, "key name is empty"},
        {"Peter Neumann+c74f20a3+ARpc", TR_EPARSE,
         "key name has a space, '+' or control character at byte 5"},
        {"Peter\tNeumann+c74f20a3+ARpc", TR_EPARSE,
         "key name has a space, '+' or control character at byte 5"},
        {"Peter\xc2\xa0Neumann+c74f20a3+ARpc", TR_EPARSE,
         "key name has a space, '+' or control character at byte 5"},
        {"Peter\xe3\x80\x80Neumann+c74f20a3+ARpc", TR_EPARSE,
         "key name has a space, '+' or control character at byte 5"},
        {"Peter\x01+c74f20a3+ARpc", TR_EPARSE,
         "key name has a space, '+' or control character at byte 5"},
        {"Peter\xff+c74f20a3+ARpc", TR_EPARSE, "key name is not valid UTF-8 at byte 5"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tr_note_verifier v;
        struct tr_error err = {0};
        ck_assert_int_eq(tr_note_verifier_parse(bad[i].vkey, strlen(bad[i].vkey), &v, &err),
                         bad[i].rc);
        ck_assert_str_eq(err.msg, bad[i].msg);
    }
}
END_TEST

START_TEST(key_names_have_a_length_limit)
{
    char name[TR_NOTE_NAME_MAX + 2];
    struct tr_note_verifier v = verifier(peter_vkey), w;
    struct tr_error err = {0};
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    ck_assert_int_eq(tr_note_verifier_from_public(name, v.public_key, &w, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "key name is longer than 255 bytes");
    struct tr_buf b;
    tr_buf_init(&b);
    tr_buf_addf(&b, "%s+00000000+", name);
    tr_base64_encode("\x01", 1, &b);
    ck_assert_int_eq(tr_note_verifier_parse(b.data, b.len, &w, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "key name is longer than 255 bytes");
    tr_buf_release(&b);
    name[TR_NOTE_NAME_MAX] = '\0';
    ck_assert_int_eq(tr_note_verifier_from_public(name, v.public_key, &w, &err), TR_OK);
    ck_assert_int_eq(tr_note_verifier_from_public("a+b", v.public_key, &w, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "key name has a space, '+' or control character at byte 1");
}
END_TEST

START_TEST(signer_keys_are_checked)
{
    struct tr_note_signer s = signer(peter_skey);
    ck_assert_str_eq(s.name, "PeterNeumann");
    ck_assert_uint_eq(s.key_id, 0xc74f20a3);
    static const struct {
        const char *skey;
        const char *msg;
    } bad[] = {
        {"PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
         "private key 'PeterNeumann': key id c74f20a4 does not match the key"},
        {"PRIVATE+KEY+PeterNeumann+c74f20a3+ZYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
         "key 'PeterNeumann': unknown signature algorithm 0x65"},
        {"PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
         "private key does not start with 'PRIVATE+KEY+'"},
        {"PRIVATE+KEY", "private key does not start with 'PRIVATE+KEY+'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tr_error err = {0};
        static const unsigned char zero[sizeof s] = {0};
        memset(&s, 0x55, sizeof s);
        ck_assert_int_eq(tr_note_signer_parse(bad[i].skey, strlen(bad[i].skey), &s, &err),
                         TR_EPARSE);
        ck_assert_str_eq(err.msg, bad[i].msg);
        ck_assert_mem_eq(&s, zero, sizeof s); /* wiped: no partial secret is left */
    }
}
END_TEST

/* ---- Signing ---- */

START_TEST(sign_then_open_round_trips)
{
    struct tr_note_signer s = signer(peter_skey);
    struct tr_note_verifier v = verifier(peter_vkey);
    static const char *const texts[] = {"a\n", "\n", "with\n\nblank lines\n\n\n",
                                        "unicode: 学分互认 — ok\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct tr_buf b;
        size_t text_len = 0;
        tr_buf_init(&b);
        ck_assert_int_eq(tr_note_sign(texts[i], strlen(texts[i]), s.name, s.seed, &b, NULL), TR_OK);
        ck_assert_int_eq(tr_note_open(b.data, b.len, &v, 1, &text_len, NULL, NULL), TR_OK);
        ck_assert_uint_eq(text_len, strlen(texts[i]));
        ck_assert_mem_eq(b.data, texts[i], text_len);
        tr_buf_release(&b);
    }
    tr_wipe(&s, sizeof s);
}
END_TEST

START_TEST(sign_refuses_what_open_would_refuse)
{
    struct tr_note_signer s = signer(peter_skey);
    static const struct {
        const char *text;
        const char *name;
        const char *msg;
    } bad[] = {
        {"no final newline", "PeterNeumann", "note text does not end in a newline"},
        {"", "PeterNeumann", "note text does not end in a newline"},
        {"carriage\r\n", "PeterNeumann", "note text has control character 0x0d at byte 8"},
        {"bad \xc0\xaf\n", "PeterNeumann", "note text is not valid UTF-8 at byte 4"},
        {"ok\n", "Peter Neumann", "key name has a space, '+' or control character at byte 5"},
        {"ok\n", "", "key name is empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tr_buf b;
        struct tr_error err = {0};
        tr_buf_init(&b);
        tr_buf_adds(&b, "kept");
        ck_assert_int_eq(
            tr_note_sign(bad[i].text, strlen(bad[i].text), bad[i].name, s.seed, &b, &err),
            TR_EINVAL);
        ck_assert_str_eq(err.msg, bad[i].msg);
        ck_assert_str_eq(b.data, "kept");
        tr_buf_release(&b);
    }
    tr_wipe(&s, sizeof s);
}
END_TEST

/* ---- Opening: each rule ---- */

START_TEST(malformed_notes_say_why)
{
    struct tr_note_verifier v = verifier(peter_vkey);
    static const struct {
        const char *note;
        int rc;
        const char *msg;
    } bad[] = {
        {"text\n", TR_EPARSE, "note has no blank line before its signatures"},
        {"text\n\n", TR_EPARSE, "note has no signature lines"},
        {"text\n\n— a AAAAAAA=", TR_EPARSE, "note does not end in a newline"},
        {"text\n\n— a AAAAAAA=\n\x01", TR_EPARSE, "note has control character 0x01 at byte 21"},
        {"text\xed\xa0\x80\n\n— a AAAAAAA=\n", TR_EPARSE, "note is not valid UTF-8 at byte 4"},
        {"text\n\n- a AAAAAAA=\n", TR_EPARSE,
         "signature line 1 does not start with an em dash and a space"},
        {"text\n\n—a AAAAAAA=\n", TR_EPARSE,
         "signature line 1 does not start with an em dash and a space"},
        {"text\n\n— a AAAAAAA=\n— \n", TR_EPARSE, "signature line 2 is not '— NAME SIGNATURE'"},
        {"text\n\n— a \n", TR_EPARSE, "signature line 1 is not '— NAME SIGNATURE'"},
        {"text\n\n— aAAAAAAA=\n", TR_EPARSE, "signature line 1 is not '— NAME SIGNATURE'"},
        {"text\n\n—  AAAAAAA=\n", TR_EPARSE, "signature line 1: key name is empty"},
        {"text\n\n— a+b AAAAAAA=\n", TR_EPARSE,
         "signature line 1: key name has a space, '+' or control character at byte 1"},
        {"text\n\n— a AAAAAAA= \n", TR_EPARSE,
         "signature line 1: base64 length 9 is not a multiple of 4"},
        {"text\n\n— a AAAAAAB=\n", TR_EPARSE,
         "signature line 1: non-canonical base64: unused bits at offset 6 are not zero"},
        {"text\n\n— a AAAAAA==\n", TR_EPARSE, "signature line 1: signature is 4 bytes"},
        {"text\n\n— a AAAAAAA=\n", TR_EVERIFY, "note has no signature by a trusted key"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tr_error err = {0};
        ck_assert_int_eq(open_with(bad[i].note, &v, &err), bad[i].rc);
        ck_assert_str_eq(err.msg, bad[i].msg);
    }
}
END_TEST

/* quote signed by Peter, then a second Peter line carrying n bytes of fill after his key ID. */
static char *peter_note_with_second_line(size_t n, unsigned char fill)
{
    unsigned char sig[4 + TR_ED25519_SIG_LEN] = {0xc7, 0x4f, 0x20, 0xa3};
    struct tr_buf line;
    ck_assert_uint_le(n, TR_ED25519_SIG_LEN);
    memset(sig + 4, fill, n);
    tr_buf_init(&line);
    tr_buf_adds(&line, "— PeterNeumann ");
    tr_base64_encode(sig, 4 + n, &line);
    tr_buf_addc(&line, '\n');
    char *note = peter_note_plus(line.data);
    tr_buf_release(&line);
    return note;
}

START_TEST(known_key_with_a_bad_signature_rejects_the_note)
{
    struct tr_note_verifier v = verifier(peter_vkey);
    struct tr_error err = {0};
    /* A second, different line by the same key that does not verify: Go skips it as a
     * duplicate, talentreg verifies every line of a known key and refuses the note. */
    char *note = peter_note_with_second_line(TR_ED25519_SIG_LEN, 0x41);
    ck_assert_int_eq(open_with(note, &v, &err), TR_EVERIFY);
    ck_assert_str_eq(err.msg, "signature line 2: signature by 'PeterNeumann' does not verify");
    free(note);
    /* A known key's signature of the wrong length. */
    note = peter_note_with_second_line(1, 0x41);
    ck_assert_int_eq(open_with(note, &v, &err), TR_EVERIFY);
    ck_assert_str_eq(err.msg, "signature line 2: signature by 'PeterNeumann' is 1 bytes, not 64");
    free(note);
    /* The same name with another key ID is another key: ignored. */
    note = peter_note_plus("— PeterNeumann AAAAAAA=\n");
    ck_assert_int_eq(open_with(note, &v, &err), TR_OK);
    free(note);
}
END_TEST

START_TEST(trusted_keys_sharing_name_and_id_must_all_verify)
{
    struct tr_note_verifier keys[2] = {verifier(peter_vkey), verifier(peter_vkey)};
    size_t text_len;
    struct tr_error err = {0};
    char *note = peter_note_plus("");
    keys[1].public_key[0] ^= 1;
    ck_assert_int_eq(tr_note_open(note, strlen(note), keys, 2, &text_len, NULL, &err), TR_EVERIFY);
    ck_assert_str_eq(err.msg, "signature line 1: signature by 'PeterNeumann' does not verify");
    free(note);
}
END_TEST

START_TEST(verified_flags_name_the_signers)
{
    struct tr_note_verifier keys[3] = {verifier(enoch_vkey), verifier(peter_vkey),
                                       verifier("example.com/foo+530d903a+"
                                                "AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")};
    unsigned char verified[3] = {9, 9, 9};
    size_t text_len = 0;
    char *note = peter_note_plus("— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
                                 "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n");
    ck_assert_int_eq(tr_note_open(note, strlen(note), keys, 3, &text_len, verified, NULL), TR_OK);
    ck_assert_uint_eq(text_len, strlen(quote));
    ck_assert_uint_eq(verified[0], 1);
    ck_assert_uint_eq(verified[1], 1);
    ck_assert_uint_eq(verified[2], 0);
    free(note);
}
END_TEST

/* 100 signature lines are accepted (C2SP asks for at least 16), 101 are not. */
START_TEST(one_hundred_signatures_are_the_limit)
{
    struct tr_note_verifier v = verifier(peter_vkey);
    struct tr_buf extra;
    struct tr_error err = {0};
    tr_buf_init(&extra);
    for (int i = 0; i < 99; i++) {
        tr_buf_addf(&extra, "— witness%d.example AAAAAAA=\n", i);
    }
    char *note = peter_note_plus(extra.data);
    ck_assert_int_eq(open_with(note, &v, &err), TR_OK);
    free(note);
    tr_buf_adds(&extra, "— one.too.many AAAAAAA=\n");
    note = peter_note_plus(extra.data);
    ck_assert_int_eq(open_with(note, &v, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "note has 101 signature lines, more than 100");
    free(note);
    tr_buf_release(&extra);
}
END_TEST

START_TEST(unknown_long_names_and_large_signatures_are_ignored)
{
    struct tr_note_verifier v = verifier(peter_vkey);
    struct tr_buf extra;
    unsigned char big[4700] = {0};
    tr_buf_init(&extra);
    tr_buf_adds(&extra, "— ");
    for (int i = 0; i < 300; i++) {
        tr_buf_addc(&extra, 'n');
    }
    tr_buf_adds(&extra, " AAAAAAA=\n— mldsa.example ");
    tr_base64_encode(big, sizeof big, &extra);
    tr_buf_addc(&extra, '\n');
    char *note = peter_note_plus(extra.data);
    ck_assert_int_eq(open_with(note, &v, NULL), TR_OK);
    free(note);
    tr_buf_release(&extra);
}
END_TEST

/* ---- Checkpoint bodies: each rule ---- */

START_TEST(checkpoint_bodies_say_why)
{
    static const struct {
        const char *text;
        int rc;
        const char *msg;
    } bad[] = {
        {"o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", TR_EPARSE,
         "checkpoint does not end in a newline"},
        {"o\n1\n", TR_EPARSE, "checkpoint has 2 lines, not at least 3"},
        {"", TR_EPARSE, "checkpoint does not end in a newline"},
        {"\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", TR_EPARSE,
         "checkpoint line 1: checkpoint origin is empty"},
        {"o\n\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", TR_EPARSE,
         "checkpoint line 2: tree size is empty"},
        {"o\n+1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", TR_EPARSE,
         "checkpoint line 2: tree size '+1' is not a decimal number"},
        {"o\n00\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", TR_EPARSE,
         "checkpoint line 2: tree size '00' has a leading zero"},
        {"o\n18446744073709551616\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", TR_EPARSE,
         "checkpoint line 2: tree size '18446744073709551616' does not fit in 64 bits"},
        {"o\n0\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n", TR_EPARSE,
         "checkpoint line 3: a tree of size 0 must have the empty-tree root"},
        {"o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next\n\n", TR_EPARSE,
         "checkpoint line 5: extension line is empty"},
        {"o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n", TR_EPARSE,
         "checkpoint line 3: root hash: non-canonical base64: unused bits at offset 42 are not "
         "zero"},
        {"o\t\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", TR_EPARSE,
         "checkpoint has control character 0x09 at byte 1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tr_note_checkpoint cp;
        struct tr_error err = {0};
        ck_assert_int_eq(tr_note_checkpoint_parse(bad[i].text, strlen(bad[i].text), &cp, &err),
                         bad[i].rc);
        ck_assert_str_eq(err.msg, bad[i].msg);
    }
}
END_TEST

START_TEST(checkpoint_sizes_span_uint64)
{
    struct tr_note_checkpoint cp;
    const char *text = "log.example\n18446744073709551615\n"
                       "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
    ck_assert_int_eq(tr_note_checkpoint_parse(text, strlen(text), &cp, NULL), TR_OK);
    ck_assert_uint_eq(cp.size, UINT64_MAX);
    struct tr_buf b;
    tr_buf_init(&b);
    ck_assert_int_eq(tr_note_checkpoint_format(cp.origin, cp.size, cp.root, &b, NULL), TR_OK);
    ck_assert_str_eq(b.data, text);
    tr_buf_release(&b);
}
END_TEST

START_TEST(checkpoint_origin_is_bounded)
{
    struct tr_note_checkpoint cp;
    struct tr_error err = {0};
    struct tr_buf b;
    tr_buf_init(&b);
    for (int i = 0; i < TR_NOTE_NAME_MAX + 1; i++) {
        tr_buf_addc(&b, 'o');
    }
    tr_buf_adds(&b, "\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
    ck_assert_int_eq(tr_note_checkpoint_parse(b.data, b.len, &cp, &err), TR_ELIMIT);
    ck_assert_str_eq(err.msg, "checkpoint line 1: checkpoint origin is longer than 255 bytes");
    ck_assert_int_eq(tr_note_checkpoint_parse(b.data + 1, b.len - 1, &cp, &err), TR_OK);
    ck_assert_uint_eq(strlen(cp.origin), TR_NOTE_NAME_MAX);
    tr_buf_release(&b);
}
END_TEST

START_TEST(checkpoint_format_refuses_what_parse_refuses)
{
    unsigned char root[TR_MERKLE_HASH_LEN] = {1};
    struct tr_buf b;
    struct tr_error err = {0};
    tr_buf_init(&b);
    ck_assert_int_eq(tr_note_checkpoint_format("log", 0, root, &b, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "a checkpoint of size 0 needs the empty-tree root");
    ck_assert_int_eq(tr_note_checkpoint_format("two\nlines", 1, root, &b, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "checkpoint origin has a newline");
    ck_assert_int_eq(tr_note_checkpoint_format("", 1, root, &b, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "checkpoint origin is empty");
    ck_assert_str_eq(b.data, "");
    ck_assert_int_eq(tr_note_checkpoint_format("talentreg.example/jiangsu", 1, root, &b, &err),
                     TR_OK);
    ck_assert_str_eq(
        b.data, "talentreg.example/jiangsu\n1\nAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    tr_buf_release(&b);
}
END_TEST

Suite *note_suite(void)
{
    Suite *s = suite_create("note");
    TCase *tc = tcase_create("note");
    tcase_add_test(tc, notes_vectors_open_as_expected);
    tcase_add_test(tc, checkpoint_vectors_open_as_expected);
    tcase_add_test(tc, checkpoint_with_another_origin_is_refused);
    tcase_add_test(tc, checkpoints_7_and_8_chain_through_a_consistency_proof);
    tcase_add_test(tc, checkpoint_body_vectors_parse_strictly);
    tcase_add_test(tc, verifier_keys_round_trip);
    tcase_add_test(tc, verifier_keys_are_checked);
    tcase_add_test(tc, key_names_have_a_length_limit);
    tcase_add_test(tc, signer_keys_are_checked);
    tcase_add_test(tc, sign_then_open_round_trips);
    tcase_add_test(tc, sign_refuses_what_open_would_refuse);
    tcase_add_test(tc, malformed_notes_say_why);
    tcase_add_test(tc, known_key_with_a_bad_signature_rejects_the_note);
    tcase_add_test(tc, trusted_keys_sharing_name_and_id_must_all_verify);
    tcase_add_test(tc, verified_flags_name_the_signers);
    tcase_add_test(tc, one_hundred_signatures_are_the_limit);
    tcase_add_test(tc, unknown_long_names_and_large_signatures_are_ignored);
    tcase_add_test(tc, checkpoint_bodies_say_why);
    tcase_add_test(tc, checkpoint_sizes_span_uint64);
    tcase_add_test(tc, checkpoint_origin_is_bounded);
    tcase_add_test(tc, checkpoint_format_refuses_what_parse_refuses);
    suite_add_tcase(s, tc);
    return s;
}
