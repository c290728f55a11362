/*
 * fts_rank.c — the search index's rank function (see fts_cjk.h and docs/search.md).
 *
 * tr_rank(search_text, counts) is FTS5's bm25 with the column weights of the search index
 * (title 3, body 1), k1 = 1.2 and b = 0.75, with one difference: the number of records each
 * phrase matches, which bm25 counts by reading the phrase's whole list of matches on the
 * first row of every query, is given by the caller (counts: a blob of one double per phrase
 * of the query, in order). search.c counts them once, and only as far as it needs to, so
 * that a query matching half the archive costs no more to rank than one matching a
 * thousand records.
 */
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "fts_cjk.h"

/* bm25's constants, as FTS5 sets them. */
#define K1 1.2
#define B 0.75

/* The weight of a match in each column of search_text, in table order. */
static const double column_weight[] = {3.0, 1.0};

/* What one query's rows share: computed on its first row. */
struct rank_data {
    int phrases;
    double avgdl;   /* mean tokens a record */
    double idf[64]; /* per phrase */
};

/* FTS5's idf: log((N - n + 0.5) / (n + 0.5)), 1e-6 when that is not positive. */
static double idf(double rows, double n)
{
    double v = log((rows - n + 0.5) / (n + 0.5));
    return v <= 0.0 ? 1e-6 : v;
}

static int rank_data_make(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_value *counts,
                          struct rank_data **out)
{
    sqlite3_int64 rows = 0, tokens = 0;
    int phrases = api->xPhraseCount(fts);
    size_t len = (size_t)sqlite3_value_bytes(counts);
    const unsigned char *blob = sqlite3_value_blob(counts);
    if (phrases < 1 || phrases > 64 || len != (size_t)phrases * sizeof(double) || blob == NULL) {
        return SQLITE_MISMATCH;
    }
    int rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) {
        rc = api->xColumnTotalSize(fts, -1, &tokens);
    }
    if (rc != SQLITE_OK) {
        return rc;
    }
    struct rank_data *d = sqlite3_malloc(sizeof *d);
    if (d == NULL) {
        return SQLITE_NOMEM;
    }
    d->phrases = phrases;
    d->avgdl = rows > 0 && tokens > 0 ? (double)tokens / (double)rows : 1.0;
    for (int i = 0; i < phrases; i++) {
        double n = 0;
        memcpy(&n, blob + (size_t)i * sizeof n, sizeof n);
        d->idf[i] = idf((double)rows, n);
    }
    *out = d;
    return SQLITE_OK;
}

static void rank_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                          int argc, sqlite3_value **argv)
{
    double freq[64] = {0};
    int insts = 0, tokens = 0;
    if (argc != 1) {
        sqlite3_result_error(ctx, "tr_rank: wrong number of arguments", -1);
        return;
    }
    struct rank_data *d = api->xGetAuxdata(fts, 0);
    int rc = SQLITE_OK;
    if (d == NULL) {
        rc = rank_data_make(api, fts, argv[0], &d);
        if (rc == SQLITE_OK) {
            rc = api->xSetAuxdata(fts, d, sqlite3_free);
        }
    }
    if (rc == SQLITE_OK) {
        rc = api->xInstCount(fts, &insts);
    }
    for (int i = 0; rc == SQLITE_OK && i < insts; i++) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK && phrase < d->phrases) {
            freq[phrase] += column < 2 ? column_weight[column] : 1.0;
        }
    }
    if (rc == SQLITE_OK) {
        rc = api->xColumnSize(fts, -1, &tokens);
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    /* As FTS5's bm25 writes it, so that the scores are the same to the last bit. */
    double score = 0, size = (double)tokens;
    for (int i = 0; i < d->phrases; i++) {
        score +=
            d->idf[i] * ((freq[i] * (K1 + 1.0)) / (freq[i] + K1 * (1 - B + B * size / d->avgdl)));
    }
    sqlite3_result_double(ctx, -score);
}

int tr_fts_rank_register(struct fts5_api *api)
{
    return api->xCreateFunction(api, TR_FTS_RANK_NAME, NULL, rank_function, NULL);
}
