/*
 * bench-search.c — how fast search answers, and what the index costs, on any store.
 *
 * usage: bench-search fill STORE N [--seed S]
 *        bench-search run STORE [--rounds R]
 *        bench-search reindex STORE
 *
 * fill creates STORE (which must not exist) and fills it with N synthetic records of every
 * kind, written as the submit path writes them: each credential's canonical bytes appended
 * to the log and indexed by tr_search_index in the same transaction (1000 records a
 * transaction). Names, organisations, projects, courses and dimensions are drawn from fixed
 * lists with a seeded generator, so the same N and seed make the same store. The records are
 * not signed: none of them counts, so --verified-only finds nothing here.
 *
 * run times 20 queries a search user makes (Chinese names of one to three characters,
 * project and course words, English words and prefixes, mixed text, filters by kind, date,
 * issuer and person, and --verified-only, which here judges every candidate and finds none
 * because the records are not signed) against STORE,
 * once to warm the cache and then R times each (default 20), and prints each query's hits and
 * median, the number of records that match its text (before the filters), the median and
 * 95th percentile of all timed runs, and the index's size per record
 * from SQLite's dbstat table. The organisation and person of the filtered queries are taken
 * from the store, so any store can be measured.
 *
 * reindex times tr_search_reindex over STORE's log, in one transaction.
 *
 * Results: docs/benchmarks.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "talentreg.h"

#define BATCH 1000
#define QUERY_COUNT 20
#define DEFAULT_ROUNDS 20

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int fail(const char *what, const struct tr_error *err)
{
    fprintf(stderr, "bench-search: %s: %s\n", what, err->msg);
    return 1;
}

/* xorshift64*: reproducible records; the benchmark measures search, not randomness. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1du;
}

static size_t pick(size_t n)
{
    return (size_t)(rng_next() % n);
}

/* ---- What records are made of ---- */

struct pair {
    const char *zh, *en;
};

static const struct pair surnames[] = {
    {"王", "Wang"},   {"李", "Li"},      {"张", "Zhang"}, {"刘", "Liu"},  {"陈", "Chen"},
    {"杨", "Yang"},   {"黄", "Huang"},   {"赵", "Zhao"},  {"吴", "Wu"},   {"周", "Zhou"},
    {"徐", "Xu"},     {"孙", "Sun"},     {"马", "Ma"},    {"朱", "Zhu"},  {"胡", "Hu"},
    {"郭", "Guo"},    {"何", "He"},      {"林", "Lin"},   {"高", "Gao"},  {"罗", "Luo"},
    {"郑", "Zheng"},  {"梁", "Liang"},   {"谢", "Xie"},   {"宋", "Song"}, {"唐", "Tang"},
    {"邓", "Deng"},   {"冯", "Feng"},    {"韩", "Han"},   {"曹", "Cao"},  {"欧阳", "Ouyang"},
    {"司马", "Sima"}, {"诸葛", "Zhuge"},
};

static const struct pair given[] = {
    {"伟", "wei"},   {"芳", "fang"}, {"娜", "na"},   {"敏", "min"},  {"静", "jing"}, {"丽", "li"},
    {"强", "qiang"}, {"磊", "lei"},  {"军", "jun"},  {"洋", "yang"}, {"勇", "yong"}, {"艳", "yan"},
    {"杰", "jie"},   {"娟", "juan"}, {"涛", "tao"},  {"明", "ming"}, {"超", "chao"}, {"秀", "xiu"},
    {"霞", "xia"},   {"平", "ping"}, {"刚", "gang"}, {"华", "hua"},  {"建", "jian"}, {"国", "guo"},
    {"文", "wen"},   {"辉", "hui"},  {"鹏", "peng"}, {"宇", "yu"},   {"浩", "hao"},  {"婷", "ting"},
    {"雪", "xue"},   {"琳", "lin"},  {"晨", "chen"}, {"欣", "xin"},  {"佳", "jia"},  {"楠", "nan"},
};

static const struct pair cities[] = {
    {"福州", "Fuzhou"},  {"厦门", "Xiamen"},    {"泉州", "Quanzhou"}, {"宁德", "Ningde"},
    {"莆田", "Putian"},  {"漳州", "Zhangzhou"}, {"南平", "Nanping"},  {"三明", "Sanming"},
    {"龙岩", "Longyan"}, {"平潭", "Pingtan"},
};

static const struct pair industries[] = {
    {"新能源", "New Energy"},         {"智能装备", "Intelligent Equipment"},
    {"电子", "Electronics"},          {"精密机械", "Precision Machinery"},
    {"生物医药", "Biomedicine"},      {"软件", "Software"},
    {"新材料", "Advanced Materials"}, {"汽车", "Automotive"},
    {"光电", "Optoelectronics"},      {"电池", "Battery"},
};

