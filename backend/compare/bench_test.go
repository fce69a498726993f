package compare

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/ollama"
)

// BenchmarkSchedulingOverhead compares a two-column run (stored, planned,
// streamed, saved) with two direct concurrent chat calls to the same fake
// hosts; overhead-ms/column is the difference per column.
func BenchmarkSchedulingOverhead(b *testing.B) {
	h1, h2 := tokenHost(b, 20, 0), tokenHost(b, 20, 0)
	e := openEnv(b, []string{h1, h2}, Options{})
	cols := []ColumnSpec{{Host: h1, Model: "m"}, {Host: h2, Model: "m"}}
	c1, _ := ollama.New(h1)
	c2, _ := ollama.New(h2)
	direct := func() {
		var wg sync.WaitGroup
		for _, cl := range []*ollama.Client{c1, c2} {
			wg.Add(1)
			go func(cl *ollama.Client) {
				defer wg.Done()
				_ = cl.API().Chat(context.Background(), &api.ChatRequest{Model: "m", Messages: []api.Message{{Role: "user", Content: "go"}}},
					func(api.ChatResponse) error { return nil })
			}(cl)
		}
		wg.Wait()
	}
	var dDirect, dRun time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		direct()
		t1 := time.Now()
		v, err := e.svc.Start(bg(), Request{Prompt: "go", Columns: cols}, func(Event) {})
		if err != nil {
			b.Fatal(err)
		}
		if err := e.svc.Wait(bg(), v.ID); err != nil {
			b.Fatal(err)
		}
		dDirect += t1.Sub(t0)
		dRun += time.Since(t1)
	}
	b.ReportMetric(float64(dDirect.Microseconds())/1000/float64(b.N), "direct-ms/run")
	b.ReportMetric(float64((dRun-dDirect).Microseconds())/1000/float64(b.N)/2, "overhead-ms/column")
}

// BenchmarkFourStreamEvents streams 4 columns of 1000 tokens, one every
// 2 ms (500 tokens/s each, faster than any model shown in a window), and
// reports the events per second per column; it fails if a token is lost.
func BenchmarkFourStreamEvents(b *testing.B) {
	const n = 1000
	var hosts []string
	var cols []ColumnSpec
	for i := 0; i < 4; i++ {
		h := tokenHost(b, n, 2*time.Millisecond)
		hosts = append(hosts, h)
		cols = append(cols, ColumnSpec{Host: h, Model: "m"})
	}
	e := openEnv(b, hosts, Options{})
	want := tokens(n)
	var worst float64
	for i := 0; i < b.N; i++ {
		var rec recorder
		start := time.Now()
		v, err := e.svc.Start(bg(), Request{Prompt: "go", Columns: cols}, rec.on)
		if err != nil {
			b.Fatal(err)
		}
		if err := e.svc.Wait(bg(), v.ID); err != nil {
			b.Fatal(err)
		}
		secs := time.Since(start).Seconds()
		for c := 0; c < 4; c++ {
			got, evs := rec.column(0, c)
			if got != want {
				b.Fatalf("column %d lost tokens: %d of %d bytes", c, len(got), len(want))
			}
			if r := float64(len(evs)) / secs; r > worst {
				worst = r
			}
		}
	}
	b.ReportMetric(worst, "max-events/s/column")
}
