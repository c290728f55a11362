/*
 * json_read.c — the strict JSON reader (RFC 8259). It builds the tree of json.h with the
 * line and column of every value and key, and enforces struct tr_limits while it reads:
 * the size before the first byte is parsed, the depth before a container is entered, the
 * value count and scalar sizes as they grow. It never recurses: nesting is an explicit
 * stack of at most max_depth containers.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_text.h"
#include "talentreg/json.h"
#include "utf8.h"

struct parser {
    const unsigned char *s;
    size_t len;
    size_t i;        /* the next byte to read */
    uint32_t line;   /* the line of byte i */
    size_t mark;     /* a byte on that line, at or before i, whose column is col */
    uint32_t col;
    const char *name;
    struct tr_limits lim;
    size_t nodes;          /* values created so far */
    struct tr_buf key;     /* the decoded key of the member whose value comes next */
    struct tr_pos key_pos; /* where that key was written */
    struct tr_buf str;     /* scratch: a string value or a number being decoded */
    struct tr_error *err;
};

static int fail(struct parser *p, int code, struct tr_pos at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct parser *p, int code, struct tr_pos at, const char *fmt, ...)
{
    char what[TR_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return tr_error_set(p->err, code, "'%s' line %u column %u: %s", p->name, (unsigned)at.line,
                        (unsigned)at.column, what);
}

/* The position of byte off, which is at or after the mark (positions are asked in order). */
static struct tr_pos pos_at(struct parser *p, size_t off)
{
    for (; p->mark < off; p->mark++) {
        if ((p->s[p->mark] & 0xC0) != 0x80) {
            p->col++;
        }
    }
    return (struct tr_pos){p->line, p->col};
}

static void new_line(struct parser *p, size_t start)
{
    p->line++;
    p->mark = start;
    p->col = 1;
}

/* Line breaks are LF, CR LF and a lone CR, as in the YAML reader. */
static void skip_ws(struct parser *p)
{
    while (p->i < p->len) {
        unsigned char c = p->s[p->i];
        if (c == ' ' || c == '\t') {
            p->i++;
        } else if (c == '\n' || c == '\r') {
            p->i++;
            if (c == '\r' && p->i < p->len && p->s[p->i] == '\n') {
                p->i++;
            }
            new_line(p, p->i);
        } else {
            break;
        }
    }
}

/* The position of byte off counted from the start (only for a document over max_bytes). */
static struct tr_pos pos_from_start(struct parser *p, size_t off)
{
    for (size_t i = 0; i < off; i++) {
        unsigned char c = p->s[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= p->len || p->s[i + 1] != '\n'))) {
            new_line(p, i + 1);
        }
    }
    return pos_at(p, off);
}

static int no_memory(struct parser *p, struct tr_pos at)
{
    return fail(p, TR_ENOMEM, at, "out of memory");
}

/* "expected WHAT, found X" for the byte at p->i; bytes that are not UTF-8 say so instead. */
static int expected(struct parser *p, const char *what)
{
    struct tr_pos at = pos_at(p, p->i);
    if (p->i >= p->len) {
        return fail(p, TR_EPARSE, at, "expected %s, found end of input", what);
    }
    unsigned char c = p->s[p->i];
    if (c > 0x20 && c < 0x7F) {
        return fail(p, TR_EPARSE, at, "expected %s, found '%c'", what, c);
    }
    uint32_t cp = c;
    if (c >= 0x80 && tr_utf8_decode(p->s + p->i, p->len - p->i, &cp) == 0) {
        return fail(p, TR_EPARSE, at, "invalid UTF-8");
    }
    return fail(p, TR_EPARSE, at, "expected %s, found U+%04X", what, (unsigned)cp);
}

static int hex4(const unsigned char *s, size_t n, size_t at, uint32_t *out)
{
    uint32_t v = 0;
    if (at + 4 > n) {
        return 0;
    }
    for (size_t i = at; i < at + 4; i++) {
        unsigned char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= (uint32_t)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            v |= (uint32_t)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            v |= (uint32_t)(c - 'A' + 10);
        } else {
            return 0;
        }
    }
    *out = v;
    return 1;
}

