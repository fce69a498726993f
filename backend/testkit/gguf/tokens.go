package gguf

// GGUF token types (tokenizer.ggml.token_type).
const (
	tokenNormal  int32 = 1
	tokenUnknown int32 = 2
	tokenControl int32 = 3
)

// gpt2ByteRunes returns GPT-2's byte-to-rune table: printable Latin-1 bytes
// map to themselves, every other byte to 256+n in byte order, so each of the
// 256 bytes has a visible, unique single-rune token.
func gpt2ByteRunes() [256]rune {
	var table [256]rune
	printable := func(b int) bool {
		return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)
	}
	n := 0
	for b := range 256 {
		if printable(b) {
			table[b] = rune(b)
		} else {
			table[b] = rune(256 + n)
			n++
		}
	}
	return table
}

// llamaMerges are the few BPE merges of the tiny chat model; each result is
// also a token (in this order, right after the 256 byte tokens).
var llamaMerges = [][2]string{
	{"Ġ", "t"}, {"h", "e"}, {"Ġt", "he"}, {"i", "n"}, {"e", "r"}, {"a", "n"}, {"o", "n"},
}

// Special tokens of the tiny chat model, appended after the merged tokens.
const (
	// LlamaBOS is the chat model's beginning-of-sequence token text.
	LlamaBOS = "<|bos|>"
	// LlamaEOS is the chat model's end-of-sequence token text; use it as a stop sequence.
	LlamaEOS = "<|eos|>"
)

// llamaVocab returns tokens, token types and merges of the chat model.
func llamaVocab() (tokens []string, types []int32, merges []string) {
	for _, r := range gpt2ByteRunes() {
		tokens = append(tokens, string(r))
		types = append(types, tokenNormal)
	}
	for _, m := range llamaMerges {
		tokens = append(tokens, m[0]+m[1])
		types = append(types, tokenNormal)
		merges = append(merges, m[0]+" "+m[1])
	}
	tokens = append(tokens, LlamaBOS, LlamaEOS)
	types = append(types, tokenControl, tokenControl)
	return tokens, types, merges
}

// bertWords are the whole-word pieces of the embedding model's vocabulary.
var bertWords = []string{
	"the", "a", "and", "of", "to", "in", "is", "it", "hello", "world", "cat", "dog",
	"model", "local", "wadi", "desert", "water", "river", "chat", "embed", "vector", "search",
}

// bertVocab returns the WordPiece tokens and types of the embedding model:
// the five specials, word-initial pieces ("▁" prefix) for words, letters,
// digits and punctuation, then continuation pieces for letters and digits.
func bertVocab() (tokens []string, types []int32) {
	tokens = []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
	types = []int32{tokenControl, tokenUnknown, tokenControl, tokenControl, tokenControl}
	add := func(s string) {
		tokens = append(tokens, s)
		types = append(types, tokenNormal)
	}
	for _, w := range bertWords {
		add("▁" + w)
	}
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789"
	for _, c := range chars + ".,!?'-:;()\"" {
		add("▁" + string(c))
	}
	for _, c := range chars {
		add(string(c))
	}
	return tokens, types
}

// Ids of the bert special tokens, in vocabulary order.
const (
	bertPAD uint32 = iota
	bertUNK
	bertCLS
	bertSEP
	bertMASK
)
