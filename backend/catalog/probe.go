package catalog

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// GPU is one graphics card (or Apple's integrated GPU).
type GPU struct {
	Name          string `json:"name"`
	Vendor        string `json:"vendor"` // nvidia, amd, apple, intel, other
	VRAMBytes     int64  `json:"vramBytes"`
	FreeVRAMBytes int64  `json:"freeVramBytes"`
}

// Machine is what this computer offers for running models.
type Machine struct {
	OS                string `json:"os"`
	CPUModel          string `json:"cpuModel"`
	CPUCores          int    `json:"cpuCores"`
	RAMBytes          int64  `json:"ramBytes"`
	AvailableRAMBytes int64  `json:"availableRamBytes"`
	GPUs              []GPU  `json:"gpus"`
	UnifiedMemory     bool   `json:"unifiedMemory"`
	ModelsDir         string `json:"modelsDir"`
	FreeDiskBytes     int64  `json:"freeDiskBytes"`
}

// UsableVRAM is the GPU memory a model may use: the sum over GPUs (Ollama
// splits layers across cards), or UnifiedGPUShare of RAM on unified memory.
func (m Machine) UsableVRAM() int64 {
	var sum int64
	for _, g := range m.GPUs {
		sum += g.VRAMBytes
	}
	return sum
}

// Prober reads the machine through injectable functions, so that tests
// feed it recorded outputs. The zero value is not usable; see NewProber.
type Prober struct {
	GOOS     string
	ReadFile func(path string) ([]byte, error)
	Glob     func(pattern string) ([]string, error)
	// Run runs a program and returns its stdout; a missing program is an error.
	Run func(ctx context.Context, name string, args ...string) ([]byte, error)
	// FreeDisk returns the bytes free for an unprivileged user at path.
	FreeDisk func(path string) (int64, error)
	NumCPU   func() int
	// Memory returns total and available RAM where there is no
	// /proc/meminfo (Windows); nil or an error leaves them 0.
	Memory func() (total, available int64, err error)
}

// NewProber returns a Prober over the real system.
func NewProber() *Prober {
	return &Prober{
		GOOS: runtime.GOOS, ReadFile: os.ReadFile, Glob: filepath.Glob,
		Run: func(ctx context.Context, name string, args ...string) ([]byte, error) {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			return exec.CommandContext(ctx, name, args...).Output()
		},
		FreeDisk: FreeDiskBytes, NumCPU: runtime.NumCPU, Memory: systemMemory,
	}
}

