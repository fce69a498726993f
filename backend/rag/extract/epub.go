package extract

import (
	"encoding/xml"
	"io"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// extractEPUB reads the OPF spine in order and extracts each XHTML chapter
// through the HTML extractor; the chapter title heads its section path.
func extractEPUB(data []byte, b *builder, lim Limits) (string, error) {
	z, err := openZip(data, zipBudget(lim), "EPUB")
	if err != nil {
		return "", err
	}
	if z.has("META-INF/encryption.xml") && epubEncrypted(z) {
		return "", failf(ErrEncrypted, "the EPUB's content is encrypted (DRM)")
	}
	opfPath, err := epubRootfile(z)
	if err != nil {
		return "", err
	}
	var opf struct {
		Title    string `xml:"metadata>title"`
		Manifest []struct {
			ID   string `xml:"id,attr"`
			Href string `xml:"href,attr"`
			Type string `xml:"media-type,attr"`
		} `xml:"manifest>item"`
		Spine []struct {
			IDRef string `xml:"idref,attr"`
		} `xml:"spine>itemref"`
	}
	if err := decodeEntry(z, opfPath, &opf); err != nil {
		return "", err
	}
	hrefs := map[string]string{}
	for _, it := range opf.Manifest {
		if strings.Contains(it.Type, "html") {
			hrefs[it.ID] = it.Href
		}
	}
	dir := path.Dir(opfPath)
	for i, ref := range opf.Spine {
		href, ok := hrefs[ref.IDRef]
		if !ok {
			continue
		}
		if u, err := url.PathUnescape(href); err == nil {
			href = u
		}
		name := path.Join(dir, href)
		rc, err := z.open(name)
		if err != nil {
			return "", err
		}
		root, err := parseHTML(rc)
		rc.Close()
		if err != nil {
			return "", errWithEntry(err, name)
		}
		b.resetHeadings()
		b.prefix = chapterTitle(root, opf.Title)
		if b.prefix == "" {
			b.prefix = "Chapter " + itoa(i+1)
		}
		if _, err := walkHTML(root, b); err != nil {
			return "", err
		}
	}
	return collapseSpace(opf.Title), nil
}

// epubRootfile returns the OPF path named by META-INF/container.xml.
func epubRootfile(z *zipBox) (string, error) {
	var c struct {
		Rootfiles []struct {
			Path string `xml:"full-path,attr"`
		} `xml:"rootfiles>rootfile"`
	}
	if err := decodeEntry(z, "META-INF/container.xml", &c); err != nil {
		return "", err
	}
	if len(c.Rootfiles) == 0 || c.Rootfiles[0].Path == "" {
		return "", failf(ErrCorrupt, "EPUB container.xml names no rootfile")
	}
	return c.Rootfiles[0].Path, nil
}

// epubEncrypted reports whether encryption.xml encrypts content beyond
// fonts (font obfuscation is common and harmless).
func epubEncrypted(z *zipBox) bool {
	var enc struct {
		Data []struct {
			Method struct {
				Algorithm string `xml:"Algorithm,attr"`
			} `xml:"EncryptionMethod"`
			URI struct {
				URI string `xml:"URI,attr"`
			} `xml:"CipherData>CipherReference"`
		} `xml:"EncryptedData"`
	}
	if decodeEntry(z, "META-INF/encryption.xml", &enc) != nil {
		return false
	}
	for _, d := range enc.Data {
		u := strings.ToLower(d.URI.URI)
		if strings.Contains(u, "htm") {
			return true
		}
	}
	return false
}

// decodeEntry XML-decodes one zip entry into v.
func decodeEntry(z *zipBox, name string, v any) error {
	rc, err := z.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, 16<<20)).Decode(v); err != nil {
		if isExtractErr(err) {
			return err
		}
		return failf(ErrCorrupt, "%s %s: %v", z.kind, name, err)
	}
	return nil
}

// chapterTitle is the chapter's <title> unless it only repeats the book's
// title, else its first h1..h3.
func chapterTitle(root *html.Node, book string) string {
	if t := findTitle(root); t != "" && t != collapseSpace(book) {
		return t
	}
	var find func(*html.Node) string
	find = func(n *html.Node) string {
		if n.Type == html.ElementNode && (n.DataAtom == atom.H1 || n.DataAtom == atom.H2 || n.DataAtom == atom.H3) {
			return collapseSpace(innerText(n))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if t := find(c); t != "" {
				return t
			}
		}
		return ""
	}
	return find(root)
}

func errWithEntry(err error, name string) error {
	if isExtractErr(err) && !strings.Contains(err.Error(), name) {
		return failfWrap(err, "in %s", name)
	}
	return err
}
