package rag

import (
	"strings"
	"unicode"

	"github.com/wadi-app/wadi/backend/store"
)

// Snippet returns about width characters of text around the first word of
// query found in it, with every found query word wrapped in
// store.MarkStart ... store.MarkEnd and "…" where text was cut. Words match
// case-insensitively, as whole words. With no match it is the text's start.
func Snippet(text, query string, width int) string {
	words := map[string]bool{}
	for _, w := range store.QueryWords(query) {
		words[strings.ToLower(w)] = true
	}
	rs := []rune(text)
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r) }
	type span struct{ s, e int }
	var found []span
	for i := 0; i < len(rs); {
		if !isWord(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isWord(rs[j]) {
			j++
		}
		if words[strings.ToLower(string(rs[i:j]))] {
			found = append(found, span{i, j})
		}
		i = j
	}
	start := 0
	if len(found) > 0 {
		start = max(0, found[0].s-width/4)
	}
	end := min(len(rs), start+width)
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for _, f := range found {
		if f.s < start || f.e > end {
			continue
		}
		b.WriteString(string(rs[pos:f.s]))
		b.WriteString(store.MarkStart + string(rs[f.s:f.e]) + store.MarkEnd)
		pos = f.e
	}
	b.WriteString(string(rs[pos:end]))
	if end < len(rs) {
		b.WriteString("…")
	}
	return b.String()
}
