/*
 * check_search.c — the search index: what each kind contributes, queries in Chinese, English
 * and both, prefixes, filters, ranking, snippets, paging, and hostile queries.
 *
 * The archive is the records of docs/examples (YAML mapped by tr_schema_from_record) and a
 * few more built with the JSON tree; none is signed: tr_search_index does not look at proofs.
 */
#include <check.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "talentreg.h"
#include "tr_test.h"

#define UNIVERSITY "12350100488101234T"
#define ENTERPRISE "91350900MA2Y8K3Q1U"
#define BOARD "113500000035912489"
#define FUZHOU "91350100MA31XR6T22"

/* The highlight marks as they appear in a snippet. */
#define O TR_SEARCH_MARK_OPEN
#define C TR_SEARCH_MARK_CLOSE

static char dir[64];
static char path[128];
static struct tr_db *db;
static size_t archive_size; /* records indexed by setup */

static const char *const example_files[] = {
    "docs/examples/organizations.yaml",
    "docs/examples/persons.yaml",
    "docs/examples/dual-appointment.yaml",
    "docs/examples/enterprise-placement.yaml",
    "docs/examples/credits.yaml",
    "docs/examples/recognition-agreement.yaml",
    "docs/examples/credit-recognition.yaml",
    "docs/examples/contribution.yaml",
    "docs/examples/evaluations.yaml",
    "docs/examples/revocation.yaml",
    "docs/examples/key-revocation.yaml",
};

/* The record id of credential: hex SHA-256 of its JCS bytes without proof. */
static void record_id(const struct tr_json *credential, char out[TR_RECORD_ID_LEN + 1])
{
    struct tr_buf b;
    struct tr_error err = {0};
    unsigned char hash[TR_SHA256_LEN];
    tr_buf_init(&b);
    ck_assert_int_eq(tr_jcs_serialize_without(credential, "proof", &b, &err), TR_OK);
    ck_assert_int_eq(tr_sha256(b.data, b.len, hash), TR_OK);
    snprintf(out, TR_RECORD_ID_LEN + 1, "%s", test_hex(hash, sizeof hash));
    tr_buf_release(&b);
}

/* Index credential as the next leaf; returns its record id in a ring of buffers. */
static const char *index_credential(const struct tr_json *credential)
{
    static char ring[8][TR_RECORD_ID_LEN + 1];
    static int next;
    char *id = ring[next++ % 8];
    struct tr_error err = {0};
    record_id(credential, id);
    int rc = tr_search_index(db, id, archive_size, credential, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    archive_size++;
    return id;
}

/* Call fn with the unsigned credential of every record of the YAML file, in order. */
static void each_example(const char *file, void (*fn)(struct tr_json *credential))
{
    unsigned char key[TR_ID_KEY_LEN];
    struct tr_yaml_reader *reader = NULL;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_ident_key_read("docs/examples/id.key", key, &err), TR_OK);
    ck_assert_int_eq(tr_yaml_reader_open_file(file, NULL, &reader, &err), TR_OK);
    for (;;) {
        struct tr_json *doc = NULL, *credential = NULL;
        struct tr_diag diag;
        ck_assert_int_eq(tr_yaml_reader_next(reader, &doc, &err), TR_OK);
        if (doc == NULL) {
            break;
        }
        tr_diag_init(&diag, file);
        ck_assert_int_eq(tr_schema_from_record(doc, key, &credential, &diag), TR_OK);
        fn(credential);
        tr_diag_release(&diag);
        tr_json_free(credential);
        tr_json_free(doc);
    }
    tr_yaml_reader_free(reader);
}

static void index_example(struct tr_json *credential)
{
    index_credential(credential);
}

/*
 * A credential of kind, built with the JSON tree: issuer a USCC, subject a URN or NULL,
 * valid_from a date-time or NULL, then the subject's members as (name, value) pairs ending
 * with NULL; the values are taken over. It must pass tr_schema_check.
 */
static struct tr_json *credential(const char *kind, const char *issuer, const char *subject,
                                  const char *valid_from, const char *valid_until, ...)
{
    char type[64], urn[64];
    va_list ap;
    struct tr_json *c = tr_json_new_object();
    struct tr_json *context = tr_json_new_array();
    struct tr_json *types = tr_json_new_array();
    struct tr_json *cs = tr_json_new_object();
    snprintf(type, sizeof type, "%sCredential", kind);
    snprintf(urn, sizeof urn, "%s%s", TR_URN_ORG, issuer);
    tr_json_array_append(context, tr_json_new_cstr(TR_CONTEXT_VC));
    tr_json_array_append(context, tr_json_new_cstr(TR_CONTEXT_TALENTREG));
    tr_json_array_append(types, tr_json_new_cstr(TR_TYPE_VC));
    tr_json_array_append(types, tr_json_new_cstr(type));
    tr_json_object_set(c, "@context", context);
    tr_json_object_set(c, "type", types);
    tr_json_object_set(c, "issuer", tr_json_new_cstr(urn));
    if (valid_from != NULL) {
        tr_json_object_set(c, "validFrom", tr_json_new_cstr(valid_from));
    }
    if (valid_until != NULL) {
        tr_json_object_set(c, "validUntil", tr_json_new_cstr(valid_until));
    }
    if (subject != NULL) {
        tr_json_object_set(cs, "id", tr_json_new_cstr(subject));
    }
    va_start(ap, valid_until);
    for (const char *name = va_arg(ap, const char *); name != NULL;
         name = va_arg(ap, const char *)) {
        ck_assert_int_eq(tr_json_object_set(cs, name, va_arg(ap, struct tr_json *)), TR_OK);
    }
    va_end(ap);
    tr_json_object_set(c, "credentialSubject", cs);
    struct tr_diag diag;
    tr_diag_init(&diag, kind);
    int rc = tr_schema_check(c, &diag);
    if (rc != TR_OK) {
        struct tr_buf line;
        tr_buf_init(&line);
        tr_diag_format(&diag, 0, &line);
        ck_abort_msg("%s", line.data);
    }
    tr_diag_release(&diag);
    return c;
}

static struct tr_json *str(const char *s)
{
    return tr_json_new_cstr(s);
}

static struct tr_json *num(double v)
{
    return tr_json_new_number(v);
}

static struct tr_json *strings(const char *a, const char *b)
{
    struct tr_json *arr = tr_json_new_array();
    tr_json_array_append(arr, tr_json_new_cstr(a));
    if (b != NULL) {
        tr_json_array_append(arr, tr_json_new_cstr(b));
    }
    return arr;
}

/* The hand-written records, besides the examples. */
static const char *chen_person, *chen_placement, *chen_credit, *li_nan_person;

static void index_hand_written(void)
{
    struct tr_json *c;
    c = credential("Person", UNIVERSITY, TR_URN_PERSON "p-chen-jie-1990", NULL, NULL, "name",
                   str("陈杰"), "alternateName", str("Chen Jie"), "categories",
                   strings("student", NULL), "home", str(TR_URN_ORG UNIVERSITY), NULL);
    chen_person = index_credential(c);
    tr_json_free(c);
    c = credential("Person", UNIVERSITY, TR_URN_PERSON "p-li-nan-2001", NULL, NULL, "name",
                   str("李楠"), "alternateName", str("Li Nan"), "categories",
                   strings("student", NULL), "home", str(TR_URN_ORG UNIVERSITY), NULL);
    li_nan_person = index_credential(c);
    tr_json_free(c);
    c = credential("EnterprisePlacement", ENTERPRISE, TR_URN_PERSON "p-chen-jie-1990",
                   "2023-01-01T00:00:00Z", "2023-06-30T23:59:59Z", "host",
                   str(TR_URN_ORG ENTERPRISE), "home", str(TR_URN_ORG UNIVERSITY), "fte", num(0.5),
                   "form", str("post"), "project",
                   str("储能电池测试 (energy storage battery testing)"), NULL);
    chen_placement = index_credential(c);
    tr_json_free(c);
    c = credential("Credit", UNIVERSITY, TR_URN_PERSON "p-chen-jie-1990", NULL, NULL, "course",
                   str("电化学基础 (Foundations of Electrochemistry)"), "courseCode",
                   str("CHEM2101"), "framework", str("cn-credit"), "points", num(2), "term",
                   str("2021-2022 spring"), "earnedOn", str("2022-06-30"), NULL);
    chen_credit = index_credential(c);
    tr_json_free(c);
}

