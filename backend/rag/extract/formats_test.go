package extract

import (
	"os"
	"strings"
	"testing"
)

func TestDOCX(t *testing.T) {
	body := wp("Titre1", -1, "Overview") +
		wp("", -1, "Plain ", "runs joined.") +
		wp("Heading2", -1, "Details") +
		wp("", 0, "first item") + wp("", 1, "sub item") + wp("", 0, "second item") +
		`<w:tbl><w:tr><w:tc>` + wp("", -1, "Name") + `</w:tc><w:tc>` + wp("", -1, "Qty") + `</w:tc></w:tr>` +
		`<w:tr><w:tc>` + wp("", -1, "bolts") + `</w:tc><w:tc>` + wp("", -1, "12") + `</w:tc></w:tr></w:tbl>` +
		`<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>Appendix</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>Tab</w:t><w:tab/><w:t>bed</w:t><w:delText>gone</w:delText></w:r></w:p>`
	doc := extractOK(t, writeFile(t, t.TempDir(), "guide.docx", docxOf(t, body)))
	if doc.Format != "docx" || doc.Title != "Field Guide" {
		t.Fatalf("format %s title %q", doc.Format, doc.Title)
	}
	if h := find(t, doc, "Overview"); h.Kind != Heading || h.Level != 1 {
		t.Fatalf("style-name heading: %+v", h)
	}
	expectBlock(t, find(t, doc, "Plain runs joined."), Paragraph, "Overview")
	expectBlock(t, find(t, doc, "- first item\n  - sub item\n- second item"), List, "Overview > Details")
	expectBlock(t, find(t, doc, "Name | Qty\nbolts | 12"), Table, "Overview > Details")
	expectBlock(t, find(t, doc, "Tab\tbed"), Paragraph, "Appendix")
	if strings.Contains(doc.Text(), "gone") {
		t.Fatal("deleted text extracted")
	}
	inOrder(t, doc, "Overview", "Plain", "Details", "first item", "Name", "Appendix", "Tab")
}

func TestEPUB(t *testing.T) {
	container := `<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`
	opf := `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Sea Stories</dc:title></metadata>
<manifest><item id="c2" href="text/two%20b.xhtml" media-type="application/xhtml+xml"/><item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/><item id="css" href="s.css" media-type="text/css"/></manifest>
<spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>`
	ch := func(title, body string) string {
		return `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>` + title + `</title></head><body>` + body + `</body></html>`
	}
	data := zipOf(t, "mimetype", "application/epub+zip", "META-INF/container.xml", container, "OEBPS/content.opf", opf,
		"OEBPS/text/two b.xhtml", ch("Sea Stories", "<h1>The Storm</h1><p>Waves rose.</p><h2>After</h2><p>Calm.</p>"),
		"OEBPS/text/one.xhtml", ch("The Harbour", "<h1>The Harbour</h1><p>Boats slept.</p>"), "OEBPS/s.css", "p{}")
	doc := extractOK(t, writeFile(t, t.TempDir(), "sea.epub", data))
	if doc.Format != "epub" || doc.Title != "Sea Stories" {
		t.Fatalf("format %s title %q", doc.Format, doc.Title)
	}
	inOrder(t, doc, "The Harbour", "Boats slept.", "The Storm", "Waves rose.", "Calm.")
	expectBlock(t, find(t, doc, "Boats slept."), Paragraph, "The Harbour")
	expectBlock(t, find(t, doc, "Waves rose."), Paragraph, "The Storm")
	expectBlock(t, find(t, doc, "Calm."), Paragraph, "The Storm > After")
}

func TestCSV(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("city,country,\"population, 2020\"\n")
	for i := 0; i < 120; i++ {
		sb.WriteString("Town" + itoa(i) + ",Land,\"1,000\"\n")
	}
	doc := extractOK(t, writeFile(t, t.TempDir(), "towns.csv", []byte(sb.String())))
	if doc.Format != "csv" || len(doc.Blocks) != 3 {
		t.Fatalf("format %s, %d blocks", doc.Format, len(doc.Blocks))
	}
	for _, b := range doc.Blocks {
		if b.Kind != Table || !strings.HasPrefix(b.Text, "city | country | population, 2020\n") {
			t.Fatalf("block lacks the header: %.60q", b.Text)
		}
	}
	if !strings.Contains(doc.Blocks[2].Text, "Town119 | Land | 1,000") {
		t.Fatal("last row missing")
	}
	tsv := extractOK(t, writeFile(t, t.TempDir(), "x.tsv", []byte("a\tb\n1\t2\n")))
	if tsv.Blocks[0].Text != "a | b\n1 | 2" {
		t.Fatalf("tsv: %q", tsv.Blocks[0].Text)
	}
}

