/* policy.c — read and validate policy presets (see talentreg/policy.h, docs/policies.md). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "schema_file.h"
#include "talentreg/date.h"
#include "talentreg/policy.h"
#include "talentreg/yaml.h"

#define POLICY_DIR "schemas/policies/"
#define POLICY_EXT ".yaml"

/* Longest texts, in characters. */
#define TITLE_MAX 200
#define TEXT_MAX 2000

static const char *const criterion_names[TR_CRITERION_TYPE_COUNT] = {
    "enterprise_months",  "teaching_hours",      "active_appointment", "supervision_rights",
    "credits_recognised", "contribution_points", "evaluations",
};

const char *tr_policy_criterion_type_name(enum tr_criterion_type type)
{
    return (unsigned)type < TR_CRITERION_TYPE_COUNT ? criterion_names[type] : NULL;
}

static const char *const window_names[] = {"none", "all", "rolling", "cycles"};

const char *tr_policy_window_type_name(enum tr_window_type type)
{
    return (unsigned)type < sizeof window_names / sizeof window_names[0] ? window_names[type]
                                                                         : NULL;
}

/* The keys of a criterion, as bits. */
enum {
    C_ID = 1 << 0,
    C_TYPE = 1 << 1,
    C_TITLE = 1 << 2,
    C_BASIS = 1 << 3,
    C_THRESHOLD = 1 << 4,
    C_WINDOW = 1 << 5,
    C_DAYS_PER_MONTH = 1 << 6,
    C_FORMS = 1 << 7,
    C_ROLES = 1 << 8,
    C_MIN_TERM_YEARS = 1 << 9,
    C_FRAMEWORK = 1 << 10,
    C_DECISIONS = 1 << 11,
    C_WEIGHTS = 1 << 12,
    C_VALUE_UNIT = 1 << 13,
    C_CURRENCY = 1 << 14
};

static const struct {
    const char *name;
    unsigned bit;
} criterion_keys[] = {
    {"id", C_ID},
    {"type", C_TYPE},
    {"title", C_TITLE},
    {"basis", C_BASIS},
    {"threshold", C_THRESHOLD},
    {"window", C_WINDOW},
    {"daysPerMonth", C_DAYS_PER_MONTH},
    {"forms", C_FORMS},
    {"roles", C_ROLES},
    {"minTermYears", C_MIN_TERM_YEARS},
    {"framework", C_FRAMEWORK},
    {"decisions", C_DECISIONS},
    {"weights", C_WEIGHTS},
    {"valueUnit", C_VALUE_UNIT},
    {"currency", C_CURRENCY},
};

/*
 * Per type: the keys it needs, the keys it may have besides, the range of its threshold
 * (whole: a whole number), and the windows it admits (bits of enum tr_window_type).
 */
static const struct rule {
    unsigned need, may;
    double lo, hi;
    int whole;
    unsigned windows;
} rules[TR_CRITERION_TYPE_COUNT] = {
    [TR_CRITERION_ENTERPRISE_MONTHS] = {C_THRESHOLD | C_WINDOW | C_FORMS, C_DAYS_PER_MONTH, 0, 1200,
                                        0,
                                        1u << TR_WINDOW_ALL | 1u << TR_WINDOW_ROLLING |
                                            1u << TR_WINDOW_CYCLES},
    [TR_CRITERION_TEACHING_HOURS] = {C_THRESHOLD | C_WINDOW | C_ROLES, 0, 0, 2000, 0,
                                     1u << TR_WINDOW_ROLLING | 1u << TR_WINDOW_CYCLES},
    [TR_CRITERION_ACTIVE_APPOINTMENT] = {C_ROLES, C_THRESHOLD | C_MIN_TERM_YEARS, 1, 100, 1, 0},
    [TR_CRITERION_SUPERVISION_RIGHTS] = {C_ROLES, C_THRESHOLD, 1, 100, 1, 0},
    [TR_CRITERION_CREDITS_RECOGNISED] = {C_THRESHOLD | C_FRAMEWORK, C_WINDOW | C_DECISIONS, 0,
                                         10000, 0,
                                         1u << TR_WINDOW_ALL | 1u << TR_WINDOW_ROLLING |
                                             1u << TR_WINDOW_CYCLES},
    [TR_CRITERION_CONTRIBUTION_POINTS] = {C_THRESHOLD | C_WEIGHTS,
                                          C_WINDOW | C_VALUE_UNIT | C_CURRENCY, 0, 1e12, 0,
                                          1u << TR_WINDOW_ALL | 1u << TR_WINDOW_ROLLING |
                                              1u << TR_WINDOW_CYCLES},
    [TR_CRITERION_EVALUATIONS] = {C_THRESHOLD | C_ROLES, C_WINDOW, 0, 100, 0,
                                  1u << TR_WINDOW_ALL | 1u << TR_WINDOW_ROLLING |
                                      1u << TR_WINDOW_CYCLES},
};

