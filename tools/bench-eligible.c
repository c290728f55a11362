/*
 * bench-eligible.c — how long `talentreg eligible` takes over a large region: a store is
 * built through the library (organisation keys generated, the organisations registered by
 * the operator, every record signed by its issuer — dual appointments and agreements by both
 * parties — and submitted with tr_submit_credential, in large transactions), then the
 * command is run against it for every policy preset, several times, and the median
 * wall-clock and CPU times (user and system, of the command and its threads) printed, with
 * the load average: on a shared machine the wall time depends on what else runs.
 *
 * Each person has 20 records: a Person, 6 EnterprisePlacements, 2 DualAppointments, 4
 * Credits (2 in cn-credit at the home university, 2 in ECTS at a partner institute), 3
 * CreditRecognitions (the two ECTS credits recognised, one home credit rejected), 2
 * Contributions and 2 Evaluations. There are 19 universities, 20 enterprises, the partner
 * institute and an evaluation board, and one RecognitionAgreement per university.
 *
 * usage: bench-eligible [--people N] [--store PATH] [--talentreg BIN] [--runs R] [--batch B]
 *   --people N     people in the region (default 10000)
 *   --store PATH   keep the store at PATH; when PATH exists it is timed as it is, not built
 *                  (default: a temporary store, removed at the end)
 *   --talentreg B  the command to time (default build/talentreg)
 *   --runs R       runs per policy (default 5)
 *   --batch B      records per transaction while building (default 5000)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "talentreg.h"

#define UNIVERSITIES 19
#define ENTERPRISES 20
#define NORG (UNIVERSITIES + ENTERPRISES + 2)
#define PARTNER (UNIVERSITIES + ENTERPRISES) /* the institute that awards ECTS */
#define BOARD (PARTNER + 1)
#define CREATED "2025-12-01T08:00:00Z"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench-eligible: %s: %s\n", what, msg);
    exit(2);
}

/* A deterministic generator (xorshift64*), so every build is the same region. */
static uint64_t state = 0x9E3779B97F4A7C15u;

static unsigned next(unsigned n)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (unsigned)((state * 0x2545F4914F6CDD1Du) >> 33) % n;
}

struct org {
    char uscc[TR_USCC_LEN + 1];
    unsigned char seed[TR_ED25519_SEED_LEN];
    char agreement[TR_RECORD_ID_LEN + 1]; /* universities: their agreement with the partner */
};

static struct org orgs[NORG];

/* A valid USCC for organisation i: an enterprise ("91"), an institution ("12") or a board. */
static void make_uscc(size_t i, char out[TR_USCC_LEN + 1])
{
    const char *prefix = i < UNIVERSITIES || i == PARTNER ? "12" : i == BOARD ? "11" : "91";
    snprintf(out, TR_USCC_LEN, "%s350100MA%07zu", prefix, 1000 + i);
    out[TR_USCC_LEN - 1] = tr_ident_uscc_check_char(out);
    out[TR_USCC_LEN] = '\0';
}

/* The unsigned credential of a YAML record. */
static struct tr_json *credential(const char *yaml)
{
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_error err = {0};
    struct tr_diag diag;
    tr_diag_init(&diag, "bench");
    if (tr_yaml_load(yaml, strlen(yaml), "bench", NULL, &doc, &err) != TR_OK) {
        die("a record is not YAML", err.msg);
    }
    if (tr_schema_from_record(doc, NULL, &cred, &diag) != TR_OK) {
        tr_diag_to_error(&diag, TR_ESCHEMA, &err);
        die("a record does not validate", err.msg);
    }
    tr_diag_release(&diag);
    tr_json_free(doc);
    return cred;
}

/* Sign the record by the organisations a and b (b < 0: a alone) and store it. */
static void store(struct tr_db *db, const unsigned char *seed_a, const unsigned char *seed_b,
                  const char *yaml, char id[TR_RECORD_ID_LEN + 1])
{
    struct tr_proof_sign_options opts = {CREATED, NULL, NULL};
    struct tr_submit_result r;
    struct tr_error err = {0};
    struct tr_json *cred = credential(yaml);
    if (tr_proof_sign(cred, seed_a, &opts, &err) != TR_OK ||
        (seed_b != NULL && tr_proof_sign(cred, seed_b, &opts, &err) != TR_OK) ||
        tr_submit_credential(db, cred, &r, &err) != TR_OK) {
        die("cannot submit", err.msg);
    }
    if (r.status != TR_SUBMIT_STORED) {
        die("a record was not stored", r.verdict.nreasons > 0 ? r.verdict.reasons[0].detail : "");
    }
    if (id != NULL) {
        memcpy(id, r.record_id, TR_RECORD_ID_LEN + 1);
    }
    tr_submit_result_release(&r);
    tr_json_free(cred);
}

