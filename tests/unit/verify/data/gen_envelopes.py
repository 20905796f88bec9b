#!/usr/bin/python3
"""Independent witness envelopes for tests/unit/verify/test_integrity.c and
test_envelope_api.c.

Run with Debian's interpreter (python3-cryptography and python3-cbor2 only
import there):

    /usr/bin/python3 tests/unit/verify/data/gen_envelopes.py [outdir]

Nothing here uses libnotaryc: the certificates are made with
python3-cryptography (38.x on Debian 12), the JWS envelopes are written by
hand (base64url of JSON text) and the COSE_Sign1 envelopes with cbor2. Every
run makes new keys, so the outputs differ between runs but always have the
same properties; the committed files are one such run.

The CA (all certificates valid 2024-01-01 .. 2045-01-01, names under
O=Notary Witness):
  root-rsa      RSA-2048 root, sha256WithRSAEncryption, basicConstraints
                CA:TRUE critical, keyUsage keyCertSign+cRLSign critical
  root-ec       P-384 root, ecdsa-with-SHA384, same extensions
  root-sha1     RSA-2048 root self-signed with sha1WithRSAEncryption
  inter-rsa     RSA-2048 intermediate under root-rsa, CA:TRUE pathlen 0
  leaf-*        leaves with the Notary profile: keyUsage digitalSignature
                critical, EKU codeSigning, basicConstraints CA:FALSE, unless
                the case says otherwise. RSA leaves are issued by root-rsa,
                EC and Ed25519 leaves by root-ec.

Envelopes (<case>.jws = application/jose+json, <case>.cose =
application/cose); the expected libnotaryc integrity result is in brackets:
  valid-rsa2048-ps256.{jws,cose}     [NV_OK]
  valid-p384-es384.{jws,cose}        [NV_OK]
  valid-rsa4096-ps512.cose           [NV_OK]
  valid-p521-es512.jws               [NV_OK]
  valid-rsa2048-inter.jws            [NV_OK] leaf, intermediate, root
  valid-rsa2048-saltmax.jws          [NV_OK] PSS salt = maximum; notation-go
                                     accepts any salt length for JWS
  saltmax-rsa2048.cose               [NV_E_SIGNATURE_INVALID] the same for
                                     COSE, where salt must be the hash length
  alg-ps384-rsa2048.{jws,cose}       [NV_E_ALG_KEY_MISMATCH] a valid
                                     PSS/SHA-384 signature by an RSA-2048 key
  alg-es256-p384.jws                 [NV_E_ALG_KEY_MISMATCH] a valid
                                     ECDSA/SHA-256 signature by a P-384 key
  tampered-payload.{jws,cose}        [NV_E_SIGNATURE_INVALID] payload
                                     replaced after signing
  leaf-keyencipherment.jws           [NV_E_CERT_KEY_USAGE_INVALID]
  leaf-serverauth.jws                [NV_E_CERT_EKU_INVALID]
  chain-leaf-only.jws                [NV_E_CHAIN_SELF_SIGNED_INVALID] x5c =
                                     [leaf]: a one-certificate chain must be
                                     self-signed
  chain-no-root.jws                  [NV_E_CHAIN_ROOT_NOT_SELF_SIGNED] x5c =
                                     [leaf, intermediate]
  chain-reversed.jws                 [NV_E_SIGNATURE_INVALID] x5c = [root,
                                     leaf]; the first certificate's key
                                     (the root's, also RSA-2048) does not
                                     verify the leaf's signature
  chain-wrong-order.jws              [NV_E_CHAIN_NOT_ISSUED_BY_NEXT] x5c =
                                     [leaf, root, intermediate]
  leaf-rsa1024.jws                   [NV_E_KEY_UNSUPPORTED] PS256 by RSA-1024
  leaf-ed25519.jws                   [NV_E_KEY_UNSUPPORTED] alg ES256, an
                                     Ed25519 signature (64 bytes)
  root-sha1.jws                      [NV_E_CERT_WEAK_SIGNATURE_ALGORITHM]
  x5c-absent.{jws,cose}              [NV_E_CERT_CHAIN_MISSING]
  x5c-leaf-garbage.{jws,cose}        [NV_E_LEAF_CERT_MALFORMED] first chain
                                     element is not a certificate

Certificates are written as <name>.crt (PEM).
"""
import base64
import datetime
import hashlib
import json
import os
import sys
import warnings

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.utils import (decode_dss_signature,
                                                               encode_dss_signature)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

