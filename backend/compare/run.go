package compare

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

// startTurn answers turn of run d in the background: columns of a serial
// host one after another in index order, everything else at once.
func (s *Service) startTurn(d store.CompareRunData, turn int, onEvent func(Event)) {
	ctx, cancel := context.WithCancelCause(s.base)
	a := &active{cancel: cancel, states: make([]string, len(d.Columns)), text: make([]partial, len(d.Columns)), done: make(chan struct{})}
	groups := map[string][]int{}
	var order []string
	for _, c := range d.Columns {
		key := fmt.Sprintf("col%d", c.Index)
		a.states[c.Index] = StateRunning
		if c.Order > 1 || s.serialHost(d, c.Host) {
			key = "host " + c.Host
			if len(groups[key]) > 0 {
				a.states[c.Index] = StateWaiting
			}
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], c.Index)
	}
	s.mu.Lock()
	s.active[d.Run.ID] = a
	s.mu.Unlock()
	var wg sync.WaitGroup
	s.wg.Add(1)
	stopSaver := make(chan struct{})
	saverDone := make(chan struct{})
	go s.saveEvery(d.Run.ID, turn, a, stopSaver, saverDone)
	go func() {
		// Retrieve once, before any column starts: every column gets the
		// same sources.
		docs := s.retrieveTurn(ctx, d, turn)
		for _, k := range order {
			wg.Add(1)
			go func(idx []int) {
				defer wg.Done()
				for _, i := range idx {
					s.answer(ctx, d, turn, i, a, docs, onEvent)
				}
			}(groups[k])
		}
		wg.Wait()
		close(stopSaver)
		<-saverDone
		cancel(nil)
		s.mu.Lock()
		delete(s.active, d.Run.ID)
		s.mu.Unlock()
		close(a.done)
		s.wg.Done()
	}()
}

// serialHost reports whether the run's columns on host were planned to run
// one after another (some column there has order > 1).
func (s *Service) serialHost(d store.CompareRunData, host string) bool {
	for _, c := range d.Columns {
		if c.Host == host && c.Order > 1 {
			return true
		}
	}
	return false
}

func (s *Service) setState(a *active, col int, st string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st != "" {
		a.states[col] = st
	}
	return a.states[col]
}

