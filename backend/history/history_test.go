package history

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/store"
)

func TestSearchMergesChatAndCompareHits(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "wadi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.CreateChat(ctx, store.Chat{Title: "Dates", Host: "h", Model: "m", Settings: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := st.AddMessages(ctx, c.ID, []store.Message{
		{Role: "user", Content: "which palms grow in the oasis, and which fruit do they give every autumn"},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	run, err := st.CreateCompareRun(ctx, store.CompareRun{Prompt: "oasis springs", Tags: "[]", Labels: `["A"]`},
		[]store.CompareColumn{{Index: 0, Host: "http://secret-host:11434", Model: "secret-model", Settings: "{}", Order: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// Unrelated texts in both indexes, so that "oasis" is a rare word in
	// each (bm25 gives a term found in most rows of an index no weight).
	for _, p := range []string{"camels at dawn", "sand dunes", "deep wells"} {
		if _, err := st.AddMessages(ctx, c.ID, []store.Message{{Role: "user", Content: p}}, true); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateCompareRun(ctx, store.CompareRun{Prompt: p, Tags: "[]", Labels: "[]"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	hits, err := Search(ctx, st, "oasis", 10)
	if err != nil || len(hits) != 2 {
		t.Fatalf("hits: %+v %v", hits, err)
	}
	// The short compare prompt matches better than the long chat message.
	want := []Hit{
		{Kind: KindCompare, RunID: run, Title: "oasis springs", Role: "user"},
		{Kind: KindChat, ChatID: c.ID, MessageID: msgs[0].ID, Title: "Dates", Role: "user"},
	}
	for i, h := range hits {
		w := want[i]
		w.Snippet, w.CreatedAt, w.Turn = h.Snippet, h.CreatedAt, h.Turn
		if h != w || !strings.Contains(h.Snippet, store.MarkStart+"oasis"+store.MarkEnd) || h.CreatedAt == "" {
			t.Fatalf("hit %d: %+v, want %+v", i, h, w)
		}
	}
	b, _ := json.Marshal(hits[0])
	for _, k := range []string{`"kind":"compare"`, `"chatId":0`, `"messageId":0`, `"runId":`, `"title":`, `"role":`, `"snippet":`, `"createdAt":`} {
		if !strings.Contains(string(b), k) {
			t.Fatalf("JSON %s lacks %s", b, k)
		}
	}
	if strings.Contains(string(b), "secret") {
		t.Fatalf("a compare hit names the model or host: %s", b)
	}
	none, err := Search(ctx, st, "nothing-matches-this", 10)
	if err != nil || none == nil || len(none) != 0 {
		t.Fatalf("no hits: %#v %v", none, err)
	}
}
