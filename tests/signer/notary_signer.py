#!/usr/bin/python3
"""An independent Notary Project signer for libnotaryc's tests.

Uses Debian's python3-cryptography only (run with /usr/bin/python3), and
python3-cbor2 for COSE envelopes; none of libnotaryc's code. Every call
makes new keys: certificates and signatures differ between runs, but keep
the properties asked for. Private keys are never written (a TSA key only
briefly, mode 0600, for `openssl ts -reply`; see timestamp_token).

As a module (tests put this folder on sys.path):

    import notary_signer as ns
    root = ns.make_root("C=US, O=Example, CN=Example Root", "ec384")
    leaf = ns.make_leaf(root, "C=US, O=Example, CN=Example Signer", "ec384",
                        crl_url="http://crl.example/r.crl")
    target = ns.blob_descriptor(data, ns.key_algorithm(leaf.key), "text/plain")
    envelope = ns.sign_jws(leaf, [leaf.cert, root.cert], target,
                           "2026-01-01T00:00:00Z")

    # an RFC 3161 timestamp from OpenSSL's TSA over the signature bytes:
    tsa_root = ns.make_root("C=US, O=Example, CN=Example TSA Root")
    tsa = ns.make_tsa_leaf(tsa_root, "C=US, O=Example, CN=Example TSA")
    envelope = ns.sign_jws(leaf, [leaf.cert, root.cert], target, timestamper=lambda sig:
                           ns.timestamp_token(tsa, [tsa.cert, tsa_root.cert], sig, workdir))
As a command (one fresh chain, one envelope):

    /usr/bin/python3 notary_signer.py [options] OUT_DIR

    --key TYPE               rsa2048 rsa3072 rsa4096 ec256 ec384 ec521
                             (default rsa3072), for every certificate
    --root-subject DN        default "C=US, O=notaryc test, CN=notaryc test root"
    --intermediate-subject DN
                             put an intermediate CA between root and leaf
    --leaf-subject DN        default "C=US, O=notaryc test, CN=notaryc test signer"
    --not-before T, --not-after T
                             every certificate's validity
                             (default 2025-01-01T00:00:00Z .. 2045-01-01T00:00:00Z)
    --crl-url URL, --ocsp-url URL
                             a CRL distribution point / an OCSP responder
                             (authorityInfoAccess) on the leaf
    --intermediate-crl-url URL, --intermediate-ocsp-url URL
                             the same on the intermediate
    --blob FILE              sign FILE: digest with the algorithm's hash
    --media-type MT          the blob's media type (application/octet-stream)
    --annotation KEY=VALUE   an annotation of the blob's descriptor (repeatable)
    --descriptor FILE        sign this JSON descriptor as it is (instead of --blob)
    --format jws|cose        default jws
    --signing-time T         default 2026-01-01T00:00:00Z
    --expiry T               io.cncf.notary.expiry (listed in crit)
    --signing-agent TEXT     io.cncf.notary.signingAgent (default notary_signer.py)
    --envelope NAME          the envelope's file name in OUT_DIR
                             (default signature.jws or signature.cose)
    --truststore NAME        also write OUT_DIR/truststore/x509/ca/NAME/root.crt

It writes OUT_DIR/root.crt, OUT_DIR/leaf.crt (and intermediate.crt), PEM,
and the envelope, and prints the leaf subject (RFC 4514). DN is written as
in a trust policy, "C=US, ST=WA, O=Org, CN=Name" (no escaped commas), in
the order of the certificate's RDNs. T is RFC 3339, "2026-01-01T00:00:00Z".

Certificates follow the Notary profile (notary-spec.md section 9): CAs
have basicConstraints CA:true (critical) and keyUsage keyCertSign
(critical; cRLSign too on request); the leaf has keyUsage
digitalSignature (critical), EKU codeSigning and basicConstraints
CA:false. Each certificate is signed with its issuer's algorithm hash.
Envelopes (sections 5 and 6) use scheme notary.x509, the algorithm that the
leaf key decides (section 7), x5c / x5chain leaf first and root last, and
a payload {"targetArtifact": descriptor}.
"""
import argparse
import base64
import collections
import datetime
import hashlib
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

