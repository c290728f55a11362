/*
 * report_html.c — the dossier as one self-contained HTML document (talentreg/report.h):
 * inline CSS with an A4 print stylesheet, an inline SVG timeline, no scripts and nothing a
 * browser would fetch. Every string of the tree goes through tr_report_html_put.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "talentreg.h"

/* The stylesheet: screen first, then what printing on A4 changes. */
static const char style[] =
    "*{box-sizing:border-box}\n"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC','PingFang SC',"
    "'Microsoft YaHei',sans-serif;color:#1b1f24;margin:0 auto;max-width:1100px;padding:24px}\n"
    "h1{font-size:24px;margin:0 0 4px}\n"
    "h2{font-size:18px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid #d0d7de}\n"
    "h3{font-size:15px;margin:18px 0 6px}\n"
    "h4{font-size:14px;margin:14px 0 4px}\n"
    ".who{font-size:16px;margin:0 0 10px}\n"
    "dl.basis{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0;"
    "font-size:13px}\n"
    "dl.basis dt{color:#57606a}\n"
    "dl.basis dd{margin:0}\n"
    "code,.id{font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace;font-size:12px}\n"
    ".id{word-break:break-all}\n"
    "table{border-collapse:collapse;width:100%;margin:4px 0 10px}\n"
    "th,td{border:1px solid #d0d7de;padding:4px 7px;text-align:left;vertical-align:top}\n"
    "th{background:#f6f8fa;font-weight:600}\n"
    "td.num{text-align:right;white-space:nowrap}\n"
    "col.idcol{width:11em}\n"
    "col.status{width:8.5em}\n"
    "col.leaf{width:4.5em}\n"
    ".badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;"
    "font-weight:600;white-space:nowrap}\n"
    ".yes{background:#dafbe1;color:#116329}\n"
    ".no{background:#ffebe9;color:#a40e26}\n"
    ".muted{color:#57606a}\n"
    ".reason{color:#a40e26;font-size:13px}\n"
    ".criterion{border-left:4px solid #d0d7de;padding:2px 0 2px 12px;margin:12px 0}\n"
    ".criterion.met{border-left-color:#2da44e}\n"
    ".criterion.unmet{border-left-color:#cf222e}\n"
    "figure{margin:8px 0}\n"
    "figcaption{font-size:12px;color:#57606a}\n"
    "svg.timeline{width:100%;height:auto;display:block}\n"
    "svg .lane{fill:#f6f8fa}\n"
    "svg .tick{stroke:#d0d7de;stroke-width:1}\n"
    "svg .label{font-size:12px;fill:#1b1f24}\n"
    "svg .year{font-size:11px;fill:#57606a}\n"
    "svg .bar{fill:#0969da;fill-opacity:.75;stroke:#0550ae}\n"
    "svg .bar.appointment{fill:#8250df;stroke:#6639ba}\n"
    "svg .bar.out{fill:#d0d7de;fill-opacity:.8;stroke:#a40e26;stroke-dasharray:4 2}\n"
    "svg .fte{font-size:11px;fill:#1b1f24}\n"
    "svg .window{fill:#fff8c5;stroke:#d4a72c;stroke-dasharray:2 2}\n"
    "svg .asof{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:5 3}\n"
    "svg .asoftext{font-size:11px;fill:#cf222e}\n"
    "footer{margin-top:28px;font-size:12px;color:#57606a}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{\n"
    "body{font-size:9.5pt;max-width:none;padding:0}\n"
    "h1{font-size:17pt}h2{font-size:13pt;margin-top:14pt}h3{font-size:11pt}h4{font-size:10pt}\n"
    "h2,h3,h4{break-after:avoid;page-break-after:avoid}\n"
    "tr,figure,h2,h3,h4,.head,dl.basis{break-inside:avoid;page-break-inside:avoid}\n"
    "svg .label{font-size:14px}svg .year,svg .fte,svg .asoftext{font-size:13px}\n"
    "thead{display:table-header-group}\n"
    "th,td{padding:2pt 4pt}\n"
    "code,.id{font-size:8pt}\n"
    ".badge{border:1px solid currentColor}\n"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "}\n";

/* ---- Output helpers ---- */

static void h(struct tr_buf *out, const char *s)
{
    tr_report_html_put(out, s);
}

/* The plain text in plain, escaped; plain is emptied. */
static void hp(struct tr_buf *out, struct tr_buf *plain)
{
    if (plain->err != TR_OK && out->err == TR_OK) {
        out->err = plain->err;
    }
    tr_report_html_put(out, plain->data);
    tr_buf_reset(plain);
}

