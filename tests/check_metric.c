/* check_metric.c — the metric engine: windows, enterprise months (against a per-day brute
 * force), teaching hours, appointments, credits through agreements, contribution points,
 * evaluations, records left out and why, and the JSON result. Every expected figure is
 * computed by hand in the comment beside it. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg.h"
#include "tr_test.h"

#define ORG_U "12350100488101234T" /* the home university */
#define ORG_E "91350900MA2Y8K3Q1U" /* an enterprise */
#define ORG_I "52350100MJD4C28059" /* a partner institute */
#define ORG_F "91350100MA31XR6T22" /* another enterprise */
#define ME "p-zhang-wei-1984"

static int64_t day(const char *s)
{
    int64_t d = 0;
    ck_assert_int_eq(tr_date_parse(s, strlen(s), &d, NULL), TR_OK);
    return d;
}

static const char *text_of(int64_t d)
{
    static char ring[8][TR_DATE_LEN + 1];
    static int next;
    char *out = ring[next++ % 8];
    ck_assert_int_eq(tr_date_format(d, out), TR_OK);
    return out;
}

/* Record id number n: 64 hex digits. */
static const char *rid(unsigned n)
{
    static char ring[16][TR_RECORD_ID_LEN + 1];
    static int next;
    char *out = ring[next++ % 16];
    snprintf(out, sizeof ring[0], "%064x", n);
    return out;
}

/* The credential of a YAML record, which must validate. */
static struct tr_json *cred(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct tr_json *cred(const char *fmt, ...)
{
    char text[4096];
    struct tr_json *doc = NULL, *out = NULL;
    struct tr_diag diag;
    struct tr_error err = {0};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    ck_assert_msg(tr_yaml_load(text, strlen(text), "r.yaml", NULL, &doc, &err) == TR_OK, "%s",
                  err.msg);
    tr_diag_init(&diag, "r.yaml");
    int rc = tr_schema_from_record(doc, NULL, &out, &diag);
    ck_assert_msg(rc == TR_OK, "%s", diag.len > 0 ? diag.items[0].msg : "?");
    tr_diag_release(&diag);
    tr_json_free(doc);
    return out;
}

static struct tr_json *placement_of(const char *who, const char *from, const char *until,
                                    const char *fte, const char *form)
{
    return cred("kind: EnterprisePlacement\nissuer: " ORG_E "\nsubject: %s\nvalidFrom: %s\n"
                "validUntil: %s\nhost: " ORG_E "\nhome: " ORG_U "\nfte: %s\nform: %s\n",
                who, from, until, fte, form);
}

static struct tr_json *placement(const char *from, const char *until, const char *fte,
                                 const char *form)
{
    return placement_of(ME, from, until, fte, form);
}

/* A dual appointment; duties is the YAML of the duties mapping's members, or "". */
static struct tr_json *appointment(const char *from, const char *until, const char *role,
                                   const char *duties)
{
    return cred("kind: DualAppointment\nissuer: " ORG_U "\nsubject: " ME "\nvalidFrom: %s\n"
                "validUntil: %s\nuniversity: " ORG_U "\nenterprise: " ORG_E "\nrole: %s\n%s",
                from, until, role, duties);
}

/* The records handed to the engine, and the credentials they hold. */
struct set {
    struct tr_metric_record r[64];
    struct tr_json *c[64];
    size_t n;
};

static void add_as(struct set *s, unsigned id, struct tr_json *c, const char *excluded)
{
    ck_assert_uint_lt(s->n, 64);
    s->c[s->n] = c;
    s->r[s->n] = (struct tr_metric_record){strdup(rid(id)), c, excluded};
    s->n++;
}

static void add(struct set *s, unsigned id, struct tr_json *c)
{
    add_as(s, id, c, NULL);
}

static void set_free(struct set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free((char *)s->r[i].id);
        tr_json_free(s->c[i]);
    }
    s->n = 0;
}

/* Free what a test made: the result, the records and the policy (each may be empty). */
static void done(struct tr_metric_result *r, struct set *s, struct tr_policy *p)
{
    tr_metric_result_free(r);
    set_free(s);
    tr_policy_free(p);
}

static struct tr_policy *preset(const char *id)
{
    struct tr_policy *p = NULL;
    struct tr_error err = {0};
    ck_assert_msg(tr_policy_load(id, &p, &err) == TR_OK, "%s", err.msg);
    return p;
}

/* A policy of one criterion, written after the common head. */
static struct tr_policy *policy_of(const char *criterion)
{
    char text[2048];
    struct tr_policy *p = NULL;
    struct tr_error err = {0};
    snprintf(text, sizeof text,
             "id: test\nversion: 1\ntitle: test\n"
             "source: [{title: t, issuer: i, issued: \"2024\"}]\ncriteria:\n%s",
             criterion);
    ck_assert_msg(tr_policy_parse(text, strlen(text), "t.yaml", &p, &err) == TR_OK, "%s", err.msg);
    return p;
}

static struct tr_metric_result *run_with(const struct tr_policy *p, const char *as_of,
                                         const struct set *s, enum tr_window_type window,
                                         const char *anchor)
{
    struct tr_metric_options opt = {ME, day(as_of), window, anchor != NULL ? day(anchor) : 0};
    struct tr_metric_result *r = NULL;
    struct tr_error err = {0};
    ck_assert_msg(tr_metric_evaluate(p, &opt, s->r, s->n, &r, &err) == TR_OK, "%s", err.msg);
    return r;
}

static struct tr_metric_result *run(const struct tr_policy *p, const char *as_of,
                                    const struct set *s)
{
    return run_with(p, as_of, s, TR_WINDOW_NONE, NULL);
}

/* The entry of record n in list; it must be there. */
static const struct tr_metric_entry *entry(const struct tr_metric_entry *list, size_t len,
                                           unsigned n)
{
    for (size_t i = 0; i < len; i++) {
        if (strcmp(list[i].id, rid(n)) == 0) {
            return &list[i];
        }
    }
    ck_abort_msg("record %u is not listed", n);
    return NULL;
}

static const struct tr_metric_entry *counted(const struct tr_metric_criterion *c, unsigned n)
{
    return entry(c->counted, c->ncounted, n);
}

static const char *reason(const struct tr_metric_criterion *c, unsigned n)
{
    return entry(c->excluded, c->nexcluded, n)->reason;
}

static double num(const struct tr_json *obj, const char *key)
{
    const struct tr_json *v = test_get(obj, key);
    ck_assert_int_eq(v->type, TR_JSON_NUMBER);
    return v->u.number.value;
}

/* ---- windows ---- */

static struct tr_metric_span span(enum tr_window_type type, int years, const char *anchor,
                                  const char *as_of)
{
    struct tr_window w = {type, years, anchor != NULL ? day(anchor) : 0};
    struct tr_metric_span s;
    struct tr_error err = {0};
    ck_assert_msg(tr_metric_window(&w, day(as_of), &s, &err) == TR_OK, "%s", err.msg);
    return s;
}

