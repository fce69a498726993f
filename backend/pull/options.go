package pull

import (
	"context"
	"log/slog"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/wadi-app/wadi/backend/ollama"
)

// Defaults for Options fields left zero.
const (
	DefaultParallel         = 2
	DefaultStallTimeout     = 60 * time.Second
	DefaultMaxAttempts      = 5
	DefaultBackoffBase      = 2 * time.Second
	DefaultBackoffMax       = time.Minute
	DefaultProgressInterval = 100 * time.Millisecond // at most 10 progress updates a second
)

// Options configure a Queue. Zero fields take the defaults above.
type Options struct {
	Parallel     int
	StallTimeout time.Duration // no byte of progress for this long: the attempt is stopped and retried
	MaxAttempts  int           // attempts per start or resume before the download fails
	BackoffBase  time.Duration // wait before retry n is BackoffBase × 2^(n-1), at most BackoffMax
	BackoffMax   time.Duration
	// ProgressInterval is the least time between two progress updates of one
	// download; state changes are reported at once regardless.
	ProgressInterval time.Duration
	// FreeDisk returns the free bytes where host stores models, and that
	// place's name for messages; nil skips disk checks.
	FreeDisk func(ctx context.Context, host string) (free int64, where string, err error)
	// SizeHint returns a model's known download size (from the catalog), or
	// 0; it lets Start refuse before anything is downloaded.
	SizeHint func(name string) int64
	// OnUpdate receives every state change and throttled progress. Calls
	// for one download arrive in order; it must not block for long.
	OnUpdate func(Download)
	// Pull performs a pull; nil pulls through backend/ollama.
	Pull PullFunc
	// AutoResume starts the unfinished downloads found in the store (the
	// window does; a CLI run only continues the one it is asked for).
	AutoResume bool
	Logger     *slog.Logger
}

func (o *Options) fill() {
	if o.Parallel <= 0 {
		o.Parallel = DefaultParallel
	}
	if o.StallTimeout <= 0 {
		o.StallTimeout = DefaultStallTimeout
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = DefaultBackoffBase
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = DefaultBackoffMax
	}
	if o.ProgressInterval <= 0 {
		o.ProgressInterval = DefaultProgressInterval
	}
	if o.Pull == nil {
		o.Pull = ollamaPull
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

func ollamaPull(ctx context.Context, host string, req *api.PullRequest, fn api.PullProgressFunc) error {
	c, err := ollama.New(host)
	if err != nil {
		return err
	}
	return c.API().Pull(ctx, req, fn)
}

// backoff is the wait before retry number n (1-based).
func (o *Options) backoff(n int) time.Duration {
	d := o.BackoffBase
	for i := 1; i < n && d < o.BackoffMax; i++ {
		d *= 2
	}
	return min(d, o.BackoffMax)
}
