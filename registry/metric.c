/* metric.c — the metric engine: a policy applied to records (see talentreg/metric.h): the
 * records read into facts, the criteria run (metric_criteria.c) and the result as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metric_impl.h"
#include "schema_file.h"
#include "talentreg/diag.h"
#include "talentreg/schema.h"

/* ---- reading credentials (already validated: every field has its schema's type) ---- */

/* The UTC day of a date-time member of the credential. */
static int64_t instant_day(const struct tr_json *credential, const char *key)
{
    const struct tr_json *v = tr_json_object_get(credential, key);
    int64_t s = 0;
    if (tr_json_is(v, TR_JSON_STRING)) {
        tr_date_parse_datetime(v->u.string.ptr, v->u.string.len, &s, NULL);
    }
    return metric_floor_div(s, TR_SECONDS_PER_DAY);
}

const char *metric_bare(const char *s, const char *prefix)
{
    const char *v = tr_ident_urn_value(s, prefix);
    return v != NULL ? v : s != NULL ? s : "";
}

/* ---- building results ---- */

struct metric_day_text metric_day_text(int64_t d)
{
    struct metric_day_text t;
    tr_date_format(metric_clamp_day(d), t.s);
    return t;
}

void metric_put(struct tr_json *obj, const char *key, struct tr_json *v, int *rc)
{
    if (obj == NULL || *rc != TR_OK) {
        tr_json_free(v);
        return;
    }
    if (v == NULL) {
        *rc = TR_ENOMEM;
        return;
    }
    if (tr_json_object_set(obj, key, v) != TR_OK) {
        *rc = TR_ENOMEM;
    }
}

void metric_put_str(struct tr_json *obj, const char *key, const char *s, int *rc)
{
    metric_put(obj, key, tr_json_new_cstr(s), rc);
}

void metric_put_num(struct tr_json *obj, const char *key, double x, int *rc)
{
    metric_put(obj, key, tr_json_new_number(x), rc);
}

void metric_put_day(struct tr_json *obj, const char *key, int64_t d, int *rc)
{
    metric_put_str(obj, key, METRIC_DAY(d), rc);
}

struct tr_json *metric_new_object(int *rc)
{
    struct tr_json *o = *rc == TR_OK ? tr_json_new_object() : NULL;
    if (o == NULL) {
        *rc = TR_ENOMEM;
    }
    return o;
}

/* ---- the evaluation ---- */

static const char *const units[TR_CRITERION_TYPE_COUNT] = {
    "months", "hours a year", "appointments", "appointments", "credits", "points", "average score",
};

const char *tr_metric_unit(enum tr_criterion_type type)
{
    return (unsigned)type < TR_CRITERION_TYPE_COUNT ? units[type] : NULL;
}

/* The window criterion c uses: its policy's, unless the options override it. */
static int criterion_window(const struct tr_metric_options *opt,
                            const struct tr_policy_criterion *pc, struct tr_metric_span *out,
                            struct tr_error *err)
{
    struct tr_window w = pc->window;
    if ((opt->window == TR_WINDOW_ROLLING || opt->window == TR_WINDOW_CYCLES) &&
        (w.type == TR_WINDOW_ROLLING || w.type == TR_WINDOW_CYCLES)) {
        w.type = opt->window;
        w.anchor = opt->anchor;
    }
    return tr_metric_window(&w, opt->as_of, out, err);
}

static int by_record_id(const void *a, const void *b)
{
    const struct fact *const *x = a, *const *y = b;
    return strcmp((*x)->in->id, (*y)->in->id);
}

