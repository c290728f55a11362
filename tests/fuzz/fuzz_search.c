/*
 * fuzz_search.c — search queries (tr_search_match_expression, tr_search_query) over a small
 * store of indexed records.
 *
 * The input is a query, then optionally (after a NUL byte) a filter: two bytes of kind bits
 * (little-endian, so bits that name no kind come too), a byte whose bit 0 asks for verified
 * records only, then up to four NUL-separated texts, the issuer, person, from and to
 * filters (an empty or missing one is no filter). The store, made once in a scratch
 * directory and opened read-only, holds eight records of the sample region, indexed but not
 * logged.
 *
 * A query is TR_OK, or TR_EPARSE or TR_ELIMIT with a message that starts "bad query: ",
 * the same for the expression and for the search; a bad filter is TR_EINVAL; no message
 * shows SQLite's or FTS5's own words (unless the input holds them: a filter's text is quoted
 * back). A search that matches nothing has no hit array. Results: at most the limit, "more" only on a full
 * page, best first, each an indexed record with a title and a snippet whose highlights
 * open and close in turn, each passing every filter; a verified-only search finds nothing
 * (no record is in the log); two pages give the hits of one page twice their size.
 *
 * fuzz-options: -max_len=2048
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

#define NRECORDS 8
#define PAGE 4

/* The archive: records of docs/examples, kept here so the harness runs from any directory. */
static const char archive[] =
    "kind: Organization\nissuer: operator\nsubject: 12350100488101234T\nvalidFrom: 2024-01-02\n"
    "name: 闽江理工大学\nalternateName: Minjiang University of Technology\n"
    "organizationType: university\n"
    "keys: [did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp]\n"
    "mayIssue: [Person, DualAppointment, Credit, Contribution]\n"
    "---\n"
    "kind: Person\nissuer: 12350100488101234T\nsubject: p-zhang-wei-1984\nname: 张伟\n"
    "alternateName: Zhang Wei\nnationalId: \"350102198403150033\"\ncategories: [teacher]\n"
    "home: 12350100488101234T\n"
    "---\n"
    "kind: Person\nissuer: 12350100488101234T\nsubject: p-li-na-1999\nname: 李娜\n"
    "alternateName: Li Na\ncategories: [student]\nhome: 12350100488101234T\n"
    "---\n"
    "kind: EnterprisePlacement\nissuer: 91350900MA2Y8K3Q1U\nsubject: p-zhang-wei-1984\n"
    "validFrom: 2024-03-01\nvalidUntil: 2024-08-31\nhost: 91350900MA2Y8K3Q1U\n"
    "home: 12350100488101234T\nfte: 1\nform: rnd_project\nhours: 1000\n"
    "project: 电池管理系统研发 (battery management system R&D)\n"
    "---\n"
    "kind: Contribution\nissuer: 12350100488101234T\nsubject: p-zhang-wei-1984\n"
    "contributionType: patent_transfer\n"
    "title: 一种动力电池单体均衡管理方法 (a cell-balancing method for power batteries)\n"
    "reference: ZL202310123456.7\nvalue: 1200000\ncurrency: CNY\nshare: 0.4\n"
    "achievedOn: 2025-05-20\nbeneficiary: 91350900MA2Y8K3Q1U\n"
    "---\n"
    "kind: Credit\nissuer: 12350100488101234T\nsubject: p-li-na-1999\n"
    "course: 工程伦理 (Engineering Ethics)\ncourseCode: GE6021\nframework: cn-credit\n"
    "points: 2\nhours: 32\ngrade: 优秀\nterm: 2024-2025 autumn\nearnedOn: 2025-01-10\n"
    "---\n"
    "kind: Credit\nissuer: 52350100MJD4C28059\nsubject: p-li-na-1999\n"
    "course: Industrial Automation Lab\ncourseCode: IAM-204\nframework: ects\npoints: 5\n"
    "hours: 150\ngrade: \"1.7\"\nterm: Summer 2025\nearnedOn: 2025-07-25\n"
    "---\n"
    "kind: Credit\nissuer: 52350100MJD4C28059\nsubject: p-li-na-1999\n"
    "course: Battery Systems \"Lab\" * NEAR(AND OR)\ncourseCode: BAT-101\nframework: ects\n"
    "points: 5\nhours: 150\ngrade: \"2.0\"\nterm: Summer 2025\nearnedOn: 2025-07-25\n";

static const unsigned char id_key[TR_ID_KEY_LEN] = {0x74, 0x72, 0x2d, 0x73, 0x65, 0x61, 0x72};

static char path[128];
static struct tr_db *db;
static char ids[NRECORDS][TR_RECORD_ID_LEN + 1];