static const struct pair schools[] = {
    {"理工学院", "Institute of Technology"},
    {"职业技术学院", "Vocational and Technical College"},
    {"大学", "University"},
};

static const struct pair topics[] = {
    {"电池管理系统", "battery management system"},
    {"储能电池", "energy storage battery"},
    {"动力电池", "power battery"},
    {"工业机器人", "industrial robot"},
    {"数控机床", "CNC machine tool"},
    {"机器视觉", "machine vision"},
    {"人工智能质检", "AI quality inspection"},
    {"新能源汽车", "new energy vehicle"},
    {"智能制造产线", "smart manufacturing line"},
    {"光伏组件", "photovoltaic module"},
    {"芯片封装", "chip packaging"},
    {"工业互联网", "industrial internet"},
    {"边缘计算", "edge computing"},
    {"锂电材料", "lithium battery materials"},
    {"精密模具", "precision mould"},
    {"机器学习平台", "machine learning platform"},
};

static const struct pair activities[] = {
    {"研发", "R&D"},
    {"测试", "testing"},
    {"优化", "optimisation"},
    {"设计", "design"},
    {"运维", "maintenance"},
    {"工艺改进", "process improvement"},
    {"质量管理", "quality management"},
};

static const struct pair courses[] = {
    {"工程伦理", "Engineering Ethics"},
    {"工业自动化实验", "Industrial Automation Lab"},
    {"机器学习", "Machine Learning"},
    {"电力电子技术", "Power Electronics"},
    {"材料力学", "Mechanics of Materials"},
    {"数据结构", "Data Structures"},
    {"嵌入式系统", "Embedded Systems"},
    {"电化学基础", "Foundations of Electrochemistry"},
    {"智能制造概论", "Introduction to Smart Manufacturing"},
    {"项目管理", "Project Management"},
    {"控制工程", "Control Engineering"},
    {"传感器技术", "Sensor Technology"},
    {"企业实践", "Enterprise Practice"},
    {"动力电池系统设计实践", "Power Battery System Design Practice"},
};

static const struct pair purposes[] = {
    {"正高级工程师职称评审", "senior engineer title evaluation"},
    {"高级工程师职称评审", "engineer title evaluation"},
    {"产业教授遴选", "industrial professor selection"},
    {"技能大师工作室评估", "skill master studio review"},
};

static const struct pair dimensions[] = {
    {"工程实践能力", "engineering practice"},     {"技术攻关成效", "solving technical problems"},
    {"传帮带", "training apprentices"},           {"学术水平", "academic standing"},
    {"成果转化", "industrialisation of results"}, {"教学贡献", "teaching"},
};

static const struct pair methods[] = {
    {"均衡管理", "balancing"},           {"故障诊断", "fault diagnosis"},
    {"热管理", "thermal management"},    {"缺陷检测", "defect detection"},
    {"协同控制", "coordinated control"},
};

static const struct pair titles[] = {
    {"产业教授", "industrial_professor"},
    {"企业导师", "enterprise_mentor"},
    {"兼职研究员", "part_time_researcher"},
    {"校外合作导师", "co_supervisor"},
};

static const char *const forms[] = {"site_visit", "training", "post", "rnd_project"};
static const char *const categories[] = {"teacher", "student", "enterprise_expert"};
static const char *const contribution_types[] = {"patent_transfer", "tech_contract", "product",
                                                 "standard", "commission_income"};

/* ---- Building credentials ---- */

/* The people and organisations made so far, for later records to name. */
struct region {
    char (*universities)[TR_USCC_LEN + 1];
    char (*enterprises)[TR_USCC_LEN + 1];
    char (*boards)[TR_USCC_LEN + 1];
    size_t nuniversities, nenterprises, nboards, norgs_max;
    char (*people)[TR_PERSON_ID_MAX + 1];
    size_t npeople, people_max;
};

static void make_uscc(const char *prefix, char out[TR_USCC_LEN + 1])
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    memcpy(out, prefix, 2);
    memcpy(out + 2, "350100", 6);
    for (int i = 8; i < TR_USCC_LEN - 1; i++) {
        out[i] = alphabet[pick(sizeof alphabet - 1)];
    }
    out[TR_USCC_LEN - 1] = tr_ident_uscc_check_char(out);
    out[TR_USCC_LEN] = '\0';
}

