-- Documents in comparisons: a run may have a document collection attached
-- ('' none); each turn keeps what was retrieved for it (backend/rag's
-- Retrieval as JSON; NULL when the run has no collection).
ALTER TABLE compare_runs ADD COLUMN collection TEXT NOT NULL DEFAULT '';
ALTER TABLE compare_turns ADD COLUMN retrieval TEXT;
-- A prompt set run's collection, used by each run it starts.
ALTER TABLE compare_set_runs ADD COLUMN collection TEXT NOT NULL DEFAULT '';

-- compare_fts again, now knowing the turn and column of each text (col -1:
-- the turn's prompt), so that history search can say whose text matched.
DROP TRIGGER compare_turns_fts;
DROP TRIGGER compare_answers_fts;
DROP TRIGGER compare_runs_fts_delete;
DROP TABLE compare_fts;

CREATE VIRTUAL TABLE compare_fts USING fts5(
    text,
    run_id UNINDEXED,
    turn UNINDEXED,
    col UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO compare_fts(text, run_id, turn, col)
    SELECT prompt, run_id, idx, -1 FROM compare_turns ORDER BY id;
INSERT INTO compare_fts(text, run_id, turn, col)
    SELECT content, run_id, turn, col FROM compare_answers
    WHERE status != 'streaming' AND content != '' ORDER BY id;

CREATE TRIGGER compare_turns_fts AFTER INSERT ON compare_turns BEGIN
    INSERT INTO compare_fts(text, run_id, turn, col) VALUES (new.prompt, new.run_id, new.idx, -1);
END;

CREATE TRIGGER compare_answers_fts AFTER UPDATE OF status ON compare_answers
    WHEN old.status = 'streaming' AND new.status != 'streaming' AND new.content != '' BEGIN
    INSERT INTO compare_fts(text, run_id, turn, col) VALUES (new.content, new.run_id, new.turn, new.col);
END;

CREATE TRIGGER compare_runs_fts_delete AFTER DELETE ON compare_runs BEGIN
    DELETE FROM compare_fts WHERE run_id = old.id;
END;

-- A renamed collection stays attached to its runs and set runs.
CREATE TRIGGER compare_runs_collection_rename AFTER UPDATE OF name ON doc_collections BEGIN
    UPDATE compare_runs SET collection = new.name WHERE collection = old.name;
    UPDATE compare_set_runs SET collection = new.name WHERE collection = old.name;
END;