/* Read record f->in: its kind, and why it cannot count (if it cannot). */
static int prepare(struct eval *e, struct fact *f, struct tr_error *err)
{
    const struct tr_metric_record *in = f->in;
    const struct kind_schema *ks = NULL;
    struct tr_diag diag;
    enum tr_kind kind;
    int rc = TR_OK;
    tr_diag_init(&diag, NULL);
    f->kind = in->credential != NULL && tr_schema_kind(in->credential, &kind, NULL) == TR_OK
                  ? (int)kind
                  : -1;
    if (in->excluded != NULL) {
        f->reason = in->excluded;
        goto out;
    }
    rc = tr_schema_check(in->credential, &diag);
    if (rc == TR_ESCHEMA) {
        struct tr_buf b;
        tr_buf_init(&b);
        tr_buf_adds(&b, "does not validate: ");
        tr_diag_format(&diag, 0, &b);
        f->reason = f->own_reason = tr_buf_detach(&b, NULL);
        rc = f->reason != NULL ? TR_OK : TR_ENOMEM;
        goto out;
    }
    if (rc != TR_OK) {
        tr_diag_to_error(&diag, rc, err);
        goto out;
    }
    if ((rc = schema_file_get((enum tr_kind)f->kind, &ks, err)) != TR_OK) {
        goto out;
    }
    f->cs = tr_json_object_get(in->credential, "credentialSubject");
    const char *about = tr_json_string(tr_json_object_get(f->cs, "id"));
    if (ks->subject == SUBJECT_PERSON && strcmp(about, e->subject) != 0) {
        struct tr_buf b;
        tr_buf_init(&b);
        tr_buf_addf(&b, "about %s, not %s", metric_bare(about, TR_URN_PERSON),
                    metric_bare(e->subject, TR_URN_PERSON));
        f->reason = f->own_reason = tr_buf_detach(&b, NULL);
        f->cs = NULL;
        rc = f->reason != NULL ? TR_OK : TR_ENOMEM;
        goto out;
    }
    f->from = TR_DATE_MIN_DAY;
    f->until = TR_DATE_MAX_DAY;
    if (tr_json_object_get(in->credential, "validFrom") != NULL) {
        f->from = instant_day(in->credential, "validFrom");
    }
    if (tr_json_object_get(in->credential, "validUntil") != NULL) {
        f->until = instant_day(in->credential, "validUntil");
    }
out:
    if (rc == TR_ENOMEM) {
        tr_error_set(err, rc, "cannot evaluate: out of memory");
    }
    tr_diag_release(&diag);
    return rc;
}

/* Check the arguments of tr_metric_evaluate; fills e->subject. */
static int check_args(struct eval *e, const struct tr_metric_options *opt,
                      const struct tr_metric_record *records, size_t n, struct tr_error *err)
{
    const char *id = metric_bare(opt->subject, TR_URN_PERSON);
    if (opt->subject == NULL || tr_ident_person_id_check(id, strlen(id), NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "the subject is not a person id");
    }
    snprintf(e->subject, sizeof e->subject, "%s%s", TR_URN_PERSON, id);
    if (!metric_writable_day(opt->as_of)) {
        return tr_error_set(err, TR_EINVAL,
                            "the as-of day must be between 0001-01-01 and 9999-12-31");
    }
    if (opt->window != TR_WINDOW_NONE && opt->window != TR_WINDOW_ROLLING &&
        opt->window != TR_WINDOW_CYCLES) {
        return tr_error_set(err, TR_EINVAL, "a window override must be rolling or cycles");
    }
    if (opt->window == TR_WINDOW_CYCLES && !metric_writable_day(opt->anchor)) {
        return tr_error_set(err, TR_EINVAL,
                            "cycles need an anchor day between 0001-01-01 and 9999-12-31");
    }
    if (records == NULL && n > 0) {
        return tr_error_set(err, TR_EINVAL, "no records");
    }
    for (size_t i = 0; i < n; i++) {
        const char *rid = records[i].id;
        if (rid == NULL || tr_ident_record_id_check(rid, strlen(rid), NULL) != TR_OK) {
            return tr_error_set(err, TR_EINVAL, "record %zu has no valid record id", i);
        }
        if (records[i].credential == NULL && records[i].excluded == NULL) {
            return tr_error_set(err, TR_EINVAL, "record %s has no credential", rid);
        }
    }
    return TR_OK;
}

static void free_entries(struct tr_metric_entry *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].reason);
        tr_json_free(list[i].detail);
    }
    free(list);
}

