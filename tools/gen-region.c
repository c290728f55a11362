/*
 * gen-region.c — a synthetic region for tests and benchmarks, the same for the same seed:
 * organisations (universities, enterprises, research institutes, an evaluation board) with
 * keys derived from the seed, registered by the operator; people with Chinese and English
 * names; and signed records of every kind with plausible distributions (overlapping
 * placements of various FTE and forms, co-signed dual appointments, credits with recognition
 * agreements and recognitions, contributions, evaluations, key revocations, withdrawals and
 * supersessions, co-signatures submitted later, replays), plus a share of records that must
 * be rejected, each for a known reason.
 *
 * usage: gen-region --out DIR [--seed N] [--orgs N] [--people N] [--records N]
 *                   [--fail-share F] [--operator-key FILE] [--origin NAME] [--threads N]
 *
 * DIR (created; it must not hold these files already) gets
 *   records.jsonl   one signed credential a line, in an order `talentreg import` accepts:
 *                   organisations, then people, then the rest;
 *   keys/           operator.pem (unless --operator-key is given) and USCC.pem, USCC-2.pem
 *                   for the organisations, mode 0600 (test keys: never use them for real);
 *   manifest.json   the seed, the operator's verifier key, counts per kind, and what an
 *                   import must make of the lines: stored, duplicates, merged, rejected by
 *                   reason and by case.
 * --records counts every line, organisations and people included. Signing runs on --threads
 * threads (default: one per processor); the output is the same whatever their number, and
 * memory stays bounded whatever the size: lines are written as they are signed, in order.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "talentreg.h"

#define WINDOW 2048 /* records between the generator and the writer */
#define MAX_THREADS 16
#define RING 256             /* recent records kept for references, replays and revocations */
#define BASE_DAY 17897       /* 2019-01-01 */
#define BASE_TIME 1735689600 /* 2025-01-01T00:00:00Z: the proofs' created times count from it */

enum org_type { UNIVERSITY, INSTITUTE, ENTERPRISE, BOARD, ORG_TYPES };
enum category { TEACHER, STUDENT, EXPERT };

/* Why a must-fail record fails: the case, and the first reason an import reports. */
enum fail_case {
    BAD_SIGNATURE,
    WRONG_SIGNER,
    MISSING_COSIGNER,
    UNKNOWN_KEY,
    KEY_REVOKED,
    SCHEMA_INVALID,
    NOT_PERMITTED,
    REVOCATION_NOT_PERMITTED,
    FAIL_CASES
};

static const struct {
    const char *name;
    enum tr_verify_reason reason;
} fail_cases[FAIL_CASES] = {
    [BAD_SIGNATURE] = {"bad-signature", TR_VERIFY_BAD_SIGNATURE},
    [WRONG_SIGNER] = {"wrong-signer", TR_VERIFY_SIGNER_NOT_PERMITTED},
    [MISSING_COSIGNER] = {"missing-cosigner", TR_VERIFY_MISSING_COSIGNER},
    [UNKNOWN_KEY] = {"unknown-key", TR_VERIFY_UNKNOWN_KEY},
    [KEY_REVOKED] = {"key-revoked", TR_VERIFY_KEY_REVOKED},
    [SCHEMA_INVALID] = {"schema-invalid", TR_VERIFY_SCHEMA_INVALID},
    [NOT_PERMITTED] = {"kind-not-permitted", TR_VERIFY_SIGNER_NOT_PERMITTED},
    [REVOCATION_NOT_PERMITTED] = {"revocation-not-permitted", TR_VERIFY_REVOCATION_NOT_PERMITTED},
};

/* ---- Names ---- */

static const struct {
    const char *zh, *en;
} surnames[] = {
    {"王", "Wang"},  {"李", "Li"},    {"张", "Zhang"},    {"刘", "Liu"},    {"陈", "Chen"},
    {"杨", "Yang"},  {"黄", "Huang"}, {"赵", "Zhao"},     {"吴", "Wu"},     {"周", "Zhou"},
    {"徐", "Xu"},    {"孙", "Sun"},   {"马", "Ma"},       {"朱", "Zhu"},    {"胡", "Hu"},
    {"郭", "Guo"},   {"何", "He"},    {"林", "Lin"},      {"罗", "Luo"},    {"高", "Gao"},
    {"郑", "Zheng"}, {"梁", "Liang"}, {"谢", "Xie"},      {"宋", "Song"},   {"唐", "Tang"},
    {"韩", "Han"},   {"冯", "Feng"},  {"邓", "Deng"},     {"曹", "Cao"},    {"彭", "Peng"},
    {"曾", "Zeng"},  {"吕", "Lyu"},   {"欧阳", "Ouyang"}, {"司马", "Sima"}, {"诸葛", "Zhuge"},
};

static const struct {
    const char *zh, *en;
} given_names[] = {
    {"伟", "Wei"},       {"芳", "Fang"},       {"娜", "Na"},         {"敏", "Min"},
    {"静", "Jing"},      {"丽", "Li"},         {"强", "Qiang"},      {"磊", "Lei"},
    {"军", "Jun"},       {"洋", "Yang"},       {"勇", "Yong"},       {"艳", "Yan"},
    {"杰", "Jie"},       {"娟", "Juan"},       {"涛", "Tao"},        {"明", "Ming"},
    {"超", "Chao"},      {"秀英", "Xiuying"},  {"霞", "Xia"},        {"平", "Ping"},
    {"建华", "Jianhua"}, {"晓东", "Xiaodong"}, {"志强", "Zhiqiang"}, {"海燕", "Haiyan"},
    {"子涵", "Zihan"},   {"浩然", "Haoran"},   {"雨萱", "Yuxuan"},   {"思远", "Siyuan"},
    {"绿洲", "Lyuzhou"}, {"欣怡", "Xinyi"},
};

static const char *const western_given[] = {"James",  "Mary", "John",    "Linda",
                                            "Robert", "Emma", "David",   "Sophie",
                                            "Thomas", "Anna", "Michael", "Laura"};
static const char *const western_family[] = {"Smith",  "Müller", "Brown",  "Schmidt", "Wilson",
                                             "Taylor", "Becker", "Martin", "Clarke",  "Fischer"};

static const struct {
    const char *zh, *en, *code;
} cities[] = {
    {"福州", "Fuzhou", "350100"},    {"厦门", "Xiamen", "350200"},  {"泉州", "Quanzhou", "350500"},
    {"漳州", "Zhangzhou", "350600"}, {"莆田", "Putian", "350300"},  {"宁德", "Ningde", "350900"},
    {"龙岩", "Longyan", "350800"},   {"南京", "Nanjing", "320100"}, {"苏州", "Suzhou", "320500"},
    {"无锡", "Wuxi", "320200"},      {"济南", "Jinan", "370100"},   {"青岛", "Qingdao", "370200"},
    {"烟台", "Yantai", "370600"},
};

static const struct {
    const char *zh, *en;
} industries[] = {
    {"智能装备", "Intelligent Equipment"},  {"新能源电池", "New Energy Battery"},
    {"电子信息", "Electronic Information"}, {"生物医药", "Biopharmaceutical"},
    {"工业软件", "Industrial Software"},    {"精密机械", "Precision Machinery"},
    {"新材料", "Advanced Materials"},       {"汽车零部件", "Auto Parts"},
};

static const char *const courses[] = {
    "工程伦理 (Engineering Ethics)",
    "数字电路 (Digital Circuits)",
    "机器学习 (Machine Learning)",
    "工业自动化实验 (Industrial Automation Lab)",
    "材料力学 (Mechanics of Materials)",
    "电池管理系统 (Battery Management Systems)",
    "嵌入式系统 (Embedded Systems)",
    "项目管理 (Project Management)",
    "Quality Engineering",
    "Technical Writing for Engineers",
};

