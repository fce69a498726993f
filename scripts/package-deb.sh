#!/usr/bin/env bash
# Builds dist/wadi_<version>_amd64.deb from a built binary (first argument),
# the built-in Ollama engine (second argument) and the files under build/.
# Usage: scripts/package-deb.sh BIN OLLAMA_BIN OUT_DIR DEB_VERSION
set -euo pipefail
bin=$1 ollama=$2 out=$3 version=$4
cd "$(dirname "$0")/.."
mod=$(go list -m -f '{{.Dir}}' github.com/ollama/ollama)
root=$(mktemp -d)
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT

install -Dm755 "$bin" "$root/usr/bin/wadi"
install -Dm755 "$ollama" "$root/usr/lib/wadi/ollama"
install -Dm644 build/linux/wadi.desktop "$root/usr/share/applications/wadi.desktop"
for png in build/linux/icons/wadi-*.png; do
  size=${png##*/wadi-}; size=${size%.png}
  install -Dm644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/wadi.png"
done
install -Dm644 assets/icon.svg "$root/usr/share/icons/hicolor/scalable/apps/wadi.svg"

doc="$root/usr/share/doc/wadi"
install -d "$doc"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: wadi"
  echo
  echo "Files: usr/bin/wadi"
  echo "Copyright: the Wadi developers"
  echo
  echo "Files: usr/lib/wadi/ollama"
  echo "Copyright: Ollama authors; llama.cpp and ggml authors"
  echo "License: MIT"
  echo "Comment: Wadi's built-in engine is Ollama $(go list -m -f '{{.Version}}' github.com/ollama/ollama), built from source (CPU only)."
  echo " Its license notices follow."
  for f in "$mod/LICENSE" "$mod/llama/llama.cpp/LICENSE" "$mod/ml/backend/ggml/ggml/LICENSE"; do
    [ -f "$f" ] || continue
    echo " ."
    echo " ${f#"$mod"/}:"
    sed -e 's/^$/./' -e 's/^/ /' "$f"
  done
} > "$doc/copyright"
chmod 644 "$doc/copyright"

size=$(du -sk "$root/usr" | cut -f1)
install -d "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: wadi
Version: $version
Architecture: amd64
Maintainer: The Wadi developers <wadi@localhost>
Installed-Size: $size
Depends: libgtk-3-0, libwebkit2gtk-4.1-0
Section: utils
Priority: optional
Homepage: https://github.com/wadi-app/wadi
Description: private chat with open-weight language models
 Wadi runs open-weight language models (Qwen, DeepSeek, GLM, Gemma, Llama,
 Mistral and more) on your own machine through Ollama, with chat history,
 document search and model comparison. It sends nothing anywhere but the
 Ollama hosts you configure. A CPU build of Ollama is included and used when
 no other Ollama is running.
CONTROL

mkdir -p "$out"
deb="$out/wadi_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