static void hnum(struct tr_buf *out, double x)
{
    char n[REPORT_NUM_SIZE];
    report_number(x, n);
    tr_buf_adds(out, n);
}

static void badge(struct tr_buf *out, int yes, const char *text)
{
    tr_buf_addf(out, "<span class=\"badge %s\">", yes ? "yes" : "no");
    h(out, text);
    tr_buf_adds(out, "</span>");
}

static int str_is(const char *s, const char *want)
{
    return s != NULL && strcmp(s, want) == 0;
}

/* ---- Header and summary ---- */

static void header(const struct tr_json *d, struct tr_buf *out)
{
    const struct tr_json *basis = report_get(d, "basis");
    const struct tr_json *cp = report_get(basis, "checkpoint");
    struct tr_buf plain;
    tr_buf_init(&plain);
    tr_buf_adds(out, "<header>\n<h1>Dossier of ");
    h(out, report_str(d, "person"));
    tr_buf_adds(out, "</h1>\n<p class=\"who\">");
    if (report_str(d, "name") != NULL) {
        report_who(d, d, &plain);
    } else {
        tr_buf_adds(&plain, "No Person record of them counts.");
    }
    hp(out, &plain);
    tr_buf_adds(out, "</p>\n<dl class=\"basis\">\n<dt>As of</dt><dd>");
    h(out, report_str(d, "asOf"));
    tr_buf_adds(out, "</dd>\n<dt>Log size</dt><dd>");
    hnum(out, report_num(basis, "logSize", NULL));
    tr_buf_adds(out, " leaves, root <code class=\"id\">");
    h(out, report_str(basis, "root"));
    tr_buf_adds(out, "</code></dd>\n<dt>Checkpoint</dt><dd>");
    if (tr_json_is(cp, TR_JSON_OBJECT)) {
        tr_buf_adds(out, "size ");
        hnum(out, report_num(cp, "size", NULL));
        tr_buf_adds(out, ", root <code class=\"id\">");
        h(out, report_str(cp, "root"));
        tr_buf_adds(out, "</code>");
    } else {
        tr_buf_adds(out, "none covers this log size yet");
    }
    tr_buf_adds(out, "</dd>\n</dl>\n</header>\n");
    tr_buf_release(&plain);
}

static void summary(const struct tr_json *d, struct tr_buf *out)
{
    const struct tr_json *policies = report_get(d, "policies");
    const struct tr_json *counts = report_get(d, "summary");
    struct tr_buf plain;
    tr_buf_init(&plain);
    tr_buf_adds(out, "<section>\n<h2>Summary</h2>\n<p>");
    hnum(out, report_num(counts, "records", NULL));
    tr_buf_adds(out, " records, of which ");
    hnum(out, report_num(counts, "counting", NULL));
    tr_buf_adds(out, " count as of this log size.</p>\n");
    if (!tr_json_is(policies, TR_JSON_ARRAY) || policies->u.array.len == 0) {
        tr_buf_adds(out, "</section>\n");
        tr_buf_release(&plain);
        return;
    }
    tr_buf_adds(out, "<table class=\"summary\">\n<thead><tr><th>Policy</th><th>Criterion</th>"
                     "<th>Value</th><th>Threshold</th><th>Verdict</th></tr></thead>\n<tbody>\n");
    for (size_t p = 0; p < policies->u.array.len; p++) {
        const struct tr_json *r = policies->u.array.items[p];
        const struct tr_json *criteria = report_get(r, "criteria");
        size_t n = tr_json_is(criteria, TR_JSON_ARRAY) ? criteria->u.array.len : 0;
        for (size_t i = 0; i < n; i++) {
            const struct tr_json *c = criteria->u.array.items[i];
            tr_buf_adds(out, "<tr>");
            if (i == 0) {
                tr_buf_addf(out, "<td rowspan=\"%zu\"><code>", n);
                h(out, report_str(report_get(r, "policy"), "id"));
                tr_buf_adds(out, "</code><br>");
                badge(out, str_is(report_str(r, "verdict"), "eligible"),
                      str_is(report_str(r, "verdict"), "eligible") ? "eligible" : "not eligible");
                tr_buf_adds(out, "</td>");
            }
            tr_buf_adds(out, "<td>");
            h(out, report_str(c, "id"));
            tr_buf_adds(out, "</td><td class=\"num\">");
            hnum(out, report_num(c, "value", NULL));
            tr_buf_adds(out, " ");
            h(out, report_str(c, "unit"));
            tr_buf_adds(out, "</td><td class=\"num\">");
            hnum(out, report_num(c, "threshold", NULL));
            tr_buf_adds(out, "</td><td>");
            badge(out, str_is(report_str(c, "verdict"), "met"),
                  str_is(report_str(c, "verdict"), "met") ? "met" : "not met");
            tr_buf_adds(out, "</td></tr>\n");
        }
    }
    tr_buf_adds(out, "</tbody>\n</table>\n</section>\n");
    tr_buf_release(&plain);
}