static const char *const projects[] = {
    "电池管理系统研发",
    "智能产线改造",
    "工业机器人调试",
    "检测平台建设",
    "Predictive maintenance pilot",
    "新产品试制",
    "供应链数字化",
};

static const char *const forms[] = {"site_visit", "training", "post", "rnd_project"};
static const char *const roles[] = {"industrial_professor", "enterprise_mentor",
                                    "part_time_researcher", "co_supervisor"};
static const char *const contribution_types[] = {"patent_transfer", "tech_contract", "product",
                                                 "standard", "commission_income"};

/* ---- A deterministic random stream: xoshiro256**, seeded by splitmix64 ---- */

struct rng {
    uint64_t s[4];
};

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static void rng_seed(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        r->s[i] = z ^ (z >> 31);
    }
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* A number in [0, n). */
static size_t below(struct rng *r, size_t n)
{
    return n > 0 ? (size_t)(rng_next(r) % n) : 0;
}

/* 1 with probability p. */
static int chance(struct rng *r, double p)
{
    return (double)(rng_next(r) >> 11) / 9007199254740992.0 < p;
}

#define PICK(r, list) (list)[below((r), sizeof(list) / sizeof((list)[0]))]

/* ---- The region ---- */

struct org {
    char uscc[TR_USCC_LEN + 1];
    enum org_type type;
    size_t nkeys;
    int key2_revoked; /* its second key was revoked (by a KeyRevocation) */
    unsigned char seed[2][TR_ED25519_SEED_LEN];
    unsigned char pub[2][TR_ED25519_PUBLIC_LEN];
};

struct person {
    char id[TR_PERSON_ID_MAX + 1];
    size_t home;
    enum category category;
};

/* A record to sign and write. */
struct job {
    int state; /* 0 free, 1 to sign, 2 signed */
    struct tr_json *cred;
    size_t nsig;
    const unsigned char *seeds[2];
    char created[2][TR_DATETIME_LEN + 1];
    int tamper;         /* change a field after signing: the signature no longer verifies */
    struct tr_buf line; /* the signed credential, compact JSON */
};

/* A recent record that later lines refer to. */
struct recent {
    char id[TR_RECORD_ID_LEN + 1];
    enum tr_kind kind;
    size_t issuer;                /* org index */
    size_t subject;               /* person index */
    char yaml[2048];              /* the record, for a replay or a co-signature */
    uint64_t line;                /* the line it was first written at: its proofs' created time */
    const unsigned char *keys[2]; /* the keys that signed it */
    int used;
};

struct expect {
    uint64_t lines, stored, duplicates, merged, rejected;
    uint64_t lines_by_kind[TR_KIND_COUNT], stored_by_kind[TR_KIND_COUNT];
    uint64_t by_reason[TR_VERIFY_REASON_COUNT];
    uint64_t by_case[FAIL_CASES];
};

