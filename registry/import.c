/*
 * import.c — bulk import (talentreg/import.h): a reader thread, worker threads that parse,
 * map, sign and precheck, and the caller's thread, which submits in input order.
 *
 * Items travel through a ring of TR_IMPORT_WINDOW slots. Item n lives in slot n % WINDOW
 * from the moment the reader fills it until the writer has stored it; three counters say how
 * far each stage got (next_read >= next_work >= next_write), so the slots need no queue of
 * their own, and the writer takes them in input order whatever order the workers finish in.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream.h"
#include "talentreg/csv.h"
#include "talentreg/date.h"
#include "talentreg/import.h"
#include "talentreg/log.h"
#include "talentreg/proof.h"
#include "talentreg/schema.h"
#include "talentreg/search.h"
#include "talentreg/submit.h"
#include "talentreg/yaml.h"

/* A slot's line buffer larger than this is freed after use rather than kept for the next. */
#define KEEP_TEXT (64u << 10)
/* The progress callback is called every this many items. */
#define PROGRESS_EVERY 256
/* The page cache of the store while it imports, in KiB (see tune). */
#define IMPORT_CACHE_KIB "32768"
/* Pages of write-ahead log after which a commit copies them into the store (see tune). */
#define IMPORT_CHECKPOINT_PAGES "16384"
/* Bytes of a file looked at to tell its format. */
#define SNIFF_BYTES 4096

static const char *const import_codes[] = {"malformed-input", "truncated-line", "over-limit"};

const char *tr_import_reason_code(unsigned reason)
{
    if (reason < TR_VERIFY_REASON_COUNT) {
        return tr_verify_reason_code((enum tr_verify_reason)reason);
    }
    if (reason < TR_IMPORT_REASON_COUNT) {
        return import_codes[reason - TR_VERIFY_REASON_COUNT];
    }
    return "unknown";
}

/* ---- Formats ---- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The format of the first bytes of a file (docs/import.md). */
static enum tr_import_format sniff(const char *p, size_t n)
{
    size_t i = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) {
        i++;
    }
    if (i < n && p[i] == '{') {
        return TR_IMPORT_JSONL;
    }
    if (i < n && (p[i] == '#' || (n - i >= 3 && memcmp(p + i, "---", 3) == 0))) {
        return TR_IMPORT_YAML;
    }
    const char *nl = memchr(p + i, '\n', n - i);
    size_t end = nl != NULL ? (size_t)(nl - p) : n;
    return memchr(p + i, ':', end - i) != NULL ? TR_IMPORT_YAML : TR_IMPORT_CSV;
}

int tr_import_format_of(const char *path, enum tr_import_format *out, struct tr_error *err)
{
    static const struct {
        const char *ext;
        enum tr_import_format format;
    } by_ext[] = {
        {".jsonl", TR_IMPORT_JSONL}, {".ndjson", TR_IMPORT_JSONL}, {".json", TR_IMPORT_JSONL},
        {".yaml", TR_IMPORT_YAML},   {".yml", TR_IMPORT_YAML},     {".csv", TR_IMPORT_CSV},
    };
    char head[SNIFF_BYTES];
    *out = TR_IMPORT_JSONL;
    if (strcmp(path, "-") == 0) {
        return TR_OK;
    }
    for (size_t i = 0; i < sizeof by_ext / sizeof by_ext[0]; i++) {
        if (ends_with(path, by_ext[i].ext)) {
            *out = by_ext[i].format;
            return TR_OK;
        }
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return tr_error_set(err, TR_EIO, "cannot open '%s': %s", path, strerror(errno));
    }
    ssize_t n;
    do {
        n = read(fd, head, sizeof head);
    } while (n < 0 && errno == EINTR);
    int e = errno;
    close(fd);
    if (n < 0) {
        return tr_error_set(err, TR_EIO, "cannot read '%s': %s", path, strerror(e));
    }
    *out = sniff(head, (size_t)n);
    return TR_OK;
}

/* ---- The import's state ---- */

/* One input. */
struct source {
    const char *path;
    const char *name; /* for messages */
    enum tr_import_format format;
    uint64_t base; /* bytes of the inputs before it */
};

enum slot_state { SLOT_FREE = 0, SLOT_READ, SLOT_DONE };

/* One item on its way from the reader to the writer. */
struct slot {
    enum slot_state state;
    size_t source;
    uint64_t line;        /* where it starts */
    size_t record;        /* its number in the file; 0 for a problem of the file as a whole */
    int whole_file;       /* 1: a problem of the file (a CSV header), not of an item */
    uint64_t end;         /* bytes of the file read through it */
    size_t bytes;         /* what it counts in the window */
    int truncated;        /* a last JSON line without its line end */
    struct tr_buf text;   /* a JSON line */
    struct tr_json *doc;  /* a YAML document, or a CSV row made a record */
    struct tr_json *cred; /* the credential */
    struct tr_verify_precheck pre;
    struct tr_import_problem *problems; /* why it is no record (the reader's or a worker's) */
    size_t nproblems, cap;
    int fatal; /* a worker could not go on: error holds why */
    struct tr_error error;
};

/* The reader's state in the input being read. */
struct input {
    size_t source; /* its index; nsources once every input is read */
    int open;
    size_t items;
    uint64_t line; /* JSON lines: the last line read */
    int failed;    /* a YAML stream that failed: nothing more comes of it */
    struct stream lines;
    struct tr_yaml_reader *yaml;
    struct tr_csv_reader *csv;
    struct tr_buf header; /* CSV: the column names, each NUL-terminated */
    size_t *columns;      /* their offsets in header */
    size_t ncolumns;
};

