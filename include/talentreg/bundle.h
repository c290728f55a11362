/*
 * talentreg/bundle.h — offline bundles: one JSON document that lets anyone holding only the
 * operator's public key check one record (docs/bundle.md).
 *
 * A bundle holds the signed credential with its leaf index and inclusion proof; for every
 * key that signed it, the Organization record (signed by the operator) that registered the
 * key, each with its own leaf index and inclusion proof; and the operator's signed
 * checkpoint that every proof leads to. Optionally it carries a consistency proof from an
 * older tree size, for a verifier that has already seen a checkpoint of that size.
 *
 *   {"format": "talentreg-bundle", "version": 1,
 *    "checkpoint": "<C2SP signed note>",
 *    "record": {"leaf_index": N, "inclusion_proof": ["<hex>", ...], "credential": {...}},
 *    "organizations": [{"leaf_index": N, "inclusion_proof": [...], "credential": {...}}, ...],
 *    "consistency": {"old_size": M, "proof": ["<hex>", ...]}}          (optional)
 *
 * A bundle cannot show what the log holds beyond it: revocations (of the record or of a
 * key) and later Organization records logged after the checkpoint, or not carried in the
 * bundle, are not seen. `talentreg export` only writes bundles of records that verify in
 * the store as of the checkpoint.
 */
#ifndef TALENTREG_BUNDLE_H
#define TALENTREG_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "error.h"
#include "json.h"
#include "log.h"
#include "merkle.h"
#include "note.h"
#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TR_BUNDLE_FORMAT "talentreg-bundle"
#define TR_BUNDLE_VERSION 1
/* The most Organization records one bundle may carry. */
#define TR_BUNDLE_MAX_ORGS 16

/*
 * Why a bundle does not verify. Each has a stable code (tr_bundle_reason_code); where the
 * verify module (talentreg/verify.h) has a reason for the same fault, the code is its code.
 */
enum tr_bundle_reason {
    TR_BUNDLE_VALID = 0,
    TR_BUNDLE_MALFORMED,            /* "bundle-malformed": not a bundle of this version */
    TR_BUNDLE_CHECKPOINT_SIGNATURE, /* "checkpoint-signature": not the operator's checkpoint */
    TR_BUNDLE_INCLUSION,            /* "inclusion-proof": a leaf is not proved in the tree */
    TR_BUNDLE_SCHEMA,               /* "schema-invalid": the record does not validate */
    TR_BUNDLE_PROOF,                /* "proof-invalid": a Data Integrity proof fails */
    TR_BUNDLE_UNKNOWN_KEY,          /* "unknown-key": signed by a key no record registers */
    TR_BUNDLE_KEY_CONFLICT,         /* "key-conflict": a key listed by two organisations */
    TR_BUNDLE_ORG_INVALID,          /* "organization-invalid": not an operator's Organization */
    TR_BUNDLE_ORG_LATER,            /* "organization-later": logged at or after the record */
    TR_BUNDLE_ORG_UNUSED,           /* "organization-unused": the record does not need it */
    TR_BUNDLE_ISSUER_MISMATCH,      /* "issuer-mismatch": the issuer did not sign */
    TR_BUNDLE_MISSING_COSIGNER,     /* "missing-cosigner": a required co-signer did not sign */
    TR_BUNDLE_SIGNER_NOT_PERMITTED, /* "signer-not-permitted": signed by one the kind does not
                                       name, or by one that may not issue the kind */
    TR_BUNDLE_ROLLBACK,             /* "checkpoint-rollback": smaller than the one seen */
    TR_BUNDLE_FORK,                 /* "checkpoint-fork": same size as the one seen, other root */
    TR_BUNDLE_INCONSISTENT          /* "checkpoint-inconsistent": no valid consistency proof */
};

/* A checkpoint a verifier has seen before: the bundle's must be consistent with it. */
struct tr_bundle_seen {
    uint64_t size;
    unsigned char root[TR_MERKLE_HASH_LEN];
};