void tr_metric_result_free(struct tr_metric_result *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->ncriteria; i++) {
        free_entries(r->criteria[i].counted, r->criteria[i].ncounted);
        free_entries(r->criteria[i].excluded, r->criteria[i].nexcluded);
        tr_json_free(r->criteria[i].detail);
    }
    free(r->criteria);
    free_entries(r->excluded, r->nexcluded);
    free(r);
}

int tr_metric_evaluate(const struct tr_policy *policy, const struct tr_metric_options *opt,
                       const struct tr_metric_record *records, size_t n,
                       struct tr_metric_result **out, struct tr_error *err)
{
    struct eval e = {0};
    struct tr_metric_result *r = NULL;
    int rc;
    if (policy == NULL || opt == NULL || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_metric_evaluate: no policy, options or output");
    }
    *out = NULL;
    if ((rc = check_args(&e, opt, records, n, err)) != TR_OK) {
        return rc;
    }
    e.n = n;
    e.facts = calloc(n + 1, sizeof *e.facts);
    e.by_id = calloc(n + 1, sizeof *e.by_id);
    r = calloc(1, sizeof *r);
    if (e.facts == NULL || e.by_id == NULL || r == NULL ||
        (r->criteria = calloc(policy->ncriteria + 1, sizeof *r->criteria)) == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "cannot evaluate: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        e.facts[i].in = &records[i];
        e.by_id[i] = &e.facts[i];
        if ((rc = prepare(&e, &e.facts[i], err)) != TR_OK) {
            goto out;
        }
    }
    qsort(e.by_id, n, sizeof *e.by_id, by_record_id);
    for (size_t i = 1; i < n; i++) {
        if (by_record_id(&e.by_id[i - 1], &e.by_id[i]) == 0) {
            rc = tr_error_set(err, TR_EINVAL, "record %s is given twice", e.by_id[i]->in->id);
            goto out;
        }
    }
    r->policy = policy;
    snprintf(r->subject, sizeof r->subject, "%s", e.subject);
    r->as_of = opt->as_of;
    r->met = 1;
    for (size_t i = 0; i < policy->ncriteria && e.rc == TR_OK; i++) {
        struct tr_metric_criterion *c = &r->criteria[r->ncriteria++];
        c->criterion = &policy->criteria[i];
        c->threshold = c->criterion->threshold;
        if ((rc = criterion_window(opt, c->criterion, &c->window, err)) != TR_OK) {
            goto out;
        }
        c->detail = metric_new_object(&e.rc);
        metric_run_criterion(&e, c);
        r->met &= c->met;
    }
    for (size_t i = 0; i < n && e.rc == TR_OK; i++) {
        if (e.facts[i].kind < 0) {
            metric_list_out(&e, &r->excluded, &r->nexcluded, &e.facts[i], "%s", e.facts[i].reason);
        }
    }
    if ((rc = e.rc) != TR_OK) {
        tr_error_set(err, rc, "cannot evaluate: out of memory");
        goto out;
    }
    *out = r;
    r = NULL;
out:
    for (size_t i = 0; e.facts != NULL && i < n; i++) {
        free(e.facts[i].own_reason);
    }
    free(e.facts);
    free((void *)e.by_id);
    tr_metric_result_free(r);
    return rc;
}

/* ---- JSON ---- */

static struct tr_json *span_json(const struct tr_metric_span *w, int *rc)
{
    struct tr_json *o = metric_new_object(rc);
    metric_put_str(o, "type", tr_policy_window_type_name(w->type), rc);
    if (w->type == TR_WINDOW_ROLLING || w->type == TR_WINDOW_CYCLES) {
        metric_put_num(o, "years", w->years, rc);
    }
    if (w->type == TR_WINDOW_CYCLES) {
        metric_put_day(o, "anchor", w->anchor, rc);
        metric_put_day(o, "cycleFrom", w->cycle_from, rc);
        metric_put_day(o, "cycleUntil", w->cycle_until, rc);
    }
    if (w->type != TR_WINDOW_ALL) {
        metric_put_day(o, "from", w->from, rc);
    }
    metric_put_day(o, "until", w->until, rc);
    return o;
}

