package catalog

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"strings"
	"testing"
)

// Recorded outputs from real machines (trimmed).
const (
	meminfo = `MemTotal:       32791612 kB
MemFree:         1203452 kB
MemAvailable:   20518800 kB
Buffers:          612340 kB
`
	cpuinfo = `processor	: 0
vendor_id	: AuthenticAMD
model name	: AMD Ryzen 9 5950X 16-Core Processor
cpu MHz		: 3400.000

processor	: 1
vendor_id	: AuthenticAMD
model name	: AMD Ryzen 9 5950X 16-Core Processor
`
	nvidiaSMI = "NVIDIA GeForce RTX 4090, 24564, 23837\nNVIDIA GeForce RTX 3060, 12288, 11019\n"
)

// fakeSystem is a Prober over recorded files and command outputs.
func fakeSystem(goos string, files map[string]string, cmds map[string]string) *Prober {
	return &Prober{
		GOOS: goos,
		ReadFile: func(p string) ([]byte, error) {
			if s, ok := files[p]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		},
		Glob: func(pattern string) ([]string, error) {
			var out []string
			for p := range files {
				if ok, _ := path.Match(pattern, p); ok {
					out = append(out, p)
				}
			}
			return out, nil
		},
		Run: func(_ context.Context, name string, args ...string) ([]byte, error) {
			if s, ok := cmds[name+" "+strings.Join(args, " ")]; ok {
				return []byte(s), nil
			}
			return nil, errors.New("exec: " + name + ": not found")
		},
		FreeDisk: func(p string) (int64, error) {
			if p == "/data" {
				return 500e9, nil
			}
			return 0, fs.ErrNotExist
		},
		NumCPU: func() int { return 4 },
	}
}

const nvidiaCmd = "nvidia-smi --query-gpu=name,memory.total,memory.free --format=csv,noheader,nounits"

func TestProbeLinuxNvidia(t *testing.T) {
	p := fakeSystem("linux", map[string]string{"/proc/meminfo": meminfo, "/proc/cpuinfo": cpuinfo},
		map[string]string{nvidiaCmd: nvidiaSMI})
	m := p.Probe(context.Background(), "/data/ollama/models")
	if m.RAMBytes != 32791612*1024 || m.AvailableRAMBytes != 20518800*1024 {
		t.Errorf("RAM %d / %d", m.RAMBytes, m.AvailableRAMBytes)
	}
	if m.CPUModel != "AMD Ryzen 9 5950X 16-Core Processor" || m.CPUCores != 2 {
		t.Errorf("CPU %q x %d", m.CPUModel, m.CPUCores)
	}
	if len(m.GPUs) != 2 || m.GPUs[0].Name != "NVIDIA GeForce RTX 4090" || m.GPUs[0].VRAMBytes != 24564<<20 ||
		m.GPUs[0].FreeVRAMBytes != 23837<<20 || m.GPUs[1].Vendor != "nvidia" {
		t.Errorf("GPUs %+v", m.GPUs)
	}
	if m.UsableVRAM() != (24564+12288)<<20 {
		t.Errorf("usable VRAM %d", m.UsableVRAM())
	}
	// The models dir does not exist yet: its nearest existing parent is measured.
	if m.FreeDiskBytes != 500e9 || m.ModelsDir != "/data/ollama/models" {
		t.Errorf("disk %d at %s", m.FreeDiskBytes, m.ModelsDir)
	}
}

func TestProbeLinuxAMDSysfs(t *testing.T) {
	p := fakeSystem("linux", map[string]string{
		"/proc/meminfo":                                   meminfo,
		"/sys/class/drm/card0/device/vendor":              "0x8086\n", // Intel iGPU: skipped
		"/sys/class/drm/card0/device/mem_info_vram_total": "268435456\n",
		"/sys/class/drm/card1/device/vendor":              "0x1002\n",
		"/sys/class/drm/card1/device/mem_info_vram_total": "17163091968\n",
		"/sys/class/drm/card1/device/mem_info_vram_used":  "1073741824\n",
		"/sys/class/drm/card1/device/product_name":        "Radeon RX 7800 XT\n",
	}, nil)
	m := p.Probe(context.Background(), "")
	if len(m.GPUs) != 1 {
		t.Fatalf("GPUs %+v", m.GPUs)
	}
	g := m.GPUs[0]
	if g.Vendor != "amd" || g.Name != "Radeon RX 7800 XT" || g.VRAMBytes != 17163091968 || g.FreeVRAMBytes != 17163091968-1073741824 {
		t.Errorf("AMD GPU %+v", g)
	}
}

func TestProbeNoGPU(t *testing.T) {
	p := fakeSystem("linux", map[string]string{"/proc/meminfo": meminfo}, nil)
	m := p.Probe(context.Background(), "/data")
	if len(m.GPUs) != 0 || m.GPUs == nil || m.UsableVRAM() != 0 || m.CPUCores != 4 {
		t.Errorf("no-GPU machine: %+v", m)
	}
	f := ForVariant(m, Variant{PullName: "qwen3:8b", ParamsB: 8, Quant: "Q4_K_M", DownloadBytes: 5.2e9,
		Arch: &Arch{Layers: 36, KVHeads: 8, HeadDim: 128}}, 0)
	if f.Verdict != FitCPU {
		t.Errorf("8B on 31 GiB without GPU: %+v", f)
	}
}

func TestProbeDarwin(t *testing.T) {
	p := fakeSystem("darwin", nil, map[string]string{
		"sysctl -n hw.memsize":               "68719476736\n",
		"sysctl -n machdep.cpu.brand_string": "Apple M2 Max\n",
	})
	m := p.Probe(context.Background(), "/data")
	if !m.UnifiedMemory || m.RAMBytes != 64*gib || len(m.GPUs) != 1 || m.GPUs[0].Vendor != "apple" || m.GPUs[0].VRAMBytes != 48*gib {
		t.Errorf("darwin %+v", m)
	}
}

func TestProbeWindows(t *testing.T) {
	p := fakeSystem("windows", nil, map[string]string{nvidiaCmd: "NVIDIA GeForce RTX 4070, 12282, 11000\n"})
	p.Memory = func() (int64, int64, error) { return 16 * gib, 9 * gib, nil }
	m := p.Probe(context.Background(), "/data")
	if m.RAMBytes != 16*gib || m.AvailableRAMBytes != 9*gib || len(m.GPUs) != 1 || m.GPUs[0].VRAMBytes != 12282<<20 {
		t.Errorf("windows %+v", m)
	}
}

func TestParseNvidiaSMIMalformed(t *testing.T) {
	got := ParseNvidiaSMI([]byte("NVIDIA A100, [N/A], 100\nbroken line\nTesla T4, 15360, 15100\n"))
	if len(got) != 1 || got[0].Name != "Tesla T4" {
		t.Errorf("%+v", got)
	}
}

func TestFreeDiskBytesReal(t *testing.T) {
	free, err := FreeDiskBytes(t.TempDir())
	if err != nil || free <= 0 {
		t.Errorf("FreeDiskBytes = %d, %v", free, err)
	}
	if _, err := FreeDiskBytes("/no/such/dir"); err == nil || !strings.Contains(err.Error(), "/no/such/dir") {
		t.Errorf("missing dir: %v", err)
	}
}

func TestProbeReal(t *testing.T) {
	m := NewProber().Probe(context.Background(), t.TempDir())
	if m.RAMBytes <= 0 || m.CPUCores <= 0 || m.FreeDiskBytes <= 0 {
		t.Errorf("real machine: %+v", m)
	}
}
