/*
 * time-hostile — how fast the YAML loader and the JSON reader refuse a 200 KB "[[[[..."
 * document.
 *
 *   build/tools/time-hostile
 *
 * Builds the document in memory, loads it 100 times with tr_yaml_load and with
 * tr_json_parse under the default limits and again with max_depth at its ceiling, checks
 * every run is refused with TR_ELIMIT, and prints the best and median times in
 * microseconds. Exit 0, or 2 when a run is not refused as expected. tools/time-hostile.sh
 * times the same refusal through the whole talentreg program.
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

typedef int (*loader_fn)(const char *data, size_t len, const char *name,
                         const struct tr_limits *limits, struct tr_json **out,
                         struct tr_error *err);

/* measure — time RUNS rejections of doc by load under l; prints one line. Returns 0 or 2. */
static int measure(const char *label, loader_fn load, const char *doc, size_t len,
                   const struct tr_limits *l)
{
    double us[RUNS];
    struct tr_error err = {0};
    for (int i = 0; i < RUNS; i++) {
        struct tr_json *out = NULL;
        struct timespec a;
        struct timespec b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        int rc = load(doc, len, "deep", l, &out, &err);
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
    printf("%u bytes of '[', %d runs each\n", DOC_BYTES, RUNS);
    static const struct {
        const char *label;
        loader_fn load;
        size_t depth;
    } runs[] = {
        {"yaml, default limits", tr_yaml_load, TR_LIMIT_DEFAULT_DEPTH},
        {"yaml, max_depth 4096", tr_yaml_load, TR_LIMIT_CEIL_DEPTH},
        {"json, default limits", tr_json_parse, TR_LIMIT_DEFAULT_DEPTH},
        {"json, max_depth 4096", tr_json_parse, TR_LIMIT_CEIL_DEPTH},
    };
    for (size_t i = 0; rc == 0 && i < sizeof runs / sizeof runs[0]; i++) {
        tr_limits_default(&l);
        l.max_depth = runs[i].depth;
        rc = measure(runs[i].label, runs[i].load, doc, DOC_BYTES, &l);
    }
    free(doc);
    return rc;
}
