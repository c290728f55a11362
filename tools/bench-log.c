/*
 * bench-log.c — how fast the stored log appends and proves, and how proof time grows with
 * the log: one store is filled with random bodies of about 1 KiB in batched transactions,
 * and at each size (default 1,000, 100,000 and 1,000,000 leaves) it times appends, roots,
 * inclusion proofs and consistency proofs. OpenSSL's SHA-256 rate is measured in the same
 * run as the reference the figures are compared with. Results: docs/benchmarks.md.
 *
 * usage: bench-log [--dir DIR] [--batch N] [--proofs N] [SIZE...]
 *   --dir DIR    where the temporary store is made (default /tmp); it is removed at the end
 *   --batch N    leaves per transaction (default 1000)
 *   --proofs N   proofs timed at each size (default 2000)
 *   SIZE...      increasing log sizes to measure at (default 1000 100000 1000000)
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "talentreg.h"

#define BODY_MIN 896 /* bodies are 896 to 1151 bytes: about 1 KiB, not all alike */
#define BODY_SPREAD 256
#define MAX_SIZES 16

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: fast, reproducible bodies; the benchmark measures the log, not a CSPRNG. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1du;
}

static void rng_fill(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = rng_next();
        size_t k = n - i < 8 ? n - i : 8;
        memcpy(p + i, &v, k);
    }
}

static int fail(const char *what, const struct tr_error *err)
{
    fprintf(stderr, "bench-log: %s: %s\n", what, err->msg);
    return 1;
}

/* OpenSSL SHA-256 through tr_sha256: 1 KiB blocks per second, and node hashes per second. */
static int bench_sha256(double *kib_per_s, double *nodes_per_s)
{
    unsigned char block[1024], out[TR_SHA256_LEN], l[TR_SHA256_LEN] = {1}, r[TR_SHA256_LEN] = {2};
    rng_fill(block, sizeof block);
    size_t n = 0;
    double t0 = now_seconds(), t = t0;
    while (t - t0 < 1.0) {
        for (int i = 0; i < 1000; i++, n++) {
            block[0] = (unsigned char)n;
            if (tr_sha256(block, sizeof block, out) != TR_OK) {
                return 1;
            }
        }
        t = now_seconds();
    }
    *kib_per_s = (double)n / (t - t0);
    n = 0;
    t0 = t = now_seconds();
    while (t - t0 < 1.0) {
        for (int i = 0; i < 1000; i++, n++) {
            if (tr_merkle_node_hash(l, r, l) != TR_OK) {
                return 1;
            }
        }
        t = now_seconds();
    }
    *nodes_per_s = (double)n / (t - t0);
    return 0;
}

/* Append leaves until the log holds target, batch leaves a transaction; *seconds gets the
 * time spent. */
static int fill(struct tr_db *db, uint64_t from, uint64_t target, uint64_t batch, double *seconds)
{
    unsigned char body[BODY_MIN + BODY_SPREAD], id_bytes[TR_SHA256_LEN];
    char id[TR_LOG_RECORD_ID_LEN + 1];
    struct tr_error err = {0};
    double t0 = now_seconds();
    for (uint64_t i = from; i < target;) {
        if (tr_db_begin(db, &err) != TR_OK) {
            return fail("begin", &err);
        }
        for (uint64_t k = 0; k < batch && i < target; k++, i++) {
            size_t len = BODY_MIN + (size_t)(rng_next() % BODY_SPREAD);
            rng_fill(body, len);
            rng_fill(id_bytes, sizeof id_bytes);
            for (size_t b = 0; b < sizeof id_bytes; b++) {
                snprintf(id + 2 * b, 3, "%02x", id_bytes[b]);
            }
            if (tr_log_append(db, id, body, len, NULL, &err) != TR_OK) {
                tr_db_rollback(db, NULL);
                return fail("append", &err);
            }
        }
        if (tr_db_commit(db, &err) != TR_OK) {
            return fail("commit", &err);
        }
    }
    *seconds = now_seconds() - t0;
    return 0;
}

struct proof_times {
    double root_us, inclusion_us, consistency_us;
    double inclusion_hashes, consistency_hashes; /* mean proof lengths */
};

/* Time count roots, inclusion proofs of random leaves and consistency proofs from random
 * older sizes in the log of size n, verifying every proof outside the timed part. */
static int bench_proofs(struct tr_db *db, uint64_t n, size_t count, struct proof_times *pt)
{
    struct tr_error err = {0};
    struct tr_merkle_proof p;
    unsigned char root[TR_MERKLE_HASH_LEN], old_root[TR_MERKLE_HASH_LEN];
    unsigned char leaf_hash[TR_MERKLE_HASH_LEN];
    double t_root = 0, t_inc = 0, t_con = 0, len_inc = 0, len_con = 0;

    if (tr_log_root(db, n, root, &err) != TR_OK) {
        return fail("root", &err);
    }
    for (size_t i = 0; i < count; i++) {
        uint64_t leaf = rng_next() % n;
        uint64_t old = 1 + rng_next() % n;
        double t0 = now_seconds();
        if (tr_log_root(db, n, root, &err) != TR_OK) {
            return fail("root", &err);
        }
        double t1 = now_seconds();
        if (tr_log_prove_inclusion(db, leaf, n, &p, &err) != TR_OK) {
            return fail("inclusion proof", &err);
        }
        double t2 = now_seconds();
        t_root += t1 - t0;
        t_inc += t2 - t1;
        len_inc += (double)p.len;
        if (tr_log_leaf_hash(db, leaf, leaf_hash, &err) != TR_OK ||
            tr_merkle_verify_inclusion(leaf, n, leaf_hash, p.hash, p.len, root, &err) != TR_OK) {
            return fail("inclusion proof does not verify", &err);
        }
        t0 = now_seconds();
        if (tr_log_prove_consistency(db, old, n, &p, &err) != TR_OK) {
            return fail("consistency proof", &err);
        }
        t_con += now_seconds() - t0;
        len_con += (double)p.len;
        if (tr_log_root(db, old, old_root, &err) != TR_OK ||
            tr_merkle_verify_consistency(old, n, p.hash, p.len, old_root, root, &err) != TR_OK) {
            return fail("consistency proof does not verify", &err);
        }
    }
    pt->root_us = t_root / (double)count * 1e6;
    pt->inclusion_us = t_inc / (double)count * 1e6;
    pt->consistency_us = t_con / (double)count * 1e6;
    pt->inclusion_hashes = len_inc / (double)count;
    pt->consistency_hashes = len_con / (double)count;
    return 0;
}

