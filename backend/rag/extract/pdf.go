package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	pdferr "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/responses"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// pdfEngine is PDFium compiled to WebAssembly, started on first use and
// reused. Instances run with no file system access: documents are passed
// in memory.
type pdfEngine struct {
	cacheDir string
	mu       sync.Mutex
	pool     pdfium.Pool
}

func (p *pdfEngine) get() (pdfium.Pool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pool != nil {
		return p.pool, nil
	}
	start := time.Now()
	cfg := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithCloseOnContextDone(true)
	if p.cacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(p.cacheDir)
		if err != nil {
			slog.Warn("pdfium compilation cache unavailable", "dir", p.cacheDir, "err", err)
		} else {
			cfg = cfg.WithCompilationCache(cache)
		}
	}
	pool, err := webassembly.Init(webassembly.Config{
		MinIdle: 1, MaxIdle: 1, MaxTotal: 2, ReuseWorkers: true,
		RuntimeConfig: cfg,
		FSConfig:      wazero.NewFSConfig(), // no host files
		Stdout:        io.Discard, Stderr: io.Discard,
	})
	if err != nil {
		return nil, fmt.Errorf("start the PDF engine: %w", err)
	}
	slog.Info("pdf engine started", "took", time.Since(start), "cache", p.cacheDir)
	p.pool = pool
	return pool, nil
}

func (p *pdfEngine) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pool == nil {
		return nil
	}
	err := p.pool.Close()
	p.pool = nil
	return err
}

// extract adds the text of every page to b and returns the title and the
// page count. When ctx ends, the running instance is killed, which stops
// the WebAssembly mid-call.
func (p *pdfEngine) extract(ctx context.Context, data []byte, b *builder) (string, int, error) {
	// PDFium repairs a cut file and returns what it can; a truncated
	// download is refused instead, so that the user sees why text is missing.
	if !bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF")) {
		return "", 0, failf(ErrCorrupt, "the PDF is truncated (no %%%%EOF marker at its end)")
	}
	pool, err := p.get()
	if err != nil {
		return "", 0, err
	}
	inst, err := pool.GetInstanceWithContext(ctx)
	if err != nil {
		return "", 0, fmt.Errorf("PDF engine instance: %w", err)
	}
	var once sync.Once
	release := func(kill bool) {
		once.Do(func() {
			if kill {
				_ = inst.Kill()
			} else {
				_ = inst.Close()
			}
		})
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			release(true)
		case <-done:
		}
	}()
	defer func() { close(done); release(false) }()
	title, pages, err := pdfText(inst, data, b)
	if err != nil && ctx.Err() != nil {
		return "", 0, ctx.Err()
	}
	return title, pages, err
}

func pdfText(inst pdfium.Pdfium, data []byte, b *builder) (string, int, error) {
	doc, err := inst.FPDF_LoadMemDocument(&requests.FPDF_LoadMemDocument{Data: &data})
	switch {
	case errors.Is(err, pdferr.ErrPassword):
		return "", 0, failf(ErrEncrypted, "the PDF needs a password")
	case errors.Is(err, pdferr.ErrSecurity):
		return "", 0, failf(ErrEncrypted, "the PDF uses an unsupported encryption")
	case err != nil:
		return "", 0, failf(ErrCorrupt, "PDF cannot be opened (%v)", err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return "", 0, failf(ErrCorrupt, "PDF page count: %v", err)
	}
	title := ""
	if mt, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: doc.Document, Tag: "Title"}); err == nil {
		title = collapseSpace(mt.Value)
	}
	marks := map[int][]outlineEntry{}
	if bm, err := inst.GetBookmarks(&requests.GetBookmarks{Document: doc.Document}); err == nil {
		flattenOutline(bm.Bookmarks, 1, marks)
	}
	for i := 0; i < count.PageCount; i++ {
		if err := b.ctx.Err(); err != nil {
			return "", 0, err
		}
		pt, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{
			ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}})
		if err != nil {
			return "", 0, failf(ErrCorrupt, "PDF page %d: %v", i+1, err)
		}
		b.page = i + 1
		if err := pdfPage(b, pt.Text, marks[i]); err != nil {
			return "", 0, err
		}
	}
	return title, count.PageCount, nil
}

// outlineEntry is one PDF bookmark: a heading at a level on a page.
type outlineEntry struct {
	level int
	title string
}

func flattenOutline(bms []responses.GetBookmarksBookmark, level int, out map[int][]outlineEntry) {
	for _, bm := range bms {
		dest := bm.DestInfo
		if dest == nil && bm.ActionInfo != nil {
			dest = bm.ActionInfo.DestInfo
		}
		if t := collapseSpace(bm.Title); dest != nil && t != "" {
			out[dest.PageIndex] = append(out[dest.PageIndex], outlineEntry{min(level, 6), t})
		}
		flattenOutline(bm.Children, level+1, out)
	}
}

// pdfPage splits one page's text into paragraphs (a short line ends a
// paragraph) and turns lines that match the page's bookmarks into headings;
// bookmarks not found in the text set the section from the page's start.
func pdfPage(b *builder, text string, marks []outlineEntry) error {
	// PDFium marks a soft hyphen (a word broken across lines) with \x02.
	text = strings.ReplaceAll(text, "\x02", "")
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	lines = dropPageNumbers(lines)
	var inText []outlineEntry
	for _, m := range marks {
		found := false
		for _, l := range lines {
			if headingMatch(l, m.title) {
				found = true
				break
			}
		}
		if found {
			inText = append(inText, m)
		} else {
			b.setHeading(m.level, m.title)
		}
	}
	widest := 0
	for _, l := range lines {
		widest = max(widest, len(strings.TrimSpace(l)))
	}
	var para []string
	flush := func() error {
		err := b.block(Paragraph, strings.Join(para, "\n"))
		para = para[:0]
		return err
	}
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\f")
		if len(inText) > 0 && headingMatch(l, inText[0].title) {
			if err := flush(); err != nil {
				return err
			}
			if err := b.heading(inText[0].level, collapseSpace(l)); err != nil {
				return err
			}
			inText = inText[1:]
			continue
		}
		if strings.TrimSpace(l) == "" {
			if err := flush(); err != nil {
				return err
			}
			continue
		}
		para = append(para, l)
		if len(strings.TrimSpace(l))*10 < widest*6 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// sectionNumber matches a heading's numbering: "2", "2.1", "A.1", "IV.".
var sectionNumber = regexp.MustCompile(`^([0-9]+|[A-Z]|[IVXLC]+)(\.[0-9]+)*\.?$`)

// headingMatch reports whether a line of page text is the bookmark title,
// alone or after its section number.
func headingMatch(line, title string) bool {
	l, t := strings.ToLower(collapseSpace(line)), strings.ToLower(title)
	if l == "" || t == "" {
		return false
	}
	if l == t {
		return true
	}
	num, rest, ok := strings.Cut(collapseSpace(line), " ")
	return ok && strings.ToLower(rest) == t && sectionNumber.MatchString(num)
}

// pageNumber matches a line that is only a page number ("7", "- 7 -", "iv").
var pageNumber = regexp.MustCompile(`^[-–—\s]*([0-9]{1,5}|[ivxlcdm]{1,8})[-–—\s]*$`)

// dropPageNumbers removes a page number printed as the first or last line
// of a page: it is layout, not text.
func dropPageNumbers(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) > 1 && pageNumber.MatchString(lines[0]) {
		lines = lines[1:]
	}
	if len(lines) > 1 && pageNumber.MatchString(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return lines
}
