package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// TestStatusAgainstRealOllama runs `wadi status` against the real Ollama
// server built from the pinned module, with two tiny models installed.
func TestStatusAgainstRealOllama(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-a", 1)
	srv.CreateChatModel(t, "tiny-b", 2)
	want, err := srv.Client().Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	r := run(t, "--data-dir", dir, "--host", srv.URL, "status", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %+v", r.code, r)
	}
	var rep core.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	h := rep.Hosts[0]
	if h.URL != srv.URL || !h.Reachable || h.State != "ok" || h.Version != want || h.ModelCount != 2 || h.Hint != "" {
		t.Fatalf("status of the live server: %+v (want version %s, 2 models)", h, want)
	}

	r = run(t, "--data-dir", dir, "--host", srv.URL, "status")
	if r.code != 0 || !strings.Contains(r.stdout, "Ollama "+want) || !strings.Contains(r.stdout, "2 models") {
		t.Fatalf("text status: %+v", r)
	}

	// A stored host works like --host: add it, then check with no flag.
	if r := run(t, "--data-dir", dir, "hosts", "add", srv.URL); r.code != 0 {
		t.Fatalf("hosts add: %+v", r)
	}
	if r := run(t, "--data-dir", dir, "hosts", "rm", "127.0.0.1:11434"); r.code != 0 {
		t.Fatalf("hosts rm: %+v", r)
	}
	r = run(t, "--data-dir", dir, "status", "--json")
	if r.code != 0 || !strings.Contains(r.stdout, `"version": "`+want+`"`) {
		t.Fatalf("status over stored hosts: %+v", r)
	}
}
