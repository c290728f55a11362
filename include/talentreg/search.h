/*
 * talentreg/search.h — full-text search over the records of a store.
 *
 * Every accepted record is indexed (tr_search_index, in the transaction that stores it) by
 * the searchable text of its kind — person and organisation names, roles, project titles,
 * courses, contribution titles, evaluation dimensions — with its kind, issuer, subject and
 * date beside it for filters. The index lives in the tables of schemas/store-search.sql and
 * can be rebuilt from the log at any time (tr_search_reindex). docs/search.md describes
 * which fields of each kind are indexed, how text is split into tokens and how queries are
 * built.
 *
 * Queries are plain text, never query syntax: the words and CJK runs of the text are found
 * by the index's own tokenizer and every one of them is quoted, so nothing a user types
 * (quotes, AND, OR, NEAR(, column filters, SQL) is read as an operator. All of them must
 * match (AND). A CJK run matches as a phrase: 李娜 finds 李娜 and not 李 ... 娜. A word
 * ending in '*' (batt*) matches every word it begins. Traditional Chinese characters are
 * folded to simplified ones in records and queries alike (電池 finds 电池). Results are
 * ranked by bm25, a match in a record's names weighing more than one in the rest of its
 * text, over at most TR_SEARCH_WINDOW matches (below).
 *
 * A query that cannot be run is TR_EPARSE or TR_ELIMIT with a message that starts "bad
 * query: "; SQLite's own messages never describe a query.
 */
#ifndef TALENTREG_SEARCH_H
#define TALENTREG_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "db.h"
#include "error.h"
#include "ident.h"
#include "json.h"
#include "schema.h"
#include "verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest query in bytes. */
#define TR_SEARCH_QUERY_MAX 1024
/* Most tokens one query may hold: words, CJK unigrams and bigrams (电池管理 is 4). */
#define TR_SEARCH_TOKENS_MAX 64
/* Most results one call returns. */
#define TR_SEARCH_LIMIT_MAX 1000
/*
 * How many matches a query is ranked over: its TR_SEARCH_WINDOW most recently indexed
 * matches that pass the filters (or as many as its offset and limit reach, when more). A
 * query that matches fewer is ranked over all of them. A person or organisation filter that
 * selects at most TR_SEARCH_DRIVE_MAX records ranks every match among them. See
 * docs/search.md, "Ranking at scale".
 */
#define TR_SEARCH_WINDOW 2000
#define TR_SEARCH_DRIVE_MAX 5000

/*
 * What surrounds a highlighted match in a snippet. Record text never holds these control
 * characters (the schemas refuse them, and the index replaces any it meets by spaces).
 */
#define TR_SEARCH_MARK_OPEN "\x02"
#define TR_SEARCH_MARK_CLOSE "\x03"
/* What stands for left-out text at either end of a snippet. */
#define TR_SEARCH_ELLIPSIS "…"

/*
 * Filters of a query. Zeroed, it selects every record; each member set narrows the results
 * to records that have it.
 *   kinds:  a bit set of 1u << TR_KIND_*; 0 means every kind
 *   org:    the USCC of the issuer (18 characters, check character valid); NULL for any.
 *           Records the registry operator issued have no issuer USCC.
 *   person: the subject, a person id ("p-zhang-wei-1984", or its urn:talentreg:person: URN);
 *           NULL for any
 *   from:   the earliest date, YYYY-MM-DD, inclusive; NULL for no bound
 *   to:     the latest date, YYYY-MM-DD, inclusive; NULL for no bound
 *   verified_only: 1 to keep only the records that count as of the log's current size
 *           (tr_verify_record); records that are not in the log never count. Each
 *           candidate is verified in rank order until the page is full, so this costs one
 *           verification per match looked at.
 * A record's date is the day of its validFrom, else of its kind's date field (Credit
 * earnedOn, CreditRecognition decidedOn, Contribution achievedOn). Records without either
 * (Person, Organization, ...) never pass a from or to bound.
 */
struct tr_search_filter {
    unsigned kinds;
    const char *org;
    const char *person;
    const char *from;
    const char *to;
    int verified_only;
};

/* One result. */
struct tr_search_hit {
    char record_id[TR_RECORD_ID_LEN + 1]; /* NUL-terminated lowercase hex */
    uint64_t leaf;                        /* the record's latest leaf in the log */
    enum tr_kind kind;
    char issuer[TR_USCC_LEN + 1]; /* the issuer's USCC; "" when the operator issued it */
    char *subject;                /* credentialSubject.id as written, or NULL when none */
    char date[TR_DATE_LEN + 1];   /* the record's date (see the filter), or "" when none */
    double score;                 /* relevance: the negated bm25 rank, higher is better */
    /*
     * The record's names as indexed (person or organisation names, project, course or
     * agreement title, ...; several joined with " · "), "" for kinds without one. Never NULL.
     */
    char *title;
    /*
     * Up to 24 tokens of the record's text around its best match, with each match between
     * TR_SEARCH_MARK_OPEN and TR_SEARCH_MARK_CLOSE and TR_SEARCH_ELLIPSIS where text is
     * left out. Never NULL.
     */
    char *snippet;
};

