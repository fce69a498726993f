package rag

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/wadi-app/wadi/backend/store"
)

// Search modes.
const (
	ModeHybrid  = "hybrid"  // vector and keyword rankings fused
	ModeKeyword = "keyword" // keyword (BM25) only
)

// rrfK is reciprocal rank fusion's constant: a chunk at rank r (1-based) in
// a list adds 1/(rrfK+r) to its fused score. 60 is the usual choice; it
// keeps one list's top hit from drowning the other list.
const rrfK = 60

// Hit is one retrieved chunk with its scores.
type Hit struct {
	ChunkID int64  `json:"chunkId"`
	File    string `json:"file"`
	Format  string `json:"format"`
	Title   string `json:"title,omitempty"`
	Page    int    `json:"page,omitempty"`
	EndPage int    `json:"endPage,omitempty"`
	Section string `json:"section,omitempty"`
	Start   int    `json:"start"` // byte offsets in the file's extracted text
	End     int    `json:"end"`
	Tokens  int    `json:"tokens"`
	Text    string `json:"text"`
	// Snippet is the keyword match context, terms between store.MarkStart
	// and store.MarkEnd ("" when only the vector search found it).
	Snippet string `json:"snippet,omitempty"`
	// VectorScore is the cosine similarity (nil: not in the vector list).
	VectorScore *float64 `json:"vectorScore"`
	// KeywordScore is the negated BM25 (higher is better; nil: no keyword hit).
	KeywordScore *float64 `json:"keywordScore"`
	VectorRank   int      `json:"vectorRank,omitempty"` // 1-based; 0: absent
	KeywordRank  int      `json:"keywordRank,omitempty"`
	Fused        float64  `json:"fused"`
}

// Results are what a search found, and how.
type Results struct {
	Collection string `json:"collection"`
	Query      string `json:"query"`
	Mode       string `json:"mode"`
	// Notice says plainly why the search is keyword-only, if it is.
	Notice string `json:"notice,omitempty"`
	Hits   []Hit  `json:"hits"`
}

// Search finds the k chunks of a collection best matching query. With an
// embedding model the vector and keyword rankings (each over a wider
// candidate list) are fused; without one, or when the model cannot be
// reached, it runs keyword-only and says so in Notice.
func (s *Service) Search(ctx context.Context, name, query string, k int) (Results, error) {
	c, err := s.head(ctx, name)
	if err != nil {
		return Results{}, err
	}
	query = strings.TrimSpace(query)
	res := Results{Collection: c.Name, Query: query, Mode: ModeKeyword, Hits: []Hit{}}
	if query == "" {
		return res, errors.New("search: the query is empty")
	}
	if k <= 0 {
		k = 8
	}
	cand := max(4*k, 50)
	// The keyword search runs while the vector search does.
	var kw []store.KeywordHit
	kwErr := make(chan error, 1)
	go func() {
		var err error
		kw, err = s.st.KeywordSearch(ctx, c.ID, query, cand)
		kwErr <- err
	}()
	var vec []vecHit
	if c.EmbedModel == "" {
		res.Notice = "keyword-only: collection " + c.Name + " has no embedding model"
	} else {
		vec, err = s.vectorSearch(ctx, c, query, cand)
		switch {
		case ctx.Err() != nil:
			return res, ctx.Err()
		case err != nil:
			res.Notice = "keyword-only: " + err.Error()
		default:
			res.Mode = ModeHybrid
		}
	}
	if err := <-kwErr; err != nil {
		return res, err
	}
	res.Hits, err = s.fuse(ctx, kw, vec, k)
	for i := range res.Hits {
		if res.Hits[i].KeywordScore != nil {
			res.Hits[i].Snippet = Snippet(res.Hits[i].Text, query, 200)
		}
	}
	return res, err
}

// vectorSearch embeds the query and finds its nearest chunks.
func (s *Service) vectorSearch(ctx context.Context, c store.DocCollection, query string, n int) ([]vecHit, error) {
	ix, err := s.index(ctx, c.ID, c.EmbedModel)
	if err != nil {
		return nil, err
	}
	if ix == nil {
		return nil, fmt.Errorf("no chunk is embedded with %s yet", c.EmbedModel)
	}
	em, err := s.embedFn(c.EmbedHost)
	if err != nil {
		return nil, err
	}
	v, err := em.Embed(ctx, c.EmbedModel, []string{query})
	if err != nil {
		return nil, err
	}
	return ix.query(ctx, v[0], n)
}

// fuse merges the two rankings by reciprocal rank fusion and loads the top
// k chunks. Ties go to the lower chunk id, so results are stable.
func (s *Service) fuse(ctx context.Context, kw []store.KeywordHit, vec []vecHit, k int) ([]Hit, error) {
	byID := map[int64]*Hit{}
	get := func(id int64) *Hit {
		h := byID[id]
		if h == nil {
			h = &Hit{ChunkID: id}
			byID[id] = h
		}
		return h
	}
	for i, v := range vec {
		h := get(v.id)
		sim := v.sim
		h.VectorScore, h.VectorRank = &sim, i+1
		h.Fused += 1.0 / float64(rrfK+i+1)
	}
	for i, kh := range kw {
		h := get(kh.ChunkID)
		score := kh.Score
		h.KeywordScore, h.KeywordRank = &score, i+1
		h.Fused += 1.0 / float64(rrfK+i+1)
	}
	all := make([]*Hit, 0, len(byID))
	for _, h := range byID {
		all = append(all, h)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Fused != all[j].Fused {
			return all[i].Fused > all[j].Fused
		}
		return all[i].ChunkID < all[j].ChunkID
	})
	if len(all) > k {
		all = all[:k]
	}
	ids := make([]int64, len(all))
	for i, h := range all {
		ids[i] = h.ChunkID
	}
	refs, err := s.st.ChunksByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Hit, 0, len(all))
	for _, h := range all {
		r, ok := refs[h.ChunkID]
		if !ok {
			continue // removed since the index was built
		}
		h.File, h.Format, h.Title = r.Path, r.Format, r.Title
		h.Page, h.EndPage, h.Section = r.Page, r.EndPage, r.Section
		h.Start, h.End, h.Tokens, h.Text = r.Start, r.End, r.Tokens, r.Text
		out = append(out, *h)
	}
	return out, nil
}