START_TEST(metric_rolling_windows_end_on_the_as_of_date)
{
    /* 2025-12-31 less 5 years is 2020-12-31; the window starts the day after. */
    struct tr_metric_span s = span(TR_WINDOW_ROLLING, 5, NULL, "2025-12-31");
    ck_assert_str_eq(text_of(s.from), "2021-01-01");
    ck_assert_str_eq(text_of(s.until), "2025-12-31");
    /* 2024-02-29 less a year: 2023 has no 29 February, so 28 February, and the window
     * starts on 2023-03-01: 306 days of 2023 + 31 + 29 of 2024 = 366 days. */
    s = span(TR_WINDOW_ROLLING, 1, NULL, "2024-02-29");
    ck_assert_str_eq(text_of(s.from), "2023-03-01");
    ck_assert_int_eq(s.until - s.from + 1, 366);
    /* 2025-02-28 less a year is 2024-02-28: the window starts on the leap day and holds
     * 2024-02-29 and 2024-03-01..2025-02-28 (365 days): 366 days. */
    s = span(TR_WINDOW_ROLLING, 1, NULL, "2025-02-28");
    ck_assert_str_eq(text_of(s.from), "2024-02-29");
    ck_assert_int_eq(s.until - s.from + 1, 366);
    /* 2028-02-29 less 4 years is 2024-02-29, which exists. */
    s = span(TR_WINDOW_ROLLING, 4, NULL, "2028-02-29");
    ck_assert_str_eq(text_of(s.from), "2024-03-01");
    /* Near the first day that can be written, the window is clamped to it. */
    s = span(TR_WINDOW_ROLLING, 5, NULL, "0003-06-01");
    ck_assert_str_eq(text_of(s.from), "0001-01-01");
    /* all: every day up to the as-of date; none: the as-of date alone. */
    s = span(TR_WINDOW_ALL, 0, NULL, "2025-12-31");
    ck_assert_int_eq(s.from, TR_DATE_MIN_DAY);
    s = span(TR_WINDOW_NONE, 0, NULL, "2025-12-31");
    ck_assert_int_eq(s.from, s.until);
}
END_TEST

START_TEST(metric_cycles_are_counted_from_their_anchor)
{
    /* Cycles of 5 years from 2016-05-11: 2016-05-11, 2021-05-11, 2026-05-11, ... */
    struct tr_metric_span s = span(TR_WINDOW_CYCLES, 5, "2016-05-11", "2025-12-31");
    ck_assert_str_eq(text_of(s.cycle_from), "2021-05-11");
    ck_assert_str_eq(text_of(s.cycle_until), "2026-05-10");
    ck_assert_str_eq(text_of(s.from), "2021-05-11");
    ck_assert_str_eq(text_of(s.until), "2025-12-31");
    /* The first day of a cycle starts it; the day before ends the one before. */
    s = span(TR_WINDOW_CYCLES, 5, "2016-05-11", "2021-05-11");
    ck_assert_int_eq(s.from, s.until);
    s = span(TR_WINDOW_CYCLES, 5, "2016-05-11", "2021-05-10");
    ck_assert_str_eq(text_of(s.cycle_from), "2016-05-11");
    /* Before the anchor the cycles run backwards: 2011-05-11 to 2016-05-10. */
    s = span(TR_WINDOW_CYCLES, 5, "2016-05-11", "2015-01-01");
    ck_assert_str_eq(text_of(s.cycle_from), "2011-05-11");
    ck_assert_str_eq(text_of(s.cycle_until), "2016-05-10");
    /* Anchor 2024-02-29, one year: 2025 has no 29 February, so its cycle starts on
     * 2025-02-28; the cycle of 2024 ends the day before, 2025-02-27. */
    s = span(TR_WINDOW_CYCLES, 1, "2024-02-29", "2025-02-27");
    ck_assert_str_eq(text_of(s.cycle_from), "2024-02-29");
    ck_assert_str_eq(text_of(s.cycle_until), "2025-02-27");
    s = span(TR_WINDOW_CYCLES, 1, "2024-02-29", "2025-03-01");
    ck_assert_str_eq(text_of(s.cycle_from), "2025-02-28");
    ck_assert_str_eq(text_of(s.cycle_until), "2026-02-27");
    /* Four years later 29 February exists again: 2028-02-29 to 2032-02-28. */
    s = span(TR_WINDOW_CYCLES, 4, "2024-02-29", "2028-03-01");
    ck_assert_str_eq(text_of(s.cycle_from), "2028-02-29");
    ck_assert_str_eq(text_of(s.cycle_until), "2032-02-28");
    /* An academic year from 1 September. */
    s = span(TR_WINDOW_CYCLES, 1, "2018-09-01", "2025-03-01");
    ck_assert_str_eq(text_of(s.cycle_from), "2024-09-01");
    ck_assert_str_eq(text_of(s.cycle_until), "2025-08-31");
}
END_TEST

START_TEST(metric_bad_windows_are_refused)
{
    struct tr_window w = {TR_WINDOW_ROLLING, 0, 0};
    struct tr_metric_span s;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_metric_window(&w, day("2025-01-01"), &s, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "a window's years must be between 1 and 100");
    w.years = 5;
    ck_assert_int_eq(tr_metric_window(&w, TR_DATE_MAX_DAY + 1, &s, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "the as-of day 2932897 is not between 0001-01-01 and 9999-12-31");
    w = (struct tr_window){TR_WINDOW_CYCLES, 5, TR_DATE_MIN_DAY - 1};
    ck_assert_int_eq(tr_metric_window(&w, day("2025-01-01"), &s, &err), TR_EINVAL);
    ck_assert_int_eq(tr_metric_window(NULL, 0, &s, &err), TR_EINVAL);
}
END_TEST

/* ---- enterprise_months ---- */

START_TEST(metric_overlapping_full_time_placements_count_once)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct set s = {0};
    add(&s, 1, placement("2023-01-01", "2023-03-31", "1", "post"));        /* 31+28+31 = 90 */
    add(&s, 2, placement("2023-03-01", "2023-05-30", "1", "rnd_project")); /* 31+30+30 = 91 */
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    /* Union 2023-01-01..2023-05-30 = 31 + 28 + 31 + 30 + 30 = 150 days, not 90 + 91 =
     * 181: 150 / 30 = 5 months. */
    ck_assert_double_eq(num(c->detail, "fteDays"), 150);
    ck_assert_double_eq(c->value, 5);
    ck_assert_double_eq(c->threshold, 6);
    ck_assert_int_eq(c->met, 0);
    ck_assert_int_eq(r->met, 0);
    /* March (31 days) is shared half and half: 1 gets 59 + 15.5 = 74.5 days, 2 gets
     * 15.5 + 30 + 30 = 75.5 days; 74.5 + 75.5 = 150. */
    ck_assert_uint_eq(c->ncounted, 2);
    ck_assert_double_eq(num(counted(c, 1)->detail, "fteDays"), 74.5);
    ck_assert_double_eq(counted(c, 1)->contribution, 2.483333); /* 74.5 / 30 */
    ck_assert_double_eq(counted(c, 2)->contribution, 2.516667); /* 75.5 / 30 */
    ck_assert_double_eq(num(counted(c, 2)->detail, "days"), 91);
    ck_assert_uint_eq(c->nexcluded, 0);
    done(r, &s, p);
}
END_TEST

START_TEST(metric_half_time_placements_add_up_to_the_cap)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct set s = {0};
    add(&s, 1, placement("2023-01-01", "2023-03-31", "0.5", "post"));     /* 90 days */
    add(&s, 2, placement("2023-03-01", "2023-04-29", "0.5", "training")); /* 31+29 = 60 */
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    /* In March 0.5 + 0.5 = 1, not over the cap: 0.5 * 90 + 0.5 * 60 = 75 FTE-days. */
    ck_assert_double_eq(num(c->detail, "fteDays"), 75);
    ck_assert_double_eq(c->value, 2.5);                    /* 75 / 30 */
    ck_assert_double_eq(counted(c, 1)->contribution, 1.5); /* 45 / 30 */
    ck_assert_double_eq(counted(c, 2)->contribution, 1);   /* 30 / 30 */
    done(r, &s, p);
}
END_TEST

