package compare

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/wadi-app/wadi/backend/store"
)

// Set run states.
const (
	SetRunning = "running"
	SetPaused  = "paused"
	SetDone    = "done"
	SetFailed  = "failed"
)

// setRunner is a set run working in the background.
type setRunner struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// RunSet runs every prompt of set setID against cols in the background,
// one compare run per prompt (each answering from collection, "" none),
// calling onProgress (may be nil) after each.
func (s *Service) RunSet(ctx context.Context, setID int64, cols []ColumnSpec, collection string, onProgress func(SetRun)) (SetRun, error) {
	var set *PromptSet
	sets, err := s.PromptSets(ctx)
	if err != nil {
		return SetRun{}, err
	}
	for i := range sets {
		if sets[i].ID == setID {
			set = &sets[i]
		}
	}
	if set == nil {
		return SetRun{}, fmt.Errorf("prompt set %d: %w", setID, store.ErrNotFound)
	}
	req, err := s.validate(ctx, Request{Prompt: set.Prompts[0], Columns: cols, Tags: set.Tags, Collection: collection})
	if err != nil {
		return SetRun{}, err
	}
	id, err := s.st.CreateSetRun(ctx, store.SetRun{SetID: setID, State: SetRunning,
		Columns: jsonText(req.Columns), Prompts: jsonText(set.Prompts), Tags: jsonText(req.Tags)})
	if err != nil {
		return SetRun{}, err
	}
	if req.Collection != "" {
		if err := s.st.SetSetRunCollection(ctx, id, req.Collection); err != nil {
			return SetRun{}, err
		}
	}
	s.launch(id, onProgress)
	return s.GetSetRun(ctx, id)
}

// PauseSetRun stops a set run after saving what is done; the prompt being
// answered is asked again on resume.
func (s *Service) PauseSetRun(ctx context.Context, id int64) (SetRun, error) {
	r, err := s.st.SetRunByID(ctx, id)
	if err != nil {
		return SetRun{}, err
	}
	if r.State != SetRunning {
		return SetRun{}, fmt.Errorf("set run %d is %s, not running", id, r.State)
	}
	if err := s.st.SetSetRunState(ctx, id, SetPaused); err != nil {
		return SetRun{}, err
	}
	s.mu.Lock()
	rn := s.sets[id]
	s.mu.Unlock()
	if rn != nil {
		rn.cancel()
		select {
		case <-rn.done:
		case <-ctx.Done():
			return SetRun{}, ctx.Err()
		}
	}
	return s.GetSetRun(ctx, id)
}

// ResumeSetRun continues a paused set run (also one paused by a restart).
func (s *Service) ResumeSetRun(ctx context.Context, id int64, onProgress func(SetRun)) (SetRun, error) {
	r, err := s.st.SetRunByID(ctx, id)
	if err != nil {
		return SetRun{}, err
	}
	if r.State != SetPaused {
		return SetRun{}, fmt.Errorf("set run %d is %s, not paused", id, r.State)
	}
	if err := s.st.SetSetRunState(ctx, id, SetRunning); err != nil {
		return SetRun{}, err
	}
	s.launch(id, onProgress)
	return s.GetSetRun(ctx, id)
}

// WaitSetRun blocks until set run id stops working or ctx ends.
func (s *Service) WaitSetRun(ctx context.Context, id int64) error {
	s.mu.Lock()
	rn := s.sets[id]
	s.mu.Unlock()
	if rn == nil {
		return nil
	}
	select {
	case <-rn.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) launch(id int64, onProgress func(SetRun)) {
	ctx, cancel := context.WithCancel(s.base)
	rn := &setRunner{cancel: cancel, done: make(chan struct{})}
	s.mu.Lock()
	if s.sets == nil {
		s.sets = map[int64]*setRunner{}
	}
	s.sets[id] = rn
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(rn.done)
		defer cancel()
		defer func() {
			s.mu.Lock()
			delete(s.sets, id)
			s.mu.Unlock()
		}()
		s.work(ctx, id, onProgress)
	}()
}

// work answers the set run's prompts not answered yet, in order.
func (s *Service) work(ctx context.Context, id int64, onProgress func(SetRun)) {
	bctx := context.Background()
	report := func() {
		if onProgress == nil {
			return
		}
		if v, err := s.GetSetRun(bctx, id); err == nil {
			onProgress(v)
		}
	}
	fail := func(err error) {
		s.log.Error("set run", "id", id, "err", err)
		if err := s.st.SetSetRunState(bctx, id, SetFailed); err != nil {
			s.log.Error("set run state", "id", id, "err", err)
		}
		report()
	}
	r, err := s.st.SetRunByID(bctx, id)
	if err != nil {
		fail(err)
		return
	}
	var cols []ColumnSpec
	var prompts, tags []string
	if err := json.Unmarshal([]byte(r.Columns), &cols); err != nil {
		fail(fmt.Errorf("set run %d: stored columns: %w", id, err))
		return
	}
	prompts, tags = strs(r.Prompts), strs(r.Tags)
	coll, err := s.st.SetRunCollection(bctx, id)
	if err != nil {
		fail(err)
		return
	}
	for i, p := range prompts {
		if _, ok := r.Items[i]; ok {
			continue
		}
		if ctx.Err() != nil {
			return
		}
		sctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		v, err := s.Start(sctx, Request{Prompt: p, Columns: cols, Tags: tags, Collection: coll}, nil)
		cancel()
		if err != nil {
			fail(fmt.Errorf("prompt %d: %w", i+1, err))
			return
		}
		if err := s.Wait(ctx, v.ID); err != nil { // paused or closing
			s.Stop(v.ID)
			_ = s.Wait(bctx, v.ID)
			return
		}
		if err := s.st.SetRunItem(bctx, id, i, v.ID); err != nil {
			fail(err)
			return
		}
		report()
	}
	if err := s.st.SetSetRunState(bctx, id, SetDone); err != nil {
		s.log.Error("set run state", "id", id, "err", err)
	}
	report()
}

// GetSetRun returns a set run with the answers so far.
func (s *Service) GetSetRun(ctx context.Context, id int64) (SetRun, error) {
	r, err := s.st.SetRunByID(ctx, id)
	if err != nil {
		return SetRun{}, err
	}
	coll, err := s.st.SetRunCollection(ctx, id)
	if err != nil {
		return SetRun{}, err
	}
	out := SetRun{ID: r.ID, SetID: r.SetID, State: r.State, Collection: coll, Columns: []ColumnSpec{}, Rows: []SetRow{}}
	if err := json.Unmarshal([]byte(r.Columns), &out.Columns); err != nil {
		return SetRun{}, fmt.Errorf("set run %d: stored columns: %w", id, err)
	}
	prompts := strs(r.Prompts)
	out.Total = len(prompts)
	for i, p := range prompts {
		row := SetRow{Prompt: p, Answers: []Answer{}}
		if run, ok := r.Items[i]; ok {
			v, err := s.Get(ctx, run)
			if err != nil {
				return SetRun{}, err
			}
			row.Answers = v.Turns[0].Answers
			out.Done++
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}
