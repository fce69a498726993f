package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// CompareRun is a stored comparison. Tags and Labels are JSON arrays (their
// shape belongs to backend/compare).
type CompareRun struct {
	ID           int64
	Prompt       string
	Blind        bool
	Tags         string
	Labels       string
	Schedule     string
	ScheduleNote string
	CreatedAt    string
}

// CompareColumn is one column of a run; Settings is JSON.
type CompareColumn struct {
	Index    int
	Host     string
	Model    string
	Settings string
	Order    int
}

// CompareTurn is one prompt of a run (0: the first).
type CompareTurn struct {
	Index  int
	Prompt string
}

// CompareAnswer is one column's answer to one turn; Metrics is JSON or "".
type CompareAnswer struct {
	Turn     int
	Column   int
	Content  string
	Thinking string
	Status   string
	Error    string
	Metrics  string
}

// CompareVote is the vote on one turn; Winner is a column index (-1: none).
type CompareVote struct {
	Turn      int
	Kind      string
	Winner    int
	CreatedAt string
}

// CreateCompareRun stores a run, its columns, its first turn and one
// streaming answer per column, in one transaction, and returns the run id.
func (s *Store) CreateCompareRun(ctx context.Context, r CompareRun, cols []CompareColumn) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrapErr("create compare run", err)
	}
	defer tx.Rollback()
	if r.CreatedAt == "" {
		r.CreatedAt = Now()
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO compare_runs(prompt, blind, tags, labels, schedule, schedule_note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.Prompt, r.Blind, r.Tags, r.Labels, r.Schedule, r.ScheduleNote, r.CreatedAt)
	if err != nil {
		return 0, s.wrapErr("create compare run", err)
	}
	id, _ := res.LastInsertId()
	for _, c := range cols {
		if _, err := tx.ExecContext(ctx, `INSERT INTO compare_columns(run_id, idx, host, model, settings, ord)
			VALUES (?, ?, ?, ?, ?, ?)`, id, c.Index, c.Host, c.Model, c.Settings, c.Order); err != nil {
			return 0, s.wrapErr("create compare run", err)
		}
	}
	if err := addTurn(ctx, tx, id, 0, r.Prompt, len(cols)); err != nil {
		return 0, s.wrapErr("create compare run", err)
	}
	return id, s.wrapErr("create compare run", tx.Commit())
}

func addTurn(ctx context.Context, tx *sql.Tx, run int64, turn int, prompt string, ncols int) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO compare_turns(run_id, idx, prompt, created_at) VALUES (?, ?, ?, ?)`,
		run, turn, prompt, Now()); err != nil {
		return err
	}
	for c := 0; c < ncols; c++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO compare_answers(run_id, turn, col, updated_at) VALUES (?, ?, ?, ?)`,
			run, turn, c, Now()); err != nil {
			return err
		}
	}
	return nil
}

// AddCompareTurn stores a follow-up prompt with one streaming answer per
// column and returns its turn index.
func (s *Store) AddCompareTurn(ctx context.Context, run int64, prompt string, ncols int) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrapErr("add compare turn", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM compare_turns WHERE run_id = ?`, run).Scan(&n); err != nil {
		return 0, s.wrapErr("add compare turn", err)
	}
	if n == 0 {
		return 0, fmt.Errorf("compare run %d: %w", run, ErrNotFound)
	}
	if err := addTurn(ctx, tx, run, n, prompt, ncols); err != nil {
		return 0, s.wrapErr("add compare turn", err)
	}
	return n, s.wrapErr("add compare turn", tx.Commit())
}

// FinishCompareAnswer saves an answer's final (or partial) state.
func (s *Store) FinishCompareAnswer(ctx context.Context, run int64, a CompareAnswer) error {
	var metrics any
	if a.Metrics != "" {
		metrics = a.Metrics
	}
	_, err := s.db.ExecContext(ctx, `UPDATE compare_answers SET content = ?, thinking = ?, status = ?, error = ?, metrics = ?
		WHERE run_id = ? AND turn = ? AND col = ?`, a.Content, a.Thinking, a.Status, a.Error, metrics, run, a.Turn, a.Column)
	return s.wrapErr("save compare answer", err)
}

// FlushCompareAnswer saves a streaming answer's partial text.
func (s *Store) FlushCompareAnswer(ctx context.Context, run int64, turn, col int, content, thinking string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE compare_answers SET content = ?, thinking = ?, updated_at = ?
		WHERE run_id = ? AND turn = ? AND col = ? AND status = 'streaming'`, content, thinking, Now(), run, turn, col)
	return s.wrapErr("save partial compare answer", err)
}

