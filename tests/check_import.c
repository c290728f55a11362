/*
 * check_import.c — bulk import into a store with three organisations of docs/examples: JSON
 * lines, YAML streams and CSV files; what is stored, what is rejected and why (with its line),
 * a truncated last line, an import run twice, a dry run, strict mode, threads against the
 * caller's thread alone, and the inputs checked before anything is written.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

#define EX "docs/examples/"
#define CREATED "2025-06-01T08:00:00Z"

enum org { MINJIANG, NINGDE, FUZHOU, NORG };

static const char *const seed_hex[NORG] = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000001",
    "0000000000000000000000000000000000000000000000000000000000000002",
};

static char dir[64];
static struct tr_db *db;
static struct tr_key *keys[NORG];
static struct tr_buf rejects; /* "FILE line N record R: CODE: DETAIL" lines */

static int collect(void *ctx, const struct tr_import_reject *r, struct tr_error *err)
{
    (void)ctx;
    (void)err;
    for (size_t i = 0; i < r->nproblems; i++) {
        tr_buf_addf(&rejects, "%s line %llu record %zu: %s: %s\n", strrchr(r->file, '/') + 1,
                    (unsigned long long)r->line, r->record,
                    tr_import_reason_code(r->problems[i].reason), r->problems[i].detail);
    }
    return TR_OK;
}

/* The file name in the test directory (in a ring of 8 buffers). */
static const char *in_dir(const char *name)
{
    static char p[8][160];
    static int next;
    char *out = p[next++ % 8];
    snprintf(out, sizeof p[0], "%s/%s", dir, name);
    return out;
}

static const char *write_file(const char *name, const char *text, size_t len)
{
    const char *p = in_dir(name);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return p;
}

/* The one record of a YAML text as a credential signed by who, as one JSON line. */
static void add_signed(struct tr_buf *out, const char *yaml, int who)
{
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_error err = {0};
    struct tr_diag diag;
    struct tr_proof_sign_options opts = {CREATED, NULL, NULL};
    tr_diag_init(&diag, "t");
    ck_assert_msg(tr_yaml_load(yaml, strlen(yaml), "t", NULL, &doc, &err) == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_schema_from_record(doc, NULL, &cred, &diag), TR_OK);
    ck_assert_msg(tr_proof_sign(cred, keys[who]->seed, &opts, &err) == TR_OK, "%s", err.msg);
    ck_assert_int_eq(tr_json_write(cred, TR_JSON_COMPACT, out, &err), TR_OK);
    tr_buf_addc(out, '\n');
    tr_diag_release(&diag);
    tr_json_free(doc);
    tr_json_free(cred);
}

/* A Credit of Minjiang's, made different by n. */
static void add_credit(struct tr_buf *out, int n, int who)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "kind: Credit\nissuer: 12350100488101234T\nsubject: p-li-na-1999\n"
             "course: Course %d\nframework: cn-credit\npoints: 2\nearnedOn: 2025-01-10\n",
             n);
    add_signed(out, yaml, who);
}

static uint64_t log_size(void)
{
    uint64_t n = 0;
    ck_assert_int_eq(tr_log_size(db, &n, NULL), TR_OK);
    return n;
}

static void options(struct tr_import_options *o, unsigned threads)
{
    memset(o, 0, sizeof *o);
    o->key = keys[MINJIANG];
    o->created = CREATED;
    o->threads = threads;
    o->on_reject = collect;
}

/* Import paths into store d; the call must succeed. */
static void import_into(struct tr_db *d, const char *const *paths, size_t n,
                        const struct tr_import_options *o, struct tr_import_summary *s)
{
    struct tr_error err = {0};
    tr_buf_reset(&rejects);
    ck_assert_msg(tr_import_run(d, paths, n, o, s, &err) == TR_OK, "%s", err.msg);
}

static void import(const char *const *paths, size_t n, const struct tr_import_options *o,
                   struct tr_import_summary *s)
{
    import_into(db, paths, n, o, s);
}

static void expect_counts(const struct tr_import_summary *s, uint64_t records, uint64_t stored,
                          uint64_t duplicates, uint64_t merged, uint64_t rejected)
{
    ck_assert_uint_eq(s->records, records);
    ck_assert_uint_eq(s->stored, stored);
    ck_assert_uint_eq(s->duplicates, duplicates);
    ck_assert_uint_eq(s->merged, merged);
    ck_assert_uint_eq(s->rejected, rejected);
    ck_assert_uint_eq(s->log_size, log_size());
}

