/*
 * talentreg/proof.h — W3C Data Integrity proofs of cryptosuite eddsa-jcs-2022
 * (Data Integrity EdDSA Cryptosuites v1.0, §3.3): RFC 8785 canonical JSON, SHA-256 and
 * Ed25519, on any JSON document.
 *
 * A proof signs hashData = SHA-256(JCS(proof configuration)) ‖ SHA-256(JCS(document without
 * its proof)), where the proof configuration is the proof without proofValue and carries
 * the document's @context. Several proofs form a proof set: `proof` is then an array and
 * each member signs the same unsecured document independently; every one must verify.
 */
#ifndef TALENTREG_PROOF_H
#define TALENTREG_PROOF_H

#include <stddef.h>

#include "crypto.h"
#include "error.h"
#include "json.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TR_PROOF_TYPE "DataIntegrityProof"
#define TR_PROOF_CRYPTOSUITE "eddsa-jcs-2022"
#define TR_PROOF_PURPOSE "assertionMethod"
/* Room for a verification method id we report (longer ones are refused as malformed). */
#define TR_PROOF_VM_MAX 512

/* Why one proof does not verify. Each has a stable reason code (tr_proof_reason_code). */
enum tr_proof_status {
    TR_PROOF_VALID = 0,
    TR_PROOF_MALFORMED,          /* "malformed-proof": missing/mistyped members */
    TR_PROOF_WRONG_TYPE,         /* "wrong-proof-type": type is not DataIntegrityProof */
    TR_PROOF_WRONG_CRYPTOSUITE,  /* "wrong-cryptosuite": not eddsa-jcs-2022 */
    TR_PROOF_WRONG_PURPOSE,      /* "wrong-proof-purpose": not the purpose asked for */
    TR_PROOF_CONTEXT_MISMATCH,   /* "context-mismatch": proof @context not a prefix */
    TR_PROOF_UNKNOWN_KEY,        /* "unknown-key": the verification method is not resolved */
    TR_PROOF_BAD_SIGNATURE       /* "bad-signature": Ed25519 verification failed */
};

/* The verdict on one proof of a document. */
struct tr_proof_result {
    enum tr_proof_status status;
    char verification_method[TR_PROOF_VM_MAX]; /* as written, "" when absent or too long */
    unsigned char pub[TR_ED25519_PUBLIC_LEN];  /* the key that verified (status VALID) */
    char detail[256];                          /* why, in words ("" when valid) */
};

/*
 * Resolves a verification method id to an Ed25519 public key. Returns TR_OK and fills pub,
 * TR_ENOTFOUND when the method is unknown, or another code on failure (which aborts the
 * verification). NULL as a resolver means tr_proof_resolve_didkey.
 */
typedef int (*tr_proof_resolve_fn)(void *ctx, const char *verification_method,
                                   unsigned char pub[TR_ED25519_PUBLIC_LEN],
                                   struct tr_error *err);

/* tr_proof_resolve_didkey — the resolver of did:key verification methods (ctx unused). */
int tr_proof_resolve_didkey(void *ctx, const char *verification_method,
                            unsigned char pub[TR_ED25519_PUBLIC_LEN], struct tr_error *err);

struct tr_proof_sign_options {
    const char *created;             /* dateTimeStamp ("2023-02-24T23:36:38Z"); NULL = now */
    const char *verification_method; /* NULL = the did:key method of the signing key */
    const char *proof_purpose;       /* NULL = "assertionMethod" */
};

/*
 * tr_proof_sign — add an eddsa-jcs-2022 proof by the key with seed to doc (an object).
 * The new proof signs doc without its `proof` member, so existing proofs are kept and form
 * a proof set with it (`proof` becomes an array of two or more). The proof is verified
 * again with the public key before doc is changed. opts may be NULL.
 * Returns TR_OK, TR_EINVAL (doc not an object, an existing proof that is neither object nor
 * array, a malformed option), TR_ECRYPTO or TR_ENOMEM. On failure doc is unchanged.
 */
int tr_proof_sign(struct tr_json *doc, const unsigned char seed[TR_ED25519_SEED_LEN],
                  const struct tr_proof_sign_options *opts, struct tr_error *err);

/*
 * tr_proof_verify — verify every proof of doc. purpose is the proofPurpose required
 * (NULL = "assertionMethod"); resolve/ctx turn verification methods into keys (NULL =
 * did:key). *results (may be NULL when not wanted) receives one entry per proof, in order,
 * allocated with malloc (the caller frees it; NULL when doc has no proof), *count their
 * number.
 * Returns TR_OK when doc has at least one proof and all of them verify; TR_EVERIFY when
 * doc has no proof or any proof fails (the results say which and why; err gets the first
 * reason); TR_EINVAL, TR_ENOMEM, TR_ECRYPTO or a resolver's error code otherwise.
 */
int tr_proof_verify(const struct tr_json *doc, const char *purpose, tr_proof_resolve_fn resolve,
                    void *ctx, struct tr_proof_result **results, size_t *count,
                    struct tr_error *err);

/*
 * tr_proof_verify_hashed — tr_proof_verify with doc_hash, SHA-256 of the JCS form of doc
 * without its `proof` member, already computed by the caller (the record id is that hash,
 * so a verifier that made the id need not canonicalise and hash the document again). A
 * doc_hash that is not that hash makes every proof fail as a bad signature. Returns as
 * tr_proof_verify.
 */
int tr_proof_verify_hashed(const struct tr_json *doc, const unsigned char doc_hash[TR_SHA256_LEN],
                           const char *purpose, tr_proof_resolve_fn resolve, void *ctx,
                           struct tr_proof_result **results, size_t *count,
                           struct tr_error *err);

/* tr_proof_reason_code — the stable code of a status ("bad-signature", ...); "ok" for VALID. */
const char *tr_proof_reason_code(enum tr_proof_status status);

/*
 * tr_proof_unsecured — a copy of doc without its `proof` member (owned by the caller), or
 * NULL when out of memory or doc is not an object.
 */
struct tr_json *tr_proof_unsecured(const struct tr_json *doc);

#ifdef __cplusplus
}
#endif
#endif
