/* cmd_search.c — `talentreg search`: full-text search over the records, and its index. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char cmd_search_usage[] =
    "usage: talentreg search [OPTIONS] QUERY...\n"
    "       talentreg search --reindex [--json]\n"
    "\n"
    "Find the records whose text matches QUERY (all QUERY arguments, as one text): names of\n"
    "people and organisations, roles, project titles, courses, contribution titles,\n"
    "evaluation dimensions. Every word of QUERY must match, and every run of Chinese,\n"
    "Japanese or Korean characters as written (李娜, 电池管理). Letters match in any case\n"
    "and without accents; a word ending in '*' matches every word it begins (batt*).\n"
    "Nothing in QUERY is an operator: quotes, AND, OR, NEAR, ':' and '-' are text. The best\n"
    "matches come first, a match in a record's names before one in the rest of its text.\n"
    "\n"
    "Each result is a line with the record's kind, date (or -), subject (or -) and record\n"
    "id, then its names and the text around the match, each match in [brackets]. Exit\n"
    "status: 0 with results, 1 with none, 2 for a bad query or any other error.\n"
    "\n"
    "Options:\n"
    "  --kind K          only records of kind K (Person, EnterprisePlacement, ...); repeat\n"
    "                    it or give a comma-separated list for several kinds\n"
    "  --org USCC        only records issued by the organisation USCC\n"
    "  --person ID       only records about the person ID (p-zhang-wei-1984)\n"
    "  --from DATE       only records dated DATE (YYYY-MM-DD) or later; a record's date is\n"
    "                    its validFrom, else its earnedOn, decidedOn or achievedOn, and\n"
    "                    records without one are left out\n"
    "  --to DATE         only records dated DATE or earlier\n"
    "  --verified-only   only records that count: every required signature valid, no key\n"
    "                    revoked before it, not withdrawn or superseded\n"
    "  --limit N         at most N results (default 20, at most 1000)\n"
    "  --offset N        skip the first N results (default 0)\n"
    "  --json            one JSON object: the query, its results and whether more follow\n"
    "  --reindex         rebuild the index from the records in the log, and say how many\n";

enum {
    OPT_KIND = CLI_OPT_BASE,
    OPT_ORG,
    OPT_PERSON,
    OPT_FROM,
    OPT_TO,
    OPT_VERIFIED_ONLY,
    OPT_LIMIT,
    OPT_OFFSET,
    OPT_JSON,
    OPT_REINDEX
};

#define DEFAULT_LIMIT 20

/* What --reindex runs as: the same command, but on a store opened for writing. */
static int cmd_search(struct cli *cli, int argc, char **argv);
static const struct cli_cmd reindex_cmd = {"search", cmd_search, CLI_STORE_WRITE,
                                           "find records by their text", cmd_search_usage};

struct args {
    struct tr_search_filter filter;
    size_t limit, offset;
    int json, reindex, filtered;
};

/* Add the kinds of the comma-separated list to the filter. */
static int add_kinds(struct cli *cli, const char *list, struct args *a)
{
    char name[64];
    const char *p = list;
    for (;;) {
        size_t n = strcspn(p, ",");
        enum tr_kind kind;
        if (n >= sizeof name) {
            return cli_usage_error(cli, "unknown record kind '%.*s'", (int)n, p);
        }
        memcpy(name, p, n);
        name[n] = '\0';
        if (tr_schema_kind_from_name(name, &kind) != TR_OK) {
            return cli_usage_error(cli, "unknown record kind '%s'", name);
        }
        a->filter.kinds |= 1u << kind;
        if (p[n] == '\0') {
            return CLI_EXIT_OK;
        }
        p += n + 1;
    }
}

/* A whole number from 0 up for option name. */
static int parse_offset(struct cli *cli, const char *text, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = text[0] >= '0' && text[0] <= '9' ? strtoull(text, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno != 0 || v > SIZE_MAX) {
        return cli_usage_error(cli, "option '--offset' needs a number, not '%s'", text);
    }
    *out = (size_t)v;
    return CLI_EXIT_OK;
}

