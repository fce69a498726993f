package chat

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/store"
)

// fakeOllama answers /api/show like Ollama and /api/chat with chat(w, r),
// for faults the real server cannot be made to show.
func fakeOllama(t testing.TB, chat func(w http.ResponseWriter, r *http.Request)) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/show", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"capabilities":["completion"],"details":{"family":"llama"},
			"model_info":{"general.architecture":"llama","llama.context_length":4096}}`)
	})
	mux.HandleFunc("/api/chat", chat)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// chunk writes one streamed line of answer text and flushes it.
func chunk(w http.ResponseWriter, text string) {
	b, _ := json.Marshal(map[string]any{"model": "m", "message": map[string]string{"role": "assistant", "content": text}, "done": false})
	w.Write(append(b, '\n'))
	w.(http.Flusher).Flush()
}

func TestFaultsKeepPartialAnswer(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request)
		want    string // in the error
	}{
		{"stream cut mid-answer", func(w http.ResponseWriter, r *http.Request) {
			chunk(w, "Hello")
			chunk(w, ", wor")
			// Drop the connection without the final line.
			conn, buf, _ := w.(http.Hijacker).Hijack()
			buf.Flush()
			conn.Close()
		}, "closed before the answer finished"},
		{"malformed JSON line", func(w http.ResponseWriter, r *http.Request) {
			chunk(w, "Hello")
			chunk(w, ", wor")
			fmt.Fprint(w, `{"message": {"content": 42}}`+"\n")
			w.(http.Flusher).Flush()
			chunk(w, "never read")
		}, "malformed reply"},
		{"server stalls", func(w http.ResponseWriter, r *http.Request) {
			chunk(w, "Hello")
			chunk(w, ", wor")
			<-r.Context().Done()
		}, "sent nothing for 300ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			host := fakeOllama(t, tc.handler)
			e := openEnv(t, []string{host}, Options{StallTimeout: 300 * time.Millisecond})
			v, err := e.svc.NewChat(bg(), host, "m")
			if err != nil {
				t.Fatal(err)
			}
			var rec recorder
			_, s, err := e.svc.Send(bg(), v.Chat.ID, "hi", nil, rec.on)
			if err != nil {
				t.Fatal(err)
			}
			got := wait(t, s)
			if got.Status != store.StatusIncomplete || got.Content != "Hello, wor" || !strings.Contains(got.Error, tc.want) {
				t.Fatalf("answer = %+v, want incomplete %q with error containing %q", got, "Hello, wor", tc.want)
			}
			if !strings.Contains(got.Error, host) && tc.name != "server stalls" {
				t.Fatalf("error %q does not name the host", got.Error)
			}
			evs := rec.events()
			if l := evs[len(evs)-1]; !l.Done || l.Status != "incomplete" || l.Error != got.Error {
				t.Fatalf("final event %+v", l)
			}
			if c, _ := rec.joined(); c != "Hello, wor" {
				t.Fatalf("events carried %q", c)
			}
			stored, _ := e.st.Message(bg(), got.ID)
			if stored.Content != "Hello, wor" || stored.Status != store.StatusIncomplete {
				t.Fatalf("stored %+v", stored)
			}
		})
	}
}

func TestOllamaErrorBeforeAnyText(t *testing.T) {
	host := fakeOllama(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":"model \"m\" not found, try pulling it first"}`)
	})
	e := openEnv(t, []string{host}, Options{})
	v, _ := e.svc.NewChat(bg(), host, "m")
	_, s, err := e.svc.Send(bg(), v.Chat.ID, "hi", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := wait(t, s)
	if got.Status != store.StatusError || !strings.Contains(got.Error, "not found, try pulling it first") || !strings.Contains(got.Error, host) {
		t.Fatalf("answer = %+v", got)
	}
	// The prompt was kept.
	v, _ = e.svc.GetChat(bg(), v.Chat.ID)
	if len(v.Messages) != 2 || v.Messages[0].Content != "hi" {
		t.Fatalf("messages %+v", v.Messages)
	}
}