/* ---- The timeline ---- */

#define TL_WIDTH 960
#define TL_LABEL 290 /* the lane labels' column */
#define TL_RIGHT 16
#define TL_TOP 34
#define TL_BAR 22
#define TL_ROW 38 /* a row of a lane: a bar, and a line for the labels too long for theirs */
#define TL_ROWS_MAX 6
#define TL_CHAR 6.6 /* the width of a character of a label, about */
#define TL_LANES_MAX 40
#define TL_BARS_MAX 400

struct bar {
    const struct tr_json *record;
    int64_t from, until; /* days */
    double fte;          /* 0..1: the bar's height */
    int has_fte;
    int appointment;
    size_t lane;
    size_t row; /* the lane's row: overlapping bars are drawn one above the other */
};

struct lane {
    char key[160]; /* kind, then the organisation(s): what the lane holds */
    int appointment;
    const char *org_a, *org_b;     /* USCC or URN text from the record */
    size_t rows;                   /* rows in use, at least 1 */
    int64_t row_end[TL_ROWS_MAX];  /* the last day of the last bar of each row */
    double label_end[TL_ROWS_MAX]; /* where the last label under each row ends */
    double top;                    /* the lane's y */
};

struct timeline {
    struct bar bars[TL_BARS_MAX];
    size_t nbars;
    struct lane lanes[TL_LANES_MAX];
    size_t nlanes;
    int64_t first, last; /* the days shown: whole years */
};

static int64_t day_of(const char *s)
{
    int64_t d = 0;
    if (s == NULL || strlen(s) < TR_DATE_LEN || tr_date_parse(s, TR_DATE_LEN, &d, NULL) != TR_OK) {
        return INT64_MIN;
    }
    return d;
}

static const char *org_member(const struct tr_json *record, const char *key)
{
    const char *urn = report_str(report_get(record, "credentialSubject"), key);
    const char *uscc = tr_ident_urn_value(urn, TR_URN_ORG);
    return uscc != NULL ? uscc : urn != NULL ? urn : "";
}

static size_t lane_of(struct timeline *t, int appointment, const char *a, const char *b)
{
    char key[160];
    snprintf(key, sizeof key, "%d %s %s", appointment, a, b);
    for (size_t i = 0; i < t->nlanes; i++) {
        if (strcmp(t->lanes[i].key, key) == 0) {
            return i;
        }
    }
    if (t->nlanes == TL_LANES_MAX) {
        return TL_LANES_MAX;
    }
    struct lane *l = &t->lanes[t->nlanes];
    snprintf(l->key, sizeof l->key, "%s", key);
    l->appointment = appointment;
    l->org_a = a;
    l->org_b = b;
    return t->nlanes++;
}

/* Collect the bars: appointments first, then placements, each lane in order of appearance. */
static void collect(const struct tr_json *d, struct timeline *t)
{
    const struct tr_json *groups = report_get(d, "records");
    for (int pass = 0; pass < 2; pass++) {
        const char *kind = pass == 0 ? "DualAppointment" : "EnterprisePlacement";
        for (size_t g = 0; tr_json_is(groups, TR_JSON_ARRAY) && g < groups->u.array.len; g++) {
            const struct tr_json *group = groups->u.array.items[g];
            const struct tr_json *list = report_get(group, "records");
            if (!str_is(report_str(group, "kind"), kind)) {
                continue;
            }
            for (size_t i = 0; tr_json_is(list, TR_JSON_ARRAY) && i < list->u.array.len; i++) {
                const struct tr_json *r = list->u.array.items[i];
                const struct tr_json *cs = report_get(r, "credentialSubject");
                struct bar *b = &t->bars[t->nbars];
                if (t->nbars == TL_BARS_MAX || cs == NULL) {
                    continue;
                }
                b->record = r;
                b->from = day_of(report_str(r, "validFrom"));
                b->until = day_of(report_str(r, "validUntil"));
                b->appointment = pass == 0;
                b->fte = report_num(cs, b->appointment ? "workloadShare" : "fte", &b->has_fte);
                b->lane = b->appointment ? lane_of(t, 1, org_member(r, "university"),
                                                   org_member(r, "enterprise"))
                                         : lane_of(t, 0, org_member(r, "host"), "");
                if (b->from != INT64_MIN && b->until != INT64_MIN && b->lane < TL_LANES_MAX) {
                    t->nbars++;
                }
            }
        }
    }
}

