package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// PromptSet is a named list of prompts; Prompts and Tags are JSON arrays.
type PromptSet struct {
	ID      int64
	Name    string
	Prompts string
	Tags    string
}

// PromptSets lists the prompt sets by name.
func (s *Store) PromptSets(ctx context.Context) ([]PromptSet, error) {
	var out []PromptSet
	err := s.each(ctx, `SELECT id, name, prompts, tags FROM prompt_sets WHERE ? = 0 ORDER BY name`, 0, func(sc scanner) error {
		var p PromptSet
		err := sc.Scan(&p.ID, &p.Name, &p.Prompts, &p.Tags)
		out = append(out, p)
		return err
	})
	return out, err
}

// SavePromptSet creates (ID 0) or updates a set. A name used by another
// set gives ErrDuplicate, an unknown ID ErrNotFound (both wrapped).
func (s *Store) SavePromptSet(ctx context.Context, p PromptSet) (PromptSet, error) {
	var taken int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM prompt_sets WHERE name = ? AND id != ?`, p.Name, p.ID).Scan(&taken)
	if err == nil {
		return PromptSet{}, fmt.Errorf("prompt set name %q: %w", p.Name, ErrDuplicate)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return PromptSet{}, s.wrapErr("save prompt set", err)
	}
	if p.ID == 0 {
		res, err := s.db.ExecContext(ctx, `INSERT INTO prompt_sets(name, prompts, tags) VALUES (?, ?, ?)`, p.Name, p.Prompts, p.Tags)
		if err != nil {
			return PromptSet{}, s.wrapErr("save prompt set", err)
		}
		p.ID, _ = res.LastInsertId()
		return p, nil
	}
	res, err := s.db.ExecContext(ctx, `UPDATE prompt_sets SET name = ?, prompts = ?, tags = ? WHERE id = ?`, p.Name, p.Prompts, p.Tags, p.ID)
	if err != nil {
		return PromptSet{}, s.wrapErr("save prompt set", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return PromptSet{}, fmt.Errorf("prompt set %d: %w", p.ID, ErrNotFound)
	}
	return p, nil
}

// DeletePromptSet removes a set; ErrNotFound (wrapped) if absent.
func (s *Store) DeletePromptSet(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM prompt_sets WHERE id = ?`, id)
	if err != nil {
		return s.wrapErr("delete prompt set", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("prompt set %d: %w", id, ErrNotFound)
	}
	return nil
}

// jsonStrings decodes a JSON array of strings (SQLite's json_group_array).
func jsonStrings(raw string, out *[]string) error {
	if err := json.Unmarshal([]byte(raw), out); err != nil {
		return fmt.Errorf("stored list %q is not a JSON array of strings: %w", raw, err)
	}
	return nil
}

// SetRun is a prompt set being run; Columns, Prompts and Tags are JSON.
// Items maps a prompt index to the compare run that answered it.
type SetRun struct {
	ID        int64
	SetID     int64
	State     string
	Columns   string
	Prompts   string
	Tags      string
	CreatedAt string
	Items     map[int]int64
}

// CreateSetRun stores a new set run and returns its id.
func (s *Store) CreateSetRun(ctx context.Context, r SetRun) (int64, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO compare_set_runs(set_id, state, columns, prompts, tags, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.SetID, r.State, r.Columns, r.Prompts, r.Tags, Now())
	if err != nil {
		return 0, s.wrapErr("create set run", err)
	}
	id, _ := res.LastInsertId()
	return id, nil
}

// SetRunByID loads a set run with its items; ErrNotFound (wrapped) if absent.
func (s *Store) SetRunByID(ctx context.Context, id int64) (SetRun, error) {
	r := SetRun{Items: map[int]int64{}}
	err := s.db.QueryRowContext(ctx, `SELECT id, set_id, state, columns, prompts, tags, created_at FROM compare_set_runs WHERE id = ?`, id).
		Scan(&r.ID, &r.SetID, &r.State, &r.Columns, &r.Prompts, &r.Tags, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("set run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, s.wrapErr("load set run", err)
	}
	err = s.each(ctx, `SELECT idx, run_id FROM compare_set_items WHERE set_run_id = ?`, id, func(sc scanner) error {
		var i int
		var run int64
		err := sc.Scan(&i, &run)
		r.Items[i] = run
		return err
	})
	return r, err
}

// SetSetRunState changes a set run's state.
func (s *Store) SetSetRunState(ctx context.Context, id int64, state string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE compare_set_runs SET state = ? WHERE id = ?`, state, id)
	return s.wrapErr("set run state", err)
}

// PauseRunningSetRuns marks every running set run paused (after a restart)
// and returns how many.
func (s *Store) PauseRunningSetRuns(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE compare_set_runs SET state = 'paused' WHERE state = 'running'`)
	if err != nil {
		return 0, s.wrapErr("pause set runs", err)
	}
	return res.RowsAffected()
}

// SetRunItem records that compare run answered prompt idx of a set run.
func (s *Store) SetRunItem(ctx context.Context, id int64, idx int, run int64) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO compare_set_items(set_run_id, idx, run_id) VALUES (?, ?, ?)
		ON CONFLICT(set_run_id, idx) DO UPDATE SET run_id = excluded.run_id`, id, idx, run)
	return s.wrapErr("save set run item", err)
}
