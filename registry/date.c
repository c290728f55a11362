/* date.c — strict dates and UTC date-times, day numbers (see talentreg/date.h). */
#include <stdio.h>
#include <string.h>

#include "talentreg/date.h"

int tr_date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) {
        return 0;
    }
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

int tr_date_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && day >= 1 && day <= tr_date_days_in_month(year, month);
}

/* Days from civil and back over 400-year eras (the algorithms of H. Hinnant). */
int64_t tr_date_from_civil(int year, int month, int day)
{
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void tr_date_to_civil(int64_t days, int *year, int *month, int *day)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    if (year != NULL) {
        *year = (int)y;
    }
    if (month != NULL) {
        *month = (int)m;
    }
    if (day != NULL) {
        *day = (int)d;
    }
}

/* n decimal digits at s, or -1 when one of them is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/*
 * The date at the start of s, whose form the caller has checked. what is the predicate's
 * head ("is not a valid date").
 */
static int civil_day(const char *s, const char *what, int64_t *days, struct tr_error *err)
{
    int year = digits(s, 4), month = digits(s + 5, 2), day = digits(s + 8, 2);
    if (year == 0) {
        return tr_error_set(err, TR_EINVAL, "%s: year 0000 does not exist", what);
    }
    if (month < 1 || month > 12) {
        return tr_error_set(err, TR_EINVAL, "%s: month %02d does not exist", what, month);
    }
    if (!tr_date_valid(year, month, day)) {
        return tr_error_set(err, TR_EINVAL, "%s: %04d-%02d has no day %02d", what, year, month,
                            day);
    }
    *days = tr_date_from_civil(year, month, day);
    return TR_OK;
}

static int date_form(const char *s, size_t len)
{
    return len >= TR_DATE_LEN && digits(s, 4) >= 0 && s[4] == '-' && digits(s + 5, 2) >= 0 &&
           s[7] == '-' && digits(s + 8, 2) >= 0;
}

int tr_date_parse(const char *s, size_t len, int64_t *days, struct tr_error *err)
{
    static const char what[] = "is not a valid date";
    int64_t d = 0;
    if (len != TR_DATE_LEN || !date_form(s, len)) {
        return tr_error_set(err, TR_EINVAL, "%s: it must be written YYYY-MM-DD", what);
    }
    int rc = civil_day(s, what, &d, err);
    if (rc == TR_OK && days != NULL) {
        *days = d;
    }
    return rc;
}

/*
 * A date-time YYYY-MM-DDThh:mm:ssZ of exactly len bytes into *seconds; with fraction, a
 * fraction of a second (".", then one or more digits) may come before the Z, and is dropped.
 */
static int parse_instant(const char *s, size_t len, int fraction, int64_t *seconds,
                         struct tr_error *err)
{
    static const char what[] = "is not a valid date-time";
    int64_t d = 0;
    size_t zone = 19; /* where the zone designator is */
    /* The part every accepted form shares: YYYY-MM-DDThh:mm:ss. */
    int head = date_form(s, len) && len >= 19 && s[10] == 'T' && digits(s + 11, 2) >= 0 &&
               s[13] == ':' && digits(s + 14, 2) >= 0 && s[16] == ':' && digits(s + 17, 2) >= 0;
    if (head && len > 19 && s[19] == '.') {
        if (!fraction) {
            return tr_error_set(err, TR_EINVAL, "%s: fractions of a second are not accepted", what);
        }
        for (zone = 20; zone < len && s[zone] >= '0' && s[zone] <= '9'; zone++) {
        }
        if (zone == 20) {
            return tr_error_set(err, TR_EINVAL, "%s: a fraction of a second needs a digit", what);
        }
    }
    if (head && len > zone && (s[zone] == '+' || s[zone] == '-')) {
        return tr_error_set(err, TR_EINVAL, "%s: it must be in UTC, written with 'Z'", what);
    }
    if (!head || len != zone + 1 || s[zone] != 'Z') {
        return tr_error_set(err, TR_EINVAL, "%s: it must be written YYYY-MM-DDThh:mm:ss%sZ", what,
                            fraction ? "[.s]" : "");
    }
    int rc = civil_day(s, what, &d, err);
    if (rc != TR_OK) {
        return rc;
    }
    int hour = digits(s + 11, 2), minute = digits(s + 14, 2), second = digits(s + 17, 2);
    if (hour > 23) {
        return tr_error_set(err, TR_EINVAL, "%s: hour %02d does not exist", what, hour);
    }
    if (minute > 59) {
        return tr_error_set(err, TR_EINVAL, "%s: minute %02d does not exist", what, minute);
    }
    if (second == 60) {
        return tr_error_set(err, TR_EINVAL, "%s: leap second 60 is not accepted", what);
    }
    if (second > 60) {
        return tr_error_set(err, TR_EINVAL, "%s: second %02d does not exist", what, second);
    }
    if (seconds != NULL) {
        *seconds = d * TR_SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
    }
    return TR_OK;
}

int tr_date_parse_datetime(const char *s, size_t len, int64_t *seconds, struct tr_error *err)
{
    return parse_instant(s, len, 0, seconds, err);
}

int tr_date_parse_timestamp(const char *s, size_t len, int64_t *seconds, struct tr_error *err)
{
    return parse_instant(s, len, 1, seconds, err);
}

int tr_date_format(int64_t days, char out[TR_DATE_LEN + 1])
{
    int y, m, d;
    out[0] = '\0';
    if (days < TR_DATE_MIN_DAY || days > TR_DATE_MAX_DAY) {
        return TR_EINVAL;
    }
    tr_date_to_civil(days, &y, &m, &d);
    snprintf(out, TR_DATE_LEN + 1, "%04d-%02d-%02d", y, m, d);
    return TR_OK;
}

int tr_date_format_datetime(int64_t seconds, char out[TR_DATETIME_LEN + 1])
{
    /* Floor division, so times before 1970 land on the right day. */
    int64_t days = seconds >= 0 ? seconds / TR_SECONDS_PER_DAY
                                : -((-seconds + TR_SECONDS_PER_DAY - 1) / TR_SECONDS_PER_DAY);
    int64_t rest = seconds - days * TR_SECONDS_PER_DAY;
    out[0] = '\0';
    if (tr_date_format(days, out) != TR_OK) {
        return TR_EINVAL;
    }
    int h = (int)(rest / 3600), m = (int)(rest / 60 % 60), sec = (int)(rest % 60);
    char *t = out + TR_DATE_LEN;
    t[0] = 'T';
    t[1] = (char)('0' + h / 10);
    t[2] = (char)('0' + h % 10);
    t[3] = ':';
    t[4] = (char)('0' + m / 10);
    t[5] = (char)('0' + m % 10);
    t[6] = ':';
    t[7] = (char)('0' + sec / 10);
    t[8] = (char)('0' + sec % 10);
    t[9] = 'Z';
    t[10] = '\0';
    return TR_OK;
}