struct gen {
    struct rng rng;
    uint64_t seed;
    const char *out;
    const char *origin;
    unsigned char op_seed[TR_ED25519_SEED_LEN], op_pub[TR_ED25519_PUBLIC_LEN];
    unsigned char stranger[TR_ED25519_SEED_LEN];
    struct org *orgs;
    size_t norgs, count[ORG_TYPES];
    size_t *of_type[ORG_TYPES]; /* org indices by type */
    struct person *people;
    size_t npeople;
    size_t *by_category[3];
    size_t ncategory[3];
    struct recent credits[RING], revocable[RING], replays[RING], pending[RING];
    size_t ncredits, nrevocable, nreplays, npending;
    size_t (*agreements)[2]; /* pairs (home, other) with an agreement */
    char (*agreement_ids)[TR_RECORD_ID_LEN + 1];
    size_t nagreements, cap_agreements;
    uint64_t seq; /* lines so far */
    struct expect ex;
    /* Signing threads and the writer. */
    struct job *jobs;
    pthread_mutex_t lock;
    pthread_cond_t can_fill, can_sign, can_write;
    uint64_t next_fill, next_sign, next_write;
    int done, failed;
    char failure[TR_ERROR_MAX];
    FILE *file;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("gen-region: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

/* A key derived from the seed and a label: SHA-256 of both. */
static void derive(uint64_t seed, const char *label, unsigned char out[TR_ED25519_SEED_LEN])
{
    char text[128];
    int n = snprintf(text, sizeof text, "talentreg gen-region %" PRIu64 " %s", seed, label);
    tr_sha256(text, (size_t)n, out);
}

static void write_key(struct gen *g, const unsigned char seed[TR_ED25519_SEED_LEN],
                      const char *name)
{
    struct tr_key *key = NULL;
    struct tr_error err = {0};
    char path[4096];
    snprintf(path, sizeof path, "%s/keys/%s.pem", g->out, name);
    if (tr_key_from_seed(seed, &key, &err) != TR_OK ||
        tr_key_save(key, path, NULL, NULL, 0, &err) != TR_OK) {
        die("%s", err.msg);
    }
    tr_key_free(key);
}

/* A USCC: registration authority and type, region, an organisation code, the check. */
static void make_uscc(struct gen *g, size_t index, enum org_type type, char out[TR_USCC_LEN + 1])
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const char *authority = type == ENTERPRISE ? "91" : type == BOARD ? "11" : "12";
    snprintf(out, TR_USCC_LEN + 1, "%s%s", authority, PICK(&g->rng, cities).code);
    size_t v = index;
    for (int i = 8; i < 12; i++) { /* the index, so every code differs */
        out[i] = alphabet[v % 31];
        v /= 31;
    }
    for (int i = 12; i < 17; i++) {
        out[i] = alphabet[below(&g->rng, 31)];
    }
    out[17] = tr_ident_uscc_check_char(out);
    out[18] = '\0';
}

/* ---- Jobs: records to sign, in order ---- */

static struct tr_json *credential_of(const char *yaml)
{
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_error err = {0};
    struct tr_diag diag;
    tr_diag_init(&diag, "gen-region");
    if (tr_yaml_load(yaml, strlen(yaml), "gen-region", NULL, &doc, &err) != TR_OK) {
        die("%s\n%s", err.msg, yaml);
    }
    if (tr_schema_from_record(doc, NULL, &cred, &diag) != TR_OK) {
        tr_diag_to_error(&diag, TR_ESCHEMA, &err);
        die("%s\n%s", err.msg, yaml);
    }
    tr_diag_release(&diag);
    tr_json_free(doc);
    return cred;
}

static void record_id(const struct tr_json *cred, char id[TR_RECORD_ID_LEN + 1])
{
    struct tr_error err = {0};
    if (tr_verify_record_id(cred, id, &err) != TR_OK) {
        die("%s", err.msg);
    }
}

/* Queue cred to be signed by the seeds given (in that order) and written. Takes cred. */
static void emit(struct gen *g, struct tr_json *cred, size_t nsig, const unsigned char *s1,
                 const unsigned char *s2, int tamper)
{
    pthread_mutex_lock(&g->lock);
    while (g->next_fill - g->next_write >= WINDOW && !g->failed) {
        pthread_cond_wait(&g->can_fill, &g->lock);
    }
    if (g->failed) {
        die("%s", g->failure);
    }
    struct job *j = &g->jobs[g->next_fill % WINDOW];
    pthread_mutex_unlock(&g->lock);
    j->cred = cred;
    j->nsig = nsig;
    j->seeds[0] = s1;
    j->seeds[1] = s2;
    j->tamper = tamper;
    for (size_t i = 0; i < nsig; i++) {
        /* One second a line, a second signer a minute later: the same for a replay. */
        tr_date_format_datetime(BASE_TIME + (int64_t)g->seq + 60 * (int64_t)i, j->created[i]);
    }
    g->seq++;
    pthread_mutex_lock(&g->lock);
    j->state = 1;
    g->next_fill++;
    pthread_cond_signal(&g->can_sign);
    pthread_mutex_unlock(&g->lock);
}

static void sign_job(struct job *j, char *failure)
{
    struct tr_error err = {0};
    for (size_t i = 0; i < j->nsig; i++) {
        struct tr_proof_sign_options o = {j->created[i], NULL, NULL};
        if (tr_proof_sign(j->cred, j->seeds[i], &o, &err) != TR_OK) {
            snprintf(failure, TR_ERROR_MAX, "%s", err.msg);
            return;
        }
    }
    if (j->tamper) {
        struct tr_json *cs = tr_json_object_get(j->cred, "credentialSubject");
        struct tr_json *hours = tr_json_object_get(cs, "hours");
        double h = tr_json_is(hours, TR_JSON_NUMBER) ? hours->u.number.value : 0;
        tr_json_object_set(cs, "hours", tr_json_new_number(h + 1));
    }
    tr_buf_reset(&j->line);
    if (tr_json_write(j->cred, TR_JSON_COMPACT, &j->line, &err) != TR_OK) {
        snprintf(failure, TR_ERROR_MAX, "%s", err.msg);
    }
    tr_buf_addc(&j->line, '\n');
    tr_json_free(j->cred);
    j->cred = NULL;
}

static void *signer_main(void *arg)
{
    struct gen *g = arg;
    char failure[TR_ERROR_MAX];
    for (;;) {
        pthread_mutex_lock(&g->lock);
        while (g->next_sign == g->next_fill && !g->done && !g->failed) {
            pthread_cond_wait(&g->can_sign, &g->lock);
        }
        if (g->failed || g->next_sign == g->next_fill) {
            pthread_mutex_unlock(&g->lock);
            return NULL;
        }
        uint64_t n = g->next_sign++;
        struct job *j = &g->jobs[n % WINDOW];
        pthread_mutex_unlock(&g->lock);
        failure[0] = '\0';
        sign_job(j, failure);
        pthread_mutex_lock(&g->lock);
        if (failure[0] != '\0' && !g->failed) {
            g->failed = 1;
            memcpy(g->failure, failure, sizeof failure);
            pthread_cond_broadcast(&g->can_fill);
            pthread_cond_broadcast(&g->can_write);
        }
        j->state = 2;
        pthread_cond_broadcast(&g->can_write);
        pthread_mutex_unlock(&g->lock);
    }
}

static void *writer_main(void *arg)
{
    struct gen *g = arg;
    for (;;) {
        pthread_mutex_lock(&g->lock);
        struct job *j = &g->jobs[g->next_write % WINDOW];
        while (j->state != 2 && !g->failed && !(g->done && g->next_write == g->next_fill)) {
            pthread_cond_wait(&g->can_write, &g->lock);
        }
        if (g->failed || j->state != 2) {
            pthread_mutex_unlock(&g->lock);
            return NULL;
        }
        pthread_mutex_unlock(&g->lock);
        size_t n = fwrite(j->line.data, 1, j->line.len, g->file);
        pthread_mutex_lock(&g->lock);
        if (n != j->line.len && !g->failed) {
            g->failed = 1;
            snprintf(g->failure, sizeof g->failure, "cannot write records.jsonl: %s",
                     strerror(errno));
        }
        j->state = 0;
        g->next_write++;
        pthread_cond_signal(&g->can_fill);
        pthread_mutex_unlock(&g->lock);
    }
}

/* ---- What an import must make of each line ---- */

static void expect_stored(struct gen *g, enum tr_kind kind)
{
    g->ex.lines++;
    g->ex.lines_by_kind[kind]++;
    g->ex.stored++;
    g->ex.stored_by_kind[kind]++;
}

static void expect_other(struct gen *g, enum tr_kind kind, int merged)
{
    g->ex.lines++;
    g->ex.lines_by_kind[kind]++;
    if (merged) {
        g->ex.merged++;
    } else {
        g->ex.duplicates++;
    }
}

static void expect_failure(struct gen *g, enum tr_kind kind, enum fail_case c)
{
    g->ex.lines++;
    g->ex.lines_by_kind[kind]++;
    g->ex.rejected++;
    g->ex.by_reason[fail_cases[c].reason]++;
    g->ex.by_case[c]++;
}

/* ---- Building records ---- */

/* A valid signing key of org o (either of two, unless the second was revoked). */
static const unsigned char *org_key(struct gen *g, size_t o)
{
    const struct org *org = &g->orgs[o];
    size_t k = org->nkeys > 1 && !org->key2_revoked ? below(&g->rng, 2) : 0;
    return org->seed[k];
}

static size_t pick_org(struct gen *g, enum org_type t)
{
    return g->of_type[t][below(&g->rng, g->count[t])];
}

/* A university or a research institute: who gives credit and degrees. */
static size_t pick_school(struct gen *g)
{
    return chance(&g->rng, 0.8) || g->count[INSTITUTE] == 0 ? pick_org(g, UNIVERSITY)
                                                            : pick_org(g, INSTITUTE);
}

static size_t pick_person(struct gen *g, enum category c)
{
    while (g->ncategory[c] == 0) {
        c = (enum category)((c + 1) % 3);
    }
    return g->by_category[c][below(&g->rng, g->ncategory[c])];
}

static void date_text(int64_t day, char out[TR_DATE_LEN + 1])
{
    tr_date_format(day, out);
}

/* Remember a record in a ring (the oldest goes). */
static void remember(struct recent *ring, size_t *n, const struct recent *r)
{
    ring[*n % RING] = *r;
    (*n)++;
}

static struct recent *ring_pick(struct gen *g, struct recent *ring, size_t n)
{
    size_t have = n < RING ? n : RING;
    for (int tries = 0; have > 0 && tries < 8; tries++) {
        struct recent *r = &ring[below(&g->rng, have)];
        if (!r->used) {
            return r;
        }
    }
    return NULL;
}

static void add_organizations(struct gen *g)
{
    static const char *const may_issue[ORG_TYPES] = {
        [UNIVERSITY] = "[Person, DualAppointment, EnterprisePlacement, Credit, "
                       "RecognitionAgreement, CreditRecognition, Contribution]",
        [INSTITUTE] = "[Person, EnterprisePlacement, Credit, RecognitionAgreement, "
                      "CreditRecognition, Contribution]",
        [ENTERPRISE] = "[Person, DualAppointment, EnterprisePlacement, Contribution]",
        [BOARD] = "[Evaluation]",
    };
    static const char *const type_names[ORG_TYPES] = {"university", "research_institute",
                                                      "enterprise", "evaluation_board"};
    char yaml[2048], did[2][TR_KEY_DID_SIZE], label[64];
    for (size_t i = 0; i < g->norgs; i++) {
        struct org *o = &g->orgs[i];
        /* The first four make one of each type; then a quarter universities, 15 % research
         * institutes, the rest enterprises. */
        static const enum org_type first[] = {BOARD, UNIVERSITY, INSTITUTE, ENTERPRISE};
        size_t r = below(&g->rng, 100);
        o->type = i < 4 ? first[i] : r < 25 ? UNIVERSITY : r < 40 ? INSTITUTE : ENTERPRISE;
        g->of_type[o->type][g->count[o->type]++] = i;
        make_uscc(g, i, o->type, o->uscc);
        o->nkeys = chance(&g->rng, 0.15) ? 2 : 1;
        for (size_t k = 0; k < o->nkeys; k++) {
            snprintf(label, sizeof label, "org %zu key %zu", i, k + 1);
            derive(g->seed, label, o->seed[k]);
            tr_ed25519_public(o->seed[k], o->pub[k]);
            tr_key_did(o->pub[k], did[k]);
            snprintf(label, sizeof label, k == 0 ? "%s" : "%s-2", o->uscc);
            write_key(g, o->seed[k], label);
        }
        const char *city_zh = cities[i % (sizeof cities / sizeof cities[0])].zh;
        const char *city_en = cities[i % (sizeof cities / sizeof cities[0])].en;
        char name[256], alt[256];
        if (o->type == UNIVERSITY) {
            snprintf(name, sizeof name, "%s理工大学第%zu分校", city_zh, i);
            snprintf(alt, sizeof alt, "%s University of Technology, campus %zu", city_en, i);
        } else if (o->type == INSTITUTE) {
            size_t ind = below(&g->rng, sizeof industries / sizeof industries[0]);
            snprintf(name, sizeof name, "%s%s研究院 %zu", city_zh, industries[ind].zh, i);
            snprintf(alt, sizeof alt, "%s Institute of %s %zu", city_en, industries[ind].en, i);
        } else if (o->type == ENTERPRISE) {
            size_t ind = below(&g->rng, sizeof industries / sizeof industries[0]);
            snprintf(name, sizeof name, "%s%s有限公司 %zu", city_zh, industries[ind].zh, i);
            snprintf(alt, sizeof alt, "%s %s Co., Ltd. %zu", city_en, industries[ind].en, i);
        } else {
            snprintf(name, sizeof name, "福建省工程技术职称评审委员会");
            snprintf(alt, sizeof alt, "Fujian Engineering Title Evaluation Board");
        }
        snprintf(yaml, sizeof yaml,
                 "kind: Organization\nissuer: operator\nsubject: \"%s\"\nvalidFrom: 2019-01-01\n"
                 "name: \"%s\"\nalternateName: \"%s\"\norganizationType: %s\nkeys: [%s%s%s]\n"
                 "mayIssue: %s\n",
                 o->uscc, name, alt, type_names[o->type], did[0], o->nkeys > 1 ? ", " : "",
                 o->nkeys > 1 ? did[1] : "", may_issue[o->type]);
        emit(g, credential_of(yaml), 1, g->op_seed, NULL, 0);
        expect_stored(g, TR_KIND_ORGANIZATION);
    }
}

static void add_people(struct gen *g)
{
    static const char *const category_names[] = {"teacher", "student", "enterprise_expert"};
    char yaml[1024];
    for (size_t i = 0; i < g->npeople; i++) {
        struct person *p = &g->people[i];
        size_t r = below(&g->rng, 100);
        p->category = r < 40 ? TEACHER : r < 80 ? STUDENT : EXPERT;
        p->home = p->category == EXPERT ? pick_org(g, ENTERPRISE) : pick_school(g);
        g->by_category[p->category][g->ncategory[p->category]++] = i;
        char name[128], alt[128], slug[40];
        if (chance(&g->rng, 0.1)) {
            const char *given = PICK(&g->rng, western_given);
            const char *family = PICK(&g->rng, western_family);
            snprintf(name, sizeof name, "%s %s", given, family);
            snprintf(alt, sizeof alt, "%s, %s", family, given);
            snprintf(slug, sizeof slug, "%s-%s", given,
                     strcmp(family, "Müller") == 0 ? "mueller" : family);
        } else {
            size_t s = below(&g->rng, sizeof surnames / sizeof surnames[0]);
            size_t n = below(&g->rng, sizeof given_names / sizeof given_names[0]);
            snprintf(name, sizeof name, "%s%s", surnames[s].zh, given_names[n].zh);
            /* The pinyin as people write it: family name first, in capitals, or last. */
            size_t variant = below(&g->rng, 3);
            snprintf(alt, sizeof alt,
                     variant == 0   ? "%s %s"
                     : variant == 1 ? "%s %s"
                                    : "%2$s %1$s",
                     surnames[s].en, given_names[n].en);
            if (variant == 1) {
                for (char *c = alt; *c != ' '; c++) {
                    *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
                }
            }
            snprintf(slug, sizeof slug, "%s-%s", surnames[s].en, given_names[n].en);
        }
        for (char *c = slug; *c != '\0'; c++) {
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
        }
        snprintf(p->id, sizeof p->id, "p-%s-%zu", slug, i + 1);
        snprintf(yaml, sizeof yaml,
                 "kind: Person\nissuer: \"%s\"\nsubject: %s\nname: \"%s\"\nalternateName: \"%s\"\n"
                 "categories: [%s]\nhome: \"%s\"\n",
                 g->orgs[p->home].uscc, p->id, name, alt, category_names[p->category],
                 g->orgs[p->home].uscc);
        emit(g, credential_of(yaml), 1, org_key(g, p->home), NULL, 0);
        expect_stored(g, TR_KIND_PERSON);
    }
}

/* A placement of a teacher or student at an enterprise (YAML); *host, *home (out). */
static void placement_yaml(struct gen *g, char *yaml, size_t size, size_t *host, size_t *home,
                           size_t *who, double fte)
{
    static const double ftes[] = {0.2, 0.25, 0.5, 0.5, 0.8, 1, 1, 1};
    *who = pick_person(g, chance(&g->rng, 0.6) ? TEACHER : STUDENT);
    *home = g->people[*who].home;
    *host = pick_org(g, ENTERPRISE);
    int64_t start = BASE_DAY + (int64_t)below(&g->rng, 6 * 365);
    int64_t days = 7 + (int64_t)below(&g->rng, 300);
    double f = fte > 0 ? fte : PICK(&g->rng, ftes);
    char from[TR_DATE_LEN + 1], until[TR_DATE_LEN + 1];
    date_text(start, from);
    date_text(start + days - 1, until);
    snprintf(yaml, size,
             "kind: EnterprisePlacement\nissuer: \"%s\"\nsubject: %s\nvalidFrom: %s\n"
             "validUntil: %s\nhost: \"%s\"\nhome: \"%s\"\nfte: %g\nform: %s\nhours: %d\n"
             "project: \"%s (P-%06" PRIu64 ")\"\n",
             g->orgs[*host].uscc, g->people[*who].id, from, until, g->orgs[*host].uscc,
             g->orgs[*home].uscc, f, PICK(&g->rng, forms), (int)((double)days * f * 40 / 7),
             PICK(&g->rng, projects), g->seq);
}

static void credit_yaml(struct gen *g, char *yaml, size_t size, size_t issuer, size_t who,
                        double points)
{
    static const char *const grades[] = {"优秀", "良好", "A", "B+", "92", "pass", "1.7"};
    int64_t day = BASE_DAY + (int64_t)below(&g->rng, 6 * 365);
    char earned[TR_DATE_LEN + 1];
    date_text(day, earned);
    int ects = g->orgs[issuer].type == INSTITUTE;
    snprintf(yaml, size,
             "kind: Credit\nissuer: \"%s\"\nsubject: %s\ncourse: \"%s\"\ncourseCode: C%06" PRIu64
             "\nframework: %s\npoints: %g\nhours: %d\ngrade: \"%s\"\nterm: %d-%d %s\n"
             "earnedOn: %s\n",
             g->orgs[issuer].uscc, g->people[who].id, PICK(&g->rng, courses), g->seq,
             ects ? "ects" : "cn-credit", points, (int)(points * (ects ? 25 : 16)),
             PICK(&g->rng, grades), 2019 + (int)((day - BASE_DAY) / 365),
             2020 + (int)((day - BASE_DAY) / 365), chance(&g->rng, 0.5) ? "autumn" : "spring",
             earned);
}

static void add_placement(struct gen *g)
{
    char yaml[2048];
    size_t host, home, who;
    placement_yaml(g, yaml, sizeof yaml, &host, &home, &who, 0);
    struct tr_json *cred = credential_of(yaml);
    struct recent r = {.kind = TR_KIND_ENTERPRISE_PLACEMENT, .issuer = host, .subject = who};
    record_id(cred, r.id);
    if (chance(&g->rng, 0.3)) {
        emit(g, cred, 2, org_key(g, host), org_key(g, home), 0);
    } else {
        snprintf(r.yaml, sizeof r.yaml, "%s", yaml);
        r.line = g->seq;
        r.keys[0] = org_key(g, host);
        emit(g, cred, 1, r.keys[0], NULL, 0);
        remember(g->replays, &g->nreplays, &r);
    }
    remember(g->revocable, &g->nrevocable, &r);
    expect_stored(g, TR_KIND_ENTERPRISE_PLACEMENT);
}

/* A placement signed by its host now, co-signed by the home institution in a later line. */
static void add_placement_to_cosign(struct gen *g)
{
    char yaml[2048];
    size_t host, home, who;
    placement_yaml(g, yaml, sizeof yaml, &host, &home, &who, 0);
    struct recent r = {.kind = TR_KIND_ENTERPRISE_PLACEMENT, .issuer = host, .subject = who};
    snprintf(r.yaml, sizeof r.yaml, "%s", yaml);
    /* The host's proof must be the same in both lines: its key, and its time. */
    r.line = g->seq;
    r.keys[0] = g->orgs[host].seed[0];
    r.keys[1] = g->orgs[home].seed[0];
    emit(g, credential_of(yaml), 1, r.keys[0], NULL, 0);
    expect_stored(g, TR_KIND_ENTERPRISE_PLACEMENT);
    if (g->npending < RING) {
        g->pending[g->npending++] = r;
    }
}

static void add_cosignature(struct gen *g)
{
    struct recent r = g->pending[--g->npending];
    struct tr_json *cred = credential_of(r.yaml);
    uint64_t now = g->seq;
    /* Sign as the first line did (same key, same created), then add the home's proof. */
    g->seq = r.line;
    emit(g, cred, 2, r.keys[0], r.keys[1], 0);
    g->seq = now + 1;
    expect_other(g, TR_KIND_ENTERPRISE_PLACEMENT, 1);
}

static void add_credit(struct gen *g)
{
    char yaml[2048];
    size_t who = pick_person(g, STUDENT);
    /* Half the credits are earned elsewhere than at home, for recognition. */
    size_t issuer = chance(&g->rng, 0.5) ? pick_school(g) : g->people[who].home;
    if (g->orgs[issuer].type == ENTERPRISE) {
        issuer = pick_school(g);
    }
    credit_yaml(g, yaml, sizeof yaml, issuer, who, (double)(1 + below(&g->rng, 8)));
    struct tr_json *cred = credential_of(yaml);
    struct recent r = {.kind = TR_KIND_CREDIT, .issuer = issuer, .subject = who};
    record_id(cred, r.id);
    snprintf(r.yaml, sizeof r.yaml, "%s", yaml);
    r.line = g->seq;
    r.keys[0] = org_key(g, issuer);
    emit(g, cred, 1, r.keys[0], NULL, 0);
    expect_stored(g, TR_KIND_CREDIT);
    remember(g->revocable, &g->nrevocable, &r);
    remember(g->replays, &g->nreplays, &r);
    if (issuer != g->people[who].home && g->orgs[g->people[who].home].type != ENTERPRISE) {
        remember(g->credits, &g->ncredits, &r);
    }
}

/* The agreement between home and other, emitted first when there is none. */
static const char *agreement(struct gen *g, size_t home, size_t other)
{
    for (size_t i = 0; i < g->nagreements; i++) {
        if ((g->agreements[i][0] == home && g->agreements[i][1] == other) ||
            (g->agreements[i][0] == other && g->agreements[i][1] == home)) {
            return g->agreement_ids[i];
        }
    }
    if (g->nagreements == g->cap_agreements) {
        size_t more = g->cap_agreements == 0 ? 64 : 2 * g->cap_agreements;
        g->agreements = realloc(g->agreements, more * sizeof *g->agreements);
        g->agreement_ids = realloc(g->agreement_ids, more * sizeof *g->agreement_ids);
        if (g->agreements == NULL || g->agreement_ids == NULL) {
            die("out of memory");
        }
        g->cap_agreements = more;
    }
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "kind: RecognitionAgreement\nissuer: \"%s\"\nvalidFrom: 2019-09-01\n"
             "validUntil: 2029-08-31\nparties: [\"%s\", \"%s\"]\n"
             "title: \"学分互认协议 No. %" PRIu64 " (credit recognition agreement)\"\n"
             "hoursPerCredit: 16\nframeworkRatios:\n  - {from: ects, to: cn-credit, ratio: 0.5}\n"
             "  - {from: cn-credit, to: ects, ratio: 2}\ngradeMapping:\n"
             "  - {from: \"1.7\", to: 良好}\n  - {from: A, to: 优秀}\n",
             g->orgs[home].uscc, g->orgs[home].uscc, g->orgs[other].uscc, g->seq);
    struct tr_json *cred = credential_of(yaml);
    size_t i = g->nagreements++;
    g->agreements[i][0] = home;
    g->agreements[i][1] = other;
    record_id(cred, g->agreement_ids[i]);
    emit(g, cred, 2, org_key(g, home), org_key(g, other), 0);
    expect_stored(g, TR_KIND_RECOGNITION_AGREEMENT);
    return g->agreement_ids[i];
}

