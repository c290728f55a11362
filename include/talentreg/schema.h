/*
 * talentreg/schema.h — record kinds: validation of credentials, the YAML record format
 * and its mapping to credentials, and who must sign each record.
 *
 * Every record is a W3C Verifiable Credential 2.0. Its kind is named by its type,
 * ["VerifiableCredential", "<Kind>Credential"], and is described by schemas/<Kind>.yaml,
 * compiled into the library and loaded at first use (docs/data-model.md describes the
 * schema language and every kind). Validation is defined on the credential, so a record
 * written in YAML (after tr_schema_from_record) and a credential submitted as JSON meet the
 * same checks and the same messages, e.g. "field 'credentialSubject.fte' must be between 0
 * and 1", each with the field's path and, when the tree came from a file, its position.
 *
 * Thread safety: the compiled schemas are immutable once loaded (under pthread_once); every
 * function may be called from any thread.
 */
#ifndef TALENTREG_SCHEMA_H
#define TALENTREG_SCHEMA_H

#include <stddef.h>

#include "diag.h"
#include "error.h"
#include "ident.h"
#include "json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The two contexts every credential names, in this order, and nothing else. */
#define TR_CONTEXT_VC "https://www.w3.org/ns/credentials/v2"
#define TR_CONTEXT_TALENTREG "https://talentreg.example/ns/v1"
/* The first type of every credential; the second is the kind's name + "Credential". */
#define TR_TYPE_VC "VerifiableCredential"
#define TR_TYPE_SUFFIX "Credential"

/* The record kinds. The values are stable: they are part of the API and may be stored. */
enum tr_kind {
    TR_KIND_ORGANIZATION = 0,
    TR_KIND_KEY_REVOCATION = 1,
    TR_KIND_PERSON = 2,
    TR_KIND_DUAL_APPOINTMENT = 3,
    TR_KIND_ENTERPRISE_PLACEMENT = 4,
    TR_KIND_CREDIT = 5,
    TR_KIND_RECOGNITION_AGREEMENT = 6,
    TR_KIND_CREDIT_RECOGNITION = 7,
    TR_KIND_CONTRIBUTION = 8,
    TR_KIND_EVALUATION = 9,
    TR_KIND_REVOCATION = 10
};
#define TR_KIND_COUNT 11

/* tr_schema_kind_name — "Organization", "EnterprisePlacement", ...; NULL when out of range. */
const char *tr_schema_kind_name(enum tr_kind kind);

/* tr_schema_kind_from_name — the kind called name (exact case). TR_OK or TR_ENOTFOUND. */
int tr_schema_kind_from_name(const char *name, enum tr_kind *kind);

/*
 * tr_schema_load — compile the embedded schema files now rather than at first use.
 * Returns TR_OK, or the error of the first bad schema file (TR_EPARSE, TR_ESCHEMA,
 * TR_ENOMEM), the same on every call. Every other function returns that error too.
 */
int tr_schema_load(struct tr_error *err);

/*
 * tr_schema_kind — the kind of credential, read from its type alone (nothing else is
 * checked). Returns TR_OK and *kind, or TR_ESCHEMA when credential (may be NULL) is not an
 * object whose type is ["VerifiableCredential", "<Kind>Credential"] of a known kind.
 */
int tr_schema_kind(const struct tr_json *credential, enum tr_kind *kind, struct tr_error *err);

/*
 * tr_schema_check — validate an unsigned or signed credential against its kind's schema:
 * @context, type, issuer (urn:talentreg:org:<USCC> or urn:talentreg:operator, and one the
 * kind allows), validFrom / validUntil (UTC date-times, required or refused by the kind, not
 * out of order), credentialSubject (its id and every field: types, ranges, lengths, enum
 * values, identifiers with their check characters, real dates), and that the organisations
 * that must sign are distinct. Unknown members are errors, except `proof`, which belongs to
 * the proof module and is not looked at. No `id` member is allowed: a record's id is the
 * hash of its content.
 * Adds one entry to diag (not NULL) per problem, in input order, and returns TR_OK (none),
 * TR_ESCHEMA, TR_ENOMEM (diag could not store one), or the schema-loading error (whose
 * message is then diag's entry).
 */
int tr_schema_check(const struct tr_json *credential, struct tr_diag *diag);

/*
 * tr_schema_from_record — map a record as an HR office writes it in YAML (a flat mapping,
 * see docs/data-model.md) to its unsigned credential, and validate that.
 *   record:  the loaded YAML document. Not taken over, but not const either: the clear
 *            value of a hashed field (nationalId) is wiped in place once it is hashed or
 *            refused, so no copy of it outlives this call.
 *   id_key:  TR_ID_KEY_LEN bytes keying the hash of national id numbers, or NULL; a record
 *            that gives a nationalId without a key is refused.
 *   out:     on TR_OK, the credential (owned by the caller); else NULL.
 *   diag:    gets every problem found in the record, as tr_schema_check reports them, with
 *            the record's positions.
 * Returns TR_OK, TR_ESCHEMA, TR_ENOMEM, TR_ECRYPTO or the schema-loading error.
 */
int tr_schema_from_record(struct tr_json *record, const unsigned char *id_key, struct tr_json **out,
                          struct tr_diag *diag);

/* The organisations whose proofs a record needs or admits. */
#define TR_SIGNERS_MAX 8
#define TR_SIGNER_ROLE_MAX 32

struct tr_signer {
    int required;                  /* 1: must sign; 0: may co-sign */
    int is_operator;               /* 1: the registry operator (uscc is "") */
    char uscc[TR_USCC_LEN + 1];    /* the organisation, when not the operator */
    char role[TR_SIGNER_ROLE_MAX]; /* what names it: "issuer", "subject" or a field */
};

struct tr_signers {
    size_t len;
    struct tr_signer items[TR_SIGNERS_MAX];
};

/*
 * tr_schema_signers — who must sign credential, and who may co-sign. Each organisation is
 * listed once (required when any role requires it), the issuer first. A record counts only
 * when every required signer has a valid proof; the trust module decides about proofs by
 * anyone else. Returns TR_OK and *out, or TR_ESCHEMA (with the first problem in err) when
 * the credential does not validate, TR_ENOMEM, or the schema-loading error.
 */
int tr_schema_signers(const struct tr_json *credential, struct tr_signers *out,
                      struct tr_error *err);

/*
 * tr_schema_context_document — the JSON-LD context document of TR_CONTEXT_TALENTREG
 * (schemas/context-v1.jsonld), for verifiers that load contexts, which must never fetch it.
 * Static bytes, NUL-terminated; *len (may be NULL) gets the length.
 */
const char *tr_schema_context_document(size_t *len);

#ifdef __cplusplus
}
#endif
#endif
