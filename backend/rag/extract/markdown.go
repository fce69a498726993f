package extract

import (
	"io"
	"regexp"
	"strings"
)

var (
	mdATX    = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	mdFence  = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	mdList   = regexp.MustCompile(`^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)`)
	mdSetext = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	mdTable  = regexp.MustCompile(`^ {0,3}\|`)
)

// extractMarkdown parses Markdown into blocks with a small line-based block
// parser: ATX and setext headings, fenced code (kept whole), lists, pipe
// tables and paragraphs. Inline markup is kept as written.
func extractMarkdown(r io.Reader, b *builder) error {
	data, err := readAllLimited(r, b.max)
	if err != nil {
		return err
	}
	if err := checkChunk(data); err != nil {
		return err
	}
	text := strings.ToValidUTF8(string(data), "\uFFFD")
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	lines = skipFrontMatter(lines)
	var cur []string
	kind := Paragraph
	flush := func() error {
		err := b.block(kind, strings.Join(cur, "\n"))
		cur, kind = cur[:0], Paragraph
		return err
	}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if plainLine(line) {
			// Fast path: a line no block rule can match.
			if kind == Table {
				if err := flush(); err != nil {
					return err
				}
			}
			cur = append(cur, line)
			continue
		}
		switch {
		case strings.TrimSpace(line) == "":
			if kind == List && i+1 < len(lines) && isIndentedOrList(lines[i+1]) {
				continue // a loose list continues
			}
			if err := flush(); err != nil {
				return err
			}
		case mdFence.MatchString(line):
			if err := flush(); err != nil {
				return err
			}
			fence := mdFence.FindStringSubmatch(line)[1]
			j := i + 1
			for j < len(lines) && !strings.HasPrefix(strings.TrimLeft(lines[j], " "), fence) {
				j++
			}
			kind = Code
			cur = append(cur, lines[i:min(j+1, len(lines))]...)
			if err := flush(); err != nil {
				return err
			}
			i = j
		case mdATX.MatchString(line):
			if err := flush(); err != nil {
				return err
			}
			m := mdATX.FindStringSubmatch(line)
			if err := b.heading(len(m[1]), m[2]); err != nil {
				return err
			}
		case kind == Paragraph && len(cur) > 0 && mdSetext.MatchString(line):
			level := 1
			if strings.Contains(line, "-") {
				level = 2
			}
			title := strings.Join(cur, " ")
			cur = cur[:0]
			if err := b.heading(level, title); err != nil {
				return err
			}
		case mdList.MatchString(line):
			if kind != List {
				if err := flush(); err != nil {
					return err
				}
				kind = List
			}
			cur = append(cur, line)
		case mdTable.MatchString(line):
			if kind != Table {
				if err := flush(); err != nil {
					return err
				}
				kind = Table
			}
			cur = append(cur, line)
		default:
			if kind == Table {
				if err := flush(); err != nil {
					return err
				}
			}
			cur = append(cur, line)
		}
	}
	return flush()
}

// plainLine reports whether line is paragraph text: its first non-space
// character cannot start a heading, fence, list, table or setext line.
func plainLine(line string) bool {
	t := strings.TrimLeft(line, " ")
	if t == "" {
		return false
	}
	if len(line)-len(t) > 3 {
		return true
	}
	switch c := t[0]; {
	case c == '#' || c == '`' || c == '~' || c == '-' || c == '*' || c == '+' || c == '|' || c == '=' || c == '\t':
		return false
	case c >= '0' && c <= '9':
		return false
	}
	return true
}

func isIndentedOrList(s string) bool {
	return strings.HasPrefix(s, "  ") || strings.HasPrefix(s, "\t") || mdList.MatchString(s)
}

// skipFrontMatter drops a leading YAML front matter block.
func skipFrontMatter(lines []string) []string {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return lines
	}
	for i := 1; i < len(lines); i++ {
		if t := strings.TrimSpace(lines[i]); t == "---" || t == "..." {
			return lines[i+1:]
		}
	}
	return lines
}
