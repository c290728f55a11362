/*
 * yaml.c — bounded YAML loading through libyaml's event API (contract in talentreg/yaml.h).
 *
 * libyaml's document loader builds a whole node graph with aliases before anyone can look at
 * it; here every event is checked as it arrives and the JSON tree is built directly, so an
 * input fails at the first event that breaks a rule or a limit.
 *
 * Positions. libyaml's marks count characters; the limits count bytes. The read handler sees
 * every raw byte, so a cursor follows the events through the input and turns each event's
 * character index into a byte offset (and turns the byte offset of a UTF-8 error, which
 * libyaml reports without a line, into a line and column). File input keeps the bytes the
 * cursor has not passed yet in a window; memory input is its own window.
 *
 * Memory. A document's bytes are counted from the end of the previous document (or the start
 * of the stream). Events over max_bytes fail at once; and because libyaml reads a whole scalar
 * before it reports it, the read handler itself refuses to read once more than max_bytes plus
 * READ_SLACK bytes were read since the document's count started. READ_SLACK covers libyaml's
 * read-ahead (16 KiB raw and 48 KiB decoded buffers, about 1,024 characters of simple-key
 * look-ahead), so when the handler refuses, the document really is over max_bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "talentreg/yaml.h"
#include "utf8.h"

#define CORE_TAG "tag:yaml.org,2002:"
#define READ_SLACK ((size_t)256 << 10)
/* Bytes of file input before the cursor that may stay in the window before it is compacted. */
#define WINDOW_KEEP ((size_t)64 << 10)
/* Longest quoted subject (key, tag, literal) in a message, in bytes. */
#define SUBJECT_MAX 64
/* Objects with fewer members are searched for duplicates without an index. */
#define INDEX_FROM 16
/* Integers of larger magnitude are not all exactly representable as doubles. */
#define INT_EXACT_MAX (UINT64_C(1) << 53)

/* An open sequence or mapping. */
struct frame {
    struct tr_json *node; /* the array or object being filled, owned by the tree */
    char *key;            /* object: the key waiting for its value, or NULL */
    size_t key_len;
    struct tr_pos key_pos;
    size_t *slots; /* object with INDEX_FROM+ members: member index + 1, 0 = empty */
    size_t nslots; /* a power of two, more than twice the members */
};

struct tr_yaml_reader {
    yaml_parser_t parser;
    int parser_ready;
    struct tr_limits limits;
    char *name;

    /* Input: a file descriptor, or memory. */
    int fd;                   /* -1 for memory input */
    int close_fd;             /* 0 for standard input */
    const unsigned char *mem; /* memory input */
    size_t mem_len;
    size_t fed;           /* raw bytes handed to libyaml so far */
    struct tr_buf window; /* file input: raw bytes from window_off up to fed */
    size_t window_off;

    /* The cursor: the end of the latest event, as libyaml counts it and in raw bytes. */
    size_t cur_index;
    size_t cur_byte;
    size_t cur_line; /* 0-based, as in yaml_mark_t */
    size_t cur_col;
    size_t doc_base; /* raw offset the current document's bytes are counted from */

    /* Why the read handler refused: TR_ELIMIT, TR_EIO or TR_ENOMEM; 0 when it did not. */
    int stop;
    int stop_errno;
    yaml_mark_t stop_mark;

    int ended;              /* the stream end was reached */
    yaml_mark_t end_mark;   /* where it was */
    int code;               /* sticky: the first failure, TR_OK while none */
    char msg[TR_ERROR_MAX]; /* its message */

    /* The document being built. */
    struct frame *stack;
    size_t depth;
    size_t cap;
    size_t nodes;
};

/* Record the reader's (sticky) failure with the input's name and a 1-based position. */
static int vfail_at(struct tr_yaml_reader *r, int code, size_t line, size_t col, const char *fmt,
                    va_list ap) __attribute__((format(printf, 5, 0)));

static int vfail_at(struct tr_yaml_reader *r, int code, size_t line, size_t col, const char *fmt,
                    va_list ap)
{
    char what[TR_ERROR_MAX];
    vsnprintf(what, sizeof what, fmt, ap);
    struct tr_error e;
    tr_error_set(&e, code, "'%s' line %zu column %zu: %s", r->name, line, col, what);
    memcpy(r->msg, e.msg, sizeof r->msg);
    r->code = code;
    return code;
}