static void add_recognition(struct gen *g)
{
    struct recent *c = ring_pick(g, g->credits, g->ncredits);
    if (c == NULL) {
        add_credit(g);
        return;
    }
    c->used = 1;
    size_t home = g->people[c->subject].home;
    const char *agr = agreement(g, home, c->issuer);
    char yaml[2048], day[TR_DATE_LEN + 1];
    date_text(BASE_DAY + 6 * 365 + (int64_t)below(&g->rng, 300), day);
    snprintf(yaml, sizeof yaml,
             "kind: CreditRecognition\nissuer: \"%s\"\nsubject: %s\ncredit: %s\nagreement: %s\n"
             "decision: %s\npoints: 2\nframework: cn-credit\ncourse: \"%s\"\n"
             "courseCode: R%06" PRIu64 "\ndecidedOn: %s\n",
             g->orgs[home].uscc, g->people[c->subject].id, c->id, agr,
             chance(&g->rng, 0.85) ? "recognised" : "partially_recognised", PICK(&g->rng, courses),
             g->seq, day);
    emit(g, credential_of(yaml), 1, org_key(g, home), NULL, 0);
    expect_stored(g, TR_KIND_CREDIT_RECOGNITION);
}

static void dual_appointment_yaml(struct gen *g, char *yaml, size_t size, size_t *uni, size_t *ent)
{
    size_t who = pick_person(g, chance(&g->rng, 0.7) ? EXPERT : TEACHER);
    const char *role = chance(&g->rng, 0.6) ? "industrial_professor" : PICK(&g->rng, roles);
    *uni = pick_org(g, UNIVERSITY);
    *ent = g->orgs[g->people[who].home].type == ENTERPRISE ? g->people[who].home
                                                           : pick_org(g, ENTERPRISE);
    int year = 2019 + (int)below(&g->rng, 6);
    snprintf(yaml, size,
             "kind: DualAppointment\nissuer: \"%s\"\nsubject: %s\nvalidFrom: %d-09-01\n"
             "validUntil: %d-08-31\nuniversity: \"%s\"\nenterprise: \"%s\"\nrole: %s\n"
             "title: \"%s\"\nduties:\n  teachingHoursPerYear: %d\n  supervisionRights: %s\n"
             "  courses: [\"%s\"]\n  description: \"appointment letter %" PRIu64 "\"\n"
             "workloadShare: %.2f\n",
             g->orgs[*uni].uscc, g->people[who].id, year, year + 4, g->orgs[*uni].uscc,
             g->orgs[*ent].uscc, role,
             strcmp(role, "industrial_professor") == 0 ? "产业教授" : "企业导师",
             36 + (int)below(&g->rng, 60), chance(&g->rng, 0.7) ? "true" : "false",
             PICK(&g->rng, courses), g->seq, 0.1 + 0.1 * (double)below(&g->rng, 4));
}

