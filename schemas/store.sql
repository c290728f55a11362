-- store.sql — the SQLite schema of a talentreg store (see docs/store.md).
--
-- tr_db_create runs this file, then every schemas/store-<module>.sql in name order, in one
-- transaction, and then stamps the file with PRAGMA application_id (0x54526567, "TReg") and
-- PRAGMA user_version (TR_DB_SCHEMA_VERSION in include/talentreg/db.h). Tables are owned by
-- the modules that use them: the log, trust and search modules each keep their tables in
-- their own schemas/store-<module>.sql, with the comments that explain them, and reach them
-- only through the statements of registry/db.c. A change to any of these files that a store
-- made by an earlier release would not have needs a new user_version and a migration.
--
-- Every table is STRICT, so a value of the wrong type is an error instead of being stored
-- as something else.

-- The store's own settings, one value per key. Keys written at creation (names in
-- talentreg/db.h):
--   origin   the log origin, the first line of every checkpoint and the operator's signed-
--            note key name (printable ASCII without spaces or '+')
--   created  when the store was created, RFC 3339 UTC
--   id_key   32 random bytes: the HMAC-SHA256 key that turns national id numbers into the
--            keyed hashes kept in Person records; it never leaves the store
-- Values are BLOBs so any bytes round-trip exactly; text is stored as its UTF-8 bytes.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) STRICT;
