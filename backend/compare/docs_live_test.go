package compare

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

// keywordCollection makes a keyword-only collection (no embedding model)
// of a few small Markdown files.
func keywordCollection(t *testing.T, st *store.Store, name string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"oasis.md": "# Oasis\n\nThe Siwa oasis has about three hundred springs and its palms grow dates and olives.\n",
		"wells.md": "# Wells\n\nThe old well at Bir Tawil is forty metres deep; camels drink from its trough at dawn.\n",
		"dunes.md": "# Dunes\n\nThe Great Sand Sea has dunes up to one hundred metres high that move a little every year.\n",
	}
	for n, body := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	docs := rag.New(st, rag.Options{})
	if _, err := docs.Create(bg(), name, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := docs.Add(bg(), name, []string{dir}, rag.AddOptions{}); err != nil {
		t.Fatal(err)
	}
}

func sentFiles(r *rag.Retrieval) []string {
	var out []string
	for _, s := range r.Sources {
		if s.Sent {
			out = append(out, filepath.Base(s.File))
		}
	}
	return out
}

func TestLiveDocuments(t *testing.T) {
	srv := startModels(t)
	two := []ColumnSpec{{Host: srv.URL, Model: modelOne}, {Host: srv.URL, Model: modelTwo}}
	e := openEnv(t, []string{srv.URL}, Options{})
	keywordCollection(t, e.st, "desert")
	const question = "How many springs does the Siwa oasis have?"

	t.Run("a missing collection is refused at start", func(t *testing.T) {
		_, err := e.svc.Start(bg(), Request{Prompt: question, Columns: two, Collection: "nowhere"}, nil)
		if err == nil || !strings.Contains(err.Error(), `collection "nowhere"`) || !strings.Contains(err.Error(), "no document collection") {
			t.Fatalf("err = %v", err)
		}
		if runs, _ := e.svc.List(bg()); len(runs) != 0 {
			t.Fatalf("a refused run was stored: %+v", runs)
		}
	})

	var withDocs View
	t.Run("every column gets the same sources, every turn retrieves again", func(t *testing.T) {
		var rec recorder
		v, err := e.svc.Start(bg(), Request{Prompt: question, Columns: two, Collection: " desert "}, rec.on)
		if err != nil {
			t.Fatal(err)
		}
		if v.Collection != "desert" {
			t.Fatalf("collection: %q", v.Collection)
		}
		v = waitRun(t, e, v.ID)
		r := v.Turns[0].Retrieval
		if r == nil || r.Query != question || r.Mode != rag.ModeKeyword || len(r.Sources) == 0 || !r.Sources[0].Sent ||
			r.Sources[0].N != 1 || filepath.Base(r.Sources[0].File) != "oasis.md" {
			t.Fatalf("turn 0 retrieval: %+v", r)
		}
		if len(r.Notices) == 0 || !strings.Contains(r.Notices[0], "keyword-only") {
			t.Fatalf("notices: %v", r.Notices)
		}
		if v.Turns[0].Prompt != question {
			t.Fatalf("the stored prompt is not the user's: %q", v.Turns[0].Prompt)
		}
		for c := 0; c < 2; c++ {
			a := v.Turns[0].Answers[c]
			if a.Status != store.StatusComplete || a.Metrics == nil {
				t.Fatalf("column %d: %+v", c, a)
			}
			// Each column's first event carries the one retrieval.
			_, evs := rec.column(0, c)
			if len(evs) == 0 || evs[0].Retrieval == nil || mustJSON(t, evs[0].Retrieval) != mustJSON(t, r) {
				t.Fatalf("column %d's first event has no or another retrieval: %+v", c, evs)
			}
			for _, ev := range evs[1:] {
				if ev.Retrieval != nil {
					t.Fatalf("column %d: retrieval sent twice", c)
				}
			}
		}
		a0, a1 := v.Turns[0].Answers[0].Metrics, v.Turns[0].Answers[1].Metrics
		if a0.PromptTokens != a1.PromptTokens || a0.PromptTokens == 0 {
			t.Fatalf("prompt tokens differ: %d vs %d", a0.PromptTokens, a1.PromptTokens)
		}

		v, err = e.svc.FollowUp(bg(), v.ID, "How deep is the well at Bir Tawil?", rec.on)
		if err != nil {
			t.Fatal(err)
		}
		v = waitRun(t, e, v.ID)
		r1 := v.Turns[1].Retrieval
		if r1 == nil || r1.Query != "How deep is the well at Bir Tawil?" || len(sentFiles(r1)) == 0 || sentFiles(r1)[0] != "wells.md" {
			t.Fatalf("turn 1 retrieval: %+v", r1)
		}
		if v.Turns[0].Retrieval == nil || sentFiles(v.Turns[0].Retrieval)[0] != "oasis.md" {
			t.Fatalf("turn 0's retrieval changed: %+v", v.Turns[0].Retrieval)
		}
		for c := 0; c < 2; c++ {
			if a := v.Turns[1].Answers[c]; a.Status != store.StatusComplete {
				t.Fatalf("follow-up column %d: %+v", c, a)
			}
		}
		withDocs = v

		// Continuing with one column keeps the documents attached.
		id, err := e.svc.ContinueAsChat(bg(), v.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		cv, err := e.chats.GetChat(bg(), id)
		if err != nil || len(cv.Attachments) != 1 || cv.Attachments[0].Collection != "desert" || cv.Attachments[0].File != "" {
			t.Fatalf("continued chat's attachments: %+v %v", cv.Attachments, err)
		}
	})

	t.Run("without the collection the prompt is shorter", func(t *testing.T) {
		if withDocs.ID == 0 {
			t.Skip("needs the run with documents")
		}
		v, err := e.svc.Start(bg(), Request{Prompt: question, Columns: two}, nil)
		if err != nil {
			t.Fatal(err)
		}
		v = waitRun(t, e, v.ID)
		if v.Collection != "" || v.Turns[0].Retrieval != nil {
			t.Fatalf("a run without documents has some: %q %+v", v.Collection, v.Turns[0].Retrieval)
		}
		for c := 0; c < 2; c++ {
			plain, docs := v.Turns[0].Answers[c].Metrics, withDocs.Turns[0].Answers[c].Metrics
			if plain == nil || plain.PromptTokens <= 0 || docs.PromptTokens <= plain.PromptTokens {
				t.Fatalf("column %d: %d prompt tokens with documents, %d without", c, docs.PromptTokens, plain.PromptTokens)
			}
		}
	})

	t.Run("a prompt set run answers every prompt from the collection", func(t *testing.T) {
		set, err := e.svc.SavePromptSet(bg(), PromptSet{Name: "desert set", Prompts: []string{question, "How high are the dunes?"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.RunSet(bg(), set.ID, two, "nowhere", nil); err == nil || !strings.Contains(err.Error(), `collection "nowhere"`) {
			t.Fatalf("missing collection: %v", err)
		}
		r, err := e.svc.RunSet(bg(), set.ID, two, "desert", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.WaitSetRun(bg(), r.ID); err != nil {
			t.Fatal(err)
		}
		if r, err = e.svc.GetSetRun(bg(), r.ID); err != nil || r.State != SetDone || r.Collection != "desert" {
			t.Fatalf("set run: %+v %v", r, err)
		}
		stored, err := e.st.SetRunByID(bg(), r.ID)
		if err != nil || len(stored.Items) != 2 {
			t.Fatalf("items: %+v %v", stored, err)
		}
		for i, want := range []string{"oasis.md", "dunes.md"} {
			v, err := e.svc.Get(bg(), stored.Items[i])
			if err != nil || v.Collection != "desert" || v.Turns[0].Retrieval == nil || sentFiles(v.Turns[0].Retrieval)[0] != want {
				t.Fatalf("prompt %d's run: %+v %v", i, v, err)
			}
		}
	})

	t.Run("blind run with documents names no model", func(t *testing.T) {
		var rec recorder
		v, err := e.svc.Start(bg(), Request{Prompt: question, Columns: two, Blind: true, Collection: "desert"}, rec.on)
		if err != nil {
			t.Fatal(err)
		}
		v = waitRun(t, e, v.ID)
		if v.Turns[0].Retrieval == nil || len(sentFiles(v.Turns[0].Retrieval)) == 0 {
			t.Fatalf("blind run retrieval: %+v", v.Turns[0].Retrieval)
		}
		sums, _ := e.svc.List(bg())
		for what, doc := range map[string]string{"view": mustJSON(t, v), "events": mustJSON(t, rec.events()), "list": mustJSON(t, sums[0])} {
			for _, name := range []string{modelOne, "wadicmp-one", "wadicmp-two", srv.URL} {
				if strings.Contains(doc, name) {
					t.Fatalf("blind %s names %q: %s", what, name, doc)
				}
			}
		}
	})
}
