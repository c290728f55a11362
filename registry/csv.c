/* csv.c — RFC 4180 CSV read row by row, with positions (talentreg/csv.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "talentreg/buf.h"
#include "talentreg/csv.h"
#include "utf8.h"

/* What peek returns at the end of the input, and after a read failure. */
#define END (-1)
#define FAIL (-2)

struct tr_csv_reader {
    struct stream in;
    size_t max_row;
    struct tr_pos at; /* the position of the next byte */
    int after_cr;     /* the last byte taken was CR: a LF now ends no new line */
    int started;      /* the byte order mark has been looked for */
    int failed;       /* a read or memory failure, kept in fail */
    struct tr_error fail;
    struct tr_buf data; /* the row's fields, each NUL-terminated */
    size_t *offsets;    /* of each field in data */
    struct tr_csv_field *fields;
    size_t nfields, cap;
};

static int open_common(struct tr_csv_reader *r, size_t max_row, struct tr_csv_reader **out,
                       struct tr_error *err)
{
    if (max_row == 0) {
        tr_csv_reader_free(r);
        return tr_error_set(err, TR_EINVAL, "the longest row must be at least 1 byte");
    }
    r->max_row = max_row;
    r->at.line = 1;
    r->at.column = 1;
    tr_buf_init(&r->data);
    *out = r;
    return TR_OK;
}

