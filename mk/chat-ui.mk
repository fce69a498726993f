# Chat UI (issue 3): the figures for docs/benchmarks.md ("Chat UI").
.PHONY: bench-chat-ui

## bench-chat-ui: open and scroll a 5,000-message chat in the real window; prints the figures
bench-chat-ui: deps-test test-ollama $(E2E_BIN)
	WADI_TEST_OLLAMA=$$(./scripts/build-ollama.sh) WADI_REQUIRE_OLLAMA=1 WADI_E2E_BIN=$(CURDIR)/$(E2E_BIN) \
	  WADI_ARTIFACTS=$(CURDIR)/$(ART) $(GO) test -tags $(GO_TAGS),e2e -count=1 -run TestChatLongScroll -v ./e2e/ \
	  | grep -E 'bench:|^(ok|FAIL|---)'
