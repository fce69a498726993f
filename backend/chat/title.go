package chat

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxTitle is the longest automatic title, in characters.
const maxTitle = 60

// DefaultTitle names a chat that has no prompt yet.
const DefaultTitle = "New chat"

// AutoTitle makes a chat title from its first prompt: the first non-empty
// line, without Markdown markers or control characters, spaces collapsed,
// cut at a word boundary to at most 60 characters (ending in "…" when cut).
func AutoTitle(prompt string) string {
	line := ""
	for _, l := range strings.Split(prompt, "\n") {
		l = strings.TrimLeft(strings.TrimSpace(l), "#>*-+` \t")
		if strings.TrimSpace(l) != "" && strings.Trim(l, "`~=-_*") != "" {
			line = l
			break
		}
	}
	line = strings.Map(func(r rune) rune {
		switch {
		case r == '`' || r == '*':
			return -1
		case unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d'):
			return ' '
		}
		return r
	}, line)
	line = strings.Join(strings.Fields(line), " ")
	if line == "" {
		return DefaultTitle
	}
	if utf8.RuneCountInString(line) <= maxTitle {
		return line
	}
	rs := []rune(line)[:maxTitle-1]
	cut := string(rs)
	if i := strings.LastIndexByte(cut, ' '); i > maxTitle/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:-") + "…"
}
