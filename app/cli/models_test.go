package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/models"
	"github.com/wadi-app/wadi/backend/pull"
	"github.com/wadi-app/wadi/backend/store"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
	"github.com/wadi-app/wadi/backend/testkit/registry"
)

func TestModelsOffline(t *testing.T) {
	dir := t.TempDir()
	host := closedHost(t)
	r := run(t, "--data-dir", dir, "--host", host, "models", "catalog", "--capability", "embedding", "--json")
	var res []catalog.Listed
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || len(res) != 4 {
		t.Fatalf("catalog --capability embedding: %+v", r)
	}
	r = run(t, "--data-dir", dir, "--host", host, "models", "catalog", "--fits")
	if r.code != 0 || !strings.Contains(r.stdout, "qwen3:0.6b") || strings.Contains(r.stdout, "kimi") {
		t.Errorf("catalog --fits: %+v", r)
	}
	r = run(t, "--data-dir", dir, "--host", host, "models", "fit", "qwen3:8b", "--ctx", "8192", "--json")
	var f catalog.Fit
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &f) != nil || f.NumCtx != 8192 || f.WeightsBytes != 5_200_000_000 {
		t.Errorf("fit: %+v", r)
	}
	r = run(t, "--data-dir", dir, "--host", host, "models", "fit", "qwen3:8b")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "qwen3:8b at 4096 tokens needs about") {
		t.Errorf("fit text: %+v", r)
	}
	r = run(t, "--data-dir", dir, "--host", host, "models", "machine", "--json")
	var m catalog.Machine
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &m) != nil || m.RAMBytes <= 0 {
		t.Errorf("machine: %+v", r)
	}
	for _, args := range [][]string{{"models"}, {"models", "frob"}, {"models", "fit"}, {"models", "list", "x"}} {
		if r := run(t, append([]string{"--data-dir", dir}, args...)...); r.code != ExitUsage {
			t.Errorf("%v: exit %d, want usage", args, r.code)
		}
	}
	bad := filepath.Join(dir, "a.bin")
	if err := os.WriteFile(bad, []byte("nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, "--data-dir", dir, "--host", host, "models", "import", bad, "--name", "x")
	if r.code != ExitError || !strings.Contains(r.stderr, "file "+bad+" is not a GGUF model (bad magic)") {
		t.Errorf("import non-GGUF: %+v", r)
	}
	if r := run(t, "--data-dir", dir, "--host", host, "models", "import", bad); r.code != ExitUsage || !strings.Contains(r.stderr, "--name") {
		t.Errorf("import without --name: %+v", r)
	}
}

func TestModelsAgainstRealOllama(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	srv := ollamatest.Start(t)
	reg := registry.Start(t)
	model := ollamatest.ChatModelGGUF(t, 61)
	name := reg.PublishModel(t, "tiny", "latest", model, ollamatest.ChatTemplate)
	dir := t.TempDir()
	base := []string{"--data-dir", dir, "--host", srv.URL}

	// Interrupt the first pull half way (the registry stalls there), as
	// Ctrl+C would; the second run resumes from the partial blob.
	half := int64(len(model) / 2)
	reg.SetStallAfter(half)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := Run(ctx, append(base, "models", "pull", name), Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		done <- result{code, out.String(), errb.String()}
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), time.Minute)
	defer wcancel()
	if err := reg.Await(wctx, func(s registry.Stats) bool { return s.Stalls >= 1 }); err != nil {
		t.Fatal("pull never reached the stall")
	}
	// Interrupt once the stored queue shows every byte before the stall
	// received (the CLI saves progress about once a second).
	st, err := store.Open(context.Background(), filepath.Join(dir, "wadi.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for {
		rows, _ := st.Downloads(wctx)
		if len(rows) == 1 && rows[0].CompletedBytes >= half {
			break
		}
		if wctx.Err() != nil {
			t.Fatalf("stored progress never reached the stall: %+v", rows)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	r := <-done
	if r.code != ExitError || !strings.Contains(r.stderr, "run the same command again to resume") {
		t.Fatalf("interrupted pull: %+v", r)
	}
	if err := reg.Await(wctx, func(s registry.Stats) bool { return s.ClientGone >= 1 }); err != nil {
		t.Fatal("Ollama kept the interrupted download open")
	}
	reg.SetStallAfter(-1)
	r = run(t, append(base, "models", "pull", name, "--json")...)
	var d pull.Download
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &d) != nil || d.State != pull.Done || d.Attempts < 2 {
		t.Fatalf("resumed pull: %+v", r)
	}
	if !strings.Contains(r.stderr, "done") {
		t.Errorf("no progress on stderr: %q", r.stderr)
	}
	if !slices.Contains(reg.Stats().Ranges, fmt.Sprintf("bytes=%d-%d", half, len(model)-1)) {
		t.Errorf("second run did not resume by Range: %q", reg.Stats().Ranges)
	}

	r = run(t, append(base, "models", "list", "--json")...)
	var list []models.Installed
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &list) != nil || len(list) != 1 || list[0].Name != name {
		t.Fatalf("list: %+v", r)
	}
	if r := run(t, append(base, "models", "list")...); r.code != 0 || !strings.Contains(r.stdout, "1 models") {
		t.Errorf("list text: %+v", r)
	}
	gguf := filepath.Join(dir, "tiny.gguf")
	if err := os.WriteFile(gguf, ollamatest.ChatModelGGUF(t, 62), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, append(base, "models", "import", gguf, "--name", "mine:v1", "--system", "Be brief.")...); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	if r := run(t, append(base, "models", "ps", "--json")...); r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("ps with nothing loaded: %+v", r)
	}
	if r := run(t, append(base, "models", "rm", name)...); r.code != 0 {
		t.Fatalf("rm: %+v", r)
	}
	r = run(t, append(base, "models", "list", "--json")...)
	if r.code != 0 || strings.Contains(r.stdout, name) || !strings.Contains(r.stdout, "mine:v1") {
		t.Errorf("after rm: %+v", r)
	}
	if r := run(t, append(base, "models", "pull", reg.Host+"/library/missing:latest")...); r.code != ExitError || !strings.Contains(r.stderr, "does not exist") {
		t.Errorf("pull of a missing model: %+v", r)
	}
}
