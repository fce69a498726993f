package registry

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wadi-app/wadi/backend/testkit/gguf"
)

// Registry is a running local registry. Its zero value is not usable; call Start.
type Registry struct {
	// URL is the registry's base URL, http://127.0.0.1:PORT.
	URL string
	// Host is 127.0.0.1:PORT, the first element of every pull name.
	Host string
	// BlobURL is where blob GETs are redirected: http://localhost:PORT, the
	// same server under a different hostname.
	BlobURL string

	srv    *httptest.Server
	closed chan struct{} // closed at cleanup: releases stalled responses

	mu         sync.Mutex
	manifests  map[string][]byte // "ns/repo:tag" -> manifest JSON
	blobs      map[string][]byte // digest -> content
	stats      Stats
	changed    chan struct{} // closed and replaced on every fault or stats change
	rate       int64         // bytes per second; 0 = unlimited
	nextSlot   time.Time     // throttle: when the link is free again
	stallAfter int64         // blob offset where data responses stall; <0 = never
	failNext   int           // data responses still to cut off
}

// Start runs a registry on a free 127.0.0.1 port until the test ends.
func Start(t testing.TB) *Registry {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("registry: listen: %v", err)
	}
	r := &Registry{
		closed:     make(chan struct{}),
		manifests:  map[string][]byte{},
		blobs:      map[string][]byte{},
		changed:    make(chan struct{}),
		stallAfter: -1,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/v2/", r.serveV2)
	mux.HandleFunc("GET /blobs/{digest}", r.serveBlobData)
	r.srv = httptest.NewUnstartedServer(mux)
	r.srv.Listener.Close()
	r.srv.Listener = l
	r.srv.Start()

	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	r.Host = net.JoinHostPort("127.0.0.1", port)
	r.URL = "http://" + r.Host
	r.BlobURL = "http://" + net.JoinHostPort("localhost", port)
	t.Cleanup(func() {
		close(r.closed)
		r.srv.CloseClientConnections()
		r.srv.Close()
	})
	return r
}

// Publish stores the layers and a manifest for repo:tag, with a config blob
// built as `ollama create` would (see configLayer), and returns the name to
// pull: 127.0.0.1:PORT/library/<repo>:<tag>, or 127.0.0.1:PORT/<repo>:<tag>
// when repo already has a namespace ("ns/name"). Publishing again replaces
// the manifest.
func (r *Registry) Publish(t testing.TB, repo, tag string, layers ...Layer) string {
	t.Helper()
	if !strings.Contains(repo, "/") {
		repo = "library/" + repo
	}
	config, err := configLayer(layers)
	if err != nil {
		t.Fatal(err)
	}
	m := manifest{SchemaVersion: 2, MediaType: MediaTypeManifest, Config: describe(config)}
	for _, l := range layers {
		m.Layers = append(m.Layers, describe(l))
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("registry: manifest: %v", err)
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range append(layers, config) {
		r.blobs[l.Digest()] = l.Data
	}
	r.manifests[repo+":"+tag] = b
	return r.Host + "/" + repo + ":" + tag
}

// PublishModel publishes a GGUF model and returns its pull name. With a
// non-empty template it also adds the template and a params layer that stops
// at gguf.LlamaEOS, the tiny chat model's end token, and caps answers at 48
// tokens.
func (r *Registry) PublishModel(t testing.TB, repo, tag string, model []byte, template string) string {
	t.Helper()
	layers := []Layer{ModelLayer(model)}
	if template != "" {
		// The tiny models never emit <|eos|>: bound the answer like a model
		// created by ollamatest, so a pulled model's chat ends by itself.
		params, err := ParamsLayer(map[string]any{"stop": []string{gguf.LlamaEOS}, "num_predict": 48})
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, TemplateLayer(template), params)
	}
	return r.Publish(t, repo, tag, layers...)
}

// serveV2 answers /v2/, manifests, blob HEADs and blob redirects.
func (r *Registry) serveV2(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		registryError(w, http.StatusMethodNotAllowed, "UNSUPPORTED", "read-only registry")
		return
	}
	p := strings.TrimPrefix(req.URL.Path, "/v2/")
	if p == "" {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, "{}")
		return
	}
	if i := strings.LastIndex(p, "/manifests/"); i > 0 {
		r.serveManifest(w, p[:i]+":"+p[i+len("/manifests/"):])
		return
	}
	if i := strings.LastIndex(p, "/blobs/"); i > 0 {
		r.serveBlob(w, req, p[i+len("/blobs/"):])
		return
	}
	registryError(w, http.StatusNotFound, "NAME_UNKNOWN", "no such route")
}

func (r *Registry) serveManifest(w http.ResponseWriter, ref string) {
	r.mu.Lock()
	b, ok := r.manifests[ref]
	r.stats.Manifests++
	r.notifyLocked()
	r.mu.Unlock()
	if !ok {
		registryError(w, http.StatusNotFound, "MANIFEST_UNKNOWN", "manifest unknown: "+ref)
		return
	}
	w.Header().Set("Content-Type", MediaTypeManifest)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// serveBlob answers HEAD with the blob's size and GET with a redirect to
// BlobURL, as the real registry redirects to its CDN.
func (r *Registry) serveBlob(w http.ResponseWriter, req *http.Request, digest string) {
	r.mu.Lock()
	data, ok := r.blobs[digest]
	if req.Method == http.MethodHead {
		r.stats.BlobHeads++
	} else {
		r.stats.Redirects++
	}
	r.notifyLocked()
	r.mu.Unlock()
	if !ok {
		registryError(w, http.StatusNotFound, "BLOB_UNKNOWN", "blob unknown: "+digest)
		return
	}
	if req.Method == http.MethodHead {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.Header().Set("Docker-Content-Digest", digest)
		w.Header().Set("Content-Type", "application/octet-stream")
		return
	}
	http.Redirect(w, req, r.BlobURL+"/blobs/"+digest, http.StatusTemporaryRedirect)
}

// registryError writes an error in the OCI distribution format.
func registryError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]string{{"code": code, "message": msg}},
	})
}
