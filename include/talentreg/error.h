/*
 * talentreg/error.h — return codes and error messages.
 *
 * Every library function that can fail returns TR_OK (0) or one TR_E* code and, when the
 * caller passes a non-NULL struct tr_error, fills it with a one-line message in lower case
 * without a trailing period (e.g. "'p.yaml' line 4 column 7: field 'fte' must be between 0
 * and 1"). The library never prints and never exits.
 */
#ifndef TALENTREG_ERROR_H
#define TALENTREG_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The single enum of return codes. Values are stable: they are part of the API. */
enum tr_code {
    TR_OK = 0,
    TR_ENOMEM = 1,    /* an allocation failed */
    TR_EINVAL = 2,    /* a caller passed an invalid argument */
    TR_EIO = 3,       /* a file could not be read or written */
    TR_EPARSE = 4,    /* malformed input: bad JSON, YAML, CSV, base64, ... */
    TR_ELIMIT = 5,    /* input exceeds a configured limit (size, depth, nodes, scalar) */
    TR_ESCHEMA = 6,   /* input is well-formed but violates a record schema */
    TR_EDB = 7,       /* the store failed or is not a talentreg store */
    TR_ECRYPTO = 8,   /* a cryptographic operation failed */
    TR_EVERIFY = 9,   /* a signature, proof or hash does not verify */
    TR_ENOTFOUND = 10, /* the requested object does not exist */
    TR_EEXIST = 11,   /* the object already exists and will not be overwritten */
    TR_EPERM = 12,    /* refused for safety: file mode, symlink, permission */
    TR_EPASS = 13,    /* a wrong passphrase */
    TR_EVERSION = 14, /* a store or format of an unsupported version */
    TR_ECONFLICT = 15 /* the request contradicts stored state (e.g. an inconsistent checkpoint) */
};

/* Room for one message; longer messages are truncated at a UTF-8 boundary. */
#define TR_ERROR_MAX 512

struct tr_error {
    int code;                /* the TR_E* code of the last failure, TR_OK when none */
    char msg[TR_ERROR_MAX]; /* NUL-terminated message, "" when none */
};

/*
 * tr_error_set — record a failure.
 * err:  may be NULL, then only the code is returned.
 * code: the TR_E* code to return.
 * fmt:  printf format of the message.
 * Returns code, so that `return tr_error_set(err, TR_EPARSE, "...")` reads naturally.
 */
int tr_error_set(struct tr_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * tr_error_prefix — put "PREFIX: " in front of an existing message (used to add a file
 * name or a field path as an error travels outward). NULL err is a no-op.
 */
void tr_error_prefix(struct tr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* tr_error_clear — reset to TR_OK and an empty message. NULL is a no-op. */
void tr_error_clear(struct tr_error *err);

/* tr_strerror — a short static description of a code ("out of memory", ...). Never NULL. */
const char *tr_strerror(int code);

/*
 * tr_wipe — overwrite n bytes at p with zeros in a way the compiler may not elide.
 * Used for every secret (seeds, passphrases, private key buffers) before it is freed.
 */
void tr_wipe(void *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif
