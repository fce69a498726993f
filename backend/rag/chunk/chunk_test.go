package chunk

import (
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/rag/extract"
)

// doc lays blocks out as extract would: joined by a blank line, each Start
// the rune offset of its text in the full text.
func doc(blocks ...extract.Block) ([]extract.Block, string) {
	var full strings.Builder
	off := 0
	for i := range blocks {
		if i > 0 {
			full.WriteString("\n\n")
			off += 2
		}
		blocks[i].Start = off
		full.WriteString(blocks[i].Text)
		off += len(blocks[i].Text)
	}
	return blocks, full.String()
}

func h(level int, text, section string) extract.Block {
	return extract.Block{Kind: extract.Heading, Level: level, Text: text, Section: section}
}
func para(text, section string) extract.Block {
	return extract.Block{Kind: extract.Paragraph, Text: text, Section: section}
}

func words(n int, w string) string { return strings.TrimSpace(strings.Repeat(w+" ", n)) }

func TestSplit(t *testing.T) {
	arabic := words(120, "مرحبا") // 5 letters: 600 chars ≈ 400 tokens
	codeLines := make([]string, 200)
	for i := range codeLines {
		codeLines[i] = "fmt.Println(\"line\", i) // padding"
	}
	code := strings.Join(codeLines, "\n")

	tests := []struct {
		name   string
		blocks []extract.Block
		opt    Options
		check  func(t *testing.T, got []Chunk, full string)
	}{
		{"empty input", nil, Options{}, func(t *testing.T, got []Chunk, _ string) {
			if got != nil {
				t.Fatalf("got %d chunks, want none", len(got))
			}
		}},
		{"blank blocks only", []extract.Block{para("  \n ", "")}, Options{}, func(t *testing.T, got []Chunk, _ string) {
			if len(got) != 0 {
				t.Fatalf("got %d chunks, want none", len(got))
			}
		}},
		{"heading-only document", []extract.Block{h(1, "Title", ""), h(2, "Part", "Title")}, Options{}, func(t *testing.T, got []Chunk, _ string) {
			if len(got) != 1 || got[0].Text != "Title\n\nPart" || got[0].Section != "Title > Part" {
				t.Fatalf("got %+v", got)
			}
		}},
		{"headings start chunks and set sections", []extract.Block{
			h(1, "Intro", ""), para("Hello there.", "Intro"),
			h(2, "Setup", "Intro"), para("Install it.", "Intro > Setup"), extract.Block{Kind: extract.List, Text: "- one\n- two", Section: "Intro > Setup"},
		}, Options{}, func(t *testing.T, got []Chunk, full string) {
			if len(got) != 2 {
				t.Fatalf("got %d chunks: %+v", len(got), got)
			}
			if got[0].Section != "Intro" || got[0].Text != "Intro\n\nHello there." {
				t.Errorf("chunk 0 = %+v", got[0])
			}
			if got[1].Section != "Intro > Setup" || !strings.HasSuffix(got[1].Text, "- one\n- two") {
				t.Errorf("chunk 1 = %+v", got[1])
			}
		}},
		{"arabic text sized by characters", []extract.Block{h(1, "مقدمة", ""), para(arabic, "مقدمة"), para(arabic, "مقدمة")}, Options{MaxTokens: 450, Overlap: 20}, func(t *testing.T, got []Chunk, full string) {
			if len(got) != 2 {
				t.Fatalf("got %d chunks, want 2 (each paragraph fits alone)", len(got))
			}
			if got[1].Section != "مقدمة" || !strings.Contains(got[1].Text, "مرحبا") {
				t.Errorf("chunk 1 = %q section %q", got[1].Text[:40], got[1].Section)
			}
		}},
		{"code block larger than a chunk", []extract.Block{para("Intro text.", ""), {Kind: extract.Code, Text: code}}, Options{MaxTokens: 200, Overlap: 30}, func(t *testing.T, got []Chunk, full string) {
			if len(got) < 5 {
				t.Fatalf("got %d chunks, want the code cut into several", len(got))
			}
			for i, c := range got[1:] {
				for _, line := range strings.Split(c.Text, "\n") {
					if line != codeLines[0] && line != "Intro text." {
						t.Fatalf("chunk %d cut inside a line: %q", i+1, line)
					}
				}
			}
			// Overlap: each later chunk starts before the previous ends.
			for i := 2; i < len(got); i++ {
				if got[i].Start >= got[i-1].End {
					t.Errorf("chunk %d starts at %d, previous ends at %d: no overlap", i, got[i].Start, got[i-1].End)
				}
			}
		}},
		{"paragraphs kept whole, overlap on size cuts", []extract.Block{
			para(words(150, "alpha"), ""), para(words(150, "beta"), ""), para(words(150, "gamma"), ""),
		}, Options{MaxTokens: 300, Overlap: 20}, func(t *testing.T, got []Chunk, full string) {
			if len(got) != 3 {
				t.Fatalf("got %d chunks", len(got))
			}
			if !strings.HasPrefix(got[1].Text, "alpha") || !strings.HasSuffix(got[1].Text, "beta") {
				t.Errorf("chunk 1 should start with overlap from chunk 0: %q", got[1].Text)
			}
		}},
		{"no overlap", []extract.Block{para(words(150, "alpha"), ""), para(words(150, "beta"), "")}, Options{MaxTokens: 300, NoOverlap: true}, func(t *testing.T, got []Chunk, full string) {
			if len(got) != 2 || !strings.HasPrefix(got[1].Text, "beta") {
				t.Fatalf("got %+v", got)
			}
		}},
		{"section change without heading blocks starts a chunk", []extract.Block{
			{Kind: extract.Paragraph, Text: "one", Page: 1, Section: "Part A"},
			{Kind: extract.Paragraph, Text: "two", Page: 1, Section: "Part A"},
			{Kind: extract.Paragraph, Text: "three", Page: 2, Section: "Part B"},
		}, Options{}, func(t *testing.T, got []Chunk, full string) {
			if len(got) != 2 || got[0].Text != "one\n\ntwo" || got[0].Section != "Part A" ||
				got[1].Text != "three" || got[1].Section != "Part B" || got[1].Page != 2 {
				t.Fatalf("got %+v", got)
			}
		}},
		{"pages kept", []extract.Block{{Kind: extract.Paragraph, Text: "one", Page: 1}, {Kind: extract.Paragraph, Text: "two", Page: 2}}, Options{}, func(t *testing.T, got []Chunk, full string) {
			if len(got) != 1 || got[0].Page != 1 || got[0].EndPage != 2 {
				t.Fatalf("got %+v", got)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			blocks, full := doc(tc.blocks...)
			got := Split(blocks, tc.opt)
			tc.check(t, got, full)
			opt := tc.opt.norm()
			rs := full
			for i, c := range got {
				if c.Index != i {
					t.Errorf("chunk %d has index %d", i, c.Index)
				}
				if c.Tokens > opt.MaxTokens {
					t.Errorf("chunk %d has %d tokens > %d", i, c.Tokens, opt.MaxTokens)
				}
				if c.Start < 0 || c.End > len(rs) || c.Start >= c.End {
					t.Fatalf("chunk %d offsets %d..%d out of 0..%d", i, c.Start, c.End, len(rs))
				}
				span := string(rs[c.Start:c.End])
				first := strings.SplitN(c.Text, "\n\n", 2)[0]
				if !strings.HasPrefix(span, first) {
					t.Errorf("chunk %d: text at offsets %q does not start with %q", i, trunc(span), trunc(first))
				}
			}
		})
	}
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}

func TestHugeWordIsCut(t *testing.T) {
	blocks, _ := doc(para(strings.Repeat("x", 5000), ""))
	got := Split(blocks, Options{MaxTokens: 100, Overlap: 10})
	if len(got) < 10 {
		t.Fatalf("got %d chunks", len(got))
	}
	for _, c := range got {
		if c.Tokens > 100 {
			t.Fatalf("chunk of %d tokens", c.Tokens)
		}
	}
}

func TestSplitDocumentSetsFile(t *testing.T) {
	blocks, _ := doc(para("text", ""))
	got := SplitDocument(&extract.Document{Path: "/a/b.md", Blocks: blocks}, Options{})
	if len(got) != 1 || got[0].File != "/a/b.md" {
		t.Fatalf("got %+v", got)
	}
}

// BenchmarkSplit measures chunking throughput on prose blocks and on one
// huge single-line block (cut in one linear pass).
func BenchmarkSplit(b *testing.B) {
	prose := words(120, "lorem ipsum dolor sit amet,")
	var blocks []extract.Block
	for i := range 2000 {
		if i%20 == 0 {
			blocks = append(blocks, h(2, "Section", ""))
		}
		blocks = append(blocks, extract.Block{Kind: extract.Paragraph, Text: prose})
	}
	blocks, full := doc(blocks...)
	huge, hugeText := doc(para(strings.Repeat("word ", 2_000_000), ""))
	for _, c := range []struct {
		name   string
		blocks []extract.Block
		size   int
	}{{"prose", blocks, len(full)}, {"huge-block", huge, len(hugeText)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(c.size))
			for b.Loop() {
				Split(c.blocks, DefaultOptions())
			}
		})
	}
}
