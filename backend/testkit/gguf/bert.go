package gguf

import (
	"fmt"
	"io"
)

// Shape of the tiny embedding model (hidden size is EmbeddingLength).
const (
	// BertContextLength is the embedding model's training context.
	BertContextLength = 512

	bertLayers = 2
	bertHeads  = 4
	bertFF     = 128
)

// BertOptions configures WriteBert.
type BertOptions struct {
	// Seed selects the weights. Equal seeds give identical bytes; different
	// seeds give different bytes and so different Ollama blob digests.
	Seed int64
}

// WriteBert writes a tiny deterministic bert-architecture GGUF v3 embedding
// model (2 layers, hidden 64, 4 heads, feed-forward 128, context 512, all
// tensors F32, non-causal attention, mean pooling) with a small lowercase
// WordPiece vocabulary. Ollama reports it as capability "embedding" and
// returns 64-dimensional L2-normalised vectors.
func WriteBert(w io.Writer, opt BertOptions) error {
	tokens, types := bertVocab()
	n := len(tokens)

	f := &file{}
	f.set("general.architecture", "bert")
	f.set("general.name", "wadi-tiny-bert")
	f.set("general.file_type", uint32(0))
	f.set("bert.context_length", uint32(BertContextLength))
	f.set("bert.embedding_length", uint32(EmbeddingLength))
	f.set("bert.block_count", uint32(bertLayers))
	f.set("bert.feed_forward_length", uint32(bertFF))
	f.set("bert.attention.head_count", uint32(bertHeads))
	f.set("bert.attention.layer_norm_epsilon", float32(1e-12))
	f.set("bert.attention.causal", false)
	f.set("bert.pooling_type", uint32(1)) // mean
	f.set("tokenizer.ggml.model", "bert")
	f.set("tokenizer.ggml.tokens", tokens)
	f.set("tokenizer.ggml.token_type", types)
	f.set("tokenizer.ggml.padding_token_id", bertPAD)
	f.set("tokenizer.ggml.unknown_token_id", bertUNK)
	f.set("tokenizer.ggml.cls_token_id", bertCLS)
	f.set("tokenizer.ggml.seperator_token_id", bertSEP) // sic: the key GGUF files use
	f.set("tokenizer.ggml.mask_token_id", bertMASK)

	r := newRNG(opt.Seed, 0xbe47)
	const d = EmbeddingLength
	f.add("token_embd.weight", r.fill(n*d, 1), d, uint64(n))
	f.add("token_types.weight", r.fill(2*d, 0.1), d, 2)
	f.add("position_embd.weight", r.fill(BertContextLength*d, 0.1), d, BertContextLength)
	f.add("token_embd_norm.weight", constant(d, 1), d)
	f.add("token_embd_norm.bias", make([]float32, d), d)

	for i := range bertLayers {
		p := fmt.Sprintf("blk.%d.", i)
		for _, name := range []string{"attn_q", "attn_k", "attn_v", "attn_output"} {
			f.add(p+name+".weight", r.fill(d*d, 0.1), d, d)
			f.add(p+name+".bias", r.fill(d, 0.01), d)
		}
		f.add(p+"attn_output_norm.weight", constant(d, 1), d)
		f.add(p+"attn_output_norm.bias", make([]float32, d), d)
		f.add(p+"ffn_up.weight", r.fill(d*bertFF, 0.1), d, bertFF)
		f.add(p+"ffn_up.bias", r.fill(bertFF, 0.01), bertFF)
		f.add(p+"ffn_down.weight", r.fill(bertFF*d, 0.1), bertFF, d)
		f.add(p+"ffn_down.bias", r.fill(d, 0.01), d)
		f.add(p+"layer_output_norm.weight", constant(d, 1), d)
		f.add(p+"layer_output_norm.bias", make([]float32, d), d)
	}
	return f.writeTo(w)
}
