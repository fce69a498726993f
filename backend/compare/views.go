package compare

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/store"
)

// hidden reports whether a run's names must not be shown: blind and not
// voted yet. Once voted, the names are revealed for good.
func hidden(d store.CompareRunData) bool { return d.Run.Blind && len(d.Votes) == 0 }

func strs(raw string) []string {
	out := []string{}
	_ = json.Unmarshal([]byte(raw), &out) // written by this package
	return out
}

// Get returns a run. While it is blind and unvoted, no host or model name
// is in it.
func (s *Service) Get(ctx context.Context, id int64) (View, error) {
	d, err := s.st.CompareRun(ctx, id)
	if err != nil {
		return View{}, err
	}
	s.mu.Lock()
	var states []string
	if a := s.active[id]; a != nil {
		states = append(states, a.states...)
	}
	s.mu.Unlock()
	docs, err := s.st.CompareDocs(ctx, id)
	if err != nil {
		return View{}, err
	}
	labels := strs(d.Run.Labels)
	v := View{ID: d.Run.ID, Prompt: d.Run.Prompt, Blind: d.Run.Blind, Tags: strs(d.Run.Tags), CreatedAt: d.Run.CreatedAt,
		Schedule: d.Run.Schedule, ScheduleNote: d.Run.ScheduleNote, Collection: docs.Collection,
		Columns: []Column{}, Turns: []Turn{}, Votes: []VoteRecord{}}
	last := len(d.Turns) - 1
	for _, c := range d.Columns {
		col := Column{Index: c.Index, Host: c.Host, Model: c.Model, Order: c.Order}
		if c.Index < len(labels) {
			col.Label = labels[c.Index]
		}
		if hidden(d) {
			col.Host, col.Model = "", ""
		}
		if states != nil {
			col.State = states[c.Index]
		}
		v.Columns = append(v.Columns, col)
	}
	for _, t := range d.Turns {
		r := decodeRetrieval(docs.Retrievals[t.Index])
		if hidden(d) {
			r = redactRetrieval(r, d)
		}
		v.Turns = append(v.Turns, Turn{Index: t.Index, Prompt: t.Prompt, Answers: []Answer{}, Retrieval: r})
	}
	for _, a := range d.Answers {
		ans := Answer{Column: a.Column, Content: a.Content, Thinking: a.Thinking, Status: a.Status, Error: a.Error}
		if a.Metrics != "" {
			var m chat.Metrics
			if json.Unmarshal([]byte(a.Metrics), &m) == nil {
				ans.Metrics = &m
			}
		}
		if hidden(d) {
			ans.Error = redact(ans.Error, d)
		}
		v.Turns[a.Turn].Answers = append(v.Turns[a.Turn].Answers, ans)
		if a.Turn == last && states == nil {
			v.Columns[a.Column].State = stateOf(a.Status, a.Error)
		}
	}
	for _, vo := range d.Votes {
		v.Votes = append(v.Votes, VoteRecord{Turn: vo.Turn, Kind: vo.Kind, Winner: vo.Winner, CreatedAt: vo.CreatedAt})
	}
	return v, nil
}

// redact removes the run's host and model names from an error text (Ollama
// errors name the model).
func redact(msg string, d store.CompareRunData) string {
	for _, c := range d.Columns {
		for _, name := range []string{c.Model, strings.TrimSuffix(c.Model, ":latest"), c.Host} {
			if name != "" {
				msg = strings.ReplaceAll(msg, name, "(hidden)")
			}
		}
	}
	return msg
}

// List lists the runs, newest first.
func (s *Service) List(ctx context.Context) ([]Summary, error) {
	ids, err := s.st.CompareRunIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, 0, len(ids))
	for _, id := range ids {
		d, err := s.st.CompareRun(ctx, id)
		if err != nil {
			return nil, err
		}
		sum := Summary{ID: id, Prompt: d.Run.Prompt, Blind: d.Run.Blind, Tags: strs(d.Run.Tags),
			CreatedAt: d.Run.CreatedAt, Models: []string{}, Voted: len(d.Votes) > 0}
		if !hidden(d) {
			for _, c := range d.Columns {
				sum.Models = append(sum.Models, c.Model)
			}
		}
		out = append(out, sum)
	}
	return out, nil
}

