-- Ollama hosts the user configured, in display order. The first is the
-- default for new chats; later features reference hosts by id.
CREATE TABLE hosts (
    id       INTEGER PRIMARY KEY,
    url      TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX hosts_position ON hosts(position);
