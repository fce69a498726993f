package compare

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wadi-app/wadi/backend/store"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// The two test models; their names must never show in a blind run.
const (
	modelOne = "wadicmp-one:latest"
	modelTwo = "wadicmp-two:latest"
)

func startModels(t *testing.T) *ollamatest.Server {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "wadicmp-one", 1)
	srv.CreateChatModel(t, "wadicmp-two", 2)
	return srv
}

// faultHost is an Ollama that sends some text, then drops the connection.
func faultHost(t *testing.T) string {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/chat", func(w http.ResponseWriter, r *http.Request) {
		for _, s := range []string{"Half", " an"} {
			b, _ := json.Marshal(map[string]any{"model": "m", "message": map[string]string{"role": "assistant", "content": s}})
			w.Write(append(b, '\n'))
			w.(http.Flusher).Flush()
		}
		conn, buf, _ := w.(http.Hijacker).Hijack()
		buf.Flush()
		conn.Close()
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestLive(t *testing.T) {
	srv := startModels(t)
	two := []ColumnSpec{{Host: srv.URL, Model: modelOne}, {Host: srv.URL, Model: modelTwo}}

	t.Run("concurrent with figures", func(t *testing.T) {
		e := openEnv(t, []string{srv.URL}, Options{})
		var rec recorder
		v, err := e.svc.Start(bg(), Request{Prompt: "Say hello", Columns: two, Tags: []string{" Coding "}}, rec.on)
		if err != nil {
			t.Fatal(err)
		}
		if v.Schedule != Concurrent || v.Columns[0].Order != 1 || v.Columns[1].Order != 1 || v.ScheduleNote == "" {
			t.Fatalf("schedule: %s %q orders %d %d", v.Schedule, v.ScheduleNote, v.Columns[0].Order, v.Columns[1].Order)
		}
		if v.Tags[0] != "coding" {
			t.Fatalf("tags: %v", v.Tags)
		}
		v = waitRun(t, e, v.ID)
		for c := 0; c < 2; c++ {
			a := v.Turns[0].Answers[c]
			if a.Status != store.StatusComplete || a.Content == "" || v.Columns[c].State != StateDone {
				t.Fatalf("column %d: %+v state %s", c, a, v.Columns[c].State)
			}
			m := a.Metrics
			if m == nil || m.OutputTokens <= 0 || m.TTFTMs <= 0 || m.TotalMs <= 0 || m.OutputMs <= 0 {
				t.Fatalf("column %d figures: %+v", c, m)
			}
			// tokens/s is Ollama's eval_count over eval_duration.
			if want := float64(m.OutputTokens) / (m.OutputMs / 1000); math.Abs(m.TokensPerSec-want) > want*0.01 {
				t.Fatalf("column %d: tokens/s %v, eval figures give %v", c, m.TokensPerSec, want)
			}
			if m.TotalMs < m.LoadMs || m.TotalMs < m.OutputMs {
				t.Fatalf("column %d: total %v below load %v or output %v", c, m.TotalMs, m.LoadMs, m.OutputMs)
			}
			got, evs := rec.column(0, c)
			if got != a.Content {
				t.Fatalf("column %d: events carry %q, stored %q", c, got, a.Content)
			}
			last := evs[len(evs)-1]
			if !last.Done || last.ColumnState != StateDone || last.Metrics == nil || *last.Metrics != *m {
				t.Fatalf("column %d last event: %+v", c, last)
			}
		}
		if v.Turns[0].Answers[0].Content == v.Turns[0].Answers[1].Content {
			t.Log("note: the two models gave the same text")
		}

		// A follow-up continues each column with its own history.
		if _, err := e.svc.FollowUp(bg(), v.ID, "And again", rec.on); err != nil {
			t.Fatal(err)
		}
		v = waitRun(t, e, v.ID)
		if len(v.Turns) != 2 || v.Turns[1].Prompt != "And again" {
			t.Fatalf("turns: %+v", v.Turns)
		}
		for c, a := range v.Turns[1].Answers {
			if a.Status != store.StatusComplete || a.Metrics == nil || a.Metrics.PromptTokens <= v.Turns[0].Answers[c].Metrics.PromptTokens {
				t.Fatalf("follow-up column %d: %+v (the history should make the prompt longer)", c, a)
			}
		}

		// Stored and searchable.
		hits, err := e.st.SearchCompares(bg(), "hello", 10)
		if err != nil || len(hits) == 0 || hits[0].RunID != v.ID {
			t.Fatalf("search: %+v %v", hits, err)
		}

		// Continue with column 1 as a normal chat.
		id, err := e.svc.ContinueAsChat(bg(), v.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		cv, err := e.chats.GetChat(bg(), id)
		if err != nil {
			t.Fatal(err)
		}
		if cv.Chat.Model != modelTwo || len(cv.Messages) != 4 || cv.Messages[3].Content != v.Turns[1].Answers[1].Content ||
			cv.Messages[2].Content != "And again" {
			t.Fatalf("continued chat: %+v", cv)
		}
	})

	t.Run("sequential when the models do not fit", func(t *testing.T) {
		m := smallMachine
		e := openEnv(t, []string{srv.URL}, Options{Machine: &m})
		var rec recorder
		v, err := e.svc.Start(bg(), Request{Prompt: "Say hello", Columns: two}, rec.on)
		if err != nil {
			t.Fatal(err)
		}
		if v.Schedule != Sequential || v.Columns[0].Order != 1 || v.Columns[1].Order != 2 ||
			!strings.Contains(v.ScheduleNote, "do not fit in memory") {
			t.Fatalf("schedule: %s %q %+v", v.Schedule, v.ScheduleNote, v.Columns)
		}
		if v.Columns[1].State != StateWaiting {
			t.Fatalf("column B should wait at first: %+v", v.Columns)
		}
		v = waitRun(t, e, v.ID)
		// Column 1's first event comes after column 0's last one.
		evs := rec.events()
		done0, first1 := -1, -1
		for i, ev := range evs {
			if ev.Column == 0 && ev.Done {
				done0 = i
			}
			if ev.Column == 1 && first1 < 0 {
				first1 = i
			}
		}
		if done0 < 0 || first1 < done0 {
			t.Fatalf("column 1 started (event %d) before column 0 ended (event %d)", first1, done0)
		}
		for c := 0; c < 2; c++ {
			if a := v.Turns[0].Answers[c]; a.Status != store.StatusComplete || a.Metrics == nil {
				t.Fatalf("column %d: %+v", c, a)
			}
		}
	})

	t.Run("a failing column does not stop the others", func(t *testing.T) {
		bad := faultHost(t)
		e := openEnv(t, []string{srv.URL, bad}, Options{})
		var rec recorder
		v, err := e.svc.Start(bg(), Request{Prompt: "Say hello",
			Columns: []ColumnSpec{{Host: srv.URL, Model: modelOne}, {Host: bad, Model: "m"}, {Host: srv.URL, Model: modelTwo}}}, rec.on)
		if err != nil {
			t.Fatal(err)
		}
		v = waitRun(t, e, v.ID)
		if a := v.Turns[0].Answers[1]; v.Columns[1].State != StateFailed || a.Status != store.StatusIncomplete ||
			a.Content != "Half an" || !strings.Contains(a.Error, "closed before the answer finished") {
			t.Fatalf("failed column: %+v state %s", a, v.Columns[1].State)
		}
		for _, c := range []int{0, 2} {
			if a := v.Turns[0].Answers[c]; a.Status != store.StatusComplete || v.Columns[c].State != StateDone {
				t.Fatalf("column %d: %+v state %s", c, a, v.Columns[c].State)
			}
		}
		_, evs := rec.column(0, 1)
		if last := evs[len(evs)-1]; !last.Done || last.ColumnState != StateFailed {
			t.Fatalf("failed column's last event: %+v", last)
		}
	})

	t.Run("blind names stay hidden until the vote", func(t *testing.T) {
		e := openEnv(t, []string{srv.URL}, Options{})
		var rec recorder
		v, err := e.svc.Start(bg(), Request{Prompt: "Say hello", Columns: two, Blind: true, Tags: []string{"writing"}}, rec.on)
		if err != nil {
			t.Fatal(err)
		}
		v = waitRun(t, e, v.ID)
		sums, err := e.svc.List(bg())
		if err != nil {
			t.Fatal(err)
		}
		for what, x := range map[string]any{"view": v, "summaries": sums, "events": rec.events()} {
			js := mustJSON(t, x)
			if strings.Contains(js, "wadicmp") || strings.Contains(js, srv.URL) {
				t.Fatalf("%s leaks a name before the vote: %s", what, js)
			}
		}
		if labels := v.Columns[0].Label + v.Columns[1].Label; labels != "AB" && labels != "BA" {
			t.Fatalf("labels: %q", labels)
		}
		if _, err := e.svc.ContinueAsChat(bg(), v.ID, 0); err == nil {
			t.Fatal("continuing a blind run before the vote should be refused")
		}
		if _, err := e.svc.CastVote(bg(), v.ID, 0, Vote{Kind: VoteBetter, Winner: 5}); err == nil || !strings.Contains(err.Error(), "winner 5") {
			t.Fatalf("bad winner: %v", err)
		}
		v, err = e.svc.CastVote(bg(), v.ID, 0, Vote{Kind: VoteBetter, Winner: 1})
		if err != nil {
			t.Fatal(err)
		}
		if v.Columns[0].Model != modelOne || v.Columns[1].Model != modelTwo || len(v.Votes) != 1 {
			t.Fatalf("after the vote: %+v", v)
		}
		if _, err := e.svc.CastVote(bg(), v.ID, 0, Vote{Kind: VoteTie}); err == nil {
			t.Fatal("a second vote on one turn should be refused")
		}
		rows, err := e.svc.Leaderboard(bg(), "writing")
		if err != nil || len(rows) != 2 || rows[0].Model != modelTwo || rows[0].Rating != 1016 || rows[0].Wins != 1 {
			t.Fatalf("leaderboard: %+v %v", rows, err)
		}
		if rows, _ := e.svc.Leaderboard(bg(), "coding"); len(rows) != 0 {
			t.Fatalf("coding leaderboard: %+v", rows)
		}
	})

	t.Run("prompt set run, pause, resume, export", func(t *testing.T) {
		e := openEnv(t, []string{srv.URL}, Options{})
		if _, err := e.svc.SavePromptSet(bg(), PromptSet{Name: " ", Prompts: []string{"x"}}); err == nil {
			t.Fatal("an empty name should be refused")
		}
		set, err := e.svc.SavePromptSet(bg(), PromptSet{Name: "basics", Prompts: []string{"one", " ", "two", "three"}, Tags: []string{"Coding"}})
		if err != nil || len(set.Prompts) != 3 || set.Tags[0] != "coding" {
			t.Fatalf("save: %+v %v", set, err)
		}
		if _, err := e.svc.SavePromptSet(bg(), PromptSet{Name: "basics", Prompts: []string{"x"}}); err == nil || !strings.Contains(err.Error(), "already used") {
			t.Fatalf("duplicate name: %v", err)
		}
		var progress []SetRun
		var mu sync.Mutex
		on := func(r SetRun) { mu.Lock(); progress = append(progress, r); mu.Unlock() }
		r, err := e.svc.RunSet(bg(), set.ID, two, "", on)
		if err != nil || r.Total != 3 || r.State != SetRunning {
			t.Fatalf("run: %+v %v", r, err)
		}
		if r, err = e.svc.PauseSetRun(bg(), r.ID); err != nil || r.State != SetPaused || r.Done > 1 {
			t.Fatalf("pause: %+v %v", r, err)
		}
		// A restart leaves a running set run paused.
		if err := e.st.SetSetRunState(bg(), r.ID, SetRunning); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Recover(bg()); err != nil {
			t.Fatal(err)
		}
		if r, _ = e.svc.GetSetRun(bg(), r.ID); r.State != SetPaused {
			t.Fatalf("after recover: %s", r.State)
		}
		if r, err = e.svc.ResumeSetRun(bg(), r.ID, on); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.WaitSetRun(bg(), r.ID); err != nil {
			t.Fatal(err)
		}
		r, _ = e.svc.GetSetRun(bg(), r.ID)
		if r.State != SetDone || r.Done != 3 || len(r.Rows) != 3 || r.Rows[2].Prompt != "three" {
			t.Fatalf("done: %+v", r)
		}
		mu.Lock()
		if last := progress[len(progress)-1]; last.State != SetDone || last.Done != 3 {
			t.Fatalf("last progress: %+v", last)
		}
		mu.Unlock()
		out, err := ExportSetRun(r, FormatCSV)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(recs) != 7 || recs[1][1] != "one" || recs[1][4] != modelOne || recs[2][4] != modelTwo {
			t.Fatalf("csv: %v %v", recs, err)
		}
		for _, rec := range recs[1:] {
			if rec[5] != "complete" || rec[7] == "" || rec[10] == "" || rec[9] == "" {
				t.Fatalf("csv row without answer or figures: %v", rec)
			}
		}
		md, err := ExportSetRun(r, FormatMarkdown)
		if err != nil || !strings.Contains(md, "## Prompt 3") || !strings.Contains(md, "| "+modelTwo+" | complete |") {
			t.Fatalf("markdown: %s %v", md, err)
		}
		if _, err := ExportSetRun(r, "pdf"); err == nil {
			t.Fatal("an unknown format should be refused")
		}
	})
}
