/*
 * report.c — the dossier and eligibility reports as JSON trees and as text
 * (talentreg/report.h); report_html.c renders the dossier tree as HTML.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "talentreg/date.h"
#include "talentreg/ident.h"
#include "talentreg/report.h"
#include "talentreg/verify.h"

/* ---- Building trees ---- */

void report_put(struct tr_json *obj, const char *key, struct tr_json *value, int *rc)
{
    if (*rc != TR_OK || obj == NULL) {
        tr_json_free(value);
        *rc = *rc != TR_OK ? *rc : TR_ENOMEM;
        return;
    }
    *rc = value != NULL ? tr_json_object_set(obj, key, value) : TR_ENOMEM;
}

void report_push(struct tr_json *list, struct tr_json *value, int *rc)
{
    if (*rc != TR_OK || list == NULL) {
        tr_json_free(value);
        *rc = *rc != TR_OK ? *rc : TR_ENOMEM;
        return;
    }
    *rc = value != NULL ? tr_json_array_append(list, value) : TR_ENOMEM;
}

static struct tr_json *str_or_null(const char *s)
{
    return s != NULL ? tr_json_new_cstr(s) : tr_json_new_null();
}

static struct tr_json *hex(const unsigned char *p, size_t n)
{
    struct tr_buf b;
    tr_buf_init(&b);
    tr_buf_addhex(&b, p, n);
    struct tr_json *s = b.err == TR_OK ? tr_json_new_string(b.data, b.len) : NULL;
    tr_buf_release(&b);
    return s;
}

struct tr_json *tr_report_basis_json(const struct tr_eligibility_basis *basis)
{
    int rc = TR_OK;
    struct tr_json *o = tr_json_new_object(), *cp = NULL;
    report_put(o, "logSize", tr_json_new_number((double)basis->log_size), &rc);
    report_put(o, "root", hex(basis->root, sizeof basis->root), &rc);
    if (basis->has_checkpoint) {
        cp = tr_json_new_object();
        report_put(cp, "size", tr_json_new_number((double)basis->checkpoint_size), &rc);
        report_put(cp, "root", hex(basis->checkpoint_root, sizeof basis->checkpoint_root), &rc);
    } else {
        cp = tr_json_new_null();
    }
    report_put(o, "checkpoint", cp, &rc);
    if (rc != TR_OK) {
        tr_json_free(o);
        return NULL;
    }
    return o;
}

/* ---- The dossier tree ---- */

/* Whether uscc is already in the list of referenced organisations. */
static int listed(char (*list)[TR_USCC_LEN + 1], size_t n, const char *uscc)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], uscc) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Every organisation a credential names: its issuer and the org URNs of its subject. */
static void referenced_orgs(const struct tr_json *cred, char (**list)[TR_USCC_LEN + 1], size_t *n,
                            size_t *cap, int *rc)
{
    const struct tr_json *cs = report_get(cred, "credentialSubject");
    const struct tr_json *values[64];
    size_t nv = 0;
    values[nv++] = report_get(cred, "issuer");
    for (size_t i = 0; tr_json_is(cs, TR_JSON_OBJECT) && i < cs->u.object.len; i++) {
        const struct tr_json *v = cs->u.object.members[i].value;
        for (size_t k = 0; v->type == TR_JSON_ARRAY && k < v->u.array.len && nv < 64; k++) {
            values[nv++] = v->u.array.items[k];
        }
        if (v->type != TR_JSON_ARRAY && nv < 64) {
            values[nv++] = v;
        }
    }
    for (size_t i = 0; i < nv && *rc == TR_OK; i++) {
        const char *uscc = tr_ident_urn_value(tr_json_string(values[i]), TR_URN_ORG);
        if (uscc == NULL || strlen(uscc) != TR_USCC_LEN || listed(*list, *n, uscc)) {
            continue;
        }
        if (*n == *cap) {
            size_t more = *cap == 0 ? 16 : 2 * *cap;
            void *p = realloc(*list, more * sizeof **list);
            if (p == NULL) {
                *rc = TR_ENOMEM;
                return;
            }
            *list = p;
            *cap = more;
        }
        memcpy((*list)[(*n)++], uscc, TR_USCC_LEN + 1);
    }
}

static struct tr_json *orgs_json(const struct tr_report_dossier *d, int *rc)
{
    char(*refs)[TR_USCC_LEN + 1] = NULL;
    size_t n = 0, cap = 0;
    struct tr_json *list = tr_json_new_array();
    for (size_t i = 0; i < d->records->len && *rc == TR_OK; i++) {
        referenced_orgs(d->records->items[i].credential, &refs, &n, &cap, rc);
    }
    for (size_t i = 0; i < d->norgs && *rc == TR_OK; i++) {
        if (!listed(refs, n, d->orgs[i].uscc)) {
            continue;
        }
        struct tr_json *o = tr_json_new_object();
        report_put(o, "uscc", tr_json_new_cstr(d->orgs[i].uscc), rc);
        report_put(o, "name", tr_json_new_cstr(d->orgs[i].name), rc);
        report_put(o, "type", tr_json_new_cstr(d->orgs[i].org_kind), rc);
        report_push(list, o, rc);
    }
    free(refs);
    return list;
}

