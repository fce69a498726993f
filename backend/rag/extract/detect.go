package extract

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// byExt maps lower-case file extensions to formats.
var byExt = map[string]string{
	".pdf": "pdf", ".docx": "docx", ".epub": "epub",
	".html": "html", ".htm": "html", ".xhtml": "html",
	".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
	".txt": "text", ".text": "text", ".log": "text", ".rst": "text", ".adoc": "text", ".org": "text",
	".csv": "csv", ".tsv": "csv",
}

// codeExt lists the source-code extensions, mapped to a language name.
var codeExt = map[string]string{
	".go": "go", ".py": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
	".ts": "typescript", ".tsx": "typescript", ".jsx": "javascript", ".svelte": "svelte", ".vue": "vue",
	".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hpp": "cpp", ".hh": "cpp",
	".rs": "rust", ".java": "java", ".kt": "kotlin", ".kts": "kotlin", ".scala": "scala",
	".rb": "ruby", ".php": "php", ".pl": "perl", ".lua": "lua", ".r": "r", ".jl": "julia",
	".swift": "swift", ".m": "objc", ".cs": "csharp", ".fs": "fsharp", ".dart": "dart",
	".sh": "shell", ".bash": "shell", ".zsh": "shell", ".fish": "shell", ".ps1": "powershell",
	".sql": "sql", ".css": "css", ".scss": "scss", ".less": "less",
	".json": "json", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".ini": "ini", ".xml": "xml",
	".proto": "protobuf", ".zig": "zig", ".hs": "haskell", ".ml": "ocaml", ".ex": "elixir",
	".exs": "elixir", ".erl": "erlang", ".clj": "clojure", ".el": "elisp", ".vim": "vim",
	".tf": "terraform", ".mk": "make", ".cmake": "cmake", ".gradle": "groovy", ".groovy": "groovy",
}

// codeNames lists source files recognised by their whole name.
var codeNames = map[string]string{
	"makefile": "make", "dockerfile": "dockerfile", "cmakelists.txt": "cmake",
	"gemfile": "ruby", "rakefile": "ruby", "justfile": "just",
}

// Language returns the programming language of a source-code path, or "".
func Language(path string) string {
	if l, ok := codeNames[strings.ToLower(filepath.Base(path))]; ok {
		return l
	}
	return codeExt[strings.ToLower(filepath.Ext(path))]
}

// Detect returns the format of a file from its name and its first bytes
// (head; a few KiB are enough). It fails with ErrUnsupported (saying why),
// ErrBinary for binary content in a text format, ErrCorrupt when the
// content contradicts the extension, or ErrEmpty for an empty head.
func Detect(path string, head []byte) (string, error) {
	if len(head) == 0 {
		return "", failf(ErrEmpty, "the file is empty")
	}
	ext := strings.ToLower(filepath.Ext(path))
	format := byExt[ext]
	if format == "" && Language(path) != "" {
		format = "code"
	}
	switch format {
	case "pdf":
		if !bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-")) {
			return "", failf(ErrCorrupt, "no %%PDF header: not a PDF file")
		}
		return format, nil
	case "docx", "epub":
		if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
			return "", failf(ErrCorrupt, "not a zip container, so not a valid %s file", strings.ToUpper(format))
		}
		return format, nil
	case "":
		return sniff(ext, head)
	}
	// A text format: the content must be text.
	if err := checkText(head); err != nil {
		return "", err
	}
	return format, nil
}

// sniff decides the format of a file with an unknown extension.
func sniff(ext string, head []byte) (string, error) {
	if bytes.HasPrefix(head, []byte("%PDF-")) {
		return "pdf", nil
	}
	ct := http.DetectContentType(head)
	if strings.HasPrefix(ct, "text/html") {
		return "html", nil
	}
	if strings.HasPrefix(ct, "text/plain") && checkText(head) == nil {
		return "text", nil
	}
	if ext == "" {
		return "", failf(ErrUnsupported, "no extension and the content (%s) is not text", ct)
	}
	return "", failf(ErrUnsupported, "%s files are not supported (content: %s)", ext, ct)
}

// checkText fails with ErrBinary if b does not look like text: a NUL byte,
// many control characters or more than 1 in 10 runes of invalid UTF-8.
func checkText(b []byte) error {
	bad, ctl, runes := 0, 0, 0
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == 0:
			return failf(ErrBinary, "NUL byte at offset %d: this is not a text file", i)
		case r == utf8.RuneError && n == 1:
			// A rune cut at the end of the sample is not an error.
			if len(b)-i >= utf8.UTFMax {
				bad++
			}
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f':
			ctl++
		}
		runes++
		i += n
	}
	if runes > 0 && (bad*10 > runes || ctl*20 > runes) {
		return failf(ErrBinary, "%d of %d characters are not valid text", bad+ctl, runes)
	}
	return nil
}