static struct tr_json *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct tr_json *text(const char *fmt, ...)
{
    char s[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s, sizeof s, fmt, ap);
    va_end(ap);
    return tr_json_new_cstr(s);
}

static struct tr_json *org_urn(const char *uscc)
{
    return text("%s%s", TR_URN_ORG, uscc);
}

/* A day from 2019 to 2025 as YYYY-MM-DD (days up to 28: every month has them). */
static void random_date(char out[TR_DATE_LEN + 1])
{
    snprintf(out, TR_DATE_LEN + 1, "%04d-%02d-%02d", 2019 + (int)pick(7), 1 + (int)pick(12),
             1 + (int)pick(28));
}

/* The frame of a credential: kind, issuer (a USCC or NULL for the operator), subject URN. */
static struct tr_json *frame(const char *kind, const char *issuer, struct tr_json *subject_id,
                             struct tr_json **subject)
{
    struct tr_json *c = tr_json_new_object(), *context = tr_json_new_array();
    struct tr_json *type = tr_json_new_array();
    *subject = tr_json_new_object();
    tr_json_array_append(context, tr_json_new_cstr(TR_CONTEXT_VC));
    tr_json_array_append(context, tr_json_new_cstr(TR_CONTEXT_TALENTREG));
    tr_json_array_append(type, tr_json_new_cstr(TR_TYPE_VC));
    tr_json_array_append(type, text("%s%s", kind, TR_TYPE_SUFFIX));
    tr_json_object_set(c, "@context", context);
    tr_json_object_set(c, "type", type);
    tr_json_object_set(c, "issuer", issuer != NULL ? org_urn(issuer) : text(TR_URN_OPERATOR));
    if (subject_id != NULL) {
        tr_json_object_set(*subject, "id", subject_id);
    }
    return c;
}

/* Set validFrom and validUntil: from a random day, for months months. */
static void period(struct tr_json *c, int months)
{
    char from[TR_DATE_LEN + 1];
    random_date(from);
    int y = atoi(from), m = atoi(from + 5) + months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    tr_json_object_set(c, "validFrom", text("%sT00:00:00Z", from));
    tr_json_object_set(c, "validUntil", text("%04d-%02d-28T23:59:59Z", y, m));
}

static const char *any(char (*list)[TR_USCC_LEN + 1], size_t n)
{
    return list[pick(n)];
}

static struct tr_json *person_urn(const struct region *r)
{
    return text("%s%s", TR_URN_PERSON, r->people[pick(r->npeople)]);
}

static struct tr_json *organization(struct region *r)
{
    struct tr_json *cs, *c, *keys = tr_json_new_array(), *may = tr_json_new_array();
    unsigned char seed[TR_ED25519_SEED_LEN], pub[TR_ED25519_PUBLIC_LEN];
    char did[TR_KEY_DID_SIZE], uscc[TR_USCC_LEN + 1];
    const struct pair *city = &cities[pick(sizeof cities / sizeof cities[0])];
    size_t k = r->nuniversities + r->nenterprises + r->nboards;
    int type = k < 3 ? (int)k : pick(10) < 3 ? 0 : pick(20) == 0 ? 2 : 1;
    make_uscc(type == 1 ? "91" : "12", uscc);
    c = frame("Organization", NULL, org_urn(uscc), &cs);
    if (type == 0) {
        const struct pair *s = &schools[pick(sizeof schools / sizeof schools[0])];
        tr_json_object_set(cs, "name", text("%s%s", city->zh, s->zh));
        tr_json_object_set(cs, "alternateName", text("%s %s", city->en, s->en));
        tr_json_object_set(cs, "organizationType", text("university"));
        const char *kinds[] = {"Person", "DualAppointment", "Credit", "Contribution"};
        for (size_t i = 0; i < 4; i++) {
            tr_json_array_append(may, text("%s", kinds[i]));
        }
        memcpy(r->universities[r->nuniversities++], uscc, sizeof uscc);
    } else if (type == 1) {
        const struct pair *ind = &industries[pick(sizeof industries / sizeof industries[0])];
        tr_json_object_set(cs, "name", text("%s%s科技有限公司", city->zh, ind->zh));
        tr_json_object_set(cs, "alternateName",
                           text("%s %s Technology Co., Ltd.", city->en, ind->en));
        tr_json_object_set(cs, "organizationType", text("enterprise"));
        const char *kinds[] = {"Person", "DualAppointment", "EnterprisePlacement"};
        for (size_t i = 0; i < 3; i++) {
            tr_json_array_append(may, text("%s", kinds[i]));
        }
        memcpy(r->enterprises[r->nenterprises++], uscc, sizeof uscc);
    } else {
        tr_json_object_set(cs, "name", text("%s市工程技术职称评审委员会", city->zh));
        tr_json_object_set(cs, "alternateName",
                           text("%s Engineering Title Evaluation Board", city->en));
        tr_json_object_set(cs, "organizationType", text("evaluation_board"));
        tr_json_array_append(may, text("Evaluation"));
        memcpy(r->boards[r->nboards++], uscc, sizeof uscc);
    }
    for (size_t i = 0; i < sizeof seed; i++) {
        seed[i] = (unsigned char)rng_next();
    }
    tr_ed25519_public(seed, pub);
    tr_key_did(pub, did);
    tr_json_array_append(keys, text("%s", did));
    tr_json_object_set(cs, "keys", keys);
    tr_json_object_set(cs, "mayIssue", may);
    tr_json_object_set(c, "credentialSubject", cs);
    return c;
}

