/* check_schema.c — record kinds: the YAML record mapping, credential validation, signers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_file.h"
#include "talentreg.h"
#include "tr_test.h"

#define ORG_U "12350100488101234T" /* a university */
#define ORG_E "91350900MA2Y8K3Q1U" /* an enterprise */
#define ORG_F "91350100MA31XR6T22" /* another enterprise */
#define ORG_I "52350100MJD4C28059" /* a Sino-German institute */
#define ORG_B "113500000035912489" /* an evaluation board */
#define REC_A "b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb"
#define REC_B "29a5c6689c743e7a1b98ce762c13f7181bbbfc7ef940d65cbb893936b3b8c34b"
#define REC_C "798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557"
#define DID_1 "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
#define DID_2 "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf"
#define HASH "5fcf093dd90c4b5acc2f8b231afe6f9a0213b4901d5398bf52c21e6a3763028f"

/* One valid record of each kind, in enum tr_kind order. */
static const char *const bases[TR_KIND_COUNT] = {
    "kind: Organization\n"
    "issuer: operator\n"
    "subject: " ORG_U "\n"
    "name: 闽江理工大学\n"
    "organizationType: university\n"
    "keys: [" DID_1 "]\n"
    "mayIssue: [Person, Credit]\n",

    "kind: KeyRevocation\n"
    "issuer: " ORG_F "\n"
    "subject: " ORG_F "\n"
    "key: " DID_2 "\n"
    "compromisedSince: 42\n"
    "reason: lost\n",

    "kind: Person\n"
    "issuer: " ORG_U "\n"
    "subject: p-zhang-wei-1984\n"
    "name: 张伟\n"
    "nationalIdHash: " HASH "\n"
    "categories: [teacher]\n"
    "home: " ORG_U "\n",

    "kind: DualAppointment\n"
    "issuer: " ORG_U "\n"
    "subject: p-wang-jianguo-1970\n"
    "validFrom: 2024-09-01\n"
    "validUntil: 2028-08-31\n"
    "university: " ORG_U "\n"
    "enterprise: " ORG_E "\n"
    "role: industrial_professor\n"
    "duties:\n"
    "  teachingHoursPerYear: 36\n"
    "  supervisionRights: true\n"
    "workloadShare: 0.2\n",

    "kind: EnterprisePlacement\n"
    "issuer: " ORG_E "\n"
    "subject: p-zhang-wei-1984\n"
    "validFrom: 2024-03-01\n"
    "validUntil: 2024-08-31\n"
    "host: " ORG_E "\n"
    "home: " ORG_U "\n"
    "fte: 0.5\n"
    "form: rnd_project\n"
    "hours: 480\n"
    "project: 电池管理系统研发\n",

    "kind: Credit\n"
    "issuer: " ORG_I "\n"
    "subject: p-li-na-1999\n"
    "course: Industrial Automation Lab\n"
    "framework: ects\n"
    "points: 5\n"
    "hours: 150\n"
    "grade: \"1.7\"\n"
    "earnedOn: 2025-07-25\n",

    "kind: RecognitionAgreement\n"
    "issuer: " ORG_U "\n"
    "validFrom: 2024-09-01\n"
    "validUntil: 2029-08-31\n"
    "parties: [" ORG_U ", " ORG_I "]\n"
    "title: 学分互认协议\n"
    "hoursPerCredit: 16\n"
    "frameworkRatios:\n"
    "  - {from: ects, to: cn-credit, ratio: 0.5}\n"
    "gradeMapping:\n"
    "  - {from: \"1.7\", to: 良好}\n",

    "kind: CreditRecognition\n"
    "issuer: " ORG_U "\n"
    "subject: p-li-na-1999\n"
    "credit: " REC_A "\n"
    "agreement: " REC_B "\n"
    "decision: recognised\n"
    "points: 2.5\n"
    "framework: cn-credit\n"
    "decidedOn: 2025-09-05\n",

    "kind: Contribution\n"
    "issuer: " ORG_U "\n"
    "subject: p-zhang-wei-1984\n"
    "contributionType: patent_transfer\n"
    "title: 一种动力电池单体均衡管理方法\n"
    "value: 1200000\n"
    "currency: CNY\n"
    "share: 0.4\n"
    "achievedOn: 2025-05-20\n"
    "beneficiary: " ORG_E "\n",

    "kind: Evaluation\n"
    "issuer: \"" ORG_B "\"\n"
    "subject: p-zhang-wei-1984\n"
    "validFrom: 2020-01-01\n"
    "validUntil: 2024-12-31\n"
    "evaluatorRole: skill_master\n"
    "evaluator: p-liu-qiang-1965\n"
    "dimensions:\n"
    "  - {name: 工程实践能力, score: 88, weight: 0.5}\n"
    "evaluatedOn: 2025-03-18\n",

    "kind: Revocation\n"
    "issuer: " ORG_I "\n"
    "subject: " REC_C "\n"
    "action: supersede\n"
    "reason: wrong points\n"
    "supersededBy: " REC_A "\n",
};

/* base with the first occurrence of old replaced by new (old must occur). Caller frees. */
static char *with(const char *base, const char *old, const char *new)
{
    const char *at = strstr(base, old);
    ck_assert_msg(at != NULL, "'%s' is not in the record", old);
    size_t head = (size_t)(at - base), olen = strlen(old), nlen = strlen(new);
    char *out = malloc(strlen(base) - olen + nlen + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, base, head);
    memcpy(out + head, new, nlen);
    strcpy(out + head + nlen, at + olen);
    return out;
}

/* Every problem of diag as "'r.yaml' line L column C: MSG" lines joined by '\n'. */
static char *messages(const struct tr_diag *diag)
{
    struct tr_buf b;
    tr_buf_init(&b);
    for (size_t i = 0; i < diag->len; i++) {
        if (i > 0) {
            tr_buf_addc(&b, '\n');
        }
        tr_diag_format(diag, i, &b);
    }
    return tr_buf_detach(&b, NULL);
}

/* Map the YAML record text; returns the code, *msgs (caller frees) and *cred (may be NULL). */
static int map_record(const char *yaml, const unsigned char *key, char **msgs,
                      struct tr_json **cred)
{
    struct tr_json *doc = NULL, *out = NULL;
    struct tr_error err = {0};
    struct tr_diag diag;
    tr_diag_init(&diag, "r.yaml");
    ck_assert_msg(tr_yaml_load(yaml, strlen(yaml), "r.yaml", NULL, &doc, &err) == TR_OK, "%s",
                  err.msg);
    int rc = tr_schema_from_record(doc, key, &out, &diag);
    *msgs = messages(&diag);
    if (rc == TR_OK) {
        ck_assert_ptr_nonnull(out);
        ck_assert_uint_eq(diag.len, 0);
    } else {
        ck_assert_ptr_null(out);
    }
    if (cred != NULL) {
        *cred = out;
    } else {
        tr_json_free(out);
    }
    tr_json_free(doc);
    tr_diag_release(&diag);
    return rc;
}

static void expect_problems(const char *yaml, const char *want)
{
    char *msgs = NULL;
    ck_assert_int_eq(map_record(yaml, NULL, &msgs, NULL), TR_ESCHEMA);
    ck_assert_str_eq(msgs, want);
    free(msgs);
}

