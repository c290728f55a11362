/* ident.c — USCC, resident id, person id, record id and did:key checks; id hashes and keys. */
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

#include "talentreg/date.h"
#include "talentreg/ident.h"
#include "talentreg/key.h"

/* GB 32100-2015: the 31 symbols, valued 0 to 30 in this order. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c)
{
    const char *p = c != '\0' ? strchr(uscc_alphabet, c) : NULL;
    return p != NULL ? (int)(p - uscc_alphabet) : -1;
}

char tr_ident_uscc_check_char(const char body[TR_USCC_LEN - 1])
{
    int weight = 1, sum = 0;
    for (int i = 0; i < TR_USCC_LEN - 1; i++) {
        int v = uscc_value(body[i]);
        if (v < 0) {
            return '\0';
        }
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    return uscc_alphabet[(31 - sum % 31) % 31];
}

int tr_ident_uscc_check(const char *s, size_t len, struct tr_error *err)
{
    static const char what[] = "is not a valid unified social credit code";
    if (len != TR_USCC_LEN) {
        return tr_error_set(err, TR_EINVAL, "%s: it must be %d characters long", what, TR_USCC_LEN);
    }
    for (int i = 0; i < TR_USCC_LEN; i++) {
        if (uscc_value(s[i]) < 0) {
            return tr_error_set(err, TR_EINVAL,
                                "%s: character %d is not one of 0-9 and A-Y without I, O, S, "
                                "V and Z",
                                what, i + 1);
        }
        if (i >= 2 && i < 8 && (s[i] < '0' || s[i] > '9')) {
            return tr_error_set(err, TR_EINVAL, "%s: characters 3 to 8 must be digits", what);
        }
    }
    char want = tr_ident_uscc_check_char(s);
    if (s[TR_USCC_LEN - 1] != want) {
        return tr_error_set(err, TR_EINVAL, "%s: the check character must be '%c', not '%c'", what,
                            want, s[TR_USCC_LEN - 1]);
    }
    return TR_OK;
}

/* ISO 7064 MOD 11-2 over 17 digits: the character that makes the weighted sum 1 mod 11. */
static int resident_form_ok(const char *s, size_t len)
{
    if (len != TR_RESIDENT_ID_LEN) {
        return 0;
    }
    for (size_t i = 0; i < TR_RESIDENT_ID_LEN - 1; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    char last = s[TR_RESIDENT_ID_LEN - 1];
    return (last >= '0' && last <= '9') || last == 'X';
}

int tr_ident_resident_id_check_char(const char *s, size_t len)
{
    static const int weights[TR_RESIDENT_ID_LEN - 1] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                        3, 7, 9,  10, 5, 8, 4, 2};
    if (!resident_form_ok(s, len)) {
        return 0;
    }
    int sum = 0;
    for (int i = 0; i < TR_RESIDENT_ID_LEN - 1; i++) {
        sum += (s[i] - '0') * weights[i];
    }
    return "10X98765432"[sum % 11] == s[TR_RESIDENT_ID_LEN - 1];
}

int tr_ident_resident_id_check(const char *s, size_t len, struct tr_error *err)
{
    static const char what[] = "is not a valid resident id number";
    if (!resident_form_ok(s, len)) {
        return tr_error_set(err, TR_EINVAL, "%s: it must be 17 digits followed by a digit or 'X'",
                            what);
    }
    if (!tr_ident_resident_id_check_char(s, len)) {
        return tr_error_set(err, TR_EINVAL, "%s: the check character is wrong", what);
    }
    int year = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
    int month = (s[10] - '0') * 10 + (s[11] - '0');
    int day = (s[12] - '0') * 10 + (s[13] - '0');
    if (!tr_date_valid(year, month, day)) {
        return tr_error_set(err, TR_EINVAL, "%s: the birth date does not exist", what);
    }
    return TR_OK;
}

int tr_ident_person_id_check(const char *s, size_t len, struct tr_error *err)
{
    static const char what[] = "is not a valid person id";
    const size_t plen = sizeof TR_PERSON_ID_PREFIX - 1;
    if (len < plen || memcmp(s, TR_PERSON_ID_PREFIX, plen) != 0) {
        return tr_error_set(err, TR_EINVAL, "%s: it must start with '%s'", what,
                            TR_PERSON_ID_PREFIX);
    }
    if (len == plen || len > TR_PERSON_ID_MAX) {
        return tr_error_set(err, TR_EINVAL, "%s: it must have 1 to %d characters after '%s'", what,
                            TR_PERSON_ID_MAX - (int)plen, TR_PERSON_ID_PREFIX);
    }
    for (size_t i = plen; i < len; i++) {
        char c = s[i];
        if (c == '-') {
            if (i == plen || i + 1 == len || s[i + 1] == '-') {
                return tr_error_set(err, TR_EINVAL,
                                    "%s: a '-' may only stand between letters or digits", what);
            }
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return tr_error_set(err, TR_EINVAL, "%s: only a-z, 0-9 and '-' may follow '%s'", what,
                                TR_PERSON_ID_PREFIX);
        }
    }
    return TR_OK;
}