static struct tr_json *person(struct region *r)
{
    struct tr_json *cs, *cats = tr_json_new_array();
    const struct pair *s = &surnames[pick(sizeof surnames / sizeof surnames[0])];
    const struct pair *g1 = &given[pick(sizeof given / sizeof given[0])];
    const struct pair *g2 = pick(2) == 0 ? NULL : &given[pick(sizeof given / sizeof given[0])];
    char id[TR_PERSON_ID_MAX + 1], sl[16];
    size_t i = 0;
    for (; s->en[i] != '\0' && i + 1 < sizeof sl; i++) {
        sl[i] = (char)(s->en[i] | 0x20);
    }
    sl[i] = '\0';
    snprintf(id, sizeof id, "p-%s-%s%s-%zu", sl, g1->en, g2 != NULL ? g2->en : "", r->npeople);
    int cat = (int)pick(3);
    const char *home =
        cat == 2 ? any(r->enterprises, r->nenterprises) : any(r->universities, r->nuniversities);
    struct tr_json *c = frame("Person", home, text("%s%s", TR_URN_PERSON, id), &cs);
    tr_json_object_set(cs, "name", text("%s%s%s", s->zh, g1->zh, g2 != NULL ? g2->zh : ""));
    tr_json_object_set(
        cs, "alternateName",
        text("%s %c%s%s", s->en, g1->en[0] - 32, g1->en + 1, g2 != NULL ? g2->en : ""));
    tr_json_array_append(cats, text("%s", categories[cat]));
    tr_json_object_set(cs, "categories", cats);
    tr_json_object_set(cs, "home", org_urn(home));
    tr_json_object_set(c, "credentialSubject", cs);
    memcpy(r->people[r->npeople++], id, sizeof id);
    return c;
}

static struct tr_json *placement(const struct region *r)
{
    struct tr_json *cs;
    const char *host = any(r->enterprises, r->nenterprises);
    const struct pair *t = &topics[pick(sizeof topics / sizeof topics[0])];
    const struct pair *a = &activities[pick(sizeof activities / sizeof activities[0])];
    struct tr_json *c = frame("EnterprisePlacement", host, person_urn(r), &cs);
    period(c, 1 + (int)pick(12));
    tr_json_object_set(cs, "host", org_urn(host));
    tr_json_object_set(cs, "home", org_urn(any(r->universities, r->nuniversities)));
    tr_json_object_set(cs, "fte", tr_json_new_number((double)(1 + pick(10)) / 10));
    tr_json_object_set(cs, "form", text("%s", forms[pick(4)]));
    tr_json_object_set(cs, "hours", tr_json_new_number((double)(40 + pick(960))));
    tr_json_object_set(cs, "project", text("%s%s (%s %s)", t->zh, a->zh, t->en, a->en));
    tr_json_object_set(c, "credentialSubject", cs);
    return c;
}

static struct tr_json *credit(const struct region *r)
{
    struct tr_json *cs;
    char day[TR_DATE_LEN + 1];
    const struct pair *k = &courses[pick(sizeof courses / sizeof courses[0])];
    struct tr_json *c = frame("Credit", any(r->universities, r->nuniversities), person_urn(r), &cs);
    random_date(day);
    tr_json_object_set(cs, "course", text("%s (%s)", k->zh, k->en));
    tr_json_object_set(cs, "courseCode",
                       text("%c%c%04zu", 'A' + (int)pick(26), 'A' + (int)pick(26), pick(10000)));
    tr_json_object_set(cs, "framework", text("cn-credit"));
    tr_json_object_set(cs, "points", tr_json_new_number((double)(1 + pick(4))));
    tr_json_object_set(cs, "term", text("%.4s-%d autumn", day, atoi(day) + 1));
    tr_json_object_set(cs, "earnedOn", text("%s", day));
    tr_json_object_set(c, "credentialSubject", cs);
    return c;
}

