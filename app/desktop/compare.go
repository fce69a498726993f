package desktop

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/wadi-app/wadi/backend/compare"
)

// Compare events: batched column text (at most one per column every ~40 ms
// plus a final one) and set run progress.
const (
	CompareStreamEvent = "compare:stream"
	CompareSetRunEvent = "compare:setrun"
)

// compareHolder owns the App's compare service, created on first use.
type compareHolder struct {
	mu  sync.Mutex
	svc *compare.Service
}

// compares returns the compare service, creating it (and recovering what a
// killed Wadi left running) on first use.
func (a *App) compares(ctx context.Context) (*compare.Service, error) {
	chats, err := a.chats(ctx)
	if err != nil {
		return nil, err
	}
	a.compare.mu.Lock()
	defer a.compare.mu.Unlock()
	if a.compare.svc != nil {
		return a.compare.svc, nil
	}
	svc := compare.New(a.core.Store, a.core.Hosts, chats, compare.Options{Docs: a.ragService()})
	if err := svc.Recover(ctx); err != nil {
		return nil, err
	}
	a.compare.svc = svc
	return svc, nil
}

// stopCompares stops running columns and set runs (saved, resumable).
func (a *App) stopCompares() {
	a.compare.mu.Lock()
	svc := a.compare.svc
	a.compare.mu.Unlock()
	if svc != nil {
		svc.Close()
	}
}

// withCompares runs f with a bounded context and the compare service.
func withCompares[T any](a *App, f func(context.Context, *compare.Service) (T, error)) (T, error) {
	return bounded(a, func(ctx context.Context) (T, error) {
		svc, err := a.compares(ctx)
		if err != nil {
			var zero T
			return zero, err
		}
		return f(ctx, svc)
	})
}

func (a *App) onCompare(ev compare.Event) { a.emit.Emit(CompareStreamEvent, ev) }
func (a *App) onSetRun(r compare.SetRun)  { a.emit.Emit(CompareSetRunEvent, r) }
func nonNil[T any](xs []T, err error) ([]T, error) {
	if xs == nil {
		xs = []T{}
	}
	return xs, err
}

// StartCompare stores a comparison, schedules its columns and streams them
// as compare:stream events.
func (a *App) StartCompare(req compare.Request) (compare.View, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (compare.View, error) {
		return s.Start(ctx, req, a.onCompare)
	})
}

// FollowUp asks every column of a run a further prompt, each with its own
// history.
func (a *App) FollowUp(runID int64, prompt string) (compare.View, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (compare.View, error) {
		return s.FollowUp(ctx, runID, prompt, a.onCompare)
	})
}

// StopCompare stops a run's running columns; their text is kept.
func (a *App) StopCompare(runID int64) error {
	_, err := withCompares(a, func(ctx context.Context, s *compare.Service) (struct{}, error) {
		s.Stop(runID)
		return struct{}{}, nil
	})
	return err
}

// GetCompare returns a run (no model names while blind and unvoted).
func (a *App) GetCompare(runID int64) (compare.View, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (compare.View, error) { return s.Get(ctx, runID) })
}

// ListCompares lists the runs, newest first.
func (a *App) ListCompares() ([]compare.Summary, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) ([]compare.Summary, error) { return nonNil(s.List(ctx)) })
}

// Vote stores the vote on a turn; a blind run's names are revealed.
func (a *App) Vote(runID int64, turn int, vote compare.Vote) (compare.View, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (compare.View, error) {
		return s.CastVote(ctx, runID, turn, vote)
	})
}

// Leaderboard ranks the models from the votes on runs tagged tag ("": all).
func (a *App) Leaderboard(tag string) ([]compare.LeaderRow, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) ([]compare.LeaderRow, error) {
		return nonNil(s.Leaderboard(ctx, tag))
	})
}

// ContinueAsChat makes a normal chat of one column's history and returns
// the chat's id.
func (a *App) ContinueAsChat(runID int64, column int) (int64, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (int64, error) {
		return s.ContinueAsChat(ctx, runID, column)
	})
}

// PromptSets lists the saved prompt sets by name.
func (a *App) PromptSets() ([]compare.PromptSet, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) ([]compare.PromptSet, error) {
		return nonNil(s.PromptSets(ctx))
	})
}

// SavePromptSet creates (id 0) or updates a prompt set; names are unique.
func (a *App) SavePromptSet(set compare.PromptSet) (compare.PromptSet, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (compare.PromptSet, error) {
		return s.SavePromptSet(ctx, set)
	})
}

// DeletePromptSet removes a prompt set.
func (a *App) DeletePromptSet(id int64) error {
	_, err := withCompares(a, func(ctx context.Context, s *compare.Service) (struct{}, error) {
		return struct{}{}, s.DeletePromptSet(ctx, id)
	})
	return err
}

// RunPromptSet runs a prompt set against columns in the background, each
// prompt answering from document collection ("" none), reporting progress
// as compare:setrun events.
func (a *App) RunPromptSet(setID int64, columns []compare.ColumnSpec, collection string) (compare.SetRun, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (compare.SetRun, error) {
		return s.RunSet(ctx, setID, columns, collection, a.onSetRun)
	})
}

// PauseSetRun pauses a set run after its current prompt is stopped.
func (a *App) PauseSetRun(id int64) (compare.SetRun, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (compare.SetRun, error) {
		return s.PauseSetRun(ctx, id)
	})
}

// ResumeSetRun continues a paused set run.
func (a *App) ResumeSetRun(id int64) (compare.SetRun, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (compare.SetRun, error) {
		return s.ResumeSetRun(ctx, id, a.onSetRun)
	})
}

// GetSetRun returns a set run with the answers so far.
func (a *App) GetSetRun(id int64) (compare.SetRun, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (compare.SetRun, error) { return s.GetSetRun(ctx, id) })
}

// SaveSetRunExport asks where to save a set run as Markdown ("md") or CSV
// ("csv") and writes it; it returns the path, or "" if cancelled.
func (a *App) SaveSetRunExport(id int64, format string) (string, error) {
	return withCompares(a, func(ctx context.Context, s *compare.Service) (string, error) {
		r, err := s.GetSetRun(ctx, id)
		if err != nil {
			return "", err
		}
		doc, err := compare.ExportSetRun(r, format)
		if err != nil {
			return "", err
		}
		path, err := saveFileDialog(a.ctx, runtime.SaveDialogOptions{
			Title:           "Export prompt set results",
			DefaultFilename: fmt.Sprintf("prompt-set-run-%d.%s", id, format),
			Filters:         []runtime.FileFilter{{DisplayName: strings.ToUpper(format) + " files", Pattern: "*." + format}},
		})
		if err != nil || path == "" {
			return "", err
		}
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			return "", fmt.Errorf("export set run to %s: %w", path, err)
		}
		return path, nil
	})
}
