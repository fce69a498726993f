package pull

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/ollama/ollama/api"
)

// item is one download and its runtime state; d and the flags are guarded
// by Queue.mu, the throttle fields by emitMu.
type item struct {
	d       Download
	running bool
	closing bool // the queue is closing: leave the download queued
	held    bool // loaded without AutoResume: waits for Start or Resume
	cancel  context.CancelFunc

	saveMu   sync.Mutex // serializes saves of this download
	emitMu   sync.Mutex // orders OnUpdate calls for this download
	lastEmit time.Time
	timer    *time.Timer // trailing progress update
	lastSave time.Time
	// speed: exponential moving average over samples taken at each emit
	sampleAt    time.Time
	sampleBytes int64
	rate        float64
}

// run performs attempts until the download succeeds, fails for good, or is
// stopped (pause, cancel, close).
func (q *Queue) run(ctx context.Context, it *item) {
	for tries := 1; ; tries++ {
		if !q.transition(ctx, it, Downloading, "", true) {
			return
		}
		err := q.attempt(ctx, it)
		if ctx.Err() != nil {
			q.requeueIfClosing(ctx, it)
			return // paused or canceled: stop already recorded the state
		}
		if err == nil {
			q.mu.Lock()
			it.d.CompletedBytes = max(it.d.CompletedBytes, it.d.TotalBytes)
			q.mu.Unlock()
			q.transition(ctx, it, Done, "", false)
			return
		}
		msg := err.Error()
		if permanent(err) || tries >= q.opt.MaxAttempts {
			if !permanent(err) {
				msg = fmt.Sprintf("gave up after %d attempts: %s", tries, msg)
			}
			q.transition(ctx, it, Failed, msg, false)
			return
		}
		if errors.Is(err, errStalled) {
			msg = fmt.Sprintf("no progress for %s", q.opt.StallTimeout)
			if !q.transition(ctx, it, Stalled, msg, false) {
				return
			}
		}
		wait := q.opt.backoff(tries)
		if !q.transition(ctx, it, Retrying, fmt.Sprintf("%s; retrying in %s", msg, wait.Round(time.Millisecond)), false) {
			return
		}
		q.log.Info("download retry", "name", it.d.Name, "attempt", tries, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			q.requeueIfClosing(ctx, it)
			return
		}
	}
}

// requeueIfClosing stores a download the closing queue interrupted as
// queued, so that the next run resumes it; a paused or canceled one stays.
func (q *Queue) requeueIfClosing(ctx context.Context, it *item) {
	q.mu.Lock()
	if !it.closing || !it.d.State.active() {
		q.mu.Unlock()
		return
	}
	it.d.State, it.d.BytesPerSec, it.d.EtaSeconds = Queued, 0, 0
	q.mu.Unlock()
	_ = q.saveItem(ctx, it)
}

// transition sets the state (and error) unless the download was stopped by
// the user meanwhile, saves and reports it; false if it was stopped.
func (q *Queue) transition(ctx context.Context, it *item, s State, msg string, newAttempt bool) bool {
	q.mu.Lock()
	if ctx.Err() != nil {
		q.mu.Unlock()
		return false
	}
	it.d.State, it.d.Error = s, msg
	if newAttempt {
		it.d.Attempts++
	}
	if s != Downloading {
		it.d.BytesPerSec, it.d.EtaSeconds = 0, 0
	}
	q.mu.Unlock()
	_ = q.saveItem(ctx, it)
	q.emit(it)
	q.notify()
	return true
}