static void setup(void)
{
    struct tr_error err = {0};
    snprintf(dir, sizeof dir, "/tmp/check_search.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/talent.db", dir);
    ck_assert_int_eq(tr_db_create(path, "talentreg.example/test", &db, &err), TR_OK);
    archive_size = 0;
    for (size_t i = 0; i < sizeof example_files / sizeof example_files[0]; i++) {
        each_example(example_files[i], index_example);
    }
    index_hand_written();
}

static void teardown(void)
{
    char name[192];
    ck_assert_int_eq(tr_db_close(db, NULL), TR_OK);
    db = NULL;
    const char *const files[] = {"talent.db", "talent.db-wal", "talent.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s/%s", dir, files[i]);
        unlink(name);
    }
    rmdir(dir);
}

/* The one integer the SQL returns. */
static int64_t sql_int(const char *sql)
{
    struct tr_db_stmt *st = NULL;
    struct tr_error err = {0};
    int row = 0;
    ck_assert_int_eq(tr_db_prepare(db, sql, &st, &err), TR_OK);
    ck_assert_int_eq(tr_db_step(st, &row, &err), TR_OK);
    ck_assert_int_eq(row, 1);
    int64_t v = tr_db_column_int(st, 0);
    ck_assert_int_eq(tr_db_finalize(st, TR_OK, &err), TR_OK);
    return v;
}

/* FTS5's own check of the index against its content table. */
static void check_index_integrity(void)
{
    struct tr_error err = {0};
    int rc = tr_db_exec(
        db, "INSERT INTO search_text (search_text, rank) VALUES ('integrity-check', 1)", &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
}

/*
 * Run query; the hits are written one a line as "Kind subject-or-issuer | snippet", with the
 * marks shown as [ and ]. Returns the text in a static buffer; *n (may be NULL) gets the
 * number of hits.
 */
static const char *search(const char *q, const struct tr_search_filter *f, size_t limit,
                          size_t offset, int *more)
{
    static char text[8192];
    struct tr_search_results r = {0};
    struct tr_error err = {0};
    int rc = tr_search_query(db, q, f, limit, offset, &r, &err);
    ck_assert_msg(rc == TR_OK, "query '%s': %s", q, err.msg);
    size_t len = 0;
    text[0] = '\0';
    for (size_t i = 0; i < r.len; i++) {
        const struct tr_search_hit *h = &r.hit[i];
        const char *who = h->subject != NULL ? h->subject : h->issuer;
        const char *short_who = strrchr(who, ':') != NULL ? strrchr(who, ':') + 1 : who;
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s %s | ", i > 0 ? "\n" : "",
                                tr_schema_kind_name(h->kind), short_who);
        for (const char *p = h->snippet; *p != '\0' && len + 1 < sizeof text; p++) {
            text[len++] = *p == '\x02' ? '[' : *p == '\x03' ? ']' : *p;
        }
        text[len] = '\0';
        ck_assert(i == 0 || h->score <= r.hit[i - 1].score);
    }
    if (more != NULL) {
        *more = r.more;
    }
    tr_search_results_release(&r);
    return text;
}

static const char *find(const char *q)
{
    return search(q, NULL, 20, 0, NULL);
}

/* Assert that queries a and b find the same, and something. */
static void same(const char *a, const char *b)
{
    char first[8192];
    snprintf(first, sizeof first, "%s", find(a));
    ck_assert_str_ne(first, "");
    ck_assert_str_eq(first, find(b));
}

static const char *find_filtered(const char *q, const struct tr_search_filter *f)
{
    return search(q, f, 20, 0, NULL);
}

/* A query that must be refused: its code and exact message. */
static void refused(const char *q, int code, const char *msg)
{
    struct tr_search_results r = {0};
    struct tr_error err = {0};
    ck_assert_int_eq(tr_search_query(db, q, NULL, 10, 0, &r, &err), code);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_uint_eq(r.len, 0);
    ck_assert_ptr_null(r.hit);
}

static const char *expression(const char *q)
{
    static struct tr_buf b;
    struct tr_error err = {0};
    tr_buf_release(&b);
    int rc = tr_search_match_expression(q, &b, &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    return b.data;
}

/* Without savepoints a record's row is written at once and its tokens by
 * tr_search_index_pending, for every row since the mark, before the writer commits. */
START_TEST(tokens_wait_for_the_batch_without_savepoints)
{
    struct tr_error err = {0};
    int64_t mark = -1;
    ck_assert_int_eq(tr_db_set_savepoints(db, 0, &err), TR_OK);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    ck_assert_int_eq(tr_search_pending_mark(db, &mark, &err), TR_OK);
    ck_assert_int_eq(mark, sql_int("SELECT max(id) FROM search_record"));
    struct tr_json *c =
        credential("Person", UNIVERSITY, TR_URN_PERSON "p-wu-zhen-1988", NULL, NULL, "name",
                   str("吴桢"), "alternateName", str("Wu Zhen"), "categories",
                   strings("student", NULL), "home", str(TR_URN_ORG UNIVERSITY), NULL);
    index_credential(c);
    tr_json_free(c);
    c = credential("Person", UNIVERSITY, TR_URN_PERSON "p-wu-lan-1990", NULL, NULL, "name",
                   str("吴岚"), "alternateName", str("Wu Lan"), "categories",
                   strings("student", NULL), "home", str(TR_URN_ORG UNIVERSITY), NULL);
    index_credential(c);
    tr_json_free(c);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM search_record WHERE id > "
                             "(SELECT max(id) - 2 FROM search_record)"),
                     2);
    ck_assert_str_eq(find("Wu"), "");
    ck_assert_int_eq(tr_search_index_pending(db, mark, &err), TR_OK);
    ck_assert_str_eq(find("Wu Zhen"), "Person p-wu-zhen-1988 | 吴桢 · [Wu] [Zhen]");
    ck_assert_str_eq(find("吴岚"), "Person p-wu-lan-1990 | [吴岚] · Wu Lan");
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    ck_assert_int_eq(tr_db_set_savepoints(db, 1, &err), TR_OK);
    check_index_integrity();
}
END_TEST

START_TEST(every_record_is_indexed_once)
{
    ck_assert_int_eq(archive_size, 27);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM search_record"), 27);
    ck_assert_int_eq(sql_int("SELECT count(DISTINCT record_id) FROM search_record"), 27);
    check_index_integrity();
}
END_TEST

START_TEST(two_chinese_characters_find_a_name)
{
    ck_assert_str_eq(find("李娜"), "Person p-li-na-1999 | [李娜] · Li Na");
    /* 李楠 shares the surname only. */
    ck_assert_str_eq(find("李楠"), "Person p-li-nan-2001 | [李楠] · Li Nan");
    ck_assert_str_eq(find("李"), "Person p-li-na-1999 | [李]娜 · Li Na\n"
                                 "Person p-li-nan-2001 | [李]楠 · Li Nan");
    ck_assert_str_eq(find("娜"), "Person p-li-na-1999 | 李[娜] · Li Na");
}
END_TEST

