package rag

import (
	"context"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// TestHybridWithRealOllama embeds through the real test Ollama (tiny bert,
// 64-dim vectors), searches hybrid, changes the model (re-embed), and falls
// back to keyword-only when the host is gone.
func TestHybridWithRealOllama(t *testing.T) {
	ctx := context.Background()
	srv := ollamatest.Start(t)
	srv.CreateEmbedModel(t, "bert-a", 1)
	srv.CreateEmbedModel(t, "bert-b", 2)
	s, st := newService(t, Options{BatchSize: 2})
	c, err := s.Create(ctx, "docs", "bert-a", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	dir := folder(t)
	p, err := s.Add(ctx, "docs", []string{dir}, AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	vectors := func(model string) (n, dim int) {
		st.ChunkVectors(ctx, c.ID, model, func(_ int64, v []float32) error { n++; dim = len(v); return nil })
		return
	}
	if n, dim := vectors("bert-a"); n != p.Chunks || n == 0 || dim != 64 {
		t.Fatalf("%d vectors of dim %d for %d chunks", n, dim, p.Chunks)
	}
	for _, f := range states(t, s, "docs") {
		if f.State == "indexed" && f.Error != "" {
			t.Errorf("%s: %s", f.Path, f.Error)
		}
	}

	res, err := s.Search(ctx, "docs", "walrus daemon", 3)
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != ModeHybrid || res.Notice != "" {
		t.Fatalf("mode %q notice %q", res.Mode, res.Notice)
	}
	if len(res.Hits) != 3 {
		t.Fatalf("%d hits, want k=3 (vector search ranks every chunk)", len(res.Hits))
	}
	var both bool
	for i, h := range res.Hits {
		if h.VectorScore == nil {
			t.Errorf("hit %d has no vector score", i)
		}
		if i > 0 && h.Fused > res.Hits[i-1].Fused {
			t.Errorf("hits not in fused order")
		}
		if h.KeywordScore != nil && h.VectorScore != nil {
			both = true
			if !strings.HasSuffix(h.File, "guide.md") {
				t.Errorf("keyword hit from %s", h.File)
			}
		}
	}
	if !both {
		t.Error("no hit carries both scores")
	}

	// Change the model: every chunk is re-embedded by the new one.
	if err := s.SetModel(ctx, "docs", "bert-b", srv.URL); err != nil {
		t.Fatal(err)
	}
	if err := s.Reembed(ctx, "docs"); err != nil {
		t.Fatal(err)
	}
	if n, _ := vectors("bert-b"); n != p.Chunks {
		t.Fatalf("%d of %d chunks re-embedded", n, p.Chunks)
	}
	if n, _ := vectors("bert-a"); n != 0 {
		t.Fatalf("%d chunks still on the old model", n)
	}
	if res, _ := s.Search(ctx, "docs", "walrus", 3); res.Mode != ModeHybrid {
		t.Fatalf("after re-embed: mode %q %q", res.Mode, res.Notice)
	}

	// The host goes away: search still answers, keyword-only, and says why.
	srv.Stop()
	res, err = s.Search(ctx, "docs", "walrus", 3)
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != ModeKeyword || !strings.Contains(res.Notice, "keyword-only") || len(res.Hits) == 0 {
		t.Fatalf("host down: mode %q notice %q hits %d", res.Mode, res.Notice, len(res.Hits))
	}
	// Indexing with the host down stores chunks for keyword search and
	// says the vectors are missing.
	write(t, dir, "later.md", "# Later\n\nA pelican arrives.\n")
	if _, err := s.Rescan(ctx, "docs", AddOptions{}); err == nil {
		t.Fatal("re-embed pass with the host down did not fail")
	}
	f := states(t, s, "docs")["later.md"]
	if f.State != "indexed" || !strings.Contains(f.Error, "not embedded yet") {
		t.Fatalf("later.md: %+v", f)
	}
	if res, _ := s.Search(ctx, "docs", "pelican", 3); len(res.Hits) != 1 {
		t.Fatalf("pelican not found by keyword")
	}
}

func TestEmbedNoteClearedOnceEmbedded(t *testing.T) {
	ctx := context.Background()
	srv := ollamatest.Start(t)
	srv.CreateEmbedModel(t, "bert-a", 1)
	s, _ := newService(t, Options{})
	if _, err := s.Create(ctx, "docs", "bert-missing", srv.URL); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, dir, "a.md", "# A\n\nheron text\n")
	if _, err := s.Add(ctx, "docs", []string{dir}, AddOptions{}); err == nil {
		t.Fatal("indexing with a missing model did not fail")
	}
	if f := states(t, s, "docs")["a.md"]; !strings.Contains(f.Error, "bert-missing") {
		t.Fatalf("error does not name the model: %+v", f)
	}
	if err := s.SetModel(ctx, "docs", "bert-a", srv.URL); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rescan(ctx, "docs", AddOptions{}); err != nil {
		t.Fatal(err)
	}
	if f := states(t, s, "docs")["a.md"]; f.Error != "" {
		t.Fatalf("note kept after embedding: %q", f.Error)
	}
}
