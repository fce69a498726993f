package rag

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/wadi-app/wadi/backend/rag/chunk"
	"github.com/wadi-app/wadi/backend/rag/extract"
	"github.com/wadi-app/wadi/backend/store"
)

// Progress reports an indexing run. FilesTotal is known after the scan.
type Progress struct {
	Phase      string `json:"phase"` // "scan", "index", "embed", "done"
	FilesDone  int    `json:"filesDone"`
	FilesTotal int    `json:"filesTotal"`
	Chunks     int    `json:"chunks"`  // chunks written so far
	Current    string `json:"current"` // file being indexed
	Indexed    int    `json:"indexed"` // files (re)indexed
	Unchanged  int    `json:"unchanged"`
	Failed     int    `json:"failed"`
	Skipped    int    `json:"skipped"`
	Removed    int    `json:"removed"`
	// Embedded of EmbedTotal chunks got their vectors in the "embed" phase
	// (chunks that lack one from the collection's model: after a model
	// change, or an embedding that failed).
	Embedded   int           `json:"embedded"`
	EmbedTotal int           `json:"embedTotal"`
	ETA        time.Duration `json:"-"`     // 0 when unknown
	ETAMs      int64         `json:"etaMs"` // ETA in milliseconds
}

// AddOptions filter what a folder contributes.
type AddOptions struct {
	Include []string // glob patterns on name or relative path; none: all
	Exclude []string
	// Progress, if set, is called at most every ProgressEvery and once at
	// the end of each phase.
	Progress      func(Progress)
	ProgressEvery time.Duration // default 200 ms
}

// Add adds files and folders to a collection and indexes them, then
// rescans the collection's other sources too (see Rescan).
func (s *Service) Add(ctx context.Context, name string, paths []string, opt AddOptions) (Progress, error) {
	c, err := s.Collection(ctx, name)
	if err != nil {
		return Progress{}, err
	}
	if err := ValidatePatterns(opt.Include); err != nil {
		return Progress{}, err
	}
	if err := ValidatePatterns(opt.Exclude); err != nil {
		return Progress{}, err
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return Progress{}, fmt.Errorf("add %s: %w", p, err)
		}
		if _, err := os.Stat(abs); err != nil {
			return Progress{}, fmt.Errorf("add %s: %w", p, err)
		}
		if err := s.st.AddSource(ctx, c.ID, store.DocSource{Path: abs, Include: opt.Include, Exclude: opt.Exclude}); err != nil {
			return Progress{}, err
		}
	}
	return s.sync(ctx, c, opt)
}

// Rescan brings a collection up to date with its sources: new files are
// indexed, changed ones (size, mtime, then content hash) re-indexed,
// deleted ones removed, and chunks embedded by another model re-embedded.
func (s *Service) Rescan(ctx context.Context, name string, opt AddOptions) (Progress, error) {
	c, err := s.Collection(ctx, name)
	if err != nil {
		return Progress{}, err
	}
	return s.sync(ctx, c, opt)
}

// Remove removes a source (file or folder) and its files from a collection.
func (s *Service) Remove(ctx context.Context, name, path string) (int, error) {
	c, err := s.Collection(ctx, name)
	if err != nil {
		return 0, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, fmt.Errorf("remove %s: %w", path, err)
	}
	srcErr := s.st.RemoveSource(ctx, c.ID, abs)
	files, err := s.st.Files(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		if under(f.Path, abs) {
			if err := s.st.DeleteFile(ctx, c.ID, f.Path); err != nil {
				return n, err
			}
			n++
		}
	}
	if n == 0 && srcErr != nil {
		return 0, fmt.Errorf("%s is not in collection %q: %w", path, name, srcErr)
	}
	s.drop(c.ID)
	return n, s.keepOut(ctx, c.ID, abs)
}

// keepOut adds an anchored exclude pattern for path to every folder source
// that holds it, so that the next rescan does not add it again.
func (s *Service) keepOut(ctx context.Context, collID int64, path string) error {
	srcs, err := s.st.Sources(ctx, collID)
	if err != nil {
		return err
	}
	for _, src := range srcs {
		if src.Path == path || !under(path, src.Path) {
			continue
		}
		rel, err := filepath.Rel(src.Path, path)
		if err != nil {
			continue
		}
		pat, ok := exactPattern(filepath.ToSlash(rel))
		if !ok {
			s.log.Warn("documents: cannot write an exclude pattern; a rescan adds the file again", "path", path)
			continue
		}
		if slices.Contains(src.Exclude, pat) {
			continue
		}
		src.Exclude = append(src.Exclude, pat)
		if err := s.st.AddSource(ctx, collID, src); err != nil {
			return fmt.Errorf("remove %s: keep it out of %s: %w", path, src.Path, err)
		}
	}
	return nil
}

