package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// ErrExists means a row with that unique name is already stored.
var ErrExists = errors.New("already exists")

// File states of a document file.
const (
	FilePending = "pending"
	FileIndexed = "indexed"
	FileFailed  = "failed"
	FileSkipped = "skipped"
)

// DocCollection is a named set of documents searched together.
type DocCollection struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	EmbedModel string `json:"embedModel"` // "" means keyword-only
	EmbedHost  string `json:"embedHost"`
	CreatedAt  string `json:"createdAt"`
	UpdatedAt  string `json:"updatedAt"`
	Files      int    `json:"files"` // counts, filled by Collections and Collection
	Chunks     int    `json:"chunks"`
}

const collCols = `c.id, c.name, c.embed_model, c.embed_host, c.created_at, c.updated_at,
	(SELECT COUNT(*) FROM doc_files f WHERE f.collection_id = c.id),
	(SELECT COUNT(*) FROM doc_chunks k WHERE k.collection_id = c.id)`

func scanColl(sc interface{ Scan(...any) error }) (DocCollection, error) {
	var c DocCollection
	err := sc.Scan(&c.ID, &c.Name, &c.EmbedModel, &c.EmbedHost, &c.CreatedAt, &c.UpdatedAt, &c.Files, &c.Chunks)
	return c, err
}

// CreateCollection stores a new, empty collection. ErrExists (wrapped) if
// the name is taken.
func (s *Store) CreateCollection(ctx context.Context, name, embedModel, embedHost string) (DocCollection, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return DocCollection{}, errors.New("create collection: name is empty")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO doc_collections(name, embed_model, embed_host) VALUES (?, ?, ?)`,
		name, embedModel, embedHost)
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return DocCollection{}, fmt.Errorf("collection %q: %w", name, ErrExists)
	}
	if err != nil {
		return DocCollection{}, s.wrapErr("create collection "+name, err)
	}
	return s.Collection(ctx, name)
}

// Collection returns the collection called name; ErrNotFound (wrapped) if
// there is none.
func (s *Store) Collection(ctx context.Context, name string) (DocCollection, error) {
	c, err := scanColl(s.db.QueryRowContext(ctx, `SELECT `+collCols+` FROM doc_collections c WHERE c.name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return DocCollection{}, fmt.Errorf("collection %q: %w", name, ErrNotFound)
	}
	return c, s.wrapErr("read collection "+name, err)
}

// CollectionHead is Collection without the file and chunk counts (which
// cost a scan of the collection's rows): for hot paths such as search.
func (s *Store) CollectionHead(ctx context.Context, name string) (DocCollection, error) {
	var c DocCollection
	err := s.db.QueryRowContext(ctx, `SELECT id, name, embed_model, embed_host, created_at, updated_at
		FROM doc_collections WHERE name = ?`, name).Scan(&c.ID, &c.Name, &c.EmbedModel, &c.EmbedHost, &c.CreatedAt, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return DocCollection{}, fmt.Errorf("collection %q: %w", name, ErrNotFound)
	}
	return c, s.wrapErr("read collection "+name, err)
}

// Collections returns every collection by name.
func (s *Store) Collections(ctx context.Context) ([]DocCollection, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+collCols+` FROM doc_collections c ORDER BY c.name`)
	if err != nil {
		return nil, s.wrapErr("list collections", err)
	}
	defer rows.Close()
	var out []DocCollection
	for rows.Next() {
		c, err := scanColl(rows)
		if err != nil {
			return nil, s.wrapErr("list collections", err)
		}
		out = append(out, c)
	}
	return out, s.wrapErr("list collections", rows.Err())
}

// RenameCollection renames a collection; ErrNotFound or ErrExists (wrapped).
func (s *Store) RenameCollection(ctx context.Context, id int64, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return errors.New("rename collection: name is empty")
	}
	res, err := s.db.ExecContext(ctx, `UPDATE doc_collections SET name = ?,
		updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`, name, id)
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return fmt.Errorf("collection %q: %w", name, ErrExists)
	}
	return s.affected(res, err, fmt.Sprintf("collection %d", id))
}

// SetCollectionModel sets the embedding model ("" for keyword-only).
func (s *Store) SetCollectionModel(ctx context.Context, id int64, model, host string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE doc_collections SET embed_model = ?, embed_host = ?,
		updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`, model, host, id)
	return s.affected(res, err, fmt.Sprintf("collection %d", id))
}

// DeleteCollection deletes a collection with its sources, files and chunks.
func (s *Store) DeleteCollection(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM doc_collections WHERE id = ?`, id)
	return s.affected(res, err, fmt.Sprintf("collection %d", id))
}

func (s *Store) affected(res sql.Result, err error, what string) error {
	if err != nil {
		return s.wrapErr(what, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

// DocSource is a file or folder added to a collection, rescanned for changes.
type DocSource struct {
	ID      int64
	Path    string
	Include []string // glob patterns a file's name or relative path must match (any)
	Exclude []string // glob patterns that leave a file out
}

// AddSource adds (or updates the patterns of) a source of a collection.
func (s *Store) AddSource(ctx context.Context, collID int64, src DocSource) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO doc_sources(collection_id, path, include, exclude) VALUES (?, ?, ?, ?)
		ON CONFLICT(collection_id, path) DO UPDATE SET include = excluded.include, exclude = excluded.exclude`,
		collID, src.Path, strings.Join(src.Include, "\n"), strings.Join(src.Exclude, "\n"))
	return s.wrapErr("add source "+src.Path, err)
}

// RemoveSource removes a source; ErrNotFound (wrapped) if it is not one.
func (s *Store) RemoveSource(ctx context.Context, collID int64, path string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM doc_sources WHERE collection_id = ? AND path = ?`, collID, path)
	return s.affected(res, err, "source "+path)
}

// Sources lists a collection's sources.
func (s *Store) Sources(ctx context.Context, collID int64) ([]DocSource, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, path, include, exclude FROM doc_sources
		WHERE collection_id = ? ORDER BY path`, collID)
	if err != nil {
		return nil, s.wrapErr("list sources", err)
	}
	defer rows.Close()
	var out []DocSource
	for rows.Next() {
		var d DocSource
		var inc, exc string
		if err := rows.Scan(&d.ID, &d.Path, &inc, &exc); err != nil {
			return nil, s.wrapErr("list sources", err)
		}
		d.Include, d.Exclude = splitLines(inc), splitLines(exc)
		out = append(out, d)
	}
	return out, s.wrapErr("list sources", rows.Err())
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
