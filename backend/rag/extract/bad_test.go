package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bomb builds a DOCX whose document.xml inflates to size bytes; with lie,
// the zip headers claim a small size.
func bomb(t *testing.T, size int64, lie bool) []byte {
	t.Helper()
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestCompression)
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for n := int64(0); n < size; n += int64(len(chunk)) {
		fw.Write(chunk)
	}
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	declared := uint64(size)
	if lie {
		declared = 1000
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
		CompressedSize64: uint64(packed.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(packed.Bytes())
	zw.Close()
	return buf.Bytes()
}

func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := pdfOf([][]string{{"page one text"}, {"page two text"}}, pdfOptions{})
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
	elf := append([]byte("\x7fELF\x02\x01\x01"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 500)...)
	cases := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"truncated.pdf", good[:len(good)*2/3], ErrCorrupt, "truncated"},
		{"garbage.pdf", append([]byte("%PDF-1.7\n"), append(bytes.Repeat([]byte("garbage "), 100), "\n%%EOF\n"...)...), ErrCorrupt, "cannot be opened"},
		{"locked.pdf", pdfOf([][]string{{"secret"}}, pdfOptions{password: "hunter2"}), ErrEncrypted, "password"},
		{"notpdf.pdf", []byte("hello, I am text"), ErrCorrupt, "not a PDF"},
		{"bomb.docx", bomb(t, 300<<20, false), ErrTooLarge, "zip bomb"},
		{"lying-bomb.docx", bomb(t, 300<<20, true), ErrCorrupt, "document.xml"},
		{"notzip.docx", []byte("plain words"), ErrCorrupt, "not a zip"},
		{"nobody.docx", zipOf(t, "word/other.xml", "<x/>"), ErrCorrupt, "word/document.xml"},
		{"program.txt", elf, ErrBinary, "not a text file"},
		{"late-nul.txt", append(bytes.Repeat([]byte("text "), 4000), 0, 'x'), ErrBinary, "NUL"},
		{"empty.txt", nil, ErrEmpty, "empty"},
		{"blank.md", []byte(" \n\n\t\n"), ErrEmpty, "no text"},
		{"picture.png", png, ErrUnsupported, ".png"},
		{"noext", elf, ErrUnsupported, "no extension"},
		{"scan.pdf", pdfOf([][]string{{}}, pdfOptions{}), ErrEmpty, "scanned"},
		{"broken.epub", zipOf(t, "mimetype", "application/epub+zip"), ErrCorrupt, "container.xml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, dir, c.name, c.data)
			start := time.Now()
			_, err := testX.File(context.Background(), p, DefaultLimits())
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), p+": ") || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("message %q should name the file and say %q", err, c.msg)
			}
			t.Logf("%v in %v", err, time.Since(start).Round(time.Millisecond))
		})
	}
}

// The other files of a folder still extract after a bad one.
func TestBadFileFailsAlone(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "a.pdf", []byte("%PDF-1.4\nnonsense\n%%EOF"))
	ok := writeFile(t, dir, "b.pdf", pdfOf([][]string{{"still fine"}}, pdfOptions{}))
	if _, err := testX.File(context.Background(), bad, DefaultLimits()); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("bad: %v", err)
	}
	if doc := extractOK(t, ok); !strings.Contains(doc.Text(), "still fine") {
		t.Fatalf("good after bad: %q", doc.Text())
	}
}