START_TEST(two_chinese_characters_find_a_word_anywhere)
{
    ck_assert_str_eq(
        find("电池"),
        "EnterprisePlacement p-chen-jie-1990 | 储能[电池]测试 (energy storage battery "
        "testing)\n"
        "EnterprisePlacement p-zhang-wei-1984 | [电池]管理系统研发 (battery management "
        "system R&D)\n"
        "Organization 91350900MA2Y8K3Q1U | 宁德新能源[电池]有限公司 · Ningde New Energy "
        "Battery Co., Ltd.\n"
        "Contribution p-zhang-wei-1984 | 一种动力[电池]单体均衡管理方法 (a "
        "cell-balancing method for power batteries)\n"
        "DualAppointment p-wang-jianguo-1970 | industrial_professor · 动力[电池]系统设计"
        "实践 (Power Battery System Design Practice) · 指导工程硕士研…");
    /* 电 alone also finds 电脑 (a laptop) and 电化学 (electrochemistry). */
    ck_assert_str_eq(find("电脑"),
                     "KeyRevocation 91350100MA31XR6T22 | 存有该密钥的笔记本[电脑]遗失 "
                     "(the laptop holding the key was lost)");
}
END_TEST

START_TEST(longer_phrases_match_in_order)
{
    ck_assert_str_eq(find("电池管理系统"), "EnterprisePlacement p-zhang-wei-1984 | [电池管理系统]"
                                           "研发 (battery management system R&D)");
    /* The same characters in another order are another phrase. */
    ck_assert_str_eq(find("管理电池"), "");
    ck_assert_str_eq(find("正高级工程师职称评审"),
                     "Evaluation p-zhang-wei-1984 | [正高级工程师职称评审] (senior engineer title "
                     "evaluation)\n"
                     "Evaluation p-zhang-wei-1984 | [正高级工程师职称评审] (senior engineer title "
                     "evaluation)");
    /* Two runs are two phrases, both required. */
    ck_assert_str_eq(find("动力 均衡"), "Contribution p-zhang-wei-1984 | 一种[动力]电池单体[均衡]"
                                        "管理方法 (a cell-balancing method for power batteries)");
}
END_TEST

START_TEST(english_words_match_in_any_case)
{
    ck_assert_str_eq(find("battery management"), "EnterprisePlacement p-zhang-wei-1984 | "
                                                 "电池管理系统研发 ([battery] [management] system "
                                                 "R&D)");
    same("BATTERY", "battery");
    same("BaTtErY", "battery");
    ck_assert_str_eq(find("Zhang Wei"), "Person p-zhang-wei-1984 | 张伟 · [Zhang] [Wei]");
    same("zhang WEI", "Zhang Wei");
    /* An enum value is indexed as its words. */
    ck_assert_str_eq(find("industrial professor"),
                     "DualAppointment p-wang-jianguo-1970 | [industrial]_[professor] · 动力电池系统"
                     "设计实践 (Power Battery System Design Practice) · 指导工程硕士研…");
    /* Words are not stemmed. */
    ck_assert_str_eq(find("batteries"), "Contribution p-zhang-wei-1984 | 一种动力电池单体均衡管理"
                                        "方法 (a cell-balancing method for power [batteries])");
    ck_assert_str_eq(find("batter"), "");
}
END_TEST

START_TEST(prefixes_match_every_word_they_begin)
{
    ck_assert_str_eq(
        find("batt*"),
        "EnterprisePlacement p-chen-jie-1990 | 储能电池测试 (energy storage [battery] "
        "testing)\n"
        "EnterprisePlacement p-zhang-wei-1984 | 电池管理系统研发 ([battery] management "
        "system R&D)\n"
        "Organization 91350900MA2Y8K3Q1U | 宁德新能源电池有限公司 · Ningde New Energy "
        "[Battery] Co., Ltd.\n"
        "Contribution p-zhang-wei-1984 | 一种动力电池单体均衡管理方法 (a "
        "cell-balancing method for power [batteries])\n"
        "DualAppointment p-wang-jianguo-1970 | industrial_professor · 动力电池系统设计"
        "实践 (Power [Battery] System Design Practice) · 指导工程硕士研…");
    ck_assert_str_eq(find("electroch*"), "Credit p-chen-jie-1990 | 电化学基础 (Foundations of "
                                         "[Electrochemistry])");
    /* Only a '*' right after a word makes a prefix. */
    ck_assert_str_eq(find("batt *"), "");
    same("电*", "电");
}
END_TEST

START_TEST(mixed_queries_need_every_part)
{
    ck_assert_str_eq(
        find("电池 battery"),
        "EnterprisePlacement p-chen-jie-1990 | 储能[电池]测试 (energy storage [battery] "
        "testing)\n"
        "EnterprisePlacement p-zhang-wei-1984 | [电池]管理系统研发 ([battery] "
        "management system R&D)\n"
        "Organization 91350900MA2Y8K3Q1U | 宁德新能源[电池]有限公司 · Ningde New Energy "
        "[Battery] Co., Ltd.\n"
        "DualAppointment p-wang-jianguo-1970 | industrial_professor · 动力[电池]系统设计"
        "实践 (Power [Battery] System Design Practice) · 指导工程硕士研…");
    ck_assert_str_eq(find("储能电池testing"),
                     "EnterprisePlacement p-chen-jie-1990 | [储能电池]测试 "
                     "(energy storage battery [testing])");
    ck_assert_str_eq(find("李娜 Zhang"), "");
}
END_TEST

START_TEST(ranking_puts_names_before_mentions)
{
    /*
     * battery in a title (a project, an organisation's name) weighs more than in the body (a
     * course among an appointment's duties); in titles, the shorter text comes first.
     */
    ck_assert_str_eq(
        find("battery"),
        "EnterprisePlacement p-chen-jie-1990 | 储能电池测试 (energy storage [battery] "
        "testing)\n"
        "EnterprisePlacement p-zhang-wei-1984 | 电池管理系统研发 ([battery] management "
        "system R&D)\n"
        "Organization 91350900MA2Y8K3Q1U | 宁德新能源电池有限公司 · Ningde New Energy "
        "[Battery] Co., Ltd.\n"
        "DualAppointment p-wang-jianguo-1970 | industrial_professor · 动力电池系统设计"
        "实践 (Power [Battery] System Design Practice) · 指导工程硕士研…");
}
END_TEST

