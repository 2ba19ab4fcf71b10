#!/usr/bin/env bash
# Installs what Agenda needs on a Debian machine that has Rust, Node and Python.
# Idempotent: each step checks first and does nothing when already satisfied.
#
#   scripts/setup.sh          what running the app needs
#   scripts/setup.sh --test   plus what the tests need (Chromium, Playwright)
#
# Nothing here downloads from outside the package registries (crates.io,
# Debian, npm); in particular no browser or tool binary from GitHub.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

say() { printf '\033[1;36m[setup]\033[0m %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
apt_updated=false
apt_install() {
  if ! $apt_updated; then
    say "apt-get update"
    $SUDO apt-get update -qq
    apt_updated=true
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$cargo_bin:$HOME/.cargo/bin:$PATH"

# 1. The WebAssembly target for the browser bundle.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI: must be exactly the wasm-bindgen version in Cargo.lock.
#    (We drive the front build ourselves instead of through cargo-leptos: the
#    newest cargo-leptos needs a newer rustc than this toolchain, an old pin
#    costs ~15 min to build, and it would try to download these tools from
#    GitHub. See docs/architecture.md.)
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg_version" ]; then
  say "installing wasm-bindgen-cli $wbg_version (a few minutes, once)"
  # Not --locked: the 0.2.130 lock file pins a crate version that is no longer
  # on crates.io.
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

# 3. wasm-opt (binaryen) shrinks the bundle. Debian's binaryen 108 is NOT
#    usable: reading and writing a module with two tables mis-maps the
#    `__wbindgen_externrefs` export onto the funcref table, and hydration dies
#    with "WebAssembly.Table.set(): Argument 1 is invalid for table". The
#    `wasm-opt` crate builds binaryen 116 (the version cargo-leptos links) from
#    source through crates.io: slow once (~10 min), then cached in ~/.cargo/bin.
wasm_opt_version=0.116.1
if ! "$cargo_bin/wasm-opt" --version 2>/dev/null | grep -q "version 116"; then
  say "installing wasm-opt $wasm_opt_version (binaryen 116, builds from source once)"
  cargo install wasm-opt --version "$wasm_opt_version" --locked --force
fi

if $want_test; then
  # 4. Chromium from Debian for the browser tests (Playwright must not
  #    download its own browser).
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
  fi
  # 5. playwright-core from npm, exactly as locked.
  if [ ! -d end2end/node_modules/playwright-core ] ||
     [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "npm ci (end2end)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
say "tools ready"
