/*
 * transcript.c — a learner's credits, their recognitions and the totals per framework
 * (talentreg/transcript.h). Recognitions are judged by the metric engine, with a policy of
 * one credits_recognised criterion per target framework, so the transcript and the
 * eligibility of a degree programme never apply different rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "talentreg/date.h"
#include "talentreg/ident.h"
#include "talentreg/policy.h"
#include "talentreg/report.h"
#include "talentreg/transcript.h"

/* Target frameworks a transcript can hold: the frameworks of the record kinds, and more. */
#define MAX_TARGETS 16
#define FRAMEWORK_SIZE 32

struct target {
    char framework[FRAMEWORK_SIZE];
    struct tr_policy *policy;
    struct tr_metric_result *result;
};

struct transcript {
    const struct tr_eligibility_records *records;
    struct target targets[MAX_TARGETS];
    size_t ntargets;
};

/* Copy member key of cs into obj when it is there. */
static void copy(struct tr_json *obj, const struct tr_json *cs, const char *key, int *rc)
{
    const struct tr_json *v = report_get(cs, key);
    if (v != NULL) {
        report_put(obj, key, tr_json_clone(v), rc);
    }
}

static const struct tr_json *subject_of(const struct tr_eligibility_record *r)
{
    return report_get(r->credential, "credentialSubject");
}

/* The record id that member key of a recognition names, or NULL. */
static const char *named(const struct tr_eligibility_record *r, const char *key)
{
    return tr_ident_urn_value(report_str(subject_of(r), key), TR_URN_RECORD);
}

static const struct tr_eligibility_record *find(const struct tr_eligibility_records *records,
                                                const char *id)
{
    for (size_t i = 0; id != NULL && i < records->len; i++) {
        if (strcmp(records->items[i].id, id) == 0) {
            return &records->items[i];
        }
    }
    return NULL;
}

/* The framework recognition r converts into: the one it states, else its credit's. */
static const char *target_of(const struct tr_eligibility_records *records,
                             const struct tr_eligibility_record *r)
{
    const char *stated = report_str(subject_of(r), "framework");
    const struct tr_eligibility_record *credit = find(records, named(r, "credit"));
    return stated != NULL ? stated : report_str(subject_of(credit), "framework");
}

static const char *bare_org(const char *urn)
{
    const char *uscc = tr_ident_urn_value(urn, TR_URN_ORG);
    return uscc != NULL ? uscc : urn;
}

/* ---- Judging the recognitions ---- */

/* The policy of one credits_recognised criterion in framework, through the policy parser so
 * its defaults (decisions, window) are the presets'. */
static int target_policy(const char *framework, struct tr_policy **out, struct tr_error *err)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "id: transcript\nversion: 1\ntitle: credits recognised\nsource:\n"
             "  - {title: the recognitions of the person's credits, issuer: talentreg, "
             "issued: '2026'}\ncriteria:\n  - id: recognised\n    type: credits_recognised\n"
             "    title: credits recognised in %s\n    threshold: 0\n    framework: \"%s\"\n",
             framework, framework);
    return tr_policy_parse(yaml, strlen(yaml), "transcript", out, err);
}

static int judge_targets(struct transcript *t, const char *person, struct tr_error *err)
{
    struct tr_metric_options opt = {person, TR_DATE_MAX_DAY, TR_WINDOW_NONE, 0};
    int rc = TR_OK;
    for (size_t i = 0; rc == TR_OK && i < t->records->len; i++) {
        const struct tr_eligibility_record *r = &t->records->items[i];
        const char *f =
            r->kind == TR_KIND_CREDIT_RECOGNITION && !r->related ? target_of(t->records, r) : NULL;
        size_t k = 0;
        while (f != NULL && k < t->ntargets && strcmp(t->targets[k].framework, f) != 0) {
            k++;
        }
        if (f == NULL || k < t->ntargets || t->ntargets == MAX_TARGETS ||
            strlen(f) >= FRAMEWORK_SIZE) {
            continue;
        }
        struct target *tg = &t->targets[t->ntargets++];
        snprintf(tg->framework, sizeof tg->framework, "%s", f);
        rc = target_policy(f, &tg->policy, err);
        if (rc == TR_OK) {
            rc = tr_eligibility_evaluate(t->records, tg->policy, &opt, &tg->result, err);
        }
    }
    return rc;
}

