package chat

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/wadi-app/wadi/backend/store"
)

// tree is a chat's messages indexed by id and by parent.
type tree struct {
	msgs     []store.Message
	byID     map[int64]int     // id -> index in msgs
	children map[int64][]int64 // parent id (0: roots) -> child ids, oldest first
}

func newTree(ms []store.Message) tree {
	t := tree{msgs: ms, byID: make(map[int64]int, len(ms)), children: map[int64][]int64{}}
	for i, m := range ms { // id order: children lists come out sorted
		t.byID[m.ID] = i
		t.children[m.ParentID] = append(t.children[m.ParentID], m.ID)
	}
	return t
}

// latestLeaf follows the newest child from id down to a leaf.
func (t tree) latestLeaf(id int64) int64 {
	for {
		kids := t.children[id]
		if len(kids) == 0 {
			return id
		}
		id = kids[len(kids)-1]
	}
}

// branch returns the messages from the root down to leaf. A leaf that is
// unknown (0 or deleted) falls back to the newest root's latest leaf.
func (t tree) branch(leaf int64) []store.Message {
	if _, ok := t.byID[leaf]; !ok {
		roots := t.children[0]
		if len(roots) == 0 {
			return nil
		}
		leaf = t.latestLeaf(roots[len(roots)-1])
	}
	// Walk up collecting ids (cheap), then copy each message once.
	ids := make([]int, 0, 64)
	for id := leaf; id != 0; {
		i, ok := t.byID[id]
		if !ok {
			break
		}
		ids = append(ids, i)
		id = t.msgs[i].ParentID
	}
	out := make([]store.Message, len(ids))
	for k, i := range ids {
		out[len(ids)-1-k] = t.msgs[i]
	}
	return out
}

// GetChat returns a chat with its settings and the branch on screen.
func (s *Service) GetChat(ctx context.Context, id int64) (View, error) {
	c, err := s.liveChat(ctx, id)
	if err != nil {
		return View{}, err
	}
	all, err := s.st.ChatMessages(ctx, id)
	if err != nil {
		return View{}, err
	}
	if s.orphanStreaming(all) {
		// Left by a Wadi killed moments ago (Recover ran before it went
		// stale): recover now, so the answer does not show as streaming
		// forever. A live writer in another process keeps its row fresh.
		if n, err := s.st.RecoverStreaming(ctx, 3*s.opt.FlushEvery, crashReason); err == nil && n > 0 {
			if all, err = s.st.ChatMessages(ctx, id); err != nil {
				return View{}, err
			}
		}
	}
	return s.view(ctx, c, newTree(all))
}

// orphanStreaming reports whether a message is marked streaming that no
// stream of this service is writing.
func (s *Service) orphanStreaming(ms []store.Message) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range ms {
		if m.Status != store.StatusStreaming {
			continue
		}
		ours := false
		for _, st := range s.streams {
			ours = ours || st.msgID == m.ID
		}
		if !ours {
			return true
		}
	}
	return false
}

func (s *Service) view(ctx context.Context, c store.Chat, t tree) (View, error) {
	set, err := decodeSettings("chat settings", c.Settings)
	if err != nil {
		s.log.Warn("chat settings unreadable; using defaults", "chat", c.ID, "err", err)
	}
	br := t.branch(c.LeafID)
	imgs, err := s.branchImages(ctx, c.ID, br)
	if err != nil {
		return View{}, err
	}
	rets, err := s.retrievals(ctx, c.ID)
	if err != nil {
		return View{}, err
	}
	atts, err := s.attachments(ctx, c.ID)
	if err != nil {
		return View{}, err
	}
	v := View{Chat: summary(c), Settings: set, Messages: make([]Message, 0, len(br)), Attachments: atts}
	for _, m := range br {
		msg := toMessage(m, imgs[m.ID], t.children[m.ParentID])
		msg.Retrieval = rets[m.ID]
		v.Messages = append(v.Messages, msg)
	}
	mi, _ := s.cachedInfo(c.Host, c.Model)
	numCtx := resolveNumCtx(set, mi.contextLength)
	fit, _ := fitBranch(set.SystemPrompt, apiHistory(br, imgs), numCtx, len(atts) > 0)
	v.Context = ContextInfo{NumCtx: numCtx, EstimatedTokens: fit.tokens, DroppedTurns: fit.dropped, Note: fit.note}
	return v, nil
}