static struct tr_json *clone_of(const struct tr_json *cred, const char *key)
{
    const struct tr_json *v = report_get(cred, key);
    return v != NULL ? tr_json_clone(v) : NULL;
}

static struct tr_json *record_json(const struct tr_eligibility_record *r, int *rc)
{
    struct tr_json *o = tr_json_new_object();
    const char *issuer = report_str(r->credential, "issuer");
    report_put(o, "record", tr_json_new_cstr(r->id), rc);
    report_put(o, "kind", tr_json_new_cstr(tr_schema_kind_name(r->kind)), rc);
    report_put(o, "related", tr_json_new_bool(r->related), rc);
    report_put(o, "firstLeaf", tr_json_new_number((double)r->first_leaf), rc);
    report_put(o, "leaf", tr_json_new_number((double)r->leaf), rc);
    report_put(o, "counts", tr_json_new_bool(r->counts), rc);
    report_put(o, "code", str_or_null(r->code), rc);
    report_put(o, "reason", str_or_null(r->reason), rc);
    report_put(o, "erased", tr_json_new_bool(r->credential == NULL), rc);
    if (r->credential == NULL) {
        return o;
    }
    if (issuer != NULL && tr_ident_urn_value(issuer, TR_URN_ORG) != NULL) {
        issuer = tr_ident_urn_value(issuer, TR_URN_ORG);
    } else if (issuer != NULL && strcmp(issuer, TR_URN_OPERATOR) == 0) {
        issuer = "operator";
    }
    report_put(o, "issuer", str_or_null(issuer), rc);
    if (report_get(r->credential, "validFrom") != NULL) {
        report_put(o, "validFrom", clone_of(r->credential, "validFrom"), rc);
    }
    if (report_get(r->credential, "validUntil") != NULL) {
        report_put(o, "validUntil", clone_of(r->credential, "validUntil"), rc);
    }
    if (report_get(r->credential, "credentialSubject") != NULL) {
        report_put(o, "credentialSubject", clone_of(r->credential, "credentialSubject"), rc);
    }
    return o;
}

/* The records grouped by kind, in the order of enum tr_kind; *count and *counting totals. */
static struct tr_json *groups_json(const struct tr_eligibility_records *records, size_t *count,
                                   size_t *counting, int *rc)
{
    struct tr_json *groups = tr_json_new_array();
    *count = *counting = 0;
    for (int kind = 0; kind < TR_KIND_COUNT && *rc == TR_OK; kind++) {
        struct tr_json *group = NULL, *list = NULL;
        size_t n = 0, ok = 0;
        for (size_t i = 0; i < records->len && *rc == TR_OK; i++) {
            const struct tr_eligibility_record *r = &records->items[i];
            if ((int)r->kind != kind) {
                continue;
            }
            if (group == NULL) {
                group = tr_json_new_object();
                list = tr_json_new_array();
                report_put(group, "kind", tr_json_new_cstr(tr_schema_kind_name(r->kind)), rc);
                report_put(group, "records", list, rc);
            }
            report_push(list, record_json(r, rc), rc);
            n++;
            ok += r->counts != 0;
        }
        if (group != NULL) {
            report_put(group, "count", tr_json_new_number((double)n), rc);
            report_put(group, "counting", tr_json_new_number((double)ok), rc);
            report_push(groups, group, rc);
        }
        *count += n;
        *counting += ok;
    }
    return groups;
}

/* The person's fields from their latest Person record that counts. */
static void person_json(struct tr_json *o, const struct tr_report_dossier *d, int *rc)
{
    const struct tr_json *cs = NULL;
    for (size_t i = 0; i < d->records->len; i++) {
        const struct tr_eligibility_record *r = &d->records->items[i];
        if (r->kind == TR_KIND_PERSON && r->counts && !r->related && r->credential != NULL) {
            cs = report_get(r->credential, "credentialSubject");
        }
    }
    report_put(o, "name", str_or_null(report_str(cs, "name")), rc);
    if (report_str(cs, "alternateName") != NULL) {
        report_put(o, "alternateName", tr_json_new_cstr(report_str(cs, "alternateName")), rc);
    }
    if (report_get(cs, "categories") != NULL) {
        report_put(o, "categories", tr_json_clone(report_get(cs, "categories")), rc);
    }
    if (report_str(cs, "home") != NULL) {
        const char *home = tr_ident_urn_value(report_str(cs, "home"), TR_URN_ORG);
        report_put(o, "home", str_or_null(home != NULL ? home : report_str(cs, "home")), rc);
    }
}

