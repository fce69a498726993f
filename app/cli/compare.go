package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/compare"
	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/rag"
)

func init() {
	register("compare", func() command {
		var o compareOpts
		return command{
			summary: "ask 2 to 4 models the same prompt and compare answers and speed; prompt sets; leaderboard",
			usage: "-m MODEL -m MODEL [-m MODEL...] [--blind] [--tag T] [-c COLLECTION] PROMPT\n" +
				"  wadi compare run SETFILE -m MODEL -m MODEL [-c COLLECTION] [--out results.csv|results.md]\n" +
				"  wadi compare leaderboard [--tag T]\n" +
				"  wadi compare search WORDS\n" +
				"SETFILE: one prompt per line, or JSON {\"name\": ..., \"prompts\": [...]}.\n" +
				"-c answers from a document collection: every model gets the same sources, listed after the answers.\n" +
				"--blind hides the names, then asks on stdin which answer is better (A, B, ..., tie, bad) and reveals them;\n" +
				"with --json it prints the hidden run, reads the vote, then prints the revealed run (two JSON documents)",
			flags: func(fs *flag.FlagSet) {
				fs.Var(&o.models, "m", "a `MODEL` to ask (repeat 2 to 4 times; on the first configured host that has it)")
				fs.Var(&o.models, "model", "same as -m")
				fs.BoolVar(&o.blind, "blind", false, "hide the model names until you vote")
				fs.StringVar(&o.tag, "tag", "", "tag the run (or filter the leaderboard) with `TAG`, e.g. coding")
				fs.StringVar(&o.out, "out", "", "compare run: write the results to `FILE` (.csv or .md)")
				fs.StringVar(&o.coll, "c", "", "answer from document `COLLECTION` (the same sources for every model)")
				fs.StringVar(&o.coll, "collection", "", "same as -c")
			},
			run: func(ctx context.Context, c *call) error { return runCompare(ctx, c, o) },
		}
	})
}

type compareOpts struct {
	models modelFlags
	blind  bool
	tag    string
	out    string
	coll   string
}

// modelFlags is the repeatable -m flag of compare.
type modelFlags []string

func (l *modelFlags) String() string     { return strings.Join(*l, ",") }
func (l *modelFlags) Set(v string) error { *l = append(*l, v); return nil }

