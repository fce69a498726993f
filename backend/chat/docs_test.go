package chat

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

func TestFitWithSourcesReserve(t *testing.T) {
	q := api.Message{Role: "user", Content: strings.Repeat("abcd", 50)} // 50 tokens
	fit, reserve := fitWithSources("be brief", []api.Message{q}, 4096)
	// Everything sent but the question's text (its 4 marker tokens stay),
	// plus a quarter of the context for the answer.
	if want := messageTokens(api.Message{Role: "system", Content: "be brief"}) + 4 + 1024; reserve != want || fit.dropped != 0 {
		t.Fatalf("reserve %d, want %d (dropped %d)", reserve, want, fit.dropped)
	}
	if AnswerRoom(1024) != 512 || AnswerRoom(8192) != 2048 || AnswerRoom(512) != 256 {
		t.Fatalf("AnswerRoom: %d %d %d", AnswerRoom(1024), AnswerRoom(8192), AnswerRoom(512))
	}
	// A long history gets at most half of what the answer leaves: 10 turns
	// of ~208 tokens in 4096 keep (4096-1024)/2 = 1536 tokens' worth.
	long := strings.Repeat("abcd", 100)
	var h []api.Message
	for i := 0; i < 10; i++ {
		h = append(h, api.Message{Role: "user", Content: long}, api.Message{Role: "assistant", Content: long})
	}
	h = append(h, q)
	fit, reserve = fitWithSources("", h, 4096)
	if fit.dropped == 0 || fit.tokens > 1536 || !strings.Contains(fit.note, "room for the sources") {
		t.Fatalf("dropped %d, tokens %d, note %q", fit.dropped, fit.tokens, fit.note)
	}
	if reserve != fit.tokens-50+1024 {
		t.Fatalf("reserve %d for %d tokens sent", reserve, fit.tokens)
	}
	if plain := fitContext("", h, 4096); plain.dropped >= fit.dropped {
		t.Fatalf("without sources %d turns dropped, with %d", plain.dropped, fit.dropped)
	}
}

// docsEnv is env with a shared rag.Service and a keyword-only collection
// "notes" over two files.
type docsEnv struct {
	*env
	docs  *rag.Service
	dir   string
	files []string
}

func openDocsEnv(t *testing.T, hosts []string) *docsEnv {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wadi.db")
	st, err := store.Open(bg(), path)
	if err != nil {
		t.Fatal(err)
	}
	docs := rag.New(st, rag.Options{})
	svc := New(st, func(context.Context) ([]string, error) { return hosts, nil }, Options{Docs: docs})
	t.Cleanup(func() { svc.Close(); st.Close() })
	e := &docsEnv{env: &env{svc: svc, st: st, path: path}, docs: docs, dir: t.TempDir()}
	e.files = []string{writeFile(t, e.dir, "walrus.md", "# Walrus\n\nThe walrus protocol keeps notes private.\n"),
		writeFile(t, e.dir, "heron.md", "# Heron\n\nA heron waits by the walrus pier.\n")}
	if err := e.collection("notes", "", ""); err != nil {
		t.Fatal(err)
	}
	return e
}

// collection creates a collection over e.dir and indexes it.
func (e *docsEnv) collection(name, model, host string) error {
	if _, err := e.docs.Create(bg(), name, model, host); err != nil {
		return err
	}
	_, err := e.docs.Add(bg(), name, []string{e.dir}, rag.AddOptions{})
	return err
}

