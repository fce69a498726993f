package gguf

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Alignment is the byte alignment of the tensor data section and of every
// tensor inside it (the GGUF default; the files never set general.alignment).
const Alignment = 32

// GGUF value type codes, from the public GGUF specification.
const (
	typeUint32  uint32 = 4
	typeInt32   uint32 = 5
	typeFloat32 uint32 = 6
	typeBool    uint32 = 7
	typeString  uint32 = 8
	typeArray   uint32 = 9
)

// tensorTypeF32 is the ggml type code of 32-bit float tensors.
const tensorTypeF32 uint32 = 0

// kv is one metadata entry; value is uint32, int32, float32, bool, string,
// []string or []int32.
type kv struct {
	key   string
	value any
}

// tensor is one F32 tensor; shape is in ggml order (fastest dimension first).
type tensor struct {
	name  string
	shape []uint64
	data  []float32
}

// file collects metadata and tensors in the order they are written.
type file struct {
	kvs     []kv
	tensors []tensor
}

func (f *file) set(key string, value any) { f.kvs = append(f.kvs, kv{key, value}) }

func (f *file) add(name string, data []float32, shape ...uint64) {
	f.tensors = append(f.tensors, tensor{name: name, shape: shape, data: data})
}

// padding returns how many bytes take n to the next multiple of Alignment.
func padding(n uint64) uint64 { return (Alignment - n%Alignment) % Alignment }

// encoder writes little-endian GGUF primitives and remembers the first error.
type encoder struct {
	w   *bufio.Writer
	n   uint64
	err error
}

func (e *encoder) bytes(b []byte) {
	if e.err != nil {
		return
	}
	var m int
	m, e.err = e.w.Write(b)
	e.n += uint64(m)
}

func (e *encoder) u32(v uint32) { e.bytes(binary.LittleEndian.AppendUint32(nil, v)) }
func (e *encoder) u64(v uint64) { e.bytes(binary.LittleEndian.AppendUint64(nil, v)) }
func (e *encoder) f32(v float32) {
	e.u32(math.Float32bits(v))
}

func (e *encoder) str(s string) {
	e.u64(uint64(len(s)))
	e.bytes([]byte(s))
}

func (e *encoder) zeros(n uint64) { e.bytes(make([]byte, n)) }

func (e *encoder) value(v any) {
	switch v := v.(type) {
	case uint32:
		e.u32(typeUint32)
		e.u32(v)
	case int32:
		e.u32(typeInt32)
		e.u32(uint32(v))
	case float32:
		e.u32(typeFloat32)
		e.f32(v)
	case bool:
		e.u32(typeBool)
		if v {
			e.bytes([]byte{1})
		} else {
			e.bytes([]byte{0})
		}
	case string:
		e.u32(typeString)
		e.str(v)
	case []string:
		e.u32(typeArray)
		e.u32(typeString)
		e.u64(uint64(len(v)))
		for _, s := range v {
			e.str(s)
		}
	case []int32:
		e.u32(typeArray)
		e.u32(typeInt32)
		e.u64(uint64(len(v)))
		for _, x := range v {
			e.u32(uint32(x))
		}
	default:
		if e.err == nil {
			e.err = fmt.Errorf("gguf: unsupported metadata type %T", v)
		}
	}
}

// writeTo encodes f as GGUF v3: header, metadata, tensor infos, padding,
// then each tensor's data padded to Alignment.
func (f *file) writeTo(w io.Writer) error {
	e := &encoder{w: bufio.NewWriter(w)}
	e.bytes([]byte("GGUF"))
	e.u32(3)
	e.u64(uint64(len(f.tensors)))
	e.u64(uint64(len(f.kvs)))
	for _, kv := range f.kvs {
		e.str(kv.key)
		e.value(kv.value)
	}

	var offset uint64
	for _, t := range f.tensors {
		elems := uint64(1)
		for _, d := range t.shape {
			elems *= d
		}
		if elems != uint64(len(t.data)) {
			return fmt.Errorf("gguf: tensor %s: shape %v wants %d values, have %d", t.name, t.shape, elems, len(t.data))
		}
		e.str(t.name)
		e.u32(uint32(len(t.shape)))
		for _, d := range t.shape {
			e.u64(d)
		}
		e.u32(tensorTypeF32)
		e.u64(offset)
		offset += 4 * elems
		offset += padding(offset)
	}

	e.zeros(padding(e.n))
	for _, t := range f.tensors {
		buf := make([]byte, 0, 4*len(t.data))
		for _, v := range t.data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
		e.bytes(buf)
		e.zeros(padding(uint64(len(buf))))
	}
	if e.err != nil {
		return fmt.Errorf("gguf: write: %w", e.err)
	}
	if err := e.w.Flush(); err != nil {
		return fmt.Errorf("gguf: flush: %w", err)
	}
	return nil
}
