#!/bin/sh
# Regenerates the CRL and OCSP test data of tests/unit/x509/test_revocation.c
# with the openssl command line (openssl ca -gencrl, openssl ocsp -respout).
# Run from anywhere: sh gen.sh. The outputs are committed; times in them are
# the time of generation, and the tests read thisUpdate from the files.
set -eu
cd "$(dirname "$0")"
rm -rf work && mkdir work
W=work
export OPENSSL_CONF=/dev/null

cat ca-common.cnf - > $W/ca.cnf <<'CNF'
[ ca_nocrlsign_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign
[ leaf_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
crlDistributionPoints = URI:http://127.0.0.1:1/ca.crl,URI:http://127.0.0.1:1/ca2.crl
authorityInfoAccess = OCSP;URI:http://127.0.0.1:1/ocsp
freshestCRL = URI:http://127.0.0.1:1/delta.crl
[ nourl_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
[ ocsp_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
[ noocsp_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
[ crl_base ]
authorityKeyIdentifier = keyid
freshestCRL = URI:http://127.0.0.1:1/delta.crl
[ crl_delta ]
authorityKeyIdentifier = keyid
deltaCRL = critical,DER:02:01:01
[ crl_delta_bad ]
deltaCRL = critical,DER:02:01:09
[ crl_unknown_crit ]
1.2.3.4 = critical,DER:05:00
[ crl_onlyca ]
issuingDistributionPoint = critical,@idp_ca
[ idp_ca ]
onlyCA = TRUE
CNF

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
# cert NAME CN EXT SERIAL [ISSUER]
cert() {
  key $W/$1.key
  openssl req -new -key $W/$1.key -subj "/CN=$2" -out $W/$1.csr
  openssl x509 -req -in $W/$1.csr -CA ${5:-$W/ca.crt} -CAkey ${6:-$W/ca.key} -set_serial "$4" \
    -days 3650 -sha256 -extfile $W/ca.cnf -extensions "$3" -out $W/$1.crt 2>/dev/null
  cp $W/$1.crt $1.crt
}

key $W/ca.key
openssl req -new -x509 -key $W/ca.key -subj "/CN=Revocation Test CA" -days 3650 -sha256 \
  -config $W/ca.cnf -extensions ca_ext -out $W/ca.crt
cp $W/ca.crt ca.crt
# Another key under the same name: signatures by it must not verify.
key $W/evil.key
openssl req -new -x509 -key $W/evil.key -subj "/CN=Revocation Test CA" -days 3650 -sha256 \
  -config $W/ca.cnf -extensions ca_ext -out $W/evil.crt
cp $W/evil.crt evil-ca.crt
# An issuer that may not sign CRLs.
key $W/nocrl.key
openssl req -new -x509 -key $W/nocrl.key -subj "/CN=Revocation Test CA" -days 3650 -sha256 \
  -config $W/ca.cnf -extensions ca_nocrlsign_ext -out $W/nocrl.crt
cp $W/nocrl.crt nocrlsign-ca.crt

cert good "Good Leaf" leaf_ext 0x1001
cert revoked "Revoked Leaf" leaf_ext 0x1002
cert hold "Held Leaf" leaf_ext 0x1003
cert unhold "Unheld Leaf" leaf_ext 0x1004
cert compromised "Compromised Leaf" leaf_ext 0x1005
cert nourl "No URL Leaf" nourl_ext 0x1006
cert responder "Delegated Responder" ocsp_ext 0x2001
cert noeku "Responder Without EKU" noocsp_ext 0x2002

touch $W/index.txt
echo 01 > $W/crlnumber
CA="openssl ca -config $W/ca.cnf -cert $W/ca.crt -keyfile $W/ca.key -batch"
$CA -valid $W/good.crt 2>/dev/null
$CA -revoke $W/revoked.crt -crl_reason keyCompromise 2>/dev/null
$CA -revoke $W/hold.crt -crl_hold holdInstructionReject 2>/dev/null
$CA -revoke $W/unhold.crt -crl_hold holdInstructionReject 2>/dev/null
$CA -revoke $W/compromised.crt -crl_compromise 20260101000000Z 2>/dev/null

crl() { # NAME [extra args]
  n=$1; shift
  $CA -gencrl "$@" -out $W/$n.pem 2>/dev/null
  openssl crl -in $W/$n.pem -outform DER -out $n.crl
}
crl base -crlexts crl_base                                 # number 1
# The delta: unhold's hold is lifted (removeFromCRL), revoked stays.
awk -F'\t' 'BEGIN{OFS="\t"} $4=="1004"{split($3,a,","); $3=a[1] ",removeFromCRL"} {print}' \
  $W/index.txt > $W/index.new && cp $W/index.new $W/index.txt
crl delta -crlexts crl_delta                               # number 2, base 1
crl delta-needs-later -crlexts crl_delta_bad              # number 3, needs base 9
crl unknown-critical -crlexts crl_unknown_crit
crl onlyca -crlexts crl_onlyca
crl expired -crlhours 1
crl no-ext
# Signed by another key under the CA's name.
openssl ca -config $W/ca.cnf -cert $W/evil.crt -keyfile $W/evil.key -batch -gencrl \
  -out $W/wrongkey.pem 2>/dev/null
openssl crl -in $W/wrongkey.pem -outform DER -out wrong-key.crl
openssl ca -config $W/ca.cnf -cert $W/nocrl.crt -keyfile $W/nocrl.key -batch -gencrl \
  -out $W/nocrlsign.pem 2>/dev/null
openssl crl -in $W/nocrlsign.pem -outform DER -out nocrlsign.crl

# ---- OCSP: requests with openssl ocsp -reqout, responses with -respout ----
# (the index after the delta: unhold is removeFromCRL, i.e. not revoked)
req() { openssl ocsp -issuer $W/ca.crt -cert $W/$1.crt -no_nonce -reqout $W/$1.req 2>/dev/null; }
resp() { # OUT CERT SIGNER_CRT SIGNER_KEY [extra]
  out=$1; c=$2; sc=$3; sk=$4; shift 4
  openssl ocsp -index $W/index.txt -CA $W/ca.crt -rsigner $sc -rkey $sk -reqin $W/$c.req \
    -respout $out.ocsp "$@" 2>/dev/null
}
for c in good revoked hold unhold compromised; do req $c; done
resp ocsp-good good $W/ca.crt $W/ca.key -ndays 1
resp ocsp-good-nonext good $W/ca.crt $W/ca.key
resp ocsp-revoked revoked $W/ca.crt $W/ca.key -ndays 1
resp ocsp-compromised compromised $W/ca.crt $W/ca.key -ndays 1
resp ocsp-delegated good $W/responder.crt $W/responder.key -ndays 1
resp ocsp-noeku good $W/noeku.crt $W/noeku.key -ndays 1
resp ocsp-wrongkey good $W/evil.crt $W/evil.key -ndays 1
resp ocsp-idonly good $W/ca.crt $W/ca.key -ndays 1 -resp_key_id
resp ocsp-nocerts good $W/ca.crt $W/ca.key -ndays 1 -resp_no_certs
# A certificate the index does not know: status unknown.
cert stranger "Stranger Leaf" leaf_ext 0x3001
req stranger
resp ocsp-unknown stranger $W/ca.crt $W/ca.key -ndays 1
# The request of one certificate answered for another.
resp ocsp-other-cert revoked $W/ca.crt $W/ca.key -ndays 1
cp $W/good.req ocsp-good.req
rm -rf work
