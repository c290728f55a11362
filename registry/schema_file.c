/* schema_file.c — compile schemas/<Kind>.yaml into struct kind_schema (see schema_file.h). */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "schema_file.h"
#include "talentreg/yaml.h"

static const char *const kind_names[TR_KIND_COUNT] = {
    "Organization",         "KeyRevocation",       "Person",
    "DualAppointment",      "EnterprisePlacement", "Credit",
    "RecognitionAgreement", "CreditRecognition",   "Contribution",
    "Evaluation",           "Revocation",
};

const char *tr_schema_kind_name(enum tr_kind kind)
{
    return (unsigned)kind < TR_KIND_COUNT ? kind_names[kind] : NULL;
}

int tr_schema_kind_from_name(const char *name, enum tr_kind *kind)
{
    for (int i = 0; name != NULL && i < TR_KIND_COUNT; i++) {
        if (strcmp(kind_names[i], name) == 0) {
            *kind = (enum tr_kind)i;
            return TR_OK;
        }
    }
    return TR_ENOTFOUND;
}

static const struct {
    const char *name;
    enum ftype type;
} type_names[] = {
    {"string", F_STRING},   {"integer", F_INTEGER},     {"number", F_NUMBER},
    {"boolean", F_BOOLEAN}, {"date", F_DATE},           {"datetime", F_DATETIME},
    {"uscc", F_USCC},       {"person-id", F_PERSON_ID}, {"record-id", F_RECORD_ID},
    {"did-key", F_DID_KEY}, {"id-hash", F_ID_HASH},     {"enum", F_ENUM},
    {"object", F_OBJECT},   {"array", F_ARRAY},
};

/* The keys a field spec may hold, as bits, and which types admit each. */
enum {
    K_TYPE = 1 << 0,
    K_REQUIRED = 1 << 1,
    K_DESCRIPTION = 1 << 2,
    K_MIN = 1 << 3,
    K_MAX = 1 << 4,
    K_MAX_LENGTH = 1 << 5,
    K_VALUES = 1 << 6,
    K_FIELDS = 1 << 7,
    K_ITEMS = 1 << 8,
    K_MIN_ITEMS = 1 << 9,
    K_MAX_ITEMS = 1 << 10,
    K_UNIQUE = 1 << 11,
    K_CLEAR = 1 << 12
};

static const struct {
    const char *name;
    unsigned bit;
} field_keys[] = {
    {"type", K_TYPE},
    {"required", K_REQUIRED},
    {"description", K_DESCRIPTION},
    {"min", K_MIN},
    {"max", K_MAX},
    {"maxLength", K_MAX_LENGTH},
    {"values", K_VALUES},
    {"fields", K_FIELDS},
    {"items", K_ITEMS},
    {"minItems", K_MIN_ITEMS},
    {"maxItems", K_MAX_ITEMS},
    {"unique", K_UNIQUE},
    {"clear", K_CLEAR},
};

/* Keys every type needs, and keys it may have besides type, required and description. */
static void keys_of(enum ftype t, unsigned *need, unsigned *may)
{
    *need = K_TYPE | K_DESCRIPTION;
    *may = 0;
    switch (t) {
    case F_INTEGER:
    case F_NUMBER:
        *need |= K_MIN | K_MAX;
        break;
    case F_STRING:
        *need |= K_MAX_LENGTH;
        break;
    case F_ENUM:
        *need |= K_VALUES;
        break;
    case F_OBJECT:
        *need |= K_FIELDS;
        break;
    case F_ARRAY:
        *need |= K_ITEMS | K_MAX_ITEMS;
        *may = K_MIN_ITEMS | K_UNIQUE;
        break;
    case F_ID_HASH:
        *may = K_CLEAR;
        break;
    default:
        break;
    }
    *may |= *need | K_REQUIRED;
}

struct compiler {
    const char *name; /* the file, for messages */
    struct tr_error *err;
};

