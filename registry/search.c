/*
 * search.c — the full-text index of records and its queries (see talentreg/search.h,
 * docs/search.md and schemas/store-search.sql).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "fts_cjk.h"
#include "talentreg/log.h"
#include "talentreg/search.h"
#include "utf8.h"

/* The index's tables, as tr_db_create makes them (tr_search_reindex makes them anew). */
#define SEARCH_SCHEMA "schemas/store-search.sql"

/* The two full-text columns of search_text, in table order. */
enum column {
    TITLE, /* the names a record is known by; weighs more in the ranking */
    BODY   /* the rest of its searchable text */
};

/*
 * What is searchable in each kind: a member path under credentialSubject and the column
 * its text goes to. "a.b" is member b of object a; "a[]" every string of array a; "a[].b"
 * member b of every object of array a. Identifiers, numbers, dates and hashes are left
 * out: the filters select on issuer, subject and date, and a search for a number would
 * mostly find noise. Enum values (industrial_professor) are indexed as their words.
 */
static const struct field {
    enum tr_kind kind;
    enum column column;
    const char *path;
} fields[] = {
    {TR_KIND_ORGANIZATION, TITLE, "name"},
    {TR_KIND_ORGANIZATION, TITLE, "alternateName"},
    {TR_KIND_ORGANIZATION, BODY, "organizationType"},
    {TR_KIND_KEY_REVOCATION, BODY, "reason"},
    {TR_KIND_PERSON, TITLE, "name"},
    {TR_KIND_PERSON, TITLE, "alternateName"},
    {TR_KIND_PERSON, BODY, "categories[]"},
    {TR_KIND_DUAL_APPOINTMENT, TITLE, "title"},
    {TR_KIND_DUAL_APPOINTMENT, BODY, "role"},
    {TR_KIND_DUAL_APPOINTMENT, BODY, "duties.courses[]"},
    {TR_KIND_DUAL_APPOINTMENT, BODY, "duties.description"},
    {TR_KIND_ENTERPRISE_PLACEMENT, TITLE, "project"},
    {TR_KIND_ENTERPRISE_PLACEMENT, BODY, "form"},
    {TR_KIND_CREDIT, TITLE, "course"},
    {TR_KIND_CREDIT, BODY, "courseCode"},
    {TR_KIND_CREDIT, BODY, "term"},
    {TR_KIND_RECOGNITION_AGREEMENT, TITLE, "title"},
    {TR_KIND_CREDIT_RECOGNITION, TITLE, "course"},
    {TR_KIND_CREDIT_RECOGNITION, BODY, "courseCode"},
    {TR_KIND_CREDIT_RECOGNITION, BODY, "decision"},
    {TR_KIND_CONTRIBUTION, TITLE, "title"},
    {TR_KIND_CONTRIBUTION, BODY, "contributionType"},
    {TR_KIND_CONTRIBUTION, BODY, "reference"},
    {TR_KIND_EVALUATION, TITLE, "purpose"},
    {TR_KIND_EVALUATION, BODY, "evaluatorRole"},
    {TR_KIND_EVALUATION, BODY, "dimensions[].name"},
    {TR_KIND_REVOCATION, BODY, "action"},
    {TR_KIND_REVOCATION, BODY, "reason"},
};

/*
 * The date field of the kinds that have one, used when a record has no validFrom (the
 * Evaluation's evaluatedOn is never needed: an evaluation always has its period).
 */
static const char *const date_fields[TR_KIND_COUNT] = {
    [TR_KIND_CREDIT] = "earnedOn",
    [TR_KIND_CREDIT_RECOGNITION] = "decidedOn",
    [TR_KIND_CONTRIBUTION] = "achievedOn",
    [TR_KIND_EVALUATION] = "evaluatedOn",
};

/* Between two values of one column: a separator to the tokenizer, readable in a snippet. */
#define VALUE_SEPARATOR " · "

/* Tokens a snippet shows (as the text of an SQL literal). */
#define SNIPPET_TOKENS "24"

/* What a record contributes to the index. */
struct entry {
    enum tr_kind kind;
    const char *issuer;  /* the USCC inside the credential's issuer, or NULL (operator) */
    const char *subject; /* credentialSubject.id, or NULL */
    int has_day;
    int64_t day;
    struct tr_buf text[2]; /* TITLE and BODY */
};

/* Append the string s as one value of column out: control characters become spaces. */
static void add_value(struct tr_buf *out, const char *s)
{
    if (s[0] == '\0') {
        return;
    }
    if (out->len > 0) {
        tr_buf_adds(out, VALUE_SEPARATOR);
    }
    size_t start = out->len;
    tr_buf_adds(out, s);
    if (out->err == TR_OK) {
        for (size_t i = start; i < out->len; i++) {
            if ((unsigned char)out->data[i] < 0x20) {
                out->data[i] = ' ';
            }
        }
    }
}

/* Append every string that path (see fields) reaches from node to out. */
static void collect(const struct tr_json *node, const char *path, struct tr_buf *out)
{
    char name[64];
    size_t n = strcspn(path, ".[");
    if (n >= sizeof name) {
        return;
    }
    memcpy(name, path, n);
    name[n] = '\0';
    const struct tr_json *value = tr_json_object_get(node, name);
    const char *rest = path + n;
    if (value == NULL) {
        return;
    }
    if (strncmp(rest, "[]", 2) == 0) {
        rest += rest[2] == '.' ? 3 : 2;
        if (!tr_json_is(value, TR_JSON_ARRAY)) {
            return;
        }
        for (size_t i = 0; i < value->u.array.len; i++) {
            const struct tr_json *item = value->u.array.items[i];
            if (rest[0] == '\0') {
                if (tr_json_is(item, TR_JSON_STRING)) {
                    add_value(out, tr_json_string(item));
                }
            } else {
                collect(item, rest, out);
            }
        }
    } else if (rest[0] == '.') {
        collect(value, rest + 1, out);
    } else if (tr_json_is(value, TR_JSON_STRING)) {
        add_value(out, tr_json_string(value));
    }
}

