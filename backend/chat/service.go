package chat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wadi-app/wadi/backend/ollama"
	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

// Options tune a Service; zero values mean the defaults.
type Options struct {
	// FlushEvery is how often a streaming answer's partial text is saved
	// (default 1 s). A crash loses at most about this much text.
	FlushEvery time.Duration
	// EventEvery is the shortest gap between two events of one stream
	// (default 40 ms); negative sends every delta at once (the CLI).
	EventEvery time.Duration
	// StallTimeout ends a stream that receives nothing for this long
	// (default 5 min: a big model can take minutes to load).
	StallTimeout time.Duration
	// Clock drives event batching (default: the real clock).
	Clock Clock
	// Logger receives diagnostics (default slog.Default()).
	Logger *slog.Logger
	// Docs retrieves the sources of chats with documents attached (default:
	// a rag.Service of its own over the same store; share one so that each
	// collection's vector index is built once).
	Docs *rag.Service
	// SourcesK is how many chunks an answer retrieves (default 8).
	SourcesK int
}

// Service is the conversation service over one store.
type Service struct {
	st    *store.Store
	docs  *rag.Service
	hosts func(context.Context) ([]string, error)
	opt   Options
	log   *slog.Logger

	base   context.Context
	cancel context.CancelCauseFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	streams map[string]*stream
	clients ollama.Clients
	seq     int

	info modelCache
}

// Reasons a stream ended early (the message's error text).
var (
	errStopped  = errors.New("stopped")
	errShutdown = errors.New("Wadi closed before the answer finished")
	errDeleted  = errors.New("the message was deleted")
)

// crashReason is the error of an answer whose writer died (Wadi killed).
const crashReason = "Wadi stopped before the answer finished"

// New returns a Service over st; hosts lists the configured Ollama hosts
// (core.Core.Hosts). Call Recover once after opening, and Close at exit.
func New(st *store.Store, hosts func(context.Context) ([]string, error), opt Options) *Service {
	if opt.FlushEvery <= 0 {
		opt.FlushEvery = time.Second
	}
	if opt.EventEvery == 0 {
		opt.EventEvery = 40 * time.Millisecond
	}
	if opt.EventEvery < 0 {
		opt.EventEvery = 0
	}
	if opt.StallTimeout <= 0 {
		opt.StallTimeout = 5 * time.Minute
	}
	if opt.Clock == nil {
		opt.Clock = realClock{}
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Docs == nil {
		opt.Docs = rag.New(st, rag.Options{Logger: opt.Logger})
	}
	if opt.SourcesK <= 0 {
		opt.SourcesK = 8
	}
	base, cancel := context.WithCancelCause(context.Background())
	return &Service{st: st, docs: opt.Docs, hosts: hosts, opt: opt, log: opt.Logger, base: base, cancel: cancel,
		streams: map[string]*stream{}, info: newModelCache()}
}

// Recover finishes what a killed Wadi left: answers still marked streaming
// whose writer stopped refreshing them (3 flush intervals ago) become
// incomplete, and chats deleted more than 7 days ago are purged.
func (s *Service) Recover(ctx context.Context) error {
	return s.recover(ctx, 3*s.opt.FlushEvery)
}

func (s *Service) recover(ctx context.Context, staleAfter time.Duration) error {
	n, err := s.st.RecoverStreaming(ctx, staleAfter, crashReason)
	if err != nil {
		return err
	}
	if n > 0 {
		s.log.Info("marked interrupted answers incomplete", "count", n)
	}
	if _, err := s.st.PurgeDeletedChats(ctx, time.Now().Add(-7*24*time.Hour)); err != nil {
		return err
	}
	return nil
}

// Close stops every running stream (each keeps its partial answer, marked
// incomplete) and waits up to 5 s for them to be saved.
func (s *Service) Close() {
	s.cancel(errShutdown)
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.log.Warn("chat streams did not finish saving in time")
	}
}

// client returns the cached client for host.
func (s *Service) client(host string) (*ollama.Client, error) { return s.clients.Get(host) }

