//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// docsFolder writes a folder of documents: several good files about
// animals, a truncated PDF, an image (unsupported: skipped with the
// reason) and a hidden one.
func docsFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"zebras.md": "# Zebras\n\nZebras have black and white stripes. The stripes of zebras confuse biting flies.\n\n" +
			"## Herds\n\nZebras live in herds and groom each other.\n",
		"llamas.txt":        "Llamas live in the Andes. Llamas carry loads and hum when they are anxious.\n",
		"notes/otters.html": "<html><head><title>Otters</title></head><body><h1>Otters</h1><p>Sea otters hold hands while they sleep.</p></body></html>",
		"notes/camels.md":   "# Camels\n\nCamels store fat in their humps, not water.\n",
		"broken.pdf":        "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj << /Type /Pa",
		"picture.png":       "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89",
		".hidden/secret.md": "# Secret\n\nThis must never be indexed.\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDocumentsIndexAskSources: in the real window, create a collection
// with the tiny embedding model, add a folder, watch it index (the broken
// PDF fails alone), search it, attach it to a chat, ask, and see the
// sources panel and the source viewer. The CLI then reads the same data.
func TestDocumentsIndexAskSources(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-chat", 1)
	srv.CreateEmbedModel(t, "tiny-embed", 1)
	data := t.TempDir()
	folder := docsFolder(t)
	host := holdFirstEmbed(t, srv.URL)
	r := runFlow(t, "docs-index-ask", data, map[string]any{
		"folder": folder, "collection": "Animals", "embed": "tiny-embed", "model": "tiny-chat",
		"question": "Why do zebras have stripes?", "broken": "broken.pdf", "term": "zebras",
	}, nil, "--host", host)
	if len(r.Shots) < 6 {
		t.Errorf("shots: %v", r.Shots)
	}
	for _, s := range r.Shots {
		checkShot(t, s)
	}
	t.Logf("%s; %s", logValue(t, r, "progress states"), logValue(t, r, "files"))

	// The CLI sees what the window made: the files and their states...
	var list struct {
		Files []struct{ Path, State, Error string }
	}
	cliJSON(t, data, host, &list, "docs", "list", "Animals")
	states := map[string]string{}
	for _, f := range list.Files {
		states[filepath.Base(f.Path)] = f.State
		if strings.Contains(f.Path, ".hidden") {
			t.Errorf("hidden file indexed: %s", f.Path)
		}
	}
	if states["broken.pdf"] != "failed" || states["zebras.md"] != "indexed" || states["otters.html"] != "indexed" {
		t.Errorf("file states: %v", states)
	}
	if states["picture.png"] != "skipped" {
		t.Errorf("an unsupported file is listed as skipped: %v", states)
	}
	// ... and the chat's answer with the sources it was given.
	var chats []struct{ ID int64 }
	cliJSON(t, data, host, &chats, "history", "list")
	if len(chats) != 1 {
		t.Fatalf("chats: %+v", chats)
	}
	var view struct {
		Messages []struct {
			Role      string
			Retrieval *struct {
				Mode    string
				Sources []struct {
					File string
					Sent bool
					N    int
				}
			}
		}
	}
	cliJSON(t, data, host, &view, "history", "show", fmt.Sprint(chats[0].ID))
	var found bool
	for _, m := range view.Messages {
		if m.Role != "assistant" || m.Retrieval == nil {
			continue
		}
		found = true
		if m.Retrieval.Mode != "hybrid" || len(m.Retrieval.Sources) == 0 || !m.Retrieval.Sources[0].Sent {
			t.Errorf("stored retrieval: %+v", m.Retrieval)
		}
	}
	if !found {
		t.Errorf("the answer has no stored retrieval: %+v", view)
	}
}

// holdFirstEmbed puts a proxy in front of the Ollama at target that holds
// the first /api/embed request for a second and a half, so that indexing a
// small folder lasts long enough for the flow to see its progress bar. It
// is a delay, not a check: nothing is asserted about time.
func holdFirstEmbed(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.FlushInterval = -1 // stream answers as they come
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/embed" {
			once.Do(func() {
				select {
				case <-time.After(1500 * time.Millisecond):
				case <-r.Context().Done():
				}
			})
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// cliJSON runs `wadi --json ARGS` over dataDir and decodes its output.
func cliJSON(t *testing.T, dataDir, host string, dst any, args ...string) {
	t.Helper()
	cmd := exec.Command(bin(t), append([]string{"--data-dir", dataDir, "--host", host, "--json"}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("wadi %v: %v\n%s", args, err, out)
	}
	if err := json.Unmarshal(out, dst); err != nil {
		t.Fatalf("wadi %v: %v\n%s", args, err, out)
	}
}