/* The day of the text at s when it starts with a valid YYYY-MM-DD date. */
static int day_of(const char *s, int64_t *day)
{
    return s != NULL && strlen(s) >= TR_DATE_LEN &&
           tr_date_parse(s, TR_DATE_LEN, day, NULL) == TR_OK;
}

static void entry_release(struct entry *e)
{
    tr_buf_release(&e->text[TITLE]);
    tr_buf_release(&e->text[BODY]);
}

/* Read what the index keeps of credential into e (whose text buffers are initialised). */
static int entry_read(const struct tr_json *credential, struct entry *e, struct tr_error *err)
{
    int rc = tr_schema_kind(credential, &e->kind, err);
    if (rc != TR_OK) {
        return rc;
    }
    const char *issuer = tr_json_string(tr_json_object_get(credential, "issuer"));
    if (issuer != NULL && strcmp(issuer, TR_URN_OPERATOR) == 0) {
        e->issuer = NULL;
    } else {
        e->issuer = tr_ident_urn_value(issuer, TR_URN_ORG);
        if (e->issuer == NULL || strlen(e->issuer) != TR_USCC_LEN) {
            return tr_error_set(err, TR_ESCHEMA,
                                "field 'issuer' names neither an organisation nor the operator");
        }
    }
    const struct tr_json *subject = tr_json_object_get(credential, "credentialSubject");
    e->subject = tr_json_string(tr_json_object_get(subject, "id"));
    e->has_day = day_of(tr_json_string(tr_json_object_get(credential, "validFrom")), &e->day);
    if (!e->has_day && date_fields[e->kind] != NULL) {
        e->has_day =
            day_of(tr_json_string(tr_json_object_get(subject, date_fields[e->kind])), &e->day);
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i].kind == e->kind) {
            collect(subject, fields[i].path, &e->text[fields[i].column]);
        }
    }
    rc = e->text[TITLE].err != TR_OK ? e->text[TITLE].err : e->text[BODY].err;
    if (rc != TR_OK) {
        return tr_error_set(err, rc, "out of memory");
    }
    return TR_OK;
}

static int check_record_id(const char *record_id, struct tr_error *err)
{
    if (record_id == NULL ||
        tr_ident_record_id_check(record_id, strlen(record_id), NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "record id '%.64s' is not 64 lowercase hex digits",
                            record_id != NULL ? record_id : "");
    }
    return TR_OK;
}

/*
 * Raise the leaf of record_id when it is indexed already. *found (out) says whether it was.
 */
