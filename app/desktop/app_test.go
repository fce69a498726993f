package desktop

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/ollama"
)

func TestAppOverCore(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	t.Setenv("OLLAMA_HOST", addr)
	c, err := core.Open(context.Background(), core.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a := NewApp(c, nil)

	rep, err := a.Status()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Hosts) != 1 || rep.Hosts[0].URL != "http://"+addr || rep.Hosts[0].State != ollama.KindUnreachable {
		t.Fatalf("Status = %+v", rep.Hosts)
	}
	hs, err := a.AddHost("gpu.lan")
	if err != nil || len(hs) != 2 {
		t.Fatalf("AddHost = %v, %v", hs, err)
	}
	if _, err := a.AddHost("http://gpu.lan:11434/v1"); err == nil {
		t.Fatal("a URL with a path must be refused")
	}
	if hs, err = a.RemoveHost("http://gpu.lan:11434"); err != nil || len(hs) != 1 {
		t.Fatalf("RemoveHost = %v, %v", hs, err)
	}
	if v, _ := a.Version(); v.Version == "" {
		t.Fatal("empty version")
	}
}

func TestAppWithoutData(t *testing.T) {
	why := errors.New("database /x/wadi.db: not a Wadi database (or corrupt)")
	a := NewApp(nil, why)
	if _, err := a.Status(); !errors.Is(err, why) {
		t.Fatalf("Status err = %v", err)
	}
	if _, err := a.Models("http://127.0.0.1:11434"); !errors.Is(err, why) {
		t.Fatalf("Models err = %v", err)
	}
	if v, err := a.Version(); err != nil || v.Version == "" {
		t.Fatal("Version must work without data")
	}
}

func TestFirstRunShownUntilDismissed(t *testing.T) {
	c, err := core.Open(context.Background(), core.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a := NewApp(c, nil)
	fr, err := a.FirstRun()
	if err != nil || !fr.Show || fr.DataDir != c.Dirs.Data {
		t.Fatalf("FirstRun = %+v, %v", fr, err)
	}
	if err := a.DismissWelcome(); err != nil {
		t.Fatal(err)
	}
	if fr, err = a.FirstRun(); err != nil || fr.Show {
		t.Fatalf("after dismiss: %+v, %v", fr, err)
	}
}

func TestSuggestedModels(t *testing.T) {
	c, err := core.Open(context.Background(), core.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a := NewApp(c, nil)
	got, err := a.SuggestedModels()
	if err != nil {
		t.Fatal(err)
	}
	// This machine has RAM enough for at least an embedding model; whatever
	// is suggested must come from the catalog and fit.
	for _, s := range got {
		if s.PullName == "" || s.Verdict == "no" || (s.Role != "chat" && s.Role != "embedding") {
			t.Errorf("bad suggestion %+v", s)
		}
	}
	if len(got) == 0 {
		t.Error("no suggestion at all on a machine that runs the test suite")
	}
}
