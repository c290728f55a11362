/*
 * bench-submit.c — how fast records are accepted and judged: a store gets the operator key
 * and one registered organisation, then N signed Credit records are submitted (verified,
 * appended, indexed, read back and judged again) in batched transactions, and stored records
 * are judged with tr_verify_record. The signature check alone (tr_proof_verify) is timed on
 * the same records as the reference: the rest is what the trust rules and the store cost.
 *
 * usage: bench-submit [--dir DIR] [--batch N] [COUNT]
 *   --dir DIR    where the temporary store is made (default /tmp); it is removed at the end
 *   --batch N    records per transaction (default 500)
 *   COUNT        records to submit (default 5000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "talentreg.h"

#define ISSUER "12350100488101234T"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, const struct tr_error *err)
{
    fprintf(stderr, "bench-submit: %s: %s\n", what, err->msg);
    return 1;
}

/* The unsigned credential of a YAML record. */
static struct tr_json *credential(const char *yaml, struct tr_error *err)
{
    struct tr_json *doc = NULL, *cred = NULL;
    struct tr_diag diag;
    tr_diag_init(&diag, "bench");
    if (tr_yaml_load(yaml, strlen(yaml), "bench", NULL, &doc, err) == TR_OK &&
        tr_schema_from_record(doc, NULL, &cred, &diag) != TR_OK) {
        tr_diag_to_error(&diag, TR_ESCHEMA, err);
    }
    tr_diag_release(&diag);
    tr_json_free(doc);
    return cred;
}

/* Sign cred with seed and submit it; it must be stored. */
static int submit(struct tr_db *db, struct tr_json *cred, const unsigned char *seed,
                  char id[TR_RECORD_ID_LEN + 1], struct tr_error *err)
{
    struct tr_submit_result r;
    struct tr_proof_sign_options opts = {"2025-01-01T00:00:00Z", NULL, NULL};
    if (tr_proof_sign(cred, seed, &opts, err) != TR_OK ||
        tr_submit_credential(db, cred, &r, err) != TR_OK) {
        return 1;
    }
    int stored = r.status == TR_SUBMIT_STORED;
    if (id != NULL) {
        memcpy(id, r.record_id, TR_RECORD_ID_LEN + 1);
    }
    if (!stored) {
        tr_error_set(err, TR_EVERIFY, "not stored: %s",
                     r.verdict.nreasons > 0 ? r.verdict.reasons[0].detail : "");
    }
    tr_submit_result_release(&r);
    return !stored;
}

int main(int argc, char **argv)
{
    const char *dir = "/tmp";
    size_t batch = 500, count = 5000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            batch = strtoul(argv[++i], NULL, 10);
        } else {
            count = strtoul(argv[i], NULL, 10);
        }
    }
    if (batch == 0 || count == 0) {
        fprintf(stderr, "usage: bench-submit [--dir DIR] [--batch N] [COUNT]\n");
        return 2;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/bench-submit-%ld.db", dir, (long)getpid());
    unsigned char op[TR_ED25519_SEED_LEN], org[TR_ED25519_SEED_LEN] = {0}, pub[32];
    char did[TR_KEY_DID_SIZE], yaml[1024];
    struct tr_error err = {0};
    struct tr_db *db = NULL;
    memset(op, 0x0f, sizeof op);
    tr_ed25519_public(op, pub);
    if (tr_db_create(path, "bench.example/log", &db, &err) != TR_OK) {
        return fail("create", &err);
    }
    int rc = 1;
    char (*ids)[TR_RECORD_ID_LEN + 1] = calloc(count, sizeof *ids);
    struct tr_json **creds = calloc(count, sizeof *creds);
    if (ids == NULL || creds == NULL) {
        goto out;
    }
    tr_db_meta_set(db, TR_DB_META_OPERATOR_KEY, pub, sizeof pub, NULL);
    tr_ed25519_public(org, pub);
    tr_key_did(pub, did);
    snprintf(yaml, sizeof yaml,
             "kind: Organization\nissuer: operator\nsubject: " ISSUER "\nname: bench\n"
             "organizationType: university\nkeys: [%s]\nmayIssue: [Credit]\n",
             did);
    struct tr_json *o = credential(yaml, &err);
    if (o == NULL || tr_db_begin(db, &err) != TR_OK || submit(db, o, op, NULL, &err) != 0 ||
        tr_db_commit(db, &err) != TR_OK) {
        tr_json_free(o);
        fail("register", &err);
        goto out;
    }
    tr_json_free(o);
    for (size_t i = 0; i < count; i++) {
        snprintf(yaml, sizeof yaml,
                 "kind: Credit\nissuer: " ISSUER "\nsubject: p-learner-%zu\ncourse: Course %zu\n"
                 "framework: cn-credit\npoints: 2\nhours: 32\ngrade: A\nearnedOn: 2025-01-10\n",
                 i % 997, i);
        if ((creds[i] = credential(yaml, &err)) == NULL) {
            fail("record", &err);
            goto out;
        }
    }
    double t0 = now_seconds();
    for (size_t i = 0; i < count; i++) {
        if (i % batch == 0 && tr_db_begin(db, &err) != TR_OK) {
            fail("begin", &err);
            goto out;
        }
        if (submit(db, creds[i], org, ids[i], &err) != 0) {
            fail("submit", &err);
            goto out;
        }
        if ((i + 1 == count || (i + 1) % batch == 0) && tr_db_commit(db, &err) != TR_OK) {
            fail("commit", &err);
            goto out;
        }
    }
    double t1 = now_seconds();
    uint64_t size = 0;
    tr_log_size(db, &size, NULL);
    for (size_t i = 0; i < count; i++) {
        struct tr_verdict v;
        tr_verify_verdict_init(&v);
        if (tr_verify_record(db, ids[(i * 7919) % count], size, &v, &err) != TR_OK || !v.counts) {
            fail("verify", &err);
            goto out;
        }
        tr_verify_verdict_release(&v);
    }
    double t2 = now_seconds();
    for (size_t i = 0; i < count; i++) {
        if (tr_proof_verify(creds[i], NULL, NULL, NULL, NULL, NULL, &err) != TR_OK) {
            fail("proof", &err);
            goto out;
        }
    }
    double t3 = now_seconds();
    printf("records: %zu in transactions of %zu\n", count, batch);
    printf("talentreg submit: %.0f records/s (%.1f us each)\n", count / (t1 - t0),
           1e6 * (t1 - t0) / count);
    printf("talentreg verify record: %.0f records/s (%.1f us each)\n", count / (t2 - t1),
           1e6 * (t2 - t1) / count);
    printf("signature check alone: %.0f records/s (%.1f us each)\n", count / (t3 - t2),
           1e6 * (t3 - t2) / count);
    rc = 0;
out:
    for (size_t i = 0; creds != NULL && i < count; i++) {
        tr_json_free(creds[i]);
    }
    free(creds);
    free(ids);
    tr_db_close(db, NULL);
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[560];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    return rc;
}
