package rag

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wadi-app/wadi/backend/store"
)

// found is one file a scan saw on disk.
type found struct {
	path    string
	size    int64
	mtimeNs int64
}

// walkSource lists the files under src: the file itself, or every file of
// the folder tree that passes the patterns. Hidden files and folders (name
// starting with ".") are skipped, and so are symlinks and special files.
func walkSource(src store.DocSource) ([]found, error) {
	info, err := os.Stat(src.Path)
	if err != nil {
		return nil, fmt.Errorf("add %s: %w", src.Path, err)
	}
	if !info.IsDir() {
		if !info.Mode().IsRegular() {
			return nil, fmt.Errorf("add %s: not a regular file or folder", src.Path)
		}
		return []found{{src.Path, info.Size(), info.ModTime().UnixNano()}}, nil
	}
	var out []found
	err = filepath.WalkDir(src.Path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == src.Path {
				return err
			}
			return nil // an unreadable sub-folder is left out, not fatal
		}
		if p == src.Path {
			return nil
		}
		rel, _ := filepath.Rel(src.Path, p)
		hidden := strings.HasPrefix(d.Name(), ".")
		if d.IsDir() {
			if hidden || matchAny(src.Exclude, rel, d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if hidden || !d.Type().IsRegular() || matchAny(src.Exclude, rel, d.Name()) {
			return nil
		}
		if len(src.Include) > 0 && !matchAny(src.Include, rel, d.Name()) {
			return nil
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // deleted while walking
		}
		if err != nil {
			return nil
		}
		out = append(out, found{p, fi.Size(), fi.ModTime().UnixNano()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", src.Path, err)
	}
	return out, nil
}

// matchAny reports whether a glob pattern matches the path relative to the
// source (with "/" separators) or the bare name. A pattern starting with "/"
// is anchored at the source: it matches the relative path only, so "/a.md"
// leaves out the folder's own a.md but not sub/a.md.
func matchAny(patterns []string, rel, name string) bool {
	rel = filepath.ToSlash(rel)
	for _, p := range patterns {
		if anchored, ok := strings.CutPrefix(p, "/"); ok {
			if ok, _ := filepath.Match(anchored, rel); ok {
				return true
			}
			continue
		}
		if ok, _ := filepath.Match(p, name); ok {
			return true
		}
		if ok, _ := filepath.Match(p, rel); ok {
			return true
		}
	}
	return false
}

// exactPattern is an anchored pattern matching only rel (relative to a
// source, "/" separators). On Windows "\" is a separator, not an escape, so
// a name with glob characters cannot be written there (ok false).
func exactPattern(rel string) (string, bool) {
	const meta = `*?[]\`
	if !strings.ContainsAny(rel, meta) {
		return "/" + rel, true
	}
	if filepath.Separator == '\\' {
		return "", false
	}
	var b strings.Builder
	b.WriteByte('/')
	for _, r := range rel {
		if strings.ContainsRune(meta, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// ValidatePatterns checks glob patterns, naming the bad one.
func ValidatePatterns(patterns []string) error {
	for _, p := range patterns {
		if _, err := filepath.Match(p, ""); err != nil {
			return fmt.Errorf("pattern %q: %w", p, err)
		}
	}
	return nil
}

// under reports whether path is root or inside it.
func under(path, root string) bool {
	if path == root {
		return true
	}
	return strings.HasPrefix(path, strings.TrimSuffix(root, string(filepath.Separator))+string(filepath.Separator))
}
