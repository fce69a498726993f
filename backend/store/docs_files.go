package store

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
)

// DocFile is one file of a collection and how its indexing went.
type DocFile struct {
	ID           int64  `json:"id"`
	CollectionID int64  `json:"collectionId"`
	Path         string `json:"path"`
	Size         int64  `json:"size"`
	MtimeNs      int64  `json:"mtimeNs"`
	Hash         string `json:"hash"`  // hex SHA-256 of the content
	State        string `json:"state"` // FilePending, FileIndexed, FileFailed or FileSkipped
	Error        string `json:"error"`
	Format       string `json:"format"`
	Title        string `json:"title"`
	Pages        int    `json:"pages"`
	ChunkCount   int    `json:"chunkCount"`
	IndexedAt    string `json:"indexedAt"`
}

// DocChunk is one stored chunk of a file.
type DocChunk struct {
	ID        int64
	FileID    int64
	Seq       int
	Text      string
	Page      int
	EndPage   int
	Section   string
	Start     int
	End       int
	Tokens    int
	Embedding []float32 // nil in keyword-only mode
	Model     string
}

const fileCols = `id, collection_id, path, size, mtime_ns, hash, state, error, format, title, pages, chunk_count, indexed_at`

func scanFile(sc interface{ Scan(...any) error }) (DocFile, error) {
	var f DocFile
	err := sc.Scan(&f.ID, &f.CollectionID, &f.Path, &f.Size, &f.MtimeNs, &f.Hash, &f.State, &f.Error,
		&f.Format, &f.Title, &f.Pages, &f.ChunkCount, &f.IndexedAt)
	return f, err
}

// Files lists a collection's files by path.
func (s *Store) Files(ctx context.Context, collID int64) ([]DocFile, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+fileCols+` FROM doc_files WHERE collection_id = ? ORDER BY path`, collID)
	if err != nil {
		return nil, s.wrapErr("list files", err)
	}
	defer rows.Close()
	var out []DocFile
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, s.wrapErr("list files", err)
		}
		out = append(out, f)
	}
	return out, s.wrapErr("list files", rows.Err())
}

