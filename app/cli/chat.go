package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/core"
)

func init() {
	register("chat", func() command {
		var o chatOpts
		return command{
			summary: "send a prompt, stream the answer to stdout, keep both in history",
			usage:   "-m MODEL [--chat ID] [--system TEXT] [--think] PROMPT  (PROMPT - reads stdin)",
			flags: func(fs *flag.FlagSet) {
				fs.StringVar(&o.model, "m", "", "the `MODEL` to ask (on the first configured host that has it, or --host)")
				fs.StringVar(&o.model, "model", "", "same as -m")
				fs.Int64Var(&o.chatID, "chat", 0, "continue chat `ID` (its current branch)")
				fs.StringVar(&o.system, "system", "", "set the chat's system prompt to `TEXT`")
				fs.BoolVar(&o.think, "think", false, "let a thinking model think first (thinking goes to stderr)")
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
}

// openChats opens the data and the chat service (events unbatched: the
// terminal shows each piece as it comes).
func (c *call) openChats(ctx context.Context) (*core.Core, *chat.Service, error) {
	co, err := c.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	svc := chat.New(co.Store, co.Hosts, chat.Options{EventEvery: -1, Logger: c.g.options().Logger})
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
	fmt.Fprintf(c.Stderr, "chat %d\n", v.Chat.ID)
	thinking := false
	onEvent := func(ev chat.Event) {
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
		r := chatResult{ChatID: v.Chat.ID, MessageID: m.ID, Host: v.Chat.Host, Model: v.Chat.Model,
			Content: m.Content, Thinking: m.Thinking, Status: m.Status, Error: m.Error}
		if got, err := svc.GetChat(context.WithoutCancel(ctx), v.Chat.ID); err == nil && len(got.Messages) > 0 {
			r.Metrics = got.Messages[len(got.Messages)-1].Metrics
		}
		if err := c.printJSON(r); err != nil {
			return err
		}
	} else if m.Content != "" && !strings.HasSuffix(m.Content, "\n") {
		fmt.Fprintln(c.Stdout)
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
