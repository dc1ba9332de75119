#!/usr/bin/env bash
# Proves that a user's clone works on its own: clones this repository's committed HEAD into a new
# temporary folder (nothing beside it, so no data from outside the project can be found), then
# runs the README's quick-start commands there, exactly as written in its first ```sh block.
# Exits non-zero if any of them fails. Usage: scripts/fresh-clone-test.sh [CLONE_DIR]
# With CLONE_DIR (which must not exist) the clone and its build are kept there for more work;
# without it they go in a temporary folder that is removed at the end.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ge 1 ]; then
  clone=$1
  [ ! -e "$clone" ] || { echo "fresh-clone-test: $clone exists" >&2; exit 2; }
else
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  clone=$scratch/pol
fi
git clone -q "$repo" "$clone"
cd "$clone"
[ ! -e ../shared ] || { echo "fresh-clone-test: $(cd .. && pwd)/shared exists beside the clone" >&2; exit 2; }

# The quick start's commands: the lines of the README's first ```sh block, comments removed.
mapfile -t commands < <(awk '/^```sh$/ && !seen { inside = 1; seen = 1; next }
                             inside && /^```/ { inside = 0 }
                             inside { sub(/[[:space:]]+#.*$/, ""); if (NF) print }' README.md)
[ ${#commands[@]} -ge 2 ] || { echo "fresh-clone-test: no quick start commands in README.md" >&2; exit 2; }
for command in "${commands[@]}"; do
  echo "fresh-clone-test: + $command (in $clone)"
  bash -c "$command" || { echo "fresh-clone-test: FAILED: $command" >&2; exit 1; }
done
echo "fresh-clone-test: the README's ${#commands[@]} quick-start commands pass in a fresh clone"
