/*
 * metric_impl.h — what the files of the metric engine share (internal to registry/metric*.c;
 * not part of the library API; talentreg/metric.h is the engine's contract).
 *
 * metric.c reads the records into facts, runs the criteria and writes the result as JSON;
 * metric_window.c resolves a policy window against an as-of day; metric_criteria.c computes
 * each criterion from the facts.
 */
#ifndef TALENTREG_METRIC_IMPL_H
#define TALENTREG_METRIC_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "talentreg/date.h"
#include "talentreg/json.h"
#include "talentreg/metric.h"

/* A record as the engine reads it. */
struct fact {
    const struct tr_metric_record *in;
    int kind;                 /* enum tr_kind, or -1 */
    const char *reason;       /* NULL: usable; else why every criterion leaves it out */
    char *own_reason;         /* the reason when the engine made it (owned) */
    const struct tr_json *cs; /* credentialSubject, when usable */
    int64_t from, until;      /* the period's days, when the kind has one */
};

/* One evaluation: the subject and its facts. */
struct eval {
    char subject[TR_URN_PERSON_MAX];
    struct fact *facts;
    size_t n;
    const struct fact **by_id; /* the facts, sorted by record id */
    int rc;                    /* sticky: TR_OK or TR_ENOMEM */
};

/* ---- metric_window.c: day arithmetic ---- */

/* a / b rounded towards minus infinity (b != 0). */
int64_t metric_floor_div(int64_t a, int64_t b);

/* day shifted by years calendar years; 29 February of a common year becomes 28 February. */
int64_t metric_add_years(int64_t day, int years);

/* d brought into 0001-01-01 .. 9999-12-31. */
int64_t metric_clamp_day(int64_t d);

/* 1 when d is a day that can be written, 0001-01-01 to 9999-12-31; else 0. */
int metric_writable_day(int64_t d);

/* ---- metric.c: reading credentials and building the result trees ---- */

/* What follows prefix in s, or s itself when it lacks the prefix ("" when s is NULL). */
const char *metric_bare(const char *s, const char *prefix);

/*
 * METRIC_DAY(d) — day d as YYYY-MM-DD, for one message: the text lives in the temporary that
 * metric_day_text returns, which lasts until the end of the full expression that holds the
 * call. Days outside the writable range are clamped to it.
 */
struct metric_day_text {
    char s[TR_DATE_LEN + 1];
};
struct metric_day_text metric_day_text(int64_t d);
#define METRIC_DAY(d) (metric_day_text(d).s)

/*
 * obj[key] = v unless *rc holds an error (sticky). Takes v in every case; v NULL means out
 * of memory and sets TR_ENOMEM. obj NULL (a failed allocation already in *rc) is a no-op.
 */
void metric_put(struct tr_json *obj, const char *key, struct tr_json *v, int *rc);

/* obj[key] = the string s, the number x, the day d as YYYY-MM-DD; as metric_put. */
void metric_put_str(struct tr_json *obj, const char *key, const char *s, int *rc);
void metric_put_num(struct tr_json *obj, const char *key, double x, int *rc);
void metric_put_day(struct tr_json *obj, const char *key, int64_t d, int *rc);

/* A new empty object (the caller owns it), or NULL when *rc holds an error or it cannot be
 * allocated (then *rc is TR_ENOMEM). */
struct tr_json *metric_new_object(int *rc);

/* ---- metric_criteria.c: the criteria ---- */

/*
 * Append to the list *list of *n entries one for fact f, left out for the reason fmt ...
 * The list grows as needed (the caller frees it, with each entry's reason). Out of memory
 * sets e->rc; a no-op once e->rc holds an error.
 */
void metric_list_out(struct eval *e, struct tr_metric_entry **list, size_t *n, const struct fact *f,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Compute criterion c (its criterion and window set, detail an object) from the facts of e:
 * fills its value, verdict, counted and excluded records and detail. Out of memory sets
 * e->rc.
 */
void metric_run_criterion(struct eval *e, struct tr_metric_criterion *c);

#endif
