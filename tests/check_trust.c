/*
 * check_trust.c — the trust index on its own: what tr_trust_index writes for each kind, what
 * it refuses as contradicting the index, and every reader as of a log size (organisation
 * versions, keys registered and revoked, compromise, revocations of records). Credentials are
 * built from YAML with the schema module; nothing here is signed, because the index trusts
 * its caller to give it records that count (check_verify.c covers that side).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

#define UNI "12350100488101234T"
#define ENT "91350900MA2Y8K3Q1U"
#define K0 "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
#define K1 "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG"
#define K2 "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf"

static char dir[64];
static char path[128];
static struct tr_db *db;

static void setup(void)
{
    struct tr_error err = {0};
    snprintf(dir, sizeof dir, "/tmp/check_trust.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/talent.db", dir);
    ck_assert_msg(tr_db_create(path, "talentreg.example/test", &db, &err) == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_db_begin(db, NULL), TR_OK);
}

static void teardown(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    if (tr_db_in_transaction(db) > 0) {
        ck_assert_int_eq(tr_db_commit(db, NULL), TR_OK);
    }
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    rmdir(dir);
}

static struct tr_json *credential(const char *yaml)
{
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_diag diag;
    struct tr_error err = {0};
    tr_diag_init(&diag, "record");
    ck_assert_msg(tr_yaml_load(yaml, strlen(yaml), "record", NULL, &doc, &err) == TR_OK, "%s",
                  err.msg);
    ck_assert_int_eq(tr_schema_from_record(doc, NULL, &cred, &diag), TR_OK);
    tr_diag_release(&diag);
    tr_json_free(doc);
    return cred;
}

/* Index the record of yaml at leaf; returns the code, and its id in id (may be NULL). */
static int index_at(const char *yaml, uint64_t leaf, char *id, struct tr_error *err)
{
    char own[TR_RECORD_ID_LEN + 1];
    struct tr_json *cred = credential(yaml);
    ck_assert_int_eq(tr_verify_record_id(cred, own, NULL), TR_OK);
    int rc = tr_trust_index(db, cred, own, leaf, err);
    if (id != NULL) {
        memcpy(id, own, sizeof own);
    }
    tr_json_free(cred);
    return rc;
}

static void index_ok(const char *yaml, uint64_t leaf, char *id)
{
    struct tr_error err = {0};
    ck_assert_msg(index_at(yaml, leaf, id, &err) == TR_OK, "%s", err.msg);
}

static const char *const org_uni = "kind: Organization\nissuer: operator\nsubject: " UNI "\n"
                                   "name: 闽江理工大学\norganizationType: university\n"
                                   "keys: [" K0 "]\nmayIssue: [Credit, Person]\n";
static const char *const org_ent = "kind: Organization\nissuer: operator\nsubject: " ENT "\n"
                                   "name: 宁德新能源\norganizationType: enterprise\n"
                                   "keys: [" K1 "]\nmayIssue: [EnterprisePlacement]\n";
static const char *const org_uni_2 = "kind: Organization\nissuer: operator\nsubject: " UNI "\n"
                                     "name: 闽江理工大学\norganizationType: university\n"
                                     "keys: [" K0 ", " K2 "]\nmayIssue: [Evaluation]\n";

static void pub_of(const char *did, unsigned char pub[TR_ED25519_PUBLIC_LEN])
{
    ck_assert_int_eq(tr_key_parse_did(did, pub, NULL), TR_OK);
}

START_TEST(key_state_follows_the_positions)
{
    struct tr_trust_key k = {0};
    k.registered_leaf = 3;
    ck_assert_int_eq(tr_trust_key_state(&k, 3), TR_TRUST_KEY_NOT_YET);
    ck_assert_int_eq(tr_trust_key_state(&k, 4), TR_TRUST_KEY_VALID);
    k.revoked = 1;
    k.revoked_leaf = 10;
    ck_assert_int_eq(tr_trust_key_state(&k, 10), TR_TRUST_KEY_VALID);
    ck_assert_int_eq(tr_trust_key_state(&k, 11), TR_TRUST_KEY_REVOKED);
    k.compromised = 1;
    k.compromised_since = 7;
    ck_assert_int_eq(tr_trust_key_state(&k, 6), TR_TRUST_KEY_VALID);
    ck_assert_int_eq(tr_trust_key_state(&k, 7), TR_TRUST_KEY_COMPROMISED);
    ck_assert_int_eq(tr_trust_key_state(&k, 11), TR_TRUST_KEY_REVOKED);
}
END_TEST