NOT_BEFORE = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
NOT_AFTER = datetime.datetime(2045, 1, 1, tzinfo=datetime.timezone.utc)
# 2025-03-01T12:00:00Z
SIGNING_TIME = datetime.datetime(2025, 3, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)

CTY = "application/vnd.cncf.notary.payload.v1+json"
SCHEME = "io.cncf.notary.signingScheme"
SIGNING_TIME_HDR = "io.cncf.notary.signingTime"
AGENT_HDR = "io.cncf.notary.signingAgent"
AGENT = "gen_envelopes.py/1.0"

COSE_ALG = {"PS256": -37, "PS384": -38, "PS512": -39, "ES256": -7, "ES384": -35, "ES512": -36}
HASH = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}
EC_SIZE = {"ES256": 32, "ES384": 48, "ES512": 66}


def payload_bytes(digest_seed):
    digest = hashlib.sha256(digest_seed).hexdigest()
    doc = {"targetArtifact": {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                              "digest": "sha256:" + digest, "size": 123}}
    return json.dumps(doc, separators=(",", ":")).encode()


PAYLOAD = payload_bytes(b"libnotaryc witness manifest")
OTHER_PAYLOAD = payload_bytes(b"another manifest")


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64std(data):
    return base64.b64encode(data).decode()


# ------------------------------------------------------------------ certificates
def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Notary Witness"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def sign_hash_for(issuer_key, sha1=False):
    if isinstance(issuer_key, ed25519.Ed25519PrivateKey):
        return None
    if sha1:
        return hashes.SHA1()
    if isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        return hashes.SHA384() if issuer_key.curve.key_size >= 384 else hashes.SHA256()
    return hashes.SHA256()


def make_ca(cn, key, issuer_cert=None, issuer_key=None, path_len=None, sha1=False):
    builder = (x509.CertificateBuilder()
               .subject_name(name(cn))
               .issuer_name(issuer_cert.subject if issuer_cert else name(cn))
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(NOT_BEFORE)
               .not_valid_after(NOT_AFTER)
               .add_extension(x509.BasicConstraints(ca=True, path_length=path_len), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=True, crl_sign=True,
                                            encipher_only=False, decipher_only=False),
                              critical=True))
    signer = issuer_key if issuer_key is not None else key
    with warnings.catch_warnings():
        # cryptography 38 warns that SHA-1 signing is deprecated: that is the point
        warnings.simplefilter("ignore")
        return builder.sign(signer, sign_hash_for(signer, sha1))


def make_leaf(cn, key, issuer_cert, issuer_key, key_encipherment=False, eku=None):
    if eku is None:
        eku = [ExtendedKeyUsageOID.CODE_SIGNING]
    builder = (x509.CertificateBuilder()
               .subject_name(name(cn))
               .issuer_name(issuer_cert.subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(NOT_BEFORE)
               .not_valid_after(NOT_AFTER)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                            key_encipherment=key_encipherment,
                                            data_encipherment=False, key_agreement=False,
                                            key_cert_sign=False, crl_sign=False,
                                            encipher_only=False, decipher_only=False),
                              critical=True)
               .add_extension(x509.ExtendedKeyUsage(eku), critical=False))
    return builder.sign(issuer_key, sign_hash_for(issuer_key))


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


