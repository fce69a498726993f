package compare

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

// docs returns the document service: Options.Docs, else one over the store
// made on first use.
func (s *Service) docs() *rag.Service {
	s.docsMu.Lock()
	defer s.docsMu.Unlock()
	if s.opt.Docs == nil {
		s.opt.Docs = rag.New(s.st, rag.Options{Logger: s.log})
	}
	return s.opt.Docs
}

// checkCollection refuses a collection that does not exist.
func (s *Service) checkCollection(ctx context.Context, name string) error {
	_, err := s.docs().Collection(ctx, name)
	if errors.Is(err, rag.ErrNoCollection) {
		return fmt.Errorf("collection %q: there is no document collection of that name; "+
			"create it on the Documents page (or with wadi docs) first", name)
	}
	if err != nil {
		return fmt.Errorf("collection %q: %w", name, err)
	}
	return nil
}

// turnDocs is what a turn retrieved, shared by its columns.
type turnDocs struct {
	retrieval *rag.Retrieval // nil: the run has no collection
	err       string         // retrieval failed: every column fails with it
}

// retrieveTurn retrieves once for turn's prompt from the run's collection
// (nothing when it has none) and stores the result with the turn. The
// budget fits the smallest context among the columns after the largest
// reserve any of them needs: its system prompt, its history and room for
// the answer, as a chat with documents does.
func (s *Service) retrieveTurn(ctx context.Context, d store.CompareRunData, turn int) turnDocs {
	docs, err := s.st.CompareDocs(ctx, d.Run.ID)
	if err != nil {
		return turnDocs{err: "documents: " + err.Error()}
	}
	if docs.Collection == "" {
		return turnDocs{}
	}
	numCtx, reserve := 0, 0
	for _, c := range d.Columns {
		var set chat.Settings
		_ = json.Unmarshal([]byte(c.Settings), &set) // a bad row fails in stream, with the reason
		req := &api.ChatRequest{Model: c.Model}
		s.fillRequest(ctx, req, c.Host, set)
		n, _ := req.Options["num_ctx"].(int)
		if n <= 0 {
			n = chat.DefaultNumCtx
		}
		if numCtx == 0 || n < numCtx {
			numCtx = n
		}
		reserve = max(reserve, reserveFor(history(d, turn, c.Index, set.SystemPrompt), n))
	}
	r, err := s.docs().Retrieve(ctx, rag.RetrieveRequest{
		Question: d.Turns[turn].Prompt,
		Scopes:   []rag.Scope{{Collection: docs.Collection}},
		NumCtx:   numCtx,
		Reserve:  reserve,
	})
	if err != nil {
		if ctx.Err() != nil {
			return turnDocs{err: context.Cause(ctx).Error()}
		}
		return turnDocs{err: fmt.Sprintf("documents: retrieving from collection %q failed: %v", docs.Collection, err)}
	}
	b, err := json.Marshal(r)
	if err == nil {
		err = s.st.SetCompareRetrieval(ctx, d.Run.ID, turn, string(b))
	}
	if err != nil {
		s.log.Error("save compare retrieval", "run", d.Run.ID, "turn", turn, "err", err)
	}
	return turnDocs{retrieval: &r}
}

// reserveFor is the part of a column's context the sources may not use, as
// a chat with documents reckons it: the estimated tokens of its system
// prompt and history (every message of msgs but the last, the question,
// which the prompt builder counts), the question's role markers, and the
// answer's room (chat.AnswerRoom).
func reserveFor(msgs []api.Message, numCtx int) int {
	const perMessage = 4 // role markers, as chat's estimate
	n := perMessage + chat.AnswerRoom(numCtx)
	for _, m := range msgs[:max(len(msgs)-1, 0)] {
		n += perMessage + chat.EstimateTokens(m.Content)
	}
	return n
}

// fillRequest sets req's options the way a chat would for host (num_ctx
// resolved against the model's context length when a chat service is at
// hand, else the default).
func (s *Service) fillRequest(ctx context.Context, req *api.ChatRequest, host string, set chat.Settings) {
	if s.chats != nil {
		if err := s.chats.RequestFor(ctx, req, host, set); err != nil {
			s.log.Warn("compare: model facts unknown; using defaults", "err", err) // the chat call reports the real error
		}
		return
	}
	req.Options = chat.RequestOptions(set, 0)
	req.KeepAlive, _ = chat.KeepAlive(set) // validated when stored
}

// redactRetrieval returns r without the run's host and model names in its
// notices (an embedding host can be a column's host); nil stays nil.
func redactRetrieval(r *rag.Retrieval, d store.CompareRunData) *rag.Retrieval {
	if r == nil {
		return nil
	}
	out := *r
	out.Notices = make([]string, len(r.Notices))
	for i, n := range r.Notices {
		out.Notices[i] = redact(n, d)
	}
	return &out
}

// decodeRetrieval reads a stored retrieval (nil when absent or unreadable).
func decodeRetrieval(raw string) *rag.Retrieval {
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	var r rag.Retrieval
	if json.Unmarshal([]byte(raw), &r) != nil {
		return nil
	}
	if r.Notices == nil {
		r.Notices = []string{}
	}
	if r.Sources == nil {
		r.Sources = []rag.Retrieved{}
	}
	return &r
}
