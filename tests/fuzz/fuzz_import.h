/*
 * fuzz_import.h — what the import harnesses (fuzz_csv.c, fuzz_import.c) share: a store where
 * the three organisations of the sample region are registered, made once per process in a
 * directory of its own (removed at exit), and fuzz_import_run, which imports the input as
 * one file of a format, a dry run with the caller's thread alone, signed with the
 * university's key (did:key vector seed 0), with items of at most ITEM_MAX bytes.
 *
 * What every import must give: TR_OK and the store as it was; counts that add up (read =
 * stored + already stored + merged + rejected, and by reason); every rejected item names
 * its line, within the input and in input order, and each of its problems has a known code;
 * a problem with the input itself (malformed-input; in CSV and YAML also over-limit) and,
 * in CSV and YAML, one with the record's fields (schema-invalid) says where: "line L" at or
 * after the item's line, with "column C" >= 1 when a column is given.
 */
#ifndef TR_FUZZ_IMPORT_H
#define TR_FUZZ_IMPORT_H

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

#define ITEM_MAX 2048
#define CREATED "2025-06-01T08:00:00Z"

/* The first three organisations of docs/examples/organizations.yaml (their keys: the did:key
 * vector seeds 0, 1 and 2), kept here so the harness runs from any directory. */
static const char organizations[] =
    "kind: Organization\nissuer: operator\nsubject: 12350100488101234T\nvalidFrom: 2024-01-02\n"
    "name: 闽江理工大学\nalternateName: Minjiang University of Technology\n"
    "organizationType: university\n"
    "keys: [did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp]\n"
    "mayIssue: [Person, DualAppointment, Credit, RecognitionAgreement, CreditRecognition,\n"
    "           Contribution]\n"
    "---\n"
    "kind: Organization\nissuer: operator\nsubject: 91350900MA2Y8K3Q1U\nvalidFrom: 2024-01-02\n"
    "name: 宁德新能源电池有限公司\nalternateName: Ningde New Energy Battery Co., Ltd.\n"
    "organizationType: enterprise\n"
    "keys: [did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG]\n"
    "mayIssue: [Person, DualAppointment, EnterprisePlacement, Contribution]\n"
    "---\n"
    "kind: Organization\nissuer: operator\nsubject: 91350100MA31XR6T22\nvalidFrom: 2024-01-02\n"
    "name: 福州智能装备有限公司\nalternateName: Fuzhou Intelligent Equipment Co., Ltd.\n"
    "organizationType: enterprise\n"
    "keys: [did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf]\n"
    "mayIssue: [Person, EnterprisePlacement, Contribution]\n";
#define NORG 3

static char store[128];
static char input[128];
static struct tr_db *db;
static struct tr_key *key;
static uint64_t log_size; /* the store's, which a dry run never changes */

/* What the input being imported is, for the checks of each reject. */
static struct {
    enum tr_import_format format;
    uint64_t lines;
    uint64_t rejects, last_line;
} cur;