START_TEST(metric_a_day_never_counts_more_than_full_time)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct set s = {0};
    add(&s, 1, placement("2023-04-01", "2023-04-30", "1", "post"));
    add(&s, 2, placement("2023-04-01", "2023-04-30", "0.5", "site_visit"));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    /* 30 days at 1 + 0.5 = 1.5, capped at 1: 30 FTE-days = 1 month. */
    ck_assert_double_eq(c->value, 1);
    /* Each keeps its proportion of the capped day: 1/1.5 and 0.5/1.5 of 30 days. */
    ck_assert_double_eq(num(counted(c, 1)->detail, "fteDays"), 20);
    ck_assert_double_eq(counted(c, 1)->contribution, 0.666667); /* 20 / 30 */
    ck_assert_double_eq(counted(c, 2)->contribution, 0.333333); /* 10 / 30 */
    done(r, &s, p);
}
END_TEST

START_TEST(metric_placements_are_clipped_to_the_window)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct set s = {0};
    add(&s, 1, placement("2020-12-01", "2021-01-30", "1", "post"));
    add(&s, 2, placement("2025-12-01", "2026-01-31", "1", "post"));
    add(&s, 3, placement("2015-01-01", "2015-12-31", "1", "post"));
    add(&s, 4, placement("2026-03-01", "2026-08-31", "1", "post"));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    /* The window is 2021-01-01..2025-12-31. 1 counts 2021-01-01..2021-01-30 = 30 days;
     * 2 counts 2025-12-01..2025-12-31 = 31 days; 61 / 30 months. */
    ck_assert_str_eq(text_of(c->window.from), "2021-01-01");
    ck_assert_double_eq(c->value, 2.033333);
    ck_assert_str_eq(test_str(counted(c, 1)->detail, "from"), "2021-01-01");
    ck_assert_str_eq(test_str(counted(c, 1)->detail, "until"), "2021-01-30");
    ck_assert_double_eq(counted(c, 1)->contribution, 1);
    ck_assert_str_eq(test_str(counted(c, 2)->detail, "until"), "2025-12-31");
    ck_assert_double_eq(counted(c, 2)->contribution, 1.033333); /* 31 / 30 */
    ck_assert_uint_eq(c->nexcluded, 2);
    ck_assert_str_eq(reason(c, 3), "ended 2015-12-31, outside the window 2021-01-01 to "
                                   "2025-12-31");
    /* The as-of date is before the period of 4. */
    ck_assert_str_eq(reason(c, 4), "begins 2026-03-01, after the as-of date 2025-12-31");
    ck_assert_double_eq(counted(c, 1)->contribution + counted(c, 2)->contribution, 2.033333);
    done(r, &s, p);
}
END_TEST

START_TEST(metric_leap_days_are_days)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct tr_policy *year = policy_of("  - id: m\n    type: enterprise_months\n    title: m\n"
                                       "    threshold: 1\n    window: {type: rolling, years: 1}\n"
                                       "    forms: [post]\n");
    struct set s = {0};
    add(&s, 1, placement("2024-02-01", "2024-03-01", "1", "post"));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    /* 29 days of February 2024 and 1 March: 30 days, one month exactly. */
    ck_assert_double_eq(r->criteria[0].value, 1);
    tr_metric_result_free(r);
    set_free(&s);

    add(&s, 1, placement("2023-02-15", "2023-03-15", "1", "post"));
    add(&s, 2, placement("2024-02-20", "2024-03-10", "1", "post"));
    r = run(year, "2024-02-29", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    /* Window 2023-03-01..2024-02-29. 1 counts 2023-03-01..03-15 = 15 days; 2 counts
     * 2024-02-20..02-29 = 10 days, the leap day included: 25 / 30 months. */
    ck_assert_double_eq(counted(c, 1)->contribution, 0.5);
    ck_assert_double_eq(num(counted(c, 2)->detail, "days"), 10);
    ck_assert_double_eq(c->value, 0.833333);
    tr_metric_result_free(r);
    set_free(&s);

    add(&s, 1, placement("2024-02-28", "2024-02-29", "1", "post"));
    r = run(year, "2025-02-28", &s);
    /* Window 2024-02-29..2025-02-28: only the leap day counts, 1 / 30 months. */
    ck_assert_double_eq(r->criteria[0].value, 0.033333);
    ck_assert_str_eq(test_str(counted(&r->criteria[0], 1)->detail, "from"), "2024-02-29");
    tr_metric_result_free(r);
    set_free(&s);
    tr_policy_free(year);
    tr_policy_free(p);
}
END_TEST

START_TEST(metric_a_half_time_year_is_six_months)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct set s = {0};
    add(&s, 1, placement("2024-01-01", "2024-12-31", "0.5", "rnd_project"));
    add(&s, 2, placement("2024-01-01", "2024-12-31", "0", "site_visit"));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    /* 366 days of 2024 at 0.5: 183 FTE-days = 6.1 months, at least 6. */
    ck_assert_double_eq(c->value, 6.1);
    ck_assert_int_eq(c->met, 1);
    ck_assert_int_eq(r->met, 1);
    ck_assert_str_eq(reason(c, 2), "its full-time equivalent is 0");
    done(r, &s, p);
}
END_TEST

START_TEST(metric_periods_are_whole_utc_days)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct set s = {0};
    add(&s, 1, placement("2024-03-01T23:59:59Z", "2024-03-02T00:00:00Z", "1", "post"));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    /* One second on each of two UTC days: both days count, 2 / 30 months. */
    ck_assert_double_eq(num(counted(&r->criteria[0], 1)->detail, "days"), 2);
    ck_assert_double_eq(r->criteria[0].value, 0.066667);
    done(r, &s, p);
}
END_TEST

START_TEST(metric_forms_outside_the_policy_are_left_out)
{
    struct tr_policy *p = preset("student-enterprise-immersion");
    struct set s = {0};
    add(&s, 1, placement("2023-09-01", "2024-06-30", "1", "rnd_project"));
    add(&s, 2, placement("2024-07-01", "2024-07-31", "1", "site_visit"));
    add(&s, 3, placement("2024-08-01", "2024-09-29", "0.5", "post"));
    struct tr_metric_result *r = run(p, "2025-06-30", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    /* 1: Sep 30 + Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 29 + Mar 31 + Apr 30 + May 31 +
     * Jun 30 = 304 days; 3: Aug 31 + Sep 29 = 60 days at 0.5 = 30; 334 / 30 months. */
    ck_assert_double_eq(c->value, 11.133333);
    ck_assert_int_eq(c->met, 0);
    ck_assert_str_eq(reason(c, 2), "form 'site_visit' not accepted");
    ck_assert_int_eq(c->window.type, TR_WINDOW_ALL);
    done(r, &s, p);
}
END_TEST

START_TEST(metric_the_caller_may_select_fixed_cycles)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct set s = {0};
    add(&s, 1, placement("2021-01-01", "2021-06-30", "1", "post"));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    /* Rolling: 2021-01-01..2025-12-31 holds all 31+28+31+30+31+30 = 181 days. */
    ck_assert_double_eq(r->criteria[0].value, 6.033333);
    ck_assert_int_eq(r->met, 1);
    tr_metric_result_free(r);
    r = run_with(p, "2025-12-31", &s, TR_WINDOW_CYCLES, "2016-05-11");
    const struct tr_metric_criterion *c = &r->criteria[0];
    /* Cycles from 2016-05-11: the cycle 2021-05-11..2026-05-10 holds 2021-05-11..06-30,
     * 21 + 30 = 51 days = 1.7 months; the policy's 5 years are kept. */
    ck_assert_int_eq(c->window.type, TR_WINDOW_CYCLES);
    ck_assert_int_eq(c->window.years, 5);
    ck_assert_str_eq(text_of(c->window.from), "2021-05-11");
    ck_assert_str_eq(text_of(c->window.cycle_until), "2026-05-10");
    ck_assert_double_eq(c->value, 1.7);
    ck_assert_int_eq(r->met, 0);
    done(r, &s, p);
}
END_TEST

