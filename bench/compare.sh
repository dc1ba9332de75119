#!/usr/bin/env bash
# Two builds of eval_bench, compared on a noisy machine: each runs ROUNDS times in turn with the
# other (three repetitions a run), so drift hits both, and the fastest time of each benchmark is
# kept: noise only ever adds time. Prints, per benchmark, the fastest per-pod time (the time of a
# run, for the compile benchmarks) of each build and new/old.
# Usage: bench/compare.sh OLD_EVAL_BENCH NEW_EVAL_BENCH [FILTER] [ROUNDS]
#   FILTER: a --benchmark_filter (default: restricted:latest's evaluation rows); ROUNDS: 3.
# Keep a build to compare with: cp build/bench/eval_bench /tmp/eval_bench.old, before the change.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1") new=$(realpath "$2")
filter=${3:-'^(evaluate/real_time/threads:1|floor|evaluate_jit/1|evaluate_jit_first_tier/0|decide_jit|load_and_evaluate_json/0|load_and_evaluate_json_jit/1)$'}
rounds=${4:-3}
corpus=bench/.corpus/2000
[ -f "$corpus/pods.json" ] || python3 bench/generate.py 2000 "$corpus"
runs=$(mktemp)
trap 'rm -f "$runs"' EXIT
for _ in $(seq "$rounds"); do
  for build in old new; do
    binary=$old
    [ "$build" = new ] && binary=$new
    "$binary" "$corpus" policies/welkin.pol --benchmark_filter="$filter" --benchmark_repetitions=3 \
      --benchmark_format=json 2>/dev/null |
      python3 -c '
import json, sys
for b in json.load(sys.stdin)["benchmarks"]:
    if b.get("run_type") != "iteration":
        continue
    us = b["per_pod"] * 1e6 if "per_pod" in b else b["real_time"] * {"ns": 1e-3, "us": 1, "ms": 1e3, "s": 1e6}[b["time_unit"]]
    print(sys.argv[1], b["run_name"], us)' "$build" >>"$runs"
  done
done
python3 - "$runs" <<'EOF'
import sys
fastest = {}
for line in open(sys.argv[1]):
    build, name, us = line.split()
    key = (name, build)
    fastest[key] = min(fastest.get(key, float("inf")), float(us))
names = list(dict.fromkeys(name for name, _ in fastest))  # in the order they ran
def shown(us):
    return "" if us is None else f"{us:9.2f} µs" if us < 1000 else f"{us / 1000:9.2f} ms"
print(f"{'benchmark (fastest of each)':40} {'old':>12} {'new':>12} {'new/old':>8}")
for name in names:
    old, new = fastest.get((name, "old")), fastest.get((name, "new"))
    ratio = f"{new / old:8.2f}" if old and new else ""
    print(f"{name:40} {shown(old):>12} {shown(new):>12} {ratio}")
EOF