static struct tr_json *evaluation(const struct region *r)
{
    struct tr_json *cs, *dims = tr_json_new_array();
    char day[TR_DATE_LEN + 1];
    const struct pair *p = &purposes[pick(sizeof purposes / sizeof purposes[0])];
    struct tr_json *c = frame("Evaluation", any(r->boards, r->nboards), person_urn(r), &cs);
    period(c, 12 * (1 + (int)pick(4)));
    random_date(day);
    tr_json_object_set(cs, "evaluatorRole", text(pick(2) ? "skill_master" : "academic_leader"));
    tr_json_object_set(cs, "purpose", text("%s (%s)", p->zh, p->en));
    size_t first = pick(sizeof dimensions / sizeof dimensions[0]);
    for (size_t i = 0; i < 3; i++) {
        const struct pair *d =
            &dimensions[(first + i) % (sizeof dimensions / sizeof dimensions[0])];
        struct tr_json *dim = tr_json_new_object();
        tr_json_object_set(dim, "name", text("%s (%s)", d->zh, d->en));
        tr_json_object_set(dim, "score", tr_json_new_number((double)(60 + pick(40))));
        tr_json_array_append(dims, dim);
    }
    tr_json_object_set(cs, "dimensions", dims);
    tr_json_object_set(cs, "evaluatedOn", text("%s", day));
    tr_json_object_set(c, "credentialSubject", cs);
    return c;
}

static struct tr_json *contribution(const struct region *r)
{
    struct tr_json *cs;
    char day[TR_DATE_LEN + 1];
    const struct pair *t = &topics[pick(sizeof topics / sizeof topics[0])];
    const struct pair *m = &methods[pick(sizeof methods / sizeof methods[0])];
    struct tr_json *c =
        frame("Contribution", any(r->universities, r->nuniversities), person_urn(r), &cs);
    random_date(day);
    tr_json_object_set(cs, "contributionType", text("%s", contribution_types[pick(5)]));
    tr_json_object_set(cs, "title",
                       text("一种%s%s方法 (a %s method for %s)", t->zh, m->zh, m->en, t->en));
    tr_json_object_set(cs, "reference", text("ZL%.4s1%07zu.%zu", day, pick(10000000), pick(10)));
    tr_json_object_set(cs, "share", tr_json_new_number((double)(1 + pick(10)) / 10));
    tr_json_object_set(cs, "achievedOn", text("%s", day));
    tr_json_object_set(c, "credentialSubject", cs);
    return c;
}

static struct tr_json *dual_appointment(const struct region *r)
{
    struct tr_json *cs, *duties = tr_json_new_object(), *list = tr_json_new_array();
    const char *university = any(r->universities, r->nuniversities);
    const struct pair *t = &titles[pick(sizeof titles / sizeof titles[0])];
    const struct pair *k = &courses[pick(sizeof courses / sizeof courses[0])];
    struct tr_json *c = frame("DualAppointment", university, person_urn(r), &cs);
    period(c, 48);
    tr_json_object_set(cs, "university", org_urn(university));
    tr_json_object_set(cs, "enterprise", org_urn(any(r->enterprises, r->nenterprises)));
    tr_json_object_set(cs, "role", text("%s", t->en));
    tr_json_object_set(cs, "title", text("%s", t->zh));
    tr_json_array_append(list, text("%s (%s)", k->zh, k->en));
    tr_json_object_set(duties, "teachingHoursPerYear", tr_json_new_number((double)(36 + pick(37))));
    tr_json_object_set(duties, "courses", list);
    tr_json_object_set(duties, "description",
                       text("指导工程硕士研究生 (supervising engineering master students)"));
    tr_json_object_set(cs, "duties", duties);
    tr_json_object_set(c, "credentialSubject", cs);
    return c;
}

/* The i-th record of a store of n: organisations first, then the kinds in proportion. */
static struct tr_json *next_record(struct region *r, size_t i, size_t norgs)
{
    if (i < norgs) {
        return organization(r);
    }
    size_t roll = pick(100);
    if (r->npeople == 0 || roll < 20) {
        return person(r);
    }
    if (roll < 45) {
        return placement(r);
    }
    if (roll < 75) {
        return credit(r);
    }
    if (roll < 83) {
        return evaluation(r);
    }
    if (roll < 93) {
        return contribution(r);
    }
    return dual_appointment(r);
}