/* ---- The tree ---- */

static const struct tr_metric_entry *entry_of(const struct tr_metric_entry *list, size_t n,
                                              const char *id)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i].id, id) == 0) {
            return &list[i];
        }
    }
    return NULL;
}

static struct tr_json *recognition_json(const struct transcript *t,
                                        const struct tr_eligibility_record *r, double *points,
                                        const char **framework, int *rc)
{
    const struct tr_json *cs = subject_of(r);
    const char *f = target_of(t->records, r);
    const struct tr_metric_criterion *c = NULL;
    struct tr_json *o = tr_json_new_object();
    for (size_t k = 0; f != NULL && k < t->ntargets; k++) {
        if (strcmp(t->targets[k].framework, f) == 0 && t->targets[k].result != NULL) {
            c = &t->targets[k].result->criteria[0];
        }
    }
    const struct tr_metric_entry *won = c != NULL ? entry_of(c->counted, c->ncounted, r->id) : NULL;
    const struct tr_metric_entry *lost =
        c != NULL ? entry_of(c->excluded, c->nexcluded, r->id) : NULL;
    *points = won != NULL ? won->contribution : 0;
    *framework = won != NULL ? f : NULL;
    report_put(o, "record", tr_json_new_cstr(r->id), rc);
    report_put(o, "counts", tr_json_new_bool(r->counts), rc);
    report_put(o, "recognised", tr_json_new_bool(won != NULL), rc);
    report_put(o, "reason",
               won != NULL    ? tr_json_new_null()
               : lost != NULL ? tr_json_new_cstr(lost->reason)
               : r->reason    ? tr_json_new_cstr(r->reason)
                              : tr_json_new_null(),
               rc);
    report_put(o, "issuer", tr_json_new_cstr(bare_org(report_str(r->credential, "issuer"))), rc);
    copy(o, cs, "decision", rc);
    copy(o, cs, "decidedOn", rc);
    report_put(o, "agreement",
               named(r, "agreement") != NULL ? tr_json_new_cstr(named(r, "agreement"))
                                             : tr_json_new_null(),
               rc);
    report_put(o, "framework", f != NULL ? tr_json_new_cstr(f) : tr_json_new_null(), rc);
    if (won != NULL) {
        report_put(o, "points", tr_json_new_number(won->contribution), rc);
        copy(o, won->detail, "ratio", rc);
        copy(o, won->detail, "converted", rc);
        copy(o, won->detail, "stated", rc);
    }
    copy(o, cs, "course", rc);
    copy(o, cs, "courseCode", rc);
    copy(o, cs, "grade", rc);
    return o;
}

/* Add points to totals[framework]. */
static void add_total(struct tr_json *totals, const char *framework, double points, int *rc)
{
    const struct tr_json *had = report_get(totals, framework);
    double sum = points + (had != NULL ? had->u.number.value : 0);
    report_put(totals, framework, tr_json_new_number(sum), rc);
}