int tr_report_dossier_json(const struct tr_report_dossier *d, struct tr_json **out,
                           struct tr_error *err)
{
    char day[TR_DATE_LEN + 1];
    size_t count = 0, counting = 0;
    int rc = TR_OK;
    if (d == NULL || out == NULL || d->records == NULL || d->basis == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_report_dossier_json: no dossier or no output");
    }
    *out = NULL;
    struct tr_json *o = tr_json_new_object(), *policies = tr_json_new_array();
    report_put(o, "person", tr_json_new_cstr(d->person), &rc);
    person_json(o, d, &rc);
    tr_date_format(d->as_of, day);
    report_put(o, "asOf", tr_json_new_cstr(day), &rc);
    report_put(o, "basis", tr_report_basis_json(d->basis), &rc);
    struct tr_json *groups = groups_json(d->records, &count, &counting, &rc);
    struct tr_json *summary = tr_json_new_object();
    report_put(summary, "records", tr_json_new_number((double)count), &rc);
    report_put(summary, "counting", tr_json_new_number((double)counting), &rc);
    report_put(o, "summary", summary, &rc);
    report_put(o, "records", groups, &rc);
    report_put(o, "organisations", orgs_json(d, &rc), &rc);
    for (size_t i = 0; i < d->nresults && rc == TR_OK; i++) {
        struct tr_json *r = NULL;
        rc = tr_metric_result_json(d->results[i], &r, NULL);
        report_push(policies, r, &rc);
    }
    report_put(o, "policies", policies, &rc);
    if (rc != TR_OK) {
        tr_json_free(o);
        return tr_error_set(err, rc, "cannot write the dossier: out of memory");
    }
    *out = o;
    return TR_OK;
}

/* ---- Reading trees (report_format.h) ---- */

const struct tr_json *report_get(const struct tr_json *obj, const char *key)
{
    return tr_json_is(obj, TR_JSON_OBJECT) ? tr_json_object_get(obj, key) : NULL;
}

const char *report_str(const struct tr_json *obj, const char *key)
{
    const struct tr_json *v = report_get(obj, key);
    return tr_json_is(v, TR_JSON_STRING) ? v->u.string.ptr : NULL;
}

double report_num(const struct tr_json *obj, const char *key, int *has)
{
    const struct tr_json *v = report_get(obj, key);
    int ok = tr_json_is(v, TR_JSON_NUMBER);
    if (has != NULL) {
        *has = ok;
    }
    return ok ? v->u.number.value : 0;
}

int report_bool(const struct tr_json *obj, const char *key)
{
    const struct tr_json *v = report_get(obj, key);
    return tr_json_is(v, TR_JSON_BOOL) && v->u.boolean;
}

void report_number(double x, char out[REPORT_NUM_SIZE])
{
    if (!isfinite(x) || fabs(x) >= 1e15) {
        snprintf(out, REPORT_NUM_SIZE, "%g", x);
        return;
    }
    snprintf(out, REPORT_NUM_SIZE, "%.6f", x);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '0') {
        out[--n] = '\0';
    }
    if (n > 0 && out[n - 1] == '.') {
        out[--n] = '\0';
    }
    if (strcmp(out, "-0") == 0) {
        snprintf(out, REPORT_NUM_SIZE, "0");
    }
}

void report_day(const char *s, char out[11])
{
    out[0] = '\0';
    if (s != NULL && strlen(s) >= TR_DATE_LEN) {
        memcpy(out, s, TR_DATE_LEN);
        out[TR_DATE_LEN] = '\0';
    }
}

const char *report_org_name(const struct tr_json *dossier, const char *uscc)
{
    const struct tr_json *list = report_get(dossier, "organisations");
    for (size_t i = 0; uscc != NULL && tr_json_is(list, TR_JSON_ARRAY) && i < list->u.array.len;
         i++) {
        const struct tr_json *o = list->u.array.items[i];
        const char *id = report_str(o, "uscc");
        if (id != NULL && strcmp(id, uscc) == 0 && report_str(o, "name") != NULL) {
            return report_str(o, "name");
        }
    }
    return uscc;
}

/* ---- A record in words ---- */

static void add_num(struct tr_buf *out, double x)
{
    char n[REPORT_NUM_SIZE];
    report_number(x, n);
    tr_buf_adds(out, n);
}

/* The organisation an org URN member names, by its name. */
static void add_org(struct tr_buf *out, const struct tr_json *dossier, const struct tr_json *cs,
                    const char *key)
{
    const char *urn = report_str(cs, key);
    const char *uscc = tr_ident_urn_value(urn, TR_URN_ORG);
    tr_buf_adds(out, report_org_name(dossier, uscc != NULL ? uscc : urn));
}

static void add_period(struct tr_buf *out, const struct tr_json *record)
{
    char a[11], b[11];
    report_day(report_str(record, "validFrom"), a);
    report_day(report_str(record, "validUntil"), b);
    if (a[0] != '\0' || b[0] != '\0') {
        tr_buf_addf(out, "%s to %s", a[0] != '\0' ? a : "…", b[0] != '\0' ? b : "…");
    }
}

/* A short record id from a record URN member. */
static void add_short_id(struct tr_buf *out, const struct tr_json *cs, const char *key)
{
    const char *id = tr_ident_urn_value(report_str(cs, key), TR_URN_RECORD);
    tr_buf_addf(out, "%.*s", REPORT_SHORT_ID, id != NULL ? id : "?");
}