/* Map and index every record of the archive into the new store d. */
static void fill(struct tr_db *d)
{
    struct tr_yaml_reader *r = NULL;
    struct tr_error err = {0};
    int rc = tr_yaml_reader_open_mem(archive, sizeof archive - 1, "archive", NULL, &r, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    for (size_t n = 0; n < NRECORDS; n++) {
        struct tr_json *doc = NULL, *cred = NULL;
        struct tr_diag diag;
        struct tr_buf canon;
        unsigned char hash[TR_SHA256_LEN];
        rc = tr_yaml_reader_next(r, &doc, &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
        FUZZ_ASSERT(doc != NULL);
        tr_diag_init(&diag, "archive");
        rc = tr_schema_from_record(doc, id_key, &cred, &diag);
        FUZZ_ASSERT(rc == TR_OK);
        tr_buf_init(&canon);
        rc = tr_jcs_serialize_without(cred, "proof", &canon, &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
        FUZZ_ASSERT(tr_sha256(canon.data, canon.len, hash) == TR_OK);
        for (size_t i = 0; i < sizeof hash; i++) {
            snprintf(ids[n] + 2 * i, 3, "%02x", hash[i]);
        }
        rc = tr_search_index(d, ids[n], n, cred, &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
        tr_buf_release(&canon);
        tr_diag_release(&diag);
        tr_json_free(cred);
        tr_json_free(doc);
    }
    tr_yaml_reader_free(r);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct tr_db *d = NULL;
    struct tr_error err = {0};
    snprintf(path, sizeof path, "%s/talent.db", fuzz_scratch_dir("fuzz_search"));
    int rc = tr_schema_load(&err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_db_create(path, "talentreg.example/fuzz", &d, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    fill(d);
    rc = tr_db_close(d, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    return 0;
}

/* The input being run, its NUL bytes made spaces and its ASCII letters lower case. */
static char *input_lower;

/* ASCII lower case of s into out (of room n). */
static void lower(const char *s, char *out, size_t n)
{
    size_t i = 0;
    for (; s[i] != '\0' && i + 1 < n; i++) {
        out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    }
    out[i] = '\0';
}

/*
 * No message may be SQLite's or FTS5's: a query is never read as syntax. A word the input
 * holds may come back quoted (a filter's value), so only words it does not hold count.
 */
static void check_message(const struct tr_error *err)
{
    static const char *const leaks[] = {"fts5",           "sqlite",          "syntax error",
                                        "no such",        "malformed match", "unterminated",
                                        "unknown special"};
    char low[sizeof err->msg];
    lower(err->msg, low, sizeof low);
    for (size_t i = 0; i < sizeof leaks / sizeof leaks[0]; i++) {
        if (strstr(low, leaks[i]) != NULL && strstr(input_lower, leaks[i]) == NULL) {
            fprintf(stderr, "leaked message: %s\n", err->msg);
            FUZZ_ASSERT(strstr(low, leaks[i]) == NULL);
        }
    }
}

static int known(const char *record_id)
{
    for (size_t i = 0; i < NRECORDS; i++) {
        if (strcmp(ids[i], record_id) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Highlights open and close in turn, and none is left open. */
static int marks_balanced(const char *s)
{
    int open = 0;
    for (; *s != '\0'; s++) {
        if (*s == TR_SEARCH_MARK_OPEN[0]) {
            if (open) {
                return 0;
            }
            open = 1;
        } else if (*s == TR_SEARCH_MARK_CLOSE[0]) {
            if (!open) {
                return 0;
            }
            open = 0;
        }
    }
    return !open;
}

static int64_t day_of(const char *s)
{
    int64_t day = 0;
    FUZZ_ASSERT(tr_date_parse(s, strlen(s), &day, NULL) == TR_OK);
    return day;
}

static void check_hit(const struct tr_search_hit *h, const struct tr_search_filter *f)
{
    FUZZ_ASSERT(known(h->record_id));
    FUZZ_ASSERT(h->title != NULL && h->snippet != NULL && marks_balanced(h->snippet));
    FUZZ_ASSERT((unsigned)h->kind < TR_KIND_COUNT);
    if (f == NULL) {
        return;
    }
    FUZZ_ASSERT(f->kinds == 0 || (f->kinds >> h->kind & 1) != 0);
    FUZZ_ASSERT(f->org == NULL || strcmp(h->issuer, f->org) == 0);
    if (f->person != NULL) {
        const char *id = tr_ident_urn_value(f->person, TR_URN_PERSON);
        const char *sid = h->subject != NULL ? tr_ident_urn_value(h->subject, TR_URN_PERSON) : NULL;
        FUZZ_ASSERT(sid != NULL && strcmp(sid, id != NULL ? id : f->person) == 0);
    }
    if (f->from != NULL || f->to != NULL) {
        FUZZ_ASSERT(h->date[0] != '\0');
        FUZZ_ASSERT(f->from == NULL || day_of(h->date) >= day_of(f->from));
        FUZZ_ASSERT(f->to == NULL || day_of(h->date) <= day_of(f->to));
    }
}

static int search(const char *query, const struct tr_search_filter *f, size_t limit, size_t offset,
                  struct tr_search_results *res)
{
    struct tr_error err = {0};
    memset(res, 0, sizeof *res);
    int rc = tr_search_query(db, query, f, limit, offset, res, &err);
    if (rc != TR_OK) {
        FUZZ_ASSERT(rc == TR_EPARSE || rc == TR_ELIMIT || rc == TR_EINVAL);
        FUZZ_ASSERT(err.msg[0] != '\0');
        FUZZ_ASSERT(rc == TR_EINVAL || strncmp(err.msg, "bad query: ", 11) == 0);
        check_message(&err);
        FUZZ_ASSERT(res->len == 0 && res->hit == NULL);
        return rc;
    }
    FUZZ_ASSERT(res->len <= limit && (res->len == 0) == (res->hit == NULL));
    FUZZ_ASSERT(!res->more || res->len == limit);
    for (size_t i = 0; i < res->len; i++) {
        check_hit(&res->hit[i], f);
        FUZZ_ASSERT(i == 0 || res->hit[i - 1].score >= res->hit[i].score);
    }
    FUZZ_ASSERT(f == NULL || !f->verified_only || res->len == 0);
    return rc;
}

/* The first page of twice PAGE hits is the first two pages of PAGE. */
static void check_paging(const char *query, const struct tr_search_filter *f,
                         const struct tr_search_results *whole)
{
    struct tr_search_results a, b;
    FUZZ_ASSERT(search(query, f, PAGE, 0, &a) == TR_OK);
    FUZZ_ASSERT(search(query, f, PAGE, PAGE, &b) == TR_OK);
    FUZZ_ASSERT(a.len + b.len == whole->len);
    FUZZ_ASSERT(a.more == (whole->len > PAGE || whole->more));
    FUZZ_ASSERT(b.more == whole->more);
    for (size_t i = 0; i < whole->len; i++) {
        const struct tr_search_hit *h = i < a.len ? &a.hit[i] : &b.hit[i - a.len];
        FUZZ_ASSERT(strcmp(h->record_id, whole->hit[i].record_id) == 0);
        FUZZ_ASSERT(strcmp(h->snippet, whole->hit[i].snippet) == 0);
    }
    tr_search_results_release(&a);
    tr_search_results_release(&b);
}

/* The next NUL-terminated text of the filter part (an empty one is NULL); advances *p. */
static const char *next_text(const char **p, const char *end)
{
    const char *s = *p;
    if (s >= end) {
        return NULL;
    }
    *p = s + strlen(s) + 1;
    return *s != '\0' ? s : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tr_search_filter filter = {0};
    struct tr_search_filter *f = NULL;
    struct tr_search_results whole;
    struct tr_buf expr;
    struct tr_error err = {0};
    char *text = malloc(size + 1);
    FUZZ_ASSERT(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    input_lower = malloc(size + 1);
    FUZZ_ASSERT(input_lower != NULL);
    for (size_t i = 0; i < size; i++) {
        input_lower[i] = text[i] == '\0' ? ' ' : text[i];
    }
    input_lower[size] = '\0';
    lower(input_lower, input_lower, size + 1);
    if (db == NULL) {
        int rc = tr_db_open(path, TR_DB_READONLY, &db, &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
    }
    size_t qlen = strlen(text);
    if (qlen < size) {
        const char *p = text + qlen + 1, *end = text + size;
        const unsigned char *u = (const unsigned char *)p;
        if (end - p >= 3) {
            filter.kinds = (unsigned)u[0] | (unsigned)u[1] << 8;
            filter.verified_only = u[2] & 1;
            p += 3;
        }
        filter.org = next_text(&p, end);
        filter.person = next_text(&p, end);
        filter.from = next_text(&p, end);
        filter.to = next_text(&p, end);
        f = &filter;
    }
    tr_buf_init(&expr);
    int xrc = tr_search_match_expression(text, &expr, &err);
    FUZZ_ASSERT(xrc == TR_OK || xrc == TR_EPARSE || xrc == TR_ELIMIT);
    FUZZ_ASSERT(xrc != TR_OK || expr.len > 0);
    FUZZ_ASSERT(xrc == TR_OK || strncmp(err.msg, "bad query: ", 11) == 0);
    tr_buf_release(&expr);
    int rc = search(text, f, 2 * PAGE, 0, &whole);
    FUZZ_ASSERT(rc == xrc || rc == TR_EINVAL);
    if (rc == TR_OK) {
        check_paging(text, f, &whole);
    }
    tr_search_results_release(&whole);
    free(input_lower);
    input_lower = NULL;
    free(text);
    return 0;
}
