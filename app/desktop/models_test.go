package desktop

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/models"
	"github.com/wadi-app/wadi/backend/pull"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
	"github.com/wadi-app/wadi/backend/testkit/registry"
)

func modelsApp(t *testing.T, host string) (*App, *RecordingEmitter) {
	t.Helper()
	c, err := core.Open(context.Background(), core.Options{DataDir: t.TempDir(), Host: host})
	if err != nil {
		t.Fatal(err)
	}
	a := NewApp(c, nil)
	rec := &RecordingEmitter{}
	a.emit = rec
	t.Cleanup(func() {
		a.stopModels()
		c.Close()
	})
	return a, rec
}

// awaitEvent waits until an event satisfies cond (events are recorded in
// order; progress is throttled, so polling the recorder is cheap).
func awaitEvent(t *testing.T, rec *RecordingEmitter, cond func(Event) bool) Event {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		for _, e := range rec.Events() {
			if cond(e) {
				return e
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("event never came; got %d events", len(rec.Events()))
	return Event{}
}

func TestModelsDownloadInstallRunning(t *testing.T) {
	srv := ollamatest.Start(t)
	reg := registry.Start(t)
	name := reg.PublishModel(t, "tiny", "latest", ollamatest.ChatModelGGUF(t, 51), ollamatest.ChatTemplate)
	a, rec := modelsApp(t, srv.URL)

	if _, err := a.StartDownload("http://elsewhere:11434", name); err == nil || !strings.Contains(err.Error(), "not a configured") {
		t.Errorf("unknown host: %v", err)
	}
	d, err := a.StartDownload(srv.URL, name)
	if err != nil || d.State != pull.Queued {
		t.Fatalf("StartDownload = %+v, %v", d, err)
	}
	awaitEvent(t, rec, func(e Event) bool {
		dl, ok := e.Data.(pull.Download)
		return e.Name == EventDownload && ok && dl.ID == d.ID && dl.State == pull.Done && dl.CompletedBytes == dl.TotalBytes
	})
	list, err := a.Downloads()
	if err != nil || len(list) != 1 || list[0].State != pull.Done {
		t.Errorf("Downloads = %+v, %v", list, err)
	}

	inst, err := a.InstalledModels(srv.URL)
	if err != nil || len(inst) != 1 || inst[0].Name != name || inst[0].ContextLength != 2048 {
		t.Fatalf("InstalledModels = %+v, %v", inst, err)
	}
	det, err := a.ModelDetails(srv.URL, name)
	if err != nil || det.Template != ollamatest.ChatTemplate {
		t.Errorf("ModelDetails = %+v, %v", det, err)
	}
	f, err := a.FitFor(name, 1024)
	if err != nil || f.NumCtx != 1024 || f.WeightsBytes != inst[0].SizeBytes {
		t.Errorf("FitFor installed = %+v, %v", f, err)
	}
	if _, err := a.FitFor("no-such:model", 0); err == nil || !strings.Contains(err.Error(), "no-such:model") {
		t.Errorf("FitFor unknown: %v", err)
	}
	run, err := a.Running(srv.URL)
	if err != nil || len(run) != 0 {
		t.Errorf("Running before use = %+v, %v", run, err)
	}
	if err := a.DeleteModel(srv.URL, name); err != nil {
		t.Fatal(err)
	}
	if inst, _ := a.InstalledModels(srv.URL); len(inst) != 0 {
		t.Errorf("after delete: %+v", inst)
	}
}

func TestModelsCatalogMachineSettings(t *testing.T) {
	a, _ := modelsApp(t, "http://127.0.0.1:1")
	m, err := a.Machine()
	if err != nil || m.RAMBytes <= 0 || m.CPUCores <= 0 || m.GPUs == nil {
		t.Errorf("Machine = %+v, %v", m, err)
	}
	all, err := a.Catalog(catalog.Filter{})
	if err != nil || len(all) < 30 {
		t.Fatalf("Catalog = %d entries, %v", len(all), err)
	}
	emb, _ := a.Catalog(catalog.Filter{Capability: "embedding"})
	for _, e := range emb {
		if !e.IsEmbedding() || e.Variants[0].Fit.Summary == "" {
			t.Errorf("embedding filter kept %s", e.ID)
		}
	}
	f, err := a.FitFor("qwen3:8b", 8192)
	if err != nil || f.NumCtx != 8192 || f.WeightsBytes != 5_200_000_000 {
		t.Errorf("FitFor catalog = %+v, %v", f, err)
	}
	if err := a.SetParallelDownloads(0); err == nil {
		t.Error("0 parallel downloads accepted")
	}
	if err := a.SetParallelDownloads(3); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.core.Store.GetSetting(context.Background(), settingParallel, &n); err != nil || n != 3 {
		t.Errorf("stored parallel = %d, %v", n, err)
	}
	if _, err := a.PauseDownload(42); err == nil || !strings.Contains(err.Error(), "42") {
		t.Errorf("pause unknown: %v", err)
	}
}

func TestModelsImport(t *testing.T) {
	srv := ollamatest.Start(t)
	a, rec := modelsApp(t, srv.URL)
	dir := t.TempDir()
	bad := filepath.Join(dir, "a.bin")
	good := filepath.Join(dir, "tiny.gguf")
	if err := os.WriteFile(bad, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, ollamatest.ChatModelGGUF(t, 52), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportGGUF(models.ImportRequest{Host: srv.URL, Path: bad, Name: "x"}); err == nil ||
		err.Error() != "file "+bad+" is not a GGUF model (bad magic)" {
		t.Errorf("non-GGUF: %v", err)
	}
	if _, err := a.ImportGGUF(models.ImportRequest{Host: srv.URL, Path: good, Name: "no good"}); err == nil ||
		!strings.Contains(err.Error(), "model name") {
		t.Errorf("bad name: %v", err)
	}
	job, err := a.ImportGGUF(models.ImportRequest{Host: srv.URL, Path: good, Name: "mine:v1", Template: ollamatest.ChatTemplate})
	if err != nil || job.ID == "" || job.Name != "mine:v1" {
		t.Fatalf("ImportGGUF = %+v, %v", job, err)
	}
	awaitEvent(t, rec, func(e Event) bool {
		j, ok := e.Data.(models.ImportJob)
		return e.Name == EventImport && ok && j.ID == job.ID && j.State == models.ImportDone
	})
	if inst, _ := a.InstalledModels(srv.URL); len(inst) != 1 || inst[0].Name != "mine:v1" {
		t.Errorf("installed after import: %+v", inst)
	}

	orig := pickGGUF
	t.Cleanup(func() { pickGGUF = orig })
	pickGGUF = func(context.Context) (string, error) { return good, nil }
	if p, err := a.PickGGUF(); err != nil || p != good {
		t.Errorf("PickGGUF = %q, %v", p, err)
	}
}

func TestModelsWithoutData(t *testing.T) {
	a := NewApp(nil, os.ErrNotExist)
	if _, err := a.Machine(); err == nil {
		t.Error("Machine without data")
	}
	if _, err := a.Downloads(); err == nil {
		t.Error("Downloads without data")
	}
	a.stopModels() // no queue: nothing to do
}