static void add_dual_appointment(struct gen *g)
{
    char yaml[2048];
    size_t uni, ent;
    dual_appointment_yaml(g, yaml, sizeof yaml, &uni, &ent);
    emit(g, credential_of(yaml), 2, org_key(g, uni), org_key(g, ent), 0);
    expect_stored(g, TR_KIND_DUAL_APPOINTMENT);
}

static void add_contribution(struct gen *g)
{
    char yaml[2048], day[TR_DATE_LEN + 1];
    size_t who = pick_person(g, chance(&g->rng, 0.5) ? TEACHER : EXPERT);
    size_t issuer = g->people[who].home;
    size_t beneficiary = pick_org(g, ENTERPRISE);
    int cosign = issuer != beneficiary && chance(&g->rng, 0.3);
    date_text(BASE_DAY + (int64_t)below(&g->rng, 6 * 365), day);
    snprintf(yaml, sizeof yaml,
             "kind: Contribution\nissuer: \"%s\"\nsubject: %s\ncontributionType: %s\n"
             "title: \"%s\"\nreference: \"CN%09" PRIu64 "\"\nvalue: %d\ncurrency: CNY\n"
             "share: %.2f\nachievedOn: %s\n%s%s%s",
             g->orgs[issuer].uscc, g->people[who].id, PICK(&g->rng, contribution_types),
             PICK(&g->rng, projects), g->seq, 10000 * (1 + (int)below(&g->rng, 500)),
             0.1 * (double)(1 + below(&g->rng, 10)), day,
             issuer != beneficiary ? "beneficiary: \"" : "",
             issuer != beneficiary ? g->orgs[beneficiary].uscc : "",
             issuer != beneficiary ? "\"\n" : "");
    struct tr_json *cred = credential_of(yaml);
    struct recent r = {.kind = TR_KIND_CONTRIBUTION, .issuer = issuer, .subject = who};
    record_id(cred, r.id);
    emit(g, cred, cosign ? 2 : 1, org_key(g, issuer), cosign ? org_key(g, beneficiary) : NULL, 0);
    expect_stored(g, TR_KIND_CONTRIBUTION);
    remember(g->revocable, &g->nrevocable, &r);
}

