package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Message statuses.
const (
	StatusComplete   = "complete"
	StatusStreaming  = "streaming"
	StatusIncomplete = "incomplete"
	StatusError      = "error"
)

// Message is one message of a chat's tree. ParentID 0 means a root.
// Metrics is JSON text or "" (its shape belongs to backend/chat).
type Message struct {
	ID        int64
	ChatID    int64
	ParentID  int64
	Role      string
	Content   string
	Thinking  string
	Model     string
	Status    string
	Error     string
	Metrics   string
	CreatedAt string
	UpdatedAt string
	Images    []Image // filled by the calls that say so
}

// Image is a picture attached to a message.
type Image struct {
	ID   int64
	Mime string
	Data []byte
}

const msgCols = `id, chat_id, COALESCE(parent_id, 0), role, content, thinking, model, status, error,
	COALESCE(metrics, ''), created_at, updated_at`

func scanMessage(sc interface{ Scan(...any) error }) (Message, error) {
	var m Message
	err := sc.Scan(&m.ID, &m.ChatID, &m.ParentID, &m.Role, &m.Content, &m.Thinking, &m.Model,
		&m.Status, &m.Error, &m.Metrics, &m.CreatedAt, &m.UpdatedAt)
	return m, err
}

// AddMessages stores messages (with their images) in one transaction, in
// order, and makes the last one the chat's current leaf. A message whose
// ParentID is negative refers to an earlier message of the same call
// (-1: the first). Empty times are set to now; "" status is complete. It
// returns the stored messages with their ids. The chat's updated time is
// set to now unless touch is false.
func (s *Store) AddMessages(ctx context.Context, chatID int64, msgs []Message, touch bool) ([]Message, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.wrapErr("add messages", err)
	}
	defer tx.Rollback()
	now := Now()
	out := make([]Message, len(msgs))
	for i, m := range msgs {
		m.ChatID = chatID
		if m.ParentID < 0 {
			k := int(-m.ParentID) - 1
			if k >= i {
				return nil, fmt.Errorf("message %d: parent refers to a later message", i)
			}
			m.ParentID = out[k].ID
		}
		if m.CreatedAt == "" {
			m.CreatedAt = now
		}
		if m.UpdatedAt == "" {
			m.UpdatedAt = m.CreatedAt
		}
		if m.Status == "" {
			m.Status = StatusComplete
		}
		var metrics any
		if m.Metrics != "" {
			metrics = m.Metrics
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO messages(chat_id, parent_id, role, content, thinking, model,
			status, error, metrics, created_at, updated_at) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			chatID, m.ParentID, m.Role, m.Content, m.Thinking, m.Model, m.Status, m.Error, metrics, m.CreatedAt, m.UpdatedAt)
		if err != nil {
			return nil, s.wrapErr("add message", err)
		}
		m.ID, _ = res.LastInsertId()
		for j, im := range m.Images {
			r, err := tx.ExecContext(ctx, `INSERT INTO message_images(message_id, mime, data) VALUES (?, ?, ?)`, m.ID, im.Mime, im.Data)
			if err != nil {
				return nil, s.wrapErr("add image", err)
			}
			m.Images[j].ID, _ = r.LastInsertId()
		}
		out[i] = m
	}
	if len(out) > 0 {
		q := `UPDATE chats SET leaf_id = ? WHERE id = ?`
		args := []any{out[len(out)-1].ID, chatID}
		if touch {
			q = `UPDATE chats SET leaf_id = ?, updated_at = ? WHERE id = ?`
			args = []any{out[len(out)-1].ID, now, chatID}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return nil, s.wrapErr("add messages", err)
		}
	}
	return out, s.wrapErr("add messages", tx.Commit())
}

