#!/usr/bin/python3
"""Independent witness for tests/unit/envelope/test_cose.c.

Writes Notary-style COSE_Sign1 envelopes (valid and malformed) as
cose-*.bin next to this script, using Debian's python3-cbor2 and
python3-cryptography (run it with /usr/bin/python3: only that interpreter
can import them). For the valid envelopes it also writes <name>.tbs, the
Sig_structure ("ToBeSigned") bytes computed here with cbor2, which the C
test compares byte for byte with the library's signing input; every
signature is checked here against the certificate before it is written.

ECDSA signatures are randomized, so a re-run changes the signature bytes
(and the .tbs of nothing): commit the files together with the script.

    /usr/bin/python3 tests/unit/envelope/data/gen_cose.py
"""
import datetime
import os
import struct

import cbor2
from cbor2 import CBORTag
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OUT = os.path.dirname(os.path.abspath(__file__))

SCHEME = "io.cncf.notary.signingScheme"
SIGNING_TIME = "io.cncf.notary.signingTime"
AUTH_TIME = "io.cncf.notary.authenticSigningTime"
EXPIRY = "io.cncf.notary.expiry"
AGENT = "io.cncf.notary.signingAgent"
TST = "io.cncf.notary.timestampSignature"
CTY = "application/vnd.cncf.notary.payload.v1+json"

SIGNED_AT = 1718692031  # 2024-06-18T06:27:11Z
EXPIRES_AT = SIGNED_AT + 86400
PAYLOAD = (
    b'{"targetArtifact":{"mediaType":"application/vnd.oci.image.manifest.v1+json",'
    b'"digest":"sha256:5a07385af4e6b6af81b0ebfd435aedccdfa3507f0609c658209e1aba57159b2b",'
    b'"size":942}}'
)
FAKE_TST = bytes.fromhex("3003020101")  # placeholder token bytes (not parsed by the decoder)

# A fixed P-256 key, so the certificate's key is stable between runs.
KEY = ec.derive_private_key(
    0x6E6F7461727963206C6962206573323536207465737420206B657920313233, ec.SECP256R1()
)