static void free_strings(struct tr_policy_strings *s);

struct reader {
    const char *name; /* the input, for messages */
    struct tr_error *err;
};

static int fail(struct reader *r, struct tr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct reader *r, struct tr_pos pos, const char *fmt, ...)
{
    char msg[TR_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (pos.line != 0) {
        return tr_error_set(r->err, TR_ESCHEMA, "'%s' line %u column %u: %s", r->name,
                            (unsigned)pos.line, (unsigned)pos.column, msg);
    }
    return tr_error_set(r->err, TR_ESCHEMA, "'%s': %s", r->name, msg);
}

static int oom(struct reader *r)
{
    return tr_error_set(r->err, TR_ENOMEM, "cannot read policy '%s': out of memory", r->name);
}

/* "a string", "a number", ...: a JSON type with its article, for "not ..." */
static const char *a_type(const struct tr_json *v)
{
    static const char *const names[] = {"null",     "a boolean", "a number",
                                        "a string", "a list",    "a mapping"};
    return names[v->type];
}

/* A bound as a person writes it: 0, 100, 1000000000000, 0.5. */
static const char *num_text(double v, char out[32])
{
    snprintf(out, 32, "%.15g", v);
    return out;
}

/* 1 when s is an id: 1 to 64 of a-z 0-9 -, a letter first. */
static int good_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > TR_POLICY_ID_MAX || s[0] < 'a' || s[0] > 'z') {
        return 0;
    }
    return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

/* Refuse any member of obj whose key is not in keys (a NULL-terminated list). */
static int known_keys(struct reader *r, const struct tr_json *obj, const char *const *keys)
{
    for (size_t i = 0; i < obj->u.object.len; i++) {
        const struct tr_json_member *m = &obj->u.object.members[i];
        size_t k = 0;
        while (keys[k] != NULL && strcmp(keys[k], m->key) != 0) {
            k++;
        }
        if (keys[k] == NULL) {
            return fail(r, m->key_pos, "unknown key '%s'", m->key);
        }
    }
    return TR_OK;
}

/*
 * v must be a mapping (what names it in the message) of keys only (NULL-terminated) that
 * holds every key of need (NULL-terminated).
 */
static int mapping(struct reader *r, const struct tr_json *v, const char *what,
                   const char *const *keys, const char *const *need)
{
    int rc;
    if (!tr_json_is(v, TR_JSON_OBJECT)) {
        return fail(r, v->pos, "%s must be a mapping, not %s", what, a_type(v));
    }
    if ((rc = known_keys(r, v, keys)) != TR_OK) {
        return rc;
    }
    for (size_t i = 0; need[i] != NULL; i++) {
        if (tr_json_object_get(v, need[i]) == NULL) {
            return fail(r, v->pos, "%s needs '%s'", what, need[i]);
        }
    }
    return TR_OK;
}

/* A text of at most max characters: not empty, no control characters but tab and newline. */
static int get_text(struct reader *r, const struct tr_json *v, const char *key, size_t max,
                    char **out)
{
    size_t chars = 0;
    if (!tr_json_is(v, TR_JSON_STRING)) {
        return fail(r, v->pos, "'%s' must be a string, not %s", key, a_type(v));
    }
    if (v->u.string.len == 0) {
        return fail(r, v->pos, "'%s' must not be empty", key);
    }
    for (size_t i = 0; i < v->u.string.len; i++) {
        unsigned char c = (unsigned char)v->u.string.ptr[i];
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
            return fail(r, v->pos, "'%s' must not contain control characters", key);
        }
        chars += (c & 0xC0) != 0x80;
    }
    if (chars > max) {
        return fail(r, v->pos, "'%s' must be at most %zu characters long", key, max);
    }
    *out = strdup(v->u.string.ptr);
    return *out != NULL ? TR_OK : oom(r);
}

