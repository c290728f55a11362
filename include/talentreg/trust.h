/*
 * talentreg/trust.h — who may sign what, as of a log position: the registry operator's key,
 * the organisations (from the Organization records the operator signed), their keys and the
 * record kinds they may issue, and the revocations of keys (KeyRevocation) and of records
 * (Revocation). Also the index of records the log holds.
 *
 * All of it is an index of the log kept in the tables of schemas/store-trust.sql, written by
 * tr_trust_index as each leaf is appended and derivable from the leaves' bodies alone. The
 * trusted time is a leaf index: every reader takes a log size as_of and sees only what
 * leaves below as_of said (so a metric "as of log size N" ignores later revocations).
 *
 * The rules this module answers for (docs/verification.md has them all):
 *   - a key belongs to the organisation whose Organization record first listed it, and is
 *     valid for a record at position p when it was registered at a leaf below p, it was not
 *     revoked at a leaf below p, and no revocation (below as_of) marks it compromised since a
 *     leaf index at or before p;
 *   - the organisation's version in force at p is its Organization record with the largest
 *     leaf below p; its mayIssue lists the kinds it may issue.
 * This module does not verify signatures or records: the verify module does, and only
 * records that count are indexed (tr_submit_credential).
 *
 * Errors: TR_OK or one TR_E* code with a message in the optional struct tr_error; store
 * failures are those of talentreg/db.h.
 */
#ifndef TALENTREG_TRUST_H
#define TALENTREG_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "db.h"
#include "error.h"
#include "ident.h"
#include "json.h"
#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The issuer column of a record issued by the registry operator. */
#define TR_TRUST_OPERATOR "operator"
/* Room for an organisation's name (200 characters of UTF-8) with its NUL. */
#define TR_TRUST_NAME_SIZE 801
/* Room for an organisation kind ("evaluation_board") with its NUL. */
#define TR_TRUST_ORG_KIND_SIZE 32
/* Room for a record's subject as the index keeps it (a person id is the longest). */
#define TR_TRUST_SUBJECT_SIZE (TR_PERSON_ID_MAX + 1)

/* A key as the log stood at as_of. */
struct tr_trust_key {
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    char uscc[TR_USCC_LEN + 1];            /* its organisation */
    char org_record[TR_RECORD_ID_LEN + 1]; /* the Organization record that listed it first */
    uint64_t registered_leaf;              /* that record's first leaf */
    int revoked;                           /* 1 when a KeyRevocation below as_of revokes it */
    uint64_t revoked_leaf;                 /* the first such revocation's leaf */
    char revocation_record[TR_RECORD_ID_LEN + 1]; /* and record ("" when not revoked) */
    int compromised;                              /* 1 when one of them gives compromisedSince */
    uint64_t compromised_since;                   /* the smallest compromisedSince given */
};

/* Whether a key may sign a record at a position (tr_trust_key_state). */
enum tr_trust_key_state {
    TR_TRUST_KEY_VALID = 0,
    TR_TRUST_KEY_NOT_YET = 1,    /* registered at or after the position */
    TR_TRUST_KEY_REVOKED = 2,    /* revoked at a leaf before the position */
    TR_TRUST_KEY_COMPROMISED = 3 /* revoked later, but compromised since at or before it */
};

/* An organisation's version in force at a position. */
struct tr_trust_org {
    char uscc[TR_USCC_LEN + 1];
    char record_id[TR_RECORD_ID_LEN + 1]; /* the Organization record of this version */
    uint64_t leaf;                        /* its first leaf */
    uint64_t first_leaf;                  /* the organisation's first Organization record */
    char name[TR_TRUST_NAME_SIZE];
    char org_kind[TR_TRUST_ORG_KIND_SIZE];
    unsigned permitted; /* bit (1u << kind) for each kind of its mayIssue */
};

/* A record the log holds (the record table). */
struct tr_trust_record {
    char id[TR_RECORD_ID_LEN + 1];
    enum tr_kind kind;
    int by_operator;                     /* 1 when the operator issued it (issuer "") */
    char issuer[TR_USCC_LEN + 1];        /* the issuer's USCC, "" for the operator */
    char subject[TR_TRUST_SUBJECT_SIZE]; /* see schemas/store-trust.sql; "" when none */
    uint64_t leaf;                       /* its latest leaf in the whole log */
    uint64_t first_leaf;                 /* where it was first logged */
};

/* An accepted Revocation of a record. */
struct tr_trust_revocation {
    char record_id[TR_RECORD_ID_LEN + 1];   /* the Revocation record */
    char target[TR_RECORD_ID_LEN + 1];      /* the record it revokes */
    uint64_t leaf;                          /* the Revocation's first leaf */
    int supersede;                          /* 0: withdrawn ('revoke'); 1: superseded */
    char replacement[TR_RECORD_ID_LEN + 1]; /* the superseding record, "" when withdrawn */
};

/*
 * tr_trust_operator_key — pub (out) = the operator's public key, kept in meta under
 * TR_DB_META_OPERATOR_KEY (talentreg/log.h). Returns TR_OK; TR_ENOTFOUND "store 'PATH' has
 * no operator key (run 'talentreg init --operator-key FILE')"; TR_EDB when the value is not
 * 32 bytes; a store error.
 */
int tr_trust_operator_key(struct tr_db *db, unsigned char pub[TR_ED25519_PUBLIC_LEN],
                          struct tr_error *err);

