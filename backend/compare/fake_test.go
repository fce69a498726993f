package compare

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/store"
)

// tokenHost is a fake Ollama whose /api/chat streams n tokens ("t0 t1 ..."),
// gap apart, then a final line with Ollama's counters; n < 0 streams until
// the client goes away.
func tokenHost(t testing.TB, n int, gap time.Duration) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/chat", func(w http.ResponseWriter, r *http.Request) {
		line := func(v map[string]any) bool {
			b, _ := json.Marshal(v)
			if _, err := w.Write(append(b, '\n')); err != nil {
				return false
			}
			w.(http.Flusher).Flush()
			return true
		}
		for i := 0; n < 0 || i < n; i++ {
			if !line(map[string]any{"model": "m", "message": map[string]string{"role": "assistant", "content": fmt.Sprintf("t%d ", i)}}) {
				return
			}
			if gap > 0 {
				select {
				case <-time.After(gap):
				case <-r.Context().Done():
					return
				}
			}
		}
		line(map[string]any{"model": "m", "message": map[string]string{"role": "assistant"}, "done": true,
			"eval_count": n, "eval_duration": int64(time.Second), "total_duration": int64(2 * time.Second),
			"load_duration": int64(time.Millisecond), "prompt_eval_count": 3})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func tokens(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "t%d ", i)
	}
	return b.String()
}

func TestFourStreamsLoseNoToken(t *testing.T) {
	var hosts []string
	var cols []ColumnSpec
	for i := 0; i < 4; i++ {
		h := tokenHost(t, 500, 0)
		hosts = append(hosts, h)
		cols = append(cols, ColumnSpec{Host: h, Model: "m"})
	}
	e := openEnv(t, hosts, Options{})
	var rec recorder
	v, err := e.svc.Start(bg(), Request{Prompt: "go", Columns: cols}, rec.on)
	if err != nil {
		t.Fatal(err)
	}
	v = waitRun(t, e, v.ID)
	want := tokens(500)
	for c := 0; c < 4; c++ {
		got, evs := rec.column(0, c)
		if got != want || v.Turns[0].Answers[c].Content != want {
			t.Fatalf("column %d lost text: %d of %d bytes in events", c, len(got), len(want))
		}
		if len(evs) >= 500 {
			t.Fatalf("column %d: %d events for 500 tokens; they should be batched", c, len(evs))
		}
		if m := v.Turns[0].Answers[c].Metrics; m == nil || m.OutputTokens != 500 || m.TokensPerSec != 500 || m.TotalMs != 2000 || m.LoadMs != 1 {
			t.Fatalf("column %d figures from Ollama's fields: %+v", c, m)
		}
	}
}

func TestStopKeepsText(t *testing.T) {
	slow, fast := tokenHost(t, -1, 5*time.Millisecond), tokenHost(t, 3, 0)
	e := openEnv(t, []string{slow, fast}, Options{FlushEvery: 10 * time.Millisecond})
	got := make(chan struct{}, 1)
	on := func(ev Event) {
		if ev.Column == 0 && ev.Content != "" {
			select {
			case got <- struct{}{}:
			default:
			}
		}
	}
	v, err := e.svc.Start(bg(), Request{Prompt: "go", Columns: []ColumnSpec{{Host: slow, Model: "m"}, {Host: fast, Model: "m"}}}, on)
	if err != nil {
		t.Fatal(err)
	}
	<-got
	// The partial text reaches the database while the column streams.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		d, err := e.st.CompareRun(bg(), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a := d.Answers[0]; a.Status == store.StatusStreaming && strings.HasPrefix(a.Content, "t0 ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("partial text never saved: %+v", d.Answers[0])
		}
	}
	e.svc.Stop(v.ID)
	v = waitRun(t, e, v.ID)
	a := v.Turns[0].Answers[0]
	if v.Columns[0].State != StateStopped || a.Status != store.StatusIncomplete || !strings.HasPrefix(a.Content, "t0 ") || a.Error != "stopped" {
		t.Fatalf("stopped column: %+v %s", a, v.Columns[0].State)
	}
	if _, err := e.svc.FollowUp(bg(), v.ID, " ", nil); err == nil {
		t.Fatal("an empty follow-up should be refused")
	}
}

