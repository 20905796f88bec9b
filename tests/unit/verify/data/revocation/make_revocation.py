#!/usr/bin/python3
"""Envelopes whose chains name revocation services, for the fail-closed
revocation tests of tests/unit/verify/test_pipeline.c and
test_verify_api.c.

    /usr/bin/python3 tests/unit/verify/data/revocation/make_revocation.py [outdir]

The certificates and JWS envelopes come from tests/signer/notary_signer.py
(python3-cryptography, nothing of libnotaryc). Every certificate is P-256
and valid 2025-01-01T00:00:00Z .. 2045-01-01T00:00:00Z; every envelope is
ES256, scheme notary.x509, signingTime 2026-06-01T00:00:00Z, no expiry,
signed over the descriptor of target.json, with the leaf subject
"C=US, ST=WA, O=Notary Revocation Test, CN=Revocation Test Signer" and one
root, "C=US, ST=WA, O=Notary Revocation Test, CN=Revocation Test Root"
(root.crt, and truststore/x509/ca/revocation-test/root.crt, the same bytes).

  crl-ocsp.jws      x5c [leaf, root]; the leaf has a CRL distribution point
                    (CRL_URL) and an OCSP responder (authorityInfoAccess,
                    OCSP_URL)
  crl.jws           the leaf has the CRL distribution point only
  ocsp.jws          the leaf has the OCSP responder only
  intermediate.jws  x5c [leaf, intermediate, root]: the leaf names nothing,
                    the intermediate CA ("CN=Revocation Test Intermediate")
                    both
  none.jws          x5c [leaf, root], no URL anywhere (the control case)

target.json is the signed descriptor: an OCI image manifest of
len(ARTIFACT) bytes with the SHA-256 digest of ARTIFACT.

Every run makes new keys; the committed files are one such run.
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, os.pardir, os.pardir, os.pardir, "signer"))
import notary_signer as ns  # noqa: E402

ORG = "C=US, ST=WA, O=Notary Revocation Test, CN="
CRL_URL = "http://crl.example.test/revocation-test.crl"
OCSP_URL = "http://ocsp.example.test/"
# The signed descriptor names these bytes (they are not stored).
ARTIFACT = b"libnotaryc revocation test artifact\n"
TARGET = {"mediaType": "application/vnd.oci.image.manifest.v1+json",
          "digest": "sha256:" + hashlib.sha256(ARTIFACT).hexdigest(), "size": len(ARTIFACT)}


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else HERE
    root = ns.make_root(ORG + "Revocation Test Root", "ec256")
    inter = ns.make_intermediate(root, ORG + "Revocation Test Intermediate", "ec256",
                                 crl_url=CRL_URL, ocsp_url=OCSP_URL)
    signer = ORG + "Revocation Test Signer"
    cases = {
        "crl-ocsp.jws": (root, dict(crl_url=CRL_URL, ocsp_url=OCSP_URL)),
        "crl.jws": (root, dict(crl_url=CRL_URL)),
        "ocsp.jws": (root, dict(ocsp_url=OCSP_URL)),
        "intermediate.jws": (inter, {}),
        "none.jws": (root, {}),
    }
    files = {"target.json": json.dumps(TARGET, separators=(",", ":")).encode("ascii") + b"\n",
             "root.crt": ns.pem(root.cert),
             "truststore/x509/ca/revocation-test/root.crt": ns.pem(root.cert)}
    for name, (issuer, urls) in cases.items():
        leaf = ns.make_leaf(issuer, signer, "ec256", **urls)
        chain = [leaf.cert] + ([inter.cert] if issuer is inter else []) + [root.cert]
        files[name] = ns.sign_jws(leaf, chain, TARGET, "2026-06-01T00:00:00Z", None,
                                  "make_revocation.py")
    for name, data in files.items():
        ns.write_file(os.path.join(outdir, name), data)


if __name__ == "__main__":
    main()
