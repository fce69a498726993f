package desktop

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/wadi-app/wadi/backend/chat"
)

// ChatStreamEvent is the event that carries streamed answers (chat.Event),
// batched by the chat service: at most one per stream every ~40 ms, plus a
// final one with done set.
const ChatStreamEvent = "chat:stream"

// Seams to the Wails runtime, replaced in tests.
var (
	browserOpenURL = runtime.BrowserOpenURL
	saveFileDialog = runtime.SaveFileDialog
)

// chatHolder owns the App's chat service, created on first use.
type chatHolder struct {
	mu  sync.Mutex
	svc *chat.Service
}

// chats returns the chat service, creating it (and recovering answers a
// killed Wadi left streaming) on first use.
func (a *App) chats(ctx context.Context) (*chat.Service, error) {
	a.chat.mu.Lock()
	defer a.chat.mu.Unlock()
	if a.chat.svc != nil {
		return a.chat.svc, nil
	}
	svc := chat.New(a.core.Store, a.core.Hosts, chat.Options{Docs: a.ragService()})
	if err := svc.Recover(ctx); err != nil {
		return nil, err
	}
	a.chat.svc = svc
	return svc, nil
}

// stopChats stops running answers (kept, marked incomplete) before the
// database closes.
func (a *App) stopChats() {
	a.chat.mu.Lock()
	svc := a.chat.svc
	a.chat.mu.Unlock()
	if svc != nil {
		svc.Close()
	}
}

// withChats runs f with a bounded context and the chat service.
func withChats[T any](a *App, f func(context.Context, *chat.Service) (T, error)) (T, error) {
	return bounded(a, func(ctx context.Context) (T, error) {
		svc, err := a.chats(ctx)
		if err != nil {
			var zero T
			return zero, err
		}
		return f(ctx, svc)
	})
}

// onStream emits a stream's batched events to the window.
func (a *App) onStream(ev chat.Event) { a.emit.Emit(ChatStreamEvent, ev) }

// ChatModels lists the installed models of every reachable host, with
// their capabilities.
func (a *App) ChatModels() ([]chat.ModelOption, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) ([]chat.ModelOption, error) { return s.ChatModels(ctx) })
}

// ListChats lists the chats: pinned first, then newest first.
func (a *App) ListChats() ([]chat.Summary, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) ([]chat.Summary, error) {
		cs, err := s.ListChats(ctx)
		if cs == nil {
			cs = []chat.Summary{}
		}
		return cs, err
	})
}

// GetChat returns a chat and the branch on screen.
func (a *App) GetChat(id int64) (chat.View, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.View, error) { return s.GetChat(ctx, id) })
}

// NewChat creates a chat; empty host and model mean the last used ones.
func (a *App) NewChat(host, model string) (chat.View, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.View, error) { return s.NewChat(ctx, host, model) })
}

// Send stores a prompt and starts its answer, streamed as chat:stream.
func (a *App) Send(chatID int64, text string, images []chat.ImageInput) (chat.StreamStart, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.StreamStart, error) {
		st, _, err := s.Send(ctx, chatID, text, images, a.onStream)
		return st, err
	})
}

// Regenerate writes a new answer beside an earlier one.
func (a *App) Regenerate(assistantMessageID int64) (chat.StreamStart, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.StreamStart, error) {
		st, _, err := s.Regenerate(ctx, assistantMessageID, a.onStream)
		return st, err
	})
}

// EditMessage stores an edited prompt beside the original and answers it.
func (a *App) EditMessage(userMessageID int64, text string) (chat.StreamStart, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.StreamStart, error) {
		st, _, err := s.EditMessage(ctx, userMessageID, text, a.onStream)
		return st, err
	})
}

// Retry writes a new answer in place of an incomplete or failed one.
func (a *App) Retry(assistantMessageID int64) (chat.StreamStart, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.StreamStart, error) {
		st, _, err := s.Retry(ctx, assistantMessageID, a.onStream)
		return st, err
	})
}

// Stop stops a running answer; its text is kept, marked incomplete.
func (a *App) Stop(streamID string) error {
	_, err := withChats(a, func(ctx context.Context, s *chat.Service) (struct{}, error) {
		s.Stop(streamID)
		return struct{}{}, nil
	})
	return err
}

