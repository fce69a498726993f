package ollama

import (
	"errors"
	"sync"
	"testing"
)

func TestClientsReuseOnePerHost(t *testing.T) {
	var p Clients
	var wg sync.WaitGroup
	got := make([]*Client, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := p.Get("gpu-box")
			if err != nil {
				t.Error(err)
			}
			got[i] = c
		}()
	}
	wg.Wait()
	for _, c := range got[1:] {
		if c != got[0] {
			t.Fatal("Get returned different clients for one host")
		}
	}
	if got[0].Host() != "http://gpu-box:11434" {
		t.Fatalf("host = %q", got[0].Host())
	}
	other, _ := p.Get("http://other:11434")
	if other == got[0] {
		t.Fatal("two hosts share a client")
	}
	if _, err := p.Get("ftp://x"); !errors.Is(err, ErrBadURL) {
		t.Fatalf("bad URL: %v", err)
	}
}
