package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestDownloadsRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wadi.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.AddDownload(ctx, "http://127.0.0.1:11434", "qwen3:8b", "queued")
	if err != nil || d.ID == 0 || d.State != "queued" || d.UpdatedAt == "" {
		t.Fatalf("AddDownload = %+v, %v", d, err)
	}
	d.State, d.CompletedBytes, d.TotalBytes, d.Attempts, d.Error = "paused", 10, 100, 2, "stalled once"
	if _, err := s.UpdateDownload(ctx, d); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateDownload(ctx, DownloadRow{ID: 999, State: "done"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update missing: %v", err)
	}
	s.Close()

	s, err = Open(ctx, path) // the queue survives a restart
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.Downloads(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("Downloads = %+v, %v", list, err)
	}
	if g := list[0]; g.Name != "qwen3:8b" || g.State != "paused" || g.CompletedBytes != 10 || g.TotalBytes != 100 ||
		g.Attempts != 2 || g.Error != "stalled once" {
		t.Errorf("after reopen: %+v", g)
	}
	if err := s.DeleteDownload(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDownload(ctx, d.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
}
