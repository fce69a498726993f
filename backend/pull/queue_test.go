package pull

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/store"
)

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// recorder keeps every update, per download id.
type recorder struct {
	mu  sync.Mutex
	all []Download
}

func (r *recorder) add(d Download) {
	r.mu.Lock()
	r.all = append(r.all, d)
	r.mu.Unlock()
}

func (r *recorder) states(id int64) []State {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []State
	for _, d := range r.all {
		if d.ID == id && (len(out) == 0 || out[len(out)-1] != d.State) {
			out = append(out, d.State)
		}
	}
	return out
}

// blockingPull reports one layer half done and then waits for its ctx.
func blockingPull(started chan<- string) PullFunc {
	return func(ctx context.Context, host string, req *api.PullRequest, fn api.PullProgressFunc) error {
		_ = fn(api.ProgressResponse{Status: "pulling x", Digest: "sha256:x", Total: 100, Completed: 50})
		if started != nil {
			started <- req.Model
		}
		<-ctx.Done()
		return nil // like api.Client: a cancelled stream returns nil
	}
}

func okPull(ctx context.Context, host string, req *api.PullRequest, fn api.PullProgressFunc) error {
	for i := int64(0); i <= 100; i += 25 {
		if err := fn(api.ProgressResponse{Status: "pulling x", Digest: "sha256:x", Total: 100, Completed: i}); err != nil {
			return err
		}
	}
	return fn(api.ProgressResponse{Status: "success"})
}

func waitFor(t *testing.T, q *Queue, cond func([]Download) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		q.mu.Lock()
		ch := q.changed
		q.mu.Unlock()
		if cond(q.List()) {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("condition not reached; queue %+v", q.List())
		}
	}
}

func count(ds []Download, s State) int {
	n := 0
	for _, d := range ds {
		if d.State == s {
			n++
		}
	}
	return n
}

func TestQueueParallelAndPersistence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wadi.db")
	st := openStore(t, path)
	ctx := context.Background()
	q, err := New(ctx, st, Options{Parallel: 1, Pull: blockingPull(nil)})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a:1", "b:1", "c:1"} {
		if _, err := q.Start(ctx, "http://h:11434", n); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, q, func(ds []Download) bool { return count(ds, Downloading) == 1 && count(ds, Queued) == 2 })
	if err := q.SetParallel(0); err == nil {
		t.Error("parallel 0 accepted")
	}
	if err := q.SetParallel(3); err != nil {
		t.Fatal(err)
	}
	waitFor(t, q, func(ds []Download) bool { return count(ds, Downloading) == 3 })
	again, err := q.Start(ctx, "http://h:11434", "a:1")
	if err != nil || again.ID != q.List()[0].ID || len(q.List()) != 3 {
		t.Errorf("starting a running download again must return it, got %+v, %v", again, err)
	}
	if _, err := q.Pause(ctx, q.List()[1].ID); err != nil {
		t.Fatal(err)
	}
	q.Close()

	// A restart lists the unfinished downloads; the paused one stays paused.
	q2, err := New(ctx, openStore(t, path), Options{Pull: okPull})
	if err != nil {
		t.Fatal(err)
	}
	ds := q2.List()
	if len(ds) != 3 || ds[0].State != Queued || ds[1].State != Paused || ds[2].State != Queued || ds[0].CompletedBytes != 50 {
		t.Fatalf("after restart: %+v", ds)
	}
	// Without AutoResume only the download asked for runs (a CLI pull).
	if _, err := q2.Start(ctx, "http://h:11434", "c:1"); err != nil {
		t.Fatal(err)
	}
	if d, _ := q2.Wait(ctx, ds[2].ID); d.State != Done {
		t.Fatalf("continued download %+v", d)
	}
	if ds := q2.List(); ds[0].State != Queued || len(ds) != 3 {
		t.Fatalf("a download nobody asked for changed: %+v", ds)
	}
	q2.Close()

	// With AutoResume the queued ones run to the end.
	q3, err := New(ctx, openStore(t, path), Options{Pull: okPull, AutoResume: true})
	if err != nil {
		t.Fatal(err)
	}
	defer q3.Close()
	waitFor(t, q3, func(ds []Download) bool { return count(ds, Done) == 2 && count(ds, Paused) == 1 })
	if d := q3.List()[0]; d.CompletedBytes != 100 || d.TotalBytes != 100 || d.Attempts != 2 {
		t.Errorf("resumed download %+v", d)
	}
}

