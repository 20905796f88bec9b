"""Test content: the signed artifact and signature manifests built from the
reference signer's envelopes.

Every envelope comes from tests/bench/fixtures (made by notation-go v1.0.0,
see tests/bench/fixtures/ORIGIN.md): RSA-3072 and EC P-256, each as JWS and
COSE, over the artifact manifest tests/bench/fixtures/artifact-manifest.json
(sha256:f20c4316..., 246 bytes). The only envelope changed here is the
"tampered" one: the reference JWS with one byte of its signature flipped.
Signature manifests are written the way notation-go writes them
(notary-spec.md section 2.1), like tools/demo/make_demo_layout.py does.

The trust policy trusts ca:bench-rsa3072 and the RSA-3072 signer's subject,
so: rsa-jws and rsa-cose pass; ec-jws fails authenticity (its chain ends at
the P-256 root, which is not in the policy's store); tampered-jws fails
integrity.
"""
import base64
import hashlib
import json
import os

MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_EMPTY = "application/vnd.oci.empty.v1+json"
MT_JWS = "application/jose+json"
MT_COSE = "application/cose"
AT_SIGNATURE = "application/vnd.cncf.notary.signature"
ANN_THUMBPRINT = "io.cncf.notary.x509chain.thumbprint#S256"
ANN_CREATED = "org.opencontainers.image.created"
EMPTY_DIGEST = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"

ARTIFACT_DIGEST = "sha256:f20c43161d73848408ef247f0ec7111b19fe58ffebc0cbcaa0d2c8bda4967268"
ARTIFACT_SIZE = 246
RSA_SIGNER = ("x509.subject: C=US, ST=WA, L=Seattle, O=Notary Bench, "
              "CN=Notary Bench RSA-3072 Signer")

MAX_MANIFEST = 4 * 1024 * 1024
MAX_BLOB = 32 * 1024 * 1024


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode("utf-8")


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _pem_ders(path):
    ders, cur = [], None
    for line in _read(path).decode("ascii").splitlines():
        line = line.strip()
        if line == "-----BEGIN CERTIFICATE-----":
            cur = []
        elif line == "-----END CERTIFICATE-----":
            ders.append(base64.b64decode("".join(cur)))
            cur = None
        elif cur is not None:
            cur.append(line)
    return ders


class Envelope:
    def __init__(self, name, data, media_type, chain_file):
        self.name = name
        self.data = data
        self.media_type = media_type
        self.digest = digest(data)
        self.thumbprints = json.dumps(
            [hashlib.sha256(c).hexdigest() for c in _pem_ders(chain_file)],
            separators=(",", ":"))


def _tamper_jws(data):
    env = json.loads(data)
    sig = env["signature"]
    raw = bytearray(base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4)))
    raw[0] ^= 0x01
    env["signature"] = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    return json.dumps(env, separators=(",", ":")).encode()


