package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

func init() {
	register("docs", func() command {
		var o docsOpts
		return command{
			summary: "document collections: create, add files, list, search, rename, change the embedding model, remove",
			usage: `create NAME [--embed-model M] | add NAME PATH... [--include GLOB] [--exclude GLOB]
       | rescan NAME | list [NAME] | search NAME QUERY [-k N] | rename NAME NEW | rm NAME [PATH]
       | model NAME MODEL | model NAME --none`,
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&o.embedModel, "embed-model", "", "embed with `MODEL` (an installed embedding model); none: keyword search only")
				fs.IntVar(&o.k, "k", 8, "return `N` results")
				fs.BoolVar(&o.none, "none", false, "docs model: search keywords only (no embedding model)")
				fs.Var(&o.include, "include", "add only files matching `GLOB` (name or relative path; repeatable)")
				fs.Var(&o.exclude, "exclude", "leave out files and folders matching `GLOB` (repeatable)")
			},
			run: func(ctx context.Context, c *call) error { return runDocs(ctx, c, o) },
		}
	})
}

type docsOpts struct {
	embedModel string
	k          int
	none       bool
	include    stringList
	exclude    stringList
}

// stringList is a repeatable string flag.
type stringList []string

// String shows the values, comma-separated.
func (l *stringList) String() string { return strings.Join(*l, ",") }

// Set adds one value.
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runDocs(ctx context.Context, c *call, o docsOpts) error {
	if len(c.args) == 0 {
		return usageError{"a subcommand is needed: create, add, rescan, list, search, rename, model or rm"}
	}
	sub, args := c.args[0], c.args[1:]
	need := map[string][2]int{"create": {1, 1}, "add": {2, -1}, "rescan": {1, 1}, "list": {0, 1}, "search": {2, -1}, "rename": {2, 2}, "model": {1, 2}, "rm": {1, 2}}
	n, ok := need[sub]
	if !ok {
		return usageError{fmt.Sprintf("unknown subcommand %q (create, add, rescan, list, search, rename, model, rm)", sub)}
	}
	if len(args) < n[0] || (n[1] >= 0 && len(args) > n[1]) {
		return usageError{fmt.Sprintf("wrong number of arguments for docs %s", sub)}
	}
	if sub == "model" && o.none == (len(args) == 2) {
		return usageError{"docs model needs a MODEL or --none (keyword search only), not both"}
	}
	co, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer co.Close()
	svc := rag.New(co.Store, rag.Options{Logger: c.g.options().Logger})
	switch sub {
	case "create":
		return docsCreate(ctx, c, co, svc, args[0], o)
	case "add", "rescan":
		return docsAdd(ctx, c, svc, args[0], args[1:], o)
	case "list":
		return docsList(ctx, c, svc, args)
	case "model":
		return docsModel(ctx, c, co, svc, args, o)
	case "search":
		return docsSearch(ctx, c, svc, args[0], strings.Join(args[1:], " "), o.k)
	case "rename":
		if err := svc.Rename(ctx, args[0], args[1]); err != nil {
			return err
		}
		if c.g.json {
			return c.printJSON(map[string]string{"renamed": args[0], "to": strings.TrimSpace(args[1])})
		}
		fmt.Fprintf(c.Stdout, "renamed collection %s to %s\n", args[0], strings.TrimSpace(args[1]))
		return nil
	default:
		return docsRm(ctx, c, svc, args)
	}
}

func docsCreate(ctx context.Context, c *call, co *core.Core, svc *rag.Service, name string, o docsOpts) error {
	model, host := o.embedModel, ""
	if model != "" {
		hosts, err := co.Hosts(ctx)
		if err != nil {
			return err
		}
		if host, model, err = rag.FindEmbedModel(ctx, hosts, model); err != nil {
			return fmt.Errorf("%w; install one (for example `wadi models pull nomic-embed-text`) or create the collection without --embed-model for keyword search only", err)
		}
	}
	coll, err := svc.Create(ctx, name, model, host)
	if err != nil {
		return err
	}
	if c.g.json {
		return c.printJSON(coll)
	}
	if model == "" {
		fmt.Fprintf(c.Stdout, "created collection %s (keyword search only: no embedding model)\n", coll.Name)
	} else {
		fmt.Fprintf(c.Stdout, "created collection %s (embeddings: %s on %s)\n", coll.Name, model, host)
	}
	return nil
}

func docsAdd(ctx context.Context, c *call, svc *rag.Service, name string, paths []string, o docsOpts) error {
	opt := progressOpts(c)
	opt.Include, opt.Exclude = o.include, o.exclude
	var p rag.Progress
	var err error
	if len(paths) == 0 {
		p, err = svc.Rescan(ctx, name, opt)
	} else {
		p, err = svc.Add(ctx, name, paths, opt)
	}
	if err != nil {
		return err
	}
	files, err := svc.Files(ctx, name)
	if err != nil {
		return err
	}
	if c.g.json {
		return c.printJSON(struct {
			Summary rag.Progress    `json:"summary"`
			Files   []store.DocFile `json:"files"`
		}{p, files})
	}
	printSummary(c, p, files)
	return nil
}

