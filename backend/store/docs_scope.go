package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// inPaths is an SQL list of n placeholders and the paths as arguments.
func inPaths(paths []string) (string, []any) {
	args := make([]any, len(paths))
	for i, p := range paths {
		args[i] = p
	}
	return "(?" + strings.Repeat(",?", max(len(paths)-1, 0)) + ")", args
}

// KeywordSearchFiles is KeywordSearch within some files of the collection
// (by path).
func (s *Store) KeywordSearchFiles(ctx context.Context, collID int64, paths []string, query string, limit int) ([]KeywordHit, error) {
	match := ftsAnyQuery(query)
	if match == "" || len(paths) == 0 {
		return nil, nil
	}
	in, args := inPaths(paths)
	rows, err := s.db.QueryContext(ctx, `SELECT k.id, -bm25(doc_chunks_fts)
		FROM doc_chunks_fts JOIN doc_chunks k ON k.id = doc_chunks_fts.rowid
		WHERE doc_chunks_fts MATCH ? AND k.collection_id = ?
		AND k.file_id IN (SELECT id FROM doc_files WHERE collection_id = ? AND path IN `+in+`)
		ORDER BY bm25(doc_chunks_fts), k.id LIMIT ?`, append(append([]any{match, collID, collID}, args...), limit)...)
	return s.keywordHits(rows, err)
}

// keywordHits reads the rows of a keyword search (chunk id, score).
func (s *Store) keywordHits(rows *sql.Rows, err error) ([]KeywordHit, error) {
	if err != nil {
		return nil, s.wrapErr("keyword search", err)
	}
	defer rows.Close()
	var out []KeywordHit
	for rows.Next() {
		var h KeywordHit
		if err := rows.Scan(&h.ChunkID, &h.Score); err != nil {
			return nil, s.wrapErr("keyword search", err)
		}
		out = append(out, h)
	}
	return out, s.wrapErr("keyword search", rows.Err())
}

// FileVectors is ChunkVectors for some files of the collection (by path).
func (s *Store) FileVectors(ctx context.Context, collID int64, paths []string, model string, fn func(id int64, vec []float32) error) error {
	if len(paths) == 0 {
		return nil
	}
	in, args := inPaths(paths)
	return s.eachVector(ctx, fn, `SELECT k.id, k.embedding FROM doc_chunks k JOIN doc_files f ON f.id = k.file_id
		WHERE k.collection_id = ? AND k.model = ? AND k.embedding IS NOT NULL AND f.path IN `+in+` ORDER BY k.id`,
		append([]any{collID, model}, args...)...)
}

// eachVector runs query (selecting chunk id and embedding) and calls fn
// with each decoded vector.
func (s *Store) eachVector(ctx context.Context, fn func(id int64, vec []float32) error, query string, args ...any) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return s.wrapErr("read vectors", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var blob []byte
		if err := rows.Scan(&id, &blob); err != nil {
			return s.wrapErr("read vectors", err)
		}
		vec, err := DecodeVector(blob)
		if err != nil {
			return fmt.Errorf("chunk %d: %w", id, err)
		}
		if err := fn(id, vec); err != nil {
			return err
		}
	}
	return s.wrapErr("read vectors", rows.Err())
}