static int fail(struct compiler *c, const struct tr_json *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct compiler *c, const struct tr_json *at, const char *fmt, ...)
{
    char msg[TR_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (at != NULL && at->pos.line != 0) {
        return tr_error_set(c->err, TR_ESCHEMA, "'%s' line %u column %u: %s", c->name,
                            (unsigned)at->pos.line, (unsigned)at->pos.column, msg);
    }
    return tr_error_set(c->err, TR_ESCHEMA, "'%s': %s", c->name, msg);
}

static int oom(struct compiler *c)
{
    return tr_error_set(c->err, TR_ENOMEM, "cannot compile '%s': out of memory", c->name);
}

/* A name of a field: a letter, then letters and digits (they become JSON-LD terms). */
static int good_name(const char *s)
{
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
        return 0;
    }
    for (const char *p = s; *p != '\0'; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) {
            return 0;
        }
    }
    return 1;
}

static int get_bool(struct compiler *c, const struct tr_json *v, const char *key, int *out)
{
    if (!tr_json_is(v, TR_JSON_BOOL)) {
        return fail(c, v, "'%s' must be true or false", key);
    }
    *out = v->u.boolean;
    return TR_OK;
}

static int get_count(struct compiler *c, const struct tr_json *v, const char *key, size_t *out)
{
    if (!tr_json_is(v, TR_JSON_NUMBER) || v->u.number.value < 0 ||
        v->u.number.value > SCHEMA_MAX_ITEMS || v->u.number.value != floor(v->u.number.value)) {
        return fail(c, v, "'%s' must be a whole number between 0 and %u", key, SCHEMA_MAX_ITEMS);
    }
    *out = (size_t)v->u.number.value;
    return TR_OK;
}

static int compile_field(struct compiler *c, const struct tr_json *spec, struct field *f);

static int compile_fields(struct compiler *c, const struct tr_json *obj, struct field *f)
{
    if (!tr_json_is(obj, TR_JSON_OBJECT) || obj->u.object.len == 0) {
        return fail(c, obj, "'fields' must be a mapping of one or more fields");
    }
    f->fields = calloc(obj->u.object.len, sizeof *f->fields);
    if (f->fields == NULL) {
        return oom(c);
    }
    for (size_t i = 0; i < obj->u.object.len; i++) {
        const struct tr_json_member *m = &obj->u.object.members[i];
        struct field *sub = &f->fields[f->nfields++];
        if (!good_name(m->key) || strcmp(m->key, "id") == 0 || strcmp(m->key, "type") == 0) {
            return fail(c, m->value,
                        "'%s' cannot name a field (a letter, then letters and "
                        "digits; not id or type)",
                        m->key);
        }
        sub->name = strdup(m->key);
        if (sub->name == NULL) {
            return oom(c);
        }
        int rc = compile_field(c, m->value, sub);
        if (rc != TR_OK) {
            return rc;
        }
    }
    return TR_OK;
}

static int compile_values(struct compiler *c, const struct tr_json *v, struct field *f)
{
    if (!tr_json_is(v, TR_JSON_ARRAY) || v->u.array.len == 0) {
        return fail(c, v, "'values' must be a list of one or more strings");
    }
    f->values = calloc(v->u.array.len, sizeof *f->values);
    if (f->values == NULL) {
        return oom(c);
    }
    for (size_t i = 0; i < v->u.array.len; i++) {
        const char *s = tr_json_string(v->u.array.items[i]);
        if (s == NULL || s[0] == '\0') {
            return fail(c, v->u.array.items[i], "'values' must be a list of strings");
        }
        for (size_t j = 0; j < f->nvalues; j++) {
            if (strcmp(f->values[j], s) == 0) {
                return fail(c, v->u.array.items[i], "value '%s' is listed twice", s);
            }
        }
        f->values[f->nvalues] = strdup(s);
        if (f->values[f->nvalues++] == NULL) {
            return oom(c);
        }
    }
    return TR_OK;
}

