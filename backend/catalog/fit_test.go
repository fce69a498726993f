package catalog

import (
	"strings"
	"testing"
)

const gib = int64(1) << 30

func TestKVBytes(t *testing.T) {
	// Qwen3-8B: 36 layers, 8 KV heads, head 128; at 4096 tokens:
	// 2 (K,V) × 36 × 8 × 128 × 4096 × 2 bytes = 603,979,776 bytes (576 MiB).
	if got := KVBytes(&Arch{Layers: 36, KVHeads: 8, HeadDim: 128}, 4096); got != 603_979_776 {
		t.Errorf("qwen3:8b KV = %d", got)
	}
	// Llama-3.3-70B: 2 × 80 × 8 × 128 × 131072 × 2 = 42,949,672,960 (40 GiB) at full context.
	if got := KVBytes(&Arch{Layers: 80, KVHeads: 8, HeadDim: 128}, 131072); got != 40*gib {
		t.Errorf("llama3.3:70b KV at 128K = %d", got)
	}
	if KVBytes(nil, 4096) != 0 {
		t.Error("no arch must mean no KV cache")
	}
}

func TestEstimate(t *testing.T) {
	overhead := OverheadBytes // 536,870,912
	for _, tc := range []struct {
		name    string
		m       Machine
		weights int64
		arch    Arch
		ctx     int
		verdict string
		total   int64
		vram    int64
	}{
		// 5.2e9 weights + 603,979,776 KV + 536,870,912 = 6,340,850,688 ≤ 8 GiB VRAM.
		{"qwen3:8b", Machine{RAMBytes: 16 * gib, GPUs: []GPU{{VRAMBytes: 8 * gib}}}, 5_200_000_000,
			Arch{36, 8, 128, 0, 0}, 4096, FitGPU, 6_340_850_688, 6_340_850_688},
		// Same model on a 4 GiB card: 4,294,967,296 on the GPU, 2,045,883,392 in RAM.
		{"qwen3:8b", Machine{RAMBytes: 16 * gib, GPUs: []GPU{{VRAMBytes: 4 * gib}}}, 5_200_000_000,
			Arch{36, 8, 128, 0, 0}, 4096, FitSplit, 6_340_850_688, 4 * gib},
		// At 32768 tokens the KV cache is 8× larger: 4,831,838,208; total 10,568,709,120 > 8 GiB.
		{"qwen3:8b", Machine{RAMBytes: 32 * gib, GPUs: []GPU{{VRAMBytes: 8 * gib}}}, 5_200_000_000,
			Arch{36, 8, 128, 0, 0}, 32768, FitSplit, 10_568_709_120, 8 * gib},
		// 43e9 + 1,342,177,280 + 536,870,912 = 44,879,048,192: more than 24 GiB, less than 24 + 30 GiB.
		{"llama3.3:70b", Machine{RAMBytes: 32 * gib, GPUs: []GPU{{VRAMBytes: 24 * gib}}}, 43_000_000_000,
			Arch{80, 8, 128, 0, 0}, 4096, FitSplit, 44_879_048_192, 24 * gib},
		// No GPU, 16 GiB RAM (14 GiB usable): 44.9 GB does not fit.
		{"llama3.3:70b", Machine{RAMBytes: 16 * gib}, 43_000_000_000,
			Arch{80, 8, 128, 0, 0}, 4096, FitNo, 44_879_048_192, 0},
		// 523e6 + 469,762,048 (2×28×8×128×4096×2) + 536,870,912 = 1,529,632,960 in 6 GiB usable RAM.
		{"qwen3:0.6b", Machine{RAMBytes: 8 * gib}, 523_000_000,
			Arch{28, 8, 128, 0, 0}, 4096, FitCPU, 1_529_632_960, 0},
		// Apple M-series with 32 GiB: GPU may use 24 GiB. gpt-oss:20b: 14e9 + 201,326,592
		// (2×24×8×64×4096×2) + 536,870,912 = 14,738,197,504.
		{"gpt-oss:20b", Machine{RAMBytes: 32 * gib, UnifiedMemory: true, GPUs: []GPU{{Vendor: "apple", VRAMBytes: 24 * gib}}},
			14_000_000_000, Arch{24, 8, 64, 32, 4}, 4096, FitGPU, 14_738_197_504, 14_738_197_504},
		// DeepSeek-R1 671B: 404e9 + 287,834,112 (2×61×1×288×4096×2) + 536,870,912 = 404,824,705,024;
		// two 80 GiB GPUs (160 GiB) + 254 GiB usable RAM: split.
		{"deepseek-r1:671b", Machine{RAMBytes: 256 * gib, GPUs: []GPU{{VRAMBytes: 80 * gib}, {VRAMBytes: 80 * gib}}},
			404_000_000_000, Arch{61, 1, 288, 256, 8}, 4096, FitSplit, 404_824_705_024, 160 * gib},
		{"deepseek-r1:671b", Machine{RAMBytes: 64 * gib, GPUs: []GPU{{VRAMBytes: 24 * gib}}},
			404_000_000_000, Arch{61, 1, 288, 256, 8}, 4096, FitNo, 404_824_705_024, 0},
	} {
		arch := tc.arch
		f := Estimate(tc.m, tc.name, tc.weights, &arch, tc.ctx)
		if f.Verdict != tc.verdict || f.TotalBytes != tc.total || f.VRAMBytes != tc.vram || f.OverheadBytes != overhead {
			t.Errorf("%s ctx %d: %+v; want %s total %d vram %d", tc.name, tc.ctx, f, tc.verdict, tc.total, tc.vram)
		}
		if f.Verdict == FitSplit && f.VRAMBytes+f.RAMBytes != f.TotalBytes {
			t.Errorf("%s: split parts %d + %d != %d", tc.name, f.VRAMBytes, f.RAMBytes, f.TotalBytes)
		}
		if !strings.Contains(f.Summary, tc.name) || !strings.Contains(f.Summary, GB(f.TotalBytes)) {
			t.Errorf("summary %q lacks the name or total", f.Summary)
		}
	}
}

func TestWeightsFromParams(t *testing.T) {
	// Without a download size: 8e9 params × 4.5 bits / 8 = 4.5e9 bytes.
	if got := WeightsBytes(Variant{ParamsB: 8, Quant: "Q4_K_M"}); got != 4_500_000_000 {
		t.Errorf("Q4 8B = %d", got)
	}
	if got := WeightsBytes(Variant{ParamsB: 7, Quant: "fp16"}); got != 14_000_000_000 {
		t.Errorf("F16 7B = %d", got)
	}
	if got := WeightsBytes(Variant{ParamsB: 7, Quant: "F16", DownloadBytes: 123}); got != 123 {
		t.Errorf("download size must win: %d", got)
	}
}

func TestSummaries(t *testing.T) {
	m := Machine{RAMBytes: 16 * gib, GPUs: []GPU{{VRAMBytes: 4 * gib}}}
	f := Estimate(m, "x:1b", 10_000_000_000, nil, 0)
	if f.NumCtx != DefaultNumCtx || f.Verdict != FitSplit || !strings.Contains(f.Summary, "split") {
		t.Errorf("%+v", f)
	}
	f = Estimate(Machine{RAMBytes: 4 * gib}, "big:1t", 600_000_000_000, nil, 2048)
	if f.Verdict != FitNo || !strings.Contains(f.Summary, "does not fit") || !strings.Contains(f.Summary, "600.0 GB") {
		t.Errorf("%+v", f)
	}
}
