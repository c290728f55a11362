/*
 * talentreg/verify.h — the verification core: whether a record counts, and every reason
 * why not.
 *
 * A record counts only when all of these hold (docs/verification.md gives each rule, in the
 * order they are applied, with its reason code):
 *   - it is a credential of a record kind that passes tr_schema_check;
 *   - it has at least one proof and every proof verifies (eddsa-jcs-2022, did:key methods);
 *   - every proof's key is the operator's or a registered organisation's, valid at the
 *     proof's position in the log (registered before it, not revoked before it, not
 *     compromised since a leaf index at or before it);
 *   - every signer its kind requires (tr_schema_signers) has a proof by one of its keys, no
 *     one else signed, and every signing organisation may issue the kind;
 *   - the rules of its kind hold (an Organization's keys, a KeyRevocation's key, a
 *     Revocation's target and issuer);
 *   - no accepted Revocation withdraws or supersedes it.
 *
 * Trusted time is the log position, never a date in the record or its proofs. A proof's
 * position is the first leaf whose body carries it (a co-signature merged later has its own
 * position); a proof not yet logged takes the position the record is judged at. The trust
 * state is read as the log stood at a log size (talentreg/trust.h): later leaves, and the
 * revocations they hold, are not seen.
 *
 * Errors: the functions return TR_OK whenever they reached a verdict, whether or not the
 * record counts; another TR_E* code (with a message in the optional struct tr_error) means
 * no verdict could be reached (a store failure, memory, a damaged log).
 */
#ifndef TALENTREG_VERIFY_H
#define TALENTREG_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "db.h"
#include "error.h"
#include "ident.h"
#include "json.h"
#include "proof.h"
#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Why a record does not count. Values and codes (tr_verify_reason_code) are stable. */
enum tr_verify_reason {
    TR_VERIFY_SCHEMA_INVALID = 0,            /* "schema-invalid" */
    TR_VERIFY_NO_PROOF = 1,                  /* "no-proof" */
    TR_VERIFY_MALFORMED_PROOF = 2,           /* "malformed-proof" */
    TR_VERIFY_WRONG_PROOF_TYPE = 3,          /* "wrong-proof-type" */
    TR_VERIFY_WRONG_CRYPTOSUITE = 4,         /* "wrong-cryptosuite" */
    TR_VERIFY_WRONG_PROOF_PURPOSE = 5,       /* "wrong-proof-purpose" */
    TR_VERIFY_CONTEXT_MISMATCH = 6,          /* "context-mismatch" */
    TR_VERIFY_BAD_SIGNATURE = 7,             /* "bad-signature" */
    TR_VERIFY_UNKNOWN_KEY = 8,               /* "unknown-key" */
    TR_VERIFY_KEY_REVOKED = 9,               /* "key-revoked" */
    TR_VERIFY_SELF_REVOCATION = 10,          /* "self-revocation" */
    TR_VERIFY_ISSUER_MISMATCH = 11,          /* "issuer-mismatch" */
    TR_VERIFY_MISSING_COSIGNER = 12,         /* "missing-cosigner" */
    TR_VERIFY_SIGNER_NOT_PERMITTED = 13,     /* "signer-not-permitted" */
    TR_VERIFY_KEY_CONFLICT = 14,             /* "key-conflict" */
    TR_VERIFY_UNKNOWN_TARGET = 15,           /* "unknown-target" */
    TR_VERIFY_NOT_REVOCABLE = 16,            /* "not-revocable" */
    TR_VERIFY_INVALID_REVOCATION = 17,       /* "invalid-revocation" */
    TR_VERIFY_REVOCATION_NOT_PERMITTED = 18, /* "revocation-not-permitted" */
    TR_VERIFY_REVOKED = 19,                  /* "revoked" */
    TR_VERIFY_SUPERSEDED = 20,               /* "superseded" */
    TR_VERIFY_ERASED = 21                    /* "erased" */
};
#define TR_VERIFY_REASON_COUNT 22

/* Room for a reason's detail, with its NUL; longer details are cut at a UTF-8 boundary. */
#define TR_VERIFY_DETAIL_MAX 320

