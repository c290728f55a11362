/*
 * talentreg/ob3.h — a Credit record as an Open Badges 3.0 OpenBadgeCredential (1EdTech Open
 * Badges Specification 3.0), signed with an eddsa-jcs-2022 proof by the key of the
 * organisation that awarded the credit, so a learner can carry it to any Open Badges wallet
 * or verifier.
 *
 * The credential (docs/policies.md, "Open Badges 3.0" gives every member):
 *   @context           the VC 2.0 context, then TR_OB3_CONTEXT
 *   id                 urn:talentreg:record:<the Credit's record id>
 *   type               ["VerifiableCredential", "OpenBadgeCredential"]
 *   issuer             a Profile: id the did:key of the signing key, name the organisation's
 *                      name, otherIdentifier its USCC (identifierType "ext:USCC")
 *   validFrom, awardedDate   the day the credit was earned, 00:00:00Z
 *   name               the course
 *   credentialSubject  an AchievementSubject: id the person's URN, achievement (id, type,
 *                      achievementType "Course", name, description, criteria.narrative,
 *                      creditsAvailable, humanCode), creditsEarned, term, result (the grade)
 *   proof              eddsa-jcs-2022, proofPurpose assertionMethod, by the did:key
 */
#ifndef TALENTREG_OB3_H
#define TALENTREG_OB3_H

#include "crypto.h"
#include "db.h"
#include "error.h"
#include "json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Open Badges 3.0 JSON-LD context. */
#define TR_OB3_CONTEXT "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

/*
 * tr_ob3_credit — the OpenBadgeCredential of the stored Credit record_id, signed with seed,
 * as the archive stands now (the log's whole size).
 * The record must be a Credit that counts (tr_verify_record), and seed's public key a key of
 * the Credit's issuer that is valid now: registered, not revoked, not marked compromised.
 * created: the proof's creation time, an RFC 3339 UTC date-time, or NULL for now.
 * out:     [out] the signed credential (owned by the caller); NULL on failure.
 * Returns TR_OK;
 *   TR_EINVAL   a malformed record id or created, or "record ID is of kind K, not a Credit";
 *   TR_ENOTFOUND "record 'ID' is not in the log of size N";
 *   TR_EVERIFY  "record ID does not count: CODE: DETAIL";
 *   TR_EPERM    "key DID is not a key of the issuer USCC" or "key DID of USCC was revoked at
 *               leaf N" (or is compromised);
 *   TR_ECRYPTO, TR_ENOMEM, or a store error.
 */
int tr_ob3_credit(struct tr_db *db, const char *record_id,
                  const unsigned char seed[TR_ED25519_SEED_LEN], const char *created,
                  struct tr_json **out, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
