/*
 * cmd_import.c — `talentreg import`: many records at once from JSON lines, YAML streams and
 * CSV files (registry/import*.c), with a progress line and a summary.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "talentreg/import.h"

static const char cmd_import_usage[] =
    "usage: talentreg import [--key KEY] [--dry-run] [--strict] [--json] [--ack FILE] FILE...\n"
    "\n"
    "Import records in bulk (docs/import.md), in the order given: JSON lines of signed\n"
    "credentials (.jsonl, .ndjson, .json; \"-\" reads standard input), YAML streams of records\n"
    "(.yaml, .yml) and CSV files with a header row of record keys (.csv), the last two signed\n"
    "with KEY as they are read. Other names are told by their first bytes.\n"
    "\n"
    "Every record is verified as 'talentreg submit' verifies it, as of the log's end, and\n"
    "stored only when it counts; signatures are checked on every processor, and the records\n"
    "are stored in input order, committed every --batch records. A record that is already\n"
    "stored changes nothing, so an interrupted import is simply run again. Each record that\n"
    "is not stored gets one line per reason:\n"
    "  rejected 'FILE' line N: CODE: DETAIL\n"
    "then a summary: stored, already stored, merged, rejected by reason. A progress line is\n"
    "shown on standard error when it is a terminal.\n"
    "Exit status: 0 when every record was stored (or already was), 1 when one was not, 2 on\n"
    "an error (what was committed before it stays).\n"
    "\n"
    "Options:\n"
    "  --key KEY            sign YAML and CSV records with this key file\n"
    "  --passphrase-file F  the key's passphrase, the first line of F\n"
    "  --created DATETIME   the created time of those proofs (default: now, UTC)\n"
    "  --format F           read every FILE as jsonl, yaml or csv\n"
    "  --dry-run            verify and report, store nothing\n"
    "  --strict             stop at the first record not stored; the records before it are\n"
    "                       stored, nothing after it\n"
    "  --threads N          worker threads (default: one per processor; 0: none)\n"
    "  --batch N            records per transaction (default 1000)\n"
    "  --ack FILE           after each batch is committed, add the record id of each of its\n"
    "                       records now in the store to FILE, a line each, and sync it\n"
    "  --json               print {\"rejected\": [...], \"summary\": {...}} as "
    "JSON\n" CLI_LIMIT_USAGE;

enum {
    OPT_KEY = CLI_OPT_BASE + 1,
    OPT_PASSPHRASE_FILE,
    OPT_CREATED,
    OPT_FORMAT,
    OPT_DRY_RUN,
    OPT_STRICT,
    OPT_THREADS,
    OPT_BATCH,
    OPT_ACK,
    OPT_JSON
};

/* How often the progress line is redrawn, in seconds, and its bar. */
#define PROGRESS_PERIOD 0.2
#define PROGRESS_WIDTH 24
#define PROGRESS_BAR "########################"