/* One reason a record does not count. */
struct tr_verify_item {
    enum tr_verify_reason reason;
    size_t proof;                      /* the proof it concerns, counted from 1; 0 for none */
    char detail[TR_VERIFY_DETAIL_MAX]; /* in words, e.g. "proof 2: key did:key:z6Mk… of
                                          91350100MA31XR6T22 was revoked at leaf 5, before
                                          the proof's position 7" */
};

/* What the verifier made of one proof. */
struct tr_verify_proof {
    char verification_method[TR_PROOF_VM_MAX]; /* as written ("" when absent or too long) */
    enum tr_proof_status status;               /* the proof module's verdict */
    int has_key; /* 1 when pub holds the did:key the proof names (verified or not) */
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    int by_operator;              /* 1: the operator's key */
    char signer[TR_USCC_LEN + 1]; /* the key's organisation, "" when none */
    uint64_t position;            /* the position it was judged at */
    int counts;                   /* 1 when it counts as its signer's signature */
    int repeated; /* 1 when an earlier proof of the set is by the same key (counts once) */
};

/* The verdict on one record. Release with tr_verify_verdict_release. */
struct tr_verdict {
    int counts;                           /* 1 when the record counts, 0 when not */
    char record_id[TR_RECORD_ID_LEN + 1]; /* "" when the input is not a JSON object */
    int has_kind;                         /* 1 when kind was read from the type */
    enum tr_kind kind;
    int logged;                     /* 1 when the record is in the log below log_size */
    uint64_t leaf;                  /* then its latest leaf below log_size */
    uint64_t first_leaf;            /* and its first leaf */
    uint64_t position;              /* the record's position: first_leaf when logged */
    uint64_t log_size;              /* the log size it was judged as of */
    struct tr_verify_proof *proofs; /* one per proof, in order; owned */
    size_t nproofs;
    struct tr_verify_item *reasons; /* every reason, in the order of the rules; owned */
    size_t nreasons;
};

/* tr_verify_verdict_init — an empty verdict (counts 0, no proofs, no reasons). */
void tr_verify_verdict_init(struct tr_verdict *v);

/* tr_verify_verdict_release — free v's lists and make it empty. NULL is a no-op. */
void tr_verify_verdict_release(struct tr_verdict *v);

/* tr_verify_reason_code — the stable code of reason ("key-revoked", ...); "unknown" when out
 * of range. */
const char *tr_verify_reason_code(enum tr_verify_reason reason);

/*
 * tr_verify_reason_from_code — the reason whose code is code. TR_OK, or TR_ENOTFOUND.
 */
int tr_verify_reason_from_code(const char *code, enum tr_verify_reason *reason);

/*
 * tr_verify_record_id — out = the record id of credential: lowercase hex SHA-256 of the RFC
 * 8785 bytes of the credential without its `proof` member, NUL-terminated.
 * Returns TR_OK; TR_EINVAL when credential is not a JSON object (or cannot be made
 * canonical: a string that is not UTF-8, a repeated key); TR_ECRYPTO; TR_ENOMEM.
 */
int tr_verify_record_id(const struct tr_json *credential, char out[TR_RECORD_ID_LEN + 1],
                        struct tr_error *err);

/*
 * tr_verify_credential — judge credential as if it were logged at position, with the trust
 * state of the leaves below position (so position is also the log size it is judged as of).
 * When the record (by id) is in the log below position, its proofs that a logged body
 * carries take their logged positions, and its own position is its first leaf; the others
 * take position. This is what a submission is checked with (position = the log's size), and
 * `talentreg verify FILE`.
 * db:       the store; read only.
 * position: at most the log's size (TR_EINVAL "log size N is larger than the log (M
 *           leaves)" otherwise).
 * out:      [out] overwritten (release an earlier verdict first); on TR_OK the verdict,
 *           which the caller releases with tr_verify_verdict_release; empty otherwise.
 * Returns TR_OK (a verdict), TR_EINVAL, TR_ENOMEM, TR_ECRYPTO, TR_EVERIFY or TR_EDB (a
 * logged body that does not match its leaf hash or its record id), or a store error.
 */