static int fail_at(struct tr_yaml_reader *r, int code, size_t line, size_t col, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

static int fail_at(struct tr_yaml_reader *r, int code, size_t line, size_t col, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(r, code, line, col, fmt, ap);
    va_end(ap);
    return code;
}

static void locate(const struct tr_yaml_reader *r, size_t off, size_t *line, size_t *col);

/*
 * mark_position — the 1-based line and column of libyaml mark m. At the end of a stream that
 * does not end with a line break, libyaml moves its mark to column 0 of a line after the last
 * one; that is where the input ends, after the last character of its last line. Only a mark
 * at or after the cursor can be there: one at the cursor takes the cursor's position (which
 * advance keeps true), one after it (a failure's) is counted to.
 */
static void mark_position(const struct tr_yaml_reader *r, yaml_mark_t m, size_t *line, size_t *col)
{
    size_t end_line, end_col;
    *line = m.line + 1;
    *col = m.column + 1;
    if (!r->parser.eof || m.column != 0 || m.line == 0 || m.index < r->cur_index) {
        return;
    }
    if (m.index == r->cur_index) {
        if (r->cur_byte != r->fed) {
            return;
        }
        end_line = r->cur_line + 1;
        end_col = r->cur_col + 1;
    } else {
        locate(r, r->fed, &end_line, &end_col);
    }
    if (m.line == end_line) {
        *line = end_line;
        *col = end_col;
    }
}

/* fail — a failure at libyaml mark m. */
static int fail(struct tr_yaml_reader *r, int code, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct tr_yaml_reader *r, int code, yaml_mark_t m, const char *fmt, ...)
{
    size_t line, col;
    va_list ap;
    mark_position(r, m, &line, &col);
    va_start(ap, fmt);
    vfail_at(r, code, line, col, fmt, ap);
    va_end(ap);
    return code;
}

/* fail_plain — a failure without a position (the input as a whole). */
static int fail_plain(struct tr_yaml_reader *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_plain(struct tr_yaml_reader *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct tr_error e;
    char what[TR_ERROR_MAX];
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    tr_error_set(&e, code, "%s", what);
    memcpy(r->msg, e.msg, sizeof r->msg);
    r->code = code;
    return code;
}

/*
 * subject — s made fit to quote in a message: at most SUBJECT_MAX bytes cut at a character
 * boundary ("..." marks the cut), control characters as '?', and every byte over 0x7F as '?'
 * too unless s is valid UTF-8. Returns out, which needs SUBJECT_MAX + 4 bytes.
 */
static const char *subject(char *out, const char *s, size_t len)
{
    size_t n = len;
    int ascii_only = !tr_utf8_valid(s, len);
    if (n > SUBJECT_MAX) {
        n = SUBJECT_MAX;
        while (!ascii_only && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = c < 0x20 || c == 0x7F || (ascii_only && c > 0x7F) ? '?' : (char)c;
    }
    memcpy(out + n, n < len ? "..." : "", n < len ? 4 : 1);
    return out;
}

/* tag_subject — tag as written in short form (!!int for the core tags), quotable. */
static const char *tag_subject(char *out, const char *tag)
{
    char shorter[SUBJECT_MAX + 8];
    if (strncmp(tag, CORE_TAG, strlen(CORE_TAG)) == 0) {
        snprintf(shorter, sizeof shorter, "!!%s", tag + strlen(CORE_TAG));
        tag = shorter;
    }
    return subject(out, tag, strlen(tag));
}

/* ---- input ---------------------------------------------------------------------------- */

/* read_input — libyaml's read handler: hands out the next bytes, or refuses (see the top). */
static int read_input(void *data, unsigned char *buffer, size_t size, size_t *size_read)
{
    struct tr_yaml_reader *r = data;
    size_t n = 0;
    *size_read = 0;
    if (r->fed - r->doc_base > r->limits.max_bytes + READ_SLACK) {
        r->stop = TR_ELIMIT;
        r->stop_mark = r->parser.mark;
        return 0;
    }
    if (r->fd < 0) {
        n = r->mem_len - r->fed < size ? r->mem_len - r->fed : size;
        memcpy(buffer, r->mem + r->fed, n);
    } else {
        ssize_t got;
        do {
            got = read(r->fd, buffer, size);
        } while (got < 0 && errno == EINTR);
        if (got < 0) {
            r->stop = TR_EIO;
            r->stop_errno = errno;
            return 0;
        }
        n = (size_t)got;
        if (tr_buf_add(&r->window, buffer, n) != TR_OK) {
            r->stop = r->window.err;
            return 0;
        }
    }
    r->fed += n;
    *size_read = n;
    return 1;
}

/* input_at — the raw byte at offset off, which the cursor has not passed and libyaml has read. */
static unsigned char input_at(const struct tr_yaml_reader *r, size_t off)
{
    return r->fd < 0 ? r->mem[off] : (unsigned char)r->window.data[off - r->window_off];
}

/* utf8_width — bytes of the UTF-8 sequence starting with lead byte c (1 for a stray byte). */
static size_t utf8_width(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/*
 * advance — move the cursor to character index m.index, then take m's line and column.
 * The characters before it were decoded by libyaml, so they are well-formed.
 */
static void advance(struct tr_yaml_reader *r, yaml_mark_t m)
{
    if (r->cur_byte == 0 && r->fed >= 3 && input_at(r, 0) == 0xEF && input_at(r, 1) == 0xBB &&
        input_at(r, 2) == 0xBF) {
        r->cur_byte = 3; /* libyaml does not count the byte order mark */
    }
    size_t byte = r->cur_byte;
    size_t index = r->cur_index;
    while (index < m.index && byte < r->fed) {
        size_t w = utf8_width(input_at(r, byte));
        byte = byte + w < r->fed ? byte + w : r->fed;
        index++;
    }
    if (index == m.index) {
        size_t line = m.line + 1, col = m.column + 1;
        if (r->parser.eof && byte == r->fed && m.column == 0 && m.line > 0) {
            /* Perhaps libyaml's own line after an input that ends without a line break
             * (see mark_position): count from the cursor instead. */
            locate(r, byte, &line, &col);
            if (line != m.line) {
                line = m.line + 1;
                col = m.column + 1;
            }
        }
        r->cur_line = line - 1;
        r->cur_col = col - 1;
    }
    r->cur_byte = byte;
    r->cur_index = index;
    if (r->fd >= 0) {
        size_t drop = r->cur_byte - r->window_off;
        if (drop >= WINDOW_KEEP && drop >= r->window.len / 2) {
            size_t keep = r->window.len - drop;
            memmove(r->window.data, r->window.data + drop, keep);
            tr_buf_truncate(&r->window, keep);
            r->window_off += drop;
        }
    }
}

/*
 * locate — line and column (1-based) of raw offset off at or after the cursor, counting as
 * libyaml does: characters per column, CR LF as one break, NEL, LS and PS as breaks.
 */
static void locate(const struct tr_yaml_reader *r, size_t off, size_t *line, size_t *col)
{
    size_t ln = r->cur_line;
    size_t cl = r->cur_col;
    size_t i = r->cur_byte;
    off = off < r->fed ? off : r->fed;
    if (i == 0 && off >= 3 && input_at(r, 0) == 0xEF && input_at(r, 1) == 0xBB &&
        input_at(r, 2) == 0xBF) {
        i = 3; /* the byte order mark takes no column */
    }
    while (i < off) {
        unsigned char c = input_at(r, i);
        unsigned char c1 = i + 1 < r->fed ? input_at(r, i + 1) : 0;
        unsigned char c2 = i + 2 < r->fed ? input_at(r, i + 2) : 0;
        size_t w = utf8_width(c);
        int brk = c == '\n' || (c == '\r' && c1 != '\n') || (c == 0xC2 && c1 == 0x85) ||
                  (c == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9));
        if (brk) {
            ln++;
            cl = 0;
        } else if (c != '\r') {
            cl++;
        }
        i += w;
    }
    *line = ln + 1;
    *col = cl + 1;
}

/* reader_failure — turn a libyaml reader error (bad bytes, or the handler refusing) into ours. */
static int reader_failure(struct tr_yaml_reader *r)
{
    const yaml_parser_t *p = &r->parser;
    const char *problem = p->problem != NULL ? p->problem : "";
    size_t line;
    size_t col;
    if (r->stop == TR_ELIMIT) {
        return fail(r, TR_ELIMIT, r->stop_mark, "document larger than %zu bytes",
                    r->limits.max_bytes);
    }
    if (r->stop == TR_EIO) {
        return fail_plain(r, TR_EIO, "cannot read '%s': %s", r->name, strerror(r->stop_errno));
    }
    if (r->stop != 0) {
        return fail_plain(r, r->stop, "cannot read '%s': %s", r->name, tr_strerror(r->stop));
    }
    if (p->encoding != YAML_UTF8_ENCODING && p->encoding != YAML_ANY_ENCODING) {
        return fail_at(r, TR_EPARSE, 1, 1, "input is UTF-16; only UTF-8 is accepted");
    }
    locate(r, p->problem_offset, &line, &col);
    if (strcmp(problem, "invalid leading UTF-8 octet") == 0) {
        return fail_at(r, TR_EPARSE, line, col,
                       "invalid UTF-8: byte 0x%02x cannot start a character",
                       (unsigned)p->problem_value & 0xFFu);
    }
    if (strcmp(problem, "invalid trailing UTF-8 octet") == 0) {
        return fail_at(r, TR_EPARSE, line, col,
                       "invalid UTF-8: byte 0x%02x cannot continue a character",
                       (unsigned)p->problem_value & 0xFFu);
    }
    if (strcmp(problem, "incomplete UTF-8 octet sequence") == 0) {
        return fail_at(r, TR_EPARSE, line, col, "invalid UTF-8: truncated character at the end");
    }
    if (strcmp(problem, "invalid length of a UTF-8 sequence") == 0) {
        return fail_at(r, TR_EPARSE, line, col, "invalid UTF-8: overlong encoding");
    }
    if (strcmp(problem, "invalid Unicode character") == 0) {
        return fail_at(r, TR_EPARSE, line, col,
                       "invalid UTF-8: U+%04X is a surrogate or beyond U+10FFFF",
                       (unsigned)p->problem_value);
    }
    if (strcmp(problem, "control characters are not allowed") == 0) {
        return fail_at(r, TR_EPARSE, line, col, "control character U+%04X is not allowed",
                       (unsigned)p->problem_value);
    }
    return fail_at(r, TR_EPARSE, line, col, "%s", problem);
}

/* is_tab_at — 1 when the character at libyaml mark m is a tab. */
static int is_tab_at(struct tr_yaml_reader *r, yaml_mark_t m)
{
    advance(r, m);
    return r->cur_index == m.index && r->cur_byte < r->fed && input_at(r, r->cur_byte) == '\t';
}

/* parse_failure — turn a failed yaml_parser_parse into the reader's sticky error. */
static int parse_failure(struct tr_yaml_reader *r)
{
    const yaml_parser_t *p = &r->parser;
    const char *problem = p->problem != NULL ? p->problem : "malformed YAML";
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        return fail_plain(r, TR_ENOMEM, "cannot load '%s': out of memory", r->name);
    case YAML_READER_ERROR:
        return reader_failure(r);
    default:
        break;
    }
    if (strcmp(problem, "found character that cannot start any token") == 0 &&
        is_tab_at(r, p->problem_mark)) {
        return fail(r, TR_EPARSE, p->problem_mark, "tabs are not allowed in indentation");
    }
    if (strcmp(problem, "found invalid Unicode character escape code") == 0) {
        return fail(r, TR_EPARSE, p->problem_mark,
                    "invalid escape: a surrogate or beyond U+10FFFF");
    }
    if (p->context != NULL) {
        size_t line, col;
        mark_position(r, p->context_mark, &line, &col);
        return fail(r, TR_EPARSE, p->problem_mark, "%s (%s at line %zu column %zu)", problem,
                    p->context, line, col);
    }
    return fail(r, TR_EPARSE, p->problem_mark, "%s", problem);
}

/*
 * next_event — the next event into *ev (the caller deletes it), with the cursor moved to its
 * end and the document's byte count checked. On failure there is no event to delete.
 */
static int next_event(struct tr_yaml_reader *r, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&r->parser, ev)) {
        return parse_failure(r);
    }
    advance(r, ev->end_mark);
    if (ev->type != YAML_STREAM_START_EVENT && ev->type != YAML_STREAM_END_EVENT &&
        r->cur_byte - r->doc_base > r->limits.max_bytes) {
        yaml_mark_t m = ev->start_mark;
        yaml_event_delete(ev);
        return fail(r, TR_ELIMIT, m, "document larger than %zu bytes", r->limits.max_bytes);
    }
    return TR_OK;
}

