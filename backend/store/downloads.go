package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// DownloadRow is one stored entry of the model download queue.
type DownloadRow struct {
	ID             int64
	Host           string
	Name           string
	State          string
	CompletedBytes int64
	TotalBytes     int64
	Error          string
	Attempts       int
	UpdatedAt      string // RFC 3339 UTC
}

const downloadCols = `id, host, name, state, completed_bytes, total_bytes, error, attempts, updated_at`

func scanDownload(sc interface{ Scan(...any) error }) (DownloadRow, error) {
	var d DownloadRow
	err := sc.Scan(&d.ID, &d.Host, &d.Name, &d.State, &d.CompletedBytes, &d.TotalBytes, &d.Error, &d.Attempts, &d.UpdatedAt)
	return d, err
}

// AddDownload stores a new download in state and returns it.
func (s *Store) AddDownload(ctx context.Context, host, name, state string) (DownloadRow, error) {
	row := s.db.QueryRowContext(ctx, `INSERT INTO downloads(host, name, state) VALUES (?, ?, ?)
		RETURNING `+downloadCols, host, name, state)
	d, err := scanDownload(row)
	return d, s.wrapErr("add download "+name, err)
}

// UpdateDownload writes d's state, progress, error and attempts, and sets
// its UpdatedAt. ErrNotFound (wrapped) if the row is gone.
func (s *Store) UpdateDownload(ctx context.Context, d DownloadRow) (DownloadRow, error) {
	row := s.db.QueryRowContext(ctx, `UPDATE downloads SET state = ?, completed_bytes = ?, total_bytes = ?,
		error = ?, attempts = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
		WHERE id = ? RETURNING `+downloadCols,
		d.State, d.CompletedBytes, d.TotalBytes, d.Error, d.Attempts, d.ID)
	out, err := scanDownload(row)
	if errors.Is(err, sql.ErrNoRows) {
		return DownloadRow{}, fmt.Errorf("download %d: %w", d.ID, ErrNotFound)
	}
	return out, s.wrapErr(fmt.Sprintf("update download %d", d.ID), err)
}

// Downloads returns every stored download, oldest first.
func (s *Store) Downloads(ctx context.Context) ([]DownloadRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+downloadCols+` FROM downloads ORDER BY id`)
	if err != nil {
		return nil, s.wrapErr("list downloads", err)
	}
	defer rows.Close()
	var out []DownloadRow
	for rows.Next() {
		d, err := scanDownload(rows)
		if err != nil {
			return nil, s.wrapErr("list downloads", err)
		}
		out = append(out, d)
	}
	return out, s.wrapErr("list downloads", rows.Err())
}

// DeleteDownload removes a download row; ErrNotFound (wrapped) if absent.
func (s *Store) DeleteDownload(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM downloads WHERE id = ?`, id)
	if err != nil {
		return s.wrapErr(fmt.Sprintf("delete download %d", id), err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("download %d: %w", id, ErrNotFound)
	}
	return nil
}
