/*
 * talentreg/diag.h — a list of diagnostics: every error found in one input, not only the
 * first, each with the field path it concerns and the input position where it was written.
 *
 * A validator adds one entry per problem and goes on; the caller prints them all. The list
 * is bounded (max entries, default TR_DIAG_MAX): a hostile input with a million bad values
 * costs a counter, not a million messages. Running out of memory is sticky (err), like
 * struct tr_buf.
 */
#ifndef TALENTREG_DIAG_H
#define TALENTREG_DIAG_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "json.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TR_DIAG_MAX 100

struct tr_diag_entry {
    struct tr_pos pos; /* where in the input; line 0 = unknown */
    char *path;        /* owned; the field path, e.g. "credentialSubject.fte", or "" */
    char *msg;         /* owned; the whole message, e.g. "field 'credentialSubject.fte' must be
                          between 0 and 1" (lower case, no position, no trailing period) */
};

struct tr_diag {
    const char *name; /* the input's name for messages (a file name), or NULL; not owned */
    struct tr_diag_entry *items;
    size_t len, cap;
    size_t max;     /* entries kept; later ones are only counted in dropped */
    size_t dropped; /* entries not kept because the list was full */
    int err;        /* TR_OK, or TR_ENOMEM once an entry could not be stored */
};

/* tr_diag_init — an empty list for the input called name (may be NULL; not copied). */
void tr_diag_init(struct tr_diag *d, const char *name);

/* tr_diag_release — free the entries; the list is then empty (name and max are kept). */
void tr_diag_release(struct tr_diag *d);

/*
 * tr_diag_add — add an entry with the message made from fmt. path may be NULL (""). Returns
 * TR_ESCHEMA (so a validator can `rc = tr_diag_add(...)`), or TR_ENOMEM when d->err is set.
 */
int tr_diag_add(struct tr_diag *d, struct tr_pos pos, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * tr_diag_add_error — add err's message as an entry without path or position (for errors
 * that already name their place, such as parse errors). Returns as tr_diag_add.
 */
int tr_diag_add_error(struct tr_diag *d, const struct tr_error *err);

/* tr_diag_count — the number of problems found: kept entries plus dropped ones. */
size_t tr_diag_count(const struct tr_diag *d);

/*
 * tr_diag_sort — put the entries from index from on in input order (line, then column), so
 * a reader meets them as they go down the file; entries without a position go last. Stable.
 */
void tr_diag_sort(struct tr_diag *d, size_t from);

/*
 * tr_diag_format — append entry i as one line without a newline:
 * "'NAME' line L column C: MSG" (position known), "'NAME': MSG" (no position) or "MSG"
 * (no name). Returns out's sticky error, or TR_EINVAL when i is out of range.
 */
int tr_diag_format(const struct tr_diag *d, size_t i, struct tr_buf *out);

/*
 * tr_diag_to_error — copy the first entry, formatted, into err with code (or "N problems"
 * when there is none). Returns code; err may be NULL.
 */
int tr_diag_to_error(const struct tr_diag *d, int code, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
