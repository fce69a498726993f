package desktop

import (
	"sync"

	"github.com/wadi-app/wadi/backend/rag"
)

// docsHolder owns the App's document service, shared by the Documents
// page, chats and comparisons so that each collection's in-memory vector
// index is built once.
type docsHolder struct {
	once sync.Once
	svc  *rag.Service
}

// ragService returns the document service, creating it on first use.
// Callers check a.openErr first (bounded does).
func (a *App) ragService() *rag.Service {
	a.docs.once.Do(func() { a.docs.svc = rag.New(a.core.Store, rag.Options{}) })
	return a.docs.svc
}
