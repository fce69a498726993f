package chat

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/wadi-app/wadi/backend/store"
)

// maxImageBytes bounds one attached image.
const maxImageBytes = 20 << 20

// stream is one answer being written.
type stream struct {
	id     string
	chatID int64
	msgID  int64
	cancel context.CancelCauseFunc
	done   chan struct{}
	result store.Message // final state, set before done closes
}

// Stream is a running answer, for callers that wait for it (the CLI).
type Stream struct {
	ID string
	st *stream
}

// Done is closed once the answer is saved in its final state.
func (s Stream) Done() <-chan struct{} { return s.st.done }

// Result is the saved answer; valid after Done.
func (s Stream) Result() store.Message { return s.st.result }

// Send stores a prompt (text and images) at the end of the chat's branch,
// with an empty answer marked streaming, and starts writing the answer.
// The prompt is committed before anything is sent to Ollama. onEvent
// receives the batched stream events (may be nil).
func (s *Service) Send(ctx context.Context, chatID int64, text string, images []ImageInput, onEvent func(Event)) (StreamStart, Stream, error) {
	c, err := s.liveChat(ctx, chatID)
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	if strings.TrimSpace(text) == "" && len(images) == 0 {
		return StreamStart{}, Stream{}, errors.New("message text: must not be empty")
	}
	imgs, err := decodeImages(images)
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	if len(imgs) > 0 {
		if mi, ok := s.cachedInfo(c.Host, c.Model); ok && !contains(mi.capabilities, "vision") {
			return StreamStart{}, Stream{}, fmt.Errorf("images: model %s cannot read images (it has no vision capability)", c.Model)
		}
	}
	if err := s.busy(chatID); err != nil {
		return StreamStart{}, Stream{}, err
	}
	if c.MessageCount == 0 && c.Title == DefaultTitle {
		title := AutoTitle(text)
		if title == DefaultTitle && len(imgs) > 0 {
			title = "Image"
		}
		if err := s.st.RenameChat(ctx, chatID, title); err != nil {
			return StreamStart{}, Stream{}, err
		}
	}
	ms, err := s.st.AddMessages(ctx, chatID, []store.Message{
		{Role: "user", ParentID: c.LeafID, Content: text, Images: imgs},
		{Role: "assistant", ParentID: -1, Model: c.Model, Status: store.StatusStreaming},
	}, true)
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	return s.start(ctx, chatID, ms[1], onEvent)
}

// Regenerate writes a new answer beside an earlier one (a sibling; the old
// one is kept) and shows it.
func (s *Service) Regenerate(ctx context.Context, assistantID int64, onEvent func(Event)) (StreamStart, Stream, error) {
	m, err := s.st.Message(ctx, assistantID)
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	if m.Role != "assistant" {
		return StreamStart{}, Stream{}, fmt.Errorf("message %d is a %s message; only answers can be regenerated", assistantID, m.Role)
	}
	c, err := s.liveChat(ctx, m.ChatID)
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	if err := s.busy(c.ID); err != nil {
		return StreamStart{}, Stream{}, err
	}
	ms, err := s.st.AddMessages(ctx, c.ID, []store.Message{
		{Role: "assistant", ParentID: m.ParentID, Model: c.Model, Status: store.StatusStreaming},
	}, true)
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	return s.start(ctx, c.ID, ms[0], onEvent)
}

// Retry is Regenerate, for an answer that ended incomplete or in error.
func (s *Service) Retry(ctx context.Context, assistantID int64, onEvent func(Event)) (StreamStart, Stream, error) {
	return s.Regenerate(ctx, assistantID, onEvent)
}

