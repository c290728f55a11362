/*
 * talentreg/json.h — the JSON value tree shared by every input format.
 *
 * JSON files and YAML documents both load into this tree (YAML through the core schema), so
 * the schema validator, the canonicaliser and the signer see one representation. Each node
 * remembers the line and column it came from, so any later error can point at the input.
 *
 * Ownership, stated once: a container owns its children. Every function that puts a node
 * into a container takes ownership of it, also when it fails (the node is then freed).
 * tr_json_free frees a node and everything under it; NULL is a no-op.
 *
 * Strings are UTF-8 with an explicit length and are always NUL-terminated as well; they may
 * not contain NUL (the parsers reject it), so they are also plain C strings.
 */
#ifndef TALENTREG_JSON_H
#define TALENTREG_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum tr_json_type {
    TR_JSON_NULL,
    TR_JSON_BOOL,
    TR_JSON_NUMBER,
    TR_JSON_STRING,
    TR_JSON_ARRAY,
    TR_JSON_OBJECT
};

/* A place in an input: 1-based line and column (columns count characters); 0 = unknown. */
struct tr_pos {
    uint32_t line;
    uint32_t column;
};

struct tr_json;

struct tr_json_member {
    char *key;             /* UTF-8, NUL-terminated, owned */
    size_t key_len;        /* bytes, without the NUL */
    struct tr_pos key_pos; /* where the key was written */
    struct tr_json *value; /* owned, never NULL */
};

struct tr_json {
    enum tr_json_type type;
    struct tr_pos pos;
    union {
        int boolean; /* TR_JSON_BOOL: 0 or 1 */
        struct {
            double value; /* TR_JSON_NUMBER: the IEEE-754 double it denotes (finite) */
            char *text;   /* the literal as written in the input, or NULL when built */
        } number;
        struct {
            char *ptr; /* TR_JSON_STRING: owned, NUL-terminated */
            size_t len;
        } string;
        struct {
            struct tr_json **items; /* TR_JSON_ARRAY: owned */
            size_t len, cap;
        } array;
        struct {
            struct tr_json_member *members; /* TR_JSON_OBJECT: owned, in input order */
            size_t len, cap;
        } object;
    } u;
};

/*
 * Limits on any input document (JSON or YAML). None may be 0 ("unlimited" does not exist);
 * tr_limits_check refuses 0 and values over the hard ceilings below.
 */
struct tr_limits {
    size_t max_bytes;  /* bytes in one document; default 1 MiB */
    size_t max_depth;  /* nesting of arrays/objects; default 64 */
    size_t max_nodes;  /* values in one document; default 100,000 */
    size_t max_scalar; /* bytes in one string, key or number; default 64 KiB */
};

#define TR_LIMIT_DEFAULT_BYTES (1u << 20)
#define TR_LIMIT_DEFAULT_DEPTH 64u
#define TR_LIMIT_DEFAULT_NODES 100000u
#define TR_LIMIT_DEFAULT_SCALAR (64u << 10)
#define TR_LIMIT_CEIL_BYTES (256u << 20)
#define TR_LIMIT_CEIL_DEPTH 4096u
#define TR_LIMIT_CEIL_NODES 50000000u
#define TR_LIMIT_CEIL_SCALAR (16u << 20)

/* tr_limits_default — fill l with the defaults above. */
void tr_limits_default(struct tr_limits *l);

/* tr_limits_check — TR_OK when every limit is between 1 and its ceiling, else TR_EINVAL. */
int tr_limits_check(const struct tr_limits *l, struct tr_error *err);

/* Constructors. Each returns a new node owned by the caller, or NULL when out of memory. */
struct tr_json *tr_json_new_null(void);
struct tr_json *tr_json_new_bool(int value);
/* tr_json_new_number — value must be finite (NaN and infinities return NULL). */
struct tr_json *tr_json_new_number(double value);
/* tr_json_new_string — copies len bytes of s (s need not be NUL-terminated). */
struct tr_json *tr_json_new_string(const char *s, size_t len);
/* tr_json_new_cstr — tr_json_new_string(s, strlen(s)). */
struct tr_json *tr_json_new_cstr(const char *s);
struct tr_json *tr_json_new_array(void);
struct tr_json *tr_json_new_object(void);

/* tr_json_free — free node and everything under it. NULL is a no-op. */
void tr_json_free(struct tr_json *node);

/* tr_json_clone — a deep copy (positions and number texts included), or NULL (no memory). */
struct tr_json *tr_json_clone(const struct tr_json *node);