static struct tr_json *entries_json(const struct tr_metric_entry *list, size_t n, int *rc)
{
    struct tr_json *a = *rc == TR_OK ? tr_json_new_array() : NULL;
    if (a == NULL) {
        *rc = TR_ENOMEM;
    }
    for (size_t i = 0; i < n && *rc == TR_OK; i++) {
        const struct tr_metric_entry *x = &list[i];
        struct tr_json *o = metric_new_object(rc);
        metric_put_str(o, "record", x->id, rc);
        if (x->kind >= 0) {
            metric_put_str(o, "kind", tr_schema_kind_name((enum tr_kind)x->kind), rc);
        }
        if (x->reason != NULL) {
            metric_put_str(o, "reason", x->reason, rc);
        } else {
            metric_put_num(o, "contribution", x->contribution, rc);
            metric_put(o, "detail", tr_json_clone(x->detail), rc);
        }
        if (o != NULL && *rc == TR_OK && tr_json_array_append(a, o) != TR_OK) {
            *rc = TR_ENOMEM;
        } else if (*rc != TR_OK) {
            tr_json_free(o);
        }
    }
    return a;
}

static struct tr_json *criterion_json(const struct tr_metric_criterion *c, int *rc)
{
    const struct tr_policy_criterion *pc = c->criterion;
    struct tr_json *o = metric_new_object(rc);
    metric_put_str(o, "id", pc->id, rc);
    metric_put_str(o, "type", tr_policy_criterion_type_name(pc->type), rc);
    metric_put_str(o, "title", pc->title, rc);
    if (pc->basis != NULL) {
        metric_put_str(o, "basis", pc->basis, rc);
    }
    metric_put_str(o, "unit", units[pc->type], rc);
    metric_put_num(o, "value", c->value, rc);
    metric_put_num(o, "threshold", c->threshold, rc);
    metric_put_str(o, "verdict", c->met ? "met" : "not_met", rc);
    metric_put(o, "window", span_json(&c->window, rc), rc);
    metric_put(o, "counted", entries_json(c->counted, c->ncounted, rc), rc);
    metric_put(o, "excluded", entries_json(c->excluded, c->nexcluded, rc), rc);
    metric_put(o, "detail", tr_json_clone(c->detail), rc);
    return o;
}

int tr_metric_result_json(const struct tr_metric_result *r, struct tr_json **out,
                          struct tr_error *err)
{
    int rc = TR_OK;
    struct tr_json *o = NULL, *criteria = NULL;
    if (r == NULL || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_metric_result_json: no result or no output");
    }
    *out = NULL;
    o = metric_new_object(&rc);
    struct tr_json *policy = metric_new_object(&rc);
    metric_put_str(policy, "id", r->policy->id, &rc);
    metric_put_num(policy, "version", r->policy->version, &rc);
    metric_put_str(policy, "title", r->policy->title, &rc);
    metric_put(policy, "example", tr_json_new_bool(r->policy->example), &rc);
    metric_put(o, "policy", policy, &rc);
    metric_put_str(o, "subject", r->subject, &rc);
    metric_put_day(o, "asOf", r->as_of, &rc);
    metric_put_str(o, "verdict", r->met ? "eligible" : "not_eligible", &rc);
    criteria = rc == TR_OK ? tr_json_new_array() : NULL;
    for (size_t i = 0; criteria != NULL && i < r->ncriteria && rc == TR_OK; i++) {
        struct tr_json *c = criterion_json(&r->criteria[i], &rc);
        if (rc == TR_OK && tr_json_array_append(criteria, c) != TR_OK) {
            rc = TR_ENOMEM;
        } else if (rc != TR_OK) {
            tr_json_free(c);
        }
    }
    metric_put(o, "criteria", criteria, &rc);
    metric_put(o, "excluded", entries_json(r->excluded, r->nexcluded, &rc), &rc);
    if (rc != TR_OK) {
        tr_json_free(o);
        return tr_error_set(err, rc, "cannot write the result: out of memory");
    }
    *out = o;
    return TR_OK;
}
