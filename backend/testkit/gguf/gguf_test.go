package gguf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"testing"
)

// parsed is what readGGUF decodes from a file.
type parsed struct {
	kv      map[string]any
	tensors []tensorInfo
	data    []byte // the tensor data section
}

type tensorInfo struct {
	name   string
	shape  []uint64
	kind   uint32
	offset uint64
}

// reader is a minimal GGUF v3 decoder, independent of the encoder.
type reader struct {
	r   *bytes.Reader
	err error
}

func (d *reader) read(v any) {
	if d.err == nil {
		d.err = binary.Read(d.r, binary.LittleEndian, v)
	}
}

func (d *reader) u32() (v uint32) { d.read(&v); return v }
func (d *reader) u64() (v uint64) { d.read(&v); return v }

func (d *reader) str() string {
	n := d.u64()
	if d.err != nil || n > uint64(d.r.Len()) {
		d.err = errors.Join(d.err, io.ErrUnexpectedEOF)
		return ""
	}
	b := make([]byte, n)
	d.read(b)
	return string(b)
}

func (d *reader) value(typ uint32) any {
	switch typ {
	case typeUint32:
		return d.u32()
	case typeInt32:
		return int32(d.u32())
	case typeFloat32:
		return math.Float32frombits(d.u32())
	case typeBool:
		var b uint8
		d.read(&b)
		return b != 0
	case typeString:
		return d.str()
	case typeArray:
		elem, n := d.u32(), d.u64()
		out := make([]any, 0, n)
		for range n {
			out = append(out, d.value(elem))
		}
		return out
	}
	d.err = errors.Join(d.err, fmt.Errorf("unknown type %d", typ))
	return nil
}

func readGGUF(t *testing.T, b []byte) parsed {
	t.Helper()
	d := &reader{r: bytes.NewReader(b)}
	magic := make([]byte, 4)
	d.read(magic)
	if string(magic) != "GGUF" {
		t.Fatalf("magic = %q", magic)
	}
	if v := d.u32(); v != 3 {
		t.Fatalf("version = %d, want 3", v)
	}
	nt, nkv := d.u64(), d.u64()
	p := parsed{kv: map[string]any{}}
	for range nkv {
		k := d.str()
		p.kv[k] = d.value(d.u32())
	}
	for range nt {
		ti := tensorInfo{name: d.str()}
		dims := d.u32()
		for range dims {
			ti.shape = append(ti.shape, d.u64())
		}
		ti.kind, ti.offset = d.u32(), d.u64()
		p.tensors = append(p.tensors, ti)
	}
	if d.err != nil {
		t.Fatalf("decode: %v", d.err)
	}
	start := len(b) - d.r.Len()
	start += int(padding(uint64(start)))
	p.data = b[start:]
	if start%Alignment != 0 {
		t.Fatalf("data section starts at %d, not aligned", start)
	}
	return p
}

func checkLayout(t *testing.T, p parsed) {
	t.Helper()
	var end uint64
	for _, ti := range p.tensors {
		if ti.kind != tensorTypeF32 {
			t.Errorf("%s: type %d, want F32", ti.name, ti.kind)
		}
		if ti.offset%Alignment != 0 {
			t.Errorf("%s: offset %d not aligned", ti.name, ti.offset)
		}
		if ti.offset < end {
			t.Errorf("%s: offset %d overlaps previous tensor ending at %d", ti.name, ti.offset, end)
		}
		n := uint64(4)
		for _, s := range ti.shape {
			n *= s
		}
		end = ti.offset + n
	}
	if want := end + padding(end); uint64(len(p.data)) != want {
		t.Errorf("data section is %d bytes, want %d", len(p.data), want)
	}
	if ft, _ := p.kv["general.file_type"].(uint32); ft != 0 {
		t.Errorf("general.file_type = %v", p.kv["general.file_type"])
	}
}

func shapeOf(p parsed, name string) string {
	for _, ti := range p.tensors {
		if ti.name == name {
			return fmt.Sprint(ti.shape)
		}
	}
	return "missing"
}