START_TEST(filters_narrow_the_results)
{
    struct tr_search_filter f = {0};
    f.kinds = 1u << TR_KIND_PERSON;
    ck_assert_str_eq(find_filtered("chen", &f), "Person p-chen-jie-1990 | 陈杰 · [Chen] Jie");
    f.kinds = 1u << TR_KIND_ENTERPRISE_PLACEMENT | 1u << TR_KIND_CREDIT;
    ck_assert_str_eq(
        find_filtered("电", &f),
        "EnterprisePlacement p-chen-jie-1990 | 储能[电]池测试 (energy storage battery "
        "testing)\n"
        "Credit p-chen-jie-1990 | [电]化学基础 (Foundations of Electrochemistry)\n"
        "EnterprisePlacement p-zhang-wei-1984 | [电]池管理系统研发 (battery management "
        "system R&D)");
    memset(&f, 0, sizeof f);
    f.org = ENTERPRISE;
    ck_assert_str_eq(
        find_filtered("电池", &f),
        "EnterprisePlacement p-chen-jie-1990 | 储能[电池]测试 (energy storage battery "
        "testing)\n"
        "EnterprisePlacement p-zhang-wei-1984 | [电池]管理系统研发 (battery management "
        "system R&D)");
    memset(&f, 0, sizeof f);
    f.person = "p-chen-jie-1990";
    ck_assert_str_eq(find_filtered("电", &f),
                     "EnterprisePlacement p-chen-jie-1990 | 储能[电]池测试 (energy storage battery "
                     "testing)\n"
                     "Credit p-chen-jie-1990 | [电]化学基础 (Foundations of Electrochemistry)");
    f.person = TR_URN_PERSON "p-zhang-wei-1984";
    ck_assert_str_eq(
        find_filtered("电", &f),
        "EnterprisePlacement p-zhang-wei-1984 | [电]池管理系统研发 (battery management "
        "system R&D)\n"
        "Contribution p-zhang-wei-1984 | 一种动力[电]池单体均衡管理方法 (a "
        "cell-balancing method for power batteries)");
    memset(&f, 0, sizeof f);
    f.from = "2024-01-01";
    ck_assert_str_eq(
        find_filtered("电池", &f),
        "EnterprisePlacement p-zhang-wei-1984 | [电池]管理系统研发 (battery management "
        "system R&D)\n"
        "Organization 91350900MA2Y8K3Q1U | 宁德新能源[电池]有限公司 · Ningde New Energy "
        "Battery Co., Ltd.\n"
        "Contribution p-zhang-wei-1984 | 一种动力[电池]单体均衡管理方法 (a "
        "cell-balancing method for power batteries)\n"
        "DualAppointment p-wang-jianguo-1970 | industrial_professor · 动力[电池]系统设计"
        "实践 (Power Battery System Design Practice) · 指导工程硕士研…");
    f.to = "2024-12-31";
    ck_assert_str_eq(
        find_filtered("电池", &f),
        "EnterprisePlacement p-zhang-wei-1984 | [电池]管理系统研发 (battery management "
        "system R&D)\n"
        "Organization 91350900MA2Y8K3Q1U | 宁德新能源[电池]有限公司 · Ningde New Energy "
        "Battery Co., Ltd.\n"
        "DualAppointment p-wang-jianguo-1970 | industrial_professor · 动力[电池]系统设计"
        "实践 (Power Battery System Design Practice) · 指导工程硕士研…");
    f.from = NULL;
    ck_assert_str_eq(
        find_filtered("电池", &f),
        "EnterprisePlacement p-chen-jie-1990 | 储能[电池]测试 (energy storage battery "
        "testing)\n"
        "EnterprisePlacement p-zhang-wei-1984 | [电池]管理系统研发 (battery management "
        "system R&D)\n"
        "Organization 91350900MA2Y8K3Q1U | 宁德新能源[电池]有限公司 · Ningde New Energy "
        "Battery Co., Ltd.\n"
        "DualAppointment p-wang-jianguo-1970 | industrial_professor · 动力[电池]系统设计"
        "实践 (Power Battery System Design Practice) · 指导工程硕士研…");
    /* The bounds are inclusive; records without a date never pass one. */
    f.from = f.to = "2023-01-01";
    ck_assert_str_eq(find_filtered("battery", &f),
                     "EnterprisePlacement p-chen-jie-1990 | 储能电池测试 (energy storage [battery] "
                     "testing)");
    f.from = "0001-01-01";
    f.to = "9999-12-31";
    ck_assert_str_eq(find_filtered("teacher", &f), "");
}
END_TEST