// attempt runs one pull, watching for stalls and disk space.
func (q *Queue) attempt(ctx context.Context, it *item) error {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	q.mu.Lock()
	host, name := it.d.Host, it.d.Name
	q.mu.Unlock()

	var (
		mu       sync.Mutex
		layers   = map[string][2]int64{} // digest -> completed, total
		lastMove = time.Now()
		moved    int64  // bytes counted at lastMove
		armed    = true // false once every byte is in (Ollama verifies and writes)
		stalled  bool
	)
	watch := time.NewTicker(max(q.opt.StallTimeout/10, 5*time.Millisecond))
	defer watch.Stop()
	go func() {
		for {
			select {
			case <-actx.Done():
				return
			case <-watch.C:
				mu.Lock()
				if armed && time.Since(lastMove) >= q.opt.StallTimeout {
					stalled = true
					mu.Unlock()
					cancel()
					return
				}
				mu.Unlock()
			}
		}
	}()

	var diskErr error
	err := q.opt.Pull(actx, host, &api.PullRequest{Model: name, Insecure: insecure(name)}, func(p api.ProgressResponse) error {
		if p.Digest == "" || p.Total <= 0 {
			// After the last blob Ollama verifies digests and writes the
			// manifest: no bytes move then, and that is no stall.
			if strings.HasPrefix(p.Status, "verifying") || strings.HasPrefix(p.Status, "writing") || p.Status == "success" {
				mu.Lock()
				armed = false
				mu.Unlock()
			}
			return nil
		}
		mu.Lock()
		_, known := layers[p.Digest]
		layers[p.Digest] = [2]int64{min(p.Completed, p.Total), p.Total}
		var done, total, need int64
		for _, l := range layers {
			done += l[0]
			total += l[1]
			need += l[1] - l[0]
		}
		if done > moved {
			moved, lastMove = done, time.Now()
		}
		mu.Unlock()
		if !known {
			if err := q.checkDisk(actx, host, name, need); err != nil {
				diskErr = err
				return err
			}
		}
		q.progress(it, done, total)
		return nil
	})
	mu.Lock()
	wasStalled := stalled
	mu.Unlock()
	switch {
	case diskErr != nil:
		return diskErr
	case wasStalled && ctx.Err() == nil:
		return errStalled
	case err != nil:
		return err
	}
	return actx.Err() // a cancelled stream returns nil
}

// progress records byte counts and reports them, at most once per
// ProgressInterval; a timer delivers the last update of a burst.
func (q *Queue) progress(it *item, done, total int64) {
	q.mu.Lock()
	if it.d.State != Downloading {
		q.mu.Unlock()
		return
	}
	it.d.CompletedBytes, it.d.TotalBytes = done, total
	q.mu.Unlock()

	it.emitMu.Lock()
	defer it.emitMu.Unlock()
	q.throttledLocked(it)
}

// throttledLocked emits progress now if the interval has passed, else
// makes sure a timer will; it.emitMu must be held.
func (q *Queue) throttledLocked(it *item) {
	if it.timer != nil {
		return // a trailing update is already due
	}
	wait := q.opt.ProgressInterval - time.Since(it.lastEmit)
	if wait <= 0 {
		q.emitProgressLocked(it)
		return
	}
	it.timer = time.AfterFunc(wait, func() {
		it.emitMu.Lock()
		defer it.emitMu.Unlock()
		it.timer = nil
		q.throttledLocked(it)
	})
}

// emitProgressLocked samples the speed, reports progress and saves it now
// and then; it.emitMu must be held.
func (q *Queue) emitProgressLocked(it *item) {
	now := time.Now()
	q.mu.Lock()
	if it.d.State != Downloading {
		q.mu.Unlock()
		return
	}
	if !it.sampleAt.IsZero() && it.sampleBytes <= it.d.CompletedBytes {
		if dt := now.Sub(it.sampleAt).Seconds(); dt > 0 {
			inst := float64(it.d.CompletedBytes-it.sampleBytes) / dt
			if it.rate == 0 {
				it.rate = inst
			} else {
				it.rate = 0.3*inst + 0.7*it.rate
			}
		}
	}
	it.sampleAt, it.sampleBytes = now, it.d.CompletedBytes
	it.d.BytesPerSec = math.Round(it.rate)
	it.d.EtaSeconds = 0
	if it.rate > 0 && it.d.TotalBytes > it.d.CompletedBytes {
		it.d.EtaSeconds = int64(math.Ceil(float64(it.d.TotalBytes-it.d.CompletedBytes) / it.rate))
	}
	d := it.d
	q.mu.Unlock()
	it.lastEmit = now
	if now.Sub(it.lastSave) >= time.Second {
		it.lastSave = now
		_ = q.saveItem(context.Background(), it)
	}
	if q.opt.OnUpdate != nil {
		q.opt.OnUpdate(d)
	}
}

// emit reports the current state of it at once.
func (q *Queue) emit(it *item) {
	it.emitMu.Lock()
	defer it.emitMu.Unlock()
	q.mu.Lock()
	d := it.d
	if d.State != Downloading {
		it.rate, it.sampleAt = 0, time.Time{}
	}
	q.mu.Unlock()
	if q.opt.OnUpdate != nil {
		q.opt.OnUpdate(d)
	}
}
