package store

import (
	"context"
	"sort"
)

// History hit kinds.
const (
	HistoryChat    = "chat"
	HistoryCompare = "compare"
)

// HistoryHit is a chat message or a compare text (a prompt or a finished
// answer) that matches a history search.
type HistoryHit struct {
	Kind      string // HistoryChat or HistoryCompare
	ChatID    int64  // chat hits
	MessageID int64  // chat hits
	RunID     int64  // compare hits
	Turn      int    // compare hits: the turn whose text matched
	Title     string // the chat's title, or the run's first prompt
	Role      string // "user" for prompts, "assistant" for answers
	Snippet   string // matched terms between MarkStart and MarkEnd
	CreatedAt string
	Rank      float64 // FTS5 bm25: lower is more relevant
}

// SearchHistory searches chats (as SearchMessages) and compare runs (as
// SearchCompares) and merges the hits by relevance, newest first where two
// rank the same, keeping the best limit. Both indexes use the same
// tokenizer and bm25 weighting over the same kind of text (prompts and
// answers), so their ranks compare well enough to interleave; the ranks are
// computed per index, so a hit's rank is not a global score.
func (s *Store) SearchHistory(ctx context.Context, query string, limit int) ([]HistoryHit, error) {
	out := []HistoryHit{}
	match := ftsQuery(query)
	if match == "" {
		return out, nil
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	queries := []struct{ op, sql string }{
		{"search chats", `SELECT 'chat', m.chat_id, m.id, 0, 0, c.title, m.role,
				snippet(messages_fts, 0, char(2), char(3), '…', 16), m.created_at, bm25(messages_fts) ` + messagesMatching},
		{"search compare runs", `SELECT 'compare', 0, 0, compare_fts.run_id, compare_fts.turn, r.prompt,
				CASE WHEN compare_fts.col < 0 THEN 'user' ELSE 'assistant' END,
				snippet(compare_fts, 0, char(2), char(3), '…', 16), COALESCE(t.created_at, r.created_at), bm25(compare_fts)
			FROM compare_fts JOIN compare_runs r ON r.id = compare_fts.run_id
				LEFT JOIN compare_turns t ON t.run_id = compare_fts.run_id AND t.idx = compare_fts.turn
			WHERE compare_fts MATCH ?
			ORDER BY bm25(compare_fts), compare_fts.rowid DESC LIMIT ?`},
	}
	for _, q := range queries {
		rows, err := s.db.QueryContext(ctx, q.sql, match, limit)
		if err != nil {
			return nil, s.wrapErr(q.op, err)
		}
		for rows.Next() {
			var h HistoryHit
			if err := rows.Scan(&h.Kind, &h.ChatID, &h.MessageID, &h.RunID, &h.Turn, &h.Title, &h.Role,
				&h.Snippet, &h.CreatedAt, &h.Rank); err != nil {
				rows.Close()
				return nil, s.wrapErr(q.op, err)
			}
			out = append(out, h)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, s.wrapErr(q.op, err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Rank != out[j].Rank {
			return out[i].Rank < out[j].Rank
		}
		return out[i].CreatedAt > out[j].CreatedAt
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