// docsModel changes a collection's embedding model (or makes it
// keyword-only) and re-embeds its chunks, with progress on stderr.
func docsModel(ctx context.Context, c *call, co *core.Core, svc *rag.Service, args []string, o docsOpts) error {
	name, model, host := args[0], "", ""
	if !o.none {
		hosts, err := co.Hosts(ctx)
		if err != nil {
			return err
		}
		if host, model, err = rag.FindEmbedModel(ctx, hosts, args[1]); err != nil {
			return fmt.Errorf("%w; install one (for example `wadi models pull nomic-embed-text`) or use --none for keyword search only", err)
		}
	}
	if err := svc.SetModel(ctx, name, model, host); err != nil {
		return err
	}
	p, err := svc.Rescan(ctx, name, progressOpts(c))
	if err != nil {
		return err
	}
	coll, err := svc.Collection(ctx, name)
	if err != nil {
		return err
	}
	if c.g.json {
		return c.printJSON(struct {
			Collection store.DocCollection `json:"collection"`
			Summary    rag.Progress        `json:"summary"`
		}{coll, p})
	}
	if model == "" {
		fmt.Fprintf(c.Stdout, "collection %s now searches keywords only (no embedding model)\n", coll.Name)
	} else {
		fmt.Fprintf(c.Stdout, "collection %s now embeds with %s on %s: %d chunks\n", coll.Name, model, host, coll.Chunks)
	}
	return nil
}

// progressOpts reports an indexing run on stderr, at most twice a second.
func progressOpts(c *call) rag.AddOptions {
	return rag.AddOptions{ProgressEvery: 500 * time.Millisecond,
		Progress: func(p rag.Progress) {
			switch p.Phase {
			case "index":
				eta := ""
				if p.ETA > 0 {
					eta = ", about " + p.ETA.Round(time.Second).String() + " left"
				}
				fmt.Fprintf(c.Stderr, "indexing: %d/%d files, %d chunks%s\n", p.FilesDone, p.FilesTotal, p.Chunks, eta)
			case "embed":
				fmt.Fprintf(c.Stderr, "embedding: %d/%d chunks\n", p.Embedded, p.EmbedTotal)
			}
		}}
}

// printSummary prints an indexing run's counts and each file's problem.
func printSummary(c *call, p rag.Progress, files []store.DocFile) {
	fmt.Fprintf(c.Stdout, "%d files: %d indexed, %d unchanged, %d failed, %d skipped, %d removed; %d chunks written\n",
		p.FilesTotal, p.Indexed, p.Unchanged, p.Failed, p.Skipped, p.Removed, p.Chunks)
	for _, f := range files {
		if f.Error != "" {
			fmt.Fprintf(c.Stdout, "  %s %s: %s\n", f.State, f.Path, f.Error)
		}
	}
}

func docsList(ctx context.Context, c *call, svc *rag.Service, args []string) error {
	if len(args) == 0 {
		list, err := svc.Collections(ctx)
		if err != nil {
			return err
		}
		if c.g.json {
			if list == nil {
				list = []store.DocCollection{}
			}
			return c.printJSON(list)
		}
		if len(list) == 0 {
			fmt.Fprintln(c.Stdout, "no collections; create one with `wadi docs create NAME`")
			return nil
		}
		tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tFILES\tCHUNKS\tEMBEDDINGS")
		for _, col := range list {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", col.Name, col.Files, col.Chunks, orNone(col.EmbedModel))
		}
		return tw.Flush()
	}
	coll, err := svc.Collection(ctx, args[0])
	if err != nil {
		return err
	}
	files, err := svc.Files(ctx, args[0])
	if err != nil {
		return err
	}
	if c.g.json {
		if files == nil {
			files = []store.DocFile{}
		}
		return c.printJSON(struct {
			Collection store.DocCollection `json:"collection"`
			Files      []store.DocFile     `json:"files"`
		}{coll, files})
	}
	fmt.Fprintf(c.Stdout, "%s: %d files, %d chunks, embeddings: %s\n", coll.Name, coll.Files, coll.Chunks, orNone(coll.EmbedModel))
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	for _, f := range files {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d chunks\t%s\n", f.State, f.Path, f.Format, f.ChunkCount, f.Error)
	}
	return tw.Flush()
}

func docsSearch(ctx context.Context, c *call, svc *rag.Service, name, query string, k int) error {
	if k <= 0 {
		return usageError{"-k must be at least 1"}
	}
	res, err := svc.Search(ctx, name, query, k)
	if err != nil {
		return err
	}
	if c.g.json {
		return c.printJSON(res)
	}
	if res.Notice != "" {
		fmt.Fprintf(c.Stderr, "note: %s\n", res.Notice)
	}
	if len(res.Hits) == 0 {
		fmt.Fprintln(c.Stdout, "no matches")
		return nil
	}
	for i, h := range res.Hits {
		fmt.Fprintf(c.Stdout, "[%d] %s  (fused %.4f, vector %s, keyword %s)\n", i+1, rag.Label(h), h.Fused, score(h.VectorScore), score(h.KeywordScore))
		fmt.Fprintf(c.Stdout, "    %s\n", snippet(h))
	}
	return nil
}

func docsRm(ctx context.Context, c *call, svc *rag.Service, args []string) error {
	if len(args) == 1 {
		if err := svc.Delete(ctx, args[0]); err != nil {
			return err
		}
		if c.g.json {
			return c.printJSON(map[string]any{"deleted": args[0]})
		}
		fmt.Fprintf(c.Stdout, "deleted collection %s\n", args[0])
		return nil
	}
	n, err := svc.Remove(ctx, args[0], args[1])
	if err != nil {
		return err
	}
	if c.g.json {
		return c.printJSON(map[string]any{"collection": args[0], "path": args[1], "filesRemoved": n})
	}
	fmt.Fprintf(c.Stdout, "removed %s from %s (%d files)\n", filepath.Clean(args[1]), args[0], n)
	return nil
}

func score(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *p)
}

// snippet is one line of a hit for a terminal: the keyword snippet with its
// marks shown as [..], or the start of the chunk; control characters out.
func snippet(h rag.Hit) string {
	s := h.Snippet
	if s == "" {
		s = h.Text
	}
	s = strings.NewReplacer(store.MarkStart, "[", store.MarkEnd, "]").Replace(s)
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:160]) + "…"
	}
	return s
}
