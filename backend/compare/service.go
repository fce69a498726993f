package compare

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/ollama"
	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

// Options tune a Service; zero values mean the defaults.
type Options struct {
	// EventEvery is the shortest gap between two events of one column
	// (default 40 ms, as chat); negative sends every delta at once (CLI).
	EventEvery time.Duration
	// FlushEvery is how often streaming answers' partial text is saved
	// (default 1 s, as chat); a crash loses at most about this much.
	FlushEvery time.Duration
	// Clock drives event batching (default: the real clock).
	Clock chat.Clock
	// Machine is this computer, for the fit estimate of local hosts
	// (default: probed once on first use).
	Machine *catalog.Machine
	// MaxLoaded is how many models one host keeps loaded at once (default 3,
	// Ollama's OLLAMA_MAX_LOADED_MODELS default on CPU).
	MaxLoaded int
	// Logger receives diagnostics (default slog.Default()).
	Logger *slog.Logger
	// Docs retrieves from document collections (default: a rag.Service over
	// the store, made on first use). The window passes its shared one.
	Docs *rag.Service
}

// Service runs and keeps comparisons.
type Service struct {
	st    *store.Store
	hosts func(context.Context) ([]string, error)
	chats *chat.Service
	opt   Options
	log   *slog.Logger

	base    context.Context
	cancel  context.CancelCauseFunc
	wg      sync.WaitGroup
	machine sync.Once
	docsMu  sync.Mutex

	mu      sync.Mutex
	active  map[int64]*active
	sets    map[int64]*setRunner
	clients ollama.Clients
}

// active is a run whose turn is being answered.
type active struct {
	cancel context.CancelCauseFunc
	states []string
	text   []partial // by column
	done   chan struct{}
}

// partial is a column's text so far, shared by the reader and the saver.
type partial struct {
	content, thinking strings.Builder
	changed           bool
}

var (
	errStopped  = errors.New("stopped")
	errShutdown = errors.New("Wadi closed before the answer finished")
)

// New returns a Service over st; hosts lists the configured hosts and
// chats is used by ContinueAsChat. Call Close at exit.
func New(st *store.Store, hosts func(context.Context) ([]string, error), chats *chat.Service, opt Options) *Service {
	if opt.EventEvery == 0 {
		opt.EventEvery = 40 * time.Millisecond
	}
	if opt.EventEvery < 0 {
		opt.EventEvery = 0
	}
	if opt.FlushEvery <= 0 {
		opt.FlushEvery = time.Second
	}
	if opt.MaxLoaded <= 0 {
		opt.MaxLoaded = 3
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	base, cancel := context.WithCancelCause(context.Background())
	return &Service{st: st, hosts: hosts, chats: chats, opt: opt, log: opt.Logger, base: base, cancel: cancel,
		active: map[int64]*active{}}
}

// Recover marks answers a killed Wadi left streaming incomplete and set
// runs it left running paused; call once after opening, before any run.
func (s *Service) Recover(ctx context.Context) error {
	if err := s.st.RecoverCompareAnswers(ctx, 3*s.opt.FlushEvery, "Wadi stopped before the answer finished"); err != nil {
		return err
	}
	n, err := s.st.PauseRunningSetRuns(ctx)
	if n > 0 {
		s.log.Info("set runs paused by a restart; resume them", "count", n)
	}
	return err
}

// Close stops every running column (partial answers kept, incomplete) and
// waits up to 5 s for them to be saved.
func (s *Service) Close() {
	s.cancel(errShutdown)
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.log.Warn("compare answers did not finish saving in time")
	}
}

// client returns the cached client for host.
func (s *Service) client(host string) (*ollama.Client, error) { return s.clients.Get(host) }

