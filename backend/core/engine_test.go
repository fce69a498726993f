package core

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

func TestGPUNote(t *testing.T) {
	if got := gpuNote(catalog.Machine{}); got != "" {
		t.Errorf("no GPU: %q", got)
	}
	got := gpuNote(catalog.Machine{GPUs: []catalog.GPU{{Name: "NVIDIA GeForce RTX 4070", Vendor: "nvidia", VRAMBytes: 12 << 30}}})
	if !strings.Contains(got, "RTX 4070") || !strings.Contains(got, "CPU only") || !strings.Contains(got, "ollama.com/download") {
		t.Errorf("GPU note: %q", got)
	}
}

func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestEnsureEngineStartsBuiltinOnlyWhenNeeded(t *testing.T) {
	ctx := context.Background()
	t.Setenv("WADI_ENGINE_BIN", ollamatest.Binary(t))

	// A configured Ollama answers: no built-in engine.
	srv := ollamatest.Start(t)
	t.Setenv("OLLAMA_HOST", strings.TrimPrefix(srv.URL, "http://"))
	c := open(t, Options{})
	eng, info := c.EnsureEngine(ctx)
	if eng != nil || info.Kind != "system" {
		t.Fatalf("with a running Ollama: engine %v, info %+v", eng, info)
	}

	// Nothing answers: the built-in engine starts and joins the hosts.
	t.Setenv("OLLAMA_HOST", closedAddr(t))
	c2 := open(t, Options{})
	eng, info = c2.EnsureEngine(ctx)
	if eng == nil || info.Kind != "builtin" || info.URL == "" {
		t.Fatalf("with no Ollama: engine %v, info %+v", eng, info)
	}
	defer eng.Stop()
	hosts, _ := c2.Hosts(ctx)
	if len(hosts) != 2 || hosts[1] != info.URL {
		t.Fatalf("hosts = %v, want the engine appended", hosts)
	}
	stored, _ := c2.Store.Hosts(ctx)
	if len(stored) != 1 {
		t.Fatalf("the engine's URL must not be stored as a user host: %v", stored)
	}
	rep, err := c2.Status(ctx)
	if err != nil || rep.Engine.Kind != "builtin" || rep.Hosts[1].State != "ok" {
		t.Fatalf("status: %+v %v", rep, err)
	}

	// --host disables it.
	c3 := open(t, Options{Host: closedAddr(t)})
	if eng, info := c3.EnsureEngine(ctx); eng != nil || info.Kind != "none" {
		t.Fatalf("--host: %v %+v", eng, info)
	}
}
