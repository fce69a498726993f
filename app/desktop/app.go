// Package desktop is Wadi's window face and the only package Wails binds.
// App's exported methods are what the web UI calls (window.go.desktop.App.*
// in JavaScript, through frontend/src/lib/api.ts); each returns (T, error)
// and stays thin over backend/core.
package desktop

import (
	"context"
	"errors"
	"time"

	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/version"
)

// callTimeout bounds a UI call that has no bound of its own, so the UI never
// waits forever on the backend.
const callTimeout = 20 * time.Second

// App is the object bound to the web UI.
type App struct {
	core    *core.Core
	openErr error // why the data could not be opened; every call reports it
	ctx     context.Context
	emit    Emitter
	engine  engineHolder
	chat    chatHolder
	compare compareHolder
	models  modelsHolder
	docs    docsHolder
	docJobs indexHolder // the Documents page's background indexing jobs
}

// NewApp returns an App over c. If the data could not be opened, pass c nil
// and the reason: the window still opens and shows that reason.
func NewApp(c *core.Core, openErr error) *App {
	if c == nil && openErr == nil {
		openErr = errors.New("wadi: no data directory open")
	}
	return &App{core: c, openErr: openErr, ctx: context.Background(), emit: discardEmitter{}}
}

// startup keeps the Wails context and starts emitting events to the window;
// called from OnStartup.
func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.emit = wailsEmitter{ctx}
	go a.startModels() // unfinished downloads resume
}

func (a *App) call() (context.Context, context.CancelFunc, error) {
	if a.openErr != nil {
		return nil, nil, a.openErr
	}
	ctx, cancel := context.WithTimeout(a.ctx, callTimeout)
	return ctx, cancel, nil
}

// bounded runs f with a context bounded by callTimeout, or reports why the
// data is not open. Every bound method goes through it (or a wrapper of it).
func bounded[T any](a *App, f func(ctx context.Context) (T, error)) (T, error) {
	ctx, cancel, err := a.call()
	if err != nil {
		var zero T
		return zero, err
	}
	defer cancel()
	return f(ctx)
}

// noValue adapts a func returning only an error to bounded.
func noValue(f func(ctx context.Context) error) func(context.Context) (struct{}, error) {
	return func(ctx context.Context) (struct{}, error) { return struct{}{}, f(ctx) }
}

// Version returns which Wadi this is.
func (a *App) Version() (version.Info, error) { return version.Get(), nil }

// Status reports the data location and each host's health. It returns
// within about ollama.ProbeTimeout whatever the hosts do.
func (a *App) Status() (core.Report, error) {
	return bounded(a, func(ctx context.Context) (core.Report, error) { return a.core.Status(ctx) })
}

// Hosts returns the configured Ollama hosts.
func (a *App) Hosts() ([]string, error) {
	return bounded(a, func(ctx context.Context) ([]string, error) { return a.core.Hosts(ctx) })
}

// AddHost adds a host URL as typed by the user and returns the new list.
func (a *App) AddHost(url string) ([]string, error) {
	return bounded(a, func(ctx context.Context) ([]string, error) { return a.core.AddHost(ctx, url) })
}

// RemoveHost removes a host and returns the new list.
func (a *App) RemoveHost(url string) ([]string, error) {
	return bounded(a, func(ctx context.Context) ([]string, error) { return a.core.RemoveHost(ctx, url) })
}

// Models lists the models installed on one configured host.
func (a *App) Models(host string) ([]core.ModelInfo, error) {
	return bounded(a, func(ctx context.Context) ([]core.ModelInfo, error) { return a.core.Models(ctx, host) })
}
