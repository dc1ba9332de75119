#!/usr/bin/env bash
# Benchmarks, in one run: generates the corpus (bench/.corpus, fixed seed), builds, and prints
# the load figures (per pod and per file, YAML and JSON) and the evaluation figures (restricted
# on loaded pods with 1 and 2 threads, JSON load + evaluation, welkin.pol's mutations). SMOKE=1 runs a few hundred pods once,
# so CI keeps the benchmark building and running. Usage: bench/run.sh [PODS]
set -euo pipefail
cd "$(dirname "$0")/.."
pods=${1:-2000}
[ "${SMOKE:-}" = 1 ] && pods=200
corpus=bench/.corpus/$pods
[ -f "$corpus/pods.json" ] || python3 bench/generate.py "$pods" "$corpus"
bash scripts/build.sh build >/dev/null
args=(--benchmark_repetitions=5 --benchmark_report_aggregates_only=true)
[ "${SMOKE:-}" = 1 ] && args=(--benchmark_min_time=0.01)
echo "corpus: $pods pods, $(du -h "$corpus/pods.yaml" | cut -f1) YAML, $(du -h "$corpus/pods.json" | cut -f1) JSON"
build/bench/load_bench "$corpus" "${args[@]}"
build/bench/eval_bench "$corpus" policies/welkin.pol "${args[@]}"
