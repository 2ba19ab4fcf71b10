#!/usr/bin/env bash
# Builds the browser side into target/site: the hydrate WASM bundle
# (pkg/agenda.js + pkg/agenda_bg.wasm), the stylesheet (pkg/agenda.css) and
# the static files of public/ (manifest, icons).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$cargo_bin:$HOME/.cargo/bin:$PATH"

site=target/site
pkg=$site/pkg
wasm=target/wasm32-unknown-unknown/wasm-release/frontend.wasm

say() { printf '\033[1;36m[front]\033[0m %s\n' "$*"; }

say "cargo build (wasm32, profile wasm-release)"
cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release

mkdir -p "$pkg"
if [ ! -f "$pkg/agenda_bg.wasm" ] || [ "$wasm" -nt "$pkg/agenda_bg.wasm" ]; then
  say "wasm-bindgen"
  wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name agenda "$wasm"
  say "wasm-opt -Oz"
  # rustc enables these WebAssembly features by default; binaryen must accept them.
  "$cargo_bin/wasm-opt" -Oz \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$pkg/agenda_bg.wasm" -o "$pkg/agenda_bg.wasm"
  touch "$pkg/agenda_bg.wasm"
fi
cp style/main.css "$pkg/agenda.css"
cp -R public/. "$site/"
raw=$(stat -c %s "$pkg/agenda_bg.wasm")
gz=$(gzip -9 -c "$pkg/agenda_bg.wasm" | wc -c)
say "bundle: agenda_bg.wasm $((raw / 1024)) KiB ($((gz / 1024)) KiB gzip)"
