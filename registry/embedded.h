/*
 * embedded.h — data files compiled into the library (internal).
 *
 * Every file under schemas/ (the store schema, the record kinds, the policy presets and the
 * JSON-LD context) is embedded at build time by tools/embed.sh, so talentreg behaves the
 * same wherever it is installed and no one can change a rule by editing a file beside it.
 */
#ifndef TALENTREG_EMBEDDED_H
#define TALENTREG_EMBEDDED_H

#include <stddef.h>

struct tr_embedded {
    const char *path; /* as in the source tree, e.g. "schemas/store.sql" */
    const char *data; /* the bytes, followed by a NUL */
    size_t len;       /* without the NUL */
};

/* The files, in the order given to tools/embed.sh, then a zeroed row. */
extern const struct tr_embedded tr_embedded_files[];
extern const size_t tr_embedded_count;

/* tr_embedded_find — the file at path, or NULL. */
const struct tr_embedded *tr_embedded_find(const char *path);

#endif
