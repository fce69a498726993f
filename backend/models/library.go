package models

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/pull"
)

// machineTTL is how long a machine probe is reused (nvidia-smi is slow).
const machineTTL = 10 * time.Second

// Library joins the catalog, the machine probe and the hosts, for the
// window and the CLI alike.
type Library struct {
	Catalog *catalog.Catalog
	Prober  *catalog.Prober
	// DataDir is measured for free disk when no host is on this machine.
	DataDir string
	// Hosts returns the configured hosts, the default first.
	Hosts func(ctx context.Context) ([]string, error)

	mu       sync.Mutex
	machine  catalog.Machine
	probedAt time.Time
}

// NewLibrary loads the shipped catalog and probes the real machine.
func NewLibrary(dataDir string, hosts func(ctx context.Context) ([]string, error)) (*Library, error) {
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	return &Library{Catalog: cat, Prober: catalog.NewProber(), DataDir: dataDir, Hosts: hosts}, nil
}

// IsLocal reports whether host runs on this machine (loopback or localhost).
func IsLocal(host string) bool {
	u, err := url.Parse(host)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// ModelsDir is where host keeps its models when it runs on this machine
// (OLLAMA_MODELS or ~/.ollama/models), else "".
func ModelsDir(host string) string {
	if !IsLocal(host) {
		return ""
	}
	d, err := catalog.OllamaModelsDir()
	if err != nil {
		return ""
	}
	return d
}

// Machine probes this computer (cached for a few seconds). Free disk is
// measured where the first local host stores models, else in the data dir.
func (l *Library) Machine(ctx context.Context) catalog.Machine {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.probedAt.IsZero() && time.Since(l.probedAt) < machineTTL {
		return l.machine
	}
	dir := l.DataDir
	if l.Hosts != nil {
		if hs, err := l.Hosts(ctx); err == nil {
			for _, h := range hs {
				if d := ModelsDir(h); d != "" {
					dir = d
					break
				}
			}
		}
	}
	l.machine, l.probedAt = l.Prober.Probe(ctx, dir), time.Now()
	return l.machine
}

// Search filters the catalog with fits for this machine.
func (l *Library) Search(ctx context.Context, f catalog.Filter) []catalog.Listed {
	return l.Catalog.Search(l.Machine(ctx), f, 0)
}

// Fit estimates name at numCtx tokens (0: the default): a catalog pull
// name, or a model installed on one of the hosts (first match).
func (l *Library) Fit(ctx context.Context, name string, numCtx int) (catalog.Fit, error) {
	m := l.Machine(ctx)
	if _, v, ok := l.Catalog.Lookup(name); ok {
		return catalog.ForVariant(m, v, numCtx), nil
	}
	var hosts []string
	if l.Hosts != nil {
		hosts, _ = l.Hosts(ctx)
	}
	for _, h := range hosts {
		if f, err := Estimate(ctx, h, name, numCtx, m, nil); err == nil {
			return f, nil
		}
	}
	return catalog.Fit{}, fmt.Errorf("model %q is neither in the catalog nor installed on a configured host", name)
}

// FreeDisk returns the free space where host stores models. Only a host on
// this machine can be measured; for others it returns an error and the
// queue skips the check.
func (l *Library) FreeDisk(_ context.Context, host string) (int64, string, error) {
	dir := ModelsDir(host)
	if dir == "" {
		return 0, "", errors.New("models dir of a remote host cannot be measured")
	}
	for d := dir; ; {
		free, err := l.Prober.FreeDisk(d)
		if err == nil {
			return free, dir, nil
		}
		parent := parentDir(d)
		if parent == d {
			return 0, "", err
		}
		d = parent
	}
}

// SizeHint is the catalog download size of name, or 0.
func (l *Library) SizeHint(name string) int64 {
	if _, v, ok := l.Catalog.Lookup(name); ok {
		return v.DownloadBytes
	}
	return 0
}

// QueueOptions returns pull options with the disk check and size hints.
func (l *Library) QueueOptions() pull.Options {
	return pull.Options{FreeDisk: l.FreeDisk, SizeHint: l.SizeHint}
}

func parentDir(p string) string { return filepath.Dir(p) }
