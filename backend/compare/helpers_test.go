package compare

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/store"
)

func bg() context.Context { return context.Background() }

type env struct {
	svc   *Service
	st    *store.Store
	chats *chat.Service
}

// bigMachine has room for any tiny model; smallMachine for none.
var (
	bigMachine   = catalog.Machine{RAMBytes: 64 << 30, AvailableRAMBytes: 64 << 30}
	smallMachine = catalog.Machine{RAMBytes: 1 << 20, AvailableRAMBytes: 1}
)

func openEnv(t testing.TB, hosts []string, opt Options) *env {
	t.Helper()
	st, err := store.Open(bg(), filepath.Join(t.TempDir(), "wadi.db"))
	if err != nil {
		t.Fatal(err)
	}
	hf := func(context.Context) ([]string, error) { return hosts, nil }
	cs := chat.New(st, hf, chat.Options{})
	if opt.Machine == nil {
		m := bigMachine
		opt.Machine = &m
	}
	svc := New(st, hf, cs, opt)
	t.Cleanup(func() { svc.Close(); cs.Close(); st.Close() })
	return &env{svc: svc, st: st, chats: cs}
}

// recorder collects events.
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

// column returns the joined text of column col's events in turn.
func (r *recorder) column(turn, col int) (content string, evs []Event) {
	for _, e := range r.events() {
		if e.Turn == turn && e.Column == col {
			content += e.Content
			evs = append(evs, e)
		}
	}
	return content, evs
}

func waitRun(t testing.TB, e *env, id int64) View {
	t.Helper()
	ctx, cancel := context.WithTimeout(bg(), 2*time.Minute)
	defer cancel()
	if err := e.svc.Wait(ctx, id); err != nil {
		t.Fatalf("run %d did not finish: %v", id, err)
	}
	v, err := e.svc.Get(bg(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func settingsTemp(v float64) chat.Settings { return chat.Settings{Temperature: &v} }
