# Chat (issue 3, Go side): the chat benchmarks against the real test Ollama
# and SQLite. The figures go to docs/benchmarks.md, "Chat".
.PHONY: bench-chat

## bench-chat: first-token latency (Wadi vs api.Client.Chat), events/s, FTS search, long chat load
bench-chat: test-ollama
	WADI_TEST_OLLAMA=$$(./scripts/build-ollama.sh) WADI_REQUIRE_OLLAMA=1 \
	  $(GO) test -tags $(GO_TAGS) -run '^$$' -bench . -benchtime 50x -timeout 20m ./backend/chat/
