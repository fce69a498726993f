-- The model download queue: one row per requested pull, kept across
-- restarts so unfinished downloads are listed and resume. state is one of
-- queued, downloading, paused, stalled, retrying, done, failed, canceled.
CREATE TABLE downloads (
    id              INTEGER PRIMARY KEY,
    host            TEXT NOT NULL,
    name            TEXT NOT NULL,
    state           TEXT NOT NULL,
    completed_bytes INTEGER NOT NULL DEFAULT 0,
    total_bytes     INTEGER NOT NULL DEFAULT 0,
    error           TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX downloads_state ON downloads(state);
