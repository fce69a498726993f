package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/rag"
)

func init() {
	register("ask", func() command {
		var o askOpts
		return command{
			summary: "answer a question from a document collection, with numbered citations",
			usage:   "-m MODEL -c COLLECTION [-k N] [--num-ctx N] QUESTION",
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&o.model, "m", "", "the `MODEL` that answers")
				fs.StringVar(&o.model, "model", "", "same as -m")
				fs.StringVar(&o.coll, "c", "", "search `COLLECTION`")
				fs.StringVar(&o.coll, "collection", "", "same as -c")
				fs.IntVar(&o.k, "k", 8, "retrieve `N` chunks")
				fs.IntVar(&o.numCtx, "num-ctx", 4096, "the model's context window in tokens (`N`; sources are fitted to it)")
			},
			run: func(ctx context.Context, c *call) error { return runAsk(ctx, c, o) },
		}
	})
}

type askOpts struct {
	model, coll string
	k, numCtx   int
}

// askResult is `wadi ask --json` output.
type askResult struct {
	ChatID  int64        `json:"chatId"`
	Answer  string       `json:"answer"`
	Status  string       `json:"status"`
	Mode    string       `json:"mode"`
	Notice  string       `json:"notice,omitempty"`
	Sources []rag.Source `json:"sources"`
	Dropped []rag.Hit    `json:"dropped"`
	Cut     bool         `json:"cut"`
}

func runAsk(ctx context.Context, c *call, o askOpts) error {
	q := strings.TrimSpace(strings.Join(c.args, " "))
	switch {
	case q == "":
		return usageError{"a QUESTION is needed"}
	case o.model == "":
		return usageError{"-m MODEL is needed"}
	case o.coll == "":
		return usageError{"-c COLLECTION is needed"}
	case o.k <= 0 || o.numCtx < 512:
		return usageError{"-k must be at least 1 and --num-ctx at least 512"}
	}
	co, svc, err := c.openChats(ctx)
	if err != nil {
		return err
	}
	defer co.Close()
	defer svc.Close()
	docs := rag.New(co.Store, rag.Options{Logger: c.g.options().Logger})
	res, err := docs.Search(ctx, o.coll, q, o.k)
	if err != nil {
		return err
	}
	if res.Notice != "" {
		fmt.Fprintf(c.Stderr, "note: %s\n", res.Notice)
	}
	prompt, err := rag.BuildPrompt(q, res.Hits, rag.PromptOptions{NumCtx: o.numCtx})
	if err != nil {
		return err
	}
	if prompt.Cut {
		fmt.Fprintf(c.Stderr, "note: %d of %d retrieved chunks did not fit in a %d-token context and were not sent\n",
			len(prompt.Dropped), len(res.Hits), o.numCtx)
	}
	host, name, err := svc.FindModel(ctx, o.model)
	if err != nil {
		return err
	}
	v, err := svc.NewChat(ctx, host, name)
	if err != nil {
		return err
	}
	set := v.Settings
	set.NumCtx = &o.numCtx // the budget above assumed this context
	if v, err = svc.UpdateChatSettings(ctx, v.Chat.ID, set); err != nil {
		return err
	}
	fmt.Fprintf(c.Stderr, "chat %d\n", v.Chat.ID)
	onEvent := func(ev chat.Event) {
		if !c.g.json && ev.Content != "" {
			io.WriteString(c.Stdout, ev.Content)
		}
	}
	start, st, err := svc.Send(ctx, v.Chat.ID, prompt.Text, nil, onEvent)
	if err != nil {
		return err
	}
	select {
	case <-st.Done():
	case <-ctx.Done():
		svc.Stop(start.StreamID)
	}
	<-st.Done()
	m := st.Result()
	if c.g.json {
		err = c.printJSON(askResult{ChatID: v.Chat.ID, Answer: m.Content, Status: m.Status, Mode: res.Mode, Notice: res.Notice,
			Sources: prompt.Sources, Dropped: prompt.Dropped, Cut: prompt.Cut})
		if err != nil {
			return err
		}
	} else {
		if !strings.HasSuffix(m.Content, "\n") {
			fmt.Fprintln(c.Stdout)
		}
		fmt.Fprintln(c.Stdout, "\nSources:")
		for _, s := range prompt.Sources {
			fmt.Fprintf(c.Stdout, "  [%d] %s\n", s.N, s.Label)
		}
		if len(prompt.Sources) == 0 {
			fmt.Fprintln(c.Stdout, "  (none found)")
		}
	}
	switch {
	case m.Status == "complete":
		return nil
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("stopped; the partial answer is kept in chat %d", v.Chat.ID)
	default:
		return fmt.Errorf("the answer is %s (%s); what arrived is kept in chat %d", m.Status, m.Error, v.Chat.ID)
	}
}