static int parse_args(struct cli *cli, int argc, char **argv, struct args *a)
{
    static const struct option opts[] = {{"kind", required_argument, NULL, OPT_KIND},
                                         {"org", required_argument, NULL, OPT_ORG},
                                         {"person", required_argument, NULL, OPT_PERSON},
                                         {"from", required_argument, NULL, OPT_FROM},
                                         {"to", required_argument, NULL, OPT_TO},
                                         {"verified-only", no_argument, NULL, OPT_VERIFIED_ONLY},
                                         {"limit", required_argument, NULL, OPT_LIMIT},
                                         {"offset", required_argument, NULL, OPT_OFFSET},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"reindex", no_argument, NULL, OPT_REINDEX},
                                         {NULL, 0, NULL, 0}};
    int c, code = CLI_EXIT_OK;
    a->limit = DEFAULT_LIMIT;
    while (code == CLI_EXIT_OK && (c = cli_getopt(cli, argc, argv, opts)) != -1) {
        a->filtered |= c != OPT_JSON && c != OPT_REINDEX;
        switch (c) {
        case OPT_KIND:
            code = add_kinds(cli, optarg, a);
            break;
        case OPT_ORG:
            a->filter.org = optarg;
            break;
        case OPT_PERSON:
            a->filter.person = optarg;
            break;
        case OPT_FROM:
            a->filter.from = optarg;
            break;
        case OPT_TO:
            a->filter.to = optarg;
            break;
        case OPT_VERIFIED_ONLY:
            a->filter.verified_only = 1;
            break;
        case OPT_LIMIT:
            code = cli_parse_size(cli, "limit", optarg, &a->limit);
            if (code == CLI_EXIT_OK && a->limit > TR_SEARCH_LIMIT_MAX) {
                code = cli_usage_error(cli, "option '--limit' must be at most %d",
                                       TR_SEARCH_LIMIT_MAX);
            }
            break;
        case OPT_OFFSET:
            code = parse_offset(cli, optarg, &a->offset);
            break;
        case OPT_JSON:
            a->json = 1;
            break;
        case OPT_REINDEX:
            /* The dispatcher opens the store when the options end, as cli->cmd says. */
            a->reindex = 1;
            cli->cmd = &reindex_cmd;
            break;
        default:
            return cli->exit;
        }
    }
    return code;
}

/* The query: every argument from optind on, joined by spaces. */
static int join_query(int argc, char **argv, struct tr_buf *out)
{
    for (int i = optind; i < argc; i++) {
        if (i > optind) {
            tr_buf_addc(out, ' ');
        }
        tr_buf_adds(out, argv[i]);
    }
    return out->err;
}

/* A URN's value after its prefix (urn:talentreg:person:p-x gives p-x). */
static const char *bare(const char *urn)
{
    const char *colon = strrchr(urn, ':');
    return colon != NULL ? colon + 1 : urn;
}

/* The snippet without its marks and its ellipses at either end. */
static void snippet_core(const char *snippet, struct tr_buf *out)
{
    const size_t el = strlen(TR_SEARCH_ELLIPSIS);
    for (const char *p = snippet; *p != '\0'; p++) {
        if (*p != TR_SEARCH_MARK_OPEN[0] && *p != TR_SEARCH_MARK_CLOSE[0]) {
            tr_buf_addc(out, *p);
        }
    }
    if (out->len >= el && memcmp(out->data + out->len - el, TR_SEARCH_ELLIPSIS, el) == 0) {
        tr_buf_truncate(out, out->len - el);
    }
    if (out->len >= el && memcmp(out->data, TR_SEARCH_ELLIPSIS, el) == 0) {
        memmove(out->data, out->data + el, out->len - el + 1);
        out->len -= el;
    }
}

/*
 * A hit as text: a line of kind, date, subject and record id; the record's names, unless
 * the snippet is taken from them; the snippet with its matches in brackets.
 */