static char *compact(const struct tr_json *v)
{
    struct tr_buf b;
    tr_buf_init(&b);
    ck_assert_int_eq(tr_json_write(v, TR_JSON_COMPACT, &b, NULL), TR_OK);
    return tr_buf_detach(&b, NULL);
}

START_TEST(every_kind_has_a_valid_record)
{
    for (int k = 0; k < TR_KIND_COUNT; k++) {
        char *msgs = NULL;
        struct tr_json *cred = NULL;
        enum tr_kind kind = TR_KIND_REVOCATION;
        ck_assert_msg(map_record(bases[k], NULL, &msgs, &cred) == TR_OK, "%s: %s",
                      tr_schema_kind_name((enum tr_kind)k), msgs);
        ck_assert_int_eq(tr_schema_kind(cred, &kind, NULL), TR_OK);
        ck_assert_int_eq(kind, k);
        struct tr_diag diag;
        tr_diag_init(&diag, NULL);
        ck_assert_int_eq(tr_schema_check(cred, &diag), TR_OK);
        ck_assert_uint_eq(tr_diag_count(&diag), 0);
        tr_diag_release(&diag);
        tr_json_free(cred);
        free(msgs);
    }
}
END_TEST

/* The record of kind maps to exactly the credential json (compact). */
static void expect_credential(enum tr_kind kind, const char *json)
{
    char *msgs = NULL;
    struct tr_json *cred = NULL;
    ck_assert_int_eq(map_record(bases[kind], NULL, &msgs, &cred), TR_OK);
    char *got = compact(cred);
    ck_assert_str_eq(got, json);
    free(got);
    free(msgs);
    tr_json_free(cred);
}

START_TEST(placement_maps_to_this_credential)
{
    expect_credential(TR_KIND_ENTERPRISE_PLACEMENT,
                      "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                      "\"https://talentreg.example/ns/v1\"],"
                      "\"type\":[\"VerifiableCredential\",\"EnterprisePlacementCredential\"],"
                      "\"issuer\":\"urn:talentreg:org:" ORG_E "\","
                      "\"validFrom\":\"2024-03-01T00:00:00Z\","
                      "\"validUntil\":\"2024-08-31T23:59:59Z\","
                      "\"credentialSubject\":{\"id\":\"urn:talentreg:person:p-zhang-wei-1984\","
                      "\"host\":\"urn:talentreg:org:" ORG_E "\","
                      "\"home\":\"urn:talentreg:org:" ORG_U "\",\"fte\":0.5,"
                      "\"form\":\"rnd_project\",\"hours\":480,\"project\":\"电池管理系统研发\"}}");
}
END_TEST

START_TEST(mapped_values_remember_where_they_were_written)
{
    char *msgs = NULL;
    struct tr_json *cred = NULL;
    ck_assert_int_eq(map_record(bases[TR_KIND_ENTERPRISE_PLACEMENT], NULL, &msgs, &cred), TR_OK);
    const struct tr_json *subj = tr_json_object_get(cred, "credentialSubject");
    const struct tr_json *fte = tr_json_object_get(subj, "fte");
    ck_assert_uint_eq(fte->pos.line, 8);
    ck_assert_uint_eq(fte->pos.column, 6);
    const struct tr_json *id = tr_json_object_get(subj, "id");
    ck_assert_uint_eq(id->pos.line, 3);
    ck_assert_uint_eq(id->pos.column, 10);
    free(msgs);
    tr_json_free(cred);
}
END_TEST

START_TEST(revocation_names_the_record_as_its_subject)
{
    expect_credential(TR_KIND_REVOCATION,
                      "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                      "\"https://talentreg.example/ns/v1\"],"
                      "\"type\":[\"VerifiableCredential\",\"RevocationCredential\"],"
                      "\"issuer\":\"urn:talentreg:org:" ORG_I "\","
                      "\"credentialSubject\":{\"id\":\"urn:talentreg:record:" REC_C "\","
                      "\"action\":\"supersede\",\"reason\":\"wrong points\","
                      "\"supersededBy\":\"urn:talentreg:record:" REC_A "\"}}");
}
END_TEST

