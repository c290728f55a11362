/* cli_verdict.c — verdicts and submission results as text and JSON, for every command. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_json_set(struct tr_json *obj, const char *key, struct tr_json *value, int *rc)
{
    if (*rc != TR_OK) {
        tr_json_free(value);
        return;
    }
    *rc = value != NULL ? tr_json_object_set(obj, key, value) : TR_ENOMEM;
}

/* A JSON number of a leaf or size (exact up to 2^53, far beyond any log). */
static struct tr_json *num(uint64_t n)
{
    return tr_json_new_number((double)n);
}

static struct tr_json *reasons_json(const struct tr_verdict *v)
{
    struct tr_json *list = tr_json_new_array();
    int rc = list != NULL ? TR_OK : TR_ENOMEM;
    for (size_t i = 0; rc == TR_OK && i < v->nreasons; i++) {
        const struct tr_verify_item *it = &v->reasons[i];
        struct tr_json *o = tr_json_new_object();
        rc = o != NULL ? TR_OK : TR_ENOMEM;
        cli_json_set(o, "code", tr_json_new_cstr(tr_verify_reason_code(it->reason)), &rc);
        cli_json_set(o, "proof", it->proof > 0 ? num(it->proof) : tr_json_new_null(), &rc);
        cli_json_set(o, "detail", tr_json_new_cstr(it->detail), &rc);
        rc = rc == TR_OK ? tr_json_array_append(list, o) : (tr_json_free(o), rc);
    }
    if (rc != TR_OK) {
        tr_json_free(list);
        return NULL;
    }
    return list;
}

static struct tr_json *proofs_json(const struct tr_verdict *v)
{
    struct tr_json *list = tr_json_new_array();
    int rc = list != NULL ? TR_OK : TR_ENOMEM;
    for (size_t i = 0; rc == TR_OK && i < v->nproofs; i++) {
        const struct tr_verify_proof *p = &v->proofs[i];
        struct tr_json *o = tr_json_new_object();
        rc = o != NULL ? TR_OK : TR_ENOMEM;
        cli_json_set(o, "verificationMethod", tr_json_new_cstr(p->verification_method), &rc);
        cli_json_set(o, "status", tr_json_new_cstr(tr_proof_reason_code(p->status)), &rc);
        cli_json_set(o, "signer",
                     p->by_operator         ? tr_json_new_cstr(TR_TRUST_OPERATOR)
                     : p->signer[0] != '\0' ? tr_json_new_cstr(p->signer)
                                            : tr_json_new_null(),
                     &rc);
        cli_json_set(o, "position", num(p->position), &rc);
        cli_json_set(o, "counts", tr_json_new_bool(p->counts), &rc);
        cli_json_set(o, "repeated", tr_json_new_bool(p->repeated), &rc);
        rc = rc == TR_OK ? tr_json_array_append(list, o) : (tr_json_free(o), rc);
    }
    if (rc != TR_OK) {
        tr_json_free(list);
        return NULL;
    }
    return list;
}

struct tr_json *cli_verdict_json(const struct tr_verdict *v)
{
    struct tr_json *o = tr_json_new_object();
    int rc = o != NULL ? TR_OK : TR_ENOMEM;
    cli_json_set(o, "recordId",
                 v->record_id[0] != '\0' ? tr_json_new_cstr(v->record_id) : tr_json_new_null(),
                 &rc);
    cli_json_set(o, "kind",
                 v->has_kind ? tr_json_new_cstr(tr_schema_kind_name(v->kind)) : tr_json_new_null(),
                 &rc);
    cli_json_set(o, "counts", tr_json_new_bool(v->counts), &rc);
    cli_json_set(o, "logSize", num(v->log_size), &rc);
    cli_json_set(o, "leaf", v->logged ? num(v->leaf) : tr_json_new_null(), &rc);
    cli_json_set(o, "firstLeaf", v->logged ? num(v->first_leaf) : tr_json_new_null(), &rc);
    cli_json_set(o, "proofs", proofs_json(v), &rc);
    cli_json_set(o, "reasons", reasons_json(v), &rc);
    if (rc != TR_OK) {
        tr_json_free(o);
        return NULL;
    }
    return o;
}

