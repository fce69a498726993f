package catalog

import (
	"fmt"
	"math"
	"strings"
)

// Verdicts of a fit estimate.
const (
	FitGPU   = "gpu"   // everything fits in GPU memory
	FitSplit = "split" // some layers on the GPU, the rest on the CPU (slower)
	FitCPU   = "cpu"   // no usable GPU; runs from system RAM
	FitNo    = "no"    // does not fit in GPU memory and RAM together
)

// DefaultNumCtx is the context length estimates use when none is chosen:
// Ollama 0.17's default for machines with under 24 GiB of VRAM.
const DefaultNumCtx = 4096

// OverheadBytes is the fixed runtime overhead added to every estimate:
// the llama.cpp compute graph and scratch buffers at a few thousand tokens
// (~200-300 MiB) plus a GPU driver context (~250-300 MiB on CUDA). It is a
// round figure that matches what `ollama ps` reports within a few hundred
// MiB for 1B-70B models at 4K context; it is not measured per machine.
const OverheadBytes int64 = 512 << 20

// RAMReserveBytes is the system memory kept free for the OS and other apps
// when deciding whether a model fits in RAM.
const RAMReserveBytes int64 = 2 << 30

// UnifiedGPUShare is the part of unified memory (Apple silicon) the GPU may
// use: macOS caps a process's GPU working set at about three quarters of RAM.
const UnifiedGPUShare = 0.75

// KVBytesPerElement is the size of one cached key or value element: f16,
// Ollama's default OLLAMA_KV_CACHE_TYPE.
const KVBytesPerElement = 2

// Fit is a memory estimate for one model at one context length, and where
// it would run on this machine.
type Fit struct {
	Verdict       string `json:"verdict"`
	NumCtx        int    `json:"numCtx"`
	WeightsBytes  int64  `json:"weightsBytes"`
	KVBytes       int64  `json:"kvBytes"`
	OverheadBytes int64  `json:"overheadBytes"`
	TotalBytes    int64  `json:"totalBytes"`
	VRAMBytes     int64  `json:"vramBytes"` // the part placed in GPU memory
	RAMBytes      int64  `json:"ramBytes"`  // the part placed in system RAM
	Summary       string `json:"summary"`
}

// BitsPerWeight returns the average bits per weight of a quantization
// name as Ollama and llama.cpp spell it (Q4_K_M, q8_0, F16, MXFP4...);
// unknown names count as 4.5 (a typical Q4).
func BitsPerWeight(quant string) float64 {
	q := strings.ToUpper(quant)
	for _, k := range []struct {
		prefix string
		bits   float64
	}{
		{"F32", 32}, {"FP32", 32}, {"F16", 16}, {"FP16", 16}, {"BF16", 16},
		{"Q8", 8.5}, {"Q6", 6.56}, {"Q5", 5.5}, {"MXFP4", 4.25}, {"Q4", 4.5},
		{"IQ4", 4.5}, {"Q3", 3.44}, {"IQ3", 3.44}, {"Q2", 2.63}, {"IQ2", 2.5},
	} {
		if strings.HasPrefix(q, k.prefix) {
			return k.bits
		}
	}
	return 4.5
}

// WeightsBytes is the memory the weights take: the download size when
// known (GGUF weights load as stored), else params × bits per weight / 8.
func WeightsBytes(v Variant) int64 {
	if v.DownloadBytes > 0 {
		return v.DownloadBytes
	}
	return int64(v.ParamsB * 1e9 * BitsPerWeight(v.Quant) / 8)
}

// KVBytes is the KV cache for numCtx tokens: keys and values (2) for every
// layer, KV head and head dimension, at KVBytesPerElement each. Nil arch
// (embedding models) has no cache worth counting.
func KVBytes(a *Arch, numCtx int) int64 {
	if a == nil || numCtx <= 0 {
		return 0
	}
	return 2 * int64(a.Layers) * int64(a.KVHeads) * int64(a.HeadDim) * int64(numCtx) * KVBytesPerElement
}

// Estimate computes the fit of a model whose weights take weights bytes, with
// arch at numCtx tokens (0 means DefaultNumCtx), on machine m.
func Estimate(m Machine, name string, weights int64, arch *Arch, numCtx int) Fit {
	if numCtx <= 0 {
		numCtx = DefaultNumCtx
	}
	f := Fit{NumCtx: numCtx, WeightsBytes: weights, KVBytes: KVBytes(arch, numCtx), OverheadBytes: OverheadBytes}
	f.TotalBytes = f.WeightsBytes + f.KVBytes + f.OverheadBytes
	vram := m.UsableVRAM()
	ram := max(m.RAMBytes-RAMReserveBytes, 0)
	if m.UnifiedMemory {
		ram = max(ram-vram, 0) // one pool: what the GPU may not use is left for the CPU
	}
	switch {
	case vram > 0 && f.TotalBytes <= vram:
		f.Verdict, f.VRAMBytes = FitGPU, f.TotalBytes
	case vram > f.OverheadBytes && f.TotalBytes <= vram+ram:
		f.Verdict, f.VRAMBytes, f.RAMBytes = FitSplit, vram, f.TotalBytes-vram
	case vram <= f.OverheadBytes && f.TotalBytes <= ram:
		f.Verdict, f.RAMBytes = FitCPU, f.TotalBytes
	default:
		f.Verdict = FitNo
	}
	f.Summary = summary(name, f, vram, ram)
	return f
}

// ForVariant estimates a catalog variant.
func ForVariant(m Machine, v Variant, numCtx int) Fit {
	return Estimate(m, v.PullName, WeightsBytes(v), v.Arch, numCtx)
}

func summary(name string, f Fit, vram, ram int64) string {
	need := fmt.Sprintf("%s at %d tokens needs about %s (%s weights + %s KV cache + %s overhead)",
		name, f.NumCtx, GB(f.TotalBytes), GB(f.WeightsBytes), GB(f.KVBytes), GB(f.OverheadBytes))
	switch f.Verdict {
	case FitGPU:
		return fmt.Sprintf("%s: fits on the GPU (%s usable).", need, GB(vram))
	case FitSplit:
		return fmt.Sprintf("%s: fits split across GPU (%s) and CPU RAM (%s), slower.", need, GB(f.VRAMBytes), GB(f.RAMBytes))
	case FitCPU:
		return fmt.Sprintf("%s: runs on the CPU from RAM (%s usable), slower than a GPU.", need, GB(ram))
	}
	return fmt.Sprintf("%s: does not fit (%s GPU memory + %s RAM usable).", need, GB(vram), GB(ram))
}

// GB formats bytes as decimal gigabytes with one decimal ("5.2 GB").
func GB(b int64) string {
	if b < 100e6 && b > 0 {
		return fmt.Sprintf("%d MB", int64(math.Round(float64(b)/1e6)))
	}
	return fmt.Sprintf("%.1f GB", float64(b)/1e9)
}
