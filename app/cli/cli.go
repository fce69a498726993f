// Package cli is Wadi's command-line face: `wadi <command>` over the same
// backend and data as the window, never needing a display. It parses flags,
// prints text or JSON (--json), and maps failures to exit codes.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"

	"github.com/wadi-app/wadi/backend/core"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitError       = 1 // the command failed; the reason is on stderr
	ExitUsage       = 2 // the command line itself is wrong
	ExitUnreachable = 3 // `wadi status`: some host is not healthy
)

// Env is what a command runs with.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// OpenWindow opens the desktop window; nil where there is none (tests).
	OpenWindow func(context.Context, core.Options) error
}

// globals are the flags every command accepts, before or after its name.
type globals struct {
	dataDir string
	host    string
	json    bool
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.dataDir, "data-dir", g.dataDir, "use `DIR` for all data (default: XDG data dir, or $WADI_DATA_DIR)")
	fs.StringVar(&g.host, "host", g.host, "use only this Ollama `URL` for this run")
	fs.BoolVar(&g.json, "json", g.json, "print machine-readable JSON")
}

func (g *globals) options() core.Options {
	return core.Options{DataDir: g.dataDir, Host: g.host, Logger: slog.New(slog.DiscardHandler)}
}

// command is one `wadi <name>` subcommand.
type command struct {
	summary string
	usage   string
	run     func(ctx context.Context, c *call) error
	flags   func(fs *flag.FlagSet)
}

// call is one invocation of a command.
type call struct {
	Env
	g    globals
	args []string
}

// commands maps each name to a factory, so that every call gets fresh
// variables for its own flags.
var commands = map[string]func() command{}

func register(name string, factory func() command) { commands[name] = factory }

// usageError marks a wrong command line (exit 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitError carries a specific exit code for a failure already reported.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }

// Run runs the command line args (without the program name) and returns the
// exit code. With no command it opens the window.
func Run(ctx context.Context, args []string, env Env) int {
	var g globals
	fs := flag.NewFlagSet("wadi", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(env.Stdout)
			return ExitOK
		}
		fmt.Fprintf(env.Stderr, "wadi: %v\n", err)
		printUsage(env.Stderr)
		return ExitUsage
	}
	if fs.NArg() == 0 {
		if env.OpenWindow == nil {
			printUsage(env.Stderr)
			return ExitUsage
		}
		if err := env.OpenWindow(ctx, g.options()); err != nil {
			fmt.Fprintf(env.Stderr, "wadi: %v\n", err)
			return ExitError
		}
		return ExitOK
	}
	name := fs.Arg(0)
	factory, ok := commands[name]
	if !ok {
		fmt.Fprintf(env.Stderr, "wadi: unknown command %q\n", name)
		printUsage(env.Stderr)
		return ExitUsage
	}
	cmd := factory()
	c := &call{Env: env, g: g}
	cfs := flag.NewFlagSet("wadi "+name, flag.ContinueOnError)
	cfs.SetOutput(io.Discard)
	c.g.register(cfs)
	if cmd.flags != nil {
		cmd.flags(cfs)
	}
	pos, err := parseInterspersed(cfs, fs.Args()[1:])
	if errors.Is(err, flag.ErrHelp) {
		printCommandUsage(env.Stdout, name, cmd, cfs)
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "wadi %s: %v\n", name, err)
		printCommandUsage(env.Stderr, name, cmd, cfs)
		return ExitUsage
	}
	c.args = pos
	err = cmd.run(ctx, c)
	var ue usageError
	var ee exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "wadi %s: %v\n", name, err)
		printCommandUsage(env.Stderr, name, cmd, cfs)
		return ExitUsage
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintf(env.Stderr, "wadi %s: %v\n", name, err)
		return ExitError
	}
}

// parseInterspersed parses flags that may stand between positional
// arguments ("hosts add URL --json"); "--" ends flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		rest := args
		if err := fs.Parse(rest); err != nil {
			return nil, err
		}
		consumed := len(rest) - len(fs.Args())
		if consumed > 0 && rest[consumed-1] == "--" {
			return append(pos, fs.Args()...), nil
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// open opens the user's data for a command.
func (c *call) open(ctx context.Context) (*core.Core, error) {
	return core.Open(ctx, c.g.options())
}

// printJSON writes v as indented JSON to stdout.
func (c *call) printJSON(v any) error {
	enc := json.NewEncoder(c.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `Wadi: private chat with open-weight models, on your own machine.

Usage:
  wadi                      open the window
  wadi <command> [flags]    run a command without a display

Commands:
`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-22s  %s\n", n, commands[n]().summary)
	}
	fmt.Fprint(w, `
Global flags (before or after the command):
  --data-dir DIR   use DIR for all data (default: XDG data dir, or $WADI_DATA_DIR)
  --host URL       use only this Ollama host for this run
  --json           print machine-readable JSON

Run 'wadi <command> -h' for a command's own flags.
`)
}

func printCommandUsage(w io.Writer, name string, cmd command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: wadi %s\n%s\n\nFlags:\n", strings.TrimSpace(name+" "+cmd.usage), cmd.summary)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}