/* The x of day within the chart (clamped to it). */
static double x_of(const struct timeline *t, int64_t day)
{
    double x0 = TL_LABEL, x1 = TL_WIDTH - TL_RIGHT;
    if (day < t->first) {
        day = t->first;
    }
    if (day > t->last) {
        day = t->last;
    }
    return x0 + (x1 - x0) * (double)(day - t->first) / (double)(t->last - t->first);
}

static void svg_num(struct tr_buf *out, double x)
{
    tr_buf_addf(out, "%.1f", x);
}

/* The whole years around the bars and the as-of day, at most 60 of them. */
static void span(struct timeline *t, int64_t as_of, int64_t window_from)
{
    int64_t lo = window_from != INT64_MIN && window_from < as_of ? window_from : as_of;
    int64_t hi = as_of;
    int y0, y1, m, dd;
    for (size_t i = 0; i < t->nbars; i++) {
        lo = t->bars[i].from < lo ? t->bars[i].from : lo;
        hi = t->bars[i].until > hi ? t->bars[i].until : hi;
    }
    tr_date_to_civil(lo, &y0, &m, &dd);
    tr_date_to_civil(hi, &y1, &m, &dd);
    int ya;
    tr_date_to_civil(as_of, &ya, &m, &dd);
    if (y0 < ya - 40) {
        y0 = ya - 40;
    }
    if (y1 > ya + 19) {
        y1 = ya + 19;
    }
    t->first = tr_date_from_civil(y0, 1, 1);
    t->last = tr_date_from_civil(y1 + 1, 1, 1);
}

static void lane_label(const struct tr_json *d, const struct lane *l, struct tr_buf *plain)
{
    if (l->appointment) {
        tr_buf_addf(plain, "Appointment · %s / %s", report_org_name(d, l->org_a),
                    report_org_name(d, l->org_b));
    } else {
        tr_buf_addf(plain, "Placement · %s", report_org_name(d, l->org_a));
    }
}

/* The window of the first enterprise_months criterion, for the band behind the bars. */
static const struct tr_json *practice_window(const struct tr_json *d)
{
    const struct tr_json *policies = report_get(d, "policies");
    for (size_t p = 0; tr_json_is(policies, TR_JSON_ARRAY) && p < policies->u.array.len; p++) {
        const struct tr_json *criteria = report_get(policies->u.array.items[p], "criteria");
        for (size_t i = 0; tr_json_is(criteria, TR_JSON_ARRAY) && i < criteria->u.array.len; i++) {
            const struct tr_json *c = criteria->u.array.items[i];
            if (str_is(report_str(c, "type"), "enterprise_months")) {
                return c;
            }
        }
    }
    return NULL;
}

/* Bars by lane, then by start, so labels are placed left to right. */
static int by_lane_and_start(const void *a, const void *b)
{
    const struct bar *x = a, *y = b;
    if (x->lane != y->lane) {
        return x->lane < y->lane ? -1 : 1;
    }
    return x->from < y->from ? -1 : x->from > y->from;
}

/*
 * Give each bar (sorted by lane and start) the first row of its lane that is free from its
 * first day, so bars that overlap in time never cover each other; then place the lanes.
 * Returns the y below the last lane.
 */
static double layout(struct timeline *t)
{
    double y = TL_TOP;
    for (size_t i = 0; i < t->nbars; i++) {
        struct bar *b = &t->bars[i];
        struct lane *l = &t->lanes[b->lane];
        size_t r = 0;
        while (r < l->rows && l->row_end[r] >= b->from) {
            r++;
        }
        if (r == TL_ROWS_MAX) {
            r = TL_ROWS_MAX - 1; /* more overlaps than rows: the last row takes them */
        }
        if (r == l->rows) {
            l->rows++;
            l->row_end[r] = b->until;
        } else if (b->until > l->row_end[r]) {
            l->row_end[r] = b->until;
        }
        b->row = r;
    }
    for (size_t i = 0; i < t->nlanes; i++) {
        t->lanes[i].rows = t->lanes[i].rows > 0 ? t->lanes[i].rows : 1;
        t->lanes[i].top = y;
        y += (double)t->lanes[i].rows * TL_ROW + 6;
    }
    return y;
}