/* One broken record: a base with one edit, and every problem it must report. */
static const struct {
    enum tr_kind kind;
    const char *old, *new;
    const char *want;
} broken[] = {
    /* Organization */
    {TR_KIND_ORGANIZATION, "issuer: operator", "issuer: " ORG_E,
     "'r.yaml' line 2 column 9: field 'issuer' must be the registry operator "
     "(urn:talentreg:operator)"},
    {TR_KIND_ORGANIZATION, "subject: " ORG_U, "subject: p-zhang-wei-1984",
     "'r.yaml' line 3 column 10: field 'credentialSubject.id' is not a valid unified social "
     "credit code: it must be 18 characters long"},
    {TR_KIND_ORGANIZATION, "name: 闽江理工大学\n", "",
     "'r.yaml' line 1 column 1: field 'credentialSubject.name' is required"},
    {TR_KIND_ORGANIZATION, "organizationType: university", "organizationType: school",
     "'r.yaml' line 5 column 19: field 'credentialSubject.organizationType' must be one of "
     "university, enterprise, research_institute, hr_office, evaluation_board, government"},
    {TR_KIND_ORGANIZATION, "keys: [" DID_1 "]", "keys: []",
     "'r.yaml' line 6 column 7: field 'credentialSubject.keys' must have at least 1 item"},
    {TR_KIND_ORGANIZATION, "keys: [" DID_1 "]", "keys: [" DID_1 ", " DID_1 "]",
     "'r.yaml' line 6 column 66: field 'credentialSubject.keys[1]' repeats "
     "'credentialSubject.keys[0]'"},
    {TR_KIND_ORGANIZATION, "keys: [" DID_1 "]", "keys: [did:key:z6Mk]",
     "'r.yaml' line 6 column 8: field 'credentialSubject.keys[0]' is not a valid Ed25519 "
     "did:key: it must be 56 characters long"},
    {TR_KIND_ORGANIZATION, "mayIssue: [Person, Credit]", "mayIssue: [Person, Organization]",
     "'r.yaml' line 7 column 20: field 'credentialSubject.mayIssue[1]' must be one of Person, "
     "DualAppointment, EnterprisePlacement, Credit, RecognitionAgreement, CreditRecognition, "
     "Contribution, Evaluation"},
    {TR_KIND_ORGANIZATION, "name: 闽江理工大学", "name: [闽江理工大学]",
     "'r.yaml' line 4 column 7: field 'credentialSubject.name' must be a string, not an array"},
    /* KeyRevocation */
    {TR_KIND_KEY_REVOCATION, "issuer: " ORG_F, "issuer: " ORG_E,
     "'r.yaml' line 2 column 9: field 'issuer' must be the registry operator "
     "(urn:talentreg:operator) or the organisation in 'credentialSubject.id'"},
    {TR_KIND_KEY_REVOCATION, "compromisedSince: 42", "compromisedSince: -1",
     "'r.yaml' line 5 column 19: field 'credentialSubject.compromisedSince' must be between 0 "
     "and 9007199254740991"},
    {TR_KIND_KEY_REVOCATION, "compromisedSince: 42", "compromisedSince: 4.2",
     "'r.yaml' line 5 column 19: field 'credentialSubject.compromisedSince' must be a whole "
     "number"},
    {TR_KIND_KEY_REVOCATION, "reason: lost", "reason: \"\"",
     "'r.yaml' line 6 column 9: field 'credentialSubject.reason' must not be empty"},
    {TR_KIND_KEY_REVOCATION, "reason: lost", "validFrom: 2024-01-01",
     "'r.yaml' line 6 column 12: field 'validFrom' is not a field of KeyRevocation"},
    /* Person */
    {TR_KIND_PERSON, "issuer: " ORG_U, "issuer: " ORG_E,
     "'r.yaml' line 2 column 9: field 'issuer' must be the organisation in "
     "'credentialSubject.home'"},
    {TR_KIND_PERSON, "categories: [teacher]", "categories: [teacher, student, teacher]",
     "'r.yaml' line 6 column 32: field 'credentialSubject.categories[2]' repeats "
     "'credentialSubject.categories[0]'"},
    {TR_KIND_PERSON, "categories: [teacher]",
     "categories: [teacher, student, enterprise_expert, teacher]",
     "'r.yaml' line 6 column 13: field 'credentialSubject.categories' must have at most 3 items"},
    {TR_KIND_PERSON, "nationalIdHash: 5f", "nationalIdHash: 5F",
     "'r.yaml' line 5 column 17: field 'credentialSubject.nationalIdHash' is not a valid id "
     "hash: it must be 64 lowercase hex digits"},
    {TR_KIND_PERSON, "name: 张伟", "name: \"张\\t伟\\u0007\"",
     "'r.yaml' line 4 column 7: field 'credentialSubject.name' must not contain control "
     "characters"},
    {TR_KIND_PERSON, "subject: p-zhang-wei-1984", "subject: p-zhang_wei",
     "'r.yaml' line 3 column 10: field 'credentialSubject.id' is not a valid person id: only "
     "a-z, 0-9 and '-' may follow 'p-'"},
    {TR_KIND_PERSON, "subject: p-zhang-wei-1984\n", "",
     "'r.yaml' line 1 column 1: field 'credentialSubject.id' is required"},
    /* DualAppointment */
    {TR_KIND_DUAL_APPOINTMENT, "enterprise: " ORG_E, "enterprise: " ORG_U,
     "'r.yaml' line 7 column 13: field 'credentialSubject.enterprise' must name another "
     "organisation than 'credentialSubject.university'"},
    {TR_KIND_DUAL_APPOINTMENT, "issuer: " ORG_U, "issuer: " ORG_F,
     "'r.yaml' line 2 column 9: field 'issuer' must be the organisation in "
     "'credentialSubject.university' or the organisation in 'credentialSubject.enterprise'"},
    {TR_KIND_DUAL_APPOINTMENT, "validUntil: 2028-08-31\n", "",
     "'r.yaml' line 1 column 1: field 'validUntil' is required"},
    {TR_KIND_DUAL_APPOINTMENT, "teachingHoursPerYear: 36", "teachingHoursPerYear: 2001",
     "'r.yaml' line 10 column 25: field 'credentialSubject.duties.teachingHoursPerYear' must be "
     "between 0 and 2000"},
    {TR_KIND_DUAL_APPOINTMENT, "supervisionRights: true", "supervisionRights: yes",
     "'r.yaml' line 11 column 22: field 'credentialSubject.duties.supervisionRights' must be "
     "true or false, not a string"},
    {TR_KIND_DUAL_APPOINTMENT, "  supervisionRights: true\n",
     "  supervisionRights: true\n  hours: 3\n",
     "'r.yaml' line 12 column 3: field 'credentialSubject.duties.hours' is not a field of "
     "'credentialSubject.duties'"},
    {TR_KIND_DUAL_APPOINTMENT, "role: industrial_professor", "role: professor",
     "'r.yaml' line 8 column 7: field 'credentialSubject.role' must be one of "
     "industrial_professor, enterprise_mentor, part_time_researcher, co_supervisor"},
    {TR_KIND_DUAL_APPOINTMENT, "workloadShare: 0.2", "workloadShare: \"20%\"",
     "'r.yaml' line 12 column 16: field 'credentialSubject.workloadShare' must be a number, not "
     "a string"},
    /* EnterprisePlacement */
    {TR_KIND_ENTERPRISE_PLACEMENT, "fte: 0.5", "fte: 1.5",
     "'r.yaml' line 8 column 6: field 'credentialSubject.fte' must be between 0 and 1"},
    {TR_KIND_ENTERPRISE_PLACEMENT, "validFrom: 2024-03-01", "validFrom: 2024-09-01",
     "'r.yaml' line 5 column 13: field 'validUntil' must not be before 'validFrom'"},
    {TR_KIND_ENTERPRISE_PLACEMENT, "validFrom: 2024-03-01", "validFrom: 2025-02-30",
     "'r.yaml' line 4 column 12: field 'validFrom' is not a valid date-time: 2025-02 has no day "
     "30"},
    {TR_KIND_ENTERPRISE_PLACEMENT, "home: " ORG_U, "home: " ORG_E,
     "'r.yaml' line 7 column 7: field 'credentialSubject.home' must name another organisation "
     "than 'credentialSubject.host'"},
    {TR_KIND_ENTERPRISE_PLACEMENT, "host: " ORG_E, "host: 91350900MA2Y8K3Q1W",
     "'r.yaml' line 6 column 7: field 'credentialSubject.host' is not a valid unified social "
     "credit code: the check character must be 'U', not 'W'"},
    {TR_KIND_ENTERPRISE_PLACEMENT, "form: rnd_project", "form: R&D",
     "'r.yaml' line 9 column 7: field 'credentialSubject.form' must be one of site_visit, "
     "training, post, rnd_project"},
    {TR_KIND_ENTERPRISE_PLACEMENT, "hours: 480", "hours: 10001",
     "'r.yaml' line 10 column 8: field 'credentialSubject.hours' must be between 0 and 10000"},
    {TR_KIND_ENTERPRISE_PLACEMENT, "project: 电池管理系统研发",
     "project: 电池管理系统研发电池管理系统研发电池管理系统研发电池管理系统研发电池管理系统研发"
     "电池管理系统研发电池管理系统研发电池管理系统研发电池管理系统研发电池管理系统研发"
     "电池管理系统研发电池管理系统研发电池管理系统研发电池管理系统研发电池管理系统研发"
     "电池管理系统研发电池管理系统研发电池管理系统研发电池管理系统研发电池管理系统研发"
     "电池管理系统研发电池管理系统研发电池管理系统研发电池管理系统研发电池管理系统研发!",
     "'r.yaml' line 11 column 10: field 'credentialSubject.project' must be at most 200 "
     "characters long"},
    {TR_KIND_ENTERPRISE_PLACEMENT, "fte: 0.5\n", "",
     "'r.yaml' line 1 column 1: field 'credentialSubject.fte' is required"},
    /* Credit */
    {TR_KIND_CREDIT, "framework: ects", "framework: ECTS",
     "'r.yaml' line 5 column 12: field 'credentialSubject.framework' must be one of cn-credit, "
     "ects, uk-cats, us-credit-hour"},
    {TR_KIND_CREDIT, "points: 5", "points: 101",
     "'r.yaml' line 6 column 9: field 'credentialSubject.points' must be between 0 and 100"},
    {TR_KIND_CREDIT, "earnedOn: 2025-07-25", "earnedOn: 2025-02-30",
     "'r.yaml' line 9 column 11: field 'credentialSubject.earnedOn' is not a valid date: 2025-02 "
     "has no day 30"},
    {TR_KIND_CREDIT, "earnedOn: 2025-07-25", "earnedOn: 2025-07-25T00:00:00Z",
     "'r.yaml' line 9 column 11: field 'credentialSubject.earnedOn' is not a valid date: it must "
     "be written YYYY-MM-DD"},
    {TR_KIND_CREDIT, "issuer: " ORG_I, "issuer: operator",
     "'r.yaml' line 2 column 9: field 'issuer' must be an organisation"},
    {TR_KIND_CREDIT, "earnedOn: 2025-07-25", "earnedOn: 2025-07-25\nvalidUntil: 2026-01-01",
     "'r.yaml' line 10 column 13: field 'validUntil' is not a field of Credit"},
    /* RecognitionAgreement */
    {TR_KIND_RECOGNITION_AGREEMENT, "parties: [" ORG_U ", " ORG_I "]", "parties: [" ORG_U "]",
     "'r.yaml' line 5 column 10: field 'credentialSubject.parties' must have at least 2 items"},
    {TR_KIND_RECOGNITION_AGREEMENT, "parties: [" ORG_U ", " ORG_I "]",
     "parties: [" ORG_U ", " ORG_U "]",
     "'r.yaml' line 5 column 31: field 'credentialSubject.parties[1]' repeats "
     "'credentialSubject.parties[0]'"},
    {TR_KIND_RECOGNITION_AGREEMENT, "issuer: " ORG_U, "issuer: " ORG_E,
     "'r.yaml' line 2 column 9: field 'issuer' must be one of the organisations in "
     "'credentialSubject.parties'"},
    {TR_KIND_RECOGNITION_AGREEMENT, "ratio: 0.5", "ratio: 0",
     "'r.yaml' line 9 column 40: field 'credentialSubject.frameworkRatios[0].ratio' must be "
     "between 0.01 and 100"},
    {TR_KIND_RECOGNITION_AGREEMENT, "{from: \"1.7\", to: 良好}", "{from: \"1.7\"}",
     "'r.yaml' line 11 column 5: field 'credentialSubject.gradeMapping[0].to' is required"},
    {TR_KIND_RECOGNITION_AGREEMENT, "issuer: " ORG_U "\n",
     "issuer: " ORG_U "\nsubject: p-li-na-1999\n",
     "'r.yaml' line 3 column 10: field 'credentialSubject.id' is not a field of "
     "RecognitionAgreement"},
    /* CreditRecognition */
    {TR_KIND_CREDIT_RECOGNITION, "credit: " REC_A, "credit: B77D2EB3",
     "'r.yaml' line 4 column 9: field 'credentialSubject.credit' is not a valid record id: it "
     "must be 64 lowercase hex digits"},
    {TR_KIND_CREDIT_RECOGNITION, "decision: recognised", "decision: accepted",
     "'r.yaml' line 6 column 11: field 'credentialSubject.decision' must be one of recognised, "
     "partially_recognised, rejected"},
    {TR_KIND_CREDIT_RECOGNITION, "agreement: " REC_B "\n", "",
     "'r.yaml' line 1 column 1: field 'credentialSubject.agreement' is required"},
    /* Contribution */
    {TR_KIND_CONTRIBUTION, "share: 0.4", "share: 40",
     "'r.yaml' line 8 column 8: field 'credentialSubject.share' must be between 0 and 1"},
    {TR_KIND_CONTRIBUTION, "contributionType: patent_transfer", "contributionType: patent",
     "'r.yaml' line 4 column 19: field 'credentialSubject.contributionType' must be one of "
     "patent_transfer, tech_contract, product, standard, commission_income"},
    {TR_KIND_CONTRIBUTION, "currency: CNY", "currency: RMB",
     "'r.yaml' line 7 column 11: field 'credentialSubject.currency' must be one of CNY, USD, "
     "EUR"},
    {TR_KIND_CONTRIBUTION, "value: 1200000", "value: 1e13",
     "'r.yaml' line 6 column 8: field 'credentialSubject.value' must be between 0 and "
     "1000000000000"},
    /* Evaluation */
    {TR_KIND_EVALUATION, "score: 88", "score: 101",
     "'r.yaml' line 9 column 27: field 'credentialSubject.dimensions[0].score' must be between "
     "0 and 100"},
    {TR_KIND_EVALUATION, "evaluatorRole: skill_master", "evaluatorRole: master",
     "'r.yaml' line 6 column 16: field 'credentialSubject.evaluatorRole' must be one of "
     "skill_master, academic_leader"},
    {TR_KIND_EVALUATION, "evaluator: p-liu-qiang-1965", "evaluator: 刘强",
     "'r.yaml' line 7 column 12: field 'credentialSubject.evaluator' is not a valid person id: "
     "it must start with 'p-'"},
    {TR_KIND_EVALUATION, "dimensions:\n  - {name: 工程实践能力, score: 88, weight: 0.5}\n",
     "dimensions: []\n",
     "'r.yaml' line 8 column 13: field 'credentialSubject.dimensions' must have at least 1 item"},
    {TR_KIND_EVALUATION, "validFrom: 2020-01-01", "validFrom: 2020-01-01T08:00:00+08:00",
     "'r.yaml' line 4 column 12: field 'validFrom' is not a valid date-time: it must be in UTC, "
     "written with 'Z'"},
    /* Revocation */
    {TR_KIND_REVOCATION, "action: supersede", "action: delete",
     "'r.yaml' line 4 column 9: field 'credentialSubject.action' must be one of withdraw, "
     "supersede"},
    {TR_KIND_REVOCATION, "reason: wrong points\n", "",
     "'r.yaml' line 1 column 1: field 'credentialSubject.reason' is required"},
    {TR_KIND_REVOCATION, "subject: " REC_C, "subject: p-li-na-1999",
     "'r.yaml' line 3 column 10: field 'credentialSubject.id' is not a valid record id: it must "
     "be 64 lowercase hex digits"},
};

