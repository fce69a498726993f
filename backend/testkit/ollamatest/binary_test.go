package ollamatest_test

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

func TestDefaultBinaryPath(t *testing.T) {
	v := ollamatest.Version()
	if !strings.HasPrefix(v, "v") {
		t.Fatalf("Version() = %q", v)
	}
	t.Setenv("WADI_DEV_CACHE", "/cache/wadi")
	if got, want := ollamatest.DefaultBinary(), filepath.Join("/cache/wadi", "ollama-"+v, "bin", "ollama"); got != want {
		t.Errorf("with WADI_DEV_CACHE: %s, want %s", got, want)
	}
	t.Setenv("WADI_DEV_CACHE", "")
	t.Setenv("XDG_CACHE_HOME", "/xdg")
	if got, want := ollamatest.DefaultBinary(), filepath.Join("/xdg", "wadi-dev", "ollama-"+v, "bin", "ollama"); got != want {
		t.Errorf("with XDG_CACHE_HOME: %s, want %s", got, want)
	}
}

// recorder stands in for a testing.TB to observe Skip and Fatal.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Skip(args ...any) { r.skipped = fmt.Sprint(args...); runtime.Goexit() }

func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...); runtime.Goexit() }

// binary calls ollamatest.Binary with a recorder on its own goroutine, since
// Skip and Fatal end the calling goroutine.
func binary(t *testing.T) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		ollamatest.Binary(r)
	}()
	<-done
	return r
}

func TestBinaryMissing(t *testing.T) {
	t.Setenv("WADI_TEST_OLLAMA", filepath.Join(t.TempDir(), "no-ollama"))

	t.Setenv("WADI_REQUIRE_OLLAMA", "")
	if r := binary(t); r.failed != "" || !strings.Contains(r.skipped, "make test-ollama") {
		t.Errorf("optional: skipped %q, failed %q; want a skip naming make test-ollama", r.skipped, r.failed)
	}
	t.Setenv("WADI_REQUIRE_OLLAMA", "1")
	if r := binary(t); r.skipped != "" || !strings.Contains(r.failed, "make test-ollama") {
		t.Errorf("required: skipped %q, failed %q; want a failure naming make test-ollama", r.skipped, r.failed)
	}
}
