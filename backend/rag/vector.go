package rag

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	chromem "github.com/philippgille/chromem-go"
)

// vecIndex is one collection's vectors in memory, for one model.
type vecIndex struct {
	model string
	col   *chromem.Collection
}

// errNoEmbedFunc guards chromem-go's own embedding path: every document and
// query here arrives with its vector.
var errNoEmbedFunc = errors.New("rag: vectors are precomputed; chromem must not embed")

// index returns the collection's vector index for model, filling it from
// SQLite on first use. It is nil when no chunk has a vector for model.
func (s *Service) index(ctx context.Context, collID int64, model string) (*vecIndex, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ix := s.vec[collID]; ix != nil && ix.model == model {
		return ix, nil
	}
	col, err := chromem.NewDB().CreateCollection("c"+strconv.FormatInt(collID, 10), nil,
		func(context.Context, string) ([]float32, error) { return nil, errNoEmbedFunc })
	if err != nil {
		return nil, fmt.Errorf("vector index: %w", err)
	}
	var docs []chromem.Document
	err = s.st.ChunkVectors(ctx, collID, model, func(id int64, vec []float32) error {
		docs = append(docs, chromem.Document{ID: strconv.FormatInt(id, 10), Embedding: vec})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, nil
	}
	if err := col.AddDocuments(ctx, docs, 2); err != nil {
		return nil, fmt.Errorf("vector index: %w", err)
	}
	ix := &vecIndex{model: model, col: col}
	s.vec[collID] = ix
	return ix, nil
}

// vecHit is one nearest chunk.
type vecHit struct {
	id  int64
	sim float64
}

// query returns the n chunks nearest to q, best first.
func (ix *vecIndex) query(ctx context.Context, q []float32, n int) ([]vecHit, error) {
	n = min(n, ix.col.Count())
	if n == 0 {
		return nil, nil
	}
	res, err := ix.col.QueryEmbedding(ctx, q, n, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("vector search: %w", err)
	}
	out := make([]vecHit, 0, len(res))
	for _, r := range res {
		id, err := strconv.ParseInt(r.ID, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("vector search: bad id %q", r.ID)
		}
		out = append(out, vecHit{id: id, sim: float64(r.Similarity)})
	}
	return out, nil
}
