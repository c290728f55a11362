/*
 * verify.c — the verification core: whether a record counts, with every reason why not
 * (talentreg/verify.h). The rules, in the order applied here, are docs/verification.md.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg/jcs.h"
#include "talentreg/key.h"
#include "talentreg/log.h"
#include "talentreg/trust.h"
#include "talentreg/verify.h"
#include "verify_leaf.h"

/* A Revocation is judged when its target is; it cannot itself be revoked, so one level. */
#define MAX_DEPTH 1

static const char *const reason_codes[TR_VERIFY_REASON_COUNT] = {
    [TR_VERIFY_SCHEMA_INVALID] = "schema-invalid",
    [TR_VERIFY_NO_PROOF] = "no-proof",
    [TR_VERIFY_MALFORMED_PROOF] = "malformed-proof",
    [TR_VERIFY_WRONG_PROOF_TYPE] = "wrong-proof-type",
    [TR_VERIFY_WRONG_CRYPTOSUITE] = "wrong-cryptosuite",
    [TR_VERIFY_WRONG_PROOF_PURPOSE] = "wrong-proof-purpose",
    [TR_VERIFY_CONTEXT_MISMATCH] = "context-mismatch",
    [TR_VERIFY_BAD_SIGNATURE] = "bad-signature",
    [TR_VERIFY_UNKNOWN_KEY] = "unknown-key",
    [TR_VERIFY_KEY_REVOKED] = "key-revoked",
    [TR_VERIFY_SELF_REVOCATION] = "self-revocation",
    [TR_VERIFY_ISSUER_MISMATCH] = "issuer-mismatch",
    [TR_VERIFY_MISSING_COSIGNER] = "missing-cosigner",
    [TR_VERIFY_SIGNER_NOT_PERMITTED] = "signer-not-permitted",
    [TR_VERIFY_KEY_CONFLICT] = "key-conflict",
    [TR_VERIFY_UNKNOWN_TARGET] = "unknown-target",
    [TR_VERIFY_NOT_REVOCABLE] = "not-revocable",
    [TR_VERIFY_INVALID_REVOCATION] = "invalid-revocation",
    [TR_VERIFY_REVOCATION_NOT_PERMITTED] = "revocation-not-permitted",
    [TR_VERIFY_REVOKED] = "revoked",
    [TR_VERIFY_SUPERSEDED] = "superseded",
    [TR_VERIFY_ERASED] = "erased",
};

const char *tr_verify_reason_code(enum tr_verify_reason reason)
{
    return (unsigned)reason < TR_VERIFY_REASON_COUNT ? reason_codes[reason] : "unknown";
}

int tr_verify_reason_from_code(const char *code, enum tr_verify_reason *reason)
{
    for (unsigned i = 0; code != NULL && i < TR_VERIFY_REASON_COUNT; i++) {
        if (strcmp(reason_codes[i], code) == 0) {
            *reason = (enum tr_verify_reason)i;
            return TR_OK;
        }
    }
    return TR_ENOTFOUND;
}

void tr_verify_verdict_init(struct tr_verdict *v)
{
    memset(v, 0, sizeof *v);
}

void tr_verify_verdict_release(struct tr_verdict *v)
{
    if (v == NULL) {
        return;
    }
    free(v->proofs);
    free(v->reasons);
    tr_verify_verdict_init(v);
}

/*
 * The record id of credential, and in hash the SHA-256 it spells: the hash eddsa-jcs-2022
 * signs of the document, so tr_verify_precheck hands it to the proofs' check.
 */
static int record_id(const struct tr_json *credential, char out[TR_RECORD_ID_LEN + 1],
                     unsigned char hash[TR_SHA256_LEN], struct tr_error *err)
{
    struct tr_buf b;
    tr_buf_init(&b);
    out[0] = '\0';
    int rc = tr_jcs_serialize_without(credential, "proof", &b, err);
    if (rc == TR_OK && tr_sha256(b.data, b.len, hash) != TR_OK) {
        rc = tr_error_set(err, TR_ECRYPTO, "cannot hash a credential");
    }
    if (rc == TR_OK) {
        static const char digits[] = "0123456789abcdef";
        for (size_t i = 0; i < TR_SHA256_LEN; i++) {
            out[2 * i] = digits[hash[i] >> 4];
            out[2 * i + 1] = digits[hash[i] & 0xf];
        }
        out[2 * TR_SHA256_LEN] = '\0';
    }
    tr_buf_release(&b);
    return rc;
}

int tr_verify_record_id(const struct tr_json *credential, char out[TR_RECORD_ID_LEN + 1],
                        struct tr_error *err)
{
    unsigned char hash[TR_SHA256_LEN];
    return record_id(credential, out, hash, err);
}

/* ---- The record's logged bodies ---- */

/* The leaves below a log size that carry one record, with their parsed bodies. */
struct logged {
    size_t n;
    uint64_t *leaves;
    struct tr_json **bodies; /* NULL for an erased body */
};

static void logged_release(struct logged *l)
{
    for (size_t i = 0; i < l->n; i++) {
        tr_json_free(l->bodies[i]);
    }
    free(l->bodies);
    free(l->leaves);
    memset(l, 0, sizeof *l);
}

/*
 * Read the bodies of record id logged below size (none is not an error), each checked
 * against its leaf hash (tr_log_entry) and its record id.
 */
