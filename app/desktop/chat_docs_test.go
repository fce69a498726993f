package desktop

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/testkit/ollamatest"
)

func TestChatDocsBindingsAgainstRealOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	srv.CreateChatModel(t, "tiny", 3)
	a, rec := chatApp(t, srv.URL)
	ctx := context.Background()
	dir := t.TempDir()
	guide := filepath.Join(dir, "guide.md")
	if err := os.WriteFile(guide, []byte("# Guide\n\nThe walrus protocol keeps notes private.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	docs := a.ragService()
	if _, err := docs.Create(ctx, "kb", "", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := docs.Add(ctx, "kb", []string{dir}, rag.AddOptions{}); err != nil {
		t.Fatal(err)
	}

	v, err := a.NewChat("", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetChatAttachments(v.Chat.ID, []chat.Attachment{{Collection: "missing"}}); err == nil ||
		!strings.Contains(err.Error(), `"missing"`) {
		t.Fatalf("unknown collection: %v", err)
	}
	v, err = a.SetChatAttachments(v.Chat.ID, []chat.Attachment{{Collection: "kb", File: guide}})
	if err != nil || len(v.Attachments) != 1 {
		t.Fatalf("SetChatAttachments = %+v, %v", v.Attachments, err)
	}
	b, _ := json.Marshal(v)
	if !strings.Contains(string(b), `"attachments":[{"collection":"kb","file":"`+guide+`"}]`) {
		t.Fatalf("view JSON: %s", b)
	}
	st, err := a.Send(v.Chat.ID, "What does the walrus protocol do?", nil)
	if err != nil {
		t.Fatal(err)
	}
	evs := streamEvents(t, rec, st.StreamID)
	first := evs[0]
	if first.Retrieval == nil || first.Content != "" || len(first.Retrieval.Sources) != 1 || evs[len(evs)-1].Status != "complete" {
		t.Fatalf("first event %+v, last %+v", first, evs[len(evs)-1])
	}
	eb, _ := json.Marshal(first)
	for _, f := range []string{`"retrieval":{"query":"What does the walrus protocol do?","mode":"keyword"`, `"notices":["keyword-only`,
		`"sources":[{"chunkId":`, `"keywordScore":`, `"n":1,"sent":true`} {
		if !strings.Contains(string(eb), f) {
			t.Fatalf("event JSON lacks %s: %s", f, eb)
		}
	}
	v, _ = a.GetChat(v.Chat.ID)
	src := v.Messages[1].Retrieval.Sources[0]

	cc, err := a.SourceContext(src.ChunkID)
	if err != nil || cc.File != guide || cc.Collection != "kb" || !cc.FileExists || !strings.Contains(cc.Text, "walrus protocol") {
		t.Fatalf("SourceContext = %+v, %v", cc, err)
	}
	cb, _ := json.Marshal(cc)
	for _, f := range []string{`"chunkId":`, `"before":""`, `"after":""`, `"fileExists":true`, `"endPage":0`} {
		if !strings.Contains(string(cb), f) {
			t.Fatalf("context JSON lacks %s: %s", f, cb)
		}
	}
	if _, err := a.SourceContext(987654); err == nil {
		t.Fatal("SourceContext of an unknown chunk succeeded")
	}

	var opened []string
	old := openInSystem
	openInSystem = func(p string) error { opened = append(opened, p); return nil }
	t.Cleanup(func() { openInSystem = old })
	if err := a.OpenDocument(guide); err != nil || len(opened) != 1 || opened[0] != guide {
		t.Fatalf("OpenDocument = %v, opened %v", err, opened)
	}
	other := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(other, []byte("x"), 0o644)
	for _, p := range []string{other, "/etc/passwd", "guide.md", ""} {
		if err := a.OpenDocument(p); err == nil || !strings.Contains(err.Error(), "not a file of any document collection") {
			t.Errorf("OpenDocument(%q) = %v", p, err)
		}
	}
	os.Remove(guide)
	if err := a.OpenDocument(guide); err == nil || !strings.Contains(err.Error(), "no longer there") {
		t.Fatalf("OpenDocument of a removed file = %v", err)
	}
	if len(opened) != 1 {
		t.Fatalf("opened %v", opened)
	}

	ti, err := a.DocsPromptTemplate()
	if err != nil || !ti.IsDefault || ti.Template != rag.DefaultTemplate {
		t.Fatalf("DocsPromptTemplate = %+v, %v", ti, err)
	}
	mine := "{{range .Sources}}<{{.N}}> {{.Text}}\n{{end}}Q: {{.Question}}"
	if ti, err = a.SetDocsPromptTemplate(mine); err != nil || ti.IsDefault || ti.Template != mine {
		t.Fatalf("SetDocsPromptTemplate = %+v, %v", ti, err)
	}
	// The next answer is wrapped by it (the prompt, not in the JSON, is on
	// the Go value).
	st, err = a.Regenerate(v.Messages[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := streamEvents(t, rec, st.StreamID)[0].Retrieval; r == nil ||
		r.Prompt != "<1> Guide\n\nThe walrus protocol keeps notes private.\nQ: What does the walrus protocol do?" {
		t.Fatalf("regenerated with the new template: %+v", r)
	}
	if _, err := a.SetDocsPromptTemplate("{{.Question}} only"); err == nil {
		t.Fatal("a template without sources was accepted")
	}
	if ti, err = a.SetDocsPromptTemplate(""); err != nil || !ti.IsDefault {
		t.Fatalf("reset = %+v, %v", ti, err)
	}
}
