/*
 * trust.c — organisations, their keys and permissions, key and record revocations, and the
 * record index, as of a log position (talentreg/trust.h). Tables: schemas/store-trust.sql.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg/jcs.h"
#include "talentreg/key.h"
#include "talentreg/log.h"
#include "talentreg/trust.h"

/* SQLite integers are signed: a leaf or size above this cannot be stored. */
#define LEAF_MAX ((uint64_t)INT64_MAX)

/* as_of is a log size; a larger one than any store holds means "the whole log". */
static int64_t bound(uint64_t as_of)
{
    return as_of > LEAF_MAX ? INT64_MAX : (int64_t)as_of;
}

/* Copy a column of exactly want bytes (want 0: any length that fits) into dst. */
static int copy_text(struct tr_db_stmt *st, int col, char *dst, size_t size, size_t want)
{
    size_t len = 0;
    const char *s = tr_db_column_text(st, col, &len);
    if ((want != 0 && len != want) || len >= size) {
        return TR_EDB;
    }
    memcpy(dst, s, len + 1);
    return TR_OK;
}

/* Step st to its only row: TR_OK with the row ready, TR_ENOTFOUND (no message) when none. */
static int one_row(struct tr_db_stmt *st, struct tr_error *err)
{
    int row = 0;
    int rc = tr_db_step(st, &row, err);
    return rc == TR_OK && !row ? TR_ENOTFOUND : rc;
}

/* Grow *list (of n items of size each, cap *cap) to hold one more. */
static int grow(void **list, size_t n, size_t *cap, size_t size)
{
    if (n < *cap) {
        return TR_OK;
    }
    size_t more = *cap == 0 ? 8 : 2 * *cap;
    void *p = realloc(*list, more * size);
    if (p == NULL) {
        return TR_ENOMEM;
    }
    *list = p;
    *cap = more;
    return TR_OK;
}

int tr_trust_operator_key(struct tr_db *db, unsigned char pub[TR_ED25519_PUBLIC_LEN],
                          struct tr_error *err)
{
    struct tr_buf b;
    tr_buf_init(&b);
    memset(pub, 0, TR_ED25519_PUBLIC_LEN);
    int rc = tr_db_meta_get(db, TR_DB_META_OPERATOR_KEY, &b, err);
    if (rc == TR_ENOTFOUND) {
        rc = tr_error_set(err, TR_ENOTFOUND,
                          "store '%s' has no operator key (run 'talentreg init "
                          "--operator-key FILE')",
                          tr_db_path(db));
    } else if (rc == TR_OK && b.len != TR_ED25519_PUBLIC_LEN) {
        rc = tr_error_set(err, TR_EDB, "store '%s' has an operator key of %zu bytes, not %d",
                          tr_db_path(db), b.len, TR_ED25519_PUBLIC_LEN);
    } else if (rc == TR_OK) {
        memcpy(pub, b.data, TR_ED25519_PUBLIC_LEN);
    }
    tr_buf_release(&b);
    return rc;
}

/* ---- Keys ---- */

