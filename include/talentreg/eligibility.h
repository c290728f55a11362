/*
 * talentreg/eligibility.h — the store side of the metrics: which records a person's figures
 * are computed from, each judged as the archive stood at one log size, and the checkpoint
 * that covers that size.
 *
 * A view (struct tr_eligibility) fixes a log size N: only leaves below N are read, every
 * record is judged with the trust state and the revocations of the leaves below N, so a
 * figure computed "at log size N" never changes afterwards, whatever is logged later. For a
 * person it selects every record whose subject is the person, plus the RecognitionAgreements
 * and the Credits that the person's CreditRecognitions name, and hands them to the metric
 * engine (talentreg/metric.h): those that do not count go in as excluded, with the
 * verifier's reasons ("revoked: withdrawn by Revocation ... at leaf 9").
 *
 * Two ways of judging, one verdict:
 *   TR_ELIGIBILITY_VERIFY  every record with tr_verify_record (its signatures checked again,
 *                          its keys and signers looked up): what a dossier of one person does.
 *   TR_ELIGIBILITY_INDEX   for many people at once. A record is in the log only because it
 *                          counted when it was logged (tr_submit_credential), and what it was
 *                          judged on then does not change: its proofs, the keys and
 *                          permissions as of its position. Only three things logged later
 *                          can make it stop counting: a Revocation that names it, a
 *                          KeyRevocation whose compromisedSince reaches back to one of its
 *                          proofs' keys, and the erasure of its body. The view reads the
 *                          Revocations and the compromised keys below N once; a record that
 *                          none of them touches counts, and every other record is judged with
 *                          tr_verify_record. Bodies are read through tr_log_entry (each one
 *                          checked against its leaf hash) in both ways. tests/check_eligibility.c
 *                          compares the two ways on every record of a store with revocations,
 *                          compromised keys, co-signatures and erasures, at every log size.
 *
 * Ownership: a view borrows its store (which must outlive it) and owns the rest; records
 * and lists handed out belong to the caller. A view belongs to one thread at a time.
 */
#ifndef TALENTREG_ELIGIBILITY_H
#define TALENTREG_ELIGIBILITY_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "error.h"
#include "ident.h"
#include "json.h"
#include "merkle.h"
#include "metric.h"
#include "policy.h"
#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The log size of tr_eligibility_open that means "the whole log as it is now". */
#define TR_ELIGIBILITY_WHOLE_LOG UINT64_MAX

/* How a view judges records (see above). */
enum tr_eligibility_mode { TR_ELIGIBILITY_VERIFY = 0, TR_ELIGIBILITY_INDEX = 1 };

/* What a result was computed from. */
struct tr_eligibility_basis {
    uint64_t log_size;                      /* N: the leaves below it were read */
    unsigned char root[TR_MERKLE_HASH_LEN]; /* the root of the tree of those N leaves */
    int has_checkpoint;                     /* 1 when a stored checkpoint covers N */
    uint64_t checkpoint_size;               /* then the latest checkpoint (its size >= N) */
    unsigned char checkpoint_root[TR_MERKLE_HASH_LEN];
};

/* One record as judged at the view's log size. */
struct tr_eligibility_record {
    char id[TR_RECORD_ID_LEN + 1];
    enum tr_kind kind;
    int related;                /* 0: about the person; 1: named by one of the person's
                                   CreditRecognitions (an agreement, a credit of someone else) */
    uint64_t first_leaf;        /* where it was first logged: its trusted time */
    uint64_t leaf;              /* its latest leaf below the log size: the body judged */
    struct tr_json *credential; /* the signed credential (owned); NULL when its body was erased */
    int counts;                 /* 1 when it counts at the log size */
    const char *code;           /* it does not count: the code of its first reason (static
                                   text, "revoked", ...); NULL when it counts */
    char *reason;               /* it does not count: every reason as "CODE: DETAIL", joined
                                   by "; " (owned); NULL when it counts */
};

/* A list of judged records. Release with tr_eligibility_records_release. */
struct tr_eligibility_records {
    struct tr_eligibility_record *items;
    size_t len;
};

/* A view of one store at one log size. Opaque. */
struct tr_eligibility;

/*
 * tr_eligibility_open — a view of db at log size log_size (TR_ELIGIBILITY_WHOLE_LOG: the
 * log's size now), judging records as mode says.
 * Reads the root of the log_size leaves and the latest checkpoint (verified again under the
 * operator key, tr_log_latest_checkpoint), which covers the log size when it is at least as
 * large; in TR_ELIGIBILITY_INDEX mode also the Revocations and compromised keys below it.
 * out: [out] the view (free with tr_eligibility_close); NULL on failure.
 * Returns TR_OK; TR_EINVAL (db or out NULL, an unknown mode, "log size N is larger than the
 * log (M leaves)"); TR_EVERIFY (a stored checkpoint that does not open); TR_ENOMEM; a store
 * error.
 */
int tr_eligibility_open(struct tr_db *db, uint64_t log_size, enum tr_eligibility_mode mode,
                        struct tr_eligibility **out, struct tr_error *err);