void report_who(const struct tr_json *dossier, const struct tr_json *person, struct tr_buf *out)
{
    const struct tr_json *cats = report_get(person, "categories");
    const char *home = report_str(person, "home");
    const char *uscc = tr_ident_urn_value(home, TR_URN_ORG);
    tr_buf_adds(out, report_str(person, "name") != NULL ? report_str(person, "name") : "");
    if (report_str(person, "alternateName") != NULL) {
        tr_buf_addf(out, " (%s)", report_str(person, "alternateName"));
    }
    for (size_t i = 0; tr_json_is(cats, TR_JSON_ARRAY) && i < cats->u.array.len; i++) {
        const char *c = tr_json_string(cats->u.array.items[i]);
        tr_buf_addf(out, "%s%s", i == 0 ? ", " : " and ", c != NULL ? c : "");
    }
    if (home != NULL) {
        tr_buf_addf(out, ", home %s", report_org_name(dossier, uscc != NULL ? uscc : home));
    }
}

static void summary_placement(const struct tr_json *d, const struct tr_json *rec,
                              const struct tr_json *cs, struct tr_buf *out)
{
    int has = 0;
    add_period(out, rec);
    tr_buf_addf(out, ", %s, FTE ", report_str(cs, "form") != NULL ? report_str(cs, "form") : "");
    add_num(out, report_num(cs, "fte", NULL));
    tr_buf_adds(out, ", at ");
    add_org(out, d, cs, "host");
    double hours = report_num(cs, "hours", &has);
    if (has) {
        tr_buf_adds(out, ", ");
        add_num(out, hours);
        tr_buf_adds(out, " hours");
    }
    if (report_str(cs, "project") != NULL) {
        tr_buf_addf(out, ", %s", report_str(cs, "project"));
    }
}

static void summary_appointment(const struct tr_json *d, const struct tr_json *rec,
                                const struct tr_json *cs, struct tr_buf *out)
{
    const struct tr_json *duties = report_get(cs, "duties");
    int has = 0;
    add_period(out, rec);
    tr_buf_addf(out, ", %s", report_str(cs, "role") != NULL ? report_str(cs, "role") : "");
    if (report_str(cs, "title") != NULL) {
        tr_buf_addf(out, " %s", report_str(cs, "title"));
    }
    tr_buf_adds(out, ", ");
    add_org(out, d, cs, "university");
    tr_buf_adds(out, " and ");
    add_org(out, d, cs, "enterprise");
    double hours = report_num(duties, "teachingHoursPerYear", &has);
    if (has) {
        tr_buf_adds(out, ", ");
        add_num(out, hours);
        tr_buf_adds(out, " class hours a year");
    }
    if (report_get(duties, "supervisionRights") != NULL) {
        tr_buf_adds(out, report_bool(duties, "supervisionRights") ? ", supervision rights"
                                                                  : ", no supervision rights");
    }
    double share = report_num(cs, "workloadShare", &has);
    if (has) {
        tr_buf_adds(out, ", workload share ");
        add_num(out, share);
    }
}

static void summary_credit(const struct tr_json *d, const struct tr_json *rec,
                           const struct tr_json *cs, struct tr_buf *out)
{
    const char *issuer = report_str(rec, "issuer");
    tr_buf_adds(out, report_str(cs, "course") != NULL ? report_str(cs, "course") : "");
    if (report_str(cs, "courseCode") != NULL) {
        tr_buf_addf(out, " [%s]", report_str(cs, "courseCode"));
    }
    tr_buf_adds(out, ", ");
    add_num(out, report_num(cs, "points", NULL));
    tr_buf_addf(out, " %s", report_str(cs, "framework") != NULL ? report_str(cs, "framework") : "");
    if (report_str(cs, "grade") != NULL) {
        tr_buf_addf(out, ", grade %s", report_str(cs, "grade"));
    }
    if (report_str(cs, "earnedOn") != NULL) {
        tr_buf_addf(out, ", earned %s", report_str(cs, "earnedOn"));
    }
    tr_buf_addf(out, ", %s", report_org_name(d, issuer));
}

static void summary_recognition(const struct tr_json *rec, const struct tr_json *cs,
                                struct tr_buf *out)
{
    int has = 0;
    (void)rec;
    tr_buf_addf(out, "%s on %s: credit ",
                report_str(cs, "decision") != NULL ? report_str(cs, "decision") : "",
                report_str(cs, "decidedOn") != NULL ? report_str(cs, "decidedOn") : "");
    add_short_id(out, cs, "credit");
    tr_buf_adds(out, " under agreement ");
    add_short_id(out, cs, "agreement");
    double points = report_num(cs, "points", &has);
    if (has) {
        tr_buf_adds(out, ", ");
        add_num(out, points);
        if (report_str(cs, "framework") != NULL) {
            tr_buf_addf(out, " %s", report_str(cs, "framework"));
        }
    }
    if (report_str(cs, "course") != NULL) {
        tr_buf_addf(out, " as %s", report_str(cs, "course"));
    }
}

