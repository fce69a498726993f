package ollama

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// DefaultPort is the port Ollama listens on unless told otherwise.
const DefaultPort = "11434"

// DefaultHost returns the host Wadi uses when none is configured: the
// OLLAMA_HOST environment variable (as Ollama itself reads it), or
// http://127.0.0.1:11434.
func DefaultHost() string {
	if v := strings.TrimSpace(os.Getenv("OLLAMA_HOST")); v != "" {
		if u, err := NormalizeURL(v); err == nil {
			return u
		}
	}
	return "http://127.0.0.1:" + DefaultPort
}

// ErrBadURL is wrapped by every error NormalizeURL returns.
var ErrBadURL = errors.New("invalid host URL")

// NormalizeURL turns what a person types ("localhost", "gpu-box:11434",
// "http://10.0.0.5:11434/") into a canonical base URL such as
// "http://gpu-box:11434". It accepts http and https, fills in the default
// port, and refuses paths, queries, credentials and other schemes.
func NormalizeURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("%w: it is empty", ErrBadURL)
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrBadURL, raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("%w %q: scheme must be http or https", ErrBadURL, raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("%w %q: credentials in the URL are not supported", ErrBadURL, raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return "", fmt.Errorf("%w %q: give only scheme, host and port (no path)", ErrBadURL, raw)
	}
	host := u.Hostname()
	if host == "" {
		return "", fmt.Errorf("%w %q: no host name", ErrBadURL, raw)
	}
	if strings.ContainsAny(host, " \t/\\") {
		return "", fmt.Errorf("%w %q: host name %q is not valid", ErrBadURL, raw, host)
	}
	port := u.Port()
	if port == "" {
		if u.Scheme == "https" && !strings.Contains(u.Host, ":") && strings.Contains(raw, "://") {
			port = "443"
		} else {
			port = DefaultPort
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("%w %q: port %q is not a number from 1 to 65535", ErrBadURL, raw, port)
	}
	if host == "0.0.0.0" {
		host = "127.0.0.1" // the listen-everywhere address is reached on loopback
	}
	if host == "::" {
		host = "::1"
	}
	return u.Scheme + "://" + net.JoinHostPort(host, port), nil
}
