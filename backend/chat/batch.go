package chat

import (
	"strings"
	"sync"
	"time"
)

// Clock is the time source of the event batcher; tests inject a fake one.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d, unless stopped.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface{ Stop() bool }

type realClock struct{}

func (realClock) Now() time.Time                            { return time.Now() }
func (realClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// batcher merges one stream's text deltas into Events, emitting at most one
// per interval: the first delta goes out at once (no added latency to the
// first token), later ones wait until interval has passed since the last
// event. finish emits whatever is pending together with the final state.
// Events are emitted under the lock, so they can never be reordered, and
// every delta ends up in exactly one event.
type batcher struct {
	mu       sync.Mutex
	clock    Clock
	interval time.Duration
	emit     func(Event)
	ev       Event // stream ids; Content/Thinking unused
	content  strings.Builder
	thinking strings.Builder
	pending  bool
	last     time.Time
	timer    Timer
	done     bool
}

func newBatcher(clock Clock, interval time.Duration, ev Event, emit func(Event)) *batcher {
	return &batcher{clock: clock, interval: interval, emit: emit, ev: ev}
}

// add queues a delta.
func (b *batcher) add(content, thinking string) {
	if b.emit == nil || (content == "" && thinking == "") {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return
	}
	b.content.WriteString(content)
	b.thinking.WriteString(thinking)
	b.pending = true
	now := b.clock.Now()
	if b.last.IsZero() || now.Sub(b.last) >= b.interval {
		b.flushLocked(now)
		return
	}
	if b.timer == nil {
		b.timer = b.clock.AfterFunc(b.interval-now.Sub(b.last), b.tick)
	}
}

func (b *batcher) tick() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.timer = nil
	if !b.done && b.pending {
		b.flushLocked(b.clock.Now())
	}
}

func (b *batcher) flushLocked(now time.Time) {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	ev := b.ev
	ev.Status = "streaming"
	ev.Content, ev.Thinking = b.content.String(), b.thinking.String()
	b.content.Reset()
	b.thinking.Reset()
	b.pending = false
	b.last = now
	b.emit(ev)
}

// send emits ev at once with the stream's ids (used before the first
// delta, for the retrieval event).
func (b *batcher) send(ev Event) {
	if b.emit == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return
	}
	ev.StreamID, ev.ChatID, ev.MessageID, ev.DroppedTurns = b.ev.StreamID, b.ev.ChatID, b.ev.MessageID, b.ev.DroppedTurns
	ev.Status = "streaming"
	b.emit(ev)
}

// finish emits the final event (Done set) with any pending text; later
// adds are ignored.
func (b *batcher) finish(final Event) {
	if b.emit == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return
	}
	b.done = true
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	final.StreamID, final.ChatID, final.MessageID = b.ev.StreamID, b.ev.ChatID, b.ev.MessageID
	final.Content, final.Thinking = b.content.String(), b.thinking.String()
	final.Done = true
	b.emit(final)
}
