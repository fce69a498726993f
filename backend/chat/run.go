package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/ollama"
	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

// errStalled ends a stream that received nothing for StallTimeout.
type errStalled struct{ after time.Duration }

func (e errStalled) Error() string {
	return fmt.Sprintf("Ollama sent nothing for %s; the answer was cut off", e.after)
}

// partial is the text received so far, shared by the reader and the saver.
type partial struct {
	mu       sync.Mutex
	content  strings.Builder
	thinking strings.Builder
	changed  bool
}

func (p *partial) add(c, t string) {
	p.mu.Lock()
	p.content.WriteString(c)
	p.thinking.WriteString(t)
	p.changed = true
	p.mu.Unlock()
}

// snapshot returns the text and whether it changed since the last call.
func (p *partial) snapshot() (string, string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ch := p.changed
	p.changed = false
	return p.content.String(), p.thinking.String(), ch
}

// apiHistory turns stored messages into Ollama messages, leaving out
// answers that have no text (failed before the first token).
func apiHistory(br []store.Message, imgs map[int64][]store.Image) []api.Message {
	out := make([]api.Message, 0, len(br))
	for _, m := range br {
		if m.Role == "assistant" && m.Content == "" {
			continue
		}
		am := api.Message{Role: m.Role, Content: m.Content}
		for _, im := range imgs[m.ID] {
			am.Images = append(am.Images, api.ImageData(im.Data))
		}
		out = append(out, am)
	}
	return out
}

// run writes the answer msg (status streaming) of stream st, saves it in
// its final state, and reports through onEvent.
func (s *Service) run(ctx context.Context, st *stream, msg store.Message, onEvent func(Event)) {
	defer s.wg.Done()
	final := msg
	final.Status, final.Error = store.StatusError, ""
	var b *batcher
	dropped := 0
	defer func() {
		// Saving the final state must survive a cancelled stream context.
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.st.FinishMessage(sctx, final); err != nil {
			s.log.Error("save answer", "message", msg.ID, "err", err)
		}
		s.mu.Lock()
		delete(s.streams, st.id)
		s.mu.Unlock()
		st.result = final
		ev := Event{Status: final.Status, Error: final.Error, DroppedTurns: dropped}
		if final.Metrics != "" {
			var m Metrics
			if json.Unmarshal([]byte(final.Metrics), &m) == nil {
				ev.Metrics = &m
			}
		}
		if b == nil {
			b = newBatcher(s.opt.Clock, s.opt.EventEvery, Event{StreamID: st.id, ChatID: st.chatID, MessageID: msg.ID}, onEvent)
		}
		b.finish(ev)
		close(st.done)
	}()

	prep, err := s.prepare(ctx, st.chatID, msg)
	if err != nil {
		final.Error = err.Error()
		if cause := context.Cause(ctx); cause != nil { // stopped while retrieving
			final.Status, final.Error = store.StatusIncomplete, cause.Error()
		}
		return
	}
	req, cl := prep.req, prep.cl
	dropped = prep.fit.dropped
	b = newBatcher(s.opt.Clock, s.opt.EventEvery,
		Event{StreamID: st.id, ChatID: st.chatID, MessageID: msg.ID, DroppedTurns: dropped}, onEvent)
	if prep.sources != nil {
		// Saved before the answer streams: the sources panel can show
		// them at once, and they survive a crash mid-answer.
		if err := s.saveRetrieval(ctx, st.chatID, msg.ID, prep.sources); err != nil {
			final.Error = err.Error()
			return
		}
		b.send(Event{Retrieval: prep.sources})
	}

	var p partial
	saverDone := make(chan struct{})
	stopSaver := make(chan struct{})
	go s.saveEvery(msg.ID, &p, stopSaver, saverDone)

	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stall := time.AfterFunc(s.opt.StallTimeout, func() { cancel(errStalled{s.opt.StallTimeout}) })
	defer stall.Stop()

	begin := time.Now()
	var ttft time.Duration
	var last *api.ChatResponse
	err = cl.API().Chat(rctx, req, func(r api.ChatResponse) error {
		stall.Reset(s.opt.StallTimeout)
		if c, t := r.Message.Content, r.Message.Thinking; c != "" || t != "" {
			if ttft == 0 {
				ttft = time.Since(begin)
			}
			p.add(c, t)
			b.add(c, t)
		}
		if r.Done {
			last = &r
		}
		return nil
	})
	close(stopSaver)
	<-saverDone
	final.Content, final.Thinking, _ = p.snapshot()

	switch cause := context.Cause(rctx); {
	case rctx.Err() != nil:
		final.Status, final.Error = store.StatusIncomplete, cause.Error()
	case err != nil:
		final.Status = store.StatusIncomplete
		if final.Content == "" && final.Thinking == "" {
			final.Status = store.StatusError
		}
		final.Error = describe(cl.Host(), err)
	case last == nil:
		final.Status = store.StatusIncomplete
		final.Error = fmt.Sprintf("the connection to Ollama at %s closed before the answer finished", cl.Host())
	default:
		final.Status = store.StatusComplete
	}
	if last != nil || ttft > 0 {
		m := metricsOf(ttft, last)
		bs, _ := json.Marshal(m)
		final.Metrics = string(bs)
	}
}