// validate checks a request and returns it cleaned.
func (s *Service) validate(ctx context.Context, req Request) (Request, error) {
	if strings.TrimSpace(req.Prompt) == "" {
		return req, errors.New("prompt: must not be empty")
	}
	if n := len(req.Columns); n < 2 || n > 4 {
		return req, fmt.Errorf("columns: choose 2 to 4 models (got %d)", n)
	}
	hs, err := s.hosts(ctx)
	if err != nil {
		return req, err
	}
	for i, c := range req.Columns {
		if strings.TrimSpace(c.Model) == "" {
			return req, fmt.Errorf("columns[%d].model: choose a model", i)
		}
		if !slices.Contains(hs, c.Host) {
			return req, fmt.Errorf("columns[%d].host %q: not a configured Ollama host", i, c.Host)
		}
		if err := c.Settings.Validate(); err != nil {
			return req, fmt.Errorf("columns[%d].settings: %w", i, err)
		}
	}
	req.Collection = strings.TrimSpace(req.Collection)
	if req.Collection != "" {
		if err := s.checkCollection(ctx, req.Collection); err != nil {
			return req, err
		}
	}
	tags := []string{}
	for _, t := range req.Tags {
		if t = strings.ToLower(strings.Join(strings.Fields(t), " ")); t != "" && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	req.Tags = tags
	return req, nil
}

// Start stores a run, schedules its columns and starts answering; onEvent
// receives the batched column events (may be nil).
func (s *Service) Start(ctx context.Context, req Request, onEvent func(Event)) (View, error) {
	req, err := s.validate(ctx, req)
	if err != nil {
		return View{}, err
	}
	p := s.plan(ctx, req.Columns)
	labels := make([]string, len(req.Columns))
	for i, k := range rand.Perm(len(req.Columns)) {
		labels[i] = string(rune('A' + k))
	}
	cols := make([]store.CompareColumn, len(req.Columns))
	for i, c := range req.Columns {
		set, _ := json.Marshal(c.Settings)
		cols[i] = store.CompareColumn{Index: i, Host: c.Host, Model: c.Model, Settings: string(set), Order: p.orders[i]}
	}
	id, err := s.st.CreateCompareRun(ctx, store.CompareRun{Prompt: req.Prompt, Blind: req.Blind,
		Tags: jsonText(req.Tags), Labels: jsonText(labels), Schedule: p.schedule, ScheduleNote: p.note}, cols)
	if err != nil {
		return View{}, err
	}
	if req.Collection != "" {
		if err := s.st.SetCompareCollection(ctx, id, req.Collection); err != nil {
			// Leave no answer streaming that nothing will write.
			for i := range cols {
				a := store.CompareAnswer{Turn: 0, Column: i, Status: store.StatusError, Error: err.Error()}
				if ferr := s.st.FinishCompareAnswer(context.WithoutCancel(ctx), id, a); ferr != nil {
					s.log.Error("save compare answer", "run", id, "column", i, "err", ferr)
				}
			}
			return View{}, err
		}
	}
	d, err := s.st.CompareRun(ctx, id)
	if err != nil {
		return View{}, err
	}
	s.startTurn(d, 0, onEvent)
	return s.Get(ctx, id)
}

// FollowUp asks every column prompt, each with its own history.
func (s *Service) FollowUp(ctx context.Context, id int64, prompt string, onEvent func(Event)) (View, error) {
	if strings.TrimSpace(prompt) == "" {
		return View{}, errors.New("prompt: must not be empty")
	}
	s.mu.Lock()
	_, busy := s.active[id]
	s.mu.Unlock()
	if busy {
		return View{}, fmt.Errorf("compare run %d is still answering; wait or stop it first", id)
	}
	d, err := s.st.CompareRun(ctx, id)
	if err != nil {
		return View{}, err
	}
	turn, err := s.st.AddCompareTurn(ctx, id, prompt, len(d.Columns))
	if err != nil {
		return View{}, err
	}
	if d, err = s.st.CompareRun(ctx, id); err != nil {
		return View{}, err
	}
	s.startTurn(d, turn, onEvent)
	return s.Get(ctx, id)
}

// Stop stops a run's running columns; their text is kept, incomplete.
func (s *Service) Stop(id int64) {
	s.mu.Lock()
	a := s.active[id]
	s.mu.Unlock()
	if a != nil {
		a.cancel(errStopped)
	}
}

// Wait blocks until run id has no turn being answered or ctx ends.
func (s *Service) Wait(ctx context.Context, id int64) error {
	s.mu.Lock()
	a := s.active[id]
	s.mu.Unlock()
	if a == nil {
		return nil
	}
	select {
	case <-a.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v) // strings only: cannot fail
	return string(b)
}