/* Append credential to the log and index it, as the submit path does. */
static int store_record(struct tr_db *db, struct tr_json *credential, struct tr_error *err)
{
    struct tr_diag diag;
    struct tr_buf body;
    char id[TR_RECORD_ID_LEN + 1];
    uint64_t leaf = 0;
    tr_diag_init(&diag, "record");
    tr_buf_init(&body);
    int rc = tr_schema_check(credential, &diag);
    if (rc != TR_OK) {
        tr_diag_to_error(&diag, rc, err);
        goto out;
    }
    rc = tr_verify_record_id(credential, id, err);
    if (rc == TR_OK) {
        rc = tr_jcs_serialize(credential, &body, err);
    }
    if (rc == TR_OK) {
        rc = tr_log_append(db, id, body.data, body.len, &leaf, err);
    }
    if (rc == TR_OK) {
        rc = tr_search_index(db, id, leaf, credential, err);
    }
out:
    tr_buf_release(&body);
    tr_diag_release(&diag);
    return rc;
}

static int fill(const char *path, size_t n, uint64_t seed)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    struct region r = {0};
    int code = 1;
    size_t norgs = n / 200 > 10 ? n / 200 : 10;
    rng_state = seed != 0 ? seed : 1;
    r.norgs_max = norgs;
    r.universities = calloc(norgs, sizeof *r.universities);
    r.enterprises = calloc(norgs, sizeof *r.enterprises);
    r.boards = calloc(norgs, sizeof *r.boards);
    r.people = calloc(n, sizeof *r.people);
    if (r.universities == NULL || r.enterprises == NULL || r.boards == NULL || r.people == NULL) {
        fprintf(stderr, "bench-search: out of memory\n");
        goto out;
    }
    if (tr_db_create(path, "bench.talentreg.example", &db, &err) != TR_OK) {
        code = fail("create", &err);
        goto out;
    }
    double t0 = now_ms();
    for (size_t i = 0; i < n;) {
        if (tr_db_begin(db, &err) != TR_OK) {
            code = fail("begin", &err);
            goto out;
        }
        for (size_t k = 0; k < BATCH && i < n; k++, i++) {
            struct tr_json *c = next_record(&r, i, norgs);
            int rc = store_record(db, c, &err);
            tr_json_free(c);
            if (rc != TR_OK) {
                tr_db_rollback(db, NULL);
                code = fail("record", &err);
                goto out;
            }
        }
        if (tr_db_commit(db, &err) != TR_OK) {
            code = fail("commit", &err);
            goto out;
        }
    }
    double ms = now_ms() - t0;
    printf("filled '%s': %zu records (%zu organisations, %zu people) in %.1f s, %.0f records/s\n",
           path, n, norgs < n ? norgs : n, r.npeople, ms / 1e3, (double)n / (ms / 1e3));
    code = 0;
out:
    if (db != NULL && tr_db_close(db, &err) != TR_OK) {
        code = fail("close", &err);
    }
    free(r.universities);
    free(r.enterprises);
    free(r.boards);
    free(r.people);
    return code;
}

/* ---- Measuring ---- */

/* The first row's first column of sql as text into out (empty when no row). */
static int sql_text(struct tr_db *db, const char *sql, char *out, size_t size, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    out[0] = '\0';
    int rc = tr_db_prepare(db, sql, &st, err);
    if (rc == TR_OK) {
        rc = tr_db_step(st, &row, err);
    }
    if (rc == TR_OK && row) {
        snprintf(out, size, "%s", tr_db_column_text(st, 0, NULL));
    }
    return tr_db_finalize(st, rc, err);
}

static int sql_int(struct tr_db *db, const char *sql, int64_t *out, struct tr_error *err)
{
    char s[32];
    int rc = sql_text(db, sql, s, sizeof s, err);
    *out = strtoll(s, NULL, 10);
    return rc;
}

struct query {
    const char *label;
    const char *text;
    struct tr_search_filter filter;
};

/* Print s left-aligned in width terminal columns (CJK characters take two). */
static void print_padded(const char *s, int width)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p & 0xC0) != 0x80) {
            cols += *p >= 0xE1 ? 2 : 1; /* lead bytes of U+1000 and above */
        }
    }
    printf("%s%*s", s, width > cols ? width - cols : 0, "");
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The p-th percentile (0..100) of n sorted values, nearest rank. */
static double percentile(const double *v, size_t n, double p)
{
    size_t rank = (size_t)(p / 100 * (double)n + 0.999999);
    return v[rank > 0 ? rank - 1 : 0];
}

