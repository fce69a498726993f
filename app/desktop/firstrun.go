package desktop

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"time"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/engine"
	"github.com/wadi-app/wadi/backend/models"
	"github.com/wadi-app/wadi/backend/pull"
	"github.com/wadi-app/wadi/backend/store"
)

const welcomeDoneKey = "welcome.done"

// FirstRunInfo is what the welcome screen shows.
type FirstRunInfo struct {
	// Show is true until the user has dismissed the welcome screen once.
	Show bool `json:"show"`
	// Engine says which Ollama serves Wadi ("system", "builtin", "none").
	Engine core.EngineInfo `json:"engine"`
	// SystemOllama is the path of an installed Ollama, "" if none.
	SystemOllama string `json:"systemOllama"`
	// DataDir is where Wadi keeps the user's data.
	DataDir string `json:"dataDir"`
}

// FirstRun reports what the welcome screen needs.
func (a *App) FirstRun() (FirstRunInfo, error) {
	return bounded(a, func(ctx context.Context) (FirstRunInfo, error) {
		var done bool
		err := a.core.Store.GetSetting(ctx, welcomeDoneKey, &done)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return FirstRunInfo{}, err
		}
		return FirstRunInfo{
			Show:         !done,
			Engine:       a.core.Engine(),
			SystemOllama: engine.SystemBinary(),
			DataDir:      a.core.Dirs.Data,
		}, nil
	})
}

// DismissWelcome records that the welcome screen was seen.
func (a *App) DismissWelcome() error {
	_, err := bounded(a, noValue(func(ctx context.Context) error {
		return a.core.Store.SetSetting(ctx, welcomeDoneKey, true)
	}))
	return err
}

// StartOllama starts the system's Ollama (`ollama serve`), when installed,
// and tells the UI to check the hosts again.
func (a *App) StartOllama() error {
	if a.openErr != nil {
		return a.openErr
	}
	if err := engine.StartSystem(filepath.Join(a.core.Dirs.State, "ollama-serve.log")); err != nil {
		return err
	}
	// Give the server a moment to bind before the UI re-checks; the status
	// polling picks it up later anyway if it is slower.
	time.AfterFunc(time.Second, func() { a.emit.Emit("status:changed", nil) })
	return nil
}

// OpenDataDir opens the data folder in the system's file manager.
func (a *App) OpenDataDir() error {
	if a.openErr != nil {
		return a.openErr
	}
	var cmd *exec.Cmd
	switch goruntime.GOOS {
	case "darwin":
		cmd = exec.Command("open", a.core.Dirs.Data)
	case "windows":
		cmd = exec.Command("explorer", a.core.Dirs.Data)
	default:
		cmd = exec.Command("xdg-open", a.core.Dirs.Data)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open %s: %w", a.core.Dirs.Data, err)
	}
	go cmd.Wait()
	return nil
}

// SuggestedModels proposes a first chat model and embedding model that fit
// this machine, for the welcome screen.
func (a *App) SuggestedModels() ([]catalog.Suggestion, error) {
	return withLibrary(a, func(ctx context.Context, lib *models.Library, _ *pull.Queue) ([]catalog.Suggestion, error) {
		return lib.Catalog.Suggest(lib.Machine(ctx)), nil
	})
}
