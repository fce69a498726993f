package desktop

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/models"
	"github.com/wadi-app/wadi/backend/pull"
)

// Event names of the model library.
const (
	EventDownload = "models:download" // a pull.Download: state changes and throttled progress
	EventImport   = "models:import"   // a models.ImportJob
)

// settingParallel stores how many downloads run at once.
const settingParallel = "models.parallelDownloads"

// modelsHolder owns the App's model library and download queue, created on
// first use (or at startup, so unfinished downloads resume).
type modelsHolder struct {
	mu    sync.Mutex
	lib   *models.Library
	queue *pull.Queue
	// pullOpts adjusts the queue's options before it is created (tests).
	pullOpts func(*pull.Options)
}

// library returns the model library and the download queue.
func (a *App) library(ctx context.Context) (*models.Library, *pull.Queue, error) {
	if a.openErr != nil {
		return nil, nil, a.openErr
	}
	h := &a.models
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.queue != nil {
		return h.lib, h.queue, nil
	}
	lib, err := models.NewLibrary(a.core.Dirs.Data, a.core.Hosts)
	if err != nil {
		return nil, nil, err
	}
	opt := lib.QueueOptions()
	opt.AutoResume = true
	var n int
	if err := a.core.Store.GetSetting(ctx, settingParallel, &n); err == nil && n > 0 {
		opt.Parallel = n
	}
	opt.OnUpdate = func(d pull.Download) { a.emit.Emit(EventDownload, d) }
	if h.pullOpts != nil {
		h.pullOpts(&opt)
	}
	q, err := pull.New(ctx, a.core.Store, opt)
	if err != nil {
		return nil, nil, err
	}
	h.lib, h.queue = lib, q
	return lib, q, nil
}

// startModels resumes unfinished downloads when the window starts.
func (a *App) startModels() {
	if _, _, err := a.library(a.ctx); err != nil && a.openErr == nil {
		slog.Error("start download queue", "err", err)
	}
}

// stopModels stops running downloads (they resume at the next start).
func (a *App) stopModels() {
	a.models.mu.Lock()
	q := a.models.queue
	a.models.mu.Unlock()
	if q != nil {
		q.Close()
	}
}

