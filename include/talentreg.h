/*
 * talentreg.h — the public API of libtalentreg, a regional talent archive and credit
 * mutual-recognition registry: signed records (W3C Verifiable Credentials secured with
 * eddsa-jcs-2022) kept in a tamper-evident log.
 *
 * This header is the whole contract; it includes one header per module from talentreg/.
 * Conventions (see each header):
 *   - every public name is tr_<module>_<verb>;
 *   - functions that can fail return TR_OK (0) or one TR_E* code and fill an optional
 *     struct tr_error with a message; the library never prints and never exits;
 *   - _init prepares a caller-owned struct without allocating it, _release frees its
 *     contents, _free frees contents and struct (NULL is a no-op).
 */
#ifndef TALENTREG_H
#define TALENTREG_H

#define TR_VERSION_STRING "0.1.0"

#include "talentreg/error.h"
#include "talentreg/buf.h"
#include "talentreg/json.h"
#include "talentreg/crypto.h"
#include "talentreg/base58.h"
#include "talentreg/key.h"
#include "talentreg/proof.h"
#include "talentreg/jcs.h"
#include "talentreg/yaml.h"
#include "talentreg/db.h"
#include "talentreg/base64.h"
#include "talentreg/merkle.h"
#include "talentreg/note.h"
#include "talentreg/diag.h"
#include "talentreg/date.h"
#include "talentreg/ident.h"
#include "talentreg/schema.h"
#include "talentreg/log.h"
#include "talentreg/policy.h"
#include "talentreg/metric.h"
#include "talentreg/trust.h"
#include "talentreg/verify.h"
#include "talentreg/submit.h"
#include "talentreg/search.h"
#include "talentreg/audit.h"
#include "talentreg/bundle.h"
#include "talentreg/trust.h"
#include "talentreg/verify.h"
#include "talentreg/submit.h"
#include "talentreg/policy.h"
#include "talentreg/metric.h"
#include "talentreg/audit.h"
#include "talentreg/bundle.h"
#include "talentreg/eligibility.h"
#include "talentreg/report.h"
#include "talentreg/transcript.h"
#include "talentreg/ob3.h"
#include "talentreg/policy.h"
#include "talentreg/metric.h"
#include "talentreg/audit.h"
#include "talentreg/bundle.h"
#include "talentreg/csv.h"
#include "talentreg/import.h"

#endif