/* The revocations of key->pub logged below as_of: the first, and the smallest compromise. */
static int read_key_revocations(struct tr_db *db, struct tr_trust_key *key, uint64_t as_of,
                                struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    int rc = tr_db_prepare(db,
                           "SELECT record_id, leaf, compromised_since FROM trust_key_revocation\n"
                           "    WHERE pub = :pub AND leaf < :as_of ORDER BY leaf",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_blob(st, ":pub", key->pub, sizeof key->pub);
    tr_db_bind_int(st, ":as_of", bound(as_of));
    while ((rc = tr_db_step(st, &row, err)) == TR_OK && row) {
        if (!key->revoked) {
            key->revoked = 1;
            key->revoked_leaf = (uint64_t)tr_db_column_int(st, 1);
            if (copy_text(st, 0, key->revocation_record, sizeof key->revocation_record,
                          TR_RECORD_ID_LEN) != TR_OK) {
                rc = tr_error_set(err, TR_EDB, "store '%s': a key revocation is malformed",
                                  tr_db_path(db));
                break;
            }
        }
        if (!tr_db_column_null(st, 2)) {
            uint64_t since = (uint64_t)tr_db_column_int(st, 2);
            if (!key->compromised || since < key->compromised_since) {
                key->compromised_since = since;
            }
            key->compromised = 1;
        }
    }
out:
    return tr_db_finalize(st, rc, err);
}

int tr_trust_key_get(struct tr_db *db, const unsigned char pub[TR_ED25519_PUBLIC_LEN],
                     uint64_t as_of, struct tr_trust_key *out, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    int rc = tr_db_prepare(db,
                           "SELECT uscc, org_record, registered_leaf FROM trust_key\n"
                           "    WHERE pub = :pub AND registered_leaf < :as_of",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_blob(st, ":pub", pub, TR_ED25519_PUBLIC_LEN);
    tr_db_bind_int(st, ":as_of", bound(as_of));
    if ((rc = one_row(st, err)) != TR_OK) {
        goto out;
    }
    memcpy(out->pub, pub, TR_ED25519_PUBLIC_LEN);
    out->registered_leaf = (uint64_t)tr_db_column_int(st, 2);
    if (copy_text(st, 0, out->uscc, sizeof out->uscc, TR_USCC_LEN) != TR_OK ||
        copy_text(st, 1, out->org_record, sizeof out->org_record, TR_RECORD_ID_LEN) != TR_OK) {
        rc = tr_error_set(err, TR_EDB, "store '%s': a key row is malformed", tr_db_path(db));
        goto out;
    }
out:
    rc = tr_db_finalize(st, rc, err);
    if (rc == TR_OK) {
        rc = read_key_revocations(db, out, as_of, err);
    }
    if (rc != TR_OK) {
        memset(out, 0, sizeof *out);
    }
    return rc;
}

enum tr_trust_key_state tr_trust_key_state(const struct tr_trust_key *key, uint64_t position)
{
    if (key->registered_leaf >= position) {
        return TR_TRUST_KEY_NOT_YET;
    }
    if (key->revoked && key->revoked_leaf < position) {
        return TR_TRUST_KEY_REVOKED;
    }
    if (key->compromised && key->compromised_since <= position) {
        return TR_TRUST_KEY_COMPROMISED;
    }
    return TR_TRUST_KEY_VALID;
}

/* ---- Organisations ---- */

/* The bit set of the kind names in the JSON array text (a stored mayIssue): TR_OK, TR_ENOMEM,
 * or TR_EDB when the text is no such array. */
static int parse_permitted(const char *text, size_t len, unsigned *out)
{
    struct tr_json *list = NULL;
    int rc = tr_json_parse(text, len, "permitted", NULL, &list, NULL);
    *out = 0;
    if (rc == TR_ENOMEM) {
        goto out;
    }
    if (rc != TR_OK || list->type != TR_JSON_ARRAY) {
        rc = TR_EDB;
        goto out;
    }
    for (size_t i = 0; i < list->u.array.len; i++) {
        enum tr_kind kind;
        const char *name = tr_json_string(list->u.array.items[i]);
        if (name == NULL || tr_schema_kind_from_name(name, &kind) != TR_OK) {
            rc = TR_EDB;
            goto out;
        }
        *out |= 1u << kind;
    }
out:
    tr_json_free(list);
    return rc;
}

int tr_trust_org_get(struct tr_db *db, const char *uscc, uint64_t as_of, struct tr_trust_org *out,
                     struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    int rc = tr_db_prepare(db,
                           "SELECT record_id, leaf, name, org_kind, permitted,\n"
                           "       (SELECT min(leaf) FROM trust_org_version WHERE uscc = :uscc)\n"
                           "    FROM trust_org_version WHERE uscc = :uscc AND leaf < :as_of\n"
                           "    ORDER BY leaf DESC LIMIT 1",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":uscc", uscc);
    tr_db_bind_int(st, ":as_of", bound(as_of));
    if ((rc = one_row(st, err)) != TR_OK) {
        goto out;
    }
    snprintf(out->uscc, sizeof out->uscc, "%s", uscc);
    out->leaf = (uint64_t)tr_db_column_int(st, 1);
    out->first_leaf = (uint64_t)tr_db_column_int(st, 5);
    const char *permitted = tr_db_column_text(st, 4, &len);
    if (copy_text(st, 0, out->record_id, sizeof out->record_id, TR_RECORD_ID_LEN) != TR_OK ||
        copy_text(st, 2, out->name, sizeof out->name, 0) != TR_OK ||
        copy_text(st, 3, out->org_kind, sizeof out->org_kind, 0) != TR_OK ||
        (rc = parse_permitted(permitted, len, &out->permitted)) != TR_OK) {
        if (rc == TR_ENOMEM) {
            rc = tr_error_set(err, rc, "out of memory");
        } else {
            rc = tr_error_set(err, TR_EDB, "store '%s': organisation '%s' is malformed",
                              tr_db_path(db), uscc);
        }
        goto out;
    }
out:
    rc = tr_db_finalize(st, rc, err);
    if (rc != TR_OK) {
        memset(out, 0, sizeof *out);
    }
    return rc;
}

int tr_trust_org_may_issue(const struct tr_trust_org *org, enum tr_kind kind)
{
    return (unsigned)kind < TR_KIND_COUNT && (org->permitted & (1u << kind)) != 0;
}

/* Fills one list item from the current row of st (see collect). */
typedef int (*row_fn)(struct tr_db *db, struct tr_db_stmt *st, uint64_t as_of, void *item,
                      struct tr_error *err);

/*
 * Run sql, binding :as_of and, when name is not NULL, name to value; make one item of size
 * bytes per row with fn. *out (freed by the caller) and *count get the list, NULL and 0 on
 * failure.
 */
static int collect(struct tr_db *db, const char *sql, const char *name, const char *value,
                   uint64_t as_of, size_t size, row_fn fn, void **out, size_t *count,
                   struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    void *list = NULL;
    size_t n = 0, cap = 0;
    int row = 0;
    int rc = tr_db_prepare(db, sql, &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (name != NULL) {
        tr_db_bind_str(st, name, value);
    }
    tr_db_bind_int(st, ":as_of", bound(as_of));
    while ((rc = tr_db_step(st, &row, err)) == TR_OK && row) {
        if (grow(&list, n, &cap, size) != TR_OK) {
            rc = tr_error_set(err, TR_ENOMEM, "out of memory");
            break;
        }
        if ((rc = fn(db, st, as_of, (char *)list + n * size, err)) != TR_OK) {
            break;
        }
        n++;
    }
out:
    rc = tr_db_finalize(st, rc, err);
    if (rc != TR_OK) {
        free(list);
        list = NULL;
        n = 0;
    }
    *out = list;
    *count = n;
    return rc;
}

static int org_row(struct tr_db *db, struct tr_db_stmt *st, uint64_t as_of, void *item,
                   struct tr_error *err)
{
    char uscc[TR_USCC_LEN + 1];
    if (copy_text(st, 0, uscc, sizeof uscc, TR_USCC_LEN) != TR_OK) {
        return tr_error_set(err, TR_EDB, "store '%s': an organisation row is malformed",
                            tr_db_path(db));
    }
    return tr_trust_org_get(db, uscc, as_of, item, err);
}

int tr_trust_org_list(struct tr_db *db, uint64_t as_of, struct tr_trust_org **out, size_t *count,
                      struct tr_error *err)
{
    void *list = NULL;
    int rc = collect(db,
                     "SELECT uscc FROM trust_org_version WHERE leaf < :as_of\n"
                     "    GROUP BY uscc ORDER BY min(leaf)",
                     NULL, NULL, as_of, sizeof **out, org_row, &list, count, err);
    *out = list;
    return rc;
}

static int key_row(struct tr_db *db, struct tr_db_stmt *st, uint64_t as_of, void *item,
                   struct tr_error *err)
{
    size_t len = 0;
    const void *pub = tr_db_column_blob(st, 0, &len);
    if (len != TR_ED25519_PUBLIC_LEN) {
        return tr_error_set(err, TR_EDB, "store '%s': a key row is malformed", tr_db_path(db));
    }
    return tr_trust_key_get(db, pub, as_of, item, err);
}

int tr_trust_org_keys(struct tr_db *db, const char *uscc, uint64_t as_of, struct tr_trust_key **out,
                      size_t *count, struct tr_error *err)
{
    void *list = NULL;
    int rc = collect(db,
                     "SELECT pub FROM trust_key WHERE uscc = :uscc AND registered_leaf < :as_of\n"
                     "    ORDER BY registered_leaf, pub",
                     ":uscc", uscc, as_of, sizeof **out, key_row, &list, count, err);
    *out = list;
    return rc;
}

/* ---- Records and their revocations ---- */

int tr_trust_record_get(struct tr_db *db, const char *id, struct tr_trust_record *out,
                        struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    char kind[32], issuer[TR_USCC_LEN + 1];
    memset(out, 0, sizeof *out);
    int rc = tr_db_prepare(db,
                           "SELECT kind, issuer, subject, leaf, first_leaf FROM record\n"
                           "    WHERE id = :id",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":id", id);
    if ((rc = one_row(st, err)) != TR_OK) {
        goto out;
    }
    snprintf(out->id, sizeof out->id, "%s", id);
    out->leaf = (uint64_t)tr_db_column_int(st, 3);
    out->first_leaf = (uint64_t)tr_db_column_int(st, 4);
    if (copy_text(st, 0, kind, sizeof kind, 0) != TR_OK ||
        tr_schema_kind_from_name(kind, &out->kind) != TR_OK ||
        copy_text(st, 1, issuer, sizeof issuer, 0) != TR_OK ||
        copy_text(st, 2, out->subject, sizeof out->subject, 0) != TR_OK) {
        rc = tr_error_set(err, TR_EDB, "store '%s': record '%s' is malformed", tr_db_path(db), id);
        goto out;
    }
    if (strcmp(issuer, TR_TRUST_OPERATOR) == 0) {
        out->by_operator = 1;
    } else {
        memcpy(out->issuer, issuer, sizeof out->issuer);
    }
out:
    rc = tr_db_finalize(st, rc, err);
    if (rc != TR_OK) {
        memset(out, 0, sizeof *out);
    }
    return rc;
}

static int revocation_row(struct tr_db *db, struct tr_db_stmt *st, uint64_t as_of, void *item,
                          struct tr_error *err)
{
    struct tr_trust_revocation *r = item;
    (void)as_of;
    memset(r, 0, sizeof *r);
    r->leaf = (uint64_t)tr_db_column_int(st, 1);
    r->supersede = strcmp(tr_db_column_text(st, 2, NULL), "supersede") == 0;
    if (copy_text(st, 0, r->record_id, sizeof r->record_id, TR_RECORD_ID_LEN) != TR_OK ||
        copy_text(st, 4, r->target, sizeof r->target, TR_RECORD_ID_LEN) != TR_OK ||
        (r->supersede &&
         copy_text(st, 3, r->replacement, sizeof r->replacement, TR_RECORD_ID_LEN) != TR_OK)) {
        return tr_error_set(err, TR_EDB, "store '%s': a revocation row is malformed",
                            tr_db_path(db));
    }
    return TR_OK;
}

int tr_trust_revocations(struct tr_db *db, const char *target, uint64_t as_of,
                         struct tr_trust_revocation **out, size_t *count, struct tr_error *err)
{
    void *list = NULL;
    int rc = collect(db,
                     "SELECT record_id, leaf, action, replacement, target FROM trust_revocation\n"
                     "    WHERE target = :target AND leaf < :as_of ORDER BY leaf",
                     ":target", target, as_of, sizeof **out, revocation_row, &list, count, err);
    *out = list;
    return rc;
}

int tr_trust_revocation_list(struct tr_db *db, uint64_t as_of, struct tr_trust_revocation **out,
                             size_t *count, struct tr_error *err)
{
    void *list = NULL;
    int rc = collect(db,
                     "SELECT record_id, leaf, action, replacement, target FROM trust_revocation\n"
                     "    WHERE leaf < :as_of ORDER BY target, leaf",
                     NULL, NULL, as_of, sizeof **out, revocation_row, &list, count, err);
    *out = list;
    return rc;
}

int tr_trust_compromised_keys(struct tr_db *db, uint64_t as_of, struct tr_trust_key **out,
                              size_t *count, struct tr_error *err)
{
    void *list = NULL;
    int rc = collect(db,
                     "SELECT DISTINCT pub FROM trust_key_revocation\n"
                     "    WHERE leaf < :as_of AND compromised_since IS NOT NULL ORDER BY pub",
                     NULL, NULL, as_of, sizeof **out, key_row, &list, count, err);
    *out = list;
    return rc;
}

/* ---- Indexing a leaf ---- */

/* What the index needs of a credential, read without trusting more than its shape. */
struct indexed {
    enum tr_kind kind;
    const char *issuer;  /* USCC, or TR_TRUST_OPERATOR */
    const char *subject; /* without its URN prefix, or NULL */
    const struct tr_json *cs;
};

static int read_indexed(const struct tr_json *cred, struct indexed *x, struct tr_error *err)
{
    static const char *const prefixes[] = {TR_URN_ORG, TR_URN_PERSON, TR_URN_RECORD};
    const char *issuer = tr_json_string(tr_json_object_get(cred, "issuer"));
    memset(x, 0, sizeof *x);
    if (tr_schema_kind(cred, &x->kind, NULL) != TR_OK || issuer == NULL) {
        return tr_error_set(err, TR_EINVAL, "the credential to index has no kind or issuer");
    }
    int by_operator = strcmp(issuer, TR_URN_OPERATOR) == 0;
    x->issuer = by_operator ? TR_TRUST_OPERATOR : tr_ident_urn_value(issuer, TR_URN_ORG);
    if (x->issuer == NULL || (!by_operator && strlen(x->issuer) != TR_USCC_LEN)) {
        return tr_error_set(err, TR_EINVAL, "the credential to index has an issuer '%.80s'",
                            issuer);
    }
    x->cs = tr_json_object_get(cred, "credentialSubject");
    const char *id = tr_json_string(tr_json_object_get(x->cs, "id"));
    for (size_t i = 0; id != NULL && x->subject == NULL && i < 3; i++) {
        x->subject = tr_ident_urn_value(id, prefixes[i]);
    }
    if (id != NULL && x->subject == NULL) {
        return tr_error_set(err, TR_EINVAL, "the credential to index has a subject '%.80s'", id);
    }
    return TR_OK;
}

/* The subject as a USCC, for the kinds about an organisation. */
static int subject_uscc(const struct indexed *x, struct tr_error *err)
{
    if (x->subject == NULL || strlen(x->subject) != TR_USCC_LEN) {
        return tr_error_set(err, TR_EINVAL, "the %s to index names no organisation",
                            tr_schema_kind_name(x->kind));
    }
    return TR_OK;
}

/* Run one prepared write: st is finalized whatever happens. */
static int run(struct tr_db_stmt *st, int rc, struct tr_error *err)
{
    if (rc == TR_OK) {
        rc = tr_db_step(st, NULL, err);
    }
    return tr_db_finalize(st, rc, err);
}

/* Insert the record's row, or move it to leaf. *first (out) = 1 when it is new. */
static int index_record(struct tr_db *db, const struct indexed *x, const char *id, uint64_t leaf,
                        int *first, struct tr_error *err)
{
    struct tr_trust_record old;
    struct tr_db_stmt *st = NULL;
    int rc = tr_trust_record_get(db, id, &old, err);
    *first = rc == TR_ENOTFOUND;
    if (rc == TR_OK) {
        if (leaf <= old.leaf) {
            return tr_error_set(err, TR_ECONFLICT,
                                "record '%s' is already indexed at leaf %" PRIu64
                                ", not before leaf %" PRIu64,
                                id, old.leaf, leaf);
        }
        rc = tr_db_prepare(db, "UPDATE record SET leaf = :leaf WHERE id = :id", &st, err);
        tr_db_bind_int(st, ":leaf", (int64_t)leaf);
        tr_db_bind_str(st, ":id", id);
        return run(st, rc, err);
    }
    if (rc != TR_ENOTFOUND) {
        return rc;
    }
    rc = tr_db_prepare(db,
                       "INSERT INTO record (id, kind, issuer, subject, leaf, first_leaf)\n"
                       "    VALUES (:id, :kind, :issuer, :subject, :leaf, :leaf)",
                       &st, err);
    tr_db_bind_str(st, ":id", id);
    tr_db_bind_str(st, ":kind", tr_schema_kind_name(x->kind));
    tr_db_bind_str(st, ":issuer", x->issuer);
    tr_db_bind_str(st, ":subject", x->subject);
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    return run(st, rc, err);
}

/* Register one key of organisation uscc listed by Organization record id at leaf. */
static int index_key(struct tr_db *db, const char *uscc, const char *did, const char *id,
                     uint64_t leaf, struct tr_error *err)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_trust_key old;
    struct tr_db_stmt *st = NULL;
    if (did == NULL || tr_key_parse_did(did, pub, NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "organisation '%s' lists a key that is not a did:key",
                            uscc);
    }
    int rc = tr_trust_key_get(db, pub, UINT64_MAX, &old, err);
    if (rc == TR_OK) {
        if (strcmp(old.uscc, uscc) != 0) {
            return tr_error_set(err, TR_ECONFLICT, "key '%s' is already a key of '%s'", did,
                                old.uscc);
        }
        return TR_OK;
    }
    if (rc != TR_ENOTFOUND) {
        return rc;
    }
    rc = tr_db_prepare(db,
                       "INSERT INTO trust_key (pub, uscc, org_record, registered_leaf)\n"
                       "    VALUES (:pub, :uscc, :record, :leaf)",
                       &st, err);
    tr_db_bind_blob(st, ":pub", pub, sizeof pub);
    tr_db_bind_str(st, ":uscc", uscc);
    tr_db_bind_str(st, ":record", id);
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    return run(st, rc, err);
}

static int index_organization(struct tr_db *db, const struct indexed *x, const char *id,
                              uint64_t leaf, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    struct tr_buf permitted;
    const char *name = tr_json_string(tr_json_object_get(x->cs, "name"));
    const char *kind = tr_json_string(tr_json_object_get(x->cs, "organizationType"));
    const struct tr_json *keys = tr_json_object_get(x->cs, "keys");
    const struct tr_json *may = tr_json_object_get(x->cs, "mayIssue");
    tr_buf_init(&permitted);
    int rc = subject_uscc(x, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (name == NULL || kind == NULL || !tr_json_is(keys, TR_JSON_ARRAY) ||
        !tr_json_is(may, TR_JSON_ARRAY)) {
        rc = tr_error_set(err, TR_EINVAL,
                          "organisation '%s' lacks a name, kind, keys or "
                          "mayIssue",
                          x->subject);
        goto out;
    }
    if ((rc = tr_jcs_serialize(may, &permitted, err)) != TR_OK) {
        goto out;
    }
    rc = tr_db_prepare(db,
                       "INSERT INTO trust_org_version (record_id, uscc, leaf, name, org_kind, "
                       "permitted)\n"
                       "    VALUES (:id, :uscc, :leaf, :name, :kind, :permitted)",
                       &st, err);
    tr_db_bind_str(st, ":id", id);
    tr_db_bind_str(st, ":uscc", x->subject);
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    tr_db_bind_str(st, ":name", name);
    tr_db_bind_str(st, ":kind", kind);
    tr_db_bind_text(st, ":permitted", permitted.data, permitted.len);
    if ((rc = run(st, rc, err)) != TR_OK) {
        goto out;
    }
    rc = tr_db_prepare(db,
                       "INSERT INTO trust_org (uscc, record_id, leaf, first_leaf, name, "
                       "org_kind, permitted)\n"
                       "    VALUES (:uscc, :id, :leaf, :leaf, :name, :kind, :permitted)\n"
                       "    ON CONFLICT (uscc) DO UPDATE SET record_id = excluded.record_id,\n"
                       "        leaf = excluded.leaf, name = excluded.name,\n"
                       "        org_kind = excluded.org_kind, permitted = excluded.permitted",
                       &st, err);
    tr_db_bind_str(st, ":uscc", x->subject);
    tr_db_bind_str(st, ":id", id);
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    tr_db_bind_str(st, ":name", name);
    tr_db_bind_str(st, ":kind", kind);
    tr_db_bind_text(st, ":permitted", permitted.data, permitted.len);
    if ((rc = run(st, rc, err)) != TR_OK) {
        goto out;
    }
    for (size_t i = 0; rc == TR_OK && i < keys->u.array.len; i++) {
        rc = index_key(db, x->subject, tr_json_string(keys->u.array.items[i]), id, leaf, err);
    }
out:
    tr_buf_release(&permitted);
    return rc;
}

static int index_key_revocation(struct tr_db *db, const struct indexed *x, const char *id,
                                uint64_t leaf, struct tr_error *err)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_trust_key key;
    struct tr_db_stmt *st = NULL;
    const char *did = tr_json_string(tr_json_object_get(x->cs, "key"));
    const struct tr_json *since = tr_json_object_get(x->cs, "compromisedSince");
    int rc = subject_uscc(x, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (did == NULL || tr_key_parse_did(did, pub, NULL) != TR_OK ||
        (since != NULL && (since->type != TR_JSON_NUMBER || since->u.number.value < 0))) {
        return tr_error_set(err, TR_EINVAL, "the key revocation to index is malformed");
    }
    rc = tr_trust_key_get(db, pub, UINT64_MAX, &key, err);
    if (rc == TR_ENOTFOUND || (rc == TR_OK && strcmp(key.uscc, x->subject) != 0)) {
        return tr_error_set(err, TR_ECONFLICT, "key '%s' is not a key of '%s'", did, x->subject);
    }
    if (rc != TR_OK) {
        return rc;
    }
    rc = tr_db_prepare(db,
                       "INSERT INTO trust_key_revocation (record_id, pub, leaf, "
                       "compromised_since)\n"
                       "    VALUES (:id, :pub, :leaf, :since)",
                       &st, err);
    tr_db_bind_str(st, ":id", id);
    tr_db_bind_blob(st, ":pub", pub, sizeof pub);
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    if (since != NULL) {
        tr_db_bind_int(st, ":since", (int64_t)since->u.number.value);
    } else {
        tr_db_bind_null(st, ":since");
    }
    if ((rc = run(st, rc, err)) != TR_OK) {
        return rc;
    }
    rc = tr_db_prepare(db,
                       "UPDATE trust_key SET\n"
                       "    revoked_leaf = coalesce(revoked_leaf, :leaf),\n"
                       "    revocation_record = coalesce(revocation_record, :id),\n"
                       "    compromised_since = CASE WHEN :since IS NULL THEN compromised_since\n"
                       "        WHEN compromised_since IS NULL THEN :since\n"
                       "        ELSE min(compromised_since, :since) END\n"
                       "    WHERE pub = :pub",
                       &st, err);
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    tr_db_bind_str(st, ":id", id);
    tr_db_bind_blob(st, ":pub", pub, sizeof pub);
    if (since != NULL) {
        tr_db_bind_int(st, ":since", (int64_t)since->u.number.value);
    } else {
        tr_db_bind_null(st, ":since");
    }
    return run(st, rc, err);
}

static int index_revocation(struct tr_db *db, const struct indexed *x, const char *id,
                            uint64_t leaf, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    const char *action = tr_json_string(tr_json_object_get(x->cs, "action"));
    const char *by = tr_json_string(tr_json_object_get(x->cs, "supersededBy"));
    const char *replacement = by != NULL ? tr_ident_urn_value(by, TR_URN_RECORD) : NULL;
    int supersede = action != NULL && strcmp(action, "supersede") == 0;
    if (x->subject == NULL || strlen(x->subject) != TR_RECORD_ID_LEN ||
        (supersede && replacement == NULL)) {
        return tr_error_set(err, TR_EINVAL, "the revocation to index is malformed");
    }
    int rc = tr_db_prepare(db,
                           "INSERT INTO trust_revocation (target, record_id, leaf, action, "
                           "replacement)\n"
                           "    VALUES (:target, :id, :leaf, :action, :replacement)",
                           &st, err);
    tr_db_bind_str(st, ":target", x->subject);
    tr_db_bind_str(st, ":id", id);
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    tr_db_bind_str(st, ":action", supersede ? "supersede" : "revoke");
    tr_db_bind_str(st, ":replacement", supersede ? replacement : NULL);
    return run(st, rc, err);
}

int tr_trust_index(struct tr_db *db, const struct tr_json *credential, const char *record_id,
                   uint64_t leaf, struct tr_error *err)
{
    struct indexed x;
    int first = 0;
    if (tr_db_in_transaction(db) == 0) {
        return tr_error_set(err, TR_EINVAL, "indexing a record needs a transaction");
    }
    if (record_id == NULL ||
        tr_ident_record_id_check(record_id, strlen(record_id), NULL) != TR_OK || leaf > LEAF_MAX) {
        return tr_error_set(err, TR_EINVAL,
                            "record id '%.80s' at leaf %" PRIu64 " cannot be indexed",
                            record_id != NULL ? record_id : "", leaf);
    }
    int rc = read_indexed(credential, &x, err);
    if (rc != TR_OK) {
        return rc;
    }
    if ((rc = tr_db_begin(db, err)) != TR_OK) {
        return rc;
    }
    rc = index_record(db, &x, record_id, leaf, &first, err);
    if (rc == TR_OK && first && x.kind == TR_KIND_ORGANIZATION) {
        rc = index_organization(db, &x, record_id, leaf, err);
    } else if (rc == TR_OK && first && x.kind == TR_KIND_KEY_REVOCATION) {
        rc = index_key_revocation(db, &x, record_id, leaf, err);
    } else if (rc == TR_OK && first && x.kind == TR_KIND_REVOCATION) {
        rc = index_revocation(db, &x, record_id, leaf, err);
    }
    if (rc != TR_OK) {
        tr_db_rollback(db, NULL);
        return rc;
    }
    return tr_db_commit(db, err);
}