struct import {
    struct tr_db *db;
    const struct tr_import_options *opts;
    struct tr_limits limits;
    struct tr_proof_sign_options sign;
    unsigned char id_key[TR_ID_KEY_LEN];
    struct source *sources;
    size_t nsources;
    struct input in; /* the reader's alone */
    struct slot *slots;
    size_t batch, in_batch;
    int batch_open;
    int flat;            /* the store's savepoints are off: tokens are indexed a batch at once */
    int64_t search_mark; /* the open batch's tr_search_pending_mark */
    int durable;         /* batches are committed on their own: on_commit is called */
    struct tr_buf acked; /* the open batch's records in the store: ids, each ended by '\n' */
    size_t nacked;
    struct tr_import_summary *sum;
    /* Shared between the threads, under lock. */
    pthread_mutex_t lock;
    pthread_cond_t can_read, can_work, can_write;
    uint64_t next_read, next_work, next_write;
    size_t bytes_in_flight;
    int reader_done;
    int stop;   /* the writer has stopped: everyone ends */
    int failed; /* the reader or a worker failed: fail_rc and fail say why */
    int fail_rc;
    struct tr_error fail;
};

static struct slot *slot_of(struct import *im, uint64_t seq)
{
    return &im->slots[seq % TR_IMPORT_WINDOW];
}

static int add_problem(struct slot *s, unsigned reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Note a reason why the item is no record. TR_OK or TR_ENOMEM. */
static int add_problem(struct slot *s, unsigned reason, const char *fmt, ...)
{
    if (s->nproblems == s->cap) {
        size_t more = s->cap == 0 ? 2 : 2 * s->cap;
        struct tr_import_problem *p = realloc(s->problems, more * sizeof *p);
        if (p == NULL) {
            return TR_ENOMEM;
        }
        s->problems = p;
        s->cap = more;
    }
    struct tr_import_problem *p = &s->problems[s->nproblems++];
    va_list ap;
    p->reason = reason;
    va_start(ap, fmt);
    vsnprintf(p->detail, sizeof p->detail, fmt, ap);
    va_end(ap);
    return TR_OK;
}

/* Empty the slot for the next item (keeping a small line buffer). */
static void slot_clear(struct slot *s)
{
    struct tr_buf text = s->text;
    struct tr_import_problem *problems = s->problems;
    size_t cap = s->cap;
    tr_json_free(s->doc);
    tr_json_free(s->cred);
    tr_verify_precheck_release(&s->pre);
    if (text.cap > KEEP_TEXT) {
        tr_buf_release(&text);
    }
    tr_buf_reset(&text);
    memset(s, 0, sizeof *s);
    s->text = text;
    s->problems = problems;
    s->cap = cap;
}

static void slot_release(struct slot *s)
{
    slot_clear(s);
    tr_buf_release(&s->text);
    free(s->problems);
    memset(s, 0, sizeof *s);
}

/* The column (in characters) in a JSON line's text of column c of the parser's line k. */
static size_t column_in_line(const char *text, size_t len, unsigned long k, unsigned long c)
{
    size_t chars = 0;
    for (size_t i = 0; i < len && k > 1; i++) {
        unsigned char b = (unsigned char)text[i];
        chars += (b & 0xC0) != 0x80;
        if (b == '\n' || (b == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            k--;
        }
    }
    return chars + c;
}

/*
 * A parser's message "'NAME' line L column C: WHAT" as a detail: without the name, and, for a
 * JSON line parsed alone (line not 0; text, len its bytes), at the item's line. The parser
 * counts a CR inside the line as a line break, as in a file, but JSON lines are split at LF
 * only: its "line K column C" is the column of that character in the whole line. *at (may be
 * NULL) gets the line the message names.
 */
static void item_message(char *out, size_t size, const char *msg, const char *name, uint64_t line,
                         const char *text, size_t len, uint64_t *at)
{
    size_t n = strlen(name);
    unsigned long long l = 0;
    unsigned long k = 0, c = 0;
    int used = 0;
    if (msg[0] == '\'' && strncmp(msg + 1, name, n) == 0 && strncmp(msg + 1 + n, "' ", 2) == 0) {
        msg += n + 3;
    }
    if (line > 0 && sscanf(msg, "line %lu column %lu: %n", &k, &c, &used) == 2 && used > 0) {
        snprintf(out, size, "line %" PRIu64 " column %zu: %s", line,
                 column_in_line(text, len, k, c), msg + used);
    } else if (line > 0 && strncmp(msg, "line 1 ", 7) == 0) {
        snprintf(out, size, "line %" PRIu64 " %s", line, msg + 7);
    } else {
        snprintf(out, size, "%s", msg);
    }
    if (at != NULL && sscanf(out, "line %llu", &l) == 1) {
        *at = l;
    }
}

/* ---- The reader ---- */

static void close_input(struct import *im)
{
    struct input *in = &im->in;
    if (in->open) {
        stream_close(&in->lines);
    }
    tr_yaml_reader_free(in->yaml);
    tr_csv_reader_free(in->csv);
    tr_buf_release(&in->header);
    free(in->columns);
    size_t next = in->source + 1;
    memset(in, 0, sizeof *in);
    in->source = next;
}

static int open_input(struct import *im, struct tr_error *err)
{
    struct input *in = &im->in;
    const struct source *src = &im->sources[in->source];
    int rc = TR_OK;
    tr_buf_init(&in->header);
    switch (src->format) {
    case TR_IMPORT_YAML:
        rc = tr_yaml_reader_open_file(src->path, &im->limits, &in->yaml, err);
        break;
    case TR_IMPORT_CSV:
        rc = tr_csv_reader_open_file(src->path, im->limits.max_bytes, &in->csv, err);
        break;
    default:
        rc = stream_open_file(&in->lines, src->path, err);
        break;
    }
    in->open = rc == TR_OK;
    return rc;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t') {
            return 0;
        }
    }
    return 1;
}

