#!/usr/bin/python3
"""Independent witness data for tests/unit/x509/test_sig.c and test_chain.c.

Run with Debian's interpreter (python3-cryptography only imports there):

    /usr/bin/python3 tests/unit/x509/data/gen_sig.py [outdir]

It needs python3-cryptography (38.x on Debian 12) and the openssl CLI (used
only for the RSASSA-PSS-signed certificates, which cryptography 38 cannot
make). Nothing here uses libnotaryc. Every run makes new keys, so the
outputs differ between runs but always have the same properties; the
committed files are one such run.

Outputs (all named sig-*):
  sig-message.bin                  the signed message
  sig-<key>.pub.pem                public keys: rsa2048 rsa3072 rsa4096 p256 p384
                                   p521, and rsa1024 rsa2040 rsa2047 p224
                                   secp256k1 ed25519 for the key-set rules
  sig-PS256.sig .. sig-PS512.sig   RSASSA-PSS, MGF1 = hash, salt = hash length
  sig-PS256-saltmax.sig            RSASSA-PSS SHA-256 with the maximum salt
  sig-PS256-lz.sig                 PS256 whose first byte is zero
  sig-ES256.sig .. sig-ES512.sig   ECDSA raw r||s (IEEE P1363), converted from DER
  sig-ES256-r-lz.sig               ES256 whose r has a leading zero byte
  sig-p256-explicit.pub.pem        P-256 key with explicit curve parameters, and
  sig-ES256-explicit.sig           a valid ES256 signature by it
  sig-cert-*.pem                   certificates for the chain rules (see below)
"""
import datetime
import os
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
MESSAGE = b"libnotaryc signature test message\n"


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def pub_pem(key):
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def raw_rs(der, size):
    r, s = decode_dss_signature(der)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


# ---------------------------------------------------------------- signatures
def gen_signatures():
    write("sig-message.bin", MESSAGE)
    rsa_keys = {}
    for bits in (2048, 3072, 4096):
        k = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        rsa_keys[bits] = k
        write("sig-rsa%d.pub.pem" % bits, pub_pem(k))
    for bits in (1024, 2040, 2047):
        # OpenSSL may return a modulus one bit short of an odd size; retry.
        k = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        while k.key_size != bits:
            k = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        write("sig-rsa%d.pub.pem" % bits, pub_pem(k))

    for alg, bits, h in (("PS256", 2048, hashes.SHA256()), ("PS384", 3072, hashes.SHA384()),
                         ("PS512", 4096, hashes.SHA512())):
        sig = rsa_keys[bits].sign(MESSAGE, padding.PSS(mgf=padding.MGF1(h),
                                                       salt_length=h.digest_size), h)
        rsa_keys[bits].public_key().verify(
            sig, MESSAGE, padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size), h)
        write("sig-%s.sig" % alg, sig)
    sig = rsa_keys[2048].sign(MESSAGE, padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                                   salt_length=padding.PSS.MAX_LENGTH),
                              hashes.SHA256())
    write("sig-PS256-saltmax.sig", sig)
    # A PS256 signature whose first byte is zero (random salt: sign until
    # it happens). Without that byte it is the same integer, which OpenSSL
    # alone would accept; the JWS/COSE rule is exactly the modulus length.
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    for _ in range(100000):
        sig = rsa_keys[2048].sign(MESSAGE, pss, hashes.SHA256())
        if sig[0] == 0:
            write("sig-PS256-lz.sig", sig)
            break
    else:
        raise SystemExit("no leading-zero PSS signature found")

    for alg, curve, h, size, name in (("ES256", ec.SECP256R1(), hashes.SHA256(), 32, "p256"),
                                      ("ES384", ec.SECP384R1(), hashes.SHA384(), 48, "p384"),
                                      ("ES512", ec.SECP521R1(), hashes.SHA512(), 66, "p521")):
        k = ec.generate_private_key(curve)
        write("sig-%s.pub.pem" % name, pub_pem(k))
        der = k.sign(MESSAGE, ec.ECDSA(h))
        write("sig-%s.sig" % alg, raw_rs(der, size))
        if alg == "ES256":
            # Same key: sign until r < 2^248, so the raw form starts with a
            # zero byte that a careless encoder would drop.
            for _ in range(100000):
                der = k.sign(MESSAGE, ec.ECDSA(h))
                raw = raw_rs(der, size)
                if raw[0] == 0:
                    write("sig-ES256-r-lz.sig", raw)
                    break
            else:
                raise SystemExit("no leading-zero r found")

    write("sig-p224.pub.pem", pub_pem(ec.generate_private_key(ec.SECP224R1())))
    write("sig-secp256k1.pub.pem", pub_pem(ec.generate_private_key(ec.SECP256K1())))
    write("sig-ed25519.pub.pem", pub_pem(ed25519.Ed25519PrivateKey.generate()))
    # P-256 written with explicit curve parameters (openssl CLI; Go refuses
    # such keys), and a valid ES256 signature by it.
    with tempfile.TemporaryDirectory() as tmp:
        kf = os.path.join(tmp, "explicit.pem")
        openssl("ecparam", "-name", "prime256v1", "-param_enc", "explicit", "-genkey", "-noout",
                "-out", kf)
        openssl("pkey", "-in", kf, "-pubout", "-out", os.path.join(OUT, "sig-p256-explicit.pub.pem"))
        mf = os.path.join(OUT, "sig-message.bin")
        df = os.path.join(tmp, "sig.der")
        openssl("dgst", "-sha256", "-sign", kf, "-out", df, mf)
        with open(df, "rb") as f:
            write("sig-ES256-explicit.sig", raw_rs(f.read(), 32))


