package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

func TestChatAndHistoryAgainstRealOllama(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny", 4)
	dir := t.TempDir()
	w := func(args ...string) result {
		return run(t, append([]string{"--data-dir", dir, "--host", srv.URL}, args...)...)
	}

	r := w("chat", "-m", "tiny", "Hello", "tiny")
	if r.code != 0 || strings.TrimSpace(r.stdout) == "" || !strings.Contains(r.stderr, "chat 1") {
		t.Fatalf("chat: %+v", r)
	}
	answer := strings.TrimSuffix(r.stdout, "\n")

	r = w("chat", "--chat", "1", "--system", "Be brief", "--json", "And more?")
	var res chatResult
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil {
		t.Fatalf("chat --json: %+v", r)
	}
	if res.ChatID != 1 || res.Status != "complete" || res.Content == "" || res.Metrics == nil || res.Metrics.OutputTokens == 0 || res.Model != "tiny:latest" {
		t.Fatalf("chat --json result %+v", res)
	}

	r = w("history", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "Hello tiny") || !strings.Contains(r.stdout, "tiny:latest") {
		t.Fatalf("history list: %+v", r)
	}
	r = w("history", "list", "--json")
	var list []chat.Summary
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &list) != nil || len(list) != 1 || list[0].MessageCount != 4 {
		t.Fatalf("history list --json: %+v", r)
	}
	r = w("history", "show", "1")
	if r.code != 0 || !strings.Contains(r.stdout, "# Hello tiny") || !strings.Contains(r.stdout, answer) || !strings.Contains(r.stdout, "> Be brief") {
		t.Fatalf("history show: %+v", r)
	}
	r = w("history", "show", "1", "--json")
	var v chat.View
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &v) != nil || len(v.Messages) != 4 || v.Messages[1].Content != answer {
		t.Fatalf("history show --json: %+v", r)
	}
	r = w("history", "search", "hello")
	if r.code != 0 || !strings.Contains(r.stdout, "[Hello]") || !strings.Contains(r.stdout, "chat 1") {
		t.Fatalf("history search: %+v", r)
	}
	r = w("history", "search", "--json", `"(unbalanced`)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("history search with FTS syntax: %+v", r)
	}
	r = w("history", "export", "1", "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"format": "wadi-chat"`) {
		t.Fatalf("history export: %+v", r)
	}
	file := filepath.Join(t.TempDir(), "chat.json")
	os.WriteFile(file, []byte(r.stdout), 0o600)
	exported := r.stdout
	r = w("history", "import", file, "--json")
	var s chat.Summary
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &s) != nil || s.ID != 2 || s.MessageCount != 4 {
		t.Fatalf("history import: %+v", r)
	}
	if r = w("history", "export", "2", "--format", "json"); r.stdout != exported {
		t.Fatal("export -> import -> export differs")
	}
	if r = w("history", "export", "2", "--format", "md"); r.code != 0 || !strings.HasPrefix(r.stdout, "# Hello tiny\n") {
		t.Fatalf("export md: %+v", r)
	}

	// Bad input: clear errors, right exit codes.
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"chat", "hi"}, ExitUsage, "-m MODEL"},
		{[]string{"chat", "-m", "tiny"}, ExitUsage, "PROMPT"},
		{[]string{"chat", "-m", "nope", "hi"}, ExitError, `model "nope" is not installed`},
		{[]string{"history", "show", "x"}, ExitUsage, `chat ID "x"`},
		{[]string{"history", "show", "99"}, ExitError, "chat 99"},
		{[]string{"history", "export", "1", "--format", "pdf"}, ExitUsage, `--format "pdf"`},
		{[]string{"history", "import", filepath.Join(dir, "missing.json")}, ExitError, "missing.json"},
		{[]string{"history", "frob"}, ExitUsage, `unknown history command "frob"`},
	} {
		r := w(tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, r.code, r.stderr, tc.code, tc.want)
		}
	}
}

// cancelWriter cancels a context on its first write.
type cancelWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cancel context.CancelFunc
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cancel()
	return w.buf.Write(p)
}

func TestChatCtrlCKeepsPartialAnswer(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	srv := ollamatest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b := ollamatest.ChatModelGGUF(t, 8)
	d := ollamatest.Digest(b)
	if err := srv.Client().CreateBlob(ctx, d, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	params := ollamatest.ChatParams()
	params["num_predict"] = 100000
	if err := srv.Client().Create(ctx, &api.CreateRequest{Model: "long", Files: map[string]string{"model.gguf": d},
		Template: ollamatest.ChatTemplate, Parameters: params}, func(api.ProgressResponse) error { return nil }); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	runCtx, interrupt := context.WithCancel(context.Background()) // Ctrl+C
	out := &cancelWriter{cancel: interrupt}
	var errb bytes.Buffer
	code := Run(runCtx, []string{"--data-dir", dir, "--host", srv.URL, "chat", "-m", "long", "write forever"},
		Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: &errb})
	if code != ExitError || !strings.Contains(errb.String(), "stopped; the partial answer is kept in chat 1") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	r := run(t, "--data-dir", dir, "--host", srv.URL, "history", "show", "1", "--json")
	var v chat.View
	if json.Unmarshal([]byte(r.stdout), &v) != nil || len(v.Messages) != 2 {
		t.Fatalf("history show: %+v", r)
	}
	a := v.Messages[1]
	printed := strings.TrimSuffix(out.buf.String(), "\n")
	if a.Status != "incomplete" || a.Error != "stopped" || a.Content == "" || a.Content != printed {
		t.Fatalf("kept answer %+v; printed %q", a, printed)
	}
}
