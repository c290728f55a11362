/*
 * talentreg/yaml.h — bounded YAML loading through libyaml's event API.
 *
 * YAML documents load into the JSON value tree (talentreg/json.h) under the YAML 1.2 core
 * schema: plain null/~/empty is null, true/false booleans, decimal/octal(0o)/hex(0x) ints
 * and floats numbers, everything else (and every quoted scalar) a string. Dates stay strings.
 *
 * Refused, each with "'NAME' line L column C: MESSAGE": anchors and aliases, tags other
 * than the core ones (!!str !!int !!float !!bool !!null !!map !!seq), duplicate keys,
 * non-scalar keys, NUL (also written as the \0 escape), invalid UTF-8 (also lone surrogate
 * escapes), and anything over a limit of struct tr_limits (per document).
 */
#ifndef TALENTREG_YAML_H
#define TALENTREG_YAML_H

#include <stddef.h>

#include "error.h"
#include "json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A stream of YAML documents being read one at a time. */
struct tr_yaml_reader;

/*
 * tr_yaml_reader_open_file — read the file at path ("-" = standard input) as a stream.
 * The file is read incrementally: memory stays bounded by one document. limits may be
 * NULL (the defaults). Returns TR_OK and *out (free with tr_yaml_reader_free), TR_EIO,
 * TR_EINVAL (bad limits) or TR_ENOMEM.
 */
int tr_yaml_reader_open_file(const char *path, const struct tr_limits *limits,
                             struct tr_yaml_reader **out, struct tr_error *err);

/* tr_yaml_reader_open_mem — the same over len bytes at data, which must outlive the reader;
 * name is used in messages. */
int tr_yaml_reader_open_mem(const char *data, size_t len, const char *name,
                            const struct tr_limits *limits, struct tr_yaml_reader **out,
                            struct tr_error *err);

/*
 * tr_yaml_reader_next — load the next document. Returns TR_OK with *doc set (owned by the
 * caller), TR_OK with *doc NULL at the end of the stream, or TR_EPARSE / TR_ELIMIT /
 * TR_ENOMEM / TR_EIO; after an error the reader only returns that error again.
 */
int tr_yaml_reader_next(struct tr_yaml_reader *r, struct tr_json **doc, struct tr_error *err);

/* tr_yaml_reader_free — close the reader (and its file). NULL is a no-op. */
void tr_yaml_reader_free(struct tr_yaml_reader *r);

/*
 * tr_yaml_load — exactly one document from memory: TR_EPARSE when the stream is empty
 * or holds more than one document.
 */
int tr_yaml_load(const char *data, size_t len, const char *name, const struct tr_limits *limits,
                 struct tr_json **out, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
