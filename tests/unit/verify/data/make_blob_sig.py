#!/usr/bin/python3
"""Blob signatures from an independent signer, for tests/unit/verify/test_verify_api.c.

    /usr/bin/python3 tests/unit/verify/data/make_blob_sig.py [outdir]

Run with Debian's interpreter: python3-cryptography (38.x on Debian 12) is
the only module used besides the standard library. Nothing here uses
libnotaryc. The JWS envelopes are written by hand (notary-spec.md section 5:
flattened JSON serialization, base64url without padding for "protected",
"payload" and "signature", standard base64 with padding for "x5c").

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
import base64
import datetime
import hashlib
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOT_BEFORE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
NOT_AFTER = datetime.datetime(2045, 1, 1, tzinfo=datetime.timezone.utc)
SIGNING_TIME = "2026-03-01T12:00:00Z"
EXPIRY = "2030-01-01T00:00:00Z"
BLOB_MEDIA_TYPE = "text/plain"
BLOB_SIZE = 40000
CTY = "application/vnd.cncf.notary.payload.v1+json"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def name(cn, with_location):
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
             x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "WA")]
    if with_location:
        attrs.append(x509.NameAttribute(NameOID.LOCALITY_NAME, "Seattle"))
    attrs += [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Notary Blob Witness"),
              x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    return x509.Name(attrs)


def key_usage(digital_signature, cert_sign):
    return x509.KeyUsage(digital_signature=digital_signature, content_commitment=False,
                         key_encipherment=False, data_encipherment=False,
                         key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
                         encipher_only=False, decipher_only=False)


def make_certs():
    root_key = ec.generate_private_key(ec.SECP384R1())
    root_name = name("Blob Witness Root CA", False)
    root = (x509.CertificateBuilder()
            .subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(key_usage(False, True), critical=True)
            .sign(root_key, hashes.SHA384()))
    leaf_key = ec.generate_private_key(ec.SECP384R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(name("Blob Witness Signer", True)).issuer_name(root_name)
            .public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(key_usage(True, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]),
                           critical=False)
            .sign(root_key, hashes.SHA384()))
    return leaf_key, leaf, root


def blob_bytes():
    lines, n = [], 0
    while sum(len(x) for x in lines) < BLOB_SIZE:
        lines.append(b"libnotaryc blob witness line %05d: the quick brown fox\n" % n)
        n += 1
    data = b"".join(lines)[:BLOB_SIZE]
    assert len(data) == BLOB_SIZE
    return data


def jws(leaf_key, chain, blob, expiry):
    header = {
        "alg": "ES384",
        "cty": CTY,
        "io.cncf.notary.signingScheme": "notary.x509",
        "io.cncf.notary.signingTime": SIGNING_TIME,
        "crit": ["io.cncf.notary.signingScheme"],
    }
    if expiry is not None:
        header["io.cncf.notary.expiry"] = expiry
        header["crit"].append("io.cncf.notary.expiry")
    payload = {"targetArtifact": {
        "mediaType": BLOB_MEDIA_TYPE,
        "digest": "sha384:" + hashlib.sha384(blob).hexdigest(),
        "size": len(blob),
        "annotations": {"buildId": "42"},
    }}
    protected = b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    body = b64url(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
    der = leaf_key.sign((protected + "." + body).encode("ascii"), ec.ECDSA(hashes.SHA384()))
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(48, "big") + s.to_bytes(48, "big")  # JWS wants R || S, not DER
    envelope = {
        "payload": body,
        "protected": protected,
        "header": {
            "x5c": [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode("ascii")
                    for c in chain],
            "io.cncf.notary.signingAgent": "make_blob_sig.py",
        },
        "signature": b64url(raw),
    }
    return json.dumps(envelope, separators=(",", ":")).encode("utf-8")


def write(outdir, fname, data):
    with open(os.path.join(outdir, fname), "wb") as f:
        f.write(data)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "blob")
    os.makedirs(outdir, exist_ok=True)
    leaf_key, leaf, root = make_certs()
    blob = blob_bytes()
    write(outdir, "root.crt", root.public_bytes(serialization.Encoding.PEM))
    write(outdir, "leaf.crt", leaf.public_bytes(serialization.Encoding.PEM))
    write(outdir, "blob.txt", blob)
    write(outdir, "blob.jws.sig", jws(leaf_key, [leaf, root], blob, None))
    write(outdir, "blob-expiring.jws.sig", jws(leaf_key, [leaf, root], blob, EXPIRY))
    print("blob.txt sha384:%s size %d" % (hashlib.sha384(blob).hexdigest(), len(blob)))


if __name__ == "__main__":
    main()
