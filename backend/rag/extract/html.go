package extract

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// maxHTMLSource caps one HTML (or XHTML chapter) source: the parse tree
// takes several times the source in memory.
const maxHTMLSource = 32 << 20

// skipped elements never contribute text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Nav: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Iframe: true,
	atom.Object: true, atom.Head: true, atom.Button: true, atom.Select: true,
}

// blockish elements end the running paragraph.
var blockish = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Blockquote: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Figure: true, atom.Figcaption: true,
	atom.Address: true, atom.Details: true, atom.Summary: true, atom.Form: true,
	atom.Fieldset: true, atom.Body: true, atom.Html: true, atom.Center: true, atom.Hr: true,
	atom.Li: true, atom.Caption: true, atom.Legend: true,
}

// extractHTML reads one HTML document (any charset declared in it) and
// returns its <title>.
func extractHTML(r io.Reader, b *builder) (string, error) {
	root, err := parseHTML(r)
	if err != nil {
		return "", err
	}
	return walkHTML(root, b)
}

func parseHTML(r io.Reader) (*html.Node, error) {
	data, err := readAllLimited(r, maxHTMLSource)
	if err != nil {
		return nil, err
	}
	if err := checkChunk(data); err != nil {
		return nil, err
	}
	// A declared charset (BOM or <meta>) wins. Without one, the HTML
	// standard's guess is windows-1252, which garbles the UTF-8 that almost
	// every file on disk is in: keep valid UTF-8 as it is.
	var src io.Reader = bytes.NewReader(data)
	if enc, _, certain := charset.DetermineEncoding(data, "text/html"); certain || !utf8.Valid(data) {
		src = enc.NewDecoder().Reader(src)
	}
	root, err := html.Parse(src)
	if err != nil {
		return nil, failf(ErrCorrupt, "HTML: %v", err)
	}
	return root, nil
}

// walkHTML adds the blocks of a parsed document to b and returns its title.
func walkHTML(root *html.Node, b *builder) (string, error) {
	w := &htmlWalker{b: b, title: findTitle(root)}
	w.walk(root)
	w.flush()
	if w.err != nil {
		return "", w.err
	}
	if w.title == "" {
		w.title = firstH1(root)
	}
	return w.title, nil
}

type htmlWalker struct {
	b     *builder
	title string
	lines []string
	cur   strings.Builder
	err   error
}

func (w *htmlWalker) flush() {
	w.lines = append(w.lines, collapseSpace(w.cur.String()))
	w.cur.Reset()
	text := strings.TrimSpace(strings.Join(w.lines, "\n"))
	w.lines = w.lines[:0]
	if text != "" && w.err == nil {
		w.err = w.b.block(Paragraph, text)
	}
}

func (w *htmlWalker) walk(n *html.Node) {
	if w.err != nil {
		return
	}
	switch n.Type {
	case html.TextNode:
		w.cur.WriteString(n.Data)
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c)
		}
		return
	}
	if skipped[n.DataAtom] {
		return
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		w.flush()
		if w.err == nil {
			w.err = w.b.heading(int(n.Data[1]-'0'), innerText(n))
		}
	case atom.Pre:
		w.flush()
		if w.err == nil {
			w.err = w.b.block(Code, innerText(n))
		}
	case atom.Ul, atom.Ol:
		w.flush()
		if w.err == nil {
			w.err = w.b.block(List, listText(n, 0))
		}
	case atom.Table:
		w.flush()
		if w.err == nil {
			w.err = w.b.block(Table, tableText(n))
		}
	case atom.Br:
		w.lines = append(w.lines, collapseSpace(w.cur.String()))
		w.cur.Reset()
	default:
		block := blockish[n.DataAtom]
		if block {
			w.flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c)
		}
		if block {
			w.flush()
		}
	}
}

// findTitle returns the text of the first <title> element.
func findTitle(n *html.Node) string {
	if n.Type == html.ElementNode && n.DataAtom == atom.Title {
		return collapseSpace(innerText(n))
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if t := findTitle(c); t != "" {
			return t
		}
	}
	return ""
}

// firstH1 returns the text of the first <h1>, the title of a page that
// lacks a <title>.
func firstH1(n *html.Node) string {
	if n.Type == html.ElementNode && n.DataAtom == atom.H1 {
		return collapseSpace(innerText(n))
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if t := firstH1(c); t != "" {
			return t
		}
	}
	return ""
}

// innerText returns the text under n, skipping script-like elements; <br>
// becomes a newline.
func innerText(n *html.Node) string {
	var sb strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			sb.WriteString(n.Data)
		case n.Type == html.ElementNode && skipped[n.DataAtom]:
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			sb.WriteByte('\n')
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				rec(c)
			}
		}
	}
	rec(n)
	return sb.String()
}

// listText renders a ul/ol as "- item" lines, nested lists indented.
func listText(n *html.Node, depth int) string {
	var out []string
	i := 0
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			continue
		}
		i++
		var own strings.Builder
		var nested []string
		for c := li.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.DataAtom == atom.Ul || c.DataAtom == atom.Ol) {
				nested = append(nested, listText(c, depth+1))
				continue
			}
			own.WriteString(" " + innerText(c))
		}
		marker := "-"
		if n.DataAtom == atom.Ol {
			marker = fmt.Sprintf("%d.", i)
		}
		out = append(out, strings.Repeat("  ", depth)+marker+" "+collapseSpace(own.String()))
		out = append(out, nested...)
	}
	return strings.Join(out, "\n")
}

// tableText renders a table as a caption line then one line per row with
// cells joined by " | ".
func tableText(n *html.Node) string {
	var out []string
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Caption:
				out = append(out, collapseSpace(innerText(c)))
			case atom.Tr:
				var cells []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
						cells = append(cells, collapseSpace(innerText(td)))
					}
				}
				if strings.TrimSpace(strings.Join(cells, "")) != "" {
					out = append(out, strings.Join(cells, " | "))
				}
			case atom.Table:
				// A nested table is rendered in place.
				out = append(out, tableText(c))
			default:
				rec(c)
			}
		}
	}
	rec(n)
	return strings.Join(out, "\n")
}
