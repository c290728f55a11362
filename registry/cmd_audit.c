/*
 * cmd_audit.c — `talentreg audit`: check everything the log says against what the store
 * holds (registry/audit.c), print each finding as it is found and a summary.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "talentreg/audit.h"

static const char cmd_audit_usage[] =
    "usage: talentreg audit [--log-only] [--json]\n"
    "\n"
    "Check the whole store against its log: every body against its leaf hash, every stored\n"
    "node against its children, every checkpoint's signature (operator key) and root, the\n"
    "consistency of successive checkpoints, every record id against its body, every record\n"
    "as it was judged when it was logged, the trust index against the log, and the store\n"
    "file's pages. Each finding is printed with its stable code (docs/audit.md), then a\n"
    "summary. An erased body is reported as erased, not as a problem.\n"
    "Exit 0 when nothing is wrong, 1 when something is, 2 when the store cannot be read.\n"
    "\n"
    "Options:\n"
    "  --log-only  check the log alone: judge no record, leave the trust index out\n"
    "  --json      print {\"findings\": [...], \"summary\": {...}} as JSON\n";

enum { OPT_JSON = CLI_OPT_BASE + 1, OPT_LOG_ONLY };

struct audit_out {
    int json;
    uint64_t printed;
    int progress; /* standard error is a terminal */
};

/* Write out, or say in err that standard output failed. */
static int put(struct tr_buf *out, struct tr_error *err)
{
    if (out->err != TR_OK) {
        return tr_error_set(err, out->err, "%s", tr_strerror(out->err));
    }
    if (out->len > 0 && fwrite(out->data, 1, out->len, stdout) != out->len) {
        return tr_error_set(err, TR_EIO, "cannot write standard output: %s", strerror(errno));
    }
    return TR_OK;
}

static void add_subject_text(struct tr_buf *b, const struct tr_audit_finding *f)
{
    switch (f->subject) {
    case TR_AUDIT_AT_LEAF:
        if (f->count > 1) {
            tr_buf_addf(b, "leaves %" PRIu64 " to %" PRIu64, f->leaf, f->leaf + f->count - 1);
        } else {
            tr_buf_addf(b, "leaf %" PRIu64, f->leaf);
        }
        break;
    case TR_AUDIT_AT_NODE:
        tr_buf_addf(b, "node %u/%" PRIu64, f->level, f->index);
        break;
    case TR_AUDIT_AT_CHECKPOINT:
        tr_buf_addf(b, "checkpoint %" PRIu64, f->leaf);
        break;
    case TR_AUDIT_AT_TABLE:
        tr_buf_addf(b, "table %s", f->table);
        break;
    default:
        tr_buf_adds(b, "store");
        break;
    }
}

/* The finding as one JSON object. */
static struct tr_json *finding_json(const struct tr_audit_finding *f)
{
    struct tr_json *o = tr_json_new_object();
    int rc = o == NULL ? TR_ENOMEM : TR_OK;
    if (rc == TR_OK) {
        rc = tr_json_object_set(o, "code", tr_json_new_cstr(tr_audit_code_name(f->code)));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(o, "severity", tr_json_new_cstr(f->notice ? "notice" : "error"));
    }
    if (rc == TR_OK && f->subject == TR_AUDIT_AT_LEAF) {
        rc = tr_json_object_set(o, "leaf", tr_json_new_number((double)f->leaf));
        if (rc == TR_OK) {
            rc = tr_json_object_set(o, "count", tr_json_new_number((double)f->count));
        }
        if (rc == TR_OK && f->record_id[0] != '\0') {
            rc = tr_json_object_set(o, "recordId", tr_json_new_cstr(f->record_id));
        }
    }
    if (rc == TR_OK && f->subject == TR_AUDIT_AT_NODE) {
        rc = tr_json_object_set(o, "level", tr_json_new_number((double)f->level));
        if (rc == TR_OK) {
            rc = tr_json_object_set(o, "index", tr_json_new_number((double)f->index));
        }
    }
    if (rc == TR_OK && f->subject == TR_AUDIT_AT_CHECKPOINT) {
        rc = tr_json_object_set(o, "treeSize", tr_json_new_number((double)f->leaf));
    }
    if (rc == TR_OK && f->subject == TR_AUDIT_AT_TABLE) {
        rc = tr_json_object_set(o, "table", tr_json_new_cstr(f->table));
    }
    if (rc == TR_OK) {
        rc = tr_json_object_set(o, "detail", tr_json_new_cstr(f->detail));
    }
    if (rc != TR_OK) {
        tr_json_free(o);
        return NULL;
    }
    return o;
}

static int on_finding(void *ctx, const struct tr_audit_finding *f, struct tr_error *err)
{
    struct audit_out *o = ctx;
    struct tr_buf b;
    int rc = TR_OK;
    tr_buf_init(&b);
    if (o->progress) {
        fputs("\r\033[K", stderr); /* clear the progress line */
    }
    if (o->json) {
        struct tr_json *j = finding_json(f);
        tr_buf_adds(&b, o->printed == 0 ? "" : ",");
        rc = j == NULL ? tr_error_set(err, TR_ENOMEM, "out of memory")
                       : tr_json_write(j, TR_JSON_COMPACT, &b, err);
        tr_json_free(j);
    } else {
        add_subject_text(&b, f);
        tr_buf_addf(&b, ": %s: %s\n", tr_audit_code_name(f->code), f->detail);
    }
    if (rc == TR_OK) {
        rc = put(&b, err);
    }
    o->printed++;
    tr_buf_release(&b);
    return rc;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    fprintf(stderr, "\raudit: %" PRIu64 " of %" PRIu64 " leaves", done, total);
    fflush(stderr);
}

