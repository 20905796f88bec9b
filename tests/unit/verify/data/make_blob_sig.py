#!/usr/bin/python3
"""Blob signatures from an independent signer, for tests/unit/verify/test_verify_api.c.

    /usr/bin/python3 tests/unit/verify/data/make_blob_sig.py [outdir]

Run with Debian's interpreter: the certificates and the JWS envelopes
(notary-spec.md section 5) come from tests/signer/notary_signer.py, which
uses python3-cryptography (38.x on Debian 12) and nothing of libnotaryc.

Writes into outdir (default: blob/ beside this script):

  root.crt    P-384 root "CN=Blob Witness Root CA", self-signed with
              ecdsa-with-SHA384; basicConstraints CA:TRUE (critical),
              keyUsage keyCertSign + cRLSign (critical)
  leaf.crt    P-384 leaf "C=US, ST=WA, L=Seattle, O=Notary Blob Witness,
              CN=Blob Witness Signer" issued by the root with the Notary
              code-signing profile of notary-spec.md section 9:
              keyUsage digitalSignature (critical), EKU codeSigning,
              basicConstraints CA:FALSE (critical)
  blob.txt    40000 bytes of text (more than one 16 KiB read of the
              verifier), the same on every run
  blob.jws.sig
              ES384 (the P-384 key decides the algorithm, section 7),
              scheme notary.x509, signingTime 2026-03-01T12:00:00Z, no
              expiry, crit ["io.cncf.notary.signingScheme"]. The payload
              names the blob as
                {"mediaType": "text/plain", "digest": "sha384:<hex>",
                 "size": 40000, "annotations": {"buildId": "42"}}
              (the digest uses the signature algorithm's hash, SHA-384).
              x5c = [leaf, root].
  blob-expiring.jws.sig
              the same with io.cncf.notary.expiry 2030-01-01T00:00:00Z,
              listed in crit too.

Both certificates are valid 2025-01-01T00:00:00Z .. 2045-01-01T00:00:00Z.
Every run makes new keys, so certificates and signatures differ between
runs but keep these properties; blob.txt and the times are fixed. The
committed files are one such run; the private keys are not written.
"""
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, os.pardir, os.pardir, "signer"))
import notary_signer as ns  # noqa: E402

BLOB_SIZE = 40000


def blob_bytes():
    lines, n = [], 0
    while sum(len(x) for x in lines) < BLOB_SIZE:
        lines.append(b"libnotaryc blob witness line %05d: the quick brown fox\n" % n)
        n += 1
    data = b"".join(lines)[:BLOB_SIZE]
    assert len(data) == BLOB_SIZE
    return data


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "blob")
    os.makedirs(outdir, exist_ok=True)
    root = ns.make_root("C=US, ST=WA, O=Notary Blob Witness, CN=Blob Witness Root CA", "ec384",
                        crl_sign=True)
    leaf = ns.make_leaf(root, "C=US, ST=WA, L=Seattle, O=Notary Blob Witness, "
                        "CN=Blob Witness Signer", "ec384", basic_constraints_critical=True)
    blob = blob_bytes()
    target = ns.blob_descriptor(blob, ns.key_algorithm(leaf.key), "text/plain",
                                {"buildId": "42"})
    chain = [leaf.cert, root.cert]
    files = {"root.crt": ns.pem(root.cert), "leaf.crt": ns.pem(leaf.cert), "blob.txt": blob}
    for name, expiry in (("blob.jws.sig", None),
                         ("blob-expiring.jws.sig", "2030-01-01T00:00:00Z")):
        files[name] = ns.sign_jws(leaf, chain, target, "2026-03-01T12:00:00Z", expiry,
                                  "make_blob_sig.py")
    for name, data in files.items():
        ns.write_file(os.path.join(outdir, name), data)
    print("blob.txt sha384:%s size %d" % (hashlib.sha384(blob).hexdigest(), len(blob)))


if __name__ == "__main__":
    main()
