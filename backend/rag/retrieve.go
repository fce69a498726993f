package rag

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/wadi-app/wadi/backend/store"
)

// Scope is a collection, or some files of it, to retrieve from.
type Scope struct {
	Collection string `json:"collection"`
	// Files restricts retrieval to these absolute paths (none: the whole
	// collection).
	Files []string `json:"files"`
}

// Retrieved is one retrieved chunk as a sources panel shows it: the hit
// with its scores, its collection, and whether it was sent to the model
// (and as which citation number).
type Retrieved struct {
	Hit
	Collection string `json:"collection"`
	Label      string `json:"label"`
	N          int    `json:"n"` // the [N] the model was told to cite; 0: not sent
	Sent       bool   `json:"sent"`
}

// Retrieval is what was retrieved for one question and what of it was sent.
type Retrieval struct {
	Query string `json:"query"`
	// Mode is ModeHybrid, ModeKeyword, or "mixed" when some collections
	// searched keyword-only.
	Mode string `json:"mode"`
	// Notices say plainly what the user should know: keyword-only search,
	// sources cut to fit the context, a collection that is gone.
	Notices []string    `json:"notices"`
	NumCtx  int         `json:"numCtx"`
	Budget  int         `json:"budget"` // tokens the sources could use
	Tokens  int         `json:"tokens"` // estimate of the prompt sent
	Cut     bool        `json:"cut"`    // some retrieved chunks did not fit
	Sources []Retrieved `json:"sources"`
	// Prompt is the question wrapped with the sent sources by the template:
	// what the model receives in place of the question.
	Prompt string `json:"-"`
}

// RetrieveRequest asks for the sources of one question.
type RetrieveRequest struct {
	Question string
	Scopes   []Scope
	K        int    // chunks kept after fusion (default 8)
	Template string // default: the stored template (PromptTemplate)
	NumCtx   int    // the model's context window in tokens
	Reserve  int    // tokens kept for system prompt, history and answer
}

// ModeMixed is a Retrieval's mode when some scopes searched keyword-only.
const ModeMixed = "mixed"

// Retrieve searches every scope, merges their hits by fused score (ties to
// the lower chunk id), keeps the best K and fits them into the token
// budget NumCtx - Reserve with the prompt template. Every retrieved chunk
// is returned, sent or not, so the user sees what was found and why.
func (s *Service) Retrieve(ctx context.Context, req RetrieveRequest) (Retrieval, error) {
	q := strings.TrimSpace(req.Question)
	out := Retrieval{Query: q, Notices: []string{}, Sources: []Retrieved{}, NumCtx: req.NumCtx}
	if q == "" {
		return out, errors.New("retrieve: the question is empty")
	}
	if len(req.Scopes) == 0 {
		return out, errors.New("retrieve: no collection attached")
	}
	k := req.K
	if k <= 0 {
		k = 8
	}
	tmpl := req.Template
	if tmpl == "" {
		var err error
		if tmpl, err = s.PromptTemplate(ctx); err != nil {
			return out, err
		}
	}
	modes := map[string]bool{}
	var all []Retrieved
	for _, sc := range req.Scopes {
		hits, res, notices, err := s.searchScope(ctx, sc, q, k)
		out.Notices = append(out.Notices, notices...)
		if errors.Is(err, ErrNoCollection) {
			out.Notices = append(out.Notices, fmt.Sprintf("collection %q no longer exists", sc.Collection))
			continue
		}
		if err != nil {
			return out, err
		}
		if res.Mode != "" {
			modes[res.Mode] = true
		}
		if res.Notice != "" {
			out.Notices = append(out.Notices, res.Notice)
		}
		for _, h := range hits {
			all = append(all, Retrieved{Hit: h, Collection: res.Collection, Label: Label(h)})
		}
	}
	switch {
	case len(modes) > 1:
		out.Mode = ModeMixed
	case modes[ModeHybrid]:
		out.Mode = ModeHybrid
	default:
		out.Mode = ModeKeyword
	}
	sort.Slice(all, func(i, j int) bool { return fusedBefore(&all[i].Hit, &all[j].Hit) })
	if len(all) > k {
		all = all[:k]
	}
	hits := make([]Hit, len(all))
	for i, r := range all {
		hits[i] = r.Hit
	}
	p, err := BuildPrompt(q, hits, PromptOptions{Template: tmpl, NumCtx: req.NumCtx, Reserve: req.Reserve})
	if err != nil {
		return out, err
	}
	sent := map[int64]int{}
	for _, src := range p.Sources {
		sent[src.Hit.ChunkID] = src.N
	}
	for i := range all {
		if n, ok := sent[all[i].ChunkID]; ok {
			all[i].N, all[i].Sent = n, true
		}
	}
	out.Sources, out.Prompt, out.Tokens, out.Cut = all, p.Text, p.Tokens, p.Cut
	out.NumCtx, out.Budget = p.NumCtx, p.Budget
	if p.Cut {
		out.Notices = append(out.Notices, fmt.Sprintf("%d of %d retrieved chunks did not fit in the %d-token context and were not sent",
			len(p.Dropped), len(all), p.NumCtx))
	}
	return out, nil
}