static void add_evaluation(struct gen *g)
{
    static const char *const dimensions[] = {"技术创新 (innovation)",
                                             "解决现场问题 (problem solving)",
                                             "教学能力 (teaching)", "成果转化 (transfer)"};
    char yaml[2048], from[TR_DATE_LEN + 1], until[TR_DATE_LEN + 1];
    size_t board = pick_org(g, BOARD);
    size_t who = pick_person(g, chance(&g->rng, 0.5) ? TEACHER : EXPERT);
    size_t evaluator = pick_person(g, chance(&g->rng, 0.5) ? EXPERT : TEACHER);
    int64_t day = BASE_DAY + (int64_t)below(&g->rng, 6 * 365);
    date_text(day - 365, from);
    date_text(day, until);
    int s1 = 60 + (int)below(&g->rng, 40), s2 = 60 + (int)below(&g->rng, 40);
    snprintf(yaml, sizeof yaml,
             "kind: Evaluation\nissuer: \"%s\"\nsubject: %s\nvalidFrom: %s\nvalidUntil: %s\n"
             "evaluatorRole: %s\nevaluator: %s\npurpose: \"高级工程师职称评审 #%" PRIu64 "\"\n"
             "dimensions:\n  - {name: \"%s\", score: %d, weight: 0.6}\n"
             "  - {name: \"%s\", score: %d, weight: 0.4}\noverallScore: %.1f\nevaluatedOn: %s\n",
             g->orgs[board].uscc, g->people[who].id, from, until,
             chance(&g->rng, 0.5) ? "skill_master" : "academic_leader", g->people[evaluator].id,
             g->seq, dimensions[0], s1, PICK(&g->rng, dimensions), s2, 0.6 * s1 + 0.4 * s2, until);
    struct tr_json *cred = credential_of(yaml);
    struct recent r = {.kind = TR_KIND_EVALUATION, .issuer = board, .subject = who};
    record_id(cred, r.id);
    emit(g, cred, 1, org_key(g, board), NULL, 0);
    expect_stored(g, TR_KIND_EVALUATION);
    remember(g->revocable, &g->nrevocable, &r);
}

static void add_key_revocation(struct gen *g)
{
    size_t o = g->norgs;
    for (int tries = 0; tries < 16 && o == g->norgs; tries++) {
        size_t c = below(&g->rng, g->norgs);
        if (g->orgs[c].nkeys == 2 && !g->orgs[c].key2_revoked) {
            o = c;
        }
    }
    if (o == g->norgs) {
        add_placement(g);
        return;
    }
    struct org *org = &g->orgs[o];
    char yaml[1024], did[TR_KEY_DID_SIZE];
    tr_key_did(org->pub[1], did);
    snprintf(yaml, sizeof yaml,
             "kind: KeyRevocation\nissuer: \"%s\"\nsubject: \"%s\"\nkey: %s\n"
             "reason: \"key rotation, line %" PRIu64 "\"\n",
             org->uscc, org->uscc, did, g->seq);
    /* Revoked by the organisation itself, with its other key. */
    emit(g, credential_of(yaml), 1, org->seed[0], NULL, 0);
    org->key2_revoked = 1;
    expect_stored(g, TR_KIND_KEY_REVOCATION);
}

static void add_revocation(struct gen *g)
{
    struct recent *t = ring_pick(g, g->revocable, g->nrevocable);
    char yaml[2048], replacement[TR_RECORD_ID_LEN + 1] = "";
    if (t == NULL) {
        add_credit(g);
        return;
    }
    t->used = 1;
    int supersede = t->kind == TR_KIND_CREDIT && chance(&g->rng, 0.4);
    if (supersede) {
        /* The corrected record first, then the supersession that points at it. */
        char fixed[2048];
        credit_yaml(g, fixed, sizeof fixed, t->issuer, t->subject, 1 + (double)below(&g->rng, 8));
        struct tr_json *cred = credential_of(fixed);
        record_id(cred, replacement);
        emit(g, cred, 1, org_key(g, t->issuer), NULL, 0);
        expect_stored(g, TR_KIND_CREDIT);
    }
    snprintf(
        yaml, sizeof yaml,
        "kind: Revocation\nissuer: \"%s\"\nsubject: %s\naction: %s\nreason: \"%s, line %" PRIu64
        "\"\n%s%s%s",
        g->orgs[t->issuer].uscc, t->id, supersede ? "supersede" : "withdraw",
        supersede ? "entered with the wrong points" : "issued in error", g->seq,
        supersede ? "supersededBy: " : "", replacement, supersede ? "\n" : "");
    emit(g, credential_of(yaml), 1, org_key(g, t->issuer), NULL, 0);
    expect_stored(g, TR_KIND_REVOCATION);
}

/* The same line again: an import finds it stored and changes nothing. */
static void add_replay(struct gen *g)
{
    struct recent *r = ring_pick(g, g->replays, g->nreplays);
    if (r == NULL) {
        add_placement(g);
        return;
    }
    r->used = 1;
    /* Signed again as the first time: the same key, the same created time. */
    uint64_t now = g->seq;
    g->seq = r->line;
    emit(g, credential_of(r->yaml), 1, r->keys[0], NULL, 0);
    g->seq = now + 1;
    expect_other(g, r->kind, 0);
}