/*
 * tr_json_array_append — append item to array. Takes ownership of item, also on failure.
 * Returns TR_OK, TR_EINVAL (array is not an array, or item is NULL) or TR_ENOMEM.
 */
int tr_json_array_append(struct tr_json *array, struct tr_json *item);

/*
 * tr_json_object_set — set key to value in obj, replacing (and freeing) an existing value
 * of that key in place, or appending a new member. Takes ownership of value, also on
 * failure. Returns TR_OK, TR_EINVAL or TR_ENOMEM.
 */
int tr_json_object_set(struct tr_json *obj, const char *key, struct tr_json *value);

/*
 * tr_json_object_add — append a member without looking for an existing key (parsers use it
 * after their own duplicate check). Takes ownership of value, also on failure.
 */
int tr_json_object_add(struct tr_json *obj, const char *key, size_t key_len, struct tr_pos pos,
                       struct tr_json *value);

/* tr_json_object_get — the value of key, or NULL when obj is not an object or lacks key. */
struct tr_json *tr_json_object_get(const struct tr_json *obj, const char *key);

/*
 * tr_json_object_take — remove key from obj and return its value, now owned by the caller;
 * NULL when absent.
 */
struct tr_json *tr_json_object_take(struct tr_json *obj, const char *key);

/* tr_json_object_remove — remove and free key's value. Returns 1 if it was there, else 0. */
int tr_json_object_remove(struct tr_json *obj, const char *key);

/* Typed accessors: NULL / 0 when node is NULL or of another type. */
const char *tr_json_string(const struct tr_json *node); /* the NUL-terminated string */
int tr_json_is(const struct tr_json *node, enum tr_json_type type);

/* tr_json_type_name — "null", "boolean", "number", "string", "array", "object". */
const char *tr_json_type_name(enum tr_json_type type);

/*
 * tr_json_equal — 1 when a and b denote the same JSON value (object member order ignored,
 * numbers compared as doubles), else 0.
 */
int tr_json_equal(const struct tr_json *a, const struct tr_json *b);

/*
 * tr_json_parse — parse exactly one strict JSON text (RFC 8259: no comments, no trailing
 * commas, no NaN; surrounding whitespace allowed) of len bytes at data under limits (NULL =
 * the defaults). Every node gets its position (columns count characters; CR LF, LF and a
 * lone CR end a line), every member its key_pos, every number its literal in u.number.text.
 * Limits are enforced while reading: max_bytes before the first byte is parsed, max_depth
 * before a container is entered (the reader never recurses), max_nodes and max_scalar
 * (decoded bytes of a string or key, bytes of a number literal) as they grow.
 * Rejected with one message "'NAME' line L column C: WHAT": an empty document, a byte order
 * mark, invalid UTF-8 (overlong, surrogates, beyond U+10FFFF, truncated), control
 * characters in strings, NUL (raw or \u0000), unpaired surrogate escapes, duplicate object
 * keys (compared decoded; reported at the first repetition), leading zeros, numbers that
 * overflow a double (underflow to 0 is accepted), trailing data, and anything over a limit.
 * name is only used in messages (NULL = "input").
 * Returns TR_OK and *out (owned by the caller); else *out is NULL and the return is
 * TR_EPARSE, TR_ELIMIT, TR_ENOMEM, or TR_EINVAL (out NULL, data NULL with len > 0, or a
 * limit out of range as tr_limits_check says).
 */
int tr_json_parse(const char *data, size_t len, const char *name, const struct tr_limits *limits,
                  struct tr_json **out, struct tr_error *err);

/* Flags of tr_json_write. */
#define TR_JSON_COMPACT 0u   /* no whitespace, members in their stored order */
#define TR_JSON_PRETTY 1u    /* two-space indentation, one member per line, final newline */
#define TR_JSON_CANONICAL 2u /* RFC 8785: sorted members (UTF-16 code units), no whitespace */

/*
 * tr_json_write — append node's JSON text to out. Strings are escaped as RFC 8785 does
 * and numbers use the shortest round-trip ECMAScript form in every mode, so the output
 * differs from the canonical form only in member order and whitespace (PRETTY|CANONICAL
 * gives sorted members with indentation).
 * Returns TR_OK; TR_EINVAL for a NULL node or out, unknown flags, a non-finite number, a
 * string or key that is not valid UTF-8, or (with TR_JSON_CANONICAL) an object that holds
 * a key twice; or the buffer's sticky error (TR_ENOMEM, TR_ELIMIT). On failure out keeps
 * the bytes it had before the call.
 */
int tr_json_write(const struct tr_json *node, unsigned flags, struct tr_buf *out,
                  struct tr_error *err);

#ifdef __cplusplus
}
#endif
#endif