/* The y of the top of row r of lane l's bars. */
static double row_y(const struct lane *l, size_t r)
{
    return l->top + 4 + (double)r * TL_ROW;
}

/* The FTE (or workload share) of a bar: inside it when it fits (wide and tall enough), else
 * on the line under its row when that is free there; left out (the bar's height and title
 * still say it) when not. */
static void svg_fte(struct timeline *t, const struct bar *b, double x, double w, double height,
                    int counts, struct tr_buf *out)
{
    char n[REPORT_NUM_SIZE], label[REPORT_NUM_SIZE + 8];
    struct lane *l = &t->lanes[b->lane];
    report_number(b->fte, n);
    snprintf(label, sizeof label, "%s %s", b->appointment ? "share" : "FTE", n);
    double need = (double)strlen(label) * TL_CHAR;
    double lx = x + 4, ly = row_y(l, b->row) + TL_BAR / 2.0 + 4;
    int inside = w >= need + 8 && height >= 14;
    if (!inside) {
        if (l->label_end[b->row] > x) {
            return;
        }
        lx = x;
        ly = row_y(l, b->row) + TL_BAR + 11;
        l->label_end[b->row] = x + need + 6;
    }
    tr_buf_adds(out, "<text class=\"fte\" x=\"");
    svg_num(out, lx);
    tr_buf_adds(out, "\" y=\"");
    svg_num(out, ly);
    tr_buf_addf(out, "\"%s>%s</text>", inside && counts ? " style=\"fill:#fff\"" : "", label);
}

static void svg_bar(const struct tr_json *d, struct timeline *t, const struct bar *b,
                    struct tr_buf *out)
{
    struct tr_buf plain;
    char a[11], z[11];
    int counts = report_bool(b->record, "counts");
    double fte = b->has_fte ? b->fte : 1;
    double height = fte * TL_BAR < 4 ? 4 : fte * TL_BAR;
    double y = row_y(&t->lanes[b->lane], b->row) + (TL_BAR - height);
    double x = x_of(t, b->from), w = x_of(t, b->until + 1) - x;
    tr_buf_init(&plain);
    tr_buf_addf(out, "<g><rect class=\"bar%s%s\" x=\"", b->appointment ? " appointment" : "",
                counts ? "" : " out");
    svg_num(out, x);
    tr_buf_adds(out, "\" y=\"");
    svg_num(out, y);
    tr_buf_adds(out, "\" width=\"");
    svg_num(out, w < 1.5 ? 1.5 : w);
    tr_buf_adds(out, "\" height=\"");
    svg_num(out, height);
    tr_buf_adds(out, "\" rx=\"2\"><title>");
    report_day(report_str(b->record, "validFrom"), a);
    report_day(report_str(b->record, "validUntil"), z);
    tr_buf_addf(&plain, "%s to %s: ", a, z);
    report_summary(d, b->record, &plain);
    tr_buf_addf(&plain, " (record %s)", report_str(b->record, "record"));
    if (!counts && report_str(b->record, "reason") != NULL) {
        tr_buf_addf(&plain, " does not count: %s", report_str(b->record, "reason"));
    }
    hp(out, &plain);
    tr_buf_adds(out, "</title></rect>");
    if (b->has_fte) {
        svg_fte(t, b, x, w, height, counts, out);
    }
    tr_buf_adds(out, "</g>\n");
    tr_buf_release(&plain);
}

static void svg_ticks(const struct timeline *t, double height, struct tr_buf *out)
{
    int y0, y1, m, dd;
    tr_date_to_civil(t->first, &y0, &m, &dd);
    tr_date_to_civil(t->last, &y1, &m, &dd);
    int step = (y1 - y0 + 15) / 16;
    for (int y = y0; y <= y1; y += step > 0 ? step : 1) {
        double x = x_of(t, tr_date_from_civil(y, 1, 1));
        tr_buf_adds(out, "<line class=\"tick\" x1=\"");
        svg_num(out, x);
        tr_buf_adds(out, "\" x2=\"");
        svg_num(out, x);
        tr_buf_addf(out, "\" y1=\"%d\" y2=\"", TL_TOP - 6);
        svg_num(out, height - 8);
        tr_buf_adds(out, "\"/>");
        if (x + 34 <= TL_WIDTH) {
            tr_buf_adds(out, "<text class=\"year\" x=\"");
            svg_num(out, x + 3);
            tr_buf_addf(out, "\" y=\"%d\">%d</text>\n", TL_TOP - 10, y);
        }
    }
}

