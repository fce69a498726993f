package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestChatAttachmentsAndRetrievals(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	c := addChat(t, s, "t")
	a, err := s.CreateCollection(ctx, "a", "", "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.CreateCollection(ctx, "b", "", "")
	if _, err := s.PutFile(ctx, DocFile{CollectionID: a.ID, Path: "/d/x.md", State: FileIndexed}, chunks(7, "alpha", nil)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ChatAttachments(ctx, c.ID); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("none: %#v, %v", got, err)
	}
	want := []ChatAttachment{{CollectionID: b.ID, Collection: "b"}, {CollectionID: a.ID, Collection: "a", FilePath: "/d/x.md"}}
	if err := s.SetChatAttachments(ctx, c.ID, want); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ChatAttachments(ctx, c.ID)
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("attachments %+v", got)
	}
	// Rename follows; delete keeps the row, by the last name, until dropped.
	if err := s.RenameCollection(ctx, b.ID, "bee"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCollection(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.ChatAttachments(ctx, c.ID); got[0] != (ChatAttachment{Collection: "bee"}) {
		t.Fatalf("after rename and delete: %+v", got)
	}
	if err := s.DropGoneAttachments(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.ChatAttachments(ctx, c.ID); len(got) != 1 || got[0] != want[1] {
		t.Fatalf("after drop: %+v", got)
	}
	if err := s.SetChatAttachments(ctx, c.ID, []ChatAttachment{{CollectionID: 999, Collection: "x"}}); err == nil {
		t.Fatal("an unknown collection id was stored")
	}

	if ok, err := s.CollectionHasFile(ctx, a.ID, "/d/x.md"); !ok || err != nil {
		t.Fatalf("has file: %v %v", ok, err)
	}
	if ok, _ := s.CollectionHasFile(ctx, a.ID, "/d/y.md"); ok {
		t.Fatal("has a file it does not hold")
	}
	if names, _ := s.FileCollections(ctx, "/d/x.md"); len(names) != 1 || names[0] != "a" {
		t.Fatalf("file collections %v", names)
	}

	// Neighbours by seq, within the file.
	files, _ := s.Files(ctx, a.ID)
	var mid int64
	rows, _ := s.db.QueryContext(ctx, `SELECT id FROM doc_chunks WHERE file_id = ? AND seq = 3`, files[0].ID)
	for rows.Next() {
		rows.Scan(&mid)
	}
	rows.Close()
	n, err := s.ChunkWithNeighbours(ctx, mid, 2)
	if err != nil || n.Collection != "a" || n.Chunk.Seq != 3 || n.Chunk.Path != "/d/x.md" || len(n.Before) != 2 || len(n.After) != 2 ||
		n.Before[0].Seq != 1 || n.Before[1].Seq != 2 || n.After[0].Seq != 4 || n.After[1].Seq != 5 {
		t.Fatalf("neighbours %+v, %v", n, err)
	}
	if _, err := s.ChunkWithNeighbours(ctx, 12345, 2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown chunk: %v", err)
	}

	// Retrievals: upsert, read per chat, gone with the message or chat.
	ms := addMsgs(t, s, c.ID, Message{Role: "user", Content: "q"}, Message{Role: "assistant", ParentID: -1, Content: "a"})
	if err := s.SetMessageRetrieval(ctx, ms[1].ID, `{"v":1}`); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMessageRetrieval(ctx, ms[1].ID, `{"v":2}`); err != nil {
		t.Fatal(err)
	}
	if rs, _ := s.MessageRetrievals(ctx, c.ID); len(rs) != 1 || rs[ms[1].ID] != `{"v":2}` {
		t.Fatalf("retrievals %v", rs)
	}
	if _, err := s.DeleteMessageTree(ctx, ms[0].ID); err != nil {
		t.Fatal(err)
	}
	if rs, _ := s.MessageRetrievals(ctx, c.ID); len(rs) != 0 {
		t.Fatalf("left after delete: %v", rs)
	}
	ms = addMsgs(t, s, c.ID, Message{Role: "user", Content: "q"}, Message{Role: "assistant", ParentID: -1, Content: "a"})
	s.SetMessageRetrieval(ctx, ms[1].ID, `{}`)
	if err := s.SoftDeleteChat(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PurgeDeletedChats(ctx, time.Now().Add(time.Hour)); n != 1 || err != nil {
		t.Fatalf("purge %d %v", n, err)
	}
	var left int
	s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM message_retrievals) + (SELECT COUNT(*) FROM chat_attachments)`).Scan(&left)
	if left != 0 {
		t.Fatalf("%d rows left after purge", left)
	}
}
