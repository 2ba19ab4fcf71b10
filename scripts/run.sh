#!/usr/bin/env bash
# Installs what is missing, builds, and serves Agenda at http://127.0.0.1:3000
# on the embedded SQLite database (data/agenda.db, created on first start with
# a demo company).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-front.sh
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$cargo_bin:$HOME/.cargo/bin:$PATH"
cargo build --release -p server --bin agenda
exec target/release/agenda serve "$@"
