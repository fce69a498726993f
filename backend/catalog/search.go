package catalog

import (
	"strings"
)

// Filter narrows the catalog. Zero fields match everything.
type Filter struct {
	Query      string  `json:"query"`      // words matched against id, name, family, description and pull names
	Capability string  `json:"capability"` // e.g. "tools", "vision", "embedding"
	Family     string  `json:"family"`     // e.g. "qwen", "deepseek"
	MaxParamsB float64 `json:"maxParamsB"` // variants above this many billion parameters are left out; 0 = any
	FitsOnly   bool    `json:"fitsOnly"`   // only variants whose verdict is not "no"
}

// ListedVariant is a variant with its fit on this machine.
type ListedVariant struct {
	Variant
	Fit Fit `json:"fit"`
}

// Listed is a catalog entry as a search returns it: only the variants that
// passed the filter, each with its fit.
type Listed struct {
	Entry
	Variants []ListedVariant `json:"variants"`
}

// Search returns the entries matching f, in catalog order, with every
// remaining variant's fit on m at numCtx tokens (0: DefaultNumCtx).
// Entries whose variants were all filtered out are left out.
func (c *Catalog) Search(m Machine, f Filter, numCtx int) []Listed {
	words := strings.Fields(strings.ToLower(f.Query))
	out := []Listed{}
	for _, e := range c.Entries {
		if f.Family != "" && !strings.EqualFold(e.Family, f.Family) {
			continue
		}
		if f.Capability != "" && !hasFold(e.Capabilities, f.Capability) {
			continue
		}
		if len(words) > 0 && !matchesAll(e, words) {
			continue
		}
		l := Listed{Entry: e, Variants: make([]ListedVariant, 0, len(e.Variants))}
		l.Entry.Variants = nil
		for _, v := range e.Variants {
			if f.MaxParamsB > 0 && v.ParamsB > f.MaxParamsB {
				continue
			}
			fit := ForVariant(m, v, numCtx)
			if f.FitsOnly && fit.Verdict == FitNo {
				continue
			}
			l.Variants = append(l.Variants, ListedVariant{Variant: v, Fit: fit})
		}
		if len(l.Variants) > 0 {
			out = append(out, l)
		}
	}
	return out
}

func hasFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// matchesAll reports whether every word occurs in one of e's text fields.
func matchesAll(e Entry, words []string) bool {
	var b strings.Builder
	for _, s := range []string{e.ID, e.Name, e.Family, e.Description} {
		b.WriteString(strings.ToLower(s))
		b.WriteByte(' ')
	}
	for _, v := range e.Variants {
		b.WriteString(strings.ToLower(v.PullName))
		b.WriteByte(' ')
	}
	hay := b.String()
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}
