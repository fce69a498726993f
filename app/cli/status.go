package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/ollama"
	"github.com/wadi-app/wadi/backend/version"
)

func init() {
	register("version", func() command {
		return command{
			summary: "print Wadi's version",
			run: func(_ context.Context, c *call) error {
				if len(c.args) > 0 {
					return usageError{"takes no arguments"}
				}
				v := version.Get()
				if c.g.json {
					return c.printJSON(v)
				}
				fmt.Fprintf(c.Stdout, "wadi %s (commit %s, %s, %s/%s)\n", v.Version, orNone(v.Commit), v.GoVersion, v.OS, v.Arch)
				return nil
			},
		}
	})
	register("status", func() command {
		return command{
			summary: "show the data directory and each Ollama host's health (exit 3 if a host is unhealthy)",
			run:     runStatus,
		}
	})
}

func runStatus(ctx context.Context, c *call) error {
	if len(c.args) > 0 {
		return usageError{"takes no arguments"}
	}
	co, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer co.Close()
	rep, err := co.Status(ctx)
	if err != nil {
		return err
	}
	if c.g.json {
		if err := c.printJSON(rep); err != nil {
			return err
		}
	} else {
		printStatus(c, rep)
	}
	for _, h := range rep.Hosts {
		if h.State != ollama.KindOK {
			return exitError{code: ExitUnreachable, err: fmt.Errorf("host %s: %s", h.URL, h.State)}
		}
	}
	return nil
}

func printStatus(c *call, rep core.Report) {
	fmt.Fprintf(c.Stdout, "Wadi %s\n", rep.Version.Version)
	fmt.Fprintf(c.Stdout, "Data dir:  %s\nDatabase:  %s\n\nOllama hosts:\n", rep.DataDir, rep.DBPath)
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	for _, h := range rep.Hosts {
		if h.State == ollama.KindOK {
			fmt.Fprintf(tw, "  %s\tok\tOllama %s\t%d models\t%d ms\n", h.URL, h.Version, h.ModelCount, h.LatencyMs)
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t\t\t\n", h.URL, h.State)
	}
	tw.Flush()
	for _, h := range rep.Hosts {
		if h.State != ollama.KindOK {
			fmt.Fprintf(c.Stdout, "\n%s\n  (%s)\n", h.Hint, h.Error)
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
