// Package core opens a user's Wadi data (directories and database) and
// offers the services that both faces, the window and the command line,
// share. Anything the CLI can prove, the window does the same way.
package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/wadi-app/wadi/backend/ollama"
	"github.com/wadi-app/wadi/backend/paths"
	"github.com/wadi-app/wadi/backend/store"
	"github.com/wadi-app/wadi/backend/version"
)

// Options says where the data lives and which hosts to use.
type Options struct {
	// DataDir overrides the data directory (the --data-dir flag).
	DataDir string
	// Host, when set, is the only Ollama host used for this run (the --host
	// flag); the stored host list is left as it is.
	Host string
	// Logger receives diagnostics; nil means slog.Default() when logging.
	Logger *slog.Logger
}

// Core is an open Wadi data directory.
type Core struct {
	Dirs  paths.Dirs
	Store *store.Store
	host  string
	log   *slog.Logger

	engineMu sync.Mutex
	engine   EngineInfo
}

// Open resolves the directories, creates them, and opens the database.
func Open(ctx context.Context, opt Options) (*Core, error) {
	log := opt.Logger // nil: slog.Default() at the time of each message
	var host string
	if opt.Host != "" {
		h, err := ollama.NormalizeURL(opt.Host)
		if err != nil {
			return nil, fmt.Errorf("--host: %w", err)
		}
		host = h
	}
	dirs, err := paths.Resolve(opt.DataDir)
	if err != nil {
		return nil, err
	}
	if err := dirs.Ensure(); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, dirs.DBFile())
	if err != nil {
		return nil, err
	}
	return &Core{Dirs: dirs, Store: st, host: host, log: log}, nil
}

// logger is the Options.Logger, or the default logger of the moment (the
// window sets it up after opening the data, to log into the state dir).
func (c *Core) logger() *slog.Logger {
	if c.log != nil {
		return c.log
	}
	return slog.Default()
}

// Close closes the database.
func (c *Core) Close() error { return c.Store.Close() }

// ErrHostsFixed is returned when editing hosts during a run started with --host.
var ErrHostsFixed = errors.New("hosts are fixed by --host for this run")

// ErrLastHost is returned when removing the only configured host.
var ErrLastHost = errors.New("at least one Ollama host is needed")

// Hosts returns the Ollama hosts to use, in order. On first use the list is
// seeded with ollama.DefaultHost() (OLLAMA_HOST or http://127.0.0.1:11434).
func (c *Core) Hosts(ctx context.Context) ([]string, error) {
	if c.host != "" {
		return []string{c.host}, nil
	}
	out, err := c.storedHosts(ctx)
	if err != nil {
		return nil, err
	}
	if e := c.Engine(); e.URL != "" && !slices.Contains(out, e.URL) {
		out = append(out, e.URL)
	}
	return out, nil
}

// storedHosts returns the hosts the user configured, seeding the default.
func (c *Core) storedHosts(ctx context.Context) ([]string, error) {
	hs, err := c.Store.Hosts(ctx)
	if err != nil {
		return nil, err
	}
	if len(hs) == 0 {
		def := ollama.DefaultHost()
		if err := c.Store.AddHost(ctx, def); err != nil && !errors.Is(err, store.ErrDuplicate) {
			return nil, err
		}
		c.logger().Info("seeded the default Ollama host", "url", def)
		return []string{def}, nil
	}
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.URL
	}
	return out, nil
}

// AddHost validates and stores a host URL typed by a person, and returns the
// new list. Errors name the field ("host URL") and say what is wrong.
func (c *Core) AddHost(ctx context.Context, raw string) ([]string, error) {
	if c.host != "" {
		return nil, ErrHostsFixed
	}
	if _, err := c.Hosts(ctx); err != nil { // seed first, so the default stays first
		return nil, err
	}
	u, err := ollama.NormalizeURL(raw) // its errors name the field: "invalid host URL ..."
	if err != nil {
		return nil, err
	}
	if err := c.Store.AddHost(ctx, u); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return nil, fmt.Errorf("host URL %s is already in the list: %w", u, err)
		}
		return nil, err
	}
	return c.Hosts(ctx)
}

// RemoveHost removes a configured host and returns the new list. The last
// host cannot be removed.
func (c *Core) RemoveHost(ctx context.Context, url string) ([]string, error) {
	if c.host != "" {
		return nil, ErrHostsFixed
	}
	if n, err := ollama.NormalizeURL(url); err == nil {
		url = n
	}
	hs, err := c.Hosts(ctx)
	if err != nil {
		return nil, err
	}
	if len(hs) == 1 && hs[0] == url {
		return nil, fmt.Errorf("remove %s: %w; add another host first", url, ErrLastHost)
	}
	if err := c.Store.RemoveHost(ctx, url); err != nil {
		return nil, err
	}
	return c.Hosts(ctx)
}

// Report is the state of this Wadi: where its data is and how each host is.
type Report struct {
	Version version.Info    `json:"version"`
	DataDir string          `json:"dataDir"`
	DBPath  string          `json:"dbPath"`
	Hosts   []ollama.Status `json:"hosts"`
	Engine  EngineInfo      `json:"engine"`
}

// Status checks every host concurrently; it returns within about
// ollama.ProbeTimeout whatever the hosts do.
func (c *Core) Status(ctx context.Context) (Report, error) {
	hosts, err := c.Hosts(ctx)
	if err != nil {
		return Report{}, err
	}
	return Report{
		Version: version.Get(),
		DataDir: c.Dirs.Data,
		DBPath:  c.Store.Path(),
		Hosts:   ollama.ProbeAll(ctx, hosts, ollama.ProbeTimeout),
		Engine:  c.Engine(),
	}, nil
}

// ModelInfo is an installed model as the model list shows it.
type ModelInfo struct {
	Name          string `json:"name"`
	Model         string `json:"model"`
	SizeBytes     int64  `json:"sizeBytes"`
	ModifiedAt    string `json:"modifiedAt"`
	Family        string `json:"family"`
	ParameterSize string `json:"parameterSize"`
	Quantization  string `json:"quantization"`
	Digest        string `json:"digest"`
}

// Models lists the models installed on host, which must be one of the
// configured hosts (Wadi talks to no other).
func (c *Core) Models(ctx context.Context, host string) ([]ModelInfo, error) {
	hosts, err := c.Hosts(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(hosts, host) {
		return nil, fmt.Errorf("host %q is not a configured Ollama host", host)
	}
	cl, err := ollama.New(host)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	ms, err := cl.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ModelInfo, 0, len(ms))
	for _, m := range ms {
		out = append(out, ModelInfo{
			Name: m.Name, Model: m.Model, SizeBytes: m.Size,
			ModifiedAt:    m.ModifiedAt.UTC().Format(time.RFC3339),
			Family:        m.Details.Family,
			ParameterSize: m.Details.ParameterSize,
			Quantization:  m.Details.QuantizationLevel,
			Digest:        m.Digest,
		})
	}
	return out, nil
}
