package ollama

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"

	"github.com/ollama/ollama/api"
)

// Kind classifies why a call to an Ollama host failed.
type Kind string

// The kinds of failure, also used as the State of a host in a Status.
const (
	KindOK          Kind = "ok"
	KindUnreachable Kind = "unreachable"  // nothing listens, or the name does not resolve
	KindTimeout     Kind = "timeout"      // connected (or tried) but no answer in time
	KindBadResponse Kind = "bad_response" // answered, but not like Ollama does
	KindBadURL      Kind = "bad_url"      // the configured URL itself is wrong
	KindHTTP        Kind = "http_error"   // Ollama (or something) answered an HTTP error
	KindCanceled    Kind = "canceled"     // the caller gave up
)

// Error is a failed call to an Ollama host, with its Kind.
type Error struct {
	Kind Kind
	Host string // the host URL
	Op   string // what was attempted, e.g. "version"
	// StatusCode is the HTTP status for KindHTTP, otherwise 0.
	StatusCode int
	Err        error
}

func (e *Error) Error() string {
	return fmt.Sprintf("ollama %s at %s: %s: %v", e.Op, e.Host, e.Kind, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err: KindOK for nil, the Kind of an *Error in
// its chain, or a classification of a raw error.
func KindOf(err error) Kind {
	if err == nil {
		return KindOK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return classify(err)
}

// wrap turns a raw error from the api client into an *Error.
func wrap(host, op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	out := &Error{Kind: classify(err), Host: host, Op: op, Err: err}
	var se api.StatusError
	if errors.As(err, &se) {
		out.StatusCode = se.StatusCode
	}
	var ae api.AuthorizationError
	if errors.As(err, &ae) {
		out.StatusCode = ae.StatusCode
	}
	return out
}

func classify(err error) Kind {
	var (
		se     api.StatusError
		ae     api.AuthorizationError
		dnsErr *net.DNSError
		netErr net.Error
		synErr *json.SyntaxError
		typErr *json.UnmarshalTypeError
		urlErr *url.Error
	)
	switch {
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	case errors.As(err, &se), errors.As(err, &ae):
		return KindHTTP
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH), errors.As(err, &dnsErr):
		return KindUnreachable
	case errors.As(err, &netErr) && netErr.Timeout():
		return KindTimeout
	case errors.As(err, &synErr), errors.As(err, &typErr), errors.Is(err, errNotOllama),
		errors.Is(err, errBodyTooLarge):
		return KindBadResponse
	case errors.As(err, &urlErr):
		// A transport error that is none of the above: connection reset,
		// a TLS handshake with a plain HTTP server, a malformed response.
		return KindBadResponse
	}
	return KindBadResponse
}

var errNotOllama = errors.New("the answer is not from an Ollama server")

// Hint is one sentence telling a person what to do about a host in state k.
func Hint(k Kind, host string) string {
	switch k {
	case KindOK:
		return ""
	case KindUnreachable:
		return fmt.Sprintf("Ollama is not running at %s. Start it (run `ollama serve` or open the Ollama app), or fix the URL in Settings.", host)
	case KindTimeout:
		return fmt.Sprintf("%s did not answer in time. Check that the machine is on and reachable, and that Ollama is not stuck.", host)
	case KindBadResponse:
		return fmt.Sprintf("Something answered at %s, but it is not Ollama. Check the port in Settings (Ollama uses 11434).", host)
	case KindBadURL:
		return fmt.Sprintf("%q is not a valid Ollama URL. Use a form like http://127.0.0.1:11434 in Settings.", host)
	case KindHTTP:
		return fmt.Sprintf("%s answered with an HTTP error. Check the URL in Settings, or Ollama's log on that machine.", host)
	case KindCanceled:
		return "The check was cancelled."
	}
	return ""
}
