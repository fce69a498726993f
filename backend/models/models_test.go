package models_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/models"
	"github.com/wadi-app/wadi/backend/pull"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

func timeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

var laptop = catalog.Machine{RAMBytes: 8 << 30}

func TestInstalledShowRunningUnloadDelete(t *testing.T) {
	s := ollamatest.Start(t)
	s.CreateChatModel(t, "chat:latest", 41)
	s.CreateEmbedModel(t, "embed:latest", 42)
	ctx := timeout(t)

	list, err := models.List(ctx, s.URL)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "chat:latest" || list[1].Name != "embed:latest" {
		t.Fatalf("List = %+v", list)
	}
	chat, embed := list[0], list[1]
	if !slices.Contains(chat.Capabilities, "tools") || !slices.Contains(chat.Capabilities, "completion") ||
		chat.ContextLength != 2048 || chat.Family != "llama" || chat.SizeBytes <= 0 || chat.Host != s.URL {
		t.Errorf("chat model %+v", chat)
	}
	if !slices.Contains(embed.Capabilities, "embedding") {
		t.Errorf("embed model %+v", embed)
	}

	d, err := models.Show(ctx, s.URL, "chat:latest")
	if err != nil || !strings.Contains(d.Template, "<|assistant|>") || !strings.Contains(d.Parameters, "stop") ||
		d.ModelInfo["general.architecture"] != "llama" {
		t.Errorf("Show = %+v, %v", d, err)
	}
	if _, err := models.Show(ctx, s.URL, "nope:latest"); err == nil || !strings.Contains(err.Error(), "nope:latest") {
		t.Errorf("Show of a missing model: %v", err)
	}

	// The tiny llama: 2 layers, 2 KV heads, head size 64/4 = 16. At 2048
	// tokens the cache is 2 × 2 × 2 × 16 × 2048 × 2 bytes = 524,288.
	f, err := models.Estimate(ctx, s.URL, "chat:latest", 2048, laptop, nil)
	if err != nil || f.KVBytes != 524_288 || f.WeightsBytes != chat.SizeBytes || f.Verdict != catalog.FitCPU {
		t.Errorf("Estimate = %+v, %v", f, err)
	}

	stream := false
	if err := s.Client().Generate(ctx, &api.GenerateRequest{Model: "chat:latest", Prompt: "hi", Stream: &stream,
		Options: map[string]any{"num_predict": 2}}, func(api.GenerateResponse) error { return nil }); err != nil {
		t.Fatal(err)
	}
	run, err := models.ListRunning(ctx, s.URL, laptop, nil)
	if err != nil || len(run) != 1 || run[0].Name != "chat:latest" || run[0].SizeBytes <= 0 || run[0].Estimate == nil ||
		run[0].GPUShare != 0 || run[0].ExpiresAt == "" {
		t.Fatalf("ListRunning = %+v, %v", run, err)
	}
	if err := models.Unload(ctx, s.URL, "chat:latest"); err != nil {
		t.Fatal(err)
	}
	if run, _ := models.ListRunning(ctx, s.URL, laptop, nil); len(run) != 0 {
		t.Errorf("still loaded after Unload: %+v", run)
	}
	// Unloading a model that is not loaded is a no-op.
	if err := models.Unload(ctx, s.URL, "embed:latest"); err != nil {
		t.Fatal(err)
	}
	if run, _ := models.ListRunning(ctx, s.URL, laptop, nil); len(run) != 0 {
		t.Errorf("Unload of an idle model loaded it: %+v", run)
	}

	if err := models.Delete(ctx, s.URL, "embed:latest"); err != nil {
		t.Fatal(err)
	}
	if list, _ := models.List(ctx, s.URL); len(list) != 1 {
		t.Errorf("after delete: %+v", list)
	}
	if err := models.Delete(ctx, s.URL, "embed:latest"); err == nil || !strings.Contains(err.Error(), "embed:latest") {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestImportGGUF(t *testing.T) {
	s := ollamatest.Start(t)
	ctx := timeout(t)
	path := filepath.Join(t.TempDir(), "tiny.gguf")
	model := ollamatest.ChatModelGGUF(t, 43)
	if err := os.WriteFile(path, model, 0o644); err != nil {
		t.Fatal(err)
	}
	var updates []models.ImportJob
	job, err := models.Import(ctx, models.ImportRequest{
		Host: s.URL, Path: path, Name: "imported:v1", Template: ollamatest.ChatTemplate,
		System: "You are terse.", Parameters: map[string]any{"temperature": 0.1, "stop": []string{"<|eos|>"}},
	}, func(j models.ImportJob) { updates = append(updates, j) })
	if err != nil || job.State != models.ImportDone || job.TotalBytes != 2*int64(len(model)) || job.CompletedBytes != job.TotalBytes {
		t.Fatalf("Import = %+v, %v", job, err)
	}
	states := []string{}
	for _, u := range updates {
		if len(states) == 0 || states[len(states)-1] != u.State {
			states = append(states, u.State)
		}
	}
	if !slices.Equal(states, []string{"uploading", "creating", "done"}) {
		t.Errorf("states %v", states)
	}
	d, err := models.Show(ctx, s.URL, "imported:v1")
	if err != nil || d.System != "You are terse." || !strings.Contains(d.Parameters, "temperature") || !strings.Contains(d.Template, "<|assistant|>") {
		t.Errorf("imported model %+v, %v", d, err)
	}
}

func TestImportRejectsNonGGUF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.bin")
	if err := os.WriteFile(path, []byte("PK\x03\x04 not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	var last models.ImportJob
	_, err := models.Import(context.Background(), models.ImportRequest{Host: "http://127.0.0.1:1", Path: path, Name: "x"},
		func(j models.ImportJob) { last = j })
	want := "file " + path + " is not a GGUF model (bad magic)"
	if err == nil || err.Error() != want || last.State != models.ImportFailed || last.Error != want {
		t.Errorf("err %v, job %+v; want %q", err, last, want)
	}
	for _, p := range []string{filepath.Join(t.TempDir(), "missing.gguf"), t.TempDir()} {
		if _, err := models.CheckGGUF(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("CheckGGUF(%s) = %v", p, err)
		}
	}
	if err := models.ValidImportName("bad name", pull.ValidName); err == nil || !strings.Contains(err.Error(), "bad name") {
		t.Errorf("ValidImportName: %v", err)
	}
}

func TestArchOf(t *testing.T) {
	// Gemma-3-style per-layer arrays and explicit key/value lengths.
	a := models.ArchOf(map[string]any{
		"general.architecture": "gemma3", "gemma3.block_count": float64(34),
		"gemma3.attention.head_count": float64(8), "gemma3.attention.head_count_kv": []any{float64(4), float64(4)},
		"gemma3.attention.key_length": float64(256), "gemma3.attention.value_length": float64(256),
	})
	if a == nil || a.Layers != 34 || a.KVHeads != 4 || a.HeadDim != 256 {
		t.Errorf("%+v", a)
	}
	if models.ArchOf(map[string]any{"general.architecture": "bert"}) != nil {
		t.Error("no facts must give nil")
	}
}
