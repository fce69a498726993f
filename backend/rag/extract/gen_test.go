package extract

import (
	"archive/zip"
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes data to name under dir and returns the path.
func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// zipOf builds a zip from name/content pairs, in order.
func zipOf(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// docxOf builds a DOCX whose body is the given WordprocessingML.
func docxOf(t testing.TB, body string) []byte {
	styles := `<?xml version="1.0"?><w:styles ` + wordNS + `>
<w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
</w:styles>`
	core := `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Field Guide</dc:title></cp:coreProperties>`
	doc := `<?xml version="1.0"?><w:document ` + wordNS + `><w:body>` + body + `</w:body></w:document>`
	return zipOf(t, "[Content_Types].xml", `<Types/>`, "word/document.xml", doc,
		"word/styles.xml", styles, "docProps/core.xml", core)
}

// wp is a WordprocessingML paragraph with an optional style and list level.
func wp(style string, list int, runs ...string) string {
	var sb strings.Builder
	sb.WriteString("<w:p><w:pPr>")
	if style != "" {
		fmt.Fprintf(&sb, `<w:pStyle w:val="%s"/>`, style)
	}
	if list >= 0 {
		fmt.Fprintf(&sb, `<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="1"/></w:numPr>`, list)
	}
	sb.WriteString("</w:pPr>")
	for _, r := range runs {
		fmt.Fprintf(&sb, `<w:r><w:t xml:space="preserve">%s</w:t></w:r>`, r)
	}
	sb.WriteString("</w:p>")
	return sb.String()
}

// pdfOptions shape a generated PDF.
type pdfOptions struct {
	title    string
	outline  []pdfMark // bookmarks
	password string    // non-empty: encrypt with this user password
}

type pdfMark struct {
	title string
	page  int // 0-based
}

// pdfOf writes a valid PDF by hand: one page per entry of pages, each
// line drawn in Helvetica from the top down, with a correct xref table.
func pdfOf(pages [][]string, o pdfOptions) []byte {
	var objs []string // objs[i] is object i+1
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	catalog := add("")
	pagesObj := add("")
	font := add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	var kids []string
	var pageIDs []int
	for _, lines := range pages {
		var cs strings.Builder
		cs.WriteString("BT /F1 12 Tf 16 TL 72 720 Td\n")
		for _, l := range lines {
			l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
			fmt.Fprintf(&cs, "(%s) Tj T*\n", l)
		}
		cs.WriteString("ET")
		content := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", cs.Len(), cs.String()))
		page := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>",
			pagesObj, font, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
		pageIDs = append(pageIDs, page)
	}
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	cat := fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R", pagesObj)
	if len(o.outline) > 0 {
		outlines := add("")
		first := len(objs) + 1
		for i, m := range o.outline {
			s := fmt.Sprintf("<< /Title (%s) /Parent %d 0 R /Dest [%d 0 R /XYZ 0 792 0]", m.title, outlines, pageIDs[m.page])
			if i > 0 {
				s += fmt.Sprintf(" /Prev %d 0 R", first+i-1)
			}
			if i < len(o.outline)-1 {
				s += fmt.Sprintf(" /Next %d 0 R", first+i+1)
			}
			add(s + " >>")
		}
		objs[outlines-1] = fmt.Sprintf("<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>",
			first, first+len(o.outline)-1, len(o.outline))
		cat += fmt.Sprintf(" /Outlines %d 0 R", outlines)
	}
	objs[catalog-1] = cat + " >>"
	trailer := fmt.Sprintf("/Root %d 0 R", catalog)
	if o.title != "" {
		trailer += fmt.Sprintf(" /Info %d 0 R", add(fmt.Sprintf("<< /Title (%s) >>", o.title)))
	}
	if o.password != "" {
		id := "0123456789abcdef"
		oVal, uVal := pdfR2Keys(o.password, "owner-"+o.password, []byte(id), -44)
		enc := add(fmt.Sprintf("<< /Filter /Standard /V 1 /R 2 /O <%x> /U <%x> /P -44 >>", oVal, uVal))
		trailer += fmt.Sprintf(" /Encrypt %d 0 R /ID [<%x> <%x>]", enc, id, id)
	}
	var buf bytes.Buffer
	buf.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, xref)
	return buf.Bytes()
}

// pdfR2Keys computes the /O and /U entries of the PDF standard security
// handler, revision 2 (RC4, 40-bit key), for the given passwords.
func pdfR2Keys(user, owner string, id []byte, perms int32) (o, u []byte) {
	pad := []byte("\x28\xbf\x4e\x5e\x4e\x75\x8a\x41\x64\x00\x4e\x56\xff\xfa\x01\x08\x2e\x2e\x00\xb6\xd0\x68\x3e\x80\x2f\x0c\xa9\xfe\x64\x53\x69\x7a")
	padded := func(p string) []byte { return append([]byte(p), pad...)[:32] }
	rc := func(key, data []byte) []byte {
		c, _ := rc4.NewCipher(key)
		out := make([]byte, len(data))
		c.XORKeyStream(out, data)
		return out
	}
	ok := md5.Sum(padded(owner))
	o = rc(ok[:5], padded(user))
	h := md5.New()
	h.Write(padded(user))
	h.Write(o)
	var p [4]byte
	binary.LittleEndian.PutUint32(p[:], uint32(perms))
	h.Write(p[:])
	h.Write(id)
	key := h.Sum(nil)[:5]
	return o, rc(key, pad)
}
