/*
 * eligibility.c — a person's records as the archive stood at a log size, judged, and handed
 * to the metric engine (talentreg/eligibility.h).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg/eligibility.h"
#include "talentreg/key.h"
#include "talentreg/log.h"
#include "talentreg/trust.h"
#include "talentreg/verify.h"

/* SQLite integers are signed: a log size above this is the whole log of any store. */
#define SIZE_BOUND ((uint64_t)INT64_MAX)

/* Related records (agreements, mostly) judged once and handed to every person naming them. */
#define RELATED_CACHE 256

struct tr_eligibility {
    struct tr_db *db;
    enum tr_eligibility_mode mode;
    struct tr_eligibility_basis basis;
    /* TR_ELIGIBILITY_INDEX: what may stop a logged record from counting, read once. */
    struct tr_trust_revocation *revocations; /* sorted by target */
    size_t nrevocations;
    char (*compromised)[TR_KEY_DID_SIZE]; /* did:key of each compromised key */
    size_t ncompromised;
    struct tr_eligibility_record cache[RELATED_CACHE];
    size_t ncache;
    struct tr_buf body; /* the body being judged */
};

static int oom(struct tr_error *err)
{
    return tr_error_set(err, TR_ENOMEM, "out of memory");
}

/* The view's log size as SQLite takes it. */
static int64_t size_bound(const struct tr_eligibility *e)
{
    return (int64_t)(e->basis.log_size > SIZE_BOUND ? SIZE_BOUND : e->basis.log_size);
}

/* ---- Records ---- */

void tr_eligibility_record_release(struct tr_eligibility_record *r)
{
    if (r == NULL) {
        return;
    }
    tr_json_free(r->credential);
    free(r->reason);
    memset(r, 0, sizeof *r);
}

void tr_eligibility_records_release(struct tr_eligibility_records *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->len; i++) {
        tr_eligibility_record_release(&r->items[i]);
    }
    free(r->items);
    r->items = NULL;
    r->len = 0;
}

/* A copy of r into out; TR_OK or TR_ENOMEM. */
static int record_copy(const struct tr_eligibility_record *r, struct tr_eligibility_record *out)
{
    *out = *r;
    out->credential = NULL;
    out->reason = NULL;
    if ((r->credential != NULL && (out->credential = tr_json_clone(r->credential)) == NULL) ||
        (r->reason != NULL && (out->reason = strdup(r->reason)) == NULL)) {
        tr_eligibility_record_release(out);
        return TR_ENOMEM;
    }
    return TR_OK;
}

/* A new zeroed item at the end of list; NULL when out of memory. */
static struct tr_eligibility_record *append(struct tr_eligibility_records *list, size_t *cap)
{
    if (list->len == *cap) {
        size_t more = *cap == 0 ? 16 : 2 * *cap;
        struct tr_eligibility_record *p = realloc(list->items, more * sizeof *p);
        if (p == NULL) {
            return NULL;
        }
        list->items = p;
        *cap = more;
    }
    struct tr_eligibility_record *r = &list->items[list->len++];
    memset(r, 0, sizeof *r);
    return r;
}

static int has_record(const struct tr_eligibility_records *list, const char *id)
{
    for (size_t i = 0; i < list->len; i++) {
        if (strcmp(list->items[i].id, id) == 0) {
            return 1;
        }
    }
    return 0;
}

/* ---- Judging ---- */

/* The verdict v's reasons into r: the first code, and "CODE: DETAIL; ..." */
static int take_verdict(const struct tr_verdict *v, struct tr_eligibility_record *r,
                        struct tr_error *err)
{
    struct tr_buf b;
    r->counts = v->counts;
    if (v->counts) {
        return TR_OK;
    }
    tr_buf_init(&b);
    for (size_t i = 0; i < v->nreasons; i++) {
        tr_buf_addf(&b, "%s%s: %s", i > 0 ? "; " : "", tr_verify_reason_code(v->reasons[i].reason),
                    v->reasons[i].detail);
    }
    r->code = v->nreasons > 0 ? tr_verify_reason_code(v->reasons[0].reason) : "unknown";
    if ((r->reason = tr_buf_detach(&b, NULL)) == NULL) {
        return oom(err);
    }
    return TR_OK;
}