static int report_sizes(struct tr_db *db, struct tr_error *err)
{
    int64_t records = 0, content = 0, fts = 0, file = 0;
    int rc = sql_int(db, "SELECT count(*) FROM search_record", &records, err);
    if (rc == TR_OK) {
        rc = sql_int(db,
                     "SELECT coalesce(sum(pgsize), 0) FROM dbstat\n"
                     "    WHERE name = 'search_record' OR name GLOB 'search_record_*'\n"
                     "        OR name = 'sqlite_autoindex_search_record_1'",
                     &content, err);
    }
    if (rc == TR_OK) {
        rc = sql_int(db,
                     "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name GLOB 'search_text*'",
                     &fts, err);
    }
    if (rc == TR_OK) {
        rc = sql_int(db, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
                     &file, err);
    }
    if (rc != TR_OK) {
        return rc;
    }
    double per = records > 0 ? (double)records : 1;
    printf("store: %" PRId64 " indexed records, file %.1f MiB\n", records, (double)file / 1048576);
    printf("index: rows and text (search_record and its indexes) %.1f MiB = %.0f B/record;\n"
           "       full-text index (search_text_*) %.1f MiB = %.0f B/record;\n"
           "       together %.0f B/record\n",
           (double)content / 1048576, (double)content / per, (double)fts / 1048576,
           (double)fts / per, (double)(content + fts) / per);
    return TR_OK;
}

/* How many records the text of query matches, filters aside. */
static int count_matches(struct tr_db *db, const char *query, int64_t *out, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    struct tr_buf expr;
    int row = 0;
    tr_buf_init(&expr);
    int rc = tr_search_match_expression(query, &expr, err);
    if (rc == TR_OK) {
        rc = tr_db_prepare(db, "SELECT count(*) FROM search_text WHERE search_text MATCH :match",
                           &st, err);
    }
    if (rc == TR_OK) {
        tr_db_bind_str(st, ":match", expr.data);
        rc = tr_db_step(st, &row, err);
    }
    *out = rc == TR_OK && row ? tr_db_column_int(st, 0) : 0;
    tr_buf_release(&expr);
    return tr_db_finalize(st, rc, err);
}

static int run(const char *path, size_t rounds)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    char org[TR_USCC_LEN + 1], person[TR_URN_PERSON_MAX];
    double *all = NULL, *mine = NULL;
    size_t nall = 0;
    int code = 1;
    if (tr_db_open(path, TR_DB_READONLY, &db, &err) != TR_OK) {
        return fail("open", &err);
    }
    /* The busiest issuer of credits, and the person with most records: filters to time. */
    if (sql_text(
            db,
            "SELECT issuer FROM search_record WHERE kind = 5 /* Credit */ AND issuer IS NOT NULL\n"
            "    GROUP BY issuer ORDER BY count(*) DESC, issuer LIMIT 1",
            org, sizeof org, &err) != TR_OK ||
        sql_text(db,
                 "SELECT subject FROM search_record WHERE subject GLOB 'urn:talentreg:person:*'\n"
                 "    GROUP BY subject ORDER BY count(*) DESC, subject LIMIT 1",
                 person, sizeof person, &err) != TR_OK) {
        code = fail("filters", &err);
        goto out;
    }
    const unsigned placement = 1u << TR_KIND_ENTERPRISE_PLACEMENT;
    const unsigned credit = 1u << TR_KIND_CREDIT;
    const struct query queries[QUERY_COUNT] = {
        {"a two-character name", "李娜", {0}},
        {"a three-character name", "王建国", {0}},
        {"a compound surname", "欧阳", {0}},
        {"a surname alone", "张", {0}},
        {"a name in pinyin", "Zhang Wei", {0}},
        {"a project word", "电池", {0}},
        {"a longer phrase", "电池管理系统", {0}},
        {"a name, verified only", "李娜", {0, NULL, NULL, NULL, NULL, 1}},
        {"a course", "工程伦理", {0}},
        {"an English word", "battery", {0}},
        {"two English words", "machine learning", {0}},
        {"a prefix", "batt*", {0}},
        {"a short prefix", "ma*", {0}},
        {"mixed text", "储能 battery", {0}},
        {"a role", "industrial professor", {0}},
        {"a dimension", "传帮带", {0}},
        {"project word, one kind", "电池", {placement, NULL, NULL, NULL, NULL, 0}},
        {"word, one year", "研发", {0, NULL, NULL, "2023-01-01", "2023-12-31", 0}},
        {"word, one issuer",
         "automation",
         {credit, org[0] != '\0' ? org : NULL, NULL, NULL, NULL, 0}},
        {"word, one person", "工程", {0, NULL, person[0] != '\0' ? person : NULL, NULL, NULL, 0}},
    };
    all = calloc(QUERY_COUNT * rounds, sizeof *all);
    mine = calloc(rounds, sizeof *mine);
    if (all == NULL || mine == NULL) {
        fprintf(stderr, "bench-search: out of memory\n");
        goto out;
    }
    if (report_sizes(db, &err) != TR_OK) {
        code = fail("sizes", &err);
        goto out;
    }
    printf("filters: issuer %s, person %s\n", org[0] != '\0' ? org : "-",
           person[0] != '\0' ? person : "-");
    printf("\n%-24s %-22s %5s %8s %10s %10s\n", "query", "text", "hits", "matches", "median ms",
           "max ms");
    for (size_t q = 0; q < QUERY_COUNT; q++) {
        struct tr_search_results r = {0};
        size_t hits = 0;
        int64_t matches = 0;
        if (count_matches(db, queries[q].text, &matches, &err) != TR_OK) {
            code = fail(queries[q].text, &err);
            goto out;
        }
        /* One untimed run warms the page cache. */
        for (size_t i = 0; i <= rounds; i++) {
            double t0 = now_ms();
            if (tr_search_query(db, queries[q].text, &queries[q].filter, 20, 0, &r, &err) !=
                TR_OK) {
                code = fail(queries[q].text, &err);
                goto out;
            }
            double ms = now_ms() - t0;
            hits = r.len;
            tr_search_results_release(&r);
            if (i > 0) {
                mine[i - 1] = ms;
                all[nall++] = ms;
            }
        }
        qsort(mine, rounds, sizeof *mine, compare_double);
        print_padded(queries[q].label, 25);
        print_padded(queries[q].text, 23);
        printf("%5zu %8" PRId64 " %10.3f %10.3f\n", hits, matches, percentile(mine, rounds, 50),
               mine[rounds - 1]);
    }
    qsort(all, nall, sizeof *all, compare_double);
    printf("\n%zu queries x %zu runs: median %.3f ms, p95 %.3f ms, max %.3f ms\n",
           (size_t)QUERY_COUNT, rounds, percentile(all, nall, 50), percentile(all, nall, 95),
           all[nall - 1]);
    code = 0;