// Message returns one message (without images); ErrNotFound if absent.
func (s *Store) Message(ctx context.Context, id int64) (Message, error) {
	m, err := scanMessage(s.db.QueryRowContext(ctx, `SELECT `+msgCols+` FROM messages WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, fmt.Errorf("message %d: %w", id, ErrNotFound)
	}
	return m, s.wrapErr(fmt.Sprintf("read message %d", id), err)
}

// ChatMessages returns every message of a chat (all branches, without
// images or UpdatedAt) in id order, which puts parents before children.
func (s *Store) ChatMessages(ctx context.Context, chatID int64) ([]Message, error) {
	// Lean on purpose (a long chat has thousands of rows): chat_id is known
	// and updated_at is left out.
	rows, err := s.db.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), role, content, thinking, model,
		status, error, COALESCE(metrics, ''), created_at FROM messages WHERE chat_id = ? ORDER BY id`, chatID)
	if err != nil {
		return nil, s.wrapErr("read messages", err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m := Message{ChatID: chatID}
		if err := rows.Scan(&m.ID, &m.ParentID, &m.Role, &m.Content, &m.Thinking, &m.Model,
			&m.Status, &m.Error, &m.Metrics, &m.CreatedAt); err != nil {
			return nil, s.wrapErr("read messages", err)
		}
		out = append(out, m)
	}
	return out, s.wrapErr("read messages", rows.Err())
}

// Images returns the images of the given messages, keyed by message id.
func (s *Store) Images(ctx context.Context, messageIDs []int64) (map[int64][]Image, error) {
	out := map[int64][]Image{}
	if len(messageIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(messageIDs))
	for i, id := range messageIDs {
		args[i] = id
	}
	q := `SELECT id, message_id, mime, data FROM message_images WHERE message_id IN (?` +
		strings.Repeat(",?", len(args)-1) + `) ORDER BY id`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.wrapErr("read images", err)
	}
	defer rows.Close()
	for rows.Next() {
		var im Image
		var mid int64
		if err := rows.Scan(&im.ID, &mid, &im.Mime, &im.Data); err != nil {
			return nil, s.wrapErr("read images", err)
		}
		out[mid] = append(out[mid], im)
	}
	return out, s.wrapErr("read images", rows.Err())
}

// FlushMessage writes the partial text of a message being streamed and
// refreshes its updated time (the sign that its writer is alive).
func (s *Store) FlushMessage(ctx context.Context, id int64, content, thinking string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE messages SET content = ?, thinking = ?, updated_at = ?
		WHERE id = ? AND (content != ? OR thinking != ?)`, content, thinking, Now(), id, content, thinking)
	if err != nil {
		return s.wrapErr(fmt.Sprintf("save message %d", id), err)
	}
	return nil
}

// TouchMessage refreshes a streaming message's updated time without
// rewriting its text.
func (s *Store) TouchMessage(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, `UPDATE messages SET updated_at = ? WHERE id = ?`, Now(), id)
	return s.wrapErr(fmt.Sprintf("save message %d", id), err)
}

// FinishMessage writes a message's final text, status, error and metrics
// JSON ("" for none).
func (s *Store) FinishMessage(ctx context.Context, m Message) error {
	var metrics any
	if m.Metrics != "" {
		metrics = m.Metrics
	}
	_, err := s.db.ExecContext(ctx, `UPDATE messages SET content = ?, thinking = ?, status = ?, error = ?,
		metrics = ?, updated_at = ? WHERE id = ?`, m.Content, m.Thinking, m.Status, m.Error, metrics, Now(), m.ID)
	return s.wrapErr(fmt.Sprintf("save message %d", m.ID), err)
}

// RecoverStreaming marks as incomplete every message still "streaming"
// whose writer has not refreshed it for olderThan (it died: the app was
// killed mid-answer), with reason as its error. It returns how many.
func (s *Store) RecoverStreaming(ctx context.Context, olderThan time.Duration, reason string) (int, error) {
	cutoff := time.Now().Add(-olderThan).UTC().Format(TimeFormat)
	res, err := s.db.ExecContext(ctx, `UPDATE messages SET status = 'incomplete', error = ?
		WHERE status = 'streaming' AND updated_at <= ?`, reason, cutoff)
	if err != nil {
		return 0, s.wrapErr("recover interrupted answers", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// DeleteMessageTree deletes a message and all its descendants (with their
// images) and returns their ids.
func (s *Store) DeleteMessageTree(ctx context.Context, id int64) ([]int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.wrapErr("delete message", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `WITH RECURSIVE d(id) AS (
		SELECT id FROM messages WHERE id = ?
		UNION ALL SELECT m.id FROM messages m JOIN d ON m.parent_id = d.id)
		SELECT id FROM d`, id)
	if err != nil {
		return nil, s.wrapErr("delete message", err)
	}
	var ids []int64
	for rows.Next() {
		var x int64
		if err := rows.Scan(&x); err != nil {
			rows.Close()
			return nil, s.wrapErr("delete message", err)
		}
		ids = append(ids, x)
	}
	rows.Close()
	if len(ids) == 0 {
		return nil, fmt.Errorf("message %d: %w", id, ErrNotFound)
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM messages WHERE id IN (WITH RECURSIVE d(id) AS (
		SELECT id FROM messages WHERE id = ?
		UNION ALL SELECT m.id FROM messages m JOIN d ON m.parent_id = d.id)
		SELECT id FROM d)`, id)
	if err != nil {
		return nil, s.wrapErr("delete message", err)
	}
	return ids, s.wrapErr("delete message", tx.Commit())
}

// ImageMessageIDs returns the ids of a chat's messages that have images
// (cheap: no image data is read).
func (s *Store) ImageMessageIDs(ctx context.Context, chatID int64) (map[int64]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT i.message_id FROM message_images i
		JOIN messages m ON m.id = i.message_id WHERE m.chat_id = ?`, chatID)
	if err != nil {
		return nil, s.wrapErr("read images", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, s.wrapErr("read images", err)
		}
		out[id] = true
	}
	return out, s.wrapErr("read images", rows.Err())
}
