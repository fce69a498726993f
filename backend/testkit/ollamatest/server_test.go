package ollamatest_test

import (
	"context"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/testkit/gguf"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

// ctx returns a context for one test step, bounded so a hung server fails
// the test instead of the whole run.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// listed returns the List entry called name, or nil.
func listed(t *testing.T, c *api.Client, name string) *api.ListModelResponse {
	t.Helper()
	resp, err := c.List(ctx(t))
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	for i := range resp.Models {
		if resp.Models[i].Name == name {
			return &resp.Models[i]
		}
	}
	return nil
}

// generate runs a greedy, seeded generation and returns its text.
func generate(t *testing.T, c *api.Client, model, prompt string) string {
	t.Helper()
	var out string
	stream := false
	err := c.Generate(ctx(t), &api.GenerateRequest{
		Model:   model,
		Prompt:  prompt,
		Stream:  &stream,
		Options: map[string]any{"temperature": 0, "seed": 7, "num_predict": 16},
	}, func(r api.GenerateResponse) error {
		out += r.Response
		return nil
	})
	if err != nil {
		t.Fatalf("generate with %s: %v", model, err)
	}
	return out
}

func show(t *testing.T, c *api.Client, model string) *api.ShowResponse {
	t.Helper()
	resp, err := c.Show(ctx(t), &api.ShowRequest{Model: model})
	if err != nil {
		t.Fatalf("show %s: %v", model, err)
	}
	return resp
}

func capabilities(t *testing.T, c *api.Client, model string) []string {
	t.Helper()
	show := show(t, c, model)
	var caps []string
	for _, c := range show.Capabilities {
		caps = append(caps, string(c))
	}
	return caps
}

func TestChatModel(t *testing.T) {
	s := ollamatest.Start(t)
	c := s.Client()
	s.CreateChatModel(t, "tiny-chat", 1)

	m := listed(t, c, "tiny-chat:latest")
	if m == nil {
		t.Fatal("tiny-chat:latest not in List")
	}
	if m.Details.Family != "llama" || m.Details.Format != "gguf" {
		t.Errorf("details = %+v, want family llama, format gguf", m.Details)
	}
	caps := capabilities(t, c, "tiny-chat")
	for _, want := range []string{"completion", "tools"} {
		if !slices.Contains(caps, want) {
			t.Errorf("capabilities %v lack %q", caps, want)
		}
	}

	if sh := show(t, c, "tiny-chat"); sh.Template != ollamatest.ChatTemplate || !strings.Contains(sh.Parameters, gguf.LlamaEOS) {
		t.Errorf("show: template %q, parameters %q", sh.Template, sh.Parameters)
	}

	first := generate(t, c, "tiny-chat", "hello there")
	second := generate(t, c, "tiny-chat", "hello there")
	t.Logf("greedy output: %q", first)
	if first == "" {
		t.Error("empty generation")
	}
	if first != second {
		t.Errorf("greedy generation differs across runs: %q vs %q", first, second)
	}

	var reply string
	stream := false
	err := c.Chat(ctx(t), &api.ChatRequest{
		Model:    "tiny-chat",
		Messages: []api.Message{{Role: "user", Content: "hi"}},
		Stream:   &stream,
	}, func(r api.ChatResponse) error {
		reply += r.Message.Content
		return nil
	})
	if err != nil || reply == "" {
		t.Errorf("chat with model defaults: reply %q, err %v", reply, err)
	}

	reply = ""
	var tool api.Tool
	tool.Type = "function"
	tool.Function.Name = "get_time"
	tool.Function.Description = "Returns the time"
	err = c.Chat(ctx(t), &api.ChatRequest{
		Model:    "tiny-chat",
		Messages: []api.Message{{Role: "system", Content: "be brief"}, {Role: "user", Content: "time?"}},
		Tools:    api.Tools{tool},
		Stream:   &stream,
	}, func(r api.ChatResponse) error {
		reply += r.Message.Content
		return nil
	})
	if err != nil {
		t.Errorf("chat with tools: %v", err)
	}

	if err := c.Delete(ctx(t), &api.DeleteRequest{Model: "tiny-chat"}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if listed(t, c, "tiny-chat:latest") != nil {
		t.Error("tiny-chat still listed after delete")
	}
}

func TestEmbedModel(t *testing.T) {
	s := ollamatest.Start(t)
	c := s.Client()
	s.CreateEmbedModel(t, "tiny-embed", 1)

	if m := listed(t, c, "tiny-embed:latest"); m == nil || m.Details.Family != "bert" {
		t.Errorf("List entry %+v, want family bert", m)
	}
	if caps := capabilities(t, c, "tiny-embed"); !slices.Contains(caps, "embedding") {
		t.Errorf("capabilities %v lack embedding", caps)
	}

	input := []string{"hello world", "the cat and the dog", "hello world"}
	resp, err := c.Embed(ctx(t), &api.EmbedRequest{Model: "tiny-embed", Input: input})
	if err != nil {
		t.Fatalf("embed: %v", err)
	}
	if len(resp.Embeddings) != len(input) {
		t.Fatalf("%d embeddings for %d inputs", len(resp.Embeddings), len(input))
	}
	for i, v := range resp.Embeddings {
		if len(v) != gguf.EmbeddingLength {
			t.Fatalf("embedding %d has %d dims, want %d", i, len(v), gguf.EmbeddingLength)
		}
		var norm float64
		for _, x := range v {
			norm += float64(x) * float64(x)
		}
		if math.Abs(math.Sqrt(norm)-1) > 1e-3 {
			t.Errorf("embedding %d has norm %f, want 1", i, math.Sqrt(norm))
		}
	}
	if !slices.Equal(resp.Embeddings[0], resp.Embeddings[2]) {
		t.Error("same input embedded differently")
	}
	if slices.Equal(resp.Embeddings[0], resp.Embeddings[1]) {
		t.Error("different inputs embedded identically")
	}
}

func TestSeedsGiveDistinctDigests(t *testing.T) {
	s := ollamatest.Start(t)
	c := s.Client()
	s.CreateChatModel(t, "seed-one", 1)
	s.CreateChatModel(t, "seed-two", 2)
	s.CreateChatModel(t, "seed-one-again", 1)

	one, two, again := listed(t, c, "seed-one:latest"), listed(t, c, "seed-two:latest"), listed(t, c, "seed-one-again:latest")
	if one == nil || two == nil || again == nil {
		t.Fatalf("missing from List: %v %v %v", one, two, again)
	}
	if one.Digest == two.Digest {
		t.Errorf("seeds 1 and 2 share manifest digest %s", one.Digest)
	}
	if one.Digest != again.Digest {
		t.Errorf("same seed, same recipe, different digests: %s vs %s", one.Digest, again.Digest)
	}
	if d1, d2 := ollamatest.Digest(ollamatest.ChatModelGGUF(t, 1)), ollamatest.Digest(ollamatest.ChatModelGGUF(t, 2)); d1 == d2 {
		t.Errorf("seeds 1 and 2 give the same GGUF blob %s", d1)
	}
}

func TestWithEnv(t *testing.T) {
	s := ollamatest.Start(t,
		ollamatest.WithEnv("OLLAMA_KEEP_ALIVE", "7m"),
		ollamatest.WithEnv("OLLAMA_HOST", "127.0.0.1:1"), // ignored: isolation wins
	)
	if err := s.Client().Heartbeat(ctx(t)); err != nil {
		t.Fatalf("heartbeat on %s: %v", s.URL, err)
	}
	log, err := os.ReadFile(s.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "OLLAMA_KEEP_ALIVE:7m0s") {
		t.Errorf("server log does not show the keep-alive setting:\n%s", log)
	}
}
