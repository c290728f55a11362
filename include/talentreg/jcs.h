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
 * tr_jcs_serialize — append the canonical bytes of node to out: the same as
 * tr_json_write(node, TR_JSON_CANONICAL, out, err), with the same return values (TR_EINVAL
 * for a non-finite number, a string that is not UTF-8 or a repeated key).
 */
int tr_jcs_serialize(const struct tr_json *node, struct tr_buf *out, struct tr_error *err);

/*
 * tr_jcs_number — write v in the ECMAScript Number::toString form (shortest digits that
 * round-trip, the closest such digits when two qualify; exponent form "1e+21", "1e-7" below
 * 1e-6 and from 1e21 on; -0 as "0") into out, NUL-terminated.
 * Returns TR_OK, or TR_EINVAL for NaN and infinities (out is then "").
 */
int tr_jcs_number(double v, char out[TR_JCS_NUMBER_MAX]);

#ifdef __cplusplus
}
#endif
#endif
