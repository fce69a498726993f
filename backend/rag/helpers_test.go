package rag

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/store"
)

func newService(t testing.TB, opt Options) (*Service, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "wadi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(st, opt), st
}

// write creates path under dir with content and a distinct mtime.
func write(t *testing.T, dir, path, content string) string {
	t.Helper()
	p := filepath.Join(dir, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// bumpMtime moves a file's mtime forward so a rescan sees it as touched.
func bumpMtime(t *testing.T, p string) {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	m := fi.ModTime().Add(2 * time.Second)
	if err := os.Chtimes(p, m, m); err != nil {
		t.Fatal(err)
	}
}

func states(t *testing.T, s *Service, name string) map[string]store.DocFile {
	t.Helper()
	files, err := s.Files(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.DocFile{}
	for _, f := range files {
		out[filepath.Base(f.Path)] = f
	}
	return out
}

func files(hits []Hit) map[string]bool {
	out := map[string]bool{}
	for _, h := range hits {
		out[filepath.Base(h.File)] = true
	}
	return out
}
