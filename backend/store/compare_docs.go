package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// CompareDocs is what a compare run keeps about documents (migration
// 0008_compare_docs.sql): the attached collection ("" none) and each turn's
// retrieval as JSON (its shape belongs to backend/rag), by turn index.
type CompareDocs struct {
	Collection string
	Retrievals map[int]string
}

// SetCompareCollection attaches collection name to run ("" detaches).
func (s *Store) SetCompareCollection(ctx context.Context, run int64, name string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE compare_runs SET collection = ? WHERE id = ?`, name, run)
	if err != nil {
		return s.wrapErr("set compare collection", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("compare run %d: %w", run, ErrNotFound)
	}
	return nil
}

// SetCompareRetrieval stores what was retrieved for turn of run (JSON; ""
// clears it).
func (s *Store) SetCompareRetrieval(ctx context.Context, run int64, turn int, retrieval string) error {
	var v any
	if retrieval != "" {
		v = retrieval
	}
	res, err := s.db.ExecContext(ctx, `UPDATE compare_turns SET retrieval = ? WHERE run_id = ? AND idx = ?`, v, run, turn)
	if err != nil {
		return s.wrapErr("save compare retrieval", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("turn %d of compare run %d: %w", turn, run, ErrNotFound)
	}
	return nil
}

// SetSetRunCollection attaches collection name to set run id ("" none).
func (s *Store) SetSetRunCollection(ctx context.Context, id int64, name string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE compare_set_runs SET collection = ? WHERE id = ?`, name, id)
	if err != nil {
		return s.wrapErr("set set run collection", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set run %d: %w", id, ErrNotFound)
	}
	return nil
}

// SetRunCollection returns set run id's collection ("" none); ErrNotFound
// (wrapped) if absent.
func (s *Store) SetRunCollection(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.db.QueryRowContext(ctx, `SELECT collection FROM compare_set_runs WHERE id = ?`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("set run %d: %w", id, ErrNotFound)
	}
	return name, s.wrapErr("load set run collection", err)
}

// CompareDocs loads a run's collection and its turns' retrievals;
// ErrNotFound (wrapped) if the run is absent.
func (s *Store) CompareDocs(ctx context.Context, run int64) (CompareDocs, error) {
	d := CompareDocs{Retrievals: map[int]string{}}
	err := s.db.QueryRowContext(ctx, `SELECT collection FROM compare_runs WHERE id = ?`, run).Scan(&d.Collection)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("compare run %d: %w", run, ErrNotFound)
	}
	if err != nil {
		return d, s.wrapErr("load compare documents", err)
	}
	err = s.each(ctx, `SELECT idx, retrieval FROM compare_turns WHERE run_id = ? AND retrieval IS NOT NULL ORDER BY idx`, run,
		func(sc scanner) error {
			var turn int
			var r string
			err := sc.Scan(&turn, &r)
			d.Retrievals[turn] = r
			return err
		})
	return d, err
}
