package rag

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/wadi-app/wadi/backend/store"
)

// ChunkContext is a retrieved chunk with the text around it in its file,
// for a source viewer: Before and After are the text of up to
// contextChunks neighbouring chunks (their overlap with the chunk
// removed). FileExists says whether the file is still on disk.
type ChunkContext struct {
	ChunkID    int64  `json:"chunkId"`
	Collection string `json:"collection"`
	File       string `json:"file"`
	Format     string `json:"format"`
	Title      string `json:"title"`
	Page       int    `json:"page"`
	EndPage    int    `json:"endPage"`
	Section    string `json:"section"`
	Text       string `json:"text"`
	Before     string `json:"before"`
	After      string `json:"after"`
	FileExists bool   `json:"fileExists"`
}

// contextChunks is how many chunks ChunkContext shows on each side.
const contextChunks = 2

// ErrNoChunk means a chunk id is not (or no longer) indexed.
var ErrNoChunk = errors.New("no such chunk")

// ChunkContext returns a chunk with its neighbours, read from SQLite.
func (s *Service) ChunkContext(ctx context.Context, chunkID int64) (ChunkContext, error) {
	n, err := s.st.ChunkWithNeighbours(ctx, chunkID, contextChunks)
	if errors.Is(err, store.ErrNotFound) {
		return ChunkContext{}, fmt.Errorf("source %d: %w (its file was removed or re-indexed since)", chunkID, ErrNoChunk)
	}
	if err != nil {
		return ChunkContext{}, err
	}
	k := n.Chunk
	out := ChunkContext{ChunkID: k.ID, Collection: n.Collection, File: k.Path, Format: k.Format, Title: k.Title,
		Page: k.Page, EndPage: k.EndPage, Section: k.Section, Text: k.Text}
	out.Before = joinChunks(n.Before, "", k.Text)
	out.After = joinChunks(n.After, k.Text, "")
	fi, err := os.Stat(k.Path)
	out.FileExists = err == nil && fi.Mode().IsRegular()
	return out, nil
}

// joinChunks joins consecutive chunks' text, dropping the part of each
// that repeats the end of the text before it (chunks overlap); prev is the
// text before the first, next the text after the last.
func joinChunks(ks []store.DocChunk, prev, next string) string {
	var b strings.Builder
	for _, k := range ks {
		t := strings.TrimPrefix(k.Text, overlap(prev, k.Text))
		if b.Len() > 0 && t != "" {
			b.WriteString("\n\n")
		}
		b.WriteString(t)
		prev = k.Text
	}
	out := b.String()
	return strings.TrimSuffix(out, overlap(out, next))
}

// overlap returns the longest prefix of b that ends a, if it is long
// enough (16 bytes) not to be a chance match, ending on a rune boundary.
func overlap(a, b string) string {
	for n := min(len(a), len(b)); n >= 16; n-- {
		if (n == len(b) || utf8.RuneStart(b[n])) && strings.HasSuffix(a, b[:n]) {
			return b[:n]
		}
	}
	return ""
}

// FileCollections returns the collections that hold path (an absolute
// path, cleaned); none means the file is not in any collection.
func (s *Service) FileCollections(ctx context.Context, path string) ([]string, error) {
	if !filepath.IsAbs(path) {
		return nil, nil
	}
	return s.st.FileCollections(ctx, filepath.Clean(path))
}