// knownHost refuses a host that is not configured.
func (a *App) knownHost(ctx context.Context, host string) error {
	hosts, err := a.core.Hosts(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(hosts, host) {
		return fmt.Errorf("host %q is not a configured Ollama host", host)
	}
	return nil
}

// withLibrary runs f with a bounded context, the model library and the
// download queue.
func withLibrary[T any](a *App, f func(context.Context, *models.Library, *pull.Queue) (T, error)) (T, error) {
	return bounded(a, func(ctx context.Context) (T, error) {
		lib, q, err := a.library(ctx)
		if err != nil {
			var zero T
			return zero, err
		}
		return f(ctx, lib, q)
	})
}

// onHost runs f with a bounded context if host is a configured host.
func onHost[T any](a *App, host string, f func(context.Context) (T, error)) (T, error) {
	return bounded(a, func(ctx context.Context) (T, error) {
		if err := a.knownHost(ctx, host); err != nil {
			var zero T
			return zero, err
		}
		return f(ctx)
	})
}

// Machine describes this computer: RAM, CPU, GPUs and free disk.
func (a *App) Machine() (catalog.Machine, error) {
	return withLibrary(a, func(ctx context.Context, lib *models.Library, _ *pull.Queue) (catalog.Machine, error) {
		return lib.Machine(ctx), nil
	})
}

// Catalog returns the catalog entries matching filter, with fits.
func (a *App) Catalog(filter catalog.Filter) ([]catalog.Listed, error) {
	return withLibrary(a, func(ctx context.Context, lib *models.Library, _ *pull.Queue) ([]catalog.Listed, error) {
		return lib.Search(ctx, filter), nil
	})
}

// FitFor estimates a catalog pull name or an installed model at numCtx
// tokens (0: the default).
func (a *App) FitFor(name string, numCtx int) (catalog.Fit, error) {
	if numCtx < 0 {
		return catalog.Fit{}, fmt.Errorf("context length %d must not be negative", numCtx)
	}
	return withLibrary(a, func(ctx context.Context, lib *models.Library, _ *pull.Queue) (catalog.Fit, error) {
		return lib.Fit(ctx, name, numCtx)
	})
}

// InstalledModels lists the models on a configured host with capabilities.
func (a *App) InstalledModels(host string) ([]models.Installed, error) {
	return onHost(a, host, func(ctx context.Context) ([]models.Installed, error) { return models.List(ctx, host) })
}

// ModelDetails returns license, parameters, template and model facts.
func (a *App) ModelDetails(host, name string) (models.Details, error) {
	return onHost(a, host, func(ctx context.Context) (models.Details, error) { return models.Show(ctx, host, name) })
}

// DeleteModel removes a model from a host (the UI confirms first).
func (a *App) DeleteModel(host, name string) error {
	_, err := onHost(a, host, noValue(func(ctx context.Context) error { return models.Delete(ctx, host, name) }))
	return err
}

// Running lists the models loaded on a host, with Wadi's estimate beside
// what Ollama reports.
func (a *App) Running(host string) ([]models.Running, error) {
	return onHost(a, host, func(ctx context.Context) ([]models.Running, error) {
		lib, _, err := a.library(ctx)
		if err != nil {
			return nil, err
		}
		return models.ListRunning(ctx, host, lib.Machine(ctx), lib.Catalog)
	})
}

// Unload frees a loaded model now.
func (a *App) Unload(host, name string) error {
	_, err := onHost(a, host, noValue(func(ctx context.Context) error { return models.Unload(ctx, host, name) }))
	return err
}

// Downloads lists the download queue, oldest first.
func (a *App) Downloads() ([]pull.Download, error) {
	return withLibrary(a, func(_ context.Context, _ *models.Library, q *pull.Queue) ([]pull.Download, error) {
		return q.List(), nil
	})
}

// StartDownload queues a pull of any model name to a configured host. It
// refuses when the catalog size does not fit the free disk.
func (a *App) StartDownload(host, name string) (pull.Download, error) {
	return onHost(a, host, func(ctx context.Context) (pull.Download, error) {
		_, q, err := a.library(ctx)
		if err != nil {
			return pull.Download{}, err
		}
		return q.Start(ctx, host, name)
	})
}

// PauseDownload pauses a download, keeping what was received.
func (a *App) PauseDownload(id int64) (pull.Download, error) {
	return withLibrary(a, func(ctx context.Context, _ *models.Library, q *pull.Queue) (pull.Download, error) {
		return q.Pause(ctx, id)
	})
}

// ResumeDownload continues a paused, stalled, failed or canceled download.
func (a *App) ResumeDownload(id int64) (pull.Download, error) {
	return withLibrary(a, func(ctx context.Context, _ *models.Library, q *pull.Queue) (pull.Download, error) {
		return q.Resume(ctx, id)
	})
}

// CancelDownload stops a download for good.
func (a *App) CancelDownload(id int64) error {
	_, err := withLibrary(a, func(ctx context.Context, _ *models.Library, q *pull.Queue) (pull.Download, error) {
		return q.Cancel(ctx, id)
	})
	return err
}

// SetParallelDownloads sets (and remembers) how many downloads run at once.
func (a *App) SetParallelDownloads(n int) error {
	_, err := withLibrary(a, func(ctx context.Context, _ *models.Library, q *pull.Queue) (struct{}, error) {
		if err := q.SetParallel(n); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, a.core.Store.SetSetting(ctx, settingParallel, n)
	})
	return err
}

// pickGGUF opens the native file dialog; tests replace it.
var pickGGUF = func(ctx context.Context) (string, error) {
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{
		Title:   "Import a GGUF model",
		Filters: []runtime.FileFilter{{DisplayName: "GGUF models (*.gguf)", Pattern: "*.gguf"}},
	})
}

// PickGGUF asks for a .gguf file; "" if the user cancels.
func (a *App) PickGGUF() (string, error) {
	if a.openErr != nil {
		return "", a.openErr
	}
	return pickGGUF(a.ctx)
}

// ImportGGUF checks the file and the name, then uploads and creates the
// model in the background, reporting progress as models:import events.
// The returned job is the first state; bad input is refused at once.
func (a *App) ImportGGUF(req models.ImportRequest) (models.ImportJob, error) {
	ctx, cancel, err := a.call()
	if err != nil {
		return models.ImportJob{}, err
	}
	defer cancel()
	if err := a.knownHost(ctx, req.Host); err != nil {
		return models.ImportJob{}, err
	}
	if err := models.ValidImportName(req.Name, pull.ValidName); err != nil {
		return models.ImportJob{}, err
	}
	if _, err := models.CheckGGUF(req.Path); err != nil {
		return models.ImportJob{}, err
	}
	first := make(chan models.ImportJob, 1)
	go func() {
		sent := false
		_, err := models.Import(a.ctx, req, func(j models.ImportJob) {
			if !sent {
				sent = true
				first <- j
			}
			a.emit.Emit(EventImport, j)
		})
		if err != nil {
			slog.Warn("import GGUF", "path", req.Path, "err", err)
		}
	}()
	select {
	case j := <-first:
		return j, nil
	case <-ctx.Done():
		return models.ImportJob{}, errors.New("import did not start in time")
	}
}