// describe turns a failed chat call into one sentence naming the host.
func describe(host string, err error) string {
	var se api.StatusError
	if errors.As(err, &se) && se.ErrorMessage != "" {
		return fmt.Sprintf("Ollama at %s: %s", host, se.ErrorMessage)
	}
	switch ollama.KindOf(err) {
	case ollama.KindUnreachable:
		return ollama.Hint(ollama.KindUnreachable, host)
	case ollama.KindBadResponse:
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		if errors.As(err, &syn) || errors.As(err, &typ) {
			return fmt.Sprintf("Ollama at %s sent a malformed reply (%v); the answer was cut off", host, err)
		}
	}
	return fmt.Sprintf("Ollama at %s: %v", host, err)
}

// saveEvery saves the partial text every FlushEvery (or just marks the row
// alive when nothing changed) until stop closes.
func (s *Service) saveEvery(id int64, p *partial, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(s.opt.FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, th, changed := p.snapshot()
		var err error
		if changed {
			err = s.st.FlushMessage(ctx, id, c, th)
		} else {
			err = s.st.TouchMessage(ctx, id)
		}
		cancel()
		if err != nil {
			s.log.Warn("save partial answer", "message", id, "err", err)
		}
	}
}

// metricsOf builds the speed figures; r may be nil (stream cut).
func metricsOf(ttft time.Duration, r *api.ChatResponse) Metrics {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	m := Metrics{TTFTMs: ms(ttft)}
	if r == nil {
		return m
	}
	m.LoadMs = ms(r.LoadDuration)
	m.PromptTokens = r.PromptEvalCount
	m.PromptMs = ms(r.PromptEvalDuration)
	m.OutputTokens = r.EvalCount
	m.OutputMs = ms(r.EvalDuration)
	m.TotalMs = ms(r.TotalDuration)
	if r.EvalDuration > 0 {
		m.TokensPerSec = float64(r.EvalCount) / r.EvalDuration.Seconds()
	}
	return m
}

// prepared is an answer's request and what went into it.
type prepared struct {
	req     *api.ChatRequest
	cl      *ollama.Client
	fit     fitResult
	sources *rag.Retrieval // nil: the chat has no documents attached
}

// prepare builds the request for answer msg: the chat's settings and model,
// the branch above msg trimmed to the context window, and, in a chat with
// documents, the sources retrieved for the question (see docs.go).
func (s *Service) prepare(ctx context.Context, chatID int64, msg store.Message) (prepared, error) {
	c, err := s.st.Chat(ctx, chatID)
	if err != nil {
		return prepared{}, err
	}
	set, err := decodeSettings(fmt.Sprintf("chat %d", chatID), c.Settings)
	if err != nil {
		return prepared{}, err
	}
	cl, err := s.client(c.Host)
	if err != nil {
		return prepared{}, err
	}
	mi, ok := s.cachedInfo(c.Host, c.Model)
	if !ok {
		if mi, err = s.show(ctx, c.Host, c.Model, ""); err != nil {
			return prepared{}, fmt.Errorf("%s", describe(c.Host, err))
		}
	}
	all, err := s.st.ChatMessages(ctx, chatID)
	if err != nil {
		return prepared{}, err
	}
	t := newTree(all)
	br := t.branch(msg.ParentID)
	imgs, err := s.branchImages(ctx, chatID, br)
	if err != nil {
		return prepared{}, err
	}
	atts, err := s.st.ChatAttachments(ctx, chatID)
	if err != nil {
		return prepared{}, err
	}
	numCtx := resolveNumCtx(set, mi.contextLength)
	fit, reserve := fitBranch(set.SystemPrompt, apiHistory(br, imgs), numCtx, len(atts) > 0)
	ka, _ := keepAlive(set.KeepAlive) // validated when stored
	p := prepared{cl: cl, fit: fit, req: &api.ChatRequest{Model: c.Model, Messages: fit.messages,
		Options: requestOptions(set, numCtx), KeepAlive: ka}}
	switch {
	case contains(mi.capabilities, "thinking"):
		p.req.Think = &api.ThinkValue{Value: set.Think}
	case set.Think:
		p.req.Think = &api.ThinkValue{Value: true} // Ollama explains it cannot
	}
	if len(atts) > 0 {
		if p.sources, err = s.withSources(ctx, p.req, atts, numCtx, reserve); err != nil {
			return prepared{}, err
		}
	}
	return p, nil
}