void cli_verdict_text(struct tr_buf *out, const struct tr_verdict *v)
{
    tr_buf_addf(out, "record %s: %s\n", v->record_id[0] != '\0' ? v->record_id : "(none)",
                v->counts ? "counts" : "does not count");
    tr_buf_addf(out, "kind: %s\n", v->has_kind ? tr_schema_kind_name(v->kind) : "(unknown)");
    if (v->logged) {
        tr_buf_addf(out, "leaf: %" PRIu64 " (first logged at leaf %" PRIu64 ")\n", v->leaf,
                    v->first_leaf);
    } else {
        tr_buf_addf(out, "leaf: not in the log\n");
    }
    tr_buf_addf(out, "log size: %" PRIu64 "\n", v->log_size);
    for (size_t i = 0; i < v->nproofs; i++) {
        const struct tr_verify_proof *p = &v->proofs[i];
        const char *signer = p->by_operator         ? "the registry operator"
                             : p->signer[0] != '\0' ? p->signer
                                                    : "unknown signer";
        tr_buf_addf(out, "proof %zu: %s by %s at position %" PRIu64 "%s\n", i + 1,
                    p->counts     ? "valid"
                    : p->repeated ? "repeated"
                                  : "not valid",
                    signer, p->position, p->repeated ? " (the same key counts once)" : "");
    }
    for (size_t i = 0; i < v->nreasons; i++) {
        tr_buf_addf(out, "%s: %s\n", tr_verify_reason_code(v->reasons[i].reason),
                    v->reasons[i].detail);
    }
}

static const char *status_name(enum tr_submit_status s)
{
    switch (s) {
    case TR_SUBMIT_STORED:
        return "stored";
    case TR_SUBMIT_DUPLICATE:
        return "duplicate";
    case TR_SUBMIT_MERGED:
        return "merged";
    case TR_SUBMIT_REJECTED:
        break;
    }
    return "rejected";
}

int cli_submit_report(const char *name, size_t record, const struct tr_submit_result *r,
                      struct tr_buf *text, struct tr_json *list)
{
    if (list != NULL) {
        struct tr_json *o = tr_json_new_object();
        int rc = o != NULL ? TR_OK : TR_ENOMEM;
        cli_json_set(o, "file", tr_json_new_cstr(name), &rc);
        if (record > 0) {
            cli_json_set(o, "record", num(record), &rc);
        }
        cli_json_set(o, "status", tr_json_new_cstr(status_name(r->status)), &rc);
        cli_json_set(o, "recordId",
                     r->record_id[0] != '\0' ? tr_json_new_cstr(r->record_id) : tr_json_new_null(),
                     &rc);
        cli_json_set(o, "leaf", r->status != TR_SUBMIT_REJECTED ? num(r->leaf) : tr_json_new_null(),
                     &rc);
        cli_json_set(
            o, "reasons",
            r->status == TR_SUBMIT_REJECTED ? reasons_json(&r->verdict) : tr_json_new_array(), &rc);
        rc = rc == TR_OK ? tr_json_array_append(list, o) : (tr_json_free(o), rc);
        return rc;
    }
    switch (r->status) {
    case TR_SUBMIT_STORED:
        return tr_buf_addf(text, "stored %s at leaf %" PRIu64 "\n", r->record_id, r->leaf);
    case TR_SUBMIT_DUPLICATE:
        return tr_buf_addf(text, "already stored %s, nothing changed\n", r->record_id);
    case TR_SUBMIT_MERGED:
        if (r->added == 1) {
            return tr_buf_addf(text, "merged a co-signature into %s at leaf %" PRIu64 "\n",
                               r->record_id, r->leaf);
        }
        return tr_buf_addf(text, "merged %zu co-signatures into %s at leaf %" PRIu64 "\n", r->added,
                           r->record_id, r->leaf);
    case TR_SUBMIT_REJECTED:
        break;
    }
    char where[32] = "";
    if (record > 0) {
        snprintf(where, sizeof where, " record %zu", record);
    }
    for (size_t i = 0; i < r->verdict.nreasons; i++) {
        tr_buf_addf(text, "rejected '%s'%s: %s: %s\n", name, where,
                    tr_verify_reason_code(r->verdict.reasons[i].reason),
                    r->verdict.reasons[i].detail);
    }
    return text->err;
}

int cli_print_json(const struct tr_json *doc)
{
    struct tr_buf out;
    struct tr_error err = {0};
    tr_buf_init(&out);
    int rc = doc != NULL ? tr_json_write(doc, TR_JSON_PRETTY, &out, &err)
                         : tr_error_set(&err, TR_ENOMEM, "out of memory");
    int code = rc == TR_OK ? cli_write(out.data, out.len) : cli_fail(&err);
    tr_buf_release(&out);
    return code;
}
