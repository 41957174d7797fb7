#!/usr/bin/env bash
# Benchmarks, side by side in one run, reported as ratios (see the README's "Speed" section):
#  1. one CLI login, whole process, against curl posting the same body to the same local demo
#     server (hyperfine);
#  2. the window: time until it is on screen and resident memory, against a bare eframe window
#     built with the same features; CPU used while idle;
#  3. the window with a hostile answer in its tabs, against a normal answer on the same tab:
#     CPU per frame and resident memory, and memory once a normal answer replaces it
#     (benches/answer_frames.rs).
# Needs a display: run it as `dbus-run-session -- bash scripts/session.sh bash scripts/bench.sh`.
# `bash scripts/bench.sh answers` (or `cli`, `window`) runs only those parts.
set -euo pipefail
cd "$(dirname "$0")/.."
parts=${*:-cli window answers}
wants() { [[ " $parts " == *" $1 "* ]]; }
results=target/bench
mkdir -p "$results"

if wants cli || wants window; then
command -v hyperfine >/dev/null || { echo "bench: install hyperfine (apt-get install hyperfine)" >&2; exit 1; }
cargo build --locked --release --quiet --bin cl-login-tester --example bare_window
bin=target/release/cl-login-tester
bare=target/release/examples/bare_window
fi

# --- 1. CLI login vs curl -------------------------------------------------------------------
if wants cli; then
"$bin" demo-server --port 0 >"$results/demo.out" &
demo_pid=$!
trap 'kill $demo_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q '^Demo Commerce Layer auth server at' "$results/demo.out" && break; sleep 0.1; done
url=$(sed -n 's/^Demo Commerce Layer auth server at //p' "$results/demo.out")
body='{"grant_type":"password","username":"jane@example.com","password":"demo-password","client_id":"demo-test-sales-channel","scope":"market:code:europe"}'
export CL_PASSWORD=demo-password
hyperfine -N --warmup 10 --runs 100 --export-json "$results/cli.json" \
  -n curl "curl -sS -X POST $url/oauth/token -H 'Content-Type: application/json' -H 'Accept: application/json' --data-raw '$body' -o /dev/null" \
  -n cl-login-tester "$bin login --base-url $url --client-id demo-test-sales-channel --email jane@example.com --scope market:code:europe --json" \
  >"$results/cli.txt"
cat "$results/cli.txt"
fi

# --- 2. the window --------------------------------------------------------------------------
if wants window; then
# Seconds from start until the window is visible, then RSS (KiB) and CPU ticks over 5 s idle.
measure_window() {
  local title=$1; shift
  local start end pid ticks0 ticks1 rss
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  xdotool search --sync --onlyvisible --name "^$title\$" >/dev/null
  end=$(date +%s.%N)
  sleep 2
  ticks0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  sleep 5
  ticks1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}') $rss $((ticks1 - ticks0))"
}
runs=5
: >"$results/window.txt"
for i in $(seq $runs); do
  echo "bare $(measure_window 'Bare eframe window' "$bare")" >>"$results/window.txt"
  echo "app $(measure_window 'CL Login Tester' "$bin")" >>"$results/window.txt"
done
awk -v runs=$runs '
  { t[$1] += $2; r[$1] += $3; c[$1] += $4 }
  END {
    printf "window ready (s):   bare %.3f  app %.3f  ratio %.2f\n", t["bare"]/runs, t["app"]/runs, t["app"]/t["bare"]
    printf "resident (MiB):     bare %.1f  app %.1f  ratio %.2f\n", r["bare"]/runs/1024, r["app"]/runs/1024, r["app"]/r["bare"]
    printf "idle CPU ticks/5 s: bare %.1f  app %.1f\n", c["bare"]/runs, c["app"]/runs
  }' "$results/window.txt" | tee "$results/window-summary.txt"
fi

# --- 3. hostile answers in the tabs ---------------------------------------------------------
# One process per shape, so each starts from the same memory. The dev profile, like the tests:
# dependencies (egui, epaint, AccessKit) are optimised there, and a release build of the test
# harness and its renderer would take many minutes for no difference in what is measured.
if wants answers; then
cargo bench --locked --quiet --profile dev --bench answer_frames --no-run
: >"$results/answers.txt"
for shape in one-line one-line+all pretty pretty+all deep long-header many-headers many-headers+all many-claims; do
  cargo bench --locked --quiet --profile dev --bench answer_frames -- "$shape" >>"$results/answers.txt"
done
awk '
  BEGIN { printf "%-17s %-13s %9s %10s %6s %10s %11s %9s %6s\n", "answer", "tab", "normal ms", "hostile ms", "ratio", "RSS MiB", "w/ hostile", "after", "after/" }
  { gsub(/_/, " ", $2); printf "%-17s %-13s %9.2f %10.2f %6.2f %10.1f %11.1f %9.1f %6.2f\n", $1, $2, $3, $4, $4/$3, $5/1024, $6/1024, $7/1024, $7/$5 }
' "$results/answers.txt" | tee "$results/answers-summary.txt"
fi
