/*
 * bench-proof.c — sign and verify rates of eddsa-jcs-2022 proofs on a typical record, on one
 * core, beside the raw Ed25519 rates of the same OpenSSL (EVP, 64-byte messages, as
 * `openssl speed ed25519` measures them), and their ratios.
 *
 * usage: build/tools/bench-proof [SECONDS]   (default 3 per measurement)
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "talentreg.h"

/* A typical record: an enterprise placement credential as talentreg issues it. */
static const char record[] =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
    "\"https://talentreg.example/ns/v1\"],"
    "\"type\":[\"VerifiableCredential\",\"EnterprisePlacementCredential\"],"
    "\"issuer\":\"urn:talentreg:org:91350100M000100Y43\","
    "\"validFrom\":\"2024-03-01T00:00:00Z\",\"validUntil\":\"2024-08-31T23:59:59Z\","
    "\"credentialSubject\":{\"id\":\"urn:talentreg:person:p-zhang-wei-1984\","
    "\"host\":\"urn:talentreg:org:91350100M000100Y43\","
    "\"home\":\"urn:talentreg:org:12100000400000624D\",\"fte\":0.5,"
    "\"form\":\"rnd_project\",\"hours\":480,"
    "\"project\":\"电池管理系统研发 (battery management system R&D)\","
    "\"role\":\"visiting engineer\"}}";

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench-proof: %s failed\n", what);
    exit(2);
}

/* Raw OpenSSL Ed25519, keys made once, as openssl speed does. */
static void raw_rates(double seconds, double *sign_rate, double *verify_rate)
{
    unsigned char msg[64] = {1}, sig[64];
    size_t siglen = sizeof sig;
    EVP_PKEY *pk = NULL;
    EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    if (kctx == NULL || EVP_PKEY_keygen_init(kctx) != 1 || EVP_PKEY_keygen(kctx, &pk) != 1) {
        die("keygen");
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    long n = 0;
    double t0 = now(), t;
    do {
        for (int i = 0; i < 100; i++, n++) {
            if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, pk) != 1 ||
                EVP_DigestSign(ctx, sig, &siglen, msg, sizeof msg) != 1) {
                die("sign");
            }
        }
    } while ((t = now() - t0) < seconds);
    *sign_rate = (double)n / t;
    n = 0;
    t0 = now();
    do {
        for (int i = 0; i < 100; i++, n++) {
            if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) != 1 ||
                EVP_DigestVerify(ctx, sig, siglen, msg, sizeof msg) != 1) {
                die("verify");
            }
        }
    } while ((t = now() - t0) < seconds);
    *verify_rate = (double)n / t;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pk);
    EVP_PKEY_CTX_free(kctx);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 3.0;
    if (seconds <= 0) {
        fprintf(stderr, "usage: bench-proof [SECONDS]\n");
        return 2;
    }
    unsigned char seed[32] = {7};
    struct tr_json *doc = NULL;
    if (tr_json_parse(record, sizeof record - 1, "record", NULL, &doc, NULL) != TR_OK) {
        die("parse");
    }
    struct tr_proof_sign_options opts = {"2024-09-01T08:00:00Z", NULL, NULL};

    long n = 0;
    double t0 = now(), t;
    do {
        for (int i = 0; i < 20; i++, n++) {
            struct tr_json *copy = tr_json_clone(doc);
            if (copy == NULL || tr_proof_sign(copy, seed, &opts, NULL) != TR_OK) {
                die("tr_proof_sign");
            }
            tr_json_free(copy);
        }
    } while ((t = now() - t0) < seconds);
    double sign_rate = (double)n / t;

    if (tr_proof_sign(doc, seed, &opts, NULL) != TR_OK) {
        die("tr_proof_sign");
    }
    struct tr_buf text;
    tr_buf_init(&text);
    if (tr_json_write(doc, TR_JSON_COMPACT, &text, NULL) != TR_OK) {
        die("write");
    }
    n = 0;
    t0 = now();
    do {
        for (int i = 0; i < 20; i++, n++) {
            if (tr_proof_verify(doc, NULL, NULL, NULL, NULL, NULL, NULL) != TR_OK) {
                die("tr_proof_verify");
            }
        }
    } while ((t = now() - t0) < seconds);
    double verify_rate = (double)n / t;

    /* Verifying from the bytes, as submit and import do: parse, then verify. */
    n = 0;
    t0 = now();
    do {
        for (int i = 0; i < 20; i++, n++) {
            struct tr_json *d = NULL;
            if (tr_json_parse(text.data, text.len, "record", NULL, &d, NULL) != TR_OK ||
                tr_proof_verify(d, NULL, NULL, NULL, NULL, NULL, NULL) != TR_OK) {
                die("parse and verify");
            }
            tr_json_free(d);
        }
    } while ((t = now() - t0) < seconds);
    double parse_verify_rate = (double)n / t;

    double raw_sign, raw_verify;
    raw_rates(seconds, &raw_sign, &raw_verify);

    printf("record: %zu bytes signed (%zu unsigned), one core, %.1f s per figure\n", text.len,
           sizeof record - 1, seconds);
    printf("%-40s %10.0f /s\n", "openssl ed25519 sign (raw, 64 bytes)", raw_sign);
    printf("%-40s %10.0f /s\n", "openssl ed25519 verify (raw, 64 bytes)", raw_verify);
    printf("%-40s %10.0f /s   ratio %.3f\n", "talentreg proof sign", sign_rate,
           sign_rate / raw_sign);
    printf("%-40s %10.0f /s   ratio %.3f\n", "talentreg proof verify", verify_rate,
           verify_rate / raw_verify);
    printf("%-40s %10.0f /s   ratio %.3f\n", "talentreg parse + proof verify",
           parse_verify_rate, parse_verify_rate / raw_verify);
    tr_buf_release(&text);
    tr_json_free(doc);
    return 0;
}
