/*
 * talentreg/report.h — what the dossier, eligible and transcript commands show.
 *
 * Each report is first built as a JSON tree with stable member names (docs/policies.md,
 * "Reports"), which is what --json prints; the text and HTML forms are rendered from that
 * tree alone, so the three never disagree. Record text is never trusted: the HTML escapes
 * every string it takes from the tree, and the text form replaces control characters.
 *
 * The HTML of a dossier is one self-contained file: inline CSS (with a print stylesheet for
 * A4), an inline SVG timeline, no scripts, and no URL that a browser would load (record text
 * that holds a URL stays text).
 *
 * Ownership: the structures below borrow everything they point to. Trees and buffers filled
 * belong to the caller.
 */
#ifndef TALENTREG_REPORT_H
#define TALENTREG_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "eligibility.h"
#include "error.h"
#include "json.h"
#include "metric.h"
#include "trust.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A person's dossier: their records as judged, and the policies applied to them. */
struct tr_report_dossier {
    const char *person;                            /* "p-..." */
    int64_t as_of;                                 /* the day the metrics were computed for */
    const struct tr_eligibility_basis *basis;      /* the log size they were computed from */
    const struct tr_eligibility_records *records;  /* tr_eligibility_select, every kind */
    const struct tr_metric_result *const *results; /* one per policy, in the order shown */
    size_t nresults;
    const struct tr_trust_org *orgs; /* the organisations as of the log size (their names) */
    size_t norgs;
};

/*
 * tr_report_basis_json — {"logSize", "root", "checkpoint": {"size", "root"} or null}, the
 * roots in lowercase hex. Returns the tree (owned by the caller) or NULL when out of memory.
 */
struct tr_json *tr_report_basis_json(const struct tr_eligibility_basis *basis);

/*
 * tr_report_dossier_json — the dossier as a JSON tree: person, name (and the rest of the
 * person's Person record that counts, when there is one), asOf, basis, summary (records and
 * how many count, per kind), records (groups by kind, each record with its status, reasons
 * and content), organisations (the names of those the records name), policies (each
 * tr_metric_result_json). *out is the caller's. Returns TR_OK, TR_EINVAL (d or out NULL) or
 * TR_ENOMEM.
 */
int tr_report_dossier_json(const struct tr_report_dossier *d, struct tr_json **out,
                           struct tr_error *err);

/*
 * tr_report_dossier_text — the dossier tree (as tr_report_dossier_json made it) as text for
 * a terminal, appended to out. Returns TR_OK, TR_EINVAL (not a dossier tree), or out's
 * sticky error.
 */
int tr_report_dossier_text(const struct tr_json *dossier, struct tr_buf *out, struct tr_error *err);

/*
 * tr_report_dossier_html — the dossier tree as one self-contained HTML document, appended to
 * out: the summary, a timeline (inline SVG: a lane per kind and organisation, a bar per
 * appointment or placement with its FTE, year ticks, the as-of day), the records by kind and
 * every criterion with the records it counted and left out. Returns as
 * tr_report_dossier_text.
 */
int tr_report_dossier_html(const struct tr_json *dossier, struct tr_buf *out, struct tr_error *err);

/*
 * tr_report_eligible_json — one person's line of an eligibility list: {"person", "verdict",
 * "failing": [{"criterion", "type", "value", "threshold", "unit"}, ...]} (failing lists the
 * criteria not met, in the policy's order; evaluations add "missingRoles"). Returns the tree
 * (owned by the caller) or NULL when out of memory.
 */
struct tr_json *tr_report_eligible_json(const struct tr_metric_result *r);

/*
 * tr_report_eligible_text — a line of tr_report_eligible_json as text, appended to out:
 * "p-x  eligible" or "p-x  not eligible: practice 3.5 of 6 months; ...". Returns TR_OK,
 * TR_EINVAL (not such a line), or out's sticky error.
 */
int tr_report_eligible_text(const struct tr_json *line, struct tr_buf *out, struct tr_error *err);

/*
 * tr_report_basis_text — "log size N (root HEX), checkpoint of size S (root HEX)" or "...,
 * no checkpoint covers it yet" for the tree of tr_report_basis_json, appended to out.
 */
void tr_report_basis_text(const struct tr_json *basis, struct tr_buf *out);

/*
 * tr_report_text_put — append s to out for a terminal: control characters (C0, DEL and the
 * C1 range) are written as U+FFFD, so record text cannot move the cursor or change colours.
 * s NULL appends nothing.
 */
void tr_report_text_put(struct tr_buf *out, const char *s);

/*
 * tr_report_html_put — append s HTML-escaped (& < > " ' as entities) to out, control
 * characters as U+FFFD. s NULL appends nothing.
 */
void tr_report_html_put(struct tr_buf *out, const char *s);

#ifdef __cplusplus
}
#endif
#endif
