// Command wadi is the Wadi desktop app and its command-line face: with no
// command it opens the window; `wadi <command>` runs without a display.
package main

import (
	"context"
	"embed"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"github.com/wadi-app/wadi/app/cli"
	"github.com/wadi-app/wadi/app/desktop"
	"github.com/wadi-app/wadi/backend/core"
)

//go:embed all:frontend/dist
var dist embed.FS

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		OpenWindow: openWindow,
	})
	stop()
	os.Exit(code)
}

func openWindow(ctx context.Context, opt core.Options) error {
	assets, err := fs.Sub(dist, "frontend/dist")
	if err != nil {
		return err
	}
	return desktop.Run(ctx, assets, opt)
}