struct report {
    int json;
    int progress;     /* standard error is a terminal */
    int shown;        /* a progress line is on the terminal */
    double start;     /* when the import began */
    double last;      /* when the progress line was last drawn */
    uint64_t printed; /* rejections written */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_progress(struct report *rp)
{
    if (rp->shown) {
        fputs("\r\033[K", stderr);
        rp->shown = 0;
    }
}

static void on_progress(void *ctx, const struct tr_import_summary *s)
{
    struct report *rp = ctx;
    double t = now();
    if (t - rp->last < PROGRESS_PERIOD) {
        return;
    }
    double rate = t > rp->start ? (double)s->records / (t - rp->start) : 0;
    rp->last = t;
    rp->shown = 1;
    fputs("\r\033[Kimport: ", stderr);
    if (s->total_bytes > 0 && s->bytes > 0) {
        double done = (double)s->bytes / (double)s->total_bytes;
        double left = (t - rp->start) * (1 - done) / done;
        int filled = (int)(done * PROGRESS_WIDTH + 0.5);
        fprintf(stderr, "[%.*s%*s] %3.0f%%, ETA %d:%02d, ", filled, PROGRESS_BAR,
                PROGRESS_WIDTH - filled, "", 100 * done, (int)(left / 60), (int)left % 60);
    }
    fprintf(stderr, "%" PRIu64 " records, %.0f records/s", s->records, rate);
    fflush(stderr);
}

/* One rejected item as JSON: file, line, record, recordId, reasons. */
static struct tr_json *reject_json(const struct tr_import_reject *r)
{
    struct tr_json *o = tr_json_new_object(), *list = tr_json_new_array();
    int rc = o != NULL && list != NULL ? TR_OK : TR_ENOMEM;
    for (size_t i = 0; rc == TR_OK && i < r->nproblems; i++) {
        struct tr_json *p = tr_json_new_object();
        cli_json_set(p, "code", tr_json_new_cstr(tr_import_reason_code(r->problems[i].reason)),
                     &rc);
        cli_json_set(p, "detail", tr_json_new_cstr(r->problems[i].detail), &rc);
        rc = rc == TR_OK ? tr_json_array_append(list, p) : (tr_json_free(p), rc);
    }
    cli_json_set(o, "file", tr_json_new_cstr(r->file), &rc);
    cli_json_set(o, "line", tr_json_new_number((double)r->line), &rc);
    cli_json_set(o, "record", tr_json_new_number((double)r->record), &rc);
    if (r->record_id[0] != '\0') {
        cli_json_set(o, "recordId", tr_json_new_cstr(r->record_id), &rc);
    }
    cli_json_set(o, "reasons", list, &rc);
    list = NULL;
    if (rc != TR_OK) {
        tr_json_free(o);
        o = NULL;
    }
    tr_json_free(list);
    return o;
}

static int on_reject(void *ctx, const struct tr_import_reject *r, struct tr_error *err)
{
    struct report *rp = ctx;
    struct tr_buf b;
    int rc = TR_OK;
    tr_buf_init(&b);
    clear_progress(rp);
    if (rp->json) {
        struct tr_json *j = reject_json(r);
        tr_buf_adds(&b, rp->printed == 0 ? "\n" : ",\n");
        rc = j == NULL ? tr_error_set(err, TR_ENOMEM, "out of memory")
                       : tr_json_write(j, TR_JSON_COMPACT, &b, err);
        tr_json_free(j);
    } else {
        for (size_t i = 0; i < r->nproblems; i++) {
            tr_buf_addf(&b, "rejected '%s'", r->file);
            if (r->line > 0) {
                tr_buf_addf(&b, " line %" PRIu64, r->line);
            }
            tr_buf_addf(&b, ": %s: %s\n", tr_import_reason_code(r->problems[i].reason),
                        r->problems[i].detail);
        }
    }
    if (rc == TR_OK && b.err != TR_OK) {
        rc = tr_error_set(err, b.err, "%s", tr_strerror(b.err));
    }
    if (rc == TR_OK && fwrite(b.data, 1, b.len, stdout) != b.len) {
        rc = tr_error_set(err, TR_EIO, "cannot write standard output: %s", strerror(errno));
    }
    rp->printed++;
    tr_buf_release(&b);
    return rc;
}

/* The summary: text lines, or the end of the JSON document. */
static int print_summary(const struct report *rp, const struct tr_import_summary *s, int dry_run)
{
    struct tr_buf b;
    const char *sep = "";
    tr_buf_init(&b);
    if (rp->json) {
        tr_buf_addf(&b,
                    "%s],\"summary\":{\"records\":%" PRIu64 ",\"stored\":%" PRIu64
                    ",\"duplicates\":%" PRIu64 ",\"merged\":%" PRIu64 ",\"rejected\":%" PRIu64
                    ",\"reasons\":{",
                    rp->printed > 0 ? "\n" : "", s->records, s->stored, s->duplicates, s->merged,
                    s->rejected);
        for (unsigned i = 0; i < TR_IMPORT_REASON_COUNT; i++) {
            if (s->by_reason[i] > 0) {
                tr_buf_addf(&b, "%s\"%s\":%" PRIu64, sep, tr_import_reason_code(i),
                            s->by_reason[i]);
                sep = ",";
            }
        }
        tr_buf_addf(&b, "},\"logSize\":%" PRIu64 ",\"dryRun\":%s,\"stopped\":%s}}\n", s->log_size,
                    dry_run ? "true" : "false", s->stopped ? "true" : "false");
    } else {
        tr_buf_addf(&b,
                    "import: %" PRIu64 " records: %" PRIu64 " stored, %" PRIu64
                    " already stored, %" PRIu64 " merged, %" PRIu64 " rejected\n",
                    s->records, s->stored, s->duplicates, s->merged, s->rejected);
        if (s->rejected > 0) {
            tr_buf_adds(&b, "import: rejected by reason:");
            for (unsigned i = 0; i < TR_IMPORT_REASON_COUNT; i++) {
                if (s->by_reason[i] > 0) {
                    tr_buf_addf(&b, "%s %s %" PRIu64, sep, tr_import_reason_code(i),
                                s->by_reason[i]);
                    sep = ",";
                }
            }
            tr_buf_addc(&b, '\n');
        }
        if (s->stopped) {
            tr_buf_adds(&b, "import: stopped at the first record not stored (--strict)\n");
        }
        if (dry_run) {
            tr_buf_addf(
                &b, "import: dry run: nothing was stored (the log would have %" PRIu64 " leaves)\n",
                s->log_size);
        } else {
            tr_buf_addf(&b, "import: the log has %" PRIu64 " leaves\n", s->log_size);
        }
    }
    int code = b.err != TR_OK ? cli_error("%s", tr_strerror(b.err)) : cli_write(b.data, b.len);
    tr_buf_release(&b);
    if (code == CLI_EXIT_OK && fflush(stdout) != 0) {
        code = cli_error("cannot write standard output: %s", strerror(errno));
    }
    return code;
}

/* --ack: the file of acknowledged record ids. */
struct ack {
    const char *path;
    int fd;
};

/*
 * A batch is committed: its record ids go to the end of the ack file, synced, before the next
 * batch begins, so that every complete line names a record the store keeps.
 */
static int on_commit(void *ctx, const struct tr_import_commit *batch, struct tr_error *err)
{
    struct ack *a = ctx;
    size_t len = batch->count * (TR_RECORD_ID_LEN + 1), done = 0;
    while (done < len) {
        ssize_t n = write(a->fd, batch->record_ids + done, len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return tr_error_set(err, TR_EIO, "cannot write '%s': %s", a->path, strerror(errno));
        }
        done += (size_t)n;
    }
    if (len > 0 && fdatasync(a->fd) != 0) {
        return tr_error_set(err, TR_EIO, "cannot write '%s': %s", a->path, strerror(errno));
    }
    return TR_OK;
}

/*
 * Open the ack file to add to it. A last line without its line feed is a write that a kill
 * cut short: it was never acknowledged, and it is cut off so that the next line starts on a
 * line of its own. Returns CLI_EXIT_OK or CLI_EXIT_ERROR (said on stderr).
 */
static int open_ack(struct ack *a)
{
    char tail[TR_RECORD_ID_LEN + 1];
    struct stat st;
    ssize_t n = 0;
    a->fd = open(a->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (a->fd < 0 || fstat(a->fd, &st) != 0) {
        return cli_error("cannot open '%s': %s", a->path, strerror(errno));
    }
    off_t keep = st.st_size,
          from = st.st_size > (off_t)sizeof tail ? st.st_size - (off_t)sizeof tail : 0;
    if (st.st_size > 0 && (n = pread(a->fd, tail, (size_t)(st.st_size - from), from)) < 0) {
        return cli_error("cannot read '%s': %s", a->path, strerror(errno));
    }
    if (n != st.st_size - from) {
        return cli_error("cannot read '%s': it changed while it was read", a->path);
    }
    while (keep > from && tail[keep - from - 1] != '\n') {
        keep--;
    }
    if (keep < st.st_size && keep == from && from > 0) {
        return cli_error("'%s' is not a file of record ids, one a line", a->path);
    }
    if ((keep < st.st_size && ftruncate(a->fd, keep) != 0) || lseek(a->fd, 0, SEEK_END) < 0) {
        return cli_error("cannot write '%s': %s", a->path, strerror(errno));
    }
    return CLI_EXIT_OK;
}

/* --threads: 0 to TR_IMPORT_MAX_THREADS. */
static int parse_threads(struct cli *cli, const char *text, unsigned *out)
{
    size_t n = 0;
    if (strcmp(text, "0") == 0) {
        *out = 0;
        return CLI_EXIT_OK;
    }
    if (cli_parse_size(cli, "threads", text, &n) != CLI_EXIT_OK) {
        return CLI_EXIT_ERROR;
    }
    if (n > TR_IMPORT_MAX_THREADS) {
        return cli_usage_error(cli, "option '--threads' takes at most %d, not %zu",
                               TR_IMPORT_MAX_THREADS, n);
    }
    *out = (unsigned)n;
    return CLI_EXIT_OK;
}

static int parse_format(struct cli *cli, const char *text, enum tr_import_format *out)
{
    static const char *const names[] = {"", "jsonl", "yaml", "csv"};
    for (unsigned i = 1; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (enum tr_import_format)i;
            return CLI_EXIT_OK;
        }
    }
    return cli_usage_error(cli, "option '--format' takes jsonl, yaml or csv, not '%s'", text);
}

static int cmd_import(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, OPT_KEY},
        {"passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE},
        {"created", required_argument, NULL, OPT_CREATED},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"ack", required_argument, NULL, OPT_ACK},
        {"json", no_argument, NULL, OPT_JSON},
        CLI_LIMIT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct tr_import_options io = {0};
    struct tr_import_summary summary;
    struct tr_limits limits;
    struct report rp = {0};
    struct ack ack = {NULL, -1};
    struct tr_key *key = NULL;
    struct tr_error err = {0};
    const char *key_path = NULL, *passfile = NULL;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int c, code = CLI_EXIT_OK;
    tr_limits_default(&limits);
    io.limits = &limits;
    io.threads =
        cpus > 1 ? (unsigned)(cpus > TR_IMPORT_MAX_THREADS ? TR_IMPORT_MAX_THREADS : cpus) : 1;
    while ((c = cli_getopt(cli, argc, argv, opts)) != -1) {
        switch (c) {
        case OPT_KEY:
            key_path = optarg;
            break;
        case OPT_PASSPHRASE_FILE:
            passfile = optarg;
            break;
        case OPT_CREATED:
            io.created = optarg;
            break;
        case OPT_FORMAT:
            code = parse_format(cli, optarg, &io.format);
            break;
        case OPT_DRY_RUN:
            io.dry_run = 1;
            break;
        case OPT_STRICT:
            io.strict = 1;
            break;
        case OPT_THREADS:
            code = parse_threads(cli, optarg, &io.threads);
            break;
        case OPT_BATCH:
            code = cli_parse_size(cli, "batch", optarg, &io.batch);
            break;
        case OPT_ACK:
            ack.path = optarg;
            break;
        case OPT_JSON:
            rp.json = 1;
            break;
        case '?':
            return cli->exit;
        default:
            code = cli_limit_option(cli, c, optarg, &limits);
            break;
        }
        if (code != CLI_EXIT_OK) {
            return code;
        }
    }
    if (optind >= argc) {
        return cli_usage_error(cli, "no FILE given");
    }
    if (ack.path != NULL && io.dry_run) {
        return cli_usage_error(cli, "option '--ack' cannot be used with '--dry-run'");
    }
    if (key_path != NULL && (code = cli_load_key(key_path, passfile, &key)) != CLI_EXIT_OK) {
        return code;
    }
    /* Batches are committed one by one, not in the dispatcher's one transaction; a dry run
     * keeps it and leaves it empty. */
    if (!io.dry_run && (code = cli_commit(cli)) != CLI_EXIT_OK) {
        goto out;
    }
    if (ack.path != NULL) {
        if ((code = open_ack(&ack)) != CLI_EXIT_OK) {
            goto out;
        }
        io.on_commit = on_commit;
        io.commit_ctx = &ack;
    }
    io.key = key;
    io.on_reject = on_reject;
    io.reject_ctx = &rp;
    rp.progress = isatty(STDERR_FILENO);
    rp.start = rp.last = now();
    if (rp.progress) {
        io.on_progress = on_progress;
        io.progress_ctx = &rp;
    }
    if (rp.json && cli_write("{\"rejected\":[", 13) != CLI_EXIT_OK) {
        code = CLI_EXIT_ERROR;
        goto out;
    }
    int rc = tr_import_run(cli->db, (const char *const *)argv + optind, (size_t)(argc - optind),
                           &io, &summary, &err);
    clear_progress(&rp);
    if (rc == TR_OK || summary.records > 0 || rp.json) {
        code = print_summary(&rp, &summary, io.dry_run);
    }
    if (rc != TR_OK) {
        code = cli_fail(&err);
        code = code == CLI_EXIT_NEGATIVE ? CLI_EXIT_ERROR : code;
    } else if (code == CLI_EXIT_OK && summary.rejected > 0) {
        code = CLI_EXIT_NEGATIVE;
    }
out:
    if (ack.fd >= 0 && close(ack.fd) != 0 && code != CLI_EXIT_ERROR) {
        code = cli_error("cannot write '%s': %s", ack.path, strerror(errno));
    }
    tr_key_free(key);
    return code;
}

const struct cli_cmd cli_cmd_import = {
    "import", cmd_import, CLI_STORE_WRITE,
    "verify and store many records: JSON lines, YAML streams, CSV files", cmd_import_usage};
