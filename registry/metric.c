/* metric.c — the metric engine: a policy applied to records (see talentreg/metric.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_file.h"
#include "talentreg/date.h"
#include "talentreg/diag.h"
#include "talentreg/metric.h"
#include "talentreg/schema.h"

/* FTEs are counted in millionths, so sums over days are exact integers. */
#define FTE_ONE 1000000

/* A record as the engine reads it. */
struct fact {
    const struct tr_metric_record *in;
    int kind;                 /* enum tr_kind, or -1 */
    const char *reason;       /* NULL: usable; else why every criterion leaves it out */
    char *own_reason;         /* the reason when the engine made it (owned) */
    const struct tr_json *cs; /* credentialSubject, when usable */
    int64_t from, until;      /* the period's days, when the kind has one */
};

struct eval {
    char subject[TR_URN_PERSON_MAX];
    struct fact *facts;
    size_t n;
    const struct fact **by_id; /* the facts, sorted by record id */
    int rc;                    /* sticky: TR_OK or TR_ENOMEM */
};

/* x rounded to 6 decimal places (magnitudes from 1e9 on are kept as they are). */
static double round6(double x)
{
    if (fabs(x) >= 1e9) {
        return x;
    }
    double r = round(x * 1e6) / 1e6;
    return r == 0 ? 0 : r; /* no -0 */
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* day shifted by years calendar years; 29 February of a common year becomes 28 February. */
static int64_t add_years(int64_t day, int years)
{
    int y, m, d;
    tr_date_to_civil(day, &y, &m, &d);
    y += years;
    int last = tr_date_days_in_month(y, m);
    return tr_date_from_civil(y, m, d < last ? d : last);
}

static int64_t clamp_day(int64_t d)
{
    return d < TR_DATE_MIN_DAY ? TR_DATE_MIN_DAY : d > TR_DATE_MAX_DAY ? TR_DATE_MAX_DAY : d;
}

/* 1 when d is a day that can be written, 0001-01-01 to 9999-12-31. */
static int writable_day(int64_t d)
{
    return d >= TR_DATE_MIN_DAY && d <= TR_DATE_MAX_DAY;
}

int tr_metric_window(const struct tr_window *w, int64_t as_of, struct tr_metric_span *out,
                     struct tr_error *err)
{
    if (w == NULL || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_metric_window: no window or no output");
    }
    if ((unsigned)w->type > TR_WINDOW_CYCLES) {
        return tr_error_set(err, TR_EINVAL, "no window type %d", (int)w->type);
    }
    if (!writable_day(as_of)) {
        return tr_error_set(err, TR_EINVAL,
                            "the as-of day %lld is not between 0001-01-01 and 9999-12-31",
                            (long long)as_of);
    }
    if ((w->type == TR_WINDOW_ROLLING || w->type == TR_WINDOW_CYCLES) &&
        (w->years < 1 || w->years > 100)) {
        return tr_error_set(err, TR_EINVAL, "a window's years must be between 1 and 100");
    }
    if (w->type == TR_WINDOW_CYCLES && !writable_day(w->anchor)) {
        return tr_error_set(err, TR_EINVAL,
                            "a window's anchor must be a day between 0001-01-01 and 9999-12-31");
    }
    memset(out, 0, sizeof *out);
    out->type = w->type;
    out->until = as_of;
    out->from = as_of;
    switch (w->type) {
    case TR_WINDOW_NONE:
        break;
    case TR_WINDOW_ALL:
        out->from = TR_DATE_MIN_DAY;
        break;
    case TR_WINDOW_ROLLING:
        out->years = w->years;
        out->from = clamp_day(add_years(as_of, -w->years) + 1);
        break;
    case TR_WINDOW_CYCLES: {
        int ay, y;
        tr_date_to_civil(w->anchor, &ay, NULL, NULL);
        tr_date_to_civil(as_of, &y, NULL, NULL);
        /* A first guess from the years, then the exact cycle (calendar years differ in length). */
        int k = (int)floor_div(y - ay, w->years);
        while (add_years(w->anchor, k * w->years) > as_of) {
            k--;
        }
        while (add_years(w->anchor, (k + 1) * w->years) <= as_of) {
            k++;
        }
        out->years = w->years;
        out->anchor = w->anchor;
        out->cycle_from = clamp_day(add_years(w->anchor, k * w->years));
        out->cycle_until = clamp_day(add_years(w->anchor, (k + 1) * w->years) - 1);
        out->from = out->cycle_from;
        break;
    }
    }
    return TR_OK;
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

/* The UTC day of a date-time member of the credential. */
static int64_t instant_day(const struct tr_json *credential, const char *key)
{
    const struct tr_json *v = tr_json_object_get(credential, key);
    int64_t s = 0;
    if (tr_json_is(v, TR_JSON_STRING)) {
        tr_date_parse_datetime(v->u.string.ptr, v->u.string.len, &s, NULL);
    }
    return floor_div(s, TR_SECONDS_PER_DAY);
}

/* What follows prefix in s, or s itself when it lacks the prefix. */
static const char *bare(const char *s, const char *prefix)
{
    const char *v = tr_ident_urn_value(s, prefix);
    return v != NULL ? v : s != NULL ? s : "";
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

/* ---- building results ---- */

/*
 * DAY(d) — day d as YYYY-MM-DD, for one message: the text lives in the temporary that
 * day_text returns, which lasts until the end of the full expression that holds the call.
 */
struct day_text {
    char s[TR_DATE_LEN + 1];
};

static struct day_text day_text(int64_t d)
{
    struct day_text t;
    tr_date_format(clamp_day(d), t.s);
    return t;
}
#define DAY(d) (day_text(d).s)

static void put(struct tr_json *obj, const char *key, struct tr_json *v, int *rc)
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

static void put_str(struct tr_json *obj, const char *key, const char *s, int *rc)
{
    put(obj, key, tr_json_new_cstr(s), rc);
}

static void put_num(struct tr_json *obj, const char *key, double x, int *rc)
{
    put(obj, key, tr_json_new_number(x), rc);
}

static void put_day(struct tr_json *obj, const char *key, int64_t d, int *rc)
{
    put_str(obj, key, DAY(d), rc);
}

static struct tr_json *new_object(int *rc)
{
    struct tr_json *o = *rc == TR_OK ? tr_json_new_object() : NULL;
    if (o == NULL) {
        *rc = TR_ENOMEM;
    }
    return o;
}

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

static void list_out(struct eval *e, struct tr_metric_entry **list, size_t *n, const struct fact *f,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void list_out(struct eval *e, struct tr_metric_entry **list, size_t *n, const struct fact *f,
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
        left_out(e, c, f, "%s %s, after the as-of date %s", what, DAY(from), DAY(w->until));
    } else {
        left_out(e, c, f, "%s %s, outside the window %s to %s", what, DAY(until), DAY(w->from),
                 DAY(w->until));
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
        struct tr_json *d = new_object(&e->rc);
        put_str(d, "form", str(p[i].f->cs, "form"), &e->rc);
        put_num(d, "fte", num(p[i].f->cs, "fte"), &e->rc);
        put_day(d, "from", p[i].from, &e->rc);
        put_day(d, "until", p[i].until, &e->rc);
        put_num(d, "days", (double)(p[i].until - p[i].from + 1), &e->rc);
        put_num(d, "fteDays", round6(share), &e->rc);
        counted(e, c, p[i].f, share / dpm, d);
    }
    free(p);
    c->value = round6((double)total / FTE_ONE / dpm);
    put_num(c->detail, "fteDays", round6((double)total / FTE_ONE), &e->rc);
    put_num(c->detail, "daysPerMonth", dpm, &e->rc);
}

/* ---- dual appointments: teaching_hours, active_appointment, supervision_rights ---- */

static void appointment_detail(struct eval *e, const struct fact *f, struct tr_json *d)
{
    put_str(d, "role", str(f->cs, "role"), &e->rc);
    put_day(d, "from", f->from, &e->rc);
    put_day(d, "until", f->until, &e->rc);
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
        struct tr_json *d = new_object(&e->rc);
        put_str(d, "role", str(f->cs, "role"), &e->rc);
        put_num(d, "hoursPerYear", hours->u.number.value, &e->rc);
        put_day(d, "from", from, &e->rc);
        put_day(d, "until", until, &e->rc);
        put_num(d, "days", days, &e->rc);
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
    put_num(c->detail, "windowDays", (double)(c->window.until - c->window.from + 1), &e->rc);
}

/* 1 when f is in force on the as-of day with an accepted role; else leaves it out. */
static int in_force(struct eval *e, struct tr_metric_criterion *c, const struct fact *f)
{
    int64_t as_of = c->window.until;
    int years = c->criterion->min_term_years;
    if (!contains(&c->criterion->roles, str(f->cs, "role"))) {
        left_out(e, c, f, "role '%s' not accepted", str(f->cs, "role"));
    } else if (f->from > as_of) {
        left_out(e, c, f, "begins %s, after the as-of date %s", DAY(f->from), DAY(as_of));
    } else if (f->until < as_of) {
        left_out(e, c, f, "ended %s, before the as-of date %s", DAY(f->until), DAY(as_of));
    } else if (years > 0 && f->until < add_years(f->from, years) - 1) {
        left_out(e, c, f, "its term %s to %s is shorter than %d years", DAY(f->from), DAY(f->until),
                 years);
    } else {
        return 1;
    }
    return 0;
}

static void appointment_one(struct eval *e, struct tr_metric_criterion *c, const struct fact *f)
{
    if (in_force(e, c, f)) {
        struct tr_json *d = new_object(&e->rc);
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
        struct tr_json *d = new_object(&e->rc);
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
    const char *id = bare(str(cs, key), TR_URN_RECORD);
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
        tr_buf_addf(&r, "decided %s, after the as-of date %s", DAY(out->decided), DAY(w->until));
        goto out;
    }
    if ((credit = referenced(e, f->cs, "credit", TR_KIND_CREDIT, "credit", &r)) == NULL) {
        goto out;
    }
    out->credit = credit;
    int64_t earned = date_of(credit->cs, "earnedOn");
    if (earned > w->until) {
        tr_buf_addf(&r, "credit %s was earned %s, after the as-of date %s", credit->in->id,
                    DAY(earned), DAY(w->until));
        goto out;
    }
    if (earned < w->from) {
        tr_buf_addf(&r, "credit %s was earned %s, outside the window %s to %s", credit->in->id,
                    DAY(earned), DAY(w->from), DAY(w->until));
        goto out;
    }
    agreement = referenced(e, f->cs, "agreement", TR_KIND_RECOGNITION_AGREEMENT, "agreement", &r);
    if (agreement == NULL) {
        goto out;
    }
    const char *aid = agreement->in->id;
    if (out->decided > agreement->until) {
        tr_buf_addf(&r, "agreement %s expired on %s, before the decision on %s", aid,
                    DAY(agreement->until), DAY(out->decided));
        goto out;
    }
    if (out->decided < agreement->from) {
        tr_buf_addf(&r, "agreement %s was not yet in force on %s (from %s)", aid, DAY(out->decided),
                    DAY(agreement->from));
        goto out;
    }
    const char *recogniser = tr_json_string(tr_json_object_get(f->in->credential, "issuer"));
    const char *issuer = tr_json_string(tr_json_object_get(credit->in->credential, "issuer"));
    if (!is_party(agreement->cs, recogniser)) {
        tr_buf_addf(&r, "recognised by %s, which is not a party of agreement %s",
                    bare(recogniser, TR_URN_ORG), aid);
        goto out;
    }
    if (!is_party(agreement->cs, issuer)) {
        tr_buf_addf(&r, "credit %s was issued by %s, which is not a party of agreement %s",
                    credit->in->id, bare(issuer, TR_URN_ORG), aid);
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
    struct tr_json *d = out->detail = new_object(rc);
    put_str(d, "credit", credit->in->id, rc);
    put_str(d, "agreement", aid, rc);
    put_str(d, "decision", decision, rc);
    put_day(d, "decidedOn", out->decided, rc);
    put_day(d, "earnedOn", earned, rc);
    put_num(d, "points", points, rc);
    put_str(d, "framework", framework, rc);
    put_num(d, "ratio", ratio, rc);
    put_num(d, "converted", round6(converted), rc);
    if (stated) {
        put_num(d, "stated", num(f->cs, "points"), rc);
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
    put_num(obj, framework, round6(points + (had != NULL ? had->u.number.value : 0)), rc);
}

static void credits_recognised(struct eval *e, struct tr_metric_criterion *c)
{
    const struct tr_metric_span *w = &c->window;
    struct recog *rg = calloc(e->n + 1, sizeof *rg);
    size_t *winner = calloc(e->n + 1, sizeof *winner); /* per credit: 1 + its recognition */
    int *named = calloc(e->n + 1, sizeof *named);
    struct tr_json *earned = new_object(&e->rc), *recognised = new_object(&e->rc);
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
    put_str(c->detail, "framework", c->criterion->framework, &e->rc);
    put(c->detail, "earned", earned, &e->rc);
    put(c->detail, "recognised", recognised, &e->rc);
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
        struct tr_json *d = new_object(&e->rc);
        put_str(d, "type", type, &e->rc);
        put_num(d, "value", value, &e->rc);
        put_str(d, "currency", pc->currency, &e->rc);
        put_num(d, "weight", weight->weight, &e->rc);
        put_num(d, "share", share, &e->rc);
        put_day(d, "achievedOn", on, &e->rc);
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
    put_num(c->detail, "valueUnit", pc->value_unit, &e->rc);
    put_str(c->detail, "currency", pc->currency, &e->rc);
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
        struct tr_json *d = new_object(&e->rc);
        put_str(d, "role", role, &e->rc);
        put_num(d, "score", round6(score_of(f->cs)), &e->rc);
        put_day(d, "evaluatedOn", on, &e->rc);
        counted(e, c, f, score_of(f->cs), d);
    }
}

/* Returns 1 when every required role has at least one counted evaluation. */
static int evaluations(struct eval *e, struct tr_metric_criterion *c)
{
    const struct tr_policy_strings *roles = &c->criterion->roles;
    struct tr_json *count = new_object(&e->rc), *missing = tr_json_new_array();
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
        put_num(count, roles->items[r], (double)k, &e->rc);
        if (k == 0) {
            all = 0;
            if (missing != NULL && e->rc == TR_OK &&
                tr_json_array_append(missing, tr_json_new_cstr(roles->items[r])) != TR_OK) {
                e->rc = TR_ENOMEM;
            }
        }
    }
    c->value = c->ncounted > 0 ? round6(sum / (double)c->ncounted) : 0;
    put_num(c->detail, "evaluations", (double)c->ncounted, &e->rc);
    put(c->detail, "roles", count, &e->rc);
    put(c->detail, "missingRoles", missing, &e->rc);
    return all && c->ncounted > 0;
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

static void run_criterion(struct eval *e, struct tr_metric_criterion *c)
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
    const char *about = str(f->cs, "id");
    if (ks->subject == SUBJECT_PERSON && strcmp(about, e->subject) != 0) {
        struct tr_buf b;
        tr_buf_init(&b);
        tr_buf_addf(&b, "about %s, not %s", bare(about, TR_URN_PERSON),
                    bare(e->subject, TR_URN_PERSON));
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
    const char *id = bare(opt->subject, TR_URN_PERSON);
    if (opt->subject == NULL || tr_ident_person_id_check(id, strlen(id), NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "the subject is not a person id");
    }
    snprintf(e->subject, sizeof e->subject, "%s%s", TR_URN_PERSON, id);
    if (!writable_day(opt->as_of)) {
        return tr_error_set(err, TR_EINVAL,
                            "the as-of day must be between 0001-01-01 and 9999-12-31");
    }
    if (opt->window != TR_WINDOW_NONE && opt->window != TR_WINDOW_ROLLING &&
        opt->window != TR_WINDOW_CYCLES) {
        return tr_error_set(err, TR_EINVAL, "a window override must be rolling or cycles");
    }
    if (opt->window == TR_WINDOW_CYCLES && !writable_day(opt->anchor)) {
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
        c->detail = new_object(&e.rc);
        run_criterion(&e, c);
        r->met &= c->met;
    }
    for (size_t i = 0; i < n && e.rc == TR_OK; i++) {
        if (e.facts[i].kind < 0) {
            list_out(&e, &r->excluded, &r->nexcluded, &e.facts[i], "%s", e.facts[i].reason);
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
    struct tr_json *o = new_object(rc);
    put_str(o, "type", tr_policy_window_type_name(w->type), rc);
    if (w->type == TR_WINDOW_ROLLING || w->type == TR_WINDOW_CYCLES) {
        put_num(o, "years", w->years, rc);
    }
    if (w->type == TR_WINDOW_CYCLES) {
        put_day(o, "anchor", w->anchor, rc);
        put_day(o, "cycleFrom", w->cycle_from, rc);
        put_day(o, "cycleUntil", w->cycle_until, rc);
    }
    if (w->type != TR_WINDOW_ALL) {
        put_day(o, "from", w->from, rc);
    }
    put_day(o, "until", w->until, rc);
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
        struct tr_json *o = new_object(rc);
        put_str(o, "record", x->id, rc);
        if (x->kind >= 0) {
            put_str(o, "kind", tr_schema_kind_name((enum tr_kind)x->kind), rc);
        }
        if (x->reason != NULL) {
            put_str(o, "reason", x->reason, rc);
        } else {
            put_num(o, "contribution", x->contribution, rc);
            put(o, "detail", tr_json_clone(x->detail), rc);
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
    struct tr_json *o = new_object(rc);
    put_str(o, "id", pc->id, rc);
    put_str(o, "type", tr_policy_criterion_type_name(pc->type), rc);
    put_str(o, "title", pc->title, rc);
    if (pc->basis != NULL) {
        put_str(o, "basis", pc->basis, rc);
    }
    put_str(o, "unit", units[pc->type], rc);
    put_num(o, "value", c->value, rc);
    put_num(o, "threshold", c->threshold, rc);
    put_str(o, "verdict", c->met ? "met" : "not_met", rc);
    put(o, "window", span_json(&c->window, rc), rc);
    put(o, "counted", entries_json(c->counted, c->ncounted, rc), rc);
    put(o, "excluded", entries_json(c->excluded, c->nexcluded, rc), rc);
    put(o, "detail", tr_json_clone(c->detail), rc);
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
    o = new_object(&rc);
    struct tr_json *policy = new_object(&rc);
    put_str(policy, "id", r->policy->id, &rc);
    put_num(policy, "version", r->policy->version, &rc);
    put_str(policy, "title", r->policy->title, &rc);
    put(policy, "example", tr_json_new_bool(r->policy->example), &rc);
    put(o, "policy", policy, &rc);
    put_str(o, "subject", r->subject, &rc);
    put_day(o, "asOf", r->as_of, &rc);
    put_str(o, "verdict", r->met ? "eligible" : "not_eligible", &rc);
    criteria = rc == TR_OK ? tr_json_new_array() : NULL;
    for (size_t i = 0; criteria != NULL && i < r->ncriteria && rc == TR_OK; i++) {
        struct tr_json *c = criterion_json(&r->criteria[i], &rc);
        if (rc == TR_OK && tr_json_array_append(criteria, c) != TR_OK) {
            rc = TR_ENOMEM;
        } else if (rc != TR_OK) {
            tr_json_free(c);
        }
    }
    put(o, "criteria", criteria, &rc);
    put(o, "excluded", entries_json(r->excluded, r->nexcluded, &rc), &rc);
    if (rc != TR_OK) {
        tr_json_free(o);
        return tr_error_set(err, rc, "cannot write the result: out of memory");
    }
    *out = o;
    return TR_OK;
}
