package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

// SetAttachments replaces the documents attached to a chat: whole
// collections (File "") or single files of them. Each collection must
// exist and each file must be in its collection; errors name them. A file
// of a collection that is also attached whole is redundant and dropped, as
// are repeats.
func (s *Service) SetAttachments(ctx context.Context, chatID int64, atts []Attachment) (View, error) {
	if _, err := s.liveChat(ctx, chatID); err != nil {
		return View{}, err
	}
	rows, err := s.resolveAttachments(ctx, atts)
	if err != nil {
		return View{}, err
	}
	if err := s.st.SetChatAttachments(ctx, chatID, rows); err != nil {
		return View{}, err
	}
	return s.GetChat(ctx, chatID)
}

// resolveAttachments checks attachments and turns them into store rows.
func (s *Service) resolveAttachments(ctx context.Context, atts []Attachment) ([]store.ChatAttachment, error) {
	var rows []store.ChatAttachment
	whole := map[int64]bool{}
	seen := map[store.ChatAttachment]bool{}
	for i, a := range atts {
		name := strings.TrimSpace(a.Collection)
		if name == "" {
			return nil, fmt.Errorf("attachments[%d].collection: must not be empty", i)
		}
		c, err := s.st.CollectionHead(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("collection %q does not exist", name)
		}
		if err != nil {
			return nil, err
		}
		r := store.ChatAttachment{CollectionID: c.ID, Collection: c.Name}
		if f := strings.TrimSpace(a.File); f != "" {
			if !filepath.IsAbs(f) {
				return nil, fmt.Errorf("file %q: must be an absolute path of a file in collection %q", a.File, name)
			}
			r.FilePath = filepath.Clean(f)
			ok, err := s.st.CollectionHasFile(ctx, c.ID, r.FilePath)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, fmt.Errorf("file %s is not in collection %q", r.FilePath, name)
			}
		} else {
			whole[c.ID] = true
		}
		if !seen[r] {
			seen[r] = true
			rows = append(rows, r)
		}
	}
	out := rows[:0]
	for _, r := range rows {
		if r.FilePath == "" || !whole[r.CollectionID] {
			out = append(out, r)
		}
	}
	return out, nil
}

// attachments returns a chat's attachments whose collection still exists.
func (s *Service) attachments(ctx context.Context, chatID int64) ([]Attachment, error) {
	rows, err := s.st.ChatAttachments(ctx, chatID)
	if err != nil {
		return nil, err
	}
	out := []Attachment{}
	for _, r := range rows {
		if r.CollectionID != 0 {
			out = append(out, Attachment{Collection: r.Collection, File: r.FilePath})
		}
	}
	return out, nil
}

// PromptTemplate returns the template that wraps the sources and the
// question of chats with documents.
func (s *Service) PromptTemplate(ctx context.Context) (TemplateInfo, error) {
	t, err := s.docs.PromptTemplate(ctx)
	if err != nil {
		return TemplateInfo{}, err
	}
	return TemplateInfo{Template: t, Default: rag.DefaultTemplate, IsDefault: t == rag.DefaultTemplate}, nil
}

// SetPromptTemplate stores the prompt template ("" restores the default);
// a template that does not render the sources and the question is refused
// (rag.ValidateTemplate).
func (s *Service) SetPromptTemplate(ctx context.Context, t string) (TemplateInfo, error) {
	if err := s.docs.SetPromptTemplate(ctx, t); err != nil {
		return TemplateInfo{}, err
	}
	return s.PromptTemplate(ctx)
}

// AnswerRoom is the part of the context kept for an answer drawn from
// sources: a quarter of it, at least 512 tokens, at most half.
func AnswerRoom(numCtx int) int { return min(max(numCtx/4, 512), numCtx/2) }

// fitBranch fits system prompt and history to the context: as fitContext,
// or, in a chat with documents, as fitWithSources (reserve is then the
// Reserve for rag.Retrieve).
func fitBranch(system string, history []api.Message, numCtx int, docs bool) (fit fitResult, reserve int) {
	if docs {
		return fitWithSources(system, history, numCtx)
	}
	return fitContext(system, history, numCtx), 0
}

