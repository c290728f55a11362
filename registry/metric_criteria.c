/* metric_criteria.c — each criterion of a policy computed from one person's facts (see
 * talentreg/metric.h; docs/policies.md defines every figure). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metric_impl.h"
#include "talentreg/schema.h"

/* FTEs are counted in millionths, so sums over days are exact integers. */
#define FTE_ONE 1000000

/* x rounded to 6 decimal places (magnitudes from 1e9 on are kept as they are). */
static double round6(double x)
{
    if (fabs(x) >= 1e9) {
        return x;
    }
    double r = round(x * 1e6) / 1e6;
    return r == 0 ? 0 : r; /* no -0 */
}

/* ---- reading credentials (already validated: every field has its schema's type) ---- */

static const struct tr_json *get(const struct tr_json *cs, const char *key)
{
    return tr_json_object_get(cs, key);
}

static const char *str(const struct tr_json *cs, const char *key)
{
    return tr_json_string(get(cs, key));
}

static double num(const struct tr_json *cs, const char *key)
{
    const struct tr_json *v = get(cs, key);
    return tr_json_is(v, TR_JSON_NUMBER) ? v->u.number.value : 0;
}

/* The day of a date field "YYYY-MM-DD" (validated, so it parses). */
static int64_t date_of(const struct tr_json *cs, const char *key)
{
    const struct tr_json *v = get(cs, key);
    int64_t d = 0;
    if (tr_json_is(v, TR_JSON_STRING)) {
        tr_date_parse(v->u.string.ptr, v->u.string.len, &d, NULL);
    }
    return d;
}

static int contains(const struct tr_policy_strings *list, const char *s)
{
    for (size_t i = 0; s != NULL && i < list->len; i++) {
        if (strcmp(list->items[i], s) == 0) {
            return 1;
        }
    }
    return 0;
}

/* ---- entries ---- */

static struct tr_metric_entry *new_entry(struct eval *e, struct tr_metric_entry **list, size_t *n,
                                         const struct fact *f)
{
    if (e->rc != TR_OK) {
        return NULL;
    }
    /* Lists grow by doubling; a capacity is a power of two from 8 on. */
    if (*n >= 8 && (*n & (*n - 1)) == 0) {
        struct tr_metric_entry *grown = realloc(*list, 2 * *n * sizeof **list);
        if (grown == NULL) {
            e->rc = TR_ENOMEM;
            return NULL;
        }
        *list = grown;
    } else if (*n == 0 && (*list = malloc(8 * sizeof **list)) == NULL) {
        e->rc = TR_ENOMEM;
        return NULL;
    }
    struct tr_metric_entry *x = &(*list)[(*n)++];
    memset(x, 0, sizeof *x);
    snprintf(x->id, sizeof x->id, "%s", f->in->id);
    x->kind = f->kind;
    return x;
}

/* Count f in c with its contribution and detail (taken over). */
static void counted(struct eval *e, struct tr_metric_criterion *c, const struct fact *f,
                    double contribution, struct tr_json *detail)
{
    struct tr_metric_entry *x = new_entry(e, &c->counted, &c->ncounted, f);
    if (x == NULL) {
        tr_json_free(detail);
        return;
    }
    x->contribution = round6(contribution);
    x->detail = detail;
    if (detail == NULL) {
        e->rc = TR_ENOMEM;
    }
}

