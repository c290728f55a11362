/* metric_window.c — a policy window resolved against an as-of day (see talentreg/metric.h). */
#include <string.h>

#include "metric_impl.h"

int64_t metric_floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t metric_add_years(int64_t day, int years)
{
    int y, m, d;
    tr_date_to_civil(day, &y, &m, &d);
    y += years;
    int last = tr_date_days_in_month(y, m);
    return tr_date_from_civil(y, m, d < last ? d : last);
}

int64_t metric_clamp_day(int64_t d)
{
    return d < TR_DATE_MIN_DAY ? TR_DATE_MIN_DAY : d > TR_DATE_MAX_DAY ? TR_DATE_MAX_DAY : d;
}

int metric_writable_day(int64_t d)
{
    return d >= TR_DATE_MIN_DAY && d <= TR_DATE_MAX_DAY;
}

int tr_metric_window(const struct tr_window *w, int64_t as_of, struct tr_metric_span *out,
                     struct tr_error *err)
{
    if (w == NULL || out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_metric_window: no window or no output");
    }
    if ((unsigned)w->type > TR_WINDOW_CYCLES) {
        return tr_error_set(err, TR_EINVAL, "no window type %d", (int)w->type);
    }
    if (!metric_writable_day(as_of)) {
        return tr_error_set(err, TR_EINVAL,
                            "the as-of day %lld is not between 0001-01-01 and 9999-12-31",
                            (long long)as_of);
    }
    if ((w->type == TR_WINDOW_ROLLING || w->type == TR_WINDOW_CYCLES) &&
        (w->years < 1 || w->years > 100)) {
        return tr_error_set(err, TR_EINVAL, "a window's years must be between 1 and 100");
    }
    if (w->type == TR_WINDOW_CYCLES && !metric_writable_day(w->anchor)) {
        return tr_error_set(err, TR_EINVAL,
                            "a window's anchor must be a day between 0001-01-01 and 9999-12-31");
    }
    memset(out, 0, sizeof *out);
    out->type = w->type;
    out->until = as_of;
    out->from = as_of;
    switch (w->type) {
    case TR_WINDOW_NONE:
        break;
    case TR_WINDOW_ALL:
        out->from = TR_DATE_MIN_DAY;
        break;
    case TR_WINDOW_ROLLING:
        out->years = w->years;
        out->from = metric_clamp_day(metric_add_years(as_of, -w->years) + 1);
        break;
    case TR_WINDOW_CYCLES: {
        int ay, y;
        tr_date_to_civil(w->anchor, &ay, NULL, NULL);
        tr_date_to_civil(as_of, &y, NULL, NULL);
        /* A first guess from the years, then the exact cycle (calendar years differ in length). */
        int k = (int)metric_floor_div(y - ay, w->years);
        while (metric_add_years(w->anchor, k * w->years) > as_of) {
            k--;
        }
        while (metric_add_years(w->anchor, (k + 1) * w->years) <= as_of) {
            k++;
        }
        out->years = w->years;
        out->anchor = w->anchor;
        out->cycle_from = metric_clamp_day(metric_add_years(w->anchor, k * w->years));
        out->cycle_until = metric_clamp_day(metric_add_years(w->anchor, (k + 1) * w->years) - 1);
        out->from = out->cycle_from;
        break;
    }
    }
    return TR_OK;
}
