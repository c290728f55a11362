/* schema.c — credential validation, the YAML record mapping, and signers (talentreg/schema.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_file.h"
#include "talentreg/date.h"
#include "talentreg/ident.h"
#include "talentreg/schema.h"

#define PATH_MAX_LEN 512
#define USER_TEXT_MAX 64 /* bytes of an input key quoted in a message */

struct checker {
    struct tr_diag *diag;
    const struct kind_schema *ks; /* NULL while the kind is unknown */
    int rc;                       /* TR_OK, or TR_ENOMEM once the diag failed */
    char path[PATH_MAX_LEN];
    size_t plen;
};

/* Paths grow and shrink as the checker walks the tree; push returns the length to pop to. */
static size_t push(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static size_t push(struct checker *c, const char *fmt, ...)
{
    size_t old = c->plen;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->path + c->plen, sizeof c->path - c->plen, fmt, ap);
    va_end(ap);
    if (n > 0) {
        c->plen += (size_t)n < sizeof c->path - c->plen ? (size_t)n : sizeof c->path - c->plen - 1;
    }
    return old;
}

static void pop(struct checker *c, size_t old)
{
    c->plen = old;
    c->path[old] = '\0';
}

/* A member name from the input, made safe to quote: control characters become '?' and it
 * is cut at USER_TEXT_MAX bytes on a character boundary. */