START_TEST(bad_filters_are_refused)
{
    struct tr_search_results r = {0};
    struct tr_error err = {0};
    struct tr_search_filter f = {0};
    f.kinds = 1u << TR_KIND_COUNT;
    ck_assert_int_eq(tr_search_query(db, "x", &f, 10, 0, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "kind filter 0x800 names no record kind");
    memset(&f, 0, sizeof f);
    f.org = "91350900MA2Y8K3Q1Y";
    ck_assert_int_eq(tr_search_query(db, "x", &f, 10, 0, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "organisation '91350900MA2Y8K3Q1Y' is not a valid unified social "
                              "credit code: the check character must be 'U', not 'Y'");
    memset(&f, 0, sizeof f);
    f.person = "Zhang Wei";
    ck_assert_int_eq(tr_search_query(db, "x", &f, 10, 0, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "person 'Zhang Wei' is not a valid person id: it must start with "
                              "'p-'");
    memset(&f, 0, sizeof f);
    f.from = "2024-02-30";
    ck_assert_int_eq(tr_search_query(db, "x", &f, 10, 0, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "from date '2024-02-30' is not a valid date: 2024-02 has no day 30");
    memset(&f, 0, sizeof f);
    f.to = "2024";
    ck_assert_int_eq(tr_search_query(db, "x", &f, 10, 0, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "to date '2024' is not a valid date: it must be written YYYY-MM-DD");
    f.from = "2024-05-01";
    f.to = "2024-04-30";
    ck_assert_int_eq(tr_search_query(db, "x", &f, 10, 0, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "to date '2024-04-30' is before from date '2024-05-01'");
    ck_assert_int_eq(tr_search_query(db, "x", NULL, 0, 0, &r, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "the limit must be between 1 and 1000");
    ck_assert_int_eq(tr_search_query(db, "x", NULL, 1001, 0, &r, &err), TR_EINVAL);
    ck_assert_int_eq(tr_search_query(db, "x", NULL, 10, SIZE_MAX, &r, &err), TR_EINVAL);
    ck_assert_ptr_null(r.hit);
}
END_TEST

START_TEST(pages_follow_each_other)
{
    int more = 0;
    char all[8192];
    snprintf(all, sizeof all, "%s", search("电*", NULL, 100, 0, &more));
    ck_assert_int_eq(more, 0);
    char page[8192] = "";
    size_t len = 0;
    for (size_t offset = 0;; offset += 2) {
        const char *p = search("电*", NULL, 2, offset, &more);
        if (p[0] == '\0') {
            break;
        }
        len += (size_t)snprintf(page + len, sizeof page - len, "%s%s", len > 0 ? "\n" : "", p);
        ck_assert_int_eq(more, strlen(page) < strlen(all));
    }
    ck_assert_str_eq(page, all);
}
END_TEST

START_TEST(hits_carry_the_record_and_its_filters)
{
    struct tr_search_results r = {0};
    struct tr_error err = {0};
    ck_assert_int_eq(tr_search_query(db, "储能", NULL, 10, 0, &r, &err), TR_OK);
    ck_assert_uint_eq(r.len, 1);
    const struct tr_search_hit *h = &r.hit[0];
    ck_assert_str_eq(h->record_id, chen_placement);
    ck_assert_uint_eq(h->leaf, 25);
    ck_assert_int_eq(h->kind, TR_KIND_ENTERPRISE_PLACEMENT);
    ck_assert_str_eq(h->issuer, ENTERPRISE);
    ck_assert_str_eq(h->subject, TR_URN_PERSON "p-chen-jie-1990");
    ck_assert_str_eq(h->date, "2023-01-01");
    ck_assert_str_eq(h->title, "储能电池测试 (energy storage battery testing)");
    ck_assert_str_eq(h->snippet, O "储能" C "电池测试 (energy storage battery testing)");
    ck_assert(h->score > 0);
    tr_search_results_release(&r);
    ck_assert_ptr_null(r.hit);
    tr_search_results_release(NULL);
    /* An organisation, issued by the operator: no issuer USCC, the subject is the org. */
    ck_assert_int_eq(tr_search_query(db, "Ningde", NULL, 10, 0, &r, &err), TR_OK);
    ck_assert_uint_eq(r.len, 1);
    ck_assert_str_eq(r.hit[0].issuer, "");
    ck_assert_str_eq(r.hit[0].subject, TR_URN_ORG ENTERPRISE);
    ck_assert_str_eq(r.hit[0].title,
                     "宁德新能源电池有限公司 · Ningde New Energy Battery Co., Ltd.");
    tr_search_results_release(&r);
}
END_TEST

START_TEST(snippets_cut_long_text)
{
    /* The best-matching column, cut to 24 tokens around the match. */
    ck_assert_str_eq(find("传帮带"), "Evaluation p-zhang-wei-1984 | skill_master · 工程实践能力 "
                                     "(engineering practice) · 技术攻关成效 (solving technical "
                                     "problems) · [传帮带] (training apprentices)");
    ck_assert_str_eq(find("指导"), "DualAppointment p-wang-jianguo-1970 | industrial_professor · "
                                   "动力电池系统设计实践 (Power Battery System Design Practice) · "
                                   "[指导]工程硕士研…");
}
END_TEST

START_TEST(expressions_quote_every_token)
{
    ck_assert_str_eq(expression("李娜"), "\"李娜\"");
    ck_assert_str_eq(expression("电池管理 BMS"), "\"电池管理\" \"bms\"");
    ck_assert_str_eq(expression("Batt*"), "\"batt\"*");
    ck_assert_str_eq(expression("电池*"), "\"电池\"");
    ck_assert_str_eq(expression("co-author"), "\"co\" \"author\"");
    ck_assert_str_eq(expression("C++"), "\"c\"");
    ck_assert_str_eq(expression("name:x"), "\"name\" \"x\"");
    ck_assert_str_eq(expression("NEAR(a b, 2)"), "\"near\" \"a\" \"b\" \"2\"");
    ck_assert_str_eq(expression("a AND b OR NOT c"), "\"a\" \"and\" \"b\" \"or\" \"not\" \"c\"");
    ck_assert_str_eq(expression("x\"y"), "\"x\" \"y\"");
    ck_assert_str_eq(expression("'; DROP TABLE record; --"), "\"drop\" \"table\" \"record\"");
    ck_assert_str_eq(expression("张伟，Zhang"), "\"张伟\" \"zhang\"");
}
END_TEST

START_TEST(hostile_queries_run_or_are_refused_cleanly)
{
    ck_assert_str_eq(find("co-author"), "");
    ck_assert_str_eq(find("C++"), "");
    ck_assert_str_eq(find("name:x"), "");
    ck_assert_str_eq(find("NEAR("), "");
    ck_assert_str_eq(find("AND"), "");
    ck_assert_str_eq(find("OR"), "");
    ck_assert_str_eq(find("NOT"), "");
    ck_assert_str_eq(find("'; DROP TABLE record; --"), "");
    ck_assert_str_eq(find("title:电池"), "");
    ck_assert_str_eq(find("{title body}: 电池"), "");
    same("^电池", "电池");
    ck_assert_str_eq(find("\"电池\" OR \"李娜\""), "");
    refused("\"", TR_EPARSE, "bad query: no word to search for");
    refused("*", TR_EPARSE, "bad query: no word to search for");
    refused("", TR_EPARSE, "bad query: no word to search for");
    refused("   ", TR_EPARSE, "bad query: no word to search for");
    refused("\"\" () * : + - ^", TR_EPARSE, "bad query: no word to search for");
    refused("🔋", TR_EPARSE, "bad query: no word to search for");
    refused("a\xff", TR_EPARSE, "bad query: the text is not valid UTF-8");
    ck_assert_int_eq(sql_int("SELECT count(*) FROM search_record"), 27);
    check_index_integrity();
}
END_TEST

START_TEST(queries_are_bounded)
{
    size_t big = 1u << 20;
    char *q = malloc(big + 1);
    ck_assert_ptr_nonnull(q);
    memset(q, 'a', big);
    q[big] = '\0';
    refused(q, TR_ELIMIT, "bad query: 1048576 bytes, more than the 1024 allowed");
    /* 1024 bytes are fine, 1025 are not. */
    memset(q, ' ', TR_SEARCH_QUERY_MAX);
    q[0] = 'x';
    q[TR_SEARCH_QUERY_MAX] = '\0';
    ck_assert_str_eq(find(q), "");
    q[TR_SEARCH_QUERY_MAX] = ' ';
    q[TR_SEARCH_QUERY_MAX + 1] = '\0';
    refused(q, TR_ELIMIT, "bad query: 1025 bytes, more than the 1024 allowed");
    /* 64 tokens are fine, 65 are not: words and CJK characters count alike. */
    q[0] = '\0';
    for (int i = 0; i < TR_SEARCH_TOKENS_MAX; i++) {
        strcat(q, "b ");
    }
    ck_assert_str_eq(find(q), "");
    strcat(q, "c");
    refused(q, TR_ELIMIT, "bad query: more than 64 words and characters");
    q[0] = '\0';
    for (int i = 0; i < TR_SEARCH_TOKENS_MAX; i++) {
        strcat(q, "电");
    }
    ck_assert_str_eq(find(q), "");
    strcat(q, "池");
    refused(q, TR_ELIMIT, "bad query: more than 64 words and characters");
    free(q);
}
END_TEST

/* Found by tests/fuzz/fuzz_search.c: the page array was returned without a hit in it. */
START_TEST(no_match_gives_no_hit_array)
{
    struct tr_search_results r;
    struct tr_error err = {0};
    memset(&r, 0x5a, sizeof r);
    ck_assert_int_eq(tr_search_query(db, "nothingmatchesthis", NULL, 10, 0, &r, &err), TR_OK);
    ck_assert_uint_eq(r.len, 0);
    ck_assert_ptr_null(r.hit);
    ck_assert_int_eq(r.more, 0);
    tr_search_results_release(&r);
}
END_TEST

START_TEST(a_read_only_store_is_searched)
{
    struct tr_db *ro = NULL;
    struct tr_error err = {0};
    struct tr_search_results r = {0};
    ck_assert_int_eq(tr_db_open(path, TR_DB_READONLY, &ro, &err), TR_OK);
    ck_assert_int_eq(tr_search_query(ro, "李娜", NULL, 10, 0, &r, &err), TR_OK);
    ck_assert_uint_eq(r.len, 1);
    tr_search_results_release(&r);
    ck_assert_int_eq(tr_db_close(ro, &err), TR_OK);
}
END_TEST

START_TEST(a_new_leaf_of_an_indexed_record_only_moves_its_leaf)
{
    struct tr_error err = {0};
    struct tr_search_results r = {0};
    struct tr_json *c =
        credential("Person", UNIVERSITY, TR_URN_PERSON "p-li-nan-2001", NULL, NULL, "name",
                   str("李楠"), "alternateName", str("Li Nan"), "categories",
                   strings("student", NULL), "home", str(TR_URN_ORG UNIVERSITY), NULL);
    ck_assert_int_eq(tr_search_index(db, li_nan_person, 90, c, &err), TR_OK);
    ck_assert_int_eq(tr_search_index(db, li_nan_person, 40, c, &err), TR_OK);
    tr_json_free(c);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM search_record"), 27);
    ck_assert_int_eq(tr_search_query(db, "李楠", NULL, 10, 0, &r, &err), TR_OK);
    ck_assert_uint_eq(r.len, 1);
    ck_assert_uint_eq(r.hit[0].leaf, 90);
    tr_search_results_release(&r);
    check_index_integrity();
}
END_TEST

START_TEST(index_refuses_what_is_not_a_record)
{
    struct tr_error err = {0};
    struct tr_json *c = credential("Person", UNIVERSITY, TR_URN_PERSON "p-wu-fang-1988", NULL, NULL,
                                   "name", str("吴芳"), "categories", strings("teacher", NULL),
                                   "home", str(TR_URN_ORG UNIVERSITY), NULL);
    char id[TR_RECORD_ID_LEN + 1];
    record_id(c, id);
    ck_assert_int_eq(tr_search_index(db, "ABC", 1, c, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "record id 'ABC' is not 64 lowercase hex digits");
    ck_assert_int_eq(tr_search_index(db, NULL, 1, c, &err), TR_EINVAL);
    ck_assert_int_eq(tr_search_index(db, id, UINT64_MAX, c, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "leaf 18446744073709551615 is beyond the log's range");
    ck_assert_int_eq(tr_search_index(db, id, 1, NULL, &err), TR_EINVAL);
    tr_json_object_set(c, "issuer", str("did:example:123"));
    ck_assert_int_eq(tr_search_index(db, id, 1, c, &err), TR_ESCHEMA);
    ck_assert_str_eq(err.msg, "record '4db60f02a5cf0cb1e9099b65079a64749004f3653528fbc4abefe57e92f"
                              "9a588': field 'issuer' names neither an organisation nor the "
                              "operator");
    tr_json_object_set(c, "type", strings("VerifiableCredential", "PetCredential"));
    ck_assert_int_eq(tr_search_index(db, id, 1, c, &err), TR_ESCHEMA);
    ck_assert_str_eq(err.msg, "record '4db60f02a5cf0cb1e9099b65079a64749004f3653528fbc4abefe57e92f"
                              "9a588': a credential's type must be [\"VerifiableCredential\", "
                              "\"<Kind>Credential\"] of a record kind");
    tr_json_free(c);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM search_record"), 27);
}
END_TEST

START_TEST(index_follows_the_callers_transaction)
{
    struct tr_error err = {0};
    struct tr_json *c = credential("Person", UNIVERSITY, TR_URN_PERSON "p-wu-fang-1988", NULL, NULL,
                                   "name", str("吴芳"), "categories", strings("teacher", NULL),
                                   "home", str(TR_URN_ORG UNIVERSITY), NULL);
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    index_credential(c);
    ck_assert_str_eq(find("吴芳"), "Person p-wu-fang-1988 | [吴芳]");
    ck_assert_int_eq(tr_db_rollback(db, &err), TR_OK);
    ck_assert_str_eq(find("吴芳"), "");
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    index_credential(c);
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    ck_assert_str_eq(find("吴芳"), "Person p-wu-fang-1988 | [吴芳]");
    tr_json_free(c);
    check_index_integrity();
}
END_TEST

START_TEST(control_characters_never_reach_a_snippet)
{
    struct tr_json *c = credential("Revocation", UNIVERSITY,
                                   TR_URN_RECORD "00000000000000000000000000000000000000000000000"
                                                 "00000000000000000",
                                   NULL, NULL, "action", str("withdraw"), "reason",
                                   str("entered\ttwice\nby mistake"), NULL);
    index_credential(c);
    tr_json_free(c);
    ck_assert_str_eq(find("mistake"),
                     "Revocation 0000000000000000000000000000000000000000000000000000000000000000 "
                     "| withdraw · entered twice by [mistake]");
}
END_TEST

START_TEST(traditional_and_simplified_characters_find_each_other)
{
    struct tr_json *c = credential("Revocation", UNIVERSITY,
                                   TR_URN_RECORD "11111111111111111111111111111111111111111111111"
                                                 "11111111111111111",
                                   NULL, NULL, "action", str("withdraw"), "reason",
                                   str("鋰電池測試報告重複提交"), NULL);
    index_credential(c);
    tr_json_free(c);
    /* A query in either script finds text in either; the snippet shows the text as written. */
    const char *want =
        "Revocation 1111111111111111111111111111111111111111111111111111111111111111 "
        "| withdraw · 鋰[電池]測試報告重複提交";
    ck_assert_str_eq(
        find_filtered("电池", &(struct tr_search_filter){.kinds = 1u << TR_KIND_REVOCATION}), want);
    ck_assert_str_eq(
        find_filtered("電池", &(struct tr_search_filter){.kinds = 1u << TR_KIND_REVOCATION}), want);
    ck_assert_str_eq(find("锂电池测试"),
                     "Revocation 1111111111111111111111111111111111111111111111111111111111111111 "
                     "| withdraw · [鋰電池測試]報告重複提交");
    same("電池", "电池");
    same("電腦", "电脑");
    same("職稱評審", "职称评审");
}
END_TEST

START_TEST(broad_queries_rank_their_newest_matches)
{
    char reason[32], urn[96];
    int more = 0;
    struct tr_error err = {0};
    /* The oldest 100 say "sweep" twice: bm25 puts them first wherever it sees them. */
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    for (int i = 0; i < TR_SEARCH_WINDOW + 100; i++) {
        snprintf(reason, sizeof reason, i < 100 ? "sweep sweep %d" : "sweep %d", i);
        snprintf(urn, sizeof urn, "%s%064d", TR_URN_RECORD, i);
        struct tr_json *c = credential("Revocation", FUZHOU, urn, NULL, NULL, "action",
                                       str("withdraw"), "reason", str(reason), NULL);
        index_credential(c);
        tr_json_free(c);
    }
    ck_assert_int_eq(tr_db_commit(db, &err), TR_OK);
    /* 2,100 matches: the 2,000 newest are ranked, equal ranks oldest first. */
    ck_assert_str_eq(search("sweep", NULL, 2, 0, &more),
                     "Revocation 0000000000000000000000000000000000000000000000000000000000000100 "
                     "| withdraw · [sweep] 100\n"
                     "Revocation 0000000000000000000000000000000000000000000000000000000000000101 "
                     "| withdraw · [sweep] 101");
    ck_assert_int_eq(more, 1);
    /* A page that reaches past the window widens it to every match. */
    ck_assert_str_eq(search("sweep", NULL, 1, TR_SEARCH_WINDOW + 99, &more),
                     "Revocation 0000000000000000000000000000000000000000000000000000000000002099 "
                     "| withdraw · [sweep] 2099");
    ck_assert_int_eq(more, 0);
    /* Fewer matches than the window: all ranked. */
    ck_assert_str_eq(search("sweep 7", NULL, 1, 0, &more),
                     "Revocation 0000000000000000000000000000000000000000000000000000000000000007 "
                     "| withdraw · [sweep] [sweep] [7]");
    /* An issuer with fewer records than TR_SEARCH_DRIVE_MAX: every match of its ranked. */
    const struct tr_search_filter f = {.org = FUZHOU};
    ck_assert_str_eq(search("sweep", &f, 1, 0, &more),
                     "Revocation 0000000000000000000000000000000000000000000000000000000000000000 "
                     "| withdraw · [sweep] [sweep] 0");
    ck_assert_int_eq(more, 1);
    check_index_integrity();
}
END_TEST

START_TEST(a_store_without_the_filter_index_still_filters)
{
    struct tr_error err = {0};
    const struct tr_search_filter f = {
        .kinds = 1u << TR_KIND_ENTERPRISE_PLACEMENT | 1u << TR_KIND_CREDIT, .from = "2024-01-01"};
    char with[8192];
    snprintf(with, sizeof with, "%s", find_filtered("电", &f));
    ck_assert_str_ne(with, "");
    /* A store made before the index: the rows themselves are read. */
    ck_assert_int_eq(tr_db_exec(db, "DROP INDEX search_record_filter", &err), TR_OK);
    ck_assert_str_eq(find_filtered("电", &f), with);
}
END_TEST

START_TEST(an_index_out_of_step_is_reported)
{
    struct tr_search_results r = {0};
    struct tr_error err = {0};
    char want[256];
    /* A row removed behind the full-text index's back. */
    ck_assert_int_eq(tr_db_exec(db, "DELETE FROM search_record WHERE title LIKE '李娜%'", &err),
                     TR_OK);
    ck_assert_int_eq(tr_search_query(db, "李娜", NULL, 10, 0, &r, &err), TR_EDB);
    snprintf(want, sizeof want,
             "store '%s': the search index is out of step with its records (run 'talentreg "
             "search --reindex')",
             path);
    ck_assert_str_eq(err.msg, want);
    ck_assert_ptr_null(r.hit);
}
END_TEST

START_TEST(removed_records_are_no_longer_found)
{
    struct tr_error err = {0};
    ck_assert_int_eq(tr_search_remove(db, chen_person, &err), TR_OK);
    ck_assert_str_eq(find("陈杰"), "");
    ck_assert_int_eq(tr_search_remove(db, chen_person, &err), TR_OK);
    ck_assert_int_eq(tr_search_remove(db, "nope", &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "record id 'nope' is not 64 lowercase hex digits");
    ck_assert_int_eq(sql_int("SELECT count(*) FROM search_record"), 26);
    check_index_integrity();
}
END_TEST

/*
 * A signed archive: the examples of docs/examples submitted through the log (the operator
 * registers the organisations, whose keys are the fixed seeds of tests/vectors/didkey), so
 * that tr_search_reindex has a log to read and verified_only something to verify.
 */
static const struct {
    const char *uscc;
    const char *seed;
} org_seeds[] = {
    {"12350100488101234T", "0000000000000000000000000000000000000000000000000000000000000000"},
    {"91350900MA2Y8K3Q1U", "0000000000000000000000000000000000000000000000000000000000000001"},
    /* Fuzhou's second key: the examples revoke its first (...02), with this one. */
    {"91350100MA31XR6T22", "0000000000000000000000000000000000000000000000000000000000000003"},
    {"113500000035912489", "0000000000000000000000000000000000000000000000000000000000000005"},
    {"52350100MJD4C28059", "c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6"},
};
static unsigned char op_seed[TR_ED25519_SEED_LEN];

/* The credit that docs/examples/revocation.yaml says supersedes another. */
#define SUPERSEDING_CREDIT "b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb"

/* Sign credential with the key of one signer: the operator, or an organisation above. */
static void sign_as(struct tr_json *credential, const struct tr_signer *who)
{
    struct tr_proof_sign_options opts = {"2025-06-01T08:00:00Z", NULL, NULL};
    struct tr_error err = {0};
    unsigned char seed[TR_ED25519_SEED_LEN];
    memcpy(seed, op_seed, sizeof seed);
    if (!who->is_operator) {
        size_t i = 0;
        while (i < sizeof org_seeds / sizeof org_seeds[0] && strcmp(org_seeds[i].uscc, who->uscc)) {
            i++;
        }
        ck_assert_uint_lt(i, sizeof org_seeds / sizeof org_seeds[0]);
        test_unhex(org_seeds[i].seed, seed, sizeof seed);
    }
    ck_assert_msg(tr_proof_sign(credential, seed, &opts, &err) == TR_OK, "%s", err.msg);
}

/* Submit credential in a transaction of its own; returns its status and leaf. */
static enum tr_submit_status submit(const struct tr_json *credential, uint64_t *leaf)
{
    struct tr_submit_result r;
    struct tr_error err = {0};
    ck_assert_int_eq(tr_db_begin(db, &err), TR_OK);
    ck_assert_msg(tr_submit_credential(db, credential, &r, &err) == TR_OK, "%s", err.msg);
    ck_assert_msg(tr_db_commit(db, &err) == TR_OK, "%s", err.msg);
    enum tr_submit_status status = r.status;
    ck_assert_msg(status != TR_SUBMIT_REJECTED, "%s",
                  r.verdict.nreasons > 0 ? r.verdict.reasons[0].detail : "");
    if (leaf != NULL) {
        *leaf = r.leaf;
    }
    tr_submit_result_release(&r);
    return status;
}

/* Submit credential signed by every signer its kind requires. */
static void submit_example(struct tr_json *credential)
{
    struct tr_signers signers;
    ck_assert_int_eq(tr_schema_signers(credential, &signers, NULL), TR_OK);
    for (size_t i = 0; i < signers.len; i++) {
        if (signers.items[i].required) {
            sign_as(credential, &signers.items[i]);
        }
    }
    ck_assert_int_eq(submit(credential, NULL), TR_SUBMIT_STORED);
}

static void setup_log(void)
{
    struct tr_error err = {0};
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    snprintf(dir, sizeof dir, "/tmp/check_search.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/talent.db", dir);
    ck_assert_int_eq(tr_db_create(path, "talentreg.example/test", &db, &err), TR_OK);
    memset(op_seed, 0x0f, sizeof op_seed);
    ck_assert_int_eq(tr_ed25519_public(op_seed, pub), TR_OK);
    ck_assert_int_eq(tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, NULL), TR_OK);
    for (size_t i = 0; i < sizeof example_files / sizeof example_files[0]; i++) {
        each_example(example_files[i], submit_example);
    }
}

/* Rebuild the index from the log; returns the records indexed. */
static uint64_t reindex(void)
{
    uint64_t n = 0;
    struct tr_error err = {0};
    ck_assert_msg(tr_search_reindex(db, &n, &err) == TR_OK, "%s", err.msg);
    check_index_integrity();
    return n;
}

START_TEST(reindex_reads_every_logged_record)
{
    /* Submission indexes each record in its own transaction... */
    ck_assert_str_eq(find("李娜"), "Person p-li-na-1999 | [李娜] · Li Na");
    ck_assert_int_eq(sql_int("SELECT count(*) FROM search_record"), 23);
    /* ...and a rebuild from the log's bodies gives the same index. */
    ck_assert_uint_eq(reindex(), 23);
    ck_assert_str_eq(find("李娜"), "Person p-li-na-1999 | [李娜] · Li Na");
    ck_assert_int_eq(sql_int("SELECT count(*) FROM search_record"), 23);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM search_record AS s JOIN log_entry AS e\n"
                             "    ON e.leaf = s.leaf AND e.record_id = s.record_id"),
                     23);
    /* Again: the same index. */
    ck_assert_uint_eq(reindex(), 23);
    ck_assert_str_eq(find("李娜"), "Person p-li-na-1999 | [李娜] · Li Na");
}
END_TEST

START_TEST(reindex_makes_the_tables_of_an_older_store_anew)
{
    /* A store made before the filter indexes and the prefix index existed. */
    struct tr_error err = {0};
    int rc = tr_db_exec(db,
                        "DROP INDEX search_record_subject;\n"
                        "DROP INDEX search_record_issuer;\n"
                        "DROP INDEX search_record_filter;\n"
                        "DROP TABLE search_text;\n"
                        "CREATE VIRTUAL TABLE search_text USING fts5(title, body,\n"
                        "    content = 'search_record', content_rowid = 'id',\n"
                        "    tokenize = 'talentreg_cjk', detail = full)",
                        &err);
    ck_assert_msg(rc == TR_OK, "%s", err.msg);
    ck_assert_int_eq(
        sql_int("SELECT count(*) FROM sqlite_master WHERE name LIKE 'search_record_%'"), 0);
    ck_assert_uint_eq(reindex(), 23);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN\n"
                             "    ('search_record_subject', 'search_record_issuer',\n"
                             "     'search_record_filter')"),
                     3);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM sqlite_master WHERE name = 'search_text'\n"
                             "    AND sql LIKE '%prefix = ''2 3 4''%'"),
                     1);
    ck_assert_str_eq(find("李娜"), "Person p-li-na-1999 | [李娜] · Li Na");
}
END_TEST

START_TEST(reindex_takes_the_latest_leaf_of_a_cosigned_record)
{
    struct tr_json *c = credential("EnterprisePlacement", ENTERPRISE, TR_URN_PERSON "p-li-na-1999",
                                   "2025-03-01T00:00:00Z", "2025-06-30T23:59:59Z", "host",
                                   str(TR_URN_ORG ENTERPRISE), "home", str(TR_URN_ORG FUZHOU),
                                   "fte", num(1), "form", str("training"), "project",
                                   str("电芯质检培训 (cell inspection training)"), NULL);
    struct tr_signer host = {1, 0, ENTERPRISE, "host"}, home = {0, 0, FUZHOU, "home"};
    uint64_t first = 0, second = 0;
    sign_as(c, &host);
    ck_assert_int_eq(submit(c, &first), TR_SUBMIT_STORED);
    sign_as(c, &home);
    ck_assert_int_eq(submit(c, &second), TR_SUBMIT_MERGED);
    tr_json_free(c);
    ck_assert_uint_eq(second, first + 1);
    ck_assert_uint_eq(reindex(), 24);
    struct tr_search_results r = {0};
    struct tr_error err = {0};
    ck_assert_int_eq(tr_search_query(db, "质检", NULL, 10, 0, &r, &err), TR_OK);
    ck_assert_uint_eq(r.len, 1);
    ck_assert_uint_eq(r.hit[0].leaf, second);
    tr_search_results_release(&r);
}
END_TEST

START_TEST(reindex_leaves_erased_records_out)
{
    struct tr_error err = {0};
    reindex();
    ck_assert_str_eq(find("赵敏"), "Person p-zhao-min-1968 | [赵敏] · Zhao Min");
    /* What an erasure order leaves: the leaf hash, no body. */
    ck_assert_int_eq(
        tr_db_exec(db,
                   "UPDATE log_entry SET body = NULL WHERE record_id IN\n"
                   "    (SELECT record_id FROM search_record WHERE title LIKE '赵敏%')",
                   &err),
        TR_OK);
    ck_assert_uint_eq(reindex(), 22);
    ck_assert_str_eq(find("赵敏"), "");
}
END_TEST

START_TEST(reindex_names_a_body_that_is_not_a_credential)
{
    struct tr_error err = {0};
    uint64_t n = 99;
    reindex();
    ck_assert_int_eq(
        tr_db_exec(db, "UPDATE log_entry SET body = CAST('{\"a\":' AS BLOB) WHERE leaf = 7", &err),
        TR_OK);
    ck_assert_int_eq(tr_search_reindex(db, &n, &err), TR_EPARSE);
    ck_assert_str_eq(err.msg, "'leaf 7' line 1 column 6: expected a value, found end of input");
    ck_assert_uint_eq(n, 0);
    /* The index as it was. */
    ck_assert_int_eq(sql_int("SELECT count(*) FROM search_record"), 23);
    ck_assert_str_eq(find("李娜"), "Person p-li-na-1999 | [李娜] · Li Na");
    ck_assert_int_eq(
        tr_db_exec(db, "UPDATE log_entry SET body = CAST('[1]' AS BLOB) WHERE leaf = 7", &err),
        TR_OK);
    ck_assert_int_eq(tr_search_reindex(db, &n, &err), TR_ESCHEMA);
    ck_assert_str_eq(err.msg, "leaf 7: a credential's type must be [\"VerifiableCredential\", "
                              "\"<Kind>Credential\"] of a record kind");
}
END_TEST

START_TEST(verified_only_leaves_out_what_does_not_count)
{
    struct tr_search_filter f = {0};
    reindex();
    /* The 6-point credit was superseded by the 5-point one. */
    ck_assert_str_eq(find("Automation"), "Credit p-li-na-1999 | Industrial [Automation] Lab\n"
                                         "Credit p-li-na-1999 | Industrial [Automation] Lab\n"
                                         "CreditRecognition p-li-na-1999 | 工业自动化实验 "
                                         "(Industrial [Automation] Lab)");
    f.verified_only = 1;
    ck_assert_str_eq(find_filtered("Automation", &f),
                     "Credit p-li-na-1999 | Industrial [Automation] Lab\n"
                     "CreditRecognition p-li-na-1999 | 工业自动化实验 (Industrial [Automation] "
                     "Lab)");
    struct tr_search_results r = {0};
    struct tr_error err = {0};
    ck_assert_int_eq(tr_search_query(db, "Automation", &f, 1, 0, &r, &err), TR_OK);
    ck_assert_uint_eq(r.len, 1);
    ck_assert_int_eq(r.more, 1);
    ck_assert_str_eq(r.hit[0].record_id, SUPERSEDING_CREDIT);
    tr_search_results_release(&r);
    /* Paging counts only what counts. */
    int more = 0;
    ck_assert_str_eq(search("Automation", &f, 1, 1, &more),
                     "CreditRecognition p-li-na-1999 | 工业自动化实验 (Industrial [Automation] "
                     "Lab)");
    ck_assert_int_eq(more, 0);
    ck_assert_str_eq(search("Automation", &f, 1, 2, &more), "");
    ck_assert_int_eq(more, 0);
}
END_TEST

Suite *search_suite(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tcase_create("archive");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_record_is_indexed_once);
    tcase_add_test(tc, tokens_wait_for_the_batch_without_savepoints);
    tcase_add_test(tc, two_chinese_characters_find_a_name);
    tcase_add_test(tc, two_chinese_characters_find_a_word_anywhere);
    tcase_add_test(tc, longer_phrases_match_in_order);
    tcase_add_test(tc, english_words_match_in_any_case);
    tcase_add_test(tc, prefixes_match_every_word_they_begin);
    tcase_add_test(tc, mixed_queries_need_every_part);
    tcase_add_test(tc, ranking_puts_names_before_mentions);
    tcase_add_test(tc, filters_narrow_the_results);
    tcase_add_test(tc, bad_filters_are_refused);
    tcase_add_test(tc, pages_follow_each_other);
    tcase_add_test(tc, hits_carry_the_record_and_its_filters);
    tcase_add_test(tc, snippets_cut_long_text);
    tcase_add_test(tc, expressions_quote_every_token);
    tcase_add_test(tc, hostile_queries_run_or_are_refused_cleanly);
    tcase_add_test(tc, queries_are_bounded);
    tcase_add_test(tc, no_match_gives_no_hit_array);
    tcase_add_test(tc, a_read_only_store_is_searched);
    tcase_add_test(tc, a_new_leaf_of_an_indexed_record_only_moves_its_leaf);
    tcase_add_test(tc, index_refuses_what_is_not_a_record);
    tcase_add_test(tc, index_follows_the_callers_transaction);
    tcase_add_test(tc, control_characters_never_reach_a_snippet);
    tcase_add_test(tc, traditional_and_simplified_characters_find_each_other);
    tcase_add_test(tc, broad_queries_rank_their_newest_matches);
    tcase_add_test(tc, a_store_without_the_filter_index_still_filters);
    tcase_add_test(tc, an_index_out_of_step_is_reported);
    tcase_add_test(tc, removed_records_are_no_longer_found);
    suite_add_tcase(s, tc);
    tc = tcase_create("log");
    tcase_add_checked_fixture(tc, setup_log, teardown);
    tcase_add_test(tc, reindex_reads_every_logged_record);
    tcase_add_test(tc, reindex_takes_the_latest_leaf_of_a_cosigned_record);
    tcase_add_test(tc, reindex_makes_the_tables_of_an_older_store_anew);
    tcase_add_test(tc, reindex_leaves_erased_records_out);
    tcase_add_test(tc, reindex_names_a_body_that_is_not_a_credential);
    tcase_add_test(tc, verified_only_leaves_out_what_does_not_count);
    suite_add_tcase(s, tc);
    return s;
}
