package chat

import (
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/store"
)

// fakeClock is a manual Clock: timers fire when Advance passes them.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func (t *fakeTimer) Stop() bool { was := !t.stopped; t.stopped = true; return was }

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	keep := c.timers[:0]
	for _, t := range c.timers {
		if !t.stopped && !t.at.After(c.now) {
			due = append(due, t)
		} else if !t.stopped {
			keep = append(keep, t)
		}
	}
	c.timers = keep
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
}

func TestBatcherThousandTokensPerSecond(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1000, 0)}
	var rec recorder
	b := newBatcher(clock, 40*time.Millisecond, Event{StreamID: "s", ChatID: 1, MessageID: 2}, rec.on)
	var want strings.Builder
	for i := 0; i < 1000; i++ { // 1,000 tokens over one second
		tok := string(rune('a'+i%26)) + " "
		want.WriteString(tok)
		b.add(tok, "")
		clock.Advance(time.Millisecond)
	}
	b.add("end", "")
	want.WriteString("end")
	b.finish(Event{Status: "complete"})
	evs := rec.events()
	if len(evs) > 30 {
		t.Fatalf("%d events for a 1,000 tok/s second, want at most 30", len(evs))
	}
	if c, _ := rec.joined(); c != want.String() {
		t.Fatal("tokens lost or reordered")
	}
	if evs[0].Content != "a " {
		t.Fatalf("the first token must go out at once, got %q", evs[0].Content)
	}
	if l := evs[len(evs)-1]; !l.Done || l.Status != "complete" || l.StreamID != "s" || l.MessageID != 2 {
		t.Fatalf("final event %+v", l)
	}
	b.add("late", "")
	if len(rec.events()) != len(evs) {
		t.Fatal("an add after finish was emitted")
	}
}

func TestBatcherFlushesPendingOnTimer(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1000, 0)}
	var rec recorder
	b := newBatcher(clock, 40*time.Millisecond, Event{StreamID: "s"}, rec.on)
	b.add("a", "")
	b.add("b", "think")
	if n := len(rec.events()); n != 1 {
		t.Fatalf("%d events, want the first only", n)
	}
	clock.Advance(39 * time.Millisecond)
	if n := len(rec.events()); n != 1 {
		t.Fatal("pending text went out before the interval")
	}
	clock.Advance(time.Millisecond)
	evs := rec.events()
	if len(evs) != 2 || evs[1].Content != "b" || evs[1].Thinking != "think" || evs[1].Done {
		t.Fatalf("events %+v", evs)
	}
}

func TestFitContext(t *testing.T) {
	long := strings.Repeat("abcd", 100) // 100 tokens
	var h []api.Message
	for i := 0; i < 10; i++ {
		h = append(h, api.Message{Role: "user", Content: long}, api.Message{Role: "assistant", Content: long})
	}
	r := fitContext("be brief", h, 8192)
	if r.dropped != 0 || r.note != "" || len(r.messages) != 21 || r.messages[0].Role != "system" {
		t.Fatalf("everything fits: %+v", r.dropped)
	}
	// 1024 context - 256 reserve = 768 tokens: three turns of 208.
	r = fitContext("be brief", h, 1024)
	if r.dropped != 7 || len(r.messages) != 7 || r.messages[0].Content != "be brief" || r.messages[1].Role != "user" ||
		r.tokens > 768 || !strings.Contains(r.note, "oldest 7 turns") {
		t.Fatalf("dropped %d, %d messages, %d tokens, note %q", r.dropped, len(r.messages), r.tokens, r.note)
	}
	huge := []api.Message{{Role: "user", Content: strings.Repeat("x", 40000)}}
	r = fitContext("", huge, 2048)
	if r.dropped != 0 || len(r.messages) != 1 || !strings.Contains(r.note, "does not fit") {
		t.Fatalf("a last message that cannot fit must be sent and said: %+v", r.note)
	}
	if EstimateTokens("abcdefgh") != 2 || EstimateTokens("مرحبا") != 4 {
		t.Fatalf("estimates: %d %d", EstimateTokens("abcdefgh"), EstimateTokens("مرحبا"))
	}
}