static int raise_leaf(struct tr_db *db, const char *record_id, uint64_t leaf, int *found,
                      struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int rc = tr_db_prepare(db,
                           "UPDATE search_record SET leaf = max(leaf, :leaf)\n"
                           "    WHERE record_id = :record_id",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    tr_db_bind_str(st, ":record_id", record_id);
    rc = tr_db_step(st, NULL, err);
    *found = rc == TR_OK && tr_db_changes(db) > 0;
out:
    return tr_db_finalize(st, rc, err);
}

/* Write the row of a record not indexed yet, and its tokens. */
static int insert_entry(struct tr_db *db, const char *record_id, uint64_t leaf,
                        const struct entry *e, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    int rc = tr_db_prepare(db,
                           "INSERT INTO search_record\n"
                           "    (record_id, leaf, kind, issuer, subject, day, title, body)\n"
                           "    VALUES (:record_id, :leaf, :kind, :issuer, :subject, :day,\n"
                           "            :title, :body)\n"
                           "    RETURNING id",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":record_id", record_id);
    tr_db_bind_int(st, ":leaf", (int64_t)leaf);
    tr_db_bind_int(st, ":kind", (int64_t)e->kind);
    tr_db_bind_str(st, ":issuer", e->issuer);
    tr_db_bind_str(st, ":subject", e->subject);
    if (e->has_day) {
        tr_db_bind_int(st, ":day", e->day);
    } else {
        tr_db_bind_null(st, ":day");
    }
    tr_db_bind_text(st, ":title", e->text[TITLE].data, e->text[TITLE].len);
    tr_db_bind_text(st, ":body", e->text[BODY].data, e->text[BODY].len);
    rc = tr_db_step(st, &row, err);
    if (rc != TR_OK) {
        goto out;
    }
    int64_t id = row ? tr_db_column_int(st, 0) : 0;
    rc = tr_db_finalize(st, rc, err);
    st = NULL;
    if (rc != TR_OK || !tr_db_savepoints(db)) {
        goto out; /* without savepoints, tr_search_index_pending adds the tokens */
    }
    rc = tr_db_prepare(
        db, "INSERT INTO search_text (rowid, title, body) VALUES (:id, :title, :body)", &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_int(st, ":id", id);
    tr_db_bind_text(st, ":title", e->text[TITLE].data, e->text[TITLE].len);
    tr_db_bind_text(st, ":body", e->text[BODY].data, e->text[BODY].len);
    rc = tr_db_step(st, NULL, err);
out:
    return tr_db_finalize(st, rc, err);
}

/* tr_search_index without its savepoint. */
static int index_record(struct tr_db *db, const char *record_id, uint64_t leaf,
                        const struct tr_json *credential, struct tr_error *err)
{
    struct entry e = {0};
    int found = 0;
    tr_buf_init(&e.text[TITLE]);
    tr_buf_init(&e.text[BODY]);
    int rc = raise_leaf(db, record_id, leaf, &found, err);
    if (rc != TR_OK || found) {
        goto out;
    }
    rc = entry_read(credential, &e, err);
    if (rc == TR_OK) {
        rc = insert_entry(db, record_id, leaf, &e, err);
    }
out:
    entry_release(&e);
    return rc;
}

int tr_search_pending_mark(struct tr_db *db, int64_t *mark, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    *mark = 0;
    int rc = tr_db_prepare(db, "SELECT coalesce(max(id), 0) FROM search_record", &st, err);
    if (rc == TR_OK) {
        rc = tr_db_step(st, &row, err);
    }
    if (rc == TR_OK && row) {
        *mark = tr_db_column_int(st, 0);
    }
    return tr_db_finalize(st, rc, err);
}

int tr_search_index_pending(struct tr_db *db, int64_t mark, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int rc = tr_db_prepare(db,
                           "INSERT INTO search_text (rowid, title, body)\n"
                           "    SELECT id, title, body FROM search_record WHERE id > :mark\n"
                           "    ORDER BY id",
                           &st, err);
    if (rc == TR_OK) {
        tr_db_bind_int(st, ":mark", mark);
        rc = tr_db_step(st, NULL, err);
    }
    return tr_db_finalize(st, rc, err);
}

/* End a savepoint: commit when rc is TR_OK, else roll back keeping rc's message. */
static int end_savepoint(struct tr_db *db, int rc, struct tr_error *err)
{
    if (rc == TR_OK) {
        return tr_db_commit(db, err);
    }
    tr_db_rollback(db, NULL);
    return rc;
}

int tr_search_index(struct tr_db *db, const char *record_id, uint64_t leaf,
                    const struct tr_json *credential, struct tr_error *err)
{
    if (db == NULL || credential == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_search_index: no store or no credential");
    }
    int rc = check_record_id(record_id, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (leaf > INT64_MAX) {
        return tr_error_set(err, TR_EINVAL, "leaf %llu is beyond the log's range",
                            (unsigned long long)leaf);
    }
    rc = tr_db_begin(db, err);
    if (rc != TR_OK) {
        return rc;
    }
    rc = index_record(db, record_id, leaf, credential, err);
    if (rc != TR_OK) {
        tr_error_prefix(err, "record '%s'", record_id);
    }
    return end_savepoint(db, rc, err);
}

int tr_search_remove(struct tr_db *db, const char *record_id, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    if (db == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_search_remove: no store");
    }
    int rc = check_record_id(record_id, err);
    if (rc != TR_OK) {
        return rc;
    }
    rc = tr_db_begin(db, err);
    if (rc != TR_OK) {
        return rc;
    }
    /* An external-content index forgets a row only when told the text it indexed. */
    rc = tr_db_prepare(db,
                       "INSERT INTO search_text (search_text, rowid, title, body)\n"
                       "    SELECT 'delete', id, title, body FROM search_record\n"
                       "    WHERE record_id = :record_id",
                       &st, err);
    if (rc == TR_OK) {
        tr_db_bind_str(st, ":record_id", record_id);
        rc = tr_db_step(st, NULL, err);
    }
    rc = tr_db_finalize(st, rc, err);
    st = NULL;
    if (rc == TR_OK) {
        rc = tr_db_prepare(db, "DELETE FROM search_record WHERE record_id = :record_id", &st, err);
    }
    if (rc == TR_OK) {
        tr_db_bind_str(st, ":record_id", record_id);
        rc = tr_db_step(st, NULL, err);
    }
    rc = tr_db_finalize(st, rc, err);
    return end_savepoint(db, rc, err);
}

/* Index every record of the log whose latest leaf has a body; *count (out) gets how many. */
static int reindex_log(struct tr_db *db, uint64_t *count, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    struct tr_limits limits;
    int row = 0;
    tr_limits_default(&limits);
    int rc = tr_db_prepare(db,
                           "SELECT e.leaf, e.record_id, e.body FROM log_entry AS e\n"
                           "    WHERE e.body IS NOT NULL AND NOT EXISTS (\n"
                           "        SELECT 1 FROM log_entry AS later\n"
                           "        WHERE later.record_id = e.record_id AND later.leaf > e.leaf)\n"
                           "    ORDER BY e.leaf",
                           &st, err);
    while (rc == TR_OK && (rc = tr_db_step(st, &row, err)) == TR_OK && row) {
        char name[32];
        struct tr_json *credential = NULL;
        size_t len = 0;
        int64_t leaf = tr_db_column_int(st, 0);
        const char *record_id = tr_db_column_text(st, 1, NULL);
        const char *body = tr_db_column_blob(st, 2, &len);
        snprintf(name, sizeof name, "leaf %lld", (long long)leaf);
        rc = tr_json_parse(body, len, name, &limits, &credential, err);
        if (rc == TR_OK) {
            rc = index_record(db, record_id, (uint64_t)leaf, credential, err);
            if (rc != TR_OK) {
                tr_error_prefix(err, "%s", name);
            }
        }
        tr_json_free(credential);
        *count += rc == TR_OK;
    }
    return tr_db_finalize(st, rc, err);
}

int tr_search_reindex(struct tr_db *db, uint64_t *count, struct tr_error *err)
{
    uint64_t n = 0;
    if (count != NULL) {
        *count = 0;
    }
    if (db == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_search_reindex: no store");
    }
    int rc = tr_db_begin(db, err);
    if (rc != TR_OK) {
        return rc;
    }
    /* The tables are made anew from the schema, so that a store made before a change to
       the index's tables, indexes or options has them as they are now. */
    const struct tr_embedded *schema = tr_embedded_find(SEARCH_SCHEMA);
    if (schema == NULL) {
        rc = tr_error_set(err, TR_EINVAL, "tr_search_reindex: no schema '%s'", SEARCH_SCHEMA);
    } else {
        rc = tr_db_exec(db,
                        "DROP TABLE IF EXISTS search_text;\n"
                        "DROP TABLE IF EXISTS search_record",
                        err);
    }
    if (rc == TR_OK) {
        rc = tr_db_exec(db, schema->data, err);
    }
    if (rc == TR_OK) {
        rc = reindex_log(db, &n, err);
    }
    if (rc == TR_OK) {
        /* Merge the segments the inserts made into one: smaller and faster to query. */
        rc = tr_db_exec(db, "INSERT INTO search_text (search_text) VALUES ('optimize')", err);
    }
    rc = end_savepoint(db, rc, err);
    if (rc == TR_OK && count != NULL) {
        *count = n;
    }
    return rc;
}

/* Queries. */

/* What builds a MATCH expression from the tokens of a query. */
struct build {
    const char *text;
    size_t len;
    struct tr_buf *out;
    size_t tokens;
    int in_run;                /* a CJK run is open */
    size_t run_start, run_end; /* its byte range in text */
};

/* Append s[0..n) to out as an FTS5 string: in double quotes, inner quotes doubled. */
static void add_quoted(struct tr_buf *out, const char *s, size_t n)
{
    tr_buf_addc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') {
            tr_buf_addc(out, '"');
        }
        tr_buf_addc(out, s[i]);
    }
    tr_buf_addc(out, '"');
}

static void add_term_separator(struct build *b)
{
    if (b->out->len > 0) {
        tr_buf_addc(b->out, ' ');
    }
}

/*
 * A CJK run is quoted whole: FTS5 hands the string to the tokenizer, which turns it into
 * the phrase of its bigrams and last unigram (fts_cjk.h).
 */
static void close_run(struct build *b)
{
    if (b->in_run) {
        add_term_separator(b);
        add_quoted(b->out, b->text + b->run_start, b->run_end - b->run_start);
        b->in_run = 0;
    }
}

/* Stop: the tokenizer returns this when the query holds too many tokens. */
#define TOO_MANY_TOKENS 1

static int build_token(void *ctx, unsigned flags, const char *token, size_t len, size_t start,
                       size_t end)
{
    struct build *b = ctx;
    if (++b->tokens > TR_SEARCH_TOKENS_MAX) {
        return TOO_MANY_TOKENS;
    }
    if ((flags & TR_FTS_CJK_CJK) == 0) {
        close_run(b);
        add_term_separator(b);
        add_quoted(b->out, token, len);
        /* A '*' right after a word makes it a prefix; anywhere else it separates. */
        if (end < b->len && b->text[end] == '*') {
            tr_buf_addc(b->out, '*');
        }
    } else if ((flags & TR_FTS_CJK_RUN) != 0) {
        close_run(b);
        b->in_run = 1;
        b->run_start = start;
        b->run_end = end;
    } else if (end > b->run_end) {
        b->run_end = end;
    }
    return 0;
}

int tr_search_match_expression(const char *query, struct tr_buf *out, struct tr_error *err)
{
    if (query == NULL || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_search_match_expression: no query or no output");
    }
    size_t len = strlen(query);
    if (len > TR_SEARCH_QUERY_MAX) {
        return tr_error_set(err, TR_ELIMIT, "bad query: %zu bytes, more than the %d allowed", len,
                            TR_SEARCH_QUERY_MAX);
    }
    if (!tr_utf8_valid(query, len)) {
        return tr_error_set(err, TR_EPARSE, "bad query: the text is not valid UTF-8");
    }
    struct tr_buf expr;
    tr_buf_init(&expr);
    struct build b = {.text = query, .len = len, .out = &expr};
    int rc = TR_OK;
    if (tr_fts_cjk_tokenize(query, len, TR_FTS_CJK_QUERY, build_token, &b) != 0) {
        rc = tr_error_set(err, TR_ELIMIT, "bad query: more than %d words and characters",
                          TR_SEARCH_TOKENS_MAX);
        goto out;
    }
    close_run(&b);
    if (b.tokens == 0) {
        rc = tr_error_set(err, TR_EPARSE, "bad query: no word to search for");
        goto out;
    }
    if (expr.err != TR_OK) {
        rc = tr_error_set(err, expr.err, "out of memory");
        goto out;
    }
    rc = tr_buf_add(out, expr.data, expr.len);
    if (rc != TR_OK) {
        rc = tr_error_set(err, rc, "out of memory");
    }
out:
    tr_buf_release(&expr);
    return rc;
}

/* The filter's values, checked and in the form the SQL compares. */
struct bounds {
    int verified_only;
    uint64_t log_size; /* the log size records are verified as of */
    unsigned kinds;
    const char *org;
    char subject[TR_URN_PERSON_MAX];
    int has_subject, has_from, has_to;
    int64_t from, to;
};

static int check_date(const char *which, const char *s, int64_t *day, struct tr_error *err)
{
    struct tr_error sub = {0};
    if (tr_date_parse(s, strlen(s), day, &sub) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "%s date '%s' %s", which, s, sub.msg);
    }
    return TR_OK;
}

