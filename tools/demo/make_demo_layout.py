#!/usr/bin/python3
"""Build the demo OCI image layouts from the reference-signed bench fixtures.

    /usr/bin/python3 tools/demo/make_demo_layout.py

Standard library only. Reads tests/bench/fixtures (envelopes made by the
reference signer notation-go, see tests/bench/fixtures/ORIGIN.md) and writes,
under tools/demo/:

  layout-jws/, layout-cose/   one OCI image layout each (imageLayoutVersion
                              1.0.0) holding
      - the artifact manifest (tests/bench/fixtures/artifact-manifest.json,
        byte for byte: it is what the envelopes sign), tagged "v1";
      - the empty config blob "{}" (used by both manifests);
      - the signature envelope (rsa3072/signature.jws or .cose);
      - the signature manifest as notation writes it (image manifest,
        artifactType application/vnd.cncf.notary.signature, empty config,
        one layer, subject = the artifact, thumbprint and created
        annotations), listed in index.json without a tag (as oras-go's OCI
        store records pushed manifests) so it is found as a predecessor;
      - the referrers tag schema index, tagged "sha256-<artifact hex>",
        listing the signature manifest with its artifactType and
        annotations.
  truststore/                 a copy of the fixtures' trust store
                              (x509/ca/bench-rsa3072/root.crt, ...)
  trustpolicy.json            one strict statement (revocation skipped) for
                              the scope example.local/notaryc-demo

JSON is serialised compactly with sorted keys, so every digest is stable
from run to run. The script prints the digests it produced. Re-running it
replaces only the directories and files listed above.
"""
import base64
import datetime
import hashlib
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, "tests", "bench", "fixtures")

MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_EMPTY = "application/vnd.oci.empty.v1+json"
AT_SIGNATURE = "application/vnd.cncf.notary.signature"
ANN_THUMBPRINT = "io.cncf.notary.x509chain.thumbprint#S256"
ANN_CREATED = "org.opencontainers.image.created"
ANN_REF_NAME = "org.opencontainers.image.ref.name"

ARTIFACT_DIGEST = "sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"
ARTIFACT_SIZE = 246
EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

SCOPE = "example.local/notaryc-demo"
IDENTITY = ("x509.subject: C=US, ST=WA, L=Seattle, O=Notary Bench, "
            "CN=Notary Bench RSA-3072 Signer")


def fail(msg):
    sys.stderr.write("make_demo_layout: %s\n" % msg)
    sys.exit(1)


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def pem_certs(path):
    """DER bytes of every CERTIFICATE block of a PEM file, in file order."""
    ders, cur = [], None
    for line in read(path).decode("ascii").splitlines():
        line = line.strip()
        if line == "-----BEGIN CERTIFICATE-----":
            cur = []
        elif line == "-----END CERTIFICATE-----":
            if cur is None:
                fail("%s: END without BEGIN" % path)
            ders.append(base64.b64decode("".join(cur), validate=True))
            cur = None
        elif cur is not None:
            cur.append(line)
    if not ders:
        fail("%s: no certificate" % path)
    return ders


# ---- a minimal CBOR reader: enough for a COSE_Sign1 header ----

class Cbor:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def _byte(self):
        if self.pos >= len(self.data):
            fail("COSE: truncated")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def _arg(self, info):
        if info < 24:
            return info
        n = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
        if n is None:
            fail("COSE: indefinite or reserved length")
        v = int.from_bytes(self.data[self.pos:self.pos + n], "big")
        self.pos += n
        return v

    def item(self):
        ib = self._byte()
        major, info = ib >> 5, ib & 31
        if major == 7:
            if info in (20, 21):
                return info == 21
            if info == 22:
                return None
            fail("COSE: unsupported simple value")
        v = self._arg(info)
        if major == 0:
            return v
        if major == 1:
            return -1 - v
        if major in (2, 3):
            s = self.data[self.pos:self.pos + v]
            self.pos += v
            return bytes(s) if major == 2 else s.decode("utf-8")
        if major == 4:
            return [self.item() for _ in range(v)]
        if major == 5:
            out = {}
            for _ in range(v):
                k = self.item()
                out[k] = self.item()
            return out
        return ("tag", v, self.item())  # major 6


def jws_facts(path):
    env = json.loads(read(path))
    prot = env["protected"]
    hdr = json.loads(base64.urlsafe_b64decode(prot + "=" * (-len(prot) % 4)))
    chain = [base64.b64decode(c) for c in env["header"]["x5c"]]
    return hdr["io.cncf.notary.signingTime"], chain


def cose_facts(path):
    top = Cbor(read(path)).item()
    if not (isinstance(top, tuple) and top[1] == 18):
        fail("%s: not a tagged COSE_Sign1" % path)
    prot_bytes, unprot = top[2][0], top[2][1]
    prot = Cbor(prot_bytes).item()
    t = prot.get("io.cncf.notary.signingTime")
    if not (isinstance(t, tuple) and t[1] == 1 and isinstance(t[2], int)):
        fail("%s: signingTime is not an epoch-seconds tag 1" % path)
    when = datetime.datetime.fromtimestamp(t[2], tz=datetime.timezone.utc)
    chain = unprot[33]
    if isinstance(chain, bytes):
        chain = [chain]
    return when.strftime("%Y-%m-%dT%H:%M:%SZ"), chain