class Fixtures:
    def __init__(self, source_root):
        self.root = os.path.join(source_root, "tests", "bench", "fixtures")
        self.truststore = os.path.join(self.root, "truststore")
        self.artifact = _read(os.path.join(self.root, "artifact-manifest.json"))
        if digest(self.artifact) != ARTIFACT_DIGEST or len(self.artifact) != ARTIFACT_SIZE:
            raise RuntimeError("tests/bench/fixtures/artifact-manifest.json is not the signed "
                               "artifact")
        self.artifact_config = b"{}"
        self.subject = {"mediaType": MT_MANIFEST, "digest": ARTIFACT_DIGEST,
                        "size": ARTIFACT_SIZE}
        rsa, ec = os.path.join(self.root, "rsa3072"), os.path.join(self.root, "ecp256")
        rsa_chain, ec_chain = os.path.join(rsa, "chain.crt"), os.path.join(ec, "chain.crt")
        jws = _read(os.path.join(rsa, "signature.jws"))
        self.envelopes = {
            "rsa-jws": Envelope("rsa-jws", jws, MT_JWS, rsa_chain),
            "rsa-cose": Envelope("rsa-cose", _read(os.path.join(rsa, "signature.cose")),
                                 MT_COSE, rsa_chain),
            "ec-jws": Envelope("ec-jws", _read(os.path.join(ec, "signature.jws")), MT_JWS,
                               ec_chain),
            "ec-cose": Envelope("ec-cose", _read(os.path.join(ec, "signature.cose")), MT_COSE,
                                ec_chain),
            "tampered-jws": Envelope("tampered-jws", _tamper_jws(jws), MT_JWS, rsa_chain),
        }

    def signature(self, name, created="2026-11-27T05:31:09Z", layer_size=None):
        """A signature manifest for envelope `name`: returns (manifest bytes,
        envelope). A different `created` gives a different manifest digest
        for the same envelope; layer_size overrides the declared size."""
        env = self.envelopes[name]
        manifest = canonical({
            "schemaVersion": 2,
            "mediaType": MT_MANIFEST,
            "artifactType": AT_SIGNATURE,
            "config": {"mediaType": MT_EMPTY, "digest": EMPTY_DIGEST, "size": 2,
                       "data": "e30="},
            "layers": [{"mediaType": env.media_type, "digest": env.digest,
                        "size": len(env.data) if layer_size is None else layer_size}],
            "subject": self.subject,
            "annotations": {ANN_THUMBPRINT: env.thumbprints, ANN_CREATED: created},
        })
        return manifest, env

    @staticmethod
    def index_entry(manifest, artifact_type=AT_SIGNATURE, size=None, annotations=None):
        entry = {"mediaType": MT_MANIFEST, "digest": digest(manifest),
                 "size": len(manifest) if size is None else size}
        if artifact_type is not None:
            entry["artifactType"] = artifact_type
        if annotations:
            entry["annotations"] = annotations
        return entry

    @staticmethod
    def index(entries):
        return canonical({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": entries})

    def policy(self, scopes, path):
        """A strict trust policy (revocation skipped: the bench certificates
        have no revocation endpoints) naming exactly `scopes`."""
        doc = {"version": "1.0", "trustPolicies": [{
            "name": "integration",
            "registryScopes": sorted(set(scopes)),
            "signatureVerification": {"level": "strict", "override": {"revocation": "skip"}},
            "trustStores": ["ca:bench-rsa3072"],
            "trustedIdentities": [RSA_SIGNER],
        }]}
        with open(path, "w") as f:
            json.dump(doc, f, indent=2)
        return path


class Repo:
    """What one repository holds: the artifact (tag v1), signature
    manifests, envelopes, and the referrers tag index sha256-<hex>."""

    def __init__(self, fx, name):
        self.fx = fx
        self.name = name
        self.blobs = {}        # digest -> bytes (config, envelopes)
        self.manifests = {}    # digest -> (media type, bytes)
        self.tags = {}         # tag -> digest
        self.signatures = []   # signature manifest digests, in index order
        self.index_entries = []
        self.add_blob(fx.artifact_config)
        self.add_blob(b"{}")
        self.add_manifest(fx.artifact, MT_MANIFEST, tag="v1")

    def add_blob(self, data):
        d = digest(data)
        self.blobs[d] = data
        return d

    def add_manifest(self, data, media_type, tag=None):
        d = digest(data)
        self.manifests[d] = (media_type, data)
        if tag is not None:
            self.tags[tag] = d
        return d

    def sign(self, name, created="2026-11-27T05:31:09Z", entry_size=None, layer_size=None,
             push_envelope=True):
        manifest, env = self.fx.signature(name, created, layer_size=layer_size)
        if push_envelope:
            self.add_blob(env.data)
        d = self.add_manifest(manifest, MT_MANIFEST)
        self.signatures.append(d)
        self.index_entries.append(Fixtures.index_entry(
            manifest, size=entry_size,
            annotations={ANN_THUMBPRINT: env.thumbprints}))
        return d

    def add_raw_entry(self, entry):
        self.index_entries.append(entry)

    def referrers_tag(self):
        return ARTIFACT_DIGEST.replace(":", "-")

    def finish(self):
        """Add the referrers tag index if there are entries; returns it."""
        if not self.index_entries:
            return None
        idx = Fixtures.index(self.index_entries)
        self.add_manifest(idx, MT_INDEX, tag=self.referrers_tag())
        return idx

    @property
    def artifact_digest(self):
        return ARTIFACT_DIGEST

    # -- targets --

    def push(self, curl):
        """Blobs first, then manifests (signatures before the index)."""
        for data in self.blobs.values():
            curl.push_blob(self.name, data)
        tagged = {d: t for t, d in self.tags.items()}
        order = sorted(self.manifests.items(),
                       key=lambda kv: (kv[1][0] == MT_INDEX, kv[0] not in tagged))
        for d, (mt, data) in order:
            got = curl.push_manifest(self.name, tagged.get(d, d), data, mt)
            if got is not None and got != d:
                raise RuntimeError("registry stored %s as %s" % (d, got))

    def write_layout(self, path):
        """The same content as an OCI image layout (tags in index.json)."""
        os.makedirs(os.path.join(path, "blobs", "sha256"), exist_ok=True)
        for d, data in list(self.blobs.items()) + [(d, m[1]) for d, m in self.manifests.items()]:
            with open(os.path.join(path, "blobs", "sha256", d.split(":", 1)[1]), "wb") as f:
                f.write(data)
        with open(os.path.join(path, "oci-layout"), "wb") as f:
            f.write(canonical({"imageLayoutVersion": "1.0.0"}))
        entries = []
        for tag, d in sorted(self.tags.items()):
            mt, data = self.manifests[d]
            entries.append({"mediaType": mt, "digest": d, "size": len(data),
                            "annotations": {"org.opencontainers.image.ref.name": tag}})
        with open(os.path.join(path, "index.json"), "wb") as f:
            f.write(canonical({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": entries}))
        return path