START_TEST(each_broken_record_reports_exactly_its_problems)
{
    int i = _i;
    char *yaml = with(bases[broken[i].kind], broken[i].old, broken[i].new);
    expect_problems(yaml, broken[i].want);
    free(yaml);
}
END_TEST

START_TEST(every_problem_is_reported_in_input_order)
{
    const char *yaml = "kind: EnterprisePlacement\n"
                       "issuer: 91350900MA2Y8K3Q1W\n"
                       "subject: P-1\n"
                       "validFrom: 2024-13-01\n"
                       "validUntil: 2024-08-31\n"
                       "host: " ORG_E "\n"
                       "fte: -0.1\n"
                       "form: [post]\n"
                       "hours: many\n"
                       "extra: 1\n";
    expect_problems(
        yaml,
        "'r.yaml' line 1 column 1: field 'credentialSubject.home' is required\n"
        "'r.yaml' line 2 column 9: field 'issuer' is not a valid unified social credit code: the "
        "check character must be 'U', not 'W'\n"
        "'r.yaml' line 3 column 10: field 'credentialSubject.id' is not a valid person id: it "
        "must start with 'p-'\n"
        "'r.yaml' line 4 column 12: field 'validFrom' is not a valid date-time: month 13 does not "
        "exist\n"
        "'r.yaml' line 7 column 6: field 'credentialSubject.fte' must be between 0 and 1\n"
        "'r.yaml' line 8 column 7: field 'credentialSubject.form' must be one of site_visit, "
        "training, post, rnd_project, not an array\n"
        "'r.yaml' line 9 column 8: field 'credentialSubject.hours' must be a whole number, not a "
        "string\n"
        "'r.yaml' line 10 column 1: field 'credentialSubject.extra' is not a field of "
        "EnterprisePlacement");
}
END_TEST

