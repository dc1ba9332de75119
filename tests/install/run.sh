#!/usr/bin/env bash
# cmake --install into a temporary prefix, then hosts built against the installed files only:
# examples/embed (C++, find_package(pol) → pol::pol) and examples/c (C, pol::c, and pkg-config
# alone), and the Python example importing the installed package. Each must answer as the
# build tree's programs do. Usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "install: FAILED: $*"; exit 1; }

cmake --install "$build" --prefix "$prefix/usr" >/dev/null
for file in bin/pol include/pol/pol.h include/pol/pol.hpp lib/libpol.a lib/libpol.so lib/pkgconfig/pol.pc \
            lib/cmake/pol/polConfig.cmake lib/python3/dist-packages/pol/__init__.py; do
  [ -e "$prefix/usr/$file" ] || fail "$file is not installed"
done
[ "$(readlink "$prefix/usr/lib/libpol.so")" = libpol.so.0 ] || fail "libpol.so is not the link to libpol.so.0"
"$prefix/usr/bin/pol" version | grep -q "$(sed -n 's/^project(pol VERSION \([0-9.]*\).*/\1/p' "$source/CMakeLists.txt")" ||
  fail "the installed pol does not report the project's version"

cd "$source/examples"
pods=(three-pods/allowed.yaml three-pods/denied.yaml three-pods/erroring.yaml)
# A host's stdout, then its stderr: what each must print the same.
answers() { "$@" policies/memory_cap.pol "${pods[@]}" 2>"$prefix/stderr" && return 1; echo "exit $?"; cat "$prefix/stderr"; }
expected=$(answers "$build/c_example") || fail "the three pods must not all pass"

# CMake hosts: configured with the prefix only (no build tree, no source include folder).
for example in embed c; do
  cmake -S "$source/examples/$example" -B "$prefix/build-$example" -G Ninja -DCMAKE_PREFIX_PATH="$prefix/usr" \
        -DCMAKE_BUILD_TYPE=Release >"$prefix/$example.log" 2>&1 || { cat "$prefix/$example.log"; fail "configure examples/$example"; }
  cmake --build "$prefix/build-$example" >>"$prefix/$example.log" 2>&1 || { cat "$prefix/$example.log"; fail "build examples/$example"; }
  if grep -q -- "-I$source\|$build" "$prefix/build-$example/build.ninja"; then fail "examples/$example used the build tree"; fi
done
got=$(answers "$prefix/build-c/c_example") || fail "C (CMake) must exit non-zero"
[ "$got" = "$expected" ] || fail "C example built with find_package answers differently: $got"
bash "$source/tests/embed/run.sh" "$prefix/build-embed/embed_example" >/dev/null || fail "the installed C++ example fails tests/embed/run.sh"

# pkg-config alone, as a Makefile would.
flags=$(PKG_CONFIG_PATH="$prefix/usr/lib/pkgconfig" pkg-config --cflags --libs pol) || fail "pkg-config pol"
cc "$source/examples/c/check.c" $flags -o "$prefix/check_pkgconfig" || fail "cc with pkg-config's flags"
got=$(answers env LD_LIBRARY_PATH="$prefix/usr/lib" "$prefix/check_pkgconfig") || fail "C (pkg-config) must exit non-zero"
[ "$got" = "$expected" ] || fail "C example built with pkg-config answers differently: $got"

# The installed Python package finds the installed library by itself.
got=$(answers env -u POL_LIBRARY PYTHONPATH="$prefix/usr/lib/python3/dist-packages" /usr/bin/python3 python/check.py) ||
  fail "Python must exit non-zero"
[ "$got" = "$expected" ] || fail "installed Python package answers differently: $got"
echo "install: 6 passed, 0 failed"
