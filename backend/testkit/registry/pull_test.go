package registry_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
	"github.com/wadi-app/wadi/backend/testkit/registry"
)

// pull pulls name and returns the statuses Ollama reported; progress, if
// not nil, sees every progress report.
func pull(ctx context.Context, c *api.Client, name string, progress func(api.ProgressResponse)) ([]string, error) {
	var statuses []string
	err := c.Pull(ctx, &api.PullRequest{Model: name, Insecure: true}, func(p api.ProgressResponse) error {
		if len(statuses) == 0 || statuses[len(statuses)-1] != p.Status {
			statuses = append(statuses, p.Status)
		}
		if progress != nil {
			progress(p)
		}
		return nil
	})
	if err == nil {
		err = ctx.Err() // a cancelled stream returns nil
	}
	return statuses, err
}

func timeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestPullFromRegistry(t *testing.T) {
	reg := registry.Start(t)
	s := ollamatest.Start(t)
	c := s.Client()
	model := ollamatest.ChatModelGGUF(t, 11)
	name := reg.PublishModel(t, "tiny", "latest", model, ollamatest.ChatTemplate)

	start := time.Now()
	statuses, err := pull(timeout(t, time.Minute), c, name, nil)
	t.Logf("pull took %s", time.Since(start))
	if err != nil {
		t.Fatalf("pull %s: %v (statuses %v)", name, err, statuses)
	}
	if statuses[len(statuses)-1] != "success" {
		t.Errorf("statuses %v", statuses)
	}

	list, err := c.List(timeout(t, time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list.Models, func(m api.ListModelResponse) bool { return m.Name == name })
	if i < 0 {
		t.Fatalf("%s not listed after pull", name)
	}
	if m := list.Models[i]; m.Details.Family != "llama" || m.Size < int64(len(model)) {
		t.Errorf("listed as %+v", m)
	}
	show, err := c.Show(timeout(t, time.Minute), &api.ShowRequest{Model: name})
	if err != nil || !slices.Contains(show.Capabilities, "tools") || !slices.Contains(show.Capabilities, "completion") {
		t.Errorf("show: capabilities %v, err %v", show.Capabilities, err)
	}

	var out string
	stream := false
	err = c.Generate(timeout(t, time.Minute), &api.GenerateRequest{
		Model: name, Prompt: "hello", Stream: &stream,
		Options: map[string]any{"temperature": 0, "num_predict": 8},
	}, func(r api.GenerateResponse) error { out += r.Response; return nil })
	if err != nil || out == "" {
		t.Errorf("generate with pulled model: %q, %v", out, err)
	}

	st := reg.Stats()
	if st.Manifests != 1 || st.Redirects != 4 || st.BlobGets < 4 || st.BytesServed < int64(len(model)) {
		t.Errorf("registry stats %+v; want 1 manifest and 4 blobs (model, template, params, config)", st)
	}
}

// TestPullResumesAfterCancel stalls the model blob half way, cancels the
// pull, and checks that the next pull resumes with a Range request from
// where the first one stopped.
func TestPullResumesAfterCancel(t *testing.T) {
	reg := registry.Start(t)
	s := ollamatest.Start(t)
	c := s.Client()
	model := ollamatest.ChatModelGGUF(t, 12)
	name := reg.PublishModel(t, "resume", "latest", model, "")
	half := int64(len(model) / 2)
	reg.SetStallAfter(half)

	// Cancel once Ollama reports every byte before the stall as received:
	// bytes the registry sent may still be in socket buffers.
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := pull(ctx, c, name, func(p api.ProgressResponse) {
			if p.Digest == registry.ModelLayer(model).Digest() && p.Completed >= half {
				cancel()
			}
		})
		done <- err
	}()
	select {
	case <-ctx.Done():
	case err := <-done:
		t.Fatalf("pull ended before the stall: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatalf("download never reached the stall: %+v", reg.Stats())
	}
	if err := <-done; err == nil {
		t.Fatal("cancelled pull reported success")
	}
	if err := reg.Await(timeout(t, 30*time.Second), func(st registry.Stats) bool { return st.ClientGone == 1 }); err != nil {
		t.Fatalf("ollama kept the stalled download open: %+v", reg.Stats())
	}
	if list, _ := c.List(timeout(t, time.Minute)); slices.ContainsFunc(list.Models, func(m api.ListModelResponse) bool { return m.Name == name }) {
		t.Fatal("half-pulled model is listed")
	}

	reg.SetStallAfter(-1)
	var err error
	for range 3 {
		// Ollama forgets the cancelled download a moment after its
		// connection closes; a pull in that window reports "context canceled".
		if _, err = pull(timeout(t, time.Minute), c, name, nil); err == nil || !strings.Contains(err.Error(), "context canceled") {
			break
		}
		t.Logf("retrying pull after: %v", err)
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("resumed pull: %v", err)
	}
	ranges := reg.Stats().Ranges
	want := fmt.Sprintf("bytes=%d-%d", half, len(model)-1)
	if !slices.Contains(ranges, want) {
		t.Errorf("data requests %q; want one resuming with %q", ranges, want)
	}
}

// TestPullRetriesCutOffResponse drops the first data response half way;
// Ollama retries by itself and the pull succeeds.
func TestPullRetriesCutOffResponse(t *testing.T) {
	reg := registry.Start(t)
	s := ollamatest.Start(t)
	model := ollamatest.ChatModelGGUF(t, 13)
	name := reg.PublishModel(t, "flaky", "latest", model, "")
	reg.FailNext(1)
	if _, err := pull(timeout(t, time.Minute), s.Client(), name, nil); err != nil {
		t.Fatalf("pull through a dropped connection: %v", err)
	}
	st := reg.Stats()
	if st.CutOff != 1 {
		t.Errorf("stats %+v; want one cut-off response", st)
	}
	// The model blob is the first layer: its second request resumes.
	if want := fmt.Sprintf("bytes=%d-%d", len(model)/2, len(model)-1); len(st.Ranges) < 2 || st.Ranges[1] != want {
		t.Errorf("data requests %q; want the second to be %q", st.Ranges, want)
	}
}
