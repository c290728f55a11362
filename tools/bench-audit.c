/*
 * bench-audit.c — how fast `talentreg audit` goes over a registry of signed records, against
 * OpenSSL's Ed25519 verification rate measured in the same run (the audit's own floor: it
 * verifies every record's signature once). A store is filled with Credit records signed by a
 * few organisations (through tr_submit_credential, so every record counts), then audited
 * with everything on, and with the log alone. Results: docs/benchmarks.md.
 *
 * usage: bench-audit [--dir DIR] [--keep] [RECORDS]   (default 100000 records)
 *   --dir DIR   where the store is made (default /tmp)
 *   --keep      keep the store (and reuse it when it exists) instead of removing it
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "talentreg.h"

#define ORGS 8
#define ORIGIN "bench.example/audit"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds this process has used, in every thread. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int fail(const char *what, const struct tr_error *err)
{
    fprintf(stderr, "bench-audit: %s: %s\n", what, err->msg);
    return 1;
}

/* Ed25519 verifications a second through tr_ed25519_verify, over 1 second. */
static double bench_verify(void)
{
    unsigned char seed[TR_ED25519_SEED_LEN] = {7}, pub[TR_ED25519_PUBLIC_LEN];
    unsigned char msg[64] = {1}, sig[TR_ED25519_SIG_LEN];
    tr_ed25519_public(seed, pub);
    tr_ed25519_sign(seed, msg, sizeof msg, sig);
    size_t n = 0;
    double t0 = now_seconds(), t = t0;
    while (t - t0 < 1.0) {
        for (int i = 0; i < 200; i++, n++) {
            if (tr_ed25519_verify(pub, msg, sizeof msg, sig) != TR_OK) {
                return 0;
            }
        }
        t = now_seconds();
    }
    return (double)n / (t - t0);
}

/* The USCC of test organisation i: 17 characters and the check character. */
static void uscc_of(unsigned i, char out[TR_USCC_LEN + 1])
{
    snprintf(out, TR_USCC_LEN + 1, "91350100MA3%06u", i);
    out[TR_USCC_LEN - 1] = tr_ident_uscc_check_char(out);
    out[TR_USCC_LEN] = '\0';
}

static void seed_of(unsigned i, unsigned char seed[TR_ED25519_SEED_LEN])
{
    memset(seed, 0x5a, TR_ED25519_SEED_LEN);
    seed[0] = (unsigned char)i;
}

static int parse(const char *text, struct tr_json **out)
{
    struct tr_error err = {0};
    return tr_json_parse(text, strlen(text), "record", NULL, out, &err) == TR_OK
               ? 0
               : fail("parse", &err);
}

static int submit(struct tr_db *db, struct tr_json *doc)
{
    struct tr_submit_result r;
    struct tr_error err = {0};
    memset(&r, 0, sizeof r);
    tr_verify_verdict_init(&r.verdict);
    int rc = tr_submit_credential(db, doc, &r, &err);
    if (rc == TR_OK && r.status != TR_SUBMIT_STORED) {
        rc = tr_error_set(&err, TR_EVERIFY, "record not stored (status %d): %s", (int)r.status,
                          r.verdict.nreasons > 0 ? r.verdict.reasons[0].detail : "");
    }
    tr_submit_result_release(&r);
    tr_json_free(doc);
    return rc == TR_OK ? 0 : fail("submit", &err);
}

static int sign(struct tr_json *doc, const unsigned char seed[TR_ED25519_SEED_LEN])
{
    struct tr_error err = {0};
    struct tr_proof_sign_options opts = {.created = "2026-01-05T08:00:00Z"};
    return tr_proof_sign(doc, seed, &opts, &err) == TR_OK ? 0 : fail("sign", &err);
}

