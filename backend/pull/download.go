// Package pull is Wadi's model download queue: pulls through Ollama with a
// configurable number in parallel, progress throttled to a few events a
// second, pause (cancel, keeping Ollama's partial blobs) and resume (Ollama
// continues by Range), stall detection with retry and backoff, a free-disk
// check, and a queue stored in SQLite so downloads survive restarts.
package pull

import (
	"context"
	"errors"
	"net"
	"regexp"
	"strings"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/store"
)

// State is where a download is in its life.
type State string

// Download states.
const (
	Queued      State = "queued"
	Downloading State = "downloading"
	Paused      State = "paused"
	Stalled     State = "stalled"  // no progress for the stall timeout; a retry follows
	Retrying    State = "retrying" // waiting out the backoff before the next attempt
	Done        State = "done"
	Failed      State = "failed"
	Canceled    State = "canceled"
)

// Finished reports whether s is final until the user acts (done, failed,
// canceled, paused).
func (s State) Finished() bool {
	return s == Done || s == Failed || s == Canceled || s == Paused
}

// active states are those a worker owns or will own.
func (s State) active() bool {
	return s == Queued || s == Downloading || s == Stalled || s == Retrying
}

// Download is one model download as the UI and CLI see it.
type Download struct {
	ID             int64   `json:"id"`
	Host           string  `json:"host"`
	Name           string  `json:"name"`
	State          State   `json:"state"`
	CompletedBytes int64   `json:"completedBytes"`
	TotalBytes     int64   `json:"totalBytes"`
	BytesPerSec    float64 `json:"bytesPerSec"`
	EtaSeconds     int64   `json:"etaSeconds"` // 0 when unknown
	Error          string  `json:"error"`
	Attempts       int     `json:"attempts"`
	UpdatedAt      string  `json:"updatedAt"`
}

// Percent is the share downloaded, 0..100 (0 while the size is unknown).
func (d Download) Percent() float64 {
	if d.TotalBytes <= 0 {
		return 0
	}
	return 100 * float64(d.CompletedBytes) / float64(d.TotalBytes)
}

func fromRow(r store.DownloadRow) Download {
	return Download{ID: r.ID, Host: r.Host, Name: r.Name, State: State(r.State),
		CompletedBytes: r.CompletedBytes, TotalBytes: r.TotalBytes, Error: r.Error,
		Attempts: r.Attempts, UpdatedAt: r.UpdatedAt}
}

func (d Download) row() store.DownloadRow {
	return store.DownloadRow{ID: d.ID, Host: d.Host, Name: d.Name, State: string(d.State),
		CompletedBytes: d.CompletedBytes, TotalBytes: d.TotalBytes, Error: d.Error, Attempts: d.Attempts}
}

// Store is the persistence the queue needs; *store.Store implements it.
type Store interface {
	AddDownload(ctx context.Context, host, name, state string) (store.DownloadRow, error)
	UpdateDownload(ctx context.Context, d store.DownloadRow) (store.DownloadRow, error)
	Downloads(ctx context.Context) ([]store.DownloadRow, error)
}

// PullFunc pulls one model on a host, reporting progress as Ollama does.
// It must return ctx.Err() (or any error) when ctx ends mid-stream; the
// queue checks ctx itself too, since api.Client.Pull returns nil then.
type PullFunc func(ctx context.Context, host string, req *api.PullRequest, fn api.PullProgressFunc) error

// nameRE accepts what Ollama accepts as a model reference: an optional
// registry host, namespace path, model and optional tag, e.g. qwen3,
// qwen3:8b, hf.co/user/repo:Q4_K_M, 127.0.0.1:5000/library/tiny:latest.
var nameRE = regexp.MustCompile(`^(?:[A-Za-z0-9][A-Za-z0-9.-]*(?::[0-9]+)?/)?(?:[A-Za-z0-9][A-Za-z0-9._-]*/){0,2}[A-Za-z0-9][A-Za-z0-9._-]*(?::[A-Za-z0-9][A-Za-z0-9._-]*)?$`)

// ValidName reports whether name is a model reference Ollama can pull.
func ValidName(name string) bool { return nameRE.MatchString(name) }

// insecure reports whether name lives on a registry on this machine
// (127.0.0.1:PORT/..., localhost:PORT/...), which speaks plain HTTP.
func insecure(name string) bool {
	first, _, ok := strings.Cut(name, "/")
	if !ok {
		return false
	}
	host, _, err := net.SplitHostPort(first)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// errStalled ends an attempt that made no progress for the stall timeout.
var errStalled = errors.New("no progress")

// ErrNoDisk means the model does not fit on the disk where Ollama stores it.
var ErrNoDisk = errors.New("not enough free disk space")

// permanent reports whether a failed attempt should not be retried: the
// model does not exist, the name is bad, access is refused, or no disk.
func permanent(err error) bool {
	if errors.Is(err, ErrNoDisk) {
		return true
	}
	var se api.StatusError
	if errors.As(err, &se) && se.StatusCode >= 400 && se.StatusCode < 500 && se.StatusCode != 408 && se.StatusCode != 429 {
		return true
	}
	var ae api.AuthorizationError
	if errors.As(err, &ae) {
		return true
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"file does not exist", "not found", "invalid model name", "unauthorized", "model name", "manifest unknown"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
