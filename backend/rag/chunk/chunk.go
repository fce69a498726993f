// Package chunk splits a document's blocks into token-sized chunks for
// retrieval. It is pure: no I/O, no clock.
//
// Splitting is structure-aware: a heading starts a new chunk and becomes part
// of its section path; paragraphs, lists, code blocks and tables are kept
// whole where they fit; a block larger than a chunk is split at line (code,
// tables) or word (prose) boundaries. Consecutive chunks cut for size share
// an overlap of about Options.Overlap tokens; a heading starts fresh.
//
// Tokens are estimated, not counted (no tokenizer is at hand for every
// model): about 4 ASCII bytes per token and 1.5 other characters per token
// (Arabic, CJK, accented text split finer), the same estimate as
// backend/chat.EstimateTokens. It errs high, so a chunk judged to fit does.
//
// Offsets are byte offsets in the document's full text
// (extract.Document.Text), the unit of extract.Block.Start.
package chunk

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wadi-app/wadi/backend/rag/extract"
)

// Options sizes the chunks.
type Options struct {
	// MaxTokens is the most tokens a chunk may hold (default 400).
	MaxTokens int
	// Overlap is about how many tokens of the previous chunk a chunk cut
	// for size repeats at its start (default 50; 0 with NoOverlap).
	Overlap int
	// NoOverlap turns overlap off.
	NoOverlap bool
}

// DefaultOptions are the sizes the indexer uses.
func DefaultOptions() Options { return Options{MaxTokens: 400, Overlap: 50} }

func (o Options) norm() Options {
	if o.MaxTokens <= 0 {
		o.MaxTokens = 400
	}
	if o.NoOverlap {
		o.Overlap = 0
	} else if o.Overlap <= 0 {
		o.Overlap = 50
	}
	if o.Overlap > o.MaxTokens/2 {
		o.Overlap = o.MaxTokens / 2
	}
	return o
}

// Chunk is one piece of a document, ready to index.
type Chunk struct {
	Index   int    // 0-based position in the document
	File    string // the document's path (set by SplitDocument)
	Text    string
	Page    int    // first page the chunk is on (0: not paginated)
	EndPage int    // last page the chunk is on
	Section string // heading path, e.g. "Intro > Setup"
	Start   int    // byte offset of the chunk's first byte in the full text
	End     int    // byte offset just past its last byte
	Tokens  int    // estimated tokens of Text
}

// EstimateTokens estimates how many tokens text takes (see the package doc).
func EstimateTokens(text string) int {
	var c count
	c.add(text)
	return c.tokens()
}

type count struct{ ascii, other int }

func (c *count) add(s string) {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			c.ascii++
			i++
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		c.other++
		i += n
	}
}

func (c count) tokens() int { return (c.ascii+3)/4 + (c.other*2+2)/3 }

// SplitDocument splits doc's blocks and sets each chunk's File to doc.Path.
func SplitDocument(doc *extract.Document, opt Options) []Chunk {
	out := Split(doc.Blocks, opt)
	for i := range out {
		out[i].File = doc.Path
	}
	return out
}

// piece is a span of a block placed in a chunk.
type piece struct {
	text       string
	start, end int // byte offsets in the document's full text
	page       int
}

// builder accumulates pieces into chunks.
type builder struct {
	opt       Options
	out       []Chunk
	cur       []piece
	tokens    int
	section   string
	hasBody   bool // cur holds more than headings
	sepTokens int
}

// Split turns blocks into chunks (nil for no text).
func Split(blocks []extract.Block, opt Options) []Chunk {
	b := &builder{opt: opt.norm(), sepTokens: 1}
	for _, bl := range blocks {
		text := strings.TrimSpace(bl.Text)
		if text == "" {
			continue
		}
		// Keep offsets right after trimming leading space.
		p := piece{text: text, start: bl.Start + strings.Index(bl.Text, text), page: bl.Page}
		p.end = p.start + len(text)
		if bl.Kind == extract.Heading {
			b.heading(p, headingPath(bl))
			continue
		}
		// A section known without a heading block (a PDF outline) also
		// starts a chunk.
		if bl.Section != "" && bl.Section != b.section {
			if b.hasBody {
				b.flush()
			}
			if !b.hasBody {
				b.section = bl.Section
			}
		}
		b.body(p, bl.Kind == extract.Code || bl.Kind == extract.Table)
	}
	b.flush()
	return b.out
}

