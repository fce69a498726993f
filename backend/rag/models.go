package rag

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ollama/ollama/api"
	"github.com/wadi-app/wadi/backend/ollama"
)

// ErrNoEmbedModel means no host has the embedding model asked for.
var ErrNoEmbedModel = errors.New("embedding model not installed")

// FindEmbedModel returns the first of hosts that has model (":latest" may
// be left out) with the "embedding" capability, and the model's full name.
func FindEmbedModel(ctx context.Context, hosts []string, model string) (host, name string, err error) {
	var tried []string
	for _, h := range hosts {
		c, err := ollama.New(h)
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %v", h, err))
			continue
		}
		list, err := c.List(ctx)
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %v", h, err))
			continue
		}
		for _, m := range list {
			if m.Name != model && m.Name != model+":latest" {
				continue
			}
			show, err := c.API().Show(ctx, &api.ShowRequest{Model: m.Name})
			if err != nil {
				return "", "", fmt.Errorf("model %s on %s: %w", m.Name, h, err)
			}
			caps := make([]string, len(show.Capabilities))
			for i, c := range show.Capabilities {
				caps[i] = string(c)
			}
			if !slices.Contains(caps, "embedding") {
				return "", "", fmt.Errorf("model %s on %s cannot embed (capabilities: %s): %w", m.Name, h, strings.Join(caps, ", "), ErrNoEmbedModel)
			}
			return c.Host(), m.Name, nil
		}
		tried = append(tried, h+": not installed")
	}
	return "", "", fmt.Errorf("%s (%s): %w", model, strings.Join(tried, "; "), ErrNoEmbedModel)
}