// EditMessage stores an edited prompt beside the original (a sibling with
// the same images; the old branch is kept) and writes a new answer to it.
func (s *Service) EditMessage(ctx context.Context, userID int64, text string, onEvent func(Event)) (StreamStart, Stream, error) {
	m, err := s.st.Message(ctx, userID)
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	if m.Role != "user" {
		return StreamStart{}, Stream{}, fmt.Errorf("message %d is an answer; only your own messages can be edited", userID)
	}
	c, err := s.liveChat(ctx, m.ChatID)
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	imgs, err := s.st.Images(ctx, []int64{userID})
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	if strings.TrimSpace(text) == "" && len(imgs[userID]) == 0 {
		return StreamStart{}, Stream{}, errors.New("message text: must not be empty")
	}
	if err := s.busy(c.ID); err != nil {
		return StreamStart{}, Stream{}, err
	}
	ms, err := s.st.AddMessages(ctx, c.ID, []store.Message{
		{Role: "user", ParentID: m.ParentID, Content: text, Images: imgs[userID]},
		{Role: "assistant", ParentID: -1, Model: c.Model, Status: store.StatusStreaming},
	}, true)
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	return s.start(ctx, c.ID, ms[1], onEvent)
}

// Stop stops a running answer; it keeps its text and is marked incomplete.
// Stopping a stream that has already ended does nothing.
func (s *Service) Stop(streamID string) {
	s.mu.Lock()
	st := s.streams[streamID]
	s.mu.Unlock()
	if st != nil {
		st.cancel(errStopped)
		<-st.done
	}
}

// stopWhere stops the matching streams and waits until they are saved.
func (s *Service) stopWhere(match func(*stream) bool, cause error) {
	s.mu.Lock()
	var hit []*stream
	for _, st := range s.streams {
		if match(st) {
			hit = append(hit, st)
		}
	}
	s.mu.Unlock()
	for _, st := range hit {
		st.cancel(cause)
		<-st.done
	}
}

// busy refuses a second answer in a chat while one is being written.
func (s *Service) busy(chatID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.streams {
		if st.chatID == chatID {
			return fmt.Errorf("chat %d: an answer is still being written; stop it first", chatID)
		}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// decodeImages checks and decodes attached images.
func decodeImages(in []ImageInput) ([]store.Image, error) {
	var out []store.Image
	for i, im := range in {
		switch im.Mime {
		case "image/png", "image/jpeg", "image/webp", "image/gif":
		default:
			return nil, fmt.Errorf("images[%d].mime %q: use PNG, JPEG, WebP or GIF", i, im.Mime)
		}
		b64 := im.Base64
		if j := strings.Index(b64, ";base64,"); j >= 0 && strings.HasPrefix(b64, "data:") {
			b64 = b64[j+len(";base64,"):]
		}
		data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil {
			return nil, fmt.Errorf("images[%d].base64: not valid base64: %w", i, err)
		}
		if len(data) == 0 || len(data) > maxImageBytes {
			return nil, fmt.Errorf("images[%d]: %d bytes; an image must be 1 byte to %d MB", i, len(data), maxImageBytes>>20)
		}
		out = append(out, store.Image{Mime: im.Mime, Data: data})
	}
	return out, nil
}

// start registers the stream for placeholder msg and runs it in the
// background, bound to the service (not to ctx: the answer outlives the
// call that started it).
func (s *Service) start(ctx context.Context, chatID int64, msg store.Message, onEvent func(Event)) (StreamStart, Stream, error) {
	sctx, cancel := context.WithCancelCause(s.base)
	s.mu.Lock()
	s.seq++
	st := &stream{id: fmt.Sprintf("s%d-%d", msg.ID, s.seq), chatID: chatID, msgID: msg.ID, cancel: cancel, done: make(chan struct{})}
	s.streams[st.id] = st
	s.mu.Unlock()
	s.wg.Add(1)
	go s.run(sctx, st, msg, onEvent)
	v, err := s.GetChat(ctx, chatID)
	if err != nil {
		return StreamStart{}, Stream{}, err
	}
	return StreamStart{StreamID: st.id, Chat: v}, Stream{ID: st.id, st: st}, nil
}
