/*
 * bench-metric.c — how the metric engine's time grows with the number of records: one
 * person's enterprise placements (random, overlapping, over ten years) evaluated against the
 * cn-vocational-teacher-practice-2016 preset, for 10 to 20,000 placements. The time includes
 * validating every credential (tr_schema_check), which the engine does for each record.
 *
 * usage: build/tools/bench-metric [ROUNDS]   (default 20 evaluations per size)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "talentreg.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A placement credential of the benchmark's person, from day `from` for `days` days. */
static struct tr_json *placement(int64_t from, int days, int fte20)
{
    char a[TR_DATE_LEN + 1], b[TR_DATE_LEN + 1], text[1024];
    struct tr_json *doc = NULL;
    tr_date_format(from, a);
    tr_date_format(from + days - 1, b);
    snprintf(text, sizeof text,
             "{\"@context\":[\"" TR_CONTEXT_VC "\",\"" TR_CONTEXT_TALENTREG "\"],"
             "\"type\":[\"VerifiableCredential\",\"EnterprisePlacementCredential\"],"
             "\"issuer\":\"urn:talentreg:org:91350900MA2Y8K3Q1U\","
             "\"validFrom\":\"%sT00:00:00Z\",\"validUntil\":\"%sT23:59:59Z\","
             "\"credentialSubject\":{\"id\":\"urn:talentreg:person:p-zhang-wei-1984\","
             "\"host\":\"urn:talentreg:org:91350900MA2Y8K3Q1U\","
             "\"home\":\"urn:talentreg:org:12350100488101234T\",\"fte\":%g,"
             "\"form\":\"post\"}}",
             a, b, fte20 / 20.0);
    if (tr_json_parse(text, strlen(text), "bench", NULL, &doc, NULL) != TR_OK) {
        fprintf(stderr, "bench-metric: cannot build a placement\n");
        exit(2);
    }
    return doc;
}

int main(int argc, char **argv)
{
    static const size_t sizes[] = {10, 100, 1000, 10000, 20000};
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    struct tr_policy *policy = NULL;
    struct tr_error err = {0};
    int64_t base = 0;
    if (rounds < 1 ||
        tr_policy_load("cn-vocational-teacher-practice-2016", &policy, &err) != TR_OK ||
        tr_date_parse("2016-01-01", 10, &base, &err) != TR_OK) {
        fprintf(stderr, "bench-metric: %s\n", rounds < 1 ? "ROUNDS must be 1 or more" : err.msg);
        return 2;
    }
    printf("%10s %14s %14s\n", "records", "ms/evaluation", "us/record");
    srand(1);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        struct tr_metric_record *r = calloc(n, sizeof *r);
        char(*ids)[TR_RECORD_ID_LEN + 1] = calloc(n, sizeof *ids);
        if (r == NULL || ids == NULL) {
            fprintf(stderr, "bench-metric: out of memory\n");
            return 2;
        }
        for (size_t i = 0; i < n; i++) {
            snprintf(ids[i], sizeof ids[i], "%064zx", i + 1);
            r[i].id = ids[i];
            r[i].credential = placement(base + rand() % 3650, 1 + rand() % 200, 1 + rand() % 20);
        }
        struct tr_metric_options opt = {"p-zhang-wei-1984", base + 3652, TR_WINDOW_NONE, 0};
        double t0 = now(), value = 0;
        for (int k = 0; k < rounds; k++) {
            struct tr_metric_result *res = NULL;
            if (tr_metric_evaluate(policy, &opt, r, n, &res, &err) != TR_OK) {
                fprintf(stderr, "bench-metric: %s\n", err.msg);
                return 2;
            }
            value = res->criteria[0].value;
            tr_metric_result_free(res);
        }
        double per = (now() - t0) / rounds;
        printf("%10zu %14.3f %14.3f   (value %.6f months)\n", n, per * 1e3, per * 1e6 / (double)n,
               value);
        for (size_t i = 0; i < n; i++) {
            tr_json_free((struct tr_json *)r[i].credential);
        }
        free(r);
        free(ids);
    }
    tr_policy_free(policy);
    return 0;
}
