# Documents (issue 5, Go side): chunking, indexing and retrieval benchmarks
# on SQLite (embeddings from an in-process hash, so the index is measured,
# not a model). The figures go to docs/benchmarks.md, "Documents".
.PHONY: bench-docs

## bench-docs: hybrid query vs chromem-go at 10k/100k chunks, index memory, unchanged 10k-file rescan, chunking MB/s
bench-docs:
	$(GO) test -tags $(GO_TAGS) -run '^$$' -bench 'Query|IndexMemory|RescanUnchanged' -benchtime 30x -timeout 30m ./backend/rag/
	$(GO) test -run '^$$' -bench Split ./backend/rag/chunk/