static void summary_agreement(const struct tr_json *d, const struct tr_json *rec,
                              const struct tr_json *cs, struct tr_buf *out)
{
    const struct tr_json *parties = report_get(cs, "parties");
    tr_buf_addf(out, "%s, ", report_str(cs, "title") != NULL ? report_str(cs, "title") : "");
    add_period(out, rec);
    for (size_t i = 0; tr_json_is(parties, TR_JSON_ARRAY) && i < parties->u.array.len; i++) {
        const char *urn = tr_json_string(parties->u.array.items[i]);
        const char *uscc = tr_ident_urn_value(urn, TR_URN_ORG);
        tr_buf_addf(out, "%s%s", i == 0 ? ", between " : " and ",
                    report_org_name(d, uscc != NULL ? uscc : urn));
    }
}

static void summary_contribution(const struct tr_json *cs, struct tr_buf *out)
{
    int has = 0;
    tr_buf_addf(out, "%s: %s",
                report_str(cs, "contributionType") != NULL ? report_str(cs, "contributionType")
                                                           : "",
                report_str(cs, "title") != NULL ? report_str(cs, "title") : "");
    double value = report_num(cs, "value", &has);
    if (has) {
        tr_buf_adds(out, ", ");
        add_num(out, value);
        if (report_str(cs, "currency") != NULL) {
            tr_buf_addf(out, " %s", report_str(cs, "currency"));
        }
    }
    double share = report_num(cs, "share", &has);
    if (has) {
        tr_buf_adds(out, ", share ");
        add_num(out, share);
    }
    if (report_str(cs, "achievedOn") != NULL) {
        tr_buf_addf(out, ", %s", report_str(cs, "achievedOn"));
    }
}

static void summary_evaluation(const struct tr_json *cs, struct tr_buf *out)
{
    int has = 0;
    tr_buf_adds(out,
                report_str(cs, "evaluatorRole") != NULL ? report_str(cs, "evaluatorRole") : "");
    double score = report_num(cs, "overallScore", &has);
    if (has) {
        tr_buf_adds(out, ", overall score ");
        add_num(out, score);
    }
    if (report_str(cs, "evaluatedOn") != NULL) {
        tr_buf_addf(out, ", evaluated %s", report_str(cs, "evaluatedOn"));
    }
    if (report_str(cs, "purpose") != NULL) {
        tr_buf_addf(out, ", %s", report_str(cs, "purpose"));
    }
}

void report_summary(const struct tr_json *dossier, const struct tr_json *record, struct tr_buf *out)
{
    const struct tr_json *cs = report_get(record, "credentialSubject");
    enum tr_kind kind;
    if (report_bool(record, "erased")) {
        tr_buf_adds(out, "(its body was erased)");
        return;
    }
    if (tr_schema_kind_from_name(report_str(record, "kind"), &kind) != TR_OK) {
        return;
    }
    switch (kind) {
    case TR_KIND_PERSON:
        report_who(dossier, cs, out);
        break;
    case TR_KIND_ENTERPRISE_PLACEMENT:
        summary_placement(dossier, record, cs, out);
        break;
    case TR_KIND_DUAL_APPOINTMENT:
        summary_appointment(dossier, record, cs, out);
        break;
    case TR_KIND_CREDIT:
        summary_credit(dossier, record, cs, out);
        break;
    case TR_KIND_CREDIT_RECOGNITION:
        summary_recognition(record, cs, out);
        break;
    case TR_KIND_RECOGNITION_AGREEMENT:
        summary_agreement(dossier, record, cs, out);
        break;
    case TR_KIND_CONTRIBUTION:
        summary_contribution(cs, out);
        break;
    case TR_KIND_EVALUATION:
        summary_evaluation(cs, out);
        break;
    case TR_KIND_ORGANIZATION:
    case TR_KIND_KEY_REVOCATION:
    case TR_KIND_REVOCATION:
        tr_buf_addf(out, "issued by %s", report_org_name(dossier, report_str(record, "issuer")));
        break;
    }
}

/* A JSON value as the reports show it. */
static void add_value(struct tr_buf *out, const struct tr_json *v)
{
    switch (v->type) {
    case TR_JSON_NUMBER:
        add_num(out, v->u.number.value);
        break;
    case TR_JSON_STRING:
        tr_buf_adds(out, v->u.string.ptr);
        break;
    case TR_JSON_BOOL:
        tr_buf_adds(out, v->u.boolean ? "yes" : "no");
        break;
    case TR_JSON_NULL:
        tr_buf_adds(out, "none");
        break;
    case TR_JSON_ARRAY:
        if (v->u.array.len == 0) {
            tr_buf_adds(out, "none");
        }
        for (size_t i = 0; i < v->u.array.len; i++) {
            tr_buf_adds(out, i > 0 ? " and " : "");
            add_value(out, v->u.array.items[i]);
        }
        break;
    case TR_JSON_OBJECT:
        if (v->u.object.len == 0) {
            tr_buf_adds(out, "none");
        }
        for (size_t i = 0; i < v->u.object.len; i++) {
            tr_buf_addf(out, "%s%s ", i > 0 ? ", " : "", v->u.object.members[i].key);
            add_value(out, v->u.object.members[i].value);
        }
        break;
    }
}

