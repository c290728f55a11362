/*
 * db_meta.c — the store's meta table: the origin, the creation time and the id key, read and
 * written as key and value (see talentreg/db.h).
 */
#include <string.h>

#include "db_impl.h"
#include "talentreg/buf.h"
#include "talentreg/crypto.h"
#include "talentreg/db.h"

int tr_db_meta_get(struct tr_db *db, const char *key, struct tr_buf *out, struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int row = 0;
    int rc = tr_db_prepare(db, "SELECT value FROM meta WHERE key = :key", &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":key", key);
    rc = tr_db_step(st, &row, err);
    if (rc != TR_OK) {
        goto out;
    }
    if (!row) {
        rc = tr_error_set(err, TR_ENOTFOUND, "store '%s' has no meta '%s'", db->path,
                          key != NULL ? key : "(null)");
        goto out;
    }
    size_t len = 0;
    const void *p = tr_db_column_blob(st, 0, &len);
    rc = tr_buf_add(out, p, len);
    if (rc != TR_OK) {
        rc = tr_error_set(err, rc, "store '%s': meta '%s' does not fit its buffer", db->path,
                          key);
    }
out:
    return tr_db_finalize(st, rc, err);
}

int tr_db_meta_set(struct tr_db *db, const char *key, const void *value, size_t len,
                   struct tr_error *err)
{
    struct tr_db_stmt *st = NULL;
    int rc = tr_db_prepare(db,
                           "INSERT INTO meta (key, value) VALUES (:key, :value)\n"
                           "    ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           &st, err);
    if (rc != TR_OK) {
        goto out;
    }
    tr_db_bind_str(st, ":key", key);
    tr_db_bind_blob(st, ":value", value, len);
    rc = tr_db_step(st, NULL, err);
out:
    return tr_db_finalize(st, rc, err);
}

int tr_db_id_key(struct tr_db *db, unsigned char out[TR_DB_ID_KEY_LEN], struct tr_error *err)
{
    struct tr_buf b;
    tr_buf_init(&b);
    int rc = tr_buf_grow(&b, TR_DB_ID_KEY_LEN + 1); /* no realloc leaves a copy behind */
    if (rc != TR_OK) {
        rc = tr_error_set(err, rc, "out of memory");
        goto out;
    }
    rc = tr_db_meta_get(db, TR_DB_META_ID_KEY, &b, err);
    if (rc == TR_ENOTFOUND) {
        rc = tr_error_set(err, TR_EDB, "store '%s' has no id key", db->path);
    }
    if (rc == TR_OK && b.len != TR_DB_ID_KEY_LEN) {
        rc = tr_error_set(err, TR_EDB, "store '%s' has an id key of %zu bytes, not %d",
                          db->path, b.len, TR_DB_ID_KEY_LEN);
    }
    if (rc == TR_OK) {
        memcpy(out, b.data, TR_DB_ID_KEY_LEN);
    }
out:
    tr_wipe(b.data, b.len);
    tr_buf_release(&b);
    return rc;
}
