package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered schema change, read from migrations/NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads and orders the migrations in fsys (under
// "migrations/"). Numbers must start at 1 and have no gaps.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var out []migration
	for _, n := range names {
		base := path.Base(n)
		num, rest, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", n)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", n, err)
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(rest, ".sql"), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %d_%s: expected number %d (no gaps or duplicates)", m.version, m.name, i+1)
		}
	}
	return out, nil
}

// SchemaVersion returns the highest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, s.wrapErr("read schema version", err)
}

// migrate applies, in order and each in its own transaction, every migration
// in fsys that the database does not have yet. It refuses a database whose
// schema is newer than the newest migration it knows.
func (s *Store) migrate(ctx context.Context, fsys fs.FS) error {
	return s.migrateTo(ctx, fsys, -1)
}

// migrateTo is migrate stopping at version target (-1: the newest); tests use
// it to build databases as older Wadi versions left them.
func (s *Store) migrateTo(ctx context.Context, fsys fs.FS, target int) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	if target < 0 {
		target = len(ms)
	}
	_, err = s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
	) STRICT`)
	if err != nil {
		return s.wrapErr("prepare migrations", err)
	}
	cur, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if cur > len(ms) {
		return fmt.Errorf("database %s has schema version %d, this Wadi knows up to %d: %w; "+
			"it was left untouched, update Wadi to open it", s.path, cur, len(ms), ErrNewerSchema)
	}
	for _, m := range ms {
		if m.version <= cur || m.version > target {
			continue
		}
		if err := s.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, m migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrapErr(fmt.Sprintf("migration %d_%s", m.version, m.name), err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return s.wrapErr(fmt.Sprintf("migration %d_%s", m.version, m.name), err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
		return s.wrapErr(fmt.Sprintf("record migration %d", m.version), err)
	}
	return s.wrapErr(fmt.Sprintf("commit migration %d_%s", m.version, m.name), tx.Commit())
}
