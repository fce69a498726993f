package rag

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	chromem "github.com/philippgille/chromem-go"
	"github.com/wadi-app/wadi/backend/store"
)

// benchDim is the vector size of the benchmarks: that of common small
// embedding models (all-MiniLM, bge-small).
const benchDim = 384

// hashEmbedder makes a deterministic unit vector from a text's hash, so
// benchmarks measure the index, not a model.
type hashEmbedder struct{}

func (hashEmbedder) Embed(_ context.Context, _ string, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = hashVector(t)
	}
	return out, nil
}

func hashVector(text string) []float32 {
	h := fnv.New64a()
	h.Write([]byte(text))
	r := rand.New(rand.NewPCG(h.Sum64(), 1))
	v := make([]float32, benchDim)
	var n float64
	for i := range v {
		v[i] = float32(r.NormFloat64())
		n += float64(v[i]) * float64(v[i])
	}
	for i := range v {
		v[i] /= float32(math.Sqrt(n))
	}
	return v
}

// benchVocab is a fixed vocabulary of made-up words.
var benchVocab = func() []string {
	r := rand.New(rand.NewPCG(7, 7))
	out := make([]string, 5000)
	for i := range out {
		b := make([]byte, 4+r.IntN(6))
		for j := range b {
			b[j] = byte('a' + r.IntN(26))
		}
		out[i] = string(b)
	}
	return out
}()

// benchCollection stores n chunks of ~60 words with vectors, 100 per file,
// straight into the store (extraction is benchmarked elsewhere).
func benchCollection(b *testing.B, n int) (*Service, [][]float32) {
	b.Helper()
	ctx := context.Background()
	s, st := newService(b, Options{Embedder: func(string) (Embedder, error) { return hashEmbedder{}, nil }})
	c, err := s.Create(ctx, "bench", "hash", "http://unused")
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var vecs [][]float32
	for f := 0; f*100 < n; f++ {
		chunks := make([]store.DocChunk, 0, 100)
		for i := 0; i < 100 && f*100+i < n; i++ {
			words := make([]string, 60)
			for j := range words {
				words[j] = benchVocab[r.IntN(len(benchVocab))]
			}
			text := strings.Join(words, " ")
			v := hashVector(text)
			vecs = append(vecs, v)
			chunks = append(chunks, store.DocChunk{Seq: i, Text: text, Tokens: 100, Embedding: v, Model: "hash"})
		}
		if _, err := st.PutFile(ctx, store.DocFile{CollectionID: c.ID, Path: fmt.Sprintf("/bench/%d.txt", f), State: store.FileIndexed}, chunks); err != nil {
			b.Fatal(err)
		}
	}
	return s, vecs
}

var benchQueries = []string{"alpha river", "private notes protocol", "install daemon", "zebra graze"}

// BenchmarkQuery compares a hybrid search (query embedding, vector search
// and BM25 in parallel, fusion, loading the chunks and snippets) with
// chromem-go's own brute-force query (query embedding and vector search) on
// the same vectors. Each iteration runs one of each, alternating, so a
// machine shared with other work slows both alike; it reports the mean of
// each and their ratio (goal: hybrid/chromem <= 1.3).
func BenchmarkQuery(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s, vecs := benchCollection(b, n)
			ctx := context.Background()
			if _, err := s.Search(ctx, "bench", "warm up", 10); err != nil { // fills the index
				b.Fatal(err)
			}
			col, err := chromem.NewDB().CreateCollection("raw", nil, func(_ context.Context, t string) ([]float32, error) {
				return hashVector(t), nil
			})
			if err != nil {
				b.Fatal(err)
			}
			docs := make([]chromem.Document, len(vecs))
			for i, v := range vecs {
				docs[i] = chromem.Document{ID: fmt.Sprint(i), Embedding: v}
			}
			if err := col.AddDocuments(ctx, docs, 2); err != nil {
				b.Fatal(err)
			}
			var hybrid, raw time.Duration
			for i := 0; b.Loop(); i++ {
				q := benchQueries[i%len(benchQueries)] + " " + benchVocab[i%len(benchVocab)]
				t0 := time.Now()
				res, err := s.Search(ctx, "bench", q, 10)
				t1 := time.Now()
				if err != nil || res.Mode != ModeHybrid || len(res.Hits) != 10 {
					b.Fatalf("%v %q %d", err, res.Notice, len(res.Hits))
				}
				if _, err := col.Query(ctx, q, 10, nil, nil); err != nil {
					b.Fatal(err)
				}
				hybrid += t1.Sub(t0)
				raw += time.Since(t1)
			}
			b.ReportMetric(float64(hybrid.Microseconds())/1000/float64(b.N), "ms-hybrid")
			b.ReportMetric(float64(raw.Microseconds())/1000/float64(b.N), "ms-chromem")
			b.ReportMetric(float64(hybrid)/float64(raw), "ratio")
		})
	}
}

// BenchmarkIndexMemory reports the heap a collection's vector index takes
// per 100,000 chunks.
func BenchmarkIndexMemory(b *testing.B) {
	const n = 100_000
	s, _ := benchCollection(b, n)
	ctx := context.Background()
	for b.Loop() {
		s.drop(1)
		if len(s.vec) != 0 {
			b.Fatal("index not dropped")
		}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ix, err := s.index(ctx, 1, "hash")
		if err != nil || ix == nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MiB/100k-chunks")
		runtime.KeepAlive(ix)
	}
}

// BenchmarkRescanUnchanged times a rescan of a 10,000-file folder where
// nothing changed (goal: 2 s or less).
func BenchmarkRescanUnchanged(b *testing.B) {
	dir := b.TempDir()
	for i := range 10_000 {
		sub := filepath.Join(dir, fmt.Sprintf("d%02d", i%100))
		os.MkdirAll(sub, 0o755)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%05d.txt", i)), []byte(fmt.Sprintf("file %d says %s\n", i, benchVocab[i%5000])), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	s, _ := newService(b, Options{})
	ctx := context.Background()
	s.Create(ctx, "r", "", "")
	start := time.Now()
	p, err := s.Add(ctx, "r", []string{dir}, AddOptions{})
	if err != nil || p.Indexed != 10_000 {
		b.Fatalf("%+v %v", p, err)
	}
	b.Logf("first index of 10,000 files: %v", time.Since(start).Round(time.Millisecond))
	for b.Loop() {
		p, err := s.Rescan(ctx, "r", AddOptions{})
		if err != nil || p.Unchanged != 10_000 {
			b.Fatalf("%+v %v", p, err)
		}
	}
}
