package desktop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/models"
	"github.com/wadi-app/wadi/backend/pull"
	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

// Seams to the native file dialogs, replaced in tests.
var (
	pickFolderDialog = runtime.OpenDirectoryDialog
	pickFilesDialog  = runtime.OpenMultipleFilesDialog
)

// withDocs runs f with a bounded context and the shared document service.
func withDocs[T any](a *App, f func(context.Context, *rag.Service) (T, error)) (T, error) {
	return bounded(a, func(ctx context.Context) (T, error) { return f(ctx, a.ragService()) })
}

// Collections lists every document collection with its file and chunk
// counts (never null).
func (a *App) Collections() ([]store.DocCollection, error) {
	return withDocs(a, func(ctx context.Context, s *rag.Service) ([]store.DocCollection, error) {
		list, err := s.Collections(ctx)
		if list == nil {
			list = []store.DocCollection{}
		}
		return list, err
	})
}

// CreateCollection makes an empty collection. embedModel "" makes it
// keyword-only; otherwise host must be a configured host that has the
// model installed with the embedding capability.
func (a *App) CreateCollection(name, embedModel, host string) (store.DocCollection, error) {
	return withDocs(a, func(ctx context.Context, s *rag.Service) (store.DocCollection, error) {
		h, m, err := a.embedModel(ctx, embedModel, host)
		if err != nil {
			return store.DocCollection{}, fmt.Errorf("collection %q: %w", strings.TrimSpace(name), err)
		}
		return s.Create(ctx, name, m, h)
	})
}

// embedModel checks that model is an embedding model installed on the
// configured host and returns the host and the model's full name ("", ""
// for keyword-only).
func (a *App) embedModel(ctx context.Context, model, host string) (string, string, error) {
	model = strings.TrimSpace(model)
	if model == "" {
		return "", "", nil
	}
	if host == "" {
		return "", "", fmt.Errorf("embedding model %s needs a host", model)
	}
	if err := a.knownHost(ctx, host); err != nil {
		return "", "", err
	}
	return rag.FindEmbedModel(ctx, []string{host}, model)
}

// RenameCollection renames a collection (also while it is being indexed).
func (a *App) RenameCollection(name, newName string) error {
	_, err := withDocs(a, func(ctx context.Context, s *rag.Service) (struct{}, error) {
		c, err := s.Collection(ctx, name)
		if err != nil {
			return struct{}{}, err
		}
		if err := s.Rename(ctx, name, newName); err != nil {
			return struct{}{}, err
		}
		a.docJobs.renamed(c.ID, strings.TrimSpace(newName))
		return struct{}{}, nil
	})
	return err
}

// DeleteCollection deletes a collection and everything indexed in it,
// cancelling its indexing job first.
func (a *App) DeleteCollection(name string) error {
	_, err := withDocs(a, func(ctx context.Context, s *rag.Service) (struct{}, error) {
		c, err := s.Collection(ctx, name)
		if err != nil {
			return struct{}{}, err
		}
		if err := a.docJobs.cancelAndWait(ctx, c.ID); err != nil {
			return struct{}{}, fmt.Errorf("delete collection %q: %w", c.Name, err)
		}
		if err := s.Delete(ctx, c.Name); err != nil {
			return struct{}{}, err
		}
		a.docJobs.forget(c.ID)
		return struct{}{}, nil
	})
	return err
}

// SetCollectionModel changes a collection's embedding model (model ""
// makes it keyword-only) and re-embeds it in the background; the job's
// progress arrives as docs:progress events.
func (a *App) SetCollectionModel(name, model, host string) (IndexJob, error) {
	return withDocs(a, func(ctx context.Context, s *rag.Service) (IndexJob, error) {
		var h, m string
		prepare := func(ctx context.Context, c store.DocCollection) error {
			var err error
			if h, m, err = a.embedModel(ctx, model, host); err != nil {
				return fmt.Errorf("collection %q: %w", c.Name, err)
			}
			return s.SetModel(ctx, c.Name, m, h)
		}
		return a.startIndexing(ctx, name, JobModel, prepare, func(ctx context.Context, c string, opt rag.AddOptions) (rag.Progress, error) {
			return s.Rescan(ctx, c, opt)
		})
	})
}

