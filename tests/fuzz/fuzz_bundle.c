/*
 * fuzz_bundle.c — offline bundle verification, the path of `talentreg verify --bundle`
 * (tr_json_parse with the default limits, then tr_bundle_verify).
 *
 * Any bytes as a bundle file, checked with the operator key of the sample region
 * (tests/cli/data/region.sh), whose bundles the seeds are: what is no JSON is refused as
 * the CLI refuses it; a JSON document is verified with no checkpoint seen and gives TR_OK
 * with reason "ok" or TR_EVERIFY with another reason and a message, never another code.
 * A bundle that verifies names its record (64 hex digits) and a checkpoint of the
 * operator's origin whose size is above the record's leaf; it verifies again when that
 * same checkpoint was seen before, is a fork when a checkpoint of the same size with
 * another root was, and a rollback when a larger one was.
 *
 * fuzz-options: -max_len=65536
 */
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

/* The operator of the sample region (seed 0f...0f, origin talentreg.example/test). */
static const char operator_vkey[] =
    "talentreg.example/test+3f68577b+Adm/IUh0ioXInaWq2O4LD8LRBf051BpMeWU2NU8K4pAM";

static struct tr_note_verifier vkey;

static int is_record_id(const char *s)
{
    size_t n = strlen(s);
    if (n != TR_LOG_RECORD_ID_LEN) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return 0;
        }
    }
    return 1;
}

/* Verify bundle having seen seen (may be NULL); returns the code and fills r. */
static int verify(const struct tr_json *bundle, const struct tr_bundle_seen *seen,
                  struct tr_bundle_result *r)
{
    struct tr_error err = {0};
    memset(r, 0x5a, sizeof *r);
    int rc = tr_bundle_verify(bundle, &vkey, seen, r, &err);
    FUZZ_ASSERT(rc == TR_OK || rc == TR_EVERIFY);
    FUZZ_ASSERT((rc == TR_OK) == (r->reason == TR_BUNDLE_VALID));
    FUZZ_ASSERT(strcmp(tr_bundle_reason_code(r->reason), "unknown") != 0);
    FUZZ_ASSERT(memchr(r->record_id, '\0', sizeof r->record_id) != NULL);
    FUZZ_ASSERT(rc == TR_OK || err.msg[0] != '\0');
    return rc;
}

/* What a verified bundle shows, and how it fares against checkpoints seen before. */
static void check_valid(const struct tr_json *bundle, const struct tr_bundle_result *r)
{
    struct tr_bundle_result again;
    struct tr_bundle_seen seen;
    FUZZ_ASSERT(is_record_id(r->record_id) && r->has_kind);
    FUZZ_ASSERT(strcmp(r->checkpoint.origin, vkey.name) == 0);
    FUZZ_ASSERT(r->leaf_index < r->checkpoint.size);
    seen.size = r->checkpoint.size;
    memcpy(seen.root, r->checkpoint.root, sizeof seen.root);
    FUZZ_ASSERT(verify(bundle, &seen, &again) == TR_OK);
    FUZZ_ASSERT(strcmp(again.record_id, r->record_id) == 0 && again.kind == r->kind &&
                again.leaf_index == r->leaf_index);
    seen.root[0] ^= 1;
    FUZZ_ASSERT(verify(bundle, &seen, &again) == TR_EVERIFY && again.reason == TR_BUNDLE_FORK);
    if (r->checkpoint.size < UINT64_MAX) {
        seen.size = r->checkpoint.size + 1;
        FUZZ_ASSERT(verify(bundle, &seen, &again) == TR_EVERIFY &&
                    again.reason == TR_BUNDLE_ROLLBACK);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct tr_error err = {0};
    int rc = tr_note_verifier_parse(operator_vkey, strlen(operator_vkey), &vkey, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_schema_load(&err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tr_limits limits;
    struct tr_json *bundle = NULL;
    struct tr_bundle_result r;
    struct tr_error err = {0};
    tr_limits_default(&limits);
    int rc = tr_json_parse((const char *)data, size, "fuzz", &limits, &bundle, &err);
    if (rc != TR_OK) {
        FUZZ_ASSERT((rc == TR_EPARSE || rc == TR_ELIMIT) && bundle == NULL && err.msg[0] != '\0');
        return 0;
    }
    if (verify(bundle, NULL, &r) == TR_OK) {
        check_valid(bundle, &r);
    }
    tr_json_free(bundle);
    return 0;
}
