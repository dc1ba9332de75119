#!/usr/bin/env bash
# Language golden tests. Each tests/lang/**/NAME.pol is run as
#   pol check --policy NAME.pol INPUT... ARGS...
# from tests/lang, where `# input: PATH` lines name the documents (relative to tests/lang) and an
# optional `# args: ...` line adds options. NAME.golden holds stdout, `--- stderr`, stderr and
# `exit: N`. Files named error.*.pol must exit 2. Regenerate with tests/lang/refresh.sh NAME.
set -uo pipefail
pol=$(realpath "$1")
cd "$(dirname "$0")"

run_one() {  # prints the actual output of one .pol
  local pol_file=$1 inputs args out err code
  inputs=$(sed -n 's/^# input: //p' "$pol_file" | tr '\n' ' ')
  args=$(sed -n 's/^# args: //p' "$pol_file" | tr '\n' ' ')
  out=$(mktemp) err=$(mktemp)
  # shellcheck disable=SC2086
  "$pol" check --policy "$pol_file" $inputs $args >"$out" 2>"$err" </dev/null
  code=$?
  cat "$out"; echo "--- stderr"; cat "$err"; echo "exit: $code"
  rm -f "$out" "$err"
}

if [ "${REFRESH:-}" != "" ]; then
  run_one "$REFRESH" > "${REFRESH%.pol}.golden"
  exit 0
fi

passed=0 failed=0
while IFS= read -r pol_file; do
  golden=${pol_file%.pol}.golden
  [ -f "$golden" ] || continue  # library modules imported by tests have no golden
  actual=$(run_one "$pol_file")
  expected=$(cat "$golden")
  ok=1
  [ "$actual" == "$expected" ] || ok=0
  case $(basename "$pol_file") in
    error.*) grep -q '^exit: 2$' <<<"$actual" || ok=0 ;;
  esac
  if [ $ok = 1 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $pol_file"
    diff <(echo "$expected") <(echo "$actual") | head -40
  fi
done < <(find . -name '*.pol' | sed 's|^\./||' | sort)
echo "lang goldens: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -ge 1 ]