static int get_id(struct reader *r, const struct tr_json *v, char **out)
{
    if (!tr_json_is(v, TR_JSON_STRING) || !good_id(v->u.string.ptr)) {
        return fail(r, v->pos, "'id' must be 1 to 64 of a-z, 0-9 and '-', starting with a letter");
    }
    *out = strdup(v->u.string.ptr);
    return *out != NULL ? TR_OK : oom(r);
}

/* A number between lo and hi (whole: a whole number). */
static int get_number(struct reader *r, const struct tr_json *v, const char *key, double lo,
                      double hi, int whole, double *out)
{
    char a[32], b[32];
    if (!tr_json_is(v, TR_JSON_NUMBER)) {
        return fail(r, v->pos, "'%s' must be a number, not %s", key, a_type(v));
    }
    double x = v->u.number.value;
    if (x < lo || x > hi || (whole && x != floor(x))) {
        return fail(r, v->pos, "'%s' must be %sbetween %s and %s", key,
                    whole ? "a whole number " : "", num_text(lo, a), num_text(hi, b));
    }
    *out = x;
    return TR_OK;
}

static int get_int(struct reader *r, const struct tr_json *v, const char *key, int lo, int hi,
                   int *out)
{
    double x = 0;
    int rc = get_number(r, v, key, lo, hi, 1, &x);
    *out = (int)x;
    return rc;
}

/* The allowed values of field name of kind's credentialSubject (an enum, or an array of one). */
static int enum_field(struct reader *r, enum tr_kind kind, const char *name,
                      const struct field **out)
{
    const struct kind_schema *ks = NULL;
    int rc = schema_file_get(kind, &ks, r->err);
    if (rc != TR_OK) {
        return rc;
    }
    const struct field *f = schema_find_field(&ks->subject_fields, name);
    if (f == NULL || f->type != F_ENUM) {
        return tr_error_set(r->err, TR_ESCHEMA, "schema %s has no enum field '%s'",
                            tr_schema_kind_name(kind), name);
    }
    *out = f;
    return TR_OK;
}

/* "one of a, b, c" of f's values, into out. */
static const char *one_of(const struct field *f, char *out, size_t n)
{
    size_t used = (size_t)snprintf(out, n, "one of ");
    for (size_t i = 0; i < f->nvalues && used < n; i++) {
        used += (size_t)snprintf(out + used, n - used, "%s%s", i > 0 ? ", " : "", f->values[i]);
    }
    return out;
}

static int is_value(const struct field *f, const char *s)
{
    for (size_t i = 0; s != NULL && i < f->nvalues; i++) {
        if (strcmp(f->values[i], s) == 0) {
            return 1;
        }
    }
    return 0;
}

/* One value of kind's enum field (the key of a policy is `key`). */
static int get_value(struct reader *r, const struct tr_json *v, const char *key, enum tr_kind kind,
                     const char *field, char **out)
{
    const struct field *f = NULL;
    char list[256];
    int rc = enum_field(r, kind, field, &f);
    if (rc != TR_OK) {
        return rc;
    }
    if (!tr_json_is(v, TR_JSON_STRING)) {
        return fail(r, v->pos, "'%s' must be a string, not %s", key, a_type(v));
    }
    if (!is_value(f, v->u.string.ptr)) {
        return fail(r, v->pos, "'%s' must be %s", key, one_of(f, list, sizeof list));
    }
    *out = strdup(v->u.string.ptr);
    return *out != NULL ? TR_OK : oom(r);
}

/* A list of one or more distinct values of kind's enum field. */
static int get_values(struct reader *r, const struct tr_json *v, const char *key, enum tr_kind kind,
                      const char *field, struct tr_policy_strings *out)
{
    const struct field *f = NULL;
    char list[256];
    int rc = enum_field(r, kind, field, &f);
    if (rc != TR_OK) {
        return rc;
    }
    if (!tr_json_is(v, TR_JSON_ARRAY) || v->u.array.len == 0) {
        return fail(r, v->pos, "'%s' must be a list of one or more of %s", key,
                    one_of(f, list, sizeof list) + strlen("one of "));
    }
    out->items = calloc(v->u.array.len, sizeof *out->items);
    if (out->items == NULL) {
        return oom(r);
    }
    for (size_t i = 0; i < v->u.array.len; i++) {
        const struct tr_json *item = v->u.array.items[i];
        const char *s = tr_json_string(item);
        if (s == NULL) {
            return fail(r, item->pos, "'%s' items must be strings, not %s", key, a_type(item));
        }
        if (!is_value(f, s)) {
            return fail(r, item->pos, "'%s' item '%s' is not %s", key, s,
                        one_of(f, list, sizeof list));
        }
        for (size_t j = 0; j < out->len; j++) {
            if (strcmp(out->items[j], s) == 0) {
                return fail(r, item->pos, "'%s' lists '%s' twice", key, s);
            }
        }
        if ((out->items[out->len++] = strdup(s)) == NULL) {
            return oom(r);
        }
    }
    return TR_OK;
}

