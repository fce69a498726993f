//go:build unix

package ollamatest

import (
	"errors"
	"os/exec"
	"syscall"
)

// newGroup makes cmd the leader of a new process group, which its runner
// processes inherit, so the whole tree can be signalled at once.
func newGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// terminateGroup asks every process in the group led by pid to exit.
func terminateGroup(pid int) { _ = syscall.Kill(-pid, syscall.SIGTERM) }

// killGroup kills every process in the group led by pid.
func killGroup(pid int) { _ = syscall.Kill(-pid, syscall.SIGKILL) }

// groupExists reports whether any process (zombies included) is still in
// the group led by pid.
func groupExists(pid int) bool {
	return !errors.Is(syscall.Kill(-pid, 0), syscall.ESRCH)
}