int tr_verify_credential(struct tr_db *db, const struct tr_json *credential, uint64_t position,
                         struct tr_verdict *out, struct tr_error *err);

/*
 * What verification finds without the store: the record id, rule 1 (the schema) and each
 * proof's signature (the proof module's verdict on it, rule 2). None of it depends on the
 * log, so tr_verify_precheck may run in any thread, on many records at once; the rules that
 * depend on the log's position (keys, signers, permissions, kind rules, revocations) are
 * applied by tr_verify_credential_prechecked, in the one thread that holds the store. A bulk
 * import checks signatures on every core this way, and each signature once.
 */
struct tr_verify_precheck {
    char record_id[TR_RECORD_ID_LEN + 1]; /* "" when the credential is not a JSON object */
    int has_kind;                         /* 1 when kind was read from the type */
    enum tr_kind kind;
    int valid;                     /* 1: an object of a kind that passes its schema */
    struct tr_signers signers;     /* when valid: who must and may sign (rule 5) */
    struct tr_verify_item *schema; /* rule 1's reasons, in order; owned */
    size_t nschema;
    struct tr_proof_result *proofs;      /* one per proof, in order; owned */
    size_t nproofs;                      /* 0: no proof, or an empty proof set (see no_proof) */
    char no_proof[TR_VERIFY_DETAIL_MAX]; /* why there is none, when nproofs is 0 */
};

/* tr_verify_precheck_init — an empty precheck. */
void tr_verify_precheck_init(struct tr_verify_precheck *p);

/* tr_verify_precheck_release — free p's lists and make it empty. NULL is a no-op. */
void tr_verify_precheck_release(struct tr_verify_precheck *p);

/*
 * tr_verify_precheck — what verification finds of credential without the store: its record
 * id (tr_verify_record_id), its schema check, its signers (tr_schema_signers) and every
 * proof verified (tr_proof_verify, did:key methods, purpose assertionMethod). Pure: reads
 * no store, safe in any thread.
 * credential: any JSON value (a non-object gets one schema reason and no proof results).
 * out:        [out] overwritten (release an earlier precheck first); on TR_OK the caller
 *             releases it with tr_verify_precheck_release; empty otherwise.
 * Returns TR_OK (whatever the record's faults: they are in out), or TR_EINVAL (an object
 * that cannot be made canonical), TR_ENOMEM, TR_ECRYPTO, or the schema-loading error.
 */
int tr_verify_precheck(const struct tr_json *credential, struct tr_verify_precheck *out,
                       struct tr_error *err);

/*
 * tr_verify_credential_prechecked — tr_verify_credential, with the store-free part of the
 * verdict taken from pre instead of computed again: no signature is verified here.
 * pre: tr_verify_precheck's result for this very credential, unchanged since (the caller
 *      answers for that: a precheck of another document gives a verdict on the wrong proofs);
 *      NULL computes it, as tr_verify_credential does.
 * The verdict is the one tr_verify_credential gives for credential at position. Returns as
 * tr_verify_credential does.
 */
int tr_verify_credential_prechecked(struct tr_db *db, const struct tr_json *credential,
                                    const struct tr_verify_precheck *pre, uint64_t position,
                                    struct tr_verdict *out, struct tr_error *err);

/*
 * tr_verify_record — judge the stored record record_id as the archive stood at log_size:
 * its latest body below log_size, the trust state and the revocations of the leaves below
 * log_size (metrics judge records with a fixed log size so later revocations change nothing
 * they computed).
 * log_size: at most the log's size (TR_EINVAL otherwise).
 * out:      [out] as for tr_verify_credential; an erased body gives the reason "erased".
 * Returns TR_OK (a verdict); TR_ENOTFOUND "record 'ID' is not in the log of size N"; TR_EINVAL
 * for a malformed id; the errors of tr_verify_credential.
 */
int tr_verify_record(struct tr_db *db, const char *record_id, uint64_t log_size,
                     struct tr_verdict *out, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
