package core

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/ollama"
	"github.com/wadi-app/wadi/backend/store"
)

func open(t *testing.T, opt Options) *Core {
	t.Helper()
	if opt.DataDir == "" {
		opt.DataDir = t.TempDir()
	}
	c, err := Open(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestHostsSeededFromOLLAMA_HOST(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "gpu-box:9999")
	c := open(t, Options{})
	hs, err := c.Hosts(context.Background())
	if err != nil || !slices.Equal(hs, []string{"http://gpu-box:9999"}) {
		t.Fatalf("Hosts = %v, %v", hs, err)
	}
	stored, _ := c.Store.Hosts(context.Background())
	if len(stored) != 1 {
		t.Fatalf("default host not persisted: %v", stored)
	}
}

func TestAddRemoveHosts(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	ctx := context.Background()
	dir := t.TempDir()
	c := open(t, Options{DataDir: dir})
	hs, err := c.AddHost(ctx, " 192.168.1.50 ")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"http://127.0.0.1:11434", "http://192.168.1.50:11434"}
	if !slices.Equal(hs, want) {
		t.Fatalf("after add: %v", hs)
	}
	if _, err := c.AddHost(ctx, "http://192.168.1.50:11434/"); !errors.Is(err, store.ErrDuplicate) {
		t.Fatalf("duplicate add: %v", err)
	}
	_, err = c.AddHost(ctx, "ftp://nas")
	if !errors.Is(err, ollama.ErrBadURL) || !strings.HasPrefix(err.Error(), "invalid host URL \"ftp://nas\"") {
		t.Fatalf("bad URL error should name the field: %v", err)
	}
	if hs, err = c.RemoveHost(ctx, "127.0.0.1"); err != nil || !slices.Equal(hs, want[1:]) {
		t.Fatalf("remove by short form: %v %v", hs, err)
	}
	if _, err := c.RemoveHost(ctx, want[1]); !errors.Is(err, ErrLastHost) {
		t.Fatalf("removing the last host: %v", err)
	}
	c.Close()

	// Persisted across a restart.
	c2 := open(t, Options{DataDir: dir})
	if hs, _ := c2.Hosts(ctx); !slices.Equal(hs, want[1:]) {
		t.Fatalf("after reopen: %v", hs)
	}
}

func TestHostOverrideIsOnlyForThisRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := open(t, Options{DataDir: dir, Host: "10.1.2.3"})
	if hs, _ := c.Hosts(ctx); !slices.Equal(hs, []string{"http://10.1.2.3:11434"}) {
		t.Fatalf("override: %v", hs)
	}
	if _, err := c.AddHost(ctx, "x"); !errors.Is(err, ErrHostsFixed) {
		t.Fatalf("add under --host: %v", err)
	}
	if stored, _ := c.Store.Hosts(ctx); len(stored) != 0 {
		t.Fatalf("--host must not be stored: %v", stored)
	}
	if _, err := Open(ctx, Options{DataDir: dir, Host: "ftp://x"}); err == nil || !strings.Contains(err.Error(), "--host") {
		t.Fatalf("bad --host should name the flag: %v", err)
	}
}

func TestStatusAndModelsWithUnreachableHost(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := "http://" + l.Addr().String()
	l.Close()
	dir := t.TempDir()
	c := open(t, Options{DataDir: dir, Host: host})
	rep, err := c.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.DataDir != dir || rep.DBPath != filepath.Join(dir, "wadi.db") {
		t.Errorf("paths: %+v", rep)
	}
	if len(rep.Hosts) != 1 || rep.Hosts[0].State != ollama.KindUnreachable || rep.Hosts[0].Reachable {
		t.Fatalf("hosts: %+v", rep.Hosts)
	}
	if _, err := c.Models(context.Background(), host); ollama.KindOf(err) != ollama.KindUnreachable {
		t.Fatalf("Models on a closed port: %v", err)
	}
	if _, err := c.Models(context.Background(), "http://evil.example:11434"); err == nil {
		t.Fatal("Models must refuse a host that is not configured")
	}
}

func TestOpenRefusesCorruptDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "wadi.db")
	if err := os.WriteFile(db, []byte("junk junk junk junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), Options{DataDir: dir})
	if !errors.Is(err, store.ErrNotDatabase) || !strings.Contains(err.Error(), db) {
		t.Fatalf("err = %v", err)
	}
}
