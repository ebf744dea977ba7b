#!/usr/bin/env bash
# cmake --install into a scratch prefix, then docs/example.c built against
# it three ways (pkg-config; the CMake package, shared; and static) and run
# on an index made by the installed command from a generated corpus.
#   check_install.sh BUILD_DIR SOURCE_DIR C_COMPILER
set -euo pipefail
build=$1 src=$2 cc=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in lib/pkgconfig/clausedex.pc lib/cmake/clausedex/clausedexConfig.cmake include/clausedex.h bin/clausedex; do
  [[ -e $prefix/$f ]] || { echo "not installed: $f"; exit 1; }
done
"$prefix/bin/clausedex" generate --seed 1 --size 200K --plain "$tmp/corpus" >/dev/null
"$prefix/bin/clausedex" index -i "$tmp/ix" "$tmp/corpus" 2>/dev/null
run() { # NAME BINARY: the example finds hits (exit 0) and prints them
  local out
  out=$(LD_LIBRARY_PATH=$prefix/lib "$2" "$tmp/ix" 发展) || { echo "$1: example exited $?"; exit 1; }
  grep -q 'matching units' <<<"$out" || { echo "$1: unexpected output: $out"; exit 1; }
  echo "$1: ok"
}
# pkg-config, as README shows it
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
"$cc" -o "$tmp/ex-pc" "$src/docs/example.c" $(pkg-config --cflags --libs clausedex)
run pkg-config "$tmp/ex-pc"
# the CMake package, shared and static
for kind in shared static; do
  static=OFF; [[ $kind == static ]] && static=ON
  cmake -S "$src/tests/package/consumer" -B "$tmp/c-$kind" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_PREFIX_PATH="$prefix" -DEXAMPLE="$src/docs/example.c" -DCLAUSEDEX_STATIC=$static >/dev/null
  cmake --build "$tmp/c-$kind" >/dev/null
  run "cmake $kind" "$tmp/c-$kind/example"
done
# the static one carries the library in itself (ldd's output kept whole:
# grep -q closing the pipe early would fail it under pipefail)
static_libs=$(ldd "$tmp/c-static/example") shared_libs=$(ldd "$tmp/c-shared/example")
if grep -q libclausedex <<<"$static_libs"; then echo "cmake static: links libclausedex.so"; exit 1; fi
grep -q 'libclausedex\.so' <<<"$shared_libs" || { echo "cmake shared: no libclausedex.so"; exit 1; }
