package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/compare"
	"github.com/wadi-app/wadi/backend/history"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

func TestCompareWithDocumentsAndHistorySearch(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "clidoc-one", 1)
	srv.CreateChatModel(t, "clidoc-two", 2)
	data, folder := t.TempDir(), docsFolder(t)
	w := func(args ...string) result {
		return run(t, append([]string{"--data-dir", data, "--host", srv.URL}, args...)...)
	}
	if r := w("docs", "create", "notes"); r.code != 0 {
		t.Fatalf("docs create: %+v", r)
	}
	if r := w("docs", "add", "notes", folder, "--exclude", "skip"); r.code != 0 {
		t.Fatalf("docs add: %+v", r)
	}

	r := w("compare", "-m", "clidoc-one", "-m", "clidoc-two", "-c", "notes", "What", "does", "the", "walrus", "protocol", "keep?")
	if r.code != 0 || !strings.Contains(r.stdout, "Sources (keyword search):") || !strings.Contains(r.stdout, "  [1] guide.md") ||
		!strings.Contains(r.stdout, "note: keyword-only") {
		t.Fatalf("compare -c: %+v", r)
	}
	// The sources come after every answer.
	if strings.LastIndex(r.stdout, "== ") > strings.Index(r.stdout, "Sources (") {
		t.Fatalf("sources before the answers: %s", r.stdout)
	}

	r = w("compare", "-m", "clidoc-one", "-m", "clidoc-two", "--collection", "notes", "--json", "walrus daemon")
	var v compare.View
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &v) != nil {
		t.Fatalf("compare --collection --json: %+v", r)
	}
	if rt := v.Turns[0].Retrieval; v.Collection != "notes" || rt == nil || len(rt.Sources) == 0 || !rt.Sources[0].Sent ||
		!strings.HasSuffix(rt.Sources[0].File, "guide.md") || rt.Prompt != "" {
		t.Fatalf("--json retrieval: %+v", v)
	}
	if !strings.Contains(r.stdout, `"retrieval": {`) || !strings.Contains(r.stdout, `"keywordScore"`) {
		t.Fatalf("--json lacks the retrieval: %s", r.stdout)
	}

	set := filepath.Join(t.TempDir(), "set.txt")
	if err := os.WriteFile(set, []byte("walrus protocol\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = w("compare", "run", set, "-m", "clidoc-one", "-m", "clidoc-two", "-c", "notes", "--json")
	var sr compare.SetRun
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &sr) != nil || sr.Collection != "notes" || sr.Done != 1 {
		t.Fatalf("compare run -c: %+v", r)
	}

	if r := w("compare", "-m", "clidoc-one", "-m", "clidoc-two", "-c", "nowhere", "hi"); r.code != ExitError ||
		!strings.Contains(r.stderr, `collection "nowhere"`) {
		t.Fatalf("missing collection: %+v", r)
	}

	// History search finds the chat and the comparisons.
	if r := w("chat", "-m", "clidoc-one", "Tell", "me", "about", "the", "walrus"); r.code != 0 {
		t.Fatalf("chat: %+v", r)
	}
	r = w("history", "search", "walrus")
	if r.code != 0 || !strings.Contains(r.stdout, "KIND") || !strings.Contains(r.stdout, "compare 1, turn 1") ||
		!strings.Contains(r.stdout, "compare 2, turn 1") || !strings.Contains(r.stdout, "compare 3, turn 1") ||
		!strings.Contains(r.stdout, "chat 1, message 1") ||
		!strings.Contains(r.stdout, "[walrus]") {
		t.Fatalf("history search: %+v", r)
	}
	r = w("history", "search", "walrus", "--json")
	var hits []history.Hit
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &hits) != nil {
		t.Fatalf("history search --json: %+v", r)
	}
	kinds := map[string]int{}
	for _, h := range hits {
		kinds[h.Kind]++
	}
	if kinds["chat"] == 0 || kinds["compare"] < 3 {
		t.Fatalf("hits by kind %v: %+v", kinds, hits)
	}
	if r := w("compare", "search", "walrus"); r.code != 0 || !strings.Contains(r.stdout, "compare 1:") {
		t.Fatalf("compare search still works: %+v", r)
	}
	if r := w("history", "search", "nothingmatcheshere"); r.code != 0 || !strings.Contains(r.stderr, "no chats or comparisons match") {
		t.Fatalf("no hits: %+v", r)
	}
}