func TestAutoTitle(t *testing.T) {
	for in, want := range map[string]string{
		"  # How do I *bake* bread?\nmore": "How do I bake bread?",
		"\n\n```\ncode\n```":               "code",
		"   ":                              DefaultTitle,
		"tab\there\x00and\u202enul":        "tab here and nul",
		"مرحبا، كيف حالك؟":                 "مرحبا، كيف حالك؟",
		strings.Repeat("word ", 30):        strings.Repeat("word ", 10) + "word…",
		strings.Repeat("x", 100):           strings.Repeat("x", 59) + "…",
	} {
		got := AutoTitle(in)
		if got != want || utf8.RuneCountInString(got) > 60 || strings.ContainsAny(got, "\n\r") {
			t.Errorf("AutoTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSettingsValidate(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	n := func(v int) *int { return &v }
	for _, tc := range []struct {
		s    Settings
		want string
	}{
		{Settings{Temperature: f(3)}, "temperature"},
		{Settings{TopP: f(-0.1)}, "topP"},
		{Settings{NumCtx: n(10)}, "numCtx"},
		{Settings{KeepAlive: "soon"}, "keepAlive"},
		{Settings{Temperature: f(0.7), TopP: f(0.9), NumCtx: n(16384), KeepAlive: "10m", Seed: n(1)}, ""},
		{Settings{KeepAlive: "-1"}, ""},
	} {
		err := tc.s.Validate()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), tc.want)) {
			t.Errorf("%+v: %v, want %q", tc.s, err, tc.want)
		}
	}
	if d, _ := keepAlive("-1"); d.Duration >= 0 {
		t.Error("-1 must keep the model loaded")
	}
	if resolveNumCtx(Settings{}, 2048) != 2048 || resolveNumCtx(Settings{}, 131072) != 8192 ||
		resolveNumCtx(Settings{}, 0) != 8192 || resolveNumCtx(Settings{NumCtx: n(4096)}, 131072) != 4096 {
		t.Error("resolveNumCtx")
	}
}