// CastVote stores the vote on a finished turn and returns the run (names
// revealed).
func (s *Service) CastVote(ctx context.Context, id int64, turn int, v Vote) (View, error) {
	d, err := s.st.CompareRun(ctx, id)
	if err != nil {
		return View{}, err
	}
	if turn < 0 || turn >= len(d.Turns) {
		return View{}, fmt.Errorf("turn %d: compare run %d has turns 0 to %d", turn, id, len(d.Turns)-1)
	}
	switch v.Kind {
	case VoteBetter:
		if v.Winner < 0 || v.Winner >= len(d.Columns) {
			return View{}, fmt.Errorf("vote winner %d: must be a column index from 0 to %d", v.Winner, len(d.Columns)-1)
		}
	case VoteTie, VoteAllBad:
		v.Winner = -1
	default:
		return View{}, fmt.Errorf("vote kind %q: must be better, tie or all_bad", v.Kind)
	}
	for _, a := range d.Answers {
		if a.Turn == turn && a.Status == store.StatusStreaming {
			return View{}, fmt.Errorf("turn %d is still being answered; vote when it is done", turn)
		}
	}
	err = s.st.SaveCompareVote(ctx, id, store.CompareVote{Turn: turn, Kind: v.Kind, Winner: v.Winner})
	if errors.Is(err, store.ErrDuplicate) {
		return View{}, fmt.Errorf("turn %d of compare run %d already has a vote", turn, id)
	}
	if err != nil {
		return View{}, err
	}
	return s.Get(ctx, id)
}

// ContinueAsChat makes a normal chat of column col's history and returns
// the chat's id. A blind run must be voted first (the chat names the model).
func (s *Service) ContinueAsChat(ctx context.Context, id int64, col int) (int64, error) {
	if s.chats == nil {
		return 0, errors.New("continue as chat: no chat service")
	}
	d, err := s.st.CompareRun(ctx, id)
	if err != nil {
		return 0, err
	}
	if col < 0 || col >= len(d.Columns) {
		return 0, fmt.Errorf("column %d: compare run %d has columns 0 to %d", col, id, len(d.Columns)-1)
	}
	if hidden(d) {
		return 0, errors.New("vote first: the run is blind and continuing would reveal the model")
	}
	c := d.Columns[col]
	var set chat.Settings
	if err := json.Unmarshal([]byte(c.Settings), &set); err != nil {
		return 0, fmt.Errorf("column %d: stored settings are not valid JSON: %w", col, err)
	}
	var msgs []store.Message
	for _, t := range d.Turns {
		msgs = append(msgs, store.Message{Role: "user", Content: t.Prompt})
		for _, a := range d.Answers {
			if a.Turn == t.Index && a.Column == col {
				st := a.Status
				if st == store.StatusStreaming {
					st = store.StatusIncomplete
				}
				msgs = append(msgs, store.Message{Role: "assistant", Content: a.Content, Thinking: a.Thinking,
					Model: c.Model, Status: st, Error: a.Error, Metrics: a.Metrics})
			}
		}
	}
	chatID, err := s.chats.ChatFromHistory(ctx, d.Run.Prompt, c.Host, c.Model, set, msgs)
	if err != nil {
		return 0, err
	}
	// The chat goes on answering from the run's documents.
	if docs, err := s.st.CompareDocs(ctx, id); err == nil && docs.Collection != "" {
		if _, err := s.chats.SetAttachments(ctx, chatID, []chat.Attachment{{Collection: docs.Collection}}); err != nil {
			s.log.Warn("continue as chat: documents not attached", "run", id, "collection", docs.Collection, "err", err)
		}
	}
	return chatID, nil
}

// Leaderboard ranks the models from every vote on runs tagged tag ("":
// all votes).
func (s *Service) Leaderboard(ctx context.Context, tag string) ([]LeaderRow, error) {
	rows, err := s.st.AllVotes(ctx)
	if err != nil {
		return nil, err
	}
	tag = strings.ToLower(strings.TrimSpace(tag))
	var votes []Ballot
	for _, r := range rows {
		if tag != "" && !contains(strs(r.Tags), tag) {
			continue
		}
		votes = append(votes, Ballot{Models: r.Models, Kind: r.Kind, Winner: r.Winner})
	}
	return Rank(votes), nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
