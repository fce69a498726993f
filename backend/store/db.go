// Package store keeps all of Wadi's user data in one SQLite file: schema
// migrations, settings, hosts, and (in later versions) chats and documents.
// SQL stays inside this package behind context-taking methods.
//
// The database is opened in WAL mode with foreign keys on and a busy
// timeout, all set in the DSN so that every pooled connection has them.
// A file that is not a Wadi database, is corrupt, or was written by a newer
// Wadi is refused with an error naming it; it is never changed or deleted.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3"
)

// Store is an open Wadi database.
type Store struct {
	db   *sql.DB
	path string
}

// ErrNotDatabase means the file exists but is not an SQLite database.
var ErrNotDatabase = errors.New("not a Wadi database (or corrupt)")

// ErrNewerSchema means the database was written by a newer Wadi.
var ErrNewerSchema = errors.New("database was written by a newer version of Wadi")

const sqliteMagic = "SQLite format 3\x00"

// Open opens (creating if needed) the database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite3", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Several readers are fine in WAL mode; SQLite serializes writers and
	// the busy timeout makes them wait instead of failing.
	db.SetMaxOpenConns(8)
	s := &Store{db: db, path: path}
	if err := s.migrate(ctx, migrationFiles); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func dsn(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + esc + "?_foreign_keys=1&_journal_mode=WAL&_busy_timeout=5000&_synchronous=NORMAL&_txlock=immediate"
}

// checkHeader refuses a non-empty file that does not start like an SQLite
// database, before SQLite gets a chance to write a journal next to it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // an empty file is a new, empty database
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("read database %s: %w", path, err)
	}
	if !bytes.Equal(head[:n], []byte(sqliteMagic)) || n < len(sqliteMagic) {
		return fmt.Errorf("database %s: %w; it was left untouched, move it away to start fresh", path, ErrNotDatabase)
	}
	return nil
}

// wrapErr names the database file in an error, and explains corruption.
func (s *Store) wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if strings.Contains(msg, "malformed") || strings.Contains(msg, "not a database") {
		return fmt.Errorf("%s: database %s: %w (%v); it was left untouched", op, s.path, ErrNotDatabase, err)
	}
	return fmt.Errorf("%s: database %s: %w", op, s.path, err)
}

// openRaw opens a database without migrating it (tests build old schemas).
func openRaw(path string) (*sql.DB, error) {
	return sql.Open("sqlite3", dsn(path))
}