static int compile_bounds(struct compiler *c, const struct tr_json *spec, struct field *f)
{
    const struct tr_json *lo = tr_json_object_get(spec, "min");
    const struct tr_json *hi = tr_json_object_get(spec, "max");
    if (!tr_json_is(lo, TR_JSON_NUMBER) || !tr_json_is(hi, TR_JSON_NUMBER)) {
        return fail(c, !tr_json_is(lo, TR_JSON_NUMBER) ? lo : hi,
                    "'min' and 'max' must be numbers");
    }
    f->min = lo->u.number.value;
    f->max = hi->u.number.value;
    if (f->min > f->max) {
        return fail(c, lo, "'min' must not be above 'max'");
    }
    if (f->type == F_INTEGER && (f->min != floor(f->min) || f->max != floor(f->max) ||
                                 f->min < -SCHEMA_INT_MAX || f->max > SCHEMA_INT_MAX)) {
        return fail(c, lo,
                    "an integer's 'min' and 'max' must be whole numbers of at most 2^53 - 1");
    }
    return TR_OK;
}

static int compile_field(struct compiler *c, const struct tr_json *spec, struct field *f)
{
    unsigned have = 0, need, may;
    int rc;
    if (!tr_json_is(spec, TR_JSON_OBJECT)) {
        return fail(c, spec, "field '%s' must be a mapping", f->name != NULL ? f->name : "items");
    }
    for (size_t i = 0; i < spec->u.object.len; i++) {
        const char *key = spec->u.object.members[i].key;
        unsigned bit = 0;
        for (size_t j = 0; j < sizeof field_keys / sizeof field_keys[0]; j++) {
            if (strcmp(field_keys[j].name, key) == 0) {
                bit = field_keys[j].bit;
            }
        }
        if (bit == 0) {
            return fail(c, spec->u.object.members[i].value, "unknown key '%s'", key);
        }
        have |= bit;
    }
    const char *type = tr_json_string(tr_json_object_get(spec, "type"));
    size_t t = 0;
    while (t < sizeof type_names / sizeof type_names[0] &&
           (type == NULL || strcmp(type_names[t].name, type) != 0)) {
        t++;
    }
    if (t == sizeof type_names / sizeof type_names[0]) {
        return fail(c, spec,
                    "'type' must be one of string, integer, number, boolean, date, "
                    "datetime, uscc, person-id, record-id, did-key, id-hash, enum, "
                    "object, array");
    }
    f->type = type_names[t].type;
    keys_of(f->type, &need, &may);
    for (size_t j = 0; j < sizeof field_keys / sizeof field_keys[0]; j++) {
        unsigned bit = field_keys[j].bit;
        if ((need & bit) != 0 && (have & bit) == 0) {
            return fail(c, spec, "a field of type '%s' needs '%s'", type, field_keys[j].name);
        }
        if ((have & bit) != 0 && (may & bit) == 0) {
            return fail(c, tr_json_object_get(spec, field_keys[j].name),
                        "'%s' does not apply to type '%s'", field_keys[j].name, type);
        }
    }
    const struct tr_json *desc = tr_json_object_get(spec, "description");
    if (tr_json_string(desc) == NULL || desc->u.string.len == 0) {
        return fail(c, desc, "'description' must be a string");
    }
    if ((have & K_REQUIRED) != 0 && (rc = get_bool(c, tr_json_object_get(spec, "required"),
                                                   "required", &f->required)) != TR_OK) {
        return rc;
    }
    if ((have & K_MIN) != 0 && (rc = compile_bounds(c, spec, f)) != TR_OK) {
        return rc;
    }
    if ((have & K_MAX_LENGTH) != 0) {
        const struct tr_json *v = tr_json_object_get(spec, "maxLength");
        if (!tr_json_is(v, TR_JSON_NUMBER) || v->u.number.value < 1 ||
            v->u.number.value > SCHEMA_MAX_LENGTH ||
            v->u.number.value != floor(v->u.number.value)) {
            return fail(c, v, "'maxLength' must be a whole number between 1 and %u",
                        SCHEMA_MAX_LENGTH);
        }
        f->max_length = (size_t)v->u.number.value;
    }
    if ((have & K_VALUES) != 0 &&
        (rc = compile_values(c, tr_json_object_get(spec, "values"), f)) != TR_OK) {
        return rc;
    }
    if ((have & K_FIELDS) != 0 &&
        (rc = compile_fields(c, tr_json_object_get(spec, "fields"), f)) != TR_OK) {
        return rc;
    }
    if (f->type == F_ARRAY) {
        if ((have & K_MIN_ITEMS) != 0 && (rc = get_count(c, tr_json_object_get(spec, "minItems"),
                                                         "minItems", &f->min_items)) != TR_OK) {
            return rc;
        }
        if ((rc = get_count(c, tr_json_object_get(spec, "maxItems"), "maxItems", &f->max_items)) !=
            TR_OK) {
            return rc;
        }
        if (f->max_items == 0 || f->min_items > f->max_items) {
            return fail(c, spec, "'maxItems' must be at least 1 and at least 'minItems'");
        }
        if ((have & K_UNIQUE) != 0 &&
            (rc = get_bool(c, tr_json_object_get(spec, "unique"), "unique", &f->unique)) != TR_OK) {
            return rc;
        }
        const struct tr_json *items = tr_json_object_get(spec, "items");
        f->items = calloc(1, sizeof *f->items);
        if (f->items == NULL) {
            return oom(c);
        }
        if ((rc = compile_field(c, items, f->items)) != TR_OK) {
            return rc;
        }
        if (f->items->type == F_ARRAY || (tr_json_object_get(items, "required") != NULL)) {
            return fail(c, items,
                        "'items' must be a single field spec without 'required', not "
                        "an array");
        }
    }
    if ((have & K_CLEAR) != 0) {
        const char *clear = tr_json_string(tr_json_object_get(spec, "clear"));
        if (clear == NULL || !good_name(clear)) {
            return fail(c, tr_json_object_get(spec, "clear"), "'clear' must name a record key");
        }
        f->clear = strdup(clear);
        if (f->clear == NULL) {
            return oom(c);
        }
    }
    return TR_OK;
}