static int check_filter(const struct tr_search_filter *f, struct bounds *b, struct tr_error *err)
{
    struct tr_error sub = {0};
    memset(b, 0, sizeof *b);
    if (f == NULL) {
        return TR_OK;
    }
    if ((f->kinds >> TR_KIND_COUNT) != 0) {
        return tr_error_set(err, TR_EINVAL, "kind filter 0x%x names no record kind", f->kinds);
    }
    b->kinds = f->kinds;
    b->verified_only = f->verified_only != 0;
    if (f->org != NULL) {
        if (tr_ident_uscc_check(f->org, strlen(f->org), &sub) != TR_OK) {
            return tr_error_set(err, TR_EINVAL, "organisation '%s' %s", f->org, sub.msg);
        }
        b->org = f->org;
    }
    if (f->person != NULL) {
        const char *id = tr_ident_urn_value(f->person, TR_URN_PERSON);
        id = id != NULL ? id : f->person;
        if (tr_ident_person_id_check(id, strlen(id), &sub) != TR_OK) {
            return tr_error_set(err, TR_EINVAL, "person '%s' %s", f->person, sub.msg);
        }
        snprintf(b->subject, sizeof b->subject, "%s%s", TR_URN_PERSON, id);
        b->has_subject = 1;
    }
    if (f->from != NULL) {
        int rc = check_date("from", f->from, &b->from, err);
        if (rc != TR_OK) {
            return rc;
        }
        b->has_from = 1;
    }
    if (f->to != NULL) {
        int rc = check_date("to", f->to, &b->to, err);
        if (rc != TR_OK) {
            return rc;
        }
        b->has_to = 1;
    }
    if (b->has_from && b->has_to && b->to < b->from) {
        return tr_error_set(err, TR_EINVAL, "to date '%s' is before from date '%s'", f->to,
                            f->from);
    }
    return TR_OK;
}