START_TEST(organisation_versions_as_of_a_log_size)
{
    char v1[TR_RECORD_ID_LEN + 1], v2[TR_RECORD_ID_LEN + 1];
    struct tr_trust_org org;
    index_ok(org_uni, 0, v1);
    index_ok(org_ent, 1, NULL);
    index_ok(org_uni_2, 5, v2);
    ck_assert_int_eq(tr_trust_org_get(db, UNI, 0, &org, NULL), TR_ENOTFOUND);
    ck_assert_int_eq(tr_trust_org_get(db, UNI, 1, &org, NULL), TR_OK);
    ck_assert_str_eq(org.record_id, v1);
    ck_assert_uint_eq(org.leaf, 0);
    ck_assert_uint_eq(org.first_leaf, 0);
    ck_assert_str_eq(org.name, "闽江理工大学");
    ck_assert_str_eq(org.org_kind, "university");
    ck_assert_uint_eq(org.permitted, (1u << TR_KIND_CREDIT) | (1u << TR_KIND_PERSON));
    ck_assert_int_eq(tr_trust_org_get(db, UNI, 5, &org, NULL), TR_OK);
    ck_assert_str_eq(org.record_id, v1);
    ck_assert_int_eq(tr_trust_org_get(db, UNI, 6, &org, NULL), TR_OK);
    ck_assert_str_eq(org.record_id, v2);
    ck_assert_uint_eq(org.leaf, 5);
    ck_assert_uint_eq(org.first_leaf, 0);
    ck_assert_uint_eq(org.permitted, 1u << TR_KIND_EVALUATION);

    struct tr_trust_org *list = NULL;
    size_t n = 0;
    ck_assert_int_eq(tr_trust_org_list(db, 1, &list, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 1);
    free(list);
    ck_assert_int_eq(tr_trust_org_list(db, 100, &list, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(list[0].uscc, UNI);
    ck_assert_str_eq(list[0].record_id, v2);
    ck_assert_str_eq(list[1].uscc, ENT);
    free(list);

    /* K2 came with the second version: it exists from leaf 5 on; K0 kept its first leaf. */
    struct tr_trust_key *keys = NULL;
    ck_assert_int_eq(tr_trust_org_keys(db, UNI, 5, &keys, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 1);
    free(keys);
    ck_assert_int_eq(tr_trust_org_keys(db, UNI, 6, &keys, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(keys[0].registered_leaf, 0);
    ck_assert_str_eq(keys[0].org_record, v1);
    ck_assert_uint_eq(keys[1].registered_leaf, 5);
    ck_assert_str_eq(keys[1].org_record, v2);
    free(keys);

    struct tr_trust_record row;
    ck_assert_int_eq(tr_trust_record_get(db, v2, &row, NULL), TR_OK);
    ck_assert_int_eq(row.kind, TR_KIND_ORGANIZATION);
    ck_assert_int_eq(row.by_operator, 1);
    ck_assert_str_eq(row.issuer, "");
    ck_assert_str_eq(row.subject, UNI);
    ck_assert_uint_eq(row.first_leaf, 5);
}
END_TEST

START_TEST(key_revocations_as_of_a_log_size)
{
    char r1[TR_RECORD_ID_LEN + 1], r2[TR_RECORD_ID_LEN + 1];
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_trust_key k;
    index_ok(org_uni_2, 0, NULL);
    index_ok("kind: KeyRevocation\nissuer: operator\nsubject: " UNI "\nkey: " K2 "\n", 4, r1);
    index_ok("kind: KeyRevocation\nissuer: " UNI "\nsubject: " UNI "\nkey: " K2
             "\ncompromisedSince: 2\n",
             9, r2);
    pub_of(K2, pub);
    ck_assert_int_eq(tr_trust_key_get(db, pub, 4, &k, NULL), TR_OK);
    ck_assert_int_eq(k.revoked, 0);
    ck_assert_int_eq(tr_trust_key_state(&k, 3), TR_TRUST_KEY_VALID);
    ck_assert_int_eq(tr_trust_key_get(db, pub, 5, &k, NULL), TR_OK);
    ck_assert_int_eq(k.revoked, 1);
    ck_assert_uint_eq(k.revoked_leaf, 4);
    ck_assert_str_eq(k.revocation_record, r1);
    ck_assert_int_eq(k.compromised, 0);
    ck_assert_int_eq(tr_trust_key_state(&k, 3), TR_TRUST_KEY_VALID);
    ck_assert_int_eq(tr_trust_key_get(db, pub, 10, &k, NULL), TR_OK);
    ck_assert_uint_eq(k.revoked_leaf, 4); /* the first revocation stays the revocation */
    ck_assert_int_eq(k.compromised, 1);
    ck_assert_uint_eq(k.compromised_since, 2);
    ck_assert_int_eq(tr_trust_key_state(&k, 1), TR_TRUST_KEY_VALID);
    ck_assert_int_eq(tr_trust_key_state(&k, 2), TR_TRUST_KEY_COMPROMISED);
    /* The operator key is no organisation's key, nor is a key nobody listed. */
    pub_of(K1, pub);
    ck_assert_int_eq(tr_trust_key_get(db, pub, 100, &k, NULL), TR_ENOTFOUND);
    ck_assert_uint_eq(k.registered_leaf, 0);
    ck_assert_int_eq(index_at("kind: KeyRevocation\nissuer: operator\nsubject: " UNI "\nkey: " K1
                              "\n",
                              10, NULL, NULL),
                     TR_ECONFLICT);
}
END_TEST

START_TEST(record_revocations_as_of_a_log_size)
{
    char credit[TR_RECORD_ID_LEN + 1], other[TR_RECORD_ID_LEN + 1], rev[TR_RECORD_ID_LEN + 1];
    char yaml[512];
    index_ok("kind: Credit\nissuer: " UNI "\nsubject: p-li-na-1999\ncourse: A\n"
             "framework: ects\npoints: 5\nearnedOn: 2025-01-10\n",
             0, credit);
    index_ok("kind: Credit\nissuer: " UNI "\nsubject: p-li-na-1999\ncourse: A\n"
             "framework: ects\npoints: 6\nearnedOn: 2025-01-10\n",
             1, other);
    snprintf(yaml, sizeof yaml,
             "kind: Revocation\nissuer: " UNI "\nsubject: %s\naction: supersede\n"
             "reason: typo\nsupersededBy: %s\n",
             credit, other);
    index_ok(yaml, 2, rev);
    struct tr_trust_revocation *list = NULL;
    size_t n = 0;
    ck_assert_int_eq(tr_trust_revocations(db, credit, 2, &list, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(list);
    ck_assert_int_eq(tr_trust_revocations(db, credit, 3, &list, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(list[0].record_id, rev);
    ck_assert_str_eq(list[0].target, credit);
    ck_assert_uint_eq(list[0].leaf, 2);
    ck_assert_int_eq(list[0].supersede, 1);
    ck_assert_str_eq(list[0].replacement, other);
    free(list);
    struct tr_trust_record row;
    ck_assert_int_eq(tr_trust_record_get(db, rev, &row, NULL), TR_OK);
    ck_assert_int_eq(row.kind, TR_KIND_REVOCATION);
    ck_assert_str_eq(row.issuer, UNI);
    ck_assert_str_eq(row.subject, credit);
    ck_assert_int_eq(tr_trust_record_get(db, other, &row, NULL), TR_OK);
    ck_assert_str_eq(row.subject, "p-li-na-1999");
}
END_TEST

START_TEST(index_refuses_what_contradicts_it)
{
    struct tr_error err = {0};
    char id[TR_RECORD_ID_LEN + 1];
    index_ok(org_uni, 0, id);
    /* The same leaf again, or an earlier one. */
    ck_assert_int_eq(index_at(org_uni, 0, NULL, &err), TR_ECONFLICT);
    test_msg(&err, "record '%s' is already indexed at leaf 0, not before leaf 0", id);
    /* A key that belongs to another organisation; nothing of that record is kept. */
    const char *thief = "kind: Organization\nissuer: operator\nsubject: " ENT "\nname: x\n"
                        "organizationType: enterprise\nkeys: [" K1 ", " K0 "]\n"
                        "mayIssue: [Person]\n";
    ck_assert_int_eq(index_at(thief, 1, id, &err), TR_ECONFLICT);
    test_msg(&err, "key '%s' is already a key of '%s'", K0, UNI);
    struct tr_trust_record row;
    ck_assert_int_eq(tr_trust_record_get(db, id, &row, NULL), TR_ENOTFOUND);
    struct tr_trust_org org;
    ck_assert_int_eq(tr_trust_org_get(db, ENT, 100, &org, NULL), TR_ENOTFOUND);
    /* A revocation of a key nobody registered. */
    ck_assert_int_eq(index_at("kind: KeyRevocation\nissuer: operator\nsubject: " ENT "\nkey: " K1
                              "\n",
                              2, NULL, &err),
                     TR_ECONFLICT);
    test_msg(&err, "key '%s' is not a key of '%s'", K1, ENT);
    /* Outside a transaction nothing is indexed. */
    ck_assert_int_eq(tr_db_commit(db, NULL), TR_OK);
    ck_assert_int_eq(index_at(org_ent, 3, NULL, &err), TR_EINVAL);
    test_msg(&err, "indexing a record needs a transaction");
}
END_TEST

START_TEST(operator_key_is_read_from_meta)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN], got[TR_ED25519_PUBLIC_LEN];
    struct tr_error err = {0};
    ck_assert_int_eq(tr_trust_operator_key(db, got, &err), TR_ENOTFOUND);
    test_msg(&err, "store '%s' has no operator key (run 'talentreg init --operator-key FILE')",
             path);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, "short", 5, NULL), TR_OK);
    ck_assert_int_eq(tr_trust_operator_key(db, got, &err), TR_EDB);
    test_msg(&err, "store '%s' has an operator key of 5 bytes, not 32", path);
    pub_of(K0, pub);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, NULL), TR_OK);
    ck_assert_int_eq(tr_trust_operator_key(db, got, NULL), TR_OK);
    ck_assert_mem_eq(got, pub, sizeof pub);
}
END_TEST

Suite *trust_suite(void)
{
    Suite *s = suite_create("trust");
    TCase *tc = tcase_create("trust");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, key_state_follows_the_positions);
    tcase_add_test(tc, organisation_versions_as_of_a_log_size);
    tcase_add_test(tc, key_revocations_as_of_a_log_size);
    tcase_add_test(tc, record_revocations_as_of_a_log_size);
    tcase_add_test(tc, index_refuses_what_contradicts_it);
    tcase_add_test(tc, operator_key_is_read_from_meta);
    suite_add_tcase(s, tc);
    return s;
}
