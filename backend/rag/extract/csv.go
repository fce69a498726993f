package extract

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// csvRowsPerBlock caps the rows of one table block; each block repeats the
// header so that it stands alone as a chunk.
const csvRowsPerBlock = 50

// extractCSV reads CSV (or TSV by extension) as table blocks of rows, each
// starting with the header row; cells are joined with " | ".
func extractCSV(r io.Reader, b *builder, ext string) error {
	cr := csv.NewReader(r)
	if strings.EqualFold(ext, ".tsv") {
		cr.Comma = '\t'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	var header string
	var rows []string
	size := 0
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		err := b.block(Table, header+"\n"+strings.Join(rows, "\n"))
		rows, size = rows[:0], 0
		return err
	}
	for line := 0; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return failf(ErrCorrupt, "CSV %v", err)
			}
			return readErr(err)
		}
		row := strings.ToValidUTF8(strings.Join(rec, " | "), "\uFFFD")
		if err := checkChunk([]byte(row)); err != nil {
			return err
		}
		if line == 0 {
			header = row
			continue
		}
		rows = append(rows, row)
		size += len(row)
		if len(rows) >= csvRowsPerBlock || size > maxBlock {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if header != "" && len(b.blocks) == 0 && len(rows) == 0 {
		return b.block(Table, header)
	}
	return flush()
}
