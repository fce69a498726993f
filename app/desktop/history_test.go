package desktop

import (
	"context"
	"testing"

	"github.com/wadi-app/wadi/backend/history"
	"github.com/wadi-app/wadi/backend/store"
)

func TestSearchHistoryBinding(t *testing.T) {
	a, _ := chatApp(t, "http://127.0.0.1:1")
	ctx := context.Background()
	st := a.core.Store
	c, err := st.CreateChat(ctx, store.Chat{Title: "Palms", Host: "h", Model: "m", Settings: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddMessages(ctx, c.ID, []store.Message{{Role: "user", Content: "dates from the oasis"}}, true); err != nil {
		t.Fatal(err)
	}
	run, err := st.CreateCompareRun(ctx, store.CompareRun{Prompt: "oasis water", Tags: "[]", Labels: "[]"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hits, err := a.SearchHistory("oasis", 20)
	if err != nil || len(hits) != 2 {
		t.Fatalf("hits: %+v %v", hits, err)
	}
	kinds := map[string]history.Hit{}
	for _, h := range hits {
		kinds[h.Kind] = h
	}
	if h := kinds["chat"]; h.ChatID != c.ID || h.Title != "Palms" {
		t.Fatalf("chat hit: %+v", h)
	}
	if h := kinds["compare"]; h.RunID != run || h.Title != "oasis water" {
		t.Fatalf("compare hit: %+v", h)
	}
	none, err := a.SearchHistory("", 20)
	if err != nil || none == nil || len(none) != 0 {
		t.Fatalf("empty query: %#v %v", none, err)
	}
}
