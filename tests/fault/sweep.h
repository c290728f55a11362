/*
 * sweep.h — what the fault sweeps of tests/fault/ share: which kind of event a sweep makes
 * fail, arming and disarming it, and the codes such a failure may give.
 *
 * A sweep is a libcheck loop test over SWEEPS values of _i, each one target (allocation,
 * write, sync) in one mode (the Nth event only, or the Nth and every later one).
 */
#ifndef TR_FAULT_SWEEP_H
#define TR_FAULT_SWEEP_H

#include "fault.h"
#include "talentreg/error.h"

/* What a sweep makes fail. */
enum fault_target { FAULT_ON_ALLOC, FAULT_ON_WRITE, FAULT_ON_SYNC };

/* Sweep loop values: _i encodes the target (0..2) and the mode (once, from on). */
#define SWEEPS 6
#define SWEEP_TARGET(i) ((enum fault_target)((i) / 2))
#define SWEEP_MODE(i) ((enum fault_mode)((i) % 2))

/* sweep_arm — fail the nth event of kind t from now on, as mode says (the failing VFS is
 * installed first for writes and syncs; a test failure when SQLite refuses it). */
void sweep_arm(enum fault_target t, long n, enum fault_mode mode);

/* sweep_disarm — stop failing t; returns 1 when an event was made to fail. */
int sweep_disarm(enum fault_target t);

/* sweep_target_name — "allocation", "write" or "sync". */
const char *sweep_target_name(enum fault_target t);

/* sweep_assert_failure_code — a test failure, naming n, unless rc is what a failure of t
 * maps to: TR_ENOMEM or TR_ECRYPTO for an allocation, TR_EIO for a write or a sync. */
void sweep_assert_failure_code(enum fault_target t, long n, int rc, const struct tr_error *err);

/* sweep_remove_store — unlink the store at path and the files SQLite keeps beside it. */
void sweep_remove_store(const char *path);

/* sweep_copy_store — a fresh copy of the closed store at from (one file: no WAL is left) at
 * to, mode 0600, replacing whatever was there. */
void sweep_copy_store(const char *from, const char *to);

#endif