// checkHost refuses a host that is not configured.
func (s *Service) checkHost(ctx context.Context, host string) error {
	hs, err := s.hosts(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(hs, host) {
		return fmt.Errorf("host %q is not a configured Ollama host", host)
	}
	return nil
}

// lastUsed is the setting that remembers the last chosen model.
type lastUsed struct {
	Host  string `json:"host"`
	Model string `json:"model"`
}

const lastUsedKey = "chat.lastModel"

// NewChat creates an empty chat on host/model. Empty host and model mean the
// last used ones (or else the first model found); a model without host is
// looked up on the configured hosts.
func (s *Service) NewChat(ctx context.Context, host, model string) (View, error) {
	host, model = strings.TrimSpace(host), strings.TrimSpace(model)
	fromLast := false
	if host == "" && model == "" {
		var lu lastUsed
		if err := s.st.GetSetting(ctx, lastUsedKey, &lu); err == nil && lu.Model != "" {
			host, model, fromLast = lu.Host, lu.Model, true
		}
	}
	switch {
	case model == "" && host == "":
		opts, err := s.ChatModels(ctx)
		if err != nil {
			return View{}, err
		}
		for _, o := range opts {
			if slices.Contains(o.Capabilities, "completion") {
				host, model = o.Host, o.Name
				break
			}
		}
		if model == "" {
			return View{}, errors.New("model: no chat model is installed on any reachable Ollama host")
		}
	case model == "":
		return View{}, errors.New("model: choose a model")
	case host == "":
		h, name, err := s.FindModel(ctx, model)
		if err != nil {
			return View{}, err
		}
		host, model = h, name
	}
	if err := s.checkHost(ctx, host); err != nil {
		if !fromLast {
			return View{}, err
		}
		// The remembered host was removed since: look the model up.
		if host, model, err = s.FindModel(ctx, model); err != nil {
			return View{}, err
		}
	}
	c, err := s.st.CreateChat(ctx, store.Chat{Title: DefaultTitle, Host: host, Model: model, Settings: encodeSettings(Settings{})})
	if err != nil {
		return View{}, err
	}
	if err := s.st.SetSetting(ctx, lastUsedKey, lastUsed{host, model}); err != nil {
		return View{}, err
	}
	return s.GetChat(ctx, c.ID)
}

// FindModel finds model (a name, ":latest" optional) on the configured
// hosts, in order, and returns the host and the installed name.
func (s *Service) FindModel(ctx context.Context, model string) (host, name string, err error) {
	hs, err := s.hosts(ctx)
	if err != nil {
		return "", "", err
	}
	var errs []string
	for _, h := range hs {
		cl, err := s.client(h)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		ms, err := cl.List(lctx)
		cancel()
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		for _, m := range ms {
			if m.Name == model || m.Name == model+":latest" {
				return h, m.Name, nil
			}
		}
	}
	msg := fmt.Sprintf("model %q is not installed on any configured Ollama host", model)
	if len(errs) > 0 {
		msg += " (" + strings.Join(errs, "; ") + ")"
	}
	return "", "", errors.New(msg)
}

// summary converts a stored chat.
func summary(c store.Chat) Summary {
	return Summary{ID: c.ID, Title: c.Title, Host: c.Host, Model: c.Model, Pinned: c.Pinned,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, MessageCount: c.MessageCount}
}

// liveChat returns a chat that exists and is not deleted.
func (s *Service) liveChat(ctx context.Context, id int64) (store.Chat, error) {
	c, err := s.st.Chat(ctx, id)
	if err != nil {
		return store.Chat{}, err
	}
	if c.DeletedAt != "" {
		return store.Chat{}, fmt.Errorf("chat %d is deleted", id)
	}
	return c, nil
}

// ListChats lists the chats not deleted: pinned first, then newest first.
func (s *Service) ListChats(ctx context.Context) ([]Summary, error) {
	cs, err := s.st.Chats(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, len(cs))
	for i, c := range cs {
		out[i] = summary(c)
	}
	return out, nil
}

// RenameChat sets a chat's title (one line, not empty, at most 200
// characters).
func (s *Service) RenameChat(ctx context.Context, id int64, title string) (Summary, error) {
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		return Summary{}, errors.New("title: must not be empty")
	}
	if len([]rune(title)) > 200 {
		return Summary{}, errors.New("title: at most 200 characters")
	}
	if err := s.st.RenameChat(ctx, id, title); err != nil {
		return Summary{}, err
	}
	c, err := s.st.Chat(ctx, id)
	return summary(c), err
}

