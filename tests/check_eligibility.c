/*
 * check_eligibility.c — the store side of the metrics: records signed and submitted through
 * the library into a region (the organisations of docs/examples/organizations.yaml,
 * registered by the operator at leaves 0-4, their keys from the fixed seeds of
 * tests/vectors/didkey), selected for a person as the archive stood at a log size, judged,
 * and evaluated. Every figure is computed by hand in a comment beside its assertion.
 */
#include <check.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

#define EX "docs/examples/"
#define CREATED "2025-06-01T08:00:00Z"
#define ZHANG "p-zhang-wei-1984"

enum org { MINJIANG, NINGDE, FUZHOU, BOARD, SINO, NORG, FUZHOU_2 = NORG };

static const char *const uscc[NORG] = {"12350100488101234T", "91350900MA2Y8K3Q1U",
                                       "91350100MA31XR6T22", "113500000035912489",
                                       "52350100MJD4C28059"};

/* Seeds of the organisations' keys (tests/vectors/didkey/ed25519.json); Fuzhou has two. */
static const char *const seed_hex[NORG + 1] = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000001",
    "0000000000000000000000000000000000000000000000000000000000000002",
    "0000000000000000000000000000000000000000000000000000000000000005",
    "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6",
    "0000000000000000000000000000000000000000000000000000000000000003",
};

static char dir[64];
static char path[128];
static struct tr_db *db;
static unsigned char op_seed[TR_ED25519_SEED_LEN];

/* ---- Making records ---- */

static void seed_of(int who, unsigned char out[TR_ED25519_SEED_LEN])
{
    if (who < 0) {
        memcpy(out, op_seed, TR_ED25519_SEED_LEN);
    } else {
        test_unhex(seed_hex[who], out, TR_ED25519_SEED_LEN);
    }
}

static const char *did_of(int who)
{
    static char did[TR_KEY_DID_SIZE];
    unsigned char seed[TR_ED25519_SEED_LEN], pub[TR_ED25519_PUBLIC_LEN];
    seed_of(who, seed);
    ck_assert_int_eq(tr_ed25519_public(seed, pub), TR_OK);
    tr_key_did(pub, did);
    return did;
}

/* The unsigned credential of the YAML record text. */
static struct tr_json *credential(const char *yaml)
{
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_error err = {0};
    struct tr_diag diag;
    tr_diag_init(&diag, "record");
    ck_assert_msg(tr_yaml_load(yaml, strlen(yaml), "record", NULL, &doc, &err) == TR_OK, "%s",
                  err.msg);
    if (tr_schema_from_record(doc, NULL, &cred, &diag) != TR_OK) {
        struct tr_buf b;
        tr_buf_init(&b);
        tr_diag_format(&diag, 0, &b);
        ck_abort_msg("%s", b.data);
    }
    tr_diag_release(&diag);
    tr_json_free(doc);
    return cred;
}

static void sign(struct tr_json *cred, int who)
{
    unsigned char seed[TR_ED25519_SEED_LEN];
    struct tr_proof_sign_options opts = {CREATED, NULL, NULL};
    struct tr_error err = {0};
    seed_of(who, seed);
    ck_assert_msg(tr_proof_sign(cred, seed, &opts, &err) == TR_OK, "%s", err.msg);
}

static void submit(const struct tr_json *cred, struct tr_submit_result *r)
{
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    ck_assert_msg(tr_submit_credential(db, cred, r, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_db_commit(db, &err) == TR_OK, "%s", err.msg);
}

/*
 * Sign yaml by who (and by cosigner unless it is -2), submit it, require it stored or
 * merged; id (may be NULL) gets its record id. Returns its leaf.
 */
static uint64_t put(const char *yaml, int who, int cosigner, char id[TR_RECORD_ID_LEN + 1])
{
    struct tr_json *cred = credential(yaml);
    struct tr_submit_result r;
    sign(cred, who);
    if (cosigner != -2) {
        sign(cred, cosigner);
    }
    submit(cred, &r);
    ck_assert_msg(r.status == TR_SUBMIT_STORED || r.status == TR_SUBMIT_MERGED, "%s: %s",
                  r.verdict.nreasons > 0 ? tr_verify_reason_code(r.verdict.reasons[0].reason) : "",
                  r.verdict.nreasons > 0 ? r.verdict.reasons[0].detail : "");
    if (id != NULL) {
        memcpy(id, r.record_id, sizeof r.record_id);
    }
    uint64_t leaf = r.leaf;
    tr_submit_result_release(&r);
    tr_json_free(cred);
    return leaf;
}

#define ALONE (-2)

/* An EnterprisePlacement of Zhang Wei hosted by Fuzhou (whose key signs it). */
static uint64_t placement(const char *from, const char *until, const char *fte, const char *project,
                          int key, char id[TR_RECORD_ID_LEN + 1])
{
    char yaml[768];
    snprintf(yaml, sizeof yaml,
             "kind: EnterprisePlacement\nissuer: 91350100MA31XR6T22\nsubject: " ZHANG "\n"
             "validFrom: %s\nvalidUntil: %s\nhost: 91350100MA31XR6T22\n"
             "home: 12350100488101234T\nfte: %s\nform: post\nproject: %s\n",
             from, until, fte, project);
    return put(yaml, key, ALONE, id);
}

/* A Revocation by Fuzhou of target: withdrawn, or superseded by `by`. */
static uint64_t revocation(const char *target, const char *by)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "kind: Revocation\nissuer: 91350100MA31XR6T22\nsubject: %s\naction: %s\n"
             "reason: entered by mistake\n%s%s\n",
             target, by != NULL ? "supersede" : "withdraw", by != NULL ? "supersededBy: " : "",
             by != NULL ? by : "");
    return put(yaml, FUZHOU_2, ALONE, NULL);
}