static void format_hit(const struct tr_search_hit *h, struct tr_buf *out)
{
    struct tr_buf core;
    tr_buf_init(&core);
    tr_buf_addf(out, "%s %s %s %s\n", tr_schema_kind_name(h->kind),
                h->date[0] != '\0' ? h->date : "-", h->subject != NULL ? bare(h->subject) : "-",
                h->record_id);
    snippet_core(h->snippet, &core);
    if (h->title[0] != '\0' && (core.err != TR_OK || strstr(h->title, core.data) == NULL)) {
        tr_buf_addf(out, "  %s\n", h->title);
    }
    tr_buf_adds(out, "  ");
    for (const char *p = h->snippet; *p != '\0'; p++) {
        if (*p == TR_SEARCH_MARK_OPEN[0]) {
            tr_buf_addc(out, '[');
        } else if (*p == TR_SEARCH_MARK_CLOSE[0]) {
            tr_buf_addc(out, ']');
        } else {
            tr_buf_addc(out, *p);
        }
    }
    tr_buf_addc(out, '\n');
    tr_buf_release(&core);
}

/* The snippet as a JSON array of {"text", "match"} pieces, in order. */
static struct tr_json *json_snippet(const char *snippet)
{
    struct tr_json *arr = tr_json_new_array();
    int rc = arr != NULL ? TR_OK : TR_ENOMEM;
    const char *p = snippet;
    int match = 0;
    while (rc == TR_OK && *p != '\0') {
        size_t n = strcspn(p, TR_SEARCH_MARK_OPEN TR_SEARCH_MARK_CLOSE);
        if (n > 0) {
            struct tr_json *piece = tr_json_new_object();
            rc = piece != NULL ? TR_OK : TR_ENOMEM;
            if (rc == TR_OK) {
                rc = tr_json_object_set(piece, "text", tr_json_new_string(p, n));
            }
            if (rc == TR_OK) {
                rc = tr_json_object_set(piece, "match", tr_json_new_bool(match));
            }
            if (rc == TR_OK) {
                rc = tr_json_array_append(arr, piece);
            } else {
                tr_json_free(piece);
            }
        }
        p += n;
        if (*p != '\0') {
            match = *p == TR_SEARCH_MARK_OPEN[0];
            p++;
        }
    }
    if (rc != TR_OK) {
        tr_json_free(arr);
        return NULL;
    }
    return arr;
}

/* A string member, or null when s is NULL or empty. */
static int set_text(struct tr_json *obj, const char *key, const char *s)
{
    return tr_json_object_set(obj, key,
                              s != NULL && s[0] != '\0' ? tr_json_new_cstr(s) : tr_json_new_null());
}

static struct tr_json *json_hit(const struct tr_search_hit *h)
{
    struct tr_json *obj = tr_json_new_object();
    int rc = obj != NULL ? TR_OK : TR_ENOMEM;
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "recordId", tr_json_new_cstr(h->record_id));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "leaf", tr_json_new_number((double)h->leaf));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "kind", tr_json_new_cstr(tr_schema_kind_name(h->kind)));
    }
    if (rc == TR_OK) {
        rc = set_text(obj, "issuer", h->issuer);
    }
    if (rc == TR_OK) {
        rc = set_text(obj, "subject", h->subject);
    }
    if (rc == TR_OK) {
        rc = set_text(obj, "date", h->date);
    }
    if (rc == TR_OK) {
        /* Four decimals are plenty to compare, and print the same everywhere. */
        rc = tr_json_object_set(obj, "score", tr_json_new_number(round(h->score * 1e4) / 1e4));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "title", tr_json_new_cstr(h->title));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "snippet", json_snippet(h->snippet));
    }
    if (rc != TR_OK) {
        tr_json_free(obj);
        return NULL;
    }
    return obj;
}

