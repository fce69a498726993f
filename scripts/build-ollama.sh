#!/usr/bin/env bash
# Builds the Ollama server (CPU only) from the Go module version pinned in go.mod
# into a cache outside the clone; rebuilds only when the version changes.
# Prints the path of the binary on stdout. Recipe: ../shared/DESIGN.md §5.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(go list -m -f '{{.Version}}' github.com/ollama/ollama)
cache=${WADI_DEV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wadi-dev}
dest="$cache/ollama-$version"
bin="$dest/bin/ollama"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi

malgo=github.com/gen2brain/malgo@v0.11.24
go mod download "$malgo" >&2
malgo_dir=$(go mod download -json "$malgo" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
inc="$dest/include"
mkdir -p "$inc/miniaudio" "$dest/bin"
cp "$malgo_dir/miniaudio.h" "$inc/miniaudio/miniaudio.h"
chmod u+w "$inc/miniaudio/miniaudio.h"

echo "building ollama $version (CPU) into $dest; takes ~5 min cold" >&2
tmp="$dest/bin.tmp"
rm -rf "$tmp"
GOBIN="$tmp" CGO_ENABLED=1 CGO_CPPFLAGS="-I$inc -I/usr/include/stb" GOFLAGS=-mod=mod \
  go install -trimpath -ldflags "-s -w -X github.com/ollama/ollama/version.Version=${version#v}" \
  "github.com/ollama/ollama@$version" >&2
mv "$tmp/ollama" "$bin"
rm -rf "$tmp"
echo "$bin"
