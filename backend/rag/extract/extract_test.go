package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testX is the Extractor shared by the tests, so the PDF engine starts once.
var testX *Extractor

func TestMain(m *testing.M) {
	cache, err := os.MkdirTemp("", "wadi-pdfium-cache-")
	if err != nil {
		panic(err)
	}
	testX = New(Options{CacheDir: cache})
	code := m.Run()
	testX.Close()
	os.RemoveAll(cache)
	os.Exit(code)
}

// extractOK extracts path with default limits and checks the invariants
// every document must keep: offsets point at each block's text in Text().
func extractOK(t *testing.T, path string) *Document {
	t.Helper()
	doc, err := testX.File(context.Background(), path, DefaultLimits())
	if err != nil {
		t.Fatalf("extract %s: %v", path, err)
	}
	checkOffsets(t, doc)
	return doc
}

func checkOffsets(t *testing.T, doc *Document) {
	t.Helper()
	full := doc.Text()
	for i, b := range doc.Blocks {
		if b.Start < 0 || b.Start+len(b.Text) > len(full) || full[b.Start:b.Start+len(b.Text)] != b.Text {
			t.Fatalf("block %d: Start %d does not locate its text %.40q", i, b.Start, b.Text)
		}
		if strings.TrimSpace(b.Text) == "" {
			t.Fatalf("block %d is empty", i)
		}
		if (b.Kind == Heading) != (b.Level > 0) {
			t.Fatalf("block %d: kind %s with level %d", i, b.Kind, b.Level)
		}
	}
}

// find returns the first block whose text contains s, failing if none.
func find(t *testing.T, doc *Document, s string) Block {
	t.Helper()
	for _, b := range doc.Blocks {
		if strings.Contains(b.Text, s) {
			return b
		}
	}
	t.Fatalf("%s: no block contains %q", doc.Path, s)
	return Block{}
}

// indexOf returns the offset of s in the full text, failing if absent.
func indexOf(t *testing.T, doc *Document, s string) int {
	t.Helper()
	i := strings.Index(doc.Text(), s)
	if i < 0 {
		t.Fatalf("%s: text lacks %q", doc.Path, s)
	}
	return i
}

// inOrder fails unless the strings occur in the text in the given order.
func inOrder(t *testing.T, doc *Document, ss ...string) {
	t.Helper()
	last := -1
	for _, s := range ss {
		i := indexOf(t, doc, s)
		if i <= last {
			t.Fatalf("%s: %q is not after %q", doc.Path, s, ss[0])
		}
		last = i
	}
}

func expectBlock(t *testing.T, b Block, kind BlockKind, section string) {
	t.Helper()
	if b.Kind != kind || b.Section != section {
		t.Fatalf("block %.40q: got kind %s section %q, want %s %q", b.Text, b.Kind, b.Section, kind, section)
	}
}

func TestPlainText(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "notes.txt", []byte("First paragraph\nstill first.\n\n\n  Second paragraph.\r\n\r\nThird — ünïcode ✓\n"))
	doc := extractOK(t, p)
	if doc.Format != "text" || len(doc.Blocks) != 3 {
		t.Fatalf("format %s, %d blocks: %+v", doc.Format, len(doc.Blocks), doc.Blocks)
	}
	if doc.Blocks[0].Text != "First paragraph\nstill first." || doc.Blocks[2].Text != "Third — ünïcode ✓" {
		t.Fatalf("blocks: %q", doc.Text())
	}
	expectBlock(t, doc.Blocks[1], Paragraph, "")
}

func TestSourceCode(t *testing.T) {
	src := "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n\n\tfmt.Println(\"bye\")\n}\n"
	doc := extractOK(t, writeFile(t, t.TempDir(), "main.go", []byte(src)))
	if doc.Format != "code" || Language(doc.Path) != "go" {
		t.Fatalf("format %s language %s", doc.Format, Language(doc.Path))
	}
	for _, b := range doc.Blocks {
		if b.Kind != Code {
			t.Fatalf("block kind %s", b.Kind)
		}
	}
	if b := find(t, doc, "bye"); b.Text != "\tfmt.Println(\"bye\")\n}" {
		t.Fatalf("indentation lost: %q", b.Text)
	}
	if Language("/x/Makefile") != "make" {
		t.Fatal("Makefile not recognised")
	}
}