const struct field *schema_find_field(const struct field *object, const char *name)
{
    for (size_t i = 0; i < object->nfields; i++) {
        if (strcmp(object->fields[i].name, name) == 0) {
            return &object->fields[i];
        }
    }
    return NULL;
}

/* How many organisations a role can name (an array of USCCs names up to maxItems). */
static size_t role_slots(const struct role *r)
{
    return r->kind == ROLE_FIELD && r->field->type == F_ARRAY ? r->field->max_items : 1;
}

/*
 * A list of role words under key. allowed is a bit set of enum role_kind; a field word must
 * name a top-level field of type uscc or array of uscc.
 */
static int compile_roles(struct compiler *c, const struct tr_json *doc, const char *key,
                         unsigned allowed, struct kind_schema *s, struct role *roles, size_t *n,
                         int need)
{
    static const char *const words[] = {"operator", "organization", "issuer", "subject"};
    const struct tr_json *list = tr_json_object_get(doc, key);
    size_t slots = 0;
    if (list == NULL && !need) {
        return TR_OK;
    }
    if (!tr_json_is(list, TR_JSON_ARRAY) || list->u.array.len == 0) {
        return fail(c, list != NULL ? list : doc, "'%s' must be a list of one or more roles", key);
    }
    for (size_t i = 0; i < list->u.array.len; i++) {
        const struct tr_json *v = list->u.array.items[i];
        const char *w = tr_json_string(v);
        struct role r = {ROLE_FIELD, NULL};
        int known = 0;
        for (int k = 0; w != NULL && k < 4; k++) {
            if (strcmp(words[k], w) == 0) {
                r.kind = (enum role_kind)k;
                known = 1;
            }
        }
        if (!known && w != NULL) {
            r.field = schema_find_field(&s->subject_fields, w);
        }
        if (w == NULL || (known && (allowed & (1u << r.kind)) == 0) ||
            (!known && (r.field == NULL ||
                        !(r.field->type == F_USCC ||
                          (r.field->type == F_ARRAY && r.field->items->type == F_USCC))))) {
            return fail(c, v, "'%s' cannot be in '%s': a role is %s or a field of type uscc",
                        w != NULL ? w : "", key,
                        (allowed & (1u << ROLE_ISSUER)) != 0 ? "issuer, subject"
                                                             : "operator, organization, subject");
        }
        if (r.kind == ROLE_SUBJECT && s->subject != SUBJECT_ORGANIZATION) {
            return fail(c, v,
                        "'subject' names an organisation only when 'subject' is "
                        "organization");
        }
        slots += role_slots(&r);
        if (*n == TR_SIGNERS_MAX || slots > TR_SIGNERS_MAX) {
            return fail(c, v, "'%s' may name at most %d organisations", key, TR_SIGNERS_MAX);
        }
        roles[(*n)++] = r;
    }
    return TR_OK;
}

