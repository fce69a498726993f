package ollamatest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
)

// Bounds on waiting; none of them is an assertion about speed.
const (
	readyTimeout = 30 * time.Second // ollama is usually ready in ~0.1 s
	stopTimeout  = 10 * time.Second // SIGTERM to exit
	reapTimeout  = 10 * time.Second // orphaned runners reaped by init
	startTries   = 3                // new port if another process took ours
	logTailBytes = 8 << 10
)

// Server is a running `ollama serve` owned by one test.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:PORT.
	URL string
	// ModelsDir is OLLAMA_MODELS: manifests and blobs live under it.
	ModelsDir string
	// HomeDir is the server's HOME (its key pair lives under it).
	HomeDir string
	// LogPath is the file that receives the server's stdout and stderr.
	LogPath string

	t        testing.TB
	cmd      *exec.Cmd
	client   *api.Client
	done     chan struct{} // closed once cmd.Wait has returned
	stopOnce sync.Once
}

// Option adjusts how Start runs the server.
type Option func(*options)

type options struct {
	env []string // extra KEY=VALUE pairs
}

// WithEnv sets an extra environment variable for the server, such as
// OLLAMA_KEEP_ALIVE or OLLAMA_DEBUG. It cannot override the variables that
// isolate the server (HOME, OLLAMA_HOST, OLLAMA_MODELS, OLLAMA_NO_CLOUD).
func WithEnv(key, value string) Option {
	return func(o *options) { o.env = append(o.env, key+"="+value) }
}

// Start runs the Ollama server on a free loopback port with its own HOME and
// models directory in t.TempDir(), waits until it answers a heartbeat, and
// registers a cleanup that stops it (see Stop) and, if the test failed,
// prints the tail of its log. It skips or fails the test as Binary does
// when the server binary is missing.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	bin := Binary(t)
	dir := t.TempDir()
	s := &Server{
		t:         t,
		HomeDir:   filepath.Join(dir, "home"),
		ModelsDir: filepath.Join(dir, "models"),
		LogPath:   filepath.Join(dir, "ollama.log"),
	}
	for _, d := range []string{s.HomeDir, s.ModelsDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("ollamatest: %v", err)
		}
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}

	var err error
	for range startTries {
		err = s.start(bin, o.env)
		if !errors.Is(err, errExited) {
			break // ready, or a failure a new port will not fix
		}
		killGroup(s.PID()) // in case it left a child behind
	}
	if s.cmd != nil {
		t.Cleanup(func() {
			s.Stop()
			if t.Failed() {
				s.logTail()
			}
		})
	}
	if err != nil {
		t.Fatalf("ollamatest: start %s: %v", bin, err) // cleanup prints the log
	}
	return s
}

var errExited = errors.New("ollama exited before it was ready")

// start launches one server process and waits for it to be ready.
func (s *Server) start(bin string, extra []string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	host := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s.URL = "http://" + host
	base, err := url.Parse(s.URL)
	if err != nil {
		return fmt.Errorf("parse url: %w", err)
	}
	s.client = api.NewClient(base, &http.Client{})

	logFile, err := os.OpenFile(s.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("open log: %w", err)
	}
	defer logFile.Close() // the child keeps its own descriptor

	cmd := exec.Command(bin, "serve")
	cmd.Env = append(inheritedEnv(), extra...)
	cmd.Env = append(cmd.Env,
		"HOME="+s.HomeDir,
		"OLLAMA_HOST="+host,
		"OLLAMA_MODELS="+s.ModelsDir,
		"OLLAMA_NO_CLOUD=1",
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	newGroup(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("exec: %w", err)
	}
	done := make(chan struct{})
	s.cmd, s.done = cmd, done
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	return s.waitReady()
}

// inheritedEnv is the test's environment minus HOME and any OLLAMA_* setting
// a developer may have exported for their own server.
func inheritedEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "OLLAMA_") || strings.HasPrefix(kv, "HOME=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// freePort asks the kernel for an unused loopback port and releases it.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls the heartbeat until it succeeds, the process exits, or
// readyTimeout passes.
func (s *Server) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := s.client.Heartbeat(ctx)
		cancel()
		if err == nil {
			s.settle(deadline)
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("%w (%s)", errExited, s.cmd.ProcessState)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("no heartbeat within %s: %w", readyTimeout, err)
		}
	}
}

// settle waits, until deadline at most, for the server to be alone in its
// process group. Ollama serves only after GPU discovery, but it kills the
// discovery runner and reaps it asynchronously; stopping the server before
// that orphans the runner, and a slow init can then leave a zombie in the
// group for seconds. Where group members cannot be counted it returns at once.
func (s *Server) settle(deadline time.Time) {
	for time.Now().Before(deadline) {
		if n, ok := groupSize(s.PID()); !ok || n <= 1 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Client returns an API client for this server.
func (s *Server) Client() *api.Client { return s.client }

// PID returns the server's process id, which is also its process group id.
func (s *Server) PID() int { return s.cmd.Process.Pid }

// Stop shuts the server down and waits until no process of its group is
// left: SIGTERM to the group, a bounded wait, then SIGKILL to the group, then
// a bounded wait for orphaned runners to be reaped. A group that survives is
// reported with t.Errorf. Stop is idempotent and also runs at test cleanup.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		pid := s.PID()
		terminateGroup(pid)
		select {
		case <-s.done:
		case <-time.After(stopTimeout):
			s.t.Logf("ollamatest: server %d ignored SIGTERM for %s; killing its group", pid, stopTimeout)
		}
		killGroup(pid) // runners that outlived the server, if any
		<-s.done
		deadline := time.Now().Add(reapTimeout)
		for groupExists(pid) {
			if time.Now().After(deadline) {
				s.t.Errorf("ollamatest: process group %d still has processes %s after Stop", pid, reapTimeout)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// logTail prints the end of the server log to the test log.
func (s *Server) logTail() {
	b, err := os.ReadFile(s.LogPath)
	if err != nil {
		s.t.Logf("ollamatest: read server log: %v", err)
		return
	}
	if len(b) > logTailBytes {
		b = b[len(b)-logTailBytes:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	s.t.Logf("ollamatest: tail of %s:\n%s", s.LogPath, b)
}