/* pos_of — the 1-based position of libyaml mark m (see mark_position). */
static struct tr_pos pos_of(const struct tr_yaml_reader *r, yaml_mark_t m)
{
    struct tr_pos p;
    size_t line, col;
    mark_position(r, m, &line, &col);
    p.line = (uint32_t)(line < UINT32_MAX ? line : UINT32_MAX);
    p.column = (uint32_t)(col < UINT32_MAX ? col : UINT32_MAX);
    return p;
}

/* ---- scalars -------------------------------------------------------------------------- */

/* What a scalar resolves to. */
enum kind { K_STRING, K_NULL, K_TRUE, K_FALSE, K_DEC, K_OCT, K_HEX, K_FLOAT, K_INFNAN };

static int all_in(const char *s, size_t len, const char *set)
{
    for (size_t i = 0; i < len; i++) {
        if (strchr(set, s[i]) == NULL) {
            return 0;
        }
    }
    return len > 0;
}

static int is_one_of(const char *s, size_t len, const char *const *words)
{
    for (size_t i = 0; words[i] != NULL; i++) {
        if (strlen(words[i]) == len && memcmp(words[i], s, len) == 0) {
            return 1;
        }
    }
    return 0;
}

/* is_float — [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static int is_float(const char *s, size_t len)
{
    size_t i = 0;
    size_t digits = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) {
        i++;
    }
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        i++;
        digits++;
    }
    if (i < len && s[i] == '.') {
        size_t frac = 0;
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
            frac++;
        }
        if (digits == 0 && frac == 0) {
            return 0;
        }
    } else if (digits == 0) {
        return 0;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t exp = 0;
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+')) {
            i++;
        }
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
            exp++;
        }
        if (exp == 0) {
            return 0;
        }
    }
    return i == len;
}

/* classify — the YAML 1.2 core schema's resolution of a plain scalar. */
static enum kind classify(const char *s, size_t len)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    static const char *const infnans[] = {".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf",
                                          "+.INF", "-.inf", "-.Inf", "-.INF", ".nan",
                                          ".NaN",  ".NAN",  NULL};
    if (is_one_of(s, len, nulls)) {
        return K_NULL;
    }
    if (is_one_of(s, len, trues)) {
        return K_TRUE;
    }
    if (is_one_of(s, len, falses)) {
        return K_FALSE;
    }
    if (is_one_of(s, len, infnans)) {
        return K_INFNAN;
    }
    if (len > 2 && s[0] == '0' && s[1] == 'o' && all_in(s + 2, len - 2, "01234567")) {
        return K_OCT;
    }
    if (len > 2 && s[0] == '0' && s[1] == 'x' && all_in(s + 2, len - 2, "0123456789abcdefABCDEF")) {
        return K_HEX;
    }
    size_t sign = len > 0 && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (all_in(s + sign, len - sign, "0123456789")) {
        return K_DEC;
    }
    return is_float(s, len) ? K_FLOAT : K_STRING;
}

