package ollamatest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/testkit/gguf"
)

// ChatTemplate is the prompt template of the tiny chat model: <|role|>
// markers around each message, and a tools block that makes Ollama report
// the "tools" capability.
const ChatTemplate = `{{- if .System }}<|system|>
{{ .System }}<|end|>
{{ end }}
{{- if .Tools }}<|tools|>
{{ json .Tools }}<|end|>
{{ end }}
{{- range .Messages }}<|{{ .Role }}|>
{{ .Content }}<|end|>
{{ end }}<|assistant|>
`

// ChatParams returns the tiny chat model's default parameters: stop at
// <|eos|>, greedy and seeded sampling, and a bounded num_predict so a
// request that sets no limit still ends quickly (the model never emits EOS).
func ChatParams() map[string]any {
	return map[string]any{
		"stop":        []string{gguf.LlamaEOS},
		"temperature": 0,
		"top_k":       1,
		"seed":        42,
		"num_predict": 48,
	}
}

// createTimeout bounds uploading and creating one tiny model.
const createTimeout = 2 * time.Minute

type ggufKey struct {
	arch string
	seed int64
}

var ggufCache = struct {
	sync.Mutex
	m map[ggufKey][]byte
}{m: map[ggufKey][]byte{}}

// cached returns the bytes of a generated model, generating them once per
// architecture and seed in this process.
func cached(t testing.TB, key ggufKey, write func(io.Writer) error) []byte {
	t.Helper()
	ggufCache.Lock()
	defer ggufCache.Unlock()
	if b, ok := ggufCache.m[key]; ok {
		return b
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatalf("ollamatest: generate %s model: %v", key.arch, err)
	}
	ggufCache.m[key] = buf.Bytes()
	return buf.Bytes()
}

// ChatModelGGUF returns the tiny llama GGUF for seed (see gguf.WriteLlama),
// cached per seed. The slice is shared: do not modify it.
func ChatModelGGUF(t testing.TB, seed int64) []byte {
	t.Helper()
	return cached(t, ggufKey{"llama", seed}, func(w io.Writer) error {
		return gguf.WriteLlama(w, gguf.LlamaOptions{Seed: seed})
	})
}

// EmbedModelGGUF returns the tiny bert GGUF for seed (see gguf.WriteBert),
// cached per seed. The slice is shared: do not modify it.
func EmbedModelGGUF(t testing.TB, seed int64) []byte {
	t.Helper()
	return cached(t, ggufKey{"bert", seed}, func(w io.Writer) error {
		return gguf.WriteBert(w, gguf.BertOptions{Seed: seed})
	})
}

// Digest returns the Ollama blob digest of b ("sha256:<hex>").
func Digest(b []byte) string { return fmt.Sprintf("sha256:%x", sha256.Sum256(b)) }

// CreateChatModel creates model name on the server from the tiny chat GGUF
// for seed, with ChatTemplate and ChatParams. Ollama reports capabilities
// "completion" and "tools". Different seeds give different blobs, so two
// such models never share a runner.
func (s *Server) CreateChatModel(t testing.TB, name string, seed int64) {
	t.Helper()
	s.create(t, ChatModelGGUF(t, seed), &api.CreateRequest{
		Model:      name,
		Template:   ChatTemplate,
		Parameters: ChatParams(),
	})
}

// CreateEmbedModel creates model name on the server from the tiny bert GGUF
// for seed. Ollama reports capability "embedding" and returns 64-dimensional
// normalised vectors (gguf.EmbeddingLength).
func (s *Server) CreateEmbedModel(t testing.TB, name string, seed int64) {
	t.Helper()
	s.create(t, EmbedModelGGUF(t, seed), &api.CreateRequest{Model: name})
}

// create uploads the GGUF as a blob and creates req.Model from it.
func (s *Server) create(t testing.TB, model []byte, req *api.CreateRequest) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), createTimeout)
	defer cancel()
	digest := Digest(model)
	if err := s.client.CreateBlob(ctx, digest, bytes.NewReader(model)); err != nil {
		t.Fatalf("ollamatest: upload blob for %s: %v", req.Model, err)
	}
	req.Files = map[string]string{"model.gguf": digest}
	var last string
	err := s.client.Create(ctx, req, func(p api.ProgressResponse) error {
		last = p.Status
		return nil
	})
	if err != nil {
		t.Fatalf("ollamatest: create %s: %v", req.Model, err)
	}
	if last != "success" {
		t.Fatalf("ollamatest: create %s: last status %q, want success", req.Model, last)
	}
}
