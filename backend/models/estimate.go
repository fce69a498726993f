package models

import (
	"context"
	"fmt"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/catalog"
)

// Estimate returns the fit of a model at numCtx tokens on machine m: from
// the catalog when name is a catalog pull name, else from the installed
// model's size and architecture (/api/show model_info) on host.
func Estimate(ctx context.Context, host, name string, numCtx int, m catalog.Machine, cat *catalog.Catalog) (catalog.Fit, error) {
	if cat != nil {
		if _, v, ok := cat.Lookup(name); ok {
			return catalog.ForVariant(m, v, numCtx), nil
		}
	}
	if host == "" {
		return catalog.Fit{}, fmt.Errorf("model %s is not in the catalog", name)
	}
	c, err := client(host)
	if err != nil {
		return catalog.Fit{}, err
	}
	show, err := c.Show(ctx, &api.ShowRequest{Model: name})
	if err != nil {
		return catalog.Fit{}, fmt.Errorf("model %s on %s: %w", name, host, err)
	}
	list, err := c.List(ctx)
	if err != nil {
		return catalog.Fit{}, fmt.Errorf("list models on %s: %w", host, err)
	}
	var size int64
	for _, l := range list.Models {
		if l.Name == name || l.Model == name || l.Name == name+":latest" {
			size = l.Size
		}
	}
	if size == 0 {
		return catalog.Fit{}, fmt.Errorf("model %s is not installed on %s", name, host)
	}
	return catalog.Estimate(m, name, size, ArchOf(show.ModelInfo), numCtx), nil
}

// ArchOf reads the KV cache facts from an /api/show model_info map: block
// count, KV heads and the key/value lengths (per-layer arrays count their
// largest value). Nil when the model has no attention facts (embeddings).
func ArchOf(info map[string]any) *catalog.Arch {
	layers := infoInt(info, "block_count")
	heads := infoInt(info, "attention.head_count")
	kv := infoInt(info, "attention.head_count_kv")
	if kv == 0 {
		kv = heads
	}
	k, v := infoInt(info, "attention.key_length"), infoInt(info, "attention.value_length")
	if k == 0 && heads > 0 {
		k = infoInt(info, "embedding_length") / heads
	}
	if v == 0 {
		v = k
	}
	if layers <= 0 || kv <= 0 || k+v <= 0 {
		return nil
	}
	return &catalog.Arch{Layers: int(layers), KVHeads: int(kv), HeadDim: int((k + v + 1) / 2),
		Experts: int(infoInt(info, "expert_count")), ActiveExperts: int(infoInt(info, "expert_used_count"))}
}

// infoInt reads "<arch>.<key>" from model_info as an integer; an array
// yields its largest element.
func infoInt(info map[string]any, key string) int64 {
	arch, _ := info["general.architecture"].(string)
	val, ok := info[arch+"."+key]
	if !ok {
		return 0
	}
	switch x := val.(type) {
	case float64:
		return int64(x)
	case int64:
		return x
	case int:
		return int64(x)
	case []any:
		var best int64
		for _, e := range x {
			if f, ok := e.(float64); ok && int64(f) > best {
				best = int64(f)
			}
		}
		return best
	}
	return 0
}