/* A date YYYY-MM-DD into a day number. */
static int get_date(struct reader *r, const struct tr_json *v, const char *key, int64_t *out)
{
    struct tr_error derr = {0};
    if (!tr_json_is(v, TR_JSON_STRING)) {
        return fail(r, v->pos, "'%s' must be a date YYYY-MM-DD, not %s", key, a_type(v));
    }
    if (tr_date_parse(v->u.string.ptr, v->u.string.len, out, &derr) != TR_OK) {
        return fail(r, v->pos, "'%s' %s", key, derr.msg);
    }
    return TR_OK;
}

static int get_window(struct reader *r, const struct tr_json *v, enum tr_criterion_type type,
                      struct tr_window *w)
{
    static const char *const keys[] = {"type", "years", "anchor", NULL};
    static const char *const need[] = {"type", NULL};
    const struct tr_json *t = tr_json_object_get(v, "type");
    const struct tr_json *years = tr_json_object_get(v, "years");
    const struct tr_json *anchor = tr_json_object_get(v, "anchor");
    unsigned allowed = rules[type].windows;
    char list[64] = "";
    int rc;
    if ((rc = mapping(r, v, "'window'", keys, need)) != TR_OK) {
        return rc;
    }
    for (int i = TR_WINDOW_ALL; i <= TR_WINDOW_CYCLES; i++) {
        if ((allowed & (1u << i)) != 0) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s", used > 0 ? ", " : "",
                     window_names[i]);
        }
    }
    const char *ts = tr_json_string(t);
    w->type = TR_WINDOW_NONE;
    for (int i = TR_WINDOW_ALL; ts != NULL && i <= TR_WINDOW_CYCLES; i++) {
        if (strcmp(window_names[i], ts) == 0 && (allowed & (1u << i)) != 0) {
            w->type = (enum tr_window_type)i;
        }
    }
    if (w->type == TR_WINDOW_NONE) {
        return fail(r, t->pos, "the window of a criterion of type %s must be one of %s",
                    criterion_names[type], list);
    }
    if (w->type == TR_WINDOW_ALL && years != NULL) {
        return fail(r, years->pos, "'years' does not apply to a window of type all");
    }
    if (w->type != TR_WINDOW_CYCLES && anchor != NULL) {
        return fail(r, anchor->pos, "'anchor' applies only to a window of type cycles");
    }
    if (w->type == TR_WINDOW_ALL) {
        return TR_OK;
    }
    if (years == NULL) {
        return fail(r, v->pos, "a window of type %s needs 'years'", ts);
    }
    if ((rc = get_int(r, years, "years", 1, 100, &w->years)) != TR_OK) {
        return rc;
    }
    if (w->type == TR_WINDOW_CYCLES) {
        if (anchor == NULL) {
            return fail(r, v->pos, "a window of type cycles needs 'anchor'");
        }
        return get_date(r, anchor, "anchor", &w->anchor);
    }
    return TR_OK;
}

static int get_weights(struct reader *r, const struct tr_json *v, struct tr_policy_criterion *c)
{
    const struct field *f = NULL;
    char list[256];
    int rc = enum_field(r, TR_KIND_CONTRIBUTION, "contributionType", &f);
    if (rc != TR_OK) {
        return rc;
    }
    if (!tr_json_is(v, TR_JSON_OBJECT) || v->u.object.len == 0) {
        return fail(r, v->pos, "'weights' must be a mapping of contribution types to numbers");
    }
    c->weights = calloc(v->u.object.len, sizeof *c->weights);
    if (c->weights == NULL) {
        return oom(r);
    }
    for (size_t i = 0; i < v->u.object.len; i++) {
        const struct tr_json_member *m = &v->u.object.members[i];
        struct tr_policy_weight *w = &c->weights[c->nweights++];
        if (!is_value(f, m->key)) {
            return fail(r, m->key_pos, "'weights' key '%s' is not %s", m->key,
                        one_of(f, list, sizeof list));
        }
        if ((w->type = strdup(m->key)) == NULL) {
            return oom(r);
        }
        if ((rc = get_number(r, m->value, m->key, 0, 1e6, 0, &w->weight)) != TR_OK) {
            return rc;
        }
    }
    return TR_OK;
}

