package chat

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wadi-app/wadi/backend/rag"
	"github.com/wadi-app/wadi/backend/store"
)

// ExportFormat is the "format" field of an exported chat document.
const ExportFormat = "wadi-chat"

// exportDoc is a chat as JSON: every branch, ids local to the document
// (1..n in creation order), times as stored. Importing it and exporting
// the copy gives the same bytes: the import keeps titles, times, settings
// and the branch on screen; only the database ids differ, and they are not
// in the document.
type exportDoc struct {
	Format    string      `json:"format"`
	Version   int         `json:"version"`
	Title     string      `json:"title"`
	Host      string      `json:"host"`
	Model     string      `json:"model"`
	Pinned    bool        `json:"pinned"`
	Settings  Settings    `json:"settings"`
	CreatedAt string      `json:"createdAt"`
	UpdatedAt string      `json:"updatedAt"`
	Current   int         `json:"current"` // local id of the leaf on screen, 0 none
	Messages  []exportMsg `json:"messages"`
}

type exportMsg struct {
	ID        int         `json:"id"`
	ParentID  int         `json:"parentId"` // 0: a root
	Role      string      `json:"role"`
	Content   string      `json:"content"`
	Thinking  string      `json:"thinking"`
	Model     string      `json:"model"`
	Status    string      `json:"status"`
	Error     string      `json:"error"`
	Metrics   *Metrics    `json:"metrics"`
	CreatedAt string      `json:"createdAt"`
	Images    []exportImg `json:"images"`
	// Retrieval is the answer's sources (left out when it used none).
	Retrieval *rag.Retrieval `json:"retrieval,omitempty"`
}

type exportImg struct {
	Mime   string `json:"mime"`
	Base64 string `json:"base64"`
}

// ExportChat returns a chat as a document: "json" (every branch, for
// ImportChat) or "md" (the branch on screen, for reading).
func (s *Service) ExportChat(ctx context.Context, id int64, format string) (string, error) {
	switch format {
	case "json":
		return s.exportJSON(ctx, id)
	case "md":
		v, err := s.GetChat(ctx, id)
		if err != nil {
			return "", err
		}
		return markdown(v), nil
	}
	return "", fmt.Errorf("format %q: use md or json", format)
}

func (s *Service) exportJSON(ctx context.Context, id int64) (string, error) {
	c, err := s.liveChat(ctx, id)
	if err != nil {
		return "", err
	}
	all, err := s.st.ChatMessages(ctx, id)
	if err != nil {
		return "", err
	}
	ids := make([]int64, len(all))
	local := make(map[int64]int, len(all))
	for i, m := range all {
		ids[i] = m.ID
		local[m.ID] = i + 1
	}
	imgs, err := s.st.Images(ctx, ids)
	if err != nil {
		return "", err
	}
	rets, err := s.retrievals(ctx, id)
	if err != nil {
		return "", err
	}
	set, _ := decodeSettings("chat settings", c.Settings)
	doc := exportDoc{Format: ExportFormat, Version: 1, Title: c.Title, Host: c.Host, Model: c.Model,
		Pinned: c.Pinned, Settings: set, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		Messages: make([]exportMsg, 0, len(all))}
	if br := newTree(all).branch(c.LeafID); len(br) > 0 {
		doc.Current = local[br[len(br)-1].ID]
	}
	for i, m := range all {
		em := toMessage(m, nil, nil)
		x := exportMsg{ID: i + 1, ParentID: local[m.ParentID], Role: m.Role, Content: m.Content,
			Thinking: m.Thinking, Model: m.Model, Status: m.Status, Error: m.Error, Metrics: em.Metrics,
			CreatedAt: m.CreatedAt, Images: []exportImg{}, Retrieval: rets[m.ID]}
		for _, im := range imgs[m.ID] {
			x.Images = append(x.Images, exportImg{Mime: im.Mime, Base64: base64.StdEncoding.EncodeToString(im.Data)})
		}
		doc.Messages = append(doc.Messages, x)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return "", fmt.Errorf("export chat %d: %w", id, err)
	}
	return buf.String(), nil
}

