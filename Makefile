# Wadi: `make run` builds and opens the app, `make test` runs every test,
# `make build` builds without running. Each installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := build

GO       ?= go
GO_TAGS  := sqlite_fts5,webkit2_41
APP_TAGS := desktop,production,$(GO_TAGS)
PKG      := github.com/wadi-app/wadi
VERSION  ?= $(shell git describe --tags --exact-match 2>/dev/null)
COMMIT   := $(shell git rev-parse --short=12 HEAD 2>/dev/null)
LDFLAGS  := -w -s -X $(PKG)/backend/version.Version=$(VERSION) -X $(PKG)/backend/version.Commit=$(COMMIT)
BIN      := build/bin/wadi
E2E_BIN  := build/bin/wadi-e2e
ART      := artifacts

APT_BUILD := gcc pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
APT_TEST  := xvfb xauth xdotool imagemagick nlohmann-json3-dev libstb-dev libtasn1-doc shared-mime-info

GO_SRC := $(shell find . -name '*.go' -not -path './frontend/node_modules/*' 2>/dev/null) go.mod go.sum
FE_SRC := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/svelte.config.js frontend/public -type f 2>/dev/null)

.PHONY: build run test deps deps-test frontend test-ollama vet fmt-check go-test fe-check fe-test e2e clean

## build: the frontend, build/bin/wadi and its built-in engine build/bin/ollama
build: deps $(BIN) build/bin/ollama

# The built-in engine: Ollama built from the pinned module (see engine.Find).
build/bin/ollama: go.mod
	@./scripts/apt-ensure.sh nlohmann-json3-dev libstb-dev
	@mkdir -p build/bin
	cp "$$(./scripts/build-ollama.sh)" $@

## run: build, then open the window
run: build
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found (DISPLAY/WAYLAND_DISPLAY unset). Run 'make run' from a desktop session, or: xvfb-run -a $(BIN)"; exit 1; fi
	./$(BIN)

deps:
	@./scripts/apt-ensure.sh $(APT_BUILD)
	@command -v node >/dev/null || { echo "Node.js 20 or newer is needed (apt-get install nodejs npm, or nodesource)"; exit 1; }

deps-test: deps
	@./scripts/apt-ensure.sh $(APT_TEST)

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FE_SRC)
	cd frontend && npm run build
	touch $@

frontend: frontend/dist/index.html

$(BIN): frontend/dist/index.html $(GO_SRC)
	$(GO) build -tags $(APP_TAGS) -trimpath -ldflags "$(LDFLAGS)" -o $@ .

$(E2E_BIN): frontend/dist/index.html $(GO_SRC) app/desktop/e2e_prelude.js
	$(GO) build -tags $(APP_TAGS),e2e -trimpath -ldflags "$(LDFLAGS)" -o $@ .

## test-ollama: build the test Ollama server (cached outside the clone)
test-ollama: deps-test
	@./scripts/build-ollama.sh >/dev/null

## test: vet, format, Go unit+integration tests, svelte-check, vitest, the Windows
## cross-build, e2e in the real window (and the installed .deb)
test: deps-test frontend test-ollama vet fmt-check go-test fe-check fe-test package-windows e2e
	@echo "make test: all checks passed"

vet: frontend
	$(GO) vet -tags $(GO_TAGS) ./...
	$(GO) vet -tags $(GO_TAGS),e2e ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

go-test: frontend test-ollama
	WADI_TEST_OLLAMA=$$(./scripts/build-ollama.sh) WADI_REQUIRE_OLLAMA=1 \
	  $(GO) test -tags $(GO_TAGS) -count=1 -timeout 20m ./...

fe-check: frontend/node_modules/.installed
	cd frontend && npm run check

fe-test: frontend/node_modules/.installed
	cd frontend && npm test

## e2e: the real window under Xvfb driven by flows in e2e/flows; screenshots in artifacts/e2e
e2e: deps-test test-ollama $(E2E_BIN) package-deb package-deb-e2e
	WADI_TEST_OLLAMA=$$(./scripts/build-ollama.sh) WADI_REQUIRE_OLLAMA=1 WADI_E2E_BIN=$(CURDIR)/$(E2E_BIN) \
	  WADI_DEB=$(CURDIR)/$(PKG_OUT)/wadi_$(DEB_VERSION)_amd64.deb \
	  WADI_E2E_DEB=$(CURDIR)/$(PKG_OUT)/e2e/wadi_$(DEB_VERSION)_amd64.deb \
	  WADI_ARTIFACTS=$(CURDIR)/$(ART) $(GO) test -tags $(GO_TAGS),e2e -count=1 -timeout 15m -v ./e2e/

# Each area may add its own targets in mk/<area>.mk.
-include mk/*.mk

clean:
	rm -rf build/bin $(ART) frontend/node_modules/.installed
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete
