package gguf

import (
	"fmt"
	"io"
)

// Shape of the tiny chat model.
const (
	// EmbeddingLength is the hidden size of both tiny models and therefore
	// the length of the vectors the embedding model returns.
	EmbeddingLength = 64
	// LlamaContextLength is the chat model's training context.
	LlamaContextLength = 2048

	llamaLayers  = 2
	llamaHeads   = 4
	llamaKVHeads = 2
	llamaFF      = 128
	headDim      = EmbeddingLength / llamaHeads
)

// LlamaOptions configures WriteLlama.
type LlamaOptions struct {
	// Seed selects the weights. Equal seeds give identical bytes; different
	// seeds give different bytes and so different Ollama blob digests.
	Seed int64
}

// Weight scales chosen so the residual stream stays dominated by the token
// embedding and by the anchor dimension (index 0), which no layer writes to.
const (
	anchor        = 1.0  // value of dimension 0 in every token embedding
	embedScale    = 0.5  // token embedding, other dimensions
	layerScale    = 0.1  // attention and feed-forward weights
	headScale     = 1.0  // output head rows of favoured tokens
	favourWeight  = 3.0  // output head weight on the anchor, favoured tokens
	disfavour     = -3.0 // ... every other byte token
	controlWeight = -6.0 // ... <|bos|> and <|eos|>: the model never ends by itself
	selfPenalty   = 1.0  // how strongly a token avoids predicting itself
)

// WriteLlama writes a tiny deterministic llama-architecture GGUF v3 model
// (2 layers, hidden 64, 4 heads / 2 KV heads, feed-forward 128, context 2048,
// all tensors F32) with a GPT-2 byte-level BPE tokenizer. Its output head
// favours lowercase letters, space and the merged tokens, so greedy decoding
// yields readable garbage that is identical on every run.
func WriteLlama(w io.Writer, opt LlamaOptions) error {
	tokens, types, merges := llamaVocab()
	n := len(tokens)
	bos, eos := uint32(n-2), uint32(n-1)

	f := &file{}
	f.set("general.architecture", "llama")
	f.set("general.name", "wadi-tiny-llama")
	f.set("general.file_type", uint32(0))
	f.set("llama.context_length", uint32(LlamaContextLength))
	f.set("llama.embedding_length", uint32(EmbeddingLength))
	f.set("llama.block_count", uint32(llamaLayers))
	f.set("llama.feed_forward_length", uint32(llamaFF))
	f.set("llama.attention.head_count", uint32(llamaHeads))
	f.set("llama.attention.head_count_kv", uint32(llamaKVHeads))
	f.set("llama.attention.layer_norm_rms_epsilon", float32(1e-5))
	f.set("llama.rope.dimension_count", uint32(headDim))
	f.set("llama.rope.freq_base", float32(10000))
	f.set("llama.vocab_size", uint32(n))
	f.set("tokenizer.ggml.model", "gpt2")
	f.set("tokenizer.ggml.pre", "default")
	f.set("tokenizer.ggml.tokens", tokens)
	f.set("tokenizer.ggml.token_type", types)
	f.set("tokenizer.ggml.merges", merges)
	f.set("tokenizer.ggml.bos_token_id", bos)
	f.set("tokenizer.ggml.eos_token_id", eos)
	f.set("tokenizer.ggml.add_bos_token", true)

	r := newRNG(opt.Seed, 0x11a3a)
	const d, kv = EmbeddingLength, llamaKVHeads * headDim

	embd := r.fill(n*d, embedScale)
	for t := range n {
		embd[t*d] = anchor
	}
	f.add("token_embd.weight", embd, d, uint64(n))

	for i := range llamaLayers {
		p := fmt.Sprintf("blk.%d.", i)
		f.add(p+"attn_norm.weight", constant(d, 1), d)
		f.add(p+"attn_q.weight", r.fill(d*d, layerScale), d, d)
		f.add(p+"attn_k.weight", r.fill(d*kv, layerScale), d, kv)
		f.add(p+"attn_v.weight", r.fill(d*kv, layerScale), d, kv)
		f.add(p+"attn_output.weight", keepAnchor(r.fill(d*d, layerScale), d), d, d)
		f.add(p+"ffn_norm.weight", constant(d, 1), d)
		f.add(p+"ffn_gate.weight", r.fill(d*llamaFF, layerScale), d, llamaFF)
		f.add(p+"ffn_up.weight", r.fill(d*llamaFF, layerScale), d, llamaFF)
		f.add(p+"ffn_down.weight", keepAnchor(r.fill(llamaFF*d, layerScale), llamaFF), llamaFF, d)
	}
	f.add("output_norm.weight", constant(d, 1), d)
	f.add("output.weight", outputHead(r, embd, bos, eos), d, uint64(n))
	return f.writeTo(w)
}

// keepAnchor zeroes output row 0 of a weight with in inputs per row, so the
// layer never changes the anchor dimension of the residual stream.
func keepAnchor(weight []float32, in int) []float32 {
	clear(weight[:in])
	return weight
}

// outputHead builds the output projection from the token embeddings: favoured
// tokens get a positive weight on the anchor, random weights elsewhere (which
// pick among them by context) minus their own embedding (so no token predicts
// itself and greedy output does not get stuck repeating one token); every
// other token gets a negative anchor weight and nothing else.
func outputHead(r *rng, embd []float32, bos, eos uint32) []float32 {
	const d = EmbeddingLength
	head := make([]float32, len(embd))
	for t := range len(embd) / d {
		row := head[t*d : (t+1)*d]
		switch {
		case uint32(t) == bos || uint32(t) == eos:
			row[0] = controlWeight
		case favoured(t):
			for i := range row {
				row[i] = r.uniform(headScale) - selfPenalty*embd[t*d+i]
			}
			row[0] = favourWeight
		default:
			row[0] = disfavour
		}
	}
	return head
}

// favoured reports whether token t is a lowercase letter, the space byte
// ("Ġ") or one of the merged tokens (ids from 256 on).
func favoured(t int) bool {
	if t >= 256 {
		return true
	}
	return (t >= 'a' && t <= 'z') || t == ' '
}
