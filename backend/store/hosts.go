package store

import (
	"context"
	"errors"
	"fmt"
)

// ErrDuplicate is returned when adding something that already exists.
var ErrDuplicate = errors.New("already exists")

// Host is a configured Ollama host.
type Host struct {
	ID  int64
	URL string
}

// Hosts returns the configured hosts in display order.
func (s *Store) Hosts(ctx context.Context) ([]Host, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, url FROM hosts ORDER BY position, id`)
	if err != nil {
		return nil, s.wrapErr("list hosts", err)
	}
	defer rows.Close()
	var out []Host
	for rows.Next() {
		var h Host
		if err := rows.Scan(&h.ID, &h.URL); err != nil {
			return nil, s.wrapErr("list hosts", err)
		}
		out = append(out, h)
	}
	return out, s.wrapErr("list hosts", rows.Err())
}

// AddHost appends a host (already normalized by the caller). Adding a URL
// that is already configured returns ErrDuplicate (wrapped).
func (s *Store) AddHost(ctx context.Context, url string) error {
	res, err := s.db.ExecContext(ctx, `INSERT INTO hosts(url, position)
		SELECT ?, COALESCE(MAX(position), 0) + 1 FROM hosts WHERE true
		ON CONFLICT(url) DO NOTHING`, url)
	if err != nil {
		return s.wrapErr("add host "+url, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("host %s: %w", url, ErrDuplicate)
	}
	return nil
}

// RemoveHost deletes a host by URL; ErrNotFound (wrapped) if absent.
func (s *Store) RemoveHost(ctx context.Context, url string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM hosts WHERE url = ?`, url)
	if err != nil {
		return s.wrapErr("remove host "+url, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("host %s: %w", url, ErrNotFound)
	}
	return nil
}
