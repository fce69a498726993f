// Package extract turns one document file into structured text: a list of
// blocks (headings, paragraphs, lists, code, tables) that keep their page,
// their heading path and their offset in the document's full text.
//
// Every supported format (PDF, DOCX, HTML, EPUB, Markdown, plain text, source
// code, CSV) is read with bounded time (context plus Limits.Timeout) and
// bounded memory (Limits.MaxBytes on the file, Limits.MaxTextBytes on the
// extracted text, bounded decompression for zip containers). A bad file fails
// alone with an error that names the file and wraps one of the Err* values.
package extract

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"time"
)

// BlockKind says what a block is.
type BlockKind string

// The kinds of block an extractor emits.
const (
	Heading   BlockKind = "heading"
	Paragraph BlockKind = "paragraph"
	List      BlockKind = "list"
	Code      BlockKind = "code"
	Table     BlockKind = "table"
)

// Block is one structural unit of a document's text.
type Block struct {
	Kind    BlockKind
	Text    string
	Level   int    // heading level 1..6; 0 otherwise
	Page    int    // 1-based page for paginated formats (PDF), else 0
	Section string // nearest heading path, e.g. "Intro > Setup" ("" if none)
	// Start is the byte offset of Text in the document's full text, which
	// is Document.Text(): the blocks' texts joined by a blank line ("\n\n").
	Start int
}

// Document is the text of one file.
type Document struct {
	Path   string
	Format string // "pdf", "docx", "html", "epub", "markdown", "text", "code", "csv"
	Title  string
	Pages  int // for PDF
	Blocks []Block
}

// BlockSep separates consecutive blocks in Document.Text.
const BlockSep = "\n\n"

// Text returns the document's full text, the frame of reference for
// Block.Start: every block's Text joined by BlockSep.
func (d *Document) Text() string {
	var b strings.Builder
	for i, bl := range d.Blocks {
		if i > 0 {
			b.WriteString(BlockSep)
		}
		b.WriteString(bl.Text)
	}
	return b.String()
}

// Limits bound the work spent on one file.
type Limits struct {
	// MaxBytes caps the size of the file on disk.
	MaxBytes int64
	// MaxTextBytes caps the extracted text (and, for zip containers, scales
	// the cap on decompressed bytes).
	MaxTextBytes int64
	// Timeout caps the wall time of one extraction (0: no timeout beyond ctx).
	Timeout time.Duration
}

// DefaultLimits returns the limits used for indexing: files up to 256 MiB,
// up to 128 MiB of extracted text, one minute per file.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 256 << 20, MaxTextBytes: 128 << 20, Timeout: time.Minute}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = d.MaxTextBytes
	}
	return l
}

// Errors wrapped by Detect and File; test them with errors.Is.
var (
	ErrUnsupported = errors.New("unsupported file type")
	ErrEmpty       = errors.New("no text")
	ErrEncrypted   = errors.New("encrypted")
	ErrTooLarge    = errors.New("too large")
	ErrCorrupt     = errors.New("corrupt or truncated")
	ErrBinary      = errors.New("binary content")
)

// failf returns an error wrapping kind with a reason.
func failf(kind error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", kind, fmt.Sprintf(format, args...))
}

// Opener opens a file for reading; tests inject faults through it.
type Opener func(path string) (fs.File, error)

// Options configure an Extractor.
type Options struct {
	// CacheDir holds the compiled PDFium WebAssembly module so that later
	// starts skip the ~5 s compilation. Empty: no compilation cache.
	CacheDir string
	// Open opens files; nil means os.Open.
	Open Opener
}

// Extractor extracts documents. It is safe for concurrent use; the PDF
// engine starts lazily on the first PDF and is reused afterwards.
type Extractor struct {
	opt Options
	pdf pdfEngine
}

// New returns an Extractor with the given options.
func New(opt Options) *Extractor {
	if opt.Open == nil {
		opt.Open = func(p string) (fs.File, error) { return os.Open(p) }
	}
	e := &Extractor{opt: opt}
	e.pdf.cacheDir = opt.CacheDir
	return e
}

// Close releases the PDF engine if it was started.
func (e *Extractor) Close() error { return e.pdf.close() }

var (
	defaultOnce      sync.Once
	defaultExtractor *Extractor
)

// File extracts path with the package's default Extractor, created on
// first use, whose PDF compilation cache lives under the cache directory
// that paths.Resolve("") names (honouring $WADI_DATA_DIR). Services that
// know their paths.Dirs should hold their own New(Options{CacheDir:
// PDFCacheDir(dirs)}) instead.
func File(ctx context.Context, path string, lim Limits) (*Document, error) {
	defaultOnce.Do(func() { defaultExtractor = New(Options{CacheDir: defaultCacheDir()}) })
	return defaultExtractor.File(ctx, path, lim)
}