static void bind_bounds(struct tr_db_stmt *st, const struct bounds *b)
{
    tr_db_bind_int(st, ":kinds", b->kinds);
    tr_db_bind_str(st, ":org", b->org);
    tr_db_bind_str(st, ":subject", b->has_subject ? b->subject : NULL);
    if (b->has_from) {
        tr_db_bind_int(st, ":from", b->from);
    } else {
        tr_db_bind_null(st, ":from");
    }
    if (b->has_to) {
        tr_db_bind_int(st, ":to", b->to);
    } else {
        tr_db_bind_null(st, ":to");
    }
}

/* Whether the record record_id counts as of the log size in b; *counts is the answer. */
static int record_counts(struct tr_db *db, const struct bounds *b, const char *record_id,
                         int *counts, struct tr_error *err)
{
    struct tr_verdict v;
    tr_verify_verdict_init(&v);
    int rc = tr_verify_record(db, record_id, b->log_size, &v, err);
    *counts = rc == TR_OK && v.counts;
    if (rc == TR_ENOTFOUND) {
        rc = TR_OK; /* indexed but not logged (a store filled without the log) */
    }
    tr_verify_verdict_release(&v);
    return rc;
}

/*
 * How a query is ranked (docs/search.md, "Ranking at scale"). bm25 needs every match's
 * frequencies and length, so ranking costs what the matches cost. A query is therefore
 * ranked over a window: its WINDOW most recently indexed matches (rowid order, which FTS5
 * walks without ranking and stops when the window is full), or its offset and page when
 * those reach further. A query that matches fewer records than the window, which is every
 * name and most phrases, is ranked over all its matches exactly as bm25 ranks them.
 */
#define WINDOW TR_SEARCH_WINDOW

/*
 * A person or organisation filter selects few records: when it selects at most DRIVE_MAX,
 * the query starts from those records (search_record's indexes) and asks the full-text
 * index about each, instead of walking the matches to find them.
 */
#define DRIVE_MAX TR_SEARCH_DRIVE_MAX

/* How many of the records that match :match are in the window, and the oldest of them. */
static const char window_count_sql[] =
    "SELECT count(*), min(rowid) FROM (\n"
    "    SELECT rowid FROM search_text WHERE search_text MATCH :match\n"
    "    ORDER BY rowid DESC LIMIT :window)";

/*
 * The ranked candidates: (id, rank), best first, equal ranks by id so that the order is the
 * same on every run. :counts is the number of records each phrase matches (tr_rank).
 */
static const char ranked_sql[] =
    "SELECT id, score FROM (\n"
    "    SELECT search_text.rowid AS id, tr_rank(search_text, :counts) AS score\n"
    "        FROM search_text\n"
    "        WHERE search_text MATCH :match\n"
    "        ORDER BY search_text.rowid DESC LIMIT :window)\n"
    "    ORDER BY score, id LIMIT :limit OFFSET :offset";

/* The same with the filters: the window holds the matches that pass them. */
static const char ranked_filtered_sql[] =
    "SELECT id, score FROM (\n"
    "    SELECT r.id AS id, tr_rank(search_text, :counts) AS score\n"
    "        FROM search_text JOIN search_record AS r ON r.id = search_text.rowid\n"
    "        WHERE search_text MATCH :match\n"
    "            AND (:kinds = 0 OR (:kinds >> r.kind) & 1 = 1)\n"
    "            AND (:org IS NULL OR r.issuer = :org)\n"
    "            AND (:subject IS NULL OR r.subject = :subject)\n"
    "            AND (:from IS NULL OR r.day >= :from)\n"
    "            AND (:to IS NULL OR r.day <= :to)\n"
    "        ORDER BY search_text.rowid DESC LIMIT :window)\n"
    "    ORDER BY score, id LIMIT :limit OFFSET :offset";

/*
 * The same when the filters are kinds and dates only: the row's kind and day are read from
 * the index search_record_filter, a few bytes a row, instead of from the row with its text.
 * (SQLite looks a row up by its rowid, so the index must be named.)
 */
static const char ranked_kind_day_sql[] =
    "SELECT id, score FROM (\n"
    "    SELECT r.id AS id, tr_rank(search_text, :counts) AS score\n"
    "        FROM search_text JOIN search_record AS r INDEXED BY search_record_filter\n"
    "            ON r.id = search_text.rowid\n"
    "        WHERE search_text MATCH :match AND :org IS NULL AND :subject IS NULL\n"
    "            AND (:kinds = 0 OR (:kinds >> r.kind) & 1 = 1)\n"
    "            AND (:from IS NULL OR r.day >= :from)\n"
    "            AND (:to IS NULL OR r.day <= :to)\n"
    "        ORDER BY search_text.rowid DESC LIMIT :window)\n"
    "    ORDER BY score, id LIMIT :limit OFFSET :offset";

/* Whether the store has search_record_filter (a store made before it has not). */
static const char has_filter_index_sql[] =
    "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'search_record_filter'";

/*
 * The same started from the records of a person (:subject) or of an issuer (:org), found by
 * search_record's indexes: every one of them that matches is ranked (there are at most
 * DRIVE_MAX), and the full-text index is asked about each by its rowid.
 */
