package chat

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/store"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// TestConversationAgainstRealOllama streams, regenerates, edits, switches
// branches, deletes and reopens, against the real test Ollama.
func TestConversationAgainstRealOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny", 1)
	e := openEnv(t, []string{srv.URL}, Options{})

	opts, err := e.svc.ChatModels(bg())
	if err != nil || len(opts) != 1 {
		t.Fatalf("ChatModels = %+v, %v", opts, err)
	}
	if o := opts[0]; o.Name != "tiny:latest" || o.Host != srv.URL || o.ContextLength != 2048 ||
		!slices.Contains(o.Capabilities, "completion") || o.Family != "llama" {
		t.Fatalf("model option = %+v", o)
	}

	v, err := e.svc.NewChat(bg(), srv.URL, "tiny:latest")
	if err != nil {
		t.Fatal(err)
	}
	if v.Chat.Title != DefaultTitle || v.Context.NumCtx != 2048 {
		t.Fatalf("new chat = %+v (numCtx must be the model's 2048, below the 8192 default)", v)
	}
	// An empty model means the last used one.
	if v2, err := e.svc.NewChat(bg(), "", ""); err != nil || v2.Chat.Model != "tiny:latest" || v2.Chat.Host != srv.URL {
		t.Fatalf("NewChat with defaults = %+v, %v", v2.Chat, err)
	}

	var rec recorder
	start, s, err := e.svc.Send(bg(), v.Chat.ID, "Hello there, tiny model!\nsecond line", nil, rec.on)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(start.Chat.Messages); n != 2 || start.Chat.Messages[0].Content != "Hello there, tiny model!\nsecond line" ||
		start.Chat.Messages[1].Status != "streaming" || start.Chat.Chat.Title != "Hello there, tiny model!" {
		t.Fatalf("StreamStart chat = %+v", start.Chat)
	}
	got := wait(t, s)
	if got.Status != store.StatusComplete || got.Content == "" || got.Error != "" {
		t.Fatalf("answer = %+v", got)
	}
	evs := rec.events()
	last := evs[len(evs)-1]
	if !last.Done || last.Status != "complete" || last.Metrics == nil || last.MessageID != got.ID || last.StreamID != start.StreamID {
		t.Fatalf("final event = %+v", last)
	}
	for _, ev := range evs[:len(evs)-1] {
		if ev.Done || ev.Status != "streaming" {
			t.Fatalf("event before the end: %+v", ev)
		}
	}
	if c, _ := rec.joined(); c != got.Content {
		t.Fatalf("events carry %q, stored %q", c, got.Content)
	}

	// The same request straight to Ollama gives the same text and counts.
	var direct strings.Builder
	var dm api.Metrics
	err = srv.Client().Chat(bg(), &api.ChatRequest{Model: "tiny:latest",
		Messages: []api.Message{{Role: "user", Content: "Hello there, tiny model!\nsecond line"}},
		Options:  map[string]any{"num_ctx": 2048}}, func(r api.ChatResponse) error {
		direct.WriteString(r.Message.Content)
		if r.Done {
			dm = r.Metrics
		}
		return nil
	})
	if err != nil || direct.String() != got.Content {
		t.Fatalf("direct chat = %q, %v; Wadi stored %q", direct.String(), err, got.Content)
	}
	m := last.Metrics
	if m.OutputTokens != dm.EvalCount || m.PromptTokens != dm.PromptEvalCount || m.OutputTokens == 0 {
		t.Fatalf("metrics %+v, Ollama's counts %+v", m, dm)
	}
	if m.TTFTMs <= 0 || m.TotalMs <= 0 || m.OutputMs <= 0 || m.TotalMs < m.OutputMs ||
		math.Abs(m.TokensPerSec-float64(m.OutputTokens)/(m.OutputMs/1000)) > 0.01*m.TokensPerSec {
		t.Fatalf("inconsistent metrics %+v", m)
	}

	// Regenerate: a sibling answer; the old one is kept.
	user := start.Chat.Messages[0]
	first := got
	start, s, err = e.svc.Regenerate(bg(), first.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	second := wait(t, s)
	if second.ParentID != user.ID || second.Status != store.StatusComplete {
		t.Fatalf("regenerated = %+v", second)
	}
	v, _ = e.svc.GetChat(bg(), v.Chat.ID)
	a := v.Messages[1]
	if a.ID != second.ID || !slices.Equal(a.SiblingIDs, []int64{first.ID, second.ID}) || a.SiblingIndex != 1 || a.Metrics == nil {
		t.Fatalf("after regenerate: %+v", a)
	}

	// Edit the prompt: a sibling user message with its own answer.
	start, s, err = e.svc.EditMessage(bg(), user.ID, "A different question", nil)
	if err != nil {
		t.Fatal(err)
	}
	edited := wait(t, s)
	v, _ = e.svc.GetChat(bg(), v.Chat.ID)
	if len(v.Messages) != 2 || v.Messages[0].Content != "A different question" || v.Messages[0].SiblingIndex != 1 ||
		len(v.Messages[0].SiblingIDs) != 2 || v.Messages[1].ID != edited.ID || v.Messages[0].ParentID != nil {
		t.Fatalf("after edit: %+v", v.Messages)
	}
	if _, _, err := e.svc.EditMessage(bg(), edited.ID, "x", nil); err == nil {
		t.Fatal("editing an answer must be refused")
	}

	// Switch back to the first version: its latest answer shows.
	v, err = e.svc.SwitchBranch(bg(), user.ID)
	if err != nil || v.Messages[0].ID != user.ID || v.Messages[1].ID != second.ID {
		t.Fatalf("SwitchBranch = %+v, %v", v.Messages, err)
	}
	// A follow-up continues this branch.
	_, s, err = e.svc.Send(bg(), v.Chat.ID, "and then?", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	follow := wait(t, s)

	// Reopen the database: the chat shows the same branch.
	path := e.path
	e.svc.Close()
	e.st.Close()
	e = reopenEnv(t, path, []string{srv.URL}, Options{})
	if err := e.svc.Recover(bg()); err != nil {
		t.Fatal(err)
	}
	v, err = e.svc.GetChat(bg(), v.Chat.ID)
	if err != nil || len(v.Messages) != 4 || v.Messages[3].ID != follow.ID || v.Messages[1].ID != second.ID ||
		v.Messages[3].Status != "complete" || v.Messages[3].Content != follow.Content {
		t.Fatalf("after reopen: %+v, %v", v.Messages, err)
	}

	// Delete the second answer: its follow-ups go, the first answer shows.
	v, err = e.svc.DeleteMessage(bg(), second.ID)
	if err != nil || len(v.Messages) != 2 || v.Messages[1].ID != first.ID || len(v.Messages[1].SiblingIDs) != 1 {
		t.Fatalf("after delete: %+v, %v", v.Messages, err)
	}
	if v.Chat.MessageCount != 4 { // two user versions and two answers remain
		t.Fatalf("message count %d", v.Chat.MessageCount)
	}
}

// TestStopKeepsPartialAnswer stops a long answer from the real Ollama.
func TestStopKeepsPartialAnswer(t *testing.T) {
	srv := ollamatest.Start(t)
	createLongModel(t, srv, "long")
	e := openEnv(t, []string{srv.URL}, Options{})
	v, err := e.svc.NewChat(bg(), srv.URL, "long:latest")
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan struct{}, 1)
	var rec recorder
	start, s, err := e.svc.Send(bg(), v.Chat.ID, "go on forever", nil, func(ev Event) {
		rec.on(ev)
		select {
		case first <- struct{}{}:
		default:
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	<-first
	if v, err := e.svc.GetChat(bg(), v.Chat.ID); err != nil || v.Messages[1].Status != "streaming" {
		t.Fatalf("a live answer must show as streaming: %+v, %v", v.Messages, err)
	}
	if _, _, err := e.svc.Send(bg(), v.Chat.ID, "again", nil, nil); err == nil || !strings.Contains(err.Error(), "still being written") {
		t.Fatalf("a second prompt while answering: %v", err)
	}
	e.svc.Stop(start.StreamID)
	got := wait(t, s)
	if got.Status != store.StatusIncomplete || got.Error != "stopped" || got.Content == "" {
		t.Fatalf("stopped answer = %+v", got)
	}
	if c, _ := rec.joined(); c != got.Content {
		t.Fatalf("events %q vs stored %q", c, got.Content)
	}
	evs := rec.events()
	if l := evs[len(evs)-1]; !l.Done || l.Status != "incomplete" || l.Error != "stopped" {
		t.Fatalf("final event %+v", l)
	}
	stored, _ := e.st.Message(bg(), got.ID)
	if stored.Content != got.Content || stored.Status != store.StatusIncomplete {
		t.Fatalf("stored %+v", stored)
	}
	e.svc.Stop(start.StreamID) // stopping again does nothing

	// Retry writes a new sibling answer.
	again := make(chan struct{})
	var once sync.Once
	_, s, err = e.svc.Retry(bg(), got.ID, func(Event) { once.Do(func() { close(again) }) })
	if err != nil {
		t.Fatal(err)
	}
	go func() { <-again; e.svc.Close() }()
	retried := wait(t, s)
	if retried.ParentID != got.ParentID || retried.Status != store.StatusIncomplete || retried.Error != errShutdown.Error() {
		t.Fatalf("retry closed by shutdown = %+v", retried)
	}
}