static uint64_t log_size(void)
{
    uint64_t n = 0;
    ck_assert_int_eq(tr_log_size(db, &n, NULL), TR_OK);
    return n;
}

/* ---- Evaluating ---- */

static int64_t day(const char *text)
{
    int64_t d = 0;
    ck_assert_int_eq(tr_date_parse(text, strlen(text), &d, NULL), TR_OK);
    return d;
}

/* The result of policy for person as of as_of, at log size (TR_ELIGIBILITY_WHOLE_LOG: all),
 * judged in mode; free with tr_metric_result_free. The policy is kept for the result. */
static struct tr_policy *policy_kept;

static struct tr_metric_result *evaluate_in(const char *policy, const char *person,
                                            const char *as_of, uint64_t size,
                                            enum tr_eligibility_mode mode)
{
    struct tr_eligibility *view = NULL;
    struct tr_eligibility_records records;
    struct tr_metric_result *r = NULL;
    struct tr_metric_options opt = {person, day(as_of), TR_WINDOW_NONE, 0};
    struct tr_error err = {0};
    tr_policy_free(policy_kept);
    ck_assert_msg(tr_policy_load(policy, &policy_kept, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_eligibility_open(db, size, mode, &view, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_eligibility_select(view, person, 0, &records, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_eligibility_evaluate(&records, policy_kept, &opt, &r, &err) == TR_OK, "%s",
                  err.msg);
    tr_eligibility_records_release(&records);
    tr_eligibility_close(view);
    return r;
}

static struct tr_metric_result *evaluate(const char *policy, const char *person, const char *as_of,
                                         uint64_t size)
{
    return evaluate_in(policy, person, as_of, size, TR_ELIGIBILITY_VERIFY);
}

/* The value of the first criterion of the teacher practice preset for Zhang Wei. */
static double practice(const char *as_of, uint64_t size)
{
    struct tr_metric_result *r =
        evaluate("cn-vocational-teacher-practice-2016", ZHANG, as_of, size);
    double v = r->criteria[0].value;
    /* Both ways of judging give the same figure. */
    struct tr_metric_result *fast = evaluate_in("cn-vocational-teacher-practice-2016", ZHANG, as_of,
                                                size, TR_ELIGIBILITY_INDEX);
    ck_assert_double_eq(fast->criteria[0].value, v);
    tr_metric_result_free(fast);
    tr_metric_result_free(r);
    return v;
}

/* Assert that the criterion left out record id with exactly the reason fmt makes. */
static void expect_left_out(const struct tr_metric_criterion *c, const char *id, const char *fmt,
                            ...) __attribute__((format(printf, 3, 4)));

static void expect_left_out(const struct tr_metric_criterion *c, const char *id, const char *fmt,
                            ...)
{
    char want[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < c->nexcluded; i++) {
        if (strcmp(c->excluded[i].id, id) == 0) {
            ck_assert_str_eq(c->excluded[i].reason, want);
            return;
        }
    }
    ck_abort_msg("record %s is not left out", id);
}

static void setup(void)
{
    struct tr_error err = {0};
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    size_t len = 0;
    snprintf(dir, sizeof dir, "/tmp/check_eligibility.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/talent.db", dir);
    memset(op_seed, 0x0f, sizeof op_seed);
    ck_assert_int_eq(tr_ed25519_public(op_seed, pub), TR_OK);
    ck_assert_msg(tr_db_create(path, "talentreg.example/test", &db, &err) == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, NULL), TR_OK);
    char *text = test_read(EX "organizations.yaml", &len);
    char *doc = text;
    for (int i = 0; i < NORG; i++) {
        char *end = strstr(doc, "\n---\n");
        if (end != NULL) {
            *end = '\0';
        }
        ck_assert_uint_eq(put(doc, -1, ALONE, NULL), (uint64_t)i);
        doc = end != NULL ? end + 5 : doc;
    }
    free(text);
}

static void teardown(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    tr_policy_free(policy_kept);
    policy_kept = NULL;
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* ---- Enterprise months ---- */

START_TEST(overlapping_placements_count_each_day_once)
{
    /*
     * A: 2024-01-01..2024-03-30 full time: 31 + 29 (2024 is a leap year) + 30 = 90 days.
     * B: 2024-03-01..2024-05-29 half time: 31 + 30 + 29 = 90 days.
     * 2024-03-01..03-30 (30 days) both: 1 + 0.5 capped at 1, so 90 days count 1 each;
     * 2024-03-31..05-29 (1 + 30 + 29 = 60 days) B alone at 0.5: 30 FTE-days.
     * 90 + 30 = 120 FTE-days / 30 = 4 months, not the 90 + 45 = 4.5 of counting twice.
     */
    placement("2024-01-01", "2024-03-30", "1", "A", FUZHOU, NULL);
    placement("2024-03-01", "2024-05-29", "0.5", "B", FUZHOU, NULL);
    ck_assert_double_eq(practice("2025-12-31", TR_ELIGIBILITY_WHOLE_LOG), 4);
}
END_TEST

START_TEST(placement_straddling_the_window_counts_its_part)
{
    /*
     * Rolling 5 years as of 2025-12-31: 2021-01-01..2025-12-31. The placement
     * 2020-11-01..2021-02-28 full time has 31 + 28 (2021 is common) = 59 days inside.
     * 59 / 30 = 1.966666... -> 1.966667.
     */
    placement("2020-11-01", "2021-02-28", "1", "edge", FUZHOU, NULL);
    ck_assert_double_eq(practice("2025-12-31", TR_ELIGIBILITY_WHOLE_LOG), 1.966667);
}
END_TEST

START_TEST(leap_days_and_the_window_that_ends_on_29_february)
{
    /*
     * As of 2024-02-29, five years back is 2019-02-29, which does not exist: taken as
     * 2019-02-28, so the window is 2019-03-01..2024-02-29.
     * 2019-02-01..2019-03-31: only March is inside, 31 days.
     * 2024-02-01..2024-03-31: 2024-02-01..02-29 inside, 29 days (the leap day counts).
     * 31 + 29 = 60 FTE-days = 2 months.
     */
    placement("2019-02-01", "2019-03-31", "1", "spring 2019", FUZHOU, NULL);
    placement("2024-02-01", "2024-03-31", "1", "spring 2024", FUZHOU, NULL);
    ck_assert_double_eq(practice("2024-02-29", TR_ELIGIBILITY_WHOLE_LOG), 2);
    /* A year later the window is 2020-03-01..2025-02-28 (2025 is common): 2024-02-01..
     * 2024-03-31 is wholly inside, 29 + 31 = 60 days; 2019 is outside. 60 / 30 = 2. */
    ck_assert_double_eq(practice("2025-02-28", TR_ELIGIBILITY_WHOLE_LOG), 2);
}
END_TEST

START_TEST(half_time_counts_half)
{
    /* 2023-01-01..2023-12-31 is 365 days at FTE 0.5: 182.5 FTE-days / 30 = 6.083333. */
    placement("2023-01-01", "2023-12-31", "0.5", "half", FUZHOU, NULL);
    ck_assert_double_eq(practice("2025-12-31", TR_ELIGIBILITY_WHOLE_LOG), 6.083333);
}
END_TEST

START_TEST(revoked_placement_is_left_out_with_the_reason)
{
    char id[TR_RECORD_ID_LEN + 1];
    /* 2023-01-01..2023-06-29: 31 + 28 + 31 + 30 + 31 + 29 = 180 days = 6 months. */
    uint64_t leaf = placement("2023-01-01", "2023-06-29", "1", "withdrawn", FUZHOU, id);
    ck_assert_uint_eq(leaf, 5);
    uint64_t at = revocation(id, NULL);
    ck_assert_uint_eq(at, 6);
    struct tr_metric_result *r = evaluate("cn-vocational-teacher-practice-2016", ZHANG,
                                          "2025-12-31", TR_ELIGIBILITY_WHOLE_LOG);
    ck_assert_double_eq(r->criteria[0].value, 0);
    ck_assert_int_eq(r->criteria[0].met, 0);
    ck_assert_uint_eq(r->criteria[0].ncounted, 0);
    struct tr_trust_revocation *list = NULL;
    size_t n = 0;
    ck_assert_int_eq(tr_trust_revocations(db, id, log_size(), &list, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 1);
    expect_left_out(&r->criteria[0], id, "revoked: withdrawn by Revocation %s at leaf 6",
                    list[0].record_id);
    free(list);
    tr_metric_result_free(r);
    /* As the archive stood before the Revocation (log size 6), the placement counted. */
    ck_assert_double_eq(practice("2025-12-31", 6), 6);
    ck_assert_double_eq(practice("2025-12-31", TR_ELIGIBILITY_WHOLE_LOG), 0);
}
END_TEST

START_TEST(superseded_original_is_left_out_and_the_correction_counts)
{
    char original[TR_RECORD_ID_LEN + 1], correction[TR_RECORD_ID_LEN + 1];
    /* Entered full time by mistake; corrected to half time over the same 90 days
     * (2023-01-01..2023-03-31: 31 + 28 + 31). The correction: 45 FTE-days = 1.5 months. */
    placement("2023-01-01", "2023-03-31", "1", "line 3", FUZHOU, original);
    placement("2023-01-01", "2023-03-31", "0.5", "line 3", FUZHOU, correction);
    uint64_t at = revocation(original, correction);
    /* Before the supersession both count: 90 days at 1 + 0.5 capped = 90 FTE-days = 3. */
    ck_assert_double_eq(practice("2025-12-31", at), 3);
    ck_assert_double_eq(practice("2025-12-31", TR_ELIGIBILITY_WHOLE_LOG), 1.5);
    struct tr_metric_result *r = evaluate("cn-vocational-teacher-practice-2016", ZHANG,
                                          "2025-12-31", TR_ELIGIBILITY_WHOLE_LOG);
    struct tr_trust_revocation *list = NULL;
    size_t n = 0;
    ck_assert_int_eq(tr_trust_revocations(db, original, log_size(), &list, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 1);
    expect_left_out(&r->criteria[0], original,
                    "superseded: superseded by record %s (Revocation %s at leaf %" PRIu64 ")",
                    correction, list[0].record_id, at);
    ck_assert_uint_eq(r->criteria[0].ncounted, 1);
    ck_assert_str_eq(r->criteria[0].counted[0].id, correction);
    free(list);
    tr_metric_result_free(r);
}
END_TEST

START_TEST(as_of_before_the_period_leaves_the_record_out)
{
    char id[TR_RECORD_ID_LEN + 1];
    placement("2026-03-01", "2026-08-31", "1", "next year", FUZHOU, id);
    struct tr_metric_result *r = evaluate("cn-vocational-teacher-practice-2016", ZHANG,
                                          "2025-12-31", TR_ELIGIBILITY_WHOLE_LOG);
    ck_assert_double_eq(r->criteria[0].value, 0);
    expect_left_out(&r->criteria[0], id, "begins 2026-03-01, after the as-of date 2025-12-31");
    tr_metric_result_free(r);
    /* As of 2026-12-31 it counts whole: 31 + 30 + 31 + 30 + 31 + 31 = 184 days = 6.133333. */
    ck_assert_double_eq(practice("2026-12-31", TR_ELIGIBILITY_WHOLE_LOG), 6.133333);
}
END_TEST

START_TEST(log_size_before_the_record_gives_the_figure_as_it_stood)
{
    /* 2022-01-01..2022-03-31 (90 days) is logged at leaf 5, 2022-07-01..2022-08-29 (31 + 29
     * = 60 days) at leaf 6. Log size 5: nothing yet, 0. Log size 6: 90 / 30 = 3. Log size
     * 7: (90 + 60) / 30 = 5. */
    ck_assert_uint_eq(placement("2022-01-01", "2022-03-31", "1", "first", FUZHOU, NULL), 5);
    ck_assert_uint_eq(placement("2022-07-01", "2022-08-29", "1", "second", FUZHOU, NULL), 6);
    ck_assert_double_eq(practice("2025-12-31", 5), 0);
    ck_assert_double_eq(practice("2025-12-31", 6), 3);
    ck_assert_double_eq(practice("2025-12-31", 7), 5);
    struct tr_eligibility *view = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_eligibility_open(db, 8, TR_ELIGIBILITY_VERIFY, &view, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "log size 8 is larger than the log (7 leaves)");
    ck_assert_ptr_null(view);
}
END_TEST

/* ---- Appointments and credits ---- */

START_TEST(appointment_without_its_cosignature_is_absent_and_fails)
{
    size_t len = 0;
    char *text = test_read(EX "dual-appointment.yaml", &len);
    struct tr_json *cred = credential(text);
    struct tr_submit_result r;
    free(text);
    /* Signed by the university alone: it cannot be stored. */
    sign(cred, MINJIANG);
    submit(cred, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_REJECTED);
    ck_assert_uint_eq(r.verdict.nreasons, 1);
    ck_assert_int_eq(r.verdict.reasons[0].reason, TR_VERIFY_MISSING_COSIGNER);
    tr_submit_result_release(&r);
    tr_json_free(cred);
    ck_assert_uint_eq(log_size(), NORG);
    /* So the dossier of Wang Jianguo holds nothing, and the appointment criteria fail. */
    struct tr_eligibility *view = NULL;
    struct tr_eligibility_records records;
    ck_assert_int_eq(
        tr_eligibility_open(db, TR_ELIGIBILITY_WHOLE_LOG, TR_ELIGIBILITY_VERIFY, &view, NULL),
        TR_OK);
    ck_assert_int_eq(tr_eligibility_select(view, "p-wang-jianguo-1970", 0, &records, NULL), TR_OK);
    ck_assert_uint_eq(records.len, 0);
    tr_eligibility_close(view);
    struct tr_metric_result *m = evaluate("industrial-professor-duties", "p-wang-jianguo-1970",
                                          "2025-12-31", TR_ELIGIBILITY_WHOLE_LOG);
    ck_assert_int_eq(m->met, 0);
    ck_assert_double_eq(m->criteria[0].value, 0); /* appointments in force: none */
    ck_assert_int_eq(m->criteria[0].met, 0);
    tr_metric_result_free(m);
}
END_TEST

START_TEST(credit_recognised_under_an_expired_agreement_does_not_count)
{
    char credit[TR_RECORD_ID_LEN + 1], agreement[TR_RECORD_ID_LEN + 1];
    char recognition[TR_RECORD_ID_LEN + 1], yaml[1024];
    put("kind: Credit\nissuer: 52350100MJD4C28059\nsubject: p-li-na-1999\ncourse: Lab\n"
        "framework: ects\npoints: 6\nearnedOn: 2023-07-25\n",
        SINO, ALONE, credit);
    put("kind: RecognitionAgreement\nissuer: 12350100488101234T\nvalidFrom: 2020-09-01\n"
        "validUntil: 2023-12-31\nparties: [12350100488101234T, 52350100MJD4C28059]\n"
        "title: agreement\nframeworkRatios:\n  - {from: ects, to: cn-credit, ratio: 0.5}\n",
        MINJIANG, SINO, agreement);
    /* Decided 2024-03-01, two months after the agreement ended on 2023-12-31. */
    snprintf(yaml, sizeof yaml,
             "kind: CreditRecognition\nissuer: 12350100488101234T\nsubject: p-li-na-1999\n"
             "credit: %s\nagreement: %s\ndecision: recognised\ndecidedOn: 2024-03-01\n",
             credit, agreement);
    put(yaml, MINJIANG, ALONE, recognition);
    struct tr_metric_result *r = evaluate("engineering-doctorate-credits", "p-li-na-1999",
                                          "2025-12-31", TR_ELIGIBILITY_WHOLE_LOG);
    ck_assert_double_eq(r->criteria[0].value, 0);
    expect_left_out(&r->criteria[0], recognition,
                    "agreement %s expired on 2023-12-31, before the decision on 2024-03-01",
                    agreement);
    tr_metric_result_free(r);
    /* The same decision within the agreement's term counts 6 x 0.5 = 3 credits. */
    snprintf(yaml, sizeof yaml,
             "kind: CreditRecognition\nissuer: 12350100488101234T\nsubject: p-li-na-1999\n"
             "credit: %s\nagreement: %s\ndecision: recognised\ndecidedOn: 2023-11-30\n",
             credit, agreement);
    put(yaml, MINJIANG, ALONE, NULL);
    r = evaluate("engineering-doctorate-credits", "p-li-na-1999", "2025-12-31",
                 TR_ELIGIBILITY_WHOLE_LOG);
    ck_assert_double_eq(r->criteria[0].value, 3);
    tr_metric_result_free(r);
}
END_TEST

/* ---- The selection and the basis ---- */

START_TEST(selection_brings_the_agreement_and_the_credit_a_recognition_names)
{
    char credit[TR_RECORD_ID_LEN + 1], agreement[TR_RECORD_ID_LEN + 1], yaml[1024];
    put("kind: Credit\nissuer: 52350100MJD4C28059\nsubject: p-zhao-min-1968\ncourse: Lab\n"
        "framework: ects\npoints: 4\nearnedOn: 2024-07-25\n",
        SINO, ALONE, credit);
    put("kind: RecognitionAgreement\nissuer: 12350100488101234T\nvalidFrom: 2020-09-01\n"
        "validUntil: 2029-08-31\nparties: [12350100488101234T, 52350100MJD4C28059]\n"
        "title: agreement\nframeworkRatios:\n  - {from: ects, to: cn-credit, ratio: 0.5}\n",
        MINJIANG, SINO, agreement);
    /* Li Na's recognition names a credit of Zhao Min: it comes along, marked related. */
    snprintf(yaml, sizeof yaml,
             "kind: CreditRecognition\nissuer: 12350100488101234T\nsubject: p-li-na-1999\n"
             "credit: %s\nagreement: %s\ndecision: recognised\ndecidedOn: 2024-09-01\n",
             credit, agreement);
    put(yaml, MINJIANG, ALONE, NULL);
    struct tr_eligibility *view = NULL;
    struct tr_eligibility_records records;
    ck_assert_int_eq(
        tr_eligibility_open(db, TR_ELIGIBILITY_WHOLE_LOG, TR_ELIGIBILITY_INDEX, &view, NULL),
        TR_OK);
    ck_assert_int_eq(tr_eligibility_select(view, "p-li-na-1999", 0, &records, NULL), TR_OK);
    ck_assert_uint_eq(records.len, 3);
    ck_assert_int_eq(records.items[0].kind, TR_KIND_CREDIT_RECOGNITION);
    ck_assert_int_eq(records.items[0].related, 0);
    ck_assert_str_eq(records.items[1].id, credit);
    ck_assert_int_eq(records.items[1].related, 1);
    ck_assert_str_eq(records.items[2].id, agreement);
    ck_assert_int_eq(records.items[2].related, 1);
    tr_eligibility_records_release(&records);
    /* Without recognitions in the kinds asked for, nothing related comes. */
    ck_assert_int_eq(tr_eligibility_select(view, "urn:talentreg:person:p-li-na-1999",
                                           1u << TR_KIND_CREDIT, &records, NULL),
                     TR_OK);
    ck_assert_uint_eq(records.len, 0);
    tr_eligibility_records_release(&records);
    struct tr_error err = {0};
    ck_assert_int_eq(tr_eligibility_select(view, "zhang", 0, &records, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "'zhang' is not a person id");
    tr_eligibility_close(view);
    /* The engine says why Li Na's recognition of another person's credit does not count. */
    struct tr_metric_result *r = evaluate("engineering-doctorate-credits", "p-li-na-1999",
                                          "2025-12-31", TR_ELIGIBILITY_WHOLE_LOG);
    ck_assert_double_eq(r->criteria[0].value, 0);
    expect_left_out(&r->criteria[0], credit, "about p-zhao-min-1968, not p-li-na-1999");
    tr_metric_result_free(r);
}
END_TEST

START_TEST(basis_names_the_log_size_and_the_checkpoint_that_covers_it)
{
    struct tr_eligibility *view = NULL;
    struct tr_error err = {0};
    unsigned char root[TR_MERKLE_HASH_LEN];
    placement("2022-01-01", "2022-03-31", "1", "first", FUZHOU, NULL);
    ck_assert_int_eq(tr_eligibility_open(db, 6, TR_ELIGIBILITY_VERIFY, &view, &err), TR_OK);
    const struct tr_eligibility_basis *b = tr_eligibility_basis(view);
    ck_assert_uint_eq(b->log_size, 6);
    ck_assert_int_eq(b->has_checkpoint, 0);
    ck_assert_int_eq(tr_log_root(db, 6, root, NULL), TR_OK);
    ck_assert_mem_eq(b->root, root, sizeof root);
    tr_eligibility_close(view);
    /* A checkpoint of size 6 covers log sizes up to 6, and none after a new leaf. */
    ck_assert_msg(tr_log_checkpoint(db, op_seed, NULL, &err) == TR_OK, "%s", err.msg);
    placement("2022-07-01", "2022-08-29", "1", "second", FUZHOU, NULL);
    ck_assert_int_eq(tr_eligibility_open(db, 4, TR_ELIGIBILITY_INDEX, &view, &err), TR_OK);
    b = tr_eligibility_basis(view);
    ck_assert_int_eq(b->has_checkpoint, 1);
    ck_assert_uint_eq(b->checkpoint_size, 6);
    ck_assert_mem_eq(b->checkpoint_root, root, sizeof root);
    tr_eligibility_close(view);
    ck_assert_int_eq(tr_eligibility_open(db, 7, TR_ELIGIBILITY_INDEX, &view, &err), TR_OK);
    ck_assert_int_eq(tr_eligibility_basis(view)->has_checkpoint, 0);
    tr_eligibility_close(view);
}
END_TEST

START_TEST(people_by_home_organisation_and_everyone)
{
    size_t len = 0, n = 0;
    char *text = test_read(EX "persons.yaml", &len);
    char **people = NULL;
    /* The six people of persons.yaml: three of Minjiang, two of Ningde, one of Sino. */
    static const int signer[6] = {MINJIANG, MINJIANG, MINJIANG, NINGDE, NINGDE, SINO};
    char *doc = text;
    for (int i = 0; i < 6; i++) {
        char *end = strstr(doc, "\n---\n");
        if (end != NULL) {
            *end = '\0';
        }
        /* No id key here: the records are written without their national id. */
        char *nid = strstr(doc, "nationalId:");
        if (nid != NULL) {
            *nid = '#';
        }
        put(doc, signer[i], ALONE, NULL);
        doc = end != NULL ? end + 5 : doc;
    }
    free(text);
    placement("2022-01-01", "2022-03-31", "1", "first", FUZHOU, NULL);
    struct tr_eligibility *view = NULL;
    ck_assert_int_eq(
        tr_eligibility_open(db, TR_ELIGIBILITY_WHOLE_LOG, TR_ELIGIBILITY_INDEX, &view, NULL),
        TR_OK);
    ck_assert_int_eq(tr_eligibility_people(view, uscc[MINJIANG], &people, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(people[0], "p-li-na-1999");
    ck_assert_str_eq(people[1], "p-zhang-wei-1984");
    ck_assert_str_eq(people[2], "p-zhao-min-1968");
    tr_eligibility_people_free(people, n);
    ck_assert_int_eq(tr_eligibility_people(view, NULL, &people, &n, NULL), TR_OK);
    ck_assert_uint_eq(n, 6);
    ck_assert_str_eq(people[0], "p-li-na-1999");
    ck_assert_str_eq(people[5], "p-zhao-min-1968");
    tr_eligibility_people_free(people, n);
    struct tr_error err = {0};
    ck_assert_int_eq(tr_eligibility_people(view, "12350100488101234X", &people, &n, &err),
                     TR_EINVAL);
    ck_assert_str_eq(err.msg, "'12350100488101234X' is not a USCC");
    tr_eligibility_close(view);
}
END_TEST

/* ---- Open Badges ---- */

/* Every member of the vector's object want is in got, with a value of the same type. */
static void expect_members(const struct tr_json *want, const struct tr_json *got, const char *skip)
{
    for (size_t i = 0; i < want->u.object.len; i++) {
        const struct tr_json_member *m = &want->u.object.members[i];
        if (skip != NULL && strstr(skip, m->key) != NULL) {
            continue;
        }
        const struct tr_json *v = tr_json_object_get(got, m->key);
        ck_assert_msg(v != NULL, "no member '%s'", m->key);
        ck_assert_msg(v->type == m->value->type, "member '%s' is a %s, not a %s", m->key,
                      tr_json_type_name(v->type), tr_json_type_name(m->value->type));
    }
}

START_TEST(open_badge_has_the_shape_of_the_vector_and_verifies)
{
    char credit[TR_RECORD_ID_LEN + 1];
    unsigned char seed[TR_ED25519_SEED_LEN];
    struct tr_json *badge = NULL;
    struct tr_error err = {0};
    put("kind: Credit\nissuer: 52350100MJD4C28059\nsubject: p-li-na-1999\ncourse: Lab\n"
        "courseCode: IAM-204\nframework: ects\npoints: 7.5\nhours: 150\ngrade: A-\n"
        "term: 2024–25 Autumn\nearnedOn: 2025-01-15\n",
        SINO, ALONE, credit);
    seed_of(SINO, seed);
    ck_assert_msg(tr_ob3_credit(db, credit, seed, "2025-01-15T09:30:00Z", &badge, &err) == TR_OK,
                  "%s", err.msg);
    struct tr_json *vector =
        test_json("tests/vectors/eddsa-jcs-2022/derived-openbadge-credit.json");
    const struct tr_json *want = test_get(vector, "signedDocument");
    /* The vector names its subject by an identifier object, this one by the person's URN. */
    expect_members(want, badge, NULL);
    expect_members(test_get(want, "credentialSubject"), test_get(badge, "credentialSubject"),
                   "identifier");
    expect_members(test_get(test_get(want, "credentialSubject"), "achievement"),
                   test_get(test_get(badge, "credentialSubject"), "achievement"), "fieldOfStudy");
    expect_members(test_get(want, "issuer"), test_get(badge, "issuer"), NULL);
    ck_assert_int_eq(tr_json_equal(test_get(want, "@context"), test_get(badge, "@context")), 1);
    ck_assert_int_eq(tr_json_equal(test_get(want, "type"), test_get(badge, "type")), 1);
    ck_assert_str_eq(test_str(test_get(badge, "issuer"), "id"), did_of(SINO));
    ck_assert_str_eq(test_str(test_get(badge, "credentialSubject"), "id"),
                     "urn:talentreg:person:p-li-na-1999");
    ck_assert_int_eq(tr_proof_verify(badge, NULL, NULL, NULL, NULL, NULL, NULL), TR_OK);
    tr_json_free(badge);
    tr_json_free(vector);
    /* A key of another organisation is refused, and so is a record that is not a Credit. */
    seed_of(MINJIANG, seed);
    ck_assert_int_eq(tr_ob3_credit(db, credit, seed, NULL, &badge, &err), TR_EPERM);
    ck_assert_ptr_null(badge);
    test_msg(&err, "key %s is not a key of the issuer 52350100MJD4C28059", did_of(MINJIANG));
    struct tr_log_entry e;
    ck_assert_int_eq(tr_log_entry(db, 0, &e, NULL, NULL), TR_OK);
    ck_assert_int_eq(tr_ob3_credit(db, e.record_id, seed, NULL, &badge, &err), TR_EINVAL);
    test_msg(&err, "record %s is of kind Organization, not a Credit", e.record_id);
}
END_TEST

/* ---- Both ways of judging agree ---- */

static int count_for_each(void *ctx, size_t i, const struct tr_metric_result *r)
{
    double *values = ctx;
    values[i] = r->criteria[0].value;
    return TR_OK;
}

START_TEST(index_and_full_judgement_agree_on_every_record_at_every_log_size)
{
    char a[TR_RECORD_ID_LEN + 1], b[TR_RECORD_ID_LEN + 1], c[TR_RECORD_ID_LEN + 1];
    char since[32], yaml[512];
    size_t len = 0;
    /* A placement signed by Fuzhou's first key, one withdrawn, one superseded. */
    placement("2022-01-01", "2022-03-31", "1", "key one", FUZHOU, a);
    placement("2022-04-01", "2022-04-30", "1", "withdrawn", FUZHOU_2, b);
    placement("2022-05-01", "2022-05-31", "1", "superseded", FUZHOU_2, c);
    revocation(b, NULL);
    char d[TR_RECORD_ID_LEN + 1];
    placement("2022-05-01", "2022-05-31", "0.5", "superseded", FUZHOU_2, d);
    revocation(c, d);
    /* A contribution co-signed later: a second leaf of the same record. */
    char *text = test_read(EX "contribution.yaml", &len);
    struct tr_json *cred = credential(text);
    free(text);
    sign(cred, MINJIANG);
    struct tr_json *cosigned = tr_json_clone(cred);
    sign(cosigned, NINGDE);
    struct tr_submit_result r;
    submit(cred, &r);
    tr_submit_result_release(&r);
    submit(cosigned, &r);
    ck_assert_int_eq(r.status, TR_SUBMIT_MERGED);
    tr_submit_result_release(&r);
    tr_json_free(cred);
    tr_json_free(cosigned);
    /* Fuzhou's first key compromised since the first placement's leaf (5). */
    snprintf(since, sizeof since, "%d", NORG);
    snprintf(yaml, sizeof yaml,
             "kind: KeyRevocation\nissuer: 91350100MA31XR6T22\nsubject: 91350100MA31XR6T22\n"
             "key: %s\ncompromisedSince: %s\nreason: lost\n",
             did_of(FUZHOU), since);
    put(yaml, FUZHOU_2, ALONE, NULL);
    /* An erased body (as an erasure order will leave it). */
    placement("2022-06-01", "2022-06-30", "1", "erased", FUZHOU_2, NULL);
    uint64_t erased = log_size() - 1;
    struct tr_db_stmt *st = NULL;
    ck_assert_int_eq(
        tr_db_prepare(db, "UPDATE log_entry SET body = NULL WHERE leaf = :l", &st, NULL), TR_OK);
    tr_db_bind_int(st, ":l", (int64_t)erased);
    ck_assert_int_eq(tr_db_step(st, NULL, NULL), TR_OK);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, NULL), TR_OK);
    /* Every record, at every log size, judged both ways. */
    uint64_t size = log_size();
    size_t compared = 0, not_counting = 0;
    for (uint64_t n = 0; n <= size; n++) {
        struct tr_eligibility *full = NULL, *fast = NULL;
        ck_assert_int_eq(tr_eligibility_open(db, n, TR_ELIGIBILITY_VERIFY, &full, NULL), TR_OK);
        ck_assert_int_eq(tr_eligibility_open(db, n, TR_ELIGIBILITY_INDEX, &fast, NULL), TR_OK);
        for (uint64_t leaf = 0; leaf < n; leaf++) {
            struct tr_log_entry e;
            struct tr_eligibility_record x, y;
            ck_assert_int_eq(tr_log_entry(db, leaf, &e, NULL, NULL), TR_OK);
            ck_assert_int_eq(tr_eligibility_get(full, e.record_id, &x, NULL), TR_OK);
            ck_assert_int_eq(tr_eligibility_get(fast, e.record_id, &y, NULL), TR_OK);
            ck_assert_int_eq(x.counts, y.counts);
            ck_assert_str_eq(x.reason != NULL ? x.reason : "", y.reason != NULL ? y.reason : "");
            ck_assert_uint_eq(x.leaf, y.leaf);
            compared++;
            not_counting += !x.counts;
            tr_eligibility_record_release(&x);
            tr_eligibility_record_release(&y);
        }
        tr_eligibility_close(full);
        tr_eligibility_close(fast);
    }
    /* The judgements that do not count were met: revoked, superseded, compromised, erased. */
    ck_assert_uint_gt(compared, 100);
    ck_assert_uint_gt(not_counting, 10);
    struct tr_eligibility *view = NULL;
    struct tr_eligibility_record x;
    ck_assert_int_eq(tr_eligibility_open(db, size, TR_ELIGIBILITY_INDEX, &view, NULL), TR_OK);
    ck_assert_int_eq(tr_eligibility_get(view, a, &x, NULL), TR_OK);
    ck_assert_str_eq(x.code, "key-revoked");
    tr_eligibility_record_release(&x);
    tr_eligibility_close(view);
    /* Many people at once, with workers: the same figure as one at a time. */
    char *people[40];
    double values[40];
    struct tr_metric_options opt = {NULL, day("2025-12-31"), TR_WINDOW_NONE, 0};
    struct tr_policy *p = NULL;
    ck_assert_int_eq(tr_policy_load("cn-vocational-teacher-practice-2016", &p, NULL), TR_OK);
    for (int i = 0; i < 40; i++) {
        people[i] = i % 2 == 0 ? ZHANG : "p-nobody";
    }
    ck_assert_int_eq(tr_eligibility_open(db, size, TR_ELIGIBILITY_INDEX, &view, NULL), TR_OK);
    ck_assert_int_eq(
        tr_eligibility_each(view, people, 40, p, &opt, 1, count_for_each, values, NULL), TR_OK);
    tr_eligibility_close(view);
    /*
     * Zhang Wei as of 2025-12-31: the key-one placement is out (compromised), April is
     * withdrawn, May is superseded by its half-time correction (31 x 0.5 = 15.5 FTE-days) and
     * June is erased: 15.5 / 30 = 0.516667.
     */
    for (int i = 0; i < 40; i++) {
        ck_assert_double_eq(values[i], i % 2 == 0 ? 0.516667 : 0);
    }
    ck_assert_double_eq(practice("2025-12-31", TR_ELIGIBILITY_WHOLE_LOG), 0.516667);
    tr_policy_free(p);
}
END_TEST

Suite *eligibility_suite(void)
{
    Suite *s = suite_create("eligibility");
    TCase *tc = tcase_create("months");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, overlapping_placements_count_each_day_once);
    tcase_add_test(tc, placement_straddling_the_window_counts_its_part);
    tcase_add_test(tc, leap_days_and_the_window_that_ends_on_29_february);
    tcase_add_test(tc, half_time_counts_half);
    tcase_add_test(tc, revoked_placement_is_left_out_with_the_reason);
    tcase_add_test(tc, superseded_original_is_left_out_and_the_correction_counts);
    tcase_add_test(tc, as_of_before_the_period_leaves_the_record_out);
    tcase_add_test(tc, log_size_before_the_record_gives_the_figure_as_it_stood);
    suite_add_tcase(s, tc);
    tc = tcase_create("records");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, appointment_without_its_cosignature_is_absent_and_fails);
    tcase_add_test(tc, credit_recognised_under_an_expired_agreement_does_not_count);
    tcase_add_test(tc, selection_brings_the_agreement_and_the_credit_a_recognition_names);
    tcase_add_test(tc, basis_names_the_log_size_and_the_checkpoint_that_covers_it);
    tcase_add_test(tc, people_by_home_organisation_and_everyone);
    tcase_add_test(tc, open_badge_has_the_shape_of_the_vector_and_verifies);
    tcase_add_test(tc, index_and_full_judgement_agree_on_every_record_at_every_log_size);
    suite_add_tcase(s, tc);
    return s;
}
