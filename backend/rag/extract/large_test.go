package extract

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"testing"
)

// write100MB writes a 100 MiB text file of short paragraphs.
func write100MB(t *testing.T) (string, int64) {
	t.Helper()
	p := t.TempDir() + "/huge.txt"
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	line := strings.Repeat("lorem ipsum dolor sit amet ", 3) + "\n"
	var n int64
	for i := 0; n < 100<<20; i++ {
		k, _ := w.WriteString(line)
		n += int64(k)
		if i%8 == 7 {
			w.WriteString("\n")
			n++
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p, n
}

// TestLargeText: a 100 MiB text file is streamed. Past MaxTextBytes the
// extraction stops reading at once; within the limits it extracts the
// whole file with memory proportional to the text kept.
func TestLargeText(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100 MiB")
	}
	p, size := write100MB(t)
	var read int64
	counting := New(Options{Open: func(name string) (fs.File, error) {
		f, err := os.Open(name)
		return &countingFile{File: f, n: &read}, err
	}})
	_, err := counting.File(context.Background(), p, Limits{MaxTextBytes: 8 << 20})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "8388608-byte limit") {
		t.Fatalf("got %v", err)
	}
	if read > 9<<20 {
		t.Fatalf("read %d bytes for an 8 MiB text limit", read)
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	doc, err := testX.File(context.Background(), p, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	text := int64(0)
	for _, b := range doc.Blocks {
		text += int64(len(b.Text))
	}
	if text < size*9/10 {
		t.Fatalf("kept %d of %d bytes", text, size)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d blocks, %d MiB text, %d MiB allocated in all", len(doc.Blocks), text>>20, alloc>>20)
	if alloc > uint64(5*size/2) {
		t.Fatalf("allocated %d bytes for a %d-byte file", alloc, size)
	}
	runtime.KeepAlive(doc)
}
