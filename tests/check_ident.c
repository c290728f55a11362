/* check_ident.c — USCC, resident id, person id, record id, did:key, id hashes and keys. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

static int uscc(const char *s, struct tr_error *err)
{
    return tr_ident_uscc_check(s, strlen(s), err);
}

static int resident(const char *s, struct tr_error *err)
{
    return tr_ident_resident_id_check(s, strlen(s), err);
}

static int person(const char *s, struct tr_error *err)
{
    return tr_ident_person_id_check(s, strlen(s), err);
}

/* The entries of a vector file, each checked by fn; returns how many there were. */
static size_t each_vector(const char *path, void (*fn)(const struct tr_json *entry))
{
    size_t len = 0;
    char *text = test_read(path, &len);
    struct tr_json *list = NULL;
    struct tr_error err = {0};
    ck_assert_msg(tr_json_parse(text, len, path, NULL, &list, &err) == TR_OK, "%s", err.msg);
    ck_assert(tr_json_is(list, TR_JSON_ARRAY));
    for (size_t i = 0; i < list->u.array.len; i++) {
        fn(list->u.array.items[i]);
    }
    size_t n = list->u.array.len;
    tr_json_free(list);
    free(text);
    return n;
}

static int flag(const struct tr_json *entry, const char *key)
{
    const struct tr_json *v = tr_json_object_get(entry, key);
    ck_assert_msg(tr_json_is(v, TR_JSON_BOOL), "vector without '%s'", key);
    return v->u.boolean;
}

static void check_uscc_vector(const struct tr_json *entry)
{
    const char *code = tr_json_string(tr_json_object_get(entry, "code"));
    const char *check = tr_json_string(tr_json_object_get(entry, "checkCharacter"));
    struct tr_error err = {0};
    int want = flag(entry, "valid") ? TR_OK : TR_EINVAL;
    ck_assert_msg(uscc(code, &err) == want, "%s: %s", code, err.msg);
    if (check != NULL) {
        ck_assert_int_eq(tr_ident_uscc_check_char(code), check[0]);
    }
}

START_TEST(uscc_vectors)
{
    ck_assert_uint_eq(each_vector("tests/vectors/identifiers/uscc.json", check_uscc_vector), 23);
}
END_TEST

static void check_resident_vector(const struct tr_json *entry)
{
    const char *code = tr_json_string(tr_json_object_get(entry, "code"));
    struct tr_error err = {0};
    int valid = flag(entry, "valid");
    int check_ok = flag(entry, "checkCharacterValid");
    int birth_ok = flag(entry, "birthDateValid");
    ck_assert_int_eq(tr_ident_resident_id_check_char(code, strlen(code)), check_ok);
    ck_assert_int_eq(resident(code, &err), valid ? TR_OK : TR_EINVAL);
    if (valid) {
        return;
    }
    /* The first failing rule is named; the number itself never is. */
    ck_assert_ptr_null(strstr(err.msg, code));
    if (!check_ok && !birth_ok) {
        ck_assert_str_eq(err.msg, "is not a valid resident id number: it must be 17 digits "
                                  "followed by a digit or 'X'");
    } else if (!check_ok) {
        ck_assert_str_eq(err.msg, "is not a valid resident id number: the check character is "
                                  "wrong");
    } else {
        ck_assert_str_eq(err.msg,
                         "is not a valid resident id number: the birth date does not exist");
    }
}

START_TEST(resident_id_vectors)
{
    ck_assert_uint_eq(
        each_vector("tests/vectors/identifiers/resident_id.json", check_resident_vector), 14);
}
END_TEST

