package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/core"
	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

func init() {
	register("chat", func() command {
		var o chatOpts
		return command{
			summary: "send a prompt, stream the answer to stdout, keep both in history",
			usage: "-m MODEL [--chat ID] [--system TEXT] [--think] [-c COLLECTION]... [--file PATH]... PROMPT\n" +
				"  (PROMPT - reads stdin; -c attaches a document collection, --file only that file of a -c\n" +
				"  collection; without either, a continued chat keeps its documents)",
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&o.model, "m", "", "the `MODEL` to ask (on the first configured host that has it, or --host)")
				fs.StringVar(&o.model, "model", "", "same as -m")
				fs.Int64Var(&o.chatID, "chat", 0, "continue chat `ID` (its current branch)")
				fs.StringVar(&o.system, "system", "", "set the chat's system prompt to `TEXT`")
				fs.BoolVar(&o.think, "think", false, "let a thinking model think first (thinking goes to stderr)")
				o.docs.flags(fs)
			},
			run: func(ctx context.Context, c *call) error { return runChat(ctx, c, o) },
		}
	})
}

type chatOpts struct {
	model  string
	chatID int64
	system string
	think  bool
	docs   attachOpts
}

// attachOpts are the -c and --file flags that attach documents to a chat.
type attachOpts struct {
	collections, files listFlag
}

func (d *attachOpts) flags(fs *flag.FlagSet) {
	fs.Var(&d.collections, "c", "attach document `COLLECTION` (repeatable)")
	fs.Var(&d.collections, "collection", "same as -c")
	fs.Var(&d.files, "file", "attach only the file `PATH` of a -c collection (repeatable)")
}

// any reports whether documents were named.
func (d attachOpts) any() bool { return len(d.collections) > 0 || len(d.files) > 0 }

// attachments turns the flags into attachments: each --file is attached
// from the -c collection that holds it; a -c collection with no --file of
// its own is attached whole.
func (d attachOpts) attachments(ctx context.Context, co *core.Core) ([]chat.Attachment, error) {
	if len(d.files) > 0 && len(d.collections) == 0 {
		return nil, usageError{"--file needs -c COLLECTION, the collection that holds the file"}
	}
	named := map[string]bool{}
	for _, c := range d.collections {
		named[c] = true
	}
	withFiles := map[string]bool{}
	var out []chat.Attachment
	for _, f := range d.files {
		abs, err := filepath.Abs(f)
		if err != nil {
			return nil, fmt.Errorf("--file %s: %w", f, err)
		}
		in, err := co.Store.FileCollections(ctx, abs)
		if err != nil {
			return nil, err
		}
		coll := ""
		for _, n := range in {
			if named[n] {
				coll = n
				break
			}
		}
		if coll == "" {
			return nil, fmt.Errorf("--file %s: not a file of collection %s", abs, strings.Join(d.collections, " or "))
		}
		withFiles[coll] = true
		out = append(out, chat.Attachment{Collection: coll, File: abs})
	}
	for _, c := range d.collections {
		if !withFiles[c] {
			out = append(out, chat.Attachment{Collection: c})
		}
	}
	return out, nil
}

// listFlag is a string flag that may be repeated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// chatResult is `wadi chat --json` output.
type chatResult struct {
	ChatID    int64         `json:"chatId"`
	MessageID int64         `json:"messageId"`
	Host      string        `json:"host"`
	Model     string        `json:"model"`
	Content   string        `json:"content"`
	Thinking  string        `json:"thinking"`
	Status    string        `json:"status"`
	Error     string        `json:"error"`
	Metrics   *chat.Metrics `json:"metrics"`
	// Retrieval is what the answer drew from the chat's documents.
	Retrieval *rag.Retrieval `json:"retrieval,omitempty"`
}

// openChats opens the data and the chat service (events unbatched: the
// terminal shows each piece as it comes).
func (c *call) openChats(ctx context.Context) (*core.Core, *chat.Service, error) {
	return c.openChatsWith(ctx, chat.Options{})
}

// openChatsWith is openChats with more options.
func (c *call) openChatsWith(ctx context.Context, opt chat.Options) (*core.Core, *chat.Service, error) {
	co, err := c.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	opt.EventEvery, opt.Logger = -1, c.g.options().Logger
	svc := chat.New(co.Store, co.Hosts, opt)
	if err := svc.Recover(ctx); err != nil {
		co.Close()
		return nil, nil, err
	}
	return co, svc, nil
}

