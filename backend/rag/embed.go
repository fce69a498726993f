package rag

import (
	"context"
	"fmt"

	"github.com/wadi-app/wadi/backend/store"
)

// embedChunks fills chunks' Embedding and Model, in batches.
func (s *Service) embedChunks(ctx context.Context, c store.DocCollection, chunks []store.DocChunk) error {
	em, err := s.embedFn(c.EmbedHost)
	if err != nil {
		return err
	}
	for start := 0; start < len(chunks); start += s.batch {
		part := chunks[start:min(start+s.batch, len(chunks))]
		texts := make([]string, len(part))
		for i, ch := range part {
			texts[i] = ch.Text
		}
		vecs, err := em.Embed(ctx, c.EmbedModel, texts)
		if err != nil {
			return err
		}
		for i := range part {
			part[i].Embedding, part[i].Model = vecs[i], c.EmbedModel
		}
	}
	return nil
}

// reembed embeds every chunk of the collection that has no vector from its
// current model (after a model change, or an embedding that failed),
// reporting to r (nil: no reports).
func (s *Service) reembed(ctx context.Context, c store.DocCollection, r *reporter) error {
	if r != nil {
		n, err := s.st.CountStaleChunks(ctx, c.ID, c.EmbedModel)
		if err != nil {
			return err
		}
		r.startEmbed(n)
	}
	for {
		stale, err := s.st.StaleChunks(ctx, c.ID, c.EmbedModel, s.batch*4)
		if err != nil {
			return err
		}
		if len(stale) == 0 {
			return s.st.ClearFileErrors(ctx, c.ID, notEmbedded)
		}
		if err := s.embedChunks(ctx, c, stale); err != nil {
			return fmt.Errorf("collection %q: re-embed: %w", c.Name, err)
		}
		if err := s.st.SetEmbeddings(ctx, c.EmbedModel, stale); err != nil {
			return err
		}
		if r != nil {
			r.embedded(len(stale))
		}
	}
}

// Reembed embeds the chunks of the collection that lack a vector from its
// current model. Nothing to do in keyword-only mode.
func (s *Service) Reembed(ctx context.Context, name string) error {
	c, err := s.Collection(ctx, name)
	if err != nil || c.EmbedModel == "" {
		return err
	}
	defer s.drop(c.ID)
	return s.reembed(ctx, c, nil)
}
