#!/usr/bin/env bash
# Set up (the system libraries the window needs, when missing) and open the window on the
# built-in demo server. On a desktop that already has them, `cargo run --release -- --demo` is
# the same thing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec cargo run --locked --release -- --demo "$@"
