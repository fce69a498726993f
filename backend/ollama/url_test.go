package ollama

import (
	"errors"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	ok := map[string]string{
		"localhost":                   "http://localhost:11434",
		" http://127.0.0.1:11434/ ":   "http://127.0.0.1:11434",
		"gpu-box:8080":                "http://gpu-box:8080",
		"https://ollama.lan":          "https://ollama.lan:443",
		"0.0.0.0":                     "http://127.0.0.1:11434",
		"[::1]:11434":                 "http://[::1]:11434",
		"http://[fe80::1]":            "http://[fe80::1]:11434",
		"HTTP://Example.COM:11434":    "http://Example.COM:11434",
		"192.168.1.20":                "http://192.168.1.20:11434",
		"http://10.0.0.5:11434///":    "http://10.0.0.5:11434",
		"http://host.docker.internal": "http://host.docker.internal:11434",
	}
	for in, want := range ok {
		got, err := NormalizeURL(in)
		if err != nil || got != want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{"", "   ", "ftp://x", "http://", "http://x:0", "http://x:99999", "http://x:abc",
		"http://u:p@x", "http://x/api", "http://x?a=1", "http://a b:1", "file:///etc/passwd"}
	for _, in := range bad {
		got, err := NormalizeURL(in)
		if err == nil {
			t.Errorf("NormalizeURL(%q) = %q, want an error", in, got)
			continue
		}
		if !errors.Is(err, ErrBadURL) {
			t.Errorf("NormalizeURL(%q) error %v does not wrap ErrBadURL", in, err)
		}
	}
}

func TestDefaultHost(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	if got := DefaultHost(); got != "http://127.0.0.1:11434" {
		t.Errorf("DefaultHost() = %q", got)
	}
	t.Setenv("OLLAMA_HOST", "0.0.0.0:4242")
	if got := DefaultHost(); got != "http://127.0.0.1:4242" {
		t.Errorf("DefaultHost() with OLLAMA_HOST = %q", got)
	}
	t.Setenv("OLLAMA_HOST", "ftp://nope")
	if got := DefaultHost(); got != "http://127.0.0.1:11434" {
		t.Errorf("DefaultHost() with a bad OLLAMA_HOST = %q", got)
	}
}
