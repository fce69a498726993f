package ollama

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// These fakes stand in for faults a real Ollama will not produce on demand.
// The happy path is tested against the real server in the testkit and CLI
// integration tests.

func fake(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestProbeFaults(t *testing.T) {
	cases := []struct {
		name string
		host func(t *testing.T) string
		want Kind
	}{
		{"refused", closedPort, KindUnreachable},
		{"bad url", func(*testing.T) string { return "ftp://x" }, KindBadURL},
		{"garbage", func(t *testing.T) string {
			return fake(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("\x00\x01garbage{{")) })
		}, KindBadResponse},
		{"html page", func(t *testing.T) string {
			return fake(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.Write([]byte("<html><body>router login</body></html>"))
			})
		}, KindBadResponse},
		{"json without version", func(t *testing.T) string {
			return fake(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"hello":"world"}`)) })
		}, KindBadResponse},
		{"not found", func(t *testing.T) string { return fake(t, http.NotFound) }, KindHTTP},
		{"server error", func(t *testing.T) string {
			return fake(t, func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, `{"error":"boom"}`, http.StatusInternalServerError)
			})
		}, KindHTTP},
		{"endless body", func(t *testing.T) string {
			return fake(t, func(w http.ResponseWriter, r *http.Request) {
				chunk := []byte(strings.Repeat(`{"version":"`, 1024))
				for r.Context().Err() == nil {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			})
		}, KindBadResponse},
		{"hangs", func(t *testing.T) string {
			return fake(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		}, KindTimeout},
		{"tags broken", func(t *testing.T) string {
			return fake(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/api/version" {
					w.Write([]byte(`{"version":"9.9.9"}`))
					return
				}
				w.Write([]byte(`{"models": 12}`))
			})
		}, KindBadResponse},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			host := tc.host(t)
			st := Probe(context.Background(), host, 500*time.Millisecond)
			if st.State != tc.want {
				t.Fatalf("state = %q (err %q), want %q", st.State, st.Error, tc.want)
			}
			if st.Hint == "" || st.Error == "" {
				t.Errorf("a failed probe needs a hint and an error: %+v", st)
			}
			if tc.want != KindBadURL && !strings.Contains(st.Hint, st.URL) {
				t.Errorf("hint %q should name the host %q", st.Hint, st.URL)
			}
		})
	}
}

func TestProbeOKFake(t *testing.T) {
	host := fake(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/version":
			w.Write([]byte(`{"version":"0.17.4"}`))
		case "/api/tags":
			w.Write([]byte(`{"models":[{"name":"a:latest"},{"name":"b:latest"}]}`))
		default:
			http.NotFound(w, r)
		}
	})
	st := Probe(context.Background(), host, time.Second)
	if st.State != KindOK || !st.Reachable || st.Version != "0.17.4" || st.ModelCount != 2 || st.Hint != "" {
		t.Fatalf("unexpected status %+v", st)
	}
}

func TestProbeAllKeepsOrderAndRunsConcurrently(t *testing.T) {
	// Each fake answers /api/version only once both have been asked: checked
	// one after the other, the first would time out; checked concurrently,
	// both answer.
	var wg sync.WaitGroup
	wg.Add(2)
	both := make(chan struct{})
	go func() { wg.Wait(); close(both) }()
	var once [2]sync.Once
	mk := func(i int, version string) string {
		return fake(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/tags" {
				w.Write([]byte(`{"models":[]}`))
				return
			}
			once[i].Do(wg.Done)
			select {
			case <-both:
				w.Write([]byte(`{"version":"` + version + `"}`))
			case <-r.Context().Done():
			}
		})
	}
	a, b := mk(0, "1.0.0"), mk(1, "2.0.0")
	refused := closedPort(t)
	all := ProbeAll(context.Background(), []string{a, refused, b}, 2*time.Second)
	if len(all) != 3 {
		t.Fatalf("got %d statuses", len(all))
	}
	if all[0].Version != "1.0.0" || all[2].Version != "2.0.0" || all[1].State != KindUnreachable {
		t.Fatalf("order or concurrency wrong: %+v", all)
	}
}

func TestProbeCanceled(t *testing.T) {
	host := fake(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st := Probe(ctx, host, time.Minute)
	if st.State != KindCanceled {
		t.Fatalf("state = %q, want canceled", st.State)
	}
}
