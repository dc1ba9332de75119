#!/usr/bin/env bash
# Installs pol's build and test dependencies from Debian 12's archive (idempotent; run as root).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  tao-pegtl-dev libfmt-dev libyaml-cpp-dev libyaml-dev catch2 libcli11-dev libsimdjson-dev libre2-dev
  libboost1.81-dev libssl-dev openssl  # pol serve: Boost.Beast over OpenSSL; tests make certificates with openssl
  python3 python3-yaml python3-jsonpatch libbenchmark-dev
  patch                               # tests/fmt: applies `pol fmt --check`'s diffs
  golang-go golang-k8s-sigs-yaml-dev  # the YAML oracle test: Kubernetes' own reader, built from Debian's Go packages
  golang-github-docker-distribution-dev  # the image oracle test: the container runtime's reference parser
  clang-14 libclang-rt-14-dev         # the fuzzers (fuzz/run.sh): libFuzzer
  python3-kubernetes                  # the deploy/ test: the Kubernetes API's types, to validate the manifests
  hey wrk                             # bench/serve_load.sh: load on pol serve
  llvm-19-dev libzstd-dev zlib1g-dev  # the JIT (jit/, docs/jit.md): LLVM ORC, its static libraries; pol builds without it
)
# Node.js for the editor grammar's test (and the benchmark's CEL peer): Debian's, unless a node
# is already installed (another build of it would conflict with Debian's npm).
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The editor grammar's test (tests/editors/): VS Code's TextMate tokenizer from npm, pinned.
deps=$(cd "$(dirname "$0")/.." && pwd)/tests/editors/.node
[ -d "$deps/node_modules/vscode-textmate" ] && [ -d "$deps/node_modules/vscode-oniguruma" ] ||
  npm install --prefix "$deps" --no-audit --no-fund --no-save vscode-textmate@9.3.2 vscode-oniguruma@2.0.1 >/dev/null
