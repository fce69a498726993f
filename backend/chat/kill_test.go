//go:build unix

package chat

import (
	"bufio"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/store"
)

// TestKillHelper is the child process of TestSIGKILLMidStream: it starts an
// answer and waits to be killed. It does nothing in a normal test run.
func TestKillHelper(t *testing.T) {
	db, host := os.Getenv("WADI_KILL_DB"), os.Getenv("WADI_KILL_HOST")
	if db == "" {
		t.Skip("helper process only")
	}
	e := reopenEnv(t, db, []string{host}, Options{})
	v, err := e.svc.NewChat(bg(), host, "m")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Send(bg(), v.Chat.ID, "tell me everything", nil, nil); err != nil {
		t.Fatal(err)
	}
	fmt.Println("STARTED")
	select {} // until SIGKILL
}

// TestSIGKILLMidStream kills a process mid-answer with SIGKILL and checks
// that the database is consistent, and that the partial answer is there,
// marked incomplete once recovered, and at most about 2 s stale.
func TestSIGKILLMidStream(t *testing.T) {
	const tok = "word "
	var mu sync.Mutex
	type sent struct {
		at time.Time
		n  int
	}
	var log []sent
	host := fakeOllama(t, func(w http.ResponseWriter, r *http.Request) {
		for i := 1; ; i++ {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
			chunk(w, tok)
			mu.Lock()
			log = append(log, sent{time.Now(), i})
			mu.Unlock()
		}
	})
	db := filepath.Join(t.TempDir(), "wadi.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$", "-test.v")
	cmd.Env = append(os.Environ(), "WADI_KILL_DB="+db, "WADI_KILL_HOST="+host)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.Contains(sc.Text(), "STARTED") {
	}
	// Let the answer stream for a while (several flush intervals).
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		long := len(log) > 0 && time.Since(log[0].at) > 3500*time.Millisecond
		mu.Unlock()
		if long {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the helper never streamed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killedAt := time.Now()
	cmd.Wait()
	mu.Lock()
	sentBy := func(at time.Time) int {
		n := 0
		for _, s := range log {
			if !s.at.After(at) {
				n = s.n
			}
		}
		return n
	}
	total, twoSecondsBefore := sentBy(killedAt), sentBy(killedAt.Add(-2*time.Second))
	mu.Unlock()

	raw, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	var check string
	if err := raw.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	raw.Close()

	// Reopen as the window does (Recover, then GetChat): once the row has
	// gone 3 flush intervals without a refresh it shows as incomplete.
	if wait := time.Until(killedAt.Add(3500 * time.Millisecond)); wait > 0 {
		time.Sleep(wait)
	}
	e := reopenEnv(t, db, []string{host}, Options{})
	cs, _ := e.svc.ListChats(bg())
	if len(cs) != 1 {
		t.Fatalf("chats = %+v", cs)
	}
	v, err := e.svc.GetChat(bg(), cs[0].ID)
	if err != nil || len(v.Messages) != 2 {
		t.Fatalf("chat = %+v, %v", v, err)
	}
	q, a := v.Messages[0], v.Messages[1]
	if q.Content != "tell me everything" || a.Status != store.StatusIncomplete || a.Error != crashReason {
		t.Fatalf("after the kill: %+v / %+v", q, a)
	}
	n := strings.Count(a.Content, tok)
	if a.Content != strings.Repeat(tok, n) || n > total {
		t.Fatalf("partial answer is not a prefix of what was sent: %d words of %d", n, total)
	}
	t.Logf("sent %d words before the kill (%d by 2 s before); saved %d", total, twoSecondsBefore, n)
	if n < twoSecondsBefore {
		t.Fatalf("partial answer is more than 2 s stale: %d words saved, %d sent 2 s before the kill", n, twoSecondsBefore)
	}
}
