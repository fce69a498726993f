//go:build windows

package engine

import "os/exec"

const binaryName = "ollama.exe"

func setProcessGroup(*exec.Cmd) {}

// Windows has no process groups to signal; the server is killed and its
// runners, children of it, end when their parent's pipes close.
func terminateGroup(cmd *exec.Cmd) { cmd.Process.Kill() }

func killGroup(cmd *exec.Cmd) { cmd.Process.Kill() }

func detach(*exec.Cmd) {}
