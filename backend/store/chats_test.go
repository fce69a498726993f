package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func addChat(t *testing.T, s *Store, title string) Chat {
	t.Helper()
	c, err := s.CreateChat(context.Background(), Chat{Title: title, Host: "http://h:1", Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func addMsgs(t *testing.T, s *Store, chat int64, msgs ...Message) []Message {
	t.Helper()
	out, err := s.AddMessages(context.Background(), chat, msgs, true)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestChatsListOrderPinDeleteUndoPurge(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	// Explicit times: the ordering must not depend on how fast this runs.
	mk := func(title, at string) Chat {
		c, err := s.CreateChat(ctx, Chat{Title: title, Host: "h", Model: "m", CreatedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a := mk("a", "2026-01-01T00:00:00.000Z")
	b := mk("b", "2026-01-02T00:00:00.000Z")
	c := mk("c", "2026-01-03T00:00:00.000Z")
	addMsgs(t, s, a.ID, Message{Role: "user", Content: "newest"}) // touches a
	if err := s.PinChat(ctx, c.ID, true); err != nil {
		t.Fatal(err)
	}
	titles := func() string {
		cs, err := s.Chats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ts []string
		for _, c := range cs {
			ts = append(ts, c.Title)
		}
		return strings.Join(ts, ",")
	}
	if got := titles(); got != "c,a,b" {
		t.Fatalf("order = %s, want pinned c, then newest a, then b", got)
	}
	if err := s.SoftDeleteChat(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if got := titles(); got != "c,a" {
		t.Fatalf("after delete: %s", got)
	}
	if n, _ := s.PurgeDeletedChats(ctx, time.Now().Add(-7*24*time.Hour)); n != 0 {
		t.Fatalf("a fresh delete must not be purged, purged %d", n)
	}
	if err := s.UndeleteChat(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if got := titles(); got != "c,a,b" {
		t.Fatalf("after undo: %s", got)
	}
	s.SoftDeleteChat(ctx, a.ID)
	if n, err := s.PurgeDeletedChats(ctx, time.Now().Add(time.Second)); err != nil || n != 1 {
		t.Fatalf("purge = %d, %v", n, err)
	}
	if _, err := s.Chat(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("purged chat still there: %v", err)
	}
	if ms, _ := s.ChatMessages(ctx, a.ID); len(ms) != 0 {
		t.Fatalf("purged chat's messages remain: %d", len(ms))
	}
	if err := s.RenameChat(ctx, 999, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("rename of a missing chat: %v", err)
	}
}

func TestMessageTreeDeleteAndLeaf(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	c := addChat(t, s, "t")
	ms := addMsgs(t, s, c.ID,
		Message{Role: "user", Content: "q1", Images: []Image{{Mime: "image/png", Data: []byte{1, 2, 3}}}},
		Message{Role: "assistant", Content: "a1", ParentID: -1},
	)
	alt := addMsgs(t, s, c.ID, Message{Role: "assistant", Content: "a1 again", ParentID: ms[0].ID})
	got, _ := s.Chat(ctx, c.ID)
	if got.LeafID != alt[0].ID || got.MessageCount != 3 {
		t.Fatalf("leaf %d count %d, want %d, 3", got.LeafID, got.MessageCount, alt[0].ID)
	}
	ims, err := s.Images(ctx, []int64{ms[0].ID, ms[1].ID})
	if err != nil || len(ims[ms[0].ID]) != 1 || string(ims[ms[0].ID][0].Data) != "\x01\x02\x03" {
		t.Fatalf("images = %v, %v", ims, err)
	}
	// A long chain deletes in one go (no recursion limit).
	chain := make([]Message, 3000)
	for i := range chain {
		chain[i] = Message{Role: []string{"user", "assistant"}[i%2], Content: "x", ParentID: int64(-i)}
	}
	chain[0].ParentID = alt[0].ID
	addMsgs(t, s, c.ID, chain...)
	ids, err := s.DeleteMessageTree(ctx, ms[0].ID)
	if err != nil || len(ids) != 3003 {
		t.Fatalf("deleted %d, %v", len(ids), err)
	}
	got, _ = s.Chat(ctx, c.ID)
	if got.MessageCount != 0 || got.LeafID != 0 {
		t.Fatalf("after delete: %+v", got)
	}
	if ims, _ := s.Images(ctx, []int64{ms[0].ID}); len(ims) != 0 {
		t.Fatal("images of deleted messages remain")
	}
	if hits, _ := s.SearchMessages(ctx, "again", 10); len(hits) != 0 {
		t.Fatal("deleted message still indexed")
	}
	if _, err := s.DeleteMessageTree(ctx, ms[0].ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestStreamingFlushFinishRecover(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	c := addChat(t, s, "t")
	ms := addMsgs(t, s, c.ID, Message{Role: "user", Content: "q"},
		Message{Role: "assistant", ParentID: -1, Status: StatusStreaming})
	a := ms[1]
	if err := s.FlushMessage(ctx, a.ID, "partial answer", "hmm"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.RecoverStreaming(ctx, time.Hour, "x"); n != 0 {
		t.Fatal("a fresh streaming row must not be recovered")
	}
	n, err := s.RecoverStreaming(ctx, 0, "Wadi stopped before the answer finished")
	if err != nil || n != 1 {
		t.Fatalf("recover = %d, %v", n, err)
	}
	m, _ := s.Message(ctx, a.ID)
	if m.Status != StatusIncomplete || m.Content != "partial answer" || m.Thinking != "hmm" || !strings.Contains(m.Error, "stopped") {
		t.Fatalf("recovered: %+v", m)
	}
	m.Content, m.Status, m.Error, m.Metrics = "done", StatusComplete, "", `{"x":1}`
	if err := s.FinishMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	m, _ = s.Message(ctx, a.ID)
	if m.Content != "done" || m.Metrics != `{"x":1}` || m.Status != StatusComplete {
		t.Fatalf("finished: %+v", m)
	}
	if hits, _ := s.SearchMessages(ctx, "partial", 10); len(hits) != 0 {
		t.Fatal("FTS kept the old text")
	}
	if hits, _ := s.SearchMessages(ctx, "done", 10); len(hits) != 1 {
		t.Fatal("FTS missed the new text")
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	c := addChat(t, s, "Café talk")
	addMsgs(t, s, c.ID,
		Message{Role: "user", Content: "Where is the café near the wadi?"},
		Message{Role: "assistant", Content: "The وادي is dry; try the Kaffeehaus.", ParentID: -1})
	for _, tc := range []struct {
		q    string
		want int
	}{
		{"cafe", 1},            // diacritics removed
		{"wad", 1},             // prefix
		{"CAFÉ wadi", 1},       // all words, any case
		{"café kaffeehaus", 0}, // words in different messages
		{"وادي", 1},
		{`"unbalanced AND (OR * NEAR( -x ^`, 0}, // FTS syntax is text, never an error
		{`   `, 0},
	} {
		hits, err := s.SearchMessages(ctx, tc.q, 10)
		if err != nil {
			t.Fatalf("search %q: %v", tc.q, err)
		}
		if len(hits) != tc.want {
			t.Fatalf("search %q: %d hits, want %d: %+v", tc.q, len(hits), tc.want, hits)
		}
	}
	hits, _ := s.SearchMessages(ctx, "wadi", 10)
	if h := hits[0]; h.ChatTitle != "Café talk" || h.Role != "user" || !strings.Contains(h.Snippet, MarkStart+"wadi"+MarkEnd) {
		t.Fatalf("hit = %+v", h)
	}
	s.SoftDeleteChat(ctx, c.ID)
	if hits, _ := s.SearchMessages(ctx, "wadi", 10); len(hits) != 0 {
		t.Fatal("deleted chats must not be found")
	}
}

func TestPresets(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	p, err := s.SavePreset(ctx, Preset{Name: "Terse", Settings: "{}"})
	if err != nil || p.ID == 0 {
		t.Fatal(p, err)
	}
	if _, err := s.SavePreset(ctx, Preset{Name: "Terse", Settings: "{}"}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate name: %v", err)
	}
	p.Settings = `{"a":1}`
	if _, err := s.SavePreset(ctx, p); err != nil {
		t.Fatalf("update keeping its own name: %v", err)
	}
	ps, _ := s.Presets(ctx)
	if len(ps) != 1 || ps[0].Settings != `{"a":1}` {
		t.Fatalf("presets = %+v", ps)
	}
	if err := s.DeletePreset(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePreset(ctx, p.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}