/* The next line of a JSON-lines input that is not blank. *have = 0 at its end. */
static int next_line(struct import *im, struct slot *s, int *have, struct tr_error *err)
{
    struct input *in = &im->in;
    struct stream *st = &in->lines;
    size_t max = im->limits.max_bytes;
    for (;;) {
        int over = 0, ended = 0;
        tr_buf_reset(&s->text);
        for (;;) {
            if (stream_fill(st, err) != TR_OK) {
                return TR_EIO;
            }
            if (st->n == 0) {
                break;
            }
            const unsigned char *nl = memchr(st->p, '\n', st->n);
            size_t k = nl != NULL ? (size_t)(nl - st->p) : st->n;
            if (!over && s->text.len + k > max) {
                over = 1;
                tr_buf_reset(&s->text);
            }
            if (!over) {
                tr_buf_add(&s->text, st->p, k);
            }
            stream_skip(st, k + (nl != NULL));
            if (nl != NULL) {
                ended = 1;
                break;
            }
        }
        if (s->text.err != TR_OK) {
            return tr_error_set(err, s->text.err, "out of memory");
        }
        if (!ended && !over && s->text.len == 0) {
            *have = 0;
            return TR_OK;
        }
        in->line++;
        if (s->text.len > 0 && s->text.data[s->text.len - 1] == '\r') {
            tr_buf_truncate(&s->text, s->text.len - 1);
        }
        if (in->line == 1 && s->text.len >= 3 && memcmp(s->text.data, "\xEF\xBB\xBF", 3) == 0) {
            memmove(s->text.data, s->text.data + 3, s->text.len - 2);
            s->text.len -= 3;
        }
        if (!over && blank(s->text.data, s->text.len)) {
            continue;
        }
        s->line = in->line;
        s->truncated = !ended;
        s->end = st->offset;
        s->bytes = s->text.len;
        *have = 1;
        if (over && add_problem(s, TR_IMPORT_OVER_LIMIT, "line longer than %zu bytes", max) != 0) {
            return tr_error_set(err, TR_ENOMEM, "out of memory");
        }
        return TR_OK;
    }
}

/* The next document of a YAML input. */
static int next_document(struct import *im, struct slot *s, int *have, struct tr_error *err)
{
    struct input *in = &im->in;
    struct tr_error e = {0};
    struct tr_json *doc = NULL;
    *have = 0;
    if (in->failed) {
        return TR_OK;
    }
    int rc = tr_yaml_reader_next(in->yaml, &doc, &e);
    if (rc == TR_OK && doc != NULL) {
        s->doc = doc;
        s->line = doc->pos.line;
        s->bytes = 1024; /* a YAML record, roughly; the reader does not say */
        *have = 1;
        return TR_OK;
    }
    if (rc == TR_OK) {
        return TR_OK;
    }
    if (rc != TR_EPARSE && rc != TR_ELIMIT) {
        return tr_error_set(err, rc, "%s", e.msg);
    }
    /* The stream cannot be read past this: the rest of the file is lost. */
    char detail[TR_VERIFY_DETAIL_MAX];
    in->failed = 1;
    item_message(detail, sizeof detail, e.msg, im->sources[in->source].name, 0, NULL, 0, &s->line);
    *have = 1;
    if (add_problem(s, rc == TR_ELIMIT ? TR_IMPORT_OVER_LIMIT : TR_IMPORT_MALFORMED_INPUT,
                    "%s (the rest of the file is not read)", detail) != TR_OK) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    return TR_OK;
}

/*
 * The length of the JSON number (RFC 8259) at the start of p, 0 when none starts there;
 * *integral (out) = 1 when it has neither a fraction nor an exponent.
 */
static size_t number_length(const char *p, int *integral)
{
    size_t i = p[0] == '-';
    *integral = 1;
    if (p[i] == '0') {
        i++;
    } else if (p[i] >= '1' && p[i] <= '9') {
        while (p[i] >= '0' && p[i] <= '9') {
            i++;
        }
    } else {
        return 0;
    }
    if (p[i] == '.') {
        *integral = 0;
        if (p[++i] < '0' || p[i] > '9') {
            return 0;
        }
        while (p[i] >= '0' && p[i] <= '9') {
            i++;
        }
    }
    if (p[i] == 'e' || p[i] == 'E') {
        *integral = 0;
        i += p[i + 1] == '+' || p[i + 1] == '-' ? 2 : 1;
        if (p[i] < '0' || p[i] > '9') {
            return 0;
        }
        while (p[i] >= '0' && p[i] <= '9') {
            i++;
        }
    }
    return i;
}

/*
 * A CSV cell as a record value: a number when it is written as a JSON number (its text kept,
 * so a field that wants text gets it as written), else text. An integer beyond 2^53 is an
 * identifier (an all-digit USCC), not an amount, and stays text.
 */
static struct tr_json *cell_value(const struct tr_csv_field *f)
{
    int integral = 0;
    struct tr_json *v = NULL;
    if (number_length(f->text, &integral) == f->len) {
        double d = strtod(f->text, NULL);
        if (isfinite(d) && (!integral || fabs(d) <= 9007199254740992.0)) {
            v = tr_json_new_number(d);
            if (v != NULL && (v->u.number.text = strdup(f->text)) == NULL) {
                tr_json_free(v);
                return NULL;
            }
        }
    }
    if (v == NULL) {
        v = tr_json_new_string(f->text, f->len);
    }
    if (v != NULL) {
        v->pos = f->pos;
    }
    return v;
}

