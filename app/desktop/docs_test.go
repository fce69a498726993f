package desktop

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// docsApp is chatApp that also stops indexing jobs and downloads before
// the data closes (cleanups run last-registered first).
func docsApp(t *testing.T, host string) (*App, *RecordingEmitter) {
	t.Helper()
	a, rec := chatApp(t, host)
	t.Cleanup(func() { a.stopDocs(); a.stopModels() })
	return a, rec
}

// writeFiles creates files (relative path -> content) under a new temp dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// bigFolder has n small text files: enough work to cancel midway.
func bigFolder(t *testing.T, n int) string {
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("f%04d.txt", i)] = fmt.Sprintf("File %d tells of otters and the river, line after line.\n", i)
	}
	return writeFiles(t, files)
}

// jobEnd waits for the final docs:progress event of the job of collection
// coll started at startedAt, and returns every event of that job.
func jobEnd(t *testing.T, rec *RecordingEmitter, coll, startedAt string) []IndexJob {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var out []IndexJob
		for _, e := range rec.Events() {
			if j, ok := e.Data.(IndexJob); ok && e.Name == EventDocsProgress && j.Collection == coll && j.StartedAt == startedAt {
				out = append(out, j)
			}
		}
		if n := len(out); n > 0 && out[n-1].State != JobRunning {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("job of %s did not finish; events %+v", coll, out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func fileStates(t *testing.T, a *App, coll string) map[string]store.DocFile {
	t.Helper()
	files, err := a.CollectionFiles(coll)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.DocFile{}
	for _, f := range files {
		out[filepath.Base(f.Path)] = f
	}
	return out
}

func TestDocsIndexInBackground(t *testing.T) {
	a, rec := docsApp(t, "http://127.0.0.1:1")
	if cs, err := a.Collections(); err != nil || cs == nil || len(cs) != 0 {
		t.Fatalf("Collections = %#v, %v (want an empty list, not null)", cs, err)
	}
	if jobs, err := a.IndexJobs(); err != nil || jobs == nil || len(jobs) != 0 {
		t.Fatalf("IndexJobs = %#v, %v", jobs, err)
	}
	c, err := a.CreateCollection("notes", "", "")
	if err != nil || c.Name != "notes" || c.EmbedModel != "" {
		t.Fatalf("CreateCollection = %+v, %v", c, err)
	}
	dir := writeFiles(t, map[string]string{
		"guide.md":       "# Guide\n\nThe walrus protocol keeps notes private.\n\n## Setup\n\nInstall the walrus daemon.\n",
		"plain.txt":      "Zebras graze near the river.\n",
		"sub/deep.md":    "# Deep\n\nOctopus facts in a nested folder.\n",
		"sub/plain.txt":  "Zebras again, one folder down.\n",
		"broken.pdf":     "%PDF-1.7\nthis is not really a PDF at all\n",
		"empty.txt":      "",
		"photo.png":      "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
		".hidden.md":     "flamingo",
		"drafts/skip.md": "flamingo draft",
	})

	// Refused before any job starts: bad paths and patterns name the problem.
	for _, tc := range []struct {
		paths, include []string
		want           string
	}{
		{[]string{"relative/dir"}, nil, "not absolute"},
		{[]string{filepath.Join(dir, "nope")}, nil, "nope"},
		{[]string{" "}, nil, "no files or folders"},
		{[]string{dir}, []string{"["}, `pattern "["`},
	} {
		if _, err := a.AddDocuments("notes", tc.paths, tc.include, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("AddDocuments(%v, %v) err = %v, want %q", tc.paths, tc.include, err, tc.want)
		}
	}
	if jobs, _ := a.IndexJobs(); len(jobs) != 0 {
		t.Fatalf("a refused add left a job: %+v", jobs)
	}
	if _, err := a.AddDocuments("missing", []string{dir}, nil, nil); !errors.Is(err, rag.ErrNoCollection) {
		t.Fatalf("add to a missing collection: %v", err)
	}

	job, err := a.AddDocuments("notes", []string{dir}, nil, []string{" drafts ", ""})
	if err != nil || job.State != JobRunning || job.Kind != JobAdd || job.Collection != "notes" {
		t.Fatalf("AddDocuments = %+v, %v", job, err)
	}
	evs := jobEnd(t, rec, "notes", job.StartedAt)
	end := evs[len(evs)-1]
	if end.State != JobDone || end.FinishedAt == "" || end.Error != "" {
		t.Fatalf("final event %+v", end)
	}
	p := end.Progress
	if p.Phase != "done" || p.FilesTotal != 7 || p.FilesDone != 7 || p.Indexed != 4 || p.Failed != 2 || p.Skipped != 1 || p.Chunks < 3 {
		t.Fatalf("final progress %+v", p)
	}
	var phases []string
	for _, e := range evs {
		if len(phases) == 0 || phases[len(phases)-1] != e.Progress.Phase {
			phases = append(phases, e.Progress.Phase)
		}
	}
	if strings.Join(phases, ",") != "scan,index,done" {
		t.Errorf("phases %v", phases)
	}

	files := fileStates(t, a, "notes")
	if len(files) != 6 { // by base name: plain.txt twice
		t.Fatalf("files %+v", files)
	}
	for name, want := range map[string]string{"guide.md": "indexed", "plain.txt": "indexed", "deep.md": "indexed",
		"broken.pdf": "failed", "empty.txt": "failed", "photo.png": "skipped"} {
		f := files[name]
		if f.State != want {
			t.Errorf("%s: state %q, want %q (%s)", name, f.State, want, f.Error)
		}
		if (want == "indexed") == (f.Error != "") {
			t.Errorf("%s: error %q", name, f.Error)
		}
	}
	if !strings.Contains(files["broken.pdf"].Error, "broken.pdf") {
		t.Errorf("the failure does not name the file: %q", files["broken.pdf"].Error)
	}
	if jobs, _ := a.IndexJobs(); len(jobs) != 1 || jobs[0].State != JobDone || jobs[0].Progress.Indexed != 4 {
		t.Fatalf("the finished job must stay listed: %+v", jobs)
	}
	srcs, err := a.CollectionSources("notes")
	if err != nil || len(srcs) != 1 || srcs[0].Path != dir || len(srcs[0].Exclude) != 1 || srcs[0].Exclude[0] != "drafts" || srcs[0].Include == nil {
		t.Fatalf("CollectionSources = %+v, %v", srcs, err)
	}

	res, err := a.SearchCollection("notes", "walrus daemon", 5)
	if err != nil || res.Mode != rag.ModeKeyword || !strings.Contains(res.Notice, "keyword-only") || len(res.Hits) == 0 {
		t.Fatalf("SearchCollection = %+v, %v", res, err)
	}
	if h := res.Hits[0]; !strings.HasSuffix(h.File, "guide.md") || !strings.Contains(h.Snippet, store.MarkStart+"walrus"+store.MarkEnd) {
		t.Fatalf("hit %+v", h)
	}

	// Files of an added folder are removed and stay out after a rescan,
	// never at the cost of another file: leaving out plain.txt keeps
	// sub/plain.txt (the patterns are anchored at the folder).
	for _, rel := range []string{"guide.md", "sub/deep.md", "plain.txt"} {
		if n, err := a.RemoveDocument("notes", filepath.Join(dir, rel)); err != nil || n != 1 {
			t.Fatalf("RemoveDocument(%s) = %d, %v", rel, n, err)
		}
	}
	if srcs, _ := a.CollectionSources("notes"); len(srcs) != 1 || strings.Join(srcs[0].Exclude, ",") != "drafts,/guide.md,/sub/deep.md,/plain.txt" {
		t.Fatalf("excludes after remove: %+v", srcs)
	}
	job, err = a.RescanCollection("notes")
	if err != nil || job.Kind != JobRescan {
		t.Fatalf("RescanCollection = %+v, %v", job, err)
	}
	evs = jobEnd(t, rec, "notes", job.StartedAt)
	if end := evs[len(evs)-1]; end.State != JobDone || end.Progress.FilesTotal != 4 || end.Progress.Unchanged != 4 || end.Progress.Indexed != 0 {
		t.Fatalf("rescan %+v", end)
	}
	after, _ := a.CollectionFiles("notes")
	var rels []string
	for _, f := range after {
		r, _ := filepath.Rel(dir, f.Path)
		rels = append(rels, filepath.ToSlash(r))
	}
	if strings.Join(rels, ",") != "broken.pdf,empty.txt,photo.png,sub/plain.txt" {
		t.Fatalf("files after rescan: %v", rels)
	}

	if err := a.RenameCollection("notes", " papers "); err != nil {
		t.Fatal(err)
	}
	if jobs, _ := a.IndexJobs(); len(jobs) != 1 || jobs[0].Collection != "papers" {
		t.Fatalf("jobs after rename: %+v", jobs)
	}
	if cs, _ := a.Collections(); len(cs) != 1 || cs[0].Name != "papers" || cs[0].Files != 4 {
		t.Fatalf("collections after rename: %+v", cs)
	}
}

func TestDocsBusyCancelDelete(t *testing.T) {
	a, rec := docsApp(t, "http://127.0.0.1:1")
	if _, err := a.CreateCollection("big", "", ""); err != nil {
		t.Fatal(err)
	}
	dir := bigFolder(t, 3000)
	job, err := a.AddDocuments("big", []string{dir}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// One job per collection at a time.
	if _, err := a.RescanCollection("big"); !errors.Is(err, rag.ErrBusy) || !strings.Contains(err.Error(), `"big"`) {
		t.Fatalf("second job: %v", err)
	}
	if _, err := a.RemoveDocument("big", filepath.Join(dir, "f0001.txt")); err == nil || !strings.Contains(err.Error(), "being indexed") {
		t.Fatalf("remove while indexing: %v", err)
	}
	// Wait until some files are in, then cancel.
	deadline := time.Now().Add(time.Minute)
	for {
		jobs, _ := a.IndexJobs()
		if len(jobs) == 1 && jobs[0].Progress.FilesDone > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress: %+v", jobs)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := a.CancelIndexing("big"); err != nil {
		t.Fatal(err)
	}
	evs := jobEnd(t, rec, "big", job.StartedAt)
	end := evs[len(evs)-1]
	if end.State != JobCancelled || end.Progress.FilesDone == 0 || end.Progress.FilesDone >= end.Progress.FilesTotal || end.Error != "" {
		t.Fatalf("cancelled job %+v", end)
	}
	// Progress events are throttled: far fewer than one per file.
	if len(evs) > end.Progress.FilesDone/2+10 {
		t.Errorf("%d events for %d files", len(evs), end.Progress.FilesDone)
	}
	if err := a.CancelIndexing("big"); err == nil || !strings.Contains(err.Error(), "not being indexed") {
		t.Fatalf("cancel with no job: %v", err)
	}

	// Deleting a collection stops its job first.
	job, err = a.RescanCollection("big")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteCollection("big"); err != nil {
		t.Fatal(err)
	}
	evs = jobEnd(t, rec, "big", job.StartedAt)
	if end := evs[len(evs)-1]; end.State != JobCancelled && end.State != JobDone {
		t.Fatalf("job of a deleted collection ended %+v", end)
	}
	if jobs, _ := a.IndexJobs(); len(jobs) != 0 {
		t.Fatalf("jobs after delete: %+v", jobs)
	}
	if cs, _ := a.Collections(); len(cs) != 0 {
		t.Fatalf("collections after delete: %+v", cs)
	}

	// Shutdown stops running jobs and refuses new ones.
	if _, err := a.CreateCollection("again", "", ""); err != nil {
		t.Fatal(err)
	}
	job, err = a.AddDocuments("again", []string{dir}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.stopDocs()
	jobs, _ := a.IndexJobs()
	if len(jobs) != 1 || jobs[0].State == JobRunning {
		t.Fatalf("after stopDocs: %+v", jobs)
	}
	if _, err := a.RescanCollection("again"); err == nil || !strings.Contains(err.Error(), "closing") {
		t.Fatalf("job after stopDocs: %v", err)
	}
}

func TestDocsDialogs(t *testing.T) {
	a, _ := docsApp(t, "http://127.0.0.1:1")
	pickFolderDialog = func(_ context.Context, o runtime.OpenDialogOptions) (string, error) { return "", nil }
	pickFilesDialog = func(_ context.Context, o runtime.OpenDialogOptions) ([]string, error) {
		if len(o.Filters) == 0 {
			return nil, errors.New("no filters")
		}
		return nil, nil
	}
	defer func() {
		pickFolderDialog, pickFilesDialog = runtime.OpenDirectoryDialog, runtime.OpenMultipleFilesDialog
	}()
	if p, err := a.PickDocumentFolder(); p != "" || err != nil {
		t.Fatalf("cancelled folder dialog = %q, %v", p, err)
	}
	if ps, err := a.PickDocumentFiles(); ps == nil || len(ps) != 0 || err != nil {
		t.Fatalf("cancelled files dialog = %#v, %v", ps, err)
	}
	pickFolderDialog = func(context.Context, runtime.OpenDialogOptions) (string, error) { return "/home/u/papers", nil }
	if p, _ := a.PickDocumentFolder(); p != "/home/u/papers" {
		t.Fatalf("folder = %q", p)
	}
}

func TestDocsWithoutData(t *testing.T) {
	why := errors.New("database /x/wadi.db: corrupt")
	a := NewApp(nil, why)
	if _, err := a.Collections(); !errors.Is(err, why) {
		t.Fatalf("Collections err = %v", err)
	}
	if _, err := a.AddDocuments("x", []string{"/tmp"}, nil, nil); !errors.Is(err, why) {
		t.Fatalf("AddDocuments err = %v", err)
	}
	if _, err := a.PickDocumentFolder(); !errors.Is(err, why) {
		t.Fatalf("PickDocumentFolder err = %v", err)
	}
}

// TestDocsEmbeddingsWithRealOllama lists embedding models on the real test
// Ollama, creates a hybrid collection, and switches its model off and on
// again in the background.
func TestDocsEmbeddingsWithRealOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateEmbedModel(t, "tiny-embed", 7)
	srv.CreateChatModel(t, "tiny-chat", 8)
	a, rec := docsApp(t, srv.URL)

	ems, err := a.EmbedModels()
	if err != nil || len(ems) != 1 || ems[0].Name != "tiny-embed:latest" || ems[0].Host != srv.URL || ems[0].ContextLength <= 0 {
		t.Fatalf("EmbedModels = %+v, %v", ems, err)
	}
	if _, err := a.CreateCollection("x", "tiny-chat", srv.URL); err == nil || !strings.Contains(err.Error(), "cannot embed") {
		t.Fatalf("chat model as embedder: %v", err)
	}
	if _, err := a.CreateCollection("x", "tiny-embed", "http://elsewhere:11434"); err == nil || !strings.Contains(err.Error(), "not a configured") {
		t.Fatalf("unknown host: %v", err)
	}
	c, err := a.CreateCollection("kb", "tiny-embed", srv.URL)
	if err != nil || c.EmbedModel != "tiny-embed:latest" || c.EmbedHost != srv.URL {
		t.Fatalf("CreateCollection = %+v, %v", c, err)
	}
	dir := writeFiles(t, map[string]string{
		"guide.md":  "# Guide\n\nThe walrus protocol keeps notes private.\n\n## Setup\n\nInstall the walrus daemon.\n",
		"plain.txt": "Zebras graze near the river.\n",
	})
	job, err := a.AddDocuments("kb", []string{dir}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	evs := jobEnd(t, rec, "kb", job.StartedAt)
	if end := evs[len(evs)-1]; end.State != JobDone || end.Progress.Indexed != 2 {
		t.Fatalf("add %+v", end)
	}
	res, err := a.SearchCollection("kb", "walrus", 3)
	if err != nil || res.Mode != rag.ModeHybrid || len(res.Hits) == 0 || res.Hits[0].VectorScore == nil {
		t.Fatalf("hybrid search = %+v, %v", res, err)
	}

	job, err = a.SetCollectionModel("kb", "", "")
	if err != nil || job.Kind != JobModel {
		t.Fatalf("SetCollectionModel off = %+v, %v", job, err)
	}
	if end := jobEnd(t, rec, "kb", job.StartedAt); end[len(end)-1].State != JobDone {
		t.Fatalf("keyword-only job %+v", end[len(end)-1])
	}
	if res, _ := a.SearchCollection("kb", "walrus", 3); res.Mode != rag.ModeKeyword || res.Notice == "" {
		t.Fatalf("keyword-only search %+v", res)
	}
	if _, err := a.SetCollectionModel("kb", "missing", srv.URL); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("missing model: %v", err)
	}
	if jobs, _ := a.IndexJobs(); len(jobs) != 1 || jobs[0].State != JobDone {
		t.Fatalf("a refused model change must leave the last job: %+v", jobs)
	}

	job, err = a.SetCollectionModel("kb", "tiny-embed", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	evs = jobEnd(t, rec, "kb", job.StartedAt)
	var embedPhase bool
	for _, e := range evs {
		embedPhase = embedPhase || e.Progress.Phase == "embed"
	}
	if end := evs[len(evs)-1]; end.State != JobDone || !embedPhase {
		t.Fatalf("re-embed job %+v (embed phase seen: %v)", end, embedPhase)
	}
	if res, _ := a.SearchCollection("kb", "walrus", 3); res.Mode != rag.ModeHybrid || res.Hits[len(res.Hits)-1].VectorScore == nil {
		t.Fatalf("search after re-embed %+v", res)
	}
	if cs, _ := a.Collections(); len(cs) != 1 || cs[0].EmbedModel != "tiny-embed:latest" {
		t.Fatalf("collections %+v", cs)
	}

	sug, err := a.SuggestEmbedModels()
	if err != nil || len(sug) == 0 {
		t.Fatalf("SuggestEmbedModels = %+v, %v", sug, err)
	}
	for _, s := range sug {
		if s.Role != "embedding" || s.PullName == "" || s.Verdict == "no" {
			t.Errorf("bad suggestion %+v", s)
		}
	}
}
