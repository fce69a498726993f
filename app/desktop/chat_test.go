package desktop

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

func chatApp(t *testing.T, host string) (*App, *RecordingEmitter) {
	t.Helper()
	c, err := core.Open(context.Background(), core.Options{DataDir: t.TempDir(), Host: host})
	if err != nil {
		t.Fatal(err)
	}
	a := NewApp(c, nil)
	rec := &RecordingEmitter{}
	a.emit = rec
	t.Cleanup(func() { a.stopChats(); c.Close() })
	return a, rec
}

// streamEvents waits for the final event of stream id and returns its events.
func streamEvents(t *testing.T, rec *RecordingEmitter, id string) []chat.Event {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var out []chat.Event
		for _, e := range rec.Events() {
			if ev, ok := e.Data.(chat.Event); ok && e.Name == ChatStreamEvent && ev.StreamID == id {
				out = append(out, ev)
			}
		}
		if len(out) > 0 && out[len(out)-1].Done {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream %s did not finish; events %+v", id, out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestChatBindingsAgainstRealOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny", 3)
	a, rec := chatApp(t, srv.URL)

	ms, err := a.ChatModels()
	if err != nil || len(ms) != 1 || ms[0].Name != "tiny:latest" {
		t.Fatalf("ChatModels = %+v, %v", ms, err)
	}
	v, err := a.NewChat("", "")
	if err != nil || v.Chat.Model != "tiny:latest" {
		t.Fatalf("NewChat = %+v, %v", v.Chat, err)
	}
	st, err := a.Send(v.Chat.ID, "Hi there", nil)
	if err != nil {
		t.Fatal(err)
	}
	// The JSON the window receives has the contract's field names.
	b, _ := json.Marshal(st)
	for _, f := range []string{`"streamId"`, `"chat":{"chat":{"id"`, `"siblingIds"`, `"status":"streaming"`, `"context":{"numCtx":2048`} {
		if !strings.Contains(string(b), f) {
			t.Fatalf("StreamStart JSON lacks %s: %s", f, b)
		}
	}
	evs := streamEvents(t, rec, st.StreamID)
	last := evs[len(evs)-1]
	var text strings.Builder
	for _, e := range evs {
		text.WriteString(e.Content)
	}
	v, _ = a.GetChat(v.Chat.ID)
	if last.Status != "complete" || last.Metrics == nil || v.Messages[1].Content != text.String() || text.Len() == 0 {
		t.Fatalf("final %+v; stored %q, streamed %q", last, v.Messages[1].Content, text.String())
	}
	eb, _ := json.Marshal(last)
	for _, f := range []string{`"streamId"`, `"chatId"`, `"messageId"`, `"content"`, `"thinking"`, `"done":true`, `"metrics":{"ttftMs"`, `"droppedTurns"`} {
		if !strings.Contains(string(eb), f) {
			t.Fatalf("event JSON lacks %s: %s", f, eb)
		}
	}

	st, err = a.Regenerate(v.Messages[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	streamEvents(t, rec, st.StreamID)
	v, err = a.SwitchBranch(v.Messages[1].ID)
	if err != nil || v.Messages[1].SiblingIndex != 0 || len(v.Messages[1].SiblingIDs) != 2 {
		t.Fatalf("SwitchBranch = %+v, %v", v.Messages, err)
	}
	hits, err := a.SearchHistory("there", 10)
	if err != nil || len(hits) != 1 || hits[0].Kind != "chat" || !strings.Contains(hits[0].Snippet, "\x02there\x03") {
		t.Fatalf("SearchHistory = %+v, %v", hits, err)
	}
	cs, err := a.ListChats()
	if err != nil || len(cs) != 1 || cs[0].Title != "Hi there" || cs[0].MessageCount != 3 {
		t.Fatalf("ListChats = %+v, %v", cs, err)
	}
}

// TestChatEventsAreBatched streams 600 tokens in about 0.6 s from a fake
// server: the window gets far fewer events, with every token in order.
func TestChatEventsAreBatched(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/show", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"capabilities":["completion"],"model_info":{"general.architecture":"llama","llama.context_length":4096}}`)
	})
	mux.HandleFunc("/api/chat", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 600; i++ {
			fmt.Fprintf(w, `{"message":{"role":"assistant","content":"t%d "},"done":false}`+"\n", i)
			w.(http.Flusher).Flush()
			time.Sleep(time.Millisecond)
		}
		fmt.Fprint(w, `{"message":{"role":"assistant","content":""},"done":true,"eval_count":600,"eval_duration":600000000}`+"\n")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	a, rec := chatApp(t, srv.URL)
	v, err := a.NewChat(srv.URL, "m")
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	st, err := a.Send(v.Chat.ID, "count", nil)
	if err != nil {
		t.Fatal(err)
	}
	evs := streamEvents(t, rec, st.StreamID)
	elapsed := time.Since(began)
	var text strings.Builder
	for _, e := range evs {
		text.WriteString(e.Content)
	}
	var want strings.Builder
	for i := 0; i < 600; i++ {
		fmt.Fprintf(&want, "t%d ", i)
	}
	if text.String() != want.String() {
		t.Fatal("tokens lost or reordered between the stream and the events")
	}
	// At most one event per 40 ms, plus the first and the final one.
	if max := int(elapsed/(40*time.Millisecond)) + 2; len(evs) > max {
		t.Fatalf("%d events in %v, want at most %d", len(evs), elapsed, max)
	}
	if len(evs) >= 600/4 {
		t.Fatalf("%d events for 600 tokens: not batched", len(evs))
	}
	t.Logf("600 tokens in %v -> %d events", elapsed, len(evs))
}

func TestChatBindingsWithoutOllama(t *testing.T) {
	a, _ := chatApp(t, "http://127.0.0.1:9")
	v, err := a.NewChat("http://127.0.0.1:9", "m")
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.SavePreset(chat.Preset{Name: "Terse", Settings: chat.Settings{SystemPrompt: "Be terse"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SavePreset(chat.Preset{Name: "Terse"}); err == nil || err.Error() != `preset name "Terse" is already used` {
		t.Fatalf("duplicate: %v", err)
	}
	if ps, _ := a.Presets(); len(ps) != 1 {
		t.Fatalf("presets %+v", ps)
	}
	if err := a.DeletePreset(p.ID); err != nil {
		t.Fatal(err)
	}
	if ps, err := a.Presets(); err != nil || ps == nil || len(ps) != 0 {
		t.Fatalf("presets must be an empty list, not null: %#v", ps)
	}
	if _, err := a.RenameChat(v.Chat.ID, "Renamed"); err != nil {
		t.Fatal(err)
	}
	if s, err := a.PinChat(v.Chat.ID, true); err != nil || !s.Pinned {
		t.Fatal(s, err)
	}
	if _, err := a.UpdateChatSettings(v.Chat.ID, chat.Settings{KeepAlive: "forever"}); err == nil || !strings.Contains(err.Error(), "keepAlive") {
		t.Fatalf("bad keepAlive: %v", err)
	}
	doc, err := a.ExportChat(v.Chat.ID, "json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.ImportChat(doc)
	if err != nil || s.Title != "Renamed" || !s.Pinned {
		t.Fatalf("ImportChat = %+v, %v", s, err)
	}

	dir := t.TempDir()
	saveFileDialog = func(_ context.Context, o runtime.SaveDialogOptions) (string, error) {
		if o.DefaultFilename != "Renamed.md" {
			t.Errorf("default file name %q", o.DefaultFilename)
		}
		return filepath.Join(dir, o.DefaultFilename), nil
	}
	defer func() { saveFileDialog = runtime.SaveFileDialog }()
	path, err := a.SaveChatExport(v.Chat.ID, "md")
	if b, _ := os.ReadFile(path); err != nil || !strings.HasPrefix(string(b), "# Renamed\n") {
		t.Fatalf("SaveChatExport = %q, %v", path, err)
	}
	saveFileDialog = func(context.Context, runtime.SaveDialogOptions) (string, error) { return "", nil }
	if path, err := a.SaveChatExport(v.Chat.ID, "json"); path != "" || err != nil {
		t.Fatalf("cancelled dialog = %q, %v", path, err)
	}

	if err := a.DeleteChat(v.Chat.ID); err != nil {
		t.Fatal(err)
	}
	if cs, _ := a.ListChats(); len(cs) != 1 {
		t.Fatalf("after delete: %+v", cs)
	}
	if _, err := a.UndoDeleteChat(v.Chat.ID); err != nil {
		t.Fatal(err)
	}
	if hits, err := a.SearchHistory(`" OR (`, 5); err != nil || hits == nil {
		t.Fatalf("search with FTS syntax: %#v, %v", hits, err)
	}
}

func TestOpenLink(t *testing.T) {
	var opened []string
	browserOpenURL = func(_ context.Context, u string) { opened = append(opened, u) }
	defer func() { browserOpenURL = runtime.BrowserOpenURL }()
	a := NewApp(nil, nil)
	for _, ok := range []string{"https://ollama.com/library", "http://example.org/a?b=c", "mailto:me@example.org"} {
		if err := a.OpenLink(ok); err != nil {
			t.Errorf("OpenLink(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"javascript:alert(1)", "data:text/html,<script>", "file:///etc/passwd", "JavaScript:x", "wails://app", "https://", "/relative"} {
		if err := a.OpenLink(bad); err == nil {
			t.Errorf("OpenLink(%q) must be refused", bad)
		}
	}
	if len(opened) != 3 {
		t.Fatalf("opened %v", opened)
	}
}

func TestChatBindingsWithoutData(t *testing.T) {
	a := NewApp(nil, fmt.Errorf("database is corrupt"))
	if _, err := a.ListChats(); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("ListChats = %v", err)
	}
	if _, err := a.Send(1, "x", nil); err == nil {
		t.Fatal("Send without data must fail")
	}
}
