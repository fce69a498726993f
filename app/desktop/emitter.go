package desktop

import (
	"context"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// Emitter sends named events to the UI (received in JavaScript with
// onBackendEvent in frontend/src/lib/api.ts). High-rate producers batch
// before emitting: one event per batch, never one per token.
type Emitter interface {
	Emit(name string, data any)
}

// wailsEmitter emits through the Wails runtime of a running window.
type wailsEmitter struct{ ctx context.Context }

func (w wailsEmitter) Emit(name string, data any) { runtime.EventsEmit(w.ctx, name, data) }

// discardEmitter drops events; an App has it until the window starts.
type discardEmitter struct{}

func (discardEmitter) Emit(string, any) {}

// Event is one recorded event.
type Event struct {
	Name string
	Data any
}

// RecordingEmitter keeps every event, for tests.
type RecordingEmitter struct {
	mu     sync.Mutex
	events []Event
}

// Emit records the event.
func (r *RecordingEmitter) Emit(name string, data any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, Event{name, data})
}

// Events returns a copy of the events recorded so far.
func (r *RecordingEmitter) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}