/*
 * int_value — the value of an int literal of kind k. Returns 0, or -1 when its magnitude is
 * over 2^53 (not every such integer is a double, so none is accepted).
 */
static int int_value(const char *s, size_t len, enum kind k, double *out)
{
    unsigned base = k == K_HEX ? 16 : k == K_OCT ? 8 : 10;
    size_t i = k == K_DEC ? 0 : 2;
    int negative = 0;
    uint64_t v = 0;
    if (k == K_DEC && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        i = 1;
    }
    for (; i < len; i++) {
        char c = s[i];
        unsigned d = c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
        v = v * base + d;
        if (v > INT_EXACT_MAX) {
            return -1;
        }
    }
    *out = negative ? -(double)v : (double)v;
    return 0;
}

/*
 * new_number — a number node for literal s of kind k (K_DEC, K_OCT, K_HEX or K_FLOAT) whose
 * text is the literal, or the decimal form for octal and hex. On failure *out is NULL and the
 * reader's error is set.
 */
static int new_number(struct tr_yaml_reader *r, const char *s, size_t len, enum kind k,
                      yaml_mark_t m, struct tr_json **out)
{
    char sub[SUBJECT_MAX + 4];
    char text[32];
    double value = 0;
    const char *lit = s;
    size_t lit_len = len;
    *out = NULL;
    if (k == K_FLOAT) {
        char *end = NULL;
        value = strtod(s, &end);
        if (end != s + len) {
            return fail(r, TR_EPARSE, m, "'%s' is not a number", subject(sub, s, len));
        }
        if (!isfinite(value)) {
            return fail(r, TR_EPARSE, m, "number '%s' is out of range", subject(sub, s, len));
        }
    } else if (int_value(s, len, k, &value) != 0) {
        /* The value is not quoted: an unquoted id number must not reach a message. */
        return fail(r, TR_EPARSE, m, "%s",
                    "integer is too large (magnitude over 2^53); quote codes and id numbers");
    } else if (k != K_DEC) {
        snprintf(text, sizeof text, "%.0f", value);
        lit = text;
        lit_len = strlen(text);
    }
    struct tr_json *n = tr_json_new_number(value);
    char *t = malloc(lit_len + 1);
    if (n == NULL || t == NULL) {
        tr_json_free(n);
        free(t);
        return fail_plain(r, TR_ENOMEM, "cannot load '%s': out of memory", r->name);
    }
    memcpy(t, lit, lit_len);
    t[lit_len] = '\0';
    n->u.number.text = t;
    *out = n;
    return TR_OK;
}

