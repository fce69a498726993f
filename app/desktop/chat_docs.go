package desktop

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"

	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/rag"
)

// openInSystem opens a file in the system's default app; replaced in tests.
var openInSystem = func(path string) error {
	var cmd *exec.Cmd
	switch goruntime.GOOS {
	case "darwin":
		cmd = exec.Command("open", path)
	case "windows":
		cmd = exec.Command("explorer", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	go cmd.Wait()
	return nil
}

// SetChatAttachments replaces the documents attached to a chat (whole
// collections, or single files of them) and returns the chat.
func (a *App) SetChatAttachments(chatID int64, attachments []chat.Attachment) (chat.View, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.View, error) {
		return s.SetAttachments(ctx, chatID, attachments)
	})
}

// SourceContext returns a retrieved chunk with the text around it, for
// the source viewer.
func (a *App) SourceContext(chunkID int64) (rag.ChunkContext, error) {
	return bounded(a, func(ctx context.Context) (rag.ChunkContext, error) {
		return a.ragService().ChunkContext(ctx, chunkID)
	})
}

// OpenDocument opens a file of a document collection in the system's
// default app. Any other path is refused.
func (a *App) OpenDocument(path string) error {
	_, err := bounded(a, noValue(func(ctx context.Context) error {
		in, err := a.ragService().FileCollections(ctx, path)
		if err != nil {
			return err
		}
		if len(in) == 0 {
			return fmt.Errorf("%q is not a file of any document collection; only indexed documents open", path)
		}
		path = filepath.Clean(path)
		if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is no longer there (moved or deleted since it was indexed)", path)
		}
		return openInSystem(path)
	}))
	return err
}

// DocsPromptTemplate returns the template that wraps sources and the
// question in chats with documents.
func (a *App) DocsPromptTemplate() (chat.TemplateInfo, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.TemplateInfo, error) {
		return s.PromptTemplate(ctx)
	})
}

// SetDocsPromptTemplate stores the documents prompt template ("" restores
// the default); an invalid one is refused with the reason.
func (a *App) SetDocsPromptTemplate(text string) (chat.TemplateInfo, error) {
	return withChats(a, func(ctx context.Context, s *chat.Service) (chat.TemplateInfo, error) {
		return s.SetPromptTemplate(ctx, text)
	})
}
