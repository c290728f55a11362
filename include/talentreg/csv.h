/*
 * talentreg/csv.h — CSV files as RFC 4180 defines them, read one row at a time, with the
 * line and column of every field, so a spreadsheet an HR office saved as CSV can be imported
 * and every problem pointed at.
 *
 * The format read:
 *   - fields are separated by commas; rows end with CR LF, LF or a lone CR; the last row may
 *     end without one; a line with nothing on it is skipped (it is no row);
 *   - a field that starts with a double quote is quoted: it ends at the next quote that is
 *     not doubled, and may hold commas, line breaks (kept as written) and doubled quotes (one
 *     quote each); the closing quote must be followed by a comma or the end of the row;
 *   - a quote anywhere else in an unquoted field is an error (RFC 4180 allows none);
 *   - the input is UTF-8; a byte order mark (EF BB BF) at its start is skipped; a field that
 *     is not valid UTF-8 or holds a NUL byte is an error.
 * Positions are 1-based; columns count characters, as every talentreg message does. A
 * field's position is where it starts (its opening quote when it is quoted).
 *
 * A malformed row is an error of that row alone: the reader moves past it (to the end of
 * the line where the problem is; an unclosed quote runs to the end of the input) and the
 * next call reads the next row. Memory stays bounded by max_row, whatever the input's size.
 */
#ifndef TALENTREG_CSV_H
#define TALENTREG_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One field of a row. */
struct tr_csv_field {
    const char *text; /* the value, unquoted, NUL-terminated; valid until the next call */
    size_t len;       /* its bytes */
    struct tr_pos pos;
};

/* One row. */
struct tr_csv_row {
    struct tr_pos pos;                 /* where the row starts */
    size_t nfields;                    /* 0 at the end of the input */
    const struct tr_csv_field *fields; /* owned by the reader; valid until the next call */
};

/* A CSV input being read row by row. */
struct tr_csv_reader;

/*
 * tr_csv_reader_open_file — read the file at path ("-" = standard input, named "<stdin>" in
 * messages). max_row: the most bytes one row's fields may hold (at least 1).
 * Returns TR_OK and *out (free with tr_csv_reader_free); TR_EIO "cannot open 'PATH':
 * REASON"; TR_EINVAL (max_row 0); TR_ENOMEM.
 */
int tr_csv_reader_open_file(const char *path, size_t max_row, struct tr_csv_reader **out,
                            struct tr_error *err);

/* tr_csv_reader_open_mem — the same over len bytes at data, which outlive the reader; name
 * is used in messages (NULL: "<memory>"). */
int tr_csv_reader_open_mem(const char *data, size_t len, const char *name, size_t max_row,
                           struct tr_csv_reader **out, struct tr_error *err);

/*
 * tr_csv_reader_next — read the next row into row (overwritten).
 * Returns TR_OK with row->nfields >= 1, or TR_OK with row->nfields 0 at the end of the input
 * (and on every later call). A malformed row returns, with row->pos its start and row->nfields
 * 0, and err "'NAME' line L column C: WHAT":
 *   TR_EPARSE  "a quote may only open a field: quote the whole field and double the quote",
 *              "a closing quote must be followed by a comma or the end of the row",
 *              "the quoted field is not closed" (at its opening quote),
 *              "field is not valid UTF-8 (save the spreadsheet as CSV UTF-8)",
 *              "field holds a NUL byte";
 *   TR_ELIMIT  "row longer than N bytes";
 * and the next call goes on after it. TR_EIO "cannot read 'NAME': REASON" or TR_ENOMEM end
 * the reading: every later call returns them again.
 */
int tr_csv_reader_next(struct tr_csv_reader *r, struct tr_csv_row *row, struct tr_error *err);

/* tr_csv_reader_offset — how many bytes of the input the rows returned so far took. */
uint64_t tr_csv_reader_offset(const struct tr_csv_reader *r);

/* tr_csv_reader_free — close the reader (and its file). NULL is a no-op. */
void tr_csv_reader_free(struct tr_csv_reader *r);

#ifdef __cplusplus
}
#endif
#endif
