/*
 * import_source.c — the inputs of a bulk import (import_impl.h): their formats, and the
 * reader's items from JSON lines, YAML documents and CSV rows, each with its position.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import_impl.h"

/* Bytes of a file looked at to tell its format. */
#define SNIFF_BYTES 4096

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

/* ---- Positions in messages ---- */

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
void import_item_message(char *out, size_t size, const char *msg, const char *name, uint64_t line,
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

void import_close_input(struct import *im)
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
        if (over &&
            import_add_problem(s, TR_IMPORT_OVER_LIMIT, "line longer than %zu bytes", max) != 0) {
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
    import_item_message(detail, sizeof detail, e.msg, im->sources[in->source].name, 0, NULL, 0,
                        &s->line);
    *have = 1;
    if (import_add_problem(s, rc == TR_ELIMIT ? TR_IMPORT_OVER_LIMIT : TR_IMPORT_MALFORMED_INPUT,
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
        import_item_message(detail, sizeof detail, e.msg, name, 0, NULL, 0, NULL);
        rc = import_add_problem(s, TR_IMPORT_MALFORMED_INPUT, "header: %s", detail);
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
            rc = import_add_problem(s, TR_IMPORT_MALFORMED_INPUT,
                                    "line %u column %u: column name '%s' %s", (unsigned)f->pos.line,
                                    (unsigned)f->pos.column, f->text, why);
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
        rc = import_add_problem(s, TR_IMPORT_MALFORMED_INPUT,
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
        import_item_message(detail, sizeof detail, e.msg, im->sources[in->source].name, 0, NULL, 0,
                            NULL);
        rc = import_add_problem(
            s, rc == TR_ELIMIT ? TR_IMPORT_OVER_LIMIT : TR_IMPORT_MALFORMED_INPUT, "%s", detail);
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
        rc = import_add_problem(s, TR_IMPORT_MALFORMED_INPUT,
                                "line %u: the row has %zu fields, the header %zu",
                                (unsigned)row.pos.line, row.nfields, in->ncolumns);
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
int import_read_item(struct import *im, struct slot *s, int *got, struct tr_error *err)
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
        import_close_input(im);
    }
    return TR_OK;
}

/* ---- Setting up ---- */

/* Check every input and tell its format, before anything is read or written. */
int import_prepare_sources(struct import *im, const char *const *paths, size_t n,
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