/*
 * scalar_tag — 1 when tag is one of the core scalar tags, with *kinds set to the kinds of
 * enum kind it admits as a set of bits (0 for !!str, which takes any text); else 0.
 */
static int scalar_tag(const char *tag, unsigned *kinds)
{
    static const struct {
        const char *name;
        unsigned kinds;
    } tags[] = {
        {CORE_TAG "str", 0},
        {CORE_TAG "null", 1u << K_NULL},
        {CORE_TAG "bool", 1u << K_TRUE | 1u << K_FALSE},
        {CORE_TAG "int", 1u << K_DEC | 1u << K_OCT | 1u << K_HEX},
        {CORE_TAG "float", 1u << K_DEC | 1u << K_FLOAT | 1u << K_INFNAN},
    };
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        if (strcmp(tag, tags[i].name) == 0) {
            *kinds = tags[i].kinds;
            return 1;
        }
    }
    return 0;
}

/*
 * resolve — the node a scalar event denotes: plain untagged scalars under the core schema,
 * quoted ones and !!str as strings, the other core tags as their type. *kind_out gets the
 * kind. On failure the reader's error is set.
 */
static int resolve(struct tr_yaml_reader *r, const yaml_event_t *ev, enum kind *kind_out,
                   struct tr_json **out)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    char sub[SUBJECT_MAX + 4];
    char tsub[SUBJECT_MAX + 4];
    enum kind k = K_STRING;
    struct tr_json *n = NULL;
    *out = NULL;
    if (tag != NULL) {
        unsigned kinds = 0;
        if (strcmp(tag, CORE_TAG "map") == 0 || strcmp(tag, CORE_TAG "seq") == 0) {
            return fail(r, TR_EPARSE, ev->start_mark, "tag '%s' cannot be used on a scalar",
                        tag_subject(tsub, tag));
        }
        if (!scalar_tag(tag, &kinds)) {
            return fail(r, TR_EPARSE, ev->start_mark, "tag '%s' is not allowed",
                        tag_subject(tsub, tag));
        }
        if (kinds != 0) {
            k = classify(s, len);
            if ((kinds & 1u << k) == 0) {
                return fail(r, TR_EPARSE, ev->start_mark, "'%s' is not a valid %s",
                            subject(sub, s, len), tag_subject(tsub, tag));
            }
            if (k == K_DEC && (kinds & 1u << K_FLOAT) != 0) {
                k = K_FLOAT; /* !!float 1 is the float 1 */
            }
        }
    } else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        k = classify(s, len);
    }
    switch (k) {
    case K_STRING:
        n = tr_json_new_string(s, len);
        break;
    case K_NULL:
        n = tr_json_new_null();
        break;
    case K_TRUE:
    case K_FALSE:
        n = tr_json_new_bool(k == K_TRUE);
        break;
    case K_INFNAN:
        return fail(r, TR_EPARSE, ev->start_mark, "'%s' is not allowed: JSON numbers are finite",
                    subject(sub, s, len));
    default:
        if (new_number(r, s, len, k, ev->start_mark, &n) != TR_OK) {
            return r->code;
        }
        break;
    }
    if (n == NULL) {
        return fail_plain(r, TR_ENOMEM, "cannot load '%s': out of memory", r->name);
    }
    n->pos = pos_of(r, ev->start_mark);
    *kind_out = k;
    *out = n;
    return TR_OK;
}

/* ---- the tree ------------------------------------------------------------------------- */

static uint64_t hash_key(const char *s, size_t len)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
    }
    return h;
}