/* Read the CSV header: column names, unique, with a 'kind'. A problem skips the file. */
static int read_header(struct import *im, struct slot *s, int *have, struct tr_error *err)
{
    struct input *in = &im->in;
    struct tr_csv_row row;
    struct tr_error e = {0};
    char detail[TR_VERIFY_DETAIL_MAX];
    const char *name = im->sources[in->source].name;
    int rc = tr_csv_reader_next(in->csv, &row, &e);
    int kind = 0;
    s->whole_file = 1;
    s->line = row.pos.line;
    if (rc == TR_EPARSE || rc == TR_ELIMIT) {
        item_message(detail, sizeof detail, e.msg, name, 0, NULL, 0, NULL);
        rc = add_problem(s, TR_IMPORT_MALFORMED_INPUT, "header: %s", detail);
        goto out;
    }
    if (rc != TR_OK || row.nfields == 0) {
        rc = rc != TR_OK ? tr_error_set(err, rc, "%s", e.msg) : TR_OK;
        goto out;
    }
    in->columns = calloc(row.nfields, sizeof *in->columns);
    if (in->columns == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < row.nfields; i++) {
        const struct tr_csv_field *f = &row.fields[i];
        const char *why = f->len == 0 ? "is empty" : NULL;
        for (size_t k = 0; why == NULL && k < i; k++) {
            if (strcmp(in->header.data + in->columns[k], f->text) == 0) {
                why = "is given twice";
            }
        }
        if (why != NULL) {
            rc = add_problem(s, TR_IMPORT_MALFORMED_INPUT, "line %u column %u: column name '%s' %s",
                             (unsigned)f->pos.line, (unsigned)f->pos.column, f->text, why);
            goto out;
        }
        kind |= strcmp(f->text, "kind") == 0;
        in->columns[i] = in->header.len;
        tr_buf_add(&in->header, f->text, f->len + 1);
    }
    in->ncolumns = row.nfields;
    if (in->header.err != TR_OK) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    if (!kind) {
        rc = add_problem(s, TR_IMPORT_MALFORMED_INPUT,
                         "line %u: the header has no column 'kind' (docs/import.md)",
                         (unsigned)row.pos.line);
        goto out;
    }
    s->whole_file = 0;
    return TR_OK;
out:
    if (rc != TR_OK && s->nproblems == 0) {
        return rc;
    }
    *have = s->nproblems > 0;
    in->failed = 1;
    return rc == TR_ENOMEM ? tr_error_set(err, rc, "out of memory") : TR_OK;
}