func TestIOErrors(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "doc.txt", bytes.Repeat([]byte("some words here\n\n"), 10000))
	lim := DefaultLimits()
	ctx := context.Background()

	t.Run("missing", func(t *testing.T) {
		_, err := testX.File(ctx, filepath.Join(dir, "gone.txt"), lim)
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "gone.txt") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("directory", func(t *testing.T) {
		_, err := testX.File(ctx, dir, lim)
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "is a directory") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("permission", func(t *testing.T) {
		// Tests run as root, which reads any file: inject the error.
		x := New(Options{Open: func(name string) (fs.File, error) {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
		}})
		_, err := x.File(ctx, p, lim)
		if !errors.Is(err, fs.ErrPermission) || !strings.HasPrefix(err.Error(), p+": open") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("deleted after open", func(t *testing.T) {
		// On Unix an open file stays readable after unlink: the extraction
		// completes with the content it started with.
		q := writeFile(t, dir, "deleted.txt", []byte("alpha\n\nbeta\n"))
		x := New(Options{Open: func(name string) (fs.File, error) {
			f, err := os.Open(name)
			if err == nil {
				err = os.Remove(name)
			}
			return f, err
		}})
		doc, err := x.File(ctx, q, lim)
		if err != nil || len(doc.Blocks) != 2 {
			t.Fatalf("got %v, %+v", err, doc)
		}
	})
	t.Run("read fails midway", func(t *testing.T) {
		// A file that vanishes under the reader (network share, removed
		// drive) fails with the I/O error, naming the file.
		x := New(Options{Open: func(name string) (fs.File, error) {
			f, err := os.Open(name)
			return &failingFile{File: f, after: 20000}, err
		}})
		_, err := x.File(ctx, p, lim)
		if !errors.Is(err, errVanished) || !strings.HasPrefix(err.Error(), p+": read") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		x := New(Options{Open: func(name string) (fs.File, error) {
			f, err := os.Open(name)
			return &slowFile{File: f}, err
		}})
		_, err := x.File(ctx, p, Limits{Timeout: 50 * time.Millisecond})
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), p) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("cancelled pdf", func(t *testing.T) {
		q := writeFile(t, dir, "c.pdf", pdfOf([][]string{{"x"}}, pdfOptions{}))
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := testX.File(cctx, q, lim); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
		// The engine still serves the next file.
		extractOK(t, q)
	})
	t.Run("too large on disk", func(t *testing.T) {
		_, err := testX.File(ctx, p, Limits{MaxBytes: 1000})
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1000-byte limit") {
			t.Fatalf("got %v", err)
		}
	})
}

var errVanished = errors.New("input/output error")

// failingFile fails every read past after bytes.
type failingFile struct {
	*os.File
	after int
	n     int
}

func (f *failingFile) Read(p []byte) (int, error) {
	if f.n >= f.after {
		return 0, fmt.Errorf("read %s: %w", f.Name(), errVanished)
	}
	n, err := f.File.Read(p[:min(len(p), f.after-f.n)])
	f.n += n
	return n, err
}

// slowFile delivers 16 bytes per read, a millisecond apart.
type slowFile struct{ *os.File }

func (f *slowFile) Read(p []byte) (int, error) {
	time.Sleep(time.Millisecond)
	return f.File.Read(p[:min(len(p), 16)])
}

// countingFile counts the bytes read through it.
type countingFile struct {
	*os.File
	n *int64
}

func (f *countingFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	*f.n += int64(n)
	return n, err
}

var _ io.Reader = (*countingFile)(nil)

func TestHugeLine(t *testing.T) {
	data := []byte(strings.Repeat("x", 200<<10) + "\n\ntail\n")
	doc := extractOK(t, writeFile(t, t.TempDir(), "oneline.txt", data))
	total := 0
	for _, b := range doc.Blocks {
		if len(b.Text) > 64<<10 {
			t.Fatalf("block of %d bytes", len(b.Text))
		}
		total += len(b.Text)
	}
	if total != 200<<10+4 || doc.Blocks[len(doc.Blocks)-1].Text != "tail" {
		t.Fatalf("%d bytes in %d blocks", total, len(doc.Blocks))
	}
}

// Files extract concurrently through one Extractor, PDFs included.
func TestConcurrent(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := 0; i < 4; i++ {
		paths = append(paths,
			writeFile(t, dir, fmt.Sprintf("%d.pdf", i), pdfOf([][]string{{fmt.Sprintf("pdf number %d", i)}}, pdfOptions{})),
			writeFile(t, dir, fmt.Sprintf("%d.md", i), []byte(fmt.Sprintf("# md number %d\n", i))))
	}
	errs := make(chan error, len(paths))
	for _, p := range paths {
		go func() {
			doc, err := testX.File(context.Background(), p, DefaultLimits())
			if err == nil && !strings.Contains(doc.Text(), "number "+strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))) {
				err = fmt.Errorf("%s: wrong text %q", p, doc.Text())
			}
			errs <- err
		}()
	}
	for range paths {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// A PDF that outlasts Limits.Timeout is stopped, and the engine serves the
// next file.
func TestPDFTimeout(t *testing.T) {
	var pages [][]string
	for i := 0; i < 1500; i++ {
		pages = append(pages, []string{fmt.Sprintf("page %d of a long report with many words on it", i)})
	}
	dir := t.TempDir()
	long := writeFile(t, dir, "long.pdf", pdfOf(pages, pdfOptions{}))
	extractOK(t, writeFile(t, dir, "warm.pdf", pdfOf(pages[:1], pdfOptions{}))) // engine started
	_, err := testX.File(context.Background(), long, Limits{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), long+": ") {
		t.Fatalf("got %v", err)
	}
	doc := extractOK(t, long)
	if doc.Pages != 1500 || doc.Blocks[len(doc.Blocks)-1].Page != 1500 {
		t.Fatalf("after a timeout: %d pages", doc.Pages)
	}
}
