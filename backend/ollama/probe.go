package ollama

import (
	"context"
	"sync"
	"time"
)

// ProbeTimeout bounds one host check; ProbeAll checks hosts concurrently, so
// it is also the bound for a whole status report.
const ProbeTimeout = 4 * time.Second

// probeMaxBody caps a health-check answer (a model list of thousands of
// entries is far below this).
const probeMaxBody = 8 << 20

// Status is the health of one host, as shown in the status area and by
// `wadi status`.
type Status struct {
	URL        string `json:"url"`
	State      Kind   `json:"state"`
	Reachable  bool   `json:"reachable"`
	Version    string `json:"version"`
	ModelCount int    `json:"modelCount"`
	LatencyMs  int64  `json:"latencyMs"`
	Error      string `json:"error"`
	Hint       string `json:"hint"`
	CheckedAt  string `json:"checkedAt"`
}

// Probe checks one host: its version, then its installed models. It returns
// within timeout whatever the host does (refuses, hangs, answers garbage).
func Probe(ctx context.Context, host string, timeout time.Duration) Status {
	start := time.Now()
	st := Status{URL: host, CheckedAt: start.UTC().Format(time.RFC3339)}
	fail := func(err error) Status {
		st.State = KindOf(err)
		st.Error = err.Error()
		st.Hint = Hint(st.State, st.URL)
		st.LatencyMs = time.Since(start).Milliseconds()
		return st
	}
	c, err := newClient(host, probeMaxBody)
	if err != nil {
		return fail(err)
	}
	st.URL = c.Host()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	v, err := c.Version(ctx)
	if err != nil {
		return fail(err)
	}
	st.Version = v
	st.Reachable = true
	st.LatencyMs = time.Since(start).Milliseconds()
	models, err := c.List(ctx)
	if err != nil {
		return fail(err)
	}
	st.ModelCount = len(models)
	st.State = KindOK
	return st
}

// ProbeAll checks every host concurrently and returns their statuses in the
// order given.
func ProbeAll(ctx context.Context, hosts []string, timeout time.Duration) []Status {
	out := make([]Status, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = Probe(ctx, h, timeout)
		}()
	}
	wg.Wait()
	return out
}
