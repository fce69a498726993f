package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchInputs writes one input per format and returns format -> path.
// Real documents are used where the machine has them.
func benchInputs(b *testing.B) map[string]string {
	b.Helper()
	dir := b.TempDir()
	in := map[string]string{}
	var sb strings.Builder
	for i := 0; sb.Len() < 4<<20; i++ {
		sb.WriteString("The quick brown fox jumps over the lazy dog, paragraph " + itoa(i) + ".\nA second line follows it.\n\n")
	}
	in["text"] = writeFile(b, dir, "t.txt", []byte(sb.String()))
	sb.Reset()
	for i := 0; sb.Len() < 4<<20; i++ {
		sb.WriteString("## Section " + itoa(i) + "\n\nSome *text* here.\n\n- a\n- b\n\n```go\nx := 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n")
	}
	in["markdown"] = writeFile(b, dir, "m.md", []byte(sb.String()))
	sb.Reset()
	sb.WriteString("id,name,city,notes\n")
	for i := 0; sb.Len() < 4<<20; i++ {
		sb.WriteString(itoa(i) + ",Name " + itoa(i) + ",\"Town, Land\",some notes here\n")
	}
	in["csv"] = writeFile(b, dir, "c.csv", []byte(sb.String()))
	goroot := runtimeGOROOT(nil)
	if src, err := os.ReadFile(filepath.Join(goroot, "src", "net", "http", "server.go")); err == nil {
		in["code"] = writeFile(b, dir, "server.go", src)
	}
	spec := filepath.Join(goroot, "doc", "go_spec.html")
	if _, err := os.Stat(spec); err == nil {
		in["html"] = spec
	}
	sb.Reset()
	for i := 0; sb.Len() < 4<<20; i++ {
		if i%20 == 0 {
			sb.WriteString(wp("Heading2", -1, "Part "+itoa(i)))
		}
		sb.WriteString(wp("", -1, "The quick brown fox jumps over the lazy dog, paragraph ", itoa(i), "."))
	}
	in["docx"] = writeFile(b, dir, "d.docx", docxOf(b, sb.String()))
	var pages [][]string
	for p := 0; p < 50; p++ {
		var lines []string
		for l := 0; l < 40; l++ {
			lines = append(lines, "Page "+itoa(p)+" line "+itoa(l)+": the quick brown fox jumps over the lazy dog.")
		}
		pages = append(pages, lines)
	}
	in["pdf"] = writeFile(b, dir, "p.pdf", pdfOf(pages, pdfOptions{}))
	if _, err := os.Stat("/usr/share/doc/libtasn1-doc/libtasn1.pdf"); err == nil {
		in["pdf-libtasn1"] = "/usr/share/doc/libtasn1-doc/libtasn1.pdf"
	}
	return in
}

// BenchmarkExtract measures extraction throughput per format (MB/s of
// input file). Run: go test -tags sqlite_fts5,webkit2_41 -run XXX -bench Extract ./backend/rag/extract
func BenchmarkExtract(b *testing.B) {
	in := benchInputs(b)
	for _, f := range []string{"text", "code", "markdown", "csv", "html", "docx", "pdf", "pdf-libtasn1"} {
		path, ok := in[f]
		if !ok {
			continue
		}
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := testX.File(context.Background(), path, DefaultLimits()); err != nil {
			b.Fatal(err) // also starts the PDF engine outside the timing
		}
		b.Run(f, func(b *testing.B) {
			b.SetBytes(st.Size())
			for b.Loop() {
				if _, err := testX.File(context.Background(), path, DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
