package compare

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/wadi-app/wadi/backend/catalog"
	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/models"
)

// Schedules.
const (
	Concurrent = "concurrent"
	Sequential = "sequential"
)

// plan is how a run's columns are scheduled: orders[i] is column i's
// 1-based run order (equal orders run together). Columns on different hosts
// always run together; columns on one host run together only when the host
// may keep them all loaded (MaxLoaded) and, for a host on this computer,
// their estimated memory fits in free GPU memory plus available RAM.
type plan struct {
	schedule string
	note     string
	orders   []int
	serial   map[string]bool // hosts whose columns run one after another
}

func (s *Service) plan(ctx context.Context, cols []ColumnSpec) plan {
	p := plan{schedule: Concurrent, orders: make([]int, len(cols)), serial: map[string]bool{}}
	byHost := map[string][]int{}
	var hosts []string
	for i, c := range cols {
		if _, ok := byHost[c.Host]; !ok {
			hosts = append(hosts, c.Host)
		}
		byHost[c.Host] = append(byHost[c.Host], i)
	}
	var notes []string
	for _, h := range hosts {
		idx := byHost[h]
		why := ""
		if len(idx) > 1 {
			why = s.whySerial(ctx, h, cols, idx)
		}
		for k, i := range idx {
			p.orders[i] = 1
			if why != "" {
				p.orders[i] = k + 1
			}
		}
		if why != "" {
			p.serial[h] = true
			p.schedule = Sequential
			notes = append(notes, why)
		}
	}
	if p.schedule == Sequential {
		p.note = strings.Join(notes, "; ") + ": columns run one after another"
	} else if len(hosts) > 1 {
		p.note = "columns on different hosts run at the same time"
	} else {
		p.note = "the models fit in memory together"
	}
	return p
}

// whySerial says why columns idx on host must not run together ("": they
// may).
func (s *Service) whySerial(ctx context.Context, host string, cols []ColumnSpec, idx []int) string {
	if len(idx) > s.opt.MaxLoaded {
		return fmt.Sprintf("%s keeps at most %d models loaded", host, s.opt.MaxLoaded)
	}
	if !isLocal(host) {
		return "" // its memory is unknown here: Ollama queues what does not fit
	}
	m := s.machineInfo(ctx)
	budget := m.UsableVRAM() + m.AvailableRAMBytes
	if budget <= 0 {
		return ""
	}
	var need int64
	for _, i := range idx {
		ectx, cancel := context.WithTimeout(ctx, 10*time.Second)
		f, err := models.Estimate(ectx, host, cols[i].Model, chat.RequestOptions(cols[i].Settings, 0)["num_ctx"].(int), m, nil)
		cancel()
		if err != nil {
			s.log.Warn("compare: no memory estimate", "model", cols[i].Model, "err", err)
			continue
		}
		need += f.TotalBytes
	}
	if need > budget {
		return fmt.Sprintf("models do not fit in memory together (need %s, %s free)", catalog.GB(need), catalog.GB(budget))
	}
	return ""
}

func (s *Service) machineInfo(ctx context.Context) catalog.Machine {
	s.machine.Do(func() {
		if s.opt.Machine == nil {
			m := catalog.NewProber().Probe(ctx, "")
			s.opt.Machine = &m
		}
	})
	return *s.opt.Machine
}

// isLocal reports whether host is on this computer.
func isLocal(host string) bool {
	u, err := url.Parse(host)
	if err != nil {
		return false
	}
	switch u.Hostname() {
	case "localhost", "127.0.0.1", "::1", "":
		return true
	}
	return false
}
