/*
 * talentreg/metric.h — the metric engine: a policy (talentreg/policy.h) applied to one
 * person's records as of a date gives, per criterion, a value, its threshold, a verdict, the
 * records that made the value (each with its share) and the records left out, each with
 * the reason.
 *
 * The engine is pure: it reads no store and decides no trust. The caller (the dossier,
 * eligible and transcript commands) gives it the records already decided by the verifier:
 * those that count, and those that do not with the verifier's reason, so a report can list
 * them. The engine applies the policy's own rules (forms, roles, windows, agreements in
 * force, ...) and says why it leaves a record out. docs/policies.md defines every figure.
 *
 * Days are UTC day numbers (talentreg/date.h). A period validFrom..validUntil covers the
 * UTC days of its two instants and every day between, both ends included.
 *
 * Windows end on the as-of date, inclusive:
 *   rolling N years: from the day after the same calendar day N years earlier (29 February
 *                    of a common year is taken as 28 February) to the as-of date; so
 *                    2024-02-29 with one year gives 2023-03-01 to 2024-02-29;
 *   cycles of N years from anchor A: cycle k runs from A + kN years (29 February of a
 *                    common year taken as 28 February) to the day before cycle k+1; the
 *                    window is the cycle that holds the as-of date, up to the as-of date;
 *   all:             every day up to the as-of date.
 */
#ifndef TALENTREG_METRIC_H
#define TALENTREG_METRIC_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "ident.h"
#include "json.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One record handed to the engine. */
struct tr_metric_record {
    const char *id; /* its record id: 64 lowercase hex digits; no two records share one */
    const struct tr_json *credential; /* the credential (signed or not); may be NULL only
                                         when excluded is set */
    const char *excluded;             /* NULL: the record counts; else why it does not, e.g. the
                                         verifier's "key-revoked: ..."; copied into the result */
};

/* What to evaluate. */
struct tr_metric_options {
    const char *subject; /* whose records count: a person id "p-..." or its URN */
    int64_t as_of;       /* the as-of day, 0001-01-01 to 9999-12-31 */
    /*
     * TR_WINDOW_NONE: every criterion keeps its policy's window. TR_WINDOW_ROLLING or
     * TR_WINDOW_CYCLES: every criterion whose policy window is rolling or cycles uses this
     * type instead, with the policy's years (and, for cycles, anchor below).
     */
    enum tr_window_type window;
    int64_t anchor; /* the anchor day when window is TR_WINDOW_CYCLES */
};

/* A window resolved against an as-of date. */
struct tr_metric_span {
    enum tr_window_type type;        /* TR_WINDOW_NONE: the criterion looks at the as-of date */
    int years;                       /* ROLLING, CYCLES */
    int64_t anchor;                  /* CYCLES */
    int64_t from, until;             /* the days counted, inclusive; until is the as-of date
                                        (NONE: both are the as-of date; ALL: from is 0001-01-01) */
    int64_t cycle_from, cycle_until; /* CYCLES: the whole cycle that holds the as-of date */
};

/* A record a criterion counted or left out. */
struct tr_metric_entry {
    char id[TR_RECORD_ID_LEN + 1];
    int kind;               /* its enum tr_kind, or -1 when not known */
    double contribution;    /* counted: its part of the value (rounded to 6 decimals); else 0 */
    char *reason;           /* left out: why (owned); counted: NULL */
    struct tr_json *detail; /* counted: an object of the figures it was counted with (owned,
                               docs/policies.md names them); left out: NULL */
};

struct tr_metric_criterion {
    const struct tr_policy_criterion *criterion; /* the policy's; borrowed */
    double value;     /* rounded to 6 decimal places; the verdict compares this */
    double threshold; /* the policy's */
    int met;          /* 1 when value >= threshold (and, for evaluations, every role is there) */
    struct tr_metric_span window;
    struct tr_metric_entry *counted; /* in the order the records were given */
    size_t ncounted;
    struct tr_metric_entry *excluded; /* likewise */
    size_t nexcluded;
    struct tr_json *detail; /* owned: figures of the criterion beyond value (docs/policies.md) */
};

struct tr_metric_result {
    const struct tr_policy *policy;  /* borrowed: must outlive the result */
    char subject[TR_URN_PERSON_MAX]; /* urn:talentreg:person:<id> */
    int64_t as_of;
    int met;                              /* every criterion met */
    struct tr_metric_criterion *criteria; /* one per policy criterion, in its order */
    size_t ncriteria;
    struct tr_metric_entry *excluded; /* records left out whose kind is not known */
    size_t nexcluded;
};

/*
 * tr_metric_window — resolve window w for the as-of day as_of into *out.
 * Returns TR_OK, or TR_EINVAL when as_of is outside 0001-01-01..9999-12-31 or w is not a
 * valid window (years outside 1..100, anchor outside the date range). Days before
 * 0001-01-01 and after 9999-12-31 are clamped to them.
 */
int tr_metric_window(const struct tr_window *w, int64_t as_of, struct tr_metric_span *out,
                     struct tr_error *err);

/*
 * tr_metric_evaluate — apply policy to the n records (records may be NULL when n is 0).
 *   Records about another person than opt->subject, credentials that do not validate
 *   (tr_schema_check) and records given as excluded are listed, with their reason, under
 *   every criterion that reads their kind (or in result->excluded when their kind is not
 *   known); records of kinds no criterion reads are ignored.
 * Returns TR_OK and *out (free with tr_metric_result_free; it borrows policy), whatever
 * the verdict; TR_EINVAL when an argument is invalid (policy, opt or out NULL, a subject
 * that is not a person id, as_of out of range, a cycles override without a valid anchor, a
 * record without a valid id or, when not excluded, without a credential, two records with
 * one id); TR_ENOMEM; or the schema-loading error. On failure *out is NULL.
 */
int tr_metric_evaluate(const struct tr_policy *policy, const struct tr_metric_options *opt,
                       const struct tr_metric_record *records, size_t n,
                       struct tr_metric_result **out, struct tr_error *err);

/*
 * tr_metric_result_json — the result as a JSON tree with the stable member names of
 * docs/policies.md ("policy", "subject", "asOf", "verdict", "criteria", "excluded").
 * Returns TR_OK and *out (owned by the caller), TR_EINVAL (r or out NULL) or TR_ENOMEM.
 */
int tr_metric_result_json(const struct tr_metric_result *r, struct tr_json **out,
                          struct tr_error *err);

/* tr_metric_unit — the unit of a criterion type's value ("months", "hours a year",
 * "appointments", "credits", "points", "average score"); NULL when out of range. */
const char *tr_metric_unit(enum tr_criterion_type type);

/* tr_metric_result_free — free r and everything it owns. NULL is a no-op. */
void tr_metric_result_free(struct tr_metric_result *r);

#ifdef __cplusplus
}
#endif
#endif
