package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ChatAttachment is a collection, or one file of it, attached to a chat.
type ChatAttachment struct {
	// CollectionID is 0 when the collection was deleted since it was
	// attached; Collection then holds the name it last had.
	CollectionID int64
	Collection   string
	FilePath     string // "" for the whole collection
}

// SetChatAttachments replaces a chat's attachments (in one transaction).
// Each one's CollectionID must be set; Collection is stored as its name.
func (s *Store) SetChatAttachments(ctx context.Context, chatID int64, atts []ChatAttachment) error {
	op := fmt.Sprintf("attach documents to chat %d", chatID)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrapErr(op, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM chat_attachments WHERE chat_id = ?`, chatID); err != nil {
		return s.wrapErr(op, err)
	}
	for _, a := range atts {
		_, err := tx.ExecContext(ctx, `INSERT INTO chat_attachments(chat_id, collection_id, collection_name, file_path)
			VALUES (?, ?, ?, ?)`, chatID, a.CollectionID, a.Collection, a.FilePath)
		if err != nil {
			return s.wrapErr(op, err)
		}
	}
	return s.wrapErr(op, tx.Commit())
}

// ChatAttachments returns a chat's attachments in the order they were set,
// including those whose collection was deleted (CollectionID 0).
func (s *Store) ChatAttachments(ctx context.Context, chatID int64) ([]ChatAttachment, error) {
	op := fmt.Sprintf("read documents of chat %d", chatID)
	rows, err := s.db.QueryContext(ctx, `SELECT COALESCE(collection_id, 0), collection_name, file_path
		FROM chat_attachments WHERE chat_id = ? ORDER BY id`, chatID)
	if err != nil {
		return nil, s.wrapErr(op, err)
	}
	defer rows.Close()
	out := []ChatAttachment{}
	for rows.Next() {
		var a ChatAttachment
		if err := rows.Scan(&a.CollectionID, &a.Collection, &a.FilePath); err != nil {
			return nil, s.wrapErr(op, err)
		}
		out = append(out, a)
	}
	return out, s.wrapErr(op, rows.Err())
}

// DropGoneAttachments removes a chat's attachments whose collection was
// deleted (after the chat has said so).
func (s *Store) DropGoneAttachments(ctx context.Context, chatID int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM chat_attachments WHERE chat_id = ? AND collection_id IS NULL`, chatID)
	return s.wrapErr(fmt.Sprintf("detach deleted collections from chat %d", chatID), err)
}

// SetMessageRetrieval stores (or replaces) what was retrieved for an
// answer: JSON text whose shape belongs to backend/rag.
func (s *Store) SetMessageRetrieval(ctx context.Context, messageID int64, data string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO message_retrievals(message_id, data) VALUES (?, ?)
		ON CONFLICT(message_id) DO UPDATE SET data = excluded.data`, messageID, data)
	return s.wrapErr(fmt.Sprintf("save the sources of message %d", messageID), err)
}

// MessageRetrievals returns the stored retrievals of a chat's messages,
// keyed by message id.
func (s *Store) MessageRetrievals(ctx context.Context, chatID int64) (map[int64]string, error) {
	op := fmt.Sprintf("read the sources of chat %d", chatID)
	rows, err := s.db.QueryContext(ctx, `SELECT r.message_id, r.data FROM message_retrievals r
		JOIN messages m ON m.id = r.message_id WHERE m.chat_id = ?`, chatID)
	if err != nil {
		return nil, s.wrapErr(op, err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, s.wrapErr(op, err)
		}
		out[id] = data
	}
	return out, s.wrapErr(op, rows.Err())
}

// CollectionHasFile reports whether path is a file of the collection.
func (s *Store) CollectionHasFile(ctx context.Context, collID int64, path string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM doc_files WHERE collection_id = ? AND path = ?`, collID, path).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, s.wrapErr("look up file "+path, err)
}

// FileCollections returns the names of the collections that hold path.
func (s *Store) FileCollections(ctx context.Context, path string) ([]string, error) {
	op := "look up file " + path
	rows, err := s.db.QueryContext(ctx, `SELECT c.name FROM doc_files f JOIN doc_collections c ON c.id = f.collection_id
		WHERE f.path = ? ORDER BY c.name`, path)
	if err != nil {
		return nil, s.wrapErr(op, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, s.wrapErr(op, err)
		}
		out = append(out, n)
	}
	return out, s.wrapErr(op, rows.Err())
}

// ChunkNeighbours is a chunk with its collection and the chunks around it
// in its file (by seq, in order).
type ChunkNeighbours struct {
	Chunk      ChunkRef
	Collection string
	Before     []DocChunk
	After      []DocChunk
}

// ChunkWithNeighbours returns chunk id with up to n chunks of the same file
// before and after it (ErrNotFound, wrapped, if there is no such chunk).
// Embeddings are not read.
func (s *Store) ChunkWithNeighbours(ctx context.Context, id int64, n int) (ChunkNeighbours, error) {
	op := fmt.Sprintf("read chunk %d", id)
	var out ChunkNeighbours
	c := &out.Chunk
	err := s.db.QueryRowContext(ctx, `SELECT k.id, k.file_id, k.seq, k.text, k.page, k.end_page, k.section,
		k.start_offset, k.end_offset, k.tokens, k.model, f.path, f.format, f.title, o.name
		FROM doc_chunks k JOIN doc_files f ON f.id = k.file_id JOIN doc_collections o ON o.id = k.collection_id
		WHERE k.id = ?`, id).Scan(&c.ID, &c.FileID, &c.Seq, &c.Text, &c.Page, &c.EndPage, &c.Section,
		&c.Start, &c.End, &c.Tokens, &c.Model, &c.Path, &c.Format, &c.Title, &out.Collection)
	if errors.Is(err, sql.ErrNoRows) {
		return out, fmt.Errorf("chunk %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return out, s.wrapErr(op, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, seq, text, page, end_page, section, start_offset, end_offset, tokens
		FROM doc_chunks WHERE file_id = ? AND seq BETWEEN ? AND ? AND id != ? ORDER BY seq, id`,
		c.FileID, c.Seq-n, c.Seq+n, c.ID)
	if err != nil {
		return out, s.wrapErr(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		k := DocChunk{FileID: c.FileID}
		if err := rows.Scan(&k.ID, &k.Seq, &k.Text, &k.Page, &k.EndPage, &k.Section, &k.Start, &k.End, &k.Tokens); err != nil {
			return out, s.wrapErr(op, err)
		}
		if k.Seq < c.Seq {
			out.Before = append(out.Before, k)
		} else {
			out.After = append(out.After, k)
		}
	}
	return out, s.wrapErr(op, rows.Err())
}
