# Models UI (issue 4, frontend): the catalog render benchmark in a real
# browser. Builds frontend/bench/catalog.html, serves it on 127.0.0.1 and
# prints the timings JSON that headless Chromium leaves in the page.
# The figures go to docs/benchmarks.md, "Models UI".
BENCH_UI_OUT  ?= /tmp/wadi-bench-catalog
BENCH_UI_PORT ?= 18765
CHROMIUM      ?= chromium

.PHONY: bench-models-ui

## bench-models-ui: time the Catalog tab with 200 entries in headless Chromium
bench-models-ui:
	cd frontend && BENCH_OUT=$(BENCH_UI_OUT) npx vite build --config bench/vite.config.mjs --logLevel warn
	@set -e; cd $(BENCH_UI_OUT); python3 -m http.server $(BENCH_UI_PORT) --bind 127.0.0.1 >/dev/null 2>&1 & pid=$$!; \
	  trap 'kill $$pid' EXIT; sleep 1; \
	  $(CHROMIUM) --headless=new --no-sandbox --disable-gpu --dump-dom \
	    http://127.0.0.1:$(BENCH_UI_PORT)/bench/catalog.html 2>/dev/null \
	  | sed -n 's/.*<pre id="result">\([^<]*\)<.*/\1/p'
