#!/usr/bin/env bash
# Builds the Debian packages (cpack: pol, libpol0, libpol-dev, python3-pol) from a build folder,
# installs them on this machine with apt-get (which brings their dependencies), and uses them as a
# user would: pol check on the examples, the C example built with pkg-config alone, the Python
# example with the installed package. Then removes them. Run as root (CI does).
# Usage: scripts/debian-packages.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
source=$(pwd)
fail() { echo "debian-packages: FAILED: $*"; exit 1; }

rm -f "$build"/*.deb
(cd "$build" && cpack -G DEB >cpack.log 2>&1) || { cat "$build/cpack.log"; fail "cpack"; }
packages=("$build"/pol_*.deb "$build"/libpol0_*.deb "$build"/libpol-dev_*.deb "$build"/python3-pol_*.deb)
for deb in "${packages[@]}"; do
  [ -f "$deb" ] || fail "no package $deb"
  echo "debian-packages: $(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
done
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${packages[@]}" >"$build/apt.log" 2>&1 || { cat "$build/apt.log"; fail "apt-get install"; }
trap 'dpkg -r python3-pol libpol-dev pol libpol0 >/dev/null' EXIT

work=$(mktemp -d)
cd "$source/examples"
[ "$(command -v pol)" = /usr/bin/pol ] || fail "pol is not /usr/bin/pol"
status=0
pol check --profile restricted:latest --policy policies/memory_cap.pol three-pods >"$work/check.out" 2>"$work/check.err" || status=$?
[ "$status" = 2 ] || fail "pol check on examples/three-pods exits $status, not 2"
cc "$source/examples/c/check.c" $(pkg-config --cflags --libs pol) -o "$work/check" || fail "cc with pkg-config --cflags --libs pol"
status=0
"$work/check" policies/memory_cap.pol three-pods/allowed.yaml three-pods/denied.yaml three-pods/erroring.yaml \
  >"$work/c.out" 2>"$work/c.err" || status=$?
[ "$status" = 2 ] || fail "the C example exits $status, not 2"
grep -v '^    \|^[0-9]* objects\?:' "$work/check.out" | sed 's/: document [0-9]*: /: /' | diff - "$work/c.out" ||
  fail "the C example (pkg-config, /usr/lib/libpol.so.0) answers differently from pol check"
status=0
env -u POL_LIBRARY -u PYTHONPATH /usr/bin/python3 python/check.py policies/memory_cap.pol three-pods/allowed.yaml \
  three-pods/denied.yaml three-pods/erroring.yaml >"$work/python.out" 2>/dev/null || status=$?
[ "$status" = 2 ] && diff "$work/c.out" "$work/python.out" || fail "the Python example (python3-pol) answers differently"
rm -rf "$work"
echo "debian-packages: 4 packages built, installed, used and removed"
