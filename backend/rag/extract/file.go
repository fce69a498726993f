package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/wadi-app/wadi/backend/paths"
)

// headSize is how many leading bytes Detect sniffs.
const headSize = 8 << 10

// PDFCacheDir is where an Extractor for the given directories keeps the
// compiled PDFium module.
func PDFCacheDir(d paths.Dirs) string {
	if d.Cache == "" {
		return ""
	}
	return filepath.Join(d.Cache, "pdfium")
}

// defaultCacheDir is the PDFium compilation cache of the default Extractor.
func defaultCacheDir() string {
	d, err := paths.Resolve("")
	if err != nil {
		return ""
	}
	return PDFCacheDir(d)
}

// File extracts the document at path within lim. The error names the file
// and wraps ErrUnsupported, ErrEmpty, ErrEncrypted, ErrTooLarge, ErrCorrupt,
// ErrBinary, a context error, or the I/O error (fs.ErrNotExist,
// fs.ErrPermission, ...).
func (e *Extractor) File(ctx context.Context, path string, lim Limits) (*Document, error) {
	start := time.Now()
	doc, err := e.file(ctx, path, lim.withDefaults())
	if err != nil {
		slog.Debug("extract failed", "path", path, "err", err)
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	slog.Debug("extracted", "path", path, "format", doc.Format, "blocks", len(doc.Blocks), "took", time.Since(start))
	return doc, nil
}

func (e *Extractor) file(ctx context.Context, path string, lim Limits) (*Document, error) {
	if lim.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, lim.Timeout)
		defer cancel()
	}
	f, err := e.opt.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat: %w", err)
	}
	if st.IsDir() {
		return nil, failf(ErrUnsupported, "is a directory")
	}
	if !st.Mode().IsRegular() {
		return nil, failf(ErrUnsupported, "not a regular file (%s)", st.Mode().Type())
	}
	if st.Size() == 0 {
		return nil, failf(ErrEmpty, "the file is empty")
	}
	if st.Size() > lim.MaxBytes {
		return nil, failf(ErrTooLarge, "%d bytes exceeds the %d-byte limit", st.Size(), lim.MaxBytes)
	}
	head := make([]byte, headSize)
	n, err := io.ReadFull(&ctxReader{ctx: ctx, r: f}, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, readErr(err)
	}
	head = head[:n]
	format, err := Detect(path, head)
	if err != nil {
		return nil, err
	}
	// The rest of the file follows the head already read.
	r := &ctxReader{ctx: ctx, r: io.MultiReader(bytes.NewReader(head), f)}
	b := newBuilder(ctx, lim.MaxTextBytes)
	doc := &Document{Path: path, Format: format}
	switch format {
	case "text":
		err = extractText(r, b, false)
	case "code":
		err = extractText(r, b, true)
	case "markdown":
		err = extractMarkdown(r, b)
	case "csv":
		err = extractCSV(r, b, filepath.Ext(path))
	case "html":
		doc.Title, err = extractHTML(r, b)
	case "docx", "epub", "pdf":
		data, rerr := readAllLimited(r, lim.MaxBytes)
		if rerr != nil {
			return nil, rerr
		}
		switch format {
		case "docx":
			doc.Title, err = extractDOCX(data, b, lim)
		case "epub":
			doc.Title, err = extractEPUB(data, b, lim)
		case "pdf":
			doc.Title, doc.Pages, err = e.pdf.extract(ctx, data, b)
		}
	default:
		err = failf(ErrUnsupported, "no extractor for format %q", format)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		if ce := ctx.Err(); ce != nil && !errors.Is(err, ce) {
			return nil, fmt.Errorf("%w (%v)", ce, err)
		}
		return nil, err
	}
	doc.Blocks = b.blocks
	if len(doc.Blocks) == 0 {
		if format == "pdf" {
			return nil, failf(ErrEmpty, "no extractable text (scanned images?)")
		}
		return nil, failf(ErrEmpty, "no text found")
	}
	return doc, nil
}

// readAllLimited reads r fully, failing with ErrTooLarge past max bytes.
func readAllLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, readErr(err)
	}
	if int64(len(data)) > max {
		return nil, failf(ErrTooLarge, "more than %d bytes", max)
	}
	return data, nil
}

// readErr labels an I/O error from the file as a read failure.
func readErr(err error) error {
	var pe *fs.PathError
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.As(err, &pe) || !isExtractErr(err) {
		return fmt.Errorf("read: %w", err)
	}
	return err
}

func isExtractErr(err error) bool {
	for _, k := range []error{ErrUnsupported, ErrEmpty, ErrEncrypted, ErrTooLarge, ErrCorrupt, ErrBinary} {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// ctxReader stops reading once ctx is done, so long reads honour timeouts.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