/* Bytes of the store file and its write-ahead log. */
static double store_bytes(const char *path)
{
    char wal[640];
    struct stat sb;
    double total = 0;
    if (stat(path, &sb) == 0) {
        total += (double)sb.st_size;
    }
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &sb) == 0) {
        total += (double)sb.st_size;
    }
    return total;
}

static int parse_count(const char *s, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || errno != 0 || *end != '\0' || v == 0) {
        fprintf(stderr, "bench-log: '%s' is not a positive number\n", s);
        return 1;
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = "/tmp";
    uint64_t batch = 1000, proofs = 2000, sizes[MAX_SIZES] = {1000, 100000, 1000000};
    size_t nsizes = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], &batch) != 0) {
                return 2;
            }
        } else if (strcmp(argv[i], "--proofs") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], &proofs) != 0) {
                return 2;
            }
        } else if (nsizes < MAX_SIZES && argv[i][0] != '-') {
            if (parse_count(argv[i], &sizes[nsizes]) != 0 ||
                (nsizes > 0 && sizes[nsizes] <= sizes[nsizes - 1])) {
                fprintf(stderr, "bench-log: sizes must be positive and increasing\n");
                return 2;
            }
            nsizes++;
        } else {
            fprintf(stderr, "usage: bench-log [--dir DIR] [--batch N] [--proofs N] [SIZE...]\n");
            return 2;
        }
    }
    if (nsizes == 0) {
        nsizes = 3;
    }

    char tmp[512], path[600];
    snprintf(tmp, sizeof tmp, "%s/bench-log.XXXXXX", dir);
    if (mkdtemp(tmp) == NULL) {
        fprintf(stderr, "bench-log: cannot make a directory in '%s': %s\n", dir, strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/bench.db", tmp);

    double kib_s = 0, nodes_s = 0;
    if (bench_sha256(&kib_s, &nodes_s) != 0) {
        fprintf(stderr, "bench-log: sha-256 failed\n");
        return 1;
    }
    printf("openssl sha-256 (%s): %.0f MiB/s over 1 KiB blocks (%.0f blocks/s), "
           "%.0f node hashes/s (65 bytes)\n",
           OpenSSL_version(OPENSSL_VERSION), kib_s / 1024.0, kib_s, nodes_s);
    printf("bodies %d-%d bytes, %" PRIu64 " leaves a transaction, %" PRIu64
           " proofs timed per size\n\n",
           BODY_MIN, BODY_MIN + BODY_SPREAD - 1, batch, proofs);
    printf("%9s %5s %10s %9s %9s %7s %10s %7s %11s %10s\n", "leaves", "log2", "append/s",
           "vs sha256", "root us", "incl us", "incl hash", "cons us", "cons hashes", "bytes/leaf");

    struct tr_db *db = NULL;
    struct tr_error err = {0};
    int rc = 0;
    if (tr_db_create(path, "talentreg.example/bench", &db, &err) != TR_OK) {
        rc = fail("create", &err);
        goto out;
    }
    uint64_t have = 0;
    for (size_t s = 0; s < nsizes; s++) {
        double seconds = 0;
        struct proof_times pt;
        if (fill(db, have, sizes[s], batch, &seconds) != 0 ||
            bench_proofs(db, sizes[s], (size_t)proofs, &pt) != 0) {
            rc = 1;
            goto out;
        }
        double rate = (double)(sizes[s] - have) / seconds;
        printf("%9" PRIu64 " %5.1f %10.0f %8.1f%% %9.1f %7.1f %10.1f %7.1f %11.1f %10.0f\n",
               sizes[s], log2((double)sizes[s]), rate, 100.0 * rate / kib_s, pt.root_us,
               pt.inclusion_us, pt.inclusion_hashes, pt.consistency_us, pt.consistency_hashes,
               store_bytes(path) / (double)sizes[s]);
        fflush(stdout);
        have = sizes[s];
    }
    printf("\nappend/s counts leaves appended since the previous size; \"vs sha256\" is that rate\n"
           "as a share of the 1 KiB SHA-256 block rate. Proof times are means over random leaves\n"
           "and random older sizes, each proof verified outside the timed part.\n");
out:
    if (db != NULL && tr_db_close(db, &err) != TR_OK) {
        rc = fail("close", &err);
    }
    unlink(path);
    snprintf(path, sizeof path, "%s/bench.db-wal", tmp);
    unlink(path);
    snprintf(path, sizeof path, "%s/bench.db-shm", tmp);
    unlink(path);
    rmdir(tmp);
    return rc;
}
