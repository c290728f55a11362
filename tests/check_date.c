/* check_date.c — strict dates, UTC date-times, day numbers and formatting. */
#include <check.h>
#include <string.h>

#include "talentreg.h"
#include "tr_test.h"

static int parse_date(const char *s, int64_t *days, struct tr_error *err)
{
    return tr_date_parse(s, strlen(s), days, err);
}

static int parse_datetime(const char *s, int64_t *secs, struct tr_error *err)
{
    return tr_date_parse_datetime(s, strlen(s), secs, err);
}

START_TEST(date_real_days_are_accepted)
{
    int64_t d = -1;
    ck_assert_int_eq(parse_date("1970-01-01", &d, NULL), TR_OK);
    ck_assert_int_eq(d, 0);
    ck_assert_int_eq(parse_date("2024-02-29", &d, NULL), TR_OK);
    ck_assert_int_eq(d, 19782);
    ck_assert_int_eq(parse_date("2000-02-29", &d, NULL), TR_OK);
    ck_assert_int_eq(d, 11016);
    ck_assert_int_eq(parse_date("1969-12-31", &d, NULL), TR_OK);
    ck_assert_int_eq(d, -1);
    ck_assert_int_eq(parse_date("0001-01-01", &d, NULL), TR_OK);
    ck_assert_int_eq(d, TR_DATE_MIN_DAY);
    ck_assert_int_eq(parse_date("9999-12-31", &d, NULL), TR_OK);
    ck_assert_int_eq(d, TR_DATE_MAX_DAY);
}
END_TEST