# ------------------------------------------------------------------ signing
def sign(key, alg, message, salt=None):
    """Sign `message` for `alg` with `key`. The hash comes from alg; the key
    may be of any size (the mismatch cases sign with a key of the wrong
    size on purpose). ECDSA signatures are raw r||s of the key's size."""
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(message)
    h = HASH[alg[2:]]()
    if alg.startswith("PS"):
        pss = padding.PSS(mgf=padding.MGF1(HASH[alg[2:]]()),
                          salt_length=h.digest_size if salt is None else salt)
        return key.sign(message, pss, h)
    size = (key.curve.key_size + 7) // 8
    r, s = decode_dss_signature(key.sign(message, ec.ECDSA(h)))
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def jws_protected(alg):
    # The key order of notation-go's JWS signer.
    header = {"alg": alg, "crit": [SCHEME], "cty": CTY, SCHEME: "notary.x509",
              SIGNING_TIME_HDR: SIGNING_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")}
    return b64url(json.dumps(header, separators=(",", ":")).encode())


def make_jws(alg, key, chain, payload=PAYLOAD, salt=None, signed_payload=None, x5c=True):
    """chain: list of DER certificates (or raw bytes); signed_payload, if
    given, is signed instead of payload (tampering)."""
    protected = jws_protected(alg)
    to_sign = signed_payload if signed_payload is not None else payload
    signature = sign(key, alg, (protected + "." + b64url(to_sign)).encode(), salt)
    header = {}
    if x5c:
        header["x5c"] = [b64std(c) for c in chain]
    header[AGENT_HDR] = AGENT
    env = {"payload": b64url(payload), "protected": protected, "header": header,
           "signature": b64url(signature)}
    return (json.dumps(env, separators=(",", ":")) + "\n").encode()


def cose_protected(alg):
    epoch = int(SIGNING_TIME.timestamp())
    return cbor2.dumps({1: COSE_ALG[alg], 2: [SCHEME], 3: CTY, SCHEME: "notary.x509",
                        SIGNING_TIME_HDR: cbor2.CBORTag(1, epoch)})


def make_cose(alg, key, chain, payload=PAYLOAD, salt=None, signed_payload=None, x5c=True):
    protected = cose_protected(alg)
    to_sign = signed_payload if signed_payload is not None else payload
    tbs = cbor2.dumps(["Signature1", protected, b"", to_sign])
    signature = sign(key, alg, tbs, salt)
    unprotected = {}
    if x5c:
        unprotected[33] = list(chain)
    unprotected[AGENT_HDR] = AGENT
    msg = cbor2.dumps(cbor2.CBORTag(18, [protected, unprotected, payload, signature]))
    assert msg[:2] == b"\xd2\x84"
    return msg


def main():
    os.makedirs(OUT, exist_ok=True)
    rsa_key = lambda bits: rsa.generate_private_key(public_exponent=65537, key_size=bits)

    root_rsa_key = rsa_key(2048)
    root_rsa = make_ca("Witness RSA Root CA", root_rsa_key)
    root_ec_key = ec.generate_private_key(ec.SECP384R1())
    root_ec = make_ca("Witness EC Root CA", root_ec_key)
    root_sha1_key = rsa_key(2048)
    root_sha1 = make_ca("Witness SHA-1 Root CA", root_sha1_key, sha1=True)
    inter_key = rsa_key(2048)
    inter = make_ca("Witness RSA Intermediate CA", inter_key, root_rsa, root_rsa_key, path_len=0)

    k_rsa2048 = rsa_key(2048)
    leaf_rsa2048 = make_leaf("Witness RSA-2048 Signer", k_rsa2048, root_rsa, root_rsa_key)
    k_rsa4096 = rsa_key(4096)
    leaf_rsa4096 = make_leaf("Witness RSA-4096 Signer", k_rsa4096, root_rsa, root_rsa_key)
    k_p384 = ec.generate_private_key(ec.SECP384R1())
    leaf_p384 = make_leaf("Witness P-384 Signer", k_p384, root_ec, root_ec_key)
    k_p521 = ec.generate_private_key(ec.SECP521R1())
    leaf_p521 = make_leaf("Witness P-521 Signer", k_p521, root_ec, root_ec_key)
    k_inter_leaf = rsa_key(2048)
    leaf_inter = make_leaf("Witness Intermediate-issued Signer", k_inter_leaf, inter, inter_key)
    k_ke = rsa_key(2048)
    leaf_ke = make_leaf("Witness KeyEncipherment Signer", k_ke, root_rsa, root_rsa_key,
                        key_encipherment=True)
    k_sa = rsa_key(2048)
    leaf_sa = make_leaf("Witness ServerAuth Signer", k_sa, root_rsa, root_rsa_key,
                        eku=[ExtendedKeyUsageOID.SERVER_AUTH])
    k_rsa1024 = rsa_key(1024)
    leaf_rsa1024 = make_leaf("Witness RSA-1024 Signer", k_rsa1024, root_rsa, root_rsa_key)
    k_ed = ed25519.Ed25519PrivateKey.generate()
    leaf_ed = make_leaf("Witness Ed25519 Signer", k_ed, root_ec, root_ec_key)
    k_sha1leaf = rsa_key(2048)
    leaf_sha1root = make_leaf("Witness SHA-1-root Signer", k_sha1leaf, root_sha1, root_sha1_key)

    certs = {
        "root-rsa": root_rsa, "root-ec": root_ec, "root-sha1": root_sha1, "inter-rsa": inter,
        "leaf-rsa2048": leaf_rsa2048, "leaf-rsa4096": leaf_rsa4096, "leaf-p384": leaf_p384,
        "leaf-p521": leaf_p521, "leaf-inter": leaf_inter, "leaf-keyencipherment": leaf_ke,
        "leaf-serverauth": leaf_sa, "leaf-rsa1024": leaf_rsa1024, "leaf-ed25519": leaf_ed,
        "leaf-sha1root": leaf_sha1root,
    }
    for n, c in certs.items():
        write(n + ".crt", c.public_bytes(serialization.Encoding.PEM))

    rsa_chain = [der(leaf_rsa2048), der(root_rsa)]
    p384_chain = [der(leaf_p384), der(root_ec)]
    garbage = b"this is not a DER certificate"

    envs = {
        "valid-rsa2048-ps256.jws": make_jws("PS256", k_rsa2048, rsa_chain),
        "valid-rsa2048-ps256.cose": make_cose("PS256", k_rsa2048, rsa_chain),
        "valid-p384-es384.jws": make_jws("ES384", k_p384, p384_chain),
        "valid-p384-es384.cose": make_cose("ES384", k_p384, p384_chain),
        "valid-rsa4096-ps512.cose": make_cose("PS512", k_rsa4096,
                                              [der(leaf_rsa4096), der(root_rsa)]),
        "valid-p521-es512.jws": make_jws("ES512", k_p521, [der(leaf_p521), der(root_ec)]),
        "valid-rsa2048-inter.jws": make_jws("PS256", k_inter_leaf,
                                            [der(leaf_inter), der(inter), der(root_rsa)]),
        "valid-rsa2048-saltmax.jws": make_jws("PS256", k_rsa2048, rsa_chain,
                                              salt=padding.PSS.MAX_LENGTH),
        "saltmax-rsa2048.cose": make_cose("PS256", k_rsa2048, rsa_chain,
                                          salt=padding.PSS.MAX_LENGTH),
        "alg-ps384-rsa2048.jws": make_jws("PS384", k_rsa2048, rsa_chain),
        "alg-ps384-rsa2048.cose": make_cose("PS384", k_rsa2048, rsa_chain),
        "alg-es256-p384.jws": make_jws("ES256", k_p384, p384_chain),
        "tampered-payload.jws": make_jws("PS256", k_rsa2048, rsa_chain, payload=OTHER_PAYLOAD,
                                         signed_payload=PAYLOAD),
        "tampered-payload.cose": make_cose("ES384", k_p384, p384_chain, payload=OTHER_PAYLOAD,
                                           signed_payload=PAYLOAD),
        "leaf-keyencipherment.jws": make_jws("PS256", k_ke, [der(leaf_ke), der(root_rsa)]),
        "leaf-serverauth.jws": make_jws("PS256", k_sa, [der(leaf_sa), der(root_rsa)]),
        "chain-leaf-only.jws": make_jws("PS256", k_rsa2048, [der(leaf_rsa2048)]),
        "chain-no-root.jws": make_jws("PS256", k_inter_leaf, [der(leaf_inter), der(inter)]),
        "chain-reversed.jws": make_jws("PS256", k_rsa2048, [der(root_rsa), der(leaf_rsa2048)]),
        "chain-wrong-order.jws": make_jws("PS256", k_inter_leaf,
                                          [der(leaf_inter), der(root_rsa), der(inter)]),
        "leaf-rsa1024.jws": make_jws("PS256", k_rsa1024, [der(leaf_rsa1024), der(root_rsa)]),
        "leaf-ed25519.jws": make_jws("ES256", k_ed, [der(leaf_ed), der(root_ec)]),
        "root-sha1.jws": make_jws("PS256", k_sha1leaf, [der(leaf_sha1root), der(root_sha1)]),
        "x5c-absent.jws": make_jws("PS256", k_rsa2048, rsa_chain, x5c=False),
        "x5c-absent.cose": make_cose("PS256", k_rsa2048, rsa_chain, x5c=False),
        "x5c-leaf-garbage.jws": make_jws("PS256", k_rsa2048, [garbage, der(root_rsa)]),
        "x5c-leaf-garbage.cose": make_cose("PS256", k_rsa2048, [garbage, der(root_rsa)]),
    }
    for n, data in envs.items():
        write(n, data)

    # Self-checks with cryptography itself, so a wrong witness fails here
    # rather than in the C tests.
    assert root_sha1.signature_hash_algorithm.name == "sha1"
    assert leaf_sha1root.signature_hash_algorithm.name == "sha256"
    assert leaf_rsa1024.public_key().key_size == 1024
    self_check(envs["valid-rsa2048-ps256.jws"], leaf_rsa2048, "PS256", 32)
    self_check(envs["valid-p384-es384.jws"], leaf_p384, "ES384", None)
    self_check(envs["valid-p521-es512.jws"], leaf_p521, "ES512", None)
    self_check(envs["alg-ps384-rsa2048.jws"], leaf_rsa2048, "PS384", 48)
    # the maximum salt: emLen - hLen - 2 = 256 - 32 - 2 bytes
    self_check(envs["valid-rsa2048-saltmax.jws"], leaf_rsa2048, "PS256", 222)
    try:
        self_check(envs["valid-rsa2048-saltmax.jws"], leaf_rsa2048, "PS256", 32)
        raise AssertionError("the max-salt signature verifies with salt = hash length")
    except InvalidSignature:
        pass
    self_check_cose(envs["valid-rsa2048-ps256.cose"], leaf_rsa2048, "PS256", 32)
    self_check_cose(envs["valid-p384-es384.cose"], leaf_p384, "ES384", None)
    self_check_cose(envs["valid-rsa4096-ps512.cose"], leaf_rsa4096, "PS512", 64)
    self_check_cose(envs["saltmax-rsa2048.cose"], leaf_rsa2048, "PS256", 222)
    try:
        self_check(envs["tampered-payload.jws"], leaf_rsa2048, "PS256", 32)
        raise AssertionError("the tampered envelope verifies")
    except InvalidSignature:
        pass


def self_check_cose(msg, cert, alg, salt):
    """Verify a COSE_Sign1 written above with cryptography."""
    tagged = cbor2.loads(msg)
    assert tagged.tag == 18
    protected, unprotected, payload, sig = tagged.value
    assert cbor2.loads(protected)[1] == COSE_ALG[alg]
    assert unprotected[33][0] == der(cert)
    tbs = cbor2.dumps(["Signature1", protected, b"", payload])
    verify_raw(cert, alg, salt, tbs, sig)


def verify_raw(cert, alg, salt, msg, sig):
    h = HASH[alg[2:]]()
    key = cert.public_key()
    if alg.startswith("PS"):
        key.verify(sig, msg, padding.PSS(mgf=padding.MGF1(HASH[alg[2:]]()), salt_length=salt), h)
    else:
        size = len(sig) // 2
        assert size == EC_SIZE[alg]
        r, s = int.from_bytes(sig[:size], "big"), int.from_bytes(sig[size:], "big")
        key.verify(encode_dss_signature(r, s), msg, ec.ECDSA(h))


def self_check(jws, cert, alg, salt):
    """Verify a JWS written above with cryptography (raises
    InvalidSignature)."""
    env = json.loads(jws)
    unb64 = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    msg = (env["protected"] + "." + env["payload"]).encode()
    sig = unb64(env["signature"])
    assert json.loads(unb64(env["protected"]))["alg"] == alg
    assert base64.b64decode(env["header"]["x5c"][0]) == der(cert)
    verify_raw(cert, alg, salt, msg, sig)


if __name__ == "__main__":
    main()
