-- Document collections for retrieval (RAG). SQLite is the source of truth:
-- each chunk's text and embedding live here, written per file in one
-- transaction; the vector index in memory is rebuilt from these rows.
-- embed_model '' means keyword-only (no embeddings).
CREATE TABLE doc_collections (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    embed_model TEXT NOT NULL DEFAULT '',
    embed_host  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- The folders and files a person added, rescanned for changes.
CREATE TABLE doc_sources (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES doc_collections(id) ON DELETE CASCADE,
    path          TEXT NOT NULL,
    include       TEXT NOT NULL DEFAULT '', -- glob patterns, newline-separated
    exclude       TEXT NOT NULL DEFAULT '',
    UNIQUE (collection_id, path)
) STRICT;

-- One row per file seen. state is one of pending, indexed, failed, skipped.
CREATE TABLE doc_files (
    id            INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES doc_collections(id) ON DELETE CASCADE,
    path          TEXT NOT NULL,
    size          INTEGER NOT NULL DEFAULT 0,
    mtime_ns      INTEGER NOT NULL DEFAULT 0,
    hash          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    error         TEXT NOT NULL DEFAULT '',
    format        TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    pages         INTEGER NOT NULL DEFAULT 0,
    chunk_count   INTEGER NOT NULL DEFAULT 0,
    indexed_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (collection_id, path)
) STRICT;

-- embedding: float32 little-endian, NULL in keyword-only mode; model names
-- the model that made it (re-embedding replaces it).
CREATE TABLE doc_chunks (
    id            INTEGER PRIMARY KEY,
    file_id       INTEGER NOT NULL REFERENCES doc_files(id) ON DELETE CASCADE,
    collection_id INTEGER NOT NULL REFERENCES doc_collections(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    text          TEXT NOT NULL,
    page          INTEGER NOT NULL DEFAULT 0,
    end_page      INTEGER NOT NULL DEFAULT 0,
    section       TEXT NOT NULL DEFAULT '',
    start_offset  INTEGER NOT NULL DEFAULT 0,
    end_offset    INTEGER NOT NULL DEFAULT 0,
    tokens        INTEGER NOT NULL DEFAULT 0,
    embedding     BLOB,
    model         TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX doc_chunks_file ON doc_chunks(file_id);
CREATE INDEX doc_chunks_collection ON doc_chunks(collection_id);

-- Keyword index over chunk text (external content), kept by triggers.
CREATE VIRTUAL TABLE doc_chunks_fts USING fts5(
    text,
    content = 'doc_chunks',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER doc_chunks_fts_insert AFTER INSERT ON doc_chunks BEGIN
    INSERT INTO doc_chunks_fts(rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER doc_chunks_fts_delete AFTER DELETE ON doc_chunks BEGIN
    INSERT INTO doc_chunks_fts(doc_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER doc_chunks_fts_update AFTER UPDATE OF text ON doc_chunks BEGIN
    INSERT INTO doc_chunks_fts(doc_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO doc_chunks_fts(rowid, text) VALUES (new.id, new.text);
END;
