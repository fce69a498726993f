package core

import (
	"context"
	"path/filepath"
	"time"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/engine"
	"github.com/wadi-app/wadi/backend/ollama"
)

// EngineInfo says which Ollama serves this Wadi: a system one the user runs,
// Wadi's built-in one, or none yet.
type EngineInfo struct {
	// Kind is "system" (a configured host answers), "builtin" (Wadi started
	// its own server), or "none".
	Kind string `json:"kind"`
	// URL is the built-in engine's address when Kind is "builtin".
	URL string `json:"url"`
	// Binary is the built-in engine's executable, when one ships with Wadi.
	Binary string `json:"binary"`
	// Note explains the choice in one sentence (why none, CPU-only, ...).
	Note string `json:"note"`
}

// Engine reports the current engine choice.
func (c *Core) Engine() EngineInfo {
	c.engineMu.Lock()
	defer c.engineMu.Unlock()
	return c.engine
}

func (c *Core) setEngine(e EngineInfo) {
	c.engineMu.Lock()
	c.engine = e
	c.engineMu.Unlock()
}

// EnsureEngine makes sure an Ollama serves this Wadi: when none of the
// configured hosts answers and a built-in engine ships with Wadi, it starts
// that engine (models under the data dir) and adds it to the hosts for this
// run. The returned Engine, when not nil, must be stopped on exit.
func (c *Core) EnsureEngine(ctx context.Context) (*engine.Engine, EngineInfo) {
	hosts, err := c.storedHosts(ctx)
	if c.host != "" {
		hosts, err = []string{c.host}, nil
	}
	if err != nil {
		info := EngineInfo{Kind: "none", Note: err.Error()}
		c.setEngine(info)
		return nil, info
	}
	for _, st := range ollama.ProbeAll(ctx, hosts, 3*time.Second) {
		if st.State == ollama.KindOK {
			info := EngineInfo{Kind: "system", Note: "Using the Ollama at " + st.URL + "."}
			c.setEngine(info)
			return nil, info
		}
	}
	if c.host != "" {
		info := EngineInfo{Kind: "none", Note: "--host was given, so the built-in engine is not started."}
		c.setEngine(info)
		return nil, info
	}
	bin, err := engine.Find()
	if err != nil {
		info := EngineInfo{Kind: "none", Note: "No Ollama is running and this Wadi has no built-in engine (" + err.Error() + "). Install Ollama from https://ollama.com/download, then start it."}
		c.setEngine(info)
		return nil, info
	}
	e := &engine.Engine{
		Binary:    bin,
		ModelsDir: filepath.Join(c.Dirs.Data, "models"),
		HomeDir:   filepath.Join(c.Dirs.Data, "engine"),
		LogFile:   filepath.Join(c.Dirs.State, "engine.log"),
	}
	url, err := e.Start(ctx, c.logger())
	if err != nil {
		info := EngineInfo{Kind: "none", Binary: bin, Note: "The built-in engine did not start: " + err.Error()}
		c.setEngine(info)
		return nil, info
	}
	info := EngineInfo{Kind: "builtin", URL: url, Binary: bin,
		Note: "No other Ollama was running, so Wadi started its built-in engine (CPU) at " + url + "." +
			gpuNote(catalog.NewProber().Probe(ctx, c.Dirs.Data))}
	c.setEngine(info)
	return e, info
}

// gpuNote tells the user with a GPU that the built-in engine leaves it idle,
// and how to get an accelerated Ollama.
func gpuNote(m catalog.Machine) string {
	if len(m.GPUs) == 0 {
		return ""
	}
	return " This machine has a " + m.GPUs[0].Name + " GPU, but the built-in engine runs on the CPU only." +
		" For GPU speed install Ollama from https://ollama.com/download; Wadi uses it whenever it is running."
}