CTY = "application/vnd.cncf.notary.payload.v1+json"
SCHEME = "notary.x509"
H_SCHEME = "io.cncf.notary.signingScheme"
H_SIGNING_TIME = "io.cncf.notary.signingTime"
H_EXPIRY = "io.cncf.notary.expiry"
H_AGENT = "io.cncf.notary.signingAgent"
H_TIMESTAMP = "io.cncf.notary.timestampSignature"
NOT_BEFORE = "2025-01-01T00:00:00Z"
NOT_AFTER = "2045-01-01T00:00:00Z"
SIGNING_TIME = "2026-01-01T00:00:00Z"

# Section 7: the key decides the algorithm.
Algorithm = collections.namedtuple("Algorithm", "jws cose hash digest")
ALGORITHMS = {
    "rsa2048": Algorithm("PS256", -37, hashes.SHA256, "sha256"),
    "rsa3072": Algorithm("PS384", -38, hashes.SHA384, "sha384"),
    "rsa4096": Algorithm("PS512", -39, hashes.SHA512, "sha512"),
    "ec256": Algorithm("ES256", -7, hashes.SHA256, "sha256"),
    "ec384": Algorithm("ES384", -35, hashes.SHA384, "sha384"),
    "ec521": Algorithm("ES512", -36, hashes.SHA512, "sha512"),
}
CURVES = {"ec256": ec.SECP256R1, "ec384": ec.SECP384R1, "ec521": ec.SECP521R1}

# A private key and the certificate of its public key.
Issued = collections.namedtuple("Issued", "key cert")

ATTRIBUTES = {
    "C": NameOID.COUNTRY_NAME,
    "ST": NameOID.STATE_OR_PROVINCE_NAME,
    "L": NameOID.LOCALITY_NAME,
    "O": NameOID.ORGANIZATION_NAME,
    "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
    "CN": NameOID.COMMON_NAME,
}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def parse_name(dn):
    """'C=US, O=Org, CN=Name' as an x509.Name with the RDNs in that order."""
    attrs = []
    for part in dn.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep or key.upper() not in ATTRIBUTES or not value:
            raise ValueError("bad DN part %r in %r" % (part, dn))
        attrs.append(x509.NameAttribute(ATTRIBUTES[key.upper()], value))
    return x509.Name(attrs)


def parse_time(text):
    """RFC 3339 text as an aware datetime."""
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def generate_key(key_type):
    if key_type in CURVES:
        return ec.generate_private_key(CURVES[key_type]())
    if key_type in ALGORITHMS:
        return rsa.generate_private_key(public_exponent=65537, key_size=int(key_type[3:]))
    raise ValueError("unknown key type %r (one of %s)" % (key_type, ", ".join(ALGORITHMS)))


def key_type_of(key):
    """The ALGORITHMS key of a private or public key."""
    pub = key.public_key() if hasattr(key, "public_key") else key
    if isinstance(pub, rsa.RSAPublicKey):
        name = "rsa%d" % pub.key_size
    elif isinstance(pub, ec.EllipticCurvePublicKey):
        name = "ec%d" % pub.curve.key_size
    else:
        name = type(pub).__name__
    if name not in ALGORITHMS:
        raise ValueError("no Notary algorithm for a %s key" % name)
    return name


def key_algorithm(key):
    return ALGORITHMS[key_type_of(key)]


def _key_usage(digital_signature=False, cert_sign=False, crl_sign=False):
    return x509.KeyUsage(digital_signature=digital_signature, content_commitment=False,
                         key_encipherment=False, data_encipherment=False,
                         key_agreement=False, key_cert_sign=cert_sign, crl_sign=crl_sign,
                         encipher_only=False, decipher_only=False)


