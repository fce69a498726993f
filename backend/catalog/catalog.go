// Package catalog is Wadi's offline list of open-weight models (data in
// assets/catalog.json), the probe of this machine's memory, disk and GPUs,
// and the estimate of whether a model fits.
package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/wadi-app/wadi/assets"
)

// Arch holds the architecture facts the memory estimate needs. For
// multi-head latent attention (DeepSeek-V3 style) KVHeads and HeadDim are
// the equivalent sizes of the cached latent (see an entry's notes).
type Arch struct {
	Layers        int `json:"layers"`
	KVHeads       int `json:"kvHeads"`
	HeadDim       int `json:"headDim"`
	Experts       int `json:"experts,omitempty"`
	ActiveExperts int `json:"activeExperts,omitempty"`
}

// Variant is one pullable build of a model: a size at a quantization.
type Variant struct {
	PullName      string  `json:"pullName"`
	Params        string  `json:"params"`
	ParamsB       float64 `json:"paramsB"`
	Quant         string  `json:"quant"`
	DownloadBytes int64   `json:"downloadBytes"`
	Arch          *Arch   `json:"arch,omitempty"`
}

// Entry is one model in the catalog with its variants.
type Entry struct {
	ID               string    `json:"id"`
	Family           string    `json:"family"`
	Name             string    `json:"name"`
	Description      string    `json:"description"`
	License          string    `json:"license"`
	Capabilities     []string  `json:"capabilities"`
	ContextDefault   int       `json:"contextDefault"`
	ContextMax       int       `json:"contextMax"`
	ServerOnly       bool      `json:"serverOnly"`
	LocalAlternative string    `json:"localAlternative"`
	Notes            string    `json:"notes,omitempty"`
	Variants         []Variant `json:"variants"`
}

// Catalog is a loaded, validated catalog.
type Catalog struct {
	Entries []Entry
	byPull  map[string]int // pull name -> entry index
}

// fileSize is how catalog.json groups variants: one arch per size.
type fileSize struct {
	Params   string  `json:"params"`
	ParamsB  float64 `json:"paramsB"`
	Arch     *Arch   `json:"arch"`
	Variants []struct {
		PullName      string `json:"pullName"`
		Quant         string `json:"quant"`
		DownloadBytes int64  `json:"downloadBytes"`
	} `json:"variants"`
}

type fileEntry struct {
	Entry
	Sizes []fileSize `json:"sizes"`
}

type file struct {
	Version int         `json:"version"`
	Sources string      `json:"sources"`
	Models  []fileEntry `json:"models"`
}

// Capabilities a catalog entry may list (Ollama's names).
var knownCapabilities = []string{"completion", "tools", "insert", "vision", "embedding", "thinking"}

// pullNameRE accepts Ollama model names: [host[:port]/][namespace/]model:tag,
// including hf.co/{user}/{repo}:{quant}.
var pullNameRE = regexp.MustCompile(`^(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?(?:[A-Za-z0-9][A-Za-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*:[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ValidPullName reports whether name is a well-formed model:tag reference.
func ValidPullName(name string) bool { return pullNameRE.MatchString(name) }

// Default returns the catalog shipped in assets/catalog.json.
func Default() (*Catalog, error) { return Parse(assets.CatalogJSON, "assets/catalog.json") }

// Parse decodes and validates a catalog; src names it in errors.
func Parse(data []byte, src string) (*Catalog, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("catalog %s: %w", src, err)
	}
	c := &Catalog{byPull: map[string]int{}}
	ids := map[string]bool{}
	for i, fe := range f.Models {
		e := fe.Entry
		for _, s := range fe.Sizes {
			for _, v := range s.Variants {
				e.Variants = append(e.Variants, Variant{
					PullName: v.PullName, Params: s.Params, ParamsB: s.ParamsB,
					Quant: v.Quant, DownloadBytes: v.DownloadBytes, Arch: s.Arch,
				})
			}
		}
		if err := validate(e); err != nil {
			return nil, fmt.Errorf("catalog %s: model %d (%q): %w", src, i, e.ID, err)
		}
		if ids[e.ID] {
			return nil, fmt.Errorf("catalog %s: model %d: duplicate id %q", src, i, e.ID)
		}
		ids[e.ID] = true
		for _, v := range e.Variants {
			if _, dup := c.byPull[v.PullName]; dup {
				return nil, fmt.Errorf("catalog %s: model %q: pull name %q listed twice", src, e.ID, v.PullName)
			}
			c.byPull[v.PullName] = len(c.Entries)
		}
		c.Entries = append(c.Entries, e)
	}
	return c, nil
}

// validate checks one entry's required fields; the error names the field.
func validate(e Entry) error {
	switch {
	case e.ID == "":
		return fmt.Errorf("field id is empty")
	case e.Family == "", e.Name == "", e.Description == "", e.License == "":
		return fmt.Errorf("fields family, name, description and license are required")
	case len(e.Capabilities) == 0:
		return fmt.Errorf("field capabilities is empty")
	case e.ContextDefault <= 0 || e.ContextMax < e.ContextDefault:
		return fmt.Errorf("fields contextDefault (%d) and contextMax (%d) must be > 0 and ordered", e.ContextDefault, e.ContextMax)
	case len(e.Variants) == 0:
		return fmt.Errorf("field sizes has no variants")
	case e.ServerOnly && e.LocalAlternative == "":
		return fmt.Errorf("field localAlternative is required for a serverOnly model")
	}
	for _, c := range e.Capabilities {
		if !slices.Contains(knownCapabilities, c) {
			return fmt.Errorf("field capabilities: unknown %q", c)
		}
	}
	embed := e.IsEmbedding()
	for _, v := range e.Variants {
		switch {
		case !ValidPullName(v.PullName):
			return fmt.Errorf("field pullName %q is not a model:tag name", v.PullName)
		case v.Params == "" || v.ParamsB <= 0:
			return fmt.Errorf("variant %s: fields params and paramsB are required", v.PullName)
		case v.Quant == "":
			return fmt.Errorf("variant %s: field quant is required", v.PullName)
		case v.DownloadBytes <= 0:
			return fmt.Errorf("variant %s: field downloadBytes must be > 0", v.PullName)
		case !embed && (v.Arch == nil || v.Arch.Layers <= 0 || v.Arch.KVHeads <= 0 || v.Arch.HeadDim <= 0):
			return fmt.Errorf("variant %s: field arch needs layers, kvHeads and headDim", v.PullName)
		case v.Arch != nil && (v.Arch.Experts > 0) != (v.Arch.ActiveExperts > 0):
			return fmt.Errorf("variant %s: fields experts and activeExperts go together", v.PullName)
		}
	}
	return nil
}

// IsEmbedding reports whether the entry is an embedding model.
func (e Entry) IsEmbedding() bool { return slices.Contains(e.Capabilities, "embedding") }

// Lookup finds the entry and variant for a pull name. A name without a tag
// means ":latest"; "qwen3" alone matches nothing unless listed that way.
func (c *Catalog) Lookup(name string) (Entry, Variant, bool) {
	name = strings.TrimSpace(name)
	if !strings.Contains(name[strings.LastIndex(name, "/")+1:], ":") {
		name += ":latest"
	}
	i, ok := c.byPull[name]
	if !ok {
		return Entry{}, Variant{}, false
	}
	e := c.Entries[i]
	for _, v := range e.Variants {
		if v.PullName == name {
			return e, v, true
		}
	}
	return Entry{}, Variant{}, false
}
