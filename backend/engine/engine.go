// Package engine runs Wadi's built-in Ollama server when no other Ollama is
// reachable, so a fresh machine needs nothing else. The server binary ships
// with Wadi (built from the same pinned module version as the client); it
// listens on a private loopback port, keeps its models in Wadi's data dir,
// and is stopped together with its runner processes when Wadi quits.
package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/ollama/ollama/api"
)

// EnvBinary names an Ollama binary to use as the built-in engine.
const EnvBinary = "WADI_ENGINE_BIN"

// DefaultPort is the first loopback port the engine tries (Ollama's own is
// 11434, which a system Ollama may hold).
const DefaultPort = 11435

// ErrNoBinary means no built-in engine ships with this Wadi.
var ErrNoBinary = errors.New("no built-in Ollama engine found")

// Find returns the path of the built-in engine binary: $WADI_ENGINE_BIN
// ("none" disables the engine), or
// next to the wadi executable (`ollama`), or the package layout
// (<prefix>/lib/wadi/ollama for <prefix>/bin/wadi).
func Find() (string, error) {
	if p := os.Getenv(EnvBinary); p != "" {
		if p == "none" {
			return "", fmt.Errorf("disabled by %s=none: %w", EnvBinary, ErrNoBinary)
		}
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("%s=%s: not an executable file: %w", EnvBinary, p, ErrNoBinary)
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("locate wadi: %w", err)
	}
	if r, err := filepath.EvalSymlinks(exe); err == nil {
		exe = r
	}
	dir := filepath.Dir(exe)
	for _, p := range []string{
		filepath.Join(dir, binaryName),
		filepath.Join(dir, "..", "lib", "wadi", binaryName),
	} {
		if isExecutable(p) {
			return filepath.Clean(p), nil
		}
	}
	return "", ErrNoBinary
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0
}

// Engine is one built-in Ollama server process.
type Engine struct {
	Binary    string // the ollama executable
	ModelsDir string // OLLAMA_MODELS
	HomeDir   string // HOME for the server (its keys and history)
	LogFile   string // the server's output
	Port      int    // first port to try; 0 means DefaultPort

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	url  string
	log  *slog.Logger
}

// URL is the base URL of the running engine ("" when not running).
func (e *Engine) URL() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.url
}

// Start launches the server and waits until it answers, at most 30 s.
func (e *Engine) Start(ctx context.Context, log *slog.Logger) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cmd != nil {
		return e.url, nil
	}
	e.log = log
	if log == nil {
		e.log = slog.Default()
	}
	for _, d := range []string{e.ModelsDir, e.HomeDir, filepath.Dir(e.LogFile)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return "", fmt.Errorf("engine: create %s: %w", d, err)
		}
	}
	// Another program may take the port between the check and the server's
	// bind; the server then exits at once, and the next port is tried.
	start := e.Port
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var port int
		if port, err = freePort(start); err != nil {
			return "", err
		}
		if err = e.launch(ctx, port); err == nil || !errors.Is(err, errExited) {
			break
		}
		start = port + 1
	}
	if err != nil {
		return "", err
	}
	e.log.Info("built-in engine started", "url", e.url, "pid", e.cmd.Process.Pid, "models", e.ModelsDir)
	return e.url, nil
}

var errExited = errors.New("the server exited before it was ready")

// launch starts the server on port and waits until it answers; on failure
// nothing is left running.
func (e *Engine) launch(ctx context.Context, port int) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	logf, err := os.OpenFile(e.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("engine: open log %s: %w", e.LogFile, err)
	}
	cmd := exec.Command(e.Binary, "serve")
	cmd.Env = engineEnv(addr, e.ModelsDir, e.HomeDir)
	cmd.Stdout, cmd.Stderr = logf, logf
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("engine: start %s: %w", e.Binary, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(done) }()
	e.cmd, e.done, e.url = cmd, done, "http://"+addr
	if err := waitReady(ctx, e.url, done); err != nil {
		e.stopLocked()
		return fmt.Errorf("engine: %w (log: %s)", err, e.LogFile)
	}
	return nil
}

// Stop ends the server and its runners: SIGTERM to the process group, then
// SIGKILL after 10 s. Safe to call more than once.
func (e *Engine) Stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopLocked()
}

func (e *Engine) stopLocked() {
	if e.cmd == nil {
		return
	}
	terminateGroup(e.cmd)
	select {
	case <-e.done:
	case <-time.After(10 * time.Second):
		killGroup(e.cmd)
		<-e.done
	}
	killGroup(e.cmd) // runners that outlived the server
	if e.log != nil {
		e.log.Info("built-in engine stopped", "url", e.url)
	}
	e.cmd, e.url = nil, ""
}

// engineEnv is the server's environment: only what it needs, so a user's
// OLLAMA_* settings for their own server do not leak into the built-in one.
func engineEnv(addr, models, home string) []string {
	env := []string{
		"HOME=" + home,
		"OLLAMA_HOST=" + addr,
		"OLLAMA_MODELS=" + models,
		"OLLAMA_NO_CLOUD=1",
		"OLLAMA_ORIGINS=",
	}
	for _, k := range []string{"PATH", "LANG", "TMPDIR", "CUDA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "LD_LIBRARY_PATH"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// freePort returns the first free loopback port from start (or DefaultPort)
// within 20 ports, or any free port.
func freePort(start int) (int, error) {
	if start == 0 {
		start = DefaultPort
	}
	for p := start; p < start+20; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err == nil {
			l.Close()
			return p, nil
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("engine: no free loopback port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitReady(ctx context.Context, base string, exited <-chan struct{}) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	client := api.NewClient(u, &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}})
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if err := client.Heartbeat(ctx); err == nil {
			return nil
		}
		select {
		case <-exited:
			return errExited
		case <-ctx.Done():
			return fmt.Errorf("the server did not answer within 30 s: %w", ctx.Err())
		case <-tick.C:
		}
	}
}
