/*
 * fault.c — the failing allocator and the failing VFS of tests/fault/ (see fault.h).
 *
 * The allocator: the linker sends every call of malloc, calloc, realloc, strdup and strndup
 * to the __wrap_ functions here, which count it and either fail it or pass it on to the C
 * library (__real_ functions; under ASan its allocator, so leaks are still reported).
 *
 * The VFS: a copy of the default VFS whose xOpen wraps each file in io methods that pass
 * every call on, except that the armed write or sync fails with SQLITE_IOERR_WRITE or
 * SQLITE_IOERR_FSYNC before it reaches the file.
 */
#include <execinfo.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

struct fault {
    long at;    /* the event to fail, 0 when disarmed */
    long count; /* events since arming */
    enum fault_mode mode;
    int hit; /* an event was failed */
};

static struct fault alloc_fault;
static struct fault io_fault;
static enum fault_io io_kind;

static void arm(struct fault *f, long n, enum fault_mode mode)
{
    f->count = 0;
    f->hit = 0;
    f->mode = mode;
    f->at = n;
}

static int disarm(struct fault *f)
{
    f->at = 0;
    return f->hit;
}

/* Count one event; 1 when it must fail. */
static int fail_now(struct fault *f)
{
    if (f->at == 0) {
        return 0;
    }
    f->count++;
    if (f->count == f->at || (f->mode == FAULT_FROM_ON && f->count > f->at)) {
        if (!f->hit && getenv("FAULT_TRACE") != NULL) {
            /* Where the first failure struck, for a sweep that fails (docs/fuzzing.md). */
            void *frames[32];
            long at = f->at;
            f->at = 0; /* backtrace may allocate */
            int depth = backtrace(frames, 32);
            fprintf(stderr, "fault: event %ld fails here:\n", at);
            backtrace_symbols_fd(frames, depth, STDERR_FILENO);
            f->at = at;
        }
        f->hit = 1;
        return 1;
    }
    return 0;
}

void fault_alloc_arm(long n, enum fault_mode mode)
{
    arm(&alloc_fault, n, mode);
}

int fault_alloc_disarm(void)
{
    return disarm(&alloc_fault);
}

long fault_alloc_count(void)
{
    return alloc_fault.count;
}

void *__wrap_malloc(size_t n)
{
    return fail_now(&alloc_fault) ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now(&alloc_fault) ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now(&alloc_fault) ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = __wrap_malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

char *__wrap_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = __wrap_malloc(len + 1);
    if (d != NULL) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

/* The VFS. */

struct fault_file {
    sqlite3_file base;  /* pMethods = &fault_methods */
    sqlite3_file *real; /* the wrapped file, right after this struct */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;

static sqlite3_file *real_of(sqlite3_file *f)
{
    return ((struct fault_file *)f)->real;
}

static int f_close(sqlite3_file *f)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods != NULL ? r->pMethods->xClose(r) : SQLITE_OK;
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xRead(r, buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    sqlite3_file *r = real_of(f);
    if (io_kind == FAULT_WRITE && fail_now(&io_fault)) {
        return SQLITE_IOERR_WRITE;
    }
    return r->pMethods->xWrite(r, buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xTruncate(r, size);
}

static int f_sync(sqlite3_file *f, int flags)
{
    sqlite3_file *r = real_of(f);
    if (io_kind == FAULT_SYNC && fail_now(&io_fault)) {
        return SQLITE_IOERR_FSYNC;
    }
    return r->pMethods->xSync(r, flags);
}

static int f_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xFileSize(r, size);
}

static int f_lock(sqlite3_file *f, int level)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xLock(r, level);
}

static int f_unlock(sqlite3_file *f, int level)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xUnlock(r, level);
}

static int f_check_reserved(sqlite3_file *f, int *out)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xCheckReservedLock(r, out);
}

static int f_file_control(sqlite3_file *f, int op, void *arg)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xFileControl(r, op, arg);
}

static int f_sector_size(sqlite3_file *f)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xSectorSize(r);
}

static int f_device(sqlite3_file *f)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xDeviceCharacteristics(r);
}

static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xShmMap(r, page, size, extend, out);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xShmLock(r, offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
    sqlite3_file *r = real_of(f);
    r->pMethods->xShmBarrier(r);
}

static int f_shm_unmap(sqlite3_file *f, int delete_flag)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xShmUnmap(r, delete_flag);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xFetch(r, off, n, out);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    sqlite3_file *r = real_of(f);
    return r->pMethods->xUnfetch(r, off, p);
}

static const sqlite3_io_methods fault_methods = {
    3,           f_close,   f_read,     f_write,          f_truncate,     f_sync,
    f_file_size, f_lock,    f_unlock,   f_check_reserved, f_file_control, f_sector_size,
    f_device,    f_shm_map, f_shm_lock, f_shm_barrier,    f_shm_unmap,    f_fetch,
    f_unfetch};

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    (void)vfs;
    struct fault_file *ff = (struct fault_file *)f;
    ff->real = (sqlite3_file *)(ff + 1);
    memset(ff->real, 0, (size_t)real_vfs->szOsFile);
    int src = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
    /* SQLite calls xClose only when pMethods is set, also after a failed open. */
    ff->base.pMethods = ff->real->pMethods != NULL ? &fault_methods : NULL;
    return src;
}

int fault_vfs_install(void)
{
    if (real_vfs != NULL) {
        return 0;
    }
    if (sqlite3_initialize() != SQLITE_OK) {
        return -1;
    }
    sqlite3_vfs *def = sqlite3_vfs_find(NULL);
    if (def == NULL || def->iVersion < 1) {
        return -1;
    }
    fault_vfs = *def;
    fault_vfs.zName = "tr-fault";
    fault_vfs.pNext = NULL;
    fault_vfs.szOsFile = (int)sizeof(struct fault_file) + def->szOsFile;
    fault_vfs.xOpen = f_open;
    real_vfs = def;
    return sqlite3_vfs_register(&fault_vfs, 1) == SQLITE_OK ? 0 : -1;
}

void fault_vfs_arm(enum fault_io io, long n, enum fault_mode mode)
{
    io_kind = io;
    arm(&io_fault, n, mode);
}

int fault_vfs_disarm(void)
{
    return disarm(&io_fault);
}
