// Package models manages the models installed on an Ollama host: listing
// with capabilities and context length, details, delete, the loaded
// models with their memory use, unload, and importing a local GGUF file.
package models

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/ollama"
)

// Installed is a model installed on a host.
type Installed struct {
	Host          string   `json:"host"`
	Name          string   `json:"name"`
	Family        string   `json:"family"`
	ParameterSize string   `json:"parameterSize"`
	Quantization  string   `json:"quantization"`
	ContextLength int      `json:"contextLength"`
	Capabilities  []string `json:"capabilities"`
	SizeBytes     int64    `json:"sizeBytes"`
	ModifiedAt    string   `json:"modifiedAt"`
	Digest        string   `json:"digest"`
}

// Details is what `ollama show` tells about a model.
type Details struct {
	Name         string         `json:"name"`
	License      string         `json:"license"`
	Parameters   string         `json:"parameters"`
	Template     string         `json:"template"`
	System       string         `json:"system"`
	Capabilities []string       `json:"capabilities"`
	ModelInfo    map[string]any `json:"modelInfo"`
}

// Running is a model loaded in memory on a host, with Wadi's estimate.
type Running struct {
	Name          string       `json:"name"`
	SizeBytes     int64        `json:"sizeBytes"`
	VRAMBytes     int64        `json:"vramBytes"`
	GPUShare      float64      `json:"gpuShare"` // 0..1
	ExpiresAt     string       `json:"expiresAt"`
	ContextLength int          `json:"contextLength"`
	Estimate      *catalog.Fit `json:"estimate"`
}

func client(host string) (*api.Client, error) {
	c, err := ollama.New(host)
	if err != nil {
		return nil, err
	}
	return c.API(), nil
}

// List returns the models installed on host, each with the capabilities
// and context length from /api/show (asked for four models at a time).
func List(ctx context.Context, host string) ([]Installed, error) {
	c, err := client(host)
	if err != nil {
		return nil, err
	}
	resp, err := c.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list models on %s: %w", host, err)
	}
	out := make([]Installed, len(resp.Models))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, m := range resp.Models {
		out[i] = Installed{
			Host: host, Name: m.Name, Family: m.Details.Family, ParameterSize: m.Details.ParameterSize,
			Quantization: m.Details.QuantizationLevel, SizeBytes: m.Size, Digest: m.Digest,
			ModifiedAt: m.ModifiedAt.UTC().Format(time.RFC3339), Capabilities: []string{},
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			show, err := c.Show(ctx, &api.ShowRequest{Model: m.Name})
			if err != nil {
				return // listed without the extras rather than not at all
			}
			out[i].Capabilities = capabilities(show)
			out[i].ContextLength = int(infoInt(show.ModelInfo, "context_length"))
		}()
	}
	wg.Wait()
	slices.SortFunc(out, func(a, b Installed) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out, ctx.Err()
}

func capabilities(s *api.ShowResponse) []string {
	out := make([]string, 0, len(s.Capabilities))
	for _, c := range s.Capabilities {
		out = append(out, string(c))
	}
	return out
}

// Show returns a model's details.
func Show(ctx context.Context, host, name string) (Details, error) {
	c, err := client(host)
	if err != nil {
		return Details{}, err
	}
	s, err := c.Show(ctx, &api.ShowRequest{Model: name})
	if err != nil {
		return Details{}, fmt.Errorf("model %s on %s: %w", name, host, err)
	}
	info := s.ModelInfo
	if info == nil {
		info = map[string]any{}
	}
	return Details{Name: name, License: s.License, Parameters: s.Parameters, Template: s.Template,
		System: s.System, Capabilities: capabilities(s), ModelInfo: info}, nil
}

// Delete removes a model from host.
func Delete(ctx context.Context, host, name string) error {
	c, err := client(host)
	if err != nil {
		return err
	}
	if err := c.Delete(ctx, &api.DeleteRequest{Model: name}); err != nil {
		return fmt.Errorf("delete model %s on %s: %w", name, host, err)
	}
	return nil
}

// ListRunning returns the models loaded on host, each with Wadi's estimate
// for its context length on machine m (nil when the model's facts are not
// available).
func ListRunning(ctx context.Context, host string, m catalog.Machine, cat *catalog.Catalog) ([]Running, error) {
	c, err := client(host)
	if err != nil {
		return nil, err
	}
	resp, err := c.ListRunning(ctx)
	if err != nil {
		return nil, fmt.Errorf("list loaded models on %s: %w", host, err)
	}
	out := make([]Running, 0, len(resp.Models))
	for _, r := range resp.Models {
		run := Running{Name: r.Name, SizeBytes: r.Size, VRAMBytes: r.SizeVRAM, ContextLength: r.ContextLength,
			ExpiresAt: r.ExpiresAt.UTC().Format(time.RFC3339)}
		if r.Size > 0 {
			run.GPUShare = float64(r.SizeVRAM) / float64(r.Size)
		}
		if f, err := Estimate(ctx, host, r.Name, r.ContextLength, m, cat); err == nil {
			run.Estimate = &f
		}
		out = append(out, run)
	}
	return out, nil
}

// unloadWait bounds how long Unload waits for Ollama to free the model.
const unloadWait = 10 * time.Second

// Unload frees a loaded model now (a generate request with keep_alive 0
// and no prompt). Ollama frees the memory just after answering, so Unload
// then waits (up to unloadWait) until /api/ps no longer lists the model.
func Unload(ctx context.Context, host, name string) error {
	c, err := client(host)
	if err != nil {
		return err
	}
	loaded := func(ctx context.Context) (bool, error) {
		ps, err := c.ListRunning(ctx)
		if err != nil {
			return false, fmt.Errorf("unload model %s on %s: %w", name, host, err)
		}
		return slices.ContainsFunc(ps.Models, func(m api.ProcessModelResponse) bool { return m.Name == name || m.Model == name }), nil
	}
	// An empty generate request loads a model that is not loaded: check first.
	if on, err := loaded(ctx); err != nil || !on {
		return err
	}
	err = c.Generate(ctx, &api.GenerateRequest{Model: name, KeepAlive: &api.Duration{Duration: 0}},
		func(api.GenerateResponse) error { return nil })
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("unload model %s on %s: %w", name, host, err)
	}
	wctx, cancel := context.WithTimeout(ctx, unloadWait)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if on, err := loaded(wctx); err != nil || !on {
			return err
		}
		select {
		case <-tick.C:
		case <-wctx.Done():
			return fmt.Errorf("unload model %s on %s: still loaded after %s", name, host, unloadWait)
		}
	}
}
