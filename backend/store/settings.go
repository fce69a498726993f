package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrNotFound is returned when a requested row does not exist.
var ErrNotFound = errors.New("not found")

// GetSetting decodes the JSON value stored under key into dst. It returns
// ErrNotFound (wrapped) when the key has never been set.
func (s *Store) GetSetting(ctx context.Context, key string, dst any) error {
	var raw string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("setting %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return s.wrapErr("read setting "+key, err)
	}
	if err := json.Unmarshal([]byte(raw), dst); err != nil {
		return fmt.Errorf("setting %q in %s holds invalid JSON: %w", key, s.path, err)
	}
	return nil
}

// SetSetting stores value (encoded as JSON) under key.
func (s *Store) SetSetting(ctx context.Context, key string, value any) error {
	b, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("setting %q: encode: %w", key, err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value,
		updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`, key, string(b))
	return s.wrapErr("write setting "+key, err)
}
