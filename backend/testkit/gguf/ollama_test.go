package gguf

import (
	"bytes"
	"io"
	"testing"

	"github.com/ollama/ollama/fs/ggml"
)

// TestOllamaDecodes cross-checks the files with Ollama's own GGUF decoder.
func TestOllamaDecodes(t *testing.T) {
	cases := []struct {
		arch    string
		ctx     uint64
		tensors int
		write   func(io.Writer) error
	}{
		{"llama", LlamaContextLength, 3 + 9*llamaLayers, func(w io.Writer) error { return WriteLlama(w, LlamaOptions{Seed: 3}) }},
		{"bert", BertContextLength, 5 + 16*bertLayers, func(w io.Writer) error { return WriteBert(w, BertOptions{Seed: 3}) }},
	}
	for _, c := range cases {
		t.Run(c.arch, func(t *testing.T) {
			b := write(t, c.write)
			m, err := ggml.Decode(bytes.NewReader(b), -1)
			if err != nil {
				t.Fatalf("ollama decode: %v", err)
			}
			kv := m.KV()
			if kv.Architecture() != c.arch || kv.ContextLength() != c.ctx ||
				kv.EmbeddingLength() != EmbeddingLength || kv.BlockCount() != 2 {
				t.Errorf("arch %s ctx %d embd %d blocks %d", kv.Architecture(), kv.ContextLength(), kv.EmbeddingLength(), kv.BlockCount())
			}
			// Ollama 0.17.4 maps general.file_type 0 (all F32) to "unknown":
			// KV.FileType only trusts values > 0. Check the raw key instead.
			if ft, ok := kv["general.file_type"].(uint32); !ok || ft != 0 {
				t.Errorf("general.file_type = %#v", kv["general.file_type"])
			}
			if n := len(m.Tensors().Items()); n != c.tensors {
				t.Errorf("%d tensors, want %d", n, c.tensors)
			}
			if m.Length != int64(len(b)) {
				t.Errorf("ollama read %d of %d bytes", m.Length, len(b))
			}
		})
	}
}
