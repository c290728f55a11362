/*
 * fuzz_record.c — YAML records to credentials (tr_yaml_reader_* + tr_schema_from_record).
 *
 * Any input: every document of the stream goes through the record mapping; nothing
 * crashes or leaks, a refused record has at least one diagnostic, and its national id is
 * never left in the record. A record that maps gives a credential that validates again
 * on its own (tr_schema_check), names its signers, and has canonical bytes that parse back
 * to an equal credential.
 *
 * fuzz-options: -max_len=8192
 */
#include <string.h>

#include "fuzz.h"
#include "talentreg.h"

/* A fixed id key: national ids hash the same on every run. */
static const unsigned char id_key[TR_ID_KEY_LEN] = {0x74, 0x72, 0x2d, 0x66, 0x75, 0x7a, 0x7a};

static void check_credential(const struct tr_json *cred)
{
    struct tr_diag diag;
    struct tr_signers signers;
    struct tr_buf canon;
    struct tr_json *again = NULL;
    struct tr_error err = {0};
    tr_diag_init(&diag, "credential");
    int rc = tr_schema_check(cred, &diag);
    FUZZ_ASSERT(rc == TR_OK && tr_diag_count(&diag) == 0);
    tr_diag_release(&diag);
    rc = tr_schema_signers(cred, &signers, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(signers.len >= 1 && signers.items[0].required);
    tr_buf_init(&canon);
    rc = tr_jcs_serialize(cred, &canon, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    rc = tr_json_parse(canon.data, canon.len, "canonical", NULL, &again, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    FUZZ_ASSERT(tr_json_equal(cred, again));
    tr_json_free(again);
    tr_buf_release(&canon);
}

/* Whether the n bytes at p are all zero: a wiped clear value. */
static int wiped(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\0') {
            return 0;
        }
    }
    return 1;
}

/* The national id of a record is wiped in place, whatever became of the record. */
static void check_wiped(const struct tr_json *record)
{
    const struct tr_json *v = tr_json_object_get(record, "nationalId");
    if (v != NULL && v->type == TR_JSON_STRING) {
        FUZZ_ASSERT(wiped(v->u.string.ptr, v->u.string.len));
    } else if (v != NULL && v->type == TR_JSON_NUMBER && v->u.number.text != NULL) {
        FUZZ_ASSERT(wiped(v->u.number.text, strlen(v->u.number.text)));
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct tr_error err = {0};
    int rc = tr_schema_load(&err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tr_yaml_reader *r = NULL;
    struct tr_error err = {0};
    int rc = tr_yaml_reader_open_mem((const char *)data, size, "fuzz", NULL, &r, &err);
    FUZZ_ASSERT_RC(rc, TR_OK, err);
    for (;;) {
        struct tr_json *record = NULL;
        struct tr_json *cred = NULL;
        struct tr_diag diag;
        if (tr_yaml_reader_next(r, &record, &err) != TR_OK || record == NULL) {
            break;
        }
        tr_diag_init(&diag, "fuzz");
        rc = tr_schema_from_record(record, id_key, &cred, &diag);
        if (rc == TR_OK) {
            FUZZ_ASSERT(cred != NULL && tr_diag_count(&diag) == 0);
            check_credential(cred);
        } else {
            FUZZ_ASSERT(cred == NULL && rc == TR_ESCHEMA && tr_diag_count(&diag) > 0);
        }
        check_wiped(record);
        tr_diag_release(&diag);
        tr_json_free(cred);
        tr_json_free(record);
    }
    tr_yaml_reader_free(r);
    return 0;
}