/* tr_eligibility_basis — the log size, root and checkpoint of view e; owned by e. */
const struct tr_eligibility_basis *tr_eligibility_basis(const struct tr_eligibility *e);

/* tr_eligibility_close — free e (not its store). NULL is a no-op. */
void tr_eligibility_close(struct tr_eligibility *e);

/*
 * tr_eligibility_select — the records of person ("p-..." or its URN) logged below the view's
 * log size, judged: those whose subject is the person, in the order they were first logged;
 * then, when kinds holds CreditRecognition, the records its CreditRecognitions name (credit,
 * then agreement, each once) that are not already there and were logged below the log size,
 * marked related.
 * kinds: a bit (1u << kind) per record kind wanted; 0 wants every kind.
 * out:   [out] the records (release with tr_eligibility_records_release); empty on failure.
 * Returns TR_OK (a person without records gets an empty list); TR_EINVAL (not a person id:
 * "'x' is not a person id"); TR_EVERIFY (a body that does not match its leaf hash, or is
 * not the record its id names: the store was changed); TR_ENOMEM; a store error.
 */
int tr_eligibility_select(struct tr_eligibility *e, const char *person, unsigned kinds,
                          struct tr_eligibility_records *out, struct tr_error *err);

/*
 * tr_eligibility_get — the record id (64 lowercase hex digits) as judged at the view's log
 * size (related 0).
 * out: [out] the record (release with tr_eligibility_record_release); zeroed on failure.
 * Returns TR_OK; TR_EINVAL (a malformed id); TR_ENOTFOUND "record 'ID' is not in the log of
 * size N"; the errors of tr_eligibility_select.
 */
int tr_eligibility_get(struct tr_eligibility *e, const char *id, struct tr_eligibility_record *out,
                       struct tr_error *err);

/* tr_eligibility_record_release — free what r holds and zero it. NULL is a no-op. */
void tr_eligibility_record_release(struct tr_eligibility_record *r);

/* tr_eligibility_records_release — free what r holds and make it empty. NULL is a no-op. */
void tr_eligibility_records_release(struct tr_eligibility_records *r);

/*
 * tr_eligibility_policy_kinds — the bit set (1u << kind) of the record kinds that policy's
 * criteria read (CreditRecognition brings Credit and RecognitionAgreement); 0 for NULL.
 */
unsigned tr_eligibility_policy_kinds(const struct tr_policy *policy);

/*
 * tr_eligibility_people — the people of the view, sorted by person id (byte order):
 *   org NULL: every person who is the subject of a record logged below the log size;
 *   org a USCC: every person whose home organisation is org, by their Person record that
 *            counts at the log size (the latest logged, when several count).
 * out: [out] an array of *n person ids ("p-..."), free with tr_eligibility_people_free;
 *      NULL when there is none.
 * Returns TR_OK; TR_EINVAL (org not a valid USCC: "'X' is not a USCC"); TR_EVERIFY;
 * TR_ENOMEM; a store error.
 */
int tr_eligibility_people(struct tr_eligibility *e, const char *org, char ***out, size_t *n,
                          struct tr_error *err);

/* tr_eligibility_people_free — free a list of tr_eligibility_people. NULL is a no-op. */
void tr_eligibility_people_free(char **list, size_t n);

/*
 * tr_eligibility_evaluate — apply policy to records with the metric engine
 * (tr_metric_evaluate): each record that does not count goes in excluded with its reason.
 * Returns what tr_metric_evaluate returns, with *out as it says: the result borrows policy
 * and copies what it keeps of the records, which may be released before it.
 */
int tr_eligibility_evaluate(const struct tr_eligibility_records *records,
                            const struct tr_policy *policy, const struct tr_metric_options *opt,
                            struct tr_metric_result **out, struct tr_error *err);

/* The most worker threads tr_eligibility_each starts. */
#define TR_ELIGIBILITY_THREADS_MAX 8

/* Called by tr_eligibility_each with person i's result; TR_OK or an error that stops it. */
typedef int (*tr_eligibility_fn)(void *ctx, size_t i, const struct tr_metric_result *result);

/*
 * tr_eligibility_each — apply policy to each of the n people of list (person ids, e.g. from
 * tr_eligibility_people), selecting only the record kinds the policy reads, and call
 * fn(ctx, i, result) once for each person i, in no particular order; opt's subject is set
 * for each person (the rest of opt applies to all).
 * threads: worker threads beside the caller's (at most TR_ELIGIBILITY_THREADS_MAX). Each
 *          opens the view's store file again, read-only, with a view of its own at the same
 *          log size and mode: the leaves below a log size never change, so every connection
 *          judges the same records the same way. 0 works in the caller's thread alone. With
 *          workers, fn is called from several threads at once, for different i: it must only
 *          touch what belongs to i, or lock.
 * Returns TR_OK; the first error of a person or of fn (the others stop soon after);
 * TR_EIO when a thread cannot start; the errors of opening the store again; TR_EINVAL (no
 * view, policy, opt or fn).
 */
int tr_eligibility_each(struct tr_eligibility *e, char *const *list, size_t n,
                        const struct tr_policy *policy, const struct tr_metric_options *opt,
                        unsigned threads, tr_eligibility_fn fn, void *ctx, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
