package chat

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wadi-app/wadi/backend/store"
)

// TestThinkingAndImages uses a fake server for what the tiny test model
// cannot do (think, see): the thinking stream is stored apart from the
// answer, and images travel with the prompt and are stored with it.
func TestThinkingAndImages(t *testing.T) {
	var mu sync.Mutex
	var reqs []map[string]any
	mux := http.NewServeMux()
	mux.HandleFunc("/api/show", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"capabilities":["completion","thinking","vision"],
			"model_info":{"general.architecture":"qwen3","qwen3.context_length":40960}}`)
	})
	mux.HandleFunc("/api/chat", func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		json.NewDecoder(r.Body).Decode(&req)
		mu.Lock()
		reqs = append(reqs, req)
		mu.Unlock()
		for _, l := range []string{
			`{"message":{"role":"assistant","thinking":"Let me see. "},"done":false}`,
			`{"message":{"role":"assistant","thinking":"A cat."},"done":false}`,
			`{"message":{"role":"assistant","content":"It is a cat."},"done":false}`,
			`{"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":9000000,"load_duration":1000000,"prompt_eval_count":700,"prompt_eval_duration":3000000,"eval_count":5,"eval_duration":2500000}`,
		} {
			fmt.Fprintln(w, l)
			w.(http.Flusher).Flush()
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	e := openEnv(t, []string{srv.URL}, Options{})
	v, err := e.svc.NewChat(bg(), srv.URL, "qwen")
	if err != nil {
		t.Fatal(err)
	}
	if v, err = e.svc.UpdateChatSettings(bg(), v.Chat.ID, Settings{Think: true, SystemPrompt: "Look closely", Temperature: ptrF(0.2)}); err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\nfake")
	var rec recorder
	_, s, err := e.svc.Send(bg(), v.Chat.ID, "What is this?", []ImageInput{{Mime: "image/png", Base64: base64.StdEncoding.EncodeToString(png)}}, rec.on)
	if err != nil {
		t.Fatal(err)
	}
	got := wait(t, s)
	if got.Status != store.StatusComplete || got.Content != "It is a cat." || got.Thinking != "Let me see. A cat." {
		t.Fatalf("answer %+v", got)
	}
	if c, th := rec.joined(); c != got.Content || th != got.Thinking {
		t.Fatalf("events carried %q / %q", c, th)
	}
	mu.Lock()
	req := reqs[0]
	mu.Unlock()
	msgs := req["messages"].([]any)
	sys, user := msgs[0].(map[string]any), msgs[1].(map[string]any)
	opts := req["options"].(map[string]any)
	if req["think"] != true || sys["role"] != "system" || sys["content"] != "Look closely" ||
		user["images"].([]any)[0] != base64.StdEncoding.EncodeToString(png) || opts["num_ctx"] != float64(8192) || opts["temperature"] != 0.2 {
		t.Fatalf("request %v", req)
	}
	v, _ = e.svc.GetChat(bg(), v.Chat.ID)
	m := v.Messages[1].Metrics
	if len(v.Messages[0].Images) != 1 || !strings.HasPrefix(v.Messages[0].Images[0].DataURL, "data:image/png;base64,") ||
		m == nil || m.PromptTokens != 700 || m.OutputTokens != 5 || m.TokensPerSec != 2000 || m.LoadMs != 1 || m.TotalMs != 9 {
		t.Fatalf("stored %+v / %+v", v.Messages[0].Images, m)
	}
	// Editing keeps the image; the estimate counts it.
	_, s, err = e.svc.EditMessage(bg(), v.Messages[0].ID, "And now?", nil)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, s)
	v, _ = e.svc.GetChat(bg(), v.Chat.ID)
	if len(v.Messages[0].Images) != 1 || v.Context.EstimatedTokens < perImageTokens {
		t.Fatalf("edited %+v, context %+v", v.Messages[0], v.Context)
	}
	// Thinking off: a thinking model is told not to think.
	e.svc.UpdateChatSettings(bg(), v.Chat.ID, Settings{})
	_, s, _ = e.svc.Regenerate(bg(), v.Messages[1].ID, nil)
	wait(t, s)
	mu.Lock()
	defer mu.Unlock()
	if reqs[2]["think"] != false {
		t.Fatalf("think = %v, want false", reqs[2]["think"])
	}
}

func TestImagesRefusedWithoutVision(t *testing.T) {
	host := fakeOllama(t, func(w http.ResponseWriter, r *http.Request) {})
	e := openEnv(t, []string{host}, Options{})
	// What ChatModels learnt from /api/show: no vision.
	e.svc.info.put("", host, "m", modelInfo{capabilities: []string{"completion"}})
	v, _ := e.svc.NewChat(bg(), host, "m")
	_, _, err := e.svc.Send(bg(), v.Chat.ID, "see", []ImageInput{{Mime: "image/png", Base64: "AAAA"}}, nil)
	if err == nil || !strings.Contains(err.Error(), "no vision capability") {
		t.Fatalf("err = %v", err)
	}
}

// TestLongChatDropsOldestTurnsAndSaysSo: a conversation longer than numCtx
// is sent without its oldest turns (the system prompt stays), and the
// stream events and the chat view report it.
func TestLongChatDropsOldestTurnsAndSaysSo(t *testing.T) {
	var mu sync.Mutex
	var sent []any
	host := fakeOllama(t, func(w http.ResponseWriter, r *http.Request) {
		var req map[string]any
		json.NewDecoder(r.Body).Decode(&req)
		mu.Lock()
		sent = req["messages"].([]any)
		mu.Unlock()
		fmt.Fprintln(w, `{"message":{"role":"assistant","content":"ok"},"done":true}`)
	})
	e := openEnv(t, []string{host}, Options{})
	v, _ := e.svc.NewChat(bg(), host, "m")
	if _, err := e.svc.UpdateChatSettings(bg(), v.Chat.ID, Settings{SystemPrompt: "Stay on topic", NumCtx: ptr(512)}); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("abcd", 100) // ~100 tokens
	var hist []store.Message
	for i := 0; i < 8; i++ {
		hist = append(hist, store.Message{Role: "user", Content: fmt.Sprintf("q%d %s", i, long), ParentID: int64(-len(hist))},
			store.Message{Role: "assistant", Content: long, ParentID: int64(-len(hist) - 1)})
	}
	if _, err := e.st.AddMessages(bg(), v.Chat.ID, hist, true); err != nil {
		t.Fatal(err)
	}
	var rec recorder
	_, s, err := e.svc.Send(bg(), v.Chat.ID, "latest question", nil, rec.on)
	if err != nil {
		t.Fatal(err)
	}
	wait(t, s)
	mu.Lock()
	defer mu.Unlock()
	first := sent[0].(map[string]any)
	last := sent[len(sent)-1].(map[string]any)
	if first["role"] != "system" || first["content"] != "Stay on topic" || last["content"] != "latest question" || len(sent) >= 18 {
		t.Fatalf("sent %d messages: first %v, last %v", len(sent), first, last)
	}
	dropped := (18 - len(sent)) / 2
	evs := rec.events()
	if l := evs[len(evs)-1]; l.DroppedTurns != dropped || dropped == 0 {
		t.Fatalf("final event says %d dropped turns; %d were", l.DroppedTurns, dropped)
	}
	v, _ = e.svc.GetChat(bg(), v.Chat.ID)
	if v.Context.DroppedTurns == 0 || v.Context.NumCtx != 512 || !strings.Contains(v.Context.Note, "left out") {
		t.Fatalf("context %+v", v.Context)
	}
}