/* The member key of obj, or NULL. */
static const struct tr_json *member(const struct tr_json *obj, const char *key)
{
    return tr_json_object_get(obj, key);
}

static int set_default_decisions(struct reader *r, struct tr_policy_strings *d)
{
    static const char *const values[] = {"recognised", "partially_recognised"};
    d->items = calloc(2, sizeof *d->items);
    if (d->items == NULL) {
        return oom(r);
    }
    for (size_t i = 0; i < 2; i++) {
        if ((d->items[d->len++] = strdup(values[i])) == NULL) {
            return oom(r);
        }
    }
    return TR_OK;
}

/* The defaults of the optional parameters of c's type. */
static int criterion_defaults(struct reader *r, struct tr_policy_criterion *c)
{
    const struct rule *rule = &rules[c->type];
    c->threshold = rule->lo;
    c->days_per_month = c->type == TR_CRITERION_ENTERPRISE_MONTHS ? 30 : 0;
    if ((rule->windows & (1u << TR_WINDOW_ALL)) != 0) {
        c->window.type = TR_WINDOW_ALL;
    }
    if (c->type == TR_CRITERION_CONTRIBUTION_POINTS) {
        c->value_unit = 1;
        if ((c->currency = strdup("CNY")) == NULL) {
            return oom(r);
        }
    }
    if (c->type == TR_CRITERION_CREDITS_RECOGNISED) {
        return set_default_decisions(r, &c->decisions);
    }
    return TR_OK;
}

/* One member of a criterion whose keys are known to fit its type (id and type are read). */
static int criterion_member(struct reader *r, const char *key, const struct tr_json *x,
                            struct tr_policy_criterion *c)
{
    const struct rule *rule = &rules[c->type];
    int is_eval = c->type == TR_CRITERION_EVALUATIONS;
    int rc;
    if (strcmp(key, "title") == 0) {
        return get_text(r, x, "title", TITLE_MAX, &c->title);
    }
    if (strcmp(key, "basis") == 0) {
        return get_text(r, x, "basis", TEXT_MAX, &c->basis);
    }
    if (strcmp(key, "threshold") == 0) {
        return get_number(r, x, "threshold", rule->lo, rule->hi, rule->whole, &c->threshold);
    }
    if (strcmp(key, "window") == 0) {
        return get_window(r, x, c->type, &c->window);
    }
    if (strcmp(key, "daysPerMonth") == 0) {
        return get_int(r, x, "daysPerMonth", 1, 31, &c->days_per_month);
    }
    if (strcmp(key, "forms") == 0) {
        return get_values(r, x, "forms", TR_KIND_ENTERPRISE_PLACEMENT, "form", &c->forms);
    }
    if (strcmp(key, "roles") == 0) {
        return get_values(r, x, "roles", is_eval ? TR_KIND_EVALUATION : TR_KIND_DUAL_APPOINTMENT,
                          is_eval ? "evaluatorRole" : "role", &c->roles);
    }
    if (strcmp(key, "minTermYears") == 0) {
        return get_int(r, x, "minTermYears", 1, 100, &c->min_term_years);
    }
    if (strcmp(key, "framework") == 0) {
        return get_value(r, x, "framework", TR_KIND_CREDIT, "framework", &c->framework);
    }
    if (strcmp(key, "decisions") == 0) {
        free_strings(&c->decisions);
        memset(&c->decisions, 0, sizeof c->decisions);
        return get_values(r, x, "decisions", TR_KIND_CREDIT_RECOGNITION, "decision", &c->decisions);
    }
    if (strcmp(key, "weights") == 0) {
        return get_weights(r, x, c);
    }
    if (strcmp(key, "valueUnit") == 0) {
        if ((rc = get_number(r, x, "valueUnit", 0, 1e12, 0, &c->value_unit)) == TR_OK &&
            c->value_unit == 0) {
            rc = fail(r, x->pos, "'valueUnit' must be above 0");
        }
        return rc;
    }
    if (strcmp(key, "currency") == 0) {
        free(c->currency);
        c->currency = NULL;
        return get_value(r, x, "currency", TR_KIND_CONTRIBUTION, "currency", &c->currency);
    }
    return TR_OK; /* id and type */
}

