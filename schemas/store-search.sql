-- store-search.sql — the tables of the search module (registry/search.c,
-- include/talentreg/search.h): a full-text index over the searchable text of every record,
-- with the columns its filters need. See docs/search.md.
--
-- The index is derived data: tr_search_reindex rebuilds it from the log's record bodies at
-- any time, so nothing here is needed to verify a record, and a record whose body is erased
-- leaves the index with it.

-- One row per indexed record: what the filters select on, and the text the full-text index
-- holds (this table is its content table, so the text is stored once).
--   id         the row, equal to the rowid of the record's entry in search_text
--   record_id  the record's id, lowercase hex SHA-256 of its credential without proof
--   leaf       the record's latest leaf in the log (a co-signature appends another leaf of the
--              same record; its text and filters do not change)
--   kind       the record kind, the stable value of enum tr_kind (include/talentreg/schema.h)
--   issuer     the issuer's USCC; NULL when the registry operator issued the record
--   subject    credentialSubject.id as the credential writes it (urn:talentreg:person:...,
--              urn:talentreg:org:..., urn:talentreg:record:...); NULL when it has none
--   day        the record's date as days since 1970-01-01: the day of validFrom, else of the
--              kind's date field (earnedOn, decidedOn, achievedOn); NULL when it has neither
--   title      the names the record is known by: person and organisation names, project,
--              course, agreement and contribution titles, an evaluation's purpose
--   body       the rest of its searchable text: roles, forms, categories, duties, courses,
--              codes, evaluation dimensions, reasons
-- Which fields of which kind go where is one table in registry/search.c. Several values of
-- one column are joined with " · ".
CREATE TABLE search_record (
    id        INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE
              CHECK (length(record_id) = 64 AND record_id NOT GLOB '*[^0-9a-f]*'),
    leaf      INTEGER NOT NULL CHECK (leaf >= 0),
    kind      INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 10),
    issuer    TEXT CHECK (issuer IS NULL OR length(issuer) = 18),
    subject   TEXT,
    day       INTEGER,
    title     TEXT NOT NULL,
    body      TEXT NOT NULL
) STRICT;

-- A person or organisation filter starts from the records of that person or issuer
-- (search.c, "DRIVE_MAX"): a few hundred at most, where the words searched for may match
-- hundreds of thousands.
CREATE INDEX search_record_subject ON search_record (subject);
CREATE INDEX search_record_issuer ON search_record (issuer);
-- A kind or date filter is tested on each match in turn (search.c, ranked_kind_day_sql): this
-- index holds what it reads, 200 rows a page where search_record holds a dozen.
CREATE INDEX search_record_filter ON search_record (id, kind, day);

-- The full-text index over title and body, an FTS5 table whose content is search_record
-- (content_rowid = id): search.c writes a record's row there and its tokens here in one
-- transaction, and removes both together.
--
-- The tokenizer talentreg_cjk (registry/fts_cjk.c, registered on every connection by db.c)
-- splits words as unicode61 does (lowercased, Latin diacritics folded) and CJK text into
-- unigrams and bigrams, so that a query of one or two Chinese characters finds its records;
-- FTS5's trigram tokenizer cannot match queries shorter than three characters.
-- detail=full keeps token positions: a CJK query is a phrase of bigrams.
-- prefix='2 3 4' keeps more lists of matches, for the first two, three and four characters
-- of every token, so that a prefix of that length (ma*, mac*, batt*), which FTS5 would
-- otherwise answer by merging the lists of every word it begins (machine, management,
-- materials, ...) into one before its first row, is read as one list that FTS5 walks newest
-- first and stops. A longer prefix begins fewer words and is merged.
CREATE VIRTUAL TABLE search_text USING fts5(
    title,
    body,
    content = 'search_record',
    content_rowid = 'id',
    tokenize = 'talentreg_cjk',
    detail = full,
    prefix = '2 3 4'
);

-- Ranking: bm25 with a match in title weighing three times a match in body, so a record
-- named by the words searched for comes before one that mentions them. search.c ranks with
-- tr_rank (registry/fts_rank.c), the same formula with the phrases' match counts given; this
-- setting is the table's default rank for anyone who queries it with SQL.
INSERT INTO search_text (search_text, rank) VALUES ('rank', 'bm25(3.0, 1.0)');