func TestMarkdown(t *testing.T) {
	md := "---\ntitle: skip me\n---\n# Guide\n\nIntro text\nwraps.\n\n## Setup\n\n- one\n- two\n  continued\n\n1. first\n\n```sh\nmake build\n\nmake test\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSetext Title\n------------\n\nLast words.\n"
	doc := extractOK(t, writeFile(t, t.TempDir(), "guide.md", []byte(md)))
	if strings.Contains(doc.Text(), "skip me") {
		t.Fatal("front matter kept")
	}
	expectBlock(t, find(t, doc, "Guide"), Heading, "Guide")
	expectBlock(t, find(t, doc, "Intro text\nwraps."), Paragraph, "Guide")
	expectBlock(t, find(t, doc, "- one\n- two\n  continued"), List, "Guide > Setup")
	code := find(t, doc, "make build")
	expectBlock(t, code, Code, "Guide > Setup")
	if !strings.Contains(code.Text, "make test\n```") {
		t.Fatalf("code fence split: %q", code.Text)
	}
	expectBlock(t, find(t, doc, "| 1 | 2 |"), Table, "Guide > Setup")
	expectBlock(t, find(t, doc, "Last words."), Paragraph, "Guide > Setext Title")
	inOrder(t, doc, "Guide", "Intro", "Setup", "- one", "make build", "| a |", "Setext", "Last")
}

func TestHTML(t *testing.T) {
	page := `<!doctype html><html><head><title>Test &amp; Page</title><style>p{color:red}</style></head>
<body><nav><a href="/">Home nav link</a></nav><script>var secret = 1;</script>
<h1>Main <em>Title</em></h1><p>Para   one
 with <b>bold</b>.</p><div>Loose div text<br>second line</div>
<h2>Lists</h2><ul><li>alpha<ul><li>nested</li></ul></li><li>beta</li></ul><ol><li>uno</li><li>dos</li></ol>
<pre>  x := 1
  y := 2</pre>
<table><caption>Sizes</caption><tr><th>Name</th><th>Size</th></tr><tr><td>a</td><td>1</td></tr></table>
<h3>Deep</h3><p>Deep text.</p></body></html>`
	doc := extractOK(t, writeFile(t, t.TempDir(), "page.html", []byte(page)))
	if doc.Title != "Test & Page" {
		t.Fatalf("title %q", doc.Title)
	}
	for _, bad := range []string{"secret", "Home nav", "color:red"} {
		if strings.Contains(doc.Text(), bad) {
			t.Fatalf("text contains %q", bad)
		}
	}
	h := find(t, doc, "Main Title")
	if h.Kind != Heading || h.Level != 1 {
		t.Fatalf("h1: %+v", h)
	}
	expectBlock(t, find(t, doc, "Para one with bold."), Paragraph, "Main Title")
	if find(t, doc, "Loose div").Text != "Loose div text\nsecond line" {
		t.Fatal("br not kept as a line break")
	}
	if l := find(t, doc, "alpha"); l.Text != "- alpha\n  - nested\n- beta" || l.Section != "Main Title > Lists" {
		t.Fatalf("list: %+v", l)
	}
	expectBlock(t, find(t, doc, "1. uno\n2. dos"), List, "Main Title > Lists")
	if c := find(t, doc, "x := 1"); c.Kind != Code || c.Text != "  x := 1\n  y := 2" {
		t.Fatalf("pre: %+v", c)
	}
	expectBlock(t, find(t, doc, "Sizes\nName | Size\na | 1"), Table, "Main Title > Lists")
	expectBlock(t, find(t, doc, "Deep text."), Paragraph, "Main Title > Lists > Deep")
}

// TestGoSpec extracts the Go specification shipped with the toolchain.
// TestHTMLCharset: without a declared charset, UTF-8 text stays UTF-8 (the
// HTML standard's windows-1252 guess would turn "…" into "â€¦"); a declared
// legacy charset is still decoded.
func TestHTMLCharset(t *testing.T) {
	dir := t.TempDir()
	doc := extractOK(t, writeFile(t, dir, "utf8.html", []byte("<p>Wait… مرحبا</p>")))
	find(t, doc, "Wait… مرحبا")
	latin1 := []byte("<meta charset=\"iso-8859-1\"><p>caf\xe9</p>")
	doc = extractOK(t, writeFile(t, dir, "latin1.html", latin1))
	find(t, doc, "café")
}

func TestGoSpec(t *testing.T) {
	path := filepath.Join(runtimeGOROOT(t), "doc", "go_spec.html")
	doc := extractOK(t, path)
	// The spec has no <title> (its title sits in a leading comment) nor h1.
	if first := doc.Blocks[0]; first.Kind != Heading || first.Level != 2 || first.Text != "Introduction" {
		t.Fatalf("first block %+v", first)
	}
	inOrder(t, doc, "Introduction", "Notation", "Source code representation", "Lexical elements", "Keywords", "Operators and punctuation")
	kw := find(t, doc, "The following keywords are reserved")
	expectBlock(t, kw, Paragraph, "Lexical elements > Keywords")
	list := find(t, doc, "break        default")
	if list.Kind != Code || !strings.Contains(list.Text, "continue     for") {
		t.Fatalf("keyword table: %+v", list)
	}
	heads := 0
	for _, b := range doc.Blocks {
		if b.Kind == Heading {
			heads++
		}
	}
	if heads < 100 || len(doc.Blocks) < 1000 {
		t.Fatalf("only %d headings in %d blocks", heads, len(doc.Blocks))
	}
}