// openCompares opens the data, the chat service and the compare service.
func (c *call) openCompares(ctx context.Context) (*core.Core, *chat.Service, *compare.Service, error) {
	co, chats, err := c.openChats(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	svc := compare.New(co.Store, co.Hosts, chats, compare.Options{EventEvery: -1, Logger: c.g.options().Logger})
	if err := svc.Recover(ctx); err != nil {
		chats.Close()
		co.Close()
		return nil, nil, nil, err
	}
	return co, chats, svc, nil
}

func runCompare(ctx context.Context, c *call, o compareOpts) error {
	sub := ""
	if len(c.args) > 0 {
		sub = c.args[0]
	}
	switch sub {
	case "leaderboard":
		if len(c.args) != 1 {
			return usageError{"compare leaderboard takes no arguments"}
		}
	case "search":
		if len(c.args) < 2 {
			return usageError{"compare search needs WORDS"}
		}
	case "run":
		if len(c.args) != 2 {
			return usageError{"compare run takes one SETFILE"}
		}
		if len(o.models) < 2 || len(o.models) > 4 {
			return usageError{"compare run needs 2 to 4 -m MODEL"}
		}
	default:
		if len(o.models) < 2 || len(o.models) > 4 {
			return usageError{"give 2 to 4 models with -m MODEL"}
		}
		if strings.TrimSpace(strings.Join(c.args, " ")) == "" {
			return usageError{"a PROMPT is needed"}
		}
	}
	co, chats, svc, err := c.openCompares(ctx)
	if err != nil {
		return err
	}
	defer co.Close()
	defer chats.Close()
	defer svc.Close()
	switch sub {
	case "leaderboard":
		return compareLeaderboard(ctx, c, svc, o.tag)
	case "search":
		return compareSearch(ctx, c, co, strings.Join(c.args[1:], " "))
	}
	cols := make([]compare.ColumnSpec, len(o.models))
	for i, m := range o.models {
		host, name, err := chats.FindModel(ctx, m)
		if err != nil {
			return err
		}
		cols[i] = compare.ColumnSpec{Host: host, Model: name}
	}
	if sub == "run" {
		return compareSetRun(ctx, c, svc, c.args[1], cols, o)
	}
	return compareOnce(ctx, c, svc, cols, o)
}

// compareOnce runs one prompt and prints the answers and figures.
func compareOnce(ctx context.Context, c *call, svc *compare.Service, cols []compare.ColumnSpec, o compareOpts) error {
	req := compare.Request{Prompt: strings.Join(c.args, " "), Columns: cols, Blind: o.blind, Collection: o.coll}
	if o.tag != "" {
		req.Tags = []string{o.tag}
	}
	v, err := svc.Start(ctx, req, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "compare %d: %s (%s)\n", v.ID, v.Schedule, v.ScheduleNote)
	if err := svc.Wait(ctx, v.ID); err != nil {
		svc.Stop(v.ID)
		return err
	}
	if v, err = svc.Get(ctx, v.ID); err != nil {
		return err
	}
	if c.g.json {
		if err := c.printJSON(v); err != nil {
			return err
		}
	} else {
		printCompare(c.Stdout, v)
	}
	if o.blind {
		vote, ok := askVote(c, v)
		if !ok {
			fmt.Fprintf(c.Stderr, "no vote: run %d stays blind\n", v.ID)
			return answersOK(v)
		}
		if v, err = svc.CastVote(ctx, v.ID, 0, vote); err != nil {
			return err
		}
		if c.g.json {
			if err := c.printJSON(v); err != nil {
				return err
			}
		} else {
			for _, col := range v.Columns {
				fmt.Fprintf(c.Stdout, "%s was %s (%s)\n", col.Label, col.Model, col.Host)
			}
		}
	}
	return answersOK(v)
}

// answersOK fails (exit 1) when a column did not answer completely.
func answersOK(v compare.View) error {
	var bad []string
	for _, a := range v.Turns[len(v.Turns)-1].Answers {
		if a.Status != "complete" {
			bad = append(bad, v.Columns[a.Column].Label)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("compare %d: column %s did not finish its answer", v.ID, strings.Join(bad, ", "))
	}
	return nil
}

// printCompare writes each column's answer and figures, in label order.
func printCompare(w io.Writer, v compare.View) {
	t := v.Turns[len(v.Turns)-1]
	for _, label := range []string{"A", "B", "C", "D"} {
		for _, col := range v.Columns {
			if col.Label != label {
				continue
			}
			a := t.Answers[col.Index]
			name := col.Label
			if col.Model != "" {
				name += ": " + col.Model + " (" + col.Host + ")"
			}
			fmt.Fprintf(w, "== %s ==\n%s\n", name, strings.TrimRight(a.Content, "\n"))
			if a.Error != "" {
				fmt.Fprintf(w, "[%s: %s]\n", a.Status, a.Error)
			}
			if m := a.Metrics; m != nil {
				fmt.Fprintf(w, "[time to first token %.0f ms · %.1f tokens/s · %d output tokens · load %.0f ms · total %.0f ms]\n",
					m.TTFTMs, m.TokensPerSec, m.OutputTokens, m.LoadMs, m.TotalMs)
			}
			fmt.Fprintln(w)
		}
	}
	if r := t.Retrieval; r != nil {
		printSources(w, r)
	}
}

// printSources lists a turn's retrieved chunks: the numbered ones sent to
// every model, then those that did not fit, then the notices.
func printSources(w io.Writer, r *rag.Retrieval) {
	fmt.Fprintf(w, "Sources (%s search):\n", r.Mode)
	sent := 0
	for _, s := range r.Sources {
		if s.Sent {
			fmt.Fprintf(w, "  [%d] %s\n", s.N, s.Label)
			sent++
		}
	}
	if sent == 0 {
		fmt.Fprintln(w, "  (none found)")
	}
	for _, s := range r.Sources {
		if !s.Sent {
			fmt.Fprintf(w, "  not sent: %s\n", s.Label)
		}
	}
	for _, n := range r.Notices {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// askVote reads the vote from stdin until a valid answer or the end.
func askVote(c *call, v compare.View) (compare.Vote, bool) {
	var labels []string
	byLabel := map[string]int{}
	for _, col := range v.Columns {
		labels = append(labels, col.Label)
		byLabel[col.Label] = col.Index
	}
	sc := bufio.NewScanner(c.Stdin)
	for {
		fmt.Fprintf(c.Stderr, "Which answer is better? %s, tie, bad: ", strings.Join(sortedLabels(labels), ", "))
		if !sc.Scan() {
			fmt.Fprintln(c.Stderr)
			return compare.Vote{}, false
		}
		s := strings.TrimSpace(sc.Text())
		switch strings.ToLower(s) {
		case "tie":
			return compare.Vote{Kind: compare.VoteTie, Winner: -1}, true
		case "bad", "all bad", "all_bad":
			return compare.Vote{Kind: compare.VoteAllBad, Winner: -1}, true
		}
		if i, ok := byLabel[strings.ToUpper(s)]; ok {
			return compare.Vote{Kind: compare.VoteBetter, Winner: i}, true
		}
		fmt.Fprintf(c.Stderr, "%q is not one of the choices\n", s)
	}
}

func sortedLabels(ls []string) []string {
	out := []string{}
	for _, l := range []string{"A", "B", "C", "D"} {
		for _, x := range ls {
			if x == l {
				out = append(out, l)
			}
		}
	}
	return out
}

func compareLeaderboard(ctx context.Context, c *call, svc *compare.Service, tag string) error {
	rows, err := svc.Leaderboard(ctx, tag)
	if err != nil {
		return err
	}
	if c.g.json {
		if rows == nil {
			rows = []compare.LeaderRow{}
		}
		return c.printJSON(rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(c.Stdout, "no votes yet")
		return nil
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MODEL\tRATING\t95% RANGE\tVOTES\tWINS\tLOSSES\tTIES")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f–%.0f\t%d\t%d\t%d\t%d\n", r.Model, r.Rating, r.Low, r.High, r.Votes, r.Wins, r.Losses, r.Ties)
	}
	return tw.Flush()
}

func compareSearch(ctx context.Context, c *call, co *core.Core, q string) error {
	hits, err := co.Store.SearchCompares(ctx, q, 50)
	if err != nil {
		return err
	}
	type hit struct {
		RunID   int64  `json:"runId"`
		Snippet string `json:"snippet"`
	}
	out := []hit{}
	for _, h := range hits {
		out = append(out, hit{h.RunID, h.Snippet})
	}
	if c.g.json {
		return c.printJSON(out)
	}
	for _, h := range out {
		s := strings.NewReplacer("\u0002", "[", "\u0003", "]", "\n", " ").Replace(h.Snippet)
		fmt.Fprintf(c.Stdout, "compare %d: %s\n", h.RunID, s)
	}
	return nil
}

// readSetFile reads SETFILE: JSON {name, prompts} or one prompt per line.
func readSetFile(path string) (compare.PromptSet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return compare.PromptSet{}, fmt.Errorf("prompt set file: %w", err)
	}
	set := compare.PromptSet{Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))}
	if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") {
		var doc struct {
			Name    string   `json:"name"`
			Prompts []string `json:"prompts"`
			Tags    []string `json:"tags"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return set, fmt.Errorf("prompt set file %s: not valid JSON {name, prompts}: %w", path, err)
		}
		if doc.Name != "" {
			set.Name = doc.Name
		}
		set.Prompts, set.Tags = doc.Prompts, doc.Tags
	} else {
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				set.Prompts = append(set.Prompts, l)
			}
		}
	}
	if len(set.Prompts) == 0 {
		return set, fmt.Errorf("prompt set file %s: no prompts", path)
	}
	return set, nil
}

// compareSetRun saves SETFILE as a prompt set (replacing one of the same
// name), runs it and writes the results.
func compareSetRun(ctx context.Context, c *call, svc *compare.Service, path string, cols []compare.ColumnSpec, o compareOpts) error {
	out := o.out
	format := compare.FormatCSV
	if strings.EqualFold(filepath.Ext(out), ".md") {
		format = compare.FormatMarkdown
	}
	set, err := readSetFile(path)
	if err != nil {
		return err
	}
	sets, err := svc.PromptSets(ctx)
	if err != nil {
		return err
	}
	for _, s := range sets {
		if s.Name == strings.Join(strings.Fields(set.Name), " ") {
			set.ID = s.ID
		}
	}
	if set, err = svc.SavePromptSet(ctx, set); err != nil {
		return err
	}
	progress := func(r compare.SetRun) {
		fmt.Fprintf(c.Stderr, "%d/%d prompts answered\n", r.Done, r.Total)
	}
	r, err := svc.RunSet(ctx, set.ID, cols, o.coll, progress)
	if err != nil {
		return err
	}
	if err := svc.WaitSetRun(ctx, r.ID); err != nil {
		return err
	}
	if r, err = svc.GetSetRun(context.WithoutCancel(ctx), r.ID); err != nil {
		return err
	}
	if out != "" {
		doc, err := compare.ExportSetRun(r, format)
		if err != nil {
			return err
		}
		if err := os.WriteFile(out, []byte(doc), 0o644); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
		fmt.Fprintf(c.Stderr, "results written to %s\n", out)
	}
	if c.g.json {
		if err := c.printJSON(r); err != nil {
			return err
		}
	} else if out == "" {
		doc, _ := compare.ExportSetRun(r, compare.FormatMarkdown)
		io.WriteString(c.Stdout, doc)
	}
	if r.State != compare.SetDone {
		return errors.New("the prompt set run did not finish: " + r.State)
	}
	return nil
}
