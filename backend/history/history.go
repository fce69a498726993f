// Package history is the search over everything a person asked and was
// answered: chat messages and compare runs, merged into one list for the
// window's search dialog and `wadi history search`. It lives apart from
// backend/chat and backend/compare so that neither depends on the other.
package history

import (
	"context"

	"github.com/wadi-app/wadi/backend/store"
)

// Hit kinds.
const (
	KindChat    = store.HistoryChat
	KindCompare = store.HistoryCompare
)

// Hit is one matching chat message or compare text. Chat hits set ChatID
// and MessageID, compare hits RunID (and Turn); Snippet is plain text with
// the matched terms between store.MarkStart and store.MarkEnd.
type Hit struct {
	Kind      string `json:"kind"` // "chat" | "compare"
	ChatID    int64  `json:"chatId"`
	MessageID int64  `json:"messageId"`
	RunID     int64  `json:"runId"`
	Turn      int    `json:"turn"`
	Title     string `json:"title"` // the chat's title, or the run's first prompt
	Role      string `json:"role"`  // "user" or "assistant"
	Snippet   string `json:"snippet"`
	CreatedAt string `json:"createdAt"`
}

// Search finds chat messages (of chats not deleted) and compare prompts
// and finished answers matching every word of query (words also as
// prefixes), most relevant first by FTS5's bm25 over both indexes, newest
// first where the rank is the same; at most limit (default 50). It never
// returns nil. Compare hits carry no model or host name, so they are safe
// for blind runs.
func Search(ctx context.Context, st *store.Store, query string, limit int) ([]Hit, error) {
	hs, err := st.SearchHistory(ctx, query, limit)
	if err != nil {
		return []Hit{}, err
	}
	out := make([]Hit, len(hs))
	for i, h := range hs {
		out[i] = Hit{Kind: h.Kind, ChatID: h.ChatID, MessageID: h.MessageID, RunID: h.RunID, Turn: h.Turn,
			Title: h.Title, Role: h.Role, Snippet: h.Snippet, CreatedAt: h.CreatedAt}
	}
	return out, nil
}
