#!/bin/sh
# The README's demo command: install what is missing, build, then verify the
# signed OCI image layouts shipped in tools/demo/ (JWS and COSE envelopes made
# by the reference signer), and show one failing verification.
# NOTARYC_BUILD_DIR picks another build directory (default: build).
set -eu
cd "$(dirname "$0")/.."
build=${NOTARYC_BUILD_DIR:-build}
tools/install-deps.sh build
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" >/dev/null

run() { # expected-exit-status command...
  want=$1
  shift
  echo "\$ $*"
  status=0
  "$@" || status=$?
  echo "(exit status $status)"
  echo
  if [ "$status" -ne "$want" ]; then
    echo "demo: expected exit status $want" >&2
    exit 1
  fi
}

notaryc=$build/tools/notaryc
trust="--trust-policy tools/demo/trustpolicy.json --trust-store tools/demo/truststore"
run 0 "$notaryc" version
# shellcheck disable=SC2086 # $trust is two options, split on purpose
run 0 "$notaryc" verify --oci-layout --scope example.local/notaryc-demo $trust \
  tools/demo/layout-jws:v1
# shellcheck disable=SC2086
run 0 "$notaryc" verify --oci-layout --scope example.local/notaryc-demo $trust \
  tools/demo/layout-cose:v1

# The failing variant: the same layout under a policy that trusts another
# signer identity.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/CN=Notary Bench RSA-3072 Signer/CN=Someone Else/' tools/demo/trustpolicy.json \
  >"$tmp/trustpolicy.json"
echo "# trustpolicy.json with the trusted identity changed to CN=Someone Else:"
run 1 "$notaryc" verify --oci-layout --scope example.local/notaryc-demo \
  --trust-policy "$tmp/trustpolicy.json" --trust-store tools/demo/truststore \
  tools/demo/layout-jws:v1