func write(t *testing.T, fn func(io.Writer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteLlama(t *testing.T) {
	b := write(t, func(w io.Writer) error { return WriteLlama(w, LlamaOptions{Seed: 1}) })
	p := readGGUF(t, b)
	checkLayout(t, p)

	if got := p.kv["general.architecture"]; got != "llama" {
		t.Errorf("architecture = %v", got)
	}
	tokens := p.kv["tokenizer.ggml.tokens"].([]any)
	if len(tokens) != 256+len(llamaMerges)+2 {
		t.Fatalf("%d tokens", len(tokens))
	}
	if tokens[' '] != "Ġ" || tokens['\n'] != "Ċ" || tokens['a'] != "a" {
		t.Errorf("byte tokens: space %q newline %q a %q", tokens[' '], tokens['\n'], tokens['a'])
	}
	if eos := p.kv["tokenizer.ggml.eos_token_id"].(uint32); tokens[eos] != LlamaEOS {
		t.Errorf("eos token = %q", tokens[eos])
	}
	if got := p.kv["llama.vocab_size"].(uint32); int(got) != len(tokens) {
		t.Errorf("vocab_size = %d", got)
	}
	n := len(tokens)
	for name, want := range map[string]string{
		"token_embd.weight":        fmt.Sprint([]int{64, n}),
		"output.weight":            fmt.Sprint([]int{64, n}),
		"blk.1.attn_k.weight":      "[64 32]",
		"blk.0.ffn_down.weight":    "[128 64]",
		"blk.1.attn_output.weight": "[64 64]",
	} {
		if got := shapeOf(p, name); got != want {
			t.Errorf("%s shape %s, want %s", name, got, want)
		}
	}
	if len(p.tensors) != 3+9*llamaLayers {
		t.Errorf("%d tensors", len(p.tensors))
	}
}

func TestWriteBert(t *testing.T) {
	b := write(t, func(w io.Writer) error { return WriteBert(w, BertOptions{Seed: 1}) })
	p := readGGUF(t, b)
	checkLayout(t, p)

	want := map[string]any{
		"general.architecture":              "bert",
		"bert.attention.causal":             false,
		"bert.pooling_type":                 uint32(1),
		"bert.embedding_length":             uint32(64),
		"tokenizer.ggml.model":              "bert",
		"tokenizer.ggml.seperator_token_id": uint32(3),
		"tokenizer.ggml.cls_token_id":       uint32(2),
		"tokenizer.ggml.unknown_token_id":   uint32(1),
		"tokenizer.ggml.mask_token_id":      uint32(4),
		"tokenizer.ggml.padding_token_id":   uint32(0),
	}
	for k, v := range want {
		if p.kv[k] != v {
			t.Errorf("%s = %#v, want %#v", k, p.kv[k], v)
		}
	}
	tokens := p.kv["tokenizer.ggml.tokens"].([]any)
	if fmt.Sprint(tokens[:5]) != "[[PAD] [UNK] [CLS] [SEP] [MASK]]" || tokens[5] != "▁the" {
		t.Errorf("vocabulary starts %v", tokens[:6])
	}
	if got := shapeOf(p, "position_embd.weight"); got != "[64 512]" {
		t.Errorf("position_embd shape %s", got)
	}
	if got := shapeOf(p, "blk.1.layer_output_norm.bias"); got != "[64]" {
		t.Errorf("layer_output_norm.bias shape %s", got)
	}
}

func TestDeterministicBySeed(t *testing.T) {
	for name, fn := range map[string]func(io.Writer, int64) error{
		"llama": func(w io.Writer, s int64) error { return WriteLlama(w, LlamaOptions{Seed: s}) },
		"bert":  func(w io.Writer, s int64) error { return WriteBert(w, BertOptions{Seed: s}) },
	} {
		t.Run(name, func(t *testing.T) {
			gen := func(s int64) []byte {
				return write(t, func(w io.Writer) error { return fn(w, s) })
			}
			a, b, c := gen(7), gen(7), gen(8)
			if !bytes.Equal(a, b) {
				t.Error("same seed gave different bytes")
			}
			if bytes.Equal(a, c) {
				t.Error("different seeds gave the same bytes")
			}
			if len(a) != len(c) {
				t.Errorf("sizes differ across seeds: %d vs %d", len(a), len(c))
			}
		})
	}
}

func TestGPT2ByteRunesUnique(t *testing.T) {
	seen := map[rune]bool{}
	for b, r := range gpt2ByteRunes() {
		if seen[r] {
			t.Fatalf("byte %d maps to duplicate rune %q", b, r)
		}
		seen[r] = true
	}
}