// CollectionFiles lists a collection's files and how their indexing went
// (never null).
func (a *App) CollectionFiles(name string) ([]store.DocFile, error) {
	return withDocs(a, func(ctx context.Context, s *rag.Service) ([]store.DocFile, error) {
		files, err := s.Files(ctx, name)
		if files == nil {
			files = []store.DocFile{}
		}
		return files, err
	})
}

// DocSource is a file or folder added to a collection, with the patterns
// its folder is filtered by.
type DocSource struct {
	Path    string   `json:"path"`
	Include []string `json:"include"`
	Exclude []string `json:"exclude"`
}

// CollectionSources lists the files and folders added to a collection
// (never null), so the page can show files relative to their folder.
func (a *App) CollectionSources(name string) ([]DocSource, error) {
	return withDocs(a, func(ctx context.Context, s *rag.Service) ([]DocSource, error) {
		c, err := s.Collection(ctx, name)
		if err != nil {
			return []DocSource{}, err
		}
		srcs, err := a.core.Store.Sources(ctx, c.ID)
		out := make([]DocSource, 0, len(srcs))
		for _, src := range srcs {
			out = append(out, DocSource{Path: src.Path, Include: orEmpty(src.Include), Exclude: orEmpty(src.Exclude)})
		}
		return out, err
	})
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// AddDocuments adds files and folders (absolute paths; "~/" is the home
// folder) to a collection and indexes it in the background. Folders are
// walked recursively, hidden files skipped; include and exclude are glob
// patterns on a file's name or path relative to the folder.
func (a *App) AddDocuments(name string, paths, include, exclude []string) (IndexJob, error) {
	return withDocs(a, func(ctx context.Context, s *rag.Service) (IndexJob, error) {
		include, exclude = cleanPatterns(include), cleanPatterns(exclude)
		var abs []string
		prepare := func(_ context.Context, c store.DocCollection) error {
			var err error
			if abs, err = checkPaths(paths); err != nil {
				return fmt.Errorf("collection %q: %w", c.Name, err)
			}
			if err := rag.ValidatePatterns(include); err != nil {
				return fmt.Errorf("include %w", err)
			}
			if err := rag.ValidatePatterns(exclude); err != nil {
				return fmt.Errorf("exclude %w", err)
			}
			return nil
		}
		return a.startIndexing(ctx, name, JobAdd, prepare, func(ctx context.Context, c string, opt rag.AddOptions) (rag.Progress, error) {
			opt.Include, opt.Exclude = include, exclude
			return s.Add(ctx, c, abs, opt)
		})
	})
}

// cleanPatterns trims patterns and drops empty ones.
func cleanPatterns(ps []string) []string {
	var out []string
	for _, p := range ps {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// checkPaths expands "~/", requires absolute paths that exist, and drops
// duplicates. The window has no working directory a relative path could
// mean.
func checkPaths(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
			home, err := os.UserHomeDir()
			if err != nil {
				return nil, fmt.Errorf("path %s: %w", p, err)
			}
			p = filepath.Join(home, p[1:])
		}
		if !filepath.IsAbs(p) {
			return nil, fmt.Errorf("path %s is not absolute: give the full path (for example %s)", p, filepath.Join(string(filepath.Separator)+"home", "you", p))
		}
		p = filepath.Clean(p)
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("path %s: %w", p, err)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no files or folders to add")
	}
	return out, nil
}

// RescanCollection brings a collection up to date with its files and
// folders in the background: new files are indexed, changed ones
// re-indexed, deleted ones removed.
func (a *App) RescanCollection(name string) (IndexJob, error) {
	return withDocs(a, func(ctx context.Context, s *rag.Service) (IndexJob, error) {
		return a.startIndexing(ctx, name, JobRescan, nil, func(ctx context.Context, c string, opt rag.AddOptions) (rag.Progress, error) {
			return s.Rescan(ctx, c, opt)
		})
	})
}

// CancelIndexing stops a collection's running job. The files indexed so far
// stay; a rescan finishes the rest.
func (a *App) CancelIndexing(name string) error {
	_, err := withDocs(a, func(ctx context.Context, s *rag.Service) (struct{}, error) {
		c, err := s.Collection(ctx, name)
		if err != nil {
			return struct{}{}, err
		}
		if !a.docJobs.cancel(c.ID) {
			return struct{}{}, fmt.Errorf("collection %q is not being indexed", c.Name)
		}
		return struct{}{}, nil
	})
	return err
}

// IndexJobs lists the running jobs and the last finished job of each
// collection (never null).
func (a *App) IndexJobs() ([]IndexJob, error) {
	return bounded(a, func(context.Context) ([]IndexJob, error) { return a.docJobs.list(), nil })
}

// RemoveDocument removes a file or folder from a collection and returns how
// many files were removed. A file inside an added folder is also excluded
// from that folder, so a rescan does not bring it back.
func (a *App) RemoveDocument(name, path string) (int, error) {
	return withDocs(a, func(ctx context.Context, s *rag.Service) (int, error) {
		c, err := s.Collection(ctx, name)
		if err != nil {
			return 0, err
		}
		if a.docJobs.running(c.ID) {
			return 0, fmt.Errorf("remove %s: collection %q is being indexed; cancel or wait for it first", path, c.Name)
		}
		return s.Remove(ctx, c.Name, path)
	})
}

// SearchCollection finds the k chunks of a collection that best match
// query: hybrid with an embedding model, keyword-only (and saying so)
// without one.
func (a *App) SearchCollection(name, query string, k int) (rag.Results, error) {
	return withDocs(a, func(ctx context.Context, s *rag.Service) (rag.Results, error) {
		return s.Search(ctx, name, query, k)
	})
}

// EmbedModel is an installed model that can embed.
type EmbedModel struct {
	Host          string `json:"host"`
	Name          string `json:"name"`
	ContextLength int    `json:"contextLength"`
}

// EmbedModels lists the embedding-capable models installed on the
// reachable configured hosts (never null).
func (a *App) EmbedModels() ([]EmbedModel, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) ([]EmbedModel, error) {
		opts, err := s.ChatModels(ctx)
		out := []EmbedModel{}
		for _, o := range opts {
			if slices.Contains(o.Capabilities, "embedding") {
				out = append(out, EmbedModel{Host: o.Host, Name: o.Name, ContextLength: o.ContextLength})
			}
		}
		return out, err
	})
}

