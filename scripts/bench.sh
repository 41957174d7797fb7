#!/usr/bin/env bash
# Benchmarks, side by side in one run, reported as ratios (see the README's "Speed" section):
#  1. one CLI login, whole process, against curl posting the same body to the same local demo
#     server (hyperfine);
#  2. the window: time until it is on screen and resident memory, against a bare eframe window
#     built with the same features; CPU used while idle.
# Needs a display: run it as `dbus-run-session -- bash scripts/session.sh bash scripts/bench.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: install hyperfine (apt-get install hyperfine)" >&2; exit 1; }

cargo build --locked --release --quiet --bin cl-login-tester --example bare_window
bin=target/release/cl-login-tester
bare=target/release/examples/bare_window
results=target/bench
mkdir -p "$results"

# --- 1. CLI login vs curl -------------------------------------------------------------------
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

# --- 2. the window --------------------------------------------------------------------------
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