static int by_target(const void *key, const void *item)
{
    return strcmp(key, ((const struct tr_trust_revocation *)item)->target);
}

/* Whether a Revocation below the view's log size names record id. */
static int named_by_revocation(const struct tr_eligibility *e, const char *id)
{
    return e->nrevocations > 0 &&
           bsearch(id, e->revocations, e->nrevocations, sizeof *e->revocations, by_target) != NULL;
}

/* Whether a proof of credential is by one of the view's compromised keys. */
static int by_compromised_key(const struct tr_eligibility *e, const struct tr_json *credential)
{
    const struct tr_json *proof = tr_json_object_get(credential, "proof");
    size_t n = tr_json_is(proof, TR_JSON_ARRAY) ? proof->u.array.len : 1;
    for (size_t i = 0; e->ncompromised > 0 && proof != NULL && i < n; i++) {
        const struct tr_json *p = proof->type == TR_JSON_ARRAY ? proof->u.array.items[i] : proof;
        const char *vm = tr_json_string(tr_json_object_get(p, "verificationMethod"));
        for (size_t k = 0; vm != NULL && k < e->ncompromised; k++) {
            size_t len = strlen(e->compromised[k]);
            if (strncmp(vm, e->compromised[k], len) == 0 && (vm[len] == '\0' || vm[len] == '#')) {
                return 1;
            }
        }
    }
    return 0;
}

/*
 * Judge r (id, kind and leaves filled in): read its body at r->leaf, checked against its
 * leaf hash, then decide as the view's mode says.
 */
