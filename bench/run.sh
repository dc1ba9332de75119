#!/usr/bin/env bash
# The benchmark, in one run: generates the corpus (bench/.corpus, fixed seed), builds, runs
# load_bench and eval_bench (pol, its JIT, the hand-written floor), the CEL peer (installed from npm into
# bench/.peer) and the CLI end to end, then prints the table (bench/table.py) with the ratios
# and targets of docs/performance.md. Raw results: bench/.results/.
# Usage: bench/run.sh [PODS]   (default 2000; the CLI runs also read a 20,000-pod YAML file, the
# first 1,000 and 10,000 of its pods as JSON arrays)
# bench/serve_load.py alone: python3 bench/serve_load.py build/pol $(command -v go) bench/.results
# SMOKE=1: a few hundred pods, each benchmark once — CI's check that none of it has rotted.
# SERVE=0: everything but the hostile inputs and pol serve (the table in minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
pods=${1:-2000}
big=20000 json_small=1000 json_big=10000
# Interleaved repetitions: on a shared VM, drift hits pol and the floor alike, not one of them.
args=(--benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_enable_random_interleaving=true)
cli_runs=5
if [ "${SMOKE:-}" = 1 ]; then
  pods=200 big=400 json_small=100 json_big=400 cli_runs=1
  args=(--benchmark_min_time=0.01)
  export CEL_RUNS=1
fi
corpus=bench/.corpus/$pods
big_corpus=bench/.corpus/$big
results=bench/.results
[ -d "$corpus/files" ] || python3 bench/generate.py "$pods" "$corpus" --files
[ -f "$big_corpus/pods.yaml" ] || python3 bench/generate.py "$big" "$big_corpus"
# JSON arrays of the big corpus's first pods, as `kubectl get pods -o json` lists them.
for n in "$json_small" "$json_big"; do
  [ -f "$big_corpus/pods-$n.json" ] ||
    { echo '['; head -n "$n" "$big_corpus/pods.json" | sed '$!s/$/,/'; echo ']'; } >"$big_corpus/pods-$n.json"
done
bash scripts/build.sh build >/dev/null
mkdir -p "$results"

echo "load_bench, eval_bench (console output in $results/*.log) ..." >&2
build/bench/load_bench "$corpus" "${args[@]}" --benchmark_out="$results/load.json" --benchmark_out_format=json \
  >"$results/load.log"
build/bench/eval_bench "$corpus" policies/welkin.pol "${args[@]}" --benchmark_out="$results/eval.json" \
  --benchmark_out_format=json >"$results/eval.log"

# The peer: @marcbachmann/cel-js, pinned, from npm (the registry CI reaches).
peer=bench/.peer
rm -f "$results/peer.json"
if command -v node >/dev/null && command -v npm >/dev/null; then
  [ -d "$peer/node_modules/@marcbachmann/cel-js" ] ||
    npm install --prefix "$peer" --no-audit --no-fund --no-save @marcbachmann/cel-js@8.0.0 >&2
  echo "CEL peer ..." >&2
  node bench/cel_peer.mjs "$corpus" "$peer" "$big_corpus/pods-$json_small.json" >"$results/peer.json"
else
  echo "CEL peer not run: node and npm are not installed" >&2
fi

# The CLI end to end: wall time and peak memory of `pol check` over big files and a folder.
cli() {
  local name=$1 count=$2
  shift 2
  python3 - "$name" "$count" "$cli_runs" "$@" <<'EOF'
import json, os, resource, subprocess, sys, time
name, pods, runs, command = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
size = os.path.getsize(command[-1]) if os.path.isfile(command[-1]) else 0
seconds = []
for _ in range(runs):
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL)
    seconds.append(time.perf_counter() - start)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)}: exit {done.returncode}")
seconds.sort()
# The largest resident set of any run (KiB on Linux): every run reads the same input.
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"name": name, "pods": pods, "seconds": seconds[len(seconds) // 2], "bytes": size, "peak_bytes": peak}))
EOF
}
echo "pol check, end to end ..." >&2
{
  cli file "$big" build/pol check -o json "$big_corpus/pods.yaml"
  cli folder "$pods" build/pol check -o json "$corpus/files"
  cli json_small "$json_small" build/pol check --profile restricted:latest -o json "$big_corpus/pods-$json_small.json"
  cli json_big "$json_big" build/pol check --profile restricted:latest -o json "$big_corpus/pods-$json_big.json"
} >"$results/cli.jsonl"

python3 bench/table.py "$results" "$pods" "$big"

# The engines on generated pods and policies (tests/jit/differential.py; CI runs 10,000 pods
# and 30 policies with seed 1, with each tier of the JIT). Here the JIT's second tier, whose
# compiled code also explains the rules that fire (docs/jit.md, "Two tiers").
if [ "${SMOKE:-}" != 1 ]; then
  echo "the engines on 100,000 generated pods and 200 generated policies ..." >&2
  POL_JIT_OPTIMIZE_AFTER=0 python3 tests/jit/differential.py build/pol 100000 2 200 | tee "$results/differential.txt"
fi

# Hostile inputs (tests/inputs/hostile.py): what each costs in time and peak memory, bounded by
# the budgets of docs/inputs.md. Recorded in the full run; CI runs the same cases as a test.
[ "${SERVE:-1}" = 0 ] && exit 0
if [ "${SMOKE:-}" != 1 ]; then
  echo "hostile inputs ..." >&2
  python3 tests/inputs/hostile.py build/pol tests/data --record | tee "$results/hostile.txt"
fi

# pol serve under load (bench/serve_load.py): fixed rates, saturation, overload and a soak, over
# TLS on loopback. The full run takes about 20 minutes (SOAK_SECONDS=600); smoke mode seconds.
echo "pol serve under load ..." >&2
python3 bench/serve_load.py build/pol "$(command -v go)" "$results" $([ "${SMOKE:-}" = 1 ] && echo --smoke) | tee "$results/serve.txt"