static int load_logged(struct tr_db *db, const char *id, uint64_t size, struct logged *out,
                       struct tr_error *err)
{
    struct tr_buf body;
    /* Whatever a submission may have been allowed. */
    struct tr_limits limits = {TR_LIMIT_CEIL_BYTES, TR_LIMIT_CEIL_DEPTH, TR_LIMIT_CEIL_NODES,
                               TR_LIMIT_CEIL_SCALAR};
    uint64_t *leaves = NULL;
    size_t count = 0;
    memset(out, 0, sizeof *out);
    tr_buf_init(&body);
    int rc = tr_log_find(db, id, NULL, &leaves, &count, err);
    if (rc == TR_ENOTFOUND) {
        tr_error_clear(err);
        return TR_OK;
    }
    if (rc != TR_OK) {
        return rc;
    }
    while (count > 0 && leaves[count - 1] >= size) {
        count--;
    }
    out->leaves = leaves;
    out->bodies = count > 0 ? calloc(count, sizeof *out->bodies) : NULL;
    if (count > 0 && out->bodies == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        struct tr_log_entry e;
        char check[TR_RECORD_ID_LEN + 1];
        char name[48];
        tr_buf_reset(&body);
        if ((rc = tr_log_entry(db, leaves[i], &e, &body, err)) != TR_OK) {
            goto out;
        }
        out->n = i + 1;
        if (e.erased) {
            continue;
        }
        struct tr_error parse = {0};
        snprintf(name, sizeof name, "leaf %" PRIu64, leaves[i]);
        rc = tr_json_parse(body.data, body.len, name, &limits, &out->bodies[i], &parse);
        if (rc == TR_ENOMEM) {
            rc = tr_error_set(err, rc, "%s", parse.msg);
            goto out;
        }
        if (rc != TR_OK) {
            rc = tr_error_set(err, TR_EVERIFY, "body of %s is not a credential: %s", name,
                              parse.msg);
            goto out;
        }
        rc = tr_verify_record_id(out->bodies[i], check, err);
        if (rc == TR_ENOMEM || rc == TR_ECRYPTO) {
            goto out;
        }
        if (rc != TR_OK || strcmp(check, id) != 0) {
            rc = tr_error_set(err, TR_EVERIFY, "leaf %" PRIu64 ": body is not record '%s'",
                              leaves[i], id);
            goto out;
        }
    }
out:
    tr_buf_release(&body);
    if (rc != TR_OK) {
        logged_release(out);
    }
    return rc;
}

/* ---- Building the verdict ---- */

/* Everything one judgement needs. */
struct judge {
    struct tr_db *db;
    const struct tr_json *cred;
    const struct logged *log;
    const struct tr_verify_precheck *pre; /* what was found without the store */
    uint64_t as_of;    /* the log size: only leaves below it are seen */
    uint64_t position; /* the record's position */
    int depth;
    int have_operator;
    unsigned char operator_key[TR_ED25519_PUBLIC_LEN];
    struct tr_verdict *v;
    struct tr_error *err;
    size_t cap; /* of v->reasons */
};

/* Cut s at n bytes without splitting a UTF-8 sequence. */
static void cut_utf8(char *s, size_t n)
{
    if (strlen(s) <= n) {
        return;
    }
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
        n--;
    }
    s[n] = '\0';
}