static void add_failure(struct gen *g)
{
    enum fail_case c = (enum fail_case)below(&g->rng, FAIL_CASES);
    char yaml[2048];
    size_t host, home, who, uni, ent;
    struct tr_json *cred = NULL;
    if (c == KEY_REVOKED) {
        size_t o = g->norgs;
        for (size_t i = 0; i < g->norgs && o == g->norgs; i++) {
            if (g->orgs[i].key2_revoked && g->orgs[i].type == ENTERPRISE) {
                o = i;
            }
        }
        if (o == g->norgs) {
            c = BAD_SIGNATURE;
        } else {
            placement_yaml(g, yaml, sizeof yaml, &host, &home, &who, 0);
            /* The host is the organisation whose second key was revoked. */
            char *at = strstr(yaml, g->orgs[host].uscc);
            while (at != NULL) {
                memcpy(at, g->orgs[o].uscc, TR_USCC_LEN);
                at = strstr(at + TR_USCC_LEN, g->orgs[host].uscc);
            }
            emit(g, credential_of(yaml), 1, g->orgs[o].seed[1], NULL, 0);
            expect_failure(g, TR_KIND_ENTERPRISE_PLACEMENT, c);
            return;
        }
    }
    switch (c) {
    case BAD_SIGNATURE:
        placement_yaml(g, yaml, sizeof yaml, &host, &home, &who, 0);
        emit(g, credential_of(yaml), 1, org_key(g, host), NULL, 1);
        expect_failure(g, TR_KIND_ENTERPRISE_PLACEMENT, c);
        return;
    case WRONG_SIGNER: {
        size_t a = pick_school(g), b = pick_school(g);
        for (int tries = 0; a == b && tries < 16; tries++) {
            b = pick_school(g);
        }
        if (a == b) {
            c = UNKNOWN_KEY;
            break;
        }
        credit_yaml(g, yaml, sizeof yaml, a, pick_person(g, STUDENT), 2);
        emit(g, credential_of(yaml), 1, org_key(g, b), NULL, 0);
        expect_failure(g, TR_KIND_CREDIT, c);
        return;
    }
    case MISSING_COSIGNER:
        dual_appointment_yaml(g, yaml, sizeof yaml, &uni, &ent);
        emit(g, credential_of(yaml), 1, org_key(g, uni), NULL, 0);
        expect_failure(g, TR_KIND_DUAL_APPOINTMENT, c);
        return;
    case SCHEMA_INVALID: {
        placement_yaml(g, yaml, sizeof yaml, &host, &home, &who, 0);
        cred = credential_of(yaml);
        struct tr_json *cs = tr_json_object_get(cred, "credentialSubject");
        tr_json_object_set(cs, "fte", tr_json_new_number(1.5));
        emit(g, cred, 1, org_key(g, host), NULL, 0);
        expect_failure(g, TR_KIND_ENTERPRISE_PLACEMENT, c);
        return;
    }
    case NOT_PERMITTED: {
        size_t e = pick_org(g, ENTERPRISE);
        credit_yaml(g, yaml, sizeof yaml, e, pick_person(g, EXPERT), 3);
        emit(g, credential_of(yaml), 1, org_key(g, e), NULL, 0);
        expect_failure(g, TR_KIND_CREDIT, c);
        return;
    }
    case REVOCATION_NOT_PERMITTED: {
        struct recent *t = ring_pick(g, g->revocable, g->nrevocable);
        size_t other = pick_org(g, ENTERPRISE);
        if (t == NULL || other == t->issuer) {
            c = UNKNOWN_KEY;
            break;
        }
        snprintf(yaml, sizeof yaml,
                 "kind: Revocation\nissuer: \"%s\"\nsubject: %s\naction: withdraw\n"
                 "reason: \"not ours to withdraw, line %" PRIu64 "\"\n",
                 g->orgs[other].uscc, t->id, g->seq);
        emit(g, credential_of(yaml), 1, org_key(g, other), NULL, 0);
        expect_failure(g, TR_KIND_REVOCATION, c);
        return;
    }
    default:
        break;
    }
    /* UNKNOWN_KEY, and the cases that found nothing to work on. */
    credit_yaml(g, yaml, sizeof yaml, pick_school(g), pick_person(g, STUDENT), 2);
    emit(g, credential_of(yaml), 1, g->stranger, NULL, 0);
    expect_failure(g, TR_KIND_CREDIT, UNKNOWN_KEY);
}

/* Every line after the organisations and the people, by weight. */
static void add_records(struct gen *g, uint64_t total, double fail_share)
{
    static const struct {
        void (*add)(struct gen *);
        unsigned weight; /* per 1000 */
    } mix[] = {
        {add_placement, 300},    {add_placement_to_cosign, 20},
        {add_cosignature, 20},   {add_credit, 230},
        {add_recognition, 80},   {add_dual_appointment, 80},
        {add_contribution, 100}, {add_evaluation, 80},
        {add_key_revocation, 2}, {add_revocation, 18},
        {add_replay, 10},
    };
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++) {
        sum += mix[i].weight;
    }
    /* A step may write two lines (an agreement, a replacement): stop one short. */
    while (g->seq + 1 < total) {
        if (chance(&g->rng, fail_share)) {
            add_failure(g);
            continue;
        }
        size_t r = below(&g->rng, sum), i = 0;
        while (r >= mix[i].weight) {
            r -= mix[i].weight;
            i++;
        }
        if (mix[i].add == add_cosignature && g->npending == 0) {
            i = 0;
        }
        mix[i].add(g);
    }
    if (g->seq < total) {
        add_placement(g);
    }
}

/* ---- The manifest ---- */

static void set(struct tr_json *o, const char *key, struct tr_json *v)
{
    if (v == NULL || tr_json_object_set(o, key, v) != TR_OK) {
        die("out of memory");
    }
}

static struct tr_json *counts(const uint64_t *by, size_t n, const char *(*name)(size_t))
{
    struct tr_json *o = tr_json_new_object();
    if (o == NULL) {
        die("out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        if (by[i] > 0) {
            set(o, name(i), tr_json_new_number((double)by[i]));
        }
    }
    return o;
}

static const char *kind_name(size_t i)
{
    return tr_schema_kind_name((enum tr_kind)i);
}

static const char *reason_name(size_t i)
{
    return tr_verify_reason_code((enum tr_verify_reason)i);
}

static const char *case_name(size_t i)
{
    return fail_cases[i].name;
}

static void write_manifest(struct gen *g, const char *operator_key)
{
    static const char *const type_names[ORG_TYPES] = {"university", "research_institute",
                                                      "enterprise", "evaluation_board"};
    struct tr_note_verifier v;
    struct tr_error err = {0};
    struct tr_buf vkey, text;
    char did[TR_KEY_DID_SIZE], path[4096];
    tr_buf_init(&vkey);
    tr_buf_init(&text);
    if (tr_note_verifier_from_public(g->origin, g->op_pub, &v, &err) != TR_OK ||
        tr_note_verifier_format(&v, &vkey) != TR_OK) {
        die("origin '%s': %s", g->origin, err.msg);
    }
    tr_key_did(g->op_pub, did);
    struct tr_json *m = tr_json_new_object(), *orgs = tr_json_new_object();
    struct tr_json *ex = tr_json_new_object(), *files = tr_json_new_object();
    if (m == NULL || orgs == NULL || ex == NULL || files == NULL) {
        die("out of memory");
    }
    set(m, "generator", tr_json_new_cstr("talentreg gen-region 1"));
    set(m, "seed", tr_json_new_number((double)g->seed));
    set(m, "origin", tr_json_new_cstr(g->origin));
    set(m, "operatorVerifierKey", tr_json_new_cstr(vkey.data));
    set(m, "operatorDid", tr_json_new_cstr(did));
    set(orgs, "total", tr_json_new_number((double)g->norgs));
    for (int t = 0; t < ORG_TYPES; t++) {
        set(orgs, type_names[t], tr_json_new_number((double)g->count[t]));
    }
    set(m, "organizations", orgs);
    set(m, "people", tr_json_new_number((double)g->npeople));
    set(m, "lines", tr_json_new_number((double)g->ex.lines));
    set(m, "linesByKind", counts(g->ex.lines_by_kind, TR_KIND_COUNT, kind_name));
    set(ex, "stored", tr_json_new_number((double)g->ex.stored));
    set(ex, "duplicates", tr_json_new_number((double)g->ex.duplicates));
    set(ex, "merged", tr_json_new_number((double)g->ex.merged));
    set(ex, "rejected", tr_json_new_number((double)g->ex.rejected));
    set(ex, "logSize", tr_json_new_number((double)(g->ex.stored + g->ex.merged)));
    set(ex, "storedByKind", counts(g->ex.stored_by_kind, TR_KIND_COUNT, kind_name));
    set(ex, "rejectedByReason", counts(g->ex.by_reason, TR_VERIFY_REASON_COUNT, reason_name));
    set(ex, "rejectedByCase", counts(g->ex.by_case, FAIL_CASES, case_name));
    set(m, "expect", ex);
    set(files, "records", tr_json_new_cstr("records.jsonl"));
    set(files, "operatorKey", tr_json_new_cstr(operator_key));
    set(files, "organizationKeys", tr_json_new_cstr("keys/USCC.pem, keys/USCC-2.pem"));
    set(m, "files", files);
    snprintf(path, sizeof path, "%s/manifest.json", g->out);
    FILE *f = fopen(path, "wx");
    if (f == NULL || tr_json_write(m, TR_JSON_PRETTY, &text, &err) != TR_OK ||
        fwrite(text.data, 1, text.len, f) != text.len || fclose(f) != 0) {
        die("cannot write '%s': %s", path, err.msg[0] != '\0' ? err.msg : strerror(errno));
    }
    tr_json_free(m);
    tr_buf_release(&vkey);
    tr_buf_release(&text);
}