START_TEST(record_kind_must_be_known)
{
    expect_problems("issuer: " ORG_E "\n", "'r.yaml' line 1 column 1: field 'kind' is required");
    expect_problems("kind: Placement\nissuer: " ORG_E "\n",
                    "'r.yaml' line 1 column 7: field 'kind' must be one of Organization, "
                    "KeyRevocation, Person, DualAppointment, EnterprisePlacement, Credit, "
                    "RecognitionAgreement, CreditRecognition, Contribution, Evaluation, "
                    "Revocation");
    expect_problems("- kind: Credit\n",
                    "'r.yaml' line 1 column 1: a record must be a mapping of fields, not an array");
}
END_TEST

START_TEST(credential_keys_cannot_be_written_in_a_record)
{
    char *yaml = with(bases[TR_KIND_CREDIT], "course:", "id: x\ntype: y\ncourse:");
    expect_problems(yaml, "'r.yaml' line 4 column 1: field 'id' is not a field of a record\n"
                          "'r.yaml' line 5 column 1: field 'type' is not a field of a record");
    free(yaml);
}
END_TEST

START_TEST(numbers_written_where_text_is_wanted_keep_their_spelling)
{
    char *yaml = with(bases[TR_KIND_CREDIT], "grade: \"1.7\"", "grade: 1.70\ncourseCode: 0204");
    char *msgs = NULL;
    struct tr_json *cred = NULL;
    ck_assert_int_eq(map_record(yaml, NULL, &msgs, &cred), TR_OK);
    const struct tr_json *subj = tr_json_object_get(cred, "credentialSubject");
    ck_assert_str_eq(tr_json_string(tr_json_object_get(subj, "grade")), "1.70");
    ck_assert_str_eq(tr_json_string(tr_json_object_get(subj, "courseCode")), "0204");
    /* An all-digit USCC is text too, and its check character is checked. */
    free(yaml);
    free(msgs);
    tr_json_free(cred);
    yaml = with(bases[TR_KIND_EVALUATION], "\"" ORG_B "\"", "1135000000359124");
    expect_problems(yaml, "'r.yaml' line 2 column 9: field 'issuer' is not a valid unified "
                          "social credit code: it must be 18 characters long");
    free(yaml);
}
END_TEST

START_TEST(national_id_is_hashed_and_wiped)
{
    unsigned char key[TR_ID_KEY_LEN];
    char *text = test_read("docs/examples/id.key", NULL);
    ck_assert_int_eq(tr_ident_key_parse(text, strlen(text), key, NULL), TR_OK);
    free(text);
    char *yaml =
        with(bases[TR_KIND_PERSON], "nationalIdHash: " HASH, "nationalId: \"350102198403150033\"");
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_diag diag;
    tr_diag_init(&diag, "r.yaml");
    ck_assert_int_eq(tr_yaml_load(yaml, strlen(yaml), "r.yaml", NULL, &doc, NULL), TR_OK);
    ck_assert_int_eq(tr_schema_from_record(doc, key, &cred, &diag), TR_OK);
    const struct tr_json *subj = tr_json_object_get(cred, "credentialSubject");
    ck_assert_str_eq(tr_json_string(tr_json_object_get(subj, "nationalIdHash")), HASH);
    ck_assert_ptr_null(tr_json_object_get(subj, "nationalId"));
    /* The clear number is gone from the record as well. */
    const struct tr_json *clear = tr_json_object_get(doc, "nationalId");
    ck_assert_uint_eq(clear->u.string.len, 18);
    for (size_t i = 0; i < 18; i++) {
        ck_assert_int_eq(clear->u.string.ptr[i], 0);
    }
    tr_json_free(cred);
    tr_json_free(doc);
    tr_diag_release(&diag);
    free(yaml);
}
END_TEST

START_TEST(national_id_needs_a_key_and_a_real_number)
{
    unsigned char key[TR_ID_KEY_LEN] = {1};
    char *msgs = NULL;
    char *yaml =
        with(bases[TR_KIND_PERSON], "nationalIdHash: " HASH, "nationalId: \"350102198403150033\"");
    expect_problems(yaml, "'r.yaml' line 5 column 13: field 'credentialSubject.nationalId' "
                          "needs an id key to be hashed: pass --id-key FILE");
    free(yaml);
    yaml =
        with(bases[TR_KIND_PERSON], "nationalIdHash: " HASH, "nationalId: \"350102198403150034\"");
    ck_assert_int_eq(map_record(yaml, key, &msgs, NULL), TR_ESCHEMA);
    ck_assert_str_eq(msgs, "'r.yaml' line 5 column 13: field 'credentialSubject.nationalId' is "
                           "not a valid resident id number: the check character is wrong");
    ck_assert_ptr_null(strstr(msgs, "350102198403150034"));
    free(msgs);
    free(yaml);
    yaml = with(bases[TR_KIND_PERSON], "name:", "nationalId: \"350102198403150033\"\nname:");
    ck_assert_int_eq(map_record(yaml, key, &msgs, NULL), TR_ESCHEMA);
    ck_assert_str_eq(msgs, "'r.yaml' line 4 column 13: field 'credentialSubject.nationalId' and "
                           "'credentialSubject.nationalIdHash' must not both be given");
    free(msgs);
    free(yaml);
}
END_TEST

/* The clear value is wiped wherever it was written, also where no kind takes it. */
static void expect_wiped(const char *yaml, const char *want)
{
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_diag diag;
    tr_diag_init(&diag, "r.yaml");
    ck_assert_int_eq(tr_yaml_load(yaml, strlen(yaml), "r.yaml", NULL, &doc, NULL), TR_OK);
    ck_assert_int_eq(tr_schema_from_record(doc, NULL, &cred, &diag), TR_ESCHEMA);
    char *msgs = messages(&diag);
    ck_assert_str_eq(msgs, want);
    const struct tr_json *clear = tr_json_object_get(doc, "nationalId");
    for (size_t i = 0; i < clear->u.string.len; i++) {
        ck_assert_int_eq(clear->u.string.ptr[i], 0);
    }
    free(msgs);
    tr_diag_release(&diag);
    tr_json_free(doc);
}

