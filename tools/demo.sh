#!/bin/sh
# The README's demo command: install what is missing, build, run the demo.
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh build
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
echo "\$ build/tools/notaryc version"
build/tools/notaryc version
