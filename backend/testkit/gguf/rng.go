package gguf

// rng is a splitmix64 generator: tiny, fully specified, and therefore stable
// across Go releases, which keeps the generated files byte-identical.
type rng struct{ state uint64 }

// newRNG mixes the seed with a per-model salt so llama and bert weights
// differ even for the same seed.
func newRNG(seed int64, salt uint64) *rng {
	return &rng{state: uint64(seed) ^ salt}
}

func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// uniform returns a float32 in [-scale, scale).
func (r *rng) uniform(scale float32) float32 {
	u := float32(r.next()>>40) / float32(1<<24) // [0, 1)
	return (2*u - 1) * scale
}

// fill returns n values drawn uniformly from [-scale, scale).
func (r *rng) fill(n int, scale float32) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = r.uniform(scale)
	}
	return out
}

// constant returns n copies of v.
func constant(n int, v float32) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = v
	}
	return out
}
