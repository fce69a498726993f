package rag

import "time"

// reporter throttles progress callbacks and estimates the time left.
type reporter struct {
	p     Progress
	fn    func(Progress)
	every time.Duration
	last  time.Time
	start time.Time
}

func newReporter(opt AddOptions) *reporter {
	r := &reporter{fn: opt.Progress, every: opt.ProgressEvery}
	if r.every <= 0 {
		r.every = 200 * time.Millisecond
	}
	return r
}

// count records one file's outcome.
func (r *reporter) count(outcome string, chunks int) {
	r.p.FilesDone++
	r.p.Chunks += chunks
	switch outcome {
	case "indexed":
		r.p.Indexed++
	case "unchanged":
		r.p.Unchanged++
	case "failed":
		r.p.Failed++
	case "skipped":
		r.p.Skipped++
	}
	if el := time.Since(r.start); r.p.FilesDone > 0 && r.p.FilesTotal > r.p.FilesDone {
		r.p.ETA = el / time.Duration(r.p.FilesDone) * time.Duration(r.p.FilesTotal-r.p.FilesDone)
	} else {
		r.p.ETA = 0
	}
}

// emit calls the callback if forced or if enough time has passed.
func (r *reporter) emit(force bool) {
	r.p.ETAMs = r.p.ETA.Milliseconds()
	if r.fn == nil {
		return
	}
	now := time.Now()
	if !force && now.Sub(r.last) < r.every {
		return
	}
	r.last = now
	r.fn(r.p)
}

// startEmbed begins the embed phase with n chunks to embed.
func (r *reporter) startEmbed(n int) {
	r.p.Phase, r.p.Embedded, r.p.EmbedTotal, r.p.ETA = "embed", 0, n, 0
	r.start = time.Now()
	r.emit(true)
}

// embedded records n more chunks embedded and estimates the time left.
func (r *reporter) embedded(n int) {
	r.p.Embedded += n
	if el := time.Since(r.start); r.p.Embedded > 0 && r.p.EmbedTotal > r.p.Embedded {
		r.p.ETA = el / time.Duration(r.p.Embedded) * time.Duration(r.p.EmbedTotal-r.p.Embedded)
	} else {
		r.p.ETA = 0
	}
	r.emit(false)
}