static void begin(struct tr_db *db)
{
    struct tr_error err = {0};
    if (tr_db_begin(db, &err) != TR_OK) {
        die("begin", err.msg);
    }
}

static void commit(struct tr_db *db)
{
    struct tr_error err = {0};
    if (tr_db_commit(db, &err) != TR_OK) {
        die("commit", err.msg);
    }
}

static void register_orgs(struct tr_db *db, const unsigned char op_seed[TR_ED25519_SEED_LEN])
{
    static const char *const may[] = {
        "[Person, DualAppointment, Credit, RecognitionAgreement, CreditRecognition, Contribution]",
        "[Person, DualAppointment, EnterprisePlacement, Contribution]",
        "[Credit, RecognitionAgreement]",
        "[Evaluation]",
    };
    static const char *const type[] = {"university", "enterprise", "university",
                                       "evaluation_board"};
    char yaml[1024], did[TR_KEY_DID_SIZE];
    for (size_t i = 0; i < NORG; i++) {
        unsigned char pub[TR_ED25519_PUBLIC_LEN];
        size_t t = i < UNIVERSITIES ? 0 : i < PARTNER ? 1 : i == PARTNER ? 2 : 3;
        make_uscc(i, orgs[i].uscc);
        if (tr_random(orgs[i].seed, sizeof orgs[i].seed) != TR_OK ||
            tr_ed25519_public(orgs[i].seed, pub) != TR_OK) {
            die("keys", "cannot generate a key");
        }
        tr_key_did(pub, did);
        snprintf(yaml, sizeof yaml,
                 "kind: Organization\nissuer: operator\nsubject: \"%.18s\"\nvalidFrom: 2016-01-01\n"
                 "name: 机构 %zu\norganizationType: %s\nkeys: [%s]\nmayIssue: %s\n",
                 orgs[i].uscc, i, type[t], did, may[t]);
        store(db, op_seed, NULL, yaml, NULL);
    }
    for (size_t u = 0; u < UNIVERSITIES; u++) {
        snprintf(yaml, sizeof yaml,
                 "kind: RecognitionAgreement\nissuer: \"%.18s\"\nvalidFrom: 2020-09-01\n"
                 "validUntil: 2030-08-31\nparties: [\"%.18s\", \"%.18s\"]\n"
                 "title: 学分互认协议 %zu\nhoursPerCredit: 16\n"
                 "frameworkRatios:\n  - {from: ects, to: cn-credit, ratio: 0.5}\n",
                 orgs[u].uscc, orgs[u].uscc, orgs[PARTNER].uscc, u);
        store(db, orgs[u].seed, orgs[PARTNER].seed, yaml, orgs[u].agreement);
    }
}

