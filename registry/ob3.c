/*
 * ob3.c — a Credit record as a signed Open Badges 3.0 OpenBadgeCredential
 * (talentreg/ob3.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report_format.h"
#include "talentreg/date.h"
#include "talentreg/eligibility.h"
#include "talentreg/ident.h"
#include "talentreg/key.h"
#include "talentreg/ob3.h"
#include "talentreg/proof.h"
#include "talentreg/schema.h"
#include "talentreg/trust.h"

/* ["a"] or ["a", "b"] */
static struct tr_json *strings(const char *a, const char *b, int *rc)
{
    struct tr_json *list = tr_json_new_array();
    report_push(list, tr_json_new_cstr(a), rc);
    if (b != NULL) {
        report_push(list, tr_json_new_cstr(b), rc);
    }
    return list;
}

/* A string of what fmt makes, or NULL when the buffer failed. */
static struct tr_json *text(struct tr_buf *b)
{
    struct tr_json *s = b->err == TR_OK ? tr_json_new_string(b->data, b->len) : NULL;
    tr_buf_reset(b);
    return s;
}

/* Key seed must be a key of issuer that may sign now; *pub gets it. */
static int check_key(struct tr_db *db, const char *issuer, uint64_t size,
                     const unsigned char seed[TR_ED25519_SEED_LEN],
                     unsigned char pub[TR_ED25519_PUBLIC_LEN], struct tr_error *err)
{
    struct tr_trust_key k;
    char did[TR_KEY_DID_SIZE];
    if (tr_ed25519_public(seed, pub) != TR_OK) {
        return tr_error_set(err, TR_ECRYPTO, "cannot derive the public key");
    }
    tr_key_did(pub, did);
    int rc = tr_trust_key_get(db, pub, size, &k, err);
    if (rc == TR_ENOTFOUND || (rc == TR_OK && strcmp(k.uscc, issuer) != 0)) {
        return tr_error_set(err, TR_EPERM, "key %s is not a key of the issuer %s", did, issuer);
    }
    if (rc != TR_OK) {
        return rc;
    }
    switch (tr_trust_key_state(&k, size)) {
    case TR_TRUST_KEY_VALID:
        return TR_OK;
    case TR_TRUST_KEY_REVOKED:
        return tr_error_set(err, TR_EPERM, "key %s of %s was revoked at leaf %" PRIu64, did, issuer,
                            k.revoked_leaf);
    case TR_TRUST_KEY_COMPROMISED:
        return tr_error_set(err, TR_EPERM, "key %s of %s is compromised since leaf %" PRIu64, did,
                            issuer, k.compromised_since);
    case TR_TRUST_KEY_NOT_YET:
        break;
    }
    return tr_error_set(err, TR_EPERM, "key %s of %s is not registered yet", did, issuer);
}

static struct tr_json *issuer_json(const char *did, const char *uscc, const char *name, int *rc)
{
    struct tr_json *o = tr_json_new_object(), *ids = tr_json_new_array();
    struct tr_json *entry = tr_json_new_object();
    report_put(o, "id", tr_json_new_cstr(did), rc);
    report_put(o, "type", strings("Profile", NULL, rc), rc);
    report_put(o, "name", tr_json_new_cstr(name), rc);
    report_put(entry, "type", tr_json_new_cstr("IdentifierEntry"), rc);
    report_put(entry, "identifier", tr_json_new_cstr(uscc), rc);
    report_put(entry, "identifierType", tr_json_new_cstr("ext:USCC"), rc);
    report_push(ids, entry, rc);
    report_put(o, "otherIdentifier", ids, rc);
    return o;
}

static struct tr_json *achievement_json(const char *id, const struct tr_json *cs, const char *org,
                                        int *rc)
{
    struct tr_json *o = tr_json_new_object(), *criteria = tr_json_new_object();
    struct tr_buf b;
    char points[REPORT_NUM_SIZE], hours[REPORT_NUM_SIZE];
    const char *course = report_str(cs, "course"), *code = report_str(cs, "courseCode");
    const char *term = report_str(cs, "term");
    int has_hours = 0;
    tr_buf_init(&b);
    report_number(report_num(cs, "points", NULL), points);
    report_number(report_num(cs, "hours", &has_hours), hours);
    tr_buf_addf(&b, "%s%s", TR_URN_RECORD, id);
    tr_buf_adds(&b, "#achievement");
    report_put(o, "id", text(&b), rc);
    report_put(o, "type", strings("Achievement", NULL, rc), rc);
    report_put(o, "achievementType", tr_json_new_cstr("Course"), rc);
    report_put(o, "name", tr_json_new_cstr(course), rc);
    tr_buf_addf(&b, "%s credit points (%s) for the course %s", points, report_str(cs, "framework"),
                course);
    if (has_hours) {
        tr_buf_addf(&b, ", %s study hours", hours);
    }
    tr_buf_addf(&b, ", awarded by %s", org);
    report_put(o, "description", text(&b), rc);
    tr_buf_addf(&b, "Completed the course %s", course);
    if (code != NULL) {
        tr_buf_addf(&b, " (%s)", code);
    }
    tr_buf_addf(&b, " at %s", org);
    if (term != NULL) {
        tr_buf_addf(&b, " in %s", term);
    }
    tr_buf_addf(&b, "; recorded in the talentreg registry as Credit record %s.", id);
    report_put(criteria, "narrative", text(&b), rc);
    report_put(o, "criteria", criteria, rc);
    report_put(o, "creditsAvailable", tr_json_new_number(report_num(cs, "points", NULL)), rc);
    if (code != NULL) {
        report_put(o, "humanCode", tr_json_new_cstr(code), rc);
    }
    tr_buf_release(&b);
    return o;
}

