#!/usr/bin/env bash
# Every .pol file the project ships (stdlib/, policies/, examples/) compiles under the checker
# with no error and no warning: the schema typing holds the shipped policies to what it asks
# of users'. Usage: shipped_clean.sh POL_BINARY SOURCE_DIR
set -uo pipefail
pol=$(realpath "$1")
cd "$2" || exit 2
failed=0 count=0
while IFS= read -r file; do
  count=$((count + 1))
  params=()  # a parameterised policy ships its parameters beside it: NAME.params.yaml
  [ -f "${file%.pol}.params.yaml" ] && params=(--params "${file%.pol}.params.yaml")
  err=$("$pol" check --policy "$file" "${params[@]}" examples/pods/web.yaml 2>&1 >/dev/null)
  if grep -qE '(error|warning):' <<<"$err"; then
    echo "FAIL $file"
    echo "$err"
    failed=$((failed + 1))
  fi
done < <(find stdlib policies examples -name '*.pol' | sort)
echo "shipped policies: $count compiled, $failed with an error or a warning"
[ "$count" -gt 10 ] && [ "$failed" -eq 0 ]