static void timeline(const struct tr_json *d, struct tr_buf *out)
{
    struct timeline *t = calloc(1, sizeof *t);
    struct tr_buf plain;
    int64_t as_of = day_of(report_str(d, "asOf"));
    tr_buf_init(&plain);
    tr_buf_adds(out, "<section>\n<h2>Appointments and placements</h2>\n");
    if (t == NULL) {
        out->err = out->err != TR_OK ? out->err : TR_ENOMEM;
        goto out;
    }
    collect(d, t);
    if (t->nbars == 0 || as_of == INT64_MIN) {
        tr_buf_adds(out, "<p class=\"muted\">No appointments or placements.</p>\n");
        goto out;
    }
    const struct tr_json *window = report_get(practice_window(d), "window");
    span(t, as_of, day_of(report_str(window, "from")));
    qsort(t->bars, t->nbars, sizeof t->bars[0], by_lane_and_start);
    double bottom = layout(t), height = bottom + 20;
    tr_buf_addf(out, "<figure>\n<svg class=\"timeline\" viewBox=\"0 0 %d ", TL_WIDTH);
    svg_num(out, height);
    tr_buf_adds(out, "\" role=\"img\" aria-label=\"Timeline of appointments and placements\">\n");
    for (size_t i = 0; i < t->nlanes; i++) {
        const struct lane *l = &t->lanes[i];
        tr_buf_addf(out, "<rect class=\"lane\" x=\"0\" y=\"");
        svg_num(out, l->top + 2);
        tr_buf_addf(out, "\" width=\"%d\" height=\"", TL_WIDTH);
        svg_num(out, (double)l->rows * TL_ROW + 2);
        tr_buf_adds(out, "\"/><text class=\"label\" x=\"6\" y=\"");
        svg_num(out, row_y(l, 0) + TL_BAR / 2.0 + 4);
        tr_buf_adds(out, "\">");
        lane_label(d, &t->lanes[i], &plain);
        /* A lane label longer than its column is cut, whole characters kept. */
        size_t cut = plain.len;
        for (size_t n = 0, k = 0; k < plain.len; k++) {
            if (((unsigned char)plain.data[k] & 0xC0) != 0x80 && ++n > 40) {
                cut = k;
                break;
            }
        }
        if (cut < plain.len) {
            tr_buf_truncate(&plain, cut);
            tr_buf_adds(&plain, "…");
        }
        hp(out, &plain);
        tr_buf_adds(out, "</text>\n");
    }
    if (report_str(window, "from") != NULL) {
        double x = x_of(t, day_of(report_str(window, "from")));
        double w = x_of(t, day_of(report_str(window, "until")) + 1) - x;
        tr_buf_adds(out, "<rect class=\"window\" x=\"");
        svg_num(out, x);
        tr_buf_addf(out, "\" y=\"%d\" width=\"", TL_TOP);
        svg_num(out, w);
        tr_buf_adds(out, "\" height=\"");
        svg_num(out, bottom - TL_TOP);
        tr_buf_adds(out, "\"><title>the window of the enterprise practice criterion: ");
        h(out, report_str(window, "from"));
        tr_buf_adds(out, " to ");
        h(out, report_str(window, "until"));
        tr_buf_adds(out, "</title></rect>\n");
    }
    svg_ticks(t, height, out);
    for (size_t i = 0; i < t->nbars; i++) {
        svg_bar(d, t, &t->bars[i], out);
    }
    double x = x_of(t, as_of);
    tr_buf_adds(out, "<line class=\"asof\" x1=\"");
    svg_num(out, x);
    tr_buf_adds(out, "\" x2=\"");
    svg_num(out, x);
    tr_buf_addf(out, "\" y1=\"%d\" y2=\"", TL_TOP - 4);
    svg_num(out, height - 14);
    tr_buf_adds(out, "\"/><text class=\"asoftext\" text-anchor=\"end\" x=\"");
    svg_num(out, x - 3);
    tr_buf_adds(out, "\" y=\"");
    svg_num(out, height - 4);
    tr_buf_adds(out, "\">as of ");
    h(out, report_str(d, "asOf"));
    tr_buf_adds(out, "</text>\n</svg>\n<figcaption>A lane per kind and organisation; a bar's "
                     "height is its FTE (placements) or workload share (appointments). Grey "
                     "dashed bars do not count. The shaded band is the enterprise practice "
                     "window; the red line the as-of date.</figcaption>\n</figure>\n");
out:
    tr_buf_adds(out, "</section>\n");
    tr_buf_release(&plain);
    free(t);
}

