package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/compare"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

func runIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return result{code, out.String(), errb.String()}
}

func TestCompareCLIAgainstRealOllama(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "clicmp-one", 1)
	srv.CreateChatModel(t, "clicmp-two", 2)
	dir := t.TempDir()
	w := func(stdin string, args ...string) result {
		return runIn(t, stdin, append([]string{"--data-dir", dir, "--host", srv.URL}, args...)...)
	}

	if r := w("", "compare", "-m", "clicmp-one", "Hi"); r.code != ExitUsage {
		t.Fatalf("one model: %+v", r)
	}

	r := w("", "compare", "-m", "clicmp-one", "-m", "clicmp-two", "Say", "hi")
	if r.code != 0 || !strings.Contains(r.stdout, "clicmp-one:latest") || !strings.Contains(r.stdout, "tokens/s") ||
		!strings.Contains(r.stderr, "compare 1: concurrent") {
		t.Fatalf("compare: %+v", r)
	}

	// Blind: an invalid answer is asked again; names only after the vote.
	r = w("Z\nb\n", "compare", "-m", "clicmp-one", "-m", "clicmp-two", "--blind", "--tag", "coding", "Say hi")
	if r.code != 0 || !strings.Contains(r.stderr, `"Z" is not one of the choices`) {
		t.Fatalf("blind: %+v", r)
	}
	before, after, ok := strings.Cut(r.stdout, " was ")
	if !ok || strings.Contains(before, "clicmp") || strings.Contains(before, srv.URL) || !strings.Contains(after, "clicmp") {
		t.Fatalf("blind output leaks or does not reveal: %q", r.stdout)
	}

	// Blind --json: the first document hides the names, the second shows them.
	r = w("tie\n", "compare", "-m", "clicmp-one", "-m", "clicmp-two", "--blind", "--json", "Say hi")
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	var hid, shown compare.View
	if r.code != 0 || dec.Decode(&hid) != nil || dec.Decode(&shown) != nil {
		t.Fatalf("blind --json: %+v", r)
	}
	if hb, _ := json.Marshal(hid); strings.Contains(string(hb), "clicmp") || shown.Columns[0].Model == "" || shown.Votes[0].Kind != "tie" {
		t.Fatalf("blind --json documents: %s / %+v", hb, shown)
	}

	// No vote (stdin ends): the run stays blind.
	r = w("", "compare", "-m", "clicmp-one", "-m", "clicmp-two", "--blind", "Say hi")
	if r.code != 0 || strings.Contains(r.stdout, "clicmp") || !strings.Contains(r.stderr, "stays blind") {
		t.Fatalf("blind without vote: %+v", r)
	}

	r = w("", "compare", "leaderboard", "--tag", "coding", "--json")
	var rows []compare.LeaderRow
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &rows) != nil || len(rows) != 2 || rows[0].Wins != 1 || rows[0].Votes != 1 {
		t.Fatalf("leaderboard: %+v", r)
	}
	if r = w("", "compare", "leaderboard"); r.code != 0 || !strings.Contains(r.stdout, "95% RANGE") {
		t.Fatalf("leaderboard text: %+v", r)
	}

	set := filepath.Join(t.TempDir(), "set.txt")
	os.WriteFile(set, []byte("first prompt\n\nsecond prompt\n"), 0o644)
	out := filepath.Join(t.TempDir(), "results.csv")
	r = w("", "compare", "run", set, "-m", "clicmp-one", "-m", "clicmp-two", "--out", out)
	if r.code != 0 || !strings.Contains(r.stderr, "2/2 prompts answered") {
		t.Fatalf("compare run: %+v", r)
	}
	b, _ := os.ReadFile(out)
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) != 5 || recs[3][1] != "second prompt" || recs[3][8] == "" {
		t.Fatalf("results.csv: %v %v", recs, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"name": 3}`), 0o644)
	if r = w("", "compare", "run", bad, "-m", "clicmp-one", "-m", "clicmp-two"); r.code != ExitError || !strings.Contains(r.stderr, "bad.json") {
		t.Fatalf("bad set file: %+v", r)
	}

	if r = w("", "compare", "search", "second", "--json"); r.code != 0 || !strings.Contains(r.stdout, "second") {
		t.Fatalf("search: %+v", r)
	}
}