START_TEST(date_days_that_do_not_exist_are_refused)
{
    struct tr_error err = {0};
    int64_t d = 77;
    ck_assert_int_eq(parse_date("2025-02-30", &d, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date: 2025-02 has no day 30");
    ck_assert_int_eq(d, 77);
    ck_assert_int_eq(parse_date("2023-02-29", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date: 2023-02 has no day 29");
    ck_assert_int_eq(parse_date("1900-02-29", NULL, &err), TR_EINVAL);
    ck_assert_int_eq(parse_date("2024-04-31", NULL, &err), TR_EINVAL);
    ck_assert_int_eq(parse_date("2024-01-00", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date: 2024-01 has no day 00");
    ck_assert_int_eq(parse_date("2024-13-01", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date: month 13 does not exist");
    ck_assert_int_eq(parse_date("2024-00-01", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date: month 00 does not exist");
    ck_assert_int_eq(parse_date("0000-01-01", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date: year 0000 does not exist");
}
END_TEST

START_TEST(date_other_spellings_are_refused)
{
    static const char *const bad[] = {
        "2024-3-01",
        "2024-03-1",
        "24-03-01",
        "2024/03/01",
        "20240301",
        "2024-03-01 ",
        " 2024-03-01",
        "2024-03-01T00:00:00Z",
        "+2024-03-01",
        "2024-0a-01",
        "",
        "２０２４-03-01",
    };
    struct tr_error err = {0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(parse_date(bad[i], NULL, &err), TR_EINVAL);
        ck_assert_str_eq(err.msg, "is not a valid date: it must be written YYYY-MM-DD");
    }
    /* Exactly len bytes are read: a date followed by more bytes outside len is fine. */
    ck_assert_int_eq(tr_date_parse("2024-03-01xyz", 10, NULL, NULL), TR_OK);
}
END_TEST

START_TEST(datetime_utc_seconds_are_accepted)
{
    int64_t s = -1;
    ck_assert_int_eq(parse_datetime("1970-01-01T00:00:00Z", &s, NULL), TR_OK);
    ck_assert_int_eq(s, 0);
    ck_assert_int_eq(parse_datetime("2024-03-01T00:00:00Z", &s, NULL), TR_OK);
    ck_assert_int_eq(s, 1709251200);
    ck_assert_int_eq(parse_datetime("2024-08-31T23:59:59Z", &s, NULL), TR_OK);
    ck_assert_int_eq(s, 1725148799);
    ck_assert_int_eq(parse_datetime("1969-12-31T23:59:59Z", &s, NULL), TR_OK);
    ck_assert_int_eq(s, -1);
}
END_TEST

START_TEST(datetime_fractions_offsets_and_bad_times_are_refused)
{
    struct tr_error err = {0};
    ck_assert_int_eq(parse_datetime("2024-03-01T00:00:00.5Z", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date-time: fractions of a second are not accepted");
    ck_assert_int_eq(parse_datetime("2024-03-01T08:00:00+08:00", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date-time: it must be in UTC, written with 'Z'");
    ck_assert_int_eq(parse_datetime("2024-03-01T08:00:00-05:00", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date-time: it must be in UTC, written with 'Z'");
    ck_assert_int_eq(parse_datetime("2024-03-01T24:00:00Z", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date-time: hour 24 does not exist");
    ck_assert_int_eq(parse_datetime("2024-03-01T23:60:00Z", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date-time: minute 60 does not exist");
    ck_assert_int_eq(parse_datetime("2016-12-31T23:59:60Z", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date-time: leap second 60 is not accepted");
    ck_assert_int_eq(parse_datetime("2016-12-31T23:59:61Z", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date-time: second 61 does not exist");
    ck_assert_int_eq(parse_datetime("2025-02-30T00:00:00Z", NULL, &err), TR_EINVAL);
    ck_assert_str_eq(err.msg, "is not a valid date-time: 2025-02 has no day 30");
    static const char *const bad[] = {
        "2024-03-01",
        "2024-03-01t00:00:00Z",
        "2024-03-01T00:00:00z",
        "2024-03-01T00:00:00",
        "2024-03-01 00:00:00Z",
        "2024-03-01T0:00:00Z",
        "2024-03-01T00:00:00ZZ",
        "2024-03-01T00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(parse_datetime(bad[i], NULL, &err), TR_EINVAL);
        ck_assert_str_eq(err.msg,
                         "is not a valid date-time: it must be written YYYY-MM-DDThh:mm:ssZ");
    }
}
END_TEST

static int parse_timestamp(const char *s, int64_t *secs, struct tr_error *err)
{
    return tr_date_parse_timestamp(s, strlen(s), secs, err);
}

START_TEST(timestamp_fraction_of_a_second_is_accepted_and_dropped)
{
    int64_t s = 0;
    ck_assert_int_eq(parse_timestamp("2026-03-01T08:00:00Z", &s, NULL), TR_OK);
    ck_assert_int_eq(s, 1772352000);
    ck_assert_int_eq(parse_timestamp("2026-03-01T08:00:00.123Z", &s, NULL), TR_OK);
    ck_assert_int_eq(s, 1772352000);
    ck_assert_int_eq(parse_timestamp("2026-03-01T08:00:00.999999999999Z", &s, NULL), TR_OK);
    ck_assert_int_eq(s, 1772352000); /* not rounded up into the next second */
    ck_assert_int_eq(parse_timestamp("2026-03-01T08:00:01.0Z", &s, NULL), TR_OK);
    ck_assert_int_eq(s, 1772352001);
    ck_assert_int_eq(parse_timestamp("1969-12-31T23:59:59.5Z", &s, NULL), TR_OK);
    ck_assert_int_eq(s, -1); /* the second it falls in, before 1970 too */
    ck_assert_int_eq(parse_timestamp("2024-02-29T23:59:59.000001Z", NULL, NULL), TR_OK);
}
END_TEST

START_TEST(timestamp_refuses_malformed_offset_and_zoneless_forms)
{
    static const char form[] =
        "is not a valid date-time: it must be written YYYY-MM-DDThh:mm:ss[.s]Z";
    static const struct {
        const char *in, *msg;
    } bad[] = {
        {"2026-03-01T08:00:00.Z", "is not a valid date-time: a fraction of a second needs a digit"},
        {"2026-03-01T08:00:00.", "is not a valid date-time: a fraction of a second needs a digit"},
        {"2026-03-01T08:00:00.123", form},
        {"2026-03-01T08:00:00", form},
        {"2026-03-01T08:00:00.12aZ", form},
        {"2026-03-01T08:00:00,5Z", form},
        {"2026-03-01T08:00:00.5z", form},
        {"2026-03-01t08:00:00.5Z", form},
        {"2026-03-01T08:00:00.5ZZ", form},
        {"2026-03-01T08:00.5Z", form},
        {"2026-03-01T08:00:00.5+08:00",
         "is not a valid date-time: it must be in UTC, written with 'Z'"},
        {"2026-03-01T08:00:00+08:00",
         "is not a valid date-time: it must be in UTC, written with 'Z'"},
        {"2016-12-31T23:59:60.5Z", "is not a valid date-time: leap second 60 is not accepted"},
        {"2026-02-29T08:00:00.5Z", "is not a valid date-time: 2026-02 has no day 29"},
        {"2026-03-01T24:00:00.0Z", "is not a valid date-time: hour 24 does not exist"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tr_error err = {0};
        int64_t s = 42;
        ck_assert_int_eq(parse_timestamp(bad[i].in, &s, &err), TR_EINVAL);
        ck_assert_str_eq(err.msg, bad[i].msg);
        ck_assert_int_eq(s, 42);
    }
    /* The length is the caller's: a fraction cut off before its Z is not a time stamp. */
    ck_assert_int_eq(tr_date_parse_timestamp("2026-03-01T08:00:00.5Z", 21, NULL, NULL), TR_EINVAL);
}
END_TEST

START_TEST(day_numbers_round_trip_through_the_calendar)
{
    char out[TR_DATE_LEN + 1];
    for (int64_t d = TR_DATE_MIN_DAY; d <= TR_DATE_MAX_DAY; d += 997) {
        int y, m, day;
        tr_date_to_civil(d, &y, &m, &day);
        ck_assert_int_eq(tr_date_valid(y, m, day), 1);
        ck_assert_int_eq(tr_date_from_civil(y, m, day), d);
        ck_assert_int_eq(tr_date_format(d, out), TR_OK);
        int64_t back = 0;
        ck_assert_int_eq(tr_date_parse(out, strlen(out), &back, NULL), TR_OK);
        ck_assert_int_eq(back, d);
    }
    ck_assert_int_eq(tr_date_format(19782, out), TR_OK);
    ck_assert_str_eq(out, "2024-02-29");
    ck_assert_int_eq(tr_date_format(TR_DATE_MAX_DAY + 1, out), TR_EINVAL);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(tr_date_format(TR_DATE_MIN_DAY - 1, out), TR_EINVAL);
}
END_TEST

START_TEST(datetime_formats_back)
{
    char out[TR_DATETIME_LEN + 1];
    ck_assert_int_eq(tr_date_format_datetime(1725148799, out), TR_OK);
    ck_assert_str_eq(out, "2024-08-31T23:59:59Z");
    ck_assert_int_eq(tr_date_format_datetime(-1, out), TR_OK);
    ck_assert_str_eq(out, "1969-12-31T23:59:59Z");
    ck_assert_int_eq(tr_date_format_datetime(0, out), TR_OK);
    ck_assert_str_eq(out, "1970-01-01T00:00:00Z");
    ck_assert_int_eq(
        tr_date_format_datetime((int64_t)(TR_DATE_MAX_DAY + 1) * TR_SECONDS_PER_DAY, out),
        TR_EINVAL);
}
END_TEST

START_TEST(days_in_month_knows_leap_years)
{
    ck_assert_int_eq(tr_date_days_in_month(2024, 2), 29);
    ck_assert_int_eq(tr_date_days_in_month(2023, 2), 28);
    ck_assert_int_eq(tr_date_days_in_month(1900, 2), 28);
    ck_assert_int_eq(tr_date_days_in_month(2000, 2), 29);
    ck_assert_int_eq(tr_date_days_in_month(2024, 4), 30);
    ck_assert_int_eq(tr_date_days_in_month(2024, 12), 31);
    ck_assert_int_eq(tr_date_days_in_month(2024, 13), 0);
    ck_assert_int_eq(tr_date_days_in_month(2024, 0), 0);
}
END_TEST

Suite *date_suite(void)
{
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("date");
    tcase_add_test(tc, date_real_days_are_accepted);
    tcase_add_test(tc, date_days_that_do_not_exist_are_refused);
    tcase_add_test(tc, date_other_spellings_are_refused);
    tcase_add_test(tc, datetime_utc_seconds_are_accepted);
    tcase_add_test(tc, datetime_fractions_offsets_and_bad_times_are_refused);
    tcase_add_test(tc, timestamp_fraction_of_a_second_is_accepted_and_dropped);
    tcase_add_test(tc, timestamp_refuses_malformed_offset_and_zoneless_forms);
    tcase_add_test(tc, day_numbers_round_trip_through_the_calendar);
    tcase_add_test(tc, datetime_formats_back);
    tcase_add_test(tc, days_in_month_knows_leap_years);
    suite_add_tcase(s, tc);
    return s;
}
