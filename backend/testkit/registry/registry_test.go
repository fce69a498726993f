package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/testkit/gguf"
)

func tinyLlama(t *testing.T, seed int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gguf.WriteLlama(&buf, gguf.LlamaOptions{Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// noRedirect is a client that returns redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

func get(t *testing.T, c *http.Client, method, u string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, u, err)
	}
	return resp, b
}

func TestProtocol(t *testing.T) {
	r := Start(t)
	model := tinyLlama(t, 1)
	name := r.PublishModel(t, "tiny", "latest", model, "{{ .Prompt }}")
	if want := r.Host + "/library/tiny:latest"; name != want {
		t.Fatalf("pull name %q, want %q", name, want)
	}
	if got := r.Publish(t, "team/other", "v1", ModelLayer(model)); got != r.Host+"/team/other:v1" {
		t.Errorf("namespaced pull name %q", got)
	}

	resp, body := get(t, http.DefaultClient, "GET", r.URL+"/v2/library/tiny/manifests/latest")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != MediaTypeManifest {
		t.Fatalf("manifest: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	var m manifest
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, l := range m.Layers {
		types = append(types, l.MediaType)
	}
	if m.SchemaVersion != 2 || m.Config.MediaType != MediaTypeConfig ||
		strings.Join(types, " ") != MediaTypeModel+" "+MediaTypeTemplate+" "+MediaTypeParams {
		t.Errorf("manifest = %s", body)
	}
	if m.Layers[0].Digest != ModelLayer(model).Digest() || m.Layers[0].Size != int64(len(model)) {
		t.Errorf("model layer %+v", m.Layers[0])
	}

	blob := r.URL + "/v2/library/tiny/blobs/"
	resp, _ = get(t, http.DefaultClient, "HEAD", blob+m.Layers[0].Digest)
	if resp.StatusCode != 200 || resp.ContentLength != int64(len(model)) {
		t.Errorf("HEAD blob: %s, length %d", resp.Status, resp.ContentLength)
	}
	resp, _ = get(t, noRedirect, "GET", blob+m.Layers[0].Digest)
	loc, err := resp.Location()
	if resp.StatusCode != http.StatusTemporaryRedirect || err != nil || loc.Hostname() == "127.0.0.1" {
		t.Fatalf("GET blob: %s, Location %v (%v); want 307 to another hostname", resp.Status, loc, err)
	}
	resp, body = get(t, http.DefaultClient, "GET", loc.String(), "Range", "bytes=100-199")
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, model[100:200]) {
		t.Errorf("ranged GET: %s, %d bytes", resp.Status, len(body))
	}

	_, body = get(t, http.DefaultClient, "GET", blob+m.Config.Digest) // follows the redirect
	var config imageConfig
	if err := json.Unmarshal(body, &config); err != nil {
		t.Fatal(err)
	}
	if config.ModelFormat != "gguf" || config.ModelFamily != "llama" || config.ModelType == "" {
		t.Errorf("config = %s", body)
	}

	if resp, _ := get(t, http.DefaultClient, "GET", r.URL+"/v2/library/nope/manifests/latest"); resp.StatusCode != 404 {
		t.Errorf("unknown manifest: %s", resp.Status)
	}
	s := r.Stats()
	if s.Manifests != 2 || s.BlobHeads != 1 || s.Redirects != 2 || s.BlobGets != 2 || s.Ranges[0] != "bytes=100-199" {
		t.Errorf("stats = %+v", s)
	}
}

// blobURL publishes data and returns the direct URL of its blob.
func blobURL(t *testing.T, r *Registry, data []byte) string {
	r.Publish(t, "raw", "latest", Layer{MediaTypeModel, data})
	return r.BlobURL + "/blobs/" + Layer{MediaTypeModel, data}.Digest()
}

func TestStallAndRelease(t *testing.T) {
	r := Start(t)
	data := bytes.Repeat([]byte("0123456789"), 10_000)
	u := blobURL(t, r, data)
	r.SetStallAfter(40_000)

	req, _ := http.NewRequestWithContext(t.Context(), "GET", u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	head := make([]byte, 40_000)
	if _, err := io.ReadFull(resp.Body, head); err != nil {
		t.Fatalf("bytes before the stall: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := r.Await(ctx, func(s Stats) bool { return s.Stalls == 1 }); err != nil {
		t.Fatalf("no stall: %v (%+v)", err, r.Stats())
	}
	if got := r.Stats().BytesServed; got != 40_000 {
		t.Errorf("served %d bytes while stalled, want 40000", got)
	}
	r.SetStallAfter(-1)
	rest, err := io.ReadAll(resp.Body)
	if err != nil || !bytes.Equal(append(head, rest...), data) {
		t.Errorf("after release: %d bytes, err %v", len(rest), err)
	}
}

func TestStalledClientLeaves(t *testing.T) {
	r := Start(t)
	u := blobURL(t, r, make([]byte, 10_000))
	r.SetStallAfter(0)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		_ = r.Await(t.Context(), func(s Stats) bool { return s.Stalls == 1 })
		cancel()
	}()
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			t.Fatal("stalled body completed")
		}
	}
	wait, done := context.WithTimeout(t.Context(), 10*time.Second)
	defer done()
	if err := r.Await(wait, func(s Stats) bool { return s.ClientGone == 1 }); err != nil {
		t.Errorf("handler did not notice the client leaving: %+v", r.Stats())
	}
}

func TestFailNext(t *testing.T) {
	r := Start(t)
	data := bytes.Repeat([]byte("abcdefgh"), 5_000)
	u := blobURL(t, r, data)
	r.FailNext(1)

	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) || len(got) != len(data)/2 {
		t.Errorf("cut-off response: %d bytes, err %v; want %d bytes and unexpected EOF", len(got), err, len(data)/2)
	}
	_, body := get(t, http.DefaultClient, "GET", u, "Range", "bytes=20000-")
	if !bytes.Equal(body, data[20000:]) {
		t.Errorf("resume after cut-off: %d bytes", len(body))
	}
	if s := r.Stats(); s.CutOff != 1 || s.BlobGets != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestThrottle(t *testing.T) {
	r := Start(t)
	u := blobURL(t, r, make([]byte, 100_000))
	r.SetThrottle(500_000)
	start := time.Now()
	_, body := get(t, http.DefaultClient, "GET", u)
	if len(body) != 100_000 {
		t.Fatalf("%d bytes", len(body))
	}
	// 100 kB at 500 kB/s cannot take less than ~0.2 s.
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("throttled download took %s", d)
	}
}
