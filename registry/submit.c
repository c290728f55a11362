/*
 * submit.c — accepting a signed record: verify, append to the log, index, read back
 * (talentreg/submit.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "talentreg/jcs.h"
#include "talentreg/key.h"
#include "talentreg/log.h"
#include "talentreg/search.h"
#include "talentreg/submit.h"
#include "talentreg/trust.h"
#include "verify_leaf.h"

void tr_submit_result_release(struct tr_submit_result *r)
{
    if (r == NULL) {
        return;
    }
    tr_verify_verdict_release(&r->verdict);
    memset(r, 0, sizeof *r);
}

/* The proofs of doc: *n of them (a proof set, or a single proof). */
static size_t proof_count(const struct tr_json *doc, const struct tr_json **first)
{
    const struct tr_json *p = tr_json_object_get(doc, "proof");
    *first = p;
    if (p == NULL) {
        return 0;
    }
    return p->type == TR_JSON_ARRAY ? p->u.array.len : 1;
}

static const struct tr_json *proof_at(const struct tr_json *set, size_t i)
{
    return set->type == TR_JSON_ARRAY ? set->u.array.items[i] : set;
}

/* The key a proof names, when its verification method is a did:key. */
static int proof_key(const struct tr_json *proof, unsigned char pub[TR_ED25519_PUBLIC_LEN])
{
    const char *vm = tr_json_string(tr_json_object_get(proof, "verificationMethod"));
    return vm != NULL && tr_key_parse_did(vm, pub, NULL) == TR_OK;
}

/* 1 when a proof of set (n proofs) equals proof or names the same key. */
static int already_signed(const struct tr_json *set, size_t n, const struct tr_json *proof)
{
    unsigned char want[TR_ED25519_PUBLIC_LEN], have[TR_ED25519_PUBLIC_LEN];
    int keyed = proof_key(proof, want);
    for (size_t i = 0; i < n; i++) {
        const struct tr_json *p = proof_at(set, i);
        if (tr_json_equal(p, proof) ||
            (keyed && proof_key(p, have) && memcmp(want, have, sizeof want) == 0)) {
            return 1;
        }
    }
    return 0;
}

/*
 * *out = stored with the proofs of incoming that add a signature appended to its proof set
 * (stored order kept), *added their number. *out is NULL when nothing is added.
 */
static int merge(const struct tr_json *stored, const struct tr_json *incoming, struct tr_json **out,
                 size_t *added, struct tr_error *err)
{
    const struct tr_json *in_set = NULL;
    size_t n_in = proof_count(incoming, &in_set);
    struct tr_json *merged = NULL, *list = NULL;
    int rc = TR_OK;
    *out = NULL;
    *added = 0;
    for (size_t i = 0; i < n_in; i++) {
        const struct tr_json *p = proof_at(in_set, i);
        if (merged == NULL) {
            merged = tr_json_clone(stored);
            list = tr_json_new_array();
            const struct tr_json *old = NULL;
            size_t n_old = proof_count(stored, &old);
            for (size_t k = 0; merged != NULL && list != NULL && rc == TR_OK && k < n_old; k++) {
                rc = tr_json_array_append(list, tr_json_clone(proof_at(old, k)));
            }
            if (merged == NULL || list == NULL || rc != TR_OK) {
                rc = tr_error_set(err, TR_ENOMEM, "out of memory");
                goto out;
            }
        }
        if (already_signed(list, list->u.array.len, p)) {
            continue;
        }
        if (tr_json_array_append(list, tr_json_clone(p)) != TR_OK) {
            rc = tr_error_set(err, TR_ENOMEM, "out of memory");
            goto out;
        }
        (*added)++;
    }
    if (*added > 0) {
        rc = tr_json_object_set(merged, "proof", list);
        list = NULL;
        if (rc != TR_OK) {
            rc = tr_error_set(err, rc, "out of memory");
            goto out;
        }
        *out = merged;
        merged = NULL;
    }
out:
    tr_json_free(list);
    tr_json_free(merged);
    return rc;
}

/*
 * 1 when logging and indexing the record of verdict v (judged as of the log size its new leaf
 * takes) leaves its verdict as it was: the record must count, and its kind must not be one
 * whose index rows the rules read back (an Organization registers keys, a KeyRevocation
 * revokes one, a Revocation withdraws a record); every other kind adds only its own row of
 * the record table, which no rule reads for the record itself.
 */