// branchImages reads the images of the branch's messages (asking first
// which messages have any, so a long chat does not send a long id list).
func (s *Service) branchImages(ctx context.Context, chatID int64, br []store.Message) (map[int64][]store.Image, error) {
	with, err := s.st.ImageMessageIDs(ctx, chatID)
	if err != nil || len(with) == 0 {
		return map[int64][]store.Image{}, err
	}
	var ids []int64
	for _, m := range br {
		if with[m.ID] {
			ids = append(ids, m.ID)
		}
	}
	return s.st.Images(ctx, ids)
}

func toMessage(m store.Message, imgs []store.Image, siblings []int64) Message {
	out := Message{ID: m.ID, ChatID: m.ChatID, Role: m.Role, Content: m.Content, Thinking: m.Thinking,
		Model: m.Model, Status: m.Status, Error: m.Error, CreatedAt: m.CreatedAt, Images: []Image{},
		SiblingIDs: siblings}
	if m.ParentID != 0 {
		p := m.ParentID
		out.ParentID = &p
	}
	for i, id := range siblings {
		if id == m.ID {
			out.SiblingIndex = i
		}
	}
	if out.SiblingIDs == nil {
		out.SiblingIDs = []int64{m.ID}
	}
	for _, im := range imgs {
		out.Images = append(out.Images, Image{ID: im.ID, Mime: im.Mime,
			DataURL: "data:" + im.Mime + ";base64," + base64.StdEncoding.EncodeToString(im.Data)})
	}
	if m.Metrics != "" {
		var mt Metrics
		if json.Unmarshal([]byte(m.Metrics), &mt) == nil {
			out.Metrics = &mt
		}
	}
	return out
}

// messageTree loads message id, its chat (which must not be deleted) and
// the chat's message tree.
func (s *Service) messageTree(ctx context.Context, id int64) (store.Message, store.Chat, tree, error) {
	m, err := s.st.Message(ctx, id)
	if err != nil {
		return store.Message{}, store.Chat{}, tree{}, err
	}
	c, err := s.liveChat(ctx, m.ChatID)
	if err != nil {
		return store.Message{}, store.Chat{}, tree{}, err
	}
	all, err := s.st.ChatMessages(ctx, c.ID)
	if err != nil {
		return store.Message{}, store.Chat{}, tree{}, err
	}
	return m, c, newTree(all), nil
}

// SwitchBranch shows the branch through message id (down to its latest
// leaf) and returns the chat.
func (s *Service) SwitchBranch(ctx context.Context, id int64) (View, error) {
	_, c, t, err := s.messageTree(ctx, id)
	if err != nil {
		return View{}, err
	}
	c.LeafID = t.latestLeaf(id)
	if err := s.st.SetChatLeaf(ctx, c.ID, c.LeafID); err != nil {
		return View{}, err
	}
	return s.view(ctx, c, t)
}

// DeleteMessage deletes a message and everything after it on every branch
// (stopping an answer being written there). The chat then shows the newest
// remaining version of that message, or its parent.
func (s *Service) DeleteMessage(ctx context.Context, id int64) (View, error) {
	m, c, t, err := s.messageTree(ctx, id)
	if err != nil {
		return View{}, err
	}
	doomed := map[int64]bool{}
	stack := []int64{id}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		doomed[x] = true
		stack = append(stack, t.children[x]...)
	}
	s.stopWhere(func(st *stream) bool { return doomed[st.msgID] }, errDeleted)
	if _, err := s.st.DeleteMessageTree(ctx, id); err != nil {
		return View{}, err
	}
	all, err := s.st.ChatMessages(ctx, c.ID)
	if err != nil {
		return View{}, err
	}
	t = newTree(all)
	leaf := m.ParentID
	if sib := t.children[m.ParentID]; len(sib) > 0 {
		leaf = t.latestLeaf(sib[len(sib)-1])
	}
	c.LeafID = leaf
	if err := s.st.SetChatLeaf(ctx, c.ID, leaf); err != nil {
		return View{}, err
	}
	if c, err = s.st.Chat(ctx, c.ID); err != nil {
		return View{}, err
	}
	return s.view(ctx, c, t)
}