/* has_key — 1 when the object of frame f already holds key. */
static int has_key(const struct frame *f, const char *key, size_t len)
{
    const struct tr_json_member *ms = f->node->u.object.members;
    if (f->slots == NULL) {
        for (size_t i = 0; i < f->node->u.object.len; i++) {
            if (ms[i].key_len == len && memcmp(ms[i].key, key, len) == 0) {
                return 1;
            }
        }
        return 0;
    }
    for (size_t i = (size_t)hash_key(key, len) & (f->nslots - 1); f->slots[i] != 0;
         i = (i + 1) & (f->nslots - 1)) {
        const struct tr_json_member *m = &ms[f->slots[i] - 1];
        if (m->key_len == len && memcmp(m->key, key, len) == 0) {
            return 1;
        }
    }
    return 0;
}

static void slot_put(struct frame *f, size_t member)
{
    const struct tr_json_member *m = &f->node->u.object.members[member];
    size_t i = (size_t)hash_key(m->key, m->key_len) & (f->nslots - 1);
    while (f->slots[i] != 0) {
        i = (i + 1) & (f->nslots - 1);
    }
    f->slots[i] = member + 1;
}

/* index_last — enter the object's newest member into its index, building or growing it. */
static int index_last(struct frame *f)
{
    size_t len = f->node->u.object.len;
    if (len < INDEX_FROM) {
        return TR_OK;
    }
    if (f->slots != NULL && 2 * len < f->nslots) {
        slot_put(f, len - 1);
        return TR_OK;
    }
    size_t nslots = 4 * INDEX_FROM;
    while (nslots <= 2 * len) {
        nslots *= 2;
    }
    size_t *slots = calloc(nslots, sizeof *slots);
    if (slots == NULL) {
        return TR_ENOMEM;
    }
    free(f->slots);
    f->slots = slots;
    f->nslots = nslots;
    for (size_t i = 0; i < len; i++) {
        slot_put(f, i);
    }
    return TR_OK;
}

static void release_stack(struct tr_yaml_reader *r)
{
    for (size_t i = 0; i < r->depth; i++) {
        free(r->stack[i].key);
        free(r->stack[i].slots);
    }
    r->depth = 0;
}

/* attach — put node (owned) under the innermost open collection, or make it the root. */
static int attach(struct tr_yaml_reader *r, struct tr_json *node, struct tr_json **root)
{
    int rc;
    if (r->depth == 0) {
        *root = node;
        return TR_OK;
    }
    struct frame *f = &r->stack[r->depth - 1];
    if (f->node->type == TR_JSON_ARRAY) {
        rc = tr_json_array_append(f->node, node);
    } else {
        rc = tr_json_object_add(f->node, f->key, f->key_len, f->key_pos, node);
        free(f->key);
        f->key = NULL;
        if (rc == TR_OK) {
            rc = index_last(f);
        }
    }
    if (rc != TR_OK) {
        return fail_plain(r, rc, "cannot load '%s': %s", r->name, tr_strerror(rc));
    }
    return TR_OK;
}

/* wants_key — 1 when the next node is a key of the innermost mapping. */
static int wants_key(const struct tr_yaml_reader *r)
{
    const struct frame *f = r->depth > 0 ? &r->stack[r->depth - 1] : NULL;
    return f != NULL && f->node->type == TR_JSON_OBJECT && f->key == NULL;
}

/* count_node — one more value in the document, within max_nodes. */
static int count_node(struct tr_yaml_reader *r, yaml_mark_t m)
{
    if (r->nodes >= r->limits.max_nodes) {
        return fail(r, TR_ELIMIT, m, "more than %zu values", r->limits.max_nodes);
    }
    r->nodes++;
    return TR_OK;
}

/*
 * key_of — the key string of a resolved scalar: strings as they are, null as "null", booleans
 * as "true"/"false", integers in decimal, floats as written. Returns a new string or NULL.
 */
static char *key_of(const struct tr_json *n, enum kind k, size_t *len)
{
    char num[32];
    const char *s;
    size_t n_len;
    switch (n->type) {
    case TR_JSON_STRING:
        s = n->u.string.ptr;
        n_len = n->u.string.len;
        break;
    case TR_JSON_NULL:
        s = "null";
        n_len = 4;
        break;
    case TR_JSON_BOOL:
        s = n->u.boolean ? "true" : "false";
        n_len = strlen(s);
        break;
    default:
        if (k == K_FLOAT) {
            s = n->u.number.text;
        } else {
            snprintf(num, sizeof num, "%.0f", n->u.number.value == 0 ? 0.0 : n->u.number.value);
            s = num;
        }
        n_len = strlen(s);
        break;
    }
    char *key = malloc(n_len + 1);
    if (key != NULL) {
        memcpy(key, s, n_len);
        key[n_len] = '\0';
        *len = n_len;
    }
    return key;
}

