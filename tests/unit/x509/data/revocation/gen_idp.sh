#!/bin/sh
# The CRL scope data of tests/unit/x509/test_revocation.c and
# tests/unit/verify/test_revocation.c, made with the openssl command line
# under a CA of its own (gen.sh's CA key is not kept): CRLs whose issuing
# distribution point names a URL of the leaf's distribution points or
# another one; leaves that name only an OCSP responder, nothing, or only a
# directory-name distribution point (all revoked in every CRL here, so a
# CRL that is used for one shows); a delta CRL, and one by another key
# under the CA's name. Run: sh gen_idp.sh.
set -eu
cd "$(dirname "$0")"
rm -rf work && mkdir work
W=work
export OPENSSL_CONF=/dev/null

cat ca-common.cnf - > $W/ca.cnf <<'CNF'
[ leaf_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
crlDistributionPoints = URI:http://127.0.0.1:1/idp-a.crl,URI:http://127.0.0.1:1/idp-b.crl
[ ocsponly_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
authorityInfoAccess = OCSP;URI:http://127.0.0.1:1/ocsp
[ nourl_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
[ dirdp_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
crlDistributionPoints = dirdp
[ dirdp ]
fullname = dirName:dirdp_name
[ dirdp_name ]
CN = A directory entry
[ crl_aki ]
authorityKeyIdentifier = keyid
[ crl_delta_aki ]
authorityKeyIdentifier = keyid
deltaCRL = critical,DER:02:01:01
[ crl_idp_match ]
issuingDistributionPoint = critical,@idp_match
[ idp_match ]
fullname = URI:http://127.0.0.1:1/idp-b.crl
[ crl_idp_other ]
issuingDistributionPoint = critical,@idp_other
[ idp_other ]
fullname = URI:http://127.0.0.1:1/other.crl
CNF

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
cert() { # NAME CN EXT SERIAL
  key $W/$1.key
  openssl req -new -key $W/$1.key -subj "/CN=$2" -out $W/$1.csr
  openssl x509 -req -in $W/$1.csr -CA $W/ca.crt -CAkey $W/ca.key -set_serial "$4" \
    -days 3650 -sha256 -extfile $W/ca.cnf -extensions "$3" -out $W/$1.crt 2>/dev/null
  cp $W/$1.crt idp-$1.crt
}

key $W/ca.key
openssl req -new -x509 -key $W/ca.key -subj "/CN=IDP Test CA" -days 3650 -sha256 \
  -config $W/ca.cnf -extensions ca_ext -out $W/ca.crt
cp $W/ca.crt idp-ca.crt
cert leaf "IDP Leaf" leaf_ext 0x4001
cert ocsponly "OCSP Only Leaf" ocsponly_ext 0x4002
cert nourl "IDP No URL Leaf" nourl_ext 0x4003
cert dirdp "Directory DP Leaf" dirdp_ext 0x4004
# Another key under the CA's name, for a delta CRL by the wrong key.
key $W/evil.key
openssl req -new -x509 -key $W/evil.key -subj "/CN=IDP Test CA" -days 3650 -sha256 \
  -config $W/ca.cnf -extensions ca_ext -out $W/evil.crt

touch $W/index.txt
echo 01 > $W/crlnumber
CA="openssl ca -config $W/ca.cnf -cert $W/ca.crt -keyfile $W/ca.key -batch"
$CA -revoke $W/leaf.crt -crl_reason keyCompromise 2>/dev/null
$CA -revoke $W/ocsponly.crt -crl_reason keyCompromise 2>/dev/null
$CA -revoke $W/nourl.crt -crl_reason keyCompromise 2>/dev/null
$CA -revoke $W/dirdp.crt -crl_reason keyCompromise 2>/dev/null
crl() { # NAME [extra args]
  n=$1; shift
  $CA -gencrl "$@" -out $W/$n.pem 2>/dev/null
  openssl crl -in $W/$n.pem -outform DER -out idp-$n.crl
}
crl full -crlexts crl_aki             # number 1, no issuing distribution point: every certificate
crl match -crlexts crl_idp_match      # the leaf's second distribution point
crl other -crlexts crl_idp_other      # a point the leaf does not name
crl delta -crlexts crl_delta_aki      # a delta of full (base 1)
# the same, signed by the other key (its authority key identifier differs)
openssl ca -config $W/ca.cnf -cert $W/evil.crt -keyfile $W/evil.key -batch -gencrl \
  -crlexts crl_delta_aki -out $W/evil-delta.pem 2>/dev/null
openssl crl -in $W/evil-delta.pem -outform DER -out idp-evil-delta.crl
rm -rf $W