func TestQueuePauseResumeCancel(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "wadi.db"))
	ctx := context.Background()
	started := make(chan string, 4)
	var rec recorder
	q, err := New(ctx, st, Options{Pull: blockingPull(started), OnUpdate: rec.add})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	d, err := q.Start(ctx, "http://h:11434", "m:1")
	if err != nil {
		t.Fatal(err)
	}
	<-started
	time.Sleep(2 * time.Millisecond) // updated_at has millisecond resolution
	if p, err := q.Pause(ctx, d.ID); err != nil || p.State != Paused {
		t.Fatalf("Pause = %+v, %v", p, err)
	}
	if p, _ := q.Pause(ctx, d.ID); p.UpdatedAt <= d.UpdatedAt {
		t.Errorf("updatedAt %q not after %q", p.UpdatedAt, d.UpdatedAt)
	}
	if got, _ := q.Wait(ctx, d.ID); got.State != Paused {
		t.Fatalf("Wait after pause = %+v", got)
	}
	if _, err := q.Resume(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	<-started
	if _, err := q.Cancel(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, q, func(ds []Download) bool {
		q.mu.Lock()
		defer q.mu.Unlock()
		return !q.items[d.ID].running
	})
	want := []State{Queued, Downloading, Paused, Queued, Downloading, Canceled}
	if got := rec.states(d.ID); !equalStates(got, want) {
		t.Errorf("states %v, want %v", got, want)
	}
	if _, err := q.Pause(ctx, 999); err == nil || !strings.Contains(err.Error(), "999") {
		t.Errorf("pause of unknown id: %v", err)
	}
	if _, err := q.Start(ctx, "http://h:11434", "bad name!"); err == nil || !strings.Contains(err.Error(), "bad name!") {
		t.Errorf("bad name: %v", err)
	}
}

func equalStates(a, b []State) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestQueueRetriesAndGivesUp(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "wadi.db"))
	ctx := context.Background()
	var rec recorder
	calls := 0
	flaky := func(ctx context.Context, host string, req *api.PullRequest, fn api.PullProgressFunc) error {
		calls++
		return errors.New("connection reset by peer")
	}
	q, err := New(ctx, st, Options{Pull: flaky, MaxAttempts: 3, BackoffBase: time.Millisecond, OnUpdate: rec.add})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	d, _ := q.Start(ctx, "http://h:11434", "m:1")
	got, _ := q.Wait(ctx, d.ID)
	if got.State != Failed || got.Attempts != 3 || calls != 3 || !strings.Contains(got.Error, "gave up after 3 attempts: connection reset") {
		t.Errorf("%+v after %d calls", got, calls)
	}
	if s := rec.states(d.ID); !equalStates(s, []State{Queued, Downloading, Retrying, Downloading, Retrying, Downloading, Failed}) {
		t.Errorf("states %v", s)
	}
}

func TestBackoff(t *testing.T) {
	o := Options{BackoffBase: time.Second, BackoffMax: 5 * time.Second}
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 5 * time.Second, 10: 5 * time.Second} {
		if got := o.backoff(n); got != want {
			t.Errorf("backoff(%d) = %s, want %s", n, got, want)
		}
	}
}

