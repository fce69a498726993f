package desktop

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/compare"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// compareDone waits until both columns of run id sent their final event.
func compareDone(t *testing.T, rec *RecordingEmitter, id int64, cols int) []compare.Event {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var out []compare.Event
		done := 0
		for _, e := range rec.Events() {
			if ev, ok := e.Data.(compare.Event); ok && e.Name == CompareStreamEvent && ev.RunID == id {
				out = append(out, ev)
				if ev.Done {
					done++
				}
			}
		}
		if done == cols {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %d: %d of %d columns finished in 60 s", id, done, cols)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCompareBindingsBlind(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "cmpbind-one", 1)
	srv.CreateChatModel(t, "cmpbind-two", 2)
	a, rec := chatApp(t, srv.URL)
	t.Cleanup(a.stopCompares)

	if _, err := a.StartCompare(compare.Request{Prompt: "hi", Columns: []compare.ColumnSpec{{Host: srv.URL, Model: "cmpbind-one"}}}); err == nil ||
		!strings.Contains(err.Error(), "2 to 4") {
		t.Fatalf("one column: %v", err)
	}
	v, err := a.StartCompare(compare.Request{Prompt: "Say hi", Blind: true, Tags: []string{"arabic"},
		Columns: []compare.ColumnSpec{{Host: srv.URL, Model: "cmpbind-one:latest"}, {Host: srv.URL, Model: "cmpbind-two:latest"}}})
	if err != nil {
		t.Fatal(err)
	}
	evs := compareDone(t, rec, v.ID, 2)
	v, err = a.GetCompare(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := a.ListCompares()
	if err != nil || len(list) != 1 || len(list[0].Models) != 0 || list[0].Voted {
		t.Fatalf("list: %+v %v", list, err)
	}
	for what, x := range map[string]any{"view": v, "list": list, "events": evs} {
		b, _ := json.Marshal(x)
		if strings.Contains(string(b), "cmpbind") || strings.Contains(string(b), srv.URL) {
			t.Fatalf("%s names a model before the vote: %s", what, b)
		}
	}
	if rows, err := a.Leaderboard(""); err != nil || rows == nil || len(rows) != 0 {
		t.Fatalf("empty leaderboard: %#v %v", rows, err)
	}
	v, err = a.Vote(v.ID, 0, compare.Vote{Kind: compare.VoteBetter, Winner: 0})
	if err != nil || v.Columns[0].Model != "cmpbind-one:latest" {
		t.Fatalf("vote: %+v %v", v, err)
	}
	rows, err := a.Leaderboard("arabic")
	if err != nil || len(rows) != 2 || rows[0].Model != "cmpbind-one:latest" || rows[0].Votes != 1 {
		t.Fatalf("leaderboard: %+v %v", rows, err)
	}
	id, err := a.ContinueAsChat(v.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	cv, err := a.GetChat(id)
	if err != nil || len(cv.Messages) != 2 || cv.Messages[1].Content != v.Turns[0].Answers[0].Content {
		t.Fatalf("continued chat: %+v %v", cv, err)
	}
	set, err := a.SavePromptSet(compare.PromptSet{Name: "s", Prompts: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	if sets, err := a.PromptSets(); err != nil || len(sets) != 1 || sets[0].ID != set.ID {
		t.Fatalf("sets: %+v %v", sets, err)
	}
	if err := a.DeletePromptSet(set.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.DeletePromptSet(set.ID); err == nil {
		t.Fatal("deleting a missing set should fail")
	}
}
