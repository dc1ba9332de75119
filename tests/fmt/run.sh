#!/usr/bin/env bash
# `pol fmt` on the tree: every .pol file is in the one layout (`--check` passes; only the syntax
# errors of tests/lang/errors and the fuzz findings may fail to parse, and they must), and on
# scrambled copies `--check` prints a diff that `patch` (the real tool) applies to give the
# layout back, as `pol fmt DIR` does in place. Usage: run.sh POL_BINARY SOURCE_DIR
set -uo pipefail
pol=$(realpath "$1")
cd "$2" || exit 2
failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
mapfile -t files < <(find stdlib policies examples tests -name '*.pol' -not -path '*/.node/*' | sort)
[ "${#files[@]}" -gt 100 ] || fail "only ${#files[@]} .pol files found"

# 1. The tree is formatted.
out=$("$pol" fmt --check "${files[@]}" 2>/tmp/pol-fmt-errors.$$)
code=$?
[ -z "$out" ] || { fail "not formatted (run: pol fmt stdlib policies examples tests)"; echo "$out" | head -40; }
unparsed=$(grep -oE '^[^ :]+\.pol:[0-9]+:[0-9]+: error' /tmp/pol-fmt-errors.$$ | cut -d: -f1 | sort -u)
for file in $unparsed; do
  case $file in tests/lang/errors/* | tests/data/fuzz-findings/*) ;; *) fail "$file does not parse" ;; esac
done
expected=$(printf '%s\n' "${files[@]}" | grep -cE '^tests/(lang/errors|data/fuzz-findings)/' || true)
[ "$code" = 2 ] && [ -n "$unparsed" ] || fail "fmt --check exit $code: the syntax-error fixtures were not refused"
echo "tree: ${#files[@]} files, $(wc -w <<<"$unparsed") syntax-error fixtures refused (of $expected in those folders)"
rm -f /tmp/pol-fmt-errors.$$

# 2. Scrambled copies: the diff applies with patch; fmt in place gives the same files.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/patched" "$work/inplace"
count=0
for file in "${files[@]}"; do
  case $file in tests/lang/errors/* | tests/data/fuzz-findings/*) continue ;; esac
  count=$((count + 1))
  for copy in patched inplace; do
    mkdir -p "$work/$copy/$(dirname "$file")"
    # re-indent every line (0-6 blanks or a tab), add trailing blanks, make each blank line three
    awk '{ sub(/^[ \t]+/, ""); pad = substr("      ", 1, NR % 7); if (NR % 5 == 0) pad = "\t";
           print pad $0 (NR % 3 == 0 ? "   " : ""); if ($0 == "") print " \n" }' "$file" >"$work/$copy/$file"
  done
done
(cd "$work/patched" && "$pol" fmt --check stdlib policies examples tests >"$work/diff")
code=$?
[ "$code" = 1 ] || fail "fmt --check on scrambled copies: exit $code, expected 1"
(cd "$work/patched" && patch -s -p0 <"$work/diff") || fail "patch could not apply fmt --check's diff"
listed=$(cd "$work/inplace" && "$pol" fmt stdlib policies examples tests | wc -l)
[ "$listed" = "$count" ] || fail "fmt in place listed $listed files, expected $count"
for file in "${files[@]}"; do
  case $file in tests/lang/errors/* | tests/data/fuzz-findings/*) continue ;; esac
  cmp -s "$file" "$work/patched/$file" || fail "patched $file differs from the tree's"
  cmp -s "$file" "$work/inplace/$file" || fail "formatted-in-place $file differs from the tree's"
done
(cd "$work/inplace" && "$pol" fmt --check stdlib policies examples tests >/dev/null) || fail "second fmt --check"
echo "scrambled: $count files, diff applied by patch and rewritten in place, both back to the tree's layout"
echo "fmt tree: $failed failed"
[ "$failed" = 0 ]
