package pull

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// Queue runs model downloads. Create it with New; Close it when done.
type Queue struct {
	opt Options
	st  Store
	log *slog.Logger

	mu       sync.Mutex
	items    map[int64]*item
	order    []int64
	parallel int
	running  int
	closed   bool
	changed  chan struct{} // closed and replaced on every state change
	wg       sync.WaitGroup
}

// New loads the stored queue. Downloads that were running or waiting when
// the last run ended are set back to queued and, with AutoResume, started.
func New(ctx context.Context, st Store, opt Options) (*Queue, error) {
	opt.fill()
	q := &Queue{opt: opt, st: st, log: opt.Logger, items: map[int64]*item{}, parallel: opt.Parallel, changed: make(chan struct{})}
	rows, err := st.Downloads(ctx)
	if err != nil {
		return nil, fmt.Errorf("load download queue: %w", err)
	}
	for _, r := range rows {
		it := &item{d: fromRow(r), held: !opt.AutoResume}
		if it.d.State.active() && it.d.State != Queued {
			it.d.State = Queued
			if err := q.save(ctx, it.d); err != nil {
				return nil, err
			}
		}
		q.items[it.d.ID] = it
		q.order = append(q.order, it.d.ID)
	}
	if opt.AutoResume {
		q.mu.Lock()
		q.scheduleLocked()
		q.mu.Unlock()
	}
	return q, nil
}

// List returns every download, oldest first.
func (q *Queue) List() []Download {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Download, 0, len(q.order))
	for _, id := range q.order {
		out = append(out, q.items[id].d)
	}
	return out
}

// Get returns one download.
func (q *Queue) Get(id int64) (Download, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	it, ok := q.items[id]
	if !ok {
		return Download{}, fmt.Errorf("download %d does not exist", id)
	}
	return it.d, nil
}

// Start queues a pull of name on host and returns it. An unfinished
// download of the same model on that host is resumed instead of doubled.
// With a known size (SizeHint) and too little free disk, Start refuses.
func (q *Queue) Start(ctx context.Context, host, name string) (Download, error) {
	name = strings.TrimSpace(name)
	if !ValidName(name) {
		return Download{}, fmt.Errorf("model name %q is not valid: expected e.g. qwen3:8b or hf.co/user/repo:Q4_K_M", name)
	}
	if err := q.checkDisk(ctx, host, name, q.hint(name)); err != nil {
		return Download{}, err
	}
	q.mu.Lock()
	for _, id := range q.order {
		if it := q.items[id]; it.d.Host == host && it.d.Name == name && it.d.State != Done && it.d.State != Canceled {
			q.mu.Unlock()
			return q.Resume(ctx, id)
		}
	}
	q.mu.Unlock()
	r, err := q.st.AddDownload(ctx, host, name, string(Queued))
	if err != nil {
		return Download{}, err
	}
	it := &item{d: fromRow(r)}
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return Download{}, errors.New("download queue is closed")
	}
	q.items[it.d.ID] = it
	q.order = append(q.order, it.d.ID)
	q.notifyLocked()
	q.mu.Unlock()
	q.emit(it)
	q.mu.Lock()
	q.scheduleLocked()
	d := it.d
	q.mu.Unlock()
	return d, nil
}

func (q *Queue) hint(name string) int64 {
	if q.opt.SizeHint == nil {
		return 0
	}
	return q.opt.SizeHint(name)
}

// checkDisk refuses when need bytes do not fit in the free space on host.
func (q *Queue) checkDisk(ctx context.Context, host, name string, need int64) error {
	if need <= 0 || q.opt.FreeDisk == nil {
		return nil
	}
	free, where, err := q.opt.FreeDisk(ctx, host)
	if err != nil {
		q.log.Warn("free disk check skipped", "host", host, "err", err)
		return nil
	}
	if free < need {
		return fmt.Errorf("%w for %s: it needs %s but only %s is free at %s",
			ErrNoDisk, name, gb(need), gb(free), where)
	}
	return nil
}

func gb(b int64) string { return fmt.Sprintf("%.2f GB", float64(b)/1e9) }

// Pause stops a download, keeping what Ollama has received; Resume continues it.
func (q *Queue) Pause(ctx context.Context, id int64) (Download, error) {
	return q.stop(ctx, id, Paused)
}

// Cancel stops a download for good. Ollama's API cannot delete the partial
// blob files; Ollama removes them itself when it next starts (it prunes
// unreferenced blobs unless OLLAMA_NOPRUNE is set), and a later pull of the
// same model reuses them.
func (q *Queue) Cancel(ctx context.Context, id int64) (Download, error) {
	return q.stop(ctx, id, Canceled)
}