START_TEST(national_id_is_wiped_where_no_kind_takes_it)
{
    char *yaml = with(bases[TR_KIND_CREDIT], "course:", "nationalId: \"350102198403150033\"\ncourse:");
    expect_wiped(yaml, "'r.yaml' line 4 column 1: field 'credentialSubject.nationalId' is not a "
                       "field of Credit");
    free(yaml);
    expect_wiped("nationalId: \"350102198403150033\"\n",
                 "'r.yaml' line 1 column 1: field 'kind' is required");
}
END_TEST

/* A credential as JSON text, checked as it stands. */
static void expect_json(const char *json, const char *want)
{
    struct tr_json *doc = NULL;
    struct tr_diag diag;
    struct tr_error err = {0};
    tr_diag_init(&diag, "c.json");
    ck_assert_msg(tr_json_parse(json, strlen(json), "c.json", NULL, &doc, &err) == TR_OK, "%s",
                  err.msg);
    int rc = tr_schema_check(doc, &diag);
    char *msgs = messages(&diag);
    ck_assert_int_eq(rc, want[0] == '\0' ? TR_OK : TR_ESCHEMA);
    ck_assert_str_eq(msgs, want);
    free(msgs);
    tr_diag_release(&diag);
    tr_json_free(doc);
}

#define CTX                                                                                        \
    "\"@context\":[\"https://www.w3.org/ns/credentials/v2\",\"https://talentreg.example/ns/v1\"]"
#define CREDIT_SUBJECT                                                                             \
    "\"credentialSubject\":{\"id\":\"urn:talentreg:person:p-li-na-1999\",\"course\":\"Lab\","      \
    "\"framework\":\"ects\",\"points\":5,\"earnedOn\":\"2025-07-25\"}"

START_TEST(json_credentials_meet_the_same_checks)
{
    expect_json("{" CTX ",\"type\":[\"VerifiableCredential\",\"CreditCredential\"],"
                "\"issuer\":\"urn:talentreg:org:" ORG_I "\"," CREDIT_SUBJECT ","
                "\"proof\":{\"anything\":true}}",
                "");
    expect_json("{" CTX ",\"type\":[\"VerifiableCredential\",\"CreditCredential\"],"
                "\"id\":\"urn:uuid:1\",\"issuer\":\"" ORG_I "\"," CREDIT_SUBJECT ",\"name\":1}",
                "'c.json' line 1 column 139: field 'id' is not allowed: a record's id is the hash "
                "of its content\n"
                "'c.json' line 1 column 166: field 'issuer' must be urn:talentreg:org:<USCC> or "
                "urn:talentreg:operator\n"
                "'c.json' line 1 column 319: field 'name' is not a field of a credential");
    expect_json("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
                "\"type\":[\"VerifiableCredential\",\"DegreeCredential\"],"
                "\"issuer\":\"urn:talentreg:operator\",\"validFrom\":\"2024-03-01T00:00:00.000Z\","
                "\"credentialSubject\":[]}",
                "'c.json' line 1 column 13: field '@context' must be "
                "[\"https://www.w3.org/ns/credentials/v2\", \"https://talentreg.example/ns/v1\"]\n"
                "'c.json' line 1 column 61: field 'type' must be [\"VerifiableCredential\", "
                "\"<Kind>Credential\"] with <Kind> one of Organization, KeyRevocation, Person, "
                "DualAppointment, EnterprisePlacement, Credit, RecognitionAgreement, "
                "CreditRecognition, Contribution, Evaluation, Revocation\n"
                "'c.json' line 1 column 151: field 'validFrom' is not a valid date-time: "
                "fractions of a second are not accepted\n"
                "'c.json' line 1 column 198: field 'credentialSubject' must be an object, not an "
                "array");
    expect_json("[]", "'c.json' line 1 column 1: a credential must be an object, not an array");
    expect_json("{}", "'c.json' line 1 column 1: field '@context' is required\n"
                      "'c.json' line 1 column 1: field 'type' is required\n"
                      "'c.json' line 1 column 1: field 'issuer' is required\n"
                      "'c.json' line 1 column 1: field 'credentialSubject' is required");
    /* The record form's plain USCC is not a credential's organisation id. */
    expect_json("{" CTX ",\"type\":[\"VerifiableCredential\",\"RevocationCredential\"],"
                "\"issuer\":\"urn:talentreg:operator\",\"credentialSubject\":{"
                "\"id\":\"urn:talentreg:record:" REC_C "\",\"action\":\"withdraw\","
                "\"reason\":\"r\",\"supersededBy\":\"" REC_A "\"}}",
                "'c.json' line 1 column 339: field 'credentialSubject.supersededBy' must be a "
                "record id urn:talentreg:record:<64 hex digits>");
}
END_TEST

START_TEST(kind_is_read_from_type)
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    enum tr_kind kind = TR_KIND_ORGANIZATION;
    const char *json = "{\"type\":[\"VerifiableCredential\",\"EvaluationCredential\"]}";
    ck_assert_int_eq(tr_json_parse(json, strlen(json), "t", NULL, &doc, NULL), TR_OK);
    ck_assert_int_eq(tr_schema_kind(doc, &kind, NULL), TR_OK);
    ck_assert_int_eq(kind, TR_KIND_EVALUATION);
    tr_json_free(doc);
    json = "{\"type\":[\"VerifiableCredential\",\"Credential\"]}";
    ck_assert_int_eq(tr_json_parse(json, strlen(json), "t", NULL, &doc, NULL), TR_OK);
    ck_assert_int_eq(tr_schema_kind(doc, &kind, &err), TR_ESCHEMA);
    ck_assert_str_eq(err.msg, "a credential's type must be [\"VerifiableCredential\", "
                              "\"<Kind>Credential\"] of a record kind");
    tr_json_free(doc);
    ck_assert_int_eq(tr_schema_kind(NULL, &kind, NULL), TR_ESCHEMA);
    for (int k = 0; k < TR_KIND_COUNT; k++) {
        enum tr_kind back;
        ck_assert_int_eq(tr_schema_kind_from_name(tr_schema_kind_name((enum tr_kind)k), &back),
                         TR_OK);
        ck_assert_int_eq(back, k);
    }
    ck_assert_int_eq(tr_schema_kind_from_name("organization", &kind), TR_ENOTFOUND);
    ck_assert_ptr_null(tr_schema_kind_name((enum tr_kind)TR_KIND_COUNT));
}
END_TEST

/* "R:ROLE:USCC" for a required signer, "O:..." for an optional one; "operator" for it. */
static char *signers_of(const char *yaml)
{
    char *msgs = NULL;
    struct tr_json *cred = NULL;
    struct tr_signers s;
    struct tr_buf b;
    ck_assert_msg(map_record(yaml, NULL, &msgs, &cred) == TR_OK, "%s", msgs);
    ck_assert_int_eq(tr_schema_signers(cred, &s, NULL), TR_OK);
    tr_buf_init(&b);
    for (size_t i = 0; i < s.len; i++) {
        tr_buf_addf(&b, "%s%s:%s:%s", i > 0 ? " " : "", s.items[i].required ? "R" : "O",
                    s.items[i].role, s.items[i].is_operator ? "operator" : s.items[i].uscc);
    }
    free(msgs);
    tr_json_free(cred);
    return tr_buf_detach(&b, NULL);
}

