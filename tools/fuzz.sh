#!/bin/sh
# Fuzz every libFuzzer target for SECONDS (default 30) each, starting from
# its committed corpus, in a clang ASan+UBSan build (build-fuzz/).
# New inputs go to .fuzz-work/<target>/, not into the committed corpus.
#   tools/fuzz.sh [SECONDS] [TARGET...]
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-30}
[ $# -gt 0 ] && shift
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=libfuzzer -Db_sanitize=address,undefined \
    -Db_lundef=false -Dwerror=true >/dev/null
fi
ninja -C build-fuzz >/dev/null
targets="$*"
[ -n "$targets" ] || targets=$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')
failed=0
passed=0
for t in $targets; do
  work=.fuzz-work/$t
  mkdir -p "$work"
  if build-fuzz/tests/fuzz/"$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
       -print_final_stats=0 -artifact_prefix="$work/" "$work" "tests/fuzz/corpus/$t" \
       >"$work/log" 2>&1; then
    echo "PASS fuzz $t (${seconds}s): $(grep -E '^#[0-9]+.*DONE' "$work/log" | tail -n 1)"
    passed=$((passed + 1))
  else
    echo "FAIL fuzz $t: see $work/log"
    tail -n 30 "$work/log"
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