// sync runs one indexing pass over all of the collection's sources.
func (s *Service) sync(ctx context.Context, c store.DocCollection, opt AddOptions) (Progress, error) {
	release, err := s.claim(c)
	if err != nil {
		return Progress{}, err
	}
	defer release()
	defer s.drop(c.ID)
	r := newReporter(opt)
	r.p.Phase = "scan"
	r.emit(true)
	srcs, err := s.st.Sources(ctx, c.ID)
	if err != nil {
		return r.p, err
	}
	seen := map[string]found{}
	var order []string
	for _, src := range srcs {
		files, err := walkSource(src)
		if err != nil {
			// A source that is gone removes its files below; say so in the log.
			s.log.Warn("documents: source unreadable", "collection", c.Name, "err", err)
			continue
		}
		for _, f := range files {
			if _, dup := seen[f.path]; !dup {
				order = append(order, f.path)
			}
			seen[f.path] = f
		}
	}
	stored, err := s.st.Files(ctx, c.ID)
	if err != nil {
		return r.p, err
	}
	old := map[string]store.DocFile{}
	for _, f := range stored {
		old[f.Path] = f
		if _, ok := seen[f.Path]; !ok {
			if err := s.st.DeleteFile(ctx, c.ID, f.Path); err != nil && !errors.Is(err, store.ErrNotFound) {
				return r.p, err
			}
			r.p.Removed++
		}
	}
	r.p.Phase, r.p.FilesTotal = "index", len(order)
	r.start = time.Now()
	r.emit(true)
	for _, path := range order {
		if err := ctx.Err(); err != nil {
			return r.p, err
		}
		r.p.Current = path
		n, outcome, err := s.indexFile(ctx, c, seen[path], old[path])
		if err != nil {
			return r.p, stopped(ctx, err) // the store failed or ctx ended: stop
		}
		r.count(outcome, n)
		r.emit(false)
	}
	r.p.Current = ""
	if c.EmbedModel != "" {
		if err := s.reembed(ctx, c, r); err != nil {
			return r.p, stopped(ctx, err)
		}
	}
	r.p.Phase, r.p.ETA = "done", 0
	r.emit(true)
	return r.p, nil
}

// stopped is the error that ended a run: ctx's when it ended, since a
// write cut short by the cancel fails with the store's own error
// (database/sql rolls the transaction back: "transaction has already been
// committed or rolled back"), and callers tell a cancel from a failure.
func stopped(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%w (%v)", ctxErr, err)
	}
	return err
}

// indexFile brings one file up to date. It returns the chunks written and
// the outcome ("unchanged", "indexed", "failed", "skipped"); an error only
// when the run must stop (cancelled, store failing).
func (s *Service) indexFile(ctx context.Context, c store.DocCollection, f found, old store.DocFile) (int, string, error) {
	if old.ID != 0 && old.Size == f.size && old.MtimeNs == f.mtimeNs {
		return 0, "unchanged", nil
	}
	row := store.DocFile{CollectionID: c.ID, Path: f.path, Size: f.size, MtimeNs: f.mtimeNs}
	hash, err := hashFile(f.path)
	if err != nil {
		row.State, row.Error = store.FileFailed, err.Error()
		_, err := s.st.PutFile(ctx, row, nil)
		return 0, row.State, err
	}
	row.Hash = hash
	if old.ID != 0 && old.Hash == hash && old.State != store.FilePending {
		// Touched, not changed: keep the chunks, note the new mtime.
		old.Size, old.MtimeNs = f.size, f.mtimeNs
		return 0, "unchanged", s.st.TouchFile(ctx, old)
	}
	doc, err := extract.File(ctx, f.path, s.limits)
	if err != nil {
		if ctx.Err() != nil {
			return 0, "", ctx.Err()
		}
		row.State, row.Error = store.FileFailed, err.Error()
		if errors.Is(err, extract.ErrUnsupported) {
			row.State = store.FileSkipped
		}
		_, err := s.st.PutFile(ctx, row, nil)
		return 0, row.State, err
	}
	row.Format, row.Title, row.Pages = doc.Format, doc.Title, doc.Pages
	parts := chunk.SplitDocument(doc, s.chunk)
	chunks := make([]store.DocChunk, len(parts))
	for i, p := range parts {
		chunks[i] = store.DocChunk{Seq: p.Index, Text: p.Text, Page: p.Page, EndPage: p.EndPage, Section: p.Section,
			Start: p.Start, End: p.End, Tokens: p.Tokens}
	}
	row.State = store.FileIndexed
	if c.EmbedModel != "" && len(chunks) > 0 {
		if err := s.embedChunks(ctx, c, chunks); err != nil {
			if ctx.Err() != nil {
				return 0, "", ctx.Err()
			}
			// Keyword search still works; the next pass retries the vectors.
			row.Error = notEmbedded + err.Error()
		}
	}
	_, err = s.st.PutFile(ctx, row, chunks)
	return len(chunks), row.State, err
}

// notEmbedded starts the note on a file whose chunks await their vectors.
const notEmbedded = "not embedded yet: "

// hashFile is the hex SHA-256 of a file's content.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