static int get_criterion(struct reader *r, const struct tr_json *v, struct tr_policy_criterion *c)
{
    unsigned have = 0;
    int rc;
    if (!tr_json_is(v, TR_JSON_OBJECT)) {
        return fail(r, v->pos, "a criterion must be a mapping, not %s", a_type(v));
    }
    for (size_t i = 0; i < v->u.object.len; i++) {
        const struct tr_json_member *m = &v->u.object.members[i];
        unsigned bit = 0;
        for (size_t k = 0; k < sizeof criterion_keys / sizeof criterion_keys[0]; k++) {
            if (strcmp(criterion_keys[k].name, m->key) == 0) {
                bit = criterion_keys[k].bit;
            }
        }
        if (bit == 0) {
            return fail(r, m->key_pos, "unknown key '%s'", m->key);
        }
        have |= bit;
    }
    const struct tr_json *id = member(v, "id");
    if (id == NULL) {
        return fail(r, v->pos, "a criterion needs 'id'");
    }
    if ((rc = get_id(r, id, &c->id)) != TR_OK) {
        return rc;
    }
    const struct tr_json *t = member(v, "type");
    const char *ts = tr_json_string(t);
    int found = 0;
    for (int i = 0; ts != NULL && i < TR_CRITERION_TYPE_COUNT; i++) {
        if (strcmp(criterion_names[i], ts) == 0) {
            c->type = (enum tr_criterion_type)i;
            found = 1;
        }
    }
    if (t == NULL) {
        return fail(r, v->pos, "criterion '%s' needs 'type'", c->id);
    }
    if (!found) {
        return fail(r, t->pos,
                    "'type' must be one of enterprise_months, teaching_hours, "
                    "active_appointment, supervision_rights, credits_recognised, "
                    "contribution_points, evaluations");
    }
    unsigned need = rules[c->type].need | C_ID | C_TYPE | C_TITLE;
    unsigned may = need | rules[c->type].may | C_BASIS;
    for (size_t k = 0; k < sizeof criterion_keys / sizeof criterion_keys[0]; k++) {
        unsigned bit = criterion_keys[k].bit;
        if ((need & bit) != 0 && (have & bit) == 0) {
            return fail(r, v->pos, "criterion '%s' needs '%s'", c->id, criterion_keys[k].name);
        }
        if ((have & bit) != 0 && (may & bit) == 0) {
            const struct tr_json *x = member(v, criterion_keys[k].name);
            return fail(r, x->pos, "'%s' does not apply to a criterion of type %s",
                        criterion_keys[k].name, ts);
        }
    }
    if ((rc = criterion_defaults(r, c)) != TR_OK) {
        return rc;
    }
    /* The rest in the file's order, so the first problem reported is the first written. */
    for (size_t i = 0; i < v->u.object.len; i++) {
        const struct tr_json_member *m = &v->u.object.members[i];
        if ((rc = criterion_member(r, m->key, m->value, c)) != TR_OK) {
            return rc;
        }
    }
    return TR_OK;
}

/* issued: YYYY-MM-DD (a real day), YYYY-MM or YYYY. */
static int good_issued(const char *s)
{
    size_t n = strlen(s);
    int64_t day;
    if (n == TR_DATE_LEN) {
        return tr_date_parse(s, n, &day, NULL) == TR_OK;
    }
    if (n != 4 && n != 7) {
        return 0;
    }
    if (strspn(s, "0123456789") != 4 || strcmp(s, "0000") == 0 || strncmp(s, "0000-", 5) == 0) {
        return 0;
    }
    return n == 4 || (s[4] == '-' && strspn(s + 5, "0123456789") == 2 &&
                      ((s[5] == '0' && s[6] >= '1') || (s[5] == '1' && s[6] <= '2')));
}

