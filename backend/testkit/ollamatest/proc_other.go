//go:build !unix

package ollamatest

import (
	"os"
	"os/exec"
)

// newGroup is a no-op where process groups are not available.
func newGroup(cmd *exec.Cmd) {}

// terminateGroup kills the server; there is no gentler portable signal.
func terminateGroup(pid int) { killGroup(pid) }

// killGroup kills the server process only.
func killGroup(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

// groupExists cannot see runner processes here; it reports false.
func groupExists(pid int) bool { return false }
