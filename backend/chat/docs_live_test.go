package chat

import (
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// TestDocsAnswersAgainstRealOllama answers from attached documents with the
// real test Ollama (tiny chat model, tiny bert embedder): hybrid retrieval
// stored before streaming and announced in one event, keyword-only and
// mixed collections, single files, a context too small for the sources, a
// deleted collection, an embedder that is down, and regenerate.
func TestDocsAnswersAgainstRealOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny", 1)
	srv.CreateEmbedModel(t, "bert", 1)
	e := openDocsEnv(t, []string{srv.URL})
	para := strings.Repeat("The walrus protocol keeps every note private and local. ", 20)
	big := writeFile(t, e.dir, "big.md", "# One\n\n"+para+"\n\n# Two\n\n"+para+"\n\n# Three\n\n"+para+"\n")
	if err := e.collection("manuals", "bert", srv.URL); err != nil {
		t.Fatal(err)
	}
	const question = "How does the walrus protocol work?"
	send := func(chatID int64, rec *recorder) Message {
		t.Helper()
		on := func(Event) {}
		if rec != nil {
			on = rec.on
		}
		_, s, err := e.svc.Send(bg(), chatID, question, nil, on)
		if err != nil {
			t.Fatal(err)
		}
		if got := wait(t, s); got.Status != store.StatusComplete {
			t.Fatalf("answer %+v", got)
		}
		v, err := e.svc.GetChat(bg(), chatID)
		if err != nil {
			t.Fatal(err)
		}
		return v.Messages[len(v.Messages)-1]
	}
	newChat := func(atts ...Attachment) int64 {
		t.Helper()
		v, err := e.svc.NewChat(bg(), srv.URL, "tiny:latest")
		if err != nil {
			t.Fatal(err)
		}
		if len(atts) > 0 {
			if v, err = e.svc.SetAttachments(bg(), v.Chat.ID, atts); err != nil {
				t.Fatal(err)
			}
		}
		return v.Chat.ID
	}

	// The same question without documents, for its prompt size.
	plain := send(newChat(), nil)
	if plain.Retrieval != nil || plain.Metrics == nil || plain.Metrics.PromptTokens == 0 {
		t.Fatalf("plain answer %+v", plain)
	}

	id := newChat(Attachment{Collection: "manuals"})
	var rec recorder
	a := send(id, &rec)
	r := a.Retrieval
	if r == nil || r.Mode != rag.ModeHybrid || len(r.Notices) != 0 || r.NumCtx != 2048 || r.Query != question || len(r.Sources) == 0 {
		t.Fatalf("retrieval %+v", r)
	}
	sent, keyword := 0, false
	for _, src := range r.Sources {
		if src.VectorScore == nil || src.Fused <= 0 || src.Collection != "manuals" || src.Text == "" {
			t.Fatalf("source %+v", src)
		}
		keyword = keyword || src.KeywordScore != nil
		if src.Sent {
			sent++
			if src.N != sent {
				t.Fatalf("sent source numbered %d, want %d", src.N, sent)
			}
		}
	}
	if sent == 0 || !keyword {
		t.Fatalf("%d sent, keyword scores %v", sent, keyword)
	}
	if p := a.Metrics.PromptTokens; p < 3*plain.Metrics.PromptTokens || p < plain.Metrics.PromptTokens+200 {
		t.Fatalf("prompt tokens %d with sources, %d without: the sources were not sent", p, plain.Metrics.PromptTokens)
	}
	// One event carries the retrieval, before any text.
	evs := rec.events()
	if len(evs) < 2 || evs[0].Retrieval == nil || evs[0].Content != "" || evs[0].MessageID != a.ID ||
		evs[0].Retrieval.Sources[0].ChunkID != r.Sources[0].ChunkID {
		t.Fatalf("first event %+v", evs[0])
	}
	for _, ev := range evs[1:] {
		if ev.Retrieval != nil {
			t.Fatalf("a second event with a retrieval: %+v", ev)
		}
	}

	// Regenerate retrieves afresh: with the keyword-only collection now.
	if _, err := e.svc.SetAttachments(bg(), id, []Attachment{{Collection: "notes"}}); err != nil {
		t.Fatal(err)
	}
	_, s, err := e.svc.Regenerate(bg(), a.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	again := wait(t, s)
	v, _ := e.svc.GetChat(bg(), id)
	r2 := v.Messages[1].Retrieval
	if v.Messages[1].ID != again.ID || r2 == nil || r2.Mode != rag.ModeKeyword ||
		!strings.Contains(strings.Join(r2.Notices, "|"), "keyword-only: collection notes has no embedding model") {
		t.Fatalf("regenerated retrieval %+v", r2)
	}
	if v, _ = e.svc.SwitchBranch(bg(), a.ID); v.Messages[1].Retrieval == nil || v.Messages[1].Retrieval.Mode != rag.ModeHybrid {
		t.Fatal("the first answer lost its own retrieval")
	}

	// Both together: mixed.
	if m := send(newChat(Attachment{Collection: "manuals"}, Attachment{Collection: "notes"}), nil); m.Retrieval.Mode != rag.ModeMixed {
		t.Fatalf("two collections: mode %q", m.Retrieval.Mode)
	}

	// One file: every source comes from it.
	heron := e.files[1]
	m := send(newChat(Attachment{Collection: "manuals", File: heron}), nil)
	if len(m.Retrieval.Sources) == 0 {
		t.Fatal("nothing retrieved from the attached file")
	}
	for _, src := range m.Retrieval.Sources {
		if src.File != heron {
			t.Fatalf("source from %s, only %s is attached", src.File, heron)
		}
	}

	// A small context: sources are cut, and the retrieval says so.
	small := newChat(Attachment{Collection: "manuals", File: big})
	n := 512
	cv, _ := e.svc.GetChat(bg(), small)
	set := cv.Settings
	set.NumCtx = &n
	if _, err := e.svc.UpdateChatSettings(bg(), small, set); err != nil {
		t.Fatal(err)
	}
	m = send(small, nil)
	if r := m.Retrieval; r.NumCtx != 512 || !r.Cut || r.Tokens > r.Budget ||
		!strings.Contains(strings.Join(r.Notices, "|"), "did not fit in the 512-token context") {
		t.Fatalf("small context retrieval %+v", r)
	}

	// A deleted collection becomes a notice once; the answer is written.
	gone := newChat(Attachment{Collection: "manuals"}, Attachment{Collection: "notes"})
	if err := e.docs.Delete(bg(), "notes"); err != nil {
		t.Fatal(err)
	}
	m = send(gone, nil)
	if !strings.Contains(strings.Join(m.Retrieval.Notices, "|"), `collection "notes" was deleted`) || m.Content == "" {
		t.Fatalf("after delete: %+v", m)
	}
	if v, _ = e.svc.GetChat(bg(), gone); len(v.Attachments) != 1 {
		t.Fatalf("attachments after delete %+v", v.Attachments)
	}
	if rows, _ := e.st.ChatAttachments(bg(), gone); len(rows) != 1 {
		t.Fatalf("the deleted collection is still stored: %+v", rows)
	}

	// The embedder is unreachable: keyword-only, and it says so.
	if err := e.collection("dead", "bert", "http://127.0.0.1:1"); err == nil {
		t.Fatal("indexing with an unreachable embedder did not fail")
	}
	m = send(newChat(Attachment{Collection: "dead"}), nil)
	if m.Retrieval.Mode != rag.ModeKeyword || len(m.Retrieval.Sources) == 0 ||
		!strings.Contains(strings.Join(m.Retrieval.Notices, "|"), "keyword-only") {
		t.Fatalf("dead embedder: %+v", m.Retrieval)
	}
}