def make_cert():
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "WA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "libnotaryc test"),
            x509.NameAttribute(NameOID.COMMON_NAME, "libnotaryc COSE test signer"),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(KEY.public_key())
        .serial_number(0x1C05E)
        .not_valid_before(datetime.datetime(2024, 1, 1))
        .not_valid_after(datetime.datetime(2034, 1, 1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .sign(KEY, hashes.SHA256())
    )


CERT = make_cert()
CERT_DER = CERT.public_bytes(serialization.Encoding.DER)


# ---- hand encoding, for what cbor2 will not write (duplicates, odd heads) ----


def head(major, value, width=None):
    """A CBOR head; width forces 1/2/4/8 argument bytes (non-shortest)."""
    if width is None:
        if value < 24:
            return bytes([(major << 5) | value])
        width = 1 if value < 0x100 else 2 if value < 0x10000 else 4 if value < 0x100000000 else 8
    ai = {1: 24, 2: 25, 4: 26, 8: 27}[width]
    return bytes([(major << 5) | ai]) + value.to_bytes(width, "big")


def enc(v):
    return cbor2.dumps(v)


def map_pairs(pairs):
    """Encode a map from (key, value) pairs; raw bytes pass through as-is."""
    out = head(5, len(pairs))
    for k, v in pairs:
        out += k if isinstance(k, RawCBOR) else enc(k)
        out += v if isinstance(v, RawCBOR) else enc(v)
    return out


class RawCBOR(bytes):
    """Already-encoded CBOR, inserted verbatim."""


def raw(b):
    return RawCBOR(b)


def tag1(t):
    return CBORTag(1, t)


def x509_protected(**over):
    """Protected header pairs of a notary.x509 envelope; over replaces/drops."""
    pairs = [
        (1, -7),
        (2, [SCHEME, EXPIRY, "ext.crit"]),
        (3, CTY),
        (SCHEME, "notary.x509"),
        (SIGNING_TIME, tag1(SIGNED_AT)),
        (EXPIRY, tag1(EXPIRES_AT)),
        ("ext.crit", "critical value"),
        ("ext.plain", "plain value"),
        (-70000, {"a": [1, b"\x01\x02", True, None, 1.5], "b": "q\"\n"}),
        ("ext.tagged", CBORTag(1000, "tagged content")),
    ]
    return apply_over(pairs, over)


def sa_protected(**over):
    pairs = [
        (1, -7),
        (2, [SCHEME, AUTH_TIME]),
        (3, CTY),
        (SCHEME, "notary.x509.signingAuthority"),
        (AUTH_TIME, tag1(SIGNED_AT)),
        # the other scheme's time label: ignored for this scheme (GO)
        (SIGNING_TIME, "not a time, ignored"),
    ]
    return apply_over(pairs, over)


def apply_over(pairs, over):
    keymap = {"alg": 1, "crit": 2, "cty": 3, "scheme": SCHEME, "stime": SIGNING_TIME,
              "atime": AUTH_TIME, "expiry": EXPIRY}
    out = []
    done = set()
    for k, v in pairs:
        name = next((n for n, lab in keymap.items() if lab == k and type(lab) is type(k)), None)
        if name is not None and name in over:
            done.add(name)
            if over[name] is DROP:
                continue
            out.append((k, over[name]))
        else:
            out.append((k, v))
    for name, v in over.items():
        if name not in done and v is not DROP:
            out.append((keymap[name], v))
    return out


DROP = object()


def unprotected(**over):
    pairs = [(33, [CERT_DER]), (AGENT, "gen_cose.py/1.0"), (TST, FAKE_TST)]
    keymap = {"x5chain": 33, "agent": AGENT, "tst": TST}
    out = []
    for k, v in pairs:
        name = next(n for n, lab in keymap.items() if lab == k)
        if name in over:
            if over[name] is DROP:
                continue
            out.append((k, over[name]))
        else:
            out.append((k, v))
    return out


def sign(tbs):
    der = KEY.sign(tbs, ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    raw_sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    # witness: the signature verifies with the certificate's key
    CERT.public_key().verify(
        encode_dss_signature(int.from_bytes(raw_sig[:32], "big"), int.from_bytes(raw_sig[32:], "big")),
        tbs,
        ec.ECDSA(hashes.SHA256()),
    )
    return raw_sig


def tbs_of(prot_content, payload):
    return enc(["Signature1", prot_content, b"", payload])


def message(prot_pairs=None, unprot_pairs=None, payload=PAYLOAD, prot_bytes=None,
            prot_bstr=None, unprot_bytes=None, payload_bytes=None, sig_bytes=None,
            prefix=b"\xd2\x84", suffix=b""):
    """Build a COSE_Sign1 from parts; any *_bytes argument is raw CBOR."""
    if prot_bytes is None:
        prot_bytes = map_pairs(prot_pairs) if prot_pairs is not None else b""
    if prot_bstr is None:
        prot_bstr = enc(prot_bytes)
    if unprot_bytes is None:
        unprot_bytes = map_pairs(unprot_pairs if unprot_pairs is not None else unprotected())
    tbs = tbs_of(prot_bytes, payload if payload is not None else b"")
    if payload_bytes is None:
        payload_bytes = enc(payload) if payload is not None else b"\xf6"
    if sig_bytes is None:
        sig_bytes = enc(sign(tbs))
    return prefix + prot_bstr + unprot_bytes + payload_bytes + sig_bytes + suffix, tbs


def write(name, data, tbs=None):
    with open(os.path.join(OUT, "cose-%s.bin" % name), "wb") as f:
        f.write(data)
    if tbs is not None:
        with open(os.path.join(OUT, "cose-%s.tbs" % name), "wb") as f:
            f.write(tbs)


def nested(levels, inner=0):
    v = inner
    for _ in range(levels):
        v = [v]
    return v


def main():
    # ---- valid envelopes (with their expected ToBeSigned) ----
    data, tbs = message(x509_protected())
    # independent cross-check with cbor2's own decoder
    dec = cbor2.loads(data)
    assert dec.tag == 18 and dec.value[2] == PAYLOAD
    write("valid-x509", data, tbs)

    data, tbs = message(sa_protected(), unprotected(tst=DROP))
    write("valid-sa", data, tbs)

    # protected bstr with a non-shortest length prefix (0x5A + 4 bytes):
    # the Sig_structure carries the shortest prefix (go-cose)
    prot = map_pairs(x509_protected())
    assert 256 <= len(prot) < 65536
    data, tbs = message(prot_bytes=prot, prot_bstr=head(2, len(prot), width=4) + prot)
    write("nonshortest-protected", data, tbs)
    # payload with a non-shortest (8-byte) length prefix: signed with the shortest
    data, tbs = message(x509_protected(), payload_bytes=head(2, len(PAYLOAD), width=8) + PAYLOAD)
    write("nonshortest-payload", data, tbs)

    # integral float time: accepted as whole seconds
    data, tbs = message(x509_protected(stime=tag1(float(SIGNED_AT))))
    write("time-float-integral", data, tbs)

    # protected nesting of exactly NV_COSE_MAX_DEPTH (16): map + 15 arrays
    data, tbs = message(x509_protected() + [("ext.deep", nested(14))])
    write("deep-ok", data, tbs)

    # empty x5chain array and no x5chain at all: decode, 0 certificates
    data, tbs = message(x509_protected(), unprotected(x5chain=[]))
    write("x5chain-empty", data, tbs)

    # ---- semantic failures (well-formed CBOR) ----
    write("expiry-equal", message(x509_protected(expiry=tag1(SIGNED_AT)))[0])
    write("alg-tstr", message(x509_protected(alg="ES256"))[0])
    write("alg-minus8", message(x509_protected(alg=-8))[0])
    write("alg-missing", message(x509_protected(alg=DROP))[0])
    write("crit-empty", message(x509_protected(crit=[]))[0])
    write("crit-missing", message(x509_protected(crit=DROP))[0])
    write("crit-int1", message(x509_protected(crit=[SCHEME, EXPIRY, 1]))[0])
    write("crit-not-marked", message(x509_protected(crit=[SCHEME]))[0])
    write("crit-absent-entry", message(x509_protected(crit=[SCHEME, EXPIRY, "no.such"]))[0])
    write("crit-bstr-entry", message(x509_protected(crit=[SCHEME, EXPIRY, b"x"]))[0])
    write("sa-crit-no-authtime", message(sa_protected(crit=[SCHEME]))[0])
    write("time-untagged", message(x509_protected(stime=SIGNED_AT))[0])
    write("time-tag0", message(x509_protected(stime=CBORTag(0, "2024-06-18T06:27:11Z")))[0])
    write("time-float", message(x509_protected(stime=tag1(SIGNED_AT + 0.5)))[0])
    write("time-tag1-tstr", message(x509_protected(expiry=tag1("2024-06-19T06:27:11Z")))[0])
    write("x5chain-bstr", message(x509_protected(), unprotected(x5chain=CERT_DER))[0])
    write("x5chain-tstr", message(x509_protected(), unprotected(x5chain=[CERT_DER, "pem?"]))[0])
    write("cty-uint", message(x509_protected(cty=0))[0])
    write("cty-nul", message(x509_protected(cty=CTY + "\u0000x"))[0])
    write("scheme-unknown", message(x509_protected(scheme="notary.unknown"))[0])
    write("scheme-int", message(x509_protected(scheme=7))[0])
    write("ext-label-nul", message(x509_protected() + [("ext\u0000x", "v")])[0])
    write("crit-unprotected", message(x509_protected(), unprotected() + [(2, [SCHEME])])[0])
    write("payload-nil", message(x509_protected(), payload=None)[0])
    write("sig-empty", message(x509_protected(), sig_bytes=b"\x40")[0])
    write("kid-tstr", message(x509_protected(), unprotected() + [(4, "kid")])[0])

    # ---- structural failures ----
    good, _ = message(x509_protected())
    write("untagged", good[1:])
    write("tag-d812", b"\xd8\x12" + good[1:])
    write("trailing", good + b"\x00")
    write("truncated", good[:-1])
    write("indef-outer", b"\xd2\x9f" + good[2:] + b"\xff")
    write("indef-x5chain", message(x509_protected(),
                                   unprotected(x5chain=raw(b"\x9f" + enc(CERT_DER) + b"\xff")))[0])
    write("indef-unprot-map", message(x509_protected(),
                                      unprot_bytes=b"\xbf" + enc(AGENT) + enc("a") + b"\xff")[0])
    prot = map_pairs(x509_protected())
    write("indef-protected-map", message(prot_bytes=b"\xbf" + prot[1:] + b"\xff")[0])
    write("indef-payload", message(x509_protected(),
                                   payload_bytes=b"\x5f" + enc(PAYLOAD) + b"\xff")[0])
    write("dup-protected", message(x509_protected() + [(1, -7)])[0])
    # the same label once in shortest and once in non-shortest form
    write("dup-protected-nonshortest", message(x509_protected() + [(raw(b"\x18\x01"), -7)])[0])
    write("dup-unprotected", message(x509_protected(),
                                     unprotected() + [(AGENT, "second agent")])[0])
    write("dup-nested", message(x509_protected() + [("ext.map", raw(b"\xa2\x61\x6b\x01\x61\x6b\x02"))])[0])
    write("protected-not-map", message(prot_bytes=enc([1, 2]))[0])
    write("protected-trailing", message(prot_bytes=map_pairs(x509_protected()) + b"\x00")[0])
    write("unprot-tag", message(x509_protected(), unprotected(agent=CBORTag(1, 5)))[0])
    write("label-float", message(x509_protected() + [(1.5, "x")])[0])
    write("label-bigint", message(x509_protected() + [(raw(b"\x1b\xff\xff\xff\xff\xff\xff\xff\xff"), "x")])[0])
    write("invalid-utf8", message(x509_protected(),
                                  unprotected(agent=raw(b"\x62\xc3\x28")))[0])
    write("simple-lt32", message(x509_protected() + [("ext.s", raw(b"\xf8\x10"))])[0])
    write("reserved-ai", message(x509_protected(), unprotected(agent=raw(b"\x1c")))[0])

    # ---- resource bombs: must fail fast, before any allocation ----
    # the 6-byte array(0x8a8a9a8a) bomb of toolchain.md, alone and placed
    # where the protected bstr, an unprotected value and a protected value go
    write("bomb-raw", bytes.fromhex("9a8a8a9a8a8a"))
    write("bomb-outer", b"\xd2\x84" + bytes.fromhex("9a8a8a9a8a8a"))
    write("bomb-unprot", message(x509_protected(),
                                 unprotected(x5chain=raw(bytes.fromhex("9a8a8a9a8a8a"))))[0])
    write("bomb-protected", message(x509_protected() + [("ext.bomb", raw(bytes.fromhex("9a8a8a9a8a8a")))])[0])
    write("bomb-map-unprot", message(x509_protected(),
                                     unprot_bytes=bytes.fromhex("bb0000000100000000") + b"\x00" * 8)[0])
    write("bomb-map-protected", message(prot_bytes=bytes.fromhex("bb7fffffffffffffff") + b"\x01\x26")[0])
    write("bomb-bstr", message(x509_protected(),
                               payload_bytes=bytes.fromhex("5b7fffffffffffffff") + b"x")[0])
    # well-formed but more than NV_COSE_MAX_ITEMS (4096) data items
    many = raw(head(4, 5000) + b"\x00" * 5000)
    write("items-unprot", message(x509_protected(), unprotected(agent=many))[0])
    write("items-protected", message(x509_protected() + [("ext.many", many)])[0])
    # nesting deeper than NV_COSE_MAX_DEPTH
    write("deep-protected", message(x509_protected() + [("ext.deep", nested(15))])[0])
    write("deep-unprot", message(x509_protected(), unprotected(agent=nested(40)))[0])


if __name__ == "__main__":
    main()
