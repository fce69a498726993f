package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
)

// maxZipRatio is the largest uncompressed/compressed ratio accepted for a
// zip entry of more than zipRatioFloor bytes: text and XML compress 5-20x,
// a decompression bomb ~1000x.
const (
	maxZipRatio   = 200
	zipRatioFloor = 1 << 20
)

// zipBox reads entries of a zip container with bounded decompression: the
// bytes read across all entries are capped at budget, and an entry whose
// compression ratio is implausible is refused before it is read.
type zipBox struct {
	zr     *zip.Reader
	files  map[string]*zip.File
	budget int64
	used   int64
	kind   string // "DOCX" or "EPUB", for messages
}

func openZip(data []byte, budget int64, kind string) (*zipBox, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, failf(ErrCorrupt, "%s is not a readable zip: %v", kind, err)
	}
	z := &zipBox{zr: zr, files: map[string]*zip.File{}, budget: budget, kind: kind}
	for _, f := range zr.File {
		z.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	return z, nil
}

// has reports whether the container holds name.
func (z *zipBox) has(name string) bool { _, ok := z.files[name]; return ok }

// open returns a reader of entry name whose reads are charged to the budget.
func (z *zipBox) open(name string) (io.ReadCloser, error) {
	f, ok := z.files[name]
	if !ok {
		return nil, failf(ErrCorrupt, "%s lacks %s", z.kind, name)
	}
	size, packed := f.UncompressedSize64, f.CompressedSize64
	if size > zipRatioFloor && (packed == 0 || size/max(packed, 1) > maxZipRatio) {
		return nil, failf(ErrTooLarge, "%s entry %s expands %d bytes to %d (ratio over %d): refusing a likely zip bomb",
			z.kind, name, packed, size, maxZipRatio)
	}
	if int64(size) > z.budget-z.used {
		return nil, failf(ErrTooLarge, "%s entry %s is %d bytes uncompressed, over the %d-byte budget", z.kind, name, size, z.budget)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, failf(ErrCorrupt, "%s entry %s: %v", z.kind, name, err)
	}
	return &budgetReader{z: z, name: name, rc: rc}, nil
}

type budgetReader struct {
	z    *zipBox
	name string
	rc   io.ReadCloser
}

func (b *budgetReader) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.z.used += int64(n)
	if b.z.used > b.z.budget {
		return n, failf(ErrTooLarge, "%s decompresses past the %d-byte budget (in %s): refusing a likely zip bomb",
			b.z.kind, b.z.budget, b.name)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return n, failf(ErrCorrupt, "%s entry %s: %v", b.z.kind, b.name, err)
	}
	return n, err
}

func (b *budgetReader) Close() error { return b.rc.Close() }

// zipBudget is the total decompression allowed for one container: markup
// around the text is counted, so it is a multiple of the text limit.
func zipBudget(lim Limits) int64 { return 4 * lim.MaxTextBytes }
