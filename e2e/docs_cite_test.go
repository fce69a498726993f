//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// TestDocumentsCitationsAndTemplate: an answer citing [1] and [2] (the tiny
// model cannot write citations, so the chat is imported, with sources taken
// from a real search of a real index) shows clickable citations that lead
// to their sources and the viewer; Settings edits the documents prompt, and
// the template saved in the window is the one retrieval uses. A comparison
// with the collection attached shows the sources both models were given,
// and Ctrl+K finds it.
func TestDocumentsCitationsAndTemplate(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-chat", 1)
	srv.CreateEmbedModel(t, "tiny-embed", 1)
	data := t.TempDir()
	wadi(t, data, "--host", srv.URL, "docs", "create", "Animals", "--embed-model", "tiny-embed")
	wadi(t, data, "--host", srv.URL, "docs", "add", "Animals", docsFolder(t))
	var res rag.Results
	cliJSON(t, data, srv.URL, &res, "docs", "search", "Animals", "zebras stripes herds", "-k", "3")
	if len(res.Hits) != 3 {
		t.Fatalf("search hits: %+v", res.Hits)
	}
	ret := rag.Retrieval{Query: "Why do zebras have stripes?", Mode: res.Mode, Notices: []string{}, NumCtx: 2048}
	for i, h := range res.Hits {
		r := rag.Retrieved{Hit: h, Collection: "Animals", Label: rag.Label(h)}
		if i < 2 {
			r.N, r.Sent = i+1, true
		}
		ret.Sources = append(ret.Sources, r)
	}
	doc := map[string]any{
		"format": "wadi-chat", "version": 1, "title": "Zebra stripes", "host": srv.URL, "model": "tiny-chat:latest",
		"settings": map[string]any{}, "createdAt": "2026-12-01T08:00:00.000Z", "updatedAt": "2026-12-01T08:00:01.000Z",
		"current": 2,
		"messages": []map[string]any{
			{"id": 1, "parentId": 0, "role": "user", "content": ret.Query, "status": "complete", "createdAt": "2026-12-01T08:00:00.000Z"},
			{"id": 2, "parentId": 1, "role": "assistant", "model": "tiny-chat:latest", "status": "complete",
				"createdAt": "2026-12-01T08:00:01.000Z", "retrieval": ret,
				"content": "Their stripes confuse biting flies [1]. Zebras live in herds [2].\n\n" +
					"There is no source [7]; in code `[1]` stays text.\n\n<img src=x onerror=\"window.__pwned=1\">"},
		},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "chat.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	wadi(t, data, "--host", srv.URL, "history", "import", file)

	r := runFlow(t, "docs-cite", data, map[string]any{"chunk2": res.Hits[1].ChunkID, "question": ret.Query},
		nil, "--host", srv.URL)
	for _, s := range r.Shots {
		checkShot(t, s)
	}
	// The template saved in Settings is the one that wraps the sources.
	st, err := store.Open(context.Background(), filepath.Join(data, "wadi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := rag.New(st, rag.Options{}).Retrieve(context.Background(), rag.RetrieveRequest{
		Question: "herds", Scopes: []rag.Scope{{Collection: "Animals"}}, NumCtx: 2048})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.Prompt, "Use these notes, cite [n].") || !strings.Contains(got.Prompt, "Q: herds") {
		t.Errorf("the prompt does not use the template saved in the window:\n%s", got.Prompt)
	}

	// Compare two models with the collection attached, then find the run
	// with the window's history search.
	srv.CreateChatModel(t, "tiny-chat-2", 2)
	cmp := runFlow(t, "compare-docs", data, map[string]any{"models": []string{"tiny-chat", "tiny-chat-2"},
		"collection": "Animals", "prompt": "Where do llamas live?", "term": "llamas"}, nil, "--host", srv.URL)
	for _, s := range cmp.Shots {
		checkShot(t, s)
	}
}