/* Fill db with ORGS organisations and n credits, 1000 records a transaction. */
static int fill(struct tr_db *db, unsigned long n)
{
    unsigned char op[TR_ED25519_SEED_LEN], pub[TR_ED25519_PUBLIC_LEN];
    char text[2048], uscc[TR_USCC_LEN + 1], did[TR_KEY_DID_SIZE];
    struct tr_json *doc = NULL;
    struct tr_error err = {0};
    seed_of(200, op);
    tr_ed25519_public(op, pub);
    if (tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, &err) != TR_OK ||
        tr_db_begin(db, &err) != TR_OK) {
        return fail("store", &err);
    }
    for (unsigned i = 0; i < ORGS; i++) {
        unsigned char seed[TR_ED25519_SEED_LEN];
        seed_of(i, seed);
        tr_ed25519_public(seed, pub);
        tr_key_did(pub, did);
        uscc_of(i, uscc);
        snprintf(text, sizeof text,
                 "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                 "\"https://talentreg.example/ns/v1\"],\"type\":[\"VerifiableCredential\","
                 "\"OrganizationCredential\"],\"issuer\":\"urn:talentreg:operator\","
                 "\"credentialSubject\":{\"id\":\"urn:talentreg:org:%s\",\"name\":\"Org %u\","
                 "\"organizationType\":\"university\",\"keys\":[\"%s\"],"
                 "\"mayIssue\":[\"Credit\"]}}",
                 uscc, i, did);
        if (parse(text, &doc) != 0 || sign(doc, op) != 0 || submit(db, doc) != 0) {
            return 1;
        }
    }
    double t0 = now_seconds();
    for (unsigned long k = 0; k < n; k++) {
        unsigned char seed[TR_ED25519_SEED_LEN];
        unsigned i = (unsigned)(k % ORGS);
        seed_of(i, seed);
        uscc_of(i, uscc);
        snprintf(text, sizeof text,
                 "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                 "\"https://talentreg.example/ns/v1\"],\"type\":[\"VerifiableCredential\","
                 "\"CreditCredential\"],\"issuer\":\"urn:talentreg:org:%s\","
                 "\"credentialSubject\":{\"id\":\"urn:talentreg:person:p-bench-%lu\","
                 "\"course\":\"Industrial Automation Lab %lu\",\"courseCode\":\"IAM-%lu\","
                 "\"framework\":\"ects\",\"points\":5,\"hours\":150,\"grade\":\"1.7\","
                 "\"term\":\"2024-2025 autumn\",\"earnedOn\":\"2025-01-10\"}}",
                 uscc, k / 7, k, k % 1000);
        if (parse(text, &doc) != 0 || sign(doc, seed) != 0 || submit(db, doc) != 0) {
            return 1;
        }
        if (k % 1000 == 999 &&
            (tr_db_commit(db, &err) != TR_OK || tr_db_begin(db, &err) != TR_OK)) {
            return fail("commit", &err);
        }
        if (k % 100000 == 99999) {
            fprintf(stderr, "bench-audit: %lu records (%.0f a second)\n", k + 1,
                    (double)(k + 1) / (now_seconds() - t0));
        }
    }
    if (tr_log_checkpoint(db, op, NULL, &err) != TR_OK || tr_db_commit(db, &err) != TR_OK) {
        return fail("checkpoint", &err);
    }
    return 0;
}

/* Remove the store at path and the files SQLite keeps beside it. */
static void remove_store(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[600];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

static int audit(const char *path, int log_only, double verify_rate)
{
    struct tr_db *db = NULL;
    struct tr_error err = {0};
    struct tr_audit_summary sum;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct tr_audit_options opts = {.skip_records = log_only,
                                    .threads = cpus > 1 ? (unsigned)(cpus > 8 ? 8 : cpus) : 0};
    if (tr_db_open(path, TR_DB_READONLY, &db, &err) != TR_OK) {
        return fail("open", &err);
    }
    double t0 = now_seconds(), c0 = cpu_seconds();
    int rc = tr_audit_run(db, &opts, &sum, &err);
    double t = now_seconds() - t0, cpu = cpu_seconds() - c0;
    tr_db_close(db, NULL);
    if (rc != TR_OK) {
        return fail("audit", &err);
    }
    double rate = (double)sum.leaves / t;
    printf("audit%s: %" PRIu64 " leaves, %" PRIu64 " records, %" PRIu64 " problems in %.1f s "
           "(%.1f s of CPU, %.0f us a leaf): %.0f leaves a second, %.3f of the verify rate\n",
           log_only ? " --log-only" : "", sum.leaves, sum.records, sum.errors, t, cpu,
           cpu / (double)sum.leaves * 1e6, rate, rate / verify_rate);
    return sum.errors == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *dir = "/tmp";
    unsigned long n = 100000;
    int keep = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--keep") == 0) {
            keep = 1;
        } else {
            n = strtoul(argv[i], NULL, 10);
        }
    }
    char path[512];
    snprintf(path, sizeof path, "%s/bench-audit-%lu.db", dir, n);
    struct tr_error err = {0};
    struct tr_db *db = NULL;
    if (!keep || access(path, F_OK) != 0) {
        remove_store(path);
        double t0 = now_seconds();
        if (tr_db_create(path, ORIGIN, &db, &err) != TR_OK) {
            return fail("create", &err);
        }
        if (fill(db, n) != 0) {
            return 1;
        }
        tr_db_close(db, NULL);
        fprintf(stderr, "bench-audit: filled %lu records in %.1f s\n", n, now_seconds() - t0);
    }
    double v = bench_verify();
    printf("machine: %ld cores; tr_ed25519_verify (OpenSSL): %.0f a second (%.0f us)\n",
           sysconf(_SC_NPROCESSORS_ONLN), v, 1e6 / v);
    int rc = audit(path, 0, v) | audit(path, 1, v);
    if (!keep) {
        remove_store(path);
    }
    return rc;
}
