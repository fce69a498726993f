// Package rag keeps document collections searchable: it indexes files
// (extract -> chunk -> embed -> store), keeps each collection's vectors in an
// in-memory chromem-go index filled from SQLite, and retrieves chunks by
// fusing vector and BM25 keyword rankings (reciprocal rank fusion).
//
// SQLite is the source of truth: chunk text, offsets and float32 embeddings
// are written per file in one transaction with their FTS5 rows, so a crash
// loses at most the file being written. The vector index is rebuilt from
// those rows when a collection is first queried after a change.
package rag

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/ollama/ollama/api"
	"github.com/wadi-app/wadi/backend/ollama"
	"github.com/wadi-app/wadi/backend/rag/chunk"
	"github.com/wadi-app/wadi/backend/rag/extract"
	"github.com/wadi-app/wadi/backend/store"
)

// Embedder turns texts into vectors with a model.
type Embedder interface {
	Embed(ctx context.Context, model string, texts []string) ([][]float32, error)
}

// OllamaEmbedder embeds through a host's /api/embed.
type OllamaEmbedder struct{ Client *ollama.Client }

// Embed sends texts in one /api/embed request and checks the answer's shape.
func (e OllamaEmbedder) Embed(ctx context.Context, model string, texts []string) ([][]float32, error) {
	truncate := true
	resp, err := e.Client.API().Embed(ctx, &api.EmbedRequest{Model: model, Input: texts, Truncate: &truncate})
	if err != nil {
		return nil, fmt.Errorf("embed with %s on %s: %w", model, e.Client.Host(), err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(resp.Embeddings) != len(texts) {
		return nil, fmt.Errorf("embed with %s on %s: %d vectors for %d texts", model, e.Client.Host(), len(resp.Embeddings), len(texts))
	}
	return resp.Embeddings, nil
}

// Options configure a Service.
type Options struct {
	// Embedder returns the embedder for a host (default: OllamaEmbedder).
	Embedder func(host string) (Embedder, error)
	// Limits bound extraction per file (default extract.DefaultLimits()).
	Limits *extract.Limits
	// Chunk sizes chunks (default chunk.DefaultOptions()).
	Chunk *chunk.Options
	// BatchSize is how many chunks go in one embed request (default 32).
	BatchSize int
	// Logger receives diagnostics (default slog.Default()).
	Logger *slog.Logger
}

// Service indexes and searches the collections of one store.
type Service struct {
	st      *store.Store
	embedFn func(host string) (Embedder, error)
	limits  extract.Limits
	chunk   chunk.Options
	batch   int
	log     *slog.Logger

	mu   sync.Mutex
	vec  map[int64]*vecIndex // by collection id; dropped on writes
	busy map[int64]bool      // collections being indexed
}

// New returns a Service over st.
func New(st *store.Store, opt Options) *Service {
	s := &Service{st: st, embedFn: opt.Embedder, batch: opt.BatchSize, log: opt.Logger, vec: map[int64]*vecIndex{}, busy: map[int64]bool{}}
	if s.embedFn == nil {
		s.embedFn = func(host string) (Embedder, error) {
			c, err := ollama.New(host)
			if err != nil {
				return nil, err
			}
			return OllamaEmbedder{Client: c}, nil
		}
	}
	s.limits = extract.DefaultLimits()
	if opt.Limits != nil {
		s.limits = *opt.Limits
	}
	s.chunk = chunk.DefaultOptions()
	if opt.Chunk != nil {
		s.chunk = *opt.Chunk
	}
	if s.batch <= 0 {
		s.batch = 32
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// ErrBusy means the collection is being indexed already.
var ErrBusy = errors.New("collection is being indexed")

// claim marks a collection as being indexed; release with the func.
func (s *Service) claim(c store.DocCollection) (func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy[c.ID] {
		return nil, fmt.Errorf("collection %q: %w", c.Name, ErrBusy)
	}
	s.busy[c.ID] = true
	return func() {
		s.mu.Lock()
		delete(s.busy, c.ID)
		s.mu.Unlock()
	}, nil
}

// ErrNoCollection means the named collection does not exist.
var ErrNoCollection = errors.New("no such collection")

// Collection returns a collection by name, with its file and chunk
// counts (ErrNoCollection, wrapped).
func (s *Service) Collection(ctx context.Context, name string) (store.DocCollection, error) {
	c, err := s.st.Collection(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return c, fmt.Errorf("collection %q: %w", name, ErrNoCollection)
	}
	return c, err
}

// head is Collection without the counts.
func (s *Service) head(ctx context.Context, name string) (store.DocCollection, error) {
	c, err := s.st.CollectionHead(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return c, fmt.Errorf("collection %q: %w", name, ErrNoCollection)
	}
	return c, err
}

// Create makes an empty collection. embedModel "" makes it keyword-only;
// host is the Ollama host that embeds (required with a model).
func (s *Service) Create(ctx context.Context, name, embedModel, host string) (store.DocCollection, error) {
	if embedModel != "" && host == "" {
		return store.DocCollection{}, fmt.Errorf("collection %q: embedding model %s needs a host", name, embedModel)
	}
	if embedModel == "" {
		host = ""
	}
	return s.st.CreateCollection(ctx, name, embedModel, host)
}

// Collections lists every collection.
func (s *Service) Collections(ctx context.Context) ([]store.DocCollection, error) {
	return s.st.Collections(ctx)
}

// Files lists a collection's files and their state.
func (s *Service) Files(ctx context.Context, name string) ([]store.DocFile, error) {
	c, err := s.Collection(ctx, name)
	if err != nil {
		return nil, err
	}
	return s.st.Files(ctx, c.ID)
}

// Delete deletes a collection and everything indexed in it.
func (s *Service) Delete(ctx context.Context, name string) error {
	c, err := s.Collection(ctx, name)
	if err != nil {
		return err
	}
	s.drop(c.ID)
	return s.st.DeleteCollection(ctx, c.ID)
}

// Rename renames a collection.
func (s *Service) Rename(ctx context.Context, name, newName string) error {
	c, err := s.Collection(ctx, name)
	if err != nil {
		return err
	}
	return s.st.RenameCollection(ctx, c.ID, newName)
}

// SetModel changes the collection's embedding model ("" for keyword-only).
// Chunks embedded by another model are re-embedded by the next Reembed,
// Add or Rescan; until then vector search uses only the up-to-date ones.
func (s *Service) SetModel(ctx context.Context, name, model, host string) error {
	c, err := s.Collection(ctx, name)
	if err != nil {
		return err
	}
	if model == "" {
		host = ""
	} else if host == "" {
		return fmt.Errorf("collection %q: embedding model %s needs a host", name, model)
	}
	s.drop(c.ID)
	return s.st.SetCollectionModel(ctx, c.ID, model, host)
}

// drop forgets a collection's in-memory vector index after a change.
func (s *Service) drop(collID int64) {
	s.mu.Lock()
	delete(s.vec, collID)
	s.mu.Unlock()
}
