package rag

import (
	"context"
	"math"
	"testing"

	"github.com/wadi-app/wadi/backend/store"
)

func TestSnippet(t *testing.T) {
	m := func(s string) string { return store.MarkStart + s + store.MarkEnd }
	cases := []struct{ text, q, want string }{
		{"The Walrus swims.", "walrus", "The " + m("Walrus") + " swims."},
		{"walruses are not walrus", "walrus", "walruses are not " + m("walrus")},
		{"no match here", "zebra", "no match here"},
		{"مرحبا بالعالم اليوم", "بالعالم", "مرحبا " + m("بالعالم") + " اليوم"},
		{"aaaa bbbb cccc dddd target eeee", "target", "…dddd " + m("target") + " eeee"},
	}
	for _, c := range cases {
		width := 200
		if len(c.text) == 31 {
			width = 20
		}
		if got := Snippet(c.text, c.q, width); got != c.want {
			t.Errorf("Snippet(%q, %q) = %q, want %q", c.text, c.q, got, c.want)
		}
	}
}

// TestFuseReciprocalRank checks the fused scores and order against the
// formula, with a chunk found by both searches first.
func TestFuseReciprocalRank(t *testing.T) {
	ctx := context.Background()
	s, st := newService(t, Options{})
	c, _ := s.Create(ctx, "c", "", "")
	var chunks []store.DocChunk
	for i := range 4 {
		chunks = append(chunks, store.DocChunk{Seq: i, Text: "text"})
	}
	st.PutFile(ctx, store.DocFile{CollectionID: c.ID, Path: "/f.txt", State: store.FileIndexed}, chunks)
	// ids are 1..4. Vector: 1, 2, 3. Keyword: 3, 4.
	vec := []vecHit{{1, 0.9}, {2, 0.8}, {3, 0.7}}
	kw := []store.KeywordHit{{ChunkID: 3, Score: 5}, {ChunkID: 4, Score: 2}}
	hits, err := s.fuse(ctx, kw, vec, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id    int64
		fused float64
	}{{3, 1.0/63 + 1.0/61}, {1, 1.0 / 61}, {2, 1.0 / 62}, {4, 1.0 / 62}} // 2 and 4 tie: lower id first
	if len(hits) != 4 {
		t.Fatalf("%d hits", len(hits))
	}
	for i, w := range want {
		h := hits[i]
		if h.ChunkID != w.id || math.Abs(h.Fused-w.fused) > 1e-12 {
			t.Errorf("hit %d: id %d fused %v, want id %d fused %v", i, h.ChunkID, h.Fused, w.id, w.fused)
		}
	}
	if hits[0].VectorRank != 3 || hits[0].KeywordRank != 1 || *hits[0].KeywordScore != 5 || *hits[0].VectorScore != 0.7 {
		t.Errorf("hit 0 scores %+v", hits[0])
	}
	if hits[1].KeywordScore != nil || hits[3].VectorScore != nil {
		t.Errorf("absent scores should be nil: %+v %+v", hits[1], hits[3])
	}
	if hits[0].File != "/f.txt" || hits[0].Text != "text" {
		t.Errorf("chunk not loaded: %+v", hits[0])
	}
}