#define DRIVEN_SQL(column, value)                                                                  \
    "SELECT r.id, tr_rank(search_text, :counts) AS score\n"                                        \
    "    FROM search_record AS r CROSS JOIN search_text\n"                                         \
    "    WHERE r." column " = " value " AND search_text.rowid = r.id\n"                            \
    "        AND search_text MATCH :match\n"                                                       \
    "        AND (:kinds = 0 OR (:kinds >> r.kind) & 1 = 1)\n"                                     \
    "        AND (:org IS NULL OR r.issuer = :org)\n"                                              \
    "        AND (:subject IS NULL OR r.subject = :subject)\n"                                     \
    "        AND (:from IS NULL OR r.day >= :from)\n"                                              \
    "        AND (:to IS NULL OR r.day <= :to)\n"                                                  \
    "    ORDER BY score, r.id LIMIT :limit OFFSET :offset"
static const char ranked_by_person_sql[] = DRIVEN_SQL("subject", ":subject");
static const char ranked_by_org_sql[] = DRIVEN_SQL("issuer", ":org");

/* How many records of a person or an issuer there are, counted up to :max. */
static const char person_count_sql[] =
    "SELECT count(*) FROM (SELECT 1 FROM search_record WHERE subject = :subject LIMIT :max)";
static const char org_count_sql[] =
    "SELECT count(*) FROM (SELECT 1 FROM search_record WHERE issuer = :org LIMIT :max)";

/*
 * What a result shows, for one candidate: made only for the few returned, since a snippet
 * in the ranked statement would be made for every match before the sort picks the page.
 */
static const char hit_sql[] =
    "SELECT r.record_id, r.leaf, r.kind, r.issuer, r.subject, r.day, r.title,\n"
    "       snippet(search_text, -1, char(2), char(3), '" TR_SEARCH_ELLIPSIS "', " SNIPPET_TOKENS
    ")\n"
    "    FROM search_text JOIN search_record AS r ON r.id = search_text.rowid\n"
    "    WHERE search_text MATCH :match AND search_text.rowid = :id";

/*
 * The rows and snippets of a page's candidates (:ids, ",id,id,...,"), all between rowids :lo
 * and :hi: one walk of the matches there. The unary + keeps SQLite from reading the list as
 * rowids to look up one by one.
 */
static const char page_sql[] =
    "SELECT search_text.rowid, r.record_id, r.leaf, r.kind, r.issuer, r.subject, r.day,\n"
    "       r.title,\n"
    "       snippet(search_text, -1, char(2), char(3), '" TR_SEARCH_ELLIPSIS "', " SNIPPET_TOKENS
    ")\n"
    "    FROM search_text JOIN search_record AS r ON r.id = search_text.rowid\n"
    "    WHERE search_text MATCH :match AND search_text.rowid BETWEEN :lo AND :hi\n"
    "        AND instr(:ids, ',' || (+search_text.rowid) || ',') > 0";

static int has_filters(const struct bounds *b)
{
    return b->kinds != 0 || b->org != NULL || b->has_subject || b->has_from || b->has_to;
}

static void hit_release(struct tr_search_hit *hit)
{
    free(hit->subject);
    free(hit->title);
    free(hit->snippet);
    memset(hit, 0, sizeof *hit);
}

/* The error of a candidate whose row the content table lacks. */
static int out_of_step(struct tr_db *db, struct tr_error *err)
{
    return tr_error_set(err, TR_EDB,
                        "store '%s': the search index is out of step with its records (run "
                        "'talentreg search --reindex')",
                        tr_db_path(db));
}

/*
 * Fill hit of rank rank from the current row of st, whose columns from col on are those of
 * hit_sql.
 */
