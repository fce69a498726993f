package rag

import (
	"fmt"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/wadi-app/wadi/backend/rag/chunk"
)

// DefaultTemplate wraps numbered sources and the question into a prompt.
// It sees .Question and .Sources (each with .N, .Label and .Text).
const DefaultTemplate = `Answer the question using the numbered sources below. Cite the sources you use as [1], [2], and so on. If the sources do not contain the answer, say so.

{{range .Sources}}[{{.N}}] {{.Label}}
{{.Text}}

{{end}}Question: {{.Question}}`

// Source is one chunk as numbered in a prompt.
type Source struct {
	N     int    `json:"n"`
	Label string `json:"label"` // file name, page or section
	Text  string `json:"text"`
	Hit   Hit    `json:"hit"`
}

// Prompt is a question with the sources that fitted.
type Prompt struct {
	Text    string   `json:"text"`
	Sources []Source `json:"sources"` // sent, numbered from 1
	Dropped []Hit    `json:"dropped"` // retrieved but not sent: no room
	Tokens  int      `json:"tokens"`  // estimate of Text
	// Cut is true when some retrieved chunks did not fit the budget.
	Cut    bool `json:"cut"`
	NumCtx int  `json:"numCtx"` // the context the budget was derived from
	Budget int  `json:"budget"` // tokens the prompt could use: NumCtx - Reserve
}

// PromptOptions size a prompt.
type PromptOptions struct {
	// Template is a text/template (default DefaultTemplate).
	Template string
	// NumCtx is the model's context in tokens (num_ctx to set); default 4096.
	NumCtx int
	// Reserve is kept free for the system prompt, history and the answer
	// (default a quarter of NumCtx, at least 512).
	Reserve int
}

// Label names where a hit comes from: "file.pdf, p. 3" or "notes.md, Intro > Setup".
func Label(h Hit) string {
	l := filepath.Base(h.File)
	switch {
	case h.Page > 0 && h.EndPage > h.Page:
		l += fmt.Sprintf(", pp. %d-%d", h.Page, h.EndPage)
	case h.Page > 0:
		l += fmt.Sprintf(", p. %d", h.Page)
	}
	if h.Section != "" {
		l += ", " + h.Section
	}
	return l
}

// BuildPrompt numbers hits in order and keeps as many as fit the token
// budget (NumCtx - Reserve); the rest are returned as Dropped with Cut set.
func BuildPrompt(question string, hits []Hit, opt PromptOptions) (Prompt, error) {
	if opt.NumCtx <= 0 {
		opt.NumCtx = 4096
	}
	if opt.Reserve <= 0 {
		opt.Reserve = max(opt.NumCtx/4, 512)
	}
	if opt.Template == "" {
		opt.Template = DefaultTemplate
	}
	tmpl, err := template.New("rag").Option("missingkey=error").Parse(opt.Template)
	if err != nil {
		return Prompt{}, fmt.Errorf("prompt template: %w", err)
	}
	render := func(srcs []Source) (string, error) {
		var b strings.Builder
		err := tmpl.Execute(&b, struct {
			Question string
			Sources  []Source
		}{question, srcs})
		if err != nil {
			return "", fmt.Errorf("prompt template: %w", err)
		}
		return b.String(), nil
	}
	text, err := render(nil)
	if err != nil {
		return Prompt{}, err
	}
	budget := opt.NumCtx - opt.Reserve
	used := chunk.EstimateTokens(text)
	p := Prompt{Sources: []Source{}, Dropped: []Hit{}, NumCtx: opt.NumCtx, Budget: budget}
	for _, h := range hits {
		src := Source{N: len(p.Sources) + 1, Label: Label(h), Text: h.Text, Hit: h}
		// Label, text and the template's few markers around them.
		cost := chunk.EstimateTokens(src.Label) + chunk.EstimateTokens(src.Text) + 6
		if used+cost > budget {
			p.Dropped = append(p.Dropped, h)
			p.Cut = true
			continue
		}
		used += cost
		p.Sources = append(p.Sources, src)
	}
	if p.Text, err = render(p.Sources); err != nil {
		return Prompt{}, err
	}
	p.Tokens = chunk.EstimateTokens(p.Text)
	return p, nil
}
