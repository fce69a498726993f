package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestCompareDocsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	cols := []CompareColumn{{Index: 0, Host: "h", Model: "m1", Settings: "{}", Order: 1}, {Index: 1, Host: "h", Model: "m2", Settings: "{}", Order: 1}}
	id, err := s.CreateCompareRun(ctx, CompareRun{Prompt: "q", Tags: "[]", Labels: `["A","B"]`}, cols)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.CompareDocs(ctx, id)
	if err != nil || d.Collection != "" || len(d.Retrievals) != 0 {
		t.Fatalf("a new run has documents: %+v %v", d, err)
	}
	coll, err := s.CreateCollection(ctx, "notes", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetCompareCollection(ctx, id, "notes"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddCompareTurn(ctx, id, "again", 2); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCompareRetrieval(ctx, id, 1, `{"query":"again"}`); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCompareRetrieval(ctx, id, 5, `{}`); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown turn: %v", err)
	}
	if err := s.SetCompareCollection(ctx, 999, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown run: %v", err)
	}
	// A renamed collection stays attached.
	if err := s.RenameCollection(ctx, coll.ID, "notes 2"); err != nil {
		t.Fatal(err)
	}
	d, err = s.CompareDocs(ctx, id)
	if err != nil || d.Collection != "notes 2" || len(d.Retrievals) != 1 || d.Retrievals[1] != `{"query":"again"}` {
		t.Fatalf("documents: %+v %v", d, err)
	}
	if err := s.SetCompareRetrieval(ctx, id, 1, ""); err != nil {
		t.Fatal(err)
	}
	if d, _ = s.CompareDocs(ctx, id); len(d.Retrievals) != 0 {
		t.Fatalf("cleared retrieval kept: %+v", d)
	}
	if _, err := s.CompareDocs(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown run: %v", err)
	}

	// Set runs keep their collection too, through renames.
	sr, err := s.CreateSetRun(ctx, SetRun{SetID: 1, State: "running", Columns: `[]`, Prompts: `["x"]`, Tags: `[]`})
	if err != nil {
		t.Fatal(err)
	}
	if name, err := s.SetRunCollection(ctx, sr); err != nil || name != "" {
		t.Fatalf("new set run: %q %v", name, err)
	}
	if err := s.SetSetRunCollection(ctx, sr, "notes 2"); err != nil {
		t.Fatal(err)
	}
	if err := s.RenameCollection(ctx, coll.ID, "notes 3"); err != nil {
		t.Fatal(err)
	}
	if name, err := s.SetRunCollection(ctx, sr); err != nil || name != "notes 3" {
		t.Fatalf("set run collection: %q %v", name, err)
	}
	if err := s.SetSetRunCollection(ctx, 999, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown set run: %v", err)
	}
	if _, err := s.SetRunCollection(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown set run: %v", err)
	}
}

// A database from before 0008 keeps its compare texts searchable, now with
// their turn and role.
func TestCompareSearchIndexRebuiltBy0008(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old := &Store{path: path}
	var err error
	if old.db, err = openRaw(path); err != nil {
		t.Fatal(err)
	}
	if err := old.migrateTo(ctx, migrationFiles, 7); err != nil {
		t.Fatal(err)
	}
	id, err := old.CreateCompareRun(ctx, CompareRun{Prompt: "zebra prompt", Tags: "[]", Labels: "[]"}, []CompareColumn{{Index: 0, Host: "h", Model: "m", Settings: "{}", Order: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.AddCompareTurn(ctx, id, "second", 1); err != nil {
		t.Fatal(err)
	}
	if err := old.FinishCompareAnswer(ctx, id, CompareAnswer{Turn: 1, Column: 0, Content: "zebra answer", Status: StatusComplete}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hits, err := s.SearchHistory(ctx, "zebra", 10)
	if err != nil || len(hits) != 2 {
		t.Fatalf("hits: %+v %v", hits, err)
	}
	roles := map[string]int{}
	for _, h := range hits {
		if h.Kind != HistoryCompare || h.RunID != id || h.Title != "zebra prompt" || h.CreatedAt == "" {
			t.Fatalf("hit: %+v", h)
		}
		roles[h.Role] = h.Turn
	}
	if turn, ok := roles["user"]; !ok || turn != 0 {
		t.Fatalf("prompt hit: %+v", hits)
	}
	if turn, ok := roles["assistant"]; !ok || turn != 1 {
		t.Fatalf("answer hit: %+v", hits)
	}
	// New texts are indexed by the rebuilt triggers.
	if _, err := s.AddCompareTurn(ctx, id, "zebra third", 1); err != nil {
		t.Fatal(err)
	}
	if hits, _ = s.SearchHistory(ctx, "third", 10); len(hits) != 1 || hits[0].Turn != 2 || hits[0].Role != "user" {
		t.Fatalf("third: %+v", hits)
	}
	if got, _ := s.SearchCompares(ctx, "zebra", 10); len(got) != 3 {
		t.Fatalf("SearchCompares after 0008: %+v", got)
	}
}

func TestSearchHistoryMergesChatsAndCompares(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	c, err := s.CreateChat(ctx, Chat{Title: "desert chat", Host: "h", Model: "m", Settings: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	// The chat message says "oasis" once among many words; the compare
	// answer is nearly only "oasis": bm25 ranks the compare hit first.
	msgs, err := s.AddMessages(ctx, c.ID, []Message{
		{Role: "user", Content: "tell me about the oasis and the long road through the dunes to the far wells"},
		{Role: "assistant", ParentID: -1, Content: "camels"},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	gone, _ := s.CreateChat(ctx, Chat{Title: "deleted", Host: "h", Model: "m", Settings: "{}"})
	if _, err := s.AddMessages(ctx, gone.ID, []Message{{Role: "user", Content: "oasis oasis"}}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SoftDeleteChat(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	run, err := s.CreateCompareRun(ctx, CompareRun{Prompt: "which model", Tags: "[]", Labels: "[]"}, []CompareColumn{{Index: 0, Host: "h", Model: "m", Settings: "{}", Order: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FinishCompareAnswer(ctx, run, CompareAnswer{Turn: 0, Column: 0, Content: "oasis oasis", Status: StatusComplete}); err != nil {
		t.Fatal(err)
	}
	hits, err := s.SearchHistory(ctx, "oasis", 10)
	if err != nil || len(hits) != 2 {
		t.Fatalf("hits: %+v %v", hits, err)
	}
	if h := hits[0]; h.Kind != HistoryCompare || h.RunID != run || h.Role != "assistant" || h.Title != "which model" {
		t.Fatalf("first hit: %+v", h)
	}
	if h := hits[1]; h.Kind != HistoryChat || h.ChatID != c.ID || h.MessageID != msgs[0].ID || h.Title != "desert chat" || h.Role != "user" {
		t.Fatalf("second hit: %+v", h)
	}
	if !(hits[0].Rank < hits[1].Rank) {
		t.Fatalf("not by relevance: %v then %v", hits[0].Rank, hits[1].Rank)
	}
	if one, _ := s.SearchHistory(ctx, "oasis", 1); len(one) != 1 || one[0].Kind != HistoryCompare {
		t.Fatalf("limit 1: %+v", one)
	}
	if none, err := s.SearchHistory(ctx, "  ", 10); err != nil || none == nil || len(none) != 0 {
		t.Fatalf("empty query: %#v %v", none, err)
	}
}
