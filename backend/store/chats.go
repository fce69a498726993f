package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TimeFormat is how the store writes timestamps: UTC, millisecond
// precision, sortable as text.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Now returns the current time in TimeFormat.
func Now() string { return time.Now().UTC().Format(TimeFormat) }

// Chat is one conversation. Settings is the chat's settings as JSON text
// (its shape belongs to backend/chat). LeafID is the last message of the
// branch on screen (0: none).
type Chat struct {
	ID           int64
	Title        string
	Host         string
	Model        string
	Settings     string
	Pinned       bool
	LeafID       int64
	CreatedAt    string
	UpdatedAt    string
	DeletedAt    string // "" unless soft-deleted
	MessageCount int
}

const chatCols = `c.id, c.title, c.host, c.model, c.settings, c.pinned, COALESCE(c.leaf_id, 0),
	c.created_at, c.updated_at, COALESCE(c.deleted_at, ''),
	(SELECT COUNT(*) FROM messages m WHERE m.chat_id = c.id)`

func scanChat(sc interface{ Scan(...any) error }) (Chat, error) {
	var c Chat
	err := sc.Scan(&c.ID, &c.Title, &c.Host, &c.Model, &c.Settings, &c.Pinned, &c.LeafID,
		&c.CreatedAt, &c.UpdatedAt, &c.DeletedAt, &c.MessageCount)
	return c, err
}