class Layout:
    def __init__(self, path):
        self.path = path
        if os.path.lexists(path):
            shutil.rmtree(path)
        os.makedirs(os.path.join(path, "blobs", "sha256"))

    def blob(self, data):
        dg = sha256(data)
        with open(os.path.join(self.path, "blobs", "sha256", dg.split(":", 1)[1]), "wb") as f:
            f.write(data)
        return dg, len(data)

    def finish(self, index):
        with open(os.path.join(self.path, "oci-layout"), "wb") as f:
            f.write(canonical({"imageLayoutVersion": "1.0.0"}))
        with open(os.path.join(self.path, "index.json"), "wb") as f:
            f.write(canonical(index))


def build(name, envelope_path, envelope_mt, facts, chain_file):
    artifact = read(os.path.join(FIXTURES, "artifact-manifest.json"))
    if sha256(artifact) != ARTIFACT_DIGEST or len(artifact) != ARTIFACT_SIZE:
        fail("artifact-manifest.json is not the signed artifact")
    signing_time, env_chain = facts(envelope_path)
    chain = pem_certs(chain_file)
    if chain != env_chain:
        fail("%s: the envelope chain is not %s" % (envelope_path, chain_file))
    thumbprints = json.dumps([hashlib.sha256(c).hexdigest() for c in chain],
                             separators=(",", ":"))

    lay = Layout(os.path.join(HERE, name))
    art_desc = {"mediaType": MT_MANIFEST, "digest": lay.blob(artifact)[0],
                "size": ARTIFACT_SIZE}
    if lay.blob(b"{}") != (EMPTY_DIGEST, 2):
        fail("empty config digest")
    env_digest, env_size = lay.blob(read(envelope_path))
    annotations = {ANN_THUMBPRINT: thumbprints, ANN_CREATED: signing_time}
    sig_manifest = canonical({
        "schemaVersion": 2,
        "mediaType": MT_MANIFEST,
        "artifactType": AT_SIGNATURE,
        "config": {"mediaType": MT_EMPTY, "digest": EMPTY_DIGEST, "size": 2, "data": "e30="},
        "layers": [{"mediaType": envelope_mt, "digest": env_digest, "size": env_size}],
        "subject": art_desc,
        "annotations": annotations,
    })
    sig_digest, sig_size = lay.blob(sig_manifest)
    sig_desc = {"mediaType": MT_MANIFEST, "digest": sig_digest, "size": sig_size}
    referrers = canonical({
        "schemaVersion": 2,
        "mediaType": MT_INDEX,
        "manifests": [dict(sig_desc, artifactType=AT_SIGNATURE, annotations=annotations)],
    })
    ref_digest, ref_size = lay.blob(referrers)
    ref_tag = ARTIFACT_DIGEST.replace(":", "-")
    lay.finish({
        "schemaVersion": 2,
        "mediaType": MT_INDEX,
        "manifests": [
            dict(art_desc, annotations={ANN_REF_NAME: "v1"}),
            sig_desc,
            {"mediaType": MT_INDEX, "digest": ref_digest, "size": ref_size,
             "annotations": {ANN_REF_NAME: ref_tag}},
        ],
    })
    print("%s: artifact %s (v1)" % (name, ARTIFACT_DIGEST))
    print("%s: envelope %s %s size %d" % (name, envelope_mt, env_digest, env_size))
    print("%s: signature manifest %s size %d" % (name, sig_digest, sig_size))
    print("%s: referrers index %s size %d (tag %s)" % (name, ref_digest, ref_size, ref_tag))


def main():
    rsa = os.path.join(FIXTURES, "rsa3072")
    chain = os.path.join(rsa, "chain.crt")
    build("layout-jws", os.path.join(rsa, "signature.jws"), "application/jose+json",
          jws_facts, chain)
    build("layout-cose", os.path.join(rsa, "signature.cose"), "application/cose",
          cose_facts, chain)

    store = os.path.join(HERE, "truststore")
    if os.path.lexists(store):
        shutil.rmtree(store)
    shutil.copytree(os.path.join(FIXTURES, "truststore"), store)

    policy = {
        "version": "1.0",
        "trustPolicies": [{
            "name": "notaryc-demo",
            "registryScopes": [SCOPE],
            "signatureVerification": {"level": "strict", "override": {"revocation": "skip"}},
            "trustStores": ["ca:bench-rsa3072"],
            "trustedIdentities": [IDENTITY],
        }],
    }
    with open(os.path.join(HERE, "trustpolicy.json"), "w", encoding="utf-8") as f:
        json.dump(policy, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
