# Compare UI (issue 6): the figures for docs/benchmarks.md ("Compare UI").
.PHONY: bench-compare-ui

## bench-compare-ui: stream four columns into the real window; prints repaints per column per second and frame times
bench-compare-ui: deps-test $(E2E_BIN)
	WADI_E2E_BIN=$(CURDIR)/$(E2E_BIN) WADI_ARTIFACTS=$(CURDIR)/$(ART) \
	  $(GO) test -tags $(GO_TAGS),e2e -count=1 -run TestCompareStreamsRenderBench -v ./e2e/ \
	  | grep -E 'bench:|^(ok|FAIL|---)'
