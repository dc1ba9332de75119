#!/usr/bin/env bash
# CLI contract tests: for each cases/NAME.args (the arguments, one line, run from tests/cli),
# with standard input from cases/NAME.stdin when present, compare the exit status with
# cases/NAME.exit, stdout with cases/NAME.stdout and, when present, stderr with cases/NAME.stderr.
# Cases named *_json, *_sarif and *_junit must also print well-formed JSON or XML.
# Refresh one case with: REFRESH=NAME bash tests/cli/run.sh build/pol
set -uo pipefail
pol=$(realpath "$1")
cd "$(dirname "$0")"
passed=0 failed=0
for args_file in cases/*.args; do
  name=${args_file%.args}
  stdin=/dev/null
  [ -f "$name.stdin" ] && stdin=$name.stdin
  out=$(mktemp) err=$(mktemp)
  # shellcheck disable=SC2046
  eval "\"$pol\" $(cat "$args_file")" <"$stdin" >"$out" 2>"$err"
  code=$?
  if [ "${REFRESH:-}" = "$(basename "$name")" ]; then
    cp "$out" "$name.stdout"; echo "$code" > "$name.exit"
    [ -s "$err" ] && cp "$err" "$name.stderr"
  fi
  ok=1
  [ "$code" = "$(cat "$name.exit")" ] || { ok=0; echo "FAIL $name: exit $code, expected $(cat "$name.exit")"; }
  diff -u "$name.stdout" "$out" >/dev/null || { ok=0; echo "FAIL $name: stdout"; diff -u "$name.stdout" "$out" | head -20; }
  case $name in  # machine-readable outputs must parse, whatever the golden says
    *_json | *_sarif) python3 -m json.tool "$out" >/dev/null || { ok=0; echo "FAIL $name: not JSON"; } ;;
    *_junit) python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$out" ||
      { ok=0; echo "FAIL $name: not XML"; } ;;
  esac
  if [ -f "$name.stderr" ]; then
    diff -u "$name.stderr" "$err" >/dev/null || { ok=0; echo "FAIL $name: stderr"; diff -u "$name.stderr" "$err" | head -20; }
  fi
  rm -f "$out" "$err"
  if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "cli contract: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -ge 1 ]
