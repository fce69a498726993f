//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ollama/ollama/api"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// logValue returns the value of the first flow log line "key: value".
func logValue(t *testing.T, r result, key string) string {
	t.Helper()
	for _, l := range r.Logs {
		if v, ok := strings.CutPrefix(l, key+": "); ok {
			return v
		}
	}
	t.Fatalf("flow logged no %q; logs: %v", key, r.Logs)
	return ""
}

// TestChatStreamStopRestartSearch: send a prompt to the tiny model, watch the
// answer stream, stop it; run the app again on the same data: the chat and its
// partial answer are there, and search finds the prompt.
func TestChatStreamStopRestartSearch(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-chat", 1)
	// The tiny model stops after 48 tokens (its default num_predict), too
	// soon to press Stop reliably: derive one that goes on for thousands.
	err := srv.Client().Create(context.Background(), &api.CreateRequest{Model: "tiny-long", From: "tiny-chat",
		Parameters: map[string]any{"num_predict": 4000}}, func(api.ProgressResponse) error { return nil })
	if err != nil {
		t.Fatalf("create tiny-long: %v", err)
	}
	data := t.TempDir()
	prompt := "Tell me about zebras and their stripes"

	first := runFlow(t, "chat-stream", data,
		map[string]any{"model": "tiny-long", "prompt": prompt}, nil, "--host", srv.URL)
	for _, s := range first.Shots {
		checkShot(t, s)
	}
	partial := logValue(t, first, "partial")
	if strings.TrimSpace(partial) == "" {
		t.Fatal("the stopped answer showed no text")
	}

	second := runFlow(t, "chat-restart", data,
		map[string]any{"prompt": prompt, "partial": partial, "term": "zebras", "short": "tiny-chat"}, nil, "--host", srv.URL)
	for _, s := range second.Shots {
		checkShot(t, s)
	}
}

// hostile is markdown a model (or an imported file) could hold to attack the
// window; all of it must render inert.
const hostile = "Hostile answer\n\n" +
	"<script>window.__pwned = 'script'</script>\n\n" +
	"<img src=x onerror=\"window.__pwned='img'\">\n\n" +
	"<svg onload=\"window.__pwned='svg'\"><script>window.__pwned='svg-script'</script></svg>\n\n" +
	"<iframe src=\"https://example.org\"></iframe>\n\n" +
	"<style>body{display:none}</style>\n\n" +
	"<form action=\"https://example.org\"><input name=a><button>go</button></form>\n\n" +
	"[js link](javascript:window.__pwned='link') [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) " +
	"<javascript:alert(1)> [safe link](https://ollama.com/)\n\n" +
	"![pixel](https://example.org/p.gif) ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)\n\n" +
	"<p style=\"position:fixed;inset:0;background:red\">cover</p>\n\n" +
	"| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | مرحبا |\n\n" +
	"```js\nconsole.log('<b>not bold</b>')\n```\n\n" +
	"Math $e^{i\\pi}+1=0$ and $\\href{javascript:alert(1)}{x}$\n"

// TestChatHostileImportRendersInert imports a chat whose answer is hostile
// markdown through the UI's Import, and checks in the real WebKit window that
// nothing in it is active.
func TestChatHostileImportRendersInert(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-chat", 1)
	doc := map[string]any{
		"format": "wadi-chat", "version": 1, "title": "Hostile import", "host": srv.URL, "model": "tiny-chat",
		"pinned": false, "settings": map[string]any{"systemPrompt": "", "keepAlive": "", "think": false},
		"createdAt": "2026-11-29T10:00:00Z", "updatedAt": "2026-11-29T10:00:00Z", "current": 2,
		"messages": []map[string]any{
			{"id": 1, "parentId": 0, "role": "user", "content": "<img src=x onerror=\"window.__pwned='user'\"> say something",
				"thinking": "", "model": "", "status": "complete", "error": "", "metrics": nil, "createdAt": "2026-11-29T10:00:00Z", "images": []any{}},
			{"id": 2, "parentId": 1, "role": "assistant", "content": hostile, "thinking": "<script>window.__pwned='thinking'</script>",
				"model": "tiny-chat", "status": "complete", "error": "", "metrics": nil, "createdAt": "2026-11-29T10:00:01Z", "images": []any{}},
		},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	r := runFlow(t, "chat-hostile", t.TempDir(), map[string]any{"doc": string(b)}, nil, "--host", srv.URL)
	for _, s := range r.Shots {
		checkShot(t, s)
	}
}

// TestChatLongScroll opens a 5,000-message chat (imported with the CLI) and scrolls it;
// the flow asserts windowing and logs timings for docs/benchmarks.md.
func TestChatLongScroll(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-chat", 1)
	const n = 5000
	msgs := make([]map[string]any, 0, n)
	for i := 1; i <= n; i++ {
		role, content := "user", fmt.Sprintf("Question %d: how does this work?", i)
		if i%2 == 0 {
			role = "assistant"
			content = fmt.Sprintf("Answer %d. Some **bold** text and a list:\n\n- one\n- two\n\n```js\nconst x = %d;\n```\n\nA closing paragraph with more words.", i, i)
		}
		msgs = append(msgs, map[string]any{"id": i, "parentId": i - 1, "role": role, "content": content, "thinking": "",
			"model": "tiny-chat", "status": "complete", "error": "", "metrics": nil, "createdAt": "2026-11-29T10:00:00Z", "images": []any{}})
	}
	doc := map[string]any{"format": "wadi-chat", "version": 1, "title": "Long chat", "host": srv.URL, "model": "tiny-chat",
		"settings":  map[string]any{"systemPrompt": "", "keepAlive": "", "think": false},
		"createdAt": "2026-11-29T10:00:00Z", "updatedAt": "2026-11-29T10:00:00Z", "current": n, "messages": msgs}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), "long.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	wadi(t, data, "--host", srv.URL, "history", "import", file)
	r := runFlow(t, "chat-long", data, map[string]any{"count": n}, nil, "--host", srv.URL)
	for _, s := range r.Shots {
		checkShot(t, s)
	}
	t.Log(logValue(t, r, "bench"))
}
