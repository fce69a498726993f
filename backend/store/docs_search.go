package store

import (
	"context"
	"strings"
	"unicode"
)

// KeywordHit is one chunk matching a keyword search.
type KeywordHit struct {
	ChunkID int64
	Score   float64 // -bm25: higher is better
}

// KeywordSearch ranks the collection's chunks containing any word of query
// by BM25, best first, at most limit. Words are quoted, so FTS syntax in
// query is searched as text and never errors; an empty query finds nothing.
func (s *Store) KeywordSearch(ctx context.Context, collID int64, query string, limit int) ([]KeywordHit, error) {
	match := ftsAnyQuery(query)
	if match == "" {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT k.id, -bm25(doc_chunks_fts)
		FROM doc_chunks_fts JOIN doc_chunks k ON k.id = doc_chunks_fts.rowid
		WHERE doc_chunks_fts MATCH ? AND k.collection_id = ?
		ORDER BY bm25(doc_chunks_fts), k.id LIMIT ?`, match, collID, limit)
	return s.keywordHits(rows, err)
}

// QueryWords splits q into words where the FTS tokenizer would: at
// anything that is not a letter, digit or combining mark.
func QueryWords(q string) []string {
	return strings.FieldsFunc(q, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r))
	})
}

// ftsAnyQuery quotes each word of q and ORs them: BM25 then ranks chunks
// with more and rarer words first.
func ftsAnyQuery(q string) string {
	words := QueryWords(q)
	for i, w := range words {
		words[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	return strings.Join(words, " OR ")
}
