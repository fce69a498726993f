package rag

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/store"
)

// folder lays out a small collection with good, bad and hidden files.
func folder(t *testing.T) string {
	dir := t.TempDir()
	write(t, dir, "guide.md", "# Guide\n\nThe walrus protocol keeps notes private.\n\n## Setup\n\nInstall the walrus daemon first.\n")
	write(t, dir, "plain.txt", "Zebras graze in the savanna near the river.\n")
	write(t, dir, "sub/deep.md", "# Deep\n\nOctopus facts live in a nested folder.\n")
	write(t, dir, ".hidden.md", "# Hidden\n\nflamingo secret\n")
	write(t, dir, ".git/config.md", "flamingo in a hidden folder\n")
	write(t, dir, "drafts/skip.md", "flamingo draft excluded by pattern\n")
	write(t, dir, "empty.txt", "")
	write(t, dir, "binary.txt", "abc\x00\x01\x02\x00\x00\xff\xfe binary")
	write(t, dir, "image.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
	return dir
}

func TestKeywordOnlyIndexAndIncrementalRescan(t *testing.T) {
	ctx := context.Background()
	s, st := newService(t, Options{})
	if _, err := s.Create(ctx, "notes", "", ""); err != nil {
		t.Fatal(err)
	}
	dir := folder(t)
	var last Progress
	calls := 0
	p, err := s.Add(ctx, "notes", []string{dir}, AddOptions{Exclude: []string{"drafts"}, Progress: func(p Progress) { last = p; calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if p.Phase != "done" || last.Phase != "done" || calls < 3 {
		t.Errorf("progress: final %+v, last callback %+v after %d calls", p, last, calls)
	}
	got := states(t, s, "notes")
	for name, want := range map[string]string{
		"guide.md": store.FileIndexed, "plain.txt": store.FileIndexed, "deep.md": store.FileIndexed,
		"empty.txt": store.FileFailed, "binary.txt": store.FileFailed, "image.png": store.FileSkipped,
	} {
		f, ok := got[name]
		if !ok || f.State != want {
			t.Errorf("%s: state %q (%q), want %q", name, f.State, f.Error, want)
			continue
		}
		if want != store.FileIndexed && !strings.Contains(f.Error, name) {
			t.Errorf("%s: error %q does not name the file", name, f.Error)
		}
	}
	for _, name := range []string{".hidden.md", "config.md", "skip.md"} {
		if _, ok := got[name]; ok {
			t.Errorf("%s should have been left out", name)
		}
	}
	if p.Indexed != 3 || p.Failed != 2 || p.Skipped != 1 {
		t.Errorf("counts %+v", p)
	}

	res, err := s.Search(ctx, "notes", "walrus daemon", 5)
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != ModeKeyword || !strings.Contains(res.Notice, "keyword-only") {
		t.Errorf("mode %q notice %q", res.Mode, res.Notice)
	}
	if len(res.Hits) == 0 || !strings.HasSuffix(res.Hits[0].File, "guide.md") || res.Hits[0].KeywordScore == nil || res.Hits[0].VectorScore != nil {
		t.Fatalf("hits %+v", res.Hits)
	}
	if res.Hits[0].Section == "" || !strings.Contains(res.Hits[0].Snippet, store.MarkStart) {
		t.Errorf("hit lacks section or snippet: %+v", res.Hits[0])
	}

	// Edit one file, add one, delete one, touch one without changing it.
	write(t, dir, "plain.txt", "Giraffes replaced the zebras.\n")
	bumpMtime(t, dir+"/plain.txt")
	write(t, dir, "new.md", "# New\n\nA narwhal appears.\n")
	if err := os.Remove(dir + "/sub/deep.md"); err != nil {
		t.Fatal(err)
	}
	bumpMtime(t, dir+"/guide.md")
	p, err = s.Rescan(ctx, "notes", AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Indexed != 2 || p.Removed != 1 || p.Unchanged != 4 {
		t.Errorf("rescan counts %+v (want 2 indexed, 1 removed, 4 unchanged)", p)
	}
	for q, want := range map[string]bool{"zebras": true, "savanna": false, "narwhal": true, "octopus": false, "walrus": true} {
		res, err := s.Search(ctx, "notes", q, 5)
		if err != nil {
			t.Fatal(err)
		}
		if (len(res.Hits) > 0) != want {
			t.Errorf("search %q: %d hits, want found=%v", q, len(res.Hits), want)
		}
	}
	// A second rescan with nothing changed reads no file.
	p, _ = s.Rescan(ctx, "notes", AddOptions{})
	if p.Indexed != 0 || p.Unchanged != p.FilesTotal {
		t.Errorf("idle rescan %+v", p)
	}

	// rm of a path removes its files; rm of the collection removes it all.
	if n, err := s.Remove(ctx, "notes", dir+"/new.md"); err != nil || n != 1 {
		t.Fatalf("remove file: %d %v", n, err)
	}
	if err := s.Delete(ctx, "notes"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Search(ctx, "notes", "walrus", 5); !errors.Is(err, ErrNoCollection) {
		t.Fatalf("search deleted collection: %v", err)
	}
	if cs, _ := st.Collections(ctx); len(cs) != 0 {
		t.Fatalf("collections left %+v", cs)
	}
}

func TestCancelMidIndexKeepsFinishedFiles(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, _ := newService(t, Options{})
	s.Create(ctx, "c", "", "")
	dir := t.TempDir()
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		write(t, dir, n+".md", "# "+n+"\n\nword"+n+" text\n")
	}
	var busyErr error
	_, err := s.Add(ctx, "c", []string{dir}, AddOptions{ProgressEvery: 1, Progress: func(p Progress) {
		if p.FilesDone == 1 {
			_, busyErr = s.Rescan(ctx, "c", AddOptions{})
		}
		if p.FilesDone == 2 {
			cancel()
		}
	}})
	if !errors.Is(busyErr, ErrBusy) {
		t.Errorf("second run during indexing: %v, want ErrBusy", busyErr)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want canceled", err)
	}
	got := states(t, s, "c")
	if len(got) < 2 || len(got) >= 6 {
		t.Fatalf("%d files stored after cancel, want some but not all", len(got))
	}
	p, err := s.Rescan(context.Background(), "c", AddOptions{})
	if err != nil || len(states(t, s, "c")) != 6 || p.Unchanged != len(got) {
		t.Fatalf("resume: %+v %v", p, err)
	}
}

func TestAddErrors(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Options{})
	s.Create(ctx, "c", "", "")
	if _, err := s.Add(ctx, "nope", []string{"."}, AddOptions{}); !errors.Is(err, ErrNoCollection) {
		t.Errorf("unknown collection: %v", err)
	}
	if _, err := s.Add(ctx, "c", []string{"/does/not/exist"}, AddOptions{}); err == nil || !strings.Contains(err.Error(), "/does/not/exist") {
		t.Errorf("missing path: %v", err)
	}
	if _, err := s.Add(ctx, "c", []string{"."}, AddOptions{Include: []string{"[bad"}}); err == nil || !strings.Contains(err.Error(), "[bad") {
		t.Errorf("bad pattern: %v", err)
	}
	if _, err := s.Create(ctx, "c", "", ""); !errors.Is(err, store.ErrExists) {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := s.Create(ctx, "d", "bert", ""); err == nil {
		t.Error("model without host accepted")
	}
	if _, err := s.Search(ctx, "c", "  ", 3); err == nil {
		t.Error("empty query accepted")
	}
}

// TestRealDocument indexes the Go specification shipped with Go and finds
// a section by its words, with the section path and offsets into the text.
func TestRealDocument(t *testing.T) {
	spec := filepath.Join(runtime.GOROOT(), "doc", "go_spec.html")
	if _, err := os.Stat(spec); err != nil {
		t.Skipf("no Go spec here: %v", err)
	}
	ctx := context.Background()
	s, _ := newService(t, Options{})
	s.Create(ctx, "go", "", "")
	p, err := s.Add(ctx, "go", []string{spec}, AddOptions{})
	if err != nil || p.Indexed != 1 || p.Chunks < 100 {
		t.Fatalf("%+v %v", p, err)
	}
	res, err := s.Search(ctx, "go", "composite literal", 3)
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("%+v %v", res, err)
	}
	h := res.Hits[0]
	if !strings.Contains(h.Section, "Composite literals") || h.Format != "html" || h.End <= h.Start {
		t.Errorf("top hit %q section %q format %s offsets %d..%d", h.Text[:min(60, len(h.Text))], h.Section, h.Format, h.Start, h.End)
	}
	for _, h := range res.Hits {
		if h.Tokens > 400 {
			t.Errorf("chunk of %d tokens", h.Tokens)
		}
	}
}

func TestProgressThrottled(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Options{})
	s.Create(ctx, "c", "", "")
	dir := t.TempDir()
	for i := range 20 {
		write(t, dir, string(rune('a'+i))+".md", "text\n")
	}
	var phases []string
	_, err := s.Add(ctx, "c", []string{dir}, AddOptions{ProgressEvery: time.Hour, Progress: func(p Progress) {
		phases = append(phases, p.Phase)
	}})
	if err != nil {
		t.Fatal(err)
	}
	// Each phase change is always reported; the 20 per-file reports within
	// the hour after the "index" one are held back.
	if got := strings.Join(phases, ","); got != "scan,index,done" {
		t.Fatalf("callbacks %s", got)
	}
}

func TestRemovedFileStaysOutOfItsFolder(t *testing.T) {
	ctx := context.Background()
	s, st := newService(t, Options{})
	s.Create(ctx, "c", "", "")
	dir := t.TempDir()
	write(t, dir, "a.md", "# a\n\nthe top one\n")
	write(t, dir, "sub/a.md", "# a\n\nthe deep one\n")
	write(t, dir, "we[ir]d*.md", "# w\n\nglob characters in a name\n")
	if _, err := s.Add(ctx, "c", []string{dir}, AddOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"a.md", "we[ir]d*.md"} {
		if n, err := s.Remove(ctx, "c", filepath.Join(dir, rel)); err != nil || n != 1 {
			t.Fatalf("remove %s: %d %v", rel, n, err)
		}
	}
	coll, _ := s.Collection(ctx, "c")
	srcs, err := st.Sources(ctx, coll.ID)
	if err != nil || len(srcs) != 1 || strings.Join(srcs[0].Exclude, " ") != `/a.md /we\[ir\]d\*.md` {
		t.Fatalf("sources %+v %v", srcs, err)
	}
	// The rescan keeps both out, and the other a.md in.
	p, err := s.Rescan(ctx, "c", AddOptions{})
	if err != nil || p.FilesTotal != 1 || p.Indexed != 0 {
		t.Fatalf("rescan %+v %v", p, err)
	}
	files, _ := s.Files(ctx, "c")
	if len(files) != 1 || files[0].Path != filepath.Join(dir, "sub", "a.md") {
		t.Fatalf("files %+v", files)
	}
}

func TestAnchoredPatterns(t *testing.T) {
	for _, c := range []struct {
		pattern, rel string
		want         bool
	}{
		{"a.md", "a.md", true}, {"a.md", "sub/a.md", true},
		{"/a.md", "a.md", true}, {"/a.md", "sub/a.md", false},
		{"/sub/*.md", "sub/a.md", true}, {"/sub/*.md", "x/sub/a.md", false},
	} {
		if got := matchAny([]string{c.pattern}, c.rel, filepath.Base(c.rel)); got != c.want {
			t.Errorf("%q on %q: %v", c.pattern, c.rel, got)
		}
	}
}

func TestReembedReportsChunkProgress(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, Options{BatchSize: 2, Embedder: func(string) (Embedder, error) { return hashEmbedder{}, nil }})
	s.Create(ctx, "c", "", "")
	dir := t.TempDir()
	for i := range 20 {
		write(t, dir, fmt.Sprintf("n%02d.md", i), fmt.Sprintf("# Note %d\n\nword%d text\n", i, i))
	}
	p, err := s.Add(ctx, "c", []string{dir}, AddOptions{})
	if err != nil || p.Chunks != 20 || p.EmbedTotal != 0 {
		t.Fatalf("keyword-only add: %+v %v", p, err)
	}
	if err := s.SetModel(ctx, "c", "hash", "h"); err != nil {
		t.Fatal(err)
	}
	var embeds []Progress
	p, err = s.Rescan(ctx, "c", AddOptions{ProgressEvery: time.Nanosecond, Progress: func(p Progress) {
		if p.Phase == "embed" {
			embeds = append(embeds, p)
		}
	}})
	if err != nil || p.Phase != "done" || p.Embedded != 20 || p.EmbedTotal != 20 {
		t.Fatalf("rescan: %+v %v", p, err)
	}
	// Starts at 0 of 20, then one report per stored batch (8 at a time).
	var got []int
	for _, e := range embeds {
		if e.EmbedTotal != 20 {
			t.Fatalf("embed total %+v", e)
		}
		got = append(got, e.Embedded)
	}
	if fmt.Sprint(got) != "[0 8 16 20]" {
		t.Fatalf("embedded counts %v", got)
	}
}
