#!/usr/bin/python3
"""An independent signer for the CLI tests: a Notary JWS blob signature.

    /usr/bin/python3 blob_signer.py OUT_DIR BLOB

Uses Debian's python3-cryptography only (run with /usr/bin/python3), none
of libnotaryc's code. Makes a throw-away RSA-3072 root CA and leaf
(notary-spec.md section 9: the CA has basicConstraints CA:true and
keyUsage keyCertSign, both critical; the leaf has basicConstraints
CA:false, keyUsage digitalSignature (critical) and EKU codeSigning), valid
2025-01-01 .. 2035-01-01, and signs BLOB as notation does (section 5):

  payload    {"targetArtifact": {"mediaType": "application/octet-stream",
              "digest": "sha384:<hex>", "size": N}}
             (RSA-3072 means PS384, and the blob digest uses the signature
             algorithm's hash: SHA-384, section 7 and 3.2)
  protected  alg PS384, cty application/vnd.cncf.notary.payload.v1+json,
             io.cncf.notary.signingScheme notary.x509,
             io.cncf.notary.signingTime 2026-01-01T00:00:00Z,
             crit ["io.cncf.notary.signingScheme"]
  header     x5c [leaf, root] (standard base64 DER)
  signature  RSASSA-PSS SHA-384, MGF1 SHA-384, salt 48 bytes, over
             base64url(protected) "." base64url(payload)

Writes OUT_DIR/blob.jws.sig and OUT_DIR/truststore/x509/ca/blob-test/root.pem
and prints the leaf subject.
"""
import base64
import datetime
import hashlib
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOT_BEFORE = datetime.datetime(2025, 1, 1)
NOT_AFTER = datetime.datetime(2035, 1, 1)
SIGNING_TIME = "2026-01-01T00:00:00Z"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "notaryc CLI test"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def key_usage(digital_signature, cert_sign):
    return x509.KeyUsage(digital_signature=digital_signature, content_commitment=False,
                         key_encipherment=False, data_encipherment=False,
                         key_agreement=False, key_cert_sign=cert_sign, crl_sign=False,
                         encipher_only=False, decipher_only=False)


def make_chain():
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    root_name = name("notaryc CLI test root")
    root = (x509.CertificateBuilder()
            .subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(key_usage(False, True), critical=True)
            .sign(root_key, hashes.SHA384()))
    leaf = (x509.CertificateBuilder()
            .subject_name(name("notaryc CLI test signer")).issuer_name(root_name)
            .public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=False)
            .add_extension(key_usage(True, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]),
                           critical=False)
            .sign(root_key, hashes.SHA384()))
    return leaf_key, leaf, root


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    out_dir, blob_path = sys.argv[1], sys.argv[2]
    with open(blob_path, "rb") as f:
        blob = f.read()
    leaf_key, leaf, root = make_chain()
    payload = json.dumps({"targetArtifact": {
        "mediaType": "application/octet-stream",
        "digest": "sha384:" + hashlib.sha384(blob).hexdigest(),
        "size": len(blob)}}, separators=(",", ":")).encode("utf-8")
    protected = json.dumps({
        "alg": "PS384",
        "crit": ["io.cncf.notary.signingScheme"],
        "cty": "application/vnd.cncf.notary.payload.v1+json",
        "io.cncf.notary.signingScheme": "notary.x509",
        "io.cncf.notary.signingTime": SIGNING_TIME}, separators=(",", ":")).encode("utf-8")
    signing_input = (b64url(protected) + "." + b64url(payload)).encode("ascii")
    signature = leaf_key.sign(signing_input,
                              padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48),
                              hashes.SHA384())
    der = [c.public_bytes(serialization.Encoding.DER) for c in (leaf, root)]
    envelope = {
        "payload": b64url(payload),
        "protected": b64url(protected),
        "header": {"x5c": [base64.b64encode(d).decode("ascii") for d in der],
                   "io.cncf.notary.signingAgent": "notaryc-cli-test/1.0"},
        "signature": b64url(signature),
    }
    with open(os.path.join(out_dir, "blob.jws.sig"), "w") as f:
        json.dump(envelope, f)
    store = os.path.join(out_dir, "truststore", "x509", "ca", "blob-test")
    os.makedirs(store)
    with open(os.path.join(store, "root.pem"), "wb") as f:
        f.write(root.public_bytes(serialization.Encoding.PEM))
    print(leaf.subject.rfc4514_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