// CreateChat stores a new chat and returns it with its id. Empty times are
// set to now; Settings "" is stored as "{}".
func (s *Store) CreateChat(ctx context.Context, c Chat) (Chat, error) {
	if c.CreatedAt == "" {
		c.CreatedAt = Now()
	}
	if c.UpdatedAt == "" {
		c.UpdatedAt = c.CreatedAt
	}
	if c.Settings == "" {
		c.Settings = "{}"
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO chats(title, host, model, settings, pinned, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Title, c.Host, c.Model, c.Settings, c.Pinned, c.CreatedAt, c.UpdatedAt)
	if err != nil {
		return Chat{}, s.wrapErr("create chat", err)
	}
	id, _ := res.LastInsertId()
	return s.Chat(ctx, id)
}

// Chat returns one chat, soft-deleted or not; ErrNotFound (wrapped) if it
// does not exist.
func (s *Store) Chat(ctx context.Context, id int64) (Chat, error) {
	c, err := scanChat(s.db.QueryRowContext(ctx, `SELECT `+chatCols+` FROM chats c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Chat{}, fmt.Errorf("chat %d: %w", id, ErrNotFound)
	}
	return c, s.wrapErr(fmt.Sprintf("read chat %d", id), err)
}

// Chats lists the chats that are not soft-deleted: pinned first, then the
// most recently updated first.
func (s *Store) Chats(ctx context.Context) ([]Chat, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+chatCols+` FROM chats c
		WHERE c.deleted_at IS NULL ORDER BY c.pinned DESC, c.updated_at DESC, c.id DESC`)
	if err != nil {
		return nil, s.wrapErr("list chats", err)
	}
	defer rows.Close()
	var out []Chat
	for rows.Next() {
		c, err := scanChat(rows)
		if err != nil {
			return nil, s.wrapErr("list chats", err)
		}
		out = append(out, c)
	}
	return out, s.wrapErr("list chats", rows.Err())
}

// updateChat runs one UPDATE on chat id and reports ErrNotFound if no row
// matched.
func (s *Store) updateChat(ctx context.Context, op string, id int64, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, query, append(args, id)...)
	if err != nil {
		return s.wrapErr(fmt.Sprintf("%s chat %d", op, id), err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("chat %d: %w", id, ErrNotFound)
	}
	return nil
}

// RenameChat sets a chat's title.
func (s *Store) RenameChat(ctx context.Context, id int64, title string) error {
	return s.updateChat(ctx, "rename", id, `UPDATE chats SET title = ?, updated_at = ? WHERE id = ?`, title, Now())
}

// PinChat pins or unpins a chat (its updated time is kept: pinning is not
// an edit).
func (s *Store) PinChat(ctx context.Context, id int64, pinned bool) error {
	return s.updateChat(ctx, "pin", id, `UPDATE chats SET pinned = ? WHERE id = ?`, pinned)
}

// SetChatSettings stores a chat's settings JSON.
func (s *Store) SetChatSettings(ctx context.Context, id int64, settings string) error {
	return s.updateChat(ctx, "update settings of", id, `UPDATE chats SET settings = ?, updated_at = ? WHERE id = ?`, settings, Now())
}

// SetChatModel sets the host and model that new answers in the chat use.
func (s *Store) SetChatModel(ctx context.Context, id int64, host, model string) error {
	return s.updateChat(ctx, "set model of", id, `UPDATE chats SET host = ?, model = ? WHERE id = ?`, host, model)
}

// SetChatLeaf sets the message whose branch the chat shows (0: none).
func (s *Store) SetChatLeaf(ctx context.Context, id, leaf int64) error {
	return s.updateChat(ctx, "set branch of", id, `UPDATE chats SET leaf_id = NULLIF(?, 0) WHERE id = ?`, leaf)
}

// SoftDeleteChat marks a chat deleted; UndeleteChat brings it back.
func (s *Store) SoftDeleteChat(ctx context.Context, id int64) error {
	return s.updateChat(ctx, "delete", id, `UPDATE chats SET deleted_at = ? WHERE id = ?`, Now())
}

// UndeleteChat clears a chat's soft delete.
func (s *Store) UndeleteChat(ctx context.Context, id int64) error {
	return s.updateChat(ctx, "restore", id, `UPDATE chats SET deleted_at = NULL WHERE id = ?`)
}

// PurgeDeletedChats removes for good the chats soft-deleted before cutoff,
// with their messages and images, and returns how many.
func (s *Store) PurgeDeletedChats(ctx context.Context, cutoff time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM chats WHERE deleted_at IS NOT NULL AND deleted_at < ?`,
		cutoff.UTC().Format(TimeFormat))
	if err != nil {
		return 0, s.wrapErr("purge deleted chats", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Preset is a named set of chat settings (JSON text).
type Preset struct {
	ID       int64
	Name     string
	Settings string
}

// Presets lists the presets by name.
func (s *Store) Presets(ctx context.Context) ([]Preset, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, settings FROM presets ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, s.wrapErr("list presets", err)
	}
	defer rows.Close()
	var out []Preset
	for rows.Next() {
		var p Preset
		if err := rows.Scan(&p.ID, &p.Name, &p.Settings); err != nil {
			return nil, s.wrapErr("list presets", err)
		}
		out = append(out, p)
	}
	return out, s.wrapErr("list presets", rows.Err())
}

// SavePreset creates (ID 0) or updates a preset and returns it. A name
// already used by another preset gives ErrDuplicate (wrapped); an unknown
// ID gives ErrNotFound.
func (s *Store) SavePreset(ctx context.Context, p Preset) (Preset, error) {
	var taken int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM presets WHERE name = ? AND id != ?`, p.Name, p.ID).Scan(&taken)
	if err == nil {
		return Preset{}, fmt.Errorf("preset name %q: %w", p.Name, ErrDuplicate)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return Preset{}, s.wrapErr("save preset", err)
	}
	if p.ID == 0 {
		res, err := s.db.ExecContext(ctx, `INSERT INTO presets(name, settings) VALUES (?, ?)`, p.Name, p.Settings)
		if err != nil {
			return Preset{}, s.wrapErr("save preset", err)
		}
		p.ID, _ = res.LastInsertId()
		return p, nil
	}
	res, err := s.db.ExecContext(ctx, `UPDATE presets SET name = ?, settings = ? WHERE id = ?`, p.Name, p.Settings, p.ID)
	if err != nil {
		return Preset{}, s.wrapErr("save preset", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Preset{}, fmt.Errorf("preset %d: %w", p.ID, ErrNotFound)
	}
	return p, nil
}

// DeletePreset removes a preset; ErrNotFound (wrapped) if absent.
func (s *Store) DeletePreset(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM presets WHERE id = ?`, id)
	if err != nil {
		return s.wrapErr("delete preset", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("preset %d: %w", id, ErrNotFound)
	}
	return nil
}