# ---------------------------------------------------------------- certificates
NOT_BEFORE = datetime.datetime(2024, 1, 1)
NOT_AFTER = datetime.datetime(2124, 1, 1)


def name(cn, **extra):
    attrs = []
    if "c" in extra:
        attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, extra["c"]))
    if "o" in extra:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, extra["o"]))
    if "ou" in extra:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, extra["ou"]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def ku(digital_signature=False, content_commitment=False, key_encipherment=False,
       data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
       encipher_only=False, decipher_only=False):
    return x509.KeyUsage(digital_signature, content_commitment, key_encipherment,
                         data_encipherment, key_agreement, key_cert_sign, crl_sign,
                         encipher_only, decipher_only)


LEAF_KU = ku(digital_signature=True)
CA_KU = ku(key_cert_sign=True, crl_sign=True)


def build(subject, issuer, pub, sign_key, alg, exts):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pub)
         .serial_number(x509.random_serial_number())
         .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER))
    for ext, critical in exts:
        b = b.add_extension(ext, critical)
    return b.sign(sign_key, alg)


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def leaf_exts(bc=True, ku_ext=LEAF_KU, ku_crit=True, eku=(ExtendedKeyUsageOID.CODE_SIGNING,),
              eku_crit=False):
    exts = []
    if bc:
        exts.append((x509.BasicConstraints(ca=False, path_length=None), True))
    if ku_ext is not None:
        exts.append((ku_ext, ku_crit))
    if eku is not None:
        exts.append((x509.ExtendedKeyUsage(list(eku)), eku_crit))
    return exts


def ca_exts(path_length=None, bc_crit=True):
    return [(x509.BasicConstraints(ca=True, path_length=path_length), bc_crit), (CA_KU, True)]


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, stdout=subprocess.DEVNULL)


