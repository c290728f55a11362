/*
 * talentreg/yaml.h — bounded YAML loading through libyaml's event API.
 *
 * YAML documents load into the JSON value tree (talentreg/json.h) under the YAML 1.2 core
 * schema: plain null/Null/NULL/~/empty is null, true/True/TRUE/false/False/FALSE booleans,
 * decimal ([-+]?[0-9]+), octal (0o17) and hex (0x1F) ints and decimal/exponent floats
 * numbers, everything else (and every quoted scalar) a string. Dates, yes/no, 0b101 and 1_000
 * stay strings. A number keeps its literal in u.number.text (octal and hex as their decimal
 * form). The core tags !!str !!int !!float !!bool !!null (and !!seq, !!map on collections)
 * force their type: `!!str 12` is the string "12", `!!int x` an error.
 *
 * Mapping keys must be scalars and become JSON member names after resolution: strings as
 * they are, null as "null", booleans as "true"/"false", ints in decimal, floats as written.
 * So `1` and `"1"`, `0x10` and `16`, `~` and `null` are duplicates. Every node's pos is
 * where it starts (its tag or anchor if any); each member's key_pos where its key starts.
 *
 * Refused, each with "'NAME' line L column C: MESSAGE" (1-based; columns count
 * characters) and TR_EPARSE:
 *   anchors and aliases are not allowed
 *   tag '!!binary' is not allowed              (any tag but the core ones above)
 *   tag '!!map' cannot be used on a sequence   (a core tag on the wrong kind of node)
 *   'x' is not a valid !!int                   (a scalar that does not fit its core tag)
 *   mapping keys must be scalars, not sequences | mappings
 *   duplicate key 'fte'
 *   merge keys ('<<') are not allowed
 *   '.nan' is not allowed: JSON numbers are finite   (also .inf, -.inf, ...)
 *   integer '9007199254740993' is too large (magnitude over 2^53)
 *   number '1e400' is out of range
 *   NUL is not allowed in a scalar             (the \0, \x00, \u0000 escapes)
 *   invalid UTF-8: ...                         (bad input bytes, overlong or surrogate forms)
 *   invalid escape: a surrogate or beyond U+10FFFF
 *   control character U+001B is not allowed    (raw in the input)
 *   tabs are not allowed in indentation
 *   input is UTF-16; only UTF-8 is accepted
 *   libyaml's own syntax messages, e.g. "did not find expected key (while parsing a block
 *   mapping at line 1 column 1)"
 * and, with TR_ELIMIT, anything over a limit of struct tr_limits, checked per document as
 * the events arrive:
 *   document larger than N bytes   (bytes from the end of the previous document)
 *   nesting deeper than N          (sequences and mappings; a scalar document is 0)
 *   more than N values             (scalars, sequences, mappings; keys are not values)
 *   scalar longer than N bytes     (a value or key after unescaping)
 * (the wording of tr_json_parse's limit messages, so both formats read alike)
 * Input is never read much past a document that is over max_bytes (at most 256 KiB more),
 * so a huge scalar or an endless stream costs bounded memory and time.
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
 * tr_yaml_reader_open_file — read the file at path ("-" = standard input, named "<stdin>"
 * in messages) as a stream. The file is read incrementally: memory stays bounded by one
 * document. limits may be NULL (the defaults). Returns TR_OK and *out (free with
 * tr_yaml_reader_free), TR_EIO ("cannot open 'PATH': REASON"), TR_EINVAL (bad limits, or
 * path or out NULL) or TR_ENOMEM.
 */
int tr_yaml_reader_open_file(const char *path, const struct tr_limits *limits,
                             struct tr_yaml_reader **out, struct tr_error *err);

/* tr_yaml_reader_open_mem — the same over len bytes at data, which must outlive the reader
 * (data may be NULL when len is 0); name is used in messages (NULL: "<memory>"). */
int tr_yaml_reader_open_mem(const char *data, size_t len, const char *name,
                            const struct tr_limits *limits, struct tr_yaml_reader **out,
                            struct tr_error *err);

/*
 * tr_yaml_reader_next — load the next document. Returns TR_OK with *doc set (owned by the
 * caller), TR_OK with *doc NULL at the end of the stream (and on every later call), or
 * TR_EPARSE / TR_ELIMIT / TR_ENOMEM / TR_EIO ("cannot read 'NAME': REASON") with *doc NULL;
 * after an error the reader only returns that error again. An empty stream (nothing, or
 * only comments) has no document; an explicitly empty one ("---" alone) is a null node.
 * libyaml decodes its input a block (16 KiB) ahead, so invalid UTF-8 or a control
 * character fails the stream up to a block before the document that holds it; the
 * message still names where it is.
 */
int tr_yaml_reader_next(struct tr_yaml_reader *r, struct tr_json **doc, struct tr_error *err);

/* tr_yaml_reader_free — close the reader (and its file). NULL is a no-op. */
void tr_yaml_reader_free(struct tr_yaml_reader *r);

/*
 * tr_yaml_load — exactly one document from memory into *out (owned by the caller), as
 * tr_yaml_reader_next loads it. TR_EPARSE when the stream is empty ("expected one
 * document, found none") or holds more than one ("expected one document, found more", at
 * the second one's start).
 */
int tr_yaml_load(const char *data, size_t len, const char *name, const struct tr_limits *limits,
                 struct tr_json **out, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