/* A small deterministic generator (xorshift64). */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

START_TEST(metric_the_sweep_equals_the_per_day_definition)
{
    int64_t base = day("2016-01-01");
    for (int trial = 0; trial < 150; trial++) {
        char window[128], criterion[512];
        unsigned kind = rnd(3), years = 1 + rnd(6);
        if (kind == 0) {
            snprintf(window, sizeof window, "{type: all}");
        } else if (kind == 1) {
            snprintf(window, sizeof window, "{type: rolling, years: %u}", years);
        } else {
            snprintf(window, sizeof window, "{type: cycles, years: %u, anchor: %s}", years,
                     text_of(base + (int64_t)rnd(4000)));
        }
        snprintf(criterion, sizeof criterion,
                 "  - id: m\n    type: enterprise_months\n    title: m\n    threshold: 6\n"
                 "    daysPerMonth: 30\n    window: %s\n    forms: [post, rnd_project]\n",
                 window);
        struct tr_policy *p = policy_of(criterion);
        struct set s = {0};
        int64_t from[12], until[12], fte[12];
        unsigned n = 1 + rnd(12);
        for (unsigned i = 0; i < n; i++) {
            char f[16];
            from[i] = base + (int64_t)rnd(3600);
            until[i] = from[i] + (int64_t)rnd(i % 3 == 0 ? 40 : 900);
            fte[i] = 50000 * (int64_t)(1 + rnd(20)); /* 0.05 to 1 in millionths */
            snprintf(f, sizeof f, "%.2f", (double)fte[i] / 1e6);
            add(&s, i + 1, placement(text_of(from[i]), text_of(until[i]), f, "post"));
        }
        int64_t as_of = base + (int64_t)rnd(4000);
        struct tr_metric_result *r = run(p, text_of(as_of), &s);
        const struct tr_metric_criterion *c = &r->criteria[0];
        /* The definition: for each day of the window, the FTEs of the placements active
         * that day, summed and capped at 1; each placement's share in proportion. */
        int64_t lo = c->window.from > base ? c->window.from : base, total = 0;
        double share[12] = {0};
        for (int64_t d = lo; d <= c->window.until; d++) {
            int64_t sum = 0;
            for (unsigned i = 0; i < n; i++) {
                sum += from[i] <= d && d <= until[i] ? fte[i] : 0;
            }
            int64_t capped = sum < 1000000 ? sum : 1000000;
            total += capped;
            for (unsigned i = 0; i < n && sum > 0; i++) {
                share[i] += from[i] <= d && d <= until[i]
                                ? (double)fte[i] / 1e6 * ((double)capped / (double)sum)
                                : 0;
            }
        }
        ck_assert_int_eq(llround(num(c->detail, "fteDays") * 1e6), total);
        ck_assert_double_eq(c->value, round((double)total / 1e6 / 30 * 1e6) / 1e6);
        for (unsigned i = 0; i < n; i++) {
            if (share[i] > 0) {
                ck_assert_double_eq_tol(num(counted(c, i + 1)->detail, "fteDays"), share[i], 1e-6);
            }
        }
        ck_assert_uint_eq(c->ncounted + c->nexcluded, n);
        tr_metric_result_free(r);
        set_free(&s);
        tr_policy_free(p);
    }
}
END_TEST

/* ---- dual appointments ---- */

#define DUTIES_36 "duties:\n  teachingHoursPerYear: 36\n  supervisionRights: true\n"

START_TEST(metric_an_industrial_professor_meets_the_duties)
{
    struct tr_policy *p = preset("industrial-professor-duties");
    struct set s = {0};
    add(&s, 1, appointment("2024-09-01", "2028-08-31", "industrial_professor", DUTIES_36));
    struct tr_metric_result *r = run(p, "2025-03-01", &s);
    /* The appointment is in force; 2024-09-01..2028-08-31 is exactly 4 years. */
    ck_assert_double_eq(r->criteria[0].value, 1);
    ck_assert_int_eq(r->criteria[0].met, 1);
    /* The academic year 2024-09-01..2025-08-31 up to 2025-03-01: 30+31+30+31+31+28+1 =
     * 182 days, all covered: 36 * 182 / 182 = 36 hours a year. */
    const struct tr_metric_criterion *t = &r->criteria[1];
    ck_assert_str_eq(text_of(t->window.from), "2024-09-01");
    ck_assert_double_eq(num(t->detail, "windowDays"), 182);
    ck_assert_double_eq(t->value, 36);
    ck_assert_int_eq(t->met, 1);
    ck_assert_double_eq(r->criteria[2].value, 1);
    ck_assert_int_eq(r->met, 1);
    done(r, &s, p);
}
END_TEST

