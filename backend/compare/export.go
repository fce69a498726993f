package compare

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

// Export formats.
const (
	FormatMarkdown = "md"
	FormatCSV      = "csv"
)

// csvHeader is the first line of a CSV export.
var csvHeader = []string{"prompt_index", "prompt", "column", "host", "model", "status", "error", "answer",
	"ttft_ms", "tokens_per_s", "output_tokens", "load_ms", "total_ms"}

// ExportSetRun writes a set run's answers and figures as Markdown or CSV
// (one row per prompt and column; prompts not answered yet are left out).
func ExportSetRun(r SetRun, format string) (string, error) {
	switch format {
	case FormatCSV:
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		_ = w.Write(csvHeader)
		for i, row := range r.Rows {
			for _, a := range row.Answers {
				c := r.Columns[a.Column]
				rec := []string{strconv.Itoa(i + 1), row.Prompt, strconv.Itoa(a.Column), c.Host, c.Model, a.Status, a.Error, a.Content}
				rec = append(rec, figures(a)...)
				_ = w.Write(rec)
			}
		}
		w.Flush()
		return b.String(), w.Error()
	case FormatMarkdown:
		var b strings.Builder
		fmt.Fprintf(&b, "# Prompt set run %d\n\n%d of %d prompts answered (%s).\n", r.ID, r.Done, r.Total, r.State)
		for i, row := range r.Rows {
			if len(row.Answers) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\n## Prompt %d\n\n%s\n\n| Model | Status | TTFT (ms) | Tokens/s | Output tokens | Load (ms) | Total (ms) |\n|---|---|---|---|---|---|---|\n",
				i+1, quote(row.Prompt))
			for _, a := range row.Answers {
				f := figures(a)
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", cell(r.Columns[a.Column].Model), a.Status, f[0], f[1], f[2], f[3], f[4])
			}
			for _, a := range row.Answers {
				fmt.Fprintf(&b, "\n### %s\n\n%s\n", r.Columns[a.Column].Model, quote(a.Content))
				if a.Error != "" {
					fmt.Fprintf(&b, "\n*Error: %s*\n", cell(a.Error))
				}
			}
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("export format %q: use md or csv", format)
}

// figures are an answer's TTFT, tokens/s, output tokens, load and total
// time as text ("" when unknown).
func figures(a Answer) []string {
	m := a.Metrics
	if m == nil {
		return []string{"", "", "", "", ""}
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	return []string{f(m.TTFTMs), f(m.TokensPerSec), strconv.Itoa(m.OutputTokens), f(m.LoadMs), f(m.TotalMs)}
}

// quote renders text as a Markdown block quote, so a model's headings or
// tables stay inside its answer.
func quote(s string) string {
	if s == "" {
		return "> (no text)"
	}
	return "> " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n> ")
}

// cell makes text safe inside one table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}
