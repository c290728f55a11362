/* sweep.c — what the fault sweeps share (sweep.h). */
#include "sweep.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr_test.h"

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

void sweep_remove_store(const char *path)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        char name[128];
        snprintf(name, sizeof name, "%s%s", path, sides[i]);
        unlink(name);
    }
}

void sweep_copy_store(const char *from, const char *to)
{
    size_t len = 0;
    char *bytes = test_read(from, &len);
    sweep_remove_store(to);
    FILE *out = fopen(to, "wb");
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(fwrite(bytes, 1, len, out), len);
    ck_assert_int_eq(fclose(out), 0);
    ck_assert_int_eq(chmod(to, 0600), 0);
    free(bytes);
}