/* "leaf-hash-mismatch 1, node-mismatch 2" for the codes that are errors. */
static void add_counts(struct tr_buf *b, const struct tr_audit_summary *s)
{
    const char *sep = "";
    for (unsigned c = 0; c < TR_AUDIT_CODE_COUNT; c++) {
        if (c != TR_AUDIT_BODY_ERASED && s->by_code[c] > 0) {
            tr_buf_addf(b, "%s%s %" PRIu64, sep, tr_audit_code_name((enum tr_audit_code)c),
                        s->by_code[c]);
            sep = ", ";
        }
    }
}

static int print_summary(const struct audit_out *o, const struct tr_audit_summary *s)
{
    struct tr_error err = {0};
    struct tr_buf b;
    tr_buf_init(&b);
    if (o->json) {
        tr_buf_addf(&b,
                    "],\"summary\":{\"treeSize\":%" PRIu64 ",\"leaves\":%" PRIu64
                    ",\"erased\":%" PRIu64 ",\"nodes\":%" PRIu64 ",\"checkpoints\":%" PRIu64
                    ",\"records\":%" PRIu64 ",\"errors\":%" PRIu64 ",\"notices\":%" PRIu64
                    ",\"clean\":%s,\"codes\":{",
                    s->tree_size, s->leaves, s->erased, s->nodes, s->checkpoints, s->records,
                    s->errors, s->notices, s->errors == 0 ? "true" : "false");
        const char *sep = "";
        for (unsigned c = 0; c < TR_AUDIT_CODE_COUNT; c++) {
            if (s->by_code[c] > 0) {
                tr_buf_addf(&b, "%s\"%s\":%" PRIu64, sep, tr_audit_code_name((enum tr_audit_code)c),
                            s->by_code[c]);
                sep = ",";
            }
        }
        tr_buf_adds(&b, "}}}\n");
    } else {
        tr_buf_addf(&b,
                    "audit: tree size %" PRIu64 ": leaves %" PRIu64 ", erased %" PRIu64
                    ", nodes %" PRIu64 ", checkpoints %" PRIu64 ", records verified %" PRIu64 "\n",
                    s->tree_size, s->leaves, s->erased, s->nodes, s->checkpoints, s->records);
        if (s->errors == 0) {
            tr_buf_adds(&b, "audit: clean\n");
        } else {
            tr_buf_addf(&b, "audit: %" PRIu64 " problem%s: ", s->errors, s->errors == 1 ? "" : "s");
            add_counts(&b, s);
            tr_buf_addc(&b, '\n');
        }
    }
    int rc = put(&b, &err);
    tr_buf_release(&b);
    return rc == TR_OK ? CLI_EXIT_OK : cli_fail(&err);
}

static int cmd_audit(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"log-only", no_argument, NULL, OPT_LOG_ONLY},
        {NULL, 0, NULL, 0},
    };
    struct audit_out out = {0};
    int log_only = 0;
    struct tr_audit_summary summary;
    struct tr_error err = {0};
    int c;
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        if (c == OPT_JSON) {
            out.json = 1;
        } else if (c == OPT_LOG_ONLY) {
            log_only = 1;
        } else {
            return cli->exit;
        }
    }
    if (optind < argc) {
        return cli_usage_error(cli, "unexpected argument '%s'", argv[optind]);
    }
    out.progress = isatty(STDERR_FILENO);
    struct tr_audit_options opts_audit = {
        .on_finding = on_finding,
        .finding_ctx = &out,
        .on_progress = out.progress ? on_progress : NULL,
        .skip_records = log_only,
    };
    /* The store is open read-only: workers, one per processor, judge the records. */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    opts_audit.threads = cpus > 1 ? (unsigned)(cpus > 8 ? 8 : cpus) : 0;
    if (out.json && cli_write("{\"findings\":[", 13) != CLI_EXIT_OK) {
        return CLI_EXIT_ERROR;
    }
    int rc = tr_audit_run(cli->db, &opts_audit, &summary, &err);
    if (out.progress) {
        fputs("\r\033[K", stderr);
    }
    if (rc != TR_OK) {
        if (out.json) {
            fputs("]}\n", stdout);
        }
        return cli_error("%s", err.msg[0] != '\0' ? err.msg : tr_strerror(rc));
    }
    int code = print_summary(&out, &summary);
    if (code != CLI_EXIT_OK) {
        return code;
    }
    if (fflush(stdout) != 0) {
        return cli_error("cannot write standard output: %s", strerror(errno));
    }
    return summary.errors > 0 ? CLI_EXIT_NEGATIVE : CLI_EXIT_OK;
}

const struct cli_cmd cli_cmd_audit = {"audit", cmd_audit, CLI_STORE_READ,
                                      "check every leaf, node, checkpoint and record of the store",
                                      cmd_audit_usage};
