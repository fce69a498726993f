package extract

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"
)

// maxBlock caps one text block: longer paragraphs are split at line ends
// (a single line longer than 64 KiB is split at 64 KiB).
const maxBlock = 16 << 10

// extractText streams plain text or source code into blocks split at blank
// lines. Memory stays bounded by the extracted text (capped by the
// builder's MaxTextBytes) plus one block: the file is never read whole.
func extractText(r io.Reader, b *builder, code bool) error {
	kind := Paragraph
	if code {
		kind = Code
	}
	br := bufio.NewReaderSize(r, 64<<10)
	para := make([]byte, 0, maxBlock+1024)
	flush := func() error {
		err := b.block(kind, string(para))
		para = para[:0]
		return err
	}
	for {
		line, err := readLine(br)
		if len(line) > 0 {
			if cerr := checkChunk(line); cerr != nil {
				return cerr
			}
			if !utf8.Valid(line) {
				line = bytes.ToValidUTF8(line, []byte("\uFFFD"))
			}
			line = bytes.TrimRight(line, "\r\n")
			if len(bytes.TrimSpace(line)) == 0 {
				if ferr := flush(); ferr != nil {
					return ferr
				}
			} else {
				if len(para)+len(line) > maxBlock {
					if ferr := flush(); ferr != nil {
						return ferr
					}
				}
				if len(para) > 0 {
					para = append(para, '\n')
				}
				para = append(para, line...)
			}
		}
		if errors.Is(err, io.EOF) {
			return flush()
		}
		if err != nil {
			return readErr(err)
		}
	}
}

// readLine returns the next line including its newline. A line longer
// than the reader's buffer (64 KiB) comes back in buffer-sized pieces.
// The result is only valid until the next read unless it was copied.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return line, nil
	}
	return line, err
}

// checkChunk fails with ErrBinary on a NUL byte past the sniffed head.
func checkChunk(p []byte) error {
	for _, c := range p {
		if c == 0 {
			return failf(ErrBinary, "NUL byte in the text: this is not a text file")
		}
	}
	return nil
}
