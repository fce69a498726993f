package pull_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/pull"
	"github.com/wadi-app/wadi/backend/store"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
	"github.com/wadi-app/wadi/backend/testkit/registry"
)

// harness is a real Ollama, a local registry and a queue over a real store.
type harness struct {
	srv *ollamatest.Server
	reg *registry.Registry
	q   *pull.Queue

	mu      sync.Mutex
	updates []pull.Download
	onState func(pull.Download) // called (in its own goroutine) on each new state
	watch   func(pull.Download) // called with every update
}

func newHarness(t *testing.T, opt pull.Options) *harness {
	t.Helper()
	h := &harness{reg: registry.Start(t), srv: ollamatest.Start(t)}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "wadi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	opt.OnUpdate = func(d pull.Download) {
		h.mu.Lock()
		first := len(h.updates) == 0 || h.updates[len(h.updates)-1].State != d.State
		h.updates = append(h.updates, d)
		cb, w := h.onState, h.watch
		h.mu.Unlock()
		if w != nil {
			w(d)
		}
		if first && cb != nil {
			go cb(d)
		}
	}
	if opt.BackoffBase == 0 {
		opt.BackoffBase = 50 * time.Millisecond
	}
	if opt.MaxAttempts == 0 {
		opt.MaxAttempts = 10
	}
	h.q, err = pull.New(context.Background(), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.q.Close)
	return h
}

func (h *harness) states() []pull.State {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []pull.State
	for _, d := range h.updates {
		if len(out) == 0 || out[len(out)-1] != d.State {
			out = append(out, d.State)
		}
	}
	return out
}

func (h *harness) wait(t *testing.T, id int64) pull.Download {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d, err := h.q.Wait(ctx, id)
	if err != nil {
		t.Fatalf("wait for download %d: %v (%+v)", id, err, d)
	}
	return d
}

func (h *harness) installed(t *testing.T, name string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	list, err := h.srv.Client().List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(list.Models, func(m api.ListModelResponse) bool { return m.Name == name })
}

func TestPullSuccess(t *testing.T) {
	h := newHarness(t, pull.Options{})
	model := ollamatest.ChatModelGGUF(t, 31)
	name := h.reg.PublishModel(t, "tiny", "latest", model, ollamatest.ChatTemplate)
	d, err := h.q.Start(context.Background(), h.srv.URL, name)
	if err != nil {
		t.Fatal(err)
	}
	got := h.wait(t, d.ID)
	if got.State != pull.Done || got.TotalBytes < int64(len(model)) || got.CompletedBytes != got.TotalBytes || got.Attempts != 1 {
		t.Fatalf("download %+v", got)
	}
	if s := h.states(); s[0] != pull.Queued || s[1] != pull.Downloading || s[len(s)-1] != pull.Done {
		t.Errorf("states %v", s)
	}
	if !h.installed(t, name) {
		t.Errorf("%s not installed after the download", name)
	}
}

// TestPauseResume pauses half way and checks that the resumed pull asks the
// registry only for the rest of the model blob.
func TestPauseResume(t *testing.T) {
	h := newHarness(t, pull.Options{})
	model := ollamatest.ChatModelGGUF(t, 32)
	name := h.reg.PublishModel(t, "pausable", "latest", model, "")
	half := int64(len(model) / 2)
	h.reg.SetStallAfter(half)
	// Pause once Ollama reports every byte before the stall (the model
	// blob is the first layer).
	reached := make(chan struct{})
	var once sync.Once
	h.mu.Lock()
	h.watch = func(d pull.Download) {
		if d.CompletedBytes >= half {
			once.Do(func() { close(reached) })
		}
	}
	h.mu.Unlock()
	ctx := context.Background()
	d, err := h.q.Start(ctx, h.srv.URL, name)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-reached:
	case <-time.After(time.Minute):
		t.Fatalf("never reached the stall: %+v", h.reg.Stats())
	}
	p, err := h.q.Pause(ctx, d.ID)
	if err != nil || p.State != pull.Paused {
		t.Fatalf("Pause = %+v, %v", p, err)
	}
	actx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := h.reg.Await(actx, func(s registry.Stats) bool { return s.ClientGone >= 1 }); err != nil {
		t.Fatalf("Ollama kept the paused download open: %+v", h.reg.Stats())
	}
	if h.installed(t, name) {
		t.Fatal("paused model is listed as installed")
	}
	h.reg.SetStallAfter(-1)
	if _, err := h.q.Resume(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	got := h.wait(t, d.ID)
	if got.State != pull.Done {
		t.Fatalf("after resume: %+v", got)
	}
	st := h.reg.Stats()
	want := fmt.Sprintf("bytes=%d-%d", half, len(model)-1)
	if !slices.Contains(st.Ranges, want) {
		t.Errorf("data requests %q; want one resuming with %q", st.Ranges, want)
	}
	if st.BytesServed >= int64(len(model))+half {
		t.Errorf("registry served %d bytes for a %d-byte model paused at %d: the resume re-downloaded", st.BytesServed, len(model), half)
	}
}

