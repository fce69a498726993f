package version

import (
	"runtime"
	"strings"
	"testing"
)

func TestGetLinkTimeVersionWins(t *testing.T) {
	oldV, oldC := Version, Commit
	t.Cleanup(func() { Version, Commit = oldV, oldC })
	Version, Commit = "1.2.3", "0123456789abcdef"
	got := Get()
	if got.Version != "1.2.3" || got.Commit != "0123456789ab" {
		t.Fatalf("got %+v", got)
	}
	if got.GoVersion != runtime.Version() || got.OS != runtime.GOOS {
		t.Fatalf("runtime fields wrong: %+v", got)
	}
}

func TestGetDevVersion(t *testing.T) {
	oldV, oldC := Version, Commit
	t.Cleanup(func() { Version, Commit = oldV, oldC })
	Version, Commit = "", "abc"
	got := Get()
	if got.Version != "0.0.0-dev+abc" && !strings.HasPrefix(got.Version, "0.0.0-dev+abc.") {
		t.Fatalf("dev version = %q", got.Version)
	}
}