void report_detail(const struct tr_json *detail, struct tr_buf *out)
{
    for (size_t i = 0; tr_json_is(detail, TR_JSON_OBJECT) && i < detail->u.object.len; i++) {
        const struct tr_json_member *m = &detail->u.object.members[i];
        tr_buf_addf(out, "%s%s ", i > 0 ? ", " : "", m->key);
        if (m->value->type == TR_JSON_OBJECT) {
            tr_buf_addc(out, '(');
            add_value(out, m->value);
            tr_buf_addc(out, ')');
        } else {
            add_value(out, m->value);
        }
    }
}

void report_figure(const struct tr_json *criterion, struct tr_buf *out)
{
    add_num(out, report_num(criterion, "value", NULL));
    tr_buf_addf(out, " %s, threshold ",
                report_str(criterion, "unit") != NULL ? report_str(criterion, "unit") : "");
    add_num(out, report_num(criterion, "threshold", NULL));
}

void report_window(const struct tr_json *criterion, struct tr_buf *out)
{
    const struct tr_json *w = report_get(criterion, "window");
    const char *type = report_str(w, "type");
    const char *until = report_str(w, "until");
    int has = 0;
    double years = report_num(w, "years", &has);
    if (type == NULL || strcmp(type, "none") == 0) {
        tr_buf_addf(out, "on %s", until != NULL ? until : "");
        return;
    }
    tr_buf_adds(out, type);
    if (has) {
        tr_buf_adds(out, " ");
        add_num(out, years);
        tr_buf_adds(out, years == 1 ? " year" : " years");
    }
    if (report_str(w, "anchor") != NULL) {
        tr_buf_addf(out, " from %s", report_str(w, "anchor"));
    }
    if (report_str(w, "from") != NULL) {
        tr_buf_addf(out, ", %s to %s", report_str(w, "from"), until != NULL ? until : "");
    } else {
        tr_buf_addf(out, ", to %s", until != NULL ? until : "");
    }
}

/* ---- Putting untrusted text ---- */

/* The length of the UTF-8 sequence at s (1 for a byte that starts none). */
static size_t seq_len(const unsigned char *s)
{
    if (s[0] < 0x80) {
        return 1;
    }
    size_t n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 1;
        }
    }
    return n;
}

/* Whether the sequence of n bytes at s is a control character (C0, DEL, C1). */
static int is_control(const unsigned char *s, size_t n)
{
    return (n == 1 && (s[0] < 0x20 || s[0] == 0x7F || s[0] >= 0x80)) ||
           (n == 2 && s[0] == 0xC2 && s[1] < 0xA0);
}

static void put_text(struct tr_buf *out, const char *s, int html)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    const unsigned char *p = (const unsigned char *)s;
    while (p != NULL && *p != '\0') {
        size_t n = seq_len(p);
        if (is_control(p, n)) {
            tr_buf_adds(out, replacement);
        } else if (html && *p == '&') {
            tr_buf_adds(out, "&amp;");
        } else if (html && *p == '<') {
            tr_buf_adds(out, "&lt;");
        } else if (html && *p == '>') {
            tr_buf_adds(out, "&gt;");
        } else if (html && *p == '"') {
            tr_buf_adds(out, "&quot;");
        } else if (html && *p == '\'') {
            tr_buf_adds(out, "&#39;");
        } else {
            tr_buf_add(out, p, n);
        }
        p += n;
    }
}

void tr_report_text_put(struct tr_buf *out, const char *s)
{
    put_text(out, s, 0);
}

void tr_report_html_put(struct tr_buf *out, const char *s)
{
    put_text(out, s, 1);
}

/* ---- The dossier as text ---- */

/* The plain text in plain, made safe for a terminal, appended to out. */
static void text_of(struct tr_buf *out, const struct tr_buf *plain)
{
    if (plain->err != TR_OK) {
        out->err = out->err != TR_OK ? out->err : plain->err;
        return;
    }
    tr_report_text_put(out, plain->data);
}

/* One line: the plain text in plain, made safe, then a newline; plain is emptied. */
static void text_line(struct tr_buf *out, struct tr_buf *plain)
{
    text_of(out, plain);
    tr_buf_adds(out, "\n");
    tr_buf_reset(plain);
}

void tr_report_basis_text(const struct tr_json *basis, struct tr_buf *out)
{
    const struct tr_json *cp = report_get(basis, "checkpoint");
    tr_buf_adds(out, "log size ");
    add_num(out, report_num(basis, "logSize", NULL));
    tr_buf_adds(out, " (root ");
    tr_report_text_put(out, report_str(basis, "root"));
    if (tr_json_is(cp, TR_JSON_OBJECT)) {
        tr_buf_adds(out, "), checkpoint of size ");
        add_num(out, report_num(cp, "size", NULL));
        tr_buf_adds(out, " (root ");
        tr_report_text_put(out, report_str(cp, "root"));
        tr_buf_adds(out, ")");
    } else {
        tr_buf_adds(out, "), no checkpoint covers it yet");
    }
}