// seedChat stores a chat with two branches and an image, without Ollama.
func seedChat(t *testing.T, e *env) int64 {
	t.Helper()
	c, err := e.st.CreateChat(bg(), store.Chat{Title: "Trip <b>plan</b>", Host: "http://h:1", Model: "tiny",
		Settings: encodeSettings(Settings{SystemPrompt: "Be brief", KeepAlive: "5m"})})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := e.st.AddMessages(bg(), c.ID, []store.Message{
		{Role: "user", Content: "Plan a trip to وادي رم", Images: []store.Image{{Mime: "image/png", Data: []byte("\x89PNG fake")}}},
		{Role: "assistant", ParentID: -1, Content: "Day 1: **desert**", Thinking: "hmm", Model: "tiny",
			Metrics: `{"ttftMs":5,"loadMs":1,"promptTokens":3,"promptMs":2,"outputTokens":9,"outputMs":3,"tokensPerSec":3000,"totalMs":9}`},
		{Role: "assistant", ParentID: -1, Content: "Partial", Model: "tiny", Status: store.StatusIncomplete, Error: "stopped"},
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetChatLeaf(bg(), c.ID, ms[1].ID); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func TestExportImportRoundTrip(t *testing.T) {
	e := openEnv(t, []string{"http://h:1"}, Options{})
	id := seedChat(t, e)
	doc, err := e.svc.ExportChat(bg(), id, "json")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := e.svc.ImportChat(bg(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if sum.ID == id || sum.Title != "Trip <b>plan</b>" || sum.MessageCount != 3 {
		t.Fatalf("imported %+v", sum)
	}
	again, err := e.svc.ExportChat(bg(), sum.ID, "json")
	if err != nil {
		t.Fatal(err)
	}
	if again != doc {
		t.Fatalf("export -> import -> export changed the document:\n%s\n---\n%s", doc, again)
	}
	orig, _ := e.svc.GetChat(bg(), id)
	cp, _ := e.svc.GetChat(bg(), sum.ID)
	if len(cp.Messages) != 2 || cp.Messages[1].Content != orig.Messages[1].Content || len(cp.Messages[0].Images) != 1 ||
		cp.Messages[0].Images[0].DataURL != "data:image/png;base64,"+base64.StdEncoding.EncodeToString([]byte("\x89PNG fake")) ||
		cp.Messages[1].SiblingIndex != 0 || len(cp.Messages[1].SiblingIDs) != 2 || cp.Settings.SystemPrompt != "Be brief" {
		t.Fatalf("imported view %+v", cp)
	}

	md, err := e.svc.ExportChat(bg(), id, "md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Trip <b>plan</b>", "## You", "Plan a trip to وادي رم", "## Assistant (tiny)",
		"Day 1: **desert**", "> **Thinking**", "> hmm", "> Be brief", "_[image", "9 tokens"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "Partial") {
		t.Error("markdown must hold the branch on screen only")
	}
	if _, err := e.svc.ExportChat(bg(), id, "pdf"); err == nil || !strings.Contains(err.Error(), `format "pdf"`) {
		t.Fatalf("bad format: %v", err)
	}
}

func TestImportErrorsNameTheField(t *testing.T) {
	e := openEnv(t, []string{"http://h:1"}, Options{})
	for doc, want := range map[string]string{
		`not json`:                       "invalid JSON",
		`{"format":"other","version":1}`: `format "other"`,
		`{"format":"wadi-chat","version":2,"model":"m"}`: "version 2",
		`{"format":"wadi-chat","version":1}`:             "model",
		`{"format":"wadi-chat","version":1,"model":"m","messages":[{"id":1,"role":"robot","status":"complete"}]}`:                                              `messages[0].role "robot"`,
		`{"format":"wadi-chat","version":1,"model":"m","messages":[{"id":1,"parentId":5,"role":"user","status":"complete"}]}`:                                  "messages[0].parentId 5",
		`{"format":"wadi-chat","version":1,"model":"m","messages":[{"id":1,"role":"user","status":"complete","images":[{"mime":"image/png","base64":"!!"}]}]}`: "messages[0].images[0]",
		`{"format":"wadi-chat","version":1,"model":"m","settings":{"temperature":9}}`:                                                                          "settings.temperature",
		`{"format":"wadi-chat","version":1,"model":"m","current":3}`:                                                                                           "current 3",
	} {
		_, err := e.svc.ImportChat(bg(), doc)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("import %s: %v, want an error naming %q", doc, err, want)
		}
	}
	if cs, _ := e.svc.ListChats(bg()); len(cs) != 0 {
		t.Fatalf("a failed import left %d chats", len(cs))
	}
}

func TestChatManagement(t *testing.T) {
	e := openEnv(t, []string{"http://h:1"}, Options{})
	id := seedChat(t, e)
	if _, err := e.svc.RenameChat(bg(), id, "  \n "); err == nil || !strings.Contains(err.Error(), "title") {
		t.Fatalf("empty title: %v", err)
	}
	s, err := e.svc.RenameChat(bg(), id, "Wadi\nRum  trip")
	if err != nil || s.Title != "Wadi Rum trip" {
		t.Fatalf("rename = %+v, %v", s, err)
	}
	if s, err = e.svc.PinChat(bg(), id, true); err != nil || !s.Pinned {
		t.Fatalf("pin = %+v, %v", s, err)
	}
	hits, err := e.svc.SearchMessages(bg(), "wadi desert", 10)
	if err != nil || len(hits) != 0 {
		t.Fatalf("words in different messages: %+v, %v", hits, err)
	}
	hits, _ = e.svc.SearchMessages(bg(), "deser", 10)
	if len(hits) != 1 || hits[0].Snippet != "Day 1: **\x02desert\x03**" || hits[0].ChatTitle != "Wadi Rum trip" {
		t.Fatalf("hits %+v", hits)
	}
	if err := e.svc.DeleteChat(bg(), id); err != nil {
		t.Fatal(err)
	}
	if cs, _ := e.svc.ListChats(bg()); len(cs) != 0 {
		t.Fatal("deleted chat listed")
	}
	if _, err := e.svc.GetChat(bg(), id); err == nil {
		t.Fatal("a deleted chat must not open")
	}
	if s, err = e.svc.UndoDeleteChat(bg(), id); err != nil || s.ID != id {
		t.Fatalf("undo = %+v, %v", s, err)
	}
	v, err := e.svc.UpdateChatSettings(bg(), id, Settings{NumCtx: ptr(300)})
	if err != nil || v.Context.NumCtx != 300 || v.Context.DroppedTurns != 0 {
		t.Fatalf("settings = %+v, %v", v.Context, err)
	}
	if _, err := e.svc.UpdateChatSettings(bg(), id, Settings{TopP: ptrF(2)}); err == nil || !strings.Contains(err.Error(), "topP") {
		t.Fatalf("bad settings: %v", err)
	}

	p, err := e.svc.SavePreset(bg(), Preset{Name: " Terse ", Settings: Settings{SystemPrompt: "Be terse"}})
	if err != nil || p.ID == 0 || p.Name != "Terse" {
		t.Fatalf("preset = %+v, %v", p, err)
	}
	if _, err := e.svc.SavePreset(bg(), Preset{Name: "Terse"}); err == nil || err.Error() != `preset name "Terse" is already used` {
		t.Fatalf("duplicate preset: %v", err)
	}
	if _, err := e.svc.SavePreset(bg(), Preset{Name: ""}); err == nil || !strings.Contains(err.Error(), "preset name") {
		t.Fatalf("empty preset name: %v", err)
	}
	ps, _ := e.svc.Presets(bg())
	if len(ps) != 1 || ps[0].Settings.SystemPrompt != "Be terse" {
		t.Fatalf("presets %+v", ps)
	}
	if err := e.svc.DeletePreset(bg(), p.ID); err != nil {
		t.Fatal(err)
	}
}

func TestSendValidation(t *testing.T) {
	e := openEnv(t, []string{"http://h:1"}, Options{})
	if _, err := e.svc.NewChat(bg(), "http://other:2", "m"); err == nil || !strings.Contains(err.Error(), "not a configured") {
		t.Fatalf("unconfigured host: %v", err)
	}
	v, err := e.svc.NewChat(bg(), "http://h:1", "m")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text string
		imgs []ImageInput
		want string
	}{
		{" ", nil, "message text"},
		{"x", []ImageInput{{Mime: "text/html", Base64: "AA=="}}, `images[0].mime "text/html"`},
		{"x", []ImageInput{{Mime: "image/png", Base64: "%%%"}}, "images[0].base64"},
	} {
		if _, _, err := e.svc.Send(bg(), v.Chat.ID, tc.text, tc.imgs, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Send(%q): %v, want %q", tc.text, err, tc.want)
		}
	}
	if v, _ = e.svc.GetChat(bg(), v.Chat.ID); len(v.Messages) != 0 {
		t.Fatal("a refused prompt was stored")
	}
}

func ptr(n int) *int          { return &n }
func ptrF(f float64) *float64 { return &f }