/* The operator key (seed 0f...0f) and the organisations, in a new store at store. */
static void make_store(void)
{
    struct tr_db *d = NULL;
    struct tr_yaml_reader *r = NULL;
    struct tr_error err = {0};
    unsigned char op[TR_ED25519_SEED_LEN], pub[TR_ED25519_PUBLIC_LEN];
    memset(op, 0x0f, sizeof op);
    FUZZ_ASSERT(tr_ed25519_public(op, pub) == TR_OK);
    int rc = tr_db_create(store, "talentreg.example/test", &d, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_db_meta_set(d, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_yaml_reader_open_mem(organizations, sizeof organizations - 1, "orgs", NULL, &r, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_db_begin(d, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    for (int i = 0; i < NORG; i++) {
        struct tr_json *doc = NULL, *cred = NULL;
        struct tr_submit_result res;
        struct tr_diag diag;
        struct tr_proof_sign_options o = {"2024-01-02T08:00:00Z", NULL, NULL};
        tr_diag_init(&diag, "orgs");
        rc = tr_yaml_reader_next(r, &doc, &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
        FUZZ_ASSERT(tr_schema_from_record(doc, NULL, &cred, &diag) == TR_OK);
        rc = tr_proof_sign(cred, op, &o, &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
        rc = tr_submit_credential(d, cred, &res, &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
        FUZZ_ASSERT(res.status == TR_SUBMIT_STORED);
        tr_submit_result_release(&res);
        tr_diag_release(&diag);
        tr_json_free(doc);
        tr_json_free(cred);
    }
    rc = tr_db_commit(d, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    tr_yaml_reader_free(r);
    rc = tr_db_close(d, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct tr_error err = {0};
    unsigned char seed[TR_ED25519_SEED_LEN] = {0};
    const char *dir = fuzz_scratch_dir("fuzz_import");
    snprintf(store, sizeof store, "%s/talent.db", dir);
    snprintf(input, sizeof input, "%s/input", dir);
    int rc = tr_schema_load(&err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    make_store();
    rc = tr_key_from_seed(seed, &key, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    return 0;
}

/*
 * Lines of the input, at most: CR LF, LF and a lone CR end one, and for YAML also NEL
 * (C2 85), LS and PS (E2 80 A8, E2 80 A9).
 */
static uint64_t count_lines(const uint8_t *p, size_t n)
{
    uint64_t lines = 1;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n' || (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n'))) {
            lines++;
        } else if (p[i] == 0xc2 && i + 1 < n && p[i + 1] == 0x85) {
            lines++;
        } else if (p[i] == 0xe2 && i + 2 < n && p[i + 1] == 0x80 &&
                   (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
            lines++;
        }
    }
    return lines;
}

/* A detail that says where: "line L" (or "header: line L"), L in [first, cur.lines], then
 * ':' or " column C" with C >= 1. */
static int names_place(const char *detail, uint64_t first)
{
    unsigned long long line = 0, column = 0;
    int n = 0;
    if (strncmp(detail, "header: ", 8) == 0) {
        detail += 8;
    }
    if (sscanf(detail, "line %llu%n", &line, &n) != 1 || line < first || line > cur.lines) {
        return 0;
    }
    detail += n;
    if (detail[0] == ':') {
        return 1;
    }
    n = 0;
    return sscanf(detail, " column %llu%n", &column, &n) == 1 && column >= 1 && detail[n] == ':';
}

static int check_reject(void *ctx, const struct tr_import_reject *r, struct tr_error *err)
{
    (void)ctx;
    (void)err;
    FUZZ_ASSERT(strcmp(r->file, input) == 0);
    FUZZ_ASSERT(r->line >= 1 && r->line <= cur.lines && r->line >= cur.last_line);
    FUZZ_ASSERT(r->nproblems >= 1 && r->problems != NULL && r->record_id != NULL);
    for (size_t i = 0; i < r->nproblems; i++) {
        const struct tr_import_problem *p = &r->problems[i];
        FUZZ_ASSERT(p->reason < TR_IMPORT_REASON_COUNT);
        FUZZ_ASSERT(strcmp(tr_import_reason_code(p->reason), "unknown") != 0);
        FUZZ_ASSERT(memchr(p->detail, '\0', sizeof p->detail) != NULL && p->detail[0] != '\0');
        /* A JSON line too long is "line longer than N bytes": the reject names its line. */
        int placed = p->reason == TR_IMPORT_MALFORMED_INPUT ||
                     (cur.format != TR_IMPORT_JSONL &&
                      (p->reason == TR_IMPORT_OVER_LIMIT || p->reason == TR_VERIFY_SCHEMA_INVALID));
        if (placed && !names_place(p->detail, r->line) &&
            strstr(p->detail, " more problems") == NULL) {
            fprintf(stderr, "reject at line %" PRIu64 " of %" PRIu64 " lines: %s: %s\n", r->line,
                    cur.lines, tr_import_reason_code(p->reason), p->detail);
            FUZZ_ASSERT(names_place(p->detail, r->line));
        }
    }
    cur.last_line = r->line;
    cur.rejects++;
    return TR_OK;
}

/* Import the size bytes at data as one file of format, and check what came of it. */
static void fuzz_import_run(enum tr_import_format format, const uint8_t *data, size_t size)
{
    struct tr_limits limits;
    struct tr_import_options o;
    struct tr_import_summary sum;
    struct tr_error err = {0};
    const char *paths[1] = {input};
    uint64_t after = 0;
    int rc = TR_OK;
    if (db == NULL) {
        rc = tr_db_open(store, TR_DB_READWRITE, &db, &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
        rc = tr_log_size(db, &log_size, &err);
        FUZZ_ASSERT_RC(rc, TR_OK, err);
    }
    FILE *f = fopen(input, "wb");
    FUZZ_ASSERT(f != NULL);
    FUZZ_ASSERT(fwrite(data, 1, size, f) == size && fclose(f) == 0);
    memset(&cur, 0, sizeof cur);
    cur.format = format;
    cur.lines = count_lines(data, size);
    tr_limits_default(&limits);
    limits.max_bytes = ITEM_MAX;
    memset(&o, 0, sizeof o);
    o.format = format;
    o.key = key;
    o.created = CREATED;
    o.limits = &limits;
    o.dry_run = 1;
    o.on_reject = check_reject;
    rc = tr_import_run(db, paths, 1, &o, &sum, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(sum.records == sum.stored + sum.duplicates + sum.merged + sum.rejected);
    FUZZ_ASSERT(sum.rejected == cur.rejects && !sum.stopped);
    uint64_t by_reason = 0;
    for (size_t i = 0; i < TR_IMPORT_REASON_COUNT; i++) {
        by_reason += sum.by_reason[i];
    }
    FUZZ_ASSERT(by_reason == sum.rejected);
    rc = tr_log_size(db, &after, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(after == log_size && !tr_db_in_transaction(db));
}

#endif
