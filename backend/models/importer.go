package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ollama/ollama/api"
)

// Import job states.
const (
	ImportUploading = "uploading" // hashing, then sending the file to Ollama
	ImportCreating  = "creating"  // Ollama is creating the model from the blob
	ImportDone      = "done"
	ImportFailed    = "failed"
)

// ImportRequest asks to create model Name on Host from the GGUF at Path.
type ImportRequest struct {
	Host       string         `json:"host"`
	Path       string         `json:"path"`
	Name       string         `json:"name"`
	Template   string         `json:"template"`
	System     string         `json:"system"`
	Parameters map[string]any `json:"parameters"`
}

// ImportJob is the progress of one import. The file is read twice (once to
// compute its digest, which Ollama needs before the upload, then to upload
// it), so TotalBytes is twice the file size.
type ImportJob struct {
	ID             string `json:"id"`
	State          string `json:"state"`
	CompletedBytes int64  `json:"completedBytes"`
	TotalBytes     int64  `json:"totalBytes"`
	Error          string `json:"error"`
	Name           string `json:"name"`
}

// ggufMagic starts every GGUF file.
const ggufMagic = "GGUF"

// CheckGGUF returns the size of the GGUF file at path, or an error naming
// the file when it is missing, a directory, or not GGUF.
func CheckGGUF(path string) (int64, error) {
	if strings.TrimSpace(path) == "" {
		return 0, errors.New("file path is empty")
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("file %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("file %s: %w", path, err)
	}
	if fi.IsDir() {
		return 0, fmt.Errorf("file %s is a directory, not a GGUF model", path)
	}
	head := make([]byte, 4)
	if _, err := io.ReadFull(f, head); err != nil || string(head) != ggufMagic {
		return 0, fmt.Errorf("file %s is not a GGUF model (bad magic)", path)
	}
	return fi.Size(), nil
}

// ValidImportName reports an error naming the field when name cannot be a
// model name.
func ValidImportName(name string, valid func(string) bool) error {
	if strings.TrimSpace(name) == "" {
		return errors.New("model name is empty")
	}
	if !valid(name) {
		return fmt.Errorf("model name %q is not valid: use letters, digits, '.', '-' or '_' and an optional :tag", name)
	}
	return nil
}

var importSeq atomic.Int64

// Import uploads the GGUF file as a blob and creates the model, calling
// update (at most every 100 ms during the upload, and on each state
// change). It returns the final job; its error is also in job.Error.
func Import(ctx context.Context, req ImportRequest, update func(ImportJob)) (ImportJob, error) {
	job := ImportJob{ID: fmt.Sprintf("import-%d", importSeq.Add(1)), State: ImportUploading, Name: req.Name}
	var mu sync.Mutex
	report := func(mut func(*ImportJob)) ImportJob {
		mu.Lock()
		defer mu.Unlock()
		mut(&job)
		if update != nil {
			update(job)
		}
		return job
	}
	fail := func(err error) (ImportJob, error) {
		return report(func(j *ImportJob) { j.State, j.Error = ImportFailed, err.Error() }), err
	}
	size, err := CheckGGUF(req.Path)
	if err != nil {
		return fail(err)
	}
	report(func(j *ImportJob) { j.TotalBytes = 2 * size })

	var last time.Time
	counted := func(base int64) func(int64) {
		return func(n int64) {
			if time.Since(last) < 100*time.Millisecond && n < size {
				return
			}
			last = time.Now()
			report(func(j *ImportJob) { j.CompletedBytes = base + n })
		}
	}
	digest, err := hashFile(ctx, req.Path, counted(0))
	if err != nil {
		return fail(err)
	}
	c, err := client(req.Host)
	if err != nil {
		return fail(err)
	}
	f, err := os.Open(req.Path)
	if err != nil {
		return fail(fmt.Errorf("file %s: %w", req.Path, err))
	}
	defer f.Close()
	if err := c.CreateBlob(ctx, digest, &countingReader{r: f, ctx: ctx, seen: counted(size)}); err != nil {
		return fail(fmt.Errorf("upload %s to %s: %w", req.Path, req.Host, err))
	}
	report(func(j *ImportJob) { j.State, j.CompletedBytes = ImportCreating, 2*size })
	params := req.Parameters
	if len(params) == 0 {
		params = nil
	}
	err = c.Create(ctx, &api.CreateRequest{
		Model: req.Name, Files: map[string]string{"model.gguf": digest},
		Template: req.Template, System: req.System, Parameters: params,
	}, func(api.ProgressResponse) error { return nil })
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return fail(fmt.Errorf("create model %s from %s: %w", req.Name, req.Path, err))
	}
	return report(func(j *ImportJob) { j.State = ImportDone }), nil
}

// hashFile returns the Ollama digest ("sha256:<hex>") of the file.
func hashFile(ctx context.Context, path string, seen func(int64)) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("file %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, &countingReader{r: f, ctx: ctx, seen: seen}); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// countingReader reports the bytes read so far and stops when ctx ends.
type countingReader struct {
	r    io.Reader
	ctx  context.Context
	n    int64
	seen func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.seen != nil {
		c.seen(c.n)
	}
	return n, err
}