/* ---- Records ---- */

static void records(const struct tr_json *d, struct tr_buf *out)
{
    const struct tr_json *groups = report_get(d, "records");
    struct tr_buf plain;
    tr_buf_init(&plain);
    tr_buf_adds(out, "<section>\n<h2>Records</h2>\n");
    if (!tr_json_is(groups, TR_JSON_ARRAY) || groups->u.array.len == 0) {
        tr_buf_adds(out, "<p class=\"muted\">No records.</p>\n");
    }
    for (size_t g = 0; tr_json_is(groups, TR_JSON_ARRAY) && g < groups->u.array.len; g++) {
        const struct tr_json *group = groups->u.array.items[g];
        const struct tr_json *list = report_get(group, "records");
        tr_buf_adds(out, "<h3>");
        h(out, report_str(group, "kind"));
        tr_buf_adds(out, " <span class=\"muted\">");
        hnum(out, report_num(group, "count", NULL));
        tr_buf_adds(out, ", ");
        hnum(out, report_num(group, "counting", NULL));
        tr_buf_adds(out, " counting</span></h3>\n<table>\n<colgroup><col class=\"idcol\">"
                         "<col class=\"status\"><col class=\"leaf\"><col></colgroup>\n<thead>"
                         "<tr><th>Record</th><th>Status</th><th>Leaf</th><th>Content</th></tr>"
                         "</thead>\n<tbody>\n");
        for (size_t i = 0; tr_json_is(list, TR_JSON_ARRAY) && i < list->u.array.len; i++) {
            const struct tr_json *r = list->u.array.items[i];
            int counts = report_bool(r, "counts");
            tr_buf_adds(out, "<tr><td class=\"id\">");
            h(out, report_str(r, "record"));
            tr_buf_adds(out, "</td><td>");
            badge(out, counts, counts ? "counts" : report_str(r, "code"));
            tr_buf_adds(out, "</td><td class=\"num\">");
            hnum(out, report_num(r, "leaf", NULL));
            tr_buf_adds(out, "</td><td>");
            report_summary(d, r, &plain);
            hp(out, &plain);
            if (report_bool(r, "related")) {
                tr_buf_adds(out, " <span class=\"muted\">(named by a recognition)</span>");
            }
            if (report_str(r, "reason") != NULL) {
                tr_buf_adds(out, "<div class=\"reason\">");
                h(out, report_str(r, "reason"));
                tr_buf_adds(out, "</div>");
            }
            tr_buf_adds(out, "</td></tr>\n");
        }
        tr_buf_adds(out, "</tbody>\n</table>\n");
    }
    tr_buf_adds(out, "</section>\n");
    tr_buf_release(&plain);
}

/* ---- Policies ---- */

static void entries(const struct tr_json *list, int counted, struct tr_buf *out)
{
    struct tr_buf plain;
    if (!tr_json_is(list, TR_JSON_ARRAY) || list->u.array.len == 0) {
        return;
    }
    tr_buf_init(&plain);
    tr_buf_addf(out,
                "<table>\n<colgroup><col class=\"idcol\"><col>%s</colgroup>\n<thead><tr>"
                "<th>%s</th>%s</tr></thead>\n<tbody>\n",
                counted ? "<col>" : "", counted ? "Counted" : "Left out",
                counted ? "<th>Share</th><th>Detail</th>" : "<th>Reason</th>");
    for (size_t i = 0; i < list->u.array.len; i++) {
        const struct tr_json *e = list->u.array.items[i];
        const char *id = report_str(e, "record");
        tr_buf_addf(&plain, "%.*s", REPORT_SHORT_ID, id != NULL ? id : "");
        tr_buf_adds(out, "<tr><td><code>");
        hp(out, &plain);
        tr_buf_adds(out, "</code> <span class=\"muted\">");
        h(out, report_str(e, "kind"));
        tr_buf_adds(out, "</span></td>");
        if (counted) {
            tr_buf_adds(out, "<td class=\"num\">");
            hnum(out, report_num(e, "contribution", NULL));
            tr_buf_adds(out, "</td><td>");
            report_detail(report_get(e, "detail"), &plain);
            hp(out, &plain);
        } else {
            tr_buf_adds(out, "<td class=\"reason\">");
            h(out, report_str(e, "reason"));
        }
        tr_buf_adds(out, "</td></tr>\n");
    }
    tr_buf_adds(out, "</tbody>\n</table>\n");
    tr_buf_release(&plain);
}