static int hit_from_row(struct tr_db_stmt *st, int col, double rank, struct tr_search_hit *hit,
                        struct tr_error *err)
{
    snprintf(hit->record_id, sizeof hit->record_id, "%s", tr_db_column_text(st, col, NULL));
    hit->leaf = (uint64_t)tr_db_column_int(st, col + 1);
    hit->kind = (enum tr_kind)tr_db_column_int(st, col + 2);
    snprintf(hit->issuer, sizeof hit->issuer, "%s", tr_db_column_text(st, col + 3, NULL));
    if (!tr_db_column_null(st, col + 5)) {
        tr_date_format(tr_db_column_int(st, col + 5), hit->date);
    }
    hit->score = -rank;
    hit->subject =
        tr_db_column_null(st, col + 4) ? NULL : strdup(tr_db_column_text(st, col + 4, NULL));
    hit->title = strdup(tr_db_column_text(st, col + 6, NULL));
    hit->snippet = strdup(tr_db_column_text(st, col + 7, NULL));
    if ((hit->subject == NULL && !tr_db_column_null(st, col + 4)) || hit->title == NULL ||
        hit->snippet == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    return TR_OK;
}

/* Fill hit with candidate id of rank rank, using the statement of hit_sql. */
static int read_hit(struct tr_db *db, struct tr_db_stmt *st, const char *expr, int64_t id,
                    double rank, struct tr_search_hit *hit, struct tr_error *err)
{
    int row = 0;
    int rc = tr_db_reset(st, err);
    if (rc != TR_OK) {
        return rc;
    }
    tr_db_bind_str(st, ":match", expr);
    tr_db_bind_int(st, ":id", id);
    rc = tr_db_step(st, &row, err);
    if (rc != TR_OK) {
        return rc;
    }
    if (!row) {
        return out_of_step(db, err); /* the full-text index names a row its table lacks */
    }
    return hit_from_row(st, 0, rank, hit, err);
}

/*
 * Read the page of a window plan: up to limit + 1 ranked candidates from ranked, then their
 * rows and snippets in one statement (page_sql) that walks the matches between the oldest
 * and the newest of them, all inside the window. Asking for each by its rowid would evaluate
 * the MATCH once a hit, which for a prefix merges the lists of every word it begins.
 */
static int read_page(struct tr_db *db, struct tr_db_stmt *ranked, const char *expr, size_t limit,
                     struct tr_search_results *r, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    struct tr_buf ids;
    int64_t *id = calloc(limit + 1, sizeof *id);
    double *rank = calloc(limit + 1, sizeof *rank);
    int64_t lo = INT64_MAX, hi = 0;
    size_t n = 0, found = 0;
    int row = 0, rc = TR_OK;
    tr_buf_init(&ids);
    if (id == NULL || rank == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    tr_buf_addc(&ids, ',');
    while (n <= limit && (rc = tr_db_step(ranked, &row, err)) == TR_OK && row) {
        id[n] = tr_db_column_int(ranked, 0);
        rank[n] = tr_db_column_double(ranked, 1);
        lo = id[n] < lo ? id[n] : lo;
        hi = id[n] > hi ? id[n] : hi;
        tr_buf_addf(&ids, "%lld,", (long long)id[n]);
        n++;
    }
    if (rc != TR_OK || n == 0) {
        goto out;
    }
    if (ids.err != TR_OK) {
        rc = tr_error_set(err, ids.err, "out of memory");
        goto out;
    }
    rc = tr_db_prepare(db, page_sql, &st, err);
    if (rc == TR_OK) {
        tr_db_bind_str(st, ":match", expr);
        tr_db_bind_int(st, ":lo", lo);
        tr_db_bind_int(st, ":hi", hi);
        tr_db_bind_str(st, ":ids", ids.data);
    }
    while (rc == TR_OK && (rc = tr_db_step(st, &row, err)) == TR_OK && row) {
        int64_t rowid = tr_db_column_int(st, 0);
        for (size_t i = 0; i < n; i++) {
            if (id[i] == rowid && r->hit[i].snippet == NULL) {
                rc = hit_from_row(st, 1, rank[i], &r->hit[i], err);
                found++;
                break;
            }
        }
    }
    if (rc == TR_OK && found != n) {
        rc = out_of_step(db, err);
    }
    if (rc == TR_OK) {
        r->len = n > limit ? limit : n;
        r->more = n > limit;
    }
out:
    if (rc != TR_OK || n > limit) {
        for (size_t i = rc != TR_OK ? 0 : limit; i < n; i++) {
            hit_release(&r->hit[i]);
        }
    }
    tr_buf_release(&ids);
    free(id);
    free(rank);
    return tr_db_finalize(st, rc, err);
}

/* The first row of st (prepared, bound) as up to two integers; 0 when absent or NULL. */
static int first_row(struct tr_db_stmt *st, int64_t *a, int64_t *b, struct tr_error *err)
{
    int row = 0;
    int rc = tr_db_step(st, &row, err);
    *a = rc == TR_OK && row ? tr_db_column_int(st, 0) : 0;
    if (b != NULL) {
        *b = rc == TR_OK && row ? tr_db_column_int(st, 1) : 0;
    }
    return rc;
}

/*
 * The number of records each phrase of expr matches, for tr_rank: counted exactly up to
 * WINDOW, and beyond that estimated from how far back the phrase's WINDOW most recent
 * matches reach among the rowids first..last. counts gets one double per phrase (the
 * phrases of expr are separated by single spaces: no quoted term holds a space, since the
 * tokenizer splits at spaces); *phrases (out) how many.
 */
static int count_phrases(struct tr_db *db, const char *expr, double counts[TR_SEARCH_TOKENS_MAX],
                         size_t *phrases, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int64_t first = 0, last = 0;
    *phrases = 0;
    int rc = tr_db_prepare(db,
                           "SELECT (SELECT min(id) FROM search_record),\n"
                           "       (SELECT max(id) FROM search_record)",
                           &st, err);
    if (rc == TR_OK) {
        rc = first_row(st, &first, &last, err);
    }
    rc = tr_db_finalize(st, rc, err);
    st = NULL;
    if (rc == TR_OK) {
        rc = tr_db_prepare(db, window_count_sql, &st, err);
    }
    for (const char *p = expr; rc == TR_OK && *p != '\0' && *phrases < TR_SEARCH_TOKENS_MAX;) {
        size_t n = strcspn(p, " ");
        char *phrase = strndup(p, n);
        int64_t matches = 0, oldest = 0;
        if (phrase == NULL) {
            rc = tr_error_set(err, TR_ENOMEM, "out of memory");
            break;
        }
        rc = tr_db_reset(st, err);
        if (rc == TR_OK) {
            tr_db_bind_str(st, ":match", phrase);
            tr_db_bind_int(st, ":window", WINDOW);
            rc = first_row(st, &matches, &oldest, err);
        }
        free(phrase);
        double count = (double)matches;
        if (matches >= WINDOW && oldest > first && last >= oldest) {
            count = (double)WINDOW * (double)(last - first + 1) / (double)(last - oldest + 1);
        }
        counts[(*phrases)++] = count;
        p += n;
        p += *p == ' ';
    }
    return tr_db_finalize(st, rc, err);
}

/* How many records the filter's person (or else issuer) has, counted up to DRIVE_MAX + 1. */
static int count_driver(struct tr_db *db, const struct bounds *b, int64_t *count,
                        struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int rc = tr_db_prepare(db, b->has_subject ? person_count_sql : org_count_sql, &st, err);
    if (rc == TR_OK) {
        if (b->has_subject) {
            tr_db_bind_str(st, ":subject", b->subject);
        } else {
            tr_db_bind_str(st, ":org", b->org);
        }
        tr_db_bind_int(st, ":max", DRIVE_MAX + 1);
        rc = first_row(st, count, NULL, err);
    }
    return tr_db_finalize(st, rc, err);
}

/* How a query's candidates are found: which statement ranks them. */
enum plan {
    PLAN_WINDOW,   /* ranked_sql: no filter */
    PLAN_FILTERED, /* ranked_filtered_sql */
    PLAN_DRIVEN    /* ranked_by_person_sql or ranked_by_org_sql */
};

/* The statement that ranks the candidates of a query with filter b; *plan (out) which. */
static int prepare_ranked(struct tr_db *db, const struct bounds *b, struct tr_db_stmt **out,
                          enum plan *plan, struct tr_error *err)
{
    const char *sql = has_filters(b) ? ranked_filtered_sql : ranked_sql;
    *plan = has_filters(b) ? PLAN_FILTERED : PLAN_WINDOW;
    if (*plan == PLAN_FILTERED && !b->has_subject && b->org == NULL) {
        struct tr_db_stmt *st = NULL;
        int64_t indexed = 0;
        int rc = tr_db_prepare(db, has_filter_index_sql, &st, err);
        if (rc == TR_OK) {
            rc = first_row(st, &indexed, NULL, err);
        }
        rc = tr_db_finalize(st, rc, err);
        if (rc != TR_OK) {
            return rc;
        }
        sql = indexed ? ranked_kind_day_sql : sql;
    }
    if (b->has_subject || b->org != NULL) {
        int64_t count = 0;
        int rc = count_driver(db, b, &count, err);
        if (rc != TR_OK) {
            return rc;
        }
        if (count <= DRIVE_MAX) {
            sql = b->has_subject ? ranked_by_person_sql : ranked_by_org_sql;
            *plan = PLAN_DRIVEN;
        }
    }
    return tr_db_prepare(db, sql, out, err);
}

/* Run the query of expression expr; the hits go to r (zeroed by the caller). */
static int run_query(struct tr_db *db, const char *expr, const struct bounds *b, size_t limit,
                     size_t offset, struct tr_search_results *r, struct tr_error *err)
{
    struct tr_db_stmt *ranked = NULL, *details = NULL;
    enum plan plan = PLAN_WINDOW;
    double matches[TR_SEARCH_TOKENS_MAX];
    size_t phrases = 0;
    int row = 0;
    int rc = count_phrases(db, expr, matches, &phrases, err);
    if (rc == TR_OK) {
        rc = prepare_ranked(db, b, &ranked, &plan, err);
    }
    if (rc == TR_OK) {
        rc = tr_db_prepare(db, hit_sql, &details, err);
    }
    if (rc != TR_OK) {
        goto out;
    }
    r->hit = calloc(limit + 1, sizeof r->hit[0]);
    if (r->hit == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    tr_db_bind_str(ranked, ":match", expr);
    tr_db_bind_blob(ranked, ":counts", matches, phrases * sizeof matches[0]);
    if (plan != PLAN_WINDOW) {
        bind_bounds(ranked, b);
    }
    if (plan != PLAN_DRIVEN) {
        /* A page beyond the window widens it: every page is ranked over what it reaches. */
        size_t reach = offset + limit + 1;
        tr_db_bind_int(ranked, ":window", (int64_t)(reach > WINDOW ? reach : WINDOW));
    }
    /*
     * One row more than the page says whether more follow. Without verification SQLite
     * skips the offset; with it, only the rows that count are skipped and kept, here.
     */
    tr_db_bind_int(ranked, ":limit", b->verified_only ? -1 : (int64_t)limit + 1);
    tr_db_bind_int(ranked, ":offset", b->verified_only ? 0 : (int64_t)offset);
    if (!b->verified_only && plan != PLAN_DRIVEN) {
        rc = read_page(db, ranked, expr, limit, r, err);
        goto out;
    }
    size_t skip = b->verified_only ? offset : 0;
    while ((rc = tr_db_step(ranked, &row, err)) == TR_OK && row) {
        struct tr_search_hit *hit = &r->hit[r->len];
        rc = read_hit(db, details, expr, tr_db_column_int(ranked, 0),
                      tr_db_column_double(ranked, 1), hit, err);
        if (rc != TR_OK) {
            hit_release(hit);
            break;
        }
        if (b->verified_only) {
            int counts = 0;
            rc = record_counts(db, b, hit->record_id, &counts, err);
            if (rc != TR_OK || !counts || skip > 0) {
                skip -= rc == TR_OK && counts && skip > 0;
                hit_release(hit);
                if (rc != TR_OK) {
                    break;
                }
                continue;
            }
        }
        if (r->len == limit) {
            r->more = 1;
            hit_release(hit);
            break;
        }
        r->len++;
    }
out:
    rc = tr_db_finalize(details, rc, err);
    return tr_db_finalize(ranked, rc, err);
}

int tr_search_query(struct tr_db *db, const char *query, const struct tr_search_filter *filter,
                    size_t limit, size_t offset, struct tr_search_results *out,
                    struct tr_error *err)
{
    struct tr_search_results r = {0};
    struct bounds b;
    struct tr_buf expr;
    tr_buf_init(&expr);
    if (db == NULL || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_search_query: no store or no results");
    }
    if (limit == 0 || limit > TR_SEARCH_LIMIT_MAX) {
        return tr_error_set(err, TR_EINVAL, "the limit must be between 1 and %d",
                            TR_SEARCH_LIMIT_MAX);
    }
    if (offset > (size_t)INT64_MAX - TR_SEARCH_LIMIT_MAX) {
        return tr_error_set(err, TR_EINVAL, "the offset %zu is too large", offset);
    }
    int rc = check_filter(filter, &b, err);
    if (rc == TR_OK && b.verified_only) {
        rc = tr_log_size(db, &b.log_size, err);
    }
    if (rc == TR_OK) {
        rc = tr_search_match_expression(query, &expr, err);
    }
    if (rc == TR_OK) {
        rc = run_query(db, expr.data, &b, limit, offset, &r, err);
    }
    if (rc == TR_OK && r.len == 0) {
        free(r.hit); /* the header promises no array without hits */
        r.hit = NULL;
    }
    if (rc == TR_OK) {
        *out = r;
    } else {
        tr_search_results_release(&r);
    }
    tr_buf_release(&expr);
    return rc;
}

void tr_search_results_release(struct tr_search_results *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->len; i++) {
        hit_release(&r->hit[i]);
    }
    free(r->hit);
    memset(r, 0, sizeof *r);
}
