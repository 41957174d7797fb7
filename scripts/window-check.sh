#!/usr/bin/env bash
# The real window, as a user starts it: the binary with --demo on the display that session.sh
# provides. It is the one `cargo test` already built for the integration tests (dependencies
# optimised, see Cargo.toml), so CI compiles the crate once. Asking for it through `cargo test
# --no-run` keeps the features cargo unifies for tests (the dev-dependencies turn on some in
# tokio and eframe): a plain `cargo build` gets other features and rebuilt about a third of the
# dependencies, five minutes of CI. Finds the window by its title, takes a screenshot, and fails
# when the window does not appear or the process dies.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${WINDOW_SCREENSHOT:-target/window-check.png}
cargo test --locked --quiet --no-run --test cli
bin=${CARGO_TARGET_DIR:-target}/debug/cl-login-tester
log=$(mktemp)
"$bin" --demo >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

window=""
for _ in $(seq 150); do
  window=$(xdotool search --name '^CL Login Tester$' 2>/dev/null | head -n1 || true)
  [ -n "$window" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "window-check: the app exited before showing its window:" >&2; cat "$log" >&2; exit 1
  fi
  sleep 0.2
done
if [ -z "$window" ]; then
  echo "window-check: no window titled 'CL Login Tester' after 30 s" >&2; cat "$log" >&2; exit 1
fi
sleep 2 # let the first frames render
import -window root "$out"
if ! kill -0 "$pid" 2>/dev/null; then
  echo "window-check: the app died after opening:" >&2; cat "$log" >&2; exit 1
fi
echo "window-check: window $window is up; screenshot in $out"
