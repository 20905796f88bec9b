#!/bin/sh
# Install the build into a temporary root, then compile and run a program
# against the *installed* headers and library through pkg-config: once
# linked to libnotaryc.so and once statically to libnotaryc.a.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -eu
unset LD_LIBRARY_PATH
build=$1
src=$2
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

meson install -C "$build" --no-rebuild --destdir "$tmp/root" --quiet >/dev/null
pc=$(find "$tmp/root" -name notaryc.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL notaryc.pc was not installed"; exit 1; }
for h in notaryc.h notaryc/nv_common.h notaryc/nv_errors.h notaryc/nv_version.h; do
  [ -n "$(find "$tmp/root" -path "*/include/$h")" ] || { echo "FAIL header $h not installed"; exit 1; }
done
export PKG_CONFIG_PATH="$(dirname "$pc")"
export PKG_CONFIG_SYSROOT_DIR="$tmp/root"
cflags=$(pkg-config --cflags notaryc)
libs=$(pkg-config --libs notaryc)
libdir=$(pkg-config --variable=libdir notaryc)
case "$libdir" in "$tmp/root"*) ;; *) libdir="$tmp/root$libdir" ;; esac
echo "pkg-config: $cflags $libs"

# shared: the program must load the installed libnotaryc.so.0
$cc -std=c11 -Wall -Wextra -Wpedantic -Werror $cflags -o "$tmp/consumer" "$src/tests/abi/consumer.c" $libs
LD_LIBRARY_PATH="$libdir" ldd "$tmp/consumer" | grep -q "$libdir/libnotaryc.so.0" \
  || { echo "FAIL consumer does not load the installed libnotaryc.so.0"; exit 1; }
LD_LIBRARY_PATH="$libdir" "$tmp/consumer"

# static: libnotaryc.a plus the private requirements named by notaryc.pc
# (linked dynamically: Debian does not ship static builds of all of libcurl's)
private=$(pkg-config --print-requires-private notaryc | awk '{print $1}')
static_libs="$libdir/libnotaryc.a $(pkg-config --libs $private) -pthread -lm"
$cc -std=c11 $cflags -o "$tmp/consumer_static" "$src/tests/abi/consumer.c" $static_libs
if ldd "$tmp/consumer_static" | grep -q libnotaryc; then
  echo "FAIL static consumer still loads libnotaryc.so"; exit 1
fi
"$tmp/consumer_static"

# the public headers must also be valid C++ and strict C99 (FFI generators read them)
if command -v c++ >/dev/null 2>&1; then
  echo '#include <notaryc.h>' | c++ -x c++ -std=c++11 -Wall -Wextra -Werror $cflags -fsyntax-only -
fi
echo '#include <notaryc.h>' | $cc -x c -std=c99 -Wall -Wextra -Wpedantic -Werror $cflags -fsyntax-only -
# the installed notaryc tool runs against the installed library and verifies
# the demo layout offline
tool=$(find "$tmp/root" -path '*/bin/notaryc' -type f | head -n 1)
[ -n "$tool" ] || { echo "FAIL bin/notaryc was not installed"; exit 1; }
LD_LIBRARY_PATH="$libdir" "$tool" version
LD_LIBRARY_PATH="$libdir" "$tool" verify --oci-layout --scope example.local/notaryc-demo \
  --trust-policy "$src/tools/demo/trustpolicy.json" --trust-store "$src/tools/demo/truststore" \
  --at 2027-01-01T00:00:00Z --output json "$src/tools/demo/layout-jws:v1" | grep -q '"verified":true' \
  || { echo "FAIL the installed notaryc did not verify the demo layout"; exit 1; }
echo "install test: 5 passed, 0 failed"
