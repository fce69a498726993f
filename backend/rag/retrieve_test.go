package rag

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func itoa(n int) string { return strconv.Itoa(n) }

// retrieveEnv has three collections over small folders: "kw" keyword-only,
// "vec" embedded by hashEmbedder, "other" keyword-only with other files.
func retrieveEnv(t *testing.T) (*Service, string) {
	t.Helper()
	ctx := context.Background()
	s, _ := newService(t, Options{Embedder: func(string) (Embedder, error) { return hashEmbedder{}, nil }})
	dir := t.TempDir()
	write(t, dir, "walrus.md", "# Walrus\n\nThe walrus protocol keeps notes private.\n\n## Setup\n\nInstall the walrus daemon first.\n")
	write(t, dir, "heron.md", "# Heron\n\nA heron waits by the walrus pier for fish.\n")
	other := t.TempDir()
	write(t, other, "seal.md", "# Seal\n\nThe seal and the walrus share the beach.\n")
	for _, c := range []struct{ name, model, host, dir string }{
		{"kw", "", "", dir}, {"vec", "hash", "http://fake", dir}, {"other", "", "", other},
	} {
		if _, err := s.Create(ctx, c.name, c.model, c.host); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Add(ctx, c.name, []string{c.dir}, AddOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return s, dir
}

func TestRetrieveScopes(t *testing.T) {
	ctx := context.Background()
	s, dir := retrieveEnv(t)

	// Two keyword-only collections: merged by fused score, all numbered.
	r, err := s.Retrieve(ctx, RetrieveRequest{Question: "walrus", Scopes: []Scope{{Collection: "kw"}, {Collection: "other"}}, NumCtx: 4096})
	if err != nil {
		t.Fatal(err)
	}
	if r.Mode != ModeKeyword || len(r.Notices) != 2 || !strings.Contains(r.Notices[0], "keyword-only") {
		t.Fatalf("mode %q notices %q", r.Mode, r.Notices)
	}
	colls := map[string]bool{}
	for i, src := range r.Sources {
		colls[src.Collection] = true
		if !src.Sent || src.N != i+1 || src.KeywordScore == nil || src.VectorScore != nil || src.Label == "" {
			t.Fatalf("source %d = %+v", i, src)
		}
		if i > 0 && src.Fused > r.Sources[i-1].Fused {
			t.Fatal("sources not in fused order")
		}
		if !strings.Contains(r.Prompt, "["+itoa(src.N)+"] "+src.Label) {
			t.Fatalf("prompt lacks source %d: %s", src.N, r.Prompt)
		}
	}
	if !colls["kw"] || !colls["other"] || r.Cut || r.Budget != 4096-1024 || r.Tokens <= 0 {
		t.Fatalf("retrieval %+v", r)
	}
	if !strings.HasSuffix(r.Prompt, "Question: walrus") {
		t.Fatalf("prompt does not end with the question: %q", r.Prompt)
	}

	// K bounds the merged list.
	if r, _ = s.Retrieve(ctx, RetrieveRequest{Question: "walrus", Scopes: []Scope{{Collection: "kw"}, {Collection: "other"}}, K: 1}); len(r.Sources) != 1 {
		t.Fatalf("K=1 gave %d sources", len(r.Sources))
	}

	// One file of a collection; a file that is not in it is a notice.
	heron := filepath.Join(dir, "heron.md")
	r, err = s.Retrieve(ctx, RetrieveRequest{Question: "walrus", Scopes: []Scope{{Collection: "kw", Files: []string{heron, "/gone/x.md"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sources) == 0 || !strings.Contains(strings.Join(r.Notices, "|"), "file /gone/x.md is no longer in collection \"kw\"") {
		t.Fatalf("file scope: %+v", r)
	}
	for _, src := range r.Sources {
		if src.File != heron {
			t.Fatalf("source from %s, want only %s", src.File, heron)
		}
	}

	// A file of an embedded collection: both rankings, that file only.
	r, err = s.Retrieve(ctx, RetrieveRequest{Question: "walrus pier", Scopes: []Scope{{Collection: "vec", Files: []string{heron}}}})
	if err != nil || r.Mode != ModeHybrid || len(r.Sources) == 0 {
		t.Fatalf("vec file scope: %+v, %v", r, err)
	}
	for _, src := range r.Sources {
		if src.File != heron || src.VectorScore == nil {
			t.Fatalf("vec file scope source %+v", src)
		}
	}

	// Hybrid and keyword-only together: mixed. A missing collection is a
	// notice, not an error.
	r, err = s.Retrieve(ctx, RetrieveRequest{Question: "walrus daemon", Scopes: []Scope{{Collection: "vec"}, {Collection: "other"}, {Collection: "nope"}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Mode != ModeMixed || !strings.Contains(strings.Join(r.Notices, "|"), `collection "nope" no longer exists`) {
		t.Fatalf("mode %q notices %q", r.Mode, r.Notices)
	}
	vec := false
	for _, src := range r.Sources {
		vec = vec || (src.Collection == "vec" && src.VectorScore != nil)
	}
	if !vec {
		t.Fatalf("no vector-scored source from vec: %+v", r.Sources)
	}
	if r, _ = s.Retrieve(ctx, RetrieveRequest{Question: "walrus", Scopes: []Scope{{Collection: "vec"}}}); r.Mode != ModeHybrid || len(r.Notices) != 0 {
		t.Fatalf("vec alone: mode %q notices %q", r.Mode, r.Notices)
	}

	// Errors.
	if _, err := s.Retrieve(ctx, RetrieveRequest{Question: " ", Scopes: []Scope{{Collection: "kw"}}}); err == nil {
		t.Fatal("empty question accepted")
	}
	if _, err := s.Retrieve(ctx, RetrieveRequest{Question: "walrus"}); err == nil {
		t.Fatal("no scope accepted")
	}
}

func TestRetrieveCutsToTheContext(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Options{})
	dir := t.TempDir()
	para := strings.Repeat("The walrus protocol keeps every note private and local. ", 25) // ~350 tokens
	for _, n := range []string{"a.md", "b.md", "c.md"} {
		write(t, dir, n, "# "+n+"\n\n"+para+"\n")
	}
	if _, err := s.Create(ctx, "kw", "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, "kw", []string{dir}, AddOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Retrieve(ctx, RetrieveRequest{Question: "walrus", Scopes: []Scope{{Collection: "kw"}}, NumCtx: 1024, Reserve: 300})
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	for _, src := range r.Sources {
		if src.Sent {
			sent++
		} else if src.N != 0 {
			t.Fatalf("unsent source numbered %d", src.N)
		}
	}
	if len(r.Sources) != 3 || sent == 0 || sent == 3 || !r.Cut || r.Budget != 724 || r.Tokens > r.Budget {
		t.Fatalf("%d sources, %d sent, cut %v, budget %d, tokens %d", len(r.Sources), sent, r.Cut, r.Budget, r.Tokens)
	}
	want := itoa(3-sent) + " of 3 retrieved chunks did not fit in the 1024-token context"
	if !strings.Contains(strings.Join(r.Notices, "|"), want) {
		t.Fatalf("notices %q lack %q", r.Notices, want)
	}
}

func TestChunkContext(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Options{})
	dir := t.TempDir()
	var b strings.Builder
	for i := range 12 {
		b.WriteString("# Part " + itoa(i) + "\n\n" + strings.Repeat("word"+itoa(i)+" ", 300) + "\n\n")
	}
	p := write(t, dir, "long.md", b.String())
	if _, err := s.Create(ctx, "kw", "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, "kw", []string{dir}, AddOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Search(ctx, "kw", "word6", 1)
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("search: %+v, %v", res, err)
	}
	h := res.Hits[0]
	cc, err := s.ChunkContext(ctx, h.ChunkID)
	if err != nil {
		t.Fatal(err)
	}
	if cc.ChunkID != h.ChunkID || cc.Collection != "kw" || cc.File != p || cc.Text != h.Text || !cc.FileExists ||
		cc.Section != h.Section || cc.Format == "" {
		t.Fatalf("context = %+v", cc)
	}
	if !strings.Contains(cc.Before, "word5") || !strings.Contains(cc.After, "word7") ||
		strings.Contains(cc.Before, "word3") || strings.Contains(cc.After, "word9") {
		t.Fatalf("neighbours wrong:\nbefore %q\nafter %q", cc.Before, cc.After)
	}
	if fs, err := s.FileCollections(ctx, p); err != nil || len(fs) != 1 || fs[0] != "kw" {
		t.Fatalf("FileCollections = %v, %v", fs, err)
	}
	if fs, _ := s.FileCollections(ctx, "long.md"); len(fs) != 0 {
		t.Fatalf("a relative path is in %v", fs)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if cc, err = s.ChunkContext(ctx, h.ChunkID); err != nil || cc.FileExists {
		t.Fatalf("after removal: %+v, %v", cc, err)
	}
	if _, err := s.ChunkContext(ctx, 999999); err == nil || !strings.Contains(err.Error(), "999999") {
		t.Fatalf("unknown chunk: %v", err)
	}
}

func TestJoinChunksDropsOverlap(t *testing.T) {
	a := "alpha beta gamma delta epsilon zeta"
	b := "delta epsilon zeta eta theta iota kappa"
	if got := overlap(a, b); got != "delta epsilon zeta" {
		t.Fatalf("overlap = %q", got)
	}
	if got := overlap("short end", "end more"); got != "" {
		t.Fatalf("chance overlap %q taken", got)
	}
}

// TestRetrieveFileAmongMany finds a file's only match even when hundreds
// of better matches elsewhere in the collection rank above it: the file
// filter is applied in the search, not after it.
func TestRetrieveFileAmongMany(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Options{Embedder: func(string) (Embedder, error) { return hashEmbedder{}, nil }})
	dir := t.TempDir()
	for i := range 300 {
		write(t, dir, "many/"+itoa(i)+".md", "walrus walrus walrus "+itoa(i)+"\n")
	}
	target := write(t, dir, "target.md", "# Target\n\nOnce a walrus came by, among many other words about boats, nets and ropes.\n")
	for _, c := range []struct{ name, model, host string }{{"kw", "", ""}, {"vec", "hash", "http://fake"}} {
		if _, err := s.Create(ctx, c.name, c.model, c.host); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Add(ctx, c.name, []string{dir}, AddOptions{}); err != nil {
			t.Fatal(err)
		}
		r, err := s.Retrieve(ctx, RetrieveRequest{Question: "walrus", Scopes: []Scope{{Collection: c.name, Files: []string{target}}}, K: 2})
		if err != nil || len(r.Sources) != 1 || r.Sources[0].File != target || r.Sources[0].KeywordScore == nil {
			t.Fatalf("%s: %+v, %v", c.name, r.Sources, err)
		}
	}
}