// PinChat pins or unpins a chat.
func (s *Service) PinChat(ctx context.Context, id int64, pinned bool) (Summary, error) {
	if err := s.st.PinChat(ctx, id, pinned); err != nil {
		return Summary{}, err
	}
	c, err := s.st.Chat(ctx, id)
	return summary(c), err
}

// DeleteChat soft-deletes a chat (UndoDeleteChat restores it; purged after
// 7 days), stopping its running answer first.
func (s *Service) DeleteChat(ctx context.Context, id int64) error {
	s.stopWhere(func(st *stream) bool { return st.chatID == id }, errDeleted)
	return s.st.SoftDeleteChat(ctx, id)
}

// UndoDeleteChat restores a soft-deleted chat.
func (s *Service) UndoDeleteChat(ctx context.Context, id int64) (Summary, error) {
	if err := s.st.UndeleteChat(ctx, id); err != nil {
		return Summary{}, err
	}
	c, err := s.st.Chat(ctx, id)
	return summary(c), err
}

// UpdateChatSettings validates and stores a chat's settings.
func (s *Service) UpdateChatSettings(ctx context.Context, id int64, set Settings) (View, error) {
	if err := set.Validate(); err != nil {
		return View{}, err
	}
	if _, err := s.liveChat(ctx, id); err != nil {
		return View{}, err
	}
	if err := s.st.SetChatSettings(ctx, id, encodeSettings(set)); err != nil {
		return View{}, err
	}
	return s.GetChat(ctx, id)
}

// SearchMessages searches every chat's messages (see store.SearchMessages).
func (s *Service) SearchMessages(ctx context.Context, query string, limit int) ([]SearchHit, error) {
	hs, err := s.st.SearchMessages(ctx, query, limit)
	if err != nil {
		return nil, err
	}
	out := make([]SearchHit, len(hs))
	for i, h := range hs {
		out[i] = SearchHit{ChatID: h.ChatID, MessageID: h.MessageID, ChatTitle: h.ChatTitle,
			Role: h.Role, Snippet: h.Snippet, CreatedAt: h.CreatedAt}
	}
	return out, nil
}

// Presets lists the presets by name.
func (s *Service) Presets(ctx context.Context) ([]Preset, error) {
	ps, err := s.st.Presets(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Preset, 0, len(ps))
	for _, p := range ps {
		set, err := decodeSettings(fmt.Sprintf("preset %q", p.Name), p.Settings)
		if err != nil {
			return nil, err
		}
		out = append(out, Preset{ID: p.ID, Name: p.Name, Settings: set})
	}
	return out, nil
}

// SavePreset creates (ID 0) or updates a preset; names are unique.
func (s *Service) SavePreset(ctx context.Context, p Preset) (Preset, error) {
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	if p.Name == "" {
		return Preset{}, errors.New("preset name: must not be empty")
	}
	if err := p.Settings.Validate(); err != nil {
		return Preset{}, fmt.Errorf("preset %q: %w", p.Name, err)
	}
	sp, err := s.st.SavePreset(ctx, store.Preset{ID: p.ID, Name: p.Name, Settings: encodeSettings(p.Settings)})
	if errors.Is(err, store.ErrDuplicate) {
		return Preset{}, fmt.Errorf("preset name %q is already used", p.Name)
	}
	if err != nil {
		return Preset{}, err
	}
	p.ID = sp.ID
	return p, nil
}

// DeletePreset removes a preset.
func (s *Service) DeletePreset(ctx context.Context, id int64) error {
	return s.st.DeletePreset(ctx, id)
}

// SetChatModel sets the host and model that a chat's next answers use.
func (s *Service) SetChatModel(ctx context.Context, id int64, host, model string) (View, error) {
	if err := s.checkHost(ctx, host); err != nil {
		return View{}, err
	}
	if strings.TrimSpace(model) == "" {
		return View{}, errors.New("model: choose a model")
	}
	if _, err := s.liveChat(ctx, id); err != nil {
		return View{}, err
	}
	if err := s.st.SetChatModel(ctx, id, host, model); err != nil {
		return View{}, err
	}
	if err := s.st.SetSetting(ctx, lastUsedKey, lastUsed{host, model}); err != nil {
		return View{}, err
	}
	return s.GetChat(ctx, id)
}