static int get_source(struct reader *r, const struct tr_json *v, struct tr_policy_source *s)
{
    static const char *const keys[] = {"title", "issuer", "number", "issued", "note", NULL};
    static const char *const need[] = {"title", "issuer", "issued", NULL};
    int rc;
    if ((rc = mapping(r, v, "a source", keys, need)) != TR_OK) {
        return rc;
    }
    const struct tr_json *issued = member(v, "issued");
    if (!tr_json_is(issued, TR_JSON_STRING) || !good_issued(issued->u.string.ptr)) {
        return fail(r, issued->pos,
                    "'issued' must be a date YYYY-MM-DD, a month YYYY-MM or a year "
                    "YYYY");
    }
    if ((rc = get_text(r, member(v, "title"), "title", TITLE_MAX, &s->title)) != TR_OK ||
        (rc = get_text(r, member(v, "issuer"), "issuer", TITLE_MAX, &s->issuer)) != TR_OK ||
        (rc = get_text(r, issued, "issued", TR_DATE_LEN, &s->issued)) != TR_OK) {
        return rc;
    }
    if (member(v, "number") != NULL &&
        (rc = get_text(r, member(v, "number"), "number", TITLE_MAX, &s->number)) != TR_OK) {
        return rc;
    }
    if (member(v, "note") != NULL &&
        (rc = get_text(r, member(v, "note"), "note", TEXT_MAX, &s->note)) != TR_OK) {
        return rc;
    }
    return TR_OK;
}

static int get_policy(struct reader *r, const struct tr_json *doc, struct tr_policy *p)
{
    static const char *const keys[] = {"id",      "version", "title",    "description",
                                       "example", "source",  "criteria", NULL};
    static const char *const need[] = {"id", "version", "title", "source", "criteria", NULL};
    int rc;
    if ((rc = mapping(r, doc, "a policy", keys, need)) != TR_OK) {
        return rc;
    }
    if ((rc = get_id(r, member(doc, "id"), &p->id)) != TR_OK ||
        (rc = get_int(r, member(doc, "version"), "version", 1, 1000000, &p->version)) != TR_OK ||
        (rc = get_text(r, member(doc, "title"), "title", TITLE_MAX, &p->title)) != TR_OK) {
        return rc;
    }
    if (member(doc, "description") != NULL &&
        (rc = get_text(r, member(doc, "description"), "description", TEXT_MAX, &p->description)) !=
            TR_OK) {
        return rc;
    }
    const struct tr_json *ex = member(doc, "example");
    if (ex != NULL) {
        if (!tr_json_is(ex, TR_JSON_BOOL)) {
            return fail(r, ex->pos, "'example' must be true or false, not %s", a_type(ex));
        }
        p->example = ex->u.boolean;
    }
    const struct tr_json *src = member(doc, "source");
    if (!tr_json_is(src, TR_JSON_ARRAY) || src->u.array.len == 0) {
        return fail(r, src->pos, "'source' must be a list of one or more documents");
    }
    if ((p->sources = calloc(src->u.array.len, sizeof *p->sources)) == NULL) {
        return oom(r);
    }
    for (size_t i = 0; i < src->u.array.len; i++) {
        if ((rc = get_source(r, src->u.array.items[i], &p->sources[p->nsources++])) != TR_OK) {
            return rc;
        }
    }
    const struct tr_json *crit = member(doc, "criteria");
    if (!tr_json_is(crit, TR_JSON_ARRAY) || crit->u.array.len == 0) {
        return fail(r, crit->pos, "'criteria' must be a list of one or more criteria");
    }
    if ((p->criteria = calloc(crit->u.array.len, sizeof *p->criteria)) == NULL) {
        return oom(r);
    }
    for (size_t i = 0; i < crit->u.array.len; i++) {
        const struct tr_json *item = crit->u.array.items[i];
        if ((rc = get_criterion(r, item, &p->criteria[p->ncriteria++])) != TR_OK) {
            return rc;
        }
        for (size_t j = 0; j + 1 < p->ncriteria; j++) {
            if (strcmp(p->criteria[j].id, p->criteria[i].id) == 0) {
                return fail(r, member(item, "id")->pos, "criterion id '%s' is used twice",
                            p->criteria[i].id);
            }
        }
    }
    return TR_OK;
}

int tr_policy_parse(const char *data, size_t len, const char *name, struct tr_policy **out,
                    struct tr_error *err)
{
    struct tr_json *doc = NULL;
    struct tr_policy *p = NULL;
    struct reader r = {name != NULL ? name : "<memory>", err};
    int rc;
    if (out == NULL || (data == NULL && len > 0)) {
        return tr_error_set(err, TR_EINVAL, "tr_policy_parse: no input or no output");
    }
    *out = NULL;
    if ((rc = tr_yaml_load(data != NULL ? data : "", len, r.name, NULL, &doc, err)) != TR_OK) {
        goto out;
    }
    if ((p = calloc(1, sizeof *p)) == NULL) {
        rc = oom(&r);
        goto out;
    }
    if ((rc = get_policy(&r, doc, p)) != TR_OK) {
        goto out;
    }
    *out = p;
    p = NULL;
out:
    tr_policy_free(p);
    tr_json_free(doc);
    return rc;
}

