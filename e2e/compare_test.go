//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// TestCompareBlindVoteLeaderboard: two distinct tiny models on the real test
// Ollama answer one prompt side by side in blind mode; no model name is on
// the page before the vote; the vote reveals them and the leaderboard ranks
// the winner first; "Continue with this one" opens column A as a chat.
func TestCompareBlindVoteLeaderboard(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-alpha", 1)
	srv.CreateChatModel(t, "tiny-beta", 2)

	r := runFlow(t, "compare-blind", t.TempDir(), map[string]any{
		"models": []string{"tiny-alpha", "tiny-beta"},
		"prompt": "Name three colours of the sky",
		"tag":    "e2e-sky",
	}, nil, "--host", srv.URL)
	if len(r.Shots) != 5 {
		t.Fatalf("shots: %v", r.Shots)
	}
	for _, s := range r.Shots {
		checkShot(t, s)
	}
	winner := logValue(t, r, "winner")
	if !strings.HasPrefix(winner, "tiny-alpha") && !strings.HasPrefix(winner, "tiny-beta") {
		t.Fatalf("winner %q is not one of the compared models", winner)
	}
	if top := logValue(t, r, "top"); top != winner {
		t.Fatalf("leaderboard ranks %q first, want the winner %q", top, winner)
	}
}

// TestComparePromptSetRun: a saved prompt set runs unattended against two
// models on the real test Ollama; the progress reaches the end and the table
// has a row of answers and figures per prompt.
func TestComparePromptSetRun(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-alpha", 1)
	srv.CreateChatModel(t, "tiny-beta", 2)

	r := runFlow(t, "compare-sets", t.TempDir(), map[string]any{
		"models":  []string{"tiny-alpha", "tiny-beta"},
		"prompts": []string{"Why is the sky blue?", "Why are sunsets red?"},
	}, nil, "--host", srv.URL)
	if len(r.Shots) != 1 {
		t.Fatalf("shots: %v", r.Shots)
	}
	checkShot(t, r.Shots[0])
	t.Log(logValue(t, r, "progress"))
}

// TestCompareStreamsRenderBench streams four columns into the real window
// (bound methods stood in by the flow, so only the UI is measured), once at
// the backend's batched rate (30 events/s per column) and once far above it,
// and checks that no token is dropped. It prints the repaint rate and frame
// times for docs/benchmarks.md ("Compare UI"); it asserts no speed.
func TestCompareStreamsRenderBench(t *testing.T) {
	cases := []struct {
		name                  string
		tokensPerTick, tickMs int
	}{
		{"batched-30-per-s", 4, 33},
		{"raw-100-per-s", 10, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runFlow(t, "compare-bench", t.TempDir(), map[string]any{
				"seconds": 5, "tokensPerTick": c.tokensPerTick, "tickMs": c.tickMs,
			}, nil, "--host", "http://127.0.0.1:1")
			for _, l := range r.Logs {
				t.Log(l)
			}
			checkShot(t, r.Shots[0])
		})
	}
}
