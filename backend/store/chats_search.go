package store

import (
	"context"
	"strings"
	"unicode"
)

// Search snippet markers: matched terms are wrapped in MarkStart ... MarkEnd
// (control characters, never HTML; the UI turns them into highlights).
const (
	MarkStart = "\u0002"
	MarkEnd   = "\u0003"
)

// SearchHit is one message that matches a search.
type SearchHit struct {
	ChatID    int64
	MessageID int64
	ChatTitle string
	Role      string
	Snippet   string
	CreatedAt string
}

// SearchMessages finds messages of chats that are not deleted whose text
// matches every word of query (each word also as a prefix: "wad" finds
// "wadi"), best matches first. Words are quoted, so FTS syntax characters
// in query are searched for as text and never cause an error. An empty
// query finds nothing.
func (s *Store) SearchMessages(ctx context.Context, query string, limit int) ([]SearchHit, error) {
	match := ftsQuery(query)
	if match == "" {
		return nil, nil
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.chat_id, m.id, c.title, m.role,
			snippet(messages_fts, 0, char(2), char(3), '…', 16), m.created_at `+messagesMatching, match, limit)
	if err != nil {
		return nil, s.wrapErr("search messages", err)
	}
	defer rows.Close()
	var out []SearchHit
	for rows.Next() {
		var h SearchHit
		if err := rows.Scan(&h.ChatID, &h.MessageID, &h.ChatTitle, &h.Role, &h.Snippet, &h.CreatedAt); err != nil {
			return nil, s.wrapErr("search messages", err)
		}
		out = append(out, h)
	}
	return out, s.wrapErr("search messages", rows.Err())
}

// messagesMatching finds the messages of chats not deleted that match an
// FTS5 query (first argument), most relevant first, newest first on ties,
// at most the second argument; it follows the SELECT of m (messages), c
// (chats) and messages_fts columns. SearchMessages and SearchHistory share it.
const messagesMatching = `FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid JOIN chats c ON c.id = m.chat_id
	WHERE messages_fts MATCH ? AND c.deleted_at IS NULL
	ORDER BY bm25(messages_fts), m.id DESC LIMIT ?`

// ftsQuery turns what a person typed into an FTS5 query: each word (split
// at anything the unicode61 tokenizer does not index) becomes a quoted
// prefix term, and all must match.
func ftsQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r))
	})
	var b strings.Builder
	for _, w := range words {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + strings.ReplaceAll(w, `"`, `""`) + `"*`)
	}
	return b.String()
}