// Probe describes the machine; diskDir is where models are stored (its
// nearest existing ancestor is measured). A missing GPU, tool or file is
// normal and leaves its fields empty; Probe does not fail.
func (p *Prober) Probe(ctx context.Context, diskDir string) Machine {
	m := Machine{OS: p.GOOS, CPUCores: p.NumCPU(), ModelsDir: diskDir, GPUs: []GPU{}}
	switch p.GOOS {
	case "darwin":
		p.probeDarwin(ctx, &m)
	default:
		if b, err := p.ReadFile("/proc/meminfo"); err == nil {
			m.RAMBytes, m.AvailableRAMBytes = ParseMeminfo(b)
		}
		if b, err := p.ReadFile("/proc/cpuinfo"); err == nil {
			if model, cores := ParseCPUInfo(b); model != "" {
				m.CPUModel = model
				if cores > 0 {
					m.CPUCores = cores
				}
			}
		}
		if out, err := p.Run(ctx, "nvidia-smi", "--query-gpu=name,memory.total,memory.free", "--format=csv,noheader,nounits"); err == nil {
			m.GPUs = append(m.GPUs, ParseNvidiaSMI(out)...)
		}
		m.GPUs = append(m.GPUs, p.amdSysfs()...)
	}
	if m.RAMBytes == 0 && p.Memory != nil {
		if total, avail, err := p.Memory(); err == nil {
			m.RAMBytes, m.AvailableRAMBytes = total, avail
		}
	}
	if diskDir != "" && p.FreeDisk != nil {
		dir := diskDir
		for {
			if free, err := p.FreeDisk(dir); err == nil {
				m.FreeDiskBytes = free
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return m
}

func (p *Prober) probeDarwin(ctx context.Context, m *Machine) {
	if out, err := p.Run(ctx, "sysctl", "-n", "hw.memsize"); err == nil {
		m.RAMBytes, _ = strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	}
	if out, err := p.Run(ctx, "sysctl", "-n", "machdep.cpu.brand_string"); err == nil {
		m.CPUModel = strings.TrimSpace(string(out))
	}
	m.AvailableRAMBytes = m.RAMBytes // vm_stat parsing is not worth it here
	if strings.HasPrefix(m.CPUModel, "Apple") {
		m.UnifiedMemory = true
		v := int64(float64(m.RAMBytes) * UnifiedGPUShare)
		m.GPUs = append(m.GPUs, GPU{Name: m.CPUModel + " GPU", Vendor: "apple", VRAMBytes: v, FreeVRAMBytes: v})
	}
}

// amdSysfs finds AMD cards through the amdgpu driver's sysfs files.
func (p *Prober) amdSysfs() []GPU {
	cards, _ := p.Glob("/sys/class/drm/card*/device/mem_info_vram_total")
	var out []GPU
	for _, totalPath := range cards {
		dev := filepath.Dir(totalPath)
		if v, err := p.ReadFile(filepath.Join(dev, "vendor")); err != nil || strings.TrimSpace(string(v)) != "0x1002" {
			continue
		}
		total := readInt(p, totalPath)
		if total <= 0 {
			continue
		}
		used := readInt(p, filepath.Join(dev, "mem_info_vram_used"))
		name := "AMD GPU (" + filepath.Base(filepath.Dir(dev)) + ")"
		if b, err := p.ReadFile(filepath.Join(dev, "product_name")); err == nil && strings.TrimSpace(string(b)) != "" {
			name = strings.TrimSpace(string(b))
		}
		out = append(out, GPU{Name: name, Vendor: "amd", VRAMBytes: total, FreeVRAMBytes: max(total-used, 0)})
	}
	return out
}

func readInt(p *Prober, path string) int64 {
	b, err := p.ReadFile(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
}

// ParseMeminfo returns MemTotal and MemAvailable in bytes from /proc/meminfo.
func ParseMeminfo(b []byte) (total, available int64) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		key, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			continue
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		if len(f) > 1 && f[1] == "kB" {
			n *= 1024
		}
		switch key {
		case "MemTotal":
			total = n
		case "MemAvailable":
			available = n
		}
	}
	return total, available
}

// ParseCPUInfo returns the CPU model name and the number of logical CPUs
// from /proc/cpuinfo (x86 "model name"; ARM "Hardware" or "CPU part").
func ParseCPUInfo(b []byte) (model string, logical int) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch key {
		case "processor":
			logical++
		case "model name", "Hardware", "Model":
			if model == "" {
				model = val
			}
		}
	}
	return model, logical
}

// ParseNvidiaSMI parses `nvidia-smi --query-gpu=name,memory.total,memory.free
// --format=csv,noheader,nounits` (sizes in MiB). Malformed lines are skipped.
func ParseNvidiaSMI(out []byte) []GPU {
	r := csv.NewReader(bytes.NewReader(out))
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	recs, _ := r.ReadAll()
	var gpus []GPU
	for _, rec := range recs {
		if len(rec) < 3 {
			continue
		}
		total, err1 := strconv.ParseFloat(strings.TrimSpace(rec[1]), 64)
		free, err2 := strconv.ParseFloat(strings.TrimSpace(rec[2]), 64)
		if err1 != nil || err2 != nil {
			continue
		}
		gpus = append(gpus, GPU{Name: strings.TrimSpace(rec[0]), Vendor: "nvidia",
			VRAMBytes: int64(total) << 20, FreeVRAMBytes: int64(free) << 20})
	}
	return gpus
}

// OllamaModelsDir is where a local Ollama keeps models: $OLLAMA_MODELS, or
// ~/.ollama/models.
func OllamaModelsDir() (string, error) {
	if d := os.Getenv("OLLAMA_MODELS"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("models dir: %w", err)
	}
	return filepath.Join(home, ".ollama", "models"), nil
}
