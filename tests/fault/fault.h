/*
 * fault.h — fault injection for the suites of tests/fault/: an allocator that fails on
 * demand, and an SQLite VFS that fails a chosen write or sync.
 *
 * The test binary is linked with -Wl,--wrap=malloc,calloc,realloc,strdup,strndup and with
 * libyaml, SQLite and libcrypto statically (see the Makefile), so every allocation of the
 * library and of those three goes through fault.c. Nothing fails until a sweep arms it.
 */
#ifndef TR_FAULT_H
#define TR_FAULT_H

#include <stddef.h>
#include <stdint.h>

/* How an armed fault fails. */
enum fault_mode {
    FAULT_ONCE = 0,   /* only the Nth event fails; later ones succeed */
    FAULT_FROM_ON = 1 /* the Nth event and every later one fail */
};

/* fault_alloc_arm — count allocations from now on and fail the nth one (n >= 1). */
void fault_alloc_arm(long n, enum fault_mode mode);

/* fault_alloc_disarm — stop failing; returns 1 when an allocation was made to fail. */
int fault_alloc_disarm(void);

/* fault_alloc_count — allocations counted since the last arm. */
long fault_alloc_count(void);

/* What the VFS fails. */
enum fault_io {
    FAULT_WRITE = 0, /* xWrite of any file (store, WAL, journal) */
    FAULT_SYNC = 1   /* xSync of any file */
};

/*
 * fault_vfs_install — register the failing VFS as SQLite's default, in front of the one
 * that was the default. Idempotent. Returns 0, or -1 when SQLite refused.
 */
int fault_vfs_install(void);

/* fault_vfs_arm — fail the nth write or sync (n >= 1) from now on, as mode says. */
void fault_vfs_arm(enum fault_io io, long n, enum fault_mode mode);

/* fault_vfs_disarm — stop failing; returns 1 when a write or sync was made to fail. */
int fault_vfs_disarm(void);

#endif
