package desktop

import (
	"context"
	"sync"

	"github.com/wadi-app/wadi/backend/engine"
)

// engineHolder owns the built-in engine started for this window, if any.
type engineHolder struct {
	mu     sync.Mutex
	eng    *engine.Engine
	closed bool
	cancel context.CancelFunc
}

// startEngine decides, in the background, whether Wadi's built-in Ollama is
// needed, starts it if so, and tells the UI to refresh its status.
func (a *App) startEngine(ctx context.Context) {
	if a.core == nil {
		return
	}
	h := &a.engine
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	ctx, h.cancel = context.WithCancel(ctx)
	h.mu.Unlock()

	eng, info := a.core.EnsureEngine(ctx)
	h.mu.Lock()
	if h.closed && eng != nil {
		eng.Stop() // the window closed while the engine was starting
		eng = nil
	}
	h.eng = eng
	h.mu.Unlock()
	a.emit.Emit("status:changed", info)
}

// stopEngine stops the built-in engine and its runners; called on exit.
func (a *App) stopEngine() {
	h := &a.engine
	h.mu.Lock()
	h.closed = true
	if h.cancel != nil {
		h.cancel()
	}
	eng := h.eng
	h.eng = nil
	h.mu.Unlock()
	if eng != nil {
		eng.Stop()
	}
}
