#!/usr/bin/env bash
# Installs what the tests need and runs every check: formatting, clippy for the
# server (ssr) and browser (hydrate, wasm32) builds, unit and integration
# tests, and the end-to-end browser tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$cargo_bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1;35m== %s ==\033[0m\n' "$*"; }
started=$(date +%s)

step "setup"
scripts/setup.sh --test

step "cargo fmt --check"
cargo fmt --all --check

step "clippy: server build (ssr)"
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings

step "clippy: browser build (hydrate, wasm32)"
cargo clippy -p frontend -p app --target wasm32-unknown-unknown --all-targets -- -D warnings

step "unit and integration tests"
cargo test --workspace --exclude frontend

step "browser bundle and server binary"
scripts/build-front.sh
cargo build -p server --bin agenda

step "end-to-end tests (Chromium)"
(cd end2end && node --test --test-concurrency=1 tests/)

step "all checks passed in $(( $(date +%s) - started ))s"
