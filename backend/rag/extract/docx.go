package extract

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
)

var headingStyle = regexp.MustCompile(`^heading\s*([1-9])$`)

// docxPara is the paragraph being read.
type docxPara struct {
	style string
	level int // outline level from the paragraph itself, 1-based
	list  bool
	ilvl  int
	text  strings.Builder
}

// docxTable is a table being read (tables nest).
type docxTable struct {
	rows []string
	row  []string
	cell strings.Builder
}

// extractDOCX reads word/document.xml as a stream: paragraphs styled as
// headings (by style name, id or outline level) become headings, numbered
// paragraphs become list blocks, tables become table blocks.
func extractDOCX(data []byte, b *builder, lim Limits) (string, error) {
	z, err := openZip(data, zipBudget(lim), "DOCX")
	if err != nil {
		return "", err
	}
	if !z.has("word/document.xml") {
		return "", failf(ErrCorrupt, "DOCX lacks word/document.xml")
	}
	if z.has("word/encryption") || z.has("EncryptionInfo") {
		return "", failf(ErrEncrypted, "the DOCX is password-protected")
	}
	styles := map[string]int{}
	if z.has("word/styles.xml") {
		if styles, err = docxStyles(z); err != nil {
			return "", err
		}
	}
	title := ""
	if z.has("docProps/core.xml") {
		title = docxTitle(z)
	}
	rc, err := z.open("word/document.xml")
	if err != nil {
		return "", err
	}
	defer rc.Close()
	return title, docxBody(rc, b, styles)
}

func docxBody(r io.Reader, b *builder, styles map[string]int) error {
	dec := xml.NewDecoder(r)
	var p *docxPara
	var tables []*docxTable
	var list []string
	inText := false
	flushList := func() error {
		err := b.block(List, strings.Join(list, "\n"))
		list = list[:0]
		return err
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return flushList()
		}
		if err != nil {
			if isExtractErr(err) {
				return err
			}
			return failf(ErrCorrupt, "DOCX word/document.xml: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				p = &docxPara{}
			case "pStyle":
				if p != nil {
					p.style = attr(t, "val")
				}
			case "outlineLvl":
				if p != nil {
					if n, err := strconv.Atoi(attr(t, "val")); err == nil && n < 6 {
						p.level = n + 1
					}
				}
			case "numPr":
				if p != nil {
					p.list = true
				}
			case "ilvl":
				if p != nil {
					p.ilvl, _ = strconv.Atoi(attr(t, "val"))
				}
			case "t":
				inText = true
			case "tab":
				if p != nil {
					p.text.WriteByte('\t')
				}
			case "br", "cr":
				if p != nil {
					p.text.WriteByte('\n')
				}
			case "tbl":
				if len(tables) == 0 {
					if err := flushList(); err != nil {
						return err
					}
				}
				tables = append(tables, &docxTable{})
			case "tr":
				if len(tables) > 0 {
					tables[len(tables)-1].row = nil
				}
			case "tc":
				if len(tables) > 0 {
					tables[len(tables)-1].cell.Reset()
				}
			}
		case xml.CharData:
			if inText && p != nil {
				p.text.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if p == nil {
					continue
				}
				text := strings.TrimSpace(p.text.String())
				if len(tables) > 0 {
					c := &tables[len(tables)-1].cell
					if c.Len() > 0 && text != "" {
						c.WriteByte(' ')
					}
					c.WriteString(text)
				} else if err := docxEmit(b, p, text, styles, &list, flushList); err != nil {
					return err
				}
				p = nil
			case "tc":
				if n := len(tables); n > 0 {
					t := tables[n-1]
					t.row = append(t.row, collapseSpace(t.cell.String()))
				}
			case "tr":
				if n := len(tables); n > 0 {
					t := tables[n-1]
					if strings.TrimSpace(strings.Join(t.row, "")) != "" {
						t.rows = append(t.rows, strings.Join(t.row, " | "))
					}
				}
			case "tbl":
				n := len(tables)
				if n == 0 {
					continue
				}
				text := strings.Join(tables[n-1].rows, "\n")
				tables = tables[:n-1]
				if n > 1 {
					// A nested table becomes the text of its parent's cell.
					tables[n-2].cell.WriteString(" " + strings.ReplaceAll(text, "\n", "; "))
				} else if err := b.block(Table, text); err != nil {
					return err
				}
			}
		}
	}
}

func docxEmit(b *builder, p *docxPara, text string, styles map[string]int, list *[]string, flushList func() error) error {
	level := p.level
	if level == 0 {
		level = styles[p.style]
	}
	if level == 0 {
		if m := headingStyle.FindStringSubmatch(strings.ToLower(p.style)); m != nil {
			level, _ = strconv.Atoi(m[1])
		}
	}
	if p.list && level == 0 {
		if text != "" {
			*list = append(*list, strings.Repeat("  ", min(p.ilvl, 8))+"- "+text)
		}
		return nil
	}
	if err := flushList(); err != nil {
		return err
	}
	if level > 0 {
		return b.heading(level, text)
	}
	return b.block(Paragraph, text)
}

// docxStyles maps paragraph style ids to heading levels ("heading 2" -> 2,
// "Title" -> 1, or the style's outline level).
func docxStyles(z *zipBox) (map[string]int, error) {
	rc, err := z.open("word/styles.xml")
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var doc struct {
		Styles []struct {
			ID   string `xml:"styleId,attr"`
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
			Outline struct {
				Val *int `xml:"val,attr"`
			} `xml:"pPr>outlineLvl"`
		} `xml:"style"`
	}
	if err := xml.NewDecoder(rc).Decode(&doc); err != nil {
		if isExtractErr(err) {
			return nil, err
		}
		return nil, failf(ErrCorrupt, "DOCX word/styles.xml: %v", err)
	}
	out := map[string]int{}
	for _, s := range doc.Styles {
		name := strings.ToLower(strings.TrimSpace(s.Name.Val))
		switch m := headingStyle.FindStringSubmatch(name); {
		case m != nil:
			out[s.ID], _ = strconv.Atoi(m[1])
		case name == "title":
			out[s.ID] = 1
		case s.Outline.Val != nil && *s.Outline.Val < 6:
			out[s.ID] = *s.Outline.Val + 1
		}
	}
	return out, nil
}

// docxTitle returns dc:title from docProps/core.xml ("" if unreadable).
func docxTitle(z *zipBox) string {
	rc, err := z.open("docProps/core.xml")
	if err != nil {
		return ""
	}
	defer rc.Close()
	var core struct {
		Title string `xml:"title"`
	}
	if xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&core) != nil {
		return ""
	}
	return collapseSpace(core.Title)
}

// attr returns the value of the attribute with the given local name.
func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
