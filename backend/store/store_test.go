package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "wadi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenSetsPragmasOnEveryConnection(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	// Hold several connections at once so the pool cannot hand back the same one.
	var conns []interface{ Close() error }
	for i := 0; i < 3; i++ {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var mode string
		var fk, busy int
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || fk != 1 || busy != 5000 {
			t.Errorf("conn %d: journal_mode=%s foreign_keys=%d busy_timeout=%d", i, mode, fk, busy)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestFTS5Available(t *testing.T) {
	s := openTemp(t)
	if _, err := s.db.Exec(`CREATE VIRTUAL TABLE probe USING fts5(body)`); err != nil {
		t.Fatalf("FTS5 missing (build with -tags sqlite_fts5): %v", err)
	}
}

func TestSettingsRoundTripAndPersist(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wadi.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	type prefs struct {
		Theme string
		Size  int
	}
	var got prefs
	if err := s.GetSetting(ctx, "ui", &got); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unset key: err = %v, want ErrNotFound", err)
	}
	if err := s.SetSetting(ctx, "ui", prefs{"dark", 14}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "ui", prefs{"light", 15}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.GetSetting(ctx, "ui", &got); err != nil || got != (prefs{"light", 15}) {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}
	if _, err := s.db.Exec(`UPDATE settings SET value = '{broken' WHERE key = 'ui'`); err != nil {
		t.Fatal(err)
	}
	if err := s.GetSetting(ctx, "ui", &got); err == nil || !strings.Contains(err.Error(), `"ui"`) {
		t.Fatalf("invalid JSON should name the key: %v", err)
	}
}

func TestHosts(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for _, u := range []string{"http://b:11434", "http://a:11434", "http://c:11434"} {
		if err := s.AddHost(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddHost(ctx, "http://a:11434"); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate: %v", err)
	}
	if err := s.RemoveHost(ctx, "http://a:11434"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveHost(ctx, "http://a:11434"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remove missing: %v", err)
	}
	if err := s.AddHost(ctx, "http://a:11434"); err != nil {
		t.Fatal(err)
	}
	hs, err := s.Hosts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, h := range hs {
		urls = append(urls, h.URL)
	}
	if strings.Join(urls, " ") != "http://b:11434 http://c:11434 http://a:11434" {
		t.Fatalf("order = %v (insertion order expected)", urls)
	}
}

func TestCorruptFileIsRefusedAndUntouched(t *testing.T) {
	cases := map[string][]byte{
		"not sqlite":       []byte("this is a text file, not a database\n"),
		"short":            []byte("SQLite"),
		"garbage in pages": append([]byte(sqliteMagic), bytes.Repeat([]byte{0xAB}, 8192)...),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "wadi.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
				t.Fatal("corrupt file opened without error")
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(after, content) {
				t.Error("corrupt file was modified")
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "wadi.db" && strings.HasPrefix(e.Name(), "wadi.db") && name != "garbage in pages" {
					t.Errorf("left %s beside the corrupt file", e.Name())
				}
			}
		})
	}
}

func TestNewerSchemaIsRefusedAndUntouched(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wadi.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO schema_migrations(version, name) VALUES (999, 'future')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)

	_, err = Open(ctx, path)
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "999") {
		t.Fatalf("err = %v, want ErrNewerSchema naming %s and version 999", err, path)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("database from a newer Wadi was modified")
	}
}

// schemaOf dumps the schema in a stable order for comparison.
func schemaOf(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.db.Query(`SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, tbl, sql string
		if err := rows.Scan(&typ, &name, &tbl, &sql); err != nil {
			t.Fatal(err)
		}
		b.WriteString(typ + " " + name + " " + tbl + "\n" + strings.Join(strings.Fields(sql), " ") + "\n")
	}
	return b.String()
}

func TestMigratingOldSchemaEqualsFresh(t *testing.T) {
	ctx := context.Background()
	fresh := openTemp(t)
	want := schemaOf(t, fresh)
	all, err := loadMigrations(migrationFiles)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < len(all); k++ {
		path := filepath.Join(t.TempDir(), "old.db")
		s := &Store{path: path}
		s.db, err = openRaw(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.migrateTo(ctx, migrationFiles, k); err != nil {
			t.Fatalf("build schema v%d: %v", k, err)
		}
		if k >= 1 {
			if err := s.SetSetting(ctx, "kept", "from v1"); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()

		up, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("migrate from v%d: %v", k, err)
		}
		if got := schemaOf(t, up); got != want {
			t.Errorf("schema migrated from v%d differs from fresh:\n%s\nwant:\n%s", k, got, want)
		}
		if v, _ := up.SchemaVersion(ctx); v != len(all) {
			t.Errorf("from v%d: version %d, want %d", k, v, len(all))
		}
		if k >= 1 {
			var kept string
			if err := up.GetSetting(ctx, "kept", &kept); err != nil || kept != "from v1" {
				t.Errorf("from v%d: data lost: %q %v", k, kept, err)
			}
		}
		up.Close()
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	fsys := fstest.MapFS{
		"migrations/0001_a.sql": {Data: []byte(`CREATE TABLE a (x INTEGER);`)},
		"migrations/0002_b.sql": {Data: []byte(`CREATE TABLE b (x INTEGER); INSERT INTO nope VALUES (1);`)},
	}
	path := filepath.Join(t.TempDir(), "x.db")
	db, err := openRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{db: db, path: path}
	defer s.Close()
	err = s.migrate(ctx, fsys)
	if err == nil || !strings.Contains(err.Error(), "0002") && !strings.Contains(err.Error(), "2_b") {
		t.Fatalf("err = %v, want the failing migration named", err)
	}
	if v, _ := s.SchemaVersion(ctx); v != 1 {
		t.Errorf("version = %d, want 1", v)
	}
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n)
	if n != 0 {
		t.Error("table from the failed migration survived")
	}
}

func TestLoadMigrationsRejectsGaps(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"gap":     {"migrations/0001_a.sql": {}, "migrations/0003_c.sql": {}},
		"dup":     {"migrations/0001_a.sql": {}, "migrations/0001_b.sql": {}},
		"badname": {"migrations/first.sql": {}},
	} {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
