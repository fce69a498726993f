package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCompareRunsVotesSearch(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	cols := []CompareColumn{{Index: 0, Host: "h", Model: "m1", Settings: "{}", Order: 1}, {Index: 1, Host: "h", Model: "m2", Settings: "{}", Order: 2}}
	id, err := s.CreateCompareRun(ctx, CompareRun{Prompt: "zebra question", Tags: `["x"]`, Labels: `["B","A"]`, Schedule: "sequential"}, cols)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FinishCompareAnswer(ctx, id, CompareAnswer{Turn: 0, Column: 1, Content: "quokka answer", Status: StatusComplete, Metrics: `{"ttftMs":1}`}); err != nil {
		t.Fatal(err)
	}
	turn, err := s.AddCompareTurn(ctx, id, "follow", 2)
	if err != nil || turn != 1 {
		t.Fatalf("turn %d %v", turn, err)
	}
	if _, err := s.AddCompareTurn(ctx, 999, "x", 2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown run: %v", err)
	}
	// An answer still streaming is not indexed; a finished one is.
	for q, want := range map[string]int{"zebra": 1, "quok": 1, "follow": 1, "nothing": 0} {
		hits, err := s.SearchCompares(ctx, q, 10)
		if err != nil || len(hits) != want || (want == 1 && hits[0].RunID != id) {
			t.Fatalf("search %q: %+v %v", q, hits, err)
		}
	}
	// Fresh rows belong to a live writer; only stale ones are recovered.
	if err := s.RecoverCompareAnswers(ctx, time.Hour, "crashed"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.CompareRun(ctx, id); d.Answers[0].Status != StatusStreaming {
		t.Fatalf("a live answer was recovered: %+v", d.Answers[0])
	}
	if err := s.FlushCompareAnswer(ctx, id, 0, 0, "partial", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.RecoverCompareAnswers(ctx, -time.Second, "crashed"); err != nil {
		t.Fatal(err)
	}
	d, err := s.CompareRun(ctx, id)
	if err != nil || len(d.Columns) != 2 || len(d.Turns) != 2 || len(d.Answers) != 4 || d.Columns[1].Order != 2 {
		t.Fatalf("run: %+v %v", d, err)
	}
	if a := d.Answers[0]; a.Status != StatusIncomplete || a.Error != "crashed" || a.Content != "partial" {
		t.Fatalf("recovered answer: %+v", a)
	}
	if a := d.Answers[1]; a.Content != "quokka answer" || a.Metrics != `{"ttftMs":1}` {
		t.Fatalf("answer: %+v", a)
	}
	if err := s.SaveCompareVote(ctx, id, CompareVote{Turn: 0, Kind: "better", Winner: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCompareVote(ctx, id, CompareVote{Turn: 0, Kind: "tie", Winner: -1}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second vote: %v", err)
	}
	vs, err := s.AllVotes(ctx)
	if err != nil || len(vs) != 1 || vs[0].Models[1] != "m2" || vs[0].Winner != 1 || vs[0].Tags != `["x"]` {
		t.Fatalf("votes: %+v %v", vs, err)
	}
	if _, err := s.CompareRun(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing run: %v", err)
	}
}

func TestPromptSetsAndSetRuns(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	p, err := s.SavePromptSet(ctx, PromptSet{Name: "a", Prompts: `["x"]`, Tags: `[]`})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePromptSet(ctx, PromptSet{Name: "a", Prompts: `["y"]`, Tags: `[]`}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate: %v", err)
	}
	r, err := s.CreateSetRun(ctx, SetRun{SetID: p.ID, State: "running", Columns: `[]`, Prompts: `["x"]`, Tags: `[]`})
	if err != nil {
		t.Fatal(err)
	}
	run, _ := s.CreateCompareRun(ctx, CompareRun{Prompt: "x", Tags: "[]", Labels: "[]"}, nil)
	if err := s.SetRunItem(ctx, r, 0, run); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PauseRunningSetRuns(ctx); err != nil || n != 1 {
		t.Fatalf("pause: %d %v", n, err)
	}
	got, err := s.SetRunByID(ctx, r)
	if err != nil || got.State != "paused" || got.Items[0] != run {
		t.Fatalf("set run: %+v %v", got, err)
	}
	if err := s.DeletePromptSet(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePromptSet(ctx, p.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete again: %v", err)
	}
}