// searchScope searches one collection, or only the scope's files when it
// names some. Named files that the collection no longer holds are left
// out with a notice.
func (s *Service) searchScope(ctx context.Context, sc Scope, q string, k int) ([]Hit, Results, []string, error) {
	c, err := s.head(ctx, sc.Collection)
	if err != nil {
		return nil, Results{}, nil, err
	}
	if len(sc.Files) == 0 {
		res, err := s.search(ctx, c, q, k, nil)
		return res.Hits, res, nil, err
	}
	var notices, keep []string
	for _, f := range sc.Files {
		ok, err := s.st.CollectionHasFile(ctx, c.ID, f)
		if err != nil {
			return nil, Results{}, nil, err
		}
		if !ok {
			notices = append(notices, fmt.Sprintf("file %s is no longer in collection %q", f, c.Name))
			continue
		}
		keep = append(keep, f)
	}
	if len(keep) == 0 {
		return nil, Results{Collection: c.Name}, notices, nil
	}
	res, err := s.search(ctx, c, q, k, keep)
	return res.Hits, res, notices, err
}

// promptTemplateKey is the setting holding the user's prompt template.
const promptTemplateKey = "docs.promptTemplate"

// PromptTemplate returns the template that wraps sources and the question:
// the user's own if they saved one, else DefaultTemplate.
func (s *Service) PromptTemplate(ctx context.Context) (string, error) {
	var t string
	err := s.st.GetSetting(ctx, promptTemplateKey, &t)
	if errors.Is(err, store.ErrNotFound) || (err == nil && strings.TrimSpace(t) == "") {
		return DefaultTemplate, nil
	}
	if err != nil {
		return "", fmt.Errorf("prompt template: %w", err)
	}
	return t, nil
}

// SetPromptTemplate validates and stores the prompt template; "" restores
// DefaultTemplate. A template must parse, render with sample sources, and
// use both .Sources and .Question.
func (s *Service) SetPromptTemplate(ctx context.Context, t string) error {
	if strings.TrimSpace(t) != "" {
		if err := ValidateTemplate(t); err != nil {
			return err
		}
	} else {
		t = ""
	}
	return s.st.SetSetting(ctx, promptTemplateKey, t)
}

// ValidateTemplate checks that a prompt template parses, renders sample
// sources, and shows both the sources and the question to the model.
func ValidateTemplate(t string) error {
	sample := []Hit{{File: "/sample/notes.md", Text: "SAMPLE-SOURCE-TEXT"}}
	p, err := BuildPrompt("SAMPLE-QUESTION", sample, PromptOptions{Template: t, NumCtx: 4096})
	if err != nil {
		return err
	}
	if !strings.Contains(p.Text, "SAMPLE-SOURCE-TEXT") {
		return errors.New("prompt template: it must show the sources' text ({{range .Sources}} ... {{.Text}} ... {{end}})")
	}
	if !strings.Contains(p.Text, "SAMPLE-QUESTION") {
		return errors.New("prompt template: it must show the question ({{.Question}})")
	}
	return nil
}