/* The issuer always signs: signers lists it, or lists every field the issuer may be. */
static int issuer_signs(const struct kind_schema *s)
{
    for (size_t i = 0; i < s->nsigners; i++) {
        if (s->signers[i].kind == ROLE_ISSUER) {
            return 1;
        }
    }
    for (size_t i = 0; i < s->nissuers; i++) {
        int found = 0;
        for (size_t j = 0; j < s->nsigners; j++) {
            found |= s->issuers[i].kind == s->signers[j].kind &&
                     s->issuers[i].field == s->signers[j].field;
        }
        if (!found) {
            return 0;
        }
    }
    return 1;
}

static int pick(struct compiler *c, const struct tr_json *doc, const char *key,
                const char *const *choices, int n, int *out)
{
    const struct tr_json *v = tr_json_object_get(doc, key);
    const char *s = tr_json_string(v);
    for (int i = 0; s != NULL && i < n; i++) {
        if (strcmp(choices[i], s) == 0) {
            *out = i;
            return TR_OK;
        }
    }
    return fail(c, v != NULL ? v : doc, "'%s' must be %s", key,
                n == 4 ? "person, organization, record or none" : "required, optional or none");
}

int schema_file_compile(const struct tr_json *doc, const char *name, enum tr_kind kind,
                        struct kind_schema *out, struct tr_error *err)
{
    static const char *const top_keys[] = {"kind",   "description", "subject",   "period",
                                           "issuer", "signers",     "cosigners", "fields"};
    static const char *const subjects[] = {"person", "organization", "record", "none"};
    static const char *const periods[] = {"required", "optional", "none"};
    struct compiler c = {name, err};
    int rc = TR_OK, choice = 0;
    memset(out, 0, sizeof *out);
    out->kind = kind;
    out->name = tr_schema_kind_name(kind);
    out->subject_fields.type = F_OBJECT;
    if (!tr_json_is(doc, TR_JSON_OBJECT)) {
        rc = fail(&c, doc, "a schema must be a mapping");
        goto out;
    }
    for (size_t i = 0; i < doc->u.object.len; i++) {
        size_t k = 0;
        while (k < sizeof top_keys / sizeof top_keys[0] &&
               strcmp(top_keys[k], doc->u.object.members[i].key) != 0) {
            k++;
        }
        if (k == sizeof top_keys / sizeof top_keys[0]) {
            rc = fail(&c, doc->u.object.members[i].value, "unknown key '%s'",
                      doc->u.object.members[i].key);
            goto out;
        }
    }
    const struct tr_json *k = tr_json_object_get(doc, "kind");
    if (tr_json_string(k) == NULL || strcmp(tr_json_string(k), out->name) != 0) {
        rc = fail(&c, k != NULL ? k : doc, "'kind' must be %s", out->name);
        goto out;
    }
    const struct tr_json *desc = tr_json_object_get(doc, "description");
    if (tr_json_string(desc) == NULL || desc->u.string.len == 0) {
        rc = fail(&c, desc != NULL ? desc : doc, "'description' must be a string");
        goto out;
    }
    if ((rc = pick(&c, doc, "subject", subjects, 4, &choice)) != TR_OK) {
        goto out;
    }
    out->subject = (enum subject_kind)choice;
    if ((rc = pick(&c, doc, "period", periods, 3, &choice)) != TR_OK) {
        goto out;
    }
    out->period = (enum period_rule)choice;
    if ((rc = compile_fields(&c, tr_json_object_get(doc, "fields"), &out->subject_fields)) !=
        TR_OK) {
        goto out;
    }
    for (size_t i = 0; i < out->subject_fields.nfields; i++) {
        static const char *const reserved[] = {"kind", "issuer", "subject", "validFrom",
                                               "validUntil"};
        for (size_t j = 0; j < sizeof reserved / sizeof reserved[0]; j++) {
            if (strcmp(out->subject_fields.fields[i].name, reserved[j]) == 0) {
                rc = fail(&c, tr_json_object_get(doc, "fields"),
                          "'%s' is a key of every record and cannot name a field", reserved[j]);
                goto out;
            }
        }
    }
    rc = compile_roles(&c, doc, "issuer",
                       1u << ROLE_OPERATOR | 1u << ROLE_ORGANIZATION | 1u << ROLE_SUBJECT, out,
                       out->issuers, &out->nissuers, 1);
    if (rc == TR_OK) {
        rc = compile_roles(&c, doc, "signers", 1u << ROLE_ISSUER | 1u << ROLE_SUBJECT, out,
                           out->signers, &out->nsigners, 1);
    }
    if (rc == TR_OK) {
        rc = compile_roles(&c, doc, "cosigners", 1u << ROLE_SUBJECT, out, out->cosigners,
                           &out->ncosigners, 0);
    }
    if (rc == TR_OK && !issuer_signs(out)) {
        rc = fail(&c, tr_json_object_get(doc, "signers"),
                  "'signers' must include the issuer: list issuer, or every role of 'issuer'");
    }
out:
    if (rc != TR_OK) {
        schema_file_release(out);
    }
    return rc;
}

