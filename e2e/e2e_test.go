//go:build e2e

// Package e2e drives the real Wadi window under Xvfb: the binary built with
// the e2e tag runs a flow from flows/ inside its own webview and writes
// result.json and screenshots into artifacts/e2e/<flow>/.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

type result struct {
	OK      bool     `json:"ok"`
	Message string   `json:"message"`
	Logs    []string `json:"logs"`
	Text    string   `json:"text"`
	Shots   []string `json:"shots"`
}

func bin(t *testing.T) string {
	b := os.Getenv("WADI_E2E_BIN")
	if b == "" {
		t.Fatal("WADI_E2E_BIN is not set: run `make e2e`")
	}
	return b
}

func artifacts(t *testing.T, flow string) string {
	root := os.Getenv("WADI_ARTIFACTS")
	if root == "" {
		root = filepath.Join("..", "artifacts")
	}
	dir, _ := filepath.Abs(filepath.Join(root, "e2e", flow))
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// wadi runs the e2e binary as a CLI (no display) over dataDir.
func wadi(t *testing.T, dataDir string, args ...string) {
	t.Helper()
	out, err := exec.Command(bin(t), append([]string{"--data-dir", dataDir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("wadi %v: %v\n%s", args, err, out)
	}
}

// runFlow opens the window under Xvfb with flows/<flow>.js and returns once
// the app has quit.
func runFlow(t *testing.T, flow, dataDir string, params map[string]any, env []string, args ...string) result {
	t.Helper()
	out := artifacts(t, flow)
	script, _ := filepath.Abs(filepath.Join("flows", flow+".js"))
	p, _ := json.Marshal(params)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xvfb-run", append([]string{"-a", "-s", "-screen 0 1200x780x24",
		bin(t), "--data-dir", dataDir}, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"WADI_E2E_SCRIPT="+script, "WADI_E2E_OUT="+out, "WADI_E2E_PARAMS="+string(p))
	cmd.Env = append(cmd.Env, env...)
	logf, err := os.Create(filepath.Join(out, "app.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	return readResult(t, out, cmd.Run())
}

// readResult reads the result.json the app wrote into out, and fails the
// test with the flow's message and the app's log if the flow failed.
func readResult(t *testing.T, out string, runErr error) result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "result.json"))
	if err != nil {
		logTail, _ := os.ReadFile(filepath.Join(out, "app.log"))
		t.Fatalf("no result from the app (exit: %v): %v\napp log:\n%s", runErr, err, tail(string(logTail), 3000))
	}
	var r result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if !r.OK {
		t.Fatalf("flow in %s failed: %s\nlogs: %v\nscreen text:\n%s", out, r.Message, r.Logs, r.Text)
	}
	if runErr != nil {
		t.Errorf("app exited with %v after the flow passed", runErr)
	}
	return r
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// checkShot asserts that a screenshot exists, is the window's size and is
// not blank (a blank or single-colour picture means nothing was painted).
func checkShot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 780 {
		t.Errorf("screenshot %s is %v", path, b)
	}
	if n := colours(img); n < 32 {
		t.Errorf("screenshot %s has only %d colours: blank window?", path, n)
	}
}

func colours(img image.Image) int {
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
		}
	}
	return len(seen)
}

func TestStatusShowsLiveOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-chat", 1)
	ver, err := srv.Client().Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := runFlow(t, "status-ok", t.TempDir(),
		map[string]any{"host": srv.URL, "version": ver, "model": "tiny-chat"}, nil, "--host", srv.URL)
	if len(r.Shots) != 2 {
		t.Fatalf("shots: %v", r.Shots)
	}
	for _, s := range r.Shots {
		checkShot(t, s)
	}
}

func TestStatusWithoutOllama(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><script>alert(1)</script>not ollama</html>")
	}))
	defer garbage.Close()

	data := t.TempDir()
	env := []string{"OLLAMA_HOST=" + strings.TrimPrefix(down, "http://"), "WADI_ENGINE_BIN=none"}
	t.Setenv("OLLAMA_HOST", strings.TrimPrefix(down, "http://"))
	wadi(t, data, "hosts", "add", hang.URL)
	wadi(t, data, "hosts", "add", garbage.URL)
	r := runFlow(t, "status-down", data,
		map[string]any{"down": down, "hang": hang.URL, "garbage": garbage.URL}, env)
	for _, s := range r.Shots {
		checkShot(t, s)
	}
	hang.CloseClientConnections()
}