/* The next row of a CSV input, made a record with the header's columns as keys. */
static int next_row(struct import *im, struct slot *s, int *have, struct tr_error *err)
{
    struct input *in = &im->in;
    struct tr_csv_row row;
    struct tr_error e = {0};
    char detail[TR_VERIFY_DETAIL_MAX];
    int rc = TR_OK;
    *have = 0;
    if (in->failed) {
        return TR_OK;
    }
    if (in->columns == NULL) {
        rc = read_header(im, s, have, err);
        if (rc != TR_OK || *have || in->failed) {
            return rc;
        }
    }
    rc = tr_csv_reader_next(in->csv, &row, &e);
    s->line = row.pos.line;
    s->end = tr_csv_reader_offset(in->csv);
    if (rc == TR_EPARSE || rc == TR_ELIMIT) {
        *have = 1;
        item_message(detail, sizeof detail, e.msg, im->sources[in->source].name, 0, NULL, 0, NULL);
        rc = add_problem(s, rc == TR_ELIMIT ? TR_IMPORT_OVER_LIMIT : TR_IMPORT_MALFORMED_INPUT,
                         "%s", detail);
        return rc != TR_OK ? tr_error_set(err, rc, "out of memory") : TR_OK;
    }
    if (rc != TR_OK) {
        return tr_error_set(err, rc, "%s", e.msg);
    }
    if (row.nfields == 0) {
        return TR_OK;
    }
    *have = 1;
    if (row.nfields != in->ncolumns) {
        rc = add_problem(s, TR_IMPORT_MALFORMED_INPUT,
                         "line %u: the row has %zu fields, the header %zu", (unsigned)row.pos.line,
                         row.nfields, in->ncolumns);
        return rc != TR_OK ? tr_error_set(err, rc, "out of memory") : TR_OK;
    }
    s->doc = tr_json_new_object();
    for (size_t i = 0; s->doc != NULL && i < row.nfields; i++) {
        const struct tr_csv_field *f = &row.fields[i];
        const char *key = in->header.data + in->columns[i];
        s->bytes += f->len;
        if (f->len == 0) {
            continue; /* an empty cell gives no value */
        }
        struct tr_json *v = cell_value(f);
        if (v == NULL || tr_json_object_add(s->doc, key, strlen(key), f->pos, v) != TR_OK) {
            tr_json_free(s->doc);
            s->doc = NULL;
        }
    }
    if (s->doc == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    s->doc->pos = row.pos;
    return TR_OK;
}

/*
 * Read the next item into s, from the input being read or the next one. *got = 0 when every
 * input is read. A failure to read (not a malformed item) is an error.
 */
static int read_item(struct import *im, struct slot *s, int *got, struct tr_error *err)
{
    struct input *in = &im->in;
    *got = 0;
    while (in->source < im->nsources) {
        int have = 0, rc = TR_OK;
        if (!in->open && (rc = open_input(im, err)) != TR_OK) {
            return rc;
        }
        s->whole_file = 0; /* an empty CSV file's header may have said otherwise */
        switch (im->sources[in->source].format) {
        case TR_IMPORT_YAML:
            rc = next_document(im, s, &have, err);
            break;
        case TR_IMPORT_CSV:
            rc = next_row(im, s, &have, err);
            break;
        default:
            rc = next_line(im, s, &have, err);
            break;
        }
        if (rc != TR_OK) {
            return rc;
        }
        if (have) {
            s->source = in->source;
            s->record = s->whole_file ? 0 : ++in->items;
            *got = 1;
            return TR_OK;
        }
        close_input(im);
    }
    return TR_OK;
}

/* ---- The workers ---- */

/* Every node of a tree parsed from one line is on that line of the file. */
static void set_line(struct tr_json *node, uint64_t line)
{
    node->pos.line = (uint32_t)line;
    if (node->type == TR_JSON_ARRAY) {
        for (size_t i = 0; i < node->u.array.len; i++) {
            set_line(node->u.array.items[i], line);
        }
    } else if (node->type == TR_JSON_OBJECT) {
        for (size_t i = 0; i < node->u.object.len; i++) {
            node->u.object.members[i].key_pos.line = (uint32_t)line;
            set_line(node->u.object.members[i].value, line);
        }
    }
}

/* A JSON line into a credential; a line that is not JSON is a problem of the item. */
static int parse_line(struct import *im, struct slot *s, struct tr_error *err)
{
    const struct source *src = &im->sources[s->source];
    char detail[TR_VERIFY_DETAIL_MAX];
    struct tr_error e = {0};
    int rc = tr_json_parse(s->text.data, s->text.len, src->name, &im->limits, &s->cred, &e);
    if (rc == TR_OK) {
        if (s->line <= UINT32_MAX) {
            set_line(s->cred, s->line);
        }
        return TR_OK;
    }
    if (rc != TR_EPARSE && rc != TR_ELIMIT) {
        return tr_error_set(err, rc, "%s", e.msg);
    }
    item_message(detail, sizeof detail, e.msg, src->name, s->line, s->text.data, s->text.len, NULL);
    if (s->truncated) {
        rc = add_problem(s, TR_IMPORT_TRUNCATED_LINE,
                         "the last line ends without a line feed and is not a whole JSON text: %s",
                         detail);
    } else {
        rc = add_problem(s, rc == TR_ELIMIT ? TR_IMPORT_OVER_LIMIT : TR_IMPORT_MALFORMED_INPUT,
                         "%s", detail);
    }
    return rc != TR_OK ? tr_error_set(err, rc, "out of memory") : TR_OK;
}

/* A YAML or CSV record into its credential, signed with the import's key. */
static int map_and_sign(struct import *im, struct slot *s, struct tr_error *err)
{
    struct tr_diag diag;
    tr_diag_init(&diag, im->sources[s->source].name);
    int rc = tr_schema_from_record(s->doc, im->id_key, &s->cred, &diag);
    if (rc == TR_ESCHEMA) {
        rc = TR_OK;
        for (size_t i = 0; rc == TR_OK && i < diag.len; i++) {
            const struct tr_diag_entry *d = &diag.items[i];
            rc = add_problem(s, TR_VERIFY_SCHEMA_INVALID, "line %u column %u: %s",
                             (unsigned)d->pos.line, (unsigned)d->pos.column, d->msg);
        }
        if (rc == TR_OK && diag.dropped > 0) {
            rc = add_problem(s, TR_VERIFY_SCHEMA_INVALID, "%zu more problems", diag.dropped);
        }
        if (rc != TR_OK) {
            rc = tr_error_set(err, rc, "out of memory");
        }
    } else if (rc != TR_OK) {
        rc = tr_diag_to_error(&diag, rc, err);
    } else {
        rc = tr_proof_sign(s->cred, im->opts->key->seed, &im->sign, err);
    }
    tr_diag_release(&diag);
    return rc;
}

/* Turn the slot's input into a credential with its precheck, or into problems. */
static int work(struct import *im, struct slot *s, struct tr_error *err)
{
    struct tr_error e = {0};
    int rc = TR_OK;
    if (s->nproblems > 0) {
        return TR_OK;
    }
    if (im->sources[s->source].format == TR_IMPORT_JSONL) {
        rc = parse_line(im, s, err);
    } else {
        rc = map_and_sign(im, s, err);
        tr_json_free(s->doc);
        s->doc = NULL;
    }
    if (rc != TR_OK || s->nproblems > 0) {
        return rc;
    }
    rc = tr_verify_precheck(s->cred, &s->pre, &e);
    if (rc == TR_EINVAL) {
        /* An object the canonical form refuses: no record. */
        rc = add_problem(s, TR_VERIFY_SCHEMA_INVALID, "%s", e.msg);
        return rc != TR_OK ? tr_error_set(err, rc, "out of memory") : TR_OK;
    }
    return rc != TR_OK ? tr_error_set(err, rc, "%s", e.msg) : TR_OK;
}

/* ---- The writer ---- */

/* Hand the item's problems, or its verdict's reasons, to the caller. */
static int reject(struct import *im, struct slot *s, const char *record_id, struct tr_error *err)
{
    struct tr_import_summary *sum = im->sum;
    struct tr_import_reject r = {
        .file = im->sources[s->source].name,
        .line = s->line,
        .record = s->record,
        .record_id = record_id,
        .problems = s->problems,
        .nproblems = s->nproblems,
    };
    sum->rejected++;
    if (s->nproblems > 0 && s->problems[0].reason < TR_IMPORT_REASON_COUNT) {
        sum->by_reason[s->problems[0].reason]++;
    }
    if (im->opts->on_reject == NULL) {
        return TR_OK;
    }
    return im->opts->on_reject(im->opts->reject_ctx, &r, err);
}

/* The verdict's reasons as the item's problems. */
static int verdict_problems(struct slot *s, const struct tr_verdict *v)
{
    for (size_t i = 0; i < v->nreasons; i++) {
        if (add_problem(s, v->reasons[i].reason, "%s", v->reasons[i].detail) != TR_OK) {
            return TR_ENOMEM;
        }
    }
    return TR_OK;
}

/*
 * Commit the open batch, with the full-text tokens of its records when they wait for it,
 * then tell on_commit which records it holds.
 */
static int commit_batch(struct import *im, struct tr_error *err)
{
    const struct tr_import_options *o = im->opts;
    im->batch_open = 0;
    int rc = im->flat ? tr_search_index_pending(im->db, im->search_mark, err) : TR_OK;
    if (rc != TR_OK) {
        tr_db_rollback(im->db, NULL);
    } else {
        rc = tr_db_commit(im->db, err);
    }
    if (rc == TR_OK && im->acked.err != TR_OK) {
        rc = tr_error_set(err, im->acked.err, "out of memory");
    }
    if (rc == TR_OK && im->durable && o->on_commit != NULL) {
        struct tr_import_commit c = {im->acked.data, im->nacked, im->sum};
        rc = o->on_commit(o->commit_ctx, &c, err);
    }
    tr_buf_reset(&im->acked);
    im->nacked = 0;
    return rc;
}

/* Store one item (or report it), in the open batch; *rejected says whether it was stored. */
static int write_item(struct import *im, struct slot *s, int *rejected, struct tr_error *err)
{
    struct tr_import_summary *sum = im->sum;
    struct tr_submit_result r;
    struct tr_error e = {0};
    int rc = TR_OK;
    *rejected = 0;
    sum->records++;
    if (!im->batch_open) {
        if ((rc = tr_db_begin(im->db, err)) != TR_OK) {
            return rc;
        }
        im->batch_open = 1;
        im->in_batch = 0;
        if (im->flat && (rc = tr_search_pending_mark(im->db, &im->search_mark, err)) != TR_OK) {
            return rc;
        }
        tr_buf_reset(&im->acked);
        im->nacked = 0;
    }
    if (s->nproblems > 0) {
        *rejected = 1;
        rc = reject(im, s, "", err);
        goto out;
    }
    rc = tr_submit_prechecked(im->db, s->cred, &s->pre, &r, &e);
    if (rc != TR_OK) {
        return tr_error_set(err, rc, "'%s' line %" PRIu64 ": %s", im->sources[s->source].name,
                            s->line, e.msg);
    }
    switch (r.status) {
    case TR_SUBMIT_STORED:
        sum->stored++;
        sum->log_size = r.leaf + 1;
        break;
    case TR_SUBMIT_MERGED:
        sum->merged++;
        sum->log_size = r.leaf + 1;
        break;
    case TR_SUBMIT_DUPLICATE:
        sum->duplicates++;
        break;
    case TR_SUBMIT_REJECTED:
        *rejected = 1;
        rc = verdict_problems(s, &r.verdict);
        rc = rc != TR_OK ? tr_error_set(err, rc, "out of memory") : reject(im, s, r.record_id, err);
        break;
    }
    if (!*rejected && im->durable) {
        tr_buf_adds(&im->acked, r.record_id);
        tr_buf_addc(&im->acked, '\n');
        im->nacked++;
    }
    tr_submit_result_release(&r);
out:
    if (rc == TR_OK) {
        sum->bytes = im->sources[s->source].base + s->end;
    }
    if (rc == TR_OK && ++im->in_batch >= im->batch) {
        rc = commit_batch(im, err);
    }
    return rc;
}

/* After the item written: progress, and whether strict stops here. *stop (out). */
static int after_item(struct import *im, int rejected, int *stop)
{
    const struct tr_import_options *o = im->opts;
    *stop = rejected && o->strict;
    im->sum->stopped = *stop;
    if (o->on_progress != NULL && im->sum->records % PROGRESS_EVERY == 0) {
        o->on_progress(o->progress_ctx, im->sum);
    }
    return TR_OK;
}

/* ---- Threads ---- */

/* Record the first failure of the reader or a worker and wake everyone. Lock held. */
static void fail_locked(struct import *im, int rc, const struct tr_error *e)
{
    if (!im->failed) {
        im->failed = 1;
        im->fail_rc = rc;
        tr_error_set(&im->fail, rc, "%s", e->msg[0] != '\0' ? e->msg : tr_strerror(rc));
    }
    pthread_cond_broadcast(&im->can_read);
    pthread_cond_broadcast(&im->can_work);
    pthread_cond_broadcast(&im->can_write);
}

static void *reader_main(void *arg)
{
    struct import *im = arg;
    for (;;) {
        struct tr_error e = {0};
        int got = 0;
        pthread_mutex_lock(&im->lock);
        while (
            !im->stop && !im->failed &&
            (im->next_read - im->next_write >= TR_IMPORT_WINDOW ||
             (im->bytes_in_flight >= TR_IMPORT_WINDOW_BYTES && im->next_read != im->next_write))) {
            pthread_cond_wait(&im->can_read, &im->lock);
        }
        if (im->stop || im->failed) {
            pthread_mutex_unlock(&im->lock);
            return NULL;
        }
        struct slot *s = slot_of(im, im->next_read);
        pthread_mutex_unlock(&im->lock);
        int rc = read_item(im, s, &got, &e);
        pthread_mutex_lock(&im->lock);
        if (rc != TR_OK) {
            fail_locked(im, rc, &e);
        } else if (!got) {
            im->reader_done = 1;
            pthread_cond_broadcast(&im->can_work);
            pthread_cond_broadcast(&im->can_write);
        } else {
            s->state = SLOT_READ;
            im->bytes_in_flight += s->bytes;
            im->next_read++;
            pthread_cond_signal(&im->can_work);
        }
        int done = rc != TR_OK || !got;
        pthread_mutex_unlock(&im->lock);
        if (done) {
            return NULL;
        }
    }
}

static void *worker_main(void *arg)
{
    struct import *im = arg;
    for (;;) {
        struct tr_error e = {0};
        pthread_mutex_lock(&im->lock);
        while (!im->stop && !im->failed && im->next_work == im->next_read && !im->reader_done) {
            pthread_cond_wait(&im->can_work, &im->lock);
        }
        if (im->stop || im->failed || im->next_work == im->next_read) {
            pthread_mutex_unlock(&im->lock);
            return NULL;
        }
        uint64_t seq = im->next_work++;
        struct slot *s = slot_of(im, seq);
        pthread_mutex_unlock(&im->lock);
        int rc = work(im, s, &e);
        pthread_mutex_lock(&im->lock);
        if (rc != TR_OK) {
            fail_locked(im, rc, &e);
        }
        s->state = SLOT_DONE;
        if (seq == im->next_write) {
            pthread_cond_signal(&im->can_write);
        }
        pthread_mutex_unlock(&im->lock);
    }
}

/* The writer with a reader and workers: items in input order as they are done. */
static int run_threads(struct import *im, unsigned nworkers, struct tr_error *err)
{
    pthread_t reader, workers[TR_IMPORT_MAX_THREADS];
    unsigned started = 0;
    int have_reader = 0, rc = TR_OK;
    if (pthread_create(&reader, NULL, reader_main, im) != 0) {
        return tr_error_set(err, TR_EIO, "cannot start the import's reader thread");
    }
    have_reader = 1;
    for (; started < nworkers; started++) {
        if (pthread_create(&workers[started], NULL, worker_main, im) != 0) {
            rc = tr_error_set(err, TR_EIO, "cannot start the import's worker threads");
            break;
        }
    }
    for (;;) {
        int rejected = 0, stop = 0;
        pthread_mutex_lock(&im->lock);
        struct slot *s = slot_of(im, im->next_write);
        while (rc == TR_OK && !im->failed && s->state != SLOT_DONE &&
               !(im->reader_done && im->next_write == im->next_read)) {
            pthread_cond_wait(&im->can_write, &im->lock);
        }
        if (rc == TR_OK && im->failed) {
            rc = tr_error_set(err, im->fail_rc, "%s", im->fail.msg);
        }
        int end = rc != TR_OK || s->state != SLOT_DONE;
        pthread_mutex_unlock(&im->lock);
        if (end) {
            break;
        }
        rc = write_item(im, s, &rejected, err);
        if (rc == TR_OK) {
            rc = after_item(im, rejected, &stop);
        }
        pthread_mutex_lock(&im->lock);
        im->bytes_in_flight -= s->bytes;
        slot_clear(s);
        im->next_write++;
        pthread_cond_signal(&im->can_read);
        pthread_mutex_unlock(&im->lock);
        if (rc != TR_OK || stop) {
            break;
        }
    }
    pthread_mutex_lock(&im->lock);
    im->stop = 1;
    pthread_cond_broadcast(&im->can_read);
    pthread_cond_broadcast(&im->can_work);
    pthread_mutex_unlock(&im->lock);
    if (have_reader) {
        pthread_join(reader, NULL);
    }
    for (unsigned i = 0; i < started; i++) {
        pthread_join(workers[i], NULL);
    }
    return rc;
}

/* Everything in the caller's thread, one item at a time. */
static int run_inline(struct import *im, struct tr_error *err)
{
    struct slot *s = &im->slots[0];
    int rc = TR_OK;
    for (;;) {
        int got = 0, rejected = 0, stop = 0;
        rc = read_item(im, s, &got, err);
        if (rc != TR_OK || !got) {
            break;
        }
        rc = work(im, s, err);
        if (rc == TR_OK) {
            rc = write_item(im, s, &rejected, err);
        }
        if (rc == TR_OK) {
            rc = after_item(im, rejected, &stop);
        }
        slot_clear(s);
        if (rc != TR_OK || stop) {
            break;
        }
    }
    return rc;
}

/* ---- Setting up ---- */

/* Check every input and tell its format, before anything is read or written. */
static int prepare_sources(struct import *im, const char *const *paths, size_t n,
                           struct tr_error *err)
{
    int stdin_seen = 0, known = 1;
    uint64_t base = 0;
    im->sources = calloc(n, sizeof *im->sources);
    if (im->sources == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    im->nsources = n;
    for (size_t i = 0; i < n; i++) {
        struct source *src = &im->sources[i];
        struct stat st;
        int is_stdin = strcmp(paths[i], "-") == 0;
        src->path = paths[i];
        src->name = is_stdin ? "<stdin>" : paths[i];
        src->base = base;
        if (is_stdin && stdin_seen++) {
            return tr_error_set(err, TR_EINVAL, "standard input ('-') can be read only once");
        }
        if (!is_stdin && stat(paths[i], &st) != 0) {
            return tr_error_set(err, TR_EIO, "cannot open '%s': %s", paths[i], strerror(errno));
        }
        if (!is_stdin && S_ISDIR(st.st_mode)) {
            return tr_error_set(err, TR_EIO, "cannot read '%s': it is a directory", paths[i]);
        }
        if (is_stdin || !S_ISREG(st.st_mode)) {
            known = 0;
        } else {
            base += (uint64_t)st.st_size;
        }
        int rc = TR_OK;
        src->format = im->opts->format;
        if (src->format == TR_IMPORT_AUTO) {
            rc = tr_import_format_of(paths[i], &src->format, err);
        } else if (!is_stdin && access(paths[i], R_OK) != 0) {
            rc = tr_error_set(err, TR_EIO, "cannot open '%s': %s", paths[i], strerror(errno));
        }
        if (rc != TR_OK) {
            return rc;
        }
        if (src->format != TR_IMPORT_JSONL && im->opts->key == NULL) {
            return tr_error_set(err, TR_EINVAL,
                                "'%s' holds %s records, which are signed on import: no signing "
                                "key was given",
                                src->name, src->format == TR_IMPORT_CSV ? "CSV" : "YAML");
        }
    }
    im->sum->total_bytes = known ? base : 0;
    return TR_OK;
}

/* The store's settings the import changes, restored when it ends. */
struct tuning {
    int saved;
    int flat; /* savepoints were turned off */
    int64_t cache_size, temp_store, wal_autocheckpoint;
};

static int pragma_value(struct tr_db *db, const char *sql, int64_t *out, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    int rc = tr_db_prepare(db, sql, &st, err);
    if (rc == TR_OK) {
        rc = tr_db_step(st, &row, err);
    }
    *out = rc == TR_OK && row ? tr_db_column_int(st, 0) : 0;
    return tr_db_finalize(st, rc, err);
}

/*
 * Give the store what an import needs while it runs. A record's id is a random key in two
 * indexes (log_entry_record, record), so each record dirties a page of each: with SQLite's
 * default 2 MiB cache a batch spills to the write-ahead log before it commits, writing the
 * same pages again and again. And every record is written in three nested savepoints, whose
 * journals of the pages they change go to temporary files unless kept in memory. Better
 * still, the import needs no savepoints at all: a record it rejects has written nothing, and
 * any failure ends the batch, so they are turned off when no transaction of the caller's is
 * open (each savepoint also made the full-text index write a segment of its own). The
 * write-ahead log is copied into the store every 64 MiB rather than every 4 MiB, so an index
 * page that each batch changes is copied (and the store synced) once for many batches. The
 * log's synchronous = FULL stays: a committed batch survives a crash or a power loss.
 */
static int tune(struct tr_db *db, struct tuning *t, struct tr_error *err)
{
    int rc = pragma_value(db, "PRAGMA cache_size", &t->cache_size, err);
    if (rc == TR_OK) {
        rc = pragma_value(db, "PRAGMA temp_store", &t->temp_store, err);
    }
    if (rc == TR_OK) {
        rc = pragma_value(db, "PRAGMA wal_autocheckpoint", &t->wal_autocheckpoint, err);
    }
    if (rc == TR_OK) {
        t->saved = 1;
        rc = tr_db_exec(db,
                        "PRAGMA cache_size = -" IMPORT_CACHE_KIB "; PRAGMA temp_store = MEMORY; "
                        "PRAGMA wal_autocheckpoint = " IMPORT_CHECKPOINT_PAGES,
                        err);
    }
    if (rc == TR_OK && tr_db_in_transaction(db) == 0) {
        rc = tr_db_set_savepoints(db, 0, err);
        t->flat = rc == TR_OK;
    }
    return rc;
}

static void untune(struct tr_db *db, const struct tuning *t)
{
    char sql[192];
    if (t->saved) {
        snprintf(sql, sizeof sql,
                 "PRAGMA cache_size = %" PRId64 "; PRAGMA temp_store = %" PRId64
                 "; PRAGMA wal_autocheckpoint = %" PRId64,
                 t->cache_size, t->temp_store, t->wal_autocheckpoint);
        tr_db_exec(db, sql, NULL);
    }
    if (t->flat) {
        tr_db_set_savepoints(db, 1, NULL);
    }
}

static int check_options(const struct tr_import_options *o, size_t npaths, struct tr_error *err)
{
    int64_t seconds;
    if (npaths == 0) {
        return tr_error_set(err, TR_EINVAL, "no input to import");
    }
    if (o->threads > TR_IMPORT_MAX_THREADS) {
        return tr_error_set(err, TR_EINVAL, "at most %d worker threads, not %u",
                            TR_IMPORT_MAX_THREADS, o->threads);
    }
    if ((unsigned)o->format > TR_IMPORT_CSV) {
        return tr_error_set(err, TR_EINVAL, "unknown input format %d", (int)o->format);
    }
    if (o->created != NULL &&
        tr_date_parse_datetime(o->created, strlen(o->created), &seconds, NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL,
                            "created '%s' is not a UTC date-time like 2024-05-01T08:00:00Z",
                            o->created);
    }
    return o->limits != NULL ? tr_limits_check(o->limits, err) : TR_OK;
}

int tr_import_run(struct tr_db *db, const char *const *paths, size_t npaths,
                  const struct tr_import_options *opts, struct tr_import_summary *summary,
                  struct tr_error *err)
{
    struct import im;
    struct tuning tuning = {0};
    int rc = TR_OK, outer = 0;
    memset(summary, 0, sizeof *summary);
    memset(&im, 0, sizeof im);
    im.db = db;
    im.opts = opts;
    im.sum = summary;
    im.batch = opts->batch > 0 ? opts->batch : TR_IMPORT_BATCH;
    im.sign.created = opts->created;
    im.in.source = 0;
    im.durable = !opts->dry_run && tr_db_in_transaction(db) == 0;
    tr_buf_init(&im.acked);
    pthread_mutex_init(&im.lock, NULL);
    pthread_cond_init(&im.can_read, NULL);
    pthread_cond_init(&im.can_work, NULL);
    pthread_cond_init(&im.can_write, NULL);
    if (opts->limits != NULL) {
        im.limits = *opts->limits;
    } else {
        tr_limits_default(&im.limits);
    }
    if ((rc = check_options(opts, npaths, err)) != TR_OK ||
        (rc = prepare_sources(&im, paths, npaths, err)) != TR_OK ||
        (rc = tr_db_id_key(db, im.id_key, err)) != TR_OK ||
        (rc = tr_log_size(db, &summary->log_size, err)) != TR_OK ||
        (rc = tune(db, &tuning, err)) != TR_OK) {
        goto out;
    }
    im.flat = tuning.flat;
    im.slots = calloc(opts->threads > 0 ? TR_IMPORT_WINDOW : 1, sizeof *im.slots);
    if (im.slots == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    if (opts->dry_run) {
        /* One transaction around the batches, rolled back: later records see earlier ones. */
        if ((rc = tr_db_begin(db, err)) != TR_OK) {
            goto out;
        }
        outer = 1;
    }
    rc = opts->threads > 0 ? run_threads(&im, opts->threads, err) : run_inline(&im, err);
    if (im.batch_open && rc == TR_OK) {
        rc = commit_batch(&im, err);
    } else if (im.batch_open) {
        tr_db_rollback(db, NULL);
    }
    im.batch_open = 0;
    if (opts->on_progress != NULL) {
        opts->on_progress(opts->progress_ctx, summary);
    }
out:
    if (outer) {
        tr_db_rollback(db, NULL);
    }
    untune(db, &tuning);
    if (im.in.source < im.nsources) {
        close_input(&im);
    }
    for (size_t i = 0; im.slots != NULL && i < (opts->threads > 0 ? TR_IMPORT_WINDOW : 1); i++) {
        slot_release(&im.slots[i]);
    }
    free(im.slots);
    free(im.sources);
    tr_buf_release(&im.acked);
    tr_wipe(im.id_key, sizeof im.id_key);
    pthread_cond_destroy(&im.can_write);
    pthread_cond_destroy(&im.can_work);
    pthread_cond_destroy(&im.can_read);
    pthread_mutex_destroy(&im.lock);
    return rc;
}
