package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/core"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return result{code, out.String(), errb.String()}
}

func closedHost(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

func TestVersion(t *testing.T) {
	r := run(t, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "wadi ") {
		t.Fatalf("%+v", r)
	}
	r = run(t, "version", "--json")
	var v map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || v["version"] == "" || v["goVersion"] == "" {
		t.Fatalf("json version: %q %v", r.stdout, err)
	}
	if r := run(t, "version", "extra"); r.code != ExitUsage || !strings.Contains(r.stderr, "no arguments") {
		t.Fatalf("extra arg: %+v", r)
	}
}

func TestUsageErrors(t *testing.T) {
	if r := run(t, "frobnicate"); r.code != ExitUsage || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Fatalf("%+v", r)
	}
	if r := run(t, "--nope"); r.code != ExitUsage || r.stdout != "" {
		t.Fatalf("%+v", r)
	}
	if r := run(t); r.code != ExitUsage || !strings.Contains(r.stderr, "Commands:") {
		t.Fatalf("no command and no window: %+v", r)
	}
	if r := run(t, "--help"); r.code != 0 || !strings.Contains(r.stdout, "status") {
		t.Fatalf("help: %+v", r)
	}
	if r := run(t, "status", "-h"); r.code != 0 || !strings.Contains(r.stdout, "--data-dir") && !strings.Contains(r.stdout, "-data-dir") {
		t.Fatalf("status help: %+v", r)
	}
}

func TestNoCommandOpensWindowWithGlobals(t *testing.T) {
	var got core.Options
	var out, errb bytes.Buffer
	code := Run(context.Background(), []string{"--data-dir", "/tmp/x", "--host", "h:1"}, Env{
		Stdout: &out, Stderr: &errb,
		OpenWindow: func(_ context.Context, o core.Options) error { got = o; return nil },
	})
	if code != 0 || got.DataDir != "/tmp/x" || got.Host != "h:1" {
		t.Fatalf("code %d, options %+v", code, got)
	}
}

func TestStatusUnreachable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	host := closedHost(t)
	r := run(t, "--data-dir", dir, "status", "--host", host)
	if r.code != ExitUnreachable {
		t.Fatalf("exit %d, want %d: %+v", r.code, ExitUnreachable, r)
	}
	for _, want := range []string{dir, filepath.Join(dir, "wadi.db"), host, "unreachable", "ollama serve"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text status lacks %q:\n%s", want, r.stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "wadi.db")); err != nil {
		t.Errorf("database not created: %v", err)
	}

	r = run(t, "status", "--json", "--data-dir", dir, "--host", host)
	var rep core.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, r.stdout)
	}
	if rep.DataDir != dir || len(rep.Hosts) != 1 || rep.Hosts[0].Reachable || rep.Hosts[0].State != "unreachable" || rep.Hosts[0].Hint == "" {
		t.Fatalf("json report: %+v", rep)
	}
}

func TestDataDirFromEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("WADI_DATA_DIR", dir)
	r := run(t, "hosts", "add", "10.0.0.9", "--json")
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	var hosts []string
	if err := json.Unmarshal([]byte(r.stdout), &hosts); err != nil || hosts[len(hosts)-1] != "http://10.0.0.9:11434" {
		t.Fatalf("hosts: %q %v", r.stdout, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "wadi.db")); err != nil {
		t.Fatal("WADI_DATA_DIR not used")
	}
}

func TestHostsCommand(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	dir := t.TempDir()
	if r := run(t, "--data-dir", dir, "hosts"); r.code != 0 || r.stdout != "http://127.0.0.1:11434\n" {
		t.Fatalf("default list: %+v", r)
	}
	if r := run(t, "--data-dir", dir, "hosts", "add", "gpu-box"); r.code != 0 || !strings.Contains(r.stdout, "http://gpu-box:11434") {
		t.Fatalf("add: %+v", r)
	}
	r := run(t, "--data-dir", dir, "hosts", "add", "gpu-box")
	if r.code != ExitError || !strings.Contains(r.stderr, "already in the list") {
		t.Fatalf("duplicate: %+v", r)
	}
	r = run(t, "--data-dir", dir, "hosts", "add", "ftp://x")
	if r.code != ExitError || !strings.Contains(r.stderr, "host URL") || r.stdout != "" {
		t.Fatalf("bad url: %+v", r)
	}
	if r := run(t, "--data-dir", dir, "hosts", "rm", "gpu-box:11434"); r.code != 0 || strings.Contains(r.stdout, "gpu-box") {
		t.Fatalf("rm: %+v", r)
	}
	if r := run(t, "--data-dir", dir, "hosts", "rm", "127.0.0.1"); r.code != ExitError || !strings.Contains(r.stderr, "at least one") {
		t.Fatalf("rm last: %+v", r)
	}
	if r := run(t, "--data-dir", dir, "hosts", "frob"); r.code != ExitUsage {
		t.Fatalf("bad subcommand: %+v", r)
	}
}

func TestCorruptDatabaseErrorNamesFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "wadi.db")
	if err := os.WriteFile(db, []byte("not a database at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, "--data-dir", dir, "status", "--host", closedHost(t))
	if r.code != ExitError || !strings.Contains(r.stderr, db) || r.stdout != "" {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(db); string(b) != "not a database at all" {
		t.Fatal("corrupt database was changed")
	}
}

func TestParseInterspersed(t *testing.T) {
	var g globals
	fs := newTestFlagSet(&g)
	pos, err := parseInterspersed(fs, []string{"add", "--json", "x", "--", "--host"})
	if err != nil || strings.Join(pos, ",") != "add,x,--host" || !g.json || g.host != "" {
		t.Fatalf("pos %v, json %v, host %q, err %v", pos, g.json, g.host, err)
	}
}

func newTestFlagSet(g *globals) *flag.FlagSet {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	return fs
}
