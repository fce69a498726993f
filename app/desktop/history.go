package desktop

import (
	"context"

	"github.com/wadi-app/wadi/backend/history"
)

// SearchHistory searches chat messages and compare runs (prompts and
// finished answers) together, most relevant first (see history.Search);
// never null. The window's search dialog (Ctrl+K) shows both kinds.
func (a *App) SearchHistory(query string, limit int) ([]history.Hit, error) {
	return bounded(a, func(ctx context.Context) ([]history.Hit, error) {
		return history.Search(ctx, a.core.Store, query, limit)
	})
}
