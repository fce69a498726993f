//go:build !windows

package engine

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/ollama"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

func newEngine(t *testing.T, bin string) *Engine {
	dir := t.TempDir()
	return &Engine{
		Binary:    bin,
		ModelsDir: filepath.Join(dir, "models"),
		HomeDir:   filepath.Join(dir, "home"),
		LogFile:   filepath.Join(dir, "state", "engine.log"),
	}
}

func TestStartStopRealServer(t *testing.T) {
	e := newEngine(t, ollamatest.Binary(t))
	// Hold the default port so the engine has to move on to the next one.
	busy, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(DefaultPort))
	if err == nil {
		defer busy.Close()
	}
	url, err := e.Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Stop)
	if busy != nil && strings.HasSuffix(url, ":"+strconv.Itoa(DefaultPort)) {
		t.Fatalf("engine took a busy port: %s", url)
	}
	st := ollama.Probe(context.Background(), url, ollama.ProbeTimeout)
	if st.State != ollama.KindOK || st.Version == "" {
		t.Fatalf("engine not healthy: %+v", st)
	}
	if again, err := e.Start(context.Background(), nil); err != nil || again != url {
		t.Fatalf("second Start = %q, %v; want the running engine", again, err)
	}
	if _, err := os.Stat(e.ModelsDir); err != nil {
		t.Fatalf("models dir not created: %v", err)
	}
	pgid := e.cmd.Process.Pid
	e.Stop()
	e.Stop()
	if alive := livingInGroup(t, pgid); len(alive) > 0 {
		t.Fatalf("processes of the engine's group survive Stop: %v", alive)
	}
	if e.URL() != "" {
		t.Fatal("URL after Stop")
	}
	if st := ollama.Probe(context.Background(), url, ollama.ProbeTimeout); st.State == ollama.KindOK {
		t.Fatal("engine still answers after Stop")
	}
}

func TestStartFailsClearlyWhenServerExits(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "ollama")
	if err := os.WriteFile(bad, []byte("#!/bin/sh\necho broken >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, bad)
	_, err := e.Start(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "exited before it was ready") || !strings.Contains(err.Error(), e.LogFile) {
		t.Fatalf("err = %v", err)
	}
	if log, _ := os.ReadFile(e.LogFile); !strings.Contains(string(log), "broken") {
		t.Fatalf("server output not logged: %q", log)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "ollama")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvBinary, bin)
	if got, err := Find(); err != nil || got != bin {
		t.Fatalf("Find = %q, %v", got, err)
	}
	notExec := filepath.Join(dir, "plain")
	os.WriteFile(notExec, nil, 0o644)
	t.Setenv(EnvBinary, notExec)
	if _, err := Find(); !errors.Is(err, ErrNoBinary) || !strings.Contains(err.Error(), notExec) {
		t.Fatalf("non-executable: %v", err)
	}
}

func TestEngineEnvDoesNotLeakUserSettings(t *testing.T) {
	t.Setenv("OLLAMA_MODELS", "/home/u/.ollama/models")
	t.Setenv("OLLAMA_HOST", "0.0.0.0:11434")
	env := strings.Join(engineEnv("127.0.0.1:11435", "/d/models", "/d/home"), "\n")
	for _, want := range []string{"OLLAMA_HOST=127.0.0.1:11435", "OLLAMA_MODELS=/d/models", "HOME=/d/home", "OLLAMA_NO_CLOUD=1"} {
		if !strings.Contains(env, want) {
			t.Errorf("env lacks %s", want)
		}
	}
	if strings.Contains(env, "/home/u/.ollama") || strings.Contains(env, "0.0.0.0") {
		t.Errorf("user settings leaked: %s", env)
	}
}

// livingInGroup lists the processes of process group pgid that are still
// alive. Zombies are dead: Ollama's GPU-discovery helper, killed by the
// server itself, can linger as a zombie until init reaps it, and it still
// counts for kill(-pgid, 0), so that is not the test.
func livingInGroup(t *testing.T, pgid int) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var alive []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces or parentheses.
		rest := string(b[strings.LastIndexByte(string(b), ')')+1:])
		f := strings.Fields(rest)
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		if g, _ := strconv.Atoi(f[2]); g == pgid {
			alive = append(alive, e.Name()+" "+string(b[:strings.IndexByte(string(b), ')')+1]))
		}
	}
	return alive
}

// TestLaunchOnATakenPort: when another program holds the port (taken
// between Start's free-port check and the server's bind), the server exits
// at once with errExited, which is what makes Start try the next port, and
// nothing is left running.
func TestLaunchOnATakenPort(t *testing.T) {
	e := newEngine(t, ollamatest.Binary(t))
	if err := os.MkdirAll(filepath.Dir(e.LogFile), 0o700); err != nil {
		t.Fatal(err)
	}
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	port := held.Addr().(*net.TCPAddr).Port
	if err := e.launch(context.Background(), port); !errors.Is(err, errExited) {
		t.Fatalf("launch on a held port: %v, want errExited", err)
	}
	if e.cmd != nil || e.URL() != "" {
		t.Fatal("a failed launch left the engine marked as running")
	}
}
