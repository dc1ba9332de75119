#!/usr/bin/env bash
# `pol check`, `pol test` and `pol review` give byte-identical output, exit status included, with
# --engine jit and with the interpreter: on the PSA fixtures and the corpus at several profiles,
# with exceptions, on every policy test suite in the tree, and on AdmissionReviews. In a build
# without the JIT, --engine jit must say so and answer as the interpreter.
# Usage: engines_agree.sh POL SOURCE_DIR
set -uo pipefail
pol=$1
root=$2
cd "$root"
failures=0
compare() {  # compare NAME ARGS...: runs pol ARGS with both engines
  local name=$1
  shift
  local interpreted jitted status_i status_j
  interpreted=$("$pol" "$@" 2>&1)
  status_i=$?
  jitted=$("$pol" "$@" --engine jit 2>&1 | grep -v "built without the JIT")
  status_j=${PIPESTATUS[0]}
  if [ "$interpreted" != "$jitted" ] || [ "$status_i" != "$status_j" ]; then
    echo "FAIL $name: the engines differ (exit $status_i vs $status_j)"
    diff <(printf '%s\n' "$interpreted") <(printf '%s\n' "$jitted") | head -20
    failures=$((failures + 1))
  else
    echo "ok   $name (exit $status_i, $(printf '%s' "$interpreted" | wc -c) bytes)"
  fi
}
for profile in restricted:latest baseline:latest restricted:v1.0 restricted:v1.22 restricted:v1.30 privileged; do
  compare "check $profile" check --profile "$profile" -o json tests/data/psa/fixtures tests/data/corpus
done
compare "check text" check tests/data/corpus
compare "check with grants (domino)" check -o json --policy policies/domino.pol tests/data/corpus
compare "check with exceptions (welkin)" check -o json --mutate --policy policies/welkin.pol \
  --exceptions tests/exceptions/welkin/custom.yaml tests/data/corpus
compare "check fixtures" check -o json tests/cli/fixtures
compare "test suites" test tests examples policies
for review in $(grep -rl '"AdmissionReview"' tests/cli/fixtures tests/server 2>/dev/null | grep '\.json$' | head -20); do
  compare "review $review" review "$review"
done
# POL_ENGINE sets --engine's default (the NAME_jit tests run that way); a wrong value is refused.
message=$(POL_ENGINE=bogus "$pol" check examples/pods/web.yaml 2>&1)
status=$?
if [ "$status" != 2 ] || [[ "$message" != *"POL_ENGINE must be 'interpreter' or 'jit', got 'bogus'"* ]]; then
  echo "FAIL POL_ENGINE=bogus: exit $status: $message"
  failures=$((failures + 1))
fi
# POL_JIT_OPTIMIZE_AFTER (documents before the second tier) must be a number.
message=$(POL_JIT_OPTIMIZE_AFTER=1e3 "$pol" check examples/pods/web.yaml 2>&1)
status=$?
if [ "$status" != 2 ] || [[ "$message" != *"POL_JIT_OPTIMIZE_AFTER must be a number of documents, got '1e3'"* ]]; then
  echo "FAIL POL_JIT_OPTIMIZE_AFTER=1e3: exit $status: $message"
  failures=$((failures + 1))
fi
if "$pol" check --engine jit examples/pods/web.yaml 2>&1 | grep -q "built without the JIT"; then
  echo "note: this build has no JIT; the interpreter answered both times"
fi
[ "$failures" -eq 0 ] || { echo "$failures comparisons differ"; exit 1; }