static struct tr_json *credit_json(const struct transcript *t,
                                   const struct tr_eligibility_record *r,
                                   struct tr_json *recognised, int *rc)
{
    const struct tr_json *cs = subject_of(r);
    struct tr_json *o = tr_json_new_object(), *list = tr_json_new_array();
    report_put(o, "record", tr_json_new_cstr(r->id), rc);
    report_put(o, "counts", tr_json_new_bool(r->counts), rc);
    report_put(o, "code", r->code != NULL ? tr_json_new_cstr(r->code) : tr_json_new_null(), rc);
    report_put(o, "reason", r->reason != NULL ? tr_json_new_cstr(r->reason) : tr_json_new_null(),
               rc);
    if (r->credential != NULL) {
        report_put(o, "issuer", tr_json_new_cstr(bare_org(report_str(r->credential, "issuer"))),
                   rc);
    }
    static const char *const keys[] = {"course", "courseCode", "points", "framework",
                                       "hours",  "grade",      "term",   "earnedOn"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        copy(o, cs, keys[i], rc);
    }
    for (size_t i = 0; i < t->records->len && *rc == TR_OK; i++) {
        const struct tr_eligibility_record *g = &t->records->items[i];
        const char *credit =
            g->kind == TR_KIND_CREDIT_RECOGNITION && !g->related ? named(g, "credit") : NULL;
        double points = 0;
        const char *f = NULL;
        if (credit == NULL || strcmp(credit, r->id) != 0) {
            continue;
        }
        report_push(list, recognition_json(t, g, &points, &f, rc), rc);
        if (f != NULL) {
            add_total(recognised, f, points, rc);
        }
    }
    report_put(o, "recognitions", list, rc);
    return o;
}

static void person_fields(struct tr_json *o, const struct tr_eligibility_records *records,
                          const char *person, int *rc)
{
    const struct tr_json *cs = NULL;
    const char *id = tr_ident_urn_value(person, TR_URN_PERSON);
    for (size_t i = 0; i < records->len; i++) {
        const struct tr_eligibility_record *r = &records->items[i];
        if (r->kind == TR_KIND_PERSON && r->counts && r->credential != NULL) {
            cs = subject_of(r);
        }
    }
    report_put(o, "person", tr_json_new_cstr(id != NULL ? id : person), rc);
    report_put(o, "name",
               report_str(cs, "name") != NULL ? tr_json_new_cstr(report_str(cs, "name"))
                                              : tr_json_new_null(),
               rc);
    copy(o, cs, "alternateName", rc);
}

static int build(const struct transcript *t, struct tr_eligibility *e, const char *person,
                 struct tr_json **out)
{
    int rc = TR_OK;
    struct tr_json *o = tr_json_new_object(), *credits = tr_json_new_array();
    struct tr_json *unmatched = tr_json_new_array(), *totals = tr_json_new_object();
    struct tr_json *earned = tr_json_new_object(), *recognised = tr_json_new_object();
    person_fields(o, t->records, person, &rc);
    report_put(o, "basis", tr_report_basis_json(tr_eligibility_basis(e)), &rc);
    for (size_t i = 0; i < t->records->len && rc == TR_OK; i++) {
        const struct tr_eligibility_record *r = &t->records->items[i];
        const char *credit = r->kind == TR_KIND_CREDIT_RECOGNITION ? named(r, "credit") : NULL;
        const struct tr_eligibility_record *c = find(t->records, credit);
        if (r->kind == TR_KIND_CREDIT && !r->related) {
            report_push(credits, credit_json(t, r, recognised, &rc), &rc);
            const char *f = report_str(subject_of(r), "framework");
            if (r->counts && f != NULL) {
                add_total(earned, f, report_num(subject_of(r), "points", NULL), &rc);
            }
        } else if (r->kind == TR_KIND_CREDIT_RECOGNITION && !r->related &&
                   (c == NULL || c->related)) {
            double points = 0;
            const char *f = NULL;
            report_push(unmatched, recognition_json(t, r, &points, &f, &rc), &rc);
            if (f != NULL) {
                add_total(recognised, f, points, &rc);
            }
        }
    }
    report_put(o, "credits", credits, &rc);
    report_put(o, "unmatched", unmatched, &rc);
    report_put(totals, "earned", earned, &rc);
    report_put(totals, "recognised", recognised, &rc);
    report_put(o, "totals", totals, &rc);
    if (rc != TR_OK) {
        tr_json_free(o);
        return rc;
    }
    *out = o;
    return TR_OK;
}

