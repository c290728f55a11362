/*
 * report_format.h — what the text and HTML forms of the reports share (internal to
 * registry/report.c and registry/report_html.c; not part of the library API): reading the
 * report trees, numbers and dates as they are shown, and a record's content in words.
 *
 * Every function here writes plain, untrusted text: the caller puts it through
 * tr_report_text_put or tr_report_html_put.
 */
#ifndef TALENTREG_REPORT_FORMAT_H
#define TALENTREG_REPORT_FORMAT_H

#include "talentreg/buf.h"
#include "talentreg/json.h"

/* Room for a number as report_number writes it. */
#define REPORT_NUM_SIZE 40
/* How many hex digits of a record id the reports show where the full id is elsewhere. */
#define REPORT_SHORT_ID 12

/* obj[key] = value unless *rc holds an error (sticky); takes value in every case, NULL
 * meaning out of memory. obj NULL (its own allocation failed) sets TR_ENOMEM. */
void report_put(struct tr_json *obj, const char *key, struct tr_json *value, int *rc);

/* Append value to the array list, as report_put does. */
void report_push(struct tr_json *list, struct tr_json *value, int *rc);

/* A person as "NAME (ALTERNATE), CATEGORY and CATEGORY, home ORG", from person: the dossier
 * tree itself or a Person record's credentialSubject (whose home is an org URN). */
void report_who(const struct tr_json *dossier, const struct tr_json *person, struct tr_buf *out);

/* Member key of obj, or NULL. */
const struct tr_json *report_get(const struct tr_json *obj, const char *key);

/* The string member key of obj, or NULL when it is absent or not a string. */
const char *report_str(const struct tr_json *obj, const char *key);

/* The number member key of obj, or 0. *has (may be NULL) says whether there was one. */
double report_num(const struct tr_json *obj, const char *key, int *has);

/* The boolean member key of obj (0 when absent). */
int report_bool(const struct tr_json *obj, const char *key);

/* x without needless digits: at most 6 decimals, no trailing zeros ("2.5", "6", "-0.25"). */
void report_number(double x, char out[REPORT_NUM_SIZE]);

/* The day of an RFC 3339 instant or date ("2024-03-01T00:00:00Z" -> "2024-03-01"), written
 * to out (room for 11 bytes); "" when s is NULL or too short. */
void report_day(const char *s, char out[11]);

/* The name of organisation uscc from the dossier's "organisations", else uscc itself. */
const char *report_org_name(const struct tr_json *dossier, const char *uscc);

/* The content of a dossier record (a member of a group's "records") in words. */
void report_summary(const struct tr_json *dossier, const struct tr_json *record,
                    struct tr_buf *out);

/* The members of a detail object as "key value, key value" (lists joined by " and "). */
void report_detail(const struct tr_json *detail, struct tr_buf *out);

/* A criterion's value against its threshold: "6 months, threshold 6". */
void report_figure(const struct tr_json *criterion, struct tr_buf *out);

/* A criterion's window: "rolling 5 years, 2021-01-01 to 2025-12-31", "all, to 2025-12-31"
 * or "on 2025-12-31" (no window). */
void report_window(const struct tr_json *criterion, struct tr_buf *out);

#endif
