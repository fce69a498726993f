package chat

import (
	"context"
	"fmt"
	"math/rand"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/store"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// Run with: go test -tags sqlite_fts5 -run '^$' -bench . -benchtime 50x ./backend/chat/
// (see docs/benchmarks.md, "Chat").

func median(ds []time.Duration) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	return float64(s[len(s)/2].Microseconds()) / 1000
}

// BenchmarkFirstToken measures, side by side on the same server and
// prompt, the time to the first streamed text when calling api.Client.Chat
// directly and when going through Wadi (Send: store the prompt and the
// placeholder, assemble the request, stream, batch the first event).
func BenchmarkFirstToken(b *testing.B) {
	srv := ollamatest.Start(b)
	srv.CreateChatModel(b, "tiny", 11)
	e := openEnv(b, []string{srv.URL}, Options{})
	const prompt = "Tell me about the desert"
	// Warm up: load the model and fill the caches.
	v, err := e.svc.NewChat(bg(), srv.URL, "tiny:latest")
	if err != nil {
		b.Fatal(err)
	}
	_, s, err := e.svc.Send(bg(), v.Chat.ID, prompt, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	wait(b, s)
	var direct, wadi []time.Duration
	b.ResetTimer()
	runDirect := func() time.Duration {
		began := time.Now()
		var first time.Duration
		err := srv.Client().Chat(bg(), &api.ChatRequest{Model: "tiny:latest",
			Messages: []api.Message{{Role: "user", Content: prompt}},
			Options:  map[string]any{"num_ctx": 2048}}, func(r api.ChatResponse) error {
			if first == 0 && r.Message.Content != "" {
				first = time.Since(began)
			}
			return nil
		})
		if err != nil || first == 0 {
			b.Fatalf("direct chat: %v", err)
		}
		return first
	}
	runWadi := func() time.Duration {
		v, err := e.svc.NewChat(bg(), srv.URL, "tiny:latest")
		if err != nil {
			b.Fatal(err)
		}
		got := make(chan time.Duration, 1)
		began := time.Now()
		_, s, err := e.svc.Send(bg(), v.Chat.ID, prompt, nil, func(ev Event) {
			if ev.Content != "" {
				select {
				case got <- time.Since(began):
				default:
				}
			}
		})
		if err != nil {
			b.Fatal(err)
		}
		wait(b, s)
		return <-got
	}
	for i := 0; i < b.N; i++ {
		// Alternate which goes first, so neither gains from the other.
		if i%2 == 0 {
			direct = append(direct, runDirect())
			wadi = append(wadi, runWadi())
		} else {
			wadi = append(wadi, runWadi())
			direct = append(direct, runDirect())
		}
	}
	b.StopTimer()
	b.ReportMetric(median(direct), "ms-direct-median")
	b.ReportMetric(median(wadi), "ms-wadi-median")
	b.ReportMetric(median(wadi)-median(direct), "ms-added-median")
}

// BenchmarkStreamEvents feeds a 1,000 tokens/s stream (a fake token source
// behind the Ollama API) through the service for one second per iteration
// and reports events per second; it fails if a token is lost or reordered.
func BenchmarkStreamEvents(b *testing.B) {
	const tokens = 1000
	host := fakeOllama(b, func(w http.ResponseWriter, r *http.Request) {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for i := 0; i < tokens; i++ {
			<-tick.C
			fmt.Fprintf(w, `{"message":{"role":"assistant","content":"t%d "},"done":false}`+"\n", i)
			w.(http.Flusher).Flush()
		}
		fmt.Fprint(w, `{"message":{"role":"assistant","content":""},"done":true}`+"\n")
	})
	e := openEnv(b, []string{host}, Options{})
	var want strings.Builder
	for i := 0; i < tokens; i++ {
		fmt.Fprintf(&want, "t%d ", i)
	}
	var rates []float64
	for i := 0; i < b.N; i++ {
		v, err := e.svc.NewChat(bg(), host, "m")
		if err != nil {
			b.Fatal(err)
		}
		var rec recorder
		began := time.Now()
		_, s, err := e.svc.Send(bg(), v.Chat.ID, "go", nil, rec.on)
		if err != nil {
			b.Fatal(err)
		}
		if m := wait(b, s); m.Status != store.StatusComplete {
			b.Fatalf("stream ended %s: %s", m.Status, m.Error)
		}
		secs := time.Since(began).Seconds()
		if c, _ := rec.joined(); c != want.String() {
			b.Fatal("tokens lost or reordered")
		}
		rates = append(rates, float64(len(rec.events()))/secs)
	}
	slices.Sort(rates)
	b.ReportMetric(rates[len(rates)/2], "events/s")
	b.ReportMetric(float64(tokens), "tokens/stream")
}

var benchWords = strings.Fields(`desert wadi oasis camel dune caravan water well palm date sand
	wind star night journey map compass road valley mountain rock canyon river flood rain cloud
	sun shade tent fire tea bread salt trade market city harbor ship sea island coast light`)

// seedMessages stores n messages in chats of 100 (each a user/assistant
// chain of 12-word texts), in transactions of 1,000.
func seedMessages(b *testing.B, st *store.Store, n int, rnd *rand.Rand) {
	b.Helper()
	for done := 0; done < n; {
		c, err := st.CreateChat(bg(), store.Chat{Title: fmt.Sprintf("chat %d", done/100), Host: "h", Model: "m"})
		if err != nil {
			b.Fatal(err)
		}
		batch := make([]store.Message, 0, 100)
		for j := 0; j < 100 && done < n; j++ {
			var sb strings.Builder
			for k := 0; k < 12; k++ {
				sb.WriteString(benchWords[rnd.Intn(len(benchWords))] + " ")
			}
			sb.WriteString(fmt.Sprintf("w%d", rnd.Intn(100000)))
			m := store.Message{Role: []string{"user", "assistant"}[j%2], Content: sb.String(), ParentID: int64(-j)}
			batch = append(batch, m)
			done++
		}
		if _, err := st.AddMessages(bg(), c.ID, batch, true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearch100k searches 100,000 stored messages (top 50 hits with
// snippets, as the window asks).
func BenchmarkSearch100k(b *testing.B) {
	e := openEnv(b, nil, Options{})
	rnd := rand.New(rand.NewSource(1))
	seedMessages(b, e.st, 100_000, rnd)
	queries := []string{"oasis", "camel dune", "harb", "w4242", "star night journey", "nothing"}
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		began := time.Now()
		if _, err := e.svc.SearchMessages(context.Background(), q, 50); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(began))
	}
	b.ReportMetric(median(ds), "ms-median")
}

// BenchmarkLoadChat10k opens a chat of 10,000 messages (GetChat: all
// branches read, the shown branch built).
func BenchmarkLoadChat10k(b *testing.B) {
	e := openEnv(b, nil, Options{})
	c, err := e.st.CreateChat(bg(), store.Chat{Title: "long", Host: "h", Model: "m"})
	if err != nil {
		b.Fatal(err)
	}
	rnd := rand.New(rand.NewSource(2))
	var parent int64
	for k := 0; k < 10; k++ {
		batch := make([]store.Message, 1000)
		for j := range batch {
			var sb strings.Builder
			for w := 0; w < 40; w++ {
				sb.WriteString(benchWords[rnd.Intn(len(benchWords))] + " ")
			}
			batch[j] = store.Message{Role: []string{"user", "assistant"}[j%2], Content: sb.String(), ParentID: int64(-j)}
		}
		batch[0].ParentID = parent
		ms, err := e.st.AddMessages(bg(), c.ID, batch, true)
		if err != nil {
			b.Fatal(err)
		}
		parent = ms[len(ms)-1].ID
	}
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		began := time.Now()
		v, err := e.svc.GetChat(bg(), c.ID)
		if err != nil || len(v.Messages) != 10_000 {
			b.Fatalf("%d messages, %v", len(v.Messages), err)
		}
		ds = append(ds, time.Since(began))
	}
	b.ReportMetric(median(ds), "ms-median")
}