/* The 20 records of person number p. */
static void add_person(struct tr_db *db, size_t p)
{
    static const char *const forms[] = {"site_visit", "training", "post", "rnd_project"};
    static const char *const ftes[] = {"0.25", "0.5", "1"};
    static const char *const roles[] = {"industrial_professor", "enterprise_mentor"};
    static const char *const contributions[] = {"patent_transfer", "tech_contract"};
    static const char *const evaluators[] = {"skill_master", "academic_leader"};
    const struct org *u = &orgs[p % UNIVERSITIES], *ent = &orgs[UNIVERSITIES + p % ENTERPRISES];
    const struct org *partner = &orgs[PARTNER], *board = &orgs[BOARD];
    char yaml[1024], pid[32], credits[4][TR_RECORD_ID_LEN + 1];
    snprintf(pid, sizeof pid, "p-bench-%06zu", p);
    snprintf(yaml, sizeof yaml,
             "kind: Person\nissuer: \"%s\"\nsubject: %s\nname: 测试 %zu\ncategories: [teacher]\n"
             "home: \"%s\"\n",
             u->uscc, pid, p, u->uscc);
    store(db, u->seed, NULL, yaml, NULL);
    for (int j = 0; j < 6; j++) {
        int year = 2016 + (int)next(10), month = 1 + (int)next(12), months = 1 + (int)next(6);
        int end_year = year + (month + months - 1) / 12, end_month = (month + months - 1) % 12 + 1;
        snprintf(yaml, sizeof yaml,
                 "kind: EnterprisePlacement\nissuer: \"%s\"\nsubject: %s\n"
                 "validFrom: %04d-%02d-01\nvalidUntil: %04d-%02d-%02d\nhost: \"%s\"\n"
                 "home: \"%s\"\nfte: %s\nform: %s\nhours: %d\nproject: 项目 %d\n",
                 ent->uscc, pid, year, month, end_year, end_month,
                 tr_date_days_in_month(end_year, end_month), ent->uscc, u->uscc, ftes[next(3)],
                 forms[next(4)], 100 + (int)next(900), j);
        store(db, ent->seed, NULL, yaml, NULL);
    }
    for (int j = 0; j < 2; j++) {
        int year = 2020 + (int)next(5);
        snprintf(yaml, sizeof yaml,
                 "kind: DualAppointment\nissuer: \"%s\"\nsubject: %s\nvalidFrom: %d-09-01\n"
                 "validUntil: %d-08-31\nuniversity: \"%s\"\nenterprise: \"%s\"\nrole: %s\n"
                 "duties:\n  teachingHoursPerYear: %d\n  supervisionRights: %s\n",
                 u->uscc, pid, year, year + 4, u->uscc, ent->uscc, roles[j], 24 + (int)next(30),
                 j == 0 ? "true" : "false");
        store(db, u->seed, ent->seed, yaml, NULL);
    }
    for (int j = 0; j < 4; j++) {
        const struct org *by = j < 2 ? u : partner;
        snprintf(yaml, sizeof yaml,
                 "kind: Credit\nissuer: \"%s\"\nsubject: %s\ncourse: 课程 %d\nframework: %s\n"
                 "points: %d\nhours: %d\ngrade: \"%s\"\nearnedOn: %d-01-%02d\n",
                 by->uscc, pid, j, j < 2 ? "cn-credit" : "ects", j < 2 ? 2 : 5, j < 2 ? 32 : 150,
                 j < 2 ? "优秀" : "1.7", 2021 + (int)next(5), 10 + j);
        store(db, by->seed, NULL, yaml, credits[j]);
    }
    for (int j = 0; j < 3; j++) {
        const char *credit = credits[j < 2 ? 2 + j : 0];
        snprintf(yaml, sizeof yaml,
                 "kind: CreditRecognition\nissuer: \"%s\"\nsubject: %s\ncredit: %s\n"
                 "agreement: %s\ndecision: %s\n%sdecidedOn: 2025-09-%02d\n",
                 u->uscc, pid, credit, u->agreement, j < 2 ? "recognised" : "rejected",
                 j < 2 ? "points: 2.5\nframework: cn-credit\n" : "", 5 + j);
        store(db, u->seed, NULL, yaml, NULL);
    }
    for (int j = 0; j < 2; j++) {
        snprintf(yaml, sizeof yaml,
                 "kind: Contribution\nissuer: \"%s\"\nsubject: %s\ncontributionType: %s\n"
                 "title: 成果 %d\nvalue: %d\ncurrency: CNY\nshare: 0.5\nachievedOn: %d-05-20\n",
                 u->uscc, pid, contributions[j], j, 100000 + (int)next(400000),
                 2021 + (int)next(5));
        store(db, u->seed, NULL, yaml, NULL);
    }
    for (int j = 0; j < 2; j++) {
        snprintf(yaml, sizeof yaml,
                 "kind: Evaluation\nissuer: \"%s\"\nsubject: %s\nvalidFrom: 2020-01-01\n"
                 "validUntil: 2024-12-31\nevaluatorRole: %s\ndimensions:\n"
                 "  - {name: 工程实践, score: %d, weight: 0.5}\n"
                 "  - {name: 技术攻关, score: %d, weight: 0.5}\nevaluatedOn: 2025-03-%02d\n",
                 board->uscc, pid, evaluators[j], 70 + (int)next(30), 70 + (int)next(30), 18 + j);
        store(db, board->seed, NULL, yaml, NULL);
    }
}

