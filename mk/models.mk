# Model library, Go side (issue 4): the progress-throttle and catalog-search
# benchmarks whose figures are in docs/benchmarks.md, "Models (Go ...)".
.PHONY: bench-models

## bench-models: progress events per download and catalog search over 200 entries
bench-models:
	$(GO) test -tags $(GO_TAGS) -run XXX -bench ProgressEvents -benchtime 3x ./backend/pull/
	$(GO) test -run XXX -bench Search200 ./backend/catalog/