func TestPDFGenerated(t *testing.T) {
	pages := [][]string{
		{"Introduction", "The quick brown fox jumps over the lazy dog and keeps running far away.", "A short line."},
		{"Setup", "Install the package (version 2) and run the tool from the command line now.", "Done."},
	}
	data := pdfOf(pages, pdfOptions{title: "Fox Manual", outline: []pdfMark{{"Introduction", 0}, {"Setup", 1}}})
	doc := extractOK(t, writeFile(t, t.TempDir(), "fox.pdf", data))
	if doc.Format != "pdf" || doc.Pages != 2 || doc.Title != "Fox Manual" {
		t.Fatalf("format %s pages %d title %q", doc.Format, doc.Pages, doc.Title)
	}
	fox := find(t, doc, "The quick brown fox jumps over the lazy dog")
	if fox.Page != 1 || fox.Section != "Introduction" {
		t.Fatalf("page 1 block: %+v", fox)
	}
	inst := find(t, doc, "Install the package (version 2)")
	if inst.Page != 2 || inst.Section != "Setup" {
		t.Fatalf("page 2 block: %+v", inst)
	}
	if h := find(t, doc, "Setup"); h.Kind != Heading || h.Page != 2 {
		t.Fatalf("outline heading: %+v", h)
	}
	inOrder(t, doc, "Introduction", "quick brown", "A short line.", "Setup", "Install", "Done.")
}

// TestPDFReal extracts PDFs that Debian packages install as documentation.
func TestPDFReal(t *testing.T) {
	cases := []struct {
		path, phrase string
		check        func(*testing.T, *Document)
	}{
		{"/usr/share/doc/libtasn1-doc/libtasn1.pdf", "ASN.1", func(t *testing.T, doc *Document) {
			h := findExact(t, doc, "2.1 ASN.1 syntax")
			if h.Kind != Heading || h.Level != 2 || h.Page != 5 || h.Section != "2 ASN.1 structure handling > 2.1 ASN.1 syntax" {
				t.Fatalf("heading from the outline: %+v", h)
			}
			p := find(t, doc, "The parser is case sensitive.")
			if p.Page != 5 || p.Section != h.Section {
				t.Fatalf("paragraph under it: %+v", p)
			}
			intro, ch2 := findExact(t, doc, "1 Introduction"), findExact(t, doc, "2 ASN.1 structure handling")
			body := find(t, doc, "This document describes the Libtasn1 library")
			if intro.Kind != Heading || intro.Page != 4 || !(intro.Start < body.Start && body.Start < ch2.Start && ch2.Start < h.Start) {
				t.Fatalf("reading order: %+v %+v %+v", intro, body, ch2)
			}
			indexOf(t, doc, "structures management") // soft hyphen joined
			for _, b := range doc.Blocks {
				if b.Page == 4 && b.Text == "1" {
					t.Fatal("page number kept as text")
				}
			}
		}},
		{"/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf", "MIME", nil},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			if _, err := os.Stat(c.path); err != nil {
				t.Skipf("not installed: %v", err)
			}
			doc := extractOK(t, c.path)
			if doc.Pages < 2 {
				t.Fatalf("%d pages", doc.Pages)
			}
			last, sections := 0, 0
			for _, b := range doc.Blocks {
				if b.Page < last || b.Page < 1 || b.Page > doc.Pages {
					t.Fatalf("page %d after %d (of %d)", b.Page, last, doc.Pages)
				}
				last = b.Page
				if b.Section != "" {
					sections++
				}
			}
			if last < doc.Pages-1 {
				t.Fatalf("text stops at page %d of %d", last, doc.Pages)
			}
			text := doc.Text()
			if !strings.Contains(text, c.phrase) || strings.Count(text, " the ") < 20 {
				t.Fatalf("words or spaces missing: %.300q", text)
			}
			if c.check != nil {
				c.check(t, doc)
			}
			t.Logf("%d pages, %d blocks, %d with a section, title %q", doc.Pages, len(doc.Blocks), sections, doc.Title)
		})
	}
}

// findExact returns the first block whose whole text is s.
func findExact(t *testing.T, doc *Document, s string) Block {
	t.Helper()
	for _, b := range doc.Blocks {
		if b.Text == s {
			return b
		}
	}
	t.Fatalf("%s: no block is %q", doc.Path, s)
	return Block{}
}
