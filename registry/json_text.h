/*
 * json_text.h — the text rules shared by the JSON writer and RFC 8785 (internal, not part
 * of the library API).
 *
 * tr_json_write and tr_jcs_serialize differ only in member order and whitespace, so the
 * string escaping and the member order live once, in jcs.c, and the writer uses them.
 */
#ifndef TALENTREG_JSON_TEXT_H
#define TALENTREG_JSON_TEXT_H

#include <stddef.h>

#include "talentreg/buf.h"

/*
 * tr_jcs_add_string — append the RFC 8785 form of the len bytes at s, quotes included:
 * only \" \\ \b \f \n \r \t and \u00xx (lowercase hex, other controls) are escaped,
 * everything else is copied as UTF-8.
 * Returns TR_OK, TR_EINVAL when s is not valid UTF-8 (out then holds a partial string: the
 * caller truncates it), or out's sticky error.
 */
int tr_jcs_add_string(struct tr_buf *out, const char *s, size_t len);

/*
 * tr_jcs_key_compare — order two UTF-8 keys by their UTF-16 code units, as RFC 8785 sorts
 * members: <0, 0 or >0. Bytes that are not UTF-8 compare as bytes (the writer refuses such
 * keys anyway).
 */
int tr_jcs_key_compare(const char *a, size_t alen, const char *b, size_t blen);

/* Room for a tr_json_snippet, with its NUL. */
#define TR_JSON_SNIPPET_MAX 64

/*
 * tr_json_snippet — the len bytes at s made fit to quote in a message: control characters
 * as \u00xx, bytes that are not UTF-8 as \xNN, and cut at a character boundary with "..."
 * when longer than the room.
 */
void tr_json_snippet(const char *s, size_t len, char out[TR_JSON_SNIPPET_MAX]);

#endif