def _revocation(builder, crl_url, ocsp_url, freshest_crl_url=None):
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    if ocsp_url:
        builder = builder.add_extension(x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.OCSP,
                                   x509.UniformResourceIdentifier(ocsp_url))]), critical=False)
    if freshest_crl_url:
        builder = builder.add_extension(x509.FreshestCRL([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(freshest_crl_url)], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    return builder


def _certificate(subject, key, issuer, not_before, not_after, extensions):
    """subject and key are the new certificate's; issuer an Issued, or
    None for a self-signed one. extensions: (extension, critical) pairs,
    or a callable that adds more to the builder."""
    issuer_name = issuer.cert.subject if issuer else subject
    signer = issuer.key if issuer else key
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(issuer_name)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(parse_time(not_before))
               .not_valid_after(parse_time(not_after)))
    for ext in extensions:
        builder = ext(builder) if callable(ext) else builder.add_extension(*ext)
    return builder.sign(signer, key_algorithm(signer).hash())


def make_root(subject, key_type="rsa3072", not_before=NOT_BEFORE, not_after=NOT_AFTER,
              crl_sign=False):
    key = generate_key(key_type)
    cert = _certificate(parse_name(subject), key, None, not_before, not_after, [
        (x509.BasicConstraints(ca=True, path_length=None), True),
        (_key_usage(cert_sign=True, crl_sign=crl_sign), True)])
    return Issued(key, cert)


def make_intermediate(issuer, subject, key_type="rsa3072", not_before=NOT_BEFORE,
                      not_after=NOT_AFTER, crl_url=None, ocsp_url=None, crl_sign=False):
    key = generate_key(key_type)
    cert = _certificate(parse_name(subject), key, issuer, not_before, not_after, [
        (x509.BasicConstraints(ca=True, path_length=None), True),
        (_key_usage(cert_sign=True, crl_sign=crl_sign), True),
        lambda b: _revocation(b, crl_url, ocsp_url)])
    return Issued(key, cert)


def make_leaf(issuer, subject, key_type="rsa3072", not_before=NOT_BEFORE, not_after=NOT_AFTER,
              crl_url=None, ocsp_url=None, basic_constraints_critical=False,
              freshest_crl_url=None):
    """freshest_crl_url: a Freshest CRL extension (RFC 5280 4.2.1.15) naming
    where the delta CRL is."""
    key = generate_key(key_type)
    cert = _certificate(parse_name(subject), key, issuer, not_before, not_after, [
        (x509.BasicConstraints(ca=False, path_length=None), basic_constraints_critical),
        (_key_usage(digital_signature=True), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False),
        lambda b: _revocation(b, crl_url, ocsp_url, freshest_crl_url)])
    return Issued(key, cert)


def make_tsa_leaf(issuer, subject, key_type="rsa3072", not_before=NOT_BEFORE,
                  not_after=NOT_AFTER, eku_critical=True):
    """A TSA certificate (section 9.3): EKU exactly timeStamping, critical
    unless asked otherwise; keyUsage digitalSignature."""
    key = generate_key(key_type)
    cert = _certificate(parse_name(subject), key, issuer, not_before, not_after, [
        (x509.BasicConstraints(ca=False, path_length=None), False),
        (_key_usage(digital_signature=True), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), eku_critical)])
    return Issued(key, cert)