START_TEST(metric_teaching_hours_are_prorated_over_the_window)
{
    struct tr_policy *p =
        policy_of("  - id: t\n    type: teaching_hours\n    title: t\n    threshold: 36\n"
                  "    window: {type: rolling, years: 1}\n    roles: [industrial_professor]\n");
    struct set s = {0};
    add(&s, 1, appointment("2024-09-01", "2028-08-31", "industrial_professor", DUTIES_36));
    add(&s, 2,
        appointment("2023-01-01", "2024-06-30", "industrial_professor",
                    "duties:\n  teachingHoursPerYear: 24\n"));
    add(&s, 3, appointment("2024-01-01", "2024-12-31", "enterprise_mentor", DUTIES_36));
    add(&s, 4,
        appointment("2024-01-01", "2024-12-31", "industrial_professor", "workloadShare: 0.1\n"));
    struct tr_metric_result *r = run(p, "2024-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    /* Window 2024-01-01..2024-12-31 = 366 days. 1 covers Sep 30 + Oct 31 + Nov 30 +
     * Dec 31 = 122 days: 36 * 122 / 366 = 12. 2 covers 2024-01-01..06-30 = 182 days:
     * 24 * 182 / 366 = 11.934426... Together 23.934426 hours a year, under 36. */
    ck_assert_double_eq(counted(c, 1)->contribution, 12);
    ck_assert_double_eq(counted(c, 2)->contribution, 11.934426);
    ck_assert_double_eq(c->value, 23.934426);
    ck_assert_int_eq(c->met, 0);
    ck_assert_str_eq(reason(c, 3), "role 'enterprise_mentor' not accepted");
    ck_assert_str_eq(reason(c, 4), "no teaching hours recorded");
    done(r, &s, p);
}
END_TEST

START_TEST(metric_appointments_not_in_force_are_left_out)
{
    struct tr_policy *p = preset("industrial-professor-duties");
    struct set s = {0};
    add(&s, 1, appointment("2019-09-01", "2023-08-31", "industrial_professor", DUTIES_36));
    add(&s, 2, appointment("2024-09-01", "2026-08-31", "industrial_professor", DUTIES_36));
    add(&s, 3, appointment("2025-09-01", "2029-08-31", "industrial_professor", DUTIES_36));
    add(&s, 4,
        appointment("2024-09-01", "2028-08-31", "industrial_professor",
                    "duties:\n  supervisionRights: false\n"));
    add(&s, 5, appointment("2024-09-01", "2028-08-31", "co_supervisor", DUTIES_36));
    struct tr_metric_result *r = run(p, "2025-03-01", &s);
    const struct tr_metric_criterion *a = &r->criteria[0], *sup = &r->criteria[2];
    ck_assert_str_eq(reason(a, 1), "ended 2023-08-31, before the as-of date 2025-03-01");
    ck_assert_str_eq(reason(a, 2), "its term 2024-09-01 to 2026-08-31 is shorter than 4 years");
    ck_assert_str_eq(reason(a, 3), "begins 2025-09-01, after the as-of date 2025-03-01");
    ck_assert_str_eq(reason(a, 5), "role 'co_supervisor' not accepted");
    ck_assert_uint_eq(a->ncounted, 1); /* 4 only */
    ck_assert_str_eq(test_str(counted(a, 4)->detail, "role"), "industrial_professor");
    ck_assert_int_eq(a->met, 1);
    ck_assert_str_eq(reason(sup, 4), "supervision rights not granted");
    /* The term's length is the appointment criterion's rule, not this one's: 2 counts. */
    ck_assert_uint_eq(sup->ncounted, 1);
    ck_assert_str_eq(sup->counted[0].id, rid(2));
    ck_assert_int_eq(sup->met, 1);
    /* Teaching: 1 and 3 lie outside the academic year 2024-09-01..2025-03-01; 2 counts
     * 36 (its 182 days cover the window); 4 records no hours. */
    ck_assert_str_eq(reason(&r->criteria[1], 1), "ended 2023-08-31, outside the window "
                                                 "2024-09-01 to 2025-03-01");
    ck_assert_str_eq(reason(&r->criteria[1], 3), "begins 2025-09-01, after the as-of date "
                                                 "2025-03-01");
    ck_assert_double_eq(r->criteria[1].value, 36);
    ck_assert_int_eq(r->met, 1);
    tr_metric_result_free(r);
    set_free(&s);

    add(&s, 1,
        appointment("2024-09-01", "2028-08-31", "industrial_professor",
                    "duties:\n  teachingHoursPerYear: 36\n"));
    r = run(p, "2025-03-01", &s);
    ck_assert_str_eq(reason(&r->criteria[2], 1), "no supervision rights recorded");
    ck_assert_int_eq(r->criteria[2].met, 0);
    ck_assert_int_eq(r->met, 0);
    done(r, &s, p);
}
END_TEST

/* ---- credits_recognised ---- */

static struct tr_json *agreement(const char *from, const char *until, const char *ratios)
{
    return cred("kind: RecognitionAgreement\nissuer: " ORG_U "\nvalidFrom: %s\nvalidUntil: %s\n"
                "parties: [" ORG_U ", " ORG_I "]\ntitle: agreement\nframeworkRatios: %s\n",
                from, until, ratios);
}

static struct tr_json *credit(const char *issuer, const char *framework, const char *points,
                              const char *earned)
{
    return cred("kind: Credit\nissuer: %s\nsubject: " ME "\ncourse: a course\nframework: %s\n"
                "points: %s\nearnedOn: %s\n",
                issuer, framework, points, earned);
}

/* issuer recognises credit c under agreement a; extra is more YAML, or "". */
static struct tr_json *recognition(const char *issuer, unsigned c, unsigned a, const char *decision,
                                   const char *decided, const char *extra)
{
    return cred("kind: CreditRecognition\nissuer: %s\nsubject: " ME "\ncredit: %s\n"
                "agreement: %s\ndecision: %s\ndecidedOn: %s\n%s",
                issuer, rid(c), rid(a), decision, decided, extra);
}

#define RATIOS "[{from: ects, to: cn-credit, ratio: 0.5}, {from: cn-credit, to: ects, ratio: 2}]"

START_TEST(metric_credits_convert_through_an_agreement_in_force)
{
    struct tr_policy *p = preset("engineering-doctorate-credits");
    struct set s = {0};
    char msg[512];
    add(&s, 10, agreement("2024-09-01", "2029-08-31", RATIOS));
    add(&s, 11, agreement("2019-01-01", "2023-12-31", RATIOS));
    add(&s, 20, credit(ORG_I, "ects", "5", "2025-07-01"));
    add(&s, 21, credit(ORG_I, "ects", "10", "2023-06-30"));
    add(&s, 22, credit(ORG_I, "cn-credit", "3", "2025-06-30"));
    add(&s, 23, credit(ORG_I, "ects", "4", "2025-06-30"));
    add(&s, 24, credit(ORG_I, "uk-cats", "10", "2025-06-30"));
    add(&s, 30,
        recognition(ORG_U, 20, 10, "recognised", "2025-09-05",
                    "points: 2.5\nframework: cn-credit\n"));
    add(&s, 31, recognition(ORG_U, 21, 11, "recognised", "2024-03-01", ""));
    add(&s, 32, recognition(ORG_U, 21, 10, "recognised", "2024-10-01", ""));
    add(&s, 33,
        recognition(ORG_U, 22, 10, "partially_recognised", "2025-09-05",
                    "points: 2\nframework: cn-credit\n"));
    add(&s, 34, recognition(ORG_U, 20, 10, "recognised", "2025-10-01", ""));
    add(&s, 35, recognition(ORG_U, 24, 10, "rejected", "2025-09-05", ""));
    add(&s, 36, recognition(ORG_U, 24, 10, "recognised", "2025-09-05", ""));
    add(&s, 37, recognition(ORG_U, 22, 10, "recognised", "2026-01-10", ""));
    add(&s, 38, recognition(ORG_U, 99, 10, "recognised", "2025-09-05", ""));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    /* 30: 5 ects * 0.5 = 2.5 cn-credit (it states 2.5 too). */
    ck_assert_double_eq(counted(c, 30)->contribution, 2.5);
    ck_assert_double_eq(num(counted(c, 30)->detail, "ratio"), 0.5);
    ck_assert_str_eq(test_str(counted(c, 30)->detail, "agreement"), rid(10));
    /* 31: agreement 11 ended 2023-12-31, before the decision of 2024-03-01. */
    snprintf(msg, sizeof msg,
             "agreement %s expired on 2023-12-31, before the decision on "
             "2024-03-01",
             rid(11));
    ck_assert_str_eq(reason(c, 31), msg);
    /* 32: the same credit under agreement 10, in force on 2024-10-01: 10 * 0.5 = 5. */
    ck_assert_double_eq(counted(c, 32)->contribution, 5);
    /* 33: 3 cn-credit convert at 1 to 3, but the decision grants 2: 2 count. */
    ck_assert_double_eq(counted(c, 33)->contribution, 2);
    ck_assert_double_eq(num(counted(c, 33)->detail, "converted"), 3);
    ck_assert_double_eq(num(counted(c, 33)->detail, "stated"), 2);
    /* 34: credit 20 counts once, through the earlier recognition 30. */
    snprintf(msg, sizeof msg, "credit %s already counts through recognition %s", rid(20), rid(30));
    ck_assert_str_eq(reason(c, 34), msg);
    ck_assert_str_eq(reason(c, 35), "decision 'rejected' not accepted");
    snprintf(msg, sizeof msg, "agreement %s has no ratio from uk-cats to cn-credit", rid(10));
    ck_assert_str_eq(reason(c, 36), msg);
    ck_assert_str_eq(reason(c, 37), "decided 2026-01-10, after the as-of date 2025-12-31");
    snprintf(msg, sizeof msg, "credit %s is not among the records given", rid(99));
    ck_assert_str_eq(reason(c, 38), msg);
    /* Credits: 23 is named by no recognition; 24 only by ones that do not count. */
    ck_assert_str_eq(reason(c, 23), "not recognised: no recognition names it");
    ck_assert_str_eq(reason(c, 24), "not recognised: no recognition of it counts");
    /* 2.5 + 5 + 2 = 9.5 cn-credit, under 16. */
    ck_assert_double_eq(c->value, 9.5);
    ck_assert_int_eq(c->met, 0);
    ck_assert_uint_eq(c->ncounted, 3);
    ck_assert_uint_eq(c->nexcluded, 8);
    /* Earned by 2025-12-31: ects 5 + 10 + 4 = 19, cn-credit 3, uk-cats 10; recognised
     * (in their own framework): ects 5 + 10 = 15, cn-credit 3. */
    const struct tr_json *earned = test_get(c->detail, "earned");
    ck_assert_double_eq(num(earned, "ects"), 19);
    ck_assert_double_eq(num(earned, "cn-credit"), 3);
    ck_assert_double_eq(num(earned, "uk-cats"), 10);
    const struct tr_json *rec = test_get(c->detail, "recognised");
    ck_assert_double_eq(num(rec, "ects"), 15);
    ck_assert_double_eq(num(rec, "cn-credit"), 3);
    ck_assert_uint_eq(rec->u.object.len, 2);
    ck_assert_str_eq(test_str(c->detail, "framework"), "cn-credit");
    done(r, &s, p);
}
END_TEST

START_TEST(metric_recognitions_need_the_agreement_and_its_parties)
{
    struct tr_policy *p = preset("engineering-doctorate-credits");
    struct set s = {0};
    char msg[512];
    add(&s, 10, agreement("2024-09-01", "2029-08-31", RATIOS));
    add_as(&s, 12, agreement("2024-09-01", "2029-08-31", RATIOS),
           "key-revoked: the key was "
           "revoked at log index 7");
    add(&s, 20, credit(ORG_I, "ects", "5", "2025-07-01"));
    add(&s, 21, credit(ORG_F, "ects", "5", "2025-07-01"));
    add(&s, 30, recognition(ORG_U, 20, 10, "recognised", "2024-08-31", ""));
    add(&s, 31, recognition(ORG_U, 20, 12, "recognised", "2025-09-01", ""));
    add(&s, 32, recognition(ORG_F, 20, 10, "recognised", "2025-09-01", ""));
    add(&s, 33, recognition(ORG_U, 21, 10, "recognised", "2025-09-01", ""));
    add(&s, 34, recognition(ORG_U, 10, 20, "recognised", "2025-09-01", ""));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    snprintf(msg, sizeof msg, "agreement %s was not yet in force on 2024-08-31 (from 2024-09-01)",
             rid(10));
    ck_assert_str_eq(reason(c, 30), msg);
    snprintf(msg, sizeof msg,
             "agreement %s does not count: key-revoked: the key was revoked "
             "at log index 7",
             rid(12));
    ck_assert_str_eq(reason(c, 31), msg);
    snprintf(msg, sizeof msg, "recognised by " ORG_F ", which is not a party of agreement %s",
             rid(10));
    ck_assert_str_eq(reason(c, 32), msg);
    snprintf(msg, sizeof msg,
             "credit %s was issued by " ORG_F ", which is not a party of "
             "agreement %s",
             rid(21), rid(10));
    ck_assert_str_eq(reason(c, 33), msg);
    snprintf(msg, sizeof msg, "record %s is not a Credit", rid(10));
    ck_assert_str_eq(reason(c, 34), msg);
    ck_assert_double_eq(c->value, 0);
    ck_assert_uint_eq(c->ncounted, 0);
    done(r, &s, p);
}
END_TEST

/* ---- contribution_points ---- */

static struct tr_json *contribution(const char *type, const char *value, const char *currency,
                                    const char *share, const char *on)
{
    char extra[128] = "";
    if (value != NULL) {
        snprintf(extra, sizeof extra, "value: %s\n%s%s%s", value,
                 currency != NULL ? "currency: " : "", currency != NULL ? currency : "",
                 currency != NULL ? "\n" : "");
    }
    return cred("kind: Contribution\nissuer: " ORG_U "\nsubject: " ME "\ncontributionType: %s\n"
                "title: a contribution\nshare: %s\nachievedOn: %s\n%s",
                type, share, on, extra);
}

START_TEST(metric_contribution_points_weigh_value_and_share)
{
    struct tr_policy *p = preset("title-associate-professor-example");
    struct set s = {0};
    add(&s, 1, contribution("patent_transfer", "500000", "CNY", "0.5", "2023-05-01"));
    add(&s, 2, contribution("tech_contract", "200000", "CNY", "1", "2024-01-15"));
    add(&s, 3, contribution("commission_income", "100000", NULL, "0.2", "2025-02-01"));
    add(&s, 4, contribution("product", NULL, NULL, "1", "2025-02-01"));
    add(&s, 5, contribution("standard", "300000", "USD", "1", "2025-02-01"));
    add(&s, 6, contribution("patent_transfer", "900000", "CNY", "1", "2019-06-01"));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[1];
    /* Points = value / 10000 CNY * weight * share. */
    ck_assert_double_eq(counted(c, 1)->contribution, 25); /* 50 * 1.0 * 0.5 */
    ck_assert_double_eq(counted(c, 2)->contribution, 16); /* 20 * 0.8 * 1 */
    ck_assert_double_eq(counted(c, 3)->contribution, 1);  /* 10 * 0.5 * 0.2, CNY taken */
    ck_assert_str_eq(reason(c, 4), "it states no value");
    ck_assert_str_eq(reason(c, 5), "its value is in USD, not CNY");
    ck_assert_str_eq(reason(c, 6), "achieved 2019-06-01, outside the window 2021-01-01 to "
                                   "2025-12-31");
    ck_assert_double_eq(c->value, 42); /* 25 + 16 + 1 */
    ck_assert_int_eq(c->met, 1);
    ck_assert_double_eq(num(counted(c, 1)->detail, "weight"), 1);
    ck_assert_double_eq(num(counted(c, 1)->detail, "share"), 0.5);
    done(r, &s, p);

    p = policy_of("  - id: c\n    type: contribution_points\n    title: c\n    threshold: 1\n"
                  "    weights: {patent_transfer: 2}\n");
    add(&s, 1, contribution("tech_contract", "200000", "CNY", "1", "2024-01-15"));
    add(&s, 2, contribution("patent_transfer", "3", "CNY", "0.5", "2024-01-15"));
    r = run(p, "2025-12-31", &s);
    ck_assert_str_eq(reason(&r->criteria[0], 1), "type 'tech_contract' has no weight in this "
                                                 "policy");
    ck_assert_double_eq(r->criteria[0].value, 3); /* 3 / 1 * 2 * 0.5 */
    done(r, &s, p);
}
END_TEST

/* ---- evaluations ---- */

static struct tr_json *evaluation(const char *role, const char *scores, const char *on)
{
    return cred("kind: Evaluation\nissuer: \"113500000035912489\"\nsubject: " ME "\n"
                "validFrom: 2020-01-01\nvalidUntil: 2024-12-31\nevaluatorRole: %s\n"
                "evaluatedOn: %s\n%s",
                role, on, scores);
}

START_TEST(metric_evaluations_need_every_role_and_the_average)
{
    struct tr_policy *p = preset("title-associate-professor-example");
    struct set s = {0};
    add(&s, 1,
        evaluation("skill_master", "dimensions: [{name: a, score: 88}]\noverallScore: 88.3\n",
                   "2025-03-18"));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[2];
    /* Only a skill master: the average 88.3 is above 80, but no academic leader. */
    ck_assert_double_eq(c->value, 88.3);
    ck_assert_int_eq(c->met, 0);
    ck_assert_double_eq(num(test_get(c->detail, "roles"), "skill_master"), 1);
    ck_assert_double_eq(num(test_get(c->detail, "roles"), "academic_leader"), 0);
    const struct tr_json *missing = test_get(c->detail, "missingRoles");
    ck_assert_uint_eq(missing->u.array.len, 1);
    ck_assert_str_eq(tr_json_string(missing->u.array.items[0]), "academic_leader");
    tr_metric_result_free(r);

    add(&s, 2,
        evaluation("academic_leader",
                   "dimensions:\n  - {name: a, score: 86, weight: 0.4}\n"
                   "  - {name: b, score: 93, weight: 0.4}\n"
                   "  - {name: c, score: 84, weight: 0.2}\n",
                   "2025-03-20"));
    add(&s, 3,
        evaluation("skill_master", "dimensions: [{name: a, score: 80}, {name: b, score: 90}]\n",
                   "2025-04-01"));
    add(&s, 4, evaluation("academic_leader", "dimensions: [{name: a, score: 10}]\n", "2026-02-01"));
    r = run(p, "2025-12-31", &s);
    c = &r->criteria[2];
    /* 2 has no overall score: 86 * 0.4 + 93 * 0.4 + 84 * 0.2 = 34.4 + 37.2 + 16.8 = 88.4.
     * 3 has no weights: (80 + 90) / 2 = 85. Average (88.3 + 88.4 + 85) / 3 = 87.233333. */
    ck_assert_double_eq(counted(c, 2)->contribution, 88.4);
    ck_assert_double_eq(counted(c, 3)->contribution, 85);
    ck_assert_double_eq(c->value, 87.233333);
    ck_assert_int_eq(c->met, 1);
    ck_assert_str_eq(reason(c, 4), "evaluated 2026-02-01, after the as-of date 2025-12-31");
    ck_assert_uint_eq(test_get(c->detail, "missingRoles")->u.array.len, 0);
    done(r, &s, p);

    p = policy_of("  - id: e\n    type: evaluations\n    title: e\n    threshold: 60\n"
                  "    roles: [academic_leader]\n");
    add(&s, 1, evaluation("skill_master", "dimensions: [{name: a, score: 70}]\n", "2025-03-18"));
    r = run(p, "2025-12-31", &s);
    ck_assert_str_eq(reason(&r->criteria[0], 1), "evaluator role 'skill_master' not accepted");
    ck_assert_double_eq(r->criteria[0].value, 0); /* no evaluation counts */
    ck_assert_int_eq(r->criteria[0].met, 0);
    done(r, &s, p);
}
END_TEST

/* ---- records left out before any criterion ---- */

START_TEST(metric_records_that_do_not_count_are_listed_with_the_reason)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct set s = {0};
    struct tr_json *bad = placement("2024-01-01", "2024-01-30", "1", "post");
    tr_json_object_set(tr_json_object_get(bad, "credentialSubject"), "fte", tr_json_new_number(2));
    add(&s, 1, placement("2024-01-01", "2024-01-30", "1", "post"));
    add(&s, 2, placement_of("p-li-na-1999", "2024-01-01", "2024-12-31", "1", "post"));
    add_as(&s, 3, placement("2024-01-01", "2024-12-31", "1", "post"), "revoked: withdrawn");
    add_as(&s, 4, NULL, "not-found: no such record in the log");
    add(&s, 5, bad);
    add(&s, 6,
        cred("kind: Person\nissuer: " ORG_U "\nsubject: " ME "\nname: 张伟\n"
             "categories: [teacher]\nhome: " ORG_U "\n"));
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    const struct tr_metric_criterion *c = &r->criteria[0];
    ck_assert_double_eq(c->value, 1); /* 1 alone: 30 days */
    ck_assert_str_eq(reason(c, 2), "about p-li-na-1999, not p-zhang-wei-1984");
    ck_assert_str_eq(reason(c, 3), "revoked: withdrawn");
    ck_assert_str_eq(reason(c, 5), "does not validate: field 'credentialSubject.fte' must be "
                                   "between 0 and 1");
    ck_assert_int_eq(entry(c->excluded, c->nexcluded, 5)->kind, TR_KIND_ENTERPRISE_PLACEMENT);
    ck_assert_uint_eq(c->nexcluded, 3); /* the Person record is read by no criterion */
    /* Of an unknown kind: listed once, for the whole result. */
    ck_assert_uint_eq(r->nexcluded, 1);
    ck_assert_str_eq(r->excluded[0].id, rid(4));
    ck_assert_int_eq(r->excluded[0].kind, -1);
    ck_assert_str_eq(r->excluded[0].reason, "not-found: no such record in the log");
    done(r, &s, p);
}
END_TEST