static struct tr_json *subject_json(const char *id, const struct tr_json *cs, const char *org,
                                    int *rc)
{
    struct tr_json *o = tr_json_new_object(), *result = tr_json_new_object();
    struct tr_json *results = tr_json_new_array();
    report_put(o, "id", tr_json_new_cstr(report_str(cs, "id")), rc);
    report_put(o, "type", strings("AchievementSubject", NULL, rc), rc);
    report_put(o, "achievement", achievement_json(id, cs, org, rc), rc);
    report_put(o, "creditsEarned", tr_json_new_number(report_num(cs, "points", NULL)), rc);
    if (report_str(cs, "term") != NULL) {
        report_put(o, "term", tr_json_new_cstr(report_str(cs, "term")), rc);
    }
    report_put(result, "type", strings("Result", NULL, rc), rc);
    report_put(result, "status", tr_json_new_cstr("Completed"), rc);
    if (report_str(cs, "grade") != NULL) {
        report_put(result, "value", tr_json_new_cstr(report_str(cs, "grade")), rc);
    }
    report_push(results, result, rc);
    report_put(o, "result", results, rc);
    return o;
}

int tr_ob3_credit(struct tr_db *db, const char *record_id,
                  const unsigned char seed[TR_ED25519_SEED_LEN], const char *created,
                  struct tr_json **out, struct tr_error *err)
{
    struct tr_eligibility *view = NULL;
    struct tr_eligibility_record r;
    struct tr_trust_org org;
    struct tr_proof_sign_options opts = {created, NULL, NULL};
    unsigned char pub[TR_ED25519_PUBLIC_LEN];
    char did[TR_KEY_DID_SIZE], earned[TR_DATE_LEN + 1], day[TR_DATETIME_LEN + 1];
    struct tr_json *doc = NULL;
    int rc;
    memset(&r, 0, sizeof r);
    *out = NULL;
    if ((rc = tr_eligibility_open(db, TR_ELIGIBILITY_WHOLE_LOG, TR_ELIGIBILITY_VERIFY, &view,
                                  err)) != TR_OK ||
        (rc = tr_eligibility_get(view, record_id, &r, err)) != TR_OK) {
        goto out;
    }
    uint64_t size = tr_eligibility_basis(view)->log_size;
    if (r.kind != TR_KIND_CREDIT) {
        rc = tr_error_set(err, TR_EINVAL, "record %s is of kind %s, not a Credit", record_id,
                          tr_schema_kind_name(r.kind));
        goto out;
    }
    if (!r.counts) {
        rc = tr_error_set(err, TR_EVERIFY, "record %s does not count: %s", record_id, r.reason);
        goto out;
    }
    const char *issuer = tr_ident_urn_value(report_str(r.credential, "issuer"), TR_URN_ORG);
    const struct tr_json *cs = report_get(r.credential, "credentialSubject");
    if ((rc = check_key(db, issuer, size, seed, pub, err)) != TR_OK ||
        (rc = tr_trust_org_get(db, issuer, size, &org, err)) != TR_OK) {
        goto out;
    }
    tr_key_did(pub, did);
    report_day(report_str(cs, "earnedOn"), earned);
    snprintf(day, sizeof day, "%sT00:00:00Z", earned);
    struct tr_buf id;
    tr_buf_init(&id);
    tr_buf_addf(&id, "%s%s", TR_URN_RECORD, record_id);
    doc = tr_json_new_object();
    report_put(doc, "@context", strings(TR_CONTEXT_VC, TR_OB3_CONTEXT, &rc), &rc);
    report_put(doc, "id", text(&id), &rc);
    report_put(doc, "type", strings("VerifiableCredential", "OpenBadgeCredential", &rc), &rc);
    report_put(doc, "issuer", issuer_json(did, issuer, org.name, &rc), &rc);
    report_put(doc, "validFrom", tr_json_new_cstr(day), &rc);
    report_put(doc, "awardedDate", tr_json_new_cstr(day), &rc);
    report_put(doc, "name", tr_json_new_cstr(report_str(cs, "course")), &rc);
    report_put(doc, "credentialSubject", subject_json(record_id, cs, org.name, &rc), &rc);
    tr_buf_release(&id);
    if (rc != TR_OK) {
        rc = tr_error_set(err, rc, "cannot make the credential: out of memory");
        goto out;
    }
    if ((rc = tr_proof_sign(doc, seed, &opts, err)) != TR_OK) {
        goto out;
    }
    *out = doc;
    doc = NULL;
out:
    tr_json_free(doc);
    tr_eligibility_record_release(&r);
    tr_eligibility_close(view);
    return rc;
}