static void text_header(const struct tr_json *d, struct tr_buf *out)
{
    struct tr_buf plain;
    const struct tr_json *summary = report_get(d, "summary");
    tr_buf_init(&plain);
    tr_buf_adds(out, "dossier of ");
    tr_report_text_put(out, report_str(d, "person"));
    if (report_str(d, "name") != NULL) {
        tr_buf_adds(&plain, ": ");
        report_who(d, d, &plain);
    } else {
        tr_buf_adds(&plain, " (no Person record of them counts)");
    }
    text_of(out, &plain);
    tr_buf_adds(out, "\nas of ");
    tr_report_text_put(out, report_str(d, "asOf"));
    tr_buf_adds(out, ", from ");
    tr_report_basis_text(report_get(d, "basis"), out);
    tr_buf_adds(out, "\n\nrecords: ");
    add_num(out, report_num(summary, "records", NULL));
    tr_buf_adds(out, ", of which ");
    add_num(out, report_num(summary, "counting", NULL));
    tr_buf_adds(out, " count\n");
    tr_buf_release(&plain);
}

static void text_records(const struct tr_json *d, struct tr_buf *out)
{
    const struct tr_json *groups = report_get(d, "records");
    struct tr_buf plain;
    tr_buf_init(&plain);
    for (size_t g = 0; tr_json_is(groups, TR_JSON_ARRAY) && g < groups->u.array.len; g++) {
        const struct tr_json *group = groups->u.array.items[g];
        const struct tr_json *list = report_get(group, "records");
        tr_buf_adds(out, "\n");
        tr_report_text_put(out, report_str(group, "kind"));
        tr_buf_adds(out, "\n");
        for (size_t i = 0; tr_json_is(list, TR_JSON_ARRAY) && i < list->u.array.len; i++) {
            const struct tr_json *r = list->u.array.items[i];
            tr_buf_adds(out, "  ");
            tr_report_text_put(out, report_str(r, "record"));
            tr_buf_adds(out, report_bool(r, "counts") ? "  counts" : "  does not count");
            tr_buf_adds(out, ", leaf ");
            add_num(out, report_num(r, "leaf", NULL));
            if (report_bool(r, "related")) {
                tr_buf_adds(out, ", named by a recognition");
            }
            tr_buf_adds(out, "\n    ");
            tr_buf_reset(&plain);
            report_summary(d, r, &plain);
            text_of(out, &plain);
            tr_buf_adds(out, "\n");
            if (report_str(r, "reason") != NULL) {
                tr_buf_adds(out, "    ");
                tr_report_text_put(out, report_str(r, "reason"));
                tr_buf_adds(out, "\n");
            }
        }
    }
    tr_buf_release(&plain);
}

/* The entries a criterion counted or left out. */
static void text_entries(const struct tr_json *list, const char *title, int counted,
                         struct tr_buf *out)
{
    struct tr_buf plain;
    if (!tr_json_is(list, TR_JSON_ARRAY) || list->u.array.len == 0) {
        return;
    }
    tr_buf_init(&plain);
    tr_buf_addf(out, "    %s:\n", title);
    for (size_t i = 0; i < list->u.array.len; i++) {
        const struct tr_json *e = list->u.array.items[i];
        const char *id = report_str(e, "record");
        tr_buf_reset(&plain);
        tr_buf_addf(&plain, "      %.*s  ", REPORT_SHORT_ID, id != NULL ? id : "");
        if (counted) {
            add_num(&plain, report_num(e, "contribution", NULL));
            tr_buf_adds(&plain, "  ");
            report_detail(report_get(e, "detail"), &plain);
        } else {
            tr_buf_adds(&plain, report_str(e, "reason") != NULL ? report_str(e, "reason") : "");
        }
        text_line(out, &plain);
    }
    tr_buf_release(&plain);
}

static void text_criterion(const struct tr_json *c, struct tr_buf *out)
{
    const char *met = report_str(c, "verdict");
    const struct tr_json *detail = report_get(c, "detail");
    struct tr_buf plain;
    tr_buf_init(&plain);
    tr_buf_addf(&plain, "  %s: ", report_str(c, "id") != NULL ? report_str(c, "id") : "");
    report_figure(c, &plain);
    tr_buf_addf(&plain, ", %s", met != NULL && strcmp(met, "met") == 0 ? "met" : "not met");
    text_line(out, &plain);
    tr_buf_addf(&plain, "    %s", report_str(c, "title") != NULL ? report_str(c, "title") : "");
    if (report_str(c, "basis") != NULL) {
        tr_buf_addf(&plain, " (%s)", report_str(c, "basis"));
    }
    text_line(out, &plain);
    tr_buf_adds(&plain, "    window ");
    report_window(c, &plain);
    text_line(out, &plain);
    if (tr_json_is(detail, TR_JSON_OBJECT) && detail->u.object.len > 0) {
        tr_buf_adds(&plain, "    ");
        report_detail(detail, &plain);
        text_line(out, &plain);
    }
    text_entries(report_get(c, "counted"), "counted", 1, out);
    text_entries(report_get(c, "excluded"), "left out", 0, out);
    tr_buf_release(&plain);
}

