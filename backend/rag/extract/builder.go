package extract

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// builder accumulates blocks, tracking the heading path, offsets, the text
// budget and cancellation.
type builder struct {
	ctx    context.Context
	max    int64
	total  int64
	offset int
	heads  [6]string
	prefix string // section prefix, e.g. an EPUB chapter title
	page   int
	blocks []Block
}

func newBuilder(ctx context.Context, max int64) *builder {
	return &builder{ctx: ctx, max: max}
}

// section returns the current heading path.
func (b *builder) section() string {
	parts := make([]string, 0, 7)
	if b.prefix != "" {
		parts = append(parts, b.prefix)
	}
	for _, h := range b.heads {
		if h != "" && (len(parts) == 0 || parts[len(parts)-1] != h) {
			parts = append(parts, h)
		}
	}
	return strings.Join(parts, " > ")
}

// resetHeadings clears the heading path (a new chapter starts).
func (b *builder) resetHeadings() { b.heads = [6]string{} }

// heading adds a heading block at level 1..6 and makes it the current path.
func (b *builder) heading(level int, text string) error {
	text = collapseSpace(text)
	if text == "" {
		return nil
	}
	level = min(max(level, 1), 6)
	b.heads[level-1] = text
	for i := level; i < 6; i++ {
		b.heads[i] = ""
	}
	return b.add(Block{Kind: Heading, Text: text, Level: level})
}

// block adds a non-heading block; text is trimmed, empty text is skipped.
func (b *builder) block(kind BlockKind, text string) error {
	if kind == Code {
		// Keep the first line's indentation.
		text = strings.TrimRight(strings.TrimLeft(text, "\r\n"), " \t\r\n")
	} else {
		text = strings.TrimSpace(text)
	}
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return b.add(Block{Kind: kind, Text: text})
}

func (b *builder) add(bl Block) error {
	if len(b.blocks)%64 == 0 {
		if err := b.ctx.Err(); err != nil {
			return err
		}
	}
	n := int64(len(bl.Text))
	if b.total+n > b.max {
		return failf(ErrTooLarge, "extracted text exceeds the %d-byte limit", b.max)
	}
	b.total += n
	bl.Page = b.page
	bl.Section = b.section()
	if len(b.blocks) > 0 {
		b.offset += len(BlockSep)
	}
	bl.Start = b.offset
	b.offset += len(bl.Text)
	b.blocks = append(b.blocks, bl)
	return nil
}

// collapseSpace trims s and folds every run of white space into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// failfWrap adds context to an extract error, keeping it errors.Is-able.
func failfWrap(err error, format string, args ...any) error {
	return fmt.Errorf("%w (%s)", err, fmt.Sprintf(format, args...))
}

func itoa(i int) string { return strconv.Itoa(i) }

// setHeading makes text the current heading at level without adding a
// block (for headings known only from a PDF outline).
func (b *builder) setHeading(level int, text string) {
	level = min(max(level, 1), 6)
	b.heads[level-1] = text
	for i := level; i < 6; i++ {
		b.heads[i] = ""
	}
}