START_TEST(signers_of_each_kind)
{
    static const char *const want[TR_KIND_COUNT] = {
        "R:issuer:operator",
        "R:issuer:" ORG_F,
        "R:home:" ORG_U,
        "R:university:" ORG_U " R:enterprise:" ORG_E,
        "R:host:" ORG_E " O:home:" ORG_U,
        "R:issuer:" ORG_I,
        "R:parties:" ORG_U " R:parties:" ORG_I,
        "R:issuer:" ORG_U,
        "R:issuer:" ORG_U " O:beneficiary:" ORG_E,
        "R:issuer:" ORG_B,
        "R:issuer:" ORG_I,
    };
    for (int k = 0; k < TR_KIND_COUNT; k++) {
        char *got = signers_of(bases[k]);
        ck_assert_str_eq(got, want[k]);
        free(got);
    }
}
END_TEST

START_TEST(signers_follow_the_issuer)
{
    /* The enterprise issues the dual appointment: it comes first, the university still signs. */
    char *yaml = with(bases[TR_KIND_DUAL_APPOINTMENT], "issuer: " ORG_U, "issuer: " ORG_E);
    char *got = signers_of(yaml);
    ck_assert_str_eq(got, "R:enterprise:" ORG_E " R:university:" ORG_U);
    free(got);
    free(yaml);
    /* The operator revokes a key, or a record. */
    yaml = with(bases[TR_KIND_KEY_REVOCATION], "issuer: " ORG_F, "issuer: operator");
    got = signers_of(yaml);
    ck_assert_str_eq(got, "R:issuer:operator");
    free(got);
    free(yaml);
    yaml = with(bases[TR_KIND_REVOCATION], "issuer: " ORG_I, "issuer: operator");
    got = signers_of(yaml);
    ck_assert_str_eq(got, "R:issuer:operator");
    free(got);
    free(yaml);
    /* A beneficiary that issues its own contribution is listed once. */
    yaml = with(bases[TR_KIND_CONTRIBUTION], "beneficiary: " ORG_E, "beneficiary: " ORG_U);
    got = signers_of(yaml);
    ck_assert_str_eq(got, "R:beneficiary:" ORG_U);
    free(got);
    free(yaml);
}
END_TEST

START_TEST(signers_of_an_invalid_credential_are_refused)
{
    struct tr_json *doc = NULL;
    struct tr_signers s;
    struct tr_error err = {0};
    const char *json = "{\"type\":[\"VerifiableCredential\",\"CreditCredential\"]}";
    ck_assert_int_eq(tr_json_parse(json, strlen(json), "t", NULL, &doc, NULL), TR_OK);
    ck_assert_int_eq(tr_schema_signers(doc, &s, &err), TR_ESCHEMA);
    ck_assert_str_eq(err.msg, "field '@context' is required");
    ck_assert_uint_eq(s.len, 0);
    tr_json_free(doc);
}
END_TEST

START_TEST(problems_are_bounded)
{
    struct tr_buf b;
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_diag diag;
    tr_buf_init(&b);
    tr_buf_adds(&b, bases[TR_KIND_CREDIT]);
    for (int i = 0; i < 150; i++) {
        tr_buf_addf(&b, "unknown%d: %d\n", i, i);
    }
    ck_assert_int_eq(tr_yaml_load(b.data, b.len, "r.yaml", NULL, &doc, NULL), TR_OK);
    tr_diag_init(&diag, "r.yaml");
    ck_assert_int_eq(tr_schema_from_record(doc, NULL, &cred, &diag), TR_ESCHEMA);
    ck_assert_uint_eq(diag.len, TR_DIAG_MAX);
    ck_assert_uint_eq(diag.dropped, 50);
    ck_assert_uint_eq(tr_diag_count(&diag), 150);
    tr_diag_release(&diag);
    tr_json_free(doc);
    tr_buf_release(&b);
}
END_TEST

START_TEST(long_unknown_keys_are_cut_in_messages)
{
    char key[200];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    char line[256];
    snprintf(line, sizeof line, "%s: 1\ncourse:", key);
    char *yaml = with(bases[TR_KIND_CREDIT], "course:", line);
    char want[256];
    snprintf(want, sizeof want,
             "'r.yaml' line 4 column 1: field 'credentialSubject.%.64s...' is not a field of "
             "Credit",
             key);
    expect_problems(yaml, want);
    free(yaml);
}
END_TEST

/* Compile a schema written in YAML; returns the code and the message. */
static int compile(const char *yaml, char msg[TR_ERROR_MAX])
{
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    struct kind_schema s;
    ck_assert_int_eq(tr_yaml_load(yaml, strlen(yaml), "s.yaml", NULL, &doc, NULL), TR_OK);
    int rc = schema_file_compile(doc, "s.yaml", TR_KIND_CREDIT, &s, &err);
    if (rc == TR_OK) {
        schema_file_release(&s);
    }
    snprintf(msg, TR_ERROR_MAX, "%s", err.msg);
    tr_json_free(doc);
    return rc;
}

#define SCHEMA_HEAD                                                                                \
    "kind: Credit\ndescription: d\nsubject: person\nperiod: none\nissuer: [organization]\n"        \
    "signers: [issuer]\n"

START_TEST(schema_files_refuse_what_the_language_lacks)
{
    char msg[TR_ERROR_MAX];
    ck_assert_int_eq(compile(SCHEMA_HEAD "fields:\n  a: {type: string, maxLength: 3, "
                                         "description: a}\n",
                             msg),
                     TR_OK);
    ck_assert_int_eq(
        compile(SCHEMA_HEAD "extra: 1\nfields:\n  a: {type: boolean, description: a}\n", msg),
        TR_ESCHEMA);
    ck_assert_str_eq(msg, "'s.yaml' line 7 column 8: unknown key 'extra'");
    ck_assert_int_eq(compile(SCHEMA_HEAD "fields:\n  a: {type: string, description: a, "
                                         "pattern: x}\n",
                             msg),
                     TR_ESCHEMA);
    ck_assert_str_eq(msg, "'s.yaml' line 8 column 46: unknown key 'pattern'");
    ck_assert_int_eq(compile(SCHEMA_HEAD "fields:\n  a: {type: string, description: a}\n", msg),
                     TR_ESCHEMA);
    ck_assert_str_eq(msg, "'s.yaml' line 8 column 6: a field of type 'string' needs 'maxLength'");
    ck_assert_int_eq(compile(SCHEMA_HEAD "fields:\n  a: {type: number, min: 2, max: 1, "
                                         "description: a}\n",
                             msg),
                     TR_ESCHEMA);
    ck_assert_str_eq(msg, "'s.yaml' line 8 column 26: 'min' must not be above 'max'");
    ck_assert_int_eq(compile(SCHEMA_HEAD "fields:\n  a: {type: boolean, maxLength: 3, "
                                         "description: a}\n",
                             msg),
                     TR_ESCHEMA);
    ck_assert_str_eq(msg,
                     "'s.yaml' line 8 column 33: 'maxLength' does not apply to type 'boolean'");
    ck_assert_int_eq(compile(SCHEMA_HEAD "fields:\n  a: {type: text, description: a}\n", msg),
                     TR_ESCHEMA);
    ck_assert_int_eq(compile("kind: Credit\ndescription: d\nsubject: person\nperiod: none\n"
                             "issuer: [a]\nsigners: [issuer]\n"
                             "fields:\n  a: {type: boolean, description: a}\n",
                             msg),
                     TR_ESCHEMA);
    ck_assert_str_eq(msg, "'s.yaml' line 5 column 10: 'a' cannot be in 'issuer': a role is "
                          "operator, organization, subject or a field of type uscc");
    ck_assert_int_eq(compile("kind: Credit\ndescription: d\nsubject: person\nperiod: none\n"
                             "issuer: [a, b]\nsigners: [a]\n"
                             "fields:\n  a: {type: uscc, description: a}\n"
                             "  b: {type: uscc, description: b}\n",
                             msg),
                     TR_ESCHEMA);
    ck_assert_str_eq(msg, "'s.yaml' line 6 column 10: 'signers' must include the issuer: list "
                          "issuer, or every role of 'issuer'");
    ck_assert_int_eq(compile("kind: Person\ndescription: d\nsubject: person\nperiod: none\n"
                             "issuer: [organization]\nsigners: [issuer]\n"
                             "fields:\n  a: {type: boolean, description: a}\n",
                             msg),
                     TR_ESCHEMA);
    ck_assert_str_eq(msg, "'s.yaml' line 1 column 7: 'kind' must be Credit");
}
END_TEST