// ImportChat stores a chat exported as JSON and returns it. Errors name the
// field that is wrong (e.g. messages[2].parentId).
func (s *Service) ImportChat(ctx context.Context, doc string) (Summary, error) {
	var d exportDoc
	dec := json.NewDecoder(strings.NewReader(doc))
	if err := dec.Decode(&d); err != nil {
		return Summary{}, fmt.Errorf("import: not a Wadi chat export (invalid JSON: %v)", err)
	}
	if d.Format != ExportFormat {
		return Summary{}, fmt.Errorf("import: format %q: want %q (a chat exported from Wadi as JSON)", d.Format, ExportFormat)
	}
	if d.Version != 1 {
		return Summary{}, fmt.Errorf("import: version %d: this Wadi reads version 1", d.Version)
	}
	if strings.TrimSpace(d.Model) == "" {
		return Summary{}, fmt.Errorf("import: model: must not be empty")
	}
	if err := d.Settings.Validate(); err != nil {
		return Summary{}, fmt.Errorf("import: settings.%w", err)
	}
	if d.Title = strings.Join(strings.Fields(d.Title), " "); d.Title == "" {
		d.Title = DefaultTitle
	}
	if d.Host == "" {
		hs, err := s.hosts(ctx)
		if err != nil || len(hs) == 0 {
			return Summary{}, fmt.Errorf("import: host: must not be empty")
		}
		d.Host = hs[0]
	}
	pos := map[int]int{} // local id -> index
	msgs := make([]store.Message, 0, len(d.Messages))
	rets := map[int]string{} // index -> retrieval JSON
	for i, m := range d.Messages {
		f := fmt.Sprintf("import: messages[%d]", i)
		if m.ID <= 0 {
			return Summary{}, fmt.Errorf("%s.id %d: must be a positive number", f, m.ID)
		}
		if _, dup := pos[m.ID]; dup {
			return Summary{}, fmt.Errorf("%s.id %d: used twice", f, m.ID)
		}
		if m.Role != "user" && m.Role != "assistant" {
			return Summary{}, fmt.Errorf("%s.role %q: must be user or assistant", f, m.Role)
		}
		sm := store.Message{Role: m.Role, Content: m.Content, Thinking: m.Thinking, Model: m.Model,
			Status: m.Status, Error: m.Error, CreatedAt: m.CreatedAt}
		switch m.Status {
		case store.StatusComplete, store.StatusIncomplete, store.StatusError:
		case store.StatusStreaming:
			sm.Status, sm.Error = store.StatusIncomplete, crashReason
		default:
			return Summary{}, fmt.Errorf("%s.status %q: must be complete, incomplete or error", f, m.Status)
		}
		if m.ParentID != 0 {
			k, ok := pos[m.ParentID]
			if !ok {
				return Summary{}, fmt.Errorf("%s.parentId %d: no earlier message has this id", f, m.ParentID)
			}
			sm.ParentID = -int64(k + 1)
		}
		if m.Metrics != nil {
			b, _ := json.Marshal(m.Metrics)
			sm.Metrics = string(b)
		}
		for j, im := range m.Images {
			got, err := decodeImages([]ImageInput{{Mime: im.Mime, Base64: im.Base64}})
			if err != nil {
				return Summary{}, fmt.Errorf("%s.images[%d]: %w", f, j, err)
			}
			sm.Images = append(sm.Images, got...)
		}
		if m.Retrieval != nil {
			if m.Role != "assistant" {
				return Summary{}, fmt.Errorf("%s.retrieval: only answers have sources", f)
			}
			b, _ := json.Marshal(m.Retrieval)
			rets[i] = string(b)
		}
		pos[m.ID] = i
		msgs = append(msgs, sm)
	}
	if _, ok := pos[d.Current]; d.Current != 0 && !ok {
		return Summary{}, fmt.Errorf("import: current %d: no message has this id", d.Current)
	}
	c, err := s.st.CreateChat(ctx, store.Chat{Title: d.Title, Host: d.Host, Model: d.Model, Pinned: d.Pinned,
		Settings: encodeSettings(d.Settings), CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt})
	if err != nil {
		return Summary{}, err
	}
	stored, err := s.st.AddMessages(ctx, c.ID, msgs, false)
	if err != nil {
		return Summary{}, err
	}
	for i, data := range rets {
		if err := s.st.SetMessageRetrieval(ctx, stored[i].ID, data); err != nil {
			return Summary{}, err
		}
	}
	leaf := int64(0)
	if d.Current != 0 {
		leaf = stored[pos[d.Current]].ID
	}
	if err := s.st.SetChatLeaf(ctx, c.ID, leaf); err != nil {
		return Summary{}, err
	}
	c, err = s.st.Chat(ctx, c.ID)
	return summary(c), err
}

// markdown renders the branch on screen as a readable document.
func markdown(v View) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", v.Chat.Title)
	fmt.Fprintf(&b, "- Model: %s on %s\n- Created: %s\n", v.Chat.Model, v.Chat.Host, v.Chat.CreatedAt)
	if v.Settings.SystemPrompt != "" {
		fmt.Fprintf(&b, "- System prompt:\n\n%s\n", quote(v.Settings.SystemPrompt))
	}
	for _, m := range v.Messages {
		if m.Role == "user" {
			b.WriteString("\n## You\n\n")
		} else {
			fmt.Fprintf(&b, "\n## Assistant (%s)\n\n", m.Model)
		}
		if m.Thinking != "" {
			b.WriteString("> **Thinking**\n>\n" + quote(m.Thinking) + "\n\n")
		}
		for _, im := range m.Images {
			fmt.Fprintf(&b, "_[image %d: %s]_\n\n", im.ID, im.Mime)
		}
		b.WriteString(strings.TrimRight(m.Content, "\n") + "\n")
		if m.Status == store.StatusIncomplete || m.Status == store.StatusError {
			fmt.Fprintf(&b, "\n_(%s: %s)_\n", m.Status, m.Error)
		}
		if mt := m.Metrics; mt != nil && m.Status == store.StatusComplete {
			fmt.Fprintf(&b, "\n_%d tokens, %.1f tokens/s, first token after %.0f ms_\n", mt.OutputTokens, mt.TokensPerSec, mt.TTFTMs)
		}
		if m.Retrieval != nil {
			writeSources(&b, m.Retrieval)
		}
	}
	return b.String()
}

// writeSources lists an answer's sources under it: the sent ones by
// number, how many more were retrieved but not sent, and the notices.
func writeSources(b *strings.Builder, r *rag.Retrieval) {
	b.WriteString("\n**Sources**\n\n")
	unsent := 0
	for _, src := range r.Sources {
		if !src.Sent {
			unsent++
			continue
		}
		fmt.Fprintf(b, "- [%d] %s (%s, %s)\n", src.N, src.Label, src.Collection, src.File)
	}
	if unsent > 0 {
		fmt.Fprintf(b, "- %d more retrieved, not sent\n", unsent)
	} else if len(r.Sources) == 0 {
		b.WriteString("- none found\n")
	}
	for _, n := range r.Notices {
		fmt.Fprintf(b, "\n_Note: %s_\n", n)
	}
}

func quote(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("> "+l, " ")
	}
	return strings.Join(lines, "\n")
}