/* The results of one query. */
struct tr_search_results {
    size_t len;                /* hits returned */
    struct tr_search_hit *hit; /* len hits, best first; NULL when len is 0 */
    int more;                  /* 1 when more hits follow the last one returned */
};

/*
 * tr_search_index — index one record, or note a newer leaf of a record already indexed.
 *
 * Call it in the transaction that stores the record, right after the record's leaf is
 * appended to the log; nothing else has to be set up. Its writes run in a savepoint of the
 * caller's transaction (or in their own transaction when there is none), so they are kept
 * or dropped with the caller's.
 *   record_id:  the record's id, 64 lowercase hex digits (TR_EINVAL otherwise). The caller
 *               has computed it from credential; it is not computed again.
 *   leaf:       the leaf just appended. When the record is already indexed (a co-signature
 *               appended the same credential with one more proof), only its leaf is raised
 *               to this one; its text and filters cannot have changed.
 *   credential: the record, signed or not; its proofs are not looked at. It should have
 *               passed tr_schema_check: its kind is read from its type (TR_ESCHEMA when that
 *               names no kind), its issuer must be an organisation URN or the operator
 *               (TR_ESCHEMA), and members of other types than the schema's are left out.
 * Returns TR_OK, TR_EINVAL, TR_ESCHEMA, TR_ENOMEM or a store error.
 */
int tr_search_index(struct tr_db *db, const char *record_id, uint64_t leaf,
                    const struct tr_json *credential, struct tr_error *err);

/*
 * Bulk writing. While the store's savepoints are off (tr_db_set_savepoints, as an import
 * runs), tr_search_index writes a record's row but leaves its tokens to
 * tr_search_index_pending: every savepoint, and every statement that may need undoing
 * inside a transaction, makes the full-text index write out what it holds in memory, which
 * cost a segment of the index for every record. Such a writer takes a mark with
 * tr_search_pending_mark when it begins its transaction and calls tr_search_index_pending
 * with it before it commits; that adds the tokens of every row written since, in one
 * statement. Both return TR_OK or a store error.
 */
int tr_search_pending_mark(struct tr_db *db, int64_t *mark, struct tr_error *err);
int tr_search_index_pending(struct tr_db *db, int64_t mark, struct tr_error *err);

/*
 * tr_search_remove — take a record out of the index (an erased record's text must not
 * outlive its body). Returns TR_OK (also when the record was not indexed), TR_EINVAL for a
 * malformed record id, or a store error. Runs in a savepoint as tr_search_index does.
 */
int tr_search_remove(struct tr_db *db, const char *record_id, struct tr_error *err);

/*
 * tr_search_reindex — rebuild the whole index from the log: its tables are dropped and made
 * anew from schemas/store-search.sql, then every record whose latest leaf
 * still has its body, read from the log's table log_entry, is indexed as tr_search_index
 * would, then the full-text index is rebuilt and merged into one segment. Runs in a
 * savepoint of the caller's transaction (or its own), so a failure leaves the old index.
 * count: [out, may be NULL] the number of records indexed.
 * Returns TR_OK; with the leaf named, TR_EPARSE ("'leaf 7' line 1 column 6: ...") for a
 * stored body that is not JSON and TR_ESCHEMA ("leaf 7: ...") for one that is not a record;
 * TR_ENOMEM; a store error. The log's bodies are read as stored: checking them against their
 * leaf hashes is the audit's work.
 */
int tr_search_reindex(struct tr_db *db, uint64_t *count, struct tr_error *err);

/*
 * tr_search_query — find the records whose text matches query, best first.
 *   query:   UTF-8 text, at most TR_SEARCH_QUERY_MAX bytes and TR_SEARCH_TOKENS_MAX tokens.
 *   filter:  may be NULL (every record).
 *   limit:   hits to return, 1 to TR_SEARCH_LIMIT_MAX.
 *   offset:  hits to skip first, for paging.
 *   out:     [out] on TR_OK, the results (free with tr_search_results_free); len 0 when no
 *            record matches. Untouched on failure.
 * Returns TR_OK;
 *   TR_ELIMIT "bad query: ..." for a query over a bound;
 *   TR_EPARSE "bad query: ..." for text that is not UTF-8 or holds no word to search for
 *            (empty, only punctuation or operators such as '*');
 *   TR_EINVAL for a bad filter, limit or offset (the message says which);
 *   TR_ENOMEM or a store error.
 */
int tr_search_query(struct tr_db *db, const char *query, const struct tr_search_filter *filter,
                    size_t limit, size_t offset, struct tr_search_results *out,
                    struct tr_error *err);

/* tr_search_results_release — free what r holds and zero it. NULL is a no-op. */
void tr_search_results_release(struct tr_search_results *r);

/*
 * tr_search_match_expression — the FTS5 MATCH expression tr_search_query runs for query,
 * appended to out (out's sticky error counts), for tests and for explaining a query. Same
 * checks and returns as tr_search_query's query.
 */
int tr_search_match_expression(const char *query, struct tr_buf *out, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
