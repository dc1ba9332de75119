#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root), builds pol, and runs it on the shipped examples.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh build
# The shipped profile (Pod Security Standards, restricted:latest) and the example team policy.
echo "+ build/pol check --profile restricted:latest --policy examples/policies/team.pol examples/pods"
status=0
build/pol check --profile restricted:latest --policy examples/policies/team.pol examples/pods || status=$?
# 0: all allowed, 1: some object denied (as here, on purpose); anything else is a failure.
[ "$status" -le 1 ]