def gen_certs():
    sha256, sha1 = hashes.SHA256(), hashes.SHA1()
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = name("Sig Test Root", o="libnotaryc", c="US")
    root = build(root_name, root_name, root_key.public_key(), root_key, sha256, ca_exts())
    write("sig-cert-root.pem", pem(root))

    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf_name = name("Sig Test Leaf", o="libnotaryc", c="US")
    write("sig-cert-leaf.pem", pem(build(leaf_name, root_name, leaf_key.public_key(), root_key,
                                         sha256, leaf_exts())))
    # The same leaf signed with SHA-1 (Go's CheckSignatureFrom refuses it).
    write("sig-cert-sha1-leaf.pem", pem(build(leaf_name, root_name, leaf_key.public_key(),
                                              root_key, sha1, leaf_exts())))
    # A single self-signed leaf signed with SHA-1: Go's CheckSignature
    # accepts it, the spec forbids it.
    k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    n = name("Sig SHA1 Self")
    write("sig-cert-sha1-self.pem", pem(build(n, n, k.public_key(), k, sha1, leaf_exts())))
    # A root whose self-signature is SHA-1, and a SHA-256 leaf under it.
    sroot_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sroot_name = name("Sig SHA1 Root")
    write("sig-cert-sha1-root.pem", pem(build(sroot_name, sroot_name, sroot_key.public_key(),
                                              sroot_key, sha1, ca_exts())))
    write("sig-cert-sha1root-leaf.pem", pem(build(name("Sig Leaf Under SHA1 Root"), sroot_name,
                                                  leaf_key.public_key(), sroot_key, sha256,
                                                  leaf_exts())))

    # Trap 1 of the conformance NOTES: subject == issuer == the root's name,
    # but signed by the root's key, so self-issued and not self-signed.
    si_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    write("sig-cert-selfissued-leaf.pem", pem(build(root_name, root_name, si_key.public_key(),
                                                    root_key, sha256, leaf_exts())))

    # Parents Go's CheckSignatureFrom refuses although their key made the
    # signature: a CA whose keyUsage lacks keyCertSign, and a root with
    # basicConstraints cA=false.
    for tag, exts in (("nocertsign", [(x509.BasicConstraints(ca=True, path_length=None), True),
                                      (ku(digital_signature=True), True)]),
                      ("notca", [(x509.BasicConstraints(ca=False, path_length=None), True),
                                 (CA_KU, True)])):
        pk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pn = name("Sig Root " + tag)
        write("sig-cert-%s-root.pem" % tag, pem(build(pn, pn, pk.public_key(), pk, sha256, exts)))
        write("sig-cert-%s-leaf.pem" % tag, pem(build(name("Sig Leaf " + tag), pn,
                                                      leaf_key.public_key(), pk, sha256,
                                                      leaf_exts())))
    # Signatures that verify but names that do not match: a leaf signed by
    # the root's key naming another issuer; a certificate signed by its own
    # key whose issuer is not its subject (as leaf and as root, with a leaf
    # under that root).
    other = name("Someone Else")
    write("sig-cert-wrongissuer-leaf.pem", pem(build(name("Sig Wrong Issuer Leaf"), other,
                                                     leaf_key.public_key(), root_key, sha256,
                                                     leaf_exts())))
    wk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    write("sig-cert-wrongissuer-self.pem", pem(build(name("Sig Own Key"), other, wk.public_key(),
                                                     wk, sha256, leaf_exts())))
    ok_ = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    odd = name("Sig Odd Root")
    write("sig-cert-wrongissuer-root.pem", pem(build(odd, other, ok_.public_key(), ok_, sha256,
                                                     ca_exts())))
    write("sig-cert-oddroot-leaf.pem", pem(build(name("Sig Leaf Under Odd Root"), odd,
                                                 leaf_key.public_key(), ok_, sha256,
                                                 leaf_exts())))
    # A secp256k1 CA (a curve Go cannot parse) and a leaf under it.
    kk = ec.generate_private_key(ec.SECP256K1())
    kn = name("Sig K1 Root")
    write("sig-cert-k1-root.pem", pem(build(kn, kn, kk.public_key(), kk, sha256, ca_exts())))
    write("sig-cert-k1-leaf.pem", pem(build(name("Sig Leaf Under K1"), kn, leaf_key.public_key(),
                                            kk, sha256, leaf_exts())))

    # ECDSA chain: P-384 root (ecdsa-with-SHA384), P-256 leaf.
    ec_root_key = ec.generate_private_key(ec.SECP384R1())
    ec_root_name = name("Sig EC Root")
    write("sig-cert-ec-root.pem", pem(build(ec_root_name, ec_root_name, ec_root_key.public_key(),
                                            ec_root_key, hashes.SHA384(), ca_exts(1))))
    ec_leaf_key = ec.generate_private_key(ec.SECP256R1())
    write("sig-cert-ec-leaf.pem", pem(build(name("Sig EC Leaf"), ec_root_name,
                                            ec_leaf_key.public_key(), ec_root_key, sha256,
                                            leaf_exts())))

    # Leaf rules on single self-signed certificates.
    def self_signed(fname, cn, exts, key=None, alg=sha256):
        key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        nm = name(cn)
        write(fname, pem(build(nm, nm, key.public_key(), key, alg, exts)))

    self_signed("sig-cert-ku-all.pem", "Sig KU All",
                leaf_exts(ku_ext=ku(True, True, True, True, True, True, True, True, True)))
    self_signed("sig-cert-ku-noncrit.pem", "Sig KU Noncritical", leaf_exts(ku_crit=False))
    self_signed("sig-cert-no-ku.pem", "Sig No KU", leaf_exts(ku_ext=None))
    self_signed("sig-cert-anyeku.pem", "Sig Any EKU",
                leaf_exts(eku=(ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,
                               ExtendedKeyUsageOID.CODE_SIGNING)))
    self_signed("sig-cert-eku-client.pem", "Sig EKU Client",
                leaf_exts(eku=(ExtendedKeyUsageOID.CODE_SIGNING, ExtendedKeyUsageOID.CLIENT_AUTH,
                               ExtendedKeyUsageOID.SERVER_AUTH)))
    self_signed("sig-cert-tsa-self.pem", "Sig TSA Self",
                leaf_exts(ku_crit=False, eku=(ExtendedKeyUsageOID.TIME_STAMPING,), eku_crit=True))
    self_signed("sig-cert-ca-bc-noncrit.pem", "Sig CA BC Noncritical", ca_exts(0, bc_crit=False))
    self_signed("sig-cert-ed25519.pem", "Sig Ed25519", leaf_exts(),
                key=ed25519.Ed25519PrivateKey.generate(), alg=None)
    self_signed("sig-cert-p521.pem", "Sig P521", leaf_exts(),
                key=ec.generate_private_key(ec.SECP521R1()), alg=hashes.SHA512())
    # Names that need RFC 4514 escaping and UTF-8.
    nk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    nn = name('#hash "quoted" ', o="\u00dcn\u00efc\u00f6d\u00e9, Inc.", ou="a+b;c", c="US")
    write("sig-cert-names.pem", pem(build(nn, nn, nk.public_key(), nk, sha256, leaf_exts())))

    # RSASSA-PSS-signed leaves (openssl CLI): salt = hash length is one of
    # Go's three PSS profiles; the maximum salt is not; SHA-1 PSS is weak.
    with tempfile.TemporaryDirectory() as tmp:
        rk = os.path.join(tmp, "root.key")
        with open(rk, "wb") as f:
            f.write(root_key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        rc = os.path.join(tmp, "root.pem")
        with open(rc, "wb") as f:
            f.write(pem(root))
        lk = os.path.join(tmp, "leaf.key")
        with open(lk, "wb") as f:
            f.write(leaf_key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        ext = os.path.join(tmp, "ext.cnf")
        with open(ext, "w") as f:
            f.write("basicConstraints=critical,CA:FALSE\n"
                    "keyUsage=critical,digitalSignature\n"
                    "extendedKeyUsage=codeSigning\n")
        csr = os.path.join(tmp, "leaf.csr")
        openssl("req", "-new", "-key", lk, "-subj", "/C=US/O=libnotaryc/CN=Sig PSS Leaf",
                "-out", csr)
        for fname, md, salt, mgf in (("sig-cert-pss-leaf.pem", "-sha256", "digest", "sha256"),
                                     ("sig-cert-pss-saltmax-leaf.pem", "-sha256", "max", "sha256"),
                                     ("sig-cert-pss-mgf1sha384-leaf.pem", "-sha256", "digest",
                                      "sha384"),
                                     ("sig-cert-pss-sha1-leaf.pem", "-sha1", "digest", "sha1")):
            openssl("x509", "-req", "-in", csr, "-CA", rc, "-CAkey", rk, "-set_serial", "7",
                    "-days", "36500", md, "-sigopt", "rsa_padding_mode:pss",
                    "-sigopt", "rsa_pss_saltlen:" + salt, "-sigopt",
                    "rsa_mgf1_md:" + mgf, "-extfile", ext, "-out",
                    os.path.join(OUT, fname))


if __name__ == "__main__":
    gen_signatures()
    gen_certs()
