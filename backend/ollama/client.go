// Package ollama is Wadi's one door to Ollama servers. It wraps the official
// client (github.com/ollama/ollama/api): URL handling, timeouts, typed errors
// (see Kind) and host health checks live here so no other package builds
// Ollama HTTP requests.
package ollama

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/ollama/ollama/api"
)

// DialTimeout bounds how long connecting to a host may take.
const DialTimeout = 3 * time.Second

// Client talks to one Ollama host.
type Client struct {
	host string
	api  *api.Client
}

// New returns a Client for host, which is normalized with NormalizeURL.
// Connections go straight to the host, never through an HTTP proxy from the
// environment: Wadi talks to nothing but the hosts the user set.
func New(host string) (*Client, error) {
	return newClient(host, 0)
}

// newClient builds a client; maxBody > 0 caps the bytes read per response,
// for health checks that must not be fed an endless answer.
func newClient(host string, maxBody int64) (*Client, error) {
	norm, err := NormalizeURL(host)
	if err != nil {
		return nil, &Error{Kind: KindBadURL, Host: host, Op: "connect", Err: err}
	}
	base, err := url.Parse(norm)
	if err != nil {
		return nil, &Error{Kind: KindBadURL, Host: host, Op: "connect", Err: err}
	}
	var rt http.RoundTripper = &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   DialTimeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	if maxBody > 0 {
		rt = limitTransport{next: rt, max: maxBody}
	}
	return &Client{host: norm, api: api.NewClient(base, &http.Client{Transport: rt})}, nil
}

// Host is the normalized base URL of the host.
func (c *Client) Host() string { return c.host }

// API is the underlying official client, for the calls this package does not
// wrap yet. Errors from it can be classified with KindOf.
func (c *Client) API() *api.Client { return c.api }

// Version returns the server's version string.
func (c *Client) Version(ctx context.Context) (string, error) {
	v, err := c.api.Version(ctx)
	if err != nil {
		return "", wrap(c.host, "version", err)
	}
	if v == "" {
		return "", wrap(c.host, "version", errNotOllama)
	}
	return v, nil
}

// List returns the models installed on the host.
func (c *Client) List(ctx context.Context) ([]api.ListModelResponse, error) {
	resp, err := c.api.List(ctx)
	if err != nil {
		return nil, wrap(c.host, "list models", err)
	}
	if resp == nil {
		return nil, wrap(c.host, "list models", errNotOllama)
	}
	return resp.Models, nil
}

var errBodyTooLarge = errors.New("response body too large")

// limitTransport fails a response whose body exceeds max bytes, so that a
// misbehaving server cannot make Wadi read without end.
type limitTransport struct {
	next http.RoundTripper
	max  int64
}

func (t limitTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, left: t.max}
	return resp, nil
}

type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