START_TEST(metric_invalid_arguments_are_refused)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct tr_metric_options opt = {"urn:talentreg:person:" ME, day("2025-12-31"), TR_WINDOW_NONE,
                                    0};
    struct tr_metric_result *r = NULL;
    struct tr_error err = {0};
    struct set s = {0};
    char msg[256];
    /* The subject may be written as its URN. */
    ck_assert_int_eq(tr_metric_evaluate(p, &opt, NULL, 0, &r, &err), TR_OK);
    ck_assert_str_eq(r->subject, "urn:talentreg:person:" ME);
    ck_assert_int_eq(r->met, 0);
    tr_metric_result_free(r);
    add(&s, 1, placement("2024-01-01", "2024-01-30", "1", "post"));
    add(&s, 1, placement("2024-02-01", "2024-02-20", "1", "post"));
    ck_assert_int_eq(tr_metric_evaluate(p, &opt, s.r, s.n, &r, &err), TR_EINVAL);
    snprintf(msg, sizeof msg, "record %s is given twice", rid(1));
    ck_assert_str_eq(err.msg, msg);
    ck_assert_ptr_null(r);
    free((char *)s.r[1].id);
    s.r[1].id = strdup("not-an-id");
    ck_assert_int_eq(tr_metric_evaluate(p, &opt, s.r, s.n, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "record 1 has no valid record id");
    s.r[1].credential = NULL;
    free((char *)s.r[1].id);
    s.r[1].id = strdup(rid(2));
    ck_assert_int_eq(tr_metric_evaluate(p, &opt, s.r, s.n, &r, &err), TR_EINVAL);
    snprintf(msg, sizeof msg, "record %s has no credential", rid(2));
    ck_assert_str_eq(err.msg, msg);
    opt.subject = "zhang-wei";
    ck_assert_int_eq(tr_metric_evaluate(p, &opt, NULL, 0, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "the subject is not a person id");
    opt.subject = ME;
    opt.window = TR_WINDOW_CYCLES;
    opt.anchor = TR_DATE_MAX_DAY + 1;
    ck_assert_int_eq(tr_metric_evaluate(p, &opt, NULL, 0, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "cycles need an anchor day between 0001-01-01 and 9999-12-31");
    opt.window = TR_WINDOW_ALL;
    ck_assert_int_eq(tr_metric_evaluate(p, &opt, NULL, 0, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "a window override must be rolling or cycles");
    opt.window = TR_WINDOW_NONE;
    opt.as_of = TR_DATE_MIN_DAY - 1;
    ck_assert_int_eq(tr_metric_evaluate(p, &opt, NULL, 0, &r, &err), TR_EINVAL);
    ck_assert_int_eq(tr_metric_evaluate(NULL, &opt, NULL, 0, &r, &err), TR_EINVAL);
    ck_assert_int_eq(tr_metric_result_json(NULL, NULL, &err), TR_EINVAL);
    tr_metric_result_free(NULL);
    set_free(&s);
    tr_policy_free(p);
}
END_TEST

/* ---- JSON ---- */

START_TEST(metric_the_json_result_has_stable_names)
{
    struct tr_policy *p = preset("cn-vocational-teacher-practice-2016");
    struct set s = {0};
    struct tr_json *json = NULL;
    struct tr_buf b;
    add(&s, 1, placement("2024-01-01", "2024-06-28", "1", "post"));
    add(&s, 2, placement("2026-01-01", "2026-01-31", "1", "post"));
    add_as(&s, 3, NULL, "not-found: no such record");
    struct tr_metric_result *r = run(p, "2025-12-31", &s);
    ck_assert_int_eq(tr_metric_result_json(r, &json, NULL), TR_OK);
    tr_buf_init(&b);
    ck_assert_int_eq(tr_json_write(json, TR_JSON_COMPACT, &b, NULL), TR_OK);
    /* 2024-01-01..2024-06-28 is 31 + 29 + 31 + 30 + 31 + 28 = 180 days: 6 months, met. */
    char expect[4096];
    snprintf(expect, sizeof expect,
             "{\"policy\":{\"id\":\"cn-vocational-teacher-practice-2016\",\"version\":1,"
             "\"title\":\"%s\",\"example\":false},"
             "\"subject\":\"urn:talentreg:person:" ME "\",\"asOf\":\"2025-12-31\","
             "\"verdict\":\"eligible\",\"criteria\":[{\"id\":\"enterprise-practice\","
             "\"type\":\"enterprise_months\",\"title\":\"%s\",\"basis\":\"%s\","
             "\"unit\":\"months\",\"value\":6,\"threshold\":6,\"verdict\":\"met\","
             "\"window\":{\"type\":\"rolling\",\"years\":5,\"from\":\"2021-01-01\","
             "\"until\":\"2025-12-31\"},"
             "\"counted\":[{\"record\":\"%s\",\"kind\":\"EnterprisePlacement\","
             "\"contribution\":6,\"detail\":{\"form\":\"post\",\"fte\":1,"
             "\"from\":\"2024-01-01\",\"until\":\"2024-06-28\",\"days\":180,"
             "\"fteDays\":180}}],"
             "\"excluded\":[{\"record\":\"%s\",\"kind\":\"EnterprisePlacement\","
             "\"reason\":\"begins 2026-01-01, after the as-of date 2025-12-31\"}],"
             "\"detail\":{\"fteDays\":180,\"daysPerMonth\":30}}],"
             "\"excluded\":[{\"record\":\"%s\",\"reason\":\"not-found: no such record\"}]}",
             p->title, p->criteria[0].title, p->criteria[0].basis, rid(1), rid(2), rid(3));
    ck_assert_str_eq(b.data, expect);
    tr_buf_release(&b);
    tr_json_free(json);
    done(r, &s, p);
}
END_TEST

START_TEST(metric_json_windows_name_their_cycle)
{
    struct tr_policy *p = preset("industrial-professor-duties");
    struct set s = {0};
    struct tr_json *json = NULL;
    struct tr_buf b;
    struct tr_metric_result *r = run(p, "2025-03-01", &s);
    ck_assert_int_eq(tr_metric_result_json(r, &json, NULL), TR_OK);
    tr_buf_init(&b);
    const struct tr_json *criteria = test_get(json, "criteria");
    ck_assert_int_eq(
        tr_json_write(test_get(criteria->u.array.items[1], "window"), TR_JSON_COMPACT, &b, NULL),
        TR_OK);
    ck_assert_str_eq(b.data, "{\"type\":\"cycles\",\"years\":1,\"anchor\":\"2018-09-01\","
                             "\"cycleFrom\":\"2024-09-01\",\"cycleUntil\":\"2025-08-31\","
                             "\"from\":\"2024-09-01\",\"until\":\"2025-03-01\"}");
    tr_buf_reset(&b);
    ck_assert_int_eq(
        tr_json_write(test_get(criteria->u.array.items[0], "window"), TR_JSON_COMPACT, &b, NULL),
        TR_OK);
    ck_assert_str_eq(b.data, "{\"type\":\"none\",\"from\":\"2025-03-01\",\"until\":"
                             "\"2025-03-01\"}");
    ck_assert_str_eq(test_str(json, "verdict"), "not_eligible");
    ck_assert_str_eq(test_str(criteria->u.array.items[1], "unit"), "hours a year");
    tr_buf_release(&b);
    tr_json_free(json);
    tr_metric_result_free(r);
    tr_policy_free(p);
}
END_TEST

Suite *metric_suite(void)
{
    Suite *s = suite_create("metric");
    TCase *tc = tcase_create("metric");
    tcase_add_test(tc, metric_rolling_windows_end_on_the_as_of_date);
    tcase_add_test(tc, metric_cycles_are_counted_from_their_anchor);
    tcase_add_test(tc, metric_bad_windows_are_refused);
    tcase_add_test(tc, metric_overlapping_full_time_placements_count_once);
    tcase_add_test(tc, metric_half_time_placements_add_up_to_the_cap);
    tcase_add_test(tc, metric_a_day_never_counts_more_than_full_time);
    tcase_add_test(tc, metric_placements_are_clipped_to_the_window);
    tcase_add_test(tc, metric_leap_days_are_days);
    tcase_add_test(tc, metric_a_half_time_year_is_six_months);
    tcase_add_test(tc, metric_periods_are_whole_utc_days);
    tcase_add_test(tc, metric_forms_outside_the_policy_are_left_out);
    tcase_add_test(tc, metric_the_caller_may_select_fixed_cycles);
    tcase_add_test(tc, metric_the_sweep_equals_the_per_day_definition);
    tcase_add_test(tc, metric_an_industrial_professor_meets_the_duties);
    tcase_add_test(tc, metric_teaching_hours_are_prorated_over_the_window);
    tcase_add_test(tc, metric_appointments_not_in_force_are_left_out);
    tcase_add_test(tc, metric_credits_convert_through_an_agreement_in_force);
    tcase_add_test(tc, metric_recognitions_need_the_agreement_and_its_parties);
    tcase_add_test(tc, metric_contribution_points_weigh_value_and_share);
    tcase_add_test(tc, metric_evaluations_need_every_role_and_the_average);
    tcase_add_test(tc, metric_records_that_do_not_count_are_listed_with_the_reason);
    tcase_add_test(tc, metric_invalid_arguments_are_refused);
    tcase_add_test(tc, metric_the_json_result_has_stable_names);
    tcase_add_test(tc, metric_json_windows_name_their_cycle);
    suite_add_tcase(s, tc);
    return s;
}
