/*
 * talentreg/ident.h — identifiers: Unified Social Credit Codes of organisations, resident
 * identity numbers, pseudonymous person ids, record ids, Ed25519 did:keys, the URNs that
 * name them in credentials, and the keyed hash that stands in for a national id number.
 *
 * The check functions take a value that need not be NUL-terminated (s, len) and return
 * TR_OK when it is valid, or TR_EINVAL with a message that is a predicate about the value,
 * to be put after its subject: "is not a valid unified social credit code: the check
 * character must be 'L', not 'N'" reads as "field 'issuer' is not a valid ...". Messages
 * never quote a resident identity number: it is personal data and is never printed.
 */
#ifndef TALENTREG_IDENT_H
#define TALENTREG_IDENT_H

#include <stddef.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Lengths, without a terminating NUL. */
#define TR_USCC_LEN 18        /* 统一社会信用代码, GB 32100-2015 */
#define TR_RESIDENT_ID_LEN 18 /* 公民身份号码, GB 11643-1999 */
#define TR_PERSON_ID_MAX 66   /* "p-" and 1 to 64 more characters */
#define TR_RECORD_ID_LEN 64   /* lowercase hex SHA-256 */
#define TR_ID_KEY_LEN 32      /* the HMAC key of national id hashes, in bytes */
#define TR_ID_HASH_LEN 64     /* an id hash: lowercase hex HMAC-SHA256 */
#define TR_DID_KEY_LEN 56     /* "did:key:z6Mk" and 44 more base58btc characters */

/* The prefix of every person id. */
#define TR_PERSON_ID_PREFIX "p-"

/* How credentials name organisations, people, records and the registry operator. */
#define TR_URN_ORG "urn:talentreg:org:"       /* followed by a USCC */
#define TR_URN_PERSON "urn:talentreg:person:" /* followed by a person id */
#define TR_URN_RECORD "urn:talentreg:record:" /* followed by a record id */
#define TR_URN_OPERATOR "urn:talentreg:operator"

/* Room for the longest URN of each kind, with its NUL. */
#define TR_URN_ORG_MAX (sizeof TR_URN_ORG - 1 + TR_USCC_LEN + 1)
#define TR_URN_PERSON_MAX (sizeof TR_URN_PERSON - 1 + TR_PERSON_ID_MAX + 1)
#define TR_URN_RECORD_MAX (sizeof TR_URN_RECORD - 1 + TR_RECORD_ID_LEN + 1)

/*
 * tr_ident_uscc_check — a Unified Social Credit Code per GB 32100-2015: 18 characters of
 * the 31-symbol alphabet 0-9 A-H J-N P-R T U W-Y (no I, O, S, V, Z), characters 3 to 8
 * digits, and character 18 the check character of the first 17 (weights 3^(i-1) mod 31).
 * Strict: codes of the early pilot regions that fail the check are refused.
 * Returns TR_OK or TR_EINVAL (err, may be NULL, says why).
 */
int tr_ident_uscc_check(const char *s, size_t len, struct tr_error *err);

/*
 * tr_ident_uscc_check_char — the check character of the 17 characters at body, or '\0'
 * when one of them is not in the alphabet. Used to issue valid codes.
 */
char tr_ident_uscc_check_char(const char body[TR_USCC_LEN - 1]);

/*
 * tr_ident_resident_id_check — a resident identity number: 17 digits and a digit or an
 * upper-case 'X' (no other spelling is accepted, so one person has one hash), the ISO 7064
 * MOD 11-2 check character, and characters 7 to 14 a real date YYYYMMDD. The address code
 * (characters 1 to 6) is not checked. Returns TR_OK or TR_EINVAL; the message never quotes
 * the number.
 */
int tr_ident_resident_id_check(const char *s, size_t len, struct tr_error *err);

/*
 * tr_ident_resident_id_check_char — 1 when s has the form of a resident id number and its
 * check character is right (the birth date is not looked at), else 0.
 */
int tr_ident_resident_id_check_char(const char *s, size_t len);

/*
 * tr_ident_person_id_check — a pseudonymous person id: "p-" followed by 1 to 64 of a-z, 0-9
 * and '-', where a '-' stands only between two letters or digits (so p-zhang-wei-1984).
 * Returns TR_OK or TR_EINVAL.
 */
int tr_ident_person_id_check(const char *s, size_t len, struct tr_error *err);

/* tr_ident_record_id_check — exactly 64 lowercase hex digits. TR_OK or TR_EINVAL. */
int tr_ident_record_id_check(const char *s, size_t len, struct tr_error *err);

/*
 * tr_ident_hash_check — an id hash: exactly 64 lowercase hex digits. TR_OK or TR_EINVAL.
 */
int tr_ident_hash_check(const char *s, size_t len, struct tr_error *err);

/*
 * tr_ident_did_key_check — the did:key of an Ed25519 public key: "did:key:z" and the
 * base58btc encoding of the multicodec prefix 0xed 0x01 followed by 32 key bytes. The key
 * itself is not checked to be a curve point. Returns TR_OK or TR_EINVAL.
 */
int tr_ident_did_key_check(const char *s, size_t len, struct tr_error *err);

/*
 * tr_ident_urn_value — when s starts with prefix (one of the TR_URN_* prefixes), a pointer
 * to what follows it in s; else NULL. NULL s or prefix give NULL.
 */
const char *tr_ident_urn_value(const char *s, const char *prefix);

/*
 * tr_ident_hash — out = lowercase hex HMAC-SHA256(key, the len bytes at id), NUL-terminated.
 * This keyed hash is the only form in which a national id number is stored: equal numbers
 * give equal hashes under one registry's key, and without the key the number cannot be
 * found by trying all numbers. Returns TR_OK or TR_ECRYPTO.
 */
int tr_ident_hash(const unsigned char key[TR_ID_KEY_LEN], const char *id, size_t len,
                  char out[TR_ID_HASH_LEN + 1]);

/*
 * tr_ident_key_parse — an id key written as 64 hex digits (either case), optionally
 * followed by one line feed, into key. Returns TR_OK or TR_EINVAL; on failure key is
 * zeroed. The message does not quote the text.
 */
int tr_ident_key_parse(const char *text, size_t len, unsigned char key[TR_ID_KEY_LEN],
                       struct tr_error *err);

/*
 * tr_ident_key_read — tr_ident_key_parse of the file at path ("-" = standard input). Every
 * buffer that held the key text is wiped. Returns TR_OK, TR_EIO, TR_ELIMIT (the file is
 * much longer than a key) or TR_EINVAL; err names the file.
 */
int tr_ident_key_read(const char *path, unsigned char key[TR_ID_KEY_LEN], struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
