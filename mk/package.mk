# Packaging: `make package` builds dist/wadi_<version>_amd64.deb (with the
# built-in Ollama engine) and dist/wadi_<version>_windows_amd64_setup.exe.
PKG_OUT     := dist
DEB_VERSION := $(if $(VERSION),$(VERSION:v%=%),0.0.0-dev+$(COMMIT))
APT_PACKAGE := dpkg-dev gcc-mingw-w64-x86-64-posix nsis
WIN_EXE     := $(PKG_OUT)/windows/wadi.exe
WIN_SETUP   := $(PKG_OUT)/wadi_$(DEB_VERSION)_windows_amd64_setup.exe

.PHONY: package package-deb package-deb-e2e package-windows deps-package

deps-package: deps
	@./scripts/apt-ensure.sh $(APT_PACKAGE)

## package: the Linux .deb and the Windows installer
package: package-deb package-windows

package-deb: deps-package $(BIN)
	@./scripts/apt-ensure.sh $(APT_TEST)
	./scripts/package-deb.sh $(BIN) "$$(./scripts/build-ollama.sh)" $(PKG_OUT) $(DEB_VERSION)

# The same package around the e2e-tagged binary, for the install test.
package-deb-e2e: deps-package $(E2E_BIN)
	./scripts/package-deb.sh $(E2E_BIN) "$$(./scripts/build-ollama.sh)" $(PKG_OUT)/e2e $(DEB_VERSION)

# go-sqlite3 needs cgo: cross-compiled with mingw-w64. Compiled here, not run
# (no Windows in CI); WebView2 ships with current Windows 10/11.
# The icon and version resources go in through a .syso (go-winres) that the
# Go linker picks up from the main package directory for Windows builds only.
WINRES := github.com/tc-hib/go-winres@v0.3.3
$(WIN_EXE): frontend/dist/index.html $(GO_SRC) build/windows/icon.ico
	$(GO) run $(WINRES) simply --arch amd64 --manifest gui --icon build/windows/icon.ico \
	  --product-name Wadi --file-description Wadi --copyright "The Wadi developers" \
	  --original-filename wadi.exe --out rsrc
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
	  $(GO) build -tags desktop,production,sqlite_fts5 -trimpath \
	  -ldflags "$(LDFLAGS) -H windowsgui" -o $@ . ; status=$$?; rm -f rsrc_windows_amd64.syso; exit $$status

package-windows: deps-package $(WIN_EXE)
	makensis -V2 -DVERSION=$(DEB_VERSION) -DEXE=$(CURDIR)/$(WIN_EXE) \
	  -DOUTFILE=$(CURDIR)/$(WIN_SETUP) build/windows/installer.nsi
	@echo $(WIN_SETUP)