// headingPath is the section path a heading opens.
func headingPath(bl extract.Block) string {
	h := strings.TrimSpace(bl.Text)
	s := strings.TrimSpace(bl.Section)
	if s == "" {
		return h
	}
	if s == h || strings.HasSuffix(s, " > "+h) {
		return s
	}
	return s + " > " + h
}

func (b *builder) heading(p piece, path string) {
	if b.hasBody {
		b.flush()
	}
	b.section = path
	// A heading longer than a chunk is still one unit: cut it like prose.
	if EstimateTokens(p.text) > b.opt.MaxTokens {
		b.body(p, false)
		return
	}
	if b.tokens+b.sepTokens+EstimateTokens(p.text) > b.opt.MaxTokens {
		b.flush()
		b.section = path
	}
	b.add(p)
}

func (b *builder) body(p piece, lines bool) {
	t := EstimateTokens(p.text)
	if b.tokens+b.sepTokens+t <= b.opt.MaxTokens {
		b.add(p)
		b.hasBody = true
		return
	}
	if t <= b.opt.MaxTokens {
		tail := b.tail()
		b.flush()
		if tail != nil && EstimateTokens(tail.text)+b.sepTokens+t <= b.opt.MaxTokens {
			b.add(*tail)
		}
		b.add(p)
		b.hasBody = true
		return
	}
	// Larger than a chunk: fill up what is left, then whole chunks.
	if b.hasBody {
		b.flush()
	}
	parts := cut(p, lines, b.opt.MaxTokens-b.tokens-b.sepTokens, b.opt.MaxTokens, b.opt.Overlap)
	for i, part := range parts {
		if i > 0 {
			b.flush()
		}
		b.add(part)
		b.hasBody = true
	}
}

func (b *builder) add(p piece) {
	if len(b.cur) > 0 {
		b.tokens += b.sepTokens
	}
	b.cur = append(b.cur, p)
	b.tokens += EstimateTokens(p.text)
}

// tail is the end of the current chunk to repeat at the next one's start,
// cut at a word boundary, about Overlap tokens long.
func (b *builder) tail() *piece {
	if b.opt.Overlap == 0 || !b.hasBody || len(b.cur) == 0 {
		return nil
	}
	last := b.cur[len(b.cur)-1]
	rs := []rune(last.text)
	var c count
	i := len(rs)
	for i > 0 {
		c.add(string(rs[i-1]))
		if c.tokens() > b.opt.Overlap {
			break
		}
		i--
	}
	for i < len(rs) && !unicode.IsSpace(rs[i]) && i > 0 && !unicode.IsSpace(rs[i-1]) {
		i++ // move to the start of a word
	}
	for i < len(rs) && unicode.IsSpace(rs[i]) {
		i++
	}
	if i >= len(rs) {
		return nil
	}
	return &piece{text: string(rs[i:]), start: last.start + len(string(rs[:i])), end: last.end, page: last.page}
}

func (b *builder) flush() {
	if len(b.cur) == 0 {
		return
	}
	texts := make([]string, len(b.cur))
	for i, p := range b.cur {
		texts[i] = p.text
	}
	text := strings.Join(texts, "\n\n")
	first, last := b.cur[0], b.cur[len(b.cur)-1]
	b.out = append(b.out, Chunk{
		Index: len(b.out), Text: text, Page: first.page, EndPage: last.page,
		Section: b.section, Start: first.start, End: last.end, Tokens: EstimateTokens(text),
	})
	b.cur, b.tokens, b.hasBody = nil, 0, false
}
