package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// TestAskAndChatWithDocuments asks from a keyword-only collection with
// `wadi ask` and with `wadi chat -c`/`--file`, against the real test
// Ollama.
func TestAskAndChatWithDocuments(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-chat", 5)
	data, dir := t.TempDir(), docsFolder(t)
	g := []string{"--data-dir", data, "--host", srv.URL}
	for _, name := range []string{"kb", "kb2"} {
		if r := run(t, append(g, "docs", "create", name)...); r.code != 0 {
			t.Fatalf("create: %+v", r)
		}
		if r := run(t, append(g, "docs", "add", name, dir)...); r.code != 0 {
			t.Fatalf("add: %+v", r)
		}
	}
	r := run(t, append(g, "ask", "-m", "tiny-chat", "-c", "kb", "What does the walrus protocol do?")...)
	if r.code != 0 || !strings.Contains(r.stdout, "Sources (keyword search):\n  [1] guide.md") ||
		!strings.Contains(r.stdout, "note: keyword-only: collection kb has no embedding model") {
		t.Fatalf("ask: %+v", r)
	}
	r = run(t, append(g, "ask", "-m", "tiny-chat", "-c", "kb", "--json", "--num-ctx", "600", "walrus zebras")...)
	var res askResult
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Status != "complete" || res.Retrieval == nil ||
		len(res.Retrieval.Sources) == 0 || res.Retrieval.Sources[0].N != 1 || res.Retrieval.NumCtx != 600 || res.Metrics == nil {
		t.Fatalf("ask json: %+v", r)
	}
	// The stored chat keeps the question as asked, its sources, the
	// documents attached and num_ctx set to match.
	r = run(t, append(g, "history", "show", fmt.Sprint(res.ChatID), "--json")...)
	var v chat.View
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &v) != nil || len(v.Messages) != 2 || v.Messages[0].Content != "walrus zebras" ||
		v.Messages[1].Retrieval == nil || *v.Settings.NumCtx != 600 || len(v.Attachments) != 1 || v.Attachments[0].Collection != "kb" {
		t.Fatalf("history: %+v", r)
	}
	// Without --num-ctx the model's own context (2048) is used.
	r = run(t, append(g, "ask", "-m", "tiny-chat", "-c", "kb", "-k", "1", "--json", "walrus")...)
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Retrieval.NumCtx != 2048 || len(res.Retrieval.Sources) != 1 {
		t.Fatalf("ask default context: %+v", r)
	}
	for _, args := range [][]string{{"ask", "q"}, {"ask", "-m", "x", "q"}, {"ask", "-m", "x", "-c", "kb"},
		{"ask", "-m", "x", "-c", "kb", "--num-ctx", "100", "q"}, {"ask", "-m", "tiny-chat", "--file", "a.md", "q"}} {
		if r := run(t, append(g, args...)...); r.code != ExitUsage {
			t.Errorf("%v: code %d", args, r.code)
		}
	}

	// wadi chat: one file of kb, and kb2 whole.
	notes := filepath.Join(dir, "notes.txt")
	r = run(t, append(g, "chat", "-m", "tiny-chat", "-c", "kb", "-c", "kb2", "--file", notes, "--json", "zebras walrus")...)
	var cr chatResult
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &cr) != nil || cr.Retrieval == nil {
		t.Fatalf("chat -c --file: %+v", r)
	}
	colls := map[string]bool{}
	for _, s := range cr.Retrieval.Sources {
		colls[s.Collection] = true
		if s.Collection == "kb" && s.File != notes {
			t.Fatalf("a source from %s of kb; only %s is attached", s.File, notes)
		}
	}
	if !colls["kb"] || !colls["kb2"] {
		t.Fatalf("sources from %v", colls)
	}
	// Continuing the chat keeps its documents; text output lists sources.
	r = run(t, append(g, "chat", "--chat", fmt.Sprint(cr.ChatID), "walrus again")...)
	if r.code != 0 || !strings.Contains(r.stdout, "Sources (keyword search):\n  [1] ") {
		t.Fatalf("chat --chat: %+v", r)
	}
	if r := run(t, append(g, "chat", "-m", "tiny-chat", "-c", "kb", "--file", "/nowhere/x.md", "hi")...); r.code != ExitError ||
		!strings.Contains(r.stderr, "/nowhere/x.md: not a file of collection kb") {
		t.Fatalf("chat with a foreign file: %+v", r)
	}
	if r := run(t, append(g, "chat", "-m", "tiny-chat", "-c", "nope", "hi")...); r.code != ExitError ||
		!strings.Contains(r.stderr, `collection "nope" does not exist`) {
		t.Fatalf("chat with an unknown collection: %+v", r)
	}
}