TSA_CONFIG = """[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {serial}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def timestamp_token(tsa, chain, data, workdir, hash_name="sha256", openssl="openssl"):
    """An RFC 3161 TimeStampToken over `data` (for Notary: the envelope's
    raw signature bytes) made by OpenSSL's TSA (`openssl ts -query`, then
    `openssl ts -reply -token_out`), signed by `tsa` (an Issued from
    make_tsa_leaf) with the certificates `chain` (TSA leaf first) in the
    token; genTime is the current time. The TSA key is written to workdir
    (mode 0600) for openssl and removed afterwards."""
    import subprocess
    import tempfile
    os.makedirs(workdir, exist_ok=True)
    d = tempfile.mkdtemp(prefix="tsa-", dir=workdir)
    paths = {n: os.path.join(d, n) for n in
             ("data", "query.tsq", "tsa.crt", "tsa.key", "chain.pem", "serial", "tsa.cnf",
              "token.der")}
    write_file(paths["data"], data)
    write_file(paths["tsa.crt"], pem(tsa.cert))
    write_file(paths["chain.pem"], pem(*chain))
    write_file(paths["serial"], b"01\n")
    write_file(paths["tsa.cnf"], TSA_CONFIG.format(serial=paths["serial"]).encode("ascii"))
    fd = os.open(paths["tsa.key"], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(tsa.key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    try:
        subprocess.run([openssl, "ts", "-query", "-data", paths["data"], "-" + hash_name,
                        "-cert", "-no_nonce", "-out", paths["query.tsq"]],
                       check=True, capture_output=True, timeout=60)
        subprocess.run([openssl, "ts", "-reply", "-config", paths["tsa.cnf"],
                        "-queryfile", paths["query.tsq"], "-signer", paths["tsa.crt"],
                        "-inkey", paths["tsa.key"], "-chain", paths["chain.pem"],
                        "-token_out", "-out", paths["token.der"]],
                       check=True, capture_output=True, timeout=60)
        with open(paths["token.der"], "rb") as f:
            return f.read()
    finally:
        os.remove(paths["tsa.key"])


def blob_descriptor(data, algorithm, media_type="application/octet-stream", annotations=None):
    """A blob's descriptor: its digest uses the signature algorithm's hash
    (section 3.2)."""
    desc = {"mediaType": media_type,
            "digest": algorithm.digest + ":" + hashlib.new(algorithm.digest, data).hexdigest(),
            "size": len(data)}
    if annotations:
        desc["annotations"] = dict(annotations)
    return desc


def payload_bytes(target):
    return json.dumps({"targetArtifact": target}, separators=(",", ":")).encode("utf-8")


def _sign(key, data):
    """RSASSA-PSS with salt = hash length, or ECDSA as R || S."""
    alg = key_algorithm(key)
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PSS(mgf=padding.MGF1(alg.hash()),
                                          salt_length=alg.hash.digest_size), alg.hash())
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(alg.hash())))
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _ders(chain):
    return [c.public_bytes(serialization.Encoding.DER) for c in chain]


def sign_jws(leaf, chain, target, signing_time=SIGNING_TIME, expiry=None,
             signing_agent="notary_signer.py", timestamper=None):
    """A flattened JWS JSON envelope (section 5) as compact JSON bytes.
    leaf: the signer's Issued; chain: certificates, leaf first, root last.
    timestamper: called with the raw signature bytes, returns the RFC 3161
    token to embed (io.cncf.notary.timestampSignature, standard base64)."""
    crit = [H_SCHEME]
    header = {"alg": key_algorithm(leaf.key).jws, "cty": CTY, H_SCHEME: SCHEME,
              H_SIGNING_TIME: signing_time}
    if expiry is not None:
        header[H_EXPIRY] = expiry
        crit.append(H_EXPIRY)
    header["crit"] = crit
    protected = b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    payload = b64url(payload_bytes(target))
    unprotected = {"x5c": [base64.b64encode(d).decode("ascii") for d in _ders(chain)]}
    if signing_agent:
        unprotected[H_AGENT] = signing_agent
    signature = _sign(leaf.key, (protected + "." + payload).encode("ascii"))
    if timestamper is not None:
        unprotected[H_TIMESTAMP] = base64.b64encode(timestamper(signature)).decode("ascii")
    envelope = {"payload": payload, "protected": protected, "header": unprotected,
                "signature": b64url(signature)}
    return json.dumps(envelope, separators=(",", ":")).encode("utf-8")


def sign_cose(leaf, chain, target, signing_time=SIGNING_TIME, expiry=None,
              signing_agent="notary_signer.py", timestamper=None):
    """A COSE_Sign1_Tagged envelope (section 6); needs python3-cbor2.
    timestamper: as for sign_jws (the token goes in the unprotected header
    as a bstr)."""
    import cbor2

    def epoch(text):
        return cbor2.CBORTag(1, int(parse_time(text).timestamp()))

    crit = [H_SCHEME]
    header = {1: key_algorithm(leaf.key).cose, 2: crit, 3: CTY, H_SCHEME: SCHEME,
              H_SIGNING_TIME: epoch(signing_time)}
    if expiry is not None:
        header[H_EXPIRY] = epoch(expiry)
        crit.append(H_EXPIRY)
    protected = cbor2.dumps(header)
    payload = payload_bytes(target)
    to_be_signed = cbor2.dumps(["Signature1", protected, b"", payload])
    unprotected = {33: _ders(chain)}
    if signing_agent:
        unprotected[H_AGENT] = signing_agent
    signature = _sign(leaf.key, to_be_signed)
    if timestamper is not None:
        unprotected[H_TIMESTAMP] = timestamper(signature)
    return cbor2.dumps(cbor2.CBORTag(18, [protected, unprotected, payload, signature]))


def pem(*certs):
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def write_file(path, data):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def main(argv=None):
    ap = argparse.ArgumentParser(description="An independent Notary signer for tests.")
    ap.add_argument("out_dir")
    ap.add_argument("--key", default="rsa3072", choices=sorted(ALGORITHMS))
    ap.add_argument("--root-subject", default="C=US, O=notaryc test, CN=notaryc test root")
    ap.add_argument("--intermediate-subject")
    ap.add_argument("--leaf-subject", default="C=US, O=notaryc test, CN=notaryc test signer")
    ap.add_argument("--not-before", default=NOT_BEFORE)
    ap.add_argument("--not-after", default=NOT_AFTER)
    ap.add_argument("--crl-url")
    ap.add_argument("--ocsp-url")
    ap.add_argument("--intermediate-crl-url")
    ap.add_argument("--intermediate-ocsp-url")
    target = ap.add_mutually_exclusive_group(required=True)
    target.add_argument("--blob")
    target.add_argument("--descriptor")
    ap.add_argument("--media-type", default="application/octet-stream")
    ap.add_argument("--annotation", action="append", default=[])
    ap.add_argument("--format", default="jws", choices=["jws", "cose"])
    ap.add_argument("--signing-time", default=SIGNING_TIME)
    ap.add_argument("--expiry")
    ap.add_argument("--signing-agent", default="notary_signer.py")
    ap.add_argument("--envelope")
    ap.add_argument("--truststore")
    a = ap.parse_args(argv)

    validity = {"not_before": a.not_before, "not_after": a.not_after}
    root = make_root(a.root_subject, a.key, **validity)
    issuer, chain = root, [root.cert]
    if a.intermediate_subject:
        issuer = make_intermediate(root, a.intermediate_subject, a.key,
                                   crl_url=a.intermediate_crl_url,
                                   ocsp_url=a.intermediate_ocsp_url, **validity)
        chain.insert(0, issuer.cert)
    leaf = make_leaf(issuer, a.leaf_subject, a.key, crl_url=a.crl_url, ocsp_url=a.ocsp_url,
                     **validity)
    chain.insert(0, leaf.cert)

    if a.blob:
        with open(a.blob, "rb") as f:
            data = f.read()
        annotations = dict(kv.split("=", 1) for kv in a.annotation)
        desc = blob_descriptor(data, key_algorithm(leaf.key), a.media_type, annotations)
    else:
        with open(a.descriptor, "rb") as f:
            desc = json.load(f)
    sign = sign_cose if a.format == "cose" else sign_jws
    envelope = sign(leaf, chain, desc, a.signing_time, a.expiry, a.signing_agent)

    write_file(os.path.join(a.out_dir, a.envelope or "signature." + a.format), envelope)
    write_file(os.path.join(a.out_dir, "root.crt"), pem(root.cert))
    write_file(os.path.join(a.out_dir, "leaf.crt"), pem(leaf.cert))
    if a.intermediate_subject:
        write_file(os.path.join(a.out_dir, "intermediate.crt"), pem(issuer.cert))
    if a.truststore:
        write_file(os.path.join(a.out_dir, "truststore", "x509", "ca", a.truststore, "root.crt"),
                   pem(root.cert))
    print(leaf.cert.subject.rfc4514_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