// PutFile stores f and replaces its chunks with chunks, all in one
// transaction: after a crash either the old or the new version of the file
// is there, never a mix. chunk_count is set from len(chunks).
func (s *Store) PutFile(ctx context.Context, f DocFile, chunks []DocChunk) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.wrapErr("store file "+f.Path, err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO doc_files(collection_id, path, size, mtime_ns, hash, state, error, format, title, pages, chunk_count)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(collection_id, path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
			hash = excluded.hash, state = excluded.state, error = excluded.error, format = excluded.format,
			title = excluded.title, pages = excluded.pages, chunk_count = excluded.chunk_count,
			indexed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
		RETURNING id`, f.CollectionID, f.Path, f.Size, f.MtimeNs, f.Hash, f.State, f.Error, f.Format, f.Title,
		f.Pages, len(chunks)).Scan(&id)
	if err != nil {
		return 0, s.wrapErr("store file "+f.Path, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM doc_chunks WHERE file_id = ?`, id); err != nil {
		return 0, s.wrapErr("store file "+f.Path, err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO doc_chunks(file_id, collection_id, seq, text, page, end_page,
		section, start_offset, end_offset, tokens, embedding, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, s.wrapErr("store file "+f.Path, err)
	}
	defer stmt.Close()
	for i, c := range chunks {
		if _, err := stmt.ExecContext(ctx, id, f.CollectionID, c.Seq, c.Text, c.Page, c.EndPage, c.Section,
			c.Start, c.End, c.Tokens, EncodeVector(c.Embedding), c.Model); err != nil {
			return 0, s.wrapErr("store file "+f.Path, err)
		}
		if putChunkHook != nil {
			putChunkHook(i)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, s.wrapErr("store file "+f.Path, err)
	}
	return id, nil
}

// putChunkHook, when set (tests), runs after each chunk row is written.
var putChunkHook func(i int)

// DeleteFile removes a file and its chunks; ErrNotFound (wrapped) if absent.
func (s *Store) DeleteFile(ctx context.Context, collID int64, path string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM doc_files WHERE collection_id = ? AND path = ?`, collID, path)
	return s.affected(res, err, "file "+path)
}

// ChunkVectors calls fn with the id and embedding of every chunk of the
// collection embedded by model, in id order.
func (s *Store) ChunkVectors(ctx context.Context, collID int64, model string, fn func(id int64, vec []float32) error) error {
	return s.eachVector(ctx, fn, `SELECT id, embedding FROM doc_chunks
		WHERE collection_id = ? AND model = ? AND embedding IS NOT NULL ORDER BY id`, collID, model)
}

// StaleChunks returns up to limit chunks of the collection not embedded by
// model (text only), to re-embed after the model changed.
func (s *Store) StaleChunks(ctx context.Context, collID int64, model string, limit int) ([]DocChunk, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, file_id, text FROM doc_chunks
		WHERE collection_id = ? AND (model != ? OR embedding IS NULL) ORDER BY id LIMIT ?`, collID, model, limit)
	if err != nil {
		return nil, s.wrapErr("read stale chunks", err)
	}
	defer rows.Close()
	var out []DocChunk
	for rows.Next() {
		var c DocChunk
		if err := rows.Scan(&c.ID, &c.FileID, &c.Text); err != nil {
			return nil, s.wrapErr("read stale chunks", err)
		}
		out = append(out, c)
	}
	return out, s.wrapErr("read stale chunks", rows.Err())
}

// CountStaleChunks counts the chunks of a collection that lack a vector
// from model (StaleChunks without a limit).
func (s *Store) CountStaleChunks(ctx context.Context, collID int64, model string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM doc_chunks
		WHERE collection_id = ? AND (model != ? OR embedding IS NULL)`, collID, model).Scan(&n)
	return n, s.wrapErr("count stale chunks", err)
}

// SetEmbeddings stores embeddings made by model for chunks (ID and
// Embedding used), in one transaction.
func (s *Store) SetEmbeddings(ctx context.Context, model string, chunks []DocChunk) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrapErr("store embeddings", err)
	}
	defer tx.Rollback()
	for _, c := range chunks {
		if _, err := tx.ExecContext(ctx, `UPDATE doc_chunks SET embedding = ?, model = ? WHERE id = ?`,
			EncodeVector(c.Embedding), model, c.ID); err != nil {
			return s.wrapErr("store embeddings", err)
		}
	}
	return s.wrapErr("store embeddings", tx.Commit())
}

// ChunkRef is a stored chunk with the file it came from.
type ChunkRef struct {
	DocChunk
	Path   string
	Format string
	Title  string
}

// ChunksByID returns the chunks with the given ids (missing ones left out).
func (s *Store) ChunksByID(ctx context.Context, ids []int64) (map[int64]ChunkRef, error) {
	out := make(map[int64]ChunkRef, len(ids))
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := make([]any, len(part))
		q := make([]byte, 0, 2*len(part))
		for i, id := range part {
			args[i] = id
			if i > 0 {
				q = append(q, ',')
			}
			q = append(q, '?')
		}
		rows, err := s.db.QueryContext(ctx, `SELECT k.id, k.file_id, k.seq, k.text, k.page, k.end_page, k.section,
			k.start_offset, k.end_offset, k.tokens, k.model, f.path, f.format, f.title
			FROM doc_chunks k JOIN doc_files f ON f.id = k.file_id WHERE k.id IN (`+string(q)+`)`, args...)
		if err != nil {
			return nil, s.wrapErr("read chunks", err)
		}
		for rows.Next() {
			var c ChunkRef
			if err := rows.Scan(&c.ID, &c.FileID, &c.Seq, &c.Text, &c.Page, &c.EndPage, &c.Section, &c.Start,
				&c.End, &c.Tokens, &c.Model, &c.Path, &c.Format, &c.Title); err != nil {
				rows.Close()
				return nil, s.wrapErr("read chunks", err)
			}
			out[c.ID] = c
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, s.wrapErr("read chunks", err)
		}
	}
	return out, nil
}

// EncodeVector stores v as float32 little-endian (nil for nil).
func EncodeVector(v []float32) []byte {
	if v == nil {
		return nil
	}
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// DecodeVector reads what EncodeVector wrote.
func DecodeVector(b []byte) ([]float32, error) {
	if b == nil {
		return nil, nil
	}
	if len(b)%4 != 0 {
		return nil, errors.New("embedding blob length is not a multiple of 4")
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

// TouchFile records a new size and mtime for a file whose content did not
// change, so the next scan skips it without hashing.
func (s *Store) TouchFile(ctx context.Context, f DocFile) error {
	res, err := s.db.ExecContext(ctx, `UPDATE doc_files SET size = ?, mtime_ns = ? WHERE id = ?`, f.Size, f.MtimeNs, f.ID)
	return s.affected(res, err, "file "+f.Path)
}

// ClearFileErrors empties the error of the collection's indexed files whose
// error starts with prefix (a note resolved since, such as missing vectors).
func (s *Store) ClearFileErrors(ctx context.Context, collID int64, prefix string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE doc_files SET error = '' WHERE collection_id = ? AND state = ?
		AND substr(error, 1, ?) = ?`, collID, FileIndexed, len(prefix), prefix)
	return s.wrapErr("clear file errors", err)
}