static void criterion(const struct tr_json *c, struct tr_buf *out)
{
    const struct tr_json *detail = report_get(c, "detail");
    int met = str_is(report_str(c, "verdict"), "met");
    struct tr_buf plain;
    tr_buf_init(&plain);
    tr_buf_addf(out, "<div class=\"criterion %s\">\n<div class=\"head\">\n<h4><code>",
                met ? "met" : "unmet");
    h(out, report_str(c, "id"));
    tr_buf_adds(out, "</code> ");
    h(out, report_str(c, "title"));
    tr_buf_adds(out, "</h4>\n<p><strong>");
    report_figure(c, &plain);
    hp(out, &plain);
    tr_buf_adds(out, "</strong> ");
    badge(out, met, met ? "met" : "not met");
    tr_buf_adds(out, "<br><span class=\"muted\">Window: ");
    report_window(c, &plain);
    hp(out, &plain);
    if (report_str(c, "basis") != NULL) {
        tr_buf_adds(out, " · basis: ");
        h(out, report_str(c, "basis"));
    }
    if (tr_json_is(detail, TR_JSON_OBJECT) && detail->u.object.len > 0) {
        tr_buf_adds(out, " · ");
        report_detail(detail, &plain);
        hp(out, &plain);
    }
    tr_buf_adds(out, "</span></p>\n</div>\n");
    entries(report_get(c, "counted"), 1, out);
    entries(report_get(c, "excluded"), 0, out);
    tr_buf_adds(out, "</div>\n");
    tr_buf_release(&plain);
}

static void policies(const struct tr_json *d, struct tr_buf *out)
{
    const struct tr_json *list = report_get(d, "policies");
    if (!tr_json_is(list, TR_JSON_ARRAY) || list->u.array.len == 0) {
        return;
    }
    tr_buf_adds(out, "<section>\n<h2>Policies</h2>\n");
    for (size_t p = 0; p < list->u.array.len; p++) {
        const struct tr_json *r = list->u.array.items[p];
        const struct tr_json *policy = report_get(r, "policy");
        const struct tr_json *criteria = report_get(r, "criteria");
        int eligible = str_is(report_str(r, "verdict"), "eligible");
        tr_buf_adds(out, "<h3><code>");
        h(out, report_str(policy, "id"));
        tr_buf_adds(out, "</code> version ");
        hnum(out, report_num(policy, "version", NULL));
        tr_buf_adds(out, " ");
        badge(out, eligible, eligible ? "eligible" : "not eligible");
        tr_buf_adds(out, "</h3>\n<p>");
        h(out, report_str(policy, "title"));
        if (report_bool(policy, "example")) {
            tr_buf_adds(out, " <em>(an example, not an official rule)</em>");
        }
        tr_buf_adds(out, "</p>\n");
        for (size_t i = 0; tr_json_is(criteria, TR_JSON_ARRAY) && i < criteria->u.array.len; i++) {
            criterion(criteria->u.array.items[i], out);
        }
        entries(report_get(r, "excluded"), 0, out);
    }
    tr_buf_adds(out, "</section>\n");
}

int tr_report_dossier_html(const struct tr_json *dossier, struct tr_buf *out, struct tr_error *err)
{
    if (report_str(dossier, "person") == NULL ||
        !tr_json_is(report_get(dossier, "policies"), TR_JSON_ARRAY)) {
        return tr_error_set(err, TR_EINVAL, "not a dossier");
    }
    tr_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>Dossier of ");
    h(out, report_str(dossier, "person"));
    tr_buf_addf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
    header(dossier, out);
    summary(dossier, out);
    timeline(dossier, out);
    records(dossier, out);
    policies(dossier, out);
    tr_buf_adds(out, "<footer>Made by talentreg " TR_VERSION_STRING " from log size ");
    hnum(out, report_num(report_get(dossier, "basis"), "logSize", NULL));
    tr_buf_adds(out, " as of ");
    h(out, report_str(dossier, "asOf"));
    tr_buf_adds(out, ". Each record was judged as the archive stood at that log size.</footer>\n"
                     "</body>\n</html>\n");
    if (out->err != TR_OK) {
        return tr_error_set(err, out->err, "cannot write the dossier: %s", tr_strerror(out->err));
    }
    return TR_OK;
}
