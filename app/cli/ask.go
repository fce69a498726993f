package cli

import (
	"context"
	"flag"
	"strings"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/rag"
)

func init() {
	register("ask", func() command {
		var o askOpts
		return command{
			summary: "answer a question from document collections, with numbered citations",
			usage: "-m MODEL -c COLLECTION [-c ...] [--file PATH]... [-k N] [--num-ctx N] QUESTION\n" +
				"  (a new chat with the documents attached; --file attaches only that file of a -c collection)",
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&o.model, "m", "", "the `MODEL` that answers")
				fs.StringVar(&o.model, "model", "", "same as -m")
				o.docs.flags(fs)
				fs.IntVar(&o.k, "k", 8, "retrieve `N` chunks")
				fs.IntVar(&o.numCtx, "num-ctx", 0, "the context window in tokens (`N`; 0: the model's, up to 8192; sources are fitted to it)")
			},
			run: func(ctx context.Context, c *call) error { return runAsk(ctx, c, o) },
		}
	})
}

type askOpts struct {
	model     string
	docs      attachOpts
	k, numCtx int
}

// askResult is `wadi ask --json` output.
type askResult struct {
	ChatID    int64          `json:"chatId"`
	MessageID int64          `json:"messageId"`
	Answer    string         `json:"answer"`
	Status    string         `json:"status"`
	Error     string         `json:"error"`
	Metrics   *chat.Metrics  `json:"metrics"`
	Retrieval *rag.Retrieval `json:"retrieval"`
}

// runAsk is `wadi chat` with documents attached to a new chat: one code
// path for both.
func runAsk(ctx context.Context, c *call, o askOpts) error {
	q := strings.TrimSpace(strings.Join(c.args, " "))
	switch {
	case q == "":
		return usageError{"a QUESTION is needed"}
	case o.model == "":
		return usageError{"-m MODEL is needed"}
	case len(o.docs.collections) == 0:
		return usageError{"-c COLLECTION is needed"}
	case o.k <= 0 || (o.numCtx != 0 && o.numCtx < 256):
		return usageError{"-k must be at least 1 and --num-ctx at least 256 (0: the model's context)"}
	}
	co, svc, err := c.openChatsWith(ctx, chat.Options{SourcesK: o.k})
	if err != nil {
		return err
	}
	defer co.Close()
	defer svc.Close()
	atts, err := o.docs.attachments(ctx, co)
	if err != nil {
		return err
	}
	host, name, err := svc.FindModel(ctx, o.model)
	if err != nil {
		return err
	}
	v, err := svc.NewChat(ctx, host, name)
	if err != nil {
		return err
	}
	if o.numCtx > 0 {
		set := v.Settings
		set.NumCtx = &o.numCtx
		if v, err = svc.UpdateChatSettings(ctx, v.Chat.ID, set); err != nil {
			return err
		}
	}
	if v, err = svc.SetAttachments(ctx, v.Chat.ID, atts); err != nil {
		return err
	}
	a, err := c.answer(ctx, svc, v, q)
	if err != nil {
		return err
	}
	if c.g.json {
		m := a.msg
		err := c.printJSON(askResult{ChatID: v.Chat.ID, MessageID: m.ID, Answer: m.Content, Status: m.Status, Error: m.Error,
			Metrics: a.metrics, Retrieval: a.retrieval})
		if err != nil {
			return err
		}
	}
	return answerStatus(ctx, a.msg, v.Chat.ID)
}
