package engine

import (
	"fmt"
	"os"
	"os/exec"
)

// SystemBinary returns the path of an Ollama installed on the system (on
// PATH), or "" when there is none.
func SystemBinary() string {
	p, err := exec.LookPath(binaryName)
	if err != nil {
		return ""
	}
	return p
}

// StartSystem starts the system Ollama (`ollama serve`) in the background,
// detached from Wadi so that it keeps serving after Wadi quits, as if the
// user had started it. Its output goes to logFile.
func StartSystem(logFile string) error {
	bin := SystemBinary()
	if bin == "" {
		return fmt.Errorf("ollama is not installed (not found on PATH); see https://ollama.com/download")
	}
	f, err := os.OpenFile(logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", logFile, err)
	}
	defer f.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Stdout, cmd.Stderr = f, f
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s serve: %w", bin, err)
	}
	go cmd.Wait() // reap it if it exits while Wadi runs
	return nil
}
