-- Compare runs: one prompt (then follow-ups) answered by 2..4 columns, each
-- a host/model with its own settings. labels is the run's label order
-- (JSON array: labels[column index] = "A".."D", random per run).
CREATE TABLE compare_runs (
    id            INTEGER PRIMARY KEY,
    prompt        TEXT NOT NULL,
    blind         INTEGER NOT NULL DEFAULT 0,
    tags          TEXT NOT NULL DEFAULT '[]',
    labels        TEXT NOT NULL DEFAULT '[]',
    schedule      TEXT NOT NULL DEFAULT 'concurrent',
    schedule_note TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE compare_columns (
    run_id   INTEGER NOT NULL REFERENCES compare_runs(id) ON DELETE CASCADE,
    idx      INTEGER NOT NULL,
    host     TEXT NOT NULL,
    model    TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    ord      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (run_id, idx)
) STRICT;

CREATE TABLE compare_turns (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES compare_runs(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    prompt     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (run_id, idx)
) STRICT;

-- status as messages.status; metrics JSON (backend/chat's Metrics) or NULL.
-- A streaming row's updated_at is refreshed about every second by the
-- process writing it (waiting columns too), so a stale one was orphaned.
CREATE TABLE compare_answers (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES compare_runs(id) ON DELETE CASCADE,
    turn     INTEGER NOT NULL,
    col      INTEGER NOT NULL,
    content  TEXT NOT NULL DEFAULT '',
    thinking TEXT NOT NULL DEFAULT '',
    status   TEXT NOT NULL DEFAULT 'streaming'
             CHECK (status IN ('complete', 'streaming', 'incomplete', 'error')),
    error    TEXT NOT NULL DEFAULT '',
    metrics    TEXT,
    updated_at TEXT NOT NULL DEFAULT '',
    UNIQUE (run_id, turn, col)
) STRICT;

-- kind: better (winner = column index) | tie | all_bad. One vote per turn.
CREATE TABLE compare_votes (
    run_id     INTEGER NOT NULL REFERENCES compare_runs(id) ON DELETE CASCADE,
    turn       INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('better', 'tie', 'all_bad')),
    winner     INTEGER NOT NULL DEFAULT -1,
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, turn)
) STRICT;

CREATE TABLE prompt_sets (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    prompts TEXT NOT NULL DEFAULT '[]',
    tags    TEXT NOT NULL DEFAULT '[]'
) STRICT;

-- Full-text index over compare prompts and answers for history search
-- (a sibling of messages_fts; answers only, never model names).
CREATE VIRTUAL TABLE compare_fts USING fts5(
    text,
    run_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER compare_turns_fts AFTER INSERT ON compare_turns BEGIN
    INSERT INTO compare_fts(text, run_id) VALUES (new.prompt, new.run_id);
END;

CREATE TRIGGER compare_answers_fts AFTER UPDATE OF status ON compare_answers
    WHEN old.status = 'streaming' AND new.status != 'streaming' AND new.content != '' BEGIN
    INSERT INTO compare_fts(text, run_id) VALUES (new.content, new.run_id);
END;

CREATE TRIGGER compare_runs_fts_delete AFTER DELETE ON compare_runs BEGIN
    DELETE FROM compare_fts WHERE run_id = old.id;
END;

-- A prompt set run unattended: each prompt becomes a compare run (listed in
-- compare_set_items once answered). state: running | paused | done | failed.
-- columns and prompts are JSON, copied when the run starts.
CREATE TABLE compare_set_runs (
    id         INTEGER PRIMARY KEY,
    set_id     INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('running', 'paused', 'done', 'failed')),
    columns    TEXT NOT NULL,
    prompts    TEXT NOT NULL,
    tags       TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE compare_set_items (
    set_run_id INTEGER NOT NULL REFERENCES compare_set_runs(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    run_id     INTEGER NOT NULL REFERENCES compare_runs(id) ON DELETE CASCADE,
    PRIMARY KEY (set_run_id, idx)
) STRICT;