static int on_scalar(struct tr_yaml_reader *r, const yaml_event_t *ev, struct tr_json **root)
{
    const char *s = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    yaml_mark_t m = ev->start_mark;
    struct tr_json *n = NULL;
    enum kind k = K_STRING;
    char sub[SUBJECT_MAX + 4];
    int rc = TR_OK;
    if (ev->data.scalar.anchor != NULL) {
        return fail(r, TR_EPARSE, m, "anchors and aliases are not allowed");
    }
    if (len > r->limits.max_scalar) {
        return fail(r, TR_ELIMIT, m, "scalar longer than %zu bytes", r->limits.max_scalar);
    }
    if (memchr(s, '\0', len) != NULL) {
        return fail(r, TR_EPARSE, m, "NUL is not allowed in a scalar");
    }
    if (!tr_utf8_valid(s, len)) {
        return fail(r, TR_EPARSE, m, "invalid UTF-8 in a scalar");
    }
    if (!wants_key(r)) {
        if (count_node(r, m) != TR_OK || resolve(r, ev, &k, &n) != TR_OK) {
            return r->code;
        }
        return attach(r, n, root);
    }
    struct frame *f = &r->stack[r->depth - 1];
    if (ev->data.scalar.tag == NULL && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        len == 2 && memcmp(s, "<<", 2) == 0) {
        return fail(r, TR_EPARSE, m, "merge keys ('<<') are not allowed");
    }
    if (resolve(r, ev, &k, &n) != TR_OK) {
        return r->code;
    }
    size_t key_len = 0;
    char *key = key_of(n, k, &key_len);
    if (key == NULL) {
        rc = fail_plain(r, TR_ENOMEM, "cannot load '%s': out of memory", r->name);
        goto out;
    }
    if (has_key(f, key, key_len)) {
        rc = fail(r, TR_EPARSE, m, "duplicate key '%s'", subject(sub, key, key_len));
        free(key);
        goto out;
    }
    f->key = key;
    f->key_len = key_len;
    f->key_pos = pos_of(r, m);
out:
    tr_json_free(n);
    return rc;
}

/* check_collection_tag — refuse a tag (NULL = none) other than !!seq / !!map respectively. */
static int check_collection_tag(struct tr_yaml_reader *r, const yaml_event_t *ev, const char *tag,
                                int is_seq)
{
    char tsub[SUBJECT_MAX + 4];
    unsigned kinds;
    if (tag == NULL || strcmp(tag, is_seq ? CORE_TAG "seq" : CORE_TAG "map") == 0) {
        return TR_OK;
    }
    if (scalar_tag(tag, &kinds) || strcmp(tag, is_seq ? CORE_TAG "map" : CORE_TAG "seq") == 0) {
        return fail(r, TR_EPARSE, ev->start_mark, "tag '%s' cannot be used on a %s",
                    tag_subject(tsub, tag), is_seq ? "sequence" : "mapping");
    }
    return fail(r, TR_EPARSE, ev->start_mark, "tag '%s' is not allowed", tag_subject(tsub, tag));
}

static int on_collection(struct tr_yaml_reader *r, const yaml_event_t *ev, struct tr_json **root)
{
    int is_seq = ev->type == YAML_SEQUENCE_START_EVENT;
    const yaml_char_t *anchor =
        is_seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
    const char *tag =
        (const char *)(is_seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag);
    yaml_mark_t m = ev->start_mark;
    if (anchor != NULL) {
        return fail(r, TR_EPARSE, m, "anchors and aliases are not allowed");
    }
    if (check_collection_tag(r, ev, tag, is_seq) != TR_OK) {
        return r->code;
    }
    if (wants_key(r)) {
        return fail(r, TR_EPARSE, m, "mapping keys must be scalars, not %s",
                    is_seq ? "sequences" : "mappings");
    }
    if (r->depth >= r->limits.max_depth) {
        return fail(r, TR_ELIMIT, m, "nesting deeper than %zu", r->limits.max_depth);
    }
    if (count_node(r, m) != TR_OK) {
        return r->code;
    }
    if (r->depth == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        struct frame *p = realloc(r->stack, cap * sizeof *p);
        if (p == NULL) {
            return fail_plain(r, TR_ENOMEM, "cannot load '%s': out of memory", r->name);
        }
        r->stack = p;
        r->cap = cap;
    }
    struct tr_json *n = is_seq ? tr_json_new_array() : tr_json_new_object();
    if (n == NULL) {
        return fail_plain(r, TR_ENOMEM, "cannot load '%s': out of memory", r->name);
    }
    n->pos = pos_of(r, m);
    if (attach(r, n, root) != TR_OK) {
        return r->code;
    }
    struct frame *f = &r->stack[r->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    return TR_OK;
}

/*
 * load_document — read events up to the end of the next document into *out (NULL at the end
 * of the stream). On failure the reader's sticky error is set and nothing is returned.
 */
static int load_document(struct tr_yaml_reader *r, struct tr_json **out)
{
    yaml_event_t ev;
    struct tr_json *root = NULL;
    int rc = TR_OK;
    int done = 0;
    *out = NULL;
    while (!done) {
        rc = next_event(r, &ev);
        if (rc != TR_OK) {
            goto out;
        }
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
            if (ev.data.stream_start.encoding != YAML_UTF8_ENCODING) {
                rc = fail(r, TR_EPARSE, ev.start_mark, "input is UTF-16; only UTF-8 is accepted");
            }
            r->doc_base = r->cur_byte; /* after a byte order mark */
            break;
        case YAML_STREAM_END_EVENT:
            r->ended = 1;
            r->end_mark = ev.start_mark;
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            r->nodes = 0;
            break;
        case YAML_DOCUMENT_END_EVENT:
            r->doc_base = r->cur_byte;
            done = 1;
            break;
        case YAML_ALIAS_EVENT:
            rc = fail(r, TR_EPARSE, ev.start_mark, "anchors and aliases are not allowed");
            break;
        case YAML_SCALAR_EVENT:
            rc = on_scalar(r, &ev, &root);
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            rc = on_collection(r, &ev, &root);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            r->depth--;
            free(r->stack[r->depth].slots);
            free(r->stack[r->depth].key);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (rc != TR_OK) {
            goto out;
        }
    }
    *out = root;
    root = NULL;
out:
    release_stack(r);
    tr_json_free(root);
    return rc;
}

/* ---- the API -------------------------------------------------------------------------- */

/* open_reader — a reader named name over input set up by the caller afterwards. */
static int open_reader(const char *name, const struct tr_limits *limits,
                       struct tr_yaml_reader **out, struct tr_error *err)
{
    struct tr_yaml_reader *r = NULL;
    int rc = TR_OK;
    *out = NULL;
    if (limits != NULL && (rc = tr_limits_check(limits, err)) != TR_OK) {
        goto out;
    }
    r = calloc(1, sizeof *r);
    if (r == NULL || (r->name = strdup(name)) == NULL) {
        rc = tr_error_set(err, TR_ENOMEM, "cannot read '%s': out of memory", name);
        goto out;
    }
    r->fd = -1;
    tr_buf_init(&r->window);
    if (limits != NULL) {
        r->limits = *limits;
    } else {
        tr_limits_default(&r->limits);
    }
    if (!yaml_parser_initialize(&r->parser)) {
        rc = tr_error_set(err, TR_ENOMEM, "cannot read '%s': out of memory", name);
        goto out;
    }
    r->parser_ready = 1;
    yaml_parser_set_input(&r->parser, read_input, r);
    *out = r;
    r = NULL;
out:
    tr_yaml_reader_free(r);
    return rc;
}

int tr_yaml_reader_open_file(const char *path, const struct tr_limits *limits,
                             struct tr_yaml_reader **out, struct tr_error *err)
{
    int is_stdin;
    int fd;
    int rc;
    if (out == NULL || path == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_yaml_reader_open_file: no path or no result");
    }
    *out = NULL;
    is_stdin = strcmp(path, "-") == 0;
    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return tr_error_set(err, TR_EIO, "cannot open '%s': %s", path, strerror(errno));
    }
    rc = open_reader(is_stdin ? "<stdin>" : path, limits, out, err);
    if (rc != TR_OK) {
        if (!is_stdin) {
            close(fd);
        }
        return rc;
    }
    (*out)->fd = fd;
    (*out)->close_fd = !is_stdin;
    return TR_OK;
}