static void vleft_out(struct eval *e, struct tr_metric_entry **list, size_t *n,
                      const struct fact *f, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static void vleft_out(struct eval *e, struct tr_metric_entry **list, size_t *n,
                      const struct fact *f, const char *fmt, va_list ap)
{
    struct tr_metric_entry *x = new_entry(e, list, n, f);
    struct tr_buf b;
    if (x == NULL) {
        return;
    }
    tr_buf_init(&b);
    tr_buf_vaddf(&b, fmt, ap);
    if ((x->reason = tr_buf_detach(&b, NULL)) == NULL) {
        e->rc = TR_ENOMEM;
    }
}

void metric_list_out(struct eval *e, struct tr_metric_entry **list, size_t *n, const struct fact *f,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vleft_out(e, list, n, f, fmt, ap);
    va_end(ap);
}

static void left_out(struct eval *e, struct tr_metric_criterion *c, const struct fact *f,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Leave f out of c, saying why. */
static void left_out(struct eval *e, struct tr_metric_criterion *c, const struct fact *f,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vleft_out(e, &c->excluded, &c->nexcluded, f, fmt, ap);
    va_end(ap);
}

/*
 * The facts of kind a criterion reads: calls each usable one back, and leaves out (with its
 * reason) each one that is not.
 */
typedef void (*fact_fn)(struct eval *e, struct tr_metric_criterion *c, const struct fact *f);

static void each_fact(struct eval *e, struct tr_metric_criterion *c, int kind, fact_fn fn)
{
    for (size_t i = 0; i < e->n && e->rc == TR_OK; i++) {
        const struct fact *f = &e->facts[i];
        if (f->kind != kind) {
            continue;
        }
        if (f->reason != NULL) {
            left_out(e, c, f, "%s", f->reason);
        } else {
            fn(e, c, f);
        }
    }
}

/* The message for a period or day that falls outside c's window. */
static void outside(struct eval *e, struct tr_metric_criterion *c, const struct fact *f,
                    const char *what, int64_t from, int64_t until)
{
    const struct tr_metric_span *w = &c->window;
    if (from > w->until) {
        left_out(e, c, f, "%s %s, after the as-of date %s", what, METRIC_DAY(from),
                 METRIC_DAY(w->until));
    } else {
        left_out(e, c, f, "%s %s, outside the window %s to %s", what, METRIC_DAY(until),
                 METRIC_DAY(w->from), METRIC_DAY(w->until));
    }
}

/* ---- enterprise_months ---- */

struct placement {
    const struct fact *f;
    int64_t from, until;  /* clipped to the window */
    int64_t fte;          /* millionths */
    double g_from, g_end; /* the cumulative scale at from and at until + 1 */
};

struct event {
    int64_t day;
    int64_t delta; /* + at a start, - the day after an end */
    size_t p;      /* the placement */
};

static int by_day(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

/*
 * The FTE that counts on a day is the sum of the FTEs of the placements active that day,
 * capped at 1. A sweep over the start and end days finds the total over the window in
 * O(n log n): between two consecutive event days the sum does not change. Each placement
 * gets its share of a day in proportion to its FTE (cap / sum of the day, when capped),
 * through a running total G of the day scale, so share = fte * (G(end + 1) - G(start)).
 * Returns the total in FTE-millionth days.
 */
static int64_t sweep(struct placement *p, size_t n, int *rc)
{
    int64_t total = 0, sum = 0;
    double g = 0;
    struct event *ev = NULL;
    if (n == 0) {
        goto out;
    }
    if ((ev = malloc(2 * n * sizeof *ev)) == NULL) {
        *rc = TR_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        ev[2 * i] = (struct event){p[i].from, p[i].fte, i};
        ev[2 * i + 1] = (struct event){p[i].until + 1, -p[i].fte, i};
    }
    qsort(ev, 2 * n, sizeof *ev, by_day);
    for (size_t i = 0; i < 2 * n;) {
        int64_t day = ev[i].day;
        for (; i < 2 * n && ev[i].day == day; i++) {
            sum += ev[i].delta;
            if (ev[i].delta > 0) {
                p[ev[i].p].g_from = g;
            } else {
                p[ev[i].p].g_end = g;
            }
        }
        if (i < 2 * n) {
            int64_t len = ev[i].day - day;
            int64_t capped = sum < FTE_ONE ? sum : FTE_ONE;
            total += len * capped;
            g += sum > 0 ? (double)len * ((double)capped / (double)sum) : 0;
        }
    }
out:
    free(ev);
    return total;
}

static void enterprise_months(struct eval *e, struct tr_metric_criterion *c)
{
    const struct tr_policy_criterion *pc = c->criterion;
    const struct tr_metric_span *w = &c->window;
    struct placement *p = calloc(e->n + 1, sizeof *p);
    size_t np = 0;
    if (p == NULL) {
        e->rc = TR_ENOMEM;
        return;
    }
    for (size_t i = 0; i < e->n && e->rc == TR_OK; i++) {
        const struct fact *f = &e->facts[i];
        if (f->kind != TR_KIND_ENTERPRISE_PLACEMENT) {
            continue;
        }
        const char *form = str(f->cs, "form");
        double fte = f->cs != NULL ? num(f->cs, "fte") : 0;
        if (f->reason != NULL) {
            left_out(e, c, f, "%s", f->reason);
        } else if (!contains(&pc->forms, form)) {
            left_out(e, c, f, "form '%s' not accepted", form);
        } else if (f->from > w->until || f->until < w->from) {
            outside(e, c, f, f->from > w->until ? "begins" : "ended", f->from, f->until);
        } else if (llround(fte * FTE_ONE) == 0) {
            left_out(e, c, f, "its full-time equivalent is 0");
        } else {
            p[np++] = (struct placement){f,
                                         f->from > w->from ? f->from : w->from,
                                         f->until < w->until ? f->until : w->until,
                                         llround(fte * FTE_ONE),
                                         0,
                                         0};
        }
    }
    int64_t total = sweep(p, np, &e->rc);
    double dpm = pc->days_per_month;
    for (size_t i = 0; i < np && e->rc == TR_OK; i++) {
        double share = (double)p[i].fte / FTE_ONE * (p[i].g_end - p[i].g_from);
        struct tr_json *d = metric_new_object(&e->rc);
        metric_put_str(d, "form", str(p[i].f->cs, "form"), &e->rc);
        metric_put_num(d, "fte", num(p[i].f->cs, "fte"), &e->rc);
        metric_put_day(d, "from", p[i].from, &e->rc);
        metric_put_day(d, "until", p[i].until, &e->rc);
        metric_put_num(d, "days", (double)(p[i].until - p[i].from + 1), &e->rc);
        metric_put_num(d, "fteDays", round6(share), &e->rc);
        counted(e, c, p[i].f, share / dpm, d);
    }
    free(p);
    c->value = round6((double)total / FTE_ONE / dpm);
    metric_put_num(c->detail, "fteDays", round6((double)total / FTE_ONE), &e->rc);
    metric_put_num(c->detail, "daysPerMonth", dpm, &e->rc);
}

/* ---- dual appointments: teaching_hours, active_appointment, supervision_rights ---- */

static void appointment_detail(struct eval *e, const struct fact *f, struct tr_json *d)
{
    metric_put_str(d, "role", str(f->cs, "role"), &e->rc);
    metric_put_day(d, "from", f->from, &e->rc);
    metric_put_day(d, "until", f->until, &e->rc);
}

static void teaching_one(struct eval *e, struct tr_metric_criterion *c, const struct fact *f)
{
    const struct tr_metric_span *w = &c->window;
    const struct tr_json *hours = get(get(f->cs, "duties"), "teachingHoursPerYear");
    if (!contains(&c->criterion->roles, str(f->cs, "role"))) {
        left_out(e, c, f, "role '%s' not accepted", str(f->cs, "role"));
    } else if (f->from > w->until || f->until < w->from) {
        outside(e, c, f, f->from > w->until ? "begins" : "ended", f->from, f->until);
    } else if (hours == NULL) {
        left_out(e, c, f, "no teaching hours recorded");
    } else {
        int64_t from = f->from > w->from ? f->from : w->from;
        int64_t until = f->until < w->until ? f->until : w->until;
        double days = (double)(until - from + 1), window = (double)(w->until - w->from + 1);
        struct tr_json *d = metric_new_object(&e->rc);
        metric_put_str(d, "role", str(f->cs, "role"), &e->rc);
        metric_put_num(d, "hoursPerYear", hours->u.number.value, &e->rc);
        metric_put_day(d, "from", from, &e->rc);
        metric_put_day(d, "until", until, &e->rc);
        metric_put_num(d, "days", days, &e->rc);
        counted(e, c, f, hours->u.number.value * days / window, d);
    }
}

static void teaching_hours(struct eval *e, struct tr_metric_criterion *c)
{
    each_fact(e, c, TR_KIND_DUAL_APPOINTMENT, teaching_one);
    double sum = 0;
    /* The value is summed unrounded: the entries' contributions are rounded for reports. */
    for (size_t i = 0; i < c->ncounted; i++) {
        const struct tr_json *d = c->counted[i].detail;
        sum += num(d, "hoursPerYear") * num(d, "days") /
               (double)(c->window.until - c->window.from + 1);
    }
    c->value = round6(sum);
    metric_put_num(c->detail, "windowDays", (double)(c->window.until - c->window.from + 1), &e->rc);
}

/* 1 when f is in force on the as-of day with an accepted role; else leaves it out. */
static int in_force(struct eval *e, struct tr_metric_criterion *c, const struct fact *f)
{
    int64_t as_of = c->window.until;
    int years = c->criterion->min_term_years;
    if (!contains(&c->criterion->roles, str(f->cs, "role"))) {
        left_out(e, c, f, "role '%s' not accepted", str(f->cs, "role"));
    } else if (f->from > as_of) {
        left_out(e, c, f, "begins %s, after the as-of date %s", METRIC_DAY(f->from),
                 METRIC_DAY(as_of));
    } else if (f->until < as_of) {
        left_out(e, c, f, "ended %s, before the as-of date %s", METRIC_DAY(f->until),
                 METRIC_DAY(as_of));
    } else if (years > 0 && f->until < metric_add_years(f->from, years) - 1) {
        left_out(e, c, f, "its term %s to %s is shorter than %d years", METRIC_DAY(f->from),
                 METRIC_DAY(f->until), years);
    } else {
        return 1;
    }
    return 0;
}

static void appointment_one(struct eval *e, struct tr_metric_criterion *c, const struct fact *f)
{
    if (in_force(e, c, f)) {
        struct tr_json *d = metric_new_object(&e->rc);
        appointment_detail(e, f, d);
        counted(e, c, f, 1, d);
    }
}

static void supervision_one(struct eval *e, struct tr_metric_criterion *c, const struct fact *f)
{
    const struct tr_json *rights = get(get(f->cs, "duties"), "supervisionRights");
    if (!in_force(e, c, f)) {
        return;
    }
    if (rights == NULL) {
        left_out(e, c, f, "no supervision rights recorded");
    } else if (!rights->u.boolean) {
        left_out(e, c, f, "supervision rights not granted");
    } else {
        struct tr_json *d = metric_new_object(&e->rc);
        appointment_detail(e, f, d);
        counted(e, c, f, 1, d);
    }
}

static void appointments(struct eval *e, struct tr_metric_criterion *c, fact_fn fn)
{
    each_fact(e, c, TR_KIND_DUAL_APPOINTMENT, fn);
    c->value = (double)c->ncounted;
}

/* ---- credits_recognised ---- */

/* The fact with record id id, or NULL. */
static const struct fact *find(const struct eval *e, const char *id)
{
    size_t lo = 0, hi = e->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(e->by_id[mid]->in->id, id);
        if (cmp == 0) {
            return e->by_id[mid];
        }
        if (cmp < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

/* What the pre-pass decided about one recognition. */
struct recog {
    int ok;                    /* 1: it can count (unless another one of its credit wins) */
    char *reason;              /* else why not (owned) */
    const struct fact *credit; /* the credit it names, when found */
    double points;             /* the points it counts, in the target framework */
    struct tr_json *detail;
    int64_t decided;
};

/* A referenced record: the fact, or NULL with the reason in r. */
static const struct fact *referenced(const struct eval *e, const struct tr_json *cs,
                                     const char *key, int kind, const char *what, struct tr_buf *r)
{
    const char *id = metric_bare(str(cs, key), TR_URN_RECORD);
    const struct fact *f = find(e, id);
    if (f == NULL) {
        tr_buf_addf(r, "%s %s is not among the records given", what, id);
    } else if (f->kind != kind) {
        tr_buf_addf(r, "record %s is not a %s", id, tr_schema_kind_name((enum tr_kind)kind));
    } else if (f->reason != NULL) {
        tr_buf_addf(r, "%s %s does not count: %s", what, id, f->reason);
    } else {
        return f;
    }
    return NULL;
}

/* The ratio from framework `from` to `to` under agreement cs, or 0 when it has none. */
static double ratio_of(const struct tr_json *cs, const char *from, const char *to)
{
    const struct tr_json *list = get(cs, "frameworkRatios");
    if (strcmp(from, to) == 0) {
        return 1;
    }
    for (size_t i = 0; tr_json_is(list, TR_JSON_ARRAY) && i < list->u.array.len; i++) {
        const struct tr_json *item = list->u.array.items[i];
        if (strcmp(str(item, "from"), from) == 0 && strcmp(str(item, "to"), to) == 0) {
            return num(item, "ratio");
        }
    }
    return 0;
}

static int is_party(const struct tr_json *agreement, const char *org)
{
    const struct tr_json *parties = get(agreement, "parties");
    for (size_t i = 0; tr_json_is(parties, TR_JSON_ARRAY) && i < parties->u.array.len; i++) {
        if (org != NULL && strcmp(tr_json_string(parties->u.array.items[i]), org) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Decide one recognition f, apart from which recognition of a credit wins. */
static void judge_recognition(struct eval *e, const struct tr_metric_criterion *c,
                              const struct fact *f, struct recog *out)
{
    const struct tr_policy_criterion *pc = c->criterion;
    const struct tr_metric_span *w = &c->window;
    const struct fact *credit, *agreement;
    struct tr_buf r;
    const char *decision = str(f->cs, "decision");
    tr_buf_init(&r);
    out->decided = date_of(f->cs, "decidedOn");
    if (!contains(&pc->decisions, decision)) {
        tr_buf_addf(&r, "decision '%s' not accepted", decision);
        goto out;
    }
    if (out->decided > w->until) {
        tr_buf_addf(&r, "decided %s, after the as-of date %s", METRIC_DAY(out->decided),
                    METRIC_DAY(w->until));
        goto out;
    }
    if ((credit = referenced(e, f->cs, "credit", TR_KIND_CREDIT, "credit", &r)) == NULL) {
        goto out;
    }
    out->credit = credit;
    int64_t earned = date_of(credit->cs, "earnedOn");
    if (earned > w->until) {
        tr_buf_addf(&r, "credit %s was earned %s, after the as-of date %s", credit->in->id,
                    METRIC_DAY(earned), METRIC_DAY(w->until));
        goto out;
    }
    if (earned < w->from) {
        tr_buf_addf(&r, "credit %s was earned %s, outside the window %s to %s", credit->in->id,
                    METRIC_DAY(earned), METRIC_DAY(w->from), METRIC_DAY(w->until));
        goto out;
    }
    agreement = referenced(e, f->cs, "agreement", TR_KIND_RECOGNITION_AGREEMENT, "agreement", &r);
    if (agreement == NULL) {
        goto out;
    }
    const char *aid = agreement->in->id;
    if (out->decided > agreement->until) {
        tr_buf_addf(&r, "agreement %s expired on %s, before the decision on %s", aid,
                    METRIC_DAY(agreement->until), METRIC_DAY(out->decided));
        goto out;
    }
    if (out->decided < agreement->from) {
        tr_buf_addf(&r, "agreement %s was not yet in force on %s (from %s)", aid,
                    METRIC_DAY(out->decided), METRIC_DAY(agreement->from));
        goto out;
    }
    const char *recogniser = tr_json_string(tr_json_object_get(f->in->credential, "issuer"));
    const char *issuer = tr_json_string(tr_json_object_get(credit->in->credential, "issuer"));
    if (!is_party(agreement->cs, recogniser)) {
        tr_buf_addf(&r, "recognised by %s, which is not a party of agreement %s",
                    metric_bare(recogniser, TR_URN_ORG), aid);
        goto out;
    }
    if (!is_party(agreement->cs, issuer)) {
        tr_buf_addf(&r, "credit %s was issued by %s, which is not a party of agreement %s",
                    credit->in->id, metric_bare(issuer, TR_URN_ORG), aid);
        goto out;
    }
    const char *framework = str(credit->cs, "framework");
    double ratio = ratio_of(agreement->cs, framework, pc->framework);
    if (ratio == 0) {
        tr_buf_addf(&r, "agreement %s has no ratio from %s to %s", aid, framework, pc->framework);
        goto out;
    }
    double points = num(credit->cs, "points"), converted = points * ratio;
    const char *stated_fw = str(f->cs, "framework");
    int stated =
        get(f->cs, "points") != NULL && stated_fw != NULL && strcmp(stated_fw, pc->framework) == 0;
    out->points = stated && num(f->cs, "points") < converted ? num(f->cs, "points") : converted;
    out->ok = 1;
    int *rc = &e->rc;
    struct tr_json *d = out->detail = metric_new_object(rc);
    metric_put_str(d, "credit", credit->in->id, rc);
    metric_put_str(d, "agreement", aid, rc);
    metric_put_str(d, "decision", decision, rc);
    metric_put_day(d, "decidedOn", out->decided, rc);
    metric_put_day(d, "earnedOn", earned, rc);
    metric_put_num(d, "points", points, rc);
    metric_put_str(d, "framework", framework, rc);
    metric_put_num(d, "ratio", ratio, rc);
    metric_put_num(d, "converted", round6(converted), rc);
    if (stated) {
        metric_put_num(d, "stated", num(f->cs, "points"), rc);
    }
out:
    if (!out->ok && (out->reason = tr_buf_detach(&r, NULL)) == NULL) {
        e->rc = TR_ENOMEM;
    }
    tr_buf_release(&r);
}

/* Add points to the member framework of the totals object obj. */
static void add_total(struct tr_json *obj, const char *framework, double points, int *rc)
{
    const struct tr_json *had = tr_json_object_get(obj, framework);
    metric_put_num(obj, framework, round6(points + (had != NULL ? had->u.number.value : 0)), rc);
}

static void credits_recognised(struct eval *e, struct tr_metric_criterion *c)
{
    const struct tr_metric_span *w = &c->window;
    struct recog *rg = calloc(e->n + 1, sizeof *rg);
    size_t *winner = calloc(e->n + 1, sizeof *winner); /* per credit: 1 + its recognition */
    int *named = calloc(e->n + 1, sizeof *named);
    struct tr_json *earned = metric_new_object(&e->rc), *recognised = metric_new_object(&e->rc);
    double value = 0;
    if (rg == NULL || winner == NULL || named == NULL) {
        e->rc = TR_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < e->n && e->rc == TR_OK; i++) {
        const struct fact *f = &e->facts[i];
        if (f->kind != TR_KIND_CREDIT_RECOGNITION || f->reason != NULL) {
            continue;
        }
        judge_recognition(e, c, f, &rg[i]);
        if (rg[i].credit == NULL) {
            continue;
        }
        size_t ci = (size_t)(rg[i].credit - e->facts);
        named[ci] = 1;
        /* A credit counts once: through its earliest recognition (then the smallest id). */
        const struct recog *best = winner[ci] != 0 ? &rg[winner[ci] - 1] : NULL;
        if (rg[i].ok && (best == NULL || rg[i].decided < best->decided ||
                         (rg[i].decided == best->decided &&
                          strcmp(f->in->id, e->facts[winner[ci] - 1].in->id) < 0))) {
            winner[ci] = i + 1;
        }
    }
    for (size_t i = 0; i < e->n && e->rc == TR_OK; i++) {
        const struct fact *f = &e->facts[i];
        if (f->kind == TR_KIND_CREDIT_RECOGNITION) {
            size_t ci = rg[i].credit != NULL ? (size_t)(rg[i].credit - e->facts) : 0;
            if (f->reason != NULL) {
                left_out(e, c, f, "%s", f->reason);
            } else if (!rg[i].ok) {
                left_out(e, c, f, "%s", rg[i].reason);
            } else if (winner[ci] != i + 1) {
                left_out(e, c, f, "credit %s already counts through recognition %s",
                         rg[i].credit->in->id, e->facts[winner[ci] - 1].in->id);
            } else {
                value += rg[i].points;
                add_total(recognised, str(rg[i].credit->cs, "framework"),
                          num(rg[i].credit->cs, "points"), &e->rc);
                counted(e, c, f, rg[i].points, rg[i].detail);
                rg[i].detail = NULL;
            }
        } else if (f->kind == TR_KIND_CREDIT) {
            int64_t on = f->reason == NULL ? date_of(f->cs, "earnedOn") : 0;
            if (f->reason != NULL) {
                left_out(e, c, f, "%s", f->reason);
                continue;
            }
            if (on > w->until || on < w->from) {
                outside(e, c, f, "earned", on, on);
                continue;
            }
            add_total(earned, str(f->cs, "framework"), num(f->cs, "points"), &e->rc);
            if (winner[i] == 0) {
                left_out(e, c, f, "not recognised: %s",
                         named[i] ? "no recognition of it counts" : "no recognition names it");
            }
        }
    }
    c->value = round6(value);
    metric_put_str(c->detail, "framework", c->criterion->framework, &e->rc);
    metric_put(c->detail, "earned", earned, &e->rc);
    metric_put(c->detail, "recognised", recognised, &e->rc);
    earned = recognised = NULL;
out:
    for (size_t i = 0; rg != NULL && i < e->n; i++) {
        free(rg[i].reason);
        tr_json_free(rg[i].detail);
    }
    free(rg);
    free(winner);
    free(named);
    tr_json_free(earned);
    tr_json_free(recognised);
}

/* ---- contribution_points ---- */

static void contribution_one(struct eval *e, struct tr_metric_criterion *c, const struct fact *f)
{
    const struct tr_policy_criterion *pc = c->criterion;
    const struct tr_metric_span *w = &c->window;
    const char *type = str(f->cs, "contributionType");
    const char *currency = str(f->cs, "currency");
    int64_t on = date_of(f->cs, "achievedOn");
    const struct tr_policy_weight *weight = NULL;
    for (size_t i = 0; i < pc->nweights; i++) {
        if (strcmp(pc->weights[i].type, type) == 0) {
            weight = &pc->weights[i];
        }
    }
    if (on > w->until || on < w->from) {
        outside(e, c, f, "achieved", on, on);
    } else if (weight == NULL) {
        left_out(e, c, f, "type '%s' has no weight in this policy", type);
    } else if (get(f->cs, "value") == NULL) {
        left_out(e, c, f, "it states no value");
    } else if (currency != NULL && strcmp(currency, pc->currency) != 0) {
        left_out(e, c, f, "its value is in %s, not %s", currency, pc->currency);
    } else {
        double value = num(f->cs, "value"), share = num(f->cs, "share");
        struct tr_json *d = metric_new_object(&e->rc);
        metric_put_str(d, "type", type, &e->rc);
        metric_put_num(d, "value", value, &e->rc);
        metric_put_str(d, "currency", pc->currency, &e->rc);
        metric_put_num(d, "weight", weight->weight, &e->rc);
        metric_put_num(d, "share", share, &e->rc);
        metric_put_day(d, "achievedOn", on, &e->rc);
        counted(e, c, f, value / pc->value_unit * weight->weight * share, d);
    }
}

static void contribution_points(struct eval *e, struct tr_metric_criterion *c)
{
    const struct tr_policy_criterion *pc = c->criterion;
    double sum = 0;
    each_fact(e, c, TR_KIND_CONTRIBUTION, contribution_one);
    for (size_t i = 0; i < c->ncounted; i++) {
        const struct tr_json *d = c->counted[i].detail;
        sum += num(d, "value") / pc->value_unit * num(d, "weight") * num(d, "share");
    }
    c->value = round6(sum);
    metric_put_num(c->detail, "valueUnit", pc->value_unit, &e->rc);
    metric_put_str(c->detail, "currency", pc->currency, &e->rc);
}

/* ---- evaluations ---- */

/*
 * An evaluation's score: its overallScore; else the weighted mean of its dimensions when
 * every dimension has a weight and the weights add up to more than 0; else their mean.
 */
static double score_of(const struct tr_json *cs)
{
    const struct tr_json *dims = get(cs, "dimensions");
    double sum = 0, wsum = 0, wscore = 0;
    size_t n = tr_json_is(dims, TR_JSON_ARRAY) ? dims->u.array.len : 0, weighted = 0;
    if (get(cs, "overallScore") != NULL) {
        return num(cs, "overallScore");
    }
    for (size_t i = 0; i < n; i++) {
        const struct tr_json *d = dims->u.array.items[i];
        sum += num(d, "score");
        if (get(d, "weight") != NULL) {
            weighted++;
            wsum += num(d, "weight");
            wscore += num(d, "score") * num(d, "weight");
        }
    }
    if (n > 0 && weighted == n && wsum > 0) {
        return wscore / wsum;
    }
    return n > 0 ? sum / (double)n : 0;
}

static void evaluation_one(struct eval *e, struct tr_metric_criterion *c, const struct fact *f)
{
    const struct tr_metric_span *w = &c->window;
    const char *role = str(f->cs, "evaluatorRole");
    int64_t on = date_of(f->cs, "evaluatedOn");
    if (on > w->until || on < w->from) {
        outside(e, c, f, "evaluated", on, on);
    } else if (!contains(&c->criterion->roles, role)) {
        left_out(e, c, f, "evaluator role '%s' not accepted", role);
    } else {
        struct tr_json *d = metric_new_object(&e->rc);
        metric_put_str(d, "role", role, &e->rc);
        metric_put_num(d, "score", round6(score_of(f->cs)), &e->rc);
        metric_put_day(d, "evaluatedOn", on, &e->rc);
        counted(e, c, f, score_of(f->cs), d);
    }
}

/* Returns 1 when every required role has at least one counted evaluation. */
static int evaluations(struct eval *e, struct tr_metric_criterion *c)
{
    const struct tr_policy_strings *roles = &c->criterion->roles;
    struct tr_json *count = metric_new_object(&e->rc), *missing = tr_json_new_array();
    double sum = 0;
    int all = 1;
    each_fact(e, c, TR_KIND_EVALUATION, evaluation_one);
    for (size_t i = 0; i < c->ncounted; i++) {
        sum += score_of(find(e, c->counted[i].id)->cs); /* unrounded, unlike the entries */
    }
    for (size_t r = 0; r < roles->len; r++) {
        size_t k = 0;
        for (size_t i = 0; i < c->ncounted; i++) {
            k += strcmp(str(c->counted[i].detail, "role"), roles->items[r]) == 0;
        }
        metric_put_num(count, roles->items[r], (double)k, &e->rc);
        if (k == 0) {
            all = 0;
            if (missing != NULL && e->rc == TR_OK &&
                tr_json_array_append(missing, tr_json_new_cstr(roles->items[r])) != TR_OK) {
                e->rc = TR_ENOMEM;
            }
        }
    }
    c->value = c->ncounted > 0 ? round6(sum / (double)c->ncounted) : 0;
    metric_put_num(c->detail, "evaluations", (double)c->ncounted, &e->rc);
    metric_put(c->detail, "roles", count, &e->rc);
    metric_put(c->detail, "missingRoles", missing, &e->rc);
    return all && c->ncounted > 0;
}

void metric_run_criterion(struct eval *e, struct tr_metric_criterion *c)
{
    int roles_ok = 1;
    switch (c->criterion->type) {
    case TR_CRITERION_ENTERPRISE_MONTHS:
        enterprise_months(e, c);
        break;
    case TR_CRITERION_TEACHING_HOURS:
        teaching_hours(e, c);
        break;
    case TR_CRITERION_ACTIVE_APPOINTMENT:
        appointments(e, c, appointment_one);
        break;
    case TR_CRITERION_SUPERVISION_RIGHTS:
        appointments(e, c, supervision_one);
        break;
    case TR_CRITERION_CREDITS_RECOGNISED:
        credits_recognised(e, c);
        break;
    case TR_CRITERION_CONTRIBUTION_POINTS:
        contribution_points(e, c);
        break;
    case TR_CRITERION_EVALUATIONS:
        roles_ok = evaluations(e, c);
        break;
    }
    c->met = roles_ok && c->value >= c->threshold;
}