/* ---- Options and the run ---- */

static uint64_t number_option(const char *name, const char *text, uint64_t min)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || v < min) {
        die("option '%s' needs a number of at least %" PRIu64 ", not '%s'", name, min, text);
    }
    return v;
}

static const char usage[] =
    "usage: gen-region --out DIR [--seed N] [--orgs N] [--people N] [--records N]\n"
    "                  [--fail-share F] [--operator-key FILE] [--origin NAME] [--threads N]\n";

int main(int argc, char **argv)
{
    struct gen g;
    struct tr_error err = {0};
    const char *operator_key = NULL;
    uint64_t records = 10000;
    double fail_share = 0.03;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t threads = cpus > 0 ? (size_t)cpus : 1;
    char path[4096];
    memset(&g, 0, sizeof g);
    g.seed = 1;
    g.norgs = 40;
    g.npeople = 1000;
    g.origin = "talentreg.example/region";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (v == NULL) {
            die("%s", strncmp(a, "--", 2) == 0 ? "an option needs a value" : usage);
        }
        i++;
        if (strcmp(a, "--out") == 0) {
            g.out = v;
        } else if (strcmp(a, "--seed") == 0) {
            g.seed = number_option(a, v, 0);
        } else if (strcmp(a, "--orgs") == 0) {
            g.norgs = (size_t)number_option(a, v, 4);
        } else if (strcmp(a, "--people") == 0) {
            g.npeople = (size_t)number_option(a, v, 1);
        } else if (strcmp(a, "--records") == 0) {
            records = number_option(a, v, 1);
        } else if (strcmp(a, "--threads") == 0) {
            threads = (size_t)number_option(a, v, 1);
        } else if (strcmp(a, "--operator-key") == 0) {
            operator_key = v;
        } else if (strcmp(a, "--origin") == 0) {
            g.origin = v;
        } else if (strcmp(a, "--fail-share") == 0) {
            char *end = NULL;
            fail_share = strtod(v, &end);
            if (*end != '\0' || !(fail_share >= 0 && fail_share < 1)) {
                die("option '--fail-share' needs a share from 0 to below 1, not '%s'", v);
            }
        } else {
            die("unknown option '%s'\n%s", a, usage);
        }
    }
    if (g.out == NULL) {
        die("option '--out DIR' is required\n%s", usage);
    }
    if (records < g.norgs + g.npeople) {
        die("--records %" PRIu64 " cannot hold the %zu organisations and %zu people", records,
            g.norgs, g.npeople);
    }
    threads = threads > MAX_THREADS ? MAX_THREADS : threads;
    rng_seed(&g.rng, g.seed);
    snprintf(path, sizeof path, "%s/keys", g.out);
    if ((mkdir(g.out, 0755) != 0 && errno != EEXIST) || mkdir(path, 0700) != 0) {
        die("cannot create '%s': %s", path, strerror(errno));
    }
    if (operator_key != NULL) {
        struct tr_key *k = NULL;
        if (tr_key_load(operator_key, NULL, &k, &err) != TR_OK) {
            die("%s", err.msg);
        }
        memcpy(g.op_seed, k->seed, sizeof g.op_seed);
        tr_key_free(k);
    } else {
        derive(g.seed, "operator", g.op_seed);
        write_key(&g, g.op_seed, "operator");
    }
    tr_ed25519_public(g.op_seed, g.op_pub);
    derive(g.seed, "stranger", g.stranger);
    g.orgs = calloc(g.norgs, sizeof *g.orgs);
    g.people = calloc(g.npeople, sizeof *g.people);
    g.jobs = calloc(WINDOW, sizeof *g.jobs);
    for (int t = 0; t < ORG_TYPES; t++) {
        g.of_type[t] = calloc(g.norgs, sizeof *g.of_type[t]);
    }
    for (int c = 0; c < 3; c++) {
        g.by_category[c] = calloc(g.npeople, sizeof *g.by_category[c]);
    }
    if (g.orgs == NULL || g.people == NULL || g.jobs == NULL || g.of_type[ORG_TYPES - 1] == NULL ||
        g.by_category[2] == NULL) {
        die("out of memory");
    }
    snprintf(path, sizeof path, "%s/records.jsonl", g.out);
    g.file = fopen(path, "wx");
    if (g.file == NULL) {
        die("cannot create '%s': %s", path, strerror(errno));
    }
    setvbuf(g.file, NULL, _IOFBF, 1u << 20);
    pthread_mutex_init(&g.lock, NULL);
    pthread_cond_init(&g.can_fill, NULL);
    pthread_cond_init(&g.can_sign, NULL);
    pthread_cond_init(&g.can_write, NULL);
    pthread_t signers[MAX_THREADS], writer;
    for (size_t i = 0; i < threads; i++) {
        if (pthread_create(&signers[i], NULL, signer_main, &g) != 0) {
            die("cannot start a thread");
        }
    }
    if (pthread_create(&writer, NULL, writer_main, &g) != 0) {
        die("cannot start a thread");
    }

    add_organizations(&g);
    add_people(&g);
    add_records(&g, records, fail_share);

    pthread_mutex_lock(&g.lock);
    g.done = 1;
    pthread_cond_broadcast(&g.can_sign);
    pthread_cond_broadcast(&g.can_write);
    pthread_mutex_unlock(&g.lock);
    for (size_t i = 0; i < threads; i++) {
        pthread_join(signers[i], NULL);
    }
    pthread_join(writer, NULL);
    if (g.failed) {
        die("%s", g.failure);
    }
    if (fflush(g.file) != 0 || fsync(fileno(g.file)) != 0 || fclose(g.file) != 0) {
        die("cannot write '%s': %s", path, strerror(errno));
    }
    write_manifest(&g, operator_key != NULL ? operator_key : "keys/operator.pem");
    for (size_t i = 0; i < WINDOW; i++) {
        tr_buf_release(&g.jobs[i].line);
    }
    for (int t = 0; t < ORG_TYPES; t++) {
        free(g.of_type[t]);
    }
    for (int c = 0; c < 3; c++) {
        free(g.by_category[c]);
    }
    free(g.agreements);
    free(g.agreement_ids);
    free(g.jobs);
    free(g.people);
    tr_wipe(g.orgs, g.norgs * sizeof *g.orgs);
    tr_wipe(g.op_seed, sizeof g.op_seed);
    free(g.orgs);
    printf("gen-region: %" PRIu64 " lines in %s/records.jsonl: %" PRIu64 " to store, %" PRIu64
           " duplicates, %" PRIu64 " merges, %" PRIu64 " to reject\n",
           g.ex.lines, g.out, g.ex.stored, g.ex.duplicates, g.ex.merged, g.ex.rejected);
    return 0;
}
