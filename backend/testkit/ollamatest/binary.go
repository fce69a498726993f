package ollamatest

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

const (
	// ollamaModule is the Go module whose version selects the server binary.
	ollamaModule = "github.com/ollama/ollama"
	// fallbackVersion is used only when build info lacks the module version.
	fallbackVersion = "v0.17.4"
)

// Version returns the github.com/ollama/ollama module version linked into the
// running binary (for example "v0.17.4"), or a built-in fallback when build
// information does not record it.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return fallbackVersion
	}
	for _, dep := range info.Deps {
		if dep.Path != ollamaModule {
			continue
		}
		if dep.Replace != nil && dep.Replace.Version != "" {
			return dep.Replace.Version
		}
		if dep.Version != "" && dep.Version != "(devel)" {
			return dep.Version
		}
	}
	return fallbackVersion
}

// DefaultBinary returns where scripts/build-ollama.sh puts the server:
// ${WADI_DEV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wadi-dev}/ollama-<Version()>/bin/ollama.
// An empty string means no home directory could be determined.
func DefaultBinary() string {
	cache := os.Getenv("WADI_DEV_CACHE")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return ""
			}
			base = filepath.Join(home, ".cache")
		}
		cache = filepath.Join(base, "wadi-dev")
	}
	return filepath.Join(cache, "ollama-"+Version(), "bin", "ollama")
}

// Binary returns the path of the Ollama server to test against: env
// WADI_TEST_OLLAMA if set, else DefaultBinary(). When the file is missing
// or not executable the test is skipped, or fails if WADI_REQUIRE_OLLAMA=1.
func Binary(t testing.TB) string {
	t.Helper()
	path := os.Getenv("WADI_TEST_OLLAMA")
	if path == "" {
		path = DefaultBinary()
	}
	msg := ""
	switch fi, err := os.Stat(path); {
	case path == "":
		msg = "cannot locate the ollama test server (no home directory)"
	case err != nil:
		msg = "ollama test server not found: " + err.Error()
	case fi.IsDir() || fi.Mode()&0o111 == 0:
		msg = "ollama test server is not an executable file: " + path
	default:
		return path
	}
	msg += "; run `make test-ollama` (or set WADI_TEST_OLLAMA to an ollama binary)"
	if os.Getenv("WADI_REQUIRE_OLLAMA") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
