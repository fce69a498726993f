package cli

import (
	"context"
	"fmt"
)

func init() {
	register("hosts", func() command {
		return command{
			summary: "list, add or remove Ollama hosts (hosts | hosts add URL | hosts rm URL)",
			usage:   "[add URL | rm URL]",
			run:     runHosts,
		}
	})
}

func runHosts(ctx context.Context, c *call) error {
	co, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer co.Close()
	var list []string
	switch {
	case len(c.args) == 0 || (len(c.args) == 1 && c.args[0] == "list"):
		list, err = co.Hosts(ctx)
	case len(c.args) == 2 && c.args[0] == "add":
		list, err = co.AddHost(ctx, c.args[1])
	case len(c.args) == 2 && (c.args[0] == "rm" || c.args[0] == "remove"):
		list, err = co.RemoveHost(ctx, c.args[1])
	default:
		return usageError{"expected: hosts [list] | hosts add URL | hosts rm URL"}
	}
	if err != nil {
		return err
	}
	if c.g.json {
		return c.printJSON(list)
	}
	for _, h := range list {
		fmt.Fprintln(c.Stdout, h)
	}
	return nil
}
