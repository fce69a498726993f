//go:build unix

package ollamatest_test

import (
	"errors"
	"syscall"
	"testing"

	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// TestStopLeavesNoProcess loads a model (so a runner process exists), stops
// the server, and checks that its whole process group is gone.
func TestStopLeavesNoProcess(t *testing.T) {
	s := ollamatest.Start(t)
	s.CreateChatModel(t, "tiny-stop", 3)
	if out := generate(t, s.Client(), "tiny-stop", "warm up"); out == "" {
		t.Fatal("empty generation")
	}
	ps, err := s.Client().ListRunning(ctx(t))
	if err != nil || len(ps.Models) != 1 {
		t.Fatalf("running models = %+v, err %v; want one loaded runner", ps, err)
	}

	pid := s.PID()
	if err := syscall.Kill(-pid, 0); err != nil {
		t.Fatalf("process group %d not alive before Stop: %v", pid, err)
	}
	s.Stop()
	s.Stop() // idempotent
	if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("kill(-%d, 0) after Stop = %v, want ESRCH", pid, err)
	}
}