int tr_yaml_reader_open_mem(const char *data, size_t len, const char *name,
                            const struct tr_limits *limits, struct tr_yaml_reader **out,
                            struct tr_error *err)
{
    int rc;
    if (out == NULL || (data == NULL && len > 0)) {
        return tr_error_set(err, TR_EINVAL, "tr_yaml_reader_open_mem: no data or no result");
    }
    rc = open_reader(name != NULL ? name : "<memory>", limits, out, err);
    if (rc == TR_OK) {
        (*out)->mem = (const unsigned char *)(data != NULL ? data : "");
        (*out)->mem_len = len;
    }
    return rc;
}

int tr_yaml_reader_next(struct tr_yaml_reader *r, struct tr_json **doc, struct tr_error *err)
{
    if (r == NULL || doc == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_yaml_reader_next: no reader or no result");
    }
    *doc = NULL;
    if (r->code == TR_OK && !r->ended) {
        load_document(r, doc);
    }
    if (r->code != TR_OK) {
        return tr_error_set(err, r->code, "%s", r->msg);
    }
    return TR_OK;
}

void tr_yaml_reader_free(struct tr_yaml_reader *r)
{
    if (r == NULL) {
        return;
    }
    if (r->parser_ready) {
        yaml_parser_delete(&r->parser);
    }
    if (r->close_fd) {
        close(r->fd); /* read-only: nothing was written that close could lose */
    }
    release_stack(r);
    free(r->stack);
    tr_buf_release(&r->window);
    free(r->name);
    free(r);
}

/* expect_end — after the first document: the stream must end. */
static int expect_end(struct tr_yaml_reader *r)
{
    yaml_event_t ev;
    int rc = next_event(r, &ev);
    if (rc != TR_OK) {
        return rc;
    }
    if (ev.type != YAML_STREAM_END_EVENT) {
        rc = fail(r, TR_EPARSE, ev.start_mark, "expected one document, found more");
    }
    yaml_event_delete(&ev);
    return rc;
}

int tr_yaml_load(const char *data, size_t len, const char *name, const struct tr_limits *limits,
                 struct tr_json **out, struct tr_error *err)
{
    struct tr_yaml_reader *r = NULL;
    struct tr_json *doc = NULL;
    int rc;
    if (out == NULL) {
        return tr_error_set(err, TR_EINVAL, "tr_yaml_load: no result");
    }
    *out = NULL;
    rc = tr_yaml_reader_open_mem(data, len, name, limits, &r, err);
    if (rc != TR_OK) {
        goto out;
    }
    rc = tr_yaml_reader_next(r, &doc, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (doc == NULL) {
        rc = fail(r, TR_EPARSE, r->end_mark, "expected one document, found none");
    } else {
        rc = expect_end(r);
    }
    if (rc != TR_OK) {
        tr_error_set(err, rc, "%s", r->msg);
        goto out;
    }
    *out = doc;
    doc = NULL;
out:
    tr_json_free(doc);
    tr_yaml_reader_free(r);
    return rc;
}