static int verdict_stands(const struct tr_verdict *v, uint64_t leaf)
{
    return v->counts && v->has_kind && v->log_size == leaf && v->kind != TR_KIND_ORGANIZATION &&
           v->kind != TR_KIND_KEY_REVOCATION && v->kind != TR_KIND_REVOCATION;
}

/*
 * Append cred as a new leaf of record id, index it, and read it back: the body must be what
 * was written and the record must count as of the log that ends with it. *verdict is the
 * verdict before the write, as of the log size the leaf takes. When the write cannot change
 * it (verdict_stands) it is carried to the log that ends with the leaf: the new proofs
 * already took the leaf's position, so only the leaf, first leaf and log size move.
 * Otherwise the record is judged again: with pre (cred's precheck; only for a record not
 * logged before) from cred, whose bytes the stored body was just found to be, so nothing is
 * parsed or verified twice.
 */
static int write_leaf(struct tr_db *db, const struct tr_json *cred,
                      const struct tr_verify_precheck *pre, const char *id, uint64_t *leaf,
                      struct tr_verdict *verdict, struct tr_error *err)
{
    struct tr_buf body, back;
    struct tr_log_entry entry;
    tr_buf_init(&body);
    tr_buf_init(&back);
    int rc = tr_jcs_serialize(cred, &body, err);
    if (rc == TR_OK) {
        rc = tr_log_append(db, id, body.data, body.len, leaf, err);
    }
    if (rc == TR_OK) {
        rc = tr_trust_index(db, cred, id, *leaf, err);
    }
    if (rc == TR_OK) {
        rc = tr_search_index(db, id, *leaf, cred, err);
    }
    if (rc == TR_OK) {
        rc = tr_log_entry(db, *leaf, &entry, &back, err);
    }
    if (rc != TR_OK) {
        goto out;
    }
    if (back.len != body.len || memcmp(back.data, body.data, body.len) != 0 ||
        strcmp(entry.record_id, id) != 0) {
        rc = tr_error_set(err, TR_EVERIFY, "leaf %" PRIu64 " does not read back as written", *leaf);
        goto out;
    }
    if (verdict_stands(verdict, *leaf)) {
        if (!verdict->logged) {
            verdict->logged = 1;
            verdict->first_leaf = *leaf;
        }
        verdict->leaf = *leaf;
        verdict->log_size = *leaf + 1;
        goto out;
    }
    /* Judged again: from the stored bytes, parsed and hashed to the record id, or with a
     * precheck from cred, whose bytes they were just found to be. */
    tr_verify_verdict_release(verdict); /* the verdict before the write gives way */
    if (pre != NULL) {
        rc = verify_new_leaf(db, cred, pre, *leaf, verdict, err);
    } else {
        rc = tr_verify_record(db, id, *leaf + 1, verdict, err);
    }
    if (rc == TR_OK && !verdict->counts) {
        rc = tr_error_set(err, TR_EVERIFY, "record '%s' does not count once written: %s: %s", id,
                          verdict->nreasons > 0 ? tr_verify_reason_code(verdict->reasons[0].reason)
                                                : "unknown",
                          verdict->nreasons > 0 ? verdict->reasons[0].detail : "");
    }
out:
    tr_buf_release(&body);
    tr_buf_release(&back);
    return rc;
}

/* The record is in the log: merge what the incoming proofs add, or nothing. pre: cred's
 * precheck, or NULL. */