static void release_field(struct field *f)
{
    free(f->name);
    for (size_t i = 0; i < f->nvalues; i++) {
        free(f->values[i]);
    }
    free(f->values);
    for (size_t i = 0; i < f->nfields; i++) {
        release_field(&f->fields[i]);
    }
    free(f->fields);
    if (f->items != NULL) {
        release_field(f->items);
        free(f->items);
    }
    free(f->clear);
    memset(f, 0, sizeof *f);
}

void schema_file_release(struct kind_schema *s)
{
    release_field(&s->subject_fields);
    s->nissuers = s->nsigners = s->ncosigners = 0;
}

/* The schemas, compiled once for the life of the process. */
static struct kind_schema schemas[TR_KIND_COUNT];
static struct tr_error load_error;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load_all(void)
{
    struct tr_json *doc = NULL;
    char path[64];
    for (int k = 0; k < TR_KIND_COUNT && load_error.code == TR_OK; k++) {
        snprintf(path, sizeof path, "schemas/%s.yaml", kind_names[k]);
        const struct tr_embedded *e = tr_embedded_find(path);
        if (e == NULL) {
            tr_error_set(&load_error, TR_ENOTFOUND, "'%s' is not compiled in", path);
            break;
        }
        if (tr_yaml_load(e->data, e->len, path, NULL, &doc, &load_error) == TR_OK) {
            schema_file_compile(doc, path, (enum tr_kind)k, &schemas[k], &load_error);
        }
        tr_json_free(doc);
        doc = NULL;
    }
}

int schema_file_get(enum tr_kind kind, const struct kind_schema **out, struct tr_error *err)
{
    pthread_once(&load_once, load_all);
    if (load_error.code != TR_OK) {
        return tr_error_set(err, load_error.code, "%s", load_error.msg);
    }
    if ((unsigned)kind >= TR_KIND_COUNT) {
        return tr_error_set(err, TR_EINVAL, "no record kind %d", (int)kind);
    }
    *out = &schemas[kind];
    return TR_OK;
}

int tr_schema_load(struct tr_error *err)
{
    const struct kind_schema *s;
    return schema_file_get(TR_KIND_ORGANIZATION, &s, err);
}

const char *tr_schema_context_document(size_t *len)
{
    const struct tr_embedded *e = tr_embedded_find("schemas/context-v1.jsonld");
    if (len != NULL) {
        *len = e != NULL ? e->len : 0;
    }
    return e != NULL ? e->data : "";
}