static void build(const char *path, size_t people, size_t batch)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    unsigned char op_seed[TR_ED25519_SEED_LEN], op_pub[TR_ED25519_PUBLIC_LEN];
    uint64_t size = 0;
    double t0 = now_seconds();
    if (tr_db_create(path, "talentreg.example/bench", &db, &err) != TR_OK) {
        die(path, err.msg);
    }
    if (tr_random(op_seed, sizeof op_seed) != TR_OK ||
        tr_ed25519_public(op_seed, op_pub) != TR_OK ||
        tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, op_pub, sizeof op_pub, &err) != TR_OK) {
        die("operator key", err.msg);
    }
    begin(db);
    register_orgs(db, op_seed);
    commit(db);
    size_t per_batch = batch / 20 > 0 ? batch / 20 : 1;
    for (size_t p = 0; p < people; p += per_batch) {
        begin(db);
        for (size_t q = p; q < people && q < p + per_batch; q++) {
            add_person(db, q);
        }
        commit(db);
        if ((p / per_batch) % 10 == 9) {
            fprintf(stderr, "  %zu people, %.0f s\n", p + per_batch, now_seconds() - t0);
        }
    }
    if (tr_log_size(db, &size, &err) != TR_OK || tr_db_close(db, &err) != TR_OK) {
        die(path, err.msg);
    }
    tr_wipe(op_seed, sizeof op_seed);
    for (size_t i = 0; i < NORG; i++) {
        tr_wipe(orgs[i].seed, sizeof orgs[i].seed);
    }
    double t = now_seconds() - t0;
    printf("built %zu people, %" PRIu64 " records in %.1f s (%.0f records/s)\n", people, size, t,
           (double)size / t);
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* CPU seconds (user and system) the children of this process have used so far. */
static double children_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Run command (which must exit 0) runs times; the medians of its wall and CPU seconds. */
static void time_command(const char *command, int runs, double *wall, double *cpu)
{
    double t[32], c[32];
    for (int i = 0; i < runs; i++) {
        double t0 = now_seconds(), c0 = children_cpu();
        int status = system(command);
        t[i] = now_seconds() - t0;
        c[i] = children_cpu() - c0;
        if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            die(command, "did not exit 0");
        }
    }
    qsort(t, (size_t)runs, sizeof t[0], by_double);
    qsort(c, (size_t)runs, sizeof c[0], by_double);
    *wall = t[runs / 2];
    *cpu = c[runs / 2];
}

int main(int argc, char **argv)
{
    static const char *const policies[] = {
        "cn-vocational-teacher-practice-2016", "engineering-doctorate-credits",
        "industrial-professor-duties",         "student-enterprise-immersion",
        "title-associate-professor-example",
    };
    const char *store_path = NULL, *bin = "build/talentreg";
    size_t people = 10000, batch = 5000;
    int runs = 5;
    char dir[64] = "", path[256], command[1024];
    struct stat st;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--people") == 0 && i + 1 < argc) {
            people = strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
            store_path = argv[++i];
        } else if (strcmp(argv[i], "--talentreg") == 0 && i + 1 < argc) {
            bin = argv[++i];
        } else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            batch = strtoul(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: bench-eligible [--people N] [--store PATH] [--talentreg BIN] "
                            "[--runs R] [--batch B]\n");
            return 2;
        }
    }
    if (people == 0 || runs < 1 || runs > 32 || batch == 0) {
        die("arguments", "people, runs (1 to 32) and batch must be positive");
    }
    if (store_path == NULL) {
        snprintf(dir, sizeof dir, "/tmp/bench-eligible.XXXXXX");
        if (mkdtemp(dir) == NULL) {
            die("mkdtemp", "cannot make a directory");
        }
        snprintf(path, sizeof path, "%s/talent.db", dir);
        store_path = path;
    }
    if (stat(store_path, &st) == 0) {
        printf("timing the existing store %s\n", store_path);
        fflush(stdout);
    } else {
        build(store_path, people, batch);
    }
    printf("%-36s %8s %8s %8s %8s\n", "policy", "wall s", "CPU s", "json wall", "json CPU");
    for (size_t i = 0; i < sizeof policies / sizeof policies[0]; i++) {
        double wall[2], cpu[2];
        for (int json = 0; json < 2; json++) {
            snprintf(command, sizeof command,
                     "%s eligible --db '%s' --policy %s --as-of 2025-12-31%s > /dev/null", bin,
                     store_path, policies[i], json ? " --json" : "");
            time_command(command, runs, &wall[json], &cpu[json]);
        }
        printf("%-36s %8.3f %8.3f %8.3f %8.3f\n", policies[i], wall[0], cpu[0], wall[1], cpu[1]);
        fflush(stdout);
    }
    double load[3];
    if (getloadavg(load, 3) == 3) {
        printf("load average at the end: %.2f %.2f %.2f (on %ld processors)\n", load[0], load[1],
               load[2], sysconf(_SC_NPROCESSORS_ONLN));
    }
    if (dir[0] != '\0') {
        static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
            snprintf(command, sizeof command, "%s%s", path, suffix[i]);
            unlink(command);
        }
        rmdir(dir);
    }
    return 0;
}
