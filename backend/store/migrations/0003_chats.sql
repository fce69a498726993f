-- Chats and their messages. Messages form a tree (parent_id): a regenerated
-- answer or an edited prompt is a sibling of the one it replaces, and
-- chats.leaf_id is the last message of the branch on screen, so the branch
-- survives restarts. deleted_at marks a soft delete (undo; purged after 7 days).
CREATE TABLE chats (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    host       TEXT NOT NULL,
    model      TEXT NOT NULL,
    settings   TEXT NOT NULL DEFAULT '{}',
    pinned     INTEGER NOT NULL DEFAULT 0,
    leaf_id    INTEGER REFERENCES messages(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;

CREATE INDEX chats_list ON chats(deleted_at, pinned, updated_at);

-- status: complete | streaming (being written now, or the writer died) |
-- incomplete (stopped, dropped, crashed; error says why) | error.
-- A streaming row's updated_at is refreshed about every second, so a stale
-- one is known to be orphaned. metrics is JSON (speed figures) or NULL.
-- parent_id has no cascade: subtrees are deleted in one statement (deep
-- cascades would hit SQLite's recursion limit on long chats).
CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    chat_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    parent_id  INTEGER REFERENCES messages(id),
    role       TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content    TEXT NOT NULL DEFAULT '',
    thinking   TEXT NOT NULL DEFAULT '',
    model      TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL DEFAULT 'complete'
               CHECK (status IN ('complete', 'streaming', 'incomplete', 'error')),
    error      TEXT NOT NULL DEFAULT '',
    metrics    TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX messages_chat ON messages(chat_id, id);
CREATE INDEX messages_parent ON messages(parent_id);
CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming';

CREATE TABLE message_images (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    mime       TEXT NOT NULL,
    data       BLOB NOT NULL
) STRICT;

CREATE INDEX message_images_message ON message_images(message_id);

-- Named chat settings (system prompt + parameters) applied in one click.
CREATE TABLE presets (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    settings   TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- Full-text index over message content (external content: the text lives
-- once, in messages). Kept in step by the triggers below.
CREATE VIRTUAL TABLE messages_fts USING fts5(
    content,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