out:
    free(all);
    free(mine);
    if (tr_db_close(db, &err) != TR_OK) {
        code = fail("close", &err);
    }
    return code;
}

static int reindex(const char *path)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    uint64_t n = 0;
    if (tr_db_open(path, TR_DB_READWRITE, &db, &err) != TR_OK) {
        return fail("open", &err);
    }
    double t0 = now_ms();
    int rc = tr_db_begin(db, &err);
    if (rc == TR_OK) {
        rc = tr_search_reindex(db, &n, &err);
        if (rc == TR_OK) {
            rc = tr_db_commit(db, &err);
        } else {
            tr_db_rollback(db, NULL);
        }
    }
    double ms = now_ms() - t0;
    if (rc != TR_OK) {
        tr_db_close(db, NULL);
        return fail("reindex", &err);
    }
    printf("reindexed %" PRIu64 " records in %.1f s, %.0f records/s\n", n, ms / 1e3,
           (double)n / (ms / 1e3));
    return tr_db_close(db, &err) == TR_OK ? 0 : fail("close", &err);
}

static int usage(void)
{
    fputs("usage: bench-search fill STORE N [--seed S]\n"
          "       bench-search run STORE [--rounds R]\n"
          "       bench-search reindex STORE\n",
          stderr);
    return 2;
}

/* A positive count in text, or 0. */
static size_t count_of(const char *text)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    return text[0] >= '0' && text[0] <= '9' && *end == '\0' && errno == 0 ? (size_t)v : 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 || (argc == 6 && strcmp(argv[4], "--seed") == 0)) {
        size_t n = count_of(argv[3]);
        uint64_t seed = argc == 6 ? count_of(argv[5]) : 42;
        if (strcmp(argv[1], "fill") == 0 && n > 0 && seed > 0) {
            return fill(argv[2], n, seed);
        }
    }
    if ((argc == 3 || (argc == 5 && strcmp(argv[3], "--rounds") == 0)) &&
        strcmp(argv[1], "run") == 0) {
        size_t rounds = argc == 5 ? count_of(argv[4]) : DEFAULT_ROUNDS;
        if (rounds > 0) {
            return run(argv[2], rounds);
        }
    }
    if (argc == 3 && strcmp(argv[1], "reindex") == 0) {
        return reindex(argv[2]);
    }
    return usage();
}