// TestProgressThrottled feeds 200,000 progress reports as fast as possible:
// the updates are at most one per ProgressInterval plus the state changes.
func TestProgressThrottled(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "wadi.db"))
	ctx := context.Background()
	var rec recorder
	const n = 200_000
	fast := func(ctx context.Context, host string, req *api.PullRequest, fn api.PullProgressFunc) error {
		for i := int64(1); i <= n; i++ {
			_ = fn(api.ProgressResponse{Digest: "sha256:x", Total: n, Completed: i})
		}
		return nil
	}
	q, err := New(ctx, st, Options{Pull: fast, OnUpdate: rec.add, ProgressInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	start := time.Now()
	d, _ := q.Start(ctx, "http://h:11434", "m:1")
	got, _ := q.Wait(ctx, d.ID)
	elapsed := time.Since(start)
	if got.State != Done || got.CompletedBytes != n {
		t.Fatalf("%+v", got)
	}
	progress := 0
	for _, u := range rec.all {
		if u.State == Downloading {
			progress++
		}
	}
	limit := int(elapsed/(50*time.Millisecond)) + 2 // +1 for the Downloading state change itself
	if progress > limit {
		t.Errorf("%d progress updates in %s; limit %d", progress, elapsed, limit)
	}
}

func TestValidNameAndInsecure(t *testing.T) {
	for name, want := range map[string]bool{
		"qwen3": true, "qwen3:8b": true, "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M": true,
		"127.0.0.1:5000/library/tiny:latest": true, "": false, "a b": false, "x:y:z": false, "../etc:x": false,
	} {
		if ValidName(name) != want {
			t.Errorf("ValidName(%q) != %v", name, want)
		}
	}
	for name, want := range map[string]bool{
		"127.0.0.1:5000/library/tiny:latest": true, "localhost:80/a/b:c": true,
		"hf.co/u/r:q": false, "qwen3:8b": false, "registry.example.com:443/a/b:c": false,
	} {
		if insecure(name) != want {
			t.Errorf("insecure(%q) != %v", name, want)
		}
	}
}

func TestStartRefusesWithoutDisk(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "wadi.db"))
	ctx := context.Background()
	q, err := New(ctx, st, Options{
		Pull:     okPull,
		SizeHint: func(string) int64 { return 5_200_000_000 },
		FreeDisk: func(context.Context, string) (int64, string, error) { return 1_000_000_000, "/models", nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	_, err = q.Start(ctx, "http://h:11434", "qwen3:8b")
	if !errors.Is(err, ErrNoDisk) || !strings.Contains(err.Error(), "qwen3:8b: it needs 5.20 GB but only 1.00 GB is free at /models") {
		t.Errorf("err = %v", err)
	}
	if len(q.List()) != 0 {
		t.Error("a refused download was queued")
	}
}

// BenchmarkProgressEvents pulls from a fake source that reports progress
// as fast as it can for two seconds per download (millions of reports a
// second) and measures how many progress updates reach OnUpdate per second:
// the default throttle allows at most 10. State changes (queued,
// downloading, done) are reported on top and not counted here.
func BenchmarkProgressEvents(b *testing.B) {
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "wadi.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	const span = 2 * time.Second
	var progress, reports, downloads int
	var elapsed time.Duration
	for b.Loop() {
		var mu sync.Mutex
		n, sent := 0, 0
		var began time.Time
		fast := func(ctx context.Context, host string, req *api.PullRequest, fn api.PullProgressFunc) error {
			began = time.Now()
			for i := int64(1); time.Since(began) < span; i++ {
				_ = fn(api.ProgressResponse{Digest: "sha256:x", Total: 1 << 40, Completed: i})
				sent++
			}
			return nil
		}
		var lastState State
		q, err := New(context.Background(), st, Options{Pull: fast, OnUpdate: func(d Download) {
			mu.Lock()
			if d.State == Downloading && lastState == Downloading {
				n++ // a progress update, not the state change into downloading
			}
			lastState = d.State
			mu.Unlock()
		}})
		if err != nil {
			b.Fatal(err)
		}
		d, _ := q.Start(context.Background(), "http://h:11434", fmt.Sprintf("m:%d", downloads))
		if got, _ := q.Wait(context.Background(), d.ID); got.State != Done {
			b.Fatalf("%+v", got)
		}
		elapsed += span
		q.Close()
		mu.Lock()
		progress += n
		mu.Unlock()
		reports += sent
		downloads++
	}
	b.ReportMetric(float64(progress)/elapsed.Seconds(), "progress-events/s")
	b.ReportMetric(float64(reports)/elapsed.Seconds(), "reports/s")
}
