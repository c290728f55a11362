/* sweep.c — what the fault sweeps share (sweep.h). */
#include "sweep.h"

#include <check.h>

void sweep_arm(enum fault_target t, long n, enum fault_mode mode)
{
    if (t == FAULT_ON_ALLOC) {
        fault_alloc_arm(n, mode);
    } else {
        ck_assert_int_eq(fault_vfs_install(), 0);
        fault_vfs_arm(t == FAULT_ON_WRITE ? FAULT_WRITE : FAULT_SYNC, n, mode);
    }
}

int sweep_disarm(enum fault_target t)
{
    return t == FAULT_ON_ALLOC ? fault_alloc_disarm() : fault_vfs_disarm();
}

const char *sweep_target_name(enum fault_target t)
{
    return t == FAULT_ON_ALLOC ? "allocation" : t == FAULT_ON_WRITE ? "write" : "sync";
}

void sweep_assert_failure_code(enum fault_target t, long n, int rc, const struct tr_error *err)
{
    if (t == FAULT_ON_ALLOC) {
        ck_assert_msg(rc == TR_ENOMEM || rc == TR_ECRYPTO, "N=%ld: %d %s", n, rc, err->msg);
    } else {
        ck_assert_msg(rc == TR_EIO, "N=%ld: %d %s", n, rc, err->msg);
    }
}
