/*
 * talentreg/policy.h — policy presets: the rules that eligibility is judged by, as data.
 *
 * A policy is a YAML file under schemas/policies/, compiled into the library, that names the
 * document it comes from and holds every number of the rule as a parameter: thresholds,
 * windows (rolling or fixed cycles), which forms, roles and decisions count, weights. The
 * language is described in docs/policies.md; talentreg/metric.h applies a policy to records.
 *
 * Policies are validated as strictly as records: an unknown key anywhere, a missing key, a
 * value of the wrong type or out of its range, or an enum value that the record kinds do not
 * have (checked against schemas/<Kind>.yaml) is an error with the file, line and column:
 *   'schemas/policies/x.yaml' line 12 column 16: 'threshold' must be between 0 and 1200
 *
 * Ownership: a struct tr_policy and everything in it belongs to whoever loaded it and is
 * freed with tr_policy_free. The structures are read-only to callers.
 * Thread safety: every function may be called from any thread; a loaded policy is immutable.
 */
#ifndef TALENTREG_POLICY_H
#define TALENTREG_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A policy id: 1 to 64 of a-z 0-9 -, starting with a letter; the preset's file name. */
#define TR_POLICY_ID_MAX 64

/* The kinds of criterion. The values are stable: they are part of the API. */
enum tr_criterion_type {
    TR_CRITERION_ENTERPRISE_MONTHS = 0,   /* FTE-weighted months of EnterprisePlacement */
    TR_CRITERION_TEACHING_HOURS = 1,      /* class hours a year of DualAppointment duties */
    TR_CRITERION_ACTIVE_APPOINTMENT = 2,  /* DualAppointments in force on the as-of date */
    TR_CRITERION_SUPERVISION_RIGHTS = 3,  /* ... that grant supervision rights */
    TR_CRITERION_CREDITS_RECOGNISED = 4,  /* Credit points recognised, converted */
    TR_CRITERION_CONTRIBUTION_POINTS = 5, /* weighted Contribution values */
    TR_CRITERION_EVALUATIONS = 6          /* Evaluation roles and average score */
};
#define TR_CRITERION_TYPE_COUNT 7

/* Which days a criterion counts. All windows end on the as-of date, inclusive. */
enum tr_window_type {
    TR_WINDOW_NONE = 0,    /* no window: the criterion looks at the as-of date only */
    TR_WINDOW_ALL = 1,     /* every day up to the as-of date */
    TR_WINDOW_ROLLING = 2, /* the `years` years that end on the as-of date */
    TR_WINDOW_CYCLES = 3   /* the part up to the as-of date of the cycle of `years` years,
                              counted from `anchor`, that holds the as-of date */
};

struct tr_window {
    enum tr_window_type type;
    int years;      /* ROLLING, CYCLES: 1 to 100; else 0 */
    int64_t anchor; /* CYCLES: day number (talentreg/date.h) of a day a cycle begins; else 0 */
};

/* A list of strings, e.g. the forms a criterion accepts. */
struct tr_policy_strings {
    char **items;
    size_t len;
};

/* A document a policy comes from. */
struct tr_policy_source {
    char *title;  /* the document's title, e.g. 职业学校教师企业实践规定 */
    char *issuer; /* who issued it */
    char *number; /* its document number, e.g. 教师〔2016〕3号, or NULL */
    char *issued; /* when: YYYY-MM-DD, YYYY-MM or YYYY */
    char *note;   /* how the policy uses it, or NULL */
};

/* The points per valueUnit of one contribution type. */
struct tr_policy_weight {
    char *type; /* a Contribution contributionType */
    double weight;
};

/*
 * One criterion. Which members apply depends on type (docs/policies.md); the others are
 * zero / NULL / empty. Every criterion is met when its value is at least its threshold
 * (evaluations also need every role in roles).
 */
struct tr_policy_criterion {
    char *id; /* unique within the policy: 1 to 64 of a-z 0-9 -, a letter first */
    enum tr_criterion_type type;
    char *title; /* what it asks, for reports */
    char *basis; /* the provision of the source it implements, or NULL */
    double threshold;
    struct tr_window window;        /* TR_WINDOW_NONE for active_appointment, supervision_rights */
    int days_per_month;             /* enterprise_months: 1 to 31 (default 30) */
    struct tr_policy_strings forms; /* enterprise_months: EnterprisePlacement forms counted */
    struct tr_policy_strings roles; /* DualAppointment roles counted (teaching_hours,
                                       active_appointment, supervision_rights); evaluator
                                       roles required (evaluations) */
    int min_term_years;             /* active_appointment: 0, or the shortest term in years */
    char *framework;                /* credits_recognised: the framework counted in */
    struct tr_policy_strings decisions; /* credits_recognised: recognition decisions counted */
    struct tr_policy_weight *weights;   /* contribution_points: per contribution type */
    size_t nweights;
    double value_unit; /* contribution_points: the amount one weight point stands for (> 0) */
    char *currency;    /* contribution_points: the currency counted */
};

struct tr_policy {
    char *id;
    int version; /* 1 or more; raised whenever a number or a rule changes */
    char *title;
    char *description;                /* or NULL */
    int example;                      /* 1: an example to show the language, not an official rule */
    struct tr_policy_source *sources; /* one or more */
    size_t nsources;
    struct tr_policy_criterion *criteria; /* one or more, in the file's order */
    size_t ncriteria;
};

/* tr_policy_criterion_type_name — "enterprise_months", ...; NULL when out of range. */
const char *tr_policy_criterion_type_name(enum tr_criterion_type type);

/* tr_policy_window_type_name — "none", "all", "rolling", "cycles"; NULL when out of range. */
const char *tr_policy_window_type_name(enum tr_window_type type);

/*
 * tr_policy_parse — read and validate one policy from the len bytes at data (YAML, one
 * document, under the default input limits). name names the input in messages (NULL:
 * "<memory>").
 * Returns TR_OK and *out (free with tr_policy_free); or TR_EPARSE / TR_ELIMIT (not YAML, as
 * talentreg/yaml.h says), TR_ESCHEMA (the first problem of the policy, with its position),
 * TR_ENOMEM, TR_EINVAL (data NULL with len > 0, or out NULL), or the error of loading the
 * record kinds' schemas. On failure *out is NULL.
 */
int tr_policy_parse(const char *data, size_t len, const char *name, struct tr_policy **out,
                    struct tr_error *err);

/*
 * tr_policy_load — the preset called id, from schemas/policies/<id>.yaml as compiled in;
 * its `id` must be its file name. Returns as tr_policy_parse, or TR_ENOTFOUND ("no policy
 * preset 'x'") when there is no such preset, or TR_EINVAL when id is NULL.
 */
int tr_policy_load(const char *id, struct tr_policy **out, struct tr_error *err);

/*
 * tr_policy_list — every compiled-in preset, loaded and validated, sorted by id.
 * Returns TR_OK with *out an array of *n policies (free with tr_policy_list_free), or the
 * error of the first preset that does not load (*out is then NULL and *n 0).
 */
int tr_policy_list(struct tr_policy ***out, size_t *n, struct tr_error *err);

/* tr_policy_list_free — free the n policies of list and list. NULL is a no-op. */
void tr_policy_list_free(struct tr_policy **list, size_t n);

/* tr_policy_free — free p and everything in it. NULL is a no-op. */
void tr_policy_free(struct tr_policy *p);

#ifdef __cplusplus
}
#endif
#endif
