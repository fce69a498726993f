package desktop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

// EventDocsProgress carries an IndexJob: throttled progress (at most every
// docsProgressEvery, plus phase changes) and its final state.
const EventDocsProgress = "docs:progress"

// docsProgressEvery is the least time between two progress events of a job.
const docsProgressEvery = 200 * time.Millisecond

// Job states.
const (
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// Job kinds: what started the job.
const (
	JobAdd    = "add"    // files or folders added
	JobRescan = "rescan" // a rescan of the collection's sources
	JobModel  = "model"  // the embedding model changed: re-embed
)

// IndexJob is a collection's background indexing run as the window sees it.
// A finished job stays listed until the collection's next job starts.
type IndexJob struct {
	Collection   string       `json:"collection"`
	CollectionID int64        `json:"collectionId"`
	Kind         string       `json:"kind"`  // JobAdd, JobRescan or JobModel
	State        string       `json:"state"` // JobRunning, JobDone, JobFailed or JobCancelled
	Progress     rag.Progress `json:"progress"`
	Error        string       `json:"error"`
	StartedAt    string       `json:"startedAt"`  // RFC 3339
	FinishedAt   string       `json:"finishedAt"` // "" while running
}

// indexJob is a job and how to stop it.
type indexJob struct {
	job    IndexJob
	cancel context.CancelFunc
	done   chan struct{}
}

// indexHolder owns the App's indexing jobs: one per collection at a time.
type indexHolder struct {
	mu     sync.Mutex
	jobs   map[int64]*indexJob // by collection id
	wg     sync.WaitGroup
	closed bool
}

// runFunc runs one indexing pass over the collection named c.
type runFunc func(ctx context.Context, c string, opt rag.AddOptions) (rag.Progress, error)

// startIndexing reserves the collection, runs prepare (checks, model
// change) with the call's context, then runs run in the background on the
// App's long-lived context, emitting docs:progress.
func (a *App) startIndexing(ctx context.Context, name, kind string, prepare func(context.Context, store.DocCollection) error, run runFunc) (IndexJob, error) {
	s := a.ragService()
	c, err := s.Collection(ctx, name)
	if err != nil {
		return IndexJob{}, err
	}
	h := &a.docJobs
	jctx, cancel := context.WithCancel(a.ctx)
	j := &indexJob{cancel: cancel, done: make(chan struct{}), job: IndexJob{
		Collection: c.Name, CollectionID: c.ID, Kind: kind, State: JobRunning,
		Progress: rag.Progress{Phase: "scan"}, StartedAt: now(),
	}}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		cancel()
		return IndexJob{}, fmt.Errorf("collection %q: Wadi is closing", c.Name)
	}
	if old := h.jobs[c.ID]; old != nil && old.job.State == JobRunning {
		h.mu.Unlock()
		cancel()
		return IndexJob{}, fmt.Errorf("collection %q: %w; wait for it to finish or cancel it", c.Name, rag.ErrBusy)
	}
	if h.jobs == nil {
		h.jobs = map[int64]*indexJob{}
	}
	prev := h.jobs[c.ID]
	h.jobs[c.ID] = j
	h.wg.Add(1)
	h.mu.Unlock()

	if prepare != nil {
		if err := prepare(ctx, c); err != nil {
			h.mu.Lock()
			if prev != nil {
				h.jobs[c.ID] = prev
			} else {
				delete(h.jobs, c.ID)
			}
			h.mu.Unlock()
			cancel()
			close(j.done)
			h.wg.Done()
			return IndexJob{}, err
		}
	}
	first := h.snapshot(j)
	a.emit.Emit(EventDocsProgress, first)
	go func() {
		defer h.wg.Done()
		defer close(j.done)
		defer cancel()
		opt := rag.AddOptions{ProgressEvery: docsProgressEvery, Progress: func(p rag.Progress) {
			h.mu.Lock()
			j.job.Progress = p
			ev := j.job
			h.mu.Unlock()
			a.emit.Emit(EventDocsProgress, ev)
		}}
		p, err := run(jctx, h.snapshot(j).Collection, opt)
		h.mu.Lock()
		if p.Phase != "" {
			j.job.Progress = p
		}
		j.job.FinishedAt = now()
		switch {
		case err == nil:
			j.job.State = JobDone
		case jctx.Err() != nil && errors.Is(err, context.Canceled):
			j.job.State = JobCancelled
		default:
			j.job.State, j.job.Error = JobFailed, err.Error()
		}
		ev := j.job
		h.mu.Unlock()
		if ev.State == JobFailed {
			slog.Warn("documents: indexing failed", "collection", ev.Collection, "err", err)
		}
		a.emit.Emit(EventDocsProgress, ev)
	}()
	return first, nil
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

func (h *indexHolder) snapshot(j *indexJob) IndexJob {
	h.mu.Lock()
	defer h.mu.Unlock()
	return j.job
}

// list returns every job, running ones first, then by collection name.
func (h *indexHolder) list() []IndexJob {
	h.mu.Lock()
	out := make([]IndexJob, 0, len(h.jobs))
	for _, j := range h.jobs {
		out = append(out, j.job)
	}
	h.mu.Unlock()
	sort.Slice(out, func(i, k int) bool {
		if (out[i].State == JobRunning) != (out[k].State == JobRunning) {
			return out[i].State == JobRunning
		}
		return out[i].Collection < out[k].Collection
	})
	return out
}

// running reports whether the collection has a running job.
func (h *indexHolder) running(id int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	j := h.jobs[id]
	return j != nil && j.job.State == JobRunning
}

// cancel stops the collection's running job; false if none runs.
func (h *indexHolder) cancel(id int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	j := h.jobs[id]
	if j == nil || j.job.State != JobRunning {
		return false
	}
	j.cancel()
	return true
}

// cancelAndWait stops the collection's job, if any, and waits until it has
// ended (or ctx ends).
func (h *indexHolder) cancelAndWait(ctx context.Context, id int64) error {
	h.mu.Lock()
	j := h.jobs[id]
	h.mu.Unlock()
	if j == nil {
		return nil
	}
	j.cancel()
	select {
	case <-j.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("its indexing job did not stop: %w", ctx.Err())
	}
}

// forget drops a deleted collection's job.
func (h *indexHolder) forget(id int64) {
	h.mu.Lock()
	delete(h.jobs, id)
	h.mu.Unlock()
}

// renamed updates the name a collection's job is shown under.
func (h *indexHolder) renamed(id int64, name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if j := h.jobs[id]; j != nil {
		j.job.Collection = name
	}
}

// stopDocs cancels every indexing job and waits (bounded) for them to end,
// before the database closes. Files indexed so far stay; a rescan finishes
// the rest.
func (a *App) stopDocs() {
	h := &a.docJobs
	h.mu.Lock()
	h.closed = true
	for _, j := range h.jobs {
		j.cancel()
	}
	h.mu.Unlock()
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		slog.Warn("documents: indexing jobs did not stop within 10 s")
	}
}
