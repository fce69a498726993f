package chunk

import (
	"unicode"
	"unicode/utf8"
)

// cut splits a block too large for one chunk into parts: the first at most
// first tokens (a full chunk if that is too little to be worth it), the rest
// at most max tokens, each repeating about overlap tokens of the one before.
// Code and tables are cut between lines, prose between words; a line or word
// larger than a chunk is cut between characters. It works on byte offsets
// in one pass, so a huge block costs memory in proportion to its units only.
func cut(p piece, lines bool, first, max, overlap int) []piece {
	text := p.text
	units := unitEnds(text, lines, max)
	tok := make([]count, len(units)) // per unit
	prev := 0
	for i, e := range units {
		tok[i].add(text[prev:e])
		prev = e
	}
	if first < max/4 {
		first = max
	}
	var out []piece
	budget := first
	u := 0 // first unit of the current part
	for u < len(units) {
		var c count
		v := u
		for v < len(units) {
			n := count{c.ascii + tok[v].ascii, c.other + tok[v].other}
			if n.tokens() > budget && v > u {
				break
			}
			c = n
			v++
		}
		start := 0
		if u > 0 {
			start = units[u-1]
		}
		out = appendTrimmed(out, p, start, units[v-1])
		if v >= len(units) {
			break
		}
		// Step back over about overlap tokens for the next part's start.
		next := v
		var o count
		for next-1 > u {
			n := count{o.ascii + tok[next-1].ascii, o.other + tok[next-1].other}
			if n.tokens() > overlap {
				break
			}
			o = n
			next--
		}
		u = next
		budget = max
	}
	return out
}

// appendTrimmed adds p.text[s:e] without surrounding space, with offsets.
func appendTrimmed(out []piece, p piece, s, e int) []piece {
	for s < e {
		r, n := utf8.DecodeRuneInString(p.text[s:])
		if !unicode.IsSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(p.text[:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= n
	}
	if s == e {
		return out
	}
	return append(out, piece{text: p.text[s:e], start: p.start + s, end: p.start + e, page: p.page})
}

// unitEnds lists the byte offsets where each unit (a line, or a word with
// its trailing space) ends, cutting any unit longer than max characters at
// a character boundary.
func unitEnds(text string, lines bool, max int) []int {
	var ends []int
	start, runes := 0, 0 // current unit's start and length in characters
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		runes++
		end := false
		if lines {
			end = r == '\n'
		} else if unicode.IsSpace(r) {
			next, _ := utf8.DecodeRuneInString(text[i:])
			end = i == len(text) || !unicode.IsSpace(next)
		}
		if end || runes >= max {
			ends = append(ends, i)
			start, runes = i, 0
		}
	}
	if start < len(text) {
		ends = append(ends, len(text))
	}
	return ends
}