int tr_transcript_json(struct tr_eligibility *e, const char *person, struct tr_json **out,
                       struct tr_error *err)
{
    struct tr_eligibility_records records;
    struct transcript t;
    unsigned kinds = 1u << TR_KIND_PERSON | 1u << TR_KIND_CREDIT | 1u << TR_KIND_CREDIT_RECOGNITION;
    memset(&t, 0, sizeof t);
    *out = NULL;
    int rc = tr_eligibility_select(e, person, kinds, &records, err);
    if (rc != TR_OK) {
        return rc;
    }
    t.records = &records;
    rc = judge_targets(&t, person, err);
    if (rc == TR_OK && build(&t, e, person, out) != TR_OK) {
        rc = tr_error_set(err, TR_ENOMEM, "cannot write the transcript: out of memory");
    }
    for (size_t i = 0; i < t.ntargets; i++) {
        tr_metric_result_free(t.targets[i].result);
        tr_policy_free(t.targets[i].policy);
    }
    tr_eligibility_records_release(&records);
    return rc;
}

/* ---- Text ---- */

static void line(struct tr_buf *out, struct tr_buf *plain)
{
    if (plain->err != TR_OK && out->err == TR_OK) {
        out->err = plain->err;
    }
    tr_report_text_put(out, plain->data);
    tr_buf_adds(out, "\n");
    tr_buf_reset(plain);
}

static void add_num(struct tr_buf *b, double x)
{
    char n[REPORT_NUM_SIZE];
    report_number(x, n);
    tr_buf_adds(b, n);
}

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

static void recognition_text(const struct tr_json *g, struct tr_buf *out, struct tr_buf *plain)
{
    const char *agreement = report_str(g, "agreement");
    int has = 0;
    tr_buf_addf(plain, "      %s by %s on %s under agreement %.*s",
                or_empty(report_str(g, "decision")), or_empty(report_str(g, "issuer")),
                or_empty(report_str(g, "decidedOn")), REPORT_SHORT_ID, or_empty(agreement));
    if (report_bool(g, "recognised")) {
        tr_buf_adds(plain, ": ");
        add_num(plain, report_num(g, "points", NULL));
        tr_buf_addf(plain, " %s", or_empty(report_str(g, "framework")));
        double ratio = report_num(g, "ratio", &has);
        if (has) {
            tr_buf_adds(plain, " (ratio ");
            add_num(plain, ratio);
            tr_buf_adds(plain, ")");
        }
    }
    if (report_str(g, "course") != NULL) {
        tr_buf_addf(plain, ", as %s", report_str(g, "course"));
        if (report_str(g, "courseCode") != NULL) {
            tr_buf_addf(plain, " [%s]", report_str(g, "courseCode"));
        }
    }
    if (report_str(g, "grade") != NULL) {
        tr_buf_addf(plain, ", grade %s", report_str(g, "grade"));
    }
    line(out, plain);
    tr_buf_addf(plain, "        record %s", or_empty(report_str(g, "record")));
    if (!report_bool(g, "recognised")) {
        tr_buf_addf(plain, ", not counted: %s", or_empty(report_str(g, "reason")));
    }
    line(out, plain);
}

static void totals_text(const char *title, const struct tr_json *totals, struct tr_buf *out,
                        struct tr_buf *plain)
{
    tr_buf_addf(plain, "  %s:", title);
    if (!tr_json_is(totals, TR_JSON_OBJECT) || totals->u.object.len == 0) {
        tr_buf_adds(plain, " none");
    }
    for (size_t i = 0; tr_json_is(totals, TR_JSON_OBJECT) && i < totals->u.object.len; i++) {
        const struct tr_json_member *m = &totals->u.object.members[i];
        tr_buf_adds(plain, i > 0 ? ", " : " ");
        add_num(plain, tr_json_is(m->value, TR_JSON_NUMBER) ? m->value->u.number.value : 0);
        tr_buf_addf(plain, " %s", m->key);
    }
    line(out, plain);
}

