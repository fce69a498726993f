package rag

import (
	"context"
	"errors"
	"fmt"
	"math"
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
	return s.search(ctx, c, query, k, nil)
}

// search is Search within some files of the collection (nil: all).
func (s *Service) search(ctx context.Context, c store.DocCollection, query string, k int, files []string) (Results, error) {
	var err error
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
		if files == nil {
			kw, err = s.st.KeywordSearch(ctx, c.ID, query, cand)
		} else {
			kw, err = s.st.KeywordSearchFiles(ctx, c.ID, files, query, cand)
		}
		kwErr <- err
	}()
	var vec []vecHit
	if c.EmbedModel == "" {
		res.Notice = "keyword-only: collection " + c.Name + " has no embedding model"
	} else {
		vec, err = s.vectorSearch(ctx, c, query, cand, files)
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

// vectorSearch embeds the query and finds its nearest chunks, among those
// of files if given (nil: the whole collection, through its index).
func (s *Service) vectorSearch(ctx context.Context, c store.DocCollection, query string, n int, files []string) ([]vecHit, error) {
	var ix *vecIndex
	if files == nil {
		var err error
		if ix, err = s.index(ctx, c.ID, c.EmbedModel); err != nil {
			return nil, err
		}
		if ix == nil {
			return nil, fmt.Errorf("no chunk is embedded with %s yet", c.EmbedModel)
		}
	}
	em, err := s.embedFn(c.EmbedHost)
	if err != nil {
		return nil, err
	}
	v, err := em.Embed(ctx, c.EmbedModel, []string{query})
	if err != nil {
		return nil, err
	}
	if files != nil {
		return s.nearestIn(ctx, c, files, v[0], n)
	}
	return ix.query(ctx, v[0], n)
}

// nearestIn ranks the chunks of some files by cosine similarity to q,
// reading their vectors from SQLite (a few files: no index needed).
func (s *Service) nearestIn(ctx context.Context, c store.DocCollection, files []string, q []float32, n int) ([]vecHit, error) {
	var out []vecHit
	err := s.st.FileVectors(ctx, c.ID, files, c.EmbedModel, func(id int64, v []float32) error {
		out = append(out, vecHit{id: id, sim: cosine(q, v)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no chunk of the chosen files is embedded with %s yet", c.EmbedModel)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].sim != out[j].sim {
			return out[i].sim > out[j].sim
		}
		return out[i].id < out[j].id
	})
	return out[:min(n, len(out))], nil
}

// cosine is the cosine similarity of a and b (0 when either is zero or
// their lengths differ).
func cosine(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// fusedBefore orders hits by fused score, ties to the lower chunk id (so
// results are stable).
func fusedBefore(a, b *Hit) bool {
	if a.Fused != b.Fused {
		return a.Fused > b.Fused
	}
	return a.ChunkID < b.ChunkID
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
	sort.Slice(all, func(i, j int) bool { return fusedBefore(all[i], all[j]) })
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