func runChat(ctx context.Context, c *call, o chatOpts) error {
	prompt := strings.Join(c.args, " ")
	if prompt == "-" {
		b, err := io.ReadAll(c.Stdin)
		if err != nil {
			return fmt.Errorf("read the prompt from stdin: %w", err)
		}
		prompt = string(b)
	}
	if strings.TrimSpace(prompt) == "" {
		return usageError{"a PROMPT is needed"}
	}
	if o.model == "" && o.chatID == 0 {
		return usageError{"-m MODEL is needed (or --chat ID to continue a chat)"}
	}
	co, svc, err := c.openChats(ctx)
	if err != nil {
		return err
	}
	defer co.Close()
	defer svc.Close()

	var v chat.View
	if o.chatID != 0 {
		if v, err = svc.GetChat(ctx, o.chatID); err != nil {
			return err
		}
	}
	if o.model != "" {
		host, name, err := svc.FindModel(ctx, o.model)
		if err != nil {
			return err
		}
		if o.chatID == 0 {
			v, err = svc.NewChat(ctx, host, name)
		} else if host != v.Chat.Host || name != v.Chat.Model {
			v, err = svc.SetChatModel(ctx, v.Chat.ID, host, name)
		}
		if err != nil {
			return err
		}
	}
	if o.system != "" || o.think {
		set := v.Settings
		if o.system != "" {
			set.SystemPrompt = o.system
		}
		set.Think = o.think
		if v, err = svc.UpdateChatSettings(ctx, v.Chat.ID, set); err != nil {
			return err
		}
	}
	if o.docs.any() {
		atts, err := o.docs.attachments(ctx, co)
		if err != nil {
			return err
		}
		if v, err = svc.SetAttachments(ctx, v.Chat.ID, atts); err != nil {
			return err
		}
	}
	a, err := c.answer(ctx, svc, v, prompt)
	if err != nil {
		return err
	}
	if c.g.json {
		m := a.msg
		err := c.printJSON(chatResult{ChatID: v.Chat.ID, MessageID: m.ID, Host: v.Chat.Host, Model: v.Chat.Model,
			Content: m.Content, Thinking: m.Thinking, Status: m.Status, Error: m.Error, Metrics: a.metrics, Retrieval: a.retrieval})
		if err != nil {
			return err
		}
	}
	return answerStatus(ctx, a.msg, v.Chat.ID)
}

// answered is a saved answer with what it retrieved (nil: no documents)
// and, with --json, its speed figures.
type answered struct {
	msg       store.Message
	retrieval *rag.Retrieval
	metrics   *chat.Metrics
}

// answer sends prompt in chat v and streams the answer to the terminal
// (thinking to stderr), then lists its sources; with --json it prints
// nothing.
func (c *call) answer(ctx context.Context, svc *chat.Service, v chat.View, prompt string) (answered, error) {
	fmt.Fprintf(c.Stderr, "chat %d\n", v.Chat.ID)
	thinking := false
	var a answered
	onEvent := func(ev chat.Event) {
		if ev.Retrieval != nil {
			a.retrieval = ev.Retrieval
		}
		if c.g.json {
			return
		}
		if ev.Thinking != "" {
			thinking = true
			io.WriteString(c.Stderr, ev.Thinking)
		}
		if ev.Content != "" {
			if thinking {
				io.WriteString(c.Stderr, "\n")
				thinking = false
			}
			io.WriteString(c.Stdout, ev.Content)
		}
	}
	start, st, err := svc.Send(ctx, v.Chat.ID, prompt, nil, onEvent)
	if err != nil {
		return a, err
	}
	select {
	case <-st.Done():
	case <-ctx.Done():
		svc.Stop(start.StreamID)
	}
	<-st.Done()
	a.msg = st.Result()
	if c.g.json {
		if got, err := svc.GetChat(context.WithoutCancel(ctx), v.Chat.ID); err == nil && len(got.Messages) > 0 {
			a.metrics = got.Messages[len(got.Messages)-1].Metrics
		}
		return a, nil
	}
	if a.msg.Content != "" && !strings.HasSuffix(a.msg.Content, "\n") {
		fmt.Fprintln(c.Stdout)
	}
	if a.retrieval != nil {
		fmt.Fprintln(c.Stdout)
		printSources(c.Stdout, a.retrieval)
	}
	return a, nil
}

// answerStatus is the command's result for a saved answer.
func answerStatus(ctx context.Context, m store.Message, chatID int64) error {
	switch {
	case m.Status == "complete":
		return nil
	case errors.Is(ctx.Err(), context.Canceled):
		return fmt.Errorf("stopped; the partial answer is kept in chat %d", chatID)
	default:
		return fmt.Errorf("the answer is %s (%s); what arrived is kept in chat %d", m.Status, m.Error, chatID)
	}
}