int tr_csv_reader_open_file(const char *path, size_t max_row, struct tr_csv_reader **out,
                            struct tr_error *err)
{
    struct tr_csv_reader *r = calloc(1, sizeof *r);
    *out = NULL;
    if (r == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    int rc = stream_open_file(&r->in, path, err);
    if (rc != TR_OK) {
        free(r);
        return rc;
    }
    return open_common(r, max_row, out, err);
}

int tr_csv_reader_open_mem(const char *data, size_t len, const char *name, size_t max_row,
                           struct tr_csv_reader **out, struct tr_error *err)
{
    struct tr_csv_reader *r = calloc(1, sizeof *r);
    *out = NULL;
    if (r == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    int rc = stream_open_mem(&r->in, data, len, name, err);
    if (rc != TR_OK) {
        free(r);
        return rc;
    }
    return open_common(r, max_row, out, err);
}

void tr_csv_reader_free(struct tr_csv_reader *r)
{
    if (r == NULL) {
        return;
    }
    stream_close(&r->in);
    tr_buf_release(&r->data);
    free(r->offsets);
    free(r->fields);
    free(r);
}

uint64_t tr_csv_reader_offset(const struct tr_csv_reader *r)
{
    return r->in.offset;
}

/* The next byte, END, or FAIL (kept in r->fail). */
static int peek(struct tr_csv_reader *r)
{
    if (r->failed) {
        return FAIL;
    }
    if (r->in.n == 0 && stream_fill(&r->in, &r->fail) != TR_OK) {
        r->failed = 1;
        return FAIL;
    }
    return r->in.n > 0 ? r->in.p[0] : END;
}

/* Take the byte peek returned, moving the position past it. */
static void take(struct tr_csv_reader *r, int c)
{
    stream_skip(&r->in, 1);
    if (c == '\r' || (c == '\n' && !r->after_cr)) {
        r->at.line++;
        r->at.column = 1;
    } else if (c != '\n' && (c & 0xC0) != 0x80) {
        r->at.column++; /* a character starts here: continuation bytes add none */
    }
    r->after_cr = c == '\r';
}

static int is_row_end(int c)
{
    return c == '\n' || c == '\r' || c == END;
}

/* Take the line end at the reader's position (CR LF, LF or CR), if there is one. */
static void take_row_end(struct tr_csv_reader *r)
{
    int c = peek(r);
    if (c == '\r') {
        take(r, c);
        c = peek(r);
    }
    if (c == '\n') {
        take(r, c);
    }
}

/* Move past the rest of the line after a malformed row. */
static void skip_line(struct tr_csv_reader *r)
{
    int c;
    while (!is_row_end(c = peek(r)) && c != FAIL) {
        take(r, c);
    }
    take_row_end(r);
}

/* Skip a UTF-8 byte order mark at the start of the input. */
static void skip_bom(struct tr_csv_reader *r)
{
    r->started = 1;
    if (peek(r) == 0xEF && r->in.n >= 3 && memcmp(r->in.p, "\xEF\xBB\xBF", 3) == 0) {
        stream_skip(&r->in, 3);
    }
}

static int report(struct tr_csv_reader *r, int code, struct tr_pos pos, struct tr_error *err,
                  const char *what)
{
    return tr_error_set(err, code, "'%s' line %u column %u: %s", r->in.name, (unsigned)pos.line,
                        (unsigned)pos.column, what);
}

/* Append byte c to the row unless it is over the limit (*over set once). */
static void add_byte(struct tr_csv_reader *r, int c, int *over)
{
    if (r->data.len - r->nfields >= r->max_row) { /* each field ended has its NUL */
        *over = 1;
        return;
    }
    tr_buf_addc(&r->data, (char)c);
}

/* End the field that started at offset start and pos: NUL-terminate and note it. */
static int end_field(struct tr_csv_reader *r, size_t start, struct tr_pos pos,
                     struct tr_pos *bad_pos, const char **bad)
{
    if (r->nfields == r->cap) {
        size_t more = r->cap == 0 ? 16 : 2 * r->cap;
        size_t *o = realloc(r->offsets, more * sizeof *o);
        if (o != NULL) {
            r->offsets = o;
        }
        struct tr_csv_field *f = o != NULL ? realloc(r->fields, more * sizeof *f) : NULL;
        if (f == NULL) {
            return TR_ENOMEM;
        }
        r->fields = f;
        r->cap = more;
    }
    const char *text = r->data.data + start;
    size_t len = r->data.len - start;
    if (*bad == NULL && memchr(text, '\0', len) != NULL) {
        *bad = "field holds a NUL byte";
        *bad_pos = pos;
    } else if (*bad == NULL && !tr_utf8_valid(text, len)) {
        *bad = "field is not valid UTF-8 (save the spreadsheet as CSV UTF-8)";
        *bad_pos = pos;
    }
    r->offsets[r->nfields] = start;
    r->fields[r->nfields].len = len;
    r->fields[r->nfields].pos = pos;
    r->nfields++;
    tr_buf_addc(&r->data, '\0');
    return r->data.err;
}

/*
 * Read one quoted field, from its opening quote. Returns 0 when it ended well (at a comma or
 * the row's end, not taken), or 1 after a syntax error, reported in *what and *at.
 */
static int quoted(struct tr_csv_reader *r, int *over, const char **what, struct tr_pos *at)
{
    struct tr_pos open = r->at;
    take(r, '"');
    for (;;) {
        int c = peek(r);
        if (c == END || c == FAIL) {
            *what = "the quoted field is not closed";
            *at = open;
            return 1;
        }
        take(r, c);
        if (c != '"') {
            add_byte(r, c, over);
            continue;
        }
        if (peek(r) == '"') {
            take(r, '"');
            add_byte(r, '"', over);
            continue;
        }
        c = peek(r);
        if (c != ',' && !is_row_end(c) && c != FAIL) {
            *what = "a closing quote must be followed by a comma or the end of the row";
            *at = r->at;
            skip_line(r);
            return 1;
        }
        return 0;
    }
}

int tr_csv_reader_next(struct tr_csv_reader *r, struct tr_csv_row *row, struct tr_error *err)
{
    const char *what = NULL, *bad = NULL;
    struct tr_pos at = {0, 0}, bad_pos = {0, 0};
    int over = 0, c, rc = TR_OK;
    memset(row, 0, sizeof *row);
    tr_buf_reset(&r->data);
    r->nfields = 0;
    if (!r->started) {
        skip_bom(r);
    }
    while ((c = peek(r)) == '\n' || c == '\r') {
        take(r, c); /* an empty line is no row */
    }
    row->pos = r->at;
    if (c == END) {
        return TR_OK;
    }
    while (c != FAIL) {
        struct tr_pos pos = r->at;
        size_t start = r->data.len;
        if (c == '"' && quoted(r, &over, &what, &at) != 0) {
            break;
        }
        while (c != '"' && (c = peek(r)) != ',' && !is_row_end(c) && c != FAIL) {
            if (c == '"') {
                what = "a quote may only open a field: quote the whole field and double the quote";
                at = r->at;
                skip_line(r);
                break;
            }
            take(r, c);
            add_byte(r, c, &over);
        }
        if (what != NULL) {
            break;
        }
        if ((rc = end_field(r, start, pos, &bad_pos, &bad)) != TR_OK) {
            r->failed = 1;
            tr_error_set(&r->fail, rc, "out of memory");
            break;
        }
        c = peek(r);
        if (c == ',') {
            take(r, c);
            c = peek(r);
            continue;
        }
        take_row_end(r);
        break;
    }
    if (r->failed) {
        r->nfields = 0;
        return tr_error_set(err, r->fail.code, "%s", r->fail.msg);
    }
    if (what != NULL || over || bad != NULL) {
        r->nfields = 0;
        if (what != NULL) {
            return report(r, TR_EPARSE, at, err, what);
        }
        if (over) {
            char msg[64];
            snprintf(msg, sizeof msg, "row longer than %zu bytes", r->max_row);
            return report(r, TR_ELIMIT, row->pos, err, msg);
        }
        return report(r, TR_EPARSE, bad_pos, err, bad);
    }
    for (size_t i = 0; i < r->nfields; i++) {
        r->fields[i].text = r->data.data + r->offsets[i];
    }
    row->nfields = r->nfields;
    row->fields = r->fields;
    return TR_OK;
}
