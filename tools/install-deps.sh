#!/bin/sh
# Install the Debian 12 packages libnotaryc needs. With "build" (default)
# only what building needs; with "test" also the test and analysis tools.
# Does nothing when everything is present already.
set -eu
core="meson ninja-build pkg-config gcc libc6-dev python3 libssl-dev libcbor-dev libcjson-dev libcurl4-openssl-dev libcmocka-dev"
test_tools="valgrind clang libclang-rt-14-dev binutils openssl"
# the integration suite: a real registry, htpasswd (bcrypt), curl pushes, the token server's JWTs
test_tools="$test_tools docker-registry apache2-utils curl python3-cryptography"
case "${1:-build}" in
  build) want=$core ;;
  test) want="$core $test_tools" ;;
  *) echo "usage: $0 [build|test]" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
$sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $missing >/dev/null
