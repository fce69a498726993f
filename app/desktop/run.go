package desktop

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"sync"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/wadi-app/wadi/assets"
	"github.com/wadi-app/wadi/backend/core"
)

// domReadyHooks run once when the UI has loaded (the e2e driver adds one).
var domReadyHooks []func(ctx context.Context)

// Run opens the window over the user's data and blocks until it closes.
// frontend is the built web UI (frontend/dist). If the data cannot be
// opened the window still opens and shows why.
// Cancelling ctx (Ctrl+C, SIGTERM) closes the window.
func Run(ctx context.Context, frontend fs.FS, opt core.Options) error {
	opt.Logger = nil // log to the default logger set up below (stderr + the state dir)
	c, openErr := core.Open(ctx, opt)
	log := newLogger(c)
	slog.SetDefault(log)
	if openErr != nil {
		log.Error("open data", "err", openErr)
	} else {
		defer c.Close()
		log.Info("wadi starting", "data", c.Dirs.Data)
	}
	app := NewApp(c, openErr)
	defer app.stopEngine()   // before the database closes
	defer app.stopChats()    // running answers are saved before the database closes
	defer app.stopCompares() // compare columns are saved before the chats close
	defer app.stopModels()   // downloads stop and stay queued for the next start
	defer app.stopDocs()     // indexing jobs stop; a rescan finishes their files
	var once sync.Once
	err := wails.Run(&options.App{
		Title:            "Wadi",
		Width:            1200,
		Height:           780,
		MinWidth:         760,
		MinHeight:        520,
		BackgroundColour: &options.RGBA{R: 24, G: 24, B: 27, A: 255},
		AssetServer:      &assetserver.Options{Assets: frontend},
		OnStartup: func(wctx context.Context) {
			app.startup(wctx)
			go app.startEngine(ctx)
			go func() {
				select {
				case <-ctx.Done():
					runtime.Quit(wctx)
				case <-wctx.Done():
				}
			}()
		},
		OnDomReady: func(ctx context.Context) {
			once.Do(func() {
				for _, h := range domReadyHooks {
					h(ctx)
				}
			})
		},
		Bind: []any{app},
		Linux: &linux.Options{
			ProgramName:      "wadi",
			Icon:             assets.IconPNG,
			WebviewGpuPolicy: linux.WebviewGpuPolicyOnDemand,
		},
	})
	if err != nil {
		return fmt.Errorf("open window: %w", err)
	}
	return nil
}

// newLogger logs to stderr and, when the data is open, to the state dir.
func newLogger(c *core.Core) *slog.Logger {
	var w io.Writer = os.Stderr
	if c != nil {
		if f, err := os.OpenFile(c.Dirs.LogFile(), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err == nil {
			w = io.MultiWriter(os.Stderr, f)
		}
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