static void text_policy(const struct tr_json *p, struct tr_buf *out)
{
    const struct tr_json *policy = report_get(p, "policy");
    const struct tr_json *criteria = report_get(p, "criteria");
    const char *verdict = report_str(p, "verdict");
    struct tr_buf plain;
    tr_buf_init(&plain);
    tr_buf_adds(out, "\n");
    tr_buf_addf(&plain, "policy %s version ",
                report_str(policy, "id") != NULL ? report_str(policy, "id") : "");
    add_num(&plain, report_num(policy, "version", NULL));
    tr_buf_addf(&plain, "%s: %s", report_bool(policy, "example") ? " (an example)" : "",
                verdict != NULL && strcmp(verdict, "eligible") == 0 ? "eligible" : "not eligible");
    text_line(out, &plain);
    tr_buf_addf(&plain, "  %s",
                report_str(policy, "title") != NULL ? report_str(policy, "title") : "");
    text_line(out, &plain);
    for (size_t i = 0; tr_json_is(criteria, TR_JSON_ARRAY) && i < criteria->u.array.len; i++) {
        text_criterion(criteria->u.array.items[i], out);
    }
    text_entries(report_get(p, "excluded"), "left out, of no known kind", 0, out);
    tr_buf_release(&plain);
}

int tr_report_dossier_text(const struct tr_json *dossier, struct tr_buf *out, struct tr_error *err)
{
    const struct tr_json *policies = report_get(dossier, "policies");
    if (report_str(dossier, "person") == NULL || !tr_json_is(policies, TR_JSON_ARRAY)) {
        return tr_error_set(err, TR_EINVAL, "not a dossier");
    }
    text_header(dossier, out);
    text_records(dossier, out);
    for (size_t i = 0; i < policies->u.array.len; i++) {
        text_policy(policies->u.array.items[i], out);
    }
    if (out->err != TR_OK) {
        return tr_error_set(err, out->err, "cannot write the dossier: %s", tr_strerror(out->err));
    }
    return TR_OK;
}

/* ---- Eligibility lists ---- */

struct tr_json *tr_report_eligible_json(const struct tr_metric_result *r)
{
    int rc = TR_OK;
    struct tr_json *o = tr_json_new_object(), *failing = tr_json_new_array();
    report_put(o, "person", tr_json_new_cstr(tr_ident_urn_value(r->subject, TR_URN_PERSON)), &rc);
    report_put(o, "verdict", tr_json_new_cstr(r->met ? "eligible" : "not_eligible"), &rc);
    for (size_t i = 0; i < r->ncriteria && rc == TR_OK; i++) {
        const struct tr_metric_criterion *c = &r->criteria[i];
        const struct tr_json *missing = report_get(c->detail, "missingRoles");
        if (c->met) {
            continue;
        }
        struct tr_json *f = tr_json_new_object();
        report_put(f, "criterion", tr_json_new_cstr(c->criterion->id), &rc);
        report_put(f, "type", tr_json_new_cstr(tr_policy_criterion_type_name(c->criterion->type)),
                   &rc);
        report_put(f, "value", tr_json_new_number(c->value), &rc);
        report_put(f, "threshold", tr_json_new_number(c->threshold), &rc);
        report_put(f, "unit", tr_json_new_cstr(tr_metric_unit(c->criterion->type)), &rc);
        if (tr_json_is(missing, TR_JSON_ARRAY) && missing->u.array.len > 0) {
            report_put(f, "missingRoles", tr_json_clone(missing), &rc);
        }
        report_push(failing, f, &rc);
    }
    report_put(o, "failing", failing, &rc);
    if (rc != TR_OK) {
        tr_json_free(o);
        return NULL;
    }
    return o;
}

int tr_report_eligible_text(const struct tr_json *line, struct tr_buf *out, struct tr_error *err)
{
    const struct tr_json *failing = report_get(line, "failing");
    const char *verdict = report_str(line, "verdict");
    struct tr_buf plain;
    if (report_str(line, "person") == NULL || verdict == NULL ||
        !tr_json_is(failing, TR_JSON_ARRAY)) {
        return tr_error_set(err, TR_EINVAL, "not a line of an eligibility list");
    }
    tr_buf_init(&plain);
    tr_buf_addf(&plain, "%s  %s", report_str(line, "person"),
                strcmp(verdict, "eligible") == 0 ? "eligible" : "not eligible");
    for (size_t i = 0; i < failing->u.array.len; i++) {
        const struct tr_json *f = failing->u.array.items[i];
        const struct tr_json *missing = report_get(f, "missingRoles");
        tr_buf_addf(&plain, "%s%s ", i == 0 ? ": " : "; ",
                    report_str(f, "criterion") != NULL ? report_str(f, "criterion") : "");
        add_num(&plain, report_num(f, "value", NULL));
        tr_buf_adds(&plain, " of ");
        add_num(&plain, report_num(f, "threshold", NULL));
        tr_buf_addf(&plain, " %s", report_str(f, "unit") != NULL ? report_str(f, "unit") : "");
        if (missing != NULL) {
            tr_buf_adds(&plain, ", missing ");
            add_value(&plain, missing);
        }
    }
    text_line(out, &plain);
    tr_buf_release(&plain);
    if (out->err != TR_OK) {
        return tr_error_set(err, out->err, "cannot write the list: %s", tr_strerror(out->err));
    }
    return TR_OK;
}
