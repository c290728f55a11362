/* diag.c — the bounded list of diagnostics (see talentreg/diag.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg/diag.h"

void tr_diag_init(struct tr_diag *d, const char *name)
{
    memset(d, 0, sizeof *d);
    d->name = name;
    d->max = TR_DIAG_MAX;
}

void tr_diag_release(struct tr_diag *d)
{
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].path);
        free(d->items[i].msg);
    }
    free(d->items);
    d->items = NULL;
    d->len = d->cap = 0;
    d->dropped = 0;
    d->err = TR_OK;
}

static int add_entry(struct tr_diag *d, struct tr_pos pos, const char *path, char *msg)
{
    char *p = NULL;
    if (d->err != TR_OK) {
        goto fail;
    }
    if (d->len >= d->max) {
        d->dropped++;
        free(msg);
        return TR_ESCHEMA;
    }
    if (d->len == d->cap) {
        size_t cap = d->cap != 0 ? d->cap * 2 : 8;
        struct tr_diag_entry *items = realloc(d->items, cap * sizeof *items);
        if (items == NULL) {
            goto fail;
        }
        d->items = items;
        d->cap = cap;
    }
    p = strdup(path != NULL ? path : "");
    if (p == NULL || msg == NULL) {
        goto fail;
    }
    d->items[d->len++] = (struct tr_diag_entry){pos, p, msg};
    return TR_ESCHEMA;
fail:
    free(p);
    free(msg);
    d->err = TR_ENOMEM;
    return TR_ENOMEM;
}

int tr_diag_add(struct tr_diag *d, struct tr_pos pos, const char *path, const char *fmt, ...)
{
    struct tr_buf b;
    va_list ap;
    tr_buf_init(&b);
    va_start(ap, fmt);
    tr_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    return add_entry(d, pos, path, tr_buf_detach(&b, NULL));
}

int tr_diag_add_error(struct tr_diag *d, const struct tr_error *err)
{
    struct tr_pos none = {0, 0};
    const char *msg = err->msg[0] != '\0' ? err->msg : tr_strerror(err->code);
    return add_entry(d, none, NULL, strdup(msg));
}

size_t tr_diag_count(const struct tr_diag *d)
{
    return d->len + d->dropped;
}

static int before(const struct tr_pos *a, const struct tr_pos *b)
{
    uint32_t la = a->line != 0 ? a->line : UINT32_MAX, lb = b->line != 0 ? b->line : UINT32_MAX;
    return la < lb || (la == lb && a->column < b->column);
}

void tr_diag_sort(struct tr_diag *d, size_t from)
{
    /* Insertion sort: the list is short (at most max entries) and often already in order. */
    for (size_t i = from + 1; i < d->len; i++) {
        struct tr_diag_entry e = d->items[i];
        size_t j = i;
        while (j > from && before(&e.pos, &d->items[j - 1].pos)) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = e;
    }
}

int tr_diag_format(const struct tr_diag *d, size_t i, struct tr_buf *out)
{
    if (i >= d->len) {
        return TR_EINVAL;
    }
    const struct tr_diag_entry *e = &d->items[i];
    if (d->name != NULL && e->pos.line != 0) {
        tr_buf_addf(out, "'%s' line %u column %u: ", d->name, (unsigned)e->pos.line,
                    (unsigned)e->pos.column);
    } else if (d->name != NULL) {
        tr_buf_addf(out, "'%s': ", d->name);
    }
    return tr_buf_adds(out, e->msg);
}

int tr_diag_to_error(const struct tr_diag *d, int code, struct tr_error *err)
{
    struct tr_buf b;
    tr_buf_init(&b);
    if (d->len > 0) {
        tr_diag_format(d, 0, &b);
    } else {
        tr_buf_addf(&b, "%zu problems", tr_diag_count(d));
    }
    tr_error_set(err, code, "%s", b.err == TR_OK ? b.data : tr_strerror(b.err));
    tr_buf_release(&b);
    return code;
}
