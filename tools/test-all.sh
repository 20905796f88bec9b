#!/bin/sh
# The README's test command: everything CI runs, on a fresh Debian 12.
#  1. gcc build (-Werror), every suite, verbose (cmocka summaries), including
#     the real-registry integration suite and the threads suite (Helgrind)
#  2. gcc ASan+UBSan build, every suite but the install test
#  3. valgrind over the unit, fuzz-regression and conformance suites
#  4. clang build with libFuzzer (-Werror), corpora, then FUZZ_SECONDS of
#     fuzzing per target (default 20)
# Ends with one line "N passed, N failed" over the steps; exit 0 only if
# every step passed.
set -u
cd "$(dirname "$0")/.."
tools/install-deps.sh test || exit 2

passed=0
failed=0
step() {
  name=$1
  shift
  echo
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok"
  else
    failed=$((failed + 1))
    echo "=== $name: FAILED"
  fi
}

setup() { # dir, meson options...
  dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi && ninja -C "$dir"
}

step "gcc build" setup build-gcc -Dwerror=true
step "gcc tests" meson test -C build-gcc -v --print-errorlogs
step "asan+ubsan build" setup build-asan -Db_sanitize=address,undefined -Dwerror=true \
  -Dc_args=-fno-sanitize-recover=all -Dc_link_args=-fno-sanitize-recover=all
step "asan+ubsan tests" meson test -C build-asan --print-errorlogs --no-suite abi
step "valgrind tests" meson test -C build-gcc --setup=valgrind --print-errorlogs \
  --suite unit --suite fuzz-regression --suite conformance
clang_setup() {
  (CC=clang && export CC && setup build-fuzz -Dfuzzing=libfuzzer \
    -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true)
}

step "clang libfuzzer build" clang_setup
# (the registry integration and thread suites already ran in both gcc builds)
step "clang tests" meson test -C build-fuzz --print-errorlogs --no-suite abi \
  --no-suite integration --no-suite threads
step "fuzzing" tools/fuzz.sh "${FUZZ_SECONDS:-20}"

echo
echo "test-all: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