// fitWithSources fits the history of a chat with documents: system prompt
// and turns get at most half of what the answer leaves (older turns are
// dropped first), the rest is for the sources. It returns the fit and the
// Reserve for rag.Retrieve: the tokens of everything sent except the
// question's text (which the retrieval prompt repeats), plus the answer's
// room.
func fitWithSources(system string, history []api.Message, numCtx int) (fitResult, int) {
	room := AnswerRoom(numCtx)
	budget := (numCtx - room) / 2
	fit := fitWithin(system, history, numCtx, budget)
	if fit.dropped > 0 && fit.tokens <= budget {
		turns := "turn was"
		if fit.dropped > 1 {
			turns = fmt.Sprintf("%d turns were", fit.dropped)
		}
		fit.note = fmt.Sprintf("To leave room for the sources in the context window (%d tokens), the oldest %s left out of the prompt.", numCtx, turns)
	}
	reserve := fit.tokens + room
	if n := len(fit.messages); n > 0 && fit.messages[n-1].Role == "user" {
		reserve -= EstimateTokens(fit.messages[n-1].Content)
	}
	return fit, reserve
}

// retrieve finds the sources for question in the chat's documents (rows
// as stored), within numCtx minus reserve. Deleted collections become a
// notice (the caller detaches them once the retrieval is saved). It
// returns nil when there is nothing to search with (no text).
func (s *Service) retrieve(ctx context.Context, rows []store.ChatAttachment, question string, numCtx, reserve int) (*rag.Retrieval, error) {
	q := strings.TrimSpace(question)
	if q == "" {
		return nil, nil
	}
	var notices []string
	var scopes []rag.Scope
	at := map[string]int{} // collection -> index in scopes
	for _, r := range rows {
		if r.CollectionID == 0 {
			notices = append(notices, fmt.Sprintf("collection %q was deleted; it is no longer attached to this chat", r.Collection))
			continue
		}
		i, ok := at[r.Collection]
		if !ok {
			i = len(scopes)
			at[r.Collection] = i
			scopes = append(scopes, rag.Scope{Collection: r.Collection})
		}
		if r.FilePath != "" {
			scopes[i].Files = append(scopes[i].Files, r.FilePath)
		}
	}
	if len(scopes) == 0 {
		ret := rag.Retrieval{Query: q, Notices: notices, NumCtx: numCtx, Sources: []rag.Retrieved{}, Prompt: question}
		return &ret, nil
	}
	ret, err := s.docs.Retrieve(ctx, rag.RetrieveRequest{Question: q, Scopes: scopes, K: s.opt.SourcesK,
		NumCtx: numCtx, Reserve: reserve})
	if err != nil {
		return nil, fmt.Errorf("search the chat's documents: %w", err)
	}
	ret.Notices = append(notices, ret.Notices...)
	return &ret, nil
}

// withSources retrieves the sources of the answer whose request is req
// (its last message is the question) and puts the retrieval prompt in the
// question's place; older turns keep their text.
func (s *Service) withSources(ctx context.Context, req *api.ChatRequest, rows []store.ChatAttachment, numCtx, reserve int) (*rag.Retrieval, error) {
	n := len(req.Messages)
	if n == 0 || req.Messages[n-1].Role != "user" {
		return nil, nil
	}
	ret, err := s.retrieve(ctx, rows, req.Messages[n-1].Content, numCtx, reserve)
	if err != nil || ret == nil {
		return ret, err
	}
	req.Messages[n-1].Content = ret.Prompt
	return ret, nil
}

// saveRetrieval stores an answer's retrieval before the answer streams,
// and detaches the deleted collections it reported.
func (s *Service) saveRetrieval(ctx context.Context, chatID, msgID int64, ret *rag.Retrieval) error {
	b, err := json.Marshal(ret)
	if err != nil {
		return fmt.Errorf("save the sources of message %d: %w", msgID, err)
	}
	if err := s.st.SetMessageRetrieval(ctx, msgID, string(b)); err != nil {
		return err
	}
	return s.st.DropGoneAttachments(ctx, chatID)
}

// retrievals reads the stored retrievals of a chat's answers.
func (s *Service) retrievals(ctx context.Context, chatID int64) (map[int64]*rag.Retrieval, error) {
	raw, err := s.st.MessageRetrievals(ctx, chatID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*rag.Retrieval, len(raw))
	for id, data := range raw {
		var r rag.Retrieval
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			s.log.Warn("stored sources unreadable", "message", id, "err", err)
			continue
		}
		out[id] = &r
	}
	return out, nil
}
