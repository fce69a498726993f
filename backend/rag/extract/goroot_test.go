package extract

import (
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// runtimeGOROOT returns the Go installation's root.
func runtimeGOROOT(testing.TB) string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return runtime.GOROOT()
	}
	return strings.TrimSpace(string(out))
}