static int json_results(const char *query, const struct args *a, const struct tr_search_results *r,
                        struct tr_buf *out)
{
    struct tr_json *obj = tr_json_new_object(), *hits = tr_json_new_array();
    struct tr_error err = {0};
    int rc = obj != NULL && hits != NULL ? TR_OK : TR_ENOMEM;
    for (size_t i = 0; rc == TR_OK && i < r->len; i++) {
        rc = tr_json_array_append(hits, json_hit(&r->hit[i]));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "query", tr_json_new_cstr(query));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "offset", tr_json_new_number((double)a->offset));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "results", hits);
        hits = NULL;
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(obj, "more", tr_json_new_bool(r->more));
    }
    if (rc == TR_OK) {
        rc = tr_json_write(obj, TR_JSON_COMPACT, out, &err);
    }
    if (rc == TR_OK) {
        rc = tr_buf_addc(out, '\n');
    }
    tr_json_free(hits);
    tr_json_free(obj);
    return rc;
}

static int run_reindex(struct cli *cli, const struct args *a)
{
    struct tr_error err = {0};
    struct tr_buf out;
    uint64_t n = 0;
    int code = CLI_EXIT_OK;
    tr_buf_init(&out);
    if (tr_search_reindex(cli->db, &n, &err) != TR_OK) {
        code = cli_fail(&err);
        goto out;
    }
    /* What is printed is on disk. */
    code = cli_commit(cli);
    if (code != CLI_EXIT_OK) {
        goto out;
    }
    if (a->json) {
        tr_buf_addf(&out, "{\"indexed\":%llu}\n", (unsigned long long)n);
    } else {
        tr_buf_addf(&out, "indexed %llu record%s\n", (unsigned long long)n, n == 1 ? "" : "s");
    }
    code = out.err != TR_OK ? cli_error("%s", tr_strerror(out.err)) : cli_write(out.data, out.len);
out:
    tr_buf_release(&out);
    return code;
}

static int run_query(struct cli *cli, const char *query, const struct args *a)
{
    struct tr_search_results r = {0};
    struct tr_error err = {0};
    struct tr_buf out;
    int code = CLI_EXIT_OK;
    tr_buf_init(&out);
    if (tr_search_query(cli->db, query, &a->filter, a->limit, a->offset, &r, &err) != TR_OK) {
        code = cli_fail(&err);
        goto out;
    }
    if (a->json) {
        if (json_results(query, a, &r, &out) != TR_OK) {
            code = cli_error("%s", tr_strerror(TR_ENOMEM));
            goto out;
        }
    } else {
        for (size_t i = 0; i < r.len; i++) {
            format_hit(&r.hit[i], &out);
        }
        if (r.more) {
            tr_buf_addf(&out, "more results follow: --offset %zu\n", a->offset + r.len);
        }
    }
    if (out.err != TR_OK) {
        code = cli_error("%s", tr_strerror(out.err));
        goto out;
    }
    code = cli_write(out.data, out.len);
    if (code == CLI_EXIT_OK && r.len == 0) {
        /* A negative answer; JSON says it with an empty list. */
        if (!a->json) {
            cli_error("no record matches");
        }
        code = CLI_EXIT_NEGATIVE;
    }
out:
    tr_search_results_release(&r);
    tr_buf_release(&out);
    return code;
}

static int cmd_search(struct cli *cli, int argc, char **argv)
{
    struct args a = {0};
    struct tr_buf query;
    int code = CLI_EXIT_OK;
    tr_buf_init(&query);
    code = parse_args(cli, argc, argv, &a);
    if (code != CLI_EXIT_OK || cli->helped) {
        goto out;
    }
    if (a.reindex) {
        if (optind < argc || a.filtered) {
            code = cli_usage_error(cli, "--reindex takes no query and no option but --json");
            goto out;
        }
        code = run_reindex(cli, &a);
        goto out;
    }
    if (optind >= argc) {
        code = cli_usage_error(cli, "no QUERY given");
        goto out;
    }
    if (join_query(argc, argv, &query) != TR_OK) {
        code = cli_error("%s", tr_strerror(query.err));
        goto out;
    }
    code = run_query(cli, query.data, &a);
out:
    tr_buf_release(&query);
    return code;
}

const struct cli_cmd cli_cmd_search = {"search", cmd_search, CLI_STORE_READ,
                                       "find records by their text", cmd_search_usage};
