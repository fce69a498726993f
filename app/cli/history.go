package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/wadi-app/wadi/backend/history"
)

func init() {
	register("history", func() command {
		var format string
		var limit int
		return command{
			summary: "list, show, search, export or import chats",
			usage: "list | show ID | search QUERY | export ID --format md|json | import FILE\n" +
				"search finds chat messages and compare runs (prompts and answers), best matches first",
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&format, "format", "md", "export `FORMAT`: md or json")
				fs.IntVar(&limit, "limit", 20, "search: at most `N` hits")
			},
			run: func(ctx context.Context, c *call) error { return runHistory(ctx, c, format, limit) },
		}
	})
}

func runHistory(ctx context.Context, c *call, format string, limit int) error {
	if len(c.args) == 0 {
		return usageError{"expected: history list | show ID | search QUERY | export ID --format md|json | import FILE"}
	}
	sub, rest := c.args[0], c.args[1:]
	need := map[string]int{"list": 0, "show": 1, "export": 1, "import": 1}
	if n, ok := need[sub]; ok && len(rest) != n {
		return usageError{fmt.Sprintf("history %s takes %d argument(s)", sub, n)}
	}
	if sub == "search" && len(rest) == 0 {
		return usageError{"history search needs a QUERY"}
	}
	if _, ok := need[sub]; !ok && sub != "search" {
		return usageError{fmt.Sprintf("unknown history command %q", sub)}
	}
	co, svc, err := c.openChats(ctx)
	if err != nil {
		return err
	}
	defer co.Close()
	defer svc.Close()
	switch sub {
	case "list":
		cs, err := svc.ListChats(ctx)
		if err != nil {
			return err
		}
		if c.g.json {
			return c.printJSON(nonNil(cs))
		}
		tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTITLE\tMODEL\tMESSAGES\tUPDATED")
		for _, s := range cs {
			pin := ""
			if s.Pinned {
				pin = "* "
			}
			fmt.Fprintf(tw, "%d\t%s%s\t%s\t%d\t%s\n", s.ID, pin, s.Title, s.Model, s.MessageCount, s.UpdatedAt)
		}
		return tw.Flush()
	case "show":
		id, err := chatID(rest[0])
		if err != nil {
			return err
		}
		v, err := svc.GetChat(ctx, id)
		if err != nil {
			return err
		}
		if c.g.json {
			return c.printJSON(v)
		}
		md, err := svc.ExportChat(ctx, id, "md")
		if err != nil {
			return err
		}
		fmt.Fprint(c.Stdout, md)
		return nil
	case "search":
		hits, err := history.Search(ctx, co.Store, strings.Join(rest, " "), limit)
		if err != nil {
			return err
		}
		if c.g.json {
			return c.printJSON(hits)
		}
		if len(hits) == 0 {
			fmt.Fprintln(c.Stderr, "no chats or comparisons match")
			return nil
		}
		tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "KIND\tID\tTITLE\tROLE\tMATCH")
		oneLine := strings.NewReplacer("\x02", "[", "\x03", "]", "\n", " ", "\t", " ")
		for _, h := range hits {
			id := fmt.Sprintf("chat %d, message %d", h.ChatID, h.MessageID)
			if h.Kind == history.KindCompare {
				id = fmt.Sprintf("compare %d, turn %d", h.RunID, h.Turn+1)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", h.Kind, id, oneLine.Replace(h.Title), h.Role, oneLine.Replace(h.Snippet))
		}
		return tw.Flush()
	case "export":
		id, err := chatID(rest[0])
		if err != nil {
			return err
		}
		if format != "md" && format != "json" {
			return usageError{fmt.Sprintf("--format %q: use md or json", format)}
		}
		doc, err := svc.ExportChat(ctx, id, format)
		if err != nil {
			return err
		}
		fmt.Fprint(c.Stdout, doc)
		return nil
	default: // import
		b, err := os.ReadFile(rest[0])
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		s, err := svc.ImportChat(ctx, string(b))
		if err != nil {
			return fmt.Errorf("%s: %w", rest[0], err)
		}
		if c.g.json {
			return c.printJSON(s)
		}
		fmt.Fprintf(c.Stdout, "imported %q as chat %d (%d messages)\n", s.Title, s.ID, s.MessageCount)
		return nil
	}
}

func chatID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError{fmt.Sprintf("chat ID %q: must be a positive number", s)}
	}
	return id, nil
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