// TouchCompareRun marks a run's streaming answers as still being written.
func (s *Store) TouchCompareRun(ctx context.Context, run int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE compare_answers SET updated_at = ? WHERE run_id = ? AND status = 'streaming'`, Now(), run)
	return s.wrapErr("touch compare answers", err)
}

// RecoverCompareAnswers marks answers left streaming whose writer stopped
// refreshing them more than olderThan ago (a killed Wadi) incomplete with
// reason; answers another live process is writing are left alone.
func (s *Store) RecoverCompareAnswers(ctx context.Context, olderThan time.Duration, reason string) error {
	cut := time.Now().Add(-olderThan).UTC().Format(TimeFormat)
	_, err := s.db.ExecContext(ctx, `UPDATE compare_answers SET status = 'incomplete', error = ?
		WHERE status = 'streaming' AND updated_at < ?`, reason, cut)
	return s.wrapErr("recover compare answers", err)
}

// CompareRunData is a run with everything it holds.
type CompareRunData struct {
	Run     CompareRun
	Columns []CompareColumn
	Turns   []CompareTurn
	Answers []CompareAnswer // by turn, then column
	Votes   []CompareVote
}

// CompareRun loads a run; ErrNotFound (wrapped) if absent.
func (s *Store) CompareRun(ctx context.Context, id int64) (CompareRunData, error) {
	var d CompareRunData
	r := &d.Run
	err := s.db.QueryRowContext(ctx, `SELECT id, prompt, blind, tags, labels, schedule, schedule_note, created_at
		FROM compare_runs WHERE id = ?`, id).Scan(&r.ID, &r.Prompt, &r.Blind, &r.Tags, &r.Labels, &r.Schedule, &r.ScheduleNote, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("compare run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, s.wrapErr("load compare run", err)
	}
	if err := s.each(ctx, `SELECT idx, host, model, settings, ord FROM compare_columns WHERE run_id = ? ORDER BY idx`, id, func(sc scanner) error {
		var c CompareColumn
		err := sc.Scan(&c.Index, &c.Host, &c.Model, &c.Settings, &c.Order)
		d.Columns = append(d.Columns, c)
		return err
	}); err != nil {
		return d, err
	}
	if err := s.each(ctx, `SELECT idx, prompt FROM compare_turns WHERE run_id = ? ORDER BY idx`, id, func(sc scanner) error {
		var t CompareTurn
		err := sc.Scan(&t.Index, &t.Prompt)
		d.Turns = append(d.Turns, t)
		return err
	}); err != nil {
		return d, err
	}
	if err := s.each(ctx, `SELECT turn, col, content, thinking, status, error, COALESCE(metrics, '')
		FROM compare_answers WHERE run_id = ? ORDER BY turn, col`, id, func(sc scanner) error {
		var a CompareAnswer
		err := sc.Scan(&a.Turn, &a.Column, &a.Content, &a.Thinking, &a.Status, &a.Error, &a.Metrics)
		d.Answers = append(d.Answers, a)
		return err
	}); err != nil {
		return d, err
	}
	err = s.each(ctx, `SELECT turn, kind, winner, created_at FROM compare_votes WHERE run_id = ? ORDER BY turn`, id, func(sc scanner) error {
		var v CompareVote
		err := sc.Scan(&v.Turn, &v.Kind, &v.Winner, &v.CreatedAt)
		d.Votes = append(d.Votes, v)
		return err
	})
	return d, err
}

// CompareRunIDs lists the runs' ids, newest first.
func (s *Store) CompareRunIDs(ctx context.Context) ([]int64, error) {
	var out []int64
	err := s.each(ctx, `SELECT id FROM compare_runs WHERE ? = 0 ORDER BY id DESC`, 0, func(sc scanner) error {
		var id int64
		err := sc.Scan(&id)
		out = append(out, id)
		return err
	})
	return out, err
}

// SaveCompareVote stores the vote on a turn; a turn already voted gives
// ErrDuplicate (wrapped).
func (s *Store) SaveCompareVote(ctx context.Context, run int64, v CompareVote) error {
	if v.CreatedAt == "" {
		v.CreatedAt = Now()
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM compare_votes WHERE run_id = ? AND turn = ?`, run, v.Turn).Scan(&n); err != nil {
		return s.wrapErr("save vote", err)
	}
	if n > 0 {
		return fmt.Errorf("vote on turn %d of compare run %d: %w", v.Turn, run, ErrDuplicate)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO compare_votes(run_id, turn, kind, winner, created_at) VALUES (?, ?, ?, ?, ?)`,
		run, v.Turn, v.Kind, v.Winner, v.CreatedAt)
	return s.wrapErr("save vote", err)
}

// VoteRow is one vote with the models of its run's columns and run tags.
type VoteRow struct {
	Kind   string
	Winner int
	Models []string // by column index
	Tags   string   // JSON
}

// AllVotes lists every vote in the order cast (oldest first).
func (s *Store) AllVotes(ctx context.Context) ([]VoteRow, error) {
	var out []VoteRow
	err := s.each(ctx, `SELECT v.kind, v.winner, r.tags,
			(SELECT json_group_array(model) FROM (SELECT model FROM compare_columns c WHERE c.run_id = v.run_id ORDER BY idx))
		FROM compare_votes v JOIN compare_runs r ON r.id = v.run_id WHERE ? = 0 ORDER BY v.created_at, v.run_id, v.turn`, 0,
		func(sc scanner) error {
			var v VoteRow
			var models string
			if err := sc.Scan(&v.Kind, &v.Winner, &v.Tags, &models); err != nil {
				return err
			}
			if err := jsonStrings(models, &v.Models); err != nil {
				return err
			}
			out = append(out, v)
			return nil
		})
	return out, err
}

// CompareHit is a compare run whose prompt or an answer matches a search.
type CompareHit struct {
	RunID   int64
	Snippet string
}

// SearchCompares finds compare runs whose prompts or finished answers
// match every word of query (as SearchMessages), best first, one hit per
// text. It is SearchMessages' sibling: the history search calls both.
func (s *Store) SearchCompares(ctx context.Context, query string, limit int) ([]CompareHit, error) {
	match := ftsQuery(query)
	if match == "" {
		return nil, nil
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var out []CompareHit
	err := s.each(ctx, `SELECT run_id, snippet(compare_fts, 0, char(2), char(3), '…', 16)
		FROM compare_fts WHERE compare_fts MATCH ? ORDER BY bm25(compare_fts) LIMIT `+fmt.Sprint(limit), match,
		func(sc scanner) error {
			var h CompareHit
			err := sc.Scan(&h.RunID, &h.Snippet)
			out = append(out, h)
			return err
		})
	return out, err
}

type scanner interface{ Scan(...any) error }

// each runs a one-argument query and calls f for each row.
func (s *Store) each(ctx context.Context, q string, arg any, f func(scanner) error) error {
	rows, err := s.db.QueryContext(ctx, q, arg)
	if err != nil {
		return s.wrapErr("query", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return s.wrapErr("query", err)
		}
	}
	return s.wrapErr("query", rows.Err())
}
