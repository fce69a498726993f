package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

func docsFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"guide.md":        "# Guide\n\nThe walrus protocol keeps notes private.\n\n## Setup\n\nInstall the walrus daemon.\n",
		"notes.txt":       "Zebras graze near the river.\n",
		"skip/ignored.md": "walrus in an excluded folder\n",
		"empty.txt":       "",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDocsKeywordOnly(t *testing.T) {
	data, dir := t.TempDir(), docsFolder(t)
	r := run(t, "--data-dir", data, "docs", "create", "notes")
	if r.code != 0 || !strings.Contains(r.stdout, "keyword search only") {
		t.Fatalf("create: %+v", r)
	}
	if r := run(t, "--data-dir", data, "docs", "create", "notes"); r.code != ExitError || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("duplicate: %+v", r)
	}
	r = run(t, "--data-dir", data, "docs", "add", "notes", dir, "--exclude", "skip")
	if r.code != 0 || !strings.Contains(r.stdout, "2 indexed") || !strings.Contains(r.stdout, "1 failed") ||
		!strings.Contains(r.stdout, "empty.txt") || !strings.Contains(r.stderr, "indexing:") {
		t.Fatalf("add: %+v", r)
	}
	r = run(t, "--data-dir", data, "docs", "list", "--json")
	var colls []struct {
		Name          string
		Files, Chunks int
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &colls) != nil || len(colls) != 1 || colls[0].Files != 3 {
		t.Fatalf("list: %+v", r)
	}
	r = run(t, "--data-dir", data, "docs", "list", "notes")
	if r.code != 0 || !strings.Contains(r.stdout, "failed") || !strings.Contains(r.stdout, "guide.md") {
		t.Fatalf("list notes: %+v", r)
	}
	r = run(t, "--data-dir", data, "docs", "search", "notes", "walrus", "daemon", "-k", "1")
	if r.code != 0 || !strings.Contains(r.stderr, "keyword-only") || !strings.Contains(r.stdout, "[1] guide.md") ||
		!strings.Contains(r.stdout, "[walrus]") || strings.Contains(r.stdout, "[2]") {
		t.Fatalf("search: %+v", r)
	}
	r = run(t, "--data-dir", data, "docs", "search", "notes", "zebras", "--json")
	var res rag.Results
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Mode != "keyword" || len(res.Hits) != 1 || res.Hits[0].KeywordScore == nil {
		t.Fatalf("search json: %+v", r)
	}
	if r := run(t, "--data-dir", data, "docs", "rm", "notes", filepath.Join(dir, "notes.txt")); r.code != 0 || !strings.Contains(r.stdout, "1 files") {
		t.Fatalf("rm path: %+v", r)
	}
	if r := run(t, "--data-dir", data, "docs", "search", "notes", "zebras"); r.code != 0 || !strings.Contains(r.stdout, "no matches") {
		t.Fatalf("search after rm: %+v", r)
	}
	if r := run(t, "--data-dir", data, "docs", "rename", "notes", "papers"); r.code != 0 || !strings.Contains(r.stdout, "to papers") {
		t.Fatalf("rename: %+v", r)
	}
	if r := run(t, "--data-dir", data, "docs", "search", "papers", "walrus"); r.code != 0 || !strings.Contains(r.stdout, "guide.md") {
		t.Fatalf("search renamed: %+v", r)
	}
	if r := run(t, "--data-dir", data, "docs", "rename", "papers", "notes"); r.code != 0 {
		t.Fatalf("rename back: %+v", r)
	}
	if r := run(t, "--data-dir", data, "docs", "rm", "notes"); r.code != 0 {
		t.Fatalf("rm: %+v", r)
	}
	if r := run(t, "--data-dir", data, "docs", "search", "notes", "x"); r.code != ExitError || !strings.Contains(r.stderr, `collection "notes"`) {
		t.Fatalf("search gone: %+v", r)
	}
	for _, args := range [][]string{{"docs"}, {"docs", "frob"}, {"docs", "add", "notes"}, {"docs", "rm"}, {"docs", "search", "notes"}} {
		if r := run(t, append([]string{"--data-dir", data}, args...)...); r.code != ExitUsage {
			t.Errorf("%v: code %d, want usage", args, r.code)
		}
	}
}

