package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func chunks(n int, word string, vec []float32) []DocChunk {
	out := make([]DocChunk, n)
	for i := range out {
		out[i] = DocChunk{Seq: i, Text: fmt.Sprintf("%s chunk %d", word, i), Page: 1, Section: "S", Start: i * 10, End: i*10 + 9, Tokens: 3, Embedding: vec, Model: "m"}
	}
	return out
}

func TestCollections(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	c, err := s.CreateCollection(ctx, " notes ", "bert", "http://h")
	if err != nil || c.Name != "notes" || c.EmbedModel != "bert" {
		t.Fatalf("create: %+v %v", c, err)
	}
	if _, err := s.CreateCollection(ctx, "notes", "", ""); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := s.CreateCollection(ctx, "", "", ""); err == nil {
		t.Fatal("empty name accepted")
	}
	if err := s.RenameCollection(ctx, c.ID, "papers"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Collection(ctx, "notes"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old name: %v", err)
	}
	if err := s.AddSource(ctx, c.ID, DocSource{Path: "/d", Include: []string{"*.md", "*.txt"}}); err != nil {
		t.Fatal(err)
	}
	src, err := s.Sources(ctx, c.ID)
	if err != nil || len(src) != 1 || len(src[0].Include) != 2 || src[0].Exclude != nil {
		t.Fatalf("sources %+v %v", src, err)
	}
	if _, err := s.PutFile(ctx, DocFile{CollectionID: c.ID, Path: "/d/a.md", State: FileIndexed}, chunks(3, "alpha", nil)); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Collection(ctx, "papers")
	if got.Files != 1 || got.Chunks != 3 {
		t.Fatalf("counts %+v", got)
	}
	if err := s.DeleteCollection(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if hits, err := s.KeywordSearch(ctx, c.ID, "alpha", 10); err != nil || len(hits) != 0 {
		t.Fatalf("chunks left after delete: %v %v", hits, err)
	}
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM doc_chunks_fts`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d FTS rows left after cascade", n)
	}
}

func TestPutFileReplacesChunksAndFTS(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	c, _ := s.CreateCollection(ctx, "c", "m", "")
	vec := []float32{0.5, -0.25, 1}
	f := DocFile{CollectionID: c.ID, Path: "/a.txt", Size: 3, Hash: "h1", State: FileIndexed, Format: "text"}
	id, err := s.PutFile(ctx, f, chunks(2, "alpha", vec))
	if err != nil {
		t.Fatal(err)
	}
	id2, err := s.PutFile(ctx, f, chunks(3, "beta", vec))
	if err != nil || id2 != id {
		t.Fatalf("re-put: id %d vs %d, %v", id2, id, err)
	}
	if hits, _ := s.KeywordSearch(ctx, c.ID, "alpha", 10); len(hits) != 0 {
		t.Fatalf("old chunks still found: %+v", hits)
	}
	hits, err := s.KeywordSearch(ctx, c.ID, `beta "OR" (`, 10)
	if err != nil || len(hits) != 3 || hits[0].Score <= 0 {
		t.Fatalf("hits %+v %v", hits, err)
	}
	files, _ := s.Files(ctx, c.ID)
	if len(files) != 1 || files[0].ChunkCount != 3 || files[0].Hash != "h1" {
		t.Fatalf("files %+v", files)
	}
	var vecs [][]float32
	err = s.ChunkVectors(ctx, c.ID, "m", func(_ int64, v []float32) error { vecs = append(vecs, v); return nil })
	if err != nil || len(vecs) != 3 || vecs[0][1] != -0.25 {
		t.Fatalf("vectors %v %v", vecs, err)
	}
	stale, _ := s.StaleChunks(ctx, c.ID, "other", 10)
	if len(stale) != 3 {
		t.Fatalf("stale %d", len(stale))
	}
	stale[0].Embedding = []float32{1}
	if err := s.SetEmbeddings(ctx, "other", stale[:1]); err != nil {
		t.Fatal(err)
	}
	if stale, _ = s.StaleChunks(ctx, c.ID, "other", 10); len(stale) != 2 {
		t.Fatalf("stale after re-embed %d", len(stale))
	}
	byID, err := s.ChunksByID(ctx, []int64{hits[0].ChunkID, 999})
	if err != nil || len(byID) != 1 || byID[hits[0].ChunkID].Path != "/a.txt" {
		t.Fatalf("by id %+v %v", byID, err)
	}
	if err := s.DeleteFile(ctx, c.ID, "/a.txt"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteFile(ctx, c.ID, "/a.txt"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestVectorCodec(t *testing.T) {
	v := []float32{0, 1.5, -2, 3.25e-7}
	got, err := DecodeVector(EncodeVector(v))
	if err != nil || fmt.Sprint(got) != fmt.Sprint(v) {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := DecodeVector([]byte{1, 2, 3}); err == nil {
		t.Fatal("odd blob accepted")
	}
}

// TestPutFileCrashKeepsOldVersion kills a process in the middle of writing a
// file's chunks and checks that the database still holds the old version.
func TestPutFileCrashKeepsOldVersion(t *testing.T) {
	if path := os.Getenv("WADI_CRASH_DB"); path != "" {
		s, err := Open(context.Background(), path)
		if err != nil {
			os.Exit(2)
		}
		putChunkHook = func(i int) {
			if i == 5 {
				os.Exit(7) // die mid-transaction
			}
		}
		c, _ := s.Collection(context.Background(), "c")
		s.PutFile(context.Background(), DocFile{CollectionID: c.ID, Path: "/a.txt", State: FileIndexed, Hash: "new"}, chunks(10, "beta", nil))
		os.Exit(0)
	}
	path := filepath.Join(t.TempDir(), "wadi.db")
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.CreateCollection(ctx, "c", "", "")
	if _, err := s.PutFile(ctx, DocFile{CollectionID: c.ID, Path: "/a.txt", State: FileIndexed, Hash: "old"}, chunks(4, "alpha", nil)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestPutFileCrashKeepsOldVersion$")
	cmd.Env = append(os.Environ(), "WADI_CRASH_DB="+path)
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 7 {
		t.Fatalf("child did not die mid-write: %v", err)
	}
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	files, _ := s.Files(ctx, c.ID)
	if len(files) != 1 || files[0].Hash != "old" || files[0].ChunkCount != 4 {
		t.Fatalf("files after crash %+v", files)
	}
	if hits, _ := s.KeywordSearch(ctx, c.ID, "alpha", 10); len(hits) != 4 {
		t.Fatalf("old chunks after crash: %d", len(hits))
	}
	if hits, _ := s.KeywordSearch(ctx, c.ID, "beta", 10); len(hits) != 0 {
		t.Fatalf("torn write visible: %d", len(hits))
	}
}
