package chat

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/store"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// env is a Service over a fresh database file.
type env struct {
	svc  *Service
	st   *store.Store
	path string
}

func openEnv(t testing.TB, hosts []string, opt Options) *env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wadi.db")
	return reopenEnv(t, path, hosts, opt)
}

func reopenEnv(t testing.TB, path string, hosts []string, opt Options) *env {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	svc := New(st, func(context.Context) ([]string, error) { return hosts, nil }, opt)
	t.Cleanup(func() { svc.Close(); st.Close() })
	return &env{svc: svc, st: st, path: path}
}

func bg() context.Context { return context.Background() }

// recorder collects stream events.
type recorder struct {
	mu  sync.Mutex
	evs []Event
}

func (r *recorder) on(ev Event) {
	r.mu.Lock()
	r.evs = append(r.evs, ev)
	r.mu.Unlock()
}

func (r *recorder) events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.evs...)
}

// joined concatenates the deltas of the recorded events.
func (r *recorder) joined() (content, thinking string) {
	var c, th strings.Builder
	for _, e := range r.events() {
		c.WriteString(e.Content)
		th.WriteString(e.Thinking)
	}
	return c.String(), th.String()
}

// wait waits for a stream to be saved.
func wait(t testing.TB, s Stream) store.Message {
	t.Helper()
	select {
	case <-s.Done():
		return s.Result()
	case <-time.After(60 * time.Second):
		t.Fatal("stream did not end within 60 s")
	}
	return store.Message{}
}

// createLongModel creates a tiny chat model that keeps generating (num_predict
// far above what a test waits for), for stopping mid-answer.
func createLongModel(t testing.TB, srv *ollamatest.Server, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(bg(), 2*time.Minute)
	defer cancel()
	b := ollamatest.ChatModelGGUF(t, 7)
	d := ollamatest.Digest(b)
	if err := srv.Client().CreateBlob(ctx, d, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	params := ollamatest.ChatParams()
	params["num_predict"] = 100000
	err := srv.Client().Create(ctx, &api.CreateRequest{Model: name, Files: map[string]string{"model.gguf": d},
		Template: ollamatest.ChatTemplate, Parameters: params}, func(api.ProgressResponse) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
}
