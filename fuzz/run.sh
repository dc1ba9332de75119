#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang-14, -DPOL_FUZZ=ON, in build-fuzz/) and runs them.
# Usage: fuzz/run.sh [SECONDS] [HARNESS...]   (default: 30 seconds each; harnesses policy yaml json mutate lsp;
# as many run at once as there are cores)
# Each run starts from its seed corpus (fuzz/.corpus/HARNESS: the project's own policies and
# manifests, refreshed from tests/data and the tree, plus whatever earlier runs found) and its
# dictionary. A crash, a leak, a sanitizer report or a hang (10 s on one input) is written to
# fuzz/.artifacts/HARNESS/ and the script exits 1: add the input to fuzz/regressions/HARNESS/
# once fixed, and `ctest -L fuzz` (and CI) run it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(policy yaml json mutate lsp)

if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOL_FUZZ=ON \
    > build-fuzz.configure.log 2>&1 || { cat build-fuzz.configure.log; exit 1; }
fi
cmake --build build-fuzz --target "${harnesses[@]/%/_fuzz}" >build-fuzz.build.log 2>&1 || {
  grep -B2 -A8 -E "error" build-fuzz.build.log | head -n 80 >&2
  echo "fuzz: the harnesses do not build (build-fuzz.build.log)" >&2
  exit 1
}

seed() {  # seed HARNESS: copies the seed files into its corpus (same name, same content: idempotent)
  local corpus=fuzz/.corpus/$1
  mkdir -p "$corpus"
  case $1 in
    policy) find stdlib policies examples tests/lang -name '*.pol' ;;
    yaml) { find tests/data/corpus tests/cli/fixtures tests/yaml_oracle tests/data/kyverno-policies -name '*.yaml' -o -name '*.yml'
            find tests/data/psa/fixtures/restricted/v1.37 -name '*.yaml'; find tests/data/fuzz-findings -name '*.yaml'; } ;;
    json) find tests examples -name '*.json' -not -path '*/build*' ;;
    mutate) { find tests/data/corpus tests/mutation tests/cli/fixtures -name '*.yaml' -o -name '*.json'; } ;;
    lsp) python3 fuzz/lsp_sessions.py "$corpus"; return ;;
  esac | while IFS= read -r file; do cp "$file" "$corpus/seed_$(printf '%s' "$file" | md5sum | cut -c1-16)"; done
}

# One harness, its output kept for the summary; as many at once as there are cores.
fuzz() {
  local harness=$1 dict=fuzz/kubernetes.dict
  [ "$harness" = policy ] && dict=fuzz/policy.dict
  [ "$harness" = lsp ] && dict=fuzz/lsp.dict
  mkdir -p "fuzz/.artifacts/$harness"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "build-fuzz/fuzz/${harness}_fuzz" "fuzz/.corpus/$harness" -dict="$dict" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="fuzz/.artifacts/$harness/" >"fuzz/.artifacts/$harness.log" 2>&1
}

for harness in "${harnesses[@]}"; do seed "$harness"; done
declare -A running=()  # pid → harness
status=0
finish() {  # waits for one harness and reports it
  local pid result=0
  wait -n -p pid "${!running[@]}" || result=$?
  local harness=${running[$pid]}
  unset "running[$pid]"
  if [ "$result" != 0 ]; then
    status=1
    echo "fuzz: $harness FAILED; the input is in fuzz/.artifacts/$harness/; the end of its log:" >&2
    grep -v "^#[0-9]" "fuzz/.artifacts/$harness.log" | tail -n 60 >&2
  fi
  echo "fuzz: $harness done" >&2
  grep -E "^Done|stat::number_of_executed_units|stat::peak_rss_mb" "fuzz/.artifacts/$harness.log" >&2 || true
}
for harness in "${harnesses[@]}"; do
  [ ${#running[@]} -lt "$(nproc)" ] || finish
  echo "fuzz: $harness for $seconds s" >&2
  fuzz "$harness" &
  running[$!]=$harness
done
while [ ${#running[@]} -gt 0 ]; do finish; done
exit $status
