/*
 * talentreg/jcs.h — RFC 8785 JSON Canonicalization Scheme.
 *
 * The canonical bytes of a credential are what gets hashed for its record id, signed by
 * eddsa-jcs-2022 proofs and hashed into the log, so this module must match RFC 8785 byte for
 * byte: members sorted by UTF-16 code units, no whitespace, strings with only the mandatory
 * escapes, numbers in the shortest round-trip ECMAScript form.
 */
#ifndef TALENTREG_JCS_H
#define TALENTREG_JCS_H

#include "buf.h"
#include "error.h"
#include "json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Room for any number tr_jcs_number writes, with its NUL. */
#define TR_JCS_NUMBER_MAX 32

/*
 * tr_jcs_serialize — append the canonical bytes of node to out.
 * Returns TR_OK, TR_EINVAL (a non-finite number) or the buffer's sticky error.
 */
int tr_jcs_serialize(const struct tr_json *node, struct tr_buf *out, struct tr_error *err);

/*
 * tr_jcs_number — write v in the ECMAScript Number::toString form (shortest digits that
 * round-trip; -0 as "0") into out. Returns TR_OK, or TR_EINVAL for NaN and infinities.
 */
int tr_jcs_number(double v, char out[TR_JCS_NUMBER_MAX]);

#ifdef __cplusplus
}
#endif
#endif