static int resubmit(struct tr_db *db, const struct tr_json *cred,
                    const struct tr_verify_precheck *pre, uint64_t size, uint64_t latest,
                    struct tr_submit_result *out, struct tr_error *err)
{
    struct tr_buf body;
    struct tr_log_entry entry;
    struct tr_json *stored = NULL, *merged = NULL;
    struct tr_verify_precheck merged_pre;
    tr_verify_precheck_init(&merged_pre);
    tr_buf_init(&body);
    int rc = tr_log_entry(db, latest, &entry, &body, err);
    if (rc != TR_OK) {
        goto out;
    }
    out->leaf = latest;
    if (entry.erased) {
        /* An erased record stays erased: its verdict says so. */
        out->status = TR_SUBMIT_REJECTED;
        rc = tr_verify_record(db, out->record_id, size, &out->verdict, err);
        goto out;
    }
    /* Whatever a submission may have been allowed. */
    struct tr_limits limits = {TR_LIMIT_CEIL_BYTES, TR_LIMIT_CEIL_DEPTH, TR_LIMIT_CEIL_NODES,
                               TR_LIMIT_CEIL_SCALAR};
    rc = tr_json_parse(body.data, body.len, "the stored record", &limits, &stored, err);
    if (rc == TR_OK) {
        rc = merge(stored, cred, &merged, &out->added, err);
    }
    if (rc != TR_OK) {
        goto out;
    }
    if (merged == NULL) {
        /* Judged as tr_verify_record judges the latest body; when it is the incoming record
         * itself, with the incoming precheck, so no signature is verified again. */
        out->status = TR_SUBMIT_DUPLICATE;
        if (pre != NULL && tr_json_equal(stored, cred)) {
            rc = tr_verify_credential_prechecked(db, stored, pre, size, &out->verdict, err);
        } else {
            rc = tr_verify_record(db, out->record_id, size, &out->verdict, err);
        }
        goto out;
    }
    /* The merged proofs that came in were verified with the incoming precheck. */
    if (pre != NULL) {
        rc = verify_precheck_like(merged, cred, pre, &merged_pre, err);
    }
    if (rc == TR_OK) {
        rc = tr_verify_credential_prechecked(db, merged, pre != NULL ? &merged_pre : NULL, size,
                                             &out->verdict, err);
    }
    if (rc != TR_OK) {
        goto out;
    }
    if (!out->verdict.counts) {
        out->status = TR_SUBMIT_REJECTED;
        goto out;
    }
    out->status = TR_SUBMIT_MERGED;
    rc = write_leaf(db, merged, NULL, out->record_id, &out->leaf, &out->verdict, err);
out:
    tr_verify_precheck_release(&merged_pre);
    tr_json_free(stored);
    tr_json_free(merged);
    tr_buf_release(&body);
    return rc;
}

int tr_submit_credential(struct tr_db *db, const struct tr_json *credential,
                         struct tr_submit_result *out, struct tr_error *err)
{
    return tr_submit_prechecked(db, credential, NULL, out, err);
}

int tr_submit_prechecked(struct tr_db *db, const struct tr_json *credential,
                         const struct tr_verify_precheck *pre, struct tr_submit_result *out,
                         struct tr_error *err)
{
    uint64_t size = 0, latest = 0;
    memset(out, 0, sizeof *out);
    if (tr_db_in_transaction(db) == 0) {
        return tr_error_set(err, TR_EINVAL, "submitting a record needs a transaction");
    }
    int rc = tr_db_begin(db, err);
    if (rc != TR_OK) {
        return rc;
    }
    if ((rc = tr_log_size(db, &size, err)) != TR_OK) {
        goto out;
    }
    if (!tr_json_is(credential, TR_JSON_OBJECT)) {
        out->status = TR_SUBMIT_REJECTED;
        rc = tr_verify_credential_prechecked(db, credential, pre, size, &out->verdict, err);
        goto out;
    }
    if (pre != NULL) {
        memcpy(out->record_id, pre->record_id, sizeof out->record_id);
    } else if ((rc = tr_verify_record_id(credential, out->record_id, err)) != TR_OK) {
        goto out;
    }
    rc = tr_log_find(db, out->record_id, &latest, NULL, NULL, err);
    if (rc == TR_OK) {
        rc = resubmit(db, credential, pre, size, latest, out, err);
        goto out;
    }
    if (rc != TR_ENOTFOUND) {
        goto out;
    }
    tr_error_clear(err);
    if (pre != NULL) {
        rc = verify_unlogged(db, credential, pre, size, &out->verdict, err);
    } else {
        rc = tr_verify_credential_prechecked(db, credential, NULL, size, &out->verdict, err);
    }
    if (rc != TR_OK) {
        goto out;
    }
    if (!out->verdict.counts) {
        out->status = TR_SUBMIT_REJECTED;
        goto out;
    }
    out->status = TR_SUBMIT_STORED;
    rc = write_leaf(db, credential, pre, out->record_id, &out->leaf, &out->verdict, err);
out:
    if (rc == TR_OK && (out->status == TR_SUBMIT_STORED || out->status == TR_SUBMIT_MERGED)) {
        rc = tr_db_commit(db, err);
    } else {
        tr_db_rollback(db, NULL);
    }
    if (rc != TR_OK) {
        tr_submit_result_release(out);
    }
    return rc;
}