func TestDocsWithEmbeddings(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateEmbedModel(t, "tiny-embed", 3)
	srv.CreateChatModel(t, "tiny-chat", 4)
	data, dir := t.TempDir(), docsFolder(t)
	g := []string{"--data-dir", data, "--host", srv.URL}
	r := run(t, append(g, "docs", "create", "nope", "--embed-model", "missing-model")...)
	if r.code != ExitError || !strings.Contains(r.stderr, "missing-model") || !strings.Contains(r.stderr, "keyword search only") {
		t.Fatalf("missing model: %+v", r)
	}
	r = run(t, append(g, "docs", "create", "nope", "--embed-model", "tiny-chat")...)
	if r.code != ExitError || !strings.Contains(r.stderr, "cannot embed") {
		t.Fatalf("chat model as embedder: %+v", r)
	}
	if r := run(t, append(g, "docs", "create", "kb", "--embed-model", "tiny-embed")...); r.code != 0 || !strings.Contains(r.stdout, "tiny-embed:latest") {
		t.Fatalf("create: %+v", r)
	}
	if r := run(t, append(g, "docs", "add", "kb", dir)...); r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	r = run(t, append(g, "docs", "search", "kb", "walrus", "--json", "-k", "3")...)
	var res rag.Results
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Mode != "hybrid" || len(res.Hits) != 3 {
		t.Fatalf("search: %+v", r)
	}
	for _, h := range res.Hits {
		if h.VectorScore == nil || h.Fused <= 0 {
			t.Errorf("hit without vector or fused score: %+v", h)
		}
	}
}

// TestDocsModel turns a keyword-only collection into a hybrid one and back
// with `docs model`, re-embedding every chunk.
func TestDocsModel(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateEmbedModel(t, "tiny-embed", 6)
	data, dir := t.TempDir(), docsFolder(t)
	g := []string{"--data-dir", data, "--host", srv.URL}
	if r := run(t, append(g, "docs", "create", "kb")...); r.code != 0 {
		t.Fatalf("create: %+v", r)
	}
	if r := run(t, append(g, "docs", "add", "kb", dir)...); r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	for _, bad := range [][]string{{"docs", "model", "kb"}, {"docs", "model", "kb", "tiny-embed", "--none"}} {
		if r := run(t, append(g, bad...)...); r.code != ExitUsage {
			t.Fatalf("%v: %+v", bad, r)
		}
	}
	if r := run(t, append(g, "docs", "model", "kb", "missing-model")...); r.code != ExitError || !strings.Contains(r.stderr, "missing-model") {
		t.Fatalf("missing model: %+v", r)
	}
	r := run(t, append(g, "docs", "model", "kb", "tiny-embed", "--json")...)
	var out struct {
		Collection struct{ EmbedModel, EmbedHost string }
		Summary    rag.Progress
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil || out.Collection.EmbedModel != "tiny-embed:latest" ||
		out.Collection.EmbedHost != srv.URL || out.Summary.Phase != "done" || !strings.Contains(r.stderr, "embedding: 0/4 chunks") || out.Summary.Embedded != 4 {
		t.Fatalf("model: %+v", r)
	}
	r = run(t, append(g, "docs", "search", "kb", "walrus", "--json", "-k", "3")...)
	var res rag.Results
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Mode != "hybrid" || len(res.Hits) != 3 || res.Hits[2].VectorScore == nil {
		t.Fatalf("search after model: %+v", r)
	}
	if r := run(t, append(g, "docs", "model", "kb", "--none")...); r.code != 0 || !strings.Contains(r.stdout, "keywords only") {
		t.Fatalf("model --none: %+v", r)
	}
	if r := run(t, append(g, "docs", "search", "kb", "walrus")...); r.code != 0 || !strings.Contains(r.stderr, "keyword-only") {
		t.Fatalf("search keyword-only: %+v", r)
	}
}