func TestSetAttachments(t *testing.T) {
	e := openDocsEnv(t, []string{"http://h:1"})
	c, err := e.st.CreateChat(bg(), store.Chat{Title: "t", Host: "http://h:1", Model: "tiny", Settings: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.GetChat(bg(), c.ID)
	if err != nil || v.Attachments == nil || len(v.Attachments) != 0 {
		t.Fatalf("new chat attachments = %#v, %v", v.Attachments, err)
	}
	for _, bad := range []struct {
		atts []Attachment
		want string
	}{
		{[]Attachment{{Collection: "nope"}}, `collection "nope" does not exist`},
		{[]Attachment{{Collection: "notes", File: "/elsewhere/x.md"}}, `file /elsewhere/x.md is not in collection "notes"`},
		{[]Attachment{{Collection: "notes", File: "walrus.md"}}, `must be an absolute path`},
		{[]Attachment{{Collection: " "}}, `attachments[0].collection`},
	} {
		if _, err := e.svc.SetAttachments(bg(), c.ID, bad.atts); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("SetAttachments(%+v) = %v, want %q", bad.atts, err, bad.want)
		}
	}
	// Repeats go; a file of a collection attached whole is redundant.
	v, err = e.svc.SetAttachments(bg(), c.ID, []Attachment{{Collection: "notes", File: e.files[0]}, {Collection: "notes"}, {Collection: "notes"}})
	if err != nil || len(v.Attachments) != 1 || v.Attachments[0] != (Attachment{Collection: "notes"}) {
		t.Fatalf("attachments = %+v, %v", v.Attachments, err)
	}
	if err := e.collection("more", "", ""); err != nil {
		t.Fatal(err)
	}
	v, err = e.svc.SetAttachments(bg(), c.ID, []Attachment{{Collection: "notes", File: e.files[1]}, {Collection: "more"}})
	if err != nil || len(v.Attachments) != 2 || v.Attachments[0].File != e.files[1] {
		t.Fatalf("attachments = %+v, %v", v.Attachments, err)
	}
	// A renamed collection stays attached under its new name; a deleted
	// one drops out of the view.
	if err := e.docs.Rename(bg(), "more", "renamed"); err != nil {
		t.Fatal(err)
	}
	if v, _ = e.svc.GetChat(bg(), c.ID); len(v.Attachments) != 2 || v.Attachments[1].Collection != "renamed" {
		t.Fatalf("after rename: %+v", v.Attachments)
	}
	if err := e.docs.Delete(bg(), "renamed"); err != nil {
		t.Fatal(err)
	}
	if v, _ = e.svc.GetChat(bg(), c.ID); len(v.Attachments) != 1 || v.Attachments[0].Collection != "notes" {
		t.Fatalf("after delete: %+v", v.Attachments)
	}
	rows, _ := e.st.ChatAttachments(bg(), c.ID)
	if len(rows) != 2 || rows[1].CollectionID != 0 || rows[1].Collection != "renamed" {
		t.Fatalf("stored rows %+v: the deleted one is kept, by its last name, until an answer says so", rows)
	}
	if v, err = e.svc.SetAttachments(bg(), c.ID, nil); err != nil || len(v.Attachments) != 0 {
		t.Fatalf("detach all: %+v, %v", v.Attachments, err)
	}
	if _, err := e.svc.SetAttachments(bg(), 9999, nil); err == nil {
		t.Fatal("unknown chat accepted")
	}
}

func TestRetrievalsStoredExportedAndDeleted(t *testing.T) {
	e := openDocsEnv(t, []string{"http://h:1"})
	id := seedChat(t, e.env)
	plain, err := e.svc.ExportChat(bg(), id, "json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain, "retrieval") {
		t.Fatal("a chat without documents exports a retrieval field")
	}
	v, _ := e.svc.GetChat(bg(), id)
	answer := v.Messages[1]
	ret, err := e.docs.Retrieve(bg(), rag.RetrieveRequest{Question: "walrus", Scopes: []rag.Scope{{Collection: "notes"}}})
	if err != nil || len(ret.Sources) == 0 {
		t.Fatalf("retrieve: %+v, %v", ret, err)
	}
	if err := e.svc.saveRetrieval(bg(), id, answer.ID, &ret); err != nil {
		t.Fatal(err)
	}
	v, _ = e.svc.GetChat(bg(), id)
	got := v.Messages[1].Retrieval
	if got == nil || got.Query != "walrus" || len(got.Sources) != len(ret.Sources) || got.Sources[0].N != 1 ||
		got.Sources[0].Text == "" || got.Prompt != "" || v.Messages[0].Retrieval != nil {
		t.Fatalf("stored retrieval %+v", got)
	}
	b, _ := json.Marshal(v.Messages[1])
	for _, f := range []string{`"retrieval":{"query":"walrus","mode":"keyword"`, `"sources":[{"chunkId":`, `"sent":true`, `"vectorScore":null`} {
		if !strings.Contains(string(b), f) {
			t.Fatalf("message JSON lacks %s: %s", f, b)
		}
	}
	doc, err := e.svc.ExportChat(bg(), id, "json")
	if err != nil || !strings.Contains(doc, `"retrieval": {`) {
		t.Fatalf("export: %v\n%s", err, doc)
	}
	sum, err := e.svc.ImportChat(bg(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := e.svc.ExportChat(bg(), sum.ID, "json"); again != doc {
		t.Fatalf("export -> import -> export changed the document:\n%s\n---\n%s", doc, again)
	}
	md, _ := e.svc.ExportChat(bg(), id, "md")
	if !strings.Contains(md, "**Sources**\n\n- [1] walrus.md") {
		t.Fatalf("markdown lacks the sources:\n%s", md)
	}
	// Deleting the answer deletes its retrieval; so does purging the chat.
	if _, err := e.svc.DeleteMessage(bg(), answer.ID); err != nil {
		t.Fatal(err)
	}
	if rs, _ := e.st.MessageRetrievals(bg(), id); len(rs) != 0 {
		t.Fatalf("retrievals left after deleting the answer: %v", rs)
	}
	cp, _ := e.svc.GetChat(bg(), sum.ID)
	if err := e.svc.DeleteChat(bg(), sum.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := e.st.PurgeDeletedChats(bg(), time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("purge: %d, %v", n, err)
	}
	if rs, _ := e.st.MessageRetrievals(bg(), cp.Chat.ID); len(rs) != 0 {
		t.Fatalf("retrievals left after purge: %v", rs)
	}
	if _, err := e.svc.ImportChat(bg(), strings.Replace(doc, `"role": "assistant"`, `"role": "user"`, -1)); err == nil ||
		!strings.Contains(err.Error(), "retrieval") {
		t.Fatalf("a user message with sources imported: %v", err)
	}
}

func TestPromptTemplateInfo(t *testing.T) {
	e := openDocsEnv(t, []string{"http://h:1"})
	ti, err := e.svc.PromptTemplate(bg())
	if err != nil || !ti.IsDefault || ti.Template != rag.DefaultTemplate || ti.Default != rag.DefaultTemplate {
		t.Fatalf("default: %+v, %v", ti, err)
	}
	mine := "Sources:\n{{range .Sources}}({{.N}}) {{.Text}}\n{{end}}Q: {{.Question}}"
	if ti, err = e.svc.SetPromptTemplate(bg(), mine); err != nil || ti.IsDefault || ti.Template != mine {
		t.Fatalf("set: %+v, %v", ti, err)
	}
	if _, err = e.svc.SetPromptTemplate(bg(), "no sources {{.Question}}"); err == nil || !strings.Contains(err.Error(), "sources") {
		t.Fatalf("invalid template: %v", err)
	}
	if ti, err = e.svc.SetPromptTemplate(bg(), ""); err != nil || !ti.IsDefault {
		t.Fatalf("reset: %+v, %v", ti, err)
	}
}

// writeFile writes dir/name and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
