#!/usr/bin/env bash
# Every check, as CI runs it: system packages, the packaging checks (no build), formatting,
# clippy, then all tests with a private display and Secret Service, then the real window under
# Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/check-packaging.sh
cargo fmt --check
cargo clippy --locked --workspace --all-targets -- -D warnings
dbus-run-session -- bash scripts/session.sh cargo test --locked
dbus-run-session -- bash scripts/session.sh bash scripts/window-check.sh
