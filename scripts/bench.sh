#!/usr/bin/env bash
# Benchmarks, side by side in one run, reported as ratios (see the README's "Speed" section):
#  1. one CLI login, whole process, against curl posting the same body to the same local demo
#     server (hyperfine);
#  2. the window: time until it is on screen and resident memory, against a bare eframe window
#     built with the same features (benches/bare-window); CPU used while idle;
#  3. a 200-row bulk check (examples/bulk-200.csv) against a demo server without a rate limit,
#     `--rate` set high, against a shell loop of curl sending the same 200 requests in turn;
#  4. (only with the argument `paced`, about 6 minutes) the same 200 rows against
#     `demo-server --rate-limit 30/min` at the default pace: total time against the ideal;
#  5. the window with a hostile answer in its tabs, against a normal answer on the same tab:
#     CPU per frame and resident memory, and memory once a normal answer replaces it
#     (benches/answer_frames.rs).
# Usage: bash scripts/bench.sh [all|batch|paced|answers]
#   (default: all = 1, 2, 3 and 5; `batch` = 3 alone; `answers` = 5 alone)
# Parts 1, 2 and 5 need a display: run them as
# `dbus-run-session -- bash scripts/session.sh bash scripts/bench.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
part=${1:-all}
case $part in all|batch|paced|answers) ;; *) echo "usage: bash scripts/bench.sh [all|batch|paced|answers]" >&2; exit 2 ;; esac
target=${CARGO_TARGET_DIR:-target}
results=$target/bench
mkdir -p "$results"

# --- 5. hostile answers in the tabs ---------------------------------------------------------
# One process per shape, so each starts from the same memory. The dev profile, like the tests:
# dependencies (egui, epaint, AccessKit) are optimised there, and a release build of the test
# harness and its renderer would take many minutes for no difference in what is measured.
answers_bench() {
  cargo bench --locked --quiet --profile dev --bench answer_frames --no-run
  : >"$results/answers.txt"
  for shape in one-line one-line+all pretty pretty+all deep long-header many-headers many-headers+all many-claims; do
    cargo bench --locked --quiet --profile dev --bench answer_frames -- "$shape" >>"$results/answers.txt"
  done
  awk '
    BEGIN { printf "%-17s %-13s %9s %10s %6s %10s %11s %9s %6s\n", "answer", "tab", "normal ms", "hostile ms", "ratio", "RSS MiB", "w/ hostile", "after", "after/" }
    { gsub(/_/, " ", $2); printf "%-17s %-13s %9.2f %10.2f %6.2f %10.1f %11.1f %9.1f %6.2f\n", $1, $2, $3, $4, $4/$3, $5/1024, $6/1024, $7/1024, $7/$5 }
  ' "$results/answers.txt" | tee "$results/answers-summary.txt"
}
if [ "$part" = answers ]; then
  answers_bench
  exit 0
fi

command -v hyperfine >/dev/null || { echo "bench: install hyperfine (apt-get install hyperfine)" >&2; exit 1; }

cargo build --locked --release --quiet --bin cl-login-tester
# On its own: in one cargo call with the app it would share the app's features of common crates.
if [ "$part" = all ]; then cargo build --locked --release --quiet -p bare-window; fi
bin=$target/release/cl-login-tester
bare=$target/release/bare-window

# Starts a demo server (extra flags: "$@"), sets $url; stopped when the script ends.
demo_pids=()
trap 'for p in "${demo_pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
start_demo() {
  local out="$results/demo-$#-$RANDOM.out"
  "$bin" demo-server --port 0 "$@" >"$out" &
  demo_pids+=($!)
  for _ in $(seq 50); do grep -q '^Demo Commerce Layer auth server at' "$out" && break; sleep 0.1; done
  url=$(sed -n 's/^Demo Commerce Layer auth server at //p' "$out")
}

csv=examples/bulk-200.csv
client=demo-test-sales-channel

# --- 4. 200 rows at Commerce Layer's limit (opt-in: about 6 minutes) --------------------------
if [ "$part" = paced ]; then
  start_demo --rate-limit 30/min
  rm -f "$results/paced.jsonl"
  start=$(date +%s.%N)
  code=0
  CL_PASSWORD=qa-password "$bin" batch "$csv" --base-url "$url" --client-id "$client" \
    --output "$results/paced.jsonl" >"$results/paced.txt" 2>&1 || code=$?
  end=$(date +%s.%N)
  limited=$(grep -c '"outcome":"rate_limited"' "$results/paced.jsonl" || true)
  # Ideal: the first 30 at once, then 30 more each minute: (ceil(200/30) - 1) * 60 s = 360 s.
  awk -v a="$start" -v b="$end" -v code="$code" -v limited="$limited" 'BEGIN {
    t = b - a
    printf "paced 200 rows at 30/min: %.1f s, ideal 360 s, ratio %.3f (target <= 1.05); exit %d; rows still rate limited: %d\n", t, t / 360, code, limited
  }' | tee "$results/paced-summary.txt"
  tail -n 3 "$results/paced.txt"
  exit 0
fi

# --- 3. 200-row bulk check vs a curl loop -------------------------------------------------------
# The same 200 requests as the example file asks (its password cell, else the shared one).
bulk_bench() {
  start_demo
  python3 - "$csv" "$url" >"$results/curl-loop.sh" <<'PY'
import csv, json, shlex, sys
path, url = sys.argv[1], sys.argv[2]
print("set -u")
for row in csv.DictReader(open(path, newline="")):
    body = {"grant_type": "password", "username": row["email"],
            "password": row["password"] or "qa-password",
            "client_id": "demo-test-sales-channel", "scope": row["scope"]}
    print("curl -sS -o /dev/null -X POST %s/oauth/token -H 'Content-Type: application/json' "
          "-H 'Accept: application/json' --data-raw %s" % (url, shlex.quote(json.dumps(body))))
PY
  CL_PASSWORD=qa-password hyperfine --warmup 1 --runs 5 --export-json "$results/batch.json" \
    --prepare "rm -f $results/batch.jsonl" \
    -n curl-loop "bash $results/curl-loop.sh" \
    -n cl-login-tester "$bin batch $csv --base-url $url --client-id $client --rate 100000/s --output $results/batch.jsonl" \
    -n "cl-login-tester --concurrency 1" "$bin batch $csv --base-url $url --client-id $client --rate 100000/s --concurrency 1 --output $results/batch.jsonl" \
    >"$results/batch.txt"
  cat "$results/batch.txt"
}
if [ "$part" = batch ]; then
  bulk_bench
  exit 0
fi

# --- 1. CLI login vs curl -------------------------------------------------------------------
start_demo
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

bulk_bench
answers_bench
