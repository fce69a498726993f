package rag

import (
	"strings"
	"testing"
)

func hit(file string, page int, section, text string) Hit {
	return Hit{File: "/docs/" + file, Page: page, Section: section, Text: text}
}

func TestBuildPrompt(t *testing.T) {
	hits := []Hit{
		hit("a.pdf", 3, "", "alpha text"),
		hit("b.md", 0, "Intro > Setup", strings.Repeat("beta ", 400)), // ~500 tokens
		hit("c.txt", 0, "", "gamma text"),
	}
	p, err := BuildPrompt("What is alpha?", hits, PromptOptions{NumCtx: 1024, Reserve: 512})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Cut || len(p.Dropped) != 1 || !strings.HasSuffix(p.Dropped[0].File, "b.md") {
		t.Fatalf("cut %v dropped %+v", p.Cut, p.Dropped)
	}
	if len(p.Sources) != 2 || p.Sources[1].N != 2 || !strings.HasSuffix(p.Sources[1].Hit.File, "c.txt") {
		t.Fatalf("sources %+v", p.Sources)
	}
	for _, want := range []string{"[1] a.pdf, p. 3\nalpha text", "[2] c.txt\ngamma text", "Question: What is alpha?"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("prompt lacks %q:\n%s", want, p.Text)
		}
	}
	if p.Tokens <= 0 || p.Tokens > 512 {
		t.Errorf("tokens %d", p.Tokens)
	}

	p, err = BuildPrompt("q", hits, PromptOptions{NumCtx: 8192})
	if err != nil || p.Cut || len(p.Sources) != 3 || !strings.Contains(p.Text, "[2] b.md, Intro > Setup") {
		t.Fatalf("big context: cut %v, %d sources, %v", p.Cut, len(p.Sources), err)
	}

	p, err = BuildPrompt("q?", hits[:1], PromptOptions{Template: "{{range .Sources}}<{{.N}}|{{.Label}}>{{end}} {{.Question}}"})
	if err != nil || p.Text != "<1|a.pdf, p. 3> q?" {
		t.Fatalf("custom template: %q %v", p.Text, err)
	}
	if _, err := BuildPrompt("q", hits, PromptOptions{Template: "{{.Nope}}"}); err == nil || !strings.Contains(err.Error(), "prompt template") {
		t.Fatalf("bad template: %v", err)
	}
}

func TestLabel(t *testing.T) {
	h := hit("x.pdf", 2, "Ch 1", "")
	h.EndPage = 4
	if got := Label(h); got != "x.pdf, pp. 2-4, Ch 1" {
		t.Fatal(got)
	}
}
