#!/usr/bin/python3
"""Makes unsorted-attrs.tsr and its TSA root (tsa-root.pem): an RFC 3161
token from OpenSSL's TSA (tests/signer/notary_signer.py timestamp_token)
over the bytes "notation", whose signed attributes are then put in reverse
order (not the DER SET OF order) and signed again, in that order, with the
TSA key (RSA PKCS #1 v1.5, SHA-256), as a signer that does not sort them
would. Reordering keeps every length, so only the attribute bytes and the
signature value change. notation-go verifies over the received bytes, and
so does OpenSSL (its CMS_Attributes_Verify keeps the SET OF order), which
this script checks with `openssl cms -verify`.
Run: /usr/bin/python3 gen.py"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "signer"))
import notary_signer as ns  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402


def tlv(b, i):
    """(tag, header length, content length) of the TLV at b[i]."""
    t, l = b[i], b[i + 1]
    if l < 0x80:
        return t, 2, l
    n = l & 0x7f
    return t, 2 + n, int.from_bytes(b[i + 2:i + 2 + n], "big")


def children(b, start, end):
    out, i = [], start
    while i < end:
        t, h, l = tlv(b, i)
        out.append((t, i, h, l))
        i += h + l
    return out


def main():
    work = tempfile.mkdtemp()
    root = ns.make_root("C=US, O=notaryc test, CN=unsorted attrs TSA root",
                        not_before="2025-01-01T00:00:00Z", not_after="2045-01-01T00:00:00Z")
    tsa = ns.make_tsa_leaf(root, "C=US, O=notaryc test, CN=unsorted attrs TSA",
                           not_before="2025-01-01T00:00:00Z", not_after="2045-01-01T00:00:00Z")
    tok = bytearray(ns.timestamp_token(tsa, [tsa.cert, root.cert], b"notation", work))
    # ContentInfo / [0] / SignedData / signerInfos (last SET) / SignerInfo
    _, h, l = tlv(tok, 0)
    ci = children(tok, h, h + l)
    _, e, eh, el = ci[1]
    _, sd, sdh, sdl = children(tok, e + eh, e + eh + el)[0]
    sis = children(tok, sd + sdh, sd + sdh + sdl)[-1]
    assert sis[0] == 0x31
    si = children(tok, sis[1] + sis[2], sis[1] + sis[2] + sis[3])[0]
    parts = children(tok, si[1] + si[2], si[1] + si[2] + si[3])
    attrs = [p for p in parts if p[0] == 0xa0][0]
    sig = [p for p in parts if p[0] == 0x04][-1]
    a0, ah, al = attrs[1], attrs[2], attrs[3]
    items = children(tok, a0 + ah, a0 + ah + al)
    raw = [bytes(tok[i:i + h + l]) for (_, i, h, l) in items]
    assert len(raw) >= 3
    reordered = b"".join(reversed(raw))
    assert reordered != b"".join(raw)
    tok[a0 + ah:a0 + ah + al] = reordered
    signed = bytes([0x31]) + bytes(tok[a0 + 1:a0 + ah + al])
    value = tsa.key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    assert len(value) == sig[3]
    tok[sig[1] + sig[2]:sig[1] + sig[2] + sig[3]] = value
    ns.write_file(os.path.join(HERE, "unsorted-attrs.tsr"), bytes(tok))
    ns.write_file(os.path.join(HERE, "tsa-root.pem"), ns.pem(root.cert))
    p = subprocess.run(["openssl", "cms", "-verify", "-inform", "DER", "-in",
                        os.path.join(HERE, "unsorted-attrs.tsr"), "-noverify", "-out",
                        os.devnull], capture_output=True)
    if p.returncode != 0:
        sys.exit("openssl cms -verify rejects the token: %s" % p.stderr.decode()[-500:])


if __name__ == "__main__":
    main()
