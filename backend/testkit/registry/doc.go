// Package registry is a small OCI-style model registry on 127.0.0.1 that a
// real Ollama server can pull from offline, with fault hooks (throttle,
// stall, cut-off responses) and counters for download tests.
//
// It speaks the subset of the protocol Ollama 0.17.4 uses (server/images.go,
// server/download.go):
//
//   - GET /v2/<ns>/<repo>/manifests/<tag>: the manifest JSON.
//   - HEAD /v2/<ns>/<repo>/blobs/<digest>: the blob size (Content-Length).
//   - GET /v2/<ns>/<repo>/blobs/<digest>: 307 Temporary Redirect to the blob
//     on a different hostname (localhost instead of 127.0.0.1, same port).
//     Ollama follows same-host redirects itself and stops at the first
//     cross-host one, whose Location becomes its "direct URL", as with the
//     real registry and its CDN; a 200 without Location fails the pull.
//   - GET /blobs/<digest> (on that other hostname), with or without a Range
//     header: the blob bytes. Fault hooks apply here.
//
// Pull with api.PullRequest{Model: name, Insecure: true}, where name is what
// Publish returns (127.0.0.1:PORT/library/<repo>:<tag>).
package registry
