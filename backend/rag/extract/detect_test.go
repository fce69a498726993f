package extract

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDetect(t *testing.T) {
	cases := []struct {
		path, head string
		want       string
		err        error
	}{
		{"a.PDF", "%PDF-1.7\n", "pdf", nil},
		{"a.pdf", "<html>", "", ErrCorrupt},
		{"a.docx", "PK\x03\x04rest", "docx", nil},
		{"a.epub", "PK\x03\x04rest", "epub", nil},
		{"a.htm", "<p>hi", "html", nil},
		{"README.markdown", "# hi", "markdown", nil},
		{"a.txt", "hello", "text", nil},
		{"a.txt", "\x00\x01\x02", "", ErrBinary},
		{"a.txt", "ok \xff\xfe\xfd\xfc\xfb\xfa\xf9 bad", "", ErrBinary},
		{"a.txt", "caf\xc3", "text", nil}, // a rune cut by the sample's end
		{"x.rs", "fn main() {}", "code", nil},
		{"Dockerfile", "FROM x", "code", nil},
		{"data.tsv", "a\tb", "csv", nil},
		{"notes", "just words", "text", nil},
		{"page", "<!DOCTYPE html><html>", "html", nil},
		{"x.bin", "%PDF-1.4", "pdf", nil},
		{"x.zip", "PK\x03\x04", "", ErrUnsupported},
		{"x.jpg", "\xff\xd8\xff\xe0", "", ErrUnsupported},
		{"x.txt", "", "", ErrEmpty},
	}
	for _, c := range cases {
		got, err := Detect(c.path, []byte(c.head))
		if got != c.want || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("Detect(%q, %q) = %q, %v; want %q, %v", c.path, c.head, got, err, c.want, c.err)
		}
	}
}

// The package-level File keeps the compiled PDF engine under the data
// directory's cache.
func TestDefaultExtractorCache(t *testing.T) {
	data := t.TempDir()
	t.Setenv("WADI_DATA_DIR", data)
	p := writeFile(t, t.TempDir(), "a.pdf", pdfOf([][]string{{"cached engine"}}, pdfOptions{}))
	doc, err := File(context.Background(), p, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer defaultExtractor.Close()
	if doc.Blocks[0].Text != "cached engine" || doc.Blocks[0].Page != 1 {
		t.Fatalf("%+v", doc.Blocks)
	}
	entries, err := os.ReadDir(filepath.Join(data, "cache", "pdfium"))
	if err != nil || len(entries) == 0 {
		t.Fatalf("no compilation cache: %v", err)
	}
}
