package registry

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"time"
)

// Stats counts what the registry has served since Start.
type Stats struct {
	Manifests   int      // manifest requests
	BlobHeads   int      // HEAD /v2/.../blobs/<digest>
	Redirects   int      // GET /v2/.../blobs/<digest>, answered with a 307
	BlobGets    int      // GET /blobs/<digest>: blob data, ranged or whole
	Ranges      []string // the Range header of each blob data GET ("" if none)
	BytesServed int64    // blob data bytes handed to connections
	Stalls      int      // data responses that reached the stall offset
	CutOff      int      // data responses cut short by FailNext
	ClientGone  int      // data responses ended early because the client left
}

// Stats returns a snapshot of the counters.
func (r *Registry) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats
	s.Ranges = slices.Clone(s.Ranges)
	return s
}

// Await blocks until cond holds for the current Stats, or ctx ends. cond is
// re-checked whenever a counter or fault setting changes.
func (r *Registry) Await(ctx context.Context, cond func(Stats) bool) error {
	for {
		r.mu.Lock()
		ch := r.changed
		r.mu.Unlock()
		if cond(r.Stats()) {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// SetThrottle limits blob data to bytesPerSec across all connections (a
// shared link); 0 or less removes the limit.
func (r *Registry) SetThrottle(bytesPerSec int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rate, r.nextSlot = max(bytesPerSec, 0), time.Time{}
	r.notifyLocked()
}

// SetStallAfter makes blob data responses stop at offset n of their blob:
// they send everything before n, flush, and then hold the connection open
// without sending more until the stall is lifted (SetStallAfter with a
// negative n or a larger one), the client goes away, or the test ends.
// Blobs no longer than n are unaffected. Ollama itself only gives up on a
// stalled part after 30 s.
func (r *Registry) SetStallAfter(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stallAfter = n
	r.notifyLocked()
}

// FailNext cuts off the next n blob data responses: each sends the first half
// of the bytes from its start offset to the blob's end, then the connection
// is aborted, as a dropped connection would be. n <= 0 cancels pending
// failures.
func (r *Registry) FailNext(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failNext = max(n, 0)
	r.notifyLocked()
}

// count applies update to the counters and wakes Await.
func (r *Registry) count(update func(*Stats)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	update(&r.stats)
	r.notifyLocked()
}

// notifyLocked wakes Await and stalled responses; r.mu must be held.
func (r *Registry) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// serveBlobData serves blob bytes, honouring Range, through the fault hooks.
func (r *Registry) serveBlobData(w http.ResponseWriter, req *http.Request) {
	digest := req.PathValue("digest")
	r.mu.Lock()
	data, ok := r.blobs[digest]
	cut := false
	if ok && req.Method == http.MethodGet {
		r.stats.BlobGets++
		r.stats.Ranges = append(r.stats.Ranges, req.Header.Get("Range"))
		if r.failNext > 0 {
			r.failNext--
			cut = true
		}
		r.notifyLocked()
	}
	r.mu.Unlock()
	if !ok {
		registryError(w, http.StatusNotFound, "BLOB_UNKNOWN", "blob unknown: "+digest)
		return
	}

	body := &faultReader{
		Reader: bytes.NewReader(data), size: int64(len(data)), reg: r, ctx: req.Context(),
		flush: func() { _ = http.NewResponseController(w).Flush() }, cut: cut, cutAt: -1,
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Docker-Content-Digest", digest)
	http.ServeContent(w, req, "", time.Time{}, body)
	if body.aborted {
		panic(http.ErrAbortHandler) // drop the connection, no clean end
	}
}

var (
	// errCutOff ends a response that FailNext selected.
	errCutOff = errors.New("registry: response cut off")
	// errClosed ends responses still running when the test ends.
	errClosed = errors.New("registry: closed")
)

// faultReader is the blob content as http.ServeContent reads it: each Read
// first applies the stall, cut-off and throttle settings at its offset.
type faultReader struct {
	*bytes.Reader
	size    int64
	reg     *Registry
	ctx     context.Context
	flush   func()
	cut     bool  // FailNext chose this response
	cutAt   int64 // offset to cut at, fixed on the first Read
	stalled bool  // counted in Stats.Stalls
	aborted bool  // a fault ended the body early
}

func (f *faultReader) Read(p []byte) (int, error) {
	pos := f.size - int64(f.Len())
	if pos >= f.size {
		return 0, io.EOF
	}
	if f.cut && f.cutAt < 0 {
		f.cutAt = pos + (f.size-pos)/2
	}
	if f.cut && pos >= f.cutAt {
		f.reg.count(func(s *Stats) { s.CutOff++ })
		f.aborted = true
		return 0, errCutOff
	}
	want := int64(len(p))
	if f.cut {
		want = min(want, f.cutAt-pos)
	}
	limit, err := f.reg.admit(f, pos, want)
	if err != nil {
		f.aborted = true
		if f.ctx.Err() != nil {
			f.reg.count(func(s *Stats) { s.ClientGone++ })
		}
		return 0, err
	}
	n, err := f.Reader.Read(p[:limit])
	f.reg.count(func(s *Stats) { s.BytesServed += int64(n) })
	return n, err
}

// admit waits out a stall at pos and the throttle, and returns how many of
// the wanted bytes (want > 0) the caller may send now.
func (r *Registry) admit(f *faultReader, pos, want int64) (int64, error) {
	for {
		r.mu.Lock()
		stall, rate, ch := r.stallAfter, r.rate, r.changed
		if stall < 0 || pos < stall {
			f.stalled = false
			limit := min(want, 32<<10)
			if stall >= 0 {
				limit = min(limit, stall-pos)
			}
			if rate > 0 {
				limit = min(limit, max(rate/20, 256)) // ~50 ms of data per Read
			}
			wait := r.reserveLocked(limit)
			r.mu.Unlock()
			return limit, f.sleep(wait)
		}
		if !f.stalled {
			f.stalled = true
			r.stats.Stalls++
			r.notifyLocked()
		}
		r.mu.Unlock()
		f.flush() // let the client see every byte before the stall
		select {
		case <-ch:
		case <-f.ctx.Done():
			return 0, f.ctx.Err()
		case <-r.closed:
			return 0, errClosed
		}
	}
}

// reserveLocked books n bytes on the throttled link and returns how long the
// caller must wait before sending them; r.mu must be held.
func (r *Registry) reserveLocked(n int64) time.Duration {
	if r.rate <= 0 {
		return 0
	}
	now := time.Now()
	start := r.nextSlot
	if start.Before(now) {
		start = now
	}
	r.nextSlot = start.Add(time.Duration(n) * time.Second / time.Duration(r.rate))
	return r.nextSlot.Sub(now)
}

// sleep waits for d unless the request or the registry ends first.
func (f *faultReader) sleep(d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-f.ctx.Done():
		return f.ctx.Err()
	case <-f.reg.closed:
		return errClosed
	}
}