START_TEST(uscc_messages_name_the_rule)
{
    struct tr_error err = {0};
    ck_assert_int_eq(uscc("91110000600037341N", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid unified social credit code: the check character "
                              "must be 'L', not 'N'");
    ck_assert_int_eq(uscc("91110000600037341", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg,
                     "is not a valid unified social credit code: it must be 18 characters long");
    ck_assert_int_eq(uscc("9111000060003IOZSV", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid unified social credit code: character 14 is not "
                              "one of 0-9 and A-Y without I, O, S, V and Z");
    ck_assert_int_eq(uscc("91350100m000100Y43", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid unified social credit code: character 9 is not "
                              "one of 0-9 and A-Y without I, O, S, V and Z");
    ck_assert_int_eq(uscc("911A0000600037341L", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg,
                     "is not a valid unified social credit code: characters 3 to 8 must be digits");
    /* A NUL inside the length is a character outside the alphabet, not the end. */
    ck_assert_int_eq(tr_ident_uscc_check("91110000600037341\0", 18, &err), TR_EINVAL);
    ck_assert_int_eq(tr_ident_uscc_check_char("9111000060003734\0"), '\0');
}
END_TEST

START_TEST(uscc_check_character_of_the_standards_example)
{
    ck_assert_int_eq(tr_ident_uscc_check_char("91350100M000100Y4"), '3');
    ck_assert_int_eq(tr_ident_uscc_check_char("A1110000600037341"), 'K');
}
END_TEST

START_TEST(resident_id_is_strict_about_x)
{
    struct tr_error err = {0};
    ck_assert_int_eq(resident("11010519491231002X", NULL), TR_OK);
    ck_assert_int_eq(resident("11010519491231002x", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid resident id number: it must be 17 digits "
                              "followed by a digit or 'X'");
    ck_assert_int_eq(resident("1101051949123100", &err), TR_EINVAL);
    ck_assert_int_eq(tr_ident_resident_id_check_char("1101051949123100", 16), 0);
}
END_TEST

START_TEST(person_ids)
{
    static const char *const good[] = {
        "p-zhang-wei-1984",
        "p-a",
        "p-0",
        "p-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqr",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ck_assert_msg(person(good[i], NULL) == TR_OK, "%s", good[i]);
    }
    struct tr_error err = {0};
    ck_assert_int_eq(person("zhang-wei", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid person id: it must start with 'p-'");
    ck_assert_int_eq(person("P-zhang", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid person id: it must start with 'p-'");
    ck_assert_int_eq(person("p-", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg,
                     "is not a valid person id: it must have 1 to 64 characters after 'p-'");
    ck_assert_int_eq(
        person("p-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrs", &err),
        TR_EINVAL);
    ck_assert_str_eq(err.msg,
                     "is not a valid person id: it must have 1 to 64 characters after 'p-'");
    ck_assert_int_eq(person("p-Zhang", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid person id: only a-z, 0-9 and '-' may follow 'p-'");
    ck_assert_int_eq(person("p-zhang wei", &err), TR_EINVAL);
    ck_assert_int_eq(person("p-张伟", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid person id: only a-z, 0-9 and '-' may follow 'p-'");
    ck_assert_int_eq(person("p-zhang--wei", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg,
                     "is not a valid person id: a '-' may only stand between letters or digits");
    ck_assert_int_eq(person("p-zhang-", &err), TR_EINVAL);
    ck_assert_int_eq(person("p--zhang", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg,
                     "is not a valid person id: a '-' may only stand between letters or digits");
}
END_TEST

START_TEST(record_ids_and_hashes_are_lowercase_hex)
{
    const char *ok = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const char *upper = "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef";
    struct tr_error err = {0};
    ck_assert_int_eq(tr_ident_record_id_check(ok, 64, NULL), TR_OK);
    ck_assert_int_eq(tr_ident_record_id_check(upper, 64, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid record id: it must be 64 lowercase hex digits");
    ck_assert_int_eq(tr_ident_record_id_check(ok, 63, NULL), TR_EINVAL);
    ck_assert_int_eq(tr_ident_hash_check(ok, 64, NULL), TR_OK);
    ck_assert_int_eq(tr_ident_hash_check(upper, 64, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid id hash: it must be 64 lowercase hex digits");
}
END_TEST

static void check_did_vector(const struct tr_json *entry)
{
    const char *did = tr_json_string(tr_json_object_get(entry, "did"));
    ck_assert_msg(tr_ident_did_key_check(did, strlen(did), NULL) == TR_OK, "%s", did);
}

START_TEST(did_keys)
{
    ck_assert_uint_eq(each_vector("tests/vectors/didkey/ed25519.json", check_did_vector), 6);
    struct tr_error err = {0};
    const char *good = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
    char bad[TR_DID_KEY_LEN + 1];
    ck_assert_int_eq(tr_ident_did_key_check(good, 55, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid Ed25519 did:key: it must be 56 characters long");
    ck_assert_int_eq(tr_ident_did_key_check("did:web:example.org", 19, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid Ed25519 did:key: it must start with 'did:key:z'");
    memcpy(bad, good, sizeof bad);
    bad[20] = '0';
    ck_assert_int_eq(tr_ident_did_key_check(bad, TR_DID_KEY_LEN, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid Ed25519 did:key: did:key "
                              "'did:key:z6MkiTBz1ymu0pAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp': "
                              "invalid base58 character '0' at offset 12");
    /* z6Mk is the prefix of every Ed25519 did:key, but not every z6Mk string is one. */
    memcpy(bad, good, sizeof bad);
    memset(bad + 12, 'z', TR_DID_KEY_LEN - 12);
    ck_assert_int_eq(tr_ident_did_key_check(bad, TR_DID_KEY_LEN, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid Ed25519 did:key: did:key "
                              "'did:key:z6Mkzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz': "
                              "multicodec 0x16d is not ed25519-pub (0xed)");
    memcpy(bad, good, sizeof bad);
    memset(bad + 12, '1', TR_DID_KEY_LEN - 12);
    ck_assert_int_eq(tr_ident_did_key_check(bad, TR_DID_KEY_LEN, &err), TR_EINVAL);
}
END_TEST

START_TEST(urn_values)
{
    ck_assert_str_eq(tr_ident_urn_value("urn:talentreg:org:91350100M000100Y43", TR_URN_ORG),
                     "91350100M000100Y43");
    ck_assert_ptr_null(tr_ident_urn_value("urn:talentreg:person:p-a", TR_URN_ORG));
    ck_assert_ptr_null(tr_ident_urn_value(NULL, TR_URN_ORG));
}
END_TEST

/* RFC 4231 has no 32-byte-key SHA-256 case; this value was computed with
 * `openssl mac -digest SHA256 -macopt hexkey:000102...1f HMAC` over the ASCII number. */
START_TEST(id_hash_is_hmac_sha256)
{
    unsigned char key[TR_ID_KEY_LEN];
    char out[TR_ID_HASH_LEN + 1];
    for (int i = 0; i < TR_ID_KEY_LEN; i++) {
        key[i] = (unsigned char)i;
    }
    ck_assert_int_eq(tr_ident_hash(key, "11010519491231002X", 18, out), TR_OK);
    ck_assert_str_eq(out, "a66755453b106dcea0cfa264214ae59ff1e8b067f3e5f3aa8085e1d8757880eb");
    key[0] ^= 1;
    ck_assert_int_eq(tr_ident_hash(key, "11010519491231002X", 18, out), TR_OK);
    ck_assert_str_ne(out, "a66755453b106dcea0cfa264214ae59ff1e8b067f3e5f3aa8085e1d8757880eb");
}
END_TEST

START_TEST(id_keys_are_64_hex_digits)
{
    unsigned char key[TR_ID_KEY_LEN];
    struct tr_error err = {0};
    const char *text = "000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f\n";
    ck_assert_int_eq(tr_ident_key_parse(text, strlen(text), key, &err), TR_OK);
    ck_assert_str_eq(test_hex(key, TR_ID_KEY_LEN),
                     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    ck_assert_int_eq(tr_ident_key_parse(text, 64, key, NULL), TR_OK);
    ck_assert_int_eq(tr_ident_key_parse(text, 63, key, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "an id key must be 64 hex digits on one line");
    ck_assert_str_eq(test_hex(key, 4), "00000000");
    ck_assert_int_eq(tr_ident_key_parse("g0", 2, key, &err), TR_EINVAL);
    const char *crlf = "000102030405060708090A0B0C0D0E0F101112131415161718191a1b1c1d1e1f\r\n";
    ck_assert_int_eq(tr_ident_key_parse(crlf, strlen(crlf), key, &err), TR_EINVAL);
}
END_TEST

START_TEST(id_key_files)
{
    char path[] = "/tmp/tr-idkey-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", f);
    ck_assert_int_eq(fclose(f), 0);
    unsigned char key[TR_ID_KEY_LEN];
    struct tr_error err = {0};
    ck_assert_int_eq(tr_ident_key_read(path, key, &err), TR_OK);
    ck_assert_str_eq(test_hex(key, 2), "0011");
    f = fopen(path, "w");
    for (int i = 0; i < 200; i++) {
        fputc('a', f);
    }
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(tr_ident_key_read(path, key, &err), TR_ELIMIT);
    char want[128];
    snprintf(want, sizeof want, "'%s' is too long to be an id key", path);
    ck_assert_str_eq(err.msg, want);
    f = fopen(path, "w");
    fputs("0011\n", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(tr_ident_key_read(path, key, &err), TR_EINVAL);
    snprintf(want, sizeof want, "'%s': an id key must be 64 hex digits on one line", path);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(tr_ident_key_read(path, key, &err), TR_EIO);
}
END_TEST

Suite *ident_suite(void)
{
    Suite *s = suite_create("ident");
    TCase *tc = tcase_create("ident");
    tcase_add_test(tc, uscc_vectors);
    tcase_add_test(tc, resident_id_vectors);
    tcase_add_test(tc, uscc_messages_name_the_rule);
    tcase_add_test(tc, uscc_check_character_of_the_standards_example);
    tcase_add_test(tc, resident_id_is_strict_about_x);
    tcase_add_test(tc, person_ids);
    tcase_add_test(tc, record_ids_and_hashes_are_lowercase_hex);
    tcase_add_test(tc, did_keys);
    tcase_add_test(tc, urn_values);
    tcase_add_test(tc, id_hash_is_hmac_sha256);
    tcase_add_test(tc, id_keys_are_64_hex_digits);
    tcase_add_test(tc, id_key_files);
    suite_add_tcase(s, tc);
    return s;
}
