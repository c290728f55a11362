/*
 * fts_cjk.h — the search index's tokenizer (internal, not part of the library API).
 *
 * One tokenizer splits both the text that is indexed and the text a user searches for, so
 * the two always agree (docs/search.md explains the design). It emits
 *   - words: maximal runs of letters and digits outside CJK scripts, lowercased, with the
 *     diacritics of Latin letters folded (É -> e, ǎ -> a, ß -> ss) and fullwidth ASCII
 *     letters and digits read as ASCII; at most TR_FTS_CJK_WORD_MAX bytes are kept of a
 *     longer word (the rest of it is skipped, so a query gets the same cut);
 *   - CJK text (Han ideographs, kana, Hangul, Bopomofo): every character of a run as a
 *     unigram and every two adjacent characters as a bigram. A document emits, at the
 *     position of each character, its unigram and then, at the same position (colocated),
 *     its bigram with the next character. A query emits a run of one character as its
 *     unigram and a longer run as a phrase of its bigrams followed by the unigram of its last
 *     character: "电池管理" is 电池 池管 管理 理, which matches the document's positions and
 *     makes a highlight cover exactly the characters searched for.
 * Everything else (punctuation, symbols, emoji, spaces, control characters, bytes that are
 * not valid UTF-8) separates tokens; combining marks, variation selectors and zero-width
 * joiners are skipped without separating.
 *
 * The token stream is part of the store's format: a change to it needs the index rebuilt
 * (tr_search_reindex).
 */
#ifndef TALENTREG_FTS_CJK_H
#define TALENTREG_FTS_CJK_H

#include <stddef.h>

/* The name the tokenizer is registered under, as schemas/store-search.sql names it. */
#define TR_FTS_CJK_NAME "talentreg_cjk"

/* Bytes kept of one word. */
#define TR_FTS_CJK_WORD_MAX 256

/* How the text is split: as a stored document, or as a query. */
enum tr_fts_cjk_mode { TR_FTS_CJK_DOCUMENT = 0, TR_FTS_CJK_QUERY = 1 };

/* Flags of an emitted token. */
#define TR_FTS_CJK_COLOCATED 0x1u /* at the position of the token before it (a bigram) */
#define TR_FTS_CJK_CJK 0x2u       /* a CJK unigram or bigram, not a word */
#define TR_FTS_CJK_RUN 0x4u       /* the first token of a run of CJK characters */

/*
 * What receives each token: its flags, its bytes (token, len; not NUL-terminated, valid
 * only during the call) and the byte range [start, end) of the text it came from (for a
 * bigram, both characters). A non-zero return stops the tokenizer, which returns it.
 */
typedef int (*tr_fts_cjk_emit_fn)(void *ctx, unsigned flags, const char *token, size_t len,
                                  size_t start, size_t end);

/*
 * tr_fts_cjk_tokenize — split the len bytes at text (may be NULL when len is 0; need not be
 * NUL-terminated) into tokens, calling emit for each in order. Never allocates and never
 * reads outside text; any bytes are accepted.
 * Returns 0, or the first non-zero value emit returned.
 */
int tr_fts_cjk_tokenize(const char *text, size_t len, enum tr_fts_cjk_mode mode,
                        tr_fts_cjk_emit_fn emit, void *ctx);

/*
 * tr_fts_cjk_register — register the tokenizer with an SQLite connection's FTS5 under
 * TR_FTS_CJK_NAME. api is the connection's fts5_api (db.c fetches it); the declaration
 * names the struct only, so that this header does not need sqlite3.h.
 * Returns an SQLite result code (SQLITE_OK is 0).
 */
struct fts5_api;
int tr_fts_cjk_register(struct fts5_api *api);

#endif