int tr_transcript_text(const struct tr_json *t, struct tr_buf *out, struct tr_error *err)
{
    const struct tr_json *credits = report_get(t, "credits");
    const struct tr_json *unmatched = report_get(t, "unmatched");
    const struct tr_json *totals = report_get(t, "totals");
    struct tr_buf plain;
    if (report_str(t, "person") == NULL || !tr_json_is(credits, TR_JSON_ARRAY) ||
        !tr_json_is(unmatched, TR_JSON_ARRAY)) {
        return tr_error_set(err, TR_EINVAL, "not a transcript");
    }
    tr_buf_init(&plain);
    tr_buf_addf(&plain, "transcript of %s", report_str(t, "person"));
    if (report_str(t, "name") != NULL) {
        tr_buf_addf(&plain, ": %s", report_str(t, "name"));
        if (report_str(t, "alternateName") != NULL) {
            tr_buf_addf(&plain, " (%s)", report_str(t, "alternateName"));
        }
    }
    line(out, &plain);
    tr_buf_adds(out, "from ");
    tr_report_basis_text(report_get(t, "basis"), out);
    tr_buf_addf(out, "\n\ncredits earned: %zu\n", credits->u.array.len);
    for (size_t i = 0; i < credits->u.array.len; i++) {
        const struct tr_json *c = credits->u.array.items[i];
        const struct tr_json *list = report_get(c, "recognitions");
        tr_buf_addf(&plain, "  %s  %s", or_empty(report_str(c, "earnedOn")),
                    or_empty(report_str(c, "course")));
        if (report_str(c, "courseCode") != NULL) {
            tr_buf_addf(&plain, " [%s]", report_str(c, "courseCode"));
        }
        tr_buf_adds(&plain, ", ");
        add_num(&plain, report_num(c, "points", NULL));
        tr_buf_addf(&plain, " %s", or_empty(report_str(c, "framework")));
        if (report_str(c, "grade") != NULL) {
            tr_buf_addf(&plain, ", grade %s", report_str(c, "grade"));
        }
        tr_buf_addf(&plain, ", %s", or_empty(report_str(c, "issuer")));
        line(out, &plain);
        tr_buf_addf(&plain, "    record %s, %s", or_empty(report_str(c, "record")),
                    report_bool(c, "counts") ? "counts" : "does not count: ");
        if (!report_bool(c, "counts")) {
            tr_buf_adds(&plain, or_empty(report_str(c, "reason")));
        }
        line(out, &plain);
        if (!tr_json_is(list, TR_JSON_ARRAY) || list->u.array.len == 0) {
            tr_buf_adds(out, "    no recognition\n");
        }
        for (size_t k = 0; tr_json_is(list, TR_JSON_ARRAY) && k < list->u.array.len; k++) {
            recognition_text(list->u.array.items[k], out, &plain);
        }
    }
    if (unmatched->u.array.len > 0) {
        tr_buf_addf(out, "\nrecognitions of credits that are not this person's: %zu\n",
                    unmatched->u.array.len);
    }
    for (size_t i = 0; i < unmatched->u.array.len; i++) {
        recognition_text(unmatched->u.array.items[i], out, &plain);
    }
    tr_buf_adds(out, "\ntotals\n");
    totals_text("earned (credits that count)", report_get(totals, "earned"), out, &plain);
    totals_text("recognised (converted)", report_get(totals, "recognised"), out, &plain);
    tr_buf_release(&plain);
    if (out->err != TR_OK) {
        return tr_error_set(err, out->err, "cannot write the transcript: %s",
                            tr_strerror(out->err));
    }
    return TR_OK;
}