func TestStartValidates(t *testing.T) {
	h := tokenHost(t, 1, 0)
	e := openEnv(t, []string{h}, Options{})
	two := []ColumnSpec{{Host: h, Model: "m"}, {Host: h, Model: "n"}}
	temp := 3.0
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Prompt: " ", Columns: two}, "prompt"},
		{Request{Prompt: "x", Columns: two[:1]}, "2 to 4"},
		{Request{Prompt: "x", Columns: []ColumnSpec{two[0], {Host: "http://elsewhere:1", Model: "m"}}}, "columns[1].host"},
		{Request{Prompt: "x", Columns: []ColumnSpec{two[0], {Host: h}}}, "columns[1].model"},
		{Request{Prompt: "x", Columns: []ColumnSpec{two[0], {Host: h, Model: "m", Settings: settingsTemp(temp)}}}, "columns[1].settings: temperature"},
	} {
		if _, err := e.svc.Start(bg(), tc.req, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want it to name %q", tc.req, err, tc.want)
		}
	}
	// Four models on a host that keeps two loaded run one after another;
	// stopping the run stops the waiting columns too.
	slow := tokenHost(t, -1, 5*time.Millisecond)
	var four []ColumnSpec
	for i := 0; i < 4; i++ {
		four = append(four, ColumnSpec{Host: slow, Model: fmt.Sprint("m", i)})
	}
	e2 := openEnv(t, []string{slow}, Options{MaxLoaded: 2})
	var rec recorder
	v, err := e2.svc.Start(bg(), Request{Prompt: "x", Columns: four}, rec.on)
	if err != nil {
		t.Fatal(err)
	}
	if v.Schedule != Sequential || !strings.Contains(v.ScheduleNote, "at most 2 models") || v.Columns[3].Order != 4 ||
		v.Columns[0].State != StateRunning || v.Columns[3].State != StateWaiting {
		t.Fatalf("schedule: %s %q %+v", v.Schedule, v.ScheduleNote, v.Columns)
	}
	e2.svc.Stop(v.ID)
	v = waitRun(t, e2, v.ID)
	for c := 1; c < 4; c++ {
		a := v.Turns[0].Answers[c]
		_, evs := rec.column(0, c)
		if v.Columns[c].State != StateStopped || a.Error != "stopped" || a.Content != "" || len(evs) != 1 || evs[0].ColumnState != StateStopped {
			t.Fatalf("waiting column %d: %+v %s %+v", c, a, v.Columns[c].State, evs)
		}
	}
}

func TestBlindErrorsDoNotName(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/chat", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"model \"secretmodel:latest\" not found, try pulling it first"}`)
	})
	bad := httptest.NewServer(mux)
	t.Cleanup(bad.Close)
	good := tokenHost(t, 3, 0)
	e := openEnv(t, []string{good, bad.URL}, Options{})
	var rec recorder
	v, err := e.svc.Start(bg(), Request{Prompt: "go", Blind: true,
		Columns: []ColumnSpec{{Host: good, Model: "m"}, {Host: bad.URL, Model: "secretmodel:latest"}}}, rec.on)
	if err != nil {
		t.Fatal(err)
	}
	v = waitRun(t, e, v.ID)
	if v.Columns[1].State != StateFailed || !strings.Contains(v.Turns[0].Answers[1].Error, "not found") {
		t.Fatalf("failed column: %+v %+v", v.Columns[1], v.Turns[0].Answers[1])
	}
	for what, x := range map[string]any{"view": v, "events": rec.events()} {
		if js := mustJSON(t, x); strings.Contains(js, "secretmodel") || strings.Contains(js, bad.URL) {
			t.Fatalf("%s names the model: %s", what, js)
		}
	}
}