// SuggestEmbedModels lists the catalog's embedding models that fit this
// machine, the one Wadi would choose first, for the offer to download one.
func (a *App) SuggestEmbedModels() ([]catalog.Suggestion, error) {
	return withLibrary(a, func(ctx context.Context, lib *models.Library, _ *pull.Queue) ([]catalog.Suggestion, error) {
		m := lib.Machine(ctx)
		first := ""
		for _, s := range lib.Catalog.Suggest(m) {
			if s.Role == "embedding" {
				first = s.PullName
			}
		}
		out := []catalog.Suggestion{}
		for _, e := range lib.Catalog.Search(m, catalog.Filter{Capability: "embedding", FitsOnly: true}, 0) {
			v := e.Variants[0]
			s := catalog.Suggestion{Role: "embedding", PullName: v.PullName, Name: e.Name + " " + v.Params,
				Description: e.Description, DownloadBytes: v.DownloadBytes, Verdict: v.Fit.Verdict, Summary: v.Fit.Summary}
			if s.PullName == first {
				out = slices.Insert(out, 0, s)
			} else {
				out = append(out, s)
			}
		}
		return out, nil
	})
}

// PickDocumentFolder asks for a folder to add; "" if the user cancels.
func (a *App) PickDocumentFolder() (string, error) {
	if a.openErr != nil {
		return "", a.openErr
	}
	return pickFolderDialog(a.ctx, runtime.OpenDialogOptions{Title: "Add a folder of documents"})
}

// PickDocumentFiles asks for files to add; empty if the user cancels.
func (a *App) PickDocumentFiles() ([]string, error) {
	if a.openErr != nil {
		return []string{}, a.openErr
	}
	paths, err := pickFilesDialog(a.ctx, runtime.OpenDialogOptions{
		Title: "Add documents",
		Filters: []runtime.FileFilter{
			{DisplayName: "Documents", Pattern: "*.pdf;*.docx;*.html;*.htm;*.epub;*.md;*.markdown;*.txt;*.csv"},
			{DisplayName: "All files", Pattern: "*"},
		},
	})
	if paths == nil {
		paths = []string{}
	}
	return paths, err
}
