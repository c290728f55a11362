/*
 * talentreg/date.h — strict calendar dates and UTC date-times, and day numbers.
 *
 * Accepted forms, and only these (one spelling per instant, because a credential's record
 * id is a hash of its bytes and two spellings of one time would make two records):
 *   - a date:      YYYY-MM-DD            (ISO 8601 calendar date, years 0001 to 9999)
 *   - a date-time: YYYY-MM-DDThh:mm:ssZ  (the subset of XML Schema dateTimeStamp used by
 *                                        W3C Verifiable Credentials: upper-case T and Z,
 *                                        UTC only, no fraction of a second, no offset,
 *                                        hours 00-23, no leap second 60); a proof's
 *                                        time stamp may also carry a fraction of a second
 *                                        (tr_date_parse_timestamp)
 * Every date must exist in the proleptic Gregorian calendar: 2024-02-29 is accepted,
 * 2023-02-29 and 2025-02-30 are not.
 *
 * Day numbers count days since 1970-01-01 (day 0; earlier days are negative); seconds count
 * seconds since 1970-01-01T00:00:00Z without leap seconds (POSIX time).
 *
 * Messages are predicates to be put after their subject, as in talentreg/ident.h:
 * "is not a valid date: 2025-02 has no day 30".
 */
#ifndef TALENTREG_DATE_H
#define TALENTREG_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TR_DATE_LEN 10     /* YYYY-MM-DD */
#define TR_DATETIME_LEN 20 /* YYYY-MM-DDThh:mm:ssZ */

/* The first and last day that can be written with four year digits. */
#define TR_DATE_MIN_DAY (-719162) /* 0001-01-01 */
#define TR_DATE_MAX_DAY 2932896   /* 9999-12-31 */
#define TR_SECONDS_PER_DAY 86400

/* tr_date_valid — 1 when year-month-day exists (years 1 to 9999), else 0. */
int tr_date_valid(int year, int month, int day);

/* tr_date_days_in_month — 28 to 31, or 0 when month is not 1 to 12. */
int tr_date_days_in_month(int year, int month);

/* tr_date_from_civil — the day number of a date (which the caller has checked is valid). */
int64_t tr_date_from_civil(int year, int month, int day);

/* tr_date_to_civil — the date of a day number; any out-parameter may be NULL. */
void tr_date_to_civil(int64_t days, int *year, int *month, int *day);

/*
 * tr_date_parse — a date YYYY-MM-DD of exactly len bytes into *days (may be NULL).
 * Returns TR_OK or TR_EINVAL (the form is wrong, or the date does not exist).
 */
int tr_date_parse(const char *s, size_t len, int64_t *days, struct tr_error *err);

/*
 * tr_date_parse_datetime — a date-time YYYY-MM-DDThh:mm:ssZ of exactly len bytes into
 * *seconds (may be NULL). Fractions and offsets get their own messages. TR_OK or TR_EINVAL.
 */
int tr_date_parse_datetime(const char *s, size_t len, int64_t *seconds, struct tr_error *err);

/*
 * tr_date_parse_timestamp — a proof's time stamp (the Data Integrity `created`) of exactly
 * len bytes into *seconds (may be NULL): a date-time as tr_date_parse_datetime reads it, or
 * one with a fraction of a second before the Z, YYYY-MM-DDThh:mm:ss.sZ with one or more
 * digits (XML Schema dateTimeStamp in UTC; "2026-03-01T08:00:00.123Z"). Only the whole
 * second is kept: the fraction is dropped, so *seconds is the second the instant falls in,
 * and instants are ordered to the second (08:00:00.999Z is not later than 08:00:00Z).
 * Offsets, a missing Z and a "." without digits are refused. TR_OK or TR_EINVAL.
 * Records themselves (validFrom, ...) keep the one spelling of tr_date_parse_datetime: their
 * bytes make the record id; a proof is not part of it.
 */
int tr_date_parse_timestamp(const char *s, size_t len, int64_t *seconds, struct tr_error *err);

/*
 * tr_date_format — write day number days as YYYY-MM-DD into out. Returns TR_OK, or
 * TR_EINVAL (out is then "") when the day is outside 0001-01-01 to 9999-12-31.
 */
int tr_date_format(int64_t days, char out[TR_DATE_LEN + 1]);

/* tr_date_format_datetime — the same for seconds, as YYYY-MM-DDThh:mm:ssZ. */
int tr_date_format_datetime(int64_t seconds, char out[TR_DATETIME_LEN + 1]);

#ifdef __cplusplus
}
#endif
#endif
