package chat

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/ollama/ollama/api"
)

// modelInfo is what Wadi needs from /api/show.
type modelInfo struct {
	capabilities  []string
	contextLength int
	family        string
	parameterSize string
}

// modelCache keeps /api/show results per digest (a model's content never
// changes under one digest), and the last digest seen per host and name.
type modelCache struct {
	mu       sync.Mutex
	byDigest map[string]modelInfo
	byName   map[string]modelInfo // host + "\x00" + name
}

func newModelCache() modelCache {
	return modelCache{byDigest: map[string]modelInfo{}, byName: map[string]modelInfo{}}
}

func (c *modelCache) get(digest, host, name string) (modelInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if digest != "" {
		mi, ok := c.byDigest[digest]
		return mi, ok
	}
	mi, ok := c.byName[host+"\x00"+name]
	return mi, ok
}

func (c *modelCache) put(digest, host, name string, mi modelInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if digest != "" {
		c.byDigest[digest] = mi
	}
	c.byName[host+"\x00"+name] = mi
}

// infoFromShow reads capabilities and the context length
// (model_info["<arch>.context_length"]) from a show response.
func infoFromShow(r *api.ShowResponse) modelInfo {
	mi := modelInfo{family: r.Details.Family, parameterSize: r.Details.ParameterSize, capabilities: []string{}}
	for _, c := range r.Capabilities {
		mi.capabilities = append(mi.capabilities, string(c))
	}
	if arch, ok := r.ModelInfo["general.architecture"].(string); ok {
		if n, ok := r.ModelInfo[arch+".context_length"].(float64); ok {
			mi.contextLength = int(n)
		}
	}
	return mi
}

// show returns a model's info, from the cache or from the host.
func (s *Service) show(ctx context.Context, host, name, digest string) (modelInfo, error) {
	if mi, ok := s.info.get(digest, host, name); ok {
		if digest != "" {
			s.info.put(digest, host, name, mi)
		}
		return mi, nil
	}
	cl, err := s.client(host)
	if err != nil {
		return modelInfo{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	r, err := cl.API().Show(ctx, &api.ShowRequest{Model: name})
	if err != nil {
		return modelInfo{}, fmt.Errorf("model %q on %s: %w", name, host, err)
	}
	mi := infoFromShow(r)
	s.info.put(digest, host, name, mi)
	return mi, nil
}

// cachedInfo returns what is known of a model without asking the host.
func (s *Service) cachedInfo(host, name string) (modelInfo, bool) {
	return s.info.get("", host, name)
}

// ChatModels lists the models installed on every reachable configured host
// (hosts asked concurrently; an unreachable one is skipped and logged),
// host by host in configured order, names sorted.
func (s *Service) ChatModels(ctx context.Context) ([]ModelOption, error) {
	hosts, err := s.hosts(ctx)
	if err != nil {
		return nil, err
	}
	per := make([][]ModelOption, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			per[i] = s.hostModels(ctx, h)
		}()
	}
	wg.Wait()
	out := []ModelOption{}
	for _, p := range per {
		out = append(out, p...)
	}
	return out, nil
}

func (s *Service) hostModels(ctx context.Context, host string) []ModelOption {
	cl, err := s.client(host)
	if err != nil {
		s.log.Warn("list models", "host", host, "err", err)
		return nil
	}
	lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ms, err := cl.List(lctx)
	if err != nil {
		s.log.Info("list models: host skipped", "host", host, "err", err)
		return nil
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name })
	var out []ModelOption
	for _, m := range ms {
		mi, err := s.show(lctx, host, m.Name, m.Digest)
		if err != nil {
			s.log.Info("show model", "host", host, "model", m.Name, "err", err)
			mi = modelInfo{capabilities: []string{}, family: m.Details.Family, parameterSize: m.Details.ParameterSize}
		}
		out = append(out, ModelOption{Host: host, Name: m.Name, Capabilities: mi.capabilities,
			ContextLength: mi.contextLength, Family: mi.family, ParameterSize: mi.parameterSize})
	}
	return out
}