// SwitchBranch shows the branch through a message version.
func (a *App) SwitchBranch(messageID int64) (chat.View, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.View, error) { return s.SwitchBranch(ctx, messageID) })
}

// DeleteMessage deletes a message and everything after it.
func (a *App) DeleteMessage(messageID int64) (chat.View, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.View, error) { return s.DeleteMessage(ctx, messageID) })
}

// RenameChat sets a chat's title.
func (a *App) RenameChat(id int64, title string) (chat.Summary, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.Summary, error) { return s.RenameChat(ctx, id, title) })
}

// PinChat pins or unpins a chat.
func (a *App) PinChat(id int64, pinned bool) (chat.Summary, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.Summary, error) { return s.PinChat(ctx, id, pinned) })
}

// DeleteChat soft-deletes a chat (UndoDeleteChat restores it).
func (a *App) DeleteChat(id int64) error {
	_, err := withChats(a, func(ctx context.Context, s *chat.Service) (struct{}, error) { return struct{}{}, s.DeleteChat(ctx, id) })
	return err
}

// UndoDeleteChat restores a soft-deleted chat.
func (a *App) UndoDeleteChat(id int64) (chat.Summary, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.Summary, error) { return s.UndoDeleteChat(ctx, id) })
}

// UpdateChatSettings stores a chat's settings.
func (a *App) UpdateChatSettings(id int64, settings chat.Settings) (chat.View, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.View, error) {
		return s.UpdateChatSettings(ctx, id, settings)
	})
}

// ExportChat returns a chat as a Markdown or JSON document.
func (a *App) ExportChat(id int64, format string) (string, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (string, error) { return s.ExportChat(ctx, id, format) })
}

// SaveChatExport asks where to save a chat's export (native dialog), writes
// it, and returns the path ("" if cancelled).
func (a *App) SaveChatExport(id int64, format string) (string, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (string, error) {
		doc, err := s.ExportChat(ctx, id, format)
		if err != nil {
			return "", err
		}
		v, err := s.GetChat(ctx, id)
		if err != nil {
			return "", err
		}
		name := fileName(v.Chat.Title) + "." + format
		path, err := saveFileDialog(a.ctx, runtime.SaveDialogOptions{
			Title:           "Export chat",
			DefaultFilename: name,
			Filters:         []runtime.FileFilter{{DisplayName: strings.ToUpper(format) + " files", Pattern: "*." + format}},
		})
		if err != nil || path == "" {
			return "", err
		}
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			return "", fmt.Errorf("export chat to %s: %w", path, err)
		}
		return path, nil
	})
}

// fileName makes a safe file name from a chat title.
func fileName(title string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?*`, r) || r < 32 {
			return '-'
		}
		return r
	}, title)
	name = strings.Trim(strings.TrimSpace(name), ".")
	if name == "" {
		return "chat"
	}
	if rs := []rune(name); len(rs) > 80 {
		name = string(rs[:80])
	}
	return name
}

// ImportChat stores a chat exported as JSON.
func (a *App) ImportChat(json string) (chat.Summary, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.Summary, error) { return s.ImportChat(ctx, json) })
}

// Presets lists the chat presets.
func (a *App) Presets() ([]chat.Preset, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) ([]chat.Preset, error) {
		ps, err := s.Presets(ctx)
		if ps == nil {
			ps = []chat.Preset{}
		}
		return ps, err
	})
}

// SavePreset creates (id 0) or updates a preset.
func (a *App) SavePreset(p chat.Preset) (chat.Preset, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.Preset, error) { return s.SavePreset(ctx, p) })
}

// DeletePreset removes a preset.
func (a *App) DeletePreset(id int64) error {
	_, err := withChats(a, func(ctx context.Context, s *chat.Service) (struct{}, error) {
		return struct{}{}, s.DeletePreset(ctx, id)
	})
	return err
}

// OpenLink opens an http, https or mailto link in the system browser; any
// other link is refused (links never open inside the app window).
func (a *App) OpenLink(link string) error {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil {
		return fmt.Errorf("link %q: %w", link, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return fmt.Errorf("link %q: no host", link)
		}
	case "mailto":
	default:
		return errors.New("link refused: only http, https and mailto links open (got " + fmt.Sprintf("%q", u.Scheme+":") + ")")
	}
	browserOpenURL(a.ctx, u.String())
	return nil
}
