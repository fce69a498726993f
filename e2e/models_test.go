//go:build e2e

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
	"github.com/wadi-app/wadi/backend/testkit/registry"
)

// listed reports whether Ollama at srv lists name.
func listed(t *testing.T, c *api.Client, name string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := c.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(l.Models, func(m api.ListModelResponse) bool { return m.Name == name })
}

// TestModelsDownloadInWindow types the local registry's pull name into the
// Downloads tab, watches the progress bar reach 100%, finds the model under
// Installed with its details, deletes it through the confirmation dialog,
// and looks at the machine and catalog views on the way.
func TestModelsDownloadInWindow(t *testing.T) {
	reg := registry.Start(t)
	srv := ollamatest.Start(t)
	name := reg.PublishModel(t, "tiny", "latest", ollamatest.ChatModelGGUF(t, 41), ollamatest.ChatTemplate)

	r := runFlow(t, "models-download", t.TempDir(),
		map[string]any{"host": srv.URL, "name": name}, nil, "--host", srv.URL)
	if len(r.Shots) < 5 {
		t.Fatalf("shots: %v", r.Shots)
	}
	for _, s := range r.Shots {
		checkShot(t, s)
	}
	if listed(t, srv.Client(), name) {
		t.Errorf("%s is still installed after Delete was confirmed in the window", name)
	}
	if st := reg.Stats(); st.BlobGets == 0 {
		t.Errorf("the registry served no blob data: %+v", st)
	}
}

// TestModelsPauseResumeInWindow pulls through a throttled registry, pauses
// from the window mid-way and resumes; the model ends installed and the
// resumed pull asked the registry only for the rest (a Range request).
func TestModelsPauseResumeInWindow(t *testing.T) {
	reg := registry.Start(t)
	srv := ollamatest.Start(t)
	model := ollamatest.ChatModelGGUF(t, 42)
	name := reg.PublishModel(t, "slow", "latest", model, ollamatest.ChatTemplate)
	reg.SetThrottle(int64(len(model)) / 12) // about 12 s for the weights

	r := runFlow(t, "models-pause", t.TempDir(),
		map[string]any{"host": srv.URL, "name": name}, nil, "--host", srv.URL)
	for _, s := range r.Shots {
		checkShot(t, s)
	}
	if !listed(t, srv.Client(), name) {
		t.Errorf("%s is not installed after the resumed download finished", name)
	}
	st := reg.Stats()
	if !slices.ContainsFunc(st.Ranges, func(h string) bool { return h != "" && h != "bytes=0-" }) {
		t.Errorf("the resumed pull did not continue from the partial blob: ranges %q", st.Ranges)
	}
}

// TestModelsRunningInWindow loads a model before the window opens, finds it
// on the Running tab with memory, GPU share, expiry and the estimate, and
// unloads it from there.
func TestModelsRunningInWindow(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny-run", 43)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stream := false
	err := srv.Client().Generate(ctx, &api.GenerateRequest{Model: "tiny-run", Prompt: "hi", Stream: &stream,
		KeepAlive: &api.Duration{Duration: 10 * time.Minute}, Options: map[string]any{"num_predict": 1}},
		func(api.GenerateResponse) error { return nil })
	if err != nil {
		t.Fatal(err)
	}

	r := runFlow(t, "models-running", t.TempDir(),
		map[string]any{"host": srv.URL, "name": "tiny-run:latest"}, nil, "--host", srv.URL)
	for _, s := range r.Shots {
		checkShot(t, s)
	}
	ps, err := srv.Client().ListRunning(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.Models) != 0 {
		t.Errorf("still loaded after Unload now: %+v", ps.Models)
	}
}

// TestModelsImportInWindow imports a generated GGUF file from the Import tab
// (path typed, as the native dialog cannot be driven), after the same form
// refused a file that is not GGUF with a message naming it.
func TestModelsImportInWindow(t *testing.T) {
	srv := ollamatest.Start(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "Tiny-Chat-F32.gguf")
	bad := filepath.Join(dir, "notes.gguf")
	if err := os.WriteFile(good, ollamatest.ChatModelGGUF(t, 44), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("this is not a model\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	r := runFlow(t, "models-import", t.TempDir(),
		map[string]any{"host": srv.URL, "good": good, "bad": bad, "name": "imported-tiny:f32"}, nil, "--host", srv.URL)
	for _, s := range r.Shots {
		checkShot(t, s)
	}
	if !listed(t, srv.Client(), "imported-tiny:f32") {
		t.Errorf("imported-tiny:f32 is not installed after the import finished in the window")
	}
}