func (q *Queue) stop(ctx context.Context, id int64, to State) (Download, error) {
	q.mu.Lock()
	it, ok := q.items[id]
	if !ok {
		q.mu.Unlock()
		return Download{}, fmt.Errorf("download %d does not exist", id)
	}
	switch {
	case it.d.State == to:
		d := it.d
		q.mu.Unlock()
		return d, nil
	case it.d.State == Done:
		q.mu.Unlock()
		return Download{}, fmt.Errorf("download %d (%s) is already done", id, it.d.Name)
	case to == Paused && !it.d.State.active():
		q.mu.Unlock()
		return Download{}, fmt.Errorf("download %d (%s) is %s and cannot be paused", id, it.d.Name, it.d.State)
	}
	it.d.State, it.d.BytesPerSec, it.d.EtaSeconds = to, 0, 0
	if it.cancel != nil {
		it.cancel()
	}
	q.mu.Unlock()
	err := q.saveItem(ctx, it)
	q.emit(it)
	q.notify()
	return q.snapshot(it), err
}

// Resume queues a paused, failed, canceled or stalled download again.
func (q *Queue) Resume(ctx context.Context, id int64) (Download, error) {
	q.mu.Lock()
	it, ok := q.items[id]
	if !ok {
		q.mu.Unlock()
		return Download{}, fmt.Errorf("download %d does not exist", id)
	}
	if it.d.State == Done || (it.d.State.active() && !it.held) {
		d := it.d
		q.mu.Unlock()
		return d, nil
	}
	it.held = false
	it.d.State, it.d.Error = Queued, ""
	d := it.d
	q.mu.Unlock()
	if err := q.saveItem(ctx, it); err != nil {
		return d, err
	}
	q.emit(it)
	q.mu.Lock()
	q.notifyLocked()
	q.scheduleLocked()
	d = it.d
	q.mu.Unlock()
	return d, nil
}

// SetParallel sets how many downloads run at once (at least 1).
func (q *Queue) SetParallel(n int) error {
	if n < 1 || n > 16 {
		return fmt.Errorf("parallel downloads must be between 1 and 16, got %d", n)
	}
	q.mu.Lock()
	q.parallel = n
	q.scheduleLocked()
	q.mu.Unlock()
	return nil
}

// Wait blocks until download id is done, failed, canceled or paused, or
// ctx ends, and returns it.
func (q *Queue) Wait(ctx context.Context, id int64) (Download, error) {
	for {
		q.mu.Lock()
		it, ok := q.items[id]
		ch := q.changed
		var d Download
		settled := false
		if ok {
			d = it.d
			// A worker that ended the download reports it before it lets go.
			settled = d.State.Finished() && !(it.running && (d.State == Done || d.State == Failed))
		}
		q.mu.Unlock()
		if !ok {
			return Download{}, fmt.Errorf("download %d does not exist", id)
		}
		if settled {
			return d, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return d, ctx.Err()
		}
	}
}

// Close stops every running download without changing its stored state
// (queued), so the next New resumes it, and waits for the workers.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	for _, it := range q.items {
		if it.cancel != nil {
			it.closing = true
			it.cancel()
		}
	}
	q.mu.Unlock()
	q.wg.Wait()
}

// snapshot returns a copy of the download's current state.
func (q *Queue) snapshot(it *item) Download {
	q.mu.Lock()
	defer q.mu.Unlock()
	return it.d
}

func (q *Queue) notify() {
	q.mu.Lock()
	q.notifyLocked()
	q.mu.Unlock()
}

func (q *Queue) notifyLocked() {
	close(q.changed)
	q.changed = make(chan struct{})
}

// save stores d; failures are logged and returned.
func (q *Queue) save(ctx context.Context, d Download) error {
	if _, err := q.st.UpdateDownload(context.WithoutCancel(ctx), d.row()); err != nil {
		q.log.Error("save download", "id", d.ID, "err", err)
		return err
	}
	return nil
}

// saveItem stores the download's current state. Saves of one download are
// serialized and each reads the state afresh, so a late save never writes
// an older state over a newer one.
func (q *Queue) saveItem(ctx context.Context, it *item) error {
	it.saveMu.Lock()
	defer it.saveMu.Unlock()
	q.mu.Lock()
	d := it.d
	q.mu.Unlock()
	r, err := q.st.UpdateDownload(context.WithoutCancel(ctx), d.row())
	if err != nil {
		q.log.Error("save download", "id", d.ID, "err", err)
		return err
	}
	q.mu.Lock()
	it.d.UpdatedAt = r.UpdatedAt
	q.mu.Unlock()
	return nil
}

// scheduleLocked starts queued downloads while slots are free.
func (q *Queue) scheduleLocked() {
	if q.closed {
		return
	}
	for _, id := range q.order {
		if q.running >= q.parallel {
			return
		}
		it := q.items[id]
		if it.d.State != Queued || it.running || it.held {
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		it.running, it.cancel, it.closing = true, cancel, false
		q.running++
		q.wg.Add(1)
		go func() {
			defer q.wg.Done()
			q.run(ctx, it)
			cancel()
			q.mu.Lock()
			it.running, it.cancel = false, nil
			q.running--
			if it.closing && it.d.State.active() {
				it.d.State = Queued
			}
			q.notifyLocked()
			q.scheduleLocked()
			q.mu.Unlock()
		}()
	}
}