START_TEST(embedded_schemas_load)
{
    struct tr_error err = {0};
    ck_assert_msg(tr_schema_load(&err) == TR_OK, "%s", err.msg);
}
END_TEST

/* Every term of every schema is defined by the context, and the context defines no other. */
static void collect_terms(const struct field *f, struct tr_json *seen)
{
    for (size_t i = 0; i < f->nfields; i++) {
        const struct field *sub = &f->fields[i];
        tr_json_object_set(seen, sub->name, tr_json_new_bool(1));
        collect_terms(sub, seen);
        if (sub->items != NULL) {
            collect_terms(sub->items, seen);
        }
    }
}

START_TEST(context_defines_every_term)
{
    size_t len = 0;
    const char *text = tr_schema_context_document(&len);
    struct tr_json *doc = NULL, *seen = tr_json_new_object();
    ck_assert_int_eq(tr_json_parse(text, len, "context", NULL, &doc, NULL), TR_OK);
    const struct tr_json *ctx = tr_json_object_get(doc, "@context");
    ck_assert(tr_json_is(ctx, TR_JSON_OBJECT));
    for (int k = 0; k < TR_KIND_COUNT; k++) {
        const struct kind_schema *s = NULL;
        char type[64];
        ck_assert_int_eq(schema_file_get((enum tr_kind)k, &s, NULL), TR_OK);
        collect_terms(&s->subject_fields, seen);
        snprintf(type, sizeof type, "%sCredential", s->name);
        tr_json_object_set(seen, type, tr_json_new_bool(1));
    }
    /* name and description are defined by the VC context, which is protected. */
    for (size_t i = 0; i < seen->u.object.len; i++) {
        const char *term = seen->u.object.members[i].key;
        int from_vc = strcmp(term, "name") == 0 || strcmp(term, "description") == 0;
        ck_assert_msg((tr_json_object_get(ctx, term) != NULL) != from_vc, "term '%s'", term);
    }
    for (size_t i = 0; i < ctx->u.object.len; i++) {
        const char *term = ctx->u.object.members[i].key;
        int prefix = term[0] == '@' || strcmp(term, "tr") == 0 || strcmp(term, "xsd") == 0;
        ck_assert_msg((tr_json_object_get(seen, term) != NULL) != prefix, "unused term '%s'", term);
    }
    tr_json_free(seen);
    tr_json_free(doc);
}
END_TEST

/* Every example in docs/examples validates (with the example id key). */
START_TEST(examples_validate)
{
    static const char *const files[] = {
        "organizations.yaml",         "key-revocation.yaml",       "persons.yaml",
        "dual-appointment.yaml",      "enterprise-placement.yaml", "credits.yaml",
        "recognition-agreement.yaml", "credit-recognition.yaml",   "contribution.yaml",
        "evaluations.yaml",           "revocation.yaml",
    };
    unsigned char key[TR_ID_KEY_LEN];
    int seen[TR_KIND_COUNT] = {0};
    ck_assert_int_eq(tr_ident_key_read("docs/examples/id.key", key, NULL), TR_OK);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[128];
        struct tr_yaml_reader *r = NULL;
        struct tr_json *doc = NULL;
        snprintf(path, sizeof path, "docs/examples/%s", files[i]);
        ck_assert_int_eq(tr_yaml_reader_open_file(path, NULL, &r, NULL), TR_OK);
        while (tr_yaml_reader_next(r, &doc, NULL) == TR_OK && doc != NULL) {
            struct tr_diag diag;
            struct tr_json *cred = NULL;
            enum tr_kind kind;
            tr_diag_init(&diag, path);
            int rc = tr_schema_from_record(doc, key, &cred, &diag);
            char *msgs = messages(&diag);
            ck_assert_msg(rc == TR_OK, "%s", msgs);
            ck_assert_int_eq(tr_schema_kind(cred, &kind, NULL), TR_OK);
            seen[kind]++;
            free(msgs);
            tr_diag_release(&diag);
            tr_json_free(cred);
            tr_json_free(doc);
        }
        tr_yaml_reader_free(r);
    }
    for (int k = 0; k < TR_KIND_COUNT; k++) {
        ck_assert_msg(seen[k] > 0, "no example of %s", tr_schema_kind_name((enum tr_kind)k));
    }
}
END_TEST

Suite *schema_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("schema");
    tcase_add_test(tc, embedded_schemas_load);
    tcase_add_test(tc, every_kind_has_a_valid_record);
    tcase_add_test(tc, placement_maps_to_this_credential);
    tcase_add_test(tc, mapped_values_remember_where_they_were_written);
    tcase_add_test(tc, revocation_names_the_record_as_its_subject);
    tcase_add_loop_test(tc, each_broken_record_reports_exactly_its_problems, 0,
                        (int)(sizeof broken / sizeof broken[0]));
    tcase_add_test(tc, every_problem_is_reported_in_input_order);
    tcase_add_test(tc, record_kind_must_be_known);
    tcase_add_test(tc, credential_keys_cannot_be_written_in_a_record);
    tcase_add_test(tc, numbers_written_where_text_is_wanted_keep_their_spelling);
    tcase_add_test(tc, national_id_is_hashed_and_wiped);
    tcase_add_test(tc, national_id_needs_a_key_and_a_real_number);
    tcase_add_test(tc, national_id_is_wiped_where_no_kind_takes_it);
    tcase_add_test(tc, json_credentials_meet_the_same_checks);
    tcase_add_test(tc, kind_is_read_from_type);
    tcase_add_test(tc, signers_of_each_kind);
    tcase_add_test(tc, signers_follow_the_issuer);
    tcase_add_test(tc, signers_of_an_invalid_credential_are_refused);
    tcase_add_test(tc, problems_are_bounded);
    tcase_add_test(tc, long_unknown_keys_are_cut_in_messages);
    tcase_add_test(tc, schema_files_refuse_what_the_language_lacks);
    tcase_add_test(tc, context_defines_every_term);
    tcase_add_test(tc, examples_validate);
    suite_add_tcase(s, tc);
    return s;
}