/*
 * tr_trust_key_get — the organisation key pub as the log stood at as_of: registered at a
 * leaf below as_of, with the revocations logged below as_of. The operator key is not an
 * organisation key and is not found here.
 * out: [out] filled on TR_OK; zeroed otherwise.
 * Returns TR_OK; TR_ENOTFOUND (no message: a key nobody registered is an answer, not a
 * failure); a store error.
 */
int tr_trust_key_get(struct tr_db *db, const unsigned char pub[TR_ED25519_PUBLIC_LEN],
                     uint64_t as_of, struct tr_trust_key *out, struct tr_error *err);

/*
 * tr_trust_key_state — whether key (as tr_trust_key_get read it) may sign a record logged
 * at position: registered before it, not revoked before it, not compromised since a leaf
 * index at or before it. Pure.
 */
enum tr_trust_key_state tr_trust_key_state(const struct tr_trust_key *key, uint64_t position);

/*
 * tr_trust_org_get — the version of organisation uscc (18 characters, NUL-terminated) in
 * force at as_of: its Organization record with the largest leaf below as_of.
 * out: [out] filled on TR_OK; zeroed otherwise.
 * Returns TR_OK; TR_ENOTFOUND (no message) when no Organization record of uscc lies below
 * as_of; TR_EDB when a stored permitted list is not a JSON array of kind names; a store
 * error.
 */
int tr_trust_org_get(struct tr_db *db, const char *uscc, uint64_t as_of, struct tr_trust_org *out,
                     struct tr_error *err);

/* tr_trust_org_may_issue — 1 when org's version permits kind, else 0. Pure. */
int tr_trust_org_may_issue(const struct tr_trust_org *org, enum tr_kind kind);

/*
 * tr_trust_org_list — every organisation registered below as_of, in the order of their
 * first registration, each in its version in force at as_of.
 * out:   [out] an array the caller frees with free(); NULL when there is none.
 * count: [out] its length.
 * Returns TR_OK, TR_ENOMEM, TR_EDB or a store error (then *out is NULL and *count 0).
 */
int tr_trust_org_list(struct tr_db *db, uint64_t as_of, struct tr_trust_org **out, size_t *count,
                      struct tr_error *err);

/*
 * tr_trust_org_keys — the keys of organisation uscc registered below as_of, in the order
 * of their registration (then of their bytes), each as tr_trust_key_get reads it.
 * out/count as tr_trust_org_list. Returns TR_OK (none is an empty list), TR_ENOMEM or a
 * store error.
 */
int tr_trust_org_keys(struct tr_db *db, const char *uscc, uint64_t as_of, struct tr_trust_key **out,
                      size_t *count, struct tr_error *err);

/*
 * tr_trust_record_get — the index row of record id (64 lowercase hex digits) in the whole
 * log; a caller that looks at an older log size compares first_leaf with it.
 * Returns TR_OK; TR_ENOTFOUND (no message); TR_EDB for a row whose kind is unknown; a
 * store error.
 */
int tr_trust_record_get(struct tr_db *db, const char *id, struct tr_trust_record *out,
                        struct tr_error *err);

/*
 * tr_trust_revocations — the accepted Revocations of record target logged below as_of, in
 * log order. out/count as tr_trust_org_list. Returns TR_OK (none is an empty list),
 * TR_ENOMEM or a store error.
 */
int tr_trust_revocations(struct tr_db *db, const char *target, uint64_t as_of,
                         struct tr_trust_revocation **out, size_t *count, struct tr_error *err);

/*
 * tr_trust_revocation_list — every accepted Revocation logged below as_of, by target (in
 * byte order of the record ids), then in log order: what a reader judging many records
 * reads once, to know which of them a Revocation names. out/count as tr_trust_org_list.
 * Returns TR_OK (none is an empty list), TR_ENOMEM, TR_EDB or a store error.
 */
int tr_trust_revocation_list(struct tr_db *db, uint64_t as_of, struct tr_trust_revocation **out,
                             size_t *count, struct tr_error *err);

/*
 * tr_trust_compromised_keys — every organisation key that a KeyRevocation logged below
 * as_of marks compromised (compromisedSince), in byte order of the keys, each as
 * tr_trust_key_get reads it (compromised 1, compromised_since the smallest given). A record
 * logged before the revocation of any other key keeps counting; these are the keys whose
 * revocation reaches back. out/count as tr_trust_org_list. Returns TR_OK (none is an empty
 * list), TR_ENOMEM, TR_EDB or a store error.
 */
int tr_trust_compromised_keys(struct tr_db *db, uint64_t as_of, struct tr_trust_key **out,
                              size_t *count, struct tr_error *err);

/*
 * tr_trust_index — index the credential just logged at leaf under record_id: the record's
 * row (inserted at its first leaf, moved to leaf at a later one), and, at its first leaf,
 * the effects of its kind:
 *   Organization   a new version of the organisation; the keys it lists that are new are
 *                  registered at leaf;
 *   KeyRevocation  its key is revoked at leaf (with compromisedSince when given);
 *   Revocation     its target is withdrawn ('revoke') or superseded at leaf.
 * Leaves must be indexed in log order, each once. The credential must be one that counts:
 * nothing is verified here, but what contradicts the index (a leaf not after the record's
 * latest, a key of another organisation, a revoked key unknown here) is TR_ECONFLICT.
 * Must run inside the caller's transaction (TR_EINVAL otherwise); its writes run in a
 * savepoint, so on failure none of them is kept.
 * Returns TR_OK, TR_EINVAL (also a credential whose kind, issuer or subject cannot be read),
 * TR_ECONFLICT, TR_ENOMEM or a store error.
 */
int tr_trust_index(struct tr_db *db, const struct tr_json *credential, const char *record_id,
                   uint64_t leaf, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