static int add(struct judge *j, enum tr_verify_reason reason, size_t proof, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Add a reason; returns TR_OK or TR_ENOMEM (with err set). */
static int add(struct judge *j, enum tr_verify_reason reason, size_t proof, const char *fmt, ...)
{
    struct tr_verdict *v = j->v;
    if (v->nreasons == j->cap) {
        size_t more = j->cap == 0 ? 4 : 2 * j->cap;
        struct tr_verify_item *p = realloc(v->reasons, more * sizeof *p);
        if (p == NULL) {
            return tr_error_set(j->err, TR_ENOMEM, "out of memory");
        }
        v->reasons = p;
        j->cap = more;
    }
    struct tr_verify_item *it = &v->reasons[v->nreasons++];
    va_list ap;
    it->reason = reason;
    it->proof = proof;
    va_start(ap, fmt);
    vsnprintf(it->detail, sizeof it->detail, fmt, ap);
    va_end(ap);
    cut_utf8(it->detail, sizeof it->detail - 1);
    return TR_OK;
}

/* How a proof status reads as a reason. */
static enum tr_verify_reason proof_reason(enum tr_proof_status s)
{
    switch (s) {
    case TR_PROOF_WRONG_TYPE:
        return TR_VERIFY_WRONG_PROOF_TYPE;
    case TR_PROOF_WRONG_CRYPTOSUITE:
        return TR_VERIFY_WRONG_CRYPTOSUITE;
    case TR_PROOF_WRONG_PURPOSE:
        return TR_VERIFY_WRONG_PROOF_PURPOSE;
    case TR_PROOF_CONTEXT_MISMATCH:
        return TR_VERIFY_CONTEXT_MISMATCH;
    case TR_PROOF_UNKNOWN_KEY:
        return TR_VERIFY_UNKNOWN_KEY;
    case TR_PROOF_BAD_SIGNATURE:
        return TR_VERIFY_BAD_SIGNATURE;
    case TR_PROOF_VALID:
    case TR_PROOF_MALFORMED:
        break;
    }
    return TR_VERIFY_MALFORMED_PROOF;
}

/* The proofs of a credential as a list: *n of them at the result (a set, or one proof). */
static const struct tr_json *const *proof_list(const struct tr_json *cred, size_t *n)
{
    *n = 0;
    for (size_t i = 0; tr_json_is(cred, TR_JSON_OBJECT) && i < cred->u.object.len; i++) {
        const struct tr_json_member *m = &cred->u.object.members[i];
        if (strcmp(m->key, "proof") != 0) {
            continue;
        }
        if (m->value->type == TR_JSON_ARRAY) {
            *n = m->value->u.array.len;
            return (const struct tr_json *const *)m->value->u.array.items;
        }
        *n = 1;
        return (const struct tr_json *const *)&m->value;
    }
    return NULL;
}

/*
 * The position of proof (of the judged credential): the first logged body below the log size
 * that carries it, else the log size itself.
 */
static uint64_t proof_position(const struct judge *j, const struct tr_json *proof)
{
    for (size_t b = 0; b < j->log->n; b++) {
        size_t n = 0;
        const struct tr_json *const *list = proof_list(j->log->bodies[b], &n);
        for (size_t i = 0; i < n; i++) {
            if (tr_json_equal(list[i], proof)) {
                return j->log->leaves[b];
            }
        }
    }
    return j->as_of; /* not logged yet: judged as if logged now */
}

/* The did:key of pub, for messages. */
static const char *did_of(const unsigned char pub[TR_ED25519_PUBLIC_LEN], char out[TR_KEY_DID_SIZE])
{
    tr_key_did(pub, out);
    return out;
}

/* Rule 1: a JSON object, of a known kind, that passes its schema. Returns TR_OK or an error;
 * *valid (out) = 1 when the signer rules can be applied. */
static int check_schema(struct judge *j, int *valid)
{
    struct tr_diag diag;
    struct tr_verdict *v = j->v;
    int rc = TR_OK;
    *valid = 0;
    tr_diag_init(&diag, NULL);
    if (!tr_json_is(j->cred, TR_JSON_OBJECT)) {
        rc = add(j, TR_VERIFY_SCHEMA_INVALID, 0, "a credential must be a JSON object, not %s",
                 j->cred != NULL ? tr_json_type_name(j->cred->type) : "nothing");
        goto out;
    }
    v->has_kind = tr_schema_kind(j->cred, &v->kind, NULL) == TR_OK;
    int src = tr_schema_check(j->cred, &diag);
    if (src != TR_OK && src != TR_ESCHEMA) {
        rc = src == TR_ENOMEM ? tr_error_set(j->err, src, "out of memory")
                              : tr_diag_to_error(&diag, src, j->err);
        goto out;
    }
    for (size_t i = 0; rc == TR_OK && i < diag.len; i++) {
        const struct tr_diag_entry *e = &diag.items[i];
        if (e->pos.line != 0) {
            rc = add(j, TR_VERIFY_SCHEMA_INVALID, 0, "line %u column %u: %s", (unsigned)e->pos.line,
                     (unsigned)e->pos.column, e->msg);
        } else {
            rc = add(j, TR_VERIFY_SCHEMA_INVALID, 0, "%s", e->msg);
        }
    }
    if (rc == TR_OK && diag.dropped > 0) {
        rc = add(j, TR_VERIFY_SCHEMA_INVALID, 0, "%zu more problems", diag.dropped);
    }
    *valid = src == TR_OK && v->has_kind;
out:
    tr_diag_release(&diag);
    return rc;
}

/* Rule 1 as the precheck found it: its reasons, in order; *valid (out) as check_schema. */
static int apply_schema(struct judge *j, int *valid)
{
    const struct tr_verify_precheck *pre = j->pre;
    int rc = TR_OK;
    j->v->has_kind = pre->has_kind;
    j->v->kind = pre->kind;
    for (size_t i = 0; rc == TR_OK && i < pre->nschema; i++) {
        rc = add(j, pre->schema[i].reason, pre->schema[i].proof, "%s", pre->schema[i].detail);
    }
    *valid = pre->valid;
    return rc;
}

/*
 * Whose key p->pub is: the operator's, or an organisation's (as of the log size). Fills
 * p->by_operator or p->signer, and k for an organisation key. Returns TR_OK (*known says
 * whether anyone's) or a store error.
 */
static int identify(struct judge *j, struct tr_verify_proof *p, struct tr_trust_key *k, int *known)
{
    *known = 1;
    if (j->have_operator && memcmp(p->pub, j->operator_key, sizeof p->pub) == 0) {
        p->by_operator = 1;
        return TR_OK;
    }
    int rc = tr_trust_key_get(j->db, p->pub, j->as_of, k, j->err);
    if (rc == TR_ENOTFOUND) {
        *known = 0;
        return TR_OK;
    }
    if (rc == TR_OK) {
        memcpy(p->signer, k->uscc, sizeof p->signer);
    }
    return rc;
}

/* Whether the key of the verified proof i may sign at its position; the reason when not. */
static int check_key(struct judge *j, size_t i, struct tr_verify_proof *p)
{
    struct tr_trust_key k;
    char did[TR_KEY_DID_SIZE];
    int known = 0;
    int rc = identify(j, p, &k, &known);
    if (rc != TR_OK) {
        return rc;
    }
    if (!known) {
        return add(j, TR_VERIFY_UNKNOWN_KEY, i + 1,
                   "proof %zu: key %s is not a key of a registered organisation", i + 1,
                   did_of(p->pub, did));
    }
    if (p->by_operator) {
        p->counts = 1; /* the trust anchor: never registered, never revoked */
        return TR_OK;
    }
    switch (tr_trust_key_state(&k, p->position)) {
    case TR_TRUST_KEY_VALID:
        p->counts = 1;
        return TR_OK;
    case TR_TRUST_KEY_NOT_YET:
        return add(j, TR_VERIFY_UNKNOWN_KEY, i + 1,
                   "proof %zu: key %s of %s was registered at leaf %" PRIu64
                   ", not before the proof's position %" PRIu64,
                   i + 1, did_of(p->pub, did), k.uscc, k.registered_leaf, p->position);
    case TR_TRUST_KEY_REVOKED:
        return add(j, TR_VERIFY_KEY_REVOKED, i + 1,
                   "proof %zu: key %s of %s was revoked at leaf %" PRIu64
                   ", before the proof's position %" PRIu64,
                   i + 1, did_of(p->pub, did), k.uscc, k.revoked_leaf, p->position);
    case TR_TRUST_KEY_COMPROMISED:
        break;
    }
    return add(j, TR_VERIFY_KEY_REVOKED, i + 1,
               "proof %zu: key %s of %s is compromised since leaf %" PRIu64
               " (revoked at leaf %" PRIu64 "), at or before the proof's position %" PRIu64,
               i + 1, did_of(p->pub, did), k.uscc, k.compromised_since, k.revoked_leaf,
               p->position);
}

/*
 * Rules 2 and 3: every proof verifies, by a key valid at its position. A proof that does not
 * verify is still attributed to the signer whose key it names, so that signer is not also
 * reported missing: one failure, one reason.
 */
static int check_proofs(struct judge *j)
{
    struct tr_verdict *v = j->v;
    const struct tr_proof_result *res = j->pre->proofs;
    size_t n = j->pre->nproofs;
    int rc = TR_OK;
    if (n == 0) {
        return add(j, TR_VERIFY_NO_PROOF, 0, "%s", j->pre->no_proof);
    }
    v->proofs = calloc(n, sizeof *v->proofs);
    if (v->proofs == NULL) {
        return tr_error_set(j->err, TR_ENOMEM, "out of memory");
    }
    v->nproofs = n;
    size_t count = 0;
    const struct tr_json *const *list = proof_list(j->cred, &count);
    for (size_t i = 0; rc == TR_OK && i < n && i < count; i++) {
        struct tr_verify_proof *p = &v->proofs[i];
        struct tr_trust_key k;
        int known = 0;
        memcpy(p->verification_method, res[i].verification_method, sizeof p->verification_method);
        p->status = res[i].status;
        p->position = proof_position(j, list[i]);
        if (res[i].status == TR_PROOF_VALID && p->verification_method[0] != '\0') {
            /* The key it verified with: its method as written, resolved as a did:key. */
            p->has_key = 1;
            memcpy(p->pub, res[i].pub, sizeof p->pub);
        } else {
            p->has_key = tr_key_parse_did(p->verification_method, p->pub, NULL) == TR_OK;
        }
        if (res[i].status != TR_PROOF_VALID) {
            rc = add(j, proof_reason(res[i].status), i + 1, "proof %zu: %s", i + 1, res[i].detail);
            if (rc == TR_OK && p->has_key) {
                rc = identify(j, p, &k, &known);
            }
            continue;
        }
        for (size_t e = 0; e < i; e++) {
            if (v->proofs[e].status == TR_PROOF_VALID &&
                memcmp(v->proofs[e].pub, p->pub, sizeof p->pub) == 0) {
                p->repeated = 1;
            }
        }
        rc = p->repeated ? identify(j, p, &k, &known) : check_key(j, i, p);
    }
    return rc;
}

/* The credential's issuer as a signer: operator, or its USCC in uscc. */
static int issuer_is(const struct tr_json *cred, const struct tr_signer *s)
{
    const char *issuer = tr_json_string(tr_json_object_get(cred, "issuer"));
    if (issuer == NULL) {
        return 0;
    }
    if (s->is_operator) {
        return strcmp(issuer, TR_URN_OPERATOR) == 0;
    }
    const char *uscc = tr_ident_urn_value(issuer, TR_URN_ORG);
    return uscc != NULL && strcmp(uscc, s->uscc) == 0;
}

/* Whether proof p is by signer s. */
static int proof_by(const struct tr_verify_proof *p, const struct tr_signer *s)
{
    return s->is_operator ? p->by_operator : !p->by_operator && strcmp(p->signer, s->uscc) == 0;
}

/* A signer named for messages. */
static const char *signer_name(const struct tr_signer *s)
{
    return s->is_operator ? "the registry operator" : s->uscc;
}

/*
 * Rule 4: a KeyRevocation by the organisation itself is not signed by the key it revokes.
 * usable[i] is cleared for such a proof.
 */
static int check_self_revocation(struct judge *j, int *usable)
{
    unsigned char revoked[TR_ED25519_PUBLIC_LEN];
    char did[TR_KEY_DID_SIZE];
    const struct tr_json *cs = tr_json_object_get(j->cred, "credentialSubject");
    const char *issuer = tr_json_string(tr_json_object_get(j->cred, "issuer"));
    if (j->v->kind != TR_KIND_KEY_REVOCATION || strcmp(issuer, TR_URN_OPERATOR) == 0 ||
        tr_key_parse_did(tr_json_string(tr_json_object_get(cs, "key")), revoked, NULL) != TR_OK) {
        return TR_OK;
    }
    for (size_t i = 0; i < j->v->nproofs; i++) {
        struct tr_verify_proof *p = &j->v->proofs[i];
        if (usable[i] && memcmp(p->pub, revoked, sizeof revoked) == 0) {
            usable[i] = 0;
            int rc = add(j, TR_VERIFY_SELF_REVOCATION, i + 1,
                         "proof %zu: key %s cannot sign its own revocation", i + 1,
                         did_of(revoked, did));
            if (rc != TR_OK) {
                return rc;
            }
        }
    }
    return TR_OK;
}

/* The kinds an organisation needs its Organization record's permission to issue. */
static int needs_permission(enum tr_kind kind)
{
    return kind != TR_KIND_ORGANIZATION && kind != TR_KIND_KEY_REVOCATION &&
           kind != TR_KIND_REVOCATION;
}

/* Rules 5 and 6: the required signers signed, no one else did, and each may issue the kind. */
static int check_signers(struct judge *j, const int *usable)
{
    struct tr_verdict *v = j->v;
    const struct tr_signers signers = j->pre->signers;
    const char *kind = tr_schema_kind_name(v->kind);
    int rc = TR_OK;
    /* A proof by someone the kind does not name, reported once per signer. */
    for (size_t i = 0; rc == TR_OK && i < v->nproofs; i++) {
        const struct tr_verify_proof *p = &v->proofs[i];
        size_t s = 0, e = 0;
        if (!p->counts) {
            continue;
        }
        while (s < signers.len && !proof_by(p, &signers.items[s])) {
            s++;
        }
        while (e < i && !(v->proofs[e].counts && v->proofs[e].by_operator == p->by_operator &&
                          strcmp(v->proofs[e].signer, p->signer) == 0)) {
            e++;
        }
        if (s == signers.len && e == i) {
            rc = add(j, TR_VERIFY_SIGNER_NOT_PERMITTED, i + 1,
                     "proof %zu: %s is neither a signer nor a co-signer of %s records", i + 1,
                     p->by_operator ? "the registry operator" : p->signer, kind);
        }
    }
    for (size_t s = 0; rc == TR_OK && s < signers.len; s++) {
        const struct tr_signer *sg = &signers.items[s];
        size_t found = v->nproofs;
        for (size_t i = 0; i < v->nproofs && found == v->nproofs; i++) {
            if (v->proofs[i].counts && usable[i] && proof_by(&v->proofs[i], sg)) {
                found = i;
            }
        }
        if (found == v->nproofs) {
            size_t named = 0;
            while (named < v->nproofs && !proof_by(&v->proofs[named], sg)) {
                named++;
            }
            if (!sg->required || named < v->nproofs) {
                continue; /* a proof by one of its keys failed, and says why */
            }
            struct tr_trust_org org;
            int known = 1;
            if (!sg->is_operator) {
                int grc = tr_trust_org_get(j->db, sg->uscc, j->position, &org, j->err);
                if (grc != TR_OK && grc != TR_ENOTFOUND) {
                    return grc;
                }
                known = grc == TR_OK;
            }
            const char *note = known ? "" : " (it is not a registered organisation)";
            if (issuer_is(j->cred, sg) && sg->is_operator) {
                rc = add(j, TR_VERIFY_ISSUER_MISMATCH, 0,
                         "the issuer, the registry operator, has no valid proof");
            } else if (issuer_is(j->cred, sg)) {
                rc = add(j, TR_VERIFY_ISSUER_MISMATCH, 0, "the issuer %s has no valid proof%s",
                         sg->uscc, note);
            } else {
                rc = add(j, TR_VERIFY_MISSING_COSIGNER, 0, "the %s %s has no valid proof%s",
                         sg->role, signer_name(sg), note);
            }
            continue;
        }
        if (sg->is_operator || !needs_permission(v->kind)) {
            continue;
        }
        struct tr_trust_org org;
        uint64_t at = v->proofs[found].position;
        rc = tr_trust_org_get(j->db, sg->uscc, at, &org, j->err);
        if (rc == TR_ENOTFOUND) {
            rc = add(j, TR_VERIFY_SIGNER_NOT_PERMITTED, found + 1,
                     "%s is not a registered organisation at position %" PRIu64, sg->uscc, at);
        } else if (rc == TR_OK && !tr_trust_org_may_issue(&org, v->kind)) {
            rc = add(j, TR_VERIFY_SIGNER_NOT_PERMITTED, found + 1,
                     "%s may not issue %s records: its Organization record at leaf %" PRIu64
                     " does not permit them",
                     sg->uscc, kind, org.leaf);
        }
    }
    return rc;
}

/* Rule 7, Organization: its keys are its own, none revoked, none of its live keys dropped. */
static int check_organization(struct judge *j, const struct tr_json *cs)
{
    const char *uscc = tr_ident_urn_value(tr_json_string(tr_json_object_get(cs, "id")), TR_URN_ORG);
    const struct tr_json *keys = tr_json_object_get(cs, "keys");
    struct tr_trust_key *own = NULL;
    size_t nown = 0;
    char did[TR_KEY_DID_SIZE];
    int rc = TR_OK;
    for (size_t i = 0; rc == TR_OK && i < keys->u.array.len; i++) {
        unsigned char pub[TR_ED25519_PUBLIC_LEN];
        struct tr_trust_key k;
        const char *name = tr_json_string(keys->u.array.items[i]);
        if (tr_key_parse_did(name, pub, NULL) != TR_OK) {
            continue; /* the schema checked it */
        }
        if (j->have_operator && memcmp(pub, j->operator_key, sizeof pub) == 0) {
            rc = add(j, TR_VERIFY_KEY_CONFLICT, 0, "key %s is the operator key", name);
            continue;
        }
        rc = tr_trust_key_get(j->db, pub, j->position, &k, j->err);
        if (rc == TR_ENOTFOUND) {
            rc = TR_OK;
        } else if (rc == TR_OK && strcmp(k.uscc, uscc) != 0) {
            rc = add(j, TR_VERIFY_KEY_CONFLICT, 0, "key %s is a key of %s", name, k.uscc);
        } else if (rc == TR_OK && k.revoked) {
            rc = add(j, TR_VERIFY_KEY_CONFLICT, 0,
                     "key %s of %s was revoked at leaf %" PRIu64 " and cannot be listed again",
                     name, uscc, k.revoked_leaf);
        }
    }
    if (rc == TR_OK) {
        rc = tr_trust_org_keys(j->db, uscc, j->position, &own, &nown, j->err);
    }
    for (size_t i = 0; rc == TR_OK && i < nown; i++) {
        size_t k = 0;
        if (own[i].revoked) {
            continue;
        }
        did_of(own[i].pub, did);
        while (k < keys->u.array.len && strcmp(tr_json_string(keys->u.array.items[k]), did) != 0) {
            k++;
        }
        if (k == keys->u.array.len) {
            rc = add(j, TR_VERIFY_KEY_CONFLICT, 0,
                     "key %s of %s is not revoked and must stay listed (a KeyRevocation ends a "
                     "key)",
                     did, uscc);
        }
    }
    free(own);
    return rc;
}

/* Rule 7, KeyRevocation: the key it revokes is a key of its subject. */
static int check_key_revocation(struct judge *j, const struct tr_json *cs)
{
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    struct tr_trust_key k;
    const char *uscc = tr_ident_urn_value(tr_json_string(tr_json_object_get(cs, "id")), TR_URN_ORG);
    const char *name = tr_json_string(tr_json_object_get(cs, "key"));
    if (tr_key_parse_did(name, pub, NULL) != TR_OK) {
        return TR_OK; /* the schema checked it */
    }
    int rc = tr_trust_key_get(j->db, pub, j->position, &k, j->err);
    if (rc == TR_ENOTFOUND || (rc == TR_OK && strcmp(k.uscc, uscc) != 0)) {
        return add(j, TR_VERIFY_UNKNOWN_TARGET, 0, "key %s is not a key of %s", name, uscc);
    }
    return rc;
}

/* A record named by a Revocation, in the log before the Revocation's position. */
static int find_logged_record(struct judge *j, const char *id, struct tr_trust_record *out,
                              int *found)
{
    int rc = tr_trust_record_get(j->db, id, out, j->err);
    *found = rc == TR_OK && out->first_leaf < j->position;
    return rc == TR_ENOTFOUND ? TR_OK : rc;
}

/* Rule 7, Revocation: its target exists, may be revoked, and by this issuer. */
static int check_revocation(struct judge *j, const struct tr_json *cs)
{
    struct tr_trust_record target, repl;
    int found = 0;
    const char *issuer = tr_json_string(tr_json_object_get(j->cred, "issuer"));
    const char *id =
        tr_ident_urn_value(tr_json_string(tr_json_object_get(cs, "id")), TR_URN_RECORD);
    const char *action = tr_json_string(tr_json_object_get(cs, "action"));
    const char *by_urn = tr_json_string(tr_json_object_get(cs, "supersededBy"));
    const char *by = tr_ident_urn_value(by_urn, TR_URN_RECORD);
    int supersede = strcmp(action, "supersede") == 0;
    int rc = find_logged_record(j, id, &target, &found);
    if (rc != TR_OK) {
        return rc;
    }
    if (!found) {
        rc = add(j, TR_VERIFY_UNKNOWN_TARGET, 0, "record %s is not in the log before this record",
                 id);
    } else if (!needs_permission(target.kind)) {
        rc = add(j, TR_VERIFY_NOT_REVOCABLE, 0,
                 "record %s is of kind %s, which no Revocation withdraws or supersedes", id,
                 tr_schema_kind_name(target.kind));
    } else if (strcmp(issuer, TR_URN_OPERATOR) != 0 &&
               (target.by_operator ||
                strcmp(target.issuer, tr_ident_urn_value(issuer, TR_URN_ORG)) != 0)) {
        rc = add(j, TR_VERIFY_REVOCATION_NOT_PERMITTED, 0,
                 "%s did not issue record %s (its issuer is %s); only the issuer or the "
                 "registry operator may revoke it",
                 tr_ident_urn_value(issuer, TR_URN_ORG), id,
                 target.by_operator ? "the registry operator" : target.issuer);
    }
    if (rc != TR_OK) {
        return rc;
    }
    if (supersede && by == NULL) {
        return add(j, TR_VERIFY_INVALID_REVOCATION, 0,
                   "a Revocation that supersedes must name the record that replaces it "
                   "(supersededBy)");
    }
    if (!supersede && by != NULL) {
        return add(j, TR_VERIFY_INVALID_REVOCATION, 0,
                   "a Revocation that withdraws a record names no replacement (supersededBy)");
    }
    if (by == NULL) {
        return TR_OK;
    }
    if (strcmp(by, id) == 0) {
        return add(j, TR_VERIFY_INVALID_REVOCATION, 0, "record %s cannot supersede itself", id);
    }
    if ((rc = find_logged_record(j, by, &repl, &found)) != TR_OK) {
        return rc;
    }
    if (!found) {
        return add(j, TR_VERIFY_UNKNOWN_TARGET, 0,
                   "replacement record %s is not in the log before this record", by);
    }
    if (target.id[0] != '\0' && repl.kind != target.kind) {
        return add(j, TR_VERIFY_INVALID_REVOCATION, 0,
                   "replacement record %s is of kind %s, not %s", by,
                   tr_schema_kind_name(repl.kind), tr_schema_kind_name(target.kind));
    }
    return TR_OK;
}

static int judge_record(struct tr_db *db, const char *id, uint64_t log_size, int depth,
                        struct tr_verdict *out, struct tr_error *err);

/* Rule 8: no accepted Revocation that still counts withdraws or supersedes the record. */
static int check_status(struct judge *j)
{
    struct tr_trust_revocation *list = NULL;
    size_t n = 0;
    int rc = tr_trust_revocations(j->db, j->v->record_id, j->as_of, &list, &n, j->err);
    for (size_t i = 0; rc == TR_OK && i < n; i++) {
        struct tr_verdict sub;
        tr_verify_verdict_init(&sub);
        rc = judge_record(j->db, list[i].record_id, j->as_of, j->depth + 1, &sub, j->err);
        if (rc == TR_OK && sub.counts && list[i].supersede) {
            rc = add(j, TR_VERIFY_SUPERSEDED, 0,
                     "superseded by record %s (Revocation %s at leaf %" PRIu64 ")",
                     list[i].replacement, list[i].record_id, list[i].leaf);
        } else if (rc == TR_OK && sub.counts) {
            rc = add(j, TR_VERIFY_REVOKED, 0, "withdrawn by Revocation %s at leaf %" PRIu64,
                     list[i].record_id, list[i].leaf);
        }
        tr_verify_verdict_release(&sub);
    }
    free(list);
    return rc;
}

/* Apply every rule to j->cred; the verdict is in j->v. */
static int judge(struct judge *j)
{
    struct tr_verdict *v = j->v;
    struct tr_verify_precheck own;
    struct tr_error none = {0};
    int *usable = NULL;
    int valid = 0;
    tr_verify_precheck_init(&own);
    /* A store without an operator key trusts no Organization record, and judges on. */
    int rc = tr_trust_operator_key(j->db, j->operator_key, &none);
    if (rc != TR_OK && rc != TR_ENOTFOUND) {
        return tr_error_set(j->err, rc, "%s", none.msg);
    }
    j->have_operator = rc == TR_OK;
    v->position = j->position;
    v->log_size = j->as_of;
    if (j->pre == NULL) {
        if ((rc = tr_verify_precheck(j->cred, &own, j->err)) != TR_OK) {
            goto out;
        }
        j->pre = &own;
    }
    if ((rc = apply_schema(j, &valid)) != TR_OK || !tr_json_is(j->cred, TR_JSON_OBJECT)) {
        goto out;
    }
    if ((rc = check_proofs(j)) != TR_OK || !valid || v->nproofs == 0) {
        goto out;
    }
    usable = malloc((v->nproofs + 1) * sizeof *usable);
    if (usable == NULL) {
        rc = tr_error_set(j->err, TR_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < v->nproofs; i++) {
        usable[i] = v->proofs[i].counts;
    }
    if ((rc = check_self_revocation(j, usable)) != TR_OK ||
        (rc = check_signers(j, usable)) != TR_OK) {
        goto out;
    }
    const struct tr_json *cs = tr_json_object_get(j->cred, "credentialSubject");
    if (v->kind == TR_KIND_ORGANIZATION) {
        rc = check_organization(j, cs);
    } else if (v->kind == TR_KIND_KEY_REVOCATION) {
        rc = check_key_revocation(j, cs);
    } else if (v->kind == TR_KIND_REVOCATION) {
        rc = check_revocation(j, cs);
    }
    if (rc == TR_OK && j->depth < MAX_DEPTH && v->record_id[0] != '\0') {
        rc = check_status(j);
    }
out:
    free(usable);
    if (j->pre == &own) {
        j->pre = NULL;
    }
    tr_verify_precheck_release(&own);
    v->counts = rc == TR_OK && v->nreasons == 0;
    return rc;
}

/* ---- Entry points ---- */

/* The log's size, and a check that size is within it. */
static int check_size(struct tr_db *db, uint64_t size, const char *what, struct tr_error *err)
{
    uint64_t n = 0;
    int rc = tr_log_size(db, &n, err);
    if (rc == TR_OK && size > n) {
        rc = tr_error_set(err, TR_EINVAL,
                          "%s %" PRIu64 " is larger than the log (%" PRIu64 " leaves)", what, size,
                          n);
    }
    return rc;
}

int tr_verify_credential(struct tr_db *db, const struct tr_json *credential, uint64_t position,
                         struct tr_verdict *out, struct tr_error *err)
{
    return tr_verify_credential_prechecked(db, credential, NULL, position, out, err);
}

void tr_verify_precheck_init(struct tr_verify_precheck *p)
{
    memset(p, 0, sizeof *p);
}

void tr_verify_precheck_release(struct tr_verify_precheck *p)
{
    if (p == NULL) {
        return;
    }
    free(p->schema);
    free(p->proofs);
    tr_verify_precheck_init(p);
}

/*
 * When every proof of cred equals a proof of known_doc, whose precheck known is (the same
 * record: the caller compared the record ids), out->proofs = their results taken from known
 * and *reused = 1: a proof's result depends only on the proof and on the document without
 * its proofs. Else *reused = 0 and out is unchanged. Returns TR_OK or TR_ENOMEM.
 */
static int reuse_proofs(const struct tr_json *cred, const struct tr_json *known_doc,
                        const struct tr_verify_precheck *known, struct tr_verify_precheck *out,
                        int *reused, struct tr_error *err)
{
    size_t n = 0, nk = 0;
    const struct tr_json *const *list = proof_list(cred, &n);
    const struct tr_json *const *klist = proof_list(known_doc, &nk);
    struct tr_proof_result *res = NULL;
    int rc = TR_OK;
    *reused = 0;
    if (n == 0 || nk != known->nproofs) {
        goto out;
    }
    res = calloc(n, sizeof *res);
    if (res == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < nk && !tr_json_equal(list[i], klist[k])) {
            k++;
        }
        if (k == nk) {
            goto out;
        }
        res[i] = known->proofs[k];
    }
    out->proofs = res;
    out->nproofs = n;
    res = NULL;
    *reused = 1;
out:
    free(res);
    return rc;
}

/* tr_verify_precheck; with id (NULL: computed) the credential's record id and the hash it
 * spells, as record_id gives them; with known (NULL: none) the precheck of known_doc, whose
 * proof results stand for the equal proofs of a credential of the same record id. */
static int precheck(const struct tr_json *credential, const char *id, const unsigned char *id_hash,
                    const struct tr_json *known_doc, const struct tr_verify_precheck *known,
                    struct tr_verify_precheck *out, struct tr_error *err)
{
    struct tr_verdict found;
    struct judge j = {.cred = credential, .v = &found, .err = err};
    struct tr_error perr = {0};
    int valid = 0, rc = TR_OK;
    unsigned char hash[TR_SHA256_LEN];
    tr_verify_precheck_init(out);
    tr_verify_verdict_init(&found);
    if (tr_json_is(credential, TR_JSON_OBJECT) && id != NULL) {
        snprintf(out->record_id, sizeof out->record_id, "%s", id);
        memcpy(hash, id_hash, TR_SHA256_LEN);
    } else if (tr_json_is(credential, TR_JSON_OBJECT)) {
        rc = record_id(credential, out->record_id, hash, err);
    }
    if (rc == TR_OK) {
        rc = check_schema(&j, &valid);
    }
    if (rc != TR_OK) {
        goto out;
    }
    out->has_kind = found.has_kind;
    out->kind = found.kind;
    out->valid = valid;
    if (valid && (rc = tr_schema_signers(credential, &out->signers, err)) != TR_OK) {
        goto out;
    }
    out->schema = found.reasons;
    out->nschema = found.nreasons;
    found.reasons = NULL;
    if (!tr_json_is(credential, TR_JSON_OBJECT)) {
        goto out;
    }
    if (known != NULL && strcmp(out->record_id, known->record_id) == 0) {
        int reused = 0;
        rc = reuse_proofs(credential, known_doc, known, out, &reused, err);
        if (rc != TR_OK || reused) {
            goto out;
        }
    }
    rc = tr_proof_verify_hashed(credential, hash, NULL, NULL, NULL, &out->proofs, &out->nproofs,
                                &perr);
    if (rc == TR_EVERIFY && out->nproofs == 0) {
        snprintf(out->no_proof, sizeof out->no_proof, "%.*s", (int)sizeof out->no_proof - 1,
                 perr.msg);
        cut_utf8(out->no_proof, sizeof out->no_proof - 1);
    }
    if (rc == TR_EVERIFY) {
        rc = TR_OK; /* the results say which proof failed and why */
    } else if (rc != TR_OK) {
        rc = tr_error_set(err, rc, "%s", perr.msg);
    }
out:
    tr_verify_verdict_release(&found);
    if (rc != TR_OK) {
        tr_verify_precheck_release(out);
    }
    return rc;
}

int tr_verify_precheck(const struct tr_json *credential, struct tr_verify_precheck *out,
                       struct tr_error *err)
{
    return precheck(credential, NULL, NULL, NULL, NULL, out, err);
}

int verify_precheck_like(const struct tr_json *credential, const struct tr_json *known_doc,
                         const struct tr_verify_precheck *known, struct tr_verify_precheck *out,
                         struct tr_error *err)
{
    return precheck(credential, NULL, NULL, known_doc, known, out, err);
}

int tr_verify_credential_prechecked(struct tr_db *db, const struct tr_json *credential,
                                    const struct tr_verify_precheck *pre, uint64_t position,
                                    struct tr_verdict *out, struct tr_error *err)
{
    struct logged log = {0};
    struct tr_verify_precheck own;
    struct judge j = {.db = db,
                      .cred = credential,
                      .log = &log,
                      .pre = pre,
                      .as_of = position,
                      .position = position,
                      .v = out,
                      .err = err};
    tr_verify_verdict_init(out);
    tr_verify_precheck_init(&own);
    int rc = check_size(db, position, "log size", err);
    if (rc == TR_OK && pre == NULL) {
        rc = tr_verify_precheck(credential, &own, err);
        j.pre = &own;
    }
    if (rc == TR_OK && tr_json_is(credential, TR_JSON_OBJECT)) {
        snprintf(out->record_id, sizeof out->record_id, "%s", j.pre->record_id);
        rc = load_logged(db, out->record_id, position, &log, err);
    }
    if (rc == TR_OK && log.n > 0) {
        out->logged = 1;
        out->first_leaf = j.position = log.leaves[0];
        out->leaf = log.leaves[log.n - 1];
    }
    if (rc == TR_OK) {
        rc = judge(&j);
    }
    logged_release(&log);
    tr_verify_precheck_release(&own);
    if (rc != TR_OK) {
        tr_verify_verdict_release(out);
    }
    return rc;
}

int verify_unlogged(struct tr_db *db, const struct tr_json *credential,
                    const struct tr_verify_precheck *pre, uint64_t size, struct tr_verdict *out,
                    struct tr_error *err)
{
    struct logged log = {0};
    struct judge j = {.db = db,
                      .cred = credential,
                      .log = &log,
                      .pre = pre,
                      .as_of = size,
                      .position = size,
                      .v = out,
                      .err = err};
    tr_verify_verdict_init(out);
    snprintf(out->record_id, sizeof out->record_id, "%s", pre->record_id);
    int rc = judge(&j);
    if (rc != TR_OK) {
        tr_verify_verdict_release(out);
    }
    return rc;
}

/* tr_verify_record at a depth of revocation checks. */
static int judge_record(struct tr_db *db, const char *id, uint64_t log_size, int depth,
                        struct tr_verdict *out, struct tr_error *err)
{
    struct logged log = {0};
    struct judge j = {
        .db = db, .log = &log, .as_of = log_size, .depth = depth, .v = out, .err = err};
    tr_verify_verdict_init(out);
    int rc = load_logged(db, id, log_size, &log, err);
    if (rc == TR_OK && log.n == 0) {
        rc = tr_error_set(err, TR_ENOTFOUND, "record '%s' is not in the log of size %" PRIu64, id,
                          log_size);
    }
    if (rc != TR_OK) {
        goto out;
    }
    snprintf(out->record_id, sizeof out->record_id, "%s", id);
    out->logged = 1;
    out->first_leaf = j.position = log.leaves[0];
    out->leaf = log.leaves[log.n - 1];
    j.cred = log.bodies[log.n - 1];
    if (j.cred == NULL) {
        out->position = j.position;
        out->log_size = log_size;
        rc =
            add(&j, TR_VERIFY_ERASED, 0, "the body of leaf %" PRIu64 " has been erased", out->leaf);
        goto out;
    }
    rc = judge(&j);
out:
    logged_release(&log);
    if (rc != TR_OK) {
        tr_verify_verdict_release(out);
    }
    return rc;
}

int tr_verify_record(struct tr_db *db, const char *record_id, uint64_t log_size,
                     struct tr_verdict *out, struct tr_error *err)
{
    tr_verify_verdict_init(out);
    if (record_id == NULL ||
        tr_ident_record_id_check(record_id, strlen(record_id), NULL) != TR_OK) {
        return tr_error_set(err, TR_EINVAL, "record id '%.80s' is not %d lowercase hex digits",
                            record_id != NULL ? record_id : "", TR_RECORD_ID_LEN);
    }
    int rc = check_size(db, log_size, "log size", err);
    if (rc != TR_OK) {
        return rc;
    }
    return judge_record(db, record_id, log_size, 0, out, err);
}

int verify_new_leaf(struct tr_db *db, const struct tr_json *credential,
                    const struct tr_verify_precheck *pre, uint64_t leaf, struct tr_verdict *out,
                    struct tr_error *err)
{
    uint64_t leaves[1] = {leaf};
    /* Only read: the list is the same type as the bodies load_logged parses and owns. */
    struct tr_json *bodies[1] = {(struct tr_json *)credential};
    struct logged log = {1, leaves, bodies};
    struct judge j = {.db = db,
                      .cred = credential,
                      .log = &log,
                      .pre = pre,
                      .as_of = leaf + 1,
                      .position = leaf,
                      .v = out,
                      .err = err};
    tr_verify_verdict_init(out);
    snprintf(out->record_id, sizeof out->record_id, "%s", pre->record_id);
    out->logged = 1;
    out->first_leaf = out->leaf = leaf;
    int rc = judge(&j);
    if (rc != TR_OK) {
        tr_verify_verdict_release(out);
    }
    return rc;
}

int verify_logged_leaf(struct tr_db *db, const struct tr_json *credential, const char *record_id,
                       const unsigned char hash[TR_SHA256_LEN], uint64_t leaf,
                       struct tr_verdict *out, struct tr_error *err)
{
    struct tr_verify_precheck pre;
    uint64_t *leaves = NULL;
    size_t count = 0;
    tr_verify_precheck_init(&pre);
    tr_verify_verdict_init(out);
    int rc = check_size(db, leaf + 1, "log size", err);
    if (rc != TR_OK) {
        return rc;
    }
    rc = tr_log_find(db, record_id, NULL, &leaves, &count, err);
    if (rc != TR_OK || count == 0 || leaves[0] != leaf) {
        /* Not the record's first leaf (or not found as it should be): judged from the log. */
        free(leaves);
        tr_error_clear(err);
        return tr_verify_record(db, record_id, leaf + 1, out, err);
    }
    free(leaves);
    rc = precheck(credential, record_id, hash, NULL, NULL, &pre, err);
    if (rc == TR_OK) {
        rc = verify_new_leaf(db, credential, &pre, leaf, out, err);
    }
    tr_verify_precheck_release(&pre);
    return rc;
}
