/*
 * talentreg/transcript.h — a learner's transcript: the credits they earned, the recognitions
 * of each, and the totals per framework, as the archive stood at a log size.
 *
 * The records come from a view (talentreg/eligibility.h): the person's Credits and
 * CreditRecognitions, and the Credits and RecognitionAgreements the recognitions name. A
 * recognition is judged by the metric engine's credits_recognised rules (docs/policies.md):
 * it counts when it and its credit and agreement count, its decision is recognised or
 * partially_recognised, the agreement was in force on the day of the decision, both
 * organisations are parties and the agreement converts the credit's framework. Its target
 * framework is the one it states (else the credit's own), and its points are the credit's
 * points times the agreement's ratio, capped by the points it states. There is no as-of
 * date: every decision the log holds is taken.
 *
 * The transcript is a JSON tree with stable member names (docs/policies.md, "Reports"):
 *   person, name, basis, credits (each with its recognitions), unmatched (recognitions whose
 *   credit is not one of the person's), totals {earned, recognised} (points per framework:
 *   of the credits that count, and of the recognitions that count, converted).
 */
#ifndef TALENTREG_TRANSCRIPT_H
#define TALENTREG_TRANSCRIPT_H

#include "buf.h"
#include "eligibility.h"
#include "error.h"
#include "json.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * tr_transcript_json — the transcript of person ("p-..." or its URN) from view e.
 * out: [out] the tree (owned by the caller); NULL on failure.
 * Returns TR_OK (a person with no credit gets an empty transcript); the errors of
 * tr_eligibility_select and tr_metric_evaluate; TR_ENOMEM.
 */
int tr_transcript_json(struct tr_eligibility *e, const char *person, struct tr_json **out,
                       struct tr_error *err);

/*
 * tr_transcript_text — the tree of tr_transcript_json as text for a terminal, appended to
 * out (record text made safe as tr_report_text_put does). Returns TR_OK, TR_EINVAL (not a
 * transcript) or out's sticky error.
 */
int tr_transcript_text(const struct tr_json *transcript, struct tr_buf *out, struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