/* What tr_bundle_verify found. */
struct tr_bundle_result {
    enum tr_bundle_reason reason;
    char record_id[TR_LOG_RECORD_ID_LEN + 1]; /* the credential's id, "" before it is known */
    int has_kind;                             /* 1 once the record passed its schema */
    enum tr_kind kind;                        /* then its kind */
    uint64_t leaf_index;                      /* the record's leaf */
    struct tr_note_checkpoint checkpoint;     /* the checkpoint, once its note opened */
};

/*
 * tr_bundle_export — the bundle of the stored record record_id (64 lowercase hex digits),
 * proved against the latest stored checkpoint:
 *   - the record's latest leaf must be below the checkpoint's size, else TR_ECONFLICT "no
 *     checkpoint covers leaf N: run 'talentreg log checkpoint'" (no checkpoint at all:
 *     TR_ECONFLICT "the log has no checkpoint yet: run 'talentreg log checkpoint'");
 *   - the record must count as of the checkpoint's size (tr_verify_record), else TR_EVERIFY
 *     "record 'ID' does not count as of tree size N: CODE: DETAIL";
 *   - for every key of the operator's organisations that signed it, the Organization record
 *     that registered the key (trust_key) and the organisation's version in force at the
 *     proof's position (trust_org_version) are added, each at its first leaf;
 *   - since (0: none) adds the consistency proof from tree size since (at most the
 *     checkpoint's size; TR_EINVAL otherwise) to the checkpoint's.
 * The bundle is verified with tr_bundle_verify and the operator key before it is returned.
 * out: [out] the bundle, owned by the caller (tr_json_free); NULL on failure.
 * Returns TR_OK; TR_EINVAL; TR_ENOTFOUND "record 'ID' is not in the log"; TR_ECONFLICT;
 * TR_EVERIFY; TR_ENOMEM; TR_ECRYPTO; a store error.
 */
int tr_bundle_export(struct tr_db *db, const char *record_id, uint64_t since, struct tr_json **out,
                     struct tr_error *err);

/* tr_bundle_reason_code — the stable code of a reason ("inclusion-proof", ...); "ok" for
 * TR_BUNDLE_VALID, "unknown" out of range. */
const char *tr_bundle_reason_code(enum tr_bundle_reason reason);

/*
 * tr_bundle_verify — check bundle with no store, trusting only the operator key vkey (a
 * C2SP verifier key; its name is the log's origin):
 *   1. the bundle's shape: the members above and no others, format and version;
 *   2. the checkpoint note opens under vkey with origin vkey->name;
 *   3. when seen is not NULL, the checkpoint must not be a rollback (smaller size) or a
 *      fork (same size, another root) of seen, and the bundle's consistency proof from
 *      seen->size must tie the two roots (tr_log_check_checkpoint_update);
 *   4. every leaf hash SHA-256(0x00 || JCS(credential)) is proved at its leaf index in the
 *      checkpoint's tree by its inclusion proof;
 *   5. every Organization record was logged before the record, validates (tr_schema_check)
 *      and is signed by the operator key only; no key is listed by two organisations;
 *   6. the record validates; every one of its proofs verifies (tr_proof_verify) with a key
 *      that is the operator's or that an Organization record of the bundle lists; a key
 *      belongs to the organisation whose record lists it;
 *   7. as the verify module judges signers (talentreg/verify.h), at the record's leaf: no
 *      one the kind does not name (tr_schema_signers) signed, every required signer did,
 *      and each signing organisation may issue the kind by its version in force, the
 *      latest of its Organization records in the bundle (Organization, KeyRevocation and
 *      Revocation need no permission);
 *   8. every Organization record is needed: it lists a key that signed, or it is the
 *      version in force of a signing organisation.
 * out: [out] the verdict; reason TR_BUNDLE_VALID on TR_OK.
 * Returns TR_OK; TR_EVERIFY with out->reason and the first reason in err (what failed and
 * where: "record: ...", "organization 2: ..."); TR_EINVAL for a NULL bundle, vkey or out;
 * TR_ENOMEM; TR_ECRYPTO.
 */
int tr_bundle_verify(const struct tr_json *bundle, const struct tr_note_verifier *vkey,
                     const struct tr_bundle_seen *seen, struct tr_bundle_result *out,
                     struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
