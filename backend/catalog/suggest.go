package catalog

import "slices"

// Suggestion is a model proposed for a first download.
type Suggestion struct {
	Role          string `json:"role"` // "chat" or "embedding"
	PullName      string `json:"pullName"`
	Name          string `json:"name"`
	Description   string `json:"description"`
	DownloadBytes int64  `json:"downloadBytes"`
	Verdict       string `json:"verdict"`
	Summary       string `json:"summary"`
}

// chatPreference lists general chat families best first; embedPreference
// the embedding models. Later entries are fallbacks.
var (
	chatPreference  = []string{"qwen3", "gemma3", "llama3.2", "llama3.1", "phi4-mini", "mistral"}
	embedPreference = []string{"nomic-embed-text", "mxbai-embed-large", "bge-m3", "qwen3-embedding"}
)

// cpuMaxParamsB caps suggestions on machines without a GPU: larger models
// fit in RAM but answer too slowly to enjoy (a few tokens per second).
const cpuMaxParamsB = 9 // "8B" models have 8.0-8.3B parameters

// Suggest proposes one chat model and one embedding model that fit m: for
// chat, the largest variant of the most preferred family that runs fully on
// the GPU, or on machines without one, the largest 8B-class model that
// fits in RAM with room to spare (at most half of it).
func (c *Catalog) Suggest(m Machine) []Suggestion {
	var out []Suggestion
	gpu := m.UsableVRAM() > 0
	for _, id := range chatPreference {
		e, ok := c.entry(id)
		if !ok {
			continue
		}
		var best *Variant
		var bestFit Fit
		for i := range e.Variants {
			v := &e.Variants[i]
			fit := ForVariant(m, *v, 0)
			good := fit.Verdict == FitGPU
			if !gpu {
				good = fit.Verdict == FitCPU && v.ParamsB <= cpuMaxParamsB && fit.TotalBytes <= m.RAMBytes/2
			}
			if good && (best == nil || v.ParamsB > best.ParamsB) {
				best, bestFit = v, fit
			}
		}
		if best != nil {
			out = append(out, suggestion("chat", e, *best, bestFit))
			break
		}
	}
	for _, id := range embedPreference {
		e, ok := c.entry(id)
		if !ok || len(e.Variants) == 0 {
			continue
		}
		v := e.Variants[0]
		if fit := ForVariant(m, v, 0); fit.Verdict != FitNo {
			out = append(out, suggestion("embedding", e, v, fit))
			break
		}
	}
	return out
}

func (c *Catalog) entry(id string) (Entry, bool) {
	i := slices.IndexFunc(c.Entries, func(e Entry) bool { return e.ID == id })
	if i < 0 {
		return Entry{}, false
	}
	return c.Entries[i], true
}

func suggestion(role string, e Entry, v Variant, fit Fit) Suggestion {
	return Suggestion{
		Role: role, PullName: v.PullName, Name: e.Name + " " + v.Params, Description: e.Description,
		DownloadBytes: v.DownloadBytes, Verdict: fit.Verdict, Summary: fit.Summary,
	}
}