// answer streams column col's answer to turn and saves it.
func (s *Service) answer(ctx context.Context, d store.CompareRunData, turn, col int, a *active, docs turnDocs, onEvent func(Event)) {
	c := d.Columns[col]
	retrieval := docs.retrieval
	if hidden(d) {
		retrieval = redactRetrieval(retrieval, d)
	}
	first := true
	emit := func(ev chat.Event) {
		if onEvent == nil {
			return
		}
		st := ""
		if ev.Done {
			st = stateOf(ev.Status, ev.Error)
		}
		if hidden(d) {
			ev.Error = redact(ev.Error, d) // Ollama's errors name the model and host
		}
		out := Event{RunID: d.Run.ID, Turn: turn, Column: col, Content: ev.Content, Thinking: ev.Thinking,
			Done: ev.Done, Status: ev.Status, Error: ev.Error, Metrics: ev.Metrics, ColumnState: s.setState(a, col, st)}
		if first {
			out.Retrieval, first = retrieval, false
		}
		onEvent(out)
	}
	var final store.CompareAnswer
	switch {
	case ctx.Err() != nil: // stopped while waiting
		final = store.CompareAnswer{Turn: turn, Column: col, Status: store.StatusIncomplete, Error: context.Cause(ctx).Error()}
		defer emit(chat.Event{Done: true, Status: final.Status, Error: final.Error}) // after saving
	case docs.err != "":
		final = store.CompareAnswer{Turn: turn, Column: col, Status: store.StatusError, Error: docs.err}
		defer emit(chat.Event{Done: true, Status: final.Status, Error: final.Error}) // after saving
	default:
		s.setState(a, col, StateRunning)
		emit(chat.Event{Status: store.StatusStreaming})
		b := chat.NewBatcher(s.opt.Clock, s.opt.EventEvery, emit)
		var m *chat.Metrics
		final, m = s.stream(ctx, d, turn, c, a, docs.retrieval, b)
		defer b.Finish(chat.Event{Status: final.Status, Error: final.Error, Metrics: m}) // after saving
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.st.FinishCompareAnswer(sctx, d.Run.ID, final); err != nil {
		s.log.Error("save compare answer", "run", d.Run.ID, "column", col, "err", err)
	}
}

// stateOf is a column's state after an answer ended with status and err.
func stateOf(status, err string) string {
	switch {
	case status == store.StatusComplete:
		return StateDone
	case status == store.StatusStreaming:
		return StateRunning
	case err == errStopped.Error():
		return StateStopped
	}
	return StateFailed
}

// stream runs one chat call, passing the text to b, and returns the answer
// and its figures (nil if nothing came).
// With a retrieval, the turn's prompt is sent as its Prompt (the question
// with the sources).
func (s *Service) stream(ctx context.Context, d store.CompareRunData, turn int, c store.CompareColumn, a *active,
	retrieval *rag.Retrieval, b *chat.Batcher) (final store.CompareAnswer, m *chat.Metrics) {
	final = store.CompareAnswer{Turn: turn, Column: c.Index, Status: store.StatusError}
	defer func() {
		if m != nil {
			bs, _ := json.Marshal(m)
			final.Metrics = string(bs)
		}
	}()
	var set chat.Settings
	if err := json.Unmarshal([]byte(c.Settings), &set); err != nil {
		final.Error = fmt.Sprintf("column %d: stored settings are not valid JSON: %v", c.Index, err)
		return final, nil
	}
	cl, err := s.client(c.Host)
	if err != nil {
		final.Error = err.Error()
		return final, nil
	}
	msgs := history(d, turn, c.Index, set.SystemPrompt)
	if retrieval != nil && retrieval.Prompt != "" {
		msgs[len(msgs)-1].Content = retrieval.Prompt
	}
	req := &api.ChatRequest{Model: c.Model, Messages: msgs}
	s.fillRequest(ctx, req, c.Host, set)
	var content, thinking strings.Builder
	begin := time.Now()
	var ttft time.Duration
	var last *api.ChatResponse
	err = cl.API().Chat(ctx, req, func(r api.ChatResponse) error {
		if ct, th := r.Message.Content, r.Message.Thinking; ct != "" || th != "" {
			if ttft == 0 {
				ttft = time.Since(begin)
			}
			content.WriteString(ct)
			thinking.WriteString(th)
			s.addText(a, c.Index, ct, th)
			b.Add(ct, th)
		}
		if r.Done {
			last = &r
		}
		return nil
	})
	final.Content, final.Thinking = content.String(), thinking.String()
	switch {
	case ctx.Err() != nil:
		final.Status, final.Error = store.StatusIncomplete, context.Cause(ctx).Error()
	case err != nil:
		final.Status = store.StatusIncomplete
		if final.Content == "" && final.Thinking == "" {
			final.Status = store.StatusError
		}
		final.Error = chat.Describe(c.Host, err)
	case last == nil:
		final.Status = store.StatusIncomplete
		final.Error = fmt.Sprintf("the connection to Ollama at %s closed before the answer finished", c.Host)
	default:
		final.Status = store.StatusComplete
	}
	if last != nil || ttft > 0 {
		mm := chat.MetricsOf(ttft, last)
		m = &mm
	}
	return final, m
}

// history is column col's conversation up to turn: the system prompt, each
// earlier prompt with the column's answer (answers without text left out),
// then turn's prompt.
func history(d store.CompareRunData, turn, col int, system string) []api.Message {
	var out []api.Message
	if strings.TrimSpace(system) != "" {
		out = append(out, api.Message{Role: "system", Content: system})
	}
	for _, t := range d.Turns {
		if t.Index > turn {
			break
		}
		out = append(out, api.Message{Role: "user", Content: t.Prompt})
		if t.Index == turn {
			break
		}
		for _, a := range d.Answers {
			if a.Turn == t.Index && a.Column == col && a.Content != "" {
				out = append(out, api.Message{Role: "assistant", Content: a.Content})
			}
		}
	}
	return out
}

func (s *Service) addText(a *active, col int, content, thinking string) {
	s.mu.Lock()
	p := &a.text[col]
	p.content.WriteString(content)
	p.thinking.WriteString(thinking)
	p.changed = true
	s.mu.Unlock()
}

// saveEvery saves the running columns' partial text every FlushEvery and
// marks the turn's streaming answers (waiting ones too) alive, until stop.
func (s *Service) saveEvery(run int64, turn int, a *active, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(s.opt.FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		type flush struct {
			col           int
			text, thought string
		}
		var fs []flush
		s.mu.Lock()
		for i := range a.text {
			if p := &a.text[i]; p.changed {
				fs = append(fs, flush{i, p.content.String(), p.thinking.String()})
				p.changed = false
			}
		}
		s.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		for _, f := range fs {
			if err := s.st.FlushCompareAnswer(ctx, run, turn, f.col, f.text, f.thought); err != nil {
				s.log.Warn("save partial compare answer", "run", run, "err", err)
			}
		}
		if err := s.st.TouchCompareRun(ctx, run); err != nil {
			s.log.Warn("touch compare answers", "run", run, "err", err)
		}
		cancel()
	}
}
