/* stream.c — buffered reading of a file, standard input or memory (stream.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"

int stream_open_file(struct stream *s, const char *path, struct tr_error *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->name = strdup(is_stdin ? "<stdin>" : path);
    s->block = malloc(STREAM_BLOCK);
    if (s->name == NULL || s->block == NULL) {
        stream_close(s);
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    if (is_stdin) {
        s->fd = STDIN_FILENO;
        return TR_OK;
    }
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) {
        int rc = tr_error_set(err, TR_EIO, "cannot open '%s': %s", path, strerror(errno));
        stream_close(s);
        return rc;
    }
    s->own_fd = 1;
    return TR_OK;
}

int stream_open_mem(struct stream *s, const char *data, size_t len, const char *name,
                    struct tr_error *err)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->name = strdup(name != NULL ? name : "<memory>");
    if (s->name == NULL) {
        return tr_error_set(err, TR_ENOMEM, "out of memory");
    }
    s->mem = (const unsigned char *)(data != NULL ? data : "");
    s->mem_len = len;
    return TR_OK;
}

int stream_fill(struct stream *s, struct tr_error *err)
{
    if (s->n > 0 || s->eof) {
        return TR_OK;
    }
    if (s->mem != NULL) {
        /* Memory is one block: handed out once. */
        size_t used = (size_t)s->offset;
        s->p = s->mem + used;
        s->n = s->mem_len - used;
        s->eof = s->n == 0;
        return TR_OK;
    }
    for (;;) {
        ssize_t got = read(s->fd, s->block, STREAM_BLOCK);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return tr_error_set(err, TR_EIO, "cannot read '%s': %s", s->name, strerror(errno));
        }
        s->p = s->block;
        s->n = (size_t)got;
        s->eof = got == 0;
        return TR_OK;
    }
}

void stream_skip(struct stream *s, size_t k)
{
    s->p += k;
    s->n -= k;
    s->offset += k;
}

void stream_close(struct stream *s)
{
    if (s->own_fd && s->fd >= 0) {
        close(s->fd);
    }
    free(s->block);
    free(s->name);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}