static const char *user_text(const char *s, char out[USER_TEXT_MAX + 4])
{
    size_t n = 0;
    for (; s[n] != '\0' && n < USER_TEXT_MAX; n++) {
        unsigned char ch = (unsigned char)s[n];
        out[n] = ch < 0x20 || ch == 0x7f || ch == '\'' ? '?' : (char)ch;
    }
    if (s[n] != '\0') {
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--;
        }
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

static void add(struct checker *c, struct tr_pos pos, int with_path, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void add(struct checker *c, struct tr_pos pos, int with_path, const char *fmt, va_list ap)
{
    char msg[TR_ERROR_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    int rc = with_path ? tr_diag_add(c->diag, pos, c->path, "field '%s' %s", c->path, msg)
                       : tr_diag_add(c->diag, pos, "", "%s", msg);
    if (rc == TR_ENOMEM) {
        c->rc = TR_ENOMEM;
    }
}

/* bad — a problem with the field at the current path: "field 'PATH' " + the message. */
static void bad(struct checker *c, struct tr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void bad(struct checker *c, struct tr_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(c, pos, 1, fmt, ap);
    va_end(ap);
}

/* bad_plain — a problem that is not about one field. */
static void bad_plain(struct checker *c, struct tr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void bad_plain(struct checker *c, struct tr_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(c, pos, 0, fmt, ap);
    va_end(ap);
}

/* "a string", "an array", "null": a JSON type with its article. */
static const char *a_type(enum tr_json_type t)
{
    switch (t) {
    case TR_JSON_NULL:
        return "null";
    case TR_JSON_BOOL:
        return "a boolean";
    case TR_JSON_NUMBER:
        return "a number";
    case TR_JSON_STRING:
        return "a string";
    case TR_JSON_ARRAY:
        return "an array";
    case TR_JSON_OBJECT:
        return "an object";
    }
    return "unknown";
}

/* A bound as a person writes it: 0, 1, 0.01, 10000. */
static const char *num_text(double v, char out[32])
{
    if (v == floor(v) && fabs(v) < 1e16) {
        snprintf(out, 32, "%.0f", v);
    } else {
        snprintf(out, 32, "%.15g", v);
    }
    return out;
}

/* What a field of type f must be, for "must be ...". */
static const char *type_desc(const struct field *f, char *buf, size_t n)
{
    switch (f->type) {
    case F_STRING:
        return "a string";
    case F_INTEGER:
        return "a whole number";
    case F_NUMBER:
        return "a number";
    case F_BOOLEAN:
        return "true or false";
    case F_DATE:
        return "a date YYYY-MM-DD";
    case F_DATETIME:
        return "a date-time YYYY-MM-DDThh:mm:ssZ";
    case F_USCC:
        return "an organisation id " TR_URN_ORG "<USCC>";
    case F_PERSON_ID:
        return "a person id " TR_URN_PERSON "<id>";
    case F_RECORD_ID:
        return "a record id " TR_URN_RECORD "<64 hex digits>";
    case F_DID_KEY:
        return "an Ed25519 did:key";
    case F_ID_HASH:
        return "an id hash of 64 lowercase hex digits";
    case F_OBJECT:
        return "an object";
    case F_ARRAY:
        return "an array";
    case F_ENUM: {
        size_t used = (size_t)snprintf(buf, n, "one of ");
        for (size_t i = 0; i < f->nvalues && used < n; i++) {
            used += (size_t)snprintf(buf + used, n - used, "%s%s", i > 0 ? ", " : "", f->values[i]);
        }
        return buf;
    }
    }
    return "valid";
}

static enum tr_json_type json_type_of(enum ftype t)
{
    switch (t) {
    case F_INTEGER:
    case F_NUMBER:
        return TR_JSON_NUMBER;
    case F_BOOLEAN:
        return TR_JSON_BOOL;
    case F_OBJECT:
        return TR_JSON_OBJECT;
    case F_ARRAY:
        return TR_JSON_ARRAY;
    default:
        return TR_JSON_STRING;
    }
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return n;
}

typedef int (*ident_fn)(const char *s, size_t len, struct tr_error *err);

/* A URN of prefix whose rest passes check. */
static void check_urn(struct checker *c, const struct field *f, const struct tr_json *v,
                      const char *prefix, ident_fn check)
{
    char desc[64];
    struct tr_error err = {0};
    const char *rest = tr_ident_urn_value(tr_json_string(v), prefix);
    if (rest == NULL) {
        bad(c, v->pos, "must be %s", type_desc(f, desc, sizeof desc));
    } else if (check(rest, v->u.string.len - strlen(prefix), &err) != TR_OK) {
        bad(c, v->pos, "%s", err.msg);
    }
}

static void check_value(struct checker *c, const struct field *f, const struct tr_json *v);

static void check_members(struct checker *c, const struct field *obj, const struct tr_json *v,
                          const char *owner, const char *skip)
{
    char key[USER_TEXT_MAX + 4];
    for (size_t i = 0; i < v->u.object.len && c->rc == TR_OK; i++) {
        const struct tr_json_member *m = &v->u.object.members[i];
        if (skip != NULL && strcmp(m->key, skip) == 0) {
            continue;
        }
        const struct field *f = schema_find_field(obj, m->key);
        size_t mark = push(c, "%s%s", c->plen > 0 ? "." : "", user_text(m->key, key));
        if (f == NULL) {
            bad(c, m->key_pos.line != 0 ? m->key_pos : m->value->pos, "is not a field of %s",
                owner);
        } else {
            check_value(c, f, m->value);
        }
        pop(c, mark);
    }
    for (size_t i = 0; i < obj->nfields; i++) {
        if (obj->fields[i].required && tr_json_object_get(v, obj->fields[i].name) == NULL) {
            size_t mark = push(c, "%s%s", c->plen > 0 ? "." : "", obj->fields[i].name);
            bad(c, v->pos, "is required");
            pop(c, mark);
        }
    }
}

static void check_array(struct checker *c, const struct field *f, const struct tr_json *v)
{
    size_t n = v->u.array.len;
    if (n < f->min_items) {
        bad(c, v->pos, "must have at least %zu item%s", f->min_items, f->min_items == 1 ? "" : "s");
    }
    if (n > f->max_items) {
        bad(c, v->pos, "must have at most %zu item%s", f->max_items, f->max_items == 1 ? "" : "s");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t mark = push(c, "[%zu]", i);
        check_value(c, f->items, v->u.array.items[i]);
        pop(c, mark);
    }
    for (size_t j = 1; f->unique && j < n; j++) {
        for (size_t i = 0; i < j; i++) {
            if (tr_json_equal(v->u.array.items[i], v->u.array.items[j])) {
                char first[PATH_MAX_LEN + 24];
                snprintf(first, sizeof first, "%s[%zu]", c->path, i);
                size_t mark = push(c, "[%zu]", j);
                bad(c, v->u.array.items[j]->pos, "repeats '%s'", first);
                pop(c, mark);
                break;
            }
        }
    }
}

static void check_string(struct checker *c, const struct field *f, const struct tr_json *v)
{
    const char *s = v->u.string.ptr;
    size_t len = v->u.string.len;
    if (len == 0) {
        bad(c, v->pos, "must not be empty");
        return;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f) {
            bad(c, v->pos, "must not contain control characters");
            return;
        }
    }
    if (utf8_chars(s, len) > f->max_length) {
        bad(c, v->pos, "must be at most %zu characters long", f->max_length);
    }
}

static void check_value(struct checker *c, const struct field *f, const struct tr_json *v)
{
    char desc[512], lo[32], hi[32];
    struct tr_error err = {0};
    if (v->type != json_type_of(f->type)) {
        bad(c, v->pos, "must be %s, not %s", type_desc(f, desc, sizeof desc), a_type(v->type));
        return;
    }
    switch (f->type) {
    case F_STRING:
        check_string(c, f, v);
        break;
    case F_INTEGER:
    case F_NUMBER:
        if (f->type == F_INTEGER && v->u.number.value != floor(v->u.number.value)) {
            bad(c, v->pos, "must be a whole number");
        } else if (v->u.number.value < f->min || v->u.number.value > f->max) {
            bad(c, v->pos, "must be between %s and %s", num_text(f->min, lo), num_text(f->max, hi));
        }
        break;
    case F_BOOLEAN:
        break;
    case F_DATE:
        if (tr_date_parse(v->u.string.ptr, v->u.string.len, NULL, &err) != TR_OK) {
            bad(c, v->pos, "%s", err.msg);
        }
        break;
    case F_DATETIME:
        if (tr_date_parse_datetime(v->u.string.ptr, v->u.string.len, NULL, &err) != TR_OK) {
            bad(c, v->pos, "%s", err.msg);
        }
        break;
    case F_USCC:
        check_urn(c, f, v, TR_URN_ORG, tr_ident_uscc_check);
        break;
    case F_PERSON_ID:
        check_urn(c, f, v, TR_URN_PERSON, tr_ident_person_id_check);
        break;
    case F_RECORD_ID:
        check_urn(c, f, v, TR_URN_RECORD, tr_ident_record_id_check);
        break;
    case F_DID_KEY:
        if (tr_ident_did_key_check(v->u.string.ptr, v->u.string.len, &err) != TR_OK) {
            bad(c, v->pos, "%s", err.msg);
        }
        break;
    case F_ID_HASH:
        if (tr_ident_hash_check(v->u.string.ptr, v->u.string.len, &err) != TR_OK) {
            bad(c, v->pos, "%s", err.msg);
        }
        break;
    case F_ENUM: {
        size_t i = 0;
        while (i < f->nvalues && strcmp(f->values[i], v->u.string.ptr) != 0) {
            i++;
        }
        if (i == f->nvalues) {
            bad(c, v->pos, "must be %s", type_desc(f, desc, sizeof desc));
        }
        break;
    }
    case F_OBJECT: {
        char owner[PATH_MAX_LEN + 2];
        snprintf(owner, sizeof owner, "'%s'", c->path);
        check_members(c, f, v, owner, NULL);
        break;
    }
    case F_ARRAY:
        check_array(c, f, v);
        break;
    }
}

/* The one spelling of @context. */
static void check_context(struct checker *c, const struct tr_json *root)
{
    const struct tr_json *v = tr_json_object_get(root, "@context");
    size_t mark = push(c, "@context");
    if (v == NULL) {
        bad(c, root->pos, "is required");
    } else if (!tr_json_is(v, TR_JSON_ARRAY) || v->u.array.len != 2 ||
               tr_json_string(v->u.array.items[0]) == NULL ||
               strcmp(tr_json_string(v->u.array.items[0]), TR_CONTEXT_VC) != 0 ||
               tr_json_string(v->u.array.items[1]) == NULL ||
               strcmp(tr_json_string(v->u.array.items[1]), TR_CONTEXT_TALENTREG) != 0) {
        bad(c, v->pos, "must be [\"" TR_CONTEXT_VC "\", \"" TR_CONTEXT_TALENTREG "\"]");
    }
    pop(c, mark);
}

/* The kind named by type, or -1. */
static int kind_of(const struct tr_json *root)
{
    const struct tr_json *t = tr_json_object_get(root, "type");
    const size_t slen = sizeof TR_TYPE_SUFFIX - 1;
    char name[64];
    enum tr_kind k;
    if (!tr_json_is(t, TR_JSON_ARRAY) || t->u.array.len != 2 ||
        tr_json_string(t->u.array.items[0]) == NULL ||
        strcmp(tr_json_string(t->u.array.items[0]), TR_TYPE_VC) != 0 ||
        !tr_json_is(t->u.array.items[1], TR_JSON_STRING)) {
        return -1;
    }
    const struct tr_json *second = t->u.array.items[1];
    size_t len = second->u.string.len;
    if (len <= slen || len - slen >= sizeof name ||
        memcmp(second->u.string.ptr + len - slen, TR_TYPE_SUFFIX, slen) != 0) {
        return -1;
    }
    memcpy(name, second->u.string.ptr, len - slen);
    name[len - slen] = '\0';
    return tr_schema_kind_from_name(name, &k) == TR_OK ? (int)k : -1;
}

static void check_type(struct checker *c, const struct tr_json *root)
{
    const struct tr_json *v = tr_json_object_get(root, "type");
    size_t mark = push(c, "type");
    if (v == NULL) {
        bad(c, root->pos, "is required");
    } else if (kind_of(root) < 0) {
        bad(c, v->pos,
            "must be [\"" TR_TYPE_VC "\", \"<Kind>" TR_TYPE_SUFFIX "\"] with <Kind> one of "
            "Organization, KeyRevocation, Person, DualAppointment, EnterprisePlacement, Credit, "
            "RecognitionAgreement, CreditRecognition, Contribution, Evaluation, Revocation");
    }
    pop(c, mark);
}

static void check_issuer(struct checker *c, const struct tr_json *root)
{
    const struct tr_json *v = tr_json_object_get(root, "issuer");
    struct tr_error err = {0};
    size_t mark = push(c, "issuer");
    const char *s = tr_json_string(v);
    const char *uscc = tr_ident_urn_value(s, TR_URN_ORG);
    if (v == NULL) {
        bad(c, root->pos, "is required");
    } else if (s == NULL || (uscc == NULL && strcmp(s, TR_URN_OPERATOR) != 0)) {
        bad(c, v->pos, "must be " TR_URN_ORG "<USCC> or " TR_URN_OPERATOR);
    } else if (uscc != NULL &&
               tr_ident_uscc_check(uscc, v->u.string.len - strlen(TR_URN_ORG), &err) != TR_OK) {
        bad(c, v->pos, "%s", err.msg);
    }
    pop(c, mark);
}

static void check_period(struct checker *c, const struct tr_json *root)
{
    static const char *const names[2] = {"validFrom", "validUntil"};
    int64_t t[2] = {0, 0};
    int ok = 0;
    for (int i = 0; i < 2; i++) {
        const struct tr_json *v = tr_json_object_get(root, names[i]);
        struct tr_error err = {0};
        size_t mark = push(c, "%s", names[i]);
        if (v == NULL) {
            if (c->ks != NULL && c->ks->period == PERIOD_REQUIRED) {
                bad(c, root->pos, "is required");
            }
        } else if (c->ks != NULL && c->ks->period == PERIOD_NONE) {
            bad(c, v->pos, "is not a field of %s", c->ks->name);
        } else if (!tr_json_is(v, TR_JSON_STRING)) {
            bad(c, v->pos, "must be a date-time YYYY-MM-DDThh:mm:ssZ, not %s", a_type(v->type));
        } else if (tr_date_parse_datetime(v->u.string.ptr, v->u.string.len, &t[i], &err) != TR_OK) {
            bad(c, v->pos, "%s", err.msg);
        } else {
            ok |= 1 << i;
        }
        pop(c, mark);
    }
    if (ok == 3 && t[1] < t[0]) {
        size_t mark = push(c, "validUntil");
        bad(c, tr_json_object_get(root, "validUntil")->pos, "must not be before 'validFrom'");
        pop(c, mark);
    }
}

static void check_subject(struct checker *c, const struct tr_json *root)
{
    const struct tr_json *v = tr_json_object_get(root, "credentialSubject");
    struct tr_error err = {0};
    size_t mark = push(c, "credentialSubject");
    if (v == NULL) {
        bad(c, root->pos, "is required");
        goto out;
    }
    if (!tr_json_is(v, TR_JSON_OBJECT)) {
        bad(c, v->pos, "must be an object, not %s", a_type(v->type));
        goto out;
    }
    if (c->ks == NULL) {
        goto out;
    }
    const struct tr_json *id = tr_json_object_get(v, "id");
    size_t idmark = push(c, ".id");
    static const struct {
        const char *prefix;
        ident_fn check;
        const char *what;
    } ids[] = {
        {TR_URN_PERSON, tr_ident_person_id_check, TR_URN_PERSON "<person id>"},
        {TR_URN_ORG, tr_ident_uscc_check, TR_URN_ORG "<USCC>"},
        {TR_URN_RECORD, tr_ident_record_id_check, TR_URN_RECORD "<record id>"},
    };
    if (c->ks->subject == SUBJECT_NONE) {
        if (id != NULL) {
            bad(c, id->pos, "is not a field of %s", c->ks->name);
        }
    } else if (id == NULL) {
        bad(c, v->pos, "is required");
    } else {
        const char *rest = tr_ident_urn_value(tr_json_string(id), ids[c->ks->subject].prefix);
        if (rest == NULL) {
            bad(c, id->pos, "must be %s", ids[c->ks->subject].what);
        } else if (ids[c->ks->subject].check(rest, strlen(rest), &err) != TR_OK) {
            bad(c, id->pos, "%s", err.msg);
        }
    }
    pop(c, idmark);
    check_members(c, &c->ks->subject_fields, v, c->ks->name, "id");
out:
    pop(c, mark);
}

/* One organisation (or the operator) that a role names, while signers are resolved. */
struct named {
    int is_operator;
    const char *uscc; /* into the credential; NULL for the operator */
    struct tr_pos pos;
    char path[PATH_MAX_LEN];
};

/* The organisations a role names in credential: 0, 1, or up to an array's length. */
static size_t role_names(const struct role *r, const struct tr_json *root, struct named *out,
                         size_t max)
{
    const struct tr_json *subj = tr_json_object_get(root, "credentialSubject");
    const struct tr_json *v = NULL;
    size_t n = 0;
    switch (r->kind) {
    case ROLE_ISSUER:
        v = tr_json_object_get(root, "issuer");
        if (v == NULL) {
            return 0;
        }
        out[0] = (struct named){tr_json_string(v) != NULL &&
                                    strcmp(tr_json_string(v), TR_URN_OPERATOR) == 0,
                                tr_ident_urn_value(tr_json_string(v), TR_URN_ORG), v->pos, ""};
        snprintf(out[0].path, sizeof out[0].path, "issuer");
        return 1;
    case ROLE_SUBJECT:
        v = tr_json_object_get(subj, "id");
        if (v == NULL) {
            return 0;
        }
        out[0] = (struct named){0, tr_ident_urn_value(tr_json_string(v), TR_URN_ORG), v->pos, ""};
        snprintf(out[0].path, sizeof out[0].path, "credentialSubject.id");
        return 1;
    case ROLE_FIELD:
        v = tr_json_object_get(subj, r->field->name);
        if (v == NULL) {
            return 0;
        }
        if (v->type == TR_JSON_STRING) {
            out[0] = (struct named){0, tr_ident_urn_value(v->u.string.ptr, TR_URN_ORG), v->pos, ""};
            snprintf(out[0].path, sizeof out[0].path, "credentialSubject.%s", r->field->name);
            return 1;
        }
        for (; n < v->u.array.len && n < max; n++) {
            const struct tr_json *item = v->u.array.items[n];
            out[n] = (struct named){0, tr_ident_urn_value(tr_json_string(item), TR_URN_ORG),
                                    item->pos, ""};
            snprintf(out[n].path, sizeof out[n].path, "credentialSubject.%s[%zu]", r->field->name,
                     n);
        }
        return n;
    default:
        return 0;
    }
}

/* Whether the issuer is one the kind allows; the checker reports it when not. */
static void check_issuer_role(struct checker *c, const struct tr_json *root)
{
    struct named issuer, names[TR_SIGNERS_MAX];
    struct role as_issuer = {ROLE_ISSUER, NULL};
    char want[PATH_MAX_LEN];
    size_t used = 0;
    if (role_names(&as_issuer, root, &issuer, 1) != 1) {
        return;
    }
    for (size_t i = 0; i < c->ks->nissuers; i++) {
        const struct role *r = &c->ks->issuers[i];
        const char *sep = i == 0 ? "" : " or ";
        if (r->kind == ROLE_OPERATOR) {
            if (issuer.is_operator) {
                return;
            }
            used += (size_t)snprintf(want + used, sizeof want - used,
                                     "%sthe registry operator (" TR_URN_OPERATOR ")", sep);
        } else if (r->kind == ROLE_ORGANIZATION) {
            if (!issuer.is_operator) {
                return;
            }
            used += (size_t)snprintf(want + used, sizeof want - used, "%san organisation", sep);
        } else {
            size_t n = role_names(r, root, names, TR_SIGNERS_MAX);
            for (size_t j = 0; j < n; j++) {
                if (!issuer.is_operator && names[j].uscc != NULL && issuer.uscc != NULL &&
                    strcmp(names[j].uscc, issuer.uscc) == 0) {
                    return;
                }
            }
            int many = r->kind == ROLE_FIELD && r->field->type == F_ARRAY;
            used += (size_t)snprintf(want + used, sizeof want - used, "%s%s in '%s%s'", sep,
                                     many ? "one of the organisations" : "the organisation",
                                     "credentialSubject.",
                                     r->kind == ROLE_SUBJECT ? "id" : r->field->name);
        }
        if (used >= sizeof want) {
            used = sizeof want - 1;
        }
    }
    size_t mark = push(c, "issuer");
    bad(c, issuer.pos, "must be %s", want);
    pop(c, mark);
}

/*
 * Resolve who signs a valid credential into out. Each organisation once, the issuer first;
 * when c is not NULL, two different fields naming one organisation are reported.
 */
static void resolve_signers(const struct kind_schema *ks, const struct tr_json *root,
                            struct tr_signers *out, struct checker *c)
{
    /* For each entry, the first field that named it ("" when only issuer or subject did). */
    char field_path[TR_SIGNERS_MAX][PATH_MAX_LEN];
    struct named names[TR_SIGNERS_MAX];
    struct role issuer = {ROLE_ISSUER, NULL};
    const struct role *lists[2] = {ks->signers, ks->cosigners};
    const size_t counts[2] = {ks->nsigners, ks->ncosigners};
    memset(out, 0, sizeof *out);
    for (int pass = -1; pass < 2; pass++) {
        size_t nroles = pass < 0 ? 1 : counts[pass];
        for (size_t i = 0; i < nroles; i++) {
            const struct role *r = pass < 0 ? &issuer : &lists[pass][i];
            size_t n = role_names(r, root, names, TR_SIGNERS_MAX);
            for (size_t j = 0; j < n; j++) {
                size_t e = 0;
                if (!names[j].is_operator && names[j].uscc == NULL) {
                    continue; /* not an organisation id: tr_schema_check reports it */
                }
                while (e < out->len && !(out->items[e].is_operator == names[j].is_operator &&
                                         (names[j].is_operator ||
                                          strcmp(out->items[e].uscc, names[j].uscc) == 0))) {
                    e++;
                }
                if (e == out->len) {
                    if (out->len == TR_SIGNERS_MAX) {
                        break;
                    }
                    struct tr_signer *s = &out->items[out->len++];
                    s->is_operator = names[j].is_operator;
                    snprintf(s->uscc, sizeof s->uscc, "%s",
                             names[j].is_operator ? "" : names[j].uscc);
                    snprintf(s->role, sizeof s->role, "%s",
                             r->kind == ROLE_ISSUER ? "issuer" : "subject");
                    field_path[e][0] = '\0';
                }
                struct tr_signer *s = &out->items[e];
                s->required |= pass == 0;
                if (r->kind != ROLE_FIELD) {
                    continue;
                }
                if (field_path[e][0] == '\0') {
                    snprintf(field_path[e], sizeof field_path[e], "%s", names[j].path);
                    snprintf(s->role, sizeof s->role, "%s", r->field->name);
                } else if (c != NULL && strcmp(field_path[e], names[j].path) != 0) {
                    size_t mark = push(c, "%s", names[j].path);
                    bad(c, names[j].pos, "must name another organisation than '%s'", field_path[e]);
                    pop(c, mark);
                }
            }
        }
    }
}

static int check_tree(const struct tr_json *root, struct tr_diag *diag)
{
    static const char *const members[] = {
        "@context", "type", "issuer", "validFrom", "validUntil", "credentialSubject", "proof"};
    struct checker c = {.diag = diag};
    struct tr_error err = {0};
    size_t before = tr_diag_count(diag);
    char key[USER_TEXT_MAX + 4];
    if (tr_schema_load(&err) != TR_OK) {
        tr_diag_add_error(diag, &err);
        return err.code;
    }
    if (!tr_json_is(root, TR_JSON_OBJECT)) {
        struct tr_pos none = {0, 0};
        bad_plain(&c, root != NULL ? root->pos : none, "a credential must be an object, not %s",
                  root != NULL ? a_type(root->type) : "nothing");
        return c.rc != TR_OK ? c.rc : TR_ESCHEMA;
    }
    int k = kind_of(root);
    if (k >= 0) {
        schema_file_get((enum tr_kind)k, &c.ks, NULL);
    }
    for (size_t i = 0; i < root->u.object.len; i++) {
        const struct tr_json_member *m = &root->u.object.members[i];
        size_t j = 0;
        while (j < sizeof members / sizeof members[0] && strcmp(members[j], m->key) != 0) {
            j++;
        }
        if (j < sizeof members / sizeof members[0]) {
            continue;
        }
        struct tr_pos at = m->key_pos.line != 0 ? m->key_pos : m->value->pos;
        size_t mark = push(&c, "%s", user_text(m->key, key));
        if (strcmp(m->key, "id") == 0) {
            bad(&c, at, "is not allowed: a record's id is the hash of its content");
        } else {
            bad(&c, at, "is not a field of a credential");
        }
        pop(&c, mark);
    }
    check_context(&c, root);
    check_type(&c, root);
    check_issuer(&c, root);
    check_period(&c, root);
    check_subject(&c, root);
    if (c.ks != NULL && c.rc == TR_OK && tr_diag_count(diag) == before) {
        struct tr_signers unused;
        check_issuer_role(&c, root);
        resolve_signers(c.ks, root, &unused, &c);
    }
    if (c.rc != TR_OK) {
        return c.rc;
    }
    return tr_diag_count(diag) == before ? TR_OK : TR_ESCHEMA;
}

/* check_tree, with the problems it found put in input order. */
static int check_sorted(const struct tr_json *root, struct tr_diag *diag)
{
    size_t from = diag->len;
    int rc = check_tree(root, diag);
    tr_diag_sort(diag, from);
    return rc;
}

int tr_schema_check(const struct tr_json *credential, struct tr_diag *diag)
{
    return check_sorted(credential, diag);
}

int tr_schema_kind(const struct tr_json *credential, enum tr_kind *kind, struct tr_error *err)
{
    int k = tr_json_is(credential, TR_JSON_OBJECT) ? kind_of(credential) : -1;
    if (k < 0) {
        return tr_error_set(err, TR_ESCHEMA,
                            "a credential's type must be [\"" TR_TYPE_VC
                            "\", \"<Kind>" TR_TYPE_SUFFIX "\"] of a record kind");
    }
    *kind = (enum tr_kind)k;
    return TR_OK;
}

int tr_schema_signers(const struct tr_json *credential, struct tr_signers *out,
                      struct tr_error *err)
{
    struct tr_diag diag;
    const struct kind_schema *ks = NULL;
    tr_diag_init(&diag, NULL);
    memset(out, 0, sizeof *out);
    int rc = check_tree(credential, &diag);
    if (rc == TR_ESCHEMA || (rc == TR_ENOMEM && diag.len > 0)) {
        tr_diag_to_error(&diag, rc, err);
        goto out;
    }
    if (rc != TR_OK) {
        tr_error_set(err, rc, "%s", tr_strerror(rc));
        goto out;
    }
    schema_file_get((enum tr_kind)kind_of(credential), &ks, NULL);
    resolve_signers(ks, credential, out, NULL);
out:
    tr_diag_release(&diag);
    return rc;
}

/* ---- The YAML record format ---------------------------------------------------------- */

/* The keys of a record that are not fields of credentialSubject. */
static int is_record_key(const char *key)
{
    static const char *const keys[] = {"kind", "issuer", "subject", "validFrom", "validUntil"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(keys[i], key) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Keys of the credential form that a record must not write itself. */
static int is_credential_key(const char *key)
{
    static const char *const keys[] = {"id", "type", "@context", "credentialSubject", "proof"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(keys[i], key) == 0) {
            return 1;
        }
    }
    return 0;
}

/* A new string node at pos: prefix followed by len bytes of s. NULL when out of memory. */
static struct tr_json *new_text(const char *prefix, const char *s, size_t len, struct tr_pos pos)
{
    size_t plen = strlen(prefix);
    char *buf = malloc(plen + len + 1);
    struct tr_json *n = NULL;
    if (buf != NULL) {
        memcpy(buf, prefix, plen);
        memcpy(buf + plen, s, len);
        n = tr_json_new_string(buf, plen + len);
        free(buf);
    }
    if (n != NULL) {
        n->pos = pos;
    }
    return n;
}

/*
 * The text a scalar was written as, when a field wants a string: YAML reads 2024 or
 * 121200004013590816-like values as numbers, but they were written as text.
 */
static const char *scalar_text(const struct tr_json *v, size_t *len)
{
    if (v->type == TR_JSON_STRING) {
        *len = v->u.string.len;
        return v->u.string.ptr;
    }
    if (v->type == TR_JSON_NUMBER && v->u.number.text != NULL) {
        *len = strlen(v->u.number.text);
        return v->u.number.text;
    }
    return NULL;
}

static struct tr_json *convert(const struct field *f, const struct tr_json *v);

/* The members of an object, or the items of an array, of field f, each converted. */
static struct tr_json *convert_children(const struct field *f, const struct tr_json *v)
{
    int obj = v->type == TR_JSON_OBJECT;
    size_t n = obj ? v->u.object.len : v->u.array.len;
    struct tr_json *c = obj ? tr_json_new_object() : tr_json_new_array();
    for (size_t i = 0; c != NULL && i < n; i++) {
        const struct tr_json_member *m = obj ? &v->u.object.members[i] : NULL;
        struct tr_json *item = obj ? convert(schema_find_field(f, m->key), m->value)
                                   : convert(f->items, v->u.array.items[i]);
        int rc = item == NULL ? TR_ENOMEM
                 : obj        ? tr_json_object_add(c, m->key, m->key_len, m->key_pos, item)
                              : tr_json_array_append(c, item);
        if (rc != TR_OK) {
            tr_json_free(c);
            return NULL;
        }
    }
    if (c != NULL) {
        c->pos = v->pos;
    }
    return c;
}

/* A record value as the credential writes it under field f (NULL f: copied as it is). */
static struct tr_json *convert(const struct field *f, const struct tr_json *v)
{
    size_t len = 0;
    const char *text = scalar_text(v, &len);
    const char *prefix = NULL;
    if (f == NULL) {
        return tr_json_clone(v);
    }
    switch (f->type) {
    case F_USCC:
        prefix = TR_URN_ORG;
        break;
    case F_PERSON_ID:
        prefix = TR_URN_PERSON;
        break;
    case F_RECORD_ID:
        prefix = TR_URN_RECORD;
        break;
    case F_STRING:
    case F_DATE:
    case F_DATETIME:
    case F_DID_KEY:
    case F_ID_HASH:
    case F_ENUM:
        prefix = "";
        break;
    case F_OBJECT:
    case F_ARRAY:
        return v->type == json_type_of(f->type) ? convert_children(f, v) : tr_json_clone(v);
    default:
        return tr_json_clone(v);
    }
    if (text == NULL || (prefix[0] != '\0' && strncmp(text, "urn:", 4) == 0)) {
        return tr_json_clone(v);
    }
    return new_text(prefix, text, len, v->pos);
}

/* validFrom / validUntil: a date becomes the first or the last second of that day, UTC. */
static struct tr_json *convert_period(const struct tr_json *v, const char *time_of_day)
{
    if (v->type == TR_JSON_STRING && v->u.string.len == TR_DATE_LEN && v->u.string.ptr[4] == '-' &&
        v->u.string.ptr[7] == '-') {
        char text[TR_DATETIME_LEN + 1];
        snprintf(text, sizeof text, "%.*s%s", TR_DATE_LEN, v->u.string.ptr, time_of_day);
        return new_text("", text, strlen(text), v->pos);
    }
    return tr_json_clone(v);
}

/* Wipe a clear value in the record: its string, or the literal of a number. */
static void wipe_value(struct tr_json *v)
{
    if (v->type == TR_JSON_STRING) {
        tr_wipe(v->u.string.ptr, v->u.string.len);
    } else if (v->type == TR_JSON_NUMBER && v->u.number.text != NULL) {
        tr_wipe(v->u.number.text, strlen(v->u.number.text));
    }
}

/* The field whose clear form is written under key, or NULL. */
static const struct field *clear_field(const struct kind_schema *ks, const char *key)
{
    for (size_t i = 0; i < ks->subject_fields.nfields; i++) {
        const struct field *f = &ks->subject_fields.fields[i];
        if (f->clear != NULL && strcmp(f->clear, key) == 0) {
            return f;
        }
    }
    return NULL;
}

/* Whether key gives a value in clear under any kind: such a value is never copied. */
static int is_clear_key(const char *key)
{
    for (int k = 0; k < TR_KIND_COUNT; k++) {
        const struct kind_schema *ks = NULL;
        if (schema_file_get((enum tr_kind)k, &ks, NULL) == TR_OK && clear_field(ks, key) != NULL) {
            return 1;
        }
    }
    return 0;
}

static void wipe_clear_values(struct tr_json *record)
{
    for (size_t i = 0; i < record->u.object.len; i++) {
        if (is_clear_key(record->u.object.members[i].key)) {
            wipe_value(record->u.object.members[i].value);
        }
    }
}

/* Hash a clear value into a new node (NULL with a diag entry, or NULL and *rc on failure). */
static struct tr_json *hash_clear(struct checker *c, const struct field *f, struct tr_json *v,
                                  const struct tr_json *subject, const unsigned char *id_key,
                                  int *rc)
{
    struct tr_error err = {0};
    char hash[TR_ID_HASH_LEN + 1];
    size_t len = 0;
    const char *text = scalar_text(v, &len);
    struct tr_json *out = NULL;
    size_t mark = push(c, "credentialSubject.%s", f->clear);
    if (tr_json_object_get(subject, f->name) != NULL) {
        bad(c, v->pos, "and 'credentialSubject.%s' must not both be given", f->name);
    } else if (id_key == NULL) {
        bad(c, v->pos, "needs an id key to be hashed: pass --id-key FILE");
    } else if (text == NULL) {
        bad(c, v->pos, "must be a string, not %s", a_type(v->type));
    } else if (tr_ident_resident_id_check(text, len, &err) != TR_OK) {
        bad(c, v->pos, "%s", err.msg);
    } else if ((*rc = tr_ident_hash(id_key, text, len, hash)) == TR_OK) {
        out = new_text("", hash, TR_ID_HASH_LEN, v->pos);
        *rc = out != NULL ? TR_OK : TR_ENOMEM;
    }
    pop(c, mark);
    tr_wipe(hash, sizeof hash);
    wipe_value(v);
    return out;
}

/* Put value under key in obj, at the record member m's key position. */
static int put(struct tr_json *obj, const char *key, const struct tr_json_member *m,
               struct tr_json *value)
{
    struct tr_pos none = {0, 0};
    if (value == NULL) {
        return TR_ENOMEM;
    }
    return tr_json_object_add(obj, key, strlen(key), m != NULL ? m->key_pos : none, value);
}

static struct tr_json *new_pair(const char *a, const char *b, struct tr_pos pos)
{
    struct tr_json *arr = tr_json_new_array();
    if (arr == NULL || tr_json_array_append(arr, tr_json_new_cstr(a)) != TR_OK ||
        tr_json_array_append(arr, tr_json_new_cstr(b)) != TR_OK) {
        tr_json_free(arr);
        return NULL;
    }
    arr->pos = pos;
    arr->u.array.items[0]->pos = pos;
    arr->u.array.items[1]->pos = pos;
    return arr;
}

/* The member of record called key, or NULL. */
static struct tr_json_member *member(struct tr_json *record, const char *key)
{
    for (size_t i = 0; i < record->u.object.len; i++) {
        if (strcmp(record->u.object.members[i].key, key) == 0) {
            return &record->u.object.members[i];
        }
    }
    return NULL;
}

/* Build the credential of a record whose kind is ks; problems of the record go to c. */
static int build(struct checker *c, const struct kind_schema *ks, struct tr_json *record,
                 const unsigned char *id_key, struct tr_json **out)
{
    static const char *const subject_urn[] = {TR_URN_PERSON, TR_URN_ORG, TR_URN_RECORD, ""};
    char type[64];
    struct tr_json_member *kind = member(record, "kind");
    struct tr_json *cred = tr_json_new_object();
    struct tr_json *subj = tr_json_new_object();
    struct tr_json_member *m;
    int rc = cred != NULL && subj != NULL ? TR_OK : TR_ENOMEM;
    snprintf(type, sizeof type, "%s" TR_TYPE_SUFFIX, ks->name);
    if (rc == TR_OK) {
        cred->pos = subj->pos = record->pos;
        rc = put(cred, "@context", kind,
                 new_pair(TR_CONTEXT_VC, TR_CONTEXT_TALENTREG, kind->value->pos));
    }
    if (rc == TR_OK) {
        rc = put(cred, "type", kind, new_pair(TR_TYPE_VC, type, kind->value->pos));
    }
    if (rc == TR_OK && (m = member(record, "issuer")) != NULL) {
        const char *s = tr_json_string(m->value);
        if (s != NULL && strcmp(s, "operator") == 0) {
            struct tr_json *op = tr_json_new_cstr(TR_URN_OPERATOR);
            if (op != NULL) {
                op->pos = m->value->pos;
            }
            rc = put(cred, "issuer", m, op);
        } else {
            struct field as_org = {.type = F_USCC};
            rc = put(cred, "issuer", m, convert(&as_org, m->value));
        }
    }
    if (rc == TR_OK && (m = member(record, "validFrom")) != NULL) {
        rc = put(cred, "validFrom", m, convert_period(m->value, "T00:00:00Z"));
    }
    if (rc == TR_OK && (m = member(record, "validUntil")) != NULL) {
        rc = put(cred, "validUntil", m, convert_period(m->value, "T23:59:59Z"));
    }
    if (rc == TR_OK && (m = member(record, "subject")) != NULL) {
        struct field as_id = {.type = F_STRING};
        struct tr_json *id = convert(&as_id, m->value);
        if (id != NULL && id->type == TR_JSON_STRING && ks->subject != SUBJECT_NONE &&
            strncmp(id->u.string.ptr, "urn:", 4) != 0) {
            struct tr_json *urn =
                new_text(subject_urn[ks->subject], id->u.string.ptr, id->u.string.len, id->pos);
            tr_json_free(id);
            id = urn;
        }
        rc = put(subj, "id", m, id);
    }
    for (size_t i = 0; rc == TR_OK && i < record->u.object.len; i++) {
        m = &record->u.object.members[i];
        const struct field *f = clear_field(ks, m->key);
        if (is_record_key(m->key)) {
            continue;
        }
        if (is_credential_key(m->key)) {
            size_t mark = push(c, "%s", m->key);
            bad(c, m->key_pos, "is not a field of a record");
            pop(c, mark);
        } else if (f == NULL && is_clear_key(m->key)) {
            /* A clear value where this kind has none: refused as an unknown field, and its
             * value is neither copied nor kept. */
            rc = put(subj, m->key, m, tr_json_new_null());
            wipe_value(m->value);
        } else if (f != NULL) {
            struct tr_json *hash = hash_clear(c, f, m->value, record, id_key, &rc);
            if (hash != NULL) {
                rc = put(subj, f->name, m, hash);
            }
        } else {
            rc = put(subj, m->key, m,
                     convert(schema_find_field(&ks->subject_fields, m->key), m->value));
        }
    }
    if (rc == TR_OK) {
        rc = tr_json_object_add(cred, "credentialSubject", 17, record->pos, subj);
        subj = NULL;
    }
    tr_json_free(subj);
    if (rc != TR_OK) {
        tr_json_free(cred);
        cred = NULL;
    }
    *out = cred;
    return rc;
}

int tr_schema_from_record(struct tr_json *record, const unsigned char *id_key, struct tr_json **out,
                          struct tr_diag *diag)
{
    struct checker c = {.diag = diag};
    struct tr_error err = {0};
    struct tr_json *cred = NULL;
    const struct kind_schema *ks = NULL;
    size_t before = tr_diag_count(diag), from = diag->len;
    enum tr_kind kind;
    int rc = tr_schema_load(&err);
    *out = NULL;
    if (rc != TR_OK) {
        return rc;
    }
    if (!tr_json_is(record, TR_JSON_OBJECT)) {
        struct tr_pos none = {0, 0};
        bad_plain(&c, record != NULL ? record->pos : none,
                  "a record must be a mapping of fields, not %s",
                  record != NULL ? a_type(record->type) : "nothing");
        return c.rc != TR_OK ? c.rc : TR_ESCHEMA;
    }
    const struct tr_json *k = tr_json_object_get(record, "kind");
    size_t mark = push(&c, "kind");
    if (k == NULL) {
        bad(&c, record->pos, "is required");
    } else if (tr_json_string(k) == NULL ||
               tr_schema_kind_from_name(tr_json_string(k), &kind) != TR_OK) {
        bad(&c, k->pos,
            "must be one of Organization, KeyRevocation, Person, DualAppointment, "
            "EnterprisePlacement, Credit, RecognitionAgreement, CreditRecognition, "
            "Contribution, Evaluation, Revocation");
    } else {
        schema_file_get(kind, &ks, NULL);
    }
    pop(&c, mark);
    if (ks == NULL) {
        wipe_clear_values(record);
        return c.rc != TR_OK ? c.rc : TR_ESCHEMA;
    }
    rc = build(&c, ks, record, id_key, &cred);
    /* build stops at its first failure (out of memory), maybe before the clear value. */
    wipe_clear_values(record);
    if (rc == TR_OK && c.rc == TR_OK) {
        rc = check_tree(cred, diag);
    }
    if (rc == TR_OK && c.rc != TR_OK) {
        rc = c.rc;
    }
    if (rc == TR_OK && tr_diag_count(diag) != before) {
        rc = TR_ESCHEMA;
    }
    tr_diag_sort(diag, from);
    if (rc != TR_OK) {
        tr_json_free(cred);
        return rc;
    }
    *out = cred;
    return TR_OK;
}