/* The escape whose backslash is at *ip, appended to dst decoded; *ip moves past it. */
static int parse_escape(struct parser *p, size_t *ip, struct tr_buf *dst, const char *what,
                        struct tr_pos start)
{
    const unsigned char *s = p->s;
    size_t bs = *ip, i = bs + 1, n = 1;
    unsigned char out[4];
    uint32_t cu, lo;
    char text[TR_JSON_SNIPPET_MAX];
    if (i >= p->len) {
        return fail(p, TR_EPARSE, start, "unterminated %s", what);
    }
    switch (s[i]) {
    case '"':
    case '\\':
    case '/':
        out[0] = s[i];
        break;
    case 'b':
        out[0] = '\b';
        break;
    case 'f':
        out[0] = '\f';
        break;
    case 'n':
        out[0] = '\n';
        break;
    case 'r':
        out[0] = '\r';
        break;
    case 't':
        out[0] = '\t';
        break;
    case 'u':
        if (!hex4(s, p->len, i + 1, &cu)) {
            size_t end = bs + 6 < p->len ? bs + 6 : p->len;
            tr_json_snippet((const char *)s + bs, end - bs, text);
            return fail(p, TR_EPARSE, pos_at(p, bs), "invalid escape '%s' in %s", text, what);
        }
        i += 4;
        if (cu == 0) {
            return fail(p, TR_EPARSE, pos_at(p, bs), "NUL character '\\u0000' in %s", what);
        }
        if (cu >= 0xD800 && cu <= 0xDBFF && i + 2 < p->len && s[i + 1] == '\\' &&
            s[i + 2] == 'u' && hex4(s, p->len, i + 3, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
            cu = 0x10000 + ((cu - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
        } else if (cu >= 0xD800 && cu <= 0xDFFF) {
            return fail(p, TR_EPARSE, pos_at(p, bs), "unpaired surrogate '\\u%04x' in %s",
                        (unsigned)cu, what);
        }
        n = tr_utf8_encode(cu, out);
        break;
    default:
        if (s[i] > 0x20 && s[i] < 0x7F) {
            return fail(p, TR_EPARSE, pos_at(p, bs), "invalid escape '\\%c' in %s", s[i], what);
        }
        return fail(p, TR_EPARSE, pos_at(p, bs), "invalid escape in %s", what);
    }
    if (dst->len + n > p->lim.max_scalar) {
        return fail(p, TR_ELIMIT, start, "%s longer than %zu bytes", what, p->lim.max_scalar);
    }
    tr_buf_add(dst, out, n);
    *ip = i + 1;
    return TR_OK;
}

/* The string whose opening quote is at p->i, decoded into dst. what: "string" or "key". */
static int parse_string(struct parser *p, struct tr_buf *dst, const char *what,
                        struct tr_pos start)
{
    const unsigned char *s = p->s;
    size_t i = p->i + 1;
    tr_buf_reset(dst);
    for (;;) {
        size_t run = i, k;
        uint32_t cp;
        while (i < p->len) {
            if (s[i] >= 0x80) {
                if ((k = tr_utf8_decode(s + i, p->len - i, &cp)) == 0) {
                    break;
                }
                i += k;
            } else if (s[i] >= 0x20 && s[i] != '"' && s[i] != '\\') {
                i++;
            } else {
                break;
            }
        }
        if (dst->len + (i - run) > p->lim.max_scalar) {
            return fail(p, TR_ELIMIT, start, "%s longer than %zu bytes", what,
                        p->lim.max_scalar);
        }
        tr_buf_add(dst, s + run, i - run);
        if (i >= p->len) {
            return fail(p, TR_EPARSE, start, "unterminated %s", what);
        }
        if (s[i] == '"') {
            i++;
            break;
        }
        if (s[i] == '\\') {
            int rc = parse_escape(p, &i, dst, what, start);
            if (rc != TR_OK) {
                return rc;
            }
        } else if (s[i] >= 0x80) {
            return fail(p, TR_EPARSE, pos_at(p, i), "invalid UTF-8");
        } else if (s[i] == 0) {
            return fail(p, TR_EPARSE, pos_at(p, i), "NUL character in %s", what);
        } else {
            return fail(p, TR_EPARSE, pos_at(p, i), "unescaped control character U+%04X in %s",
                        (unsigned)s[i], what);
        }
    }
    if (dst->err != TR_OK) {
        return no_memory(p, start);
    }
    p->i = i;
    return TR_OK;
}

static int is_number_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/*
 * The double a valid literal denotes. strtod is given the digits and a decimal exponent
 * only ("-12.5e3" as "-125e2"): with no decimal point, no locale can change the reading.
 * An exponent beyond ±10^9 is clamped; the value is then infinite or zero either way.
 */
static double number_value(struct parser *p, const char *text, size_t len, int *nomem)
{
    struct tr_buf *b = &p->str;
    size_t i = 0;
    long frac = 0, exp = 0;
    tr_buf_reset(b);
    if (text[i] == '-') {
        tr_buf_addc(b, '-');
        i++;
    }
    size_t int_start = i;
    while (i < len && is_digit((unsigned char)text[i])) {
        i++;
    }
    tr_buf_add(b, text + int_start, i - int_start);
    if (i < len && text[i] == '.') {
        size_t f = ++i;
        while (i < len && is_digit((unsigned char)text[i])) {
            i++;
        }
        tr_buf_add(b, text + f, i - f);
        frac = (long)(i - f);
    }
    if (i < len) {
        int neg = text[++i] == '-';
        if (text[i] == '-' || text[i] == '+') {
            i++;
        }
        for (; i < len; i++) {
            if (exp < 1000000000L) {
                exp = exp * 10 + (text[i] - '0');
            }
        }
        exp = neg ? -exp : exp;
    }
    tr_buf_addf(b, "e%ld", exp - frac);
    if (b->err != TR_OK) {
        *nomem = 1;
        return 0;
    }
    return strtod(b->data, NULL);
}

static int parse_number(struct parser *p, struct tr_pos start, struct tr_json **out)
{
    const unsigned char *s = p->s;
    size_t begin = p->i, end = p->i, i = p->i;
    char text[TR_JSON_SNIPPET_MAX];
    int nomem = 0;
    while (end < p->len && is_number_char(s[end])) {
        end++;
    }
    if (end - begin > p->lim.max_scalar) {
        return fail(p, TR_ELIMIT, start, "number longer than %zu bytes", p->lim.max_scalar);
    }
    tr_json_snippet((const char *)s + begin, end - begin, text);
    /* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? spanning exactly [begin, end) */
    if (i < end && s[i] == '-') {
        i++;
    }
    if (i + 1 < end && s[i] == '0' && is_digit(s[i + 1])) {
        return fail(p, TR_EPARSE, start, "leading zero in number '%s'", text);
    }
    int ok = i < end && is_digit(s[i]);
    while (i < end && is_digit(s[i])) {
        i++;
    }
    if (ok && i < end && s[i] == '.') {
        ok = ++i < end && is_digit(s[i]);
        while (i < end && is_digit(s[i])) {
            i++;
        }
    }
    if (ok && i < end && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < end && (s[i] == '+' || s[i] == '-')) {
            i++;
        }
        ok = i < end && is_digit(s[i]);
        while (i < end && is_digit(s[i])) {
            i++;
        }
    }
    if (!ok || i != end) {
        return fail(p, TR_EPARSE, start, "invalid number '%s'", text);
    }
    double v = number_value(p, (const char *)s + begin, end - begin, &nomem);
    if (nomem) {
        return no_memory(p, start);
    }
    if (!isfinite(v)) {
        return fail(p, TR_EPARSE, start, "number '%s' is out of range", text);
    }
    struct tr_json *node = tr_json_new_number(v);
    char *copy = malloc(end - begin + 1);
    if (node == NULL || copy == NULL) {
        tr_json_free(node);
        free(copy);
        return no_memory(p, start);
    }
    memcpy(copy, s + begin, end - begin);
    copy[end - begin] = '\0';
    node->u.number.text = copy;
    p->i = end;
    *out = node;
    return TR_OK;
}

static int is_word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

static int parse_literal(struct parser *p, struct tr_pos start, struct tr_json **out)
{
    size_t end = p->i;
    while (end < p->len && is_word_char(p->s[end])) {
        end++;
    }
    const char *w = (const char *)p->s + p->i;
    size_t n = end - p->i;
    if (n == 4 && memcmp(w, "true", 4) == 0) {
        *out = tr_json_new_bool(1);
    } else if (n == 5 && memcmp(w, "false", 5) == 0) {
        *out = tr_json_new_bool(0);
    } else if (n == 4 && memcmp(w, "null", 4) == 0) {
        *out = tr_json_new_null();
    } else {
        char text[TR_JSON_SNIPPET_MAX];
        tr_json_snippet(w, n, text);
        return fail(p, TR_EPARSE, start, "invalid literal '%s'", text);
    }
    if (*out == NULL) {
        return no_memory(p, start);
    }
    p->i = end;
    return TR_OK;
}

/* A string, number or literal at p->i (not a container). */
static int parse_scalar(struct parser *p, struct tr_pos start, struct tr_json **out)
{
    unsigned char c = p->i < p->len ? p->s[p->i] : 0;
    if (p->i < p->len && c == '"') {
        int rc = parse_string(p, &p->str, "string", start);
        if (rc != TR_OK) {
            return rc;
        }
        *out = tr_json_new_string(p->str.data, p->str.len);
        return *out != NULL ? TR_OK : no_memory(p, start);
    }
    if (p->i < p->len && (c == '-' || is_digit(c))) {
        return parse_number(p, start, out);
    }
    if (p->i < p->len && is_word_char(c)) {
        return parse_literal(p, start, out);
    }
    return expected(p, "a value");
}

/* A member's key and its colon; the key waits in p->key for its value. */
static int parse_key(struct parser *p)
{
    skip_ws(p);
    if (p->i >= p->len || p->s[p->i] != '"') {
        return expected(p, "a string key");
    }
    p->key_pos = pos_at(p, p->i);
    int rc = parse_string(p, &p->key, "key", p->key_pos);
    if (rc != TR_OK) {
        return rc;
    }
    skip_ws(p);
    if (p->i >= p->len || p->s[p->i] != ':') {
        return expected(p, "':'");
    }
    p->i++;
    return TR_OK;
}

static int compare_keys(const void *pa, const void *pb)
{
    const struct tr_json_member *a = *(const struct tr_json_member *const *)pa;
    const struct tr_json_member *b = *(const struct tr_json_member *const *)pb;
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = memcmp(a->key, b->key, n);
    if (c != 0) {
        return c;
    }
    if (a->key_len != b->key_len) {
        return a->key_len < b->key_len ? -1 : 1;
    }
    return a < b ? -1 : a > b; /* equal keys in input order */
}

static int same_key(const struct tr_json_member *a, const struct tr_json_member *b)
{
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

/*
 * Refuse an object that repeats a key, naming the first repetition in input order. Checked
 * when the object closes: sorting keeps large objects O(n log n) whatever their keys.
 */
static int check_duplicates(struct parser *p, const struct tr_json *obj)
{
    const struct tr_json_member *m = obj->u.object.members;
    size_t n = obj->u.object.len, dup = SIZE_MAX;
    if (n <= 16) {
        for (size_t i = 1; i < n && dup == SIZE_MAX; i++) {
            for (size_t j = 0; j < i; j++) {
                if (same_key(&m[i], &m[j])) {
                    dup = i;
                    break;
                }
            }
        }
    } else {
        const struct tr_json_member **v = malloc(n * sizeof *v);
        if (v == NULL) {
            return no_memory(p, obj->pos);
        }
        for (size_t i = 0; i < n; i++) {
            v[i] = &m[i];
        }
        qsort(v, n, sizeof *v, compare_keys);
        for (size_t i = 1; i < n; i++) {
            if (same_key(v[i - 1], v[i]) && (size_t)(v[i] - m) < dup) {
                dup = (size_t)(v[i] - m);
            }
        }
        free(v);
    }
    if (dup == SIZE_MAX) {
        return TR_OK;
    }
    char key[TR_JSON_SNIPPET_MAX];
    tr_json_snippet(m[dup].key, m[dup].key_len, key);
    return fail(p, TR_EPARSE, m[dup].key_pos, "duplicate key '%s'", key);
}

/* Put node into parent (or make it the root); node is freed when that fails. */
static int attach(struct parser *p, struct tr_json *parent, struct tr_json *node,
                  struct tr_json **root)
{
    struct tr_pos at = node->pos;
    int rc;
    if (parent == NULL) {
        *root = node;
        return TR_OK;
    }
    if (parent->type == TR_JSON_ARRAY) {
        rc = tr_json_array_append(parent, node);
    } else {
        rc = tr_json_object_add(parent, p->key.data, p->key.len, p->key_pos, node);
    }
    return rc == TR_OK ? TR_OK : no_memory(p, at);
}

static int parse_document(struct parser *p, struct tr_json **stack, struct tr_json **root)
{
    size_t depth = 0;
    int rc;
    skip_ws(p);
    if (p->i >= p->len) {
        return fail(p, TR_EPARSE, pos_at(p, p->i), "empty document");
    }
    for (;;) {
        /* A value starts here. */
        struct tr_json *node = NULL;
        skip_ws(p);
        struct tr_pos at = pos_at(p, p->i);
        unsigned char open = p->i < p->len ? p->s[p->i] : 0;
        int container = p->i < p->len && (open == '[' || open == '{');
        if (container) {
            if (depth == p->lim.max_depth) {
                return fail(p, TR_ELIMIT, at, "nesting deeper than %zu", p->lim.max_depth);
            }
            node = open == '[' ? tr_json_new_array() : tr_json_new_object();
            if (node == NULL) {
                return no_memory(p, at);
            }
            p->i++;
        } else if ((rc = parse_scalar(p, at, &node)) != TR_OK) {
            return rc;
        }
        node->pos = at;
        if (++p->nodes > p->lim.max_nodes) {
            tr_json_free(node);
            return fail(p, TR_ELIMIT, at, "more than %zu values", p->lim.max_nodes);
        }
        if ((rc = attach(p, depth > 0 ? stack[depth - 1] : NULL, node, root)) != TR_OK) {
            return rc;
        }
        if (container) {
            stack[depth++] = node;
            skip_ws(p);
            if (p->i < p->len && p->s[p->i] == (open == '[' ? ']' : '}')) {
                p->i++;
                depth--;
            } else if (open == '[') {
                continue;
            } else if ((rc = parse_key(p)) != TR_OK) {
                return rc;
            } else {
                continue;
            }
        }
        /* After a value: a comma, the end of one or more containers, or the end. */
        for (;;) {
            skip_ws(p);
            if (depth == 0) {
                return p->i < p->len ? expected(p, "end of input") : TR_OK;
            }
            struct tr_json *top = stack[depth - 1];
            int is_object = top->type == TR_JSON_OBJECT;
            unsigned char c = p->i < p->len ? p->s[p->i] : 0;
            if (p->i < p->len && c == ',') {
                p->i++;
                if (is_object && (rc = parse_key(p)) != TR_OK) {
                    return rc;
                }
                break;
            }
            if (p->i < p->len && c == (is_object ? '}' : ']')) {
                if (is_object && (rc = check_duplicates(p, top)) != TR_OK) {
                    return rc;
                }
                p->i++;
                depth--;
                continue;
            }
            return expected(p, is_object ? "',' or '}'" : "',' or ']'");
        }
    }
}

int tr_json_parse(const char *data, size_t len, const char *name, const struct tr_limits *limits,
                  struct tr_json **out, struct tr_error *err)
{
    struct parser p = {0};
    struct tr_json **stack = NULL;
    struct tr_json *root = NULL;
    int rc = TR_OK;
    if (out == NULL || (data == NULL && len > 0)) {
        return tr_error_set(err, TR_EINVAL, "cannot parse JSON: no input or no output");
    }
    *out = NULL;
    if (limits != NULL) {
        if ((rc = tr_limits_check(limits, err)) != TR_OK) {
            return rc;
        }
        p.lim = *limits;
    } else {
        tr_limits_default(&p.lim);
    }
    p.s = (const unsigned char *)(data != NULL ? data : "");
    p.len = len;
    p.line = 1;
    p.col = 1;
    p.name = name != NULL ? name : "input";
    p.err = err;
    tr_buf_init(&p.key);
    tr_buf_init(&p.str);
    if (len > p.lim.max_bytes) {
        rc = fail(&p, TR_ELIMIT, pos_from_start(&p, p.lim.max_bytes),
                  "document larger than %zu bytes", p.lim.max_bytes);
        goto out;
    }
    if (len >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0) {
        rc = fail(&p, TR_EPARSE, pos_at(&p, 0), "byte order mark is not allowed");
        goto out;
    }
    stack = malloc(p.lim.max_depth * sizeof *stack);
    if (stack == NULL) {
        rc = no_memory(&p, pos_at(&p, 0));
        goto out;
    }
    rc = parse_document(&p, stack, &root);
out:
    free(stack);
    tr_buf_release(&p.key);
    tr_buf_release(&p.str);
    if (rc != TR_OK) {
        tr_json_free(root);
        return rc;
    }
    *out = root;
    return TR_OK;
}
