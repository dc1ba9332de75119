#!/usr/bin/env bash
# Regenerates the golden of one or more tests: tests/lang/refresh.sh basics/literals.pol ...
# Read the diff (git diff tests/lang) before committing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pol=${POL:-$root/build/pol}
for name in "$@"; do
  name=${name#tests/lang/}
  REFRESH=$name bash "$root/tests/lang/run.sh" "$pol"
  echo "refreshed tests/lang/${name%.pol}.golden"
done
