-- store-trust.sql — the record index and the tables of the trust module (registry/trust.c,
-- include/talentreg/trust.h): which records the log holds, the organisations, their keys and
-- what they may issue, and the revocations of keys and records.
--
-- These tables are an index of the log and nothing more: every row is derived from the
-- bodies of the log's leaves, read in leaf order (tr_trust_index does it for each leaf as it
-- is appended), so an audit may rebuild them from the log and compare. Nothing here is
-- trusted that the log does not say.
--
-- Leaves are 0-based indices of the log (store-log.sql). The trusted time of everything here
-- is a leaf index, never a date written in a record. A view "as of log size N" reads only
-- rows whose leaf is below N, which is why the history of organisations and key revocations
-- is kept row by row, beside the current state.
--
-- Organisation effects are final once logged: a key is never un-revoked, and an
-- Organization or KeyRevocation record cannot be withdrawn by a Revocation (the verifier
-- refuses that); an organisation changes through a newer Organization record.

-- One row per record (a record id, however many leaves carry it).
--   id          lowercase hex SHA-256 of the RFC 8785 bytes of the credential without proof
--   kind        the record kind's name: Organization, Credit, ... (talentreg/schema.h)
--   issuer      the issuer's USCC, or 'operator' for the registry operator
--   subject     credentialSubject.id without its URN prefix: a person id (p-...), a USCC, or
--               a record id (Revocation); NULL for kinds without a subject (RecognitionAgreement)
--   leaf        the record's latest leaf: a co-signature merged later appends the merged
--               credential as a new leaf, and this moves to it
--   first_leaf  the leaf where the record was first logged: its trusted time
CREATE TABLE record (
    id         TEXT PRIMARY KEY NOT NULL
               CHECK (length(id) = 64 AND id NOT GLOB '*[^0-9a-f]*'),
    kind       TEXT NOT NULL,
    issuer     TEXT NOT NULL CHECK (issuer = 'operator' OR length(issuer) = 18),
    subject    TEXT,
    leaf       INTEGER NOT NULL CHECK (leaf >= 0),
    first_leaf INTEGER NOT NULL CHECK (first_leaf >= 0 AND first_leaf <= leaf)
) STRICT;

CREATE INDEX record_subject ON record (subject, kind);
CREATE INDEX record_issuer ON record (issuer, kind);

-- Every accepted Organization record: one version of an organisation. The version in force
-- at log size N is the one with the largest leaf below N.
--   record_id  the Organization record
--   uscc       the organisation (credentialSubject.id)
--   leaf       the record's first leaf
--   name       credentialSubject.name
--   org_kind   credentialSubject.organizationType: university, enterprise, ...
--   permitted  credentialSubject.mayIssue as RFC 8785 JSON, an array of kind names
CREATE TABLE trust_org_version (
    record_id TEXT PRIMARY KEY NOT NULL REFERENCES record (id),
    uscc      TEXT NOT NULL CHECK (length(uscc) = 18),
    leaf      INTEGER NOT NULL CHECK (leaf >= 0),
    name      TEXT NOT NULL,
    org_kind  TEXT NOT NULL,
    permitted TEXT NOT NULL
) STRICT;

CREATE INDEX trust_org_version_uscc ON trust_org_version (uscc, leaf);

-- Each organisation as the whole log stands: its latest version (same columns as
-- trust_org_version) and first_leaf, the leaf of its first Organization record, from which
-- it exists.
CREATE TABLE trust_org (
    uscc       TEXT PRIMARY KEY NOT NULL CHECK (length(uscc) = 18),
    record_id  TEXT NOT NULL REFERENCES trust_org_version (record_id),
    leaf       INTEGER NOT NULL CHECK (leaf >= 0),
    first_leaf INTEGER NOT NULL CHECK (first_leaf >= 0 AND first_leaf <= leaf),
    name       TEXT NOT NULL,
    org_kind   TEXT NOT NULL,
    permitted  TEXT NOT NULL
) STRICT;

-- Every organisation key (a did:key listed in an Organization record), as the whole log
-- stands. A key belongs to one organisation for ever; it is valid for records logged after
-- registered_leaf, and stops at its first revocation.
--   pub                the raw 32-byte Ed25519 public key
--   uscc               its organisation
--   org_record         the Organization record that first listed it
--   registered_leaf    that record's first leaf
--   revoked_leaf       the leaf of its first KeyRevocation, NULL while it is not revoked
--   revocation_record  that KeyRevocation record, NULL likewise
--   compromised_since  the smallest compromisedSince of its KeyRevocations: records logged
--                      at or after this leaf index no longer count, even those logged before
--                      the revocation; NULL when no compromise is known
CREATE TABLE trust_key (
    pub               BLOB PRIMARY KEY NOT NULL CHECK (length(pub) = 32),
    uscc              TEXT NOT NULL REFERENCES trust_org (uscc),
    org_record        TEXT NOT NULL REFERENCES trust_org_version (record_id),
    registered_leaf   INTEGER NOT NULL CHECK (registered_leaf >= 0),
    revoked_leaf      INTEGER CHECK (revoked_leaf > registered_leaf),
    revocation_record TEXT REFERENCES record (id),
    compromised_since INTEGER CHECK (compromised_since >= 0),
    CHECK ((revoked_leaf IS NULL) = (revocation_record IS NULL)),
    CHECK (compromised_since IS NULL OR revoked_leaf IS NOT NULL)
) STRICT, WITHOUT ROWID;

CREATE INDEX trust_key_uscc ON trust_key (uscc, registered_leaf);

-- Every accepted KeyRevocation record, for views as of an older log size (trust_key keeps
-- the summary of all of them).
--   record_id          the KeyRevocation record
--   pub                the revoked key
--   leaf               the record's first leaf: the key is revoked from here on
--   compromised_since  its compromisedSince, NULL when it gives none
CREATE TABLE trust_key_revocation (
    record_id         TEXT PRIMARY KEY NOT NULL REFERENCES record (id),
    pub               BLOB NOT NULL REFERENCES trust_key (pub),
    leaf              INTEGER NOT NULL CHECK (leaf >= 0),
    compromised_since INTEGER CHECK (compromised_since >= 0)
) STRICT;

CREATE INDEX trust_key_revocation_pub ON trust_key_revocation (pub, leaf);

-- Every accepted Revocation record: a record withdrawn or superseded.
--   target       the record id it revokes (credentialSubject.id)
--   record_id    the Revocation record
--   leaf         the Revocation's first leaf: the target stops counting from here on
--   action       'revoke' (the record's action: withdraw) or 'supersede'
--   replacement  the record that supersedes the target (supersededBy), NULL for 'revoke'
CREATE TABLE trust_revocation (
    target      TEXT NOT NULL REFERENCES record (id),
    record_id   TEXT PRIMARY KEY NOT NULL REFERENCES record (id),
    leaf        INTEGER NOT NULL CHECK (leaf >= 0),
    action      TEXT NOT NULL CHECK (action IN ('revoke', 'supersede')),
    replacement TEXT REFERENCES record (id),
    CHECK ((action = 'supersede') = (replacement IS NOT NULL))
) STRICT;

CREATE INDEX trust_revocation_target ON trust_revocation (target, leaf);
