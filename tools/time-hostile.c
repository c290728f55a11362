/*
 * time-hostile — how fast the YAML loader refuses a 200 KB "[[[[..." document.
 *
 *   build/tools/time-hostile
 *
 * Builds the document in memory, loads it 100 times with tr_yaml_load under the default
 * limits and again with max_depth at its ceiling, checks every run is refused with
 * TR_ELIMIT, and prints the best and median times in microseconds. Exit 0, or 2 when a run
 * is not refused as expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "talentreg.h"

#define DOC_BYTES (200u * 1024u)
#define RUNS 100

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

/* measure — time RUNS rejections of doc under l; prints one line. Returns 0 or 2. */
static int measure(const char *label, const char *doc, size_t len, const struct tr_limits *l)
{
    double us[RUNS];
    struct tr_error err = {0};
    for (int i = 0; i < RUNS; i++) {
        struct tr_json *out = NULL;
        struct timespec a;
        struct timespec b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        int rc = tr_yaml_load(doc, len, "deep", l, &out, &err);
        clock_gettime(CLOCK_MONOTONIC, &b);
        tr_json_free(out);
        if (rc != TR_ELIMIT) {
            fprintf(stderr, "time-hostile: expected a limit error, got %d: %s\n", rc, err.msg);
            return 2;
        }
        us[i] = (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
    }
    qsort(us, RUNS, sizeof us[0], by_value);
    printf("%-22s best %8.1f us  median %8.1f us  (%s)\n", label, us[0],
           (us[RUNS / 2 - 1] + us[RUNS / 2]) / 2, err.msg);
    return 0;
}

int main(void)
{
    int rc = 0;
    char *doc = malloc(DOC_BYTES);
    struct tr_limits l;
    if (doc == NULL) {
        fprintf(stderr, "time-hostile: out of memory\n");
        return 2;
    }
    memset(doc, '[', DOC_BYTES);
    printf("tr_yaml_load of %u bytes of '[', %d runs each\n", DOC_BYTES, RUNS);
    tr_limits_default(&l);
    rc = measure("default limits", doc, DOC_BYTES, &l);
    l.max_depth = TR_LIMIT_CEIL_DEPTH;
    if (rc == 0) {
        rc = measure("max_depth 4096", doc, DOC_BYTES, &l);
    }
    free(doc);
    return rc;
}