/* A new store file in the test directory with the operator key and the three organisations
 * registered (leaves 0 to 2, the same bytes every time). */
static struct tr_db *new_store(const char *file)
{
    struct tr_error err = {0};
    struct tr_db *d = NULL;
    unsigned char op[TR_ED25519_SEED_LEN];
    memset(op, 0x0f, sizeof op);
    ck_assert_msg(tr_db_create(in_dir(file), "talentreg.example/test", &d, &err) == TR_OK, "%s",
                  err.msg);
    test_register_orgs(d, op, NORG);
    return d;
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/check_import.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    tr_buf_init(&rejects);
    for (int i = 0; i < NORG; i++) {
        unsigned char seed[TR_ED25519_SEED_LEN];
        test_unhex(seed_hex[i], seed, sizeof seed);
        ck_assert_int_eq(tr_key_from_seed(seed, &keys[i], NULL), TR_OK);
    }
    db = new_store("talent.db");
}

static void teardown(void)
{
    char cmd[128];
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
    for (int i = 0; i < NORG; i++) {
        tr_key_free(keys[i]);
    }
    tr_buf_release(&rejects);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(truncated_last_line_is_reported_and_the_rest_stored)
{
    struct tr_import_options o;
    struct tr_import_summary s;
    struct tr_buf b;
    tr_buf_init(&b);
    for (int i = 0; i < 3; i++) {
        add_credit(&b, i, MINJIANG);
    }
    tr_buf_adds(&b, "\n  \n");
    size_t whole = b.len;
    add_credit(&b, 3, MINJIANG);
    const char *p = write_file("cut.jsonl", b.data, whole + 100);
    options(&o, 2);
    import(&p, 1, &o, &s);
    expect_counts(&s, 4, 3, 0, 0, 1);
    ck_assert_uint_eq(s.by_reason[TR_IMPORT_TRUNCATED_LINE], 1);
    ck_assert_str_eq(rejects.data,
                     "cut.jsonl line 6 record 4: truncated-line: the last line ends without a "
                     "line feed and is not a whole JSON text: line 6 column 96: unterminated "
                     "string\n");
    ck_assert_uint_eq(s.bytes, whole + 100);
    ck_assert_uint_eq(s.total_bytes, whole + 100);
    tr_buf_release(&b);
}
END_TEST

/* Found by tests/fuzz/fuzz_import.c: a CR inside a JSON line moved the position of a parse
 * error to another line of the file. */
START_TEST(a_cr_inside_a_json_line_keeps_the_error_on_that_line)
{
    static const char lines[] = "{\"a\":\r [1,\r\"\xc3\xa9\r\"]}\n"
                                "{\"b\":\r x}\r\n";
    struct tr_import_options o;
    struct tr_import_summary s;
    const char *p = write_file("cr.jsonl", lines, sizeof lines - 1);
    options(&o, 0);
    o.dry_run = 1;
    import(&p, 1, &o, &s);
    expect_counts(&s, 2, 0, 0, 0, 2);
    ck_assert_str_eq(rejects.data, "cr.jsonl line 1 record 1: malformed-input: line 1 column 14: "
                                   "unescaped control character U+000D in string\n"
                                   "cr.jsonl line 2 record 2: malformed-input: line 2 column 8: "
                                   "invalid literal 'x'\n");
}
END_TEST

START_TEST(import_run_twice_changes_nothing)
{
    struct tr_import_options o;
    struct tr_import_summary s;
    struct tr_buf b;
    unsigned char root[32], again[32];
    tr_buf_init(&b);
    for (int i = 0; i < 40; i++) {
        add_credit(&b, i, i % 10 == 9 ? NINGDE : MINJIANG); /* every tenth by the wrong key */
    }
    const char *p = write_file("credits.jsonl", b.data, b.len);
    options(&o, 2);
    o.batch = 7;
    import(&p, 1, &o, &s);
    expect_counts(&s, 40, 36, 0, 0, 4);
    ck_assert_uint_eq(s.by_reason[TR_VERIFY_SIGNER_NOT_PERMITTED], 4);
    uint64_t size = log_size();
    ck_assert_int_eq(tr_log_root(db, size, root, NULL), TR_OK);
    import(&p, 1, &o, &s);
    expect_counts(&s, 40, 0, 36, 0, 4);
    ck_assert_uint_eq(log_size(), size);
    ck_assert_int_eq(tr_log_root(db, size, again, NULL), TR_OK);
    ck_assert_int_eq(memcmp(root, again, sizeof root), 0);
    tr_buf_release(&b);
}
END_TEST

START_TEST(cosignature_in_a_later_line_is_merged)
{
    struct tr_import_options o;
    struct tr_import_summary s;
    struct tr_buf b, two;
    char *yaml = test_read(EX "contribution.yaml", NULL);
    tr_buf_init(&b);
    tr_buf_init(&two);
    add_signed(&b, yaml, MINJIANG);
    /* The same contribution with the beneficiary's proof added. */
    struct tr_json *cred = NULL;
    ck_assert_int_eq(tr_json_parse(b.data, b.len - 1, "t", NULL, &cred, NULL), TR_OK);
    struct tr_proof_sign_options so = {"2025-06-02T08:00:00Z", NULL, NULL};
    ck_assert_int_eq(tr_proof_sign(cred, keys[NINGDE]->seed, &so, NULL), TR_OK);
    ck_assert_int_eq(tr_json_write(cred, TR_JSON_COMPACT, &two, NULL), TR_OK);
    tr_buf_addc(&two, '\n');
    tr_buf_add(&b, two.data, two.len);
    tr_buf_add(&b, two.data, two.len);
    const char *p = write_file("merge.jsonl", b.data, b.len);
    options(&o, 0);
    import(&p, 1, &o, &s);
    ck_assert_str_eq(rejects.data, "");
    expect_counts(&s, 3, 1, 1, 1, 0);
    tr_json_free(cred);
    tr_buf_release(&two);
    tr_buf_release(&b);
    free(yaml);
}
END_TEST

START_TEST(csv_bad_rows_are_reported_and_good_rows_stored)
{
    static const char csv[] =
        "\xEF\xBB\xBFkind,issuer,subject,validFrom,validUntil,host,home,fte,form,hours,"
        "project,course,courseCode,framework,points,earnedOn\r\n"
        "EnterprisePlacement,91350900MA2Y8K3Q1U,p-zhang-wei-1984,2024-03-01,2024-08-31,"
        "91350900MA2Y8K3Q1U,12350100488101234T,1,rnd_project,1000,\"电池, \"\"BMS\"\"\",,,,,\r\n"
        "Credit,12350100488101234T,p-li-na-1999,,,,,,,32,,工程伦理,0204,cn-credit,2,2025-01-10\r\n"
        "Credit,12350100488101234T,p-li-na-1999,,,,,,,32,,Ethics,GE1,cn-credit,200,2025-01-10\r\n"
        "Credit,12350100488101234T,p-li-na-1999\r\n"
        "Credit,12350100488101234T,p-li-na-1999,,,,,,,\"32\"x,,,,,,\r\n"
        "Credit,12350100488101234T,p-li-na-1999,,,,,,,,,Lab,L1,ects,5,2025-13-01\r\n";
    struct tr_import_options o;
    struct tr_import_summary s;
    const char *p = write_file("staff.csv", csv, sizeof csv - 1);
    options(&o, 2);
    o.key = keys[NINGDE];
    import(&p, 1, &o, &s);
    /* Ningde's key: the placement (Ningde hosts it) counts, the credits are Minjiang's. */
    expect_counts(&s, 6, 1, 0, 0, 5);
    ck_assert_str_eq(
        rejects.data,
        "staff.csv line 3 record 2: signer-not-permitted: proof 1: 91350900MA2Y8K3Q1U is neither "
        "a signer nor a co-signer of Credit records\n"
        "staff.csv line 3 record 2: issuer-mismatch: the issuer 12350100488101234T has no valid "
        "proof\n"
        "staff.csv line 4 record 3: schema-invalid: line 4 column 71: field "
        "'credentialSubject.points' must be between 0 and 100\n"
        "staff.csv line 5 record 4: malformed-input: line 5: the row has 3 fields, the header 16\n"
        "staff.csv line 6 record 5: malformed-input: line 6 column 50: a closing quote must be "
        "followed by a comma or the end of the row\n"
        "staff.csv line 7 record 6: schema-invalid: line 7 column 62: field "
        "'credentialSubject.earnedOn' is not a valid date: month 13 does not exist\n");
    /* The same rows signed by their issuer: the credit written 0204 keeps its leading zero. */
    o.key = keys[MINJIANG];
    import(&p, 1, &o, &s);
    expect_counts(&s, 6, 1, 0, 0, 5);
    struct tr_buf body;
    struct tr_log_entry e;
    tr_buf_init(&body);
    ck_assert_int_eq(tr_log_entry(db, log_size() - 1, &e, &body, NULL), TR_OK);
    ck_assert_ptr_nonnull(strstr(body.data, "\"courseCode\":\"0204\""));
    ck_assert_ptr_nonnull(strstr(body.data, "\"hours\":32,"));
    tr_buf_release(&body);
}
END_TEST

START_TEST(csv_header_must_name_its_columns)
{
    struct tr_import_options o;
    struct tr_import_summary s;
    struct tr_buf b;
    const char *paths[5];
    tr_buf_init(&b);
    add_credit(&b, 1, NINGDE);
    paths[0] = write_file("a.csv", "issuer,subject\nx,y\n", 19);
    paths[1] = write_file("b.csv", "kind,fte,fte\n", 13);
    paths[2] = write_file("c.csv", "kind,,x\n", 8);
    paths[3] = write_file("d.csv", "", 0);
    paths[4] = write_file("e.jsonl", b.data, b.len);
    options(&o, 0);
    import(paths, 5, &o, &s);
    expect_counts(&s, 4, 0, 0, 0, 4);
    ck_assert_str_eq(rejects.data,
                     "a.csv line 1 record 0: malformed-input: line 1: the header has no column "
                     "'kind' (docs/import.md)\n"
                     "b.csv line 1 record 0: malformed-input: line 1 column 10: column name "
                     "'fte' is given twice\n"
                     "c.csv line 1 record 0: malformed-input: line 1 column 6: column name '' is "
                     "empty\n"
                     "e.jsonl line 1 record 1: signer-not-permitted: proof 1: 91350900MA2Y8K3Q1U "
                     "is neither a signer nor a co-signer of Credit records\n"
                     "e.jsonl line 1 record 1: issuer-mismatch: the issuer 12350100488101234T has "
                     "no valid proof\n");
    tr_buf_release(&b);
}
END_TEST

START_TEST(yaml_records_are_signed_and_person_ids_hashed_with_the_store_key)
{
    static const char yaml[] = "kind: Person\nissuer: 12350100488101234T\nsubject: p-li-na-1999\n"
                               "name: 李娜\ncategories: [student]\nhome: 12350100488101234T\n"
                               "nationalId: \"11010519491231002X\"\n---\n"
                               "kind: Credit\nissuer: 12350100488101234T\nsubject: p-li-na-1999\n"
                               "course: x\nframework: ects\npoints: -1\nearnedOn: 2025-02-30\n"
                               "colour: blue\n";
    struct tr_import_options o;
    struct tr_import_summary s;
    unsigned char key[TR_DB_ID_KEY_LEN];
    char hash[TR_ID_HASH_LEN + 1], want[128];
    const char *p = write_file("people.yaml", yaml, sizeof yaml - 1);
    options(&o, 1);
    import(&p, 1, &o, &s);
    expect_counts(&s, 2, 1, 0, 0, 1);
    ck_assert_uint_eq(s.by_reason[TR_VERIFY_SCHEMA_INVALID], 1);
    ck_assert_str_eq(rejects.data,
                     "people.yaml line 9 record 2: schema-invalid: line 14 column 9: field "
                     "'credentialSubject.points' must be between 0 and 100\n"
                     "people.yaml line 9 record 2: schema-invalid: line 15 column 11: field "
                     "'credentialSubject.earnedOn' is not a valid date: 2025-02 has no day 30\n"
                     "people.yaml line 9 record 2: schema-invalid: line 16 column 1: field "
                     "'credentialSubject.colour' is not a field of Credit\n");
    ck_assert_int_eq(tr_db_id_key(db, key, NULL), TR_OK);
    ck_assert_int_eq(tr_ident_hash(key, "11010519491231002X", 18, hash), TR_OK);
    struct tr_buf body;
    struct tr_log_entry e;
    tr_buf_init(&body);
    ck_assert_int_eq(tr_log_entry(db, log_size() - 1, &e, &body, NULL), TR_OK);
    snprintf(want, sizeof want, "\"nationalIdHash\":\"%s\"", hash);
    ck_assert_ptr_nonnull(strstr(body.data, want));
    ck_assert_ptr_null(strstr(body.data, "11010519491231002X"));
    tr_buf_release(&body);
}
END_TEST

START_TEST(dry_run_judges_in_order_and_stores_nothing)
{
    struct tr_import_options o;
    struct tr_import_summary s;
    struct tr_buf b;
    tr_buf_init(&b);
    /* A revocation of the first credit: it needs the credit in the log before it. */
    add_credit(&b, 1, MINJIANG);
    size_t first = b.len;
    struct tr_json *c = NULL;
    char id[TR_RECORD_ID_LEN + 1], yaml[512];
    ck_assert_int_eq(tr_json_parse(b.data, first - 1, "t", NULL, &c, NULL), TR_OK);
    ck_assert_int_eq(tr_verify_record_id(c, id, NULL), TR_OK);
    snprintf(yaml, sizeof yaml,
             "kind: Revocation\nissuer: 12350100488101234T\nsubject: %s\naction: withdraw\n"
             "reason: wrong\n",
             id);
    add_signed(&b, yaml, MINJIANG);
    add_credit(&b, 2, FUZHOU);
    const char *p = write_file("dry.jsonl", b.data, b.len);
    uint64_t before = log_size();
    options(&o, 2);
    o.dry_run = 1;
    import(&p, 1, &o, &s);
    ck_assert_uint_eq(s.stored, 2);
    ck_assert_uint_eq(s.rejected, 1);
    ck_assert_uint_eq(s.log_size, before + 2);
    ck_assert_uint_eq(log_size(), before);
    ck_assert_int_eq(tr_db_in_transaction(db), 0);
    /* The real import agrees with the dry run. */
    o.dry_run = 0;
    import(&p, 1, &o, &s);
    expect_counts(&s, 3, 2, 0, 0, 1);
    tr_json_free(c);
    tr_buf_release(&b);
}
END_TEST

START_TEST(strict_stops_at_the_first_rejection)
{
    struct tr_import_options o;
    struct tr_import_summary s;
    struct tr_buf b;
    tr_buf_init(&b);
    add_credit(&b, 1, MINJIANG);
    add_credit(&b, 2, MINJIANG);
    add_credit(&b, 3, NINGDE);
    add_credit(&b, 4, MINJIANG);
    const char *paths[2] = {write_file("strict.jsonl", b.data, b.len), NULL};
    tr_buf_reset(&b);
    add_credit(&b, 5, MINJIANG);
    paths[1] = write_file("after.jsonl", b.data, b.len);
    uint64_t before = log_size();
    options(&o, 2);
    o.strict = 1;
    import(paths, 2, &o, &s);
    expect_counts(&s, 3, 2, 0, 0, 1);
    ck_assert_int_eq(s.stopped, 1);
    ck_assert_uint_eq(log_size(), before + 2);
    ck_assert_int_eq(tr_db_in_transaction(db), 0);
    tr_buf_release(&b);
}
END_TEST

START_TEST(threads_store_what_the_callers_thread_stores)
{
    struct tr_import_options o;
    struct tr_import_summary s, one;
    struct tr_buf b, seen;
    unsigned char root[32], again[32];
    uint64_t size = 0;
    tr_buf_init(&b);
    tr_buf_init(&seen);
    for (int i = 0; i < 300; i++) {
        add_credit(&b, i % 250, i % 7 == 3 ? FUZHOU : MINJIANG);
    }
    const char *p = write_file("many.jsonl", b.data, b.len);
    options(&o, 0);
    import(&p, 1, &o, &one);
    tr_buf_add(&seen, rejects.data, rejects.len);
    ck_assert_int_eq(tr_log_root(db, log_size(), root, NULL), TR_OK);
    /* The same import into a store like the first, with four workers and small batches. */
    struct tr_db *other = new_store("other.db");
    o.threads = 4;
    o.batch = 13;
    import_into(other, &p, 1, &o, &s);
    ck_assert_mem_eq(&s, &one, sizeof s);
    ck_assert_str_eq(rejects.data, seen.data);
    ck_assert_int_eq(tr_log_size(other, &size, NULL), TR_OK);
    ck_assert_uint_eq(size, log_size());
    ck_assert_int_eq(tr_log_root(other, size, again, NULL), TR_OK);
    ck_assert_int_eq(memcmp(root, again, sizeof root), 0);
    ck_assert_int_eq(tr_db_close(other, NULL), TR_OK);
    tr_buf_release(&seen);
    tr_buf_release(&b);
}
END_TEST

/* A reject callback that fails, as an interruption would stop the import there. */
static int interrupt(void *ctx, const struct tr_import_reject *r, struct tr_error *err)
{
    (void)ctx;
    (void)r;
    return tr_error_set(err, TR_EIO, "interrupted");
}

START_TEST(interrupted_import_run_again_completes_it)
{
    struct tr_import_options o;
    struct tr_import_summary s;
    struct tr_error err = {0};
    struct tr_buf b;
    unsigned char root[32], again[32];
    uint64_t size = 0;
    tr_buf_init(&b);
    for (int i = 0; i < 50; i++) {
        add_credit(&b, i, i == 29 ? NINGDE : MINJIANG);
    }
    const char *p = write_file("stop.jsonl", b.data, b.len);
    options(&o, 2);
    o.batch = 8;
    o.on_reject = interrupt;
    ck_assert_int_eq(tr_import_run(db, &p, 1, &o, &s, &err), TR_EIO);
    ck_assert_str_eq(err.msg, "interrupted");
    /* Three batches of 8 were committed; the fourth, open when it stopped, was not. */
    ck_assert_uint_eq(log_size(), NORG + 24);
    ck_assert_int_eq(tr_db_in_transaction(db), 0);
    o.on_reject = collect;
    import(&p, 1, &o, &s);
    expect_counts(&s, 50, 25, 24, 0, 1);
    ck_assert_int_eq(tr_log_root(db, log_size(), root, NULL), TR_OK);
    /* The same as one import that was never interrupted. */
    struct tr_db *other = new_store("other.db");
    import_into(other, &p, 1, &o, &s);
    ck_assert_int_eq(tr_log_size(other, &size, NULL), TR_OK);
    ck_assert_uint_eq(size, log_size());
    ck_assert_int_eq(tr_log_root(other, size, again, NULL), TR_OK);
    ck_assert_int_eq(memcmp(root, again, sizeof root), 0);
    ck_assert_int_eq(tr_db_close(other, NULL), TR_OK);
    tr_buf_release(&b);
}
END_TEST

/* What on_commit was told: each batch as "RECORDS:ID,ID,...;", each id checked in the log. */
struct acks {
    struct tr_db *db;
    struct tr_buf text;
    int fail_at; /* the commit (from 1) whose callback fails; 0: none */
    int calls;
};

static int note_commit(void *ctx, const struct tr_import_commit *c, struct tr_error *err)
{
    struct acks *a = ctx;
    a->calls++;
    tr_buf_addf(&a->text, "%llu:", (unsigned long long)c->so_far->records);
    for (size_t i = 0; i < c->count; i++) {
        char id[TR_RECORD_ID_LEN + 1];
        const char *line = c->record_ids + i * (TR_RECORD_ID_LEN + 1);
        ck_assert_int_eq(line[TR_RECORD_ID_LEN], '\n');
        memcpy(id, line, TR_RECORD_ID_LEN);
        id[TR_RECORD_ID_LEN] = '\0';
        /* Committed: another connection sees it. */
        ck_assert_int_eq(tr_log_find(a->db, id, NULL, NULL, NULL, NULL), TR_OK);
        tr_buf_addf(&a->text, "%s%s", i > 0 ? "," : "", id);
    }
    tr_buf_addc(&a->text, ';');
    return a->calls == a->fail_at ? tr_error_set(err, TR_EIO, "cannot write the acks") : TR_OK;
}

/* The record id of leaf i of the test store. */
static const char *leaf_id(uint64_t i)
{
    static char ids[4][TR_LOG_RECORD_ID_LEN + 1];
    static int next;
    struct tr_log_entry e;
    struct tr_buf body;
    char *out = ids[next++ % 4];
    tr_buf_init(&body);
    ck_assert_int_eq(tr_log_entry(db, i, &e, &body, NULL), TR_OK);
    memcpy(out, e.record_id, sizeof e.record_id);
    tr_buf_release(&body);
    return out;
}

START_TEST(committed_batches_are_acknowledged_with_their_records)
{
    struct tr_import_options o;
    struct tr_import_summary s;
    struct tr_error err = {0};
    struct tr_buf b;
    struct acks a = {0};
    char want[1024];
    tr_buf_init(&b);
    tr_buf_init(&a.text);
    ck_assert_int_eq(tr_db_open(in_dir("talent.db"), TR_DB_READONLY, &a.db, NULL), TR_OK);
    /* Stored, stored | already stored, rejected (not Minjiang's key) | stored. */
    add_credit(&b, 0, MINJIANG);
    add_credit(&b, 1, MINJIANG);
    add_credit(&b, 0, MINJIANG);
    add_credit(&b, 2, NINGDE);
    add_credit(&b, 3, MINJIANG);
    const char *p = write_file("acked.jsonl", b.data, b.len);
    options(&o, 2);
    o.batch = 2;
    o.on_commit = note_commit;
    o.commit_ctx = &a;
    /* Nothing is durable in a dry run nor in the caller's transaction: nothing is told. */
    o.dry_run = 1;
    import(&p, 1, &o, &s);
    o.dry_run = 0;
    ck_assert_int_eq(tr_db_begin(db, NULL), TR_OK);
    import(&p, 1, &o, &s);
    ck_assert_int_eq(tr_db_rollback(db, NULL), TR_OK);
    ck_assert_int_eq(a.calls, 0);
    import(&p, 1, &o, &s);
    expect_counts(&s, 5, 3, 1, 0, 1);
    snprintf(want, sizeof want, "2:%s,%s;4:%s;5:%s;", leaf_id(NORG), leaf_id(NORG + 1),
             leaf_id(NORG), leaf_id(NORG + 2));
    ck_assert_str_eq(a.text.data, want);
    /* A callback that fails stops the import; the batch it was told of stays committed. */
    add_credit(&b, 4, MINJIANG);
    add_credit(&b, 5, MINJIANG);
    add_credit(&b, 6, MINJIANG);
    p = write_file("acked.jsonl", b.data, b.len);
    a.calls = 0;
    a.fail_at = 3;
    tr_buf_reset(&a.text);
    ck_assert_int_eq(tr_import_run(db, &p, 1, &o, &s, &err), TR_EIO);
    ck_assert_str_eq(err.msg, "cannot write the acks");
    ck_assert_int_eq(tr_db_in_transaction(db), 0);
    ck_assert_uint_eq(s.records, 6);
    ck_assert_uint_eq(log_size(), NORG + 4);
    ck_assert_int_eq(tr_db_close(a.db, NULL), TR_OK);
    tr_buf_release(&a.text);
    tr_buf_release(&b);
}
END_TEST

START_TEST(inputs_are_checked_before_anything_is_written)
{
    struct tr_import_options o;
    struct tr_import_summary s;
    struct tr_error err = {0};
    struct tr_buf b;
    tr_buf_init(&b);
    add_credit(&b, 1, MINJIANG);
    const char *good = write_file("good.jsonl", b.data, b.len);
    const char *yaml = write_file("r.yaml", "kind: Credit\n", 13);
    const char *paths[2] = {good, in_dir("missing.jsonl")};
    char want[256];
    uint64_t before = log_size();
    options(&o, 2);
    ck_assert_int_eq(tr_import_run(db, paths, 2, &o, &s, &err), TR_EIO);
    snprintf(want, sizeof want, "cannot open '%s': No such file or directory", paths[1]);
    ck_assert_str_eq(err.msg, want);
    paths[1] = yaml;
    o.key = NULL;
    ck_assert_int_eq(tr_import_run(db, paths, 2, &o, &s, &err), TR_EINVAL);
    snprintf(want, sizeof want,
             "'%s' holds YAML records, which are signed on import: no signing key was given", yaml);
    ck_assert_str_eq(err.msg, want);
    paths[0] = paths[1] = "-";
    ck_assert_int_eq(tr_import_run(db, paths, 2, &o, &s, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "standard input ('-') can be read only once");
    ck_assert_int_eq(tr_import_run(db, paths, 0, &o, &s, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "no input to import");
    o.created = "yesterday";
    ck_assert_int_eq(tr_import_run(db, &good, 1, &o, &s, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg,
                     "created 'yesterday' is not a UTC date-time like 2024-05-01T08:00:00Z");
    ck_assert_uint_eq(log_size(), before);
    ck_assert_int_eq(tr_db_in_transaction(db), 0);
    tr_buf_release(&b);
}
END_TEST

START_TEST(formats_are_told_by_extension_or_content)
{
    static const struct {
        const char *name, *text;
        enum tr_import_format format;
    } cases[] = {
        {"a.jsonl", "kind,x\n", TR_IMPORT_JSONL},
        {"a.ndjson", "", TR_IMPORT_JSONL},
        {"a.json", "", TR_IMPORT_JSONL},
        {"a.yml", "{", TR_IMPORT_YAML},
        {"a.yaml", "", TR_IMPORT_YAML},
        {"a.csv", "{", TR_IMPORT_CSV},
        {"lines", "\xEF\xBB\xBF\n  {\"a\": 1}\n", TR_IMPORT_JSONL},
        {"records", "kind: Credit\n", TR_IMPORT_YAML},
        {"stream", "---\n", TR_IMPORT_YAML},
        {"commented", "# staff\n", TR_IMPORT_YAML},
        {"sheet", "kind,issuer,subject\nCredit,a,b: c\n", TR_IMPORT_CSV},
        {"empty", "", TR_IMPORT_CSV},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum tr_import_format f;
        const char *p = write_file(cases[i].name, cases[i].text, strlen(cases[i].text));
        ck_assert_int_eq(tr_import_format_of(p, &f, NULL), TR_OK);
        ck_assert_msg(f == cases[i].format, "%s: %d", cases[i].name, (int)f);
    }
    enum tr_import_format f;
    ck_assert_int_eq(tr_import_format_of("-", &f, NULL), TR_OK);
    ck_assert_int_eq(f, TR_IMPORT_JSONL);
    ck_assert_int_eq(tr_import_format_of(in_dir("nothing"), &f, NULL), TR_EIO);
}
END_TEST

START_TEST(lines_over_the_limit_and_not_json_are_rejected)
{
    struct tr_import_options o;
    struct tr_import_summary s;
    struct tr_limits l;
    struct tr_buf b;
    tr_buf_init(&b);
    tr_buf_adds(&b, "{\"a\": }\n");
    add_credit(&b, 1, MINJIANG);
    tr_buf_adds(&b, "[1, 2]\r\n");
    const char *p = write_file("mixed.jsonl", b.data, b.len);
    options(&o, 2);
    tr_limits_default(&l);
    l.max_bytes = 700;
    o.limits = &l;
    import(&p, 1, &o, &s);
    expect_counts(&s, 3, 0, 0, 0, 3);
    ck_assert_str_eq(rejects.data,
                     "mixed.jsonl line 1 record 1: malformed-input: line 1 column 7: expected a "
                     "value, found '}'\n"
                     "mixed.jsonl line 2 record 2: over-limit: line longer than 700 bytes\n"
                     "mixed.jsonl line 3 record 3: schema-invalid: a credential must be a JSON "
                     "object, not array\n");
    tr_buf_release(&b);
}
END_TEST

START_TEST(reason_codes_follow_the_verifiers)
{
    ck_assert_str_eq(tr_import_reason_code(TR_VERIFY_BAD_SIGNATURE), "bad-signature");
    ck_assert_str_eq(tr_import_reason_code(TR_IMPORT_MALFORMED_INPUT), "malformed-input");
    ck_assert_str_eq(tr_import_reason_code(TR_IMPORT_TRUNCATED_LINE), "truncated-line");
    ck_assert_str_eq(tr_import_reason_code(TR_IMPORT_OVER_LIMIT), "over-limit");
    ck_assert_str_eq(tr_import_reason_code(TR_IMPORT_REASON_COUNT), "unknown");
}
END_TEST

Suite *import_suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("import");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, truncated_last_line_is_reported_and_the_rest_stored);
    tcase_add_test(tc, import_run_twice_changes_nothing);
    tcase_add_test(tc, cosignature_in_a_later_line_is_merged);
    tcase_add_test(tc, a_cr_inside_a_json_line_keeps_the_error_on_that_line);
    tcase_add_test(tc, csv_bad_rows_are_reported_and_good_rows_stored);
    tcase_add_test(tc, csv_header_must_name_its_columns);
    tcase_add_test(tc, yaml_records_are_signed_and_person_ids_hashed_with_the_store_key);
    tcase_add_test(tc, dry_run_judges_in_order_and_stores_nothing);
    tcase_add_test(tc, strict_stops_at_the_first_rejection);
    tcase_add_test(tc, threads_store_what_the_callers_thread_stores);
    tcase_add_test(tc, interrupted_import_run_again_completes_it);
    tcase_add_test(tc, committed_batches_are_acknowledged_with_their_records);
    tcase_add_test(tc, inputs_are_checked_before_anything_is_written);
    tcase_add_test(tc, formats_are_told_by_extension_or_content);
    tcase_add_test(tc, lines_over_the_limit_and_not_json_are_rejected);
    tcase_add_test(tc, reason_codes_follow_the_verifiers);
    suite_add_tcase(s, tc);
    return s;
}