/* The preset id of an embedded file, or NULL when it is not a policy file. */
static int preset_id(const char *path, char id[TR_POLICY_ID_MAX + 1])
{
    size_t dir = strlen(POLICY_DIR), ext = strlen(POLICY_EXT), n = strlen(path);
    if (n <= dir + ext || n - dir - ext > TR_POLICY_ID_MAX || strncmp(path, POLICY_DIR, dir) != 0 ||
        strcmp(path + n - ext, POLICY_EXT) != 0) {
        return 0;
    }
    memcpy(id, path + dir, n - dir - ext);
    id[n - dir - ext] = '\0';
    return 1;
}

static int load_file(const struct tr_embedded *e, const char *id, struct tr_policy **out,
                     struct tr_error *err)
{
    int rc = tr_policy_parse(e->data, e->len, e->path, out, err);
    if (rc == TR_OK && strcmp((*out)->id, id) != 0) {
        struct reader r = {e->path, err};
        rc = fail(&r, (struct tr_pos){0, 0}, "'id' must be '%s', the file's name", id);
        tr_policy_free(*out);
        *out = NULL;
    }
    return rc;
}

int tr_policy_load(const char *id, struct tr_policy **out, struct tr_error *err)
{
    char path[sizeof POLICY_DIR + TR_POLICY_ID_MAX + sizeof POLICY_EXT];
    if (id == NULL || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_policy_load: no id or no output");
    }
    *out = NULL;
    const struct tr_embedded *e = NULL;
    if (good_id(id)) {
        snprintf(path, sizeof path, "%s%s%s", POLICY_DIR, id, POLICY_EXT);
        e = tr_embedded_find(path);
    }
    if (e == NULL) {
        return tr_error_set(err, TR_ENOTFOUND, "no policy preset '%.*s'", TR_POLICY_ID_MAX, id);
    }
    return load_file(e, id, out, err);
}

static int by_id(const void *a, const void *b)
{
    const struct tr_policy *const *x = a, *const *y = b;
    return strcmp((*x)->id, (*y)->id);
}

int tr_policy_list(struct tr_policy ***out, size_t *n, struct tr_error *err)
{
    struct tr_policy **list = NULL;
    size_t len = 0;
    char id[TR_POLICY_ID_MAX + 1];
    int rc = TR_OK;
    if (out == NULL || n == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_policy_list: no output");
    }
    *out = NULL;
    *n = 0;
    if ((list = calloc(tr_embedded_count + 1, sizeof *list)) == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "cannot list policies: out of memory");
        goto out;
    }
    for (size_t i = 0; i < tr_embedded_count; i++) {
        if (preset_id(tr_embedded_files[i].path, id) &&
            (rc = load_file(&tr_embedded_files[i], id, &list[len++], err)) != TR_OK) {
            goto out;
        }
    }
    qsort(list, len, sizeof *list, by_id);
    *out = list;
    *n = len;
    list = NULL;
out:
    tr_policy_list_free(list, len);
    return rc;
}

void tr_policy_list_free(struct tr_policy **list, size_t n)
{
    for (size_t i = 0; list != NULL && i < n; i++) {
        tr_policy_free(list[i]);
    }
    free(list);
}

static void free_strings(struct tr_policy_strings *s)
{
    for (size_t i = 0; i < s->len; i++) {
        free(s->items[i]);
    }
    free(s->items);
}

void tr_policy_free(struct tr_policy *p)
{
    if (p == NULL) {
        return;
    }
    for (size_t i = 0; i < p->nsources; i++) {
        struct tr_policy_source *s = &p->sources[i];
        free(s->title);
        free(s->issuer);
        free(s->number);
        free(s->issued);
        free(s->note);
    }
    for (size_t i = 0; i < p->ncriteria; i++) {
        struct tr_policy_criterion *c = &p->criteria[i];
        free(c->id);
        free(c->title);
        free(c->basis);
        free_strings(&c->forms);
        free_strings(&c->roles);
        free(c->framework);
        free_strings(&c->decisions);
        for (size_t j = 0; j < c->nweights; j++) {
            free(c->weights[j].type);
        }
        free(c->weights);
        free(c->currency);
    }
    free(p->sources);
    free(p->criteria);
    free(p->id);
    free(p->title);
    free(p->description);
    free(p);
}
