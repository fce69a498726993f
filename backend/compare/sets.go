package compare

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wadi-app/wadi/backend/store"
)

// PromptSets lists the saved prompt sets by name.
func (s *Service) PromptSets(ctx context.Context) ([]PromptSet, error) {
	ps, err := s.st.PromptSets(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PromptSet, len(ps))
	for i, p := range ps {
		out[i] = PromptSet{ID: p.ID, Name: p.Name, Prompts: strs(p.Prompts), Tags: strs(p.Tags)}
	}
	return out, nil
}

// SavePromptSet creates (ID 0) or updates a set: a one-line unique name and
// at least one non-empty prompt (empty ones are dropped).
func (s *Service) SavePromptSet(ctx context.Context, p PromptSet) (PromptSet, error) {
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	if p.Name == "" {
		return PromptSet{}, errors.New("prompt set name: must not be empty")
	}
	prompts := []string{}
	for _, q := range p.Prompts {
		if strings.TrimSpace(q) != "" {
			prompts = append(prompts, q)
		}
	}
	if len(prompts) == 0 {
		return PromptSet{}, fmt.Errorf("prompt set %q: prompts: add at least one prompt", p.Name)
	}
	tags := []string{}
	for _, t := range p.Tags {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" && !contains(tags, t) {
			tags = append(tags, t)
		}
	}
	p.Prompts, p.Tags = prompts, tags
	sp, err := s.st.SavePromptSet(ctx, store.PromptSet{ID: p.ID, Name: p.Name, Prompts: jsonText(prompts), Tags: jsonText(tags)})
	if errors.Is(err, store.ErrDuplicate) {
		return PromptSet{}, fmt.Errorf("prompt set name %q is already used", p.Name)
	}
	if err != nil {
		return PromptSet{}, err
	}
	p.ID = sp.ID
	return p, nil
}

// DeletePromptSet removes a set.
func (s *Service) DeletePromptSet(ctx context.Context, id int64) error {
	return s.st.DeletePromptSet(ctx, id)
}