// TestDroppedConnection: the registry cuts the first data response; the
// download still completes.
func TestDroppedConnection(t *testing.T) {
	h := newHarness(t, pull.Options{})
	model := ollamatest.ChatModelGGUF(t, 33)
	name := h.reg.PublishModel(t, "flaky", "latest", model, "")
	h.reg.FailNext(1)
	d, err := h.q.Start(context.Background(), h.srv.URL, name)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.wait(t, d.ID); got.State != pull.Done {
		t.Fatalf("%+v", got)
	}
	if st := h.reg.Stats(); st.CutOff != 1 {
		t.Errorf("stats %+v; want one cut-off response", st)
	}
	if !h.installed(t, name) {
		t.Error("not installed")
	}
}

// TestStallRetry: the registry stops sending half way; the stall detector
// stops the attempt, and the retry (with the stall lifted) completes.
func TestStallRetry(t *testing.T) {
	h := newHarness(t, pull.Options{StallTimeout: 500 * time.Millisecond})
	model := ollamatest.ChatModelGGUF(t, 34)
	name := h.reg.PublishModel(t, "stally", "latest", model, "")
	h.reg.SetStallAfter(int64(len(model) / 2))
	h.mu.Lock()
	h.onState = func(d pull.Download) {
		if d.State == pull.Stalled {
			h.reg.SetStallAfter(-1)
		}
	}
	h.mu.Unlock()
	d, err := h.q.Start(context.Background(), h.srv.URL, name)
	if err != nil {
		t.Fatal(err)
	}
	got := h.wait(t, d.ID)
	if got.State != pull.Done || got.Attempts < 2 {
		t.Fatalf("%+v", got)
	}
	s := h.states()
	i := slices.Index(s, pull.Stalled)
	if i < 0 || i+1 >= len(s) || s[i+1] != pull.Retrying {
		t.Errorf("states %v; want stalled then retrying", s)
	}
	if st := h.reg.Stats(); st.Stalls < 1 {
		t.Errorf("registry never stalled: %+v", st)
	}
}

func TestUnknownModel(t *testing.T) {
	h := newHarness(t, pull.Options{})
	name := h.reg.Host + "/library/no-such-model:latest"
	d, err := h.q.Start(context.Background(), h.srv.URL, name)
	if err != nil {
		t.Fatal(err)
	}
	got := h.wait(t, d.ID)
	if got.State != pull.Failed || got.Attempts != 1 || !strings.Contains(got.Error, "does not exist") {
		t.Errorf("%+v; want a failure saying the model does not exist, without retries", got)
	}
}

// TestTooLittleDisk: the size is unknown before the pull (not in the
// catalog), so the check runs when Ollama reports the first layer's size.
func TestTooLittleDisk(t *testing.T) {
	h := newHarness(t, pull.Options{
		FreeDisk: func(context.Context, string) (int64, string, error) { return 1000, "/tiny/disk", nil },
	})
	model := ollamatest.ChatModelGGUF(t, 35)
	name := h.reg.PublishModel(t, "big", "latest", model, "")
	// Slow enough that Ollama's first progress report precedes the end of
	// the blob (it reports every few tens of milliseconds).
	h.reg.SetThrottle(int64(len(model)))
	d, err := h.q.Start(context.Background(), h.srv.URL, name)
	if err != nil {
		t.Fatal(err)
	}
	got := h.wait(t, d.ID)
	if got.State != pull.Failed || got.Attempts != 1 || !strings.Contains(got.Error, "not enough free disk space") ||
		!strings.Contains(got.Error, "/tiny/disk") {
		t.Errorf("%+v; want a clear refusal", got)
	}
	if h.installed(t, name) {
		t.Error("installed despite the refusal")
	}
}
