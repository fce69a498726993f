package chat

import (
	"context"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/store"
)

// Exported pieces of the chat machinery that other services (compare) reuse
// so that streaming, batching and speed figures work the same everywhere.

// Batcher merges one stream's text deltas into events: at most one per
// interval, the first at once, and a final one with everything pending.
type Batcher struct{ b *batcher }

// NewBatcher returns a Batcher that calls emit with Events whose Content and
// Thinking are deltas; clock nil means the real clock, interval 0 sends every
// delta at once.
func NewBatcher(clock Clock, interval time.Duration, emit func(Event)) *Batcher {
	if clock == nil {
		clock = realClock{}
	}
	return &Batcher{newBatcher(clock, interval, Event{}, emit)}
}

// Add queues a delta.
func (b *Batcher) Add(content, thinking string) { b.b.add(content, thinking) }

// Finish emits final (Done set) with any pending text; later Adds are ignored.
func (b *Batcher) Finish(final Event) { b.b.finish(final) }

// MetricsOf builds an answer's speed figures from the measured time to first
// token and Ollama's final response (nil: the stream was cut).
func MetricsOf(ttft time.Duration, final *api.ChatResponse) Metrics { return metricsOf(ttft, final) }

// Describe turns a failed Ollama chat call into one sentence naming the host.
func Describe(host string, err error) string { return describe(host, err) }

// RequestOptions maps settings to Ollama's options with num_ctx resolved
// against the model's context length (0: unknown).
func RequestOptions(s Settings, modelCtx int) map[string]any {
	return requestOptions(s, resolveNumCtx(s, modelCtx))
}

// KeepAlive parses Settings.KeepAlive (nil: Ollama's default).
func KeepAlive(s Settings) (*api.Duration, error) { return keepAlive(s.KeepAlive) }

// ChatFromHistory creates a chat on host/model with settings and a finished
// history (alternating user/assistant turns, answers with their metrics) and
// returns its id. Used by "continue with this one" in compare.
func (s *Service) ChatFromHistory(ctx context.Context, title, host, model string, set Settings, history []store.Message) (int64, error) {
	if err := set.Validate(); err != nil {
		return 0, err
	}
	c, err := s.st.CreateChat(ctx, store.Chat{Title: AutoTitle(title), Host: host, Model: model, Settings: encodeSettings(set)})
	if err != nil {
		return 0, err
	}
	msgs := make([]store.Message, len(history))
	for i, m := range history {
		m.ID, m.ChatID = 0, 0
		m.ParentID = int64(-i) // the previous message of this call (0: root)
		msgs[i] = m
	}
	if _, err := s.st.AddMessages(ctx, c.ID, msgs, true); err != nil {
		return 0, err
	}
	return c.ID, nil
}

// RequestFor fills req's Options, KeepAlive and Think for model on host the
// way a chat does: num_ctx resolved against the model's context length
// (from /api/show, cached), think set for models that can think (or when
// asked, so that Ollama explains it cannot). A failed /api/show is returned
// with the defaults filled in, so the caller may still send req.
func (s *Service) RequestFor(ctx context.Context, req *api.ChatRequest, host string, set Settings) error {
	mi, err := s.show(ctx, host, req.Model, "")
	req.Options = requestOptions(set, resolveNumCtx(set, mi.contextLength))
	req.KeepAlive, _ = keepAlive(set.KeepAlive) // validated when stored
	switch {
	case contains(mi.capabilities, "thinking"):
		req.Think = &api.ThinkValue{Value: set.Think}
	case set.Think:
		req.Think = &api.ThinkValue{Value: true}
	}
	return err
}
