/*
 * stream.h — buffered reading of one input, a file, standard input or bytes in memory
 * (internal to the library; the CSV reader and the import's JSON-lines reader use it).
 *
 * Memory is one block of STREAM_BLOCK bytes whatever the input's size, so a reader built on
 * it streams: it looks at the bytes in the block and asks for the next block when it has
 * used them.
 */
#ifndef TALENTREG_STREAM_H
#define TALENTREG_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "talentreg/error.h"

#define STREAM_BLOCK 65536

struct stream {
    int fd;                   /* -1 for memory */
    int own_fd;               /* 1: closed by stream_close */
    char *name;               /* for messages: the path, or "<stdin>" */
    const unsigned char *mem; /* memory input, else NULL */
    size_t mem_len;
    unsigned char *block;   /* STREAM_BLOCK bytes of a file's input */
    const unsigned char *p; /* the bytes not yet used: p[0 .. n) */
    size_t n;
    uint64_t offset; /* bytes of the input used before p */
    int eof;         /* 1 once the input has no more bytes */
};

/*
 * stream_open_file — read path ("-" = standard input, named "<stdin>" in messages).
 * Returns TR_OK, TR_EIO "cannot open 'PATH': REASON" or TR_ENOMEM; s is then closed.
 */
int stream_open_file(struct stream *s, const char *path, struct tr_error *err);

/* stream_open_mem — read len bytes at data (which outlive s), named name (NULL: "<memory>"). */
int stream_open_mem(struct stream *s, const char *data, size_t len, const char *name,
                    struct tr_error *err);

/*
 * stream_fill — when no byte is left in s->p, read the next block. Returns TR_OK (s->n is 0
 * only at the end of the input, with s->eof set) or TR_EIO "cannot read 'NAME': REASON".
 */
int stream_fill(struct stream *s, struct tr_error *err);

/* stream_skip — mark the first k of the s->n bytes at s->p as used. */
void stream_skip(struct stream *s, size_t k);

/* stream_close — release what s holds (its file too, unless standard input). */
void stream_close(struct stream *s);

#endif