static int judge(struct tr_eligibility *e, struct tr_eligibility_record *r, struct tr_error *err)
{
    /* Whatever a submission may have been allowed. */
    static const struct tr_limits limits = {TR_LIMIT_CEIL_BYTES, TR_LIMIT_CEIL_DEPTH,
                                            TR_LIMIT_CEIL_NODES, TR_LIMIT_CEIL_SCALAR};
    struct tr_log_entry entry;
    struct tr_verdict v;
    struct tr_error perr = {0};
    tr_verify_verdict_init(&v);
    /* One buffer for every body: a fresh one per record costs more than reading it. */
    tr_buf_reset(&e->body);
    int rc = tr_log_entry(e->db, r->leaf, &entry, &e->body, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (strcmp(entry.record_id, r->id) != 0) {
        rc = tr_error_set(err, TR_EVERIFY, "leaf %" PRIu64 " holds record %s, not %s", r->leaf,
                          entry.record_id, r->id);
        goto out;
    }
    if (!entry.erased &&
        tr_json_parse(e->body.data, e->body.len, "body", &limits, &r->credential, &perr) != TR_OK) {
        rc = tr_error_set(err, TR_EVERIFY, "leaf %" PRIu64 " is not a credential: %s", r->leaf,
                          perr.msg);
        goto out;
    }
    if (e->mode == TR_ELIGIBILITY_INDEX && !entry.erased && !named_by_revocation(e, r->id) &&
        !by_compromised_key(e, r->credential)) {
        r->counts = 1;
        goto out;
    }
    if ((rc = tr_verify_record(e->db, r->id, e->basis.log_size, &v, err)) == TR_OK) {
        rc = take_verdict(&v, r, err);
    }
out:
    tr_verify_verdict_release(&v);
    return rc;
}

/* ---- The view ---- */

int tr_eligibility_open(struct tr_db *db, uint64_t log_size, enum tr_eligibility_mode mode,
                        struct tr_eligibility **out, struct tr_error *err)
{
    struct tr_eligibility *e = NULL;
    struct tr_trust_key *keys = NULL;
    uint64_t size = 0;
    int rc = TR_OK;
    if (out == NULL || db == NULL ||
        (mode != TR_ELIGIBILITY_VERIFY && mode != TR_ELIGIBILITY_INDEX)) {
        return tr_error_set(err, TR_EINVAL, "tr_eligibility_open: no store, no output or no mode");
    }
    *out = NULL;
    if ((rc = tr_log_size(db, &size, err)) != TR_OK) {
        return rc;
    }
    if (log_size == TR_ELIGIBILITY_WHOLE_LOG) {
        log_size = size;
    } else if (log_size > size) {
        return tr_error_set(err, TR_EINVAL,
                            "log size %" PRIu64 " is larger than the log (%" PRIu64 " leaves)",
                            log_size, size);
    }
    if ((e = calloc(1, sizeof *e)) == NULL) {
        return oom(err);
    }
    e->db = db;
    e->mode = mode;
    tr_buf_init(&e->body);
    e->basis.log_size = log_size;
    if ((rc = tr_log_root(db, log_size, e->basis.root, err)) != TR_OK) {
        goto out;
    }
    rc = tr_log_latest_checkpoint(db, NULL, &e->basis.checkpoint_size, e->basis.checkpoint_root,
                                  err);
    if (rc == TR_ENOTFOUND) {
        tr_error_clear(err);
        rc = TR_OK;
    } else if (rc == TR_OK) {
        e->basis.has_checkpoint = e->basis.checkpoint_size >= log_size;
    }
    if (rc != TR_OK || mode != TR_ELIGIBILITY_INDEX) {
        goto out;
    }
    rc = tr_trust_revocation_list(db, log_size, &e->revocations, &e->nrevocations, err);
    if (rc == TR_OK) {
        rc = tr_trust_compromised_keys(db, log_size, &keys, &e->ncompromised, err);
    }
    if (rc == TR_OK && e->ncompromised > 0 &&
        (e->compromised = calloc(e->ncompromised, sizeof *e->compromised)) == NULL) {
        rc = oom(err);
    }
    for (size_t i = 0; rc == TR_OK && i < e->ncompromised; i++) {
        tr_key_did(keys[i].pub, e->compromised[i]);
    }
out:
    free(keys);
    if (rc != TR_OK) {
        tr_eligibility_close(e);
        e = NULL;
    }
    *out = e;
    return rc;
}

const struct tr_eligibility_basis *tr_eligibility_basis(const struct tr_eligibility *e)
{
    return &e->basis;
}

void tr_eligibility_close(struct tr_eligibility *e)
{
    if (e == NULL) {
        return;
    }
    for (size_t i = 0; i < e->ncache; i++) {
        tr_eligibility_record_release(&e->cache[i]);
    }
    free(e->revocations);
    free(e->compromised);
    tr_buf_release(&e->body);
    free(e);
}

/* ---- Selecting ---- */

/*
 * The latest leaf of a record below the log size, given its latest leaf in the whole log:
 * that one when it is below, else the last one below found in the log.
 */
static int leaf_below(struct tr_eligibility *e, const char *id, uint64_t latest, uint64_t *leaf,
                      struct tr_error *err)
{
    uint64_t *leaves = NULL;
    size_t n = 0;
    if (latest < e->basis.log_size) {
        *leaf = latest;
        return TR_OK;
    }
    int rc = tr_log_find(e->db, id, NULL, &leaves, &n, err);
    while (rc == TR_OK && n > 0 && leaves[n - 1] >= e->basis.log_size) {
        n--;
    }
    if (rc == TR_OK && n == 0) {
        rc = tr_error_set(err, TR_EVERIFY,
                          "record %s is indexed below log size %" PRIu64
                          " but the log holds none of its leaves there",
                          id, e->basis.log_size);
    }
    if (rc == TR_OK) {
        *leaf = leaves[n - 1];
    }
    free(leaves);
    return rc;
}

/* Fill r from the current row of st (id, kind, first_leaf, leaf) and judge it. */
static int read_row(struct tr_eligibility *e, struct tr_db_stmt *st,
                    struct tr_eligibility_record *r, struct tr_error *err)
{
    size_t len = 0;
    const char *id = tr_db_column_text(st, 0, &len);
    const char *kind = tr_db_column_text(st, 1, NULL);
    if (len != TR_RECORD_ID_LEN || tr_schema_kind_from_name(kind, &r->kind) != TR_OK) {
        return tr_error_set(err, TR_EDB, "store '%s': a record row is malformed",
                            tr_db_path(e->db));
    }
    memcpy(r->id, id, len + 1);
    r->first_leaf = (uint64_t)tr_db_column_int(st, 2);
    r->leaf = (uint64_t)tr_db_column_int(st, 3); /* the latest in the whole log, for now */
    return TR_OK;
}

/* Judge r as read_row left it: its body is its latest below the log size. */
static int judge_read(struct tr_eligibility *e, struct tr_eligibility_record *r,
                      struct tr_error *err)
{
    int rc = leaf_below(e, r->id, r->leaf, &r->leaf, err);
    return rc == TR_OK ? judge(e, r, err) : rc;
}

/* Fill r from the current row of st (id, kind, first_leaf, leaf) and judge it. */
static int judge_row(struct tr_eligibility *e, struct tr_db_stmt *st,
                     struct tr_eligibility_record *r, struct tr_error *err)
{
    int rc = read_row(e, st, r, err);
    return rc == TR_OK ? judge_read(e, r, err) : rc;
}

static int by_first_leaf(const void *a, const void *b)
{
    const struct tr_eligibility_record *x = a, *y = b;
    return x->first_leaf < y->first_leaf ? -1 : x->first_leaf > y->first_leaf;
}

/* The cached judgement of related record id, or NULL. */
static const struct tr_eligibility_record *cached(const struct tr_eligibility *e, const char *id)
{
    for (size_t i = 0; i < e->ncache; i++) {
        if (strcmp(e->cache[i].id, id) == 0) {
            return &e->cache[i];
        }
    }
    return NULL;
}

/* Add the record id, named by one of the person's recognitions, when it was logged below the
 * log size and is not in list yet. */
static int add_related(struct tr_eligibility *e, const char *id,
                       struct tr_eligibility_records *list, size_t *cap, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    struct tr_eligibility_record *r = NULL;
    const struct tr_eligibility_record *hit;
    int row = 0, rc = TR_OK;
    if (id == NULL || has_record(list, id)) {
        return TR_OK;
    }
    if ((r = append(list, cap)) == NULL) {
        return oom(err);
    }
    if ((hit = cached(e, id)) != NULL) {
        if (record_copy(hit, r) != TR_OK) {
            list->len--;
            return oom(err);
        }
        return TR_OK;
    }
    rc = tr_db_prepare(e->db,
                       "SELECT id, kind, first_leaf, leaf FROM record\n"
                       "    WHERE id = :id AND first_leaf < :size",
                       &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":id", id);
    tr_db_bind_int(st, ":size", size_bound(e));
    if ((rc = tr_db_step(st, &row, err)) != TR_OK || !row) {
        goto out;
    }
    r->related = 1;
    if ((rc = judge_row(e, st, r, err)) == TR_OK && e->ncache < RELATED_CACHE) {
        if (record_copy(r, &e->cache[e->ncache]) != TR_OK) {
            rc = oom(err);
        } else {
            e->ncache++;
        }
    }
out:
    rc = tr_db_finalize(st, rc, err);
    if (rc != TR_OK || !row) {
        tr_eligibility_record_release(r);
        list->len--;
    }
    return rc;
}

int tr_eligibility_get(struct tr_eligibility *e, const char *id, struct tr_eligibility_record *out,
                       struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    memset(out, 0, sizeof *out);
    if (id == NULL || tr_ident_record_id_check(id, strlen(id), NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "record id '%.80s' is not %d lowercase hex digits",
                            id != NULL ? id : "", TR_RECORD_ID_LEN);
    }
    int rc = tr_db_prepare(e->db,
                           "SELECT id, kind, first_leaf, leaf FROM record\n"
                           "    WHERE id = :id AND first_leaf < :size",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":id", id);
    tr_db_bind_int(st, ":size", size_bound(e));
    if ((rc = tr_db_step(st, &row, err)) == TR_OK && !row) {
        rc = tr_error_set(err, TR_ENOTFOUND, "record '%s' is not in the log of size %" PRIu64, id,
                          e->basis.log_size);
    }
    if (rc == TR_OK) {
        rc = judge_row(e, st, out, err);
    }
out:
    rc = tr_db_finalize(st, rc, err);
    if (rc != TR_OK) {
        tr_eligibility_record_release(out);
    }
    return rc;
}

/* The record id a member of a credentialSubject names ("urn:talentreg:record:<id>"). */
static const char *named_record(const struct tr_json *credential, const char *key)
{
    const struct tr_json *cs = tr_json_object_get(credential, "credentialSubject");
    const char *id = tr_ident_urn_value(tr_json_string(tr_json_object_get(cs, key)), TR_URN_RECORD);
    return id != NULL && tr_ident_record_id_check(id, strlen(id), NULL) == TR_OK ? id : NULL;
}

int tr_eligibility_select(struct tr_eligibility *e, const char *person, unsigned kinds,
                          struct tr_eligibility_records *out, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    const char *id = tr_ident_urn_value(person, TR_URN_PERSON);
    size_t cap = 0, own = 0;
    int row = 0, rc = TR_OK;
    memset(out, 0, sizeof *out);
    if (id == NULL) {
        id = person;
    }
    if (e == NULL || id == NULL || tr_ident_person_id_check(id, strlen(id), NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "'%.80s' is not a person id",
                            person != NULL ? person : "");
    }
    if (kinds == 0) {
        kinds = (1u << TR_KIND_COUNT) - 1;
    }
    /* Sorted here rather than by SQLite: a sorter for twenty rows costs more than they do. */
    rc = tr_db_prepare(e->db,
                       "SELECT id, kind, first_leaf, leaf FROM record\n"
                       "    WHERE subject = :subject AND first_leaf < :size",
                       &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":subject", id);
    tr_db_bind_int(st, ":size", size_bound(e));
    while ((rc = tr_db_step(st, &row, err)) == TR_OK && row) {
        enum tr_kind kind;
        if (tr_schema_kind_from_name(tr_db_column_text(st, 1, NULL), &kind) == TR_OK &&
            (kinds & (1u << kind)) == 0) {
            continue;
        }
        struct tr_eligibility_record *r = append(out, &cap);
        if (r == NULL) {
            rc = oom(err);
            break;
        }
        if ((rc = read_row(e, st, r, err)) != TR_OK) {
            break;
        }
    }
    rc = tr_db_finalize(st, rc, err);
    own = out->len;
    if (own > 1) {
        qsort(out->items, own, sizeof *out->items, by_first_leaf);
    }
    for (size_t i = 0; rc == TR_OK && i < own; i++) {
        rc = judge_read(e, &out->items[i], err);
    }
    for (size_t i = 0; rc == TR_OK && i < own; i++) {
        const struct tr_eligibility_record *r = &out->items[i];
        if (r->kind != TR_KIND_CREDIT_RECOGNITION || (kinds & (1u << r->kind)) == 0) {
            continue;
        }
        /* out->items may move as related records are added: read both ids first. */
        char credit[TR_RECORD_ID_LEN + 1] = "", agreement[TR_RECORD_ID_LEN + 1] = "";
        const char *c = named_record(r->credential, "credit");
        const char *a = named_record(r->credential, "agreement");
        snprintf(credit, sizeof credit, "%s", c != NULL ? c : "");
        snprintf(agreement, sizeof agreement, "%s", a != NULL ? a : "");
        if ((rc = add_related(e, c != NULL ? credit : NULL, out, &cap, err)) == TR_OK) {
            rc = add_related(e, a != NULL ? agreement : NULL, out, &cap, err);
        }
    }
out:
    if (rc != TR_OK) {
        tr_eligibility_records_release(out);
    }
    return rc;
}

/* ---- Policies and people ---- */

unsigned tr_eligibility_policy_kinds(const struct tr_policy *policy)
{
    unsigned kinds = 0;
    for (size_t i = 0; policy != NULL && i < policy->ncriteria; i++) {
        switch (policy->criteria[i].type) {
        case TR_CRITERION_ENTERPRISE_MONTHS:
            kinds |= 1u << TR_KIND_ENTERPRISE_PLACEMENT;
            break;
        case TR_CRITERION_TEACHING_HOURS:
        case TR_CRITERION_ACTIVE_APPOINTMENT:
        case TR_CRITERION_SUPERVISION_RIGHTS:
            kinds |= 1u << TR_KIND_DUAL_APPOINTMENT;
            break;
        case TR_CRITERION_CREDITS_RECOGNISED:
            kinds |= 1u << TR_KIND_CREDIT_RECOGNITION | 1u << TR_KIND_CREDIT |
                     1u << TR_KIND_RECOGNITION_AGREEMENT;
            break;
        case TR_CRITERION_CONTRIBUTION_POINTS:
            kinds |= 1u << TR_KIND_CONTRIBUTION;
            break;
        case TR_CRITERION_EVALUATIONS:
            kinds |= 1u << TR_KIND_EVALUATION;
            break;
        }
    }
    return kinds;
}

void tr_eligibility_people_free(char **list, size_t n)
{
    for (size_t i = 0; list != NULL && i < n; i++) {
        free(list[i]);
    }
    free(list);
}

/* Append a copy of id to *list unless it is the last one there. */
static int add_person(char ***list, size_t *n, size_t *cap, const char *id)
{
    if (*n > 0 && strcmp((*list)[*n - 1], id) == 0) {
        return TR_OK;
    }
    if (*n == *cap) {
        size_t more = *cap == 0 ? 64 : 2 * *cap;
        char **p = realloc(*list, more * sizeof *p);
        if (p == NULL) {
            return TR_ENOMEM;
        }
        *list = p;
        *cap = more;
    }
    if (((*list)[*n] = strdup(id)) == NULL) {
        return TR_ENOMEM;
    }
    (*n)++;
    return TR_OK;
}

/*
 * Every person: the subjects of the record index that are person ids. Person ids begin
 * "p-"; a USCC (digits and capitals) or a record id (hex digits) never does, so the range
 * 'p-' <= subject < 'p.' of the subject index holds exactly them, in order.
 */
static const char sql_everyone[] = "SELECT DISTINCT subject FROM record\n"
                                   "    WHERE subject >= 'p-' AND subject < 'p.'\n"
                                   "      AND first_leaf < :size ORDER BY subject";

/* The Person records, each person's latest first: the first that counts gives the home. */
static const char sql_registered[] =
    "SELECT id, kind, first_leaf, leaf, subject, issuer\n"
    "    FROM record WHERE kind = 'Person' AND first_leaf < :size\n"
    "    ORDER BY subject, first_leaf DESC";

int tr_eligibility_people(struct tr_eligibility *e, const char *org, char ***out, size_t *n,
                          struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    char **list = NULL;
    size_t count = 0, cap = 0;
    char decided[TR_PERSON_ID_MAX + 1] = ""; /* the person whose home is known */
    int row = 0, rc = TR_OK;
    *out = NULL;
    *n = 0;
    if (org != NULL && tr_ident_uscc_check(org, strlen(org), NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "'%.80s' is not a USCC", org);
    }
    rc = tr_db_prepare(e->db, org == NULL ? sql_everyone : sql_registered, &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_int(st, ":size", size_bound(e));
    while ((rc = tr_db_step(st, &row, err)) == TR_OK && row) {
        const char *subject = tr_db_column_text(st, org == NULL ? 0 : 4, NULL);
        if (org == NULL) {
            rc = add_person(&list, &count, &cap, subject) == TR_OK ? TR_OK : oom(err);
        } else if (strcmp(decided, subject) != 0) {
            struct tr_eligibility_record r;
            memset(&r, 0, sizeof r);
            rc = judge_row(e, st, &r, err);
            if (rc == TR_OK && r.counts) {
                snprintf(decided, sizeof decided, "%s", subject);
                if (strcmp(tr_db_column_text(st, 5, NULL), org) == 0 &&
                    add_person(&list, &count, &cap, subject) != TR_OK) {
                    rc = oom(err);
                }
            }
            tr_eligibility_record_release(&r);
        }
        if (rc != TR_OK) {
            break;
        }
    }
out:
    rc = tr_db_finalize(st, rc, err);
    if (rc != TR_OK) {
        tr_eligibility_people_free(list, count);
        list = NULL;
        count = 0;
    }
    *out = list;
    *n = count;
    return rc;
}

/* ---- Evaluating ---- */

int tr_eligibility_evaluate(const struct tr_eligibility_records *records,
                            const struct tr_policy *policy, const struct tr_metric_options *opt,
                            struct tr_metric_result **out, struct tr_error *err)
{
    struct tr_metric_record *in = NULL;
    size_t n = records != NULL ? records->len : 0;
    if (n > 0 && (in = calloc(n, sizeof *in)) == NULL) {
        return oom(err);
    }
    for (size_t i = 0; i < n; i++) {
        const struct tr_eligibility_record *r = &records->items[i];
        in[i].id = r->id;
        in[i].credential = r->credential;
        in[i].excluded = r->counts ? NULL : r->reason;
    }
    int rc = tr_metric_evaluate(policy, opt, in, n, out, err);
    free(in);
    return rc;
}

/* ---- Many people at once ---- */

/* People are handed out in runs of this many, to keep the lock out of the way. */
#define EACH_CHUNK 32

struct each {
    pthread_mutex_t lock;
    size_t next; /* the next person not handed out */
    int failed;  /* a worker met an error: err holds it */
    struct tr_error err;
    char *const *list;
    size_t n;
    const struct tr_policy *policy;
    const struct tr_metric_options *opt;
    unsigned kinds;
    tr_eligibility_fn fn;
    void *ctx;
};

struct each_worker {
    struct each *each;
    struct tr_eligibility *view; /* the caller's, or one on the worker's own connection */
    struct tr_db *db;            /* the worker's connection, NULL in the caller's thread */
    pthread_t thread;
    int started;
    uint64_t log_size;
    enum tr_eligibility_mode mode;
    const char *path;
};

static int each_person(struct each_worker *w, size_t i, struct tr_error *err)
{
    struct each *x = w->each;
    struct tr_eligibility_records records;
    struct tr_metric_result *result = NULL;
    struct tr_metric_options opt = *x->opt;
    opt.subject = x->list[i];
    int rc = tr_eligibility_select(w->view, x->list[i], x->kinds, &records, err);
    if (rc == TR_OK) {
        rc = tr_eligibility_evaluate(&records, x->policy, &opt, &result, err);
    }
    if (rc == TR_OK) {
        rc = x->fn(x->ctx, i, result);
        if (rc != TR_OK && err != NULL && err->code == TR_OK) {
            tr_error_set(err, rc, "%s", tr_strerror(rc));
        }
    }
    tr_metric_result_free(result);
    tr_eligibility_records_release(&records);
    return rc;
}

/* Take runs of people until none is left or someone failed. */
static int each_loop(struct each_worker *w, struct tr_error *err)
{
    struct each *x = w->each;
    int rc = TR_OK;
    while (rc == TR_OK) {
        pthread_mutex_lock(&x->lock);
        size_t from = x->failed ? x->n : x->next;
        size_t to = from + EACH_CHUNK < x->n ? from + EACH_CHUNK : x->n;
        x->next = to;
        pthread_mutex_unlock(&x->lock);
        if (from >= to) {
            break;
        }
        for (size_t i = from; rc == TR_OK && i < to; i++) {
            rc = each_person(w, i, err);
        }
    }
    return rc;
}

/* Record a worker's failure (the first one wins). */
static void each_fail(struct each *x, int rc, const struct tr_error *err)
{
    pthread_mutex_lock(&x->lock);
    if (!x->failed) {
        x->failed = 1;
        x->err = *err;
        x->err.code = rc;
    }
    pthread_mutex_unlock(&x->lock);
}

static void *each_thread(void *arg)
{
    struct each_worker *w = arg;
    struct tr_error err = {0};
    int rc = tr_db_open(w->path, TR_DB_READONLY, &w->db, &err);
    if (rc == TR_OK) {
        rc = tr_eligibility_open(w->db, w->log_size, w->mode, &w->view, &err);
    }
    if (rc == TR_OK) {
        rc = each_loop(w, &err);
    }
    if (rc != TR_OK) {
        each_fail(w->each, rc, &err);
    }
    return NULL;
}

int tr_eligibility_each(struct tr_eligibility *e, char *const *list, size_t n,
                        const struct tr_policy *policy, const struct tr_metric_options *opt,
                        unsigned threads, tr_eligibility_fn fn, void *ctx, struct tr_error *err)
{
    struct each x;
    struct each_worker workers[TR_ELIGIBILITY_THREADS_MAX + 1];
    struct tr_error own = {0};
    if (e == NULL || policy == NULL || opt == NULL || fn == NULL || (list == NULL && n > 0)) {
        return tr_error_set(err, TR_EINVAL, "tr_eligibility_each: no view, policy or function");
    }
    if (threads > TR_ELIGIBILITY_THREADS_MAX) {
        threads = TR_ELIGIBILITY_THREADS_MAX;
    }
    if (threads > n / EACH_CHUNK) {
        threads = (unsigned)(n / EACH_CHUNK); /* a worker for fewer people costs more */
    }
    memset(&x, 0, sizeof x);
    memset(workers, 0, sizeof workers);
    x.list = list;
    x.n = n;
    x.policy = policy;
    x.opt = opt;
    x.kinds = tr_eligibility_policy_kinds(policy);
    x.fn = fn;
    x.ctx = ctx;
    pthread_mutex_init(&x.lock, NULL);
    for (unsigned i = 0; i <= threads; i++) {
        workers[i].each = &x;
        workers[i].log_size = e->basis.log_size;
        workers[i].mode = e->mode;
        workers[i].path = tr_db_path(e->db);
    }
    workers[0].view = e;
    for (unsigned i = 1; i <= threads; i++) {
        if (pthread_create(&workers[i].thread, NULL, each_thread, &workers[i]) != 0) {
            tr_error_set(&own, TR_EIO, "cannot start a thread");
            each_fail(&x, TR_EIO, &own);
            break;
        }
        workers[i].started = 1;
    }
    int rc = each_loop(&workers[0], &own);
    if (rc != TR_OK) {
        each_fail(&x, rc, &own);
    }
    for (unsigned i = 1; i <= threads; i++) {
        if (workers[i].started) {
            pthread_join(workers[i].thread, NULL);
        }
        tr_eligibility_close(workers[i].view);
        tr_db_close(workers[i].db, NULL);
    }
    pthread_mutex_destroy(&x.lock);
    if (x.failed) {
        if (err != NULL) {
            *err = x.err;
        }
        return x.err.code;
    }
    return TR_OK;
}