/* Exactly want lowercase hex digits; what names the value in the message. */
static int lower_hex_check(const char *s, size_t len, size_t want, const char *what,
                           struct tr_error *err)
{
    size_t i = 0;
    while (i < len && ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
        i++;
    }
    if (len != want || i != len) {
        return tr_error_set(err, TR_EINVAL,
                            "is not a valid %s: it must be %zu lowercase hex digits", what, want);
    }
    return TR_OK;
}

int tr_ident_record_id_check(const char *s, size_t len, struct tr_error *err)
{
    return lower_hex_check(s, len, TR_RECORD_ID_LEN, "record id", err);
}

int tr_ident_hash_check(const char *s, size_t len, struct tr_error *err)
{
    return lower_hex_check(s, len, TR_ID_HASH_LEN, "id hash", err);
}

int tr_ident_did_key_check(const char *s, size_t len, struct tr_error *err)
{
    static const char what[] = "is not a valid Ed25519 did:key";
    static const char prefix[] = "did:key:z";
    const size_t plen = sizeof prefix - 1;
    char did[TR_DID_KEY_LEN + 1];
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_error sub = {0};
    if (len < plen || memcmp(s, prefix, plen) != 0) {
        return tr_error_set(err, TR_EINVAL, "%s: it must start with '%s'", what, prefix);
    }
    if (len != TR_DID_KEY_LEN) {
        return tr_error_set(err, TR_EINVAL, "%s: it must be %d characters long", what,
                            TR_DID_KEY_LEN);
    }
    memcpy(did, s, len);
    did[len] = '\0';
    if (tr_key_parse_did(did, pub, &sub) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "%s: %s", what, sub.msg);
    }
    return TR_OK;
}

const char *tr_ident_urn_value(const char *s, const char *prefix)
{
    if (s == NULL || prefix == NULL) {
        return NULL;
    }
    size_t n = strlen(prefix);
    return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

int tr_ident_hash(const unsigned char key[TR_ID_KEY_LEN], const char *id, size_t len,
                  char out[TR_ID_HASH_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    int rc = TR_OK;
    if (HMAC(EVP_sha256(), key, TR_ID_KEY_LEN, (const unsigned char *)id, len, mac, &mac_len) ==
            NULL ||
        mac_len != TR_ID_HASH_LEN / 2) {
        rc = TR_ECRYPTO;
        out[0] = '\0';
        goto out;
    }
    for (unsigned i = 0; i < mac_len; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[TR_ID_HASH_LEN] = '\0';
out:
    tr_wipe(mac, sizeof mac);
    return rc;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int tr_ident_key_parse(const char *text, size_t len, unsigned char key[TR_ID_KEY_LEN],
                       struct tr_error *err)
{
    if (len == 2 * TR_ID_KEY_LEN + 1 && text[len - 1] == '\n') {
        len--;
    }
    if (len != 2 * TR_ID_KEY_LEN) {
        goto bad;
    }
    for (size_t i = 0; i < TR_ID_KEY_LEN; i++) {
        int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            goto bad;
        }
        key[i] = (unsigned char)(hi << 4 | lo);
    }
    return TR_OK;
bad:
    tr_wipe(key, TR_ID_KEY_LEN);
    return tr_error_set(err, TR_EINVAL, "an id key must be %d hex digits on one line",
                        2 * TR_ID_KEY_LEN);
}

int tr_ident_key_read(const char *path, unsigned char key[TR_ID_KEY_LEN], struct tr_error *err)
{
    /* Read into a local buffer, not a tr_buf, so every copy of the key text can be wiped. */
    char text[4 * TR_ID_KEY_LEN];
    size_t len = 0;
    int rc = TR_OK;
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        return tr_error_set(err, TR_EIO, "cannot open '%s': %s", path, strerror(errno));
    }
    len = fread(text, 1, sizeof text, f);
    if (ferror(f)) {
        rc = tr_error_set(err, TR_EIO, "cannot read '%s': %s", path, strerror(errno));
        goto out;
    }
    if (len == sizeof text && fgetc(f) != EOF) {
        rc = tr_error_set(err, TR_ELIMIT, "'%s' is too long to be an id key", path);
        goto out;
    }
    rc = tr_ident_key_parse(text, len, key, err);
    if (rc != TR_OK) {
        tr_error_prefix(err, "'%s'", path);
    }
out:
    if (!is_stdin && fclose(f) != 0 && rc == TR_OK) {
        rc = tr_error_set(err, TR_EIO, "cannot close '%s': %s", path, strerror(errno));
    }
    if (rc != TR_OK) {
        tr_wipe(key, TR_ID_KEY_LEN);
    }
    tr_wipe(text, sizeof text);
    return rc;
}
