#!/usr/bin/python3
"""Integration group `revocation`: OCSP and CRLs from a real HTTP server.

A small HTTP server (a thread of this script, 127.0.0.1, a free port)
answers OCSP requests (GET and POST) and serves CRLs; both are made with
python3-cryptography's OCSP and CRL builders, signed by the test root or
a delegated responder, with no code of libnotaryc. Blob signatures come
from the independent signer (tests/signer/notary_signer.py) with leaves
naming the server as their OCSP responder and CRL distribution point;
`notaryc verify-blob` verifies them under a strict blob policy (revocation
enforced).

    /usr/bin/python3 tests/integration/revocation.py --notaryc build/tools/notaryc \
        --source-root .

Cases: OCSP good (issuer-signed, delegated responder; a delegated responder
without id-pkix-ocsp-nocheck is checked on its CRL first and ignored when
revoked), OCSP revoked; OCSP
failing (HTTP 500, time-out past 2 s, unknown, stale) then CRL good or
revoked; CRL signed by another key, expired CRL, unreachable server:
unknown; and OpenSSL's own responder (`openssl ocsp -port` from an index
file, inside `unshare -n` since it binds every interface) for a good, a
revoked and an unknown (not indexed) leaf, answers signed by the root or by
a delegated responder, and a stale answer (two days on with -ndays 1)
(skipped unless root with unshare, ip and bash).
notaryc's revocation options: --ocsp-timeout / --crl-timeout shorter than
a slow server's answer (then the CRL; then unknown). CRLs made by OpenSSL's
CA tool (`openssl ca -revoke`, `openssl ca -gencrl` from an index of its
own, configured as tests/unit/x509/data/revocation/gen.sh; skipped without
openssl) for leaves with only a CRL distribution point: good passes,
keyCompromise and certificateHold are revoked; a base CRL whose freshestCRL
names a delta CRL on the server (or a leaf whose own Freshest CRL names
it): a hold lifted by removeFromCRL in the delta passes, a revocation only
in the delta fails, a delta that needs a later base or that is missing is
unknown. --revocation-cache: a second
server of its own serves a CRL once; a second run with the same cache
passes with that server stopped, a third without the cache is unknown.
--revocation-offline: with --crl (openssl's PEM or DER, or a
python3-cryptography CRL) good passes and revoked fails, without it
unknown, and the server sees no request. Exit 77 when python3-cryptography
is missing. Ends with `GROUP: N passed, N failed, N skipped`.
"""
import base64
import datetime
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

from signed_group import Cases, Failure, Skip, args, rfc3339, work_dir  # noqa: E402





class State:
    """What the server answers; the cases change it."""

    def __init__(self):
        self.ocsp = lambda serial: None  # bytes, or None for HTTP 500
        self.ocsp_delay = 0.0
        self.crl_delay = 0.0  # before any CRL answer
        self.crl = None  # bytes, or None for 404
        self.files = {}  # other paths ("/x.crl") served with their bytes
        self.requests = []


def serve(state):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body=b"", ctype="application/octet-stream"):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def ocsp(self, der):
            from cryptography.x509 import ocsp
            if state.ocsp_delay:
                time.sleep(state.ocsp_delay)
            try:
                serial = ocsp.load_der_ocsp_request(der).serial_number
            except ValueError:
                return self.answer(400)
            body = state.ocsp(serial)
            if body is None:
                return self.answer(500)
            self.answer(200, body, "application/ocsp-response")

        def do_GET(self):
            state.requests.append(("GET", self.path))
            if self.path.startswith("/ocsp/"):
                b64 = urllib.parse.unquote(self.path[len("/ocsp/"):])
                return self.ocsp(base64.b64decode(b64))
            if state.crl_delay:
                time.sleep(state.crl_delay)
            if self.path == "/root.crl" and state.crl is not None:
                return self.answer(200, state.crl, "application/pkix-crl")
            if self.path in state.files:
                return self.answer(200, state.files[self.path], "application/pkix-crl")
            self.answer(404)

        def do_POST(self):
            state.requests.append(("POST", self.path))
            n = int(self.headers.get("Content-Length", "0"))
            self.ocsp(self.rfile.read(n))

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.handle_error = lambda request, address: None  # a client that hung up (time-out case)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def main():
    a = args()
    try:
        import notary_signer as ns
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.x509 import ocsp
        from cryptography.x509.oid import ExtendedKeyUsageOID
    except ImportError as e:
        print("SKIP revocation: %s (python3-cryptography)" % e)
        return 77

    work = work_dir("nv-it-rev-")
    state = State()
    srv = serve(state)
    port = srv.server_address[1]
    base = "http://127.0.0.1:%d" % port
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    day = datetime.timedelta(days=1)
    hour = datetime.timedelta(hours=1)
    nb, na = rfc3339(now - 365 * day), rfc3339(now + 3650 * day)

    root = ns.make_root("C=US, O=notaryc revocation test, CN=root", "ec256", nb, na,
                        crl_sign=True)
    other = ns.make_root("C=US, O=notaryc revocation test, CN=root", "ec256", nb, na,
                         crl_sign=True)  # same name, another key
    # a delegated OCSP responder: id-kp-OCSPSigning, issued by the root
    rkey = ns.generate_key("ec256")
    responder = (x509.CertificateBuilder()
                 .subject_name(ns.parse_name("C=US, O=notaryc revocation test, CN=responder"))
                 .issuer_name(root.cert.subject).public_key(rkey.public_key())
                 .serial_number(x509.random_serial_number())
                 .not_valid_before(now - day).not_valid_after(now + 30 * day)
                 .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]),
                                critical=False)
                 .sign(root.key, hashes.SHA256()))
    # another one, without id-pkix-ocsp-nocheck but with a CRL distribution
    # point: its own revocation is checked before its answers count
    rkey2 = ns.generate_key("ec256")
    responder2 = (x509.CertificateBuilder()
                  .subject_name(ns.parse_name("C=US, O=notaryc revocation test, CN=responder 2"))
                  .issuer_name(root.cert.subject).public_key(rkey2.public_key())
                  .serial_number(x509.random_serial_number())
                  .not_valid_before(now - day).not_valid_after(now + 30 * day)
                  .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]),
                                 critical=False)
                  .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                      full_name=[x509.UniformResourceIdentifier(base + "/root.crl")],
                      relative_name=None, reasons=None, crl_issuer=None)]), critical=False)
                  .sign(root.key, hashes.SHA256()))
    store = os.path.join(work, "truststore")
    ns.write_file(os.path.join(store, "x509", "ca", "rev", "root.crt"), ns.pem(root.cert))
    blob = os.path.join(work, "blob.bin")
    ns.write_file(blob, b"notaryc revocation integration test\n")
    with open(blob, "rb") as f:
        data = f.read()
    pol = os.path.join(work, "policy.json")
    with open(pol, "w") as f:
        json.dump({"version": "1.0", "trustPolicies": [{
            "name": "rev", "globalPolicy": True,
            "signatureVerification": {"level": "strict"},
            "trustStores": ["ca:rev"], "trustedIdentities": ["*"]}]}, f)

    def sign(name):
        leaf = ns.make_leaf(root, "C=US, O=notaryc revocation test, CN=" + name, "ec256",
                            nb, na, crl_url=base + "/root.crl", ocsp_url=base + "/ocsp")
        target = ns.blob_descriptor(data, ns.key_algorithm(leaf.key))
        path = os.path.join(work, name + ".jws.sig")
        ns.write_file(path, ns.sign_jws(leaf, [leaf.cert, root.cert], target, rfc3339(now)))
        return leaf, path

    good, good_sig = sign("good")
    revoked, revoked_sig = sign("revoked")

    def sign_for(url, name):
        leaf = ns.make_leaf(root, "C=US, O=notaryc revocation test, CN=" + name, "ec256",
                            nb, na, ocsp_url=url)
        target = ns.blob_descriptor(data, ns.key_algorithm(leaf.key))
        path = os.path.join(work, name + ".jws.sig")
        ns.write_file(path, ns.sign_jws(leaf, [leaf.cert, root.cert], target, rfc3339(now)))
        return leaf, path

    def sign_with(name, crl_url=None, ocsp_url=None, freshest_crl_url=None):
        leaf = ns.make_leaf(root, "C=US, O=notaryc revocation test, CN=" + name, "ec256",
                            nb, na, crl_url=crl_url, ocsp_url=ocsp_url,
                            freshest_crl_url=freshest_crl_url)
        target = ns.blob_descriptor(data, ns.key_algorithm(leaf.key))
        path = os.path.join(work, name + ".jws.sig")
        ns.write_file(path, ns.sign_jws(leaf, [leaf.cert, root.cert], target, rfc3339(now)))
        return leaf, path

    # leaves with only a CRL distribution point, for CRLs made by `openssl ca`
    ca_good, ca_good_sig = sign_with("ca-good", crl_url=base + "/openssl.crl")
    ca_kc, ca_kc_sig = sign_with("ca-key-compromise", crl_url=base + "/openssl.crl")
    ca_hold, ca_hold_sig = sign_with("ca-hold", crl_url=base + "/openssl.crl")
    d_good, d_good_sig = sign_with("delta-good", crl_url=base + "/base.crl")
    d_unhold, d_unhold_sig = sign_with("delta-unhold", crl_url=base + "/base.crl")
    d_later, d_later_sig = sign_with("delta-revoked", crl_url=base + "/base.crl")
    # its own Freshest CRL names the delta; its CRL DP a base CRL without one
    d_leaf, d_leaf_sig = sign_with("delta-named-by-leaf", crl_url=base + "/plain-base.crl",
                                   freshest_crl_url=base + "/delta.crl")

    # for OpenSSL's responder (port 8888 inside a private network namespace)
    ogood, good_osig = sign_for("http://127.0.0.1:8888", "good-openssl")
    orevoked, revoked_osig = sign_for("http://127.0.0.1:8888", "revoked-openssl")
    ounknown, unknown_osig = sign_for("http://127.0.0.1:8888", "unknown-openssl")  # not indexed

    def ocsp_answer(status_of, signer=root, key=None, certs=None, next_update=now + day):
        def answer(serial):
            cert = good.cert if serial == good.cert.serial_number else revoked.cert
            st = status_of(serial)
            b = ocsp.OCSPResponseBuilder().add_response(
                cert=cert, issuer=root.cert, algorithm=hashes.SHA1(), cert_status=st,
                this_update=now - hour, next_update=next_update,
                revocation_time=now - hour if st == ocsp.OCSPCertStatus.REVOKED else None,
                revocation_reason=(x509.ReasonFlags.key_compromise
                                   if st == ocsp.OCSPCertStatus.REVOKED else None))
            b = b.responder_id(ocsp.OCSPResponderEncoding.HASH,
                               signer if isinstance(signer, x509.Certificate) else signer.cert)
            if certs:
                b = b.certificates(certs)
            return b.sign(key or root.key, hashes.SHA256()).public_bytes(_der())
        return answer

    def _der():
        from cryptography.hazmat.primitives import serialization
        return serialization.Encoding.DER

    def by_serial(revoked_serials=(), unknown=False):
        def status(serial):
            if unknown:
                return ocsp.OCSPCertStatus.UNKNOWN
            if serial in revoked_serials:
                return ocsp.OCSPCertStatus.REVOKED
            return ocsp.OCSPCertStatus.GOOD
        return status

    def crl(revoked_serials=(), key=None, next_update=now + day, last_update=now - hour):
        b = (x509.CertificateRevocationListBuilder().issuer_name(root.cert.subject)
             .last_update(last_update).next_update(next_update)
             .add_extension(x509.CRLNumber(1), critical=False))
        for s in revoked_serials:
            b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(s)
                                          .revocation_date(now - hour).build())
        return b.sign(key or root.key, hashes.SHA256()).public_bytes(_der())

    def verify(sig, extra=()):
        p = subprocess.run([a.notaryc, "verify-blob", "--signature", sig, "--trust-policy", pol,
                            "--trust-store", store, "--at", rfc3339(now + datetime.timedelta(
                                minutes=1)), "--output", "json"] + list(extra) + [blob],
                           capture_output=True, timeout=120)
        out = p.stdout.decode("utf-8", "replace")
        try:
            doc = json.loads(out)
        except ValueError:
            raise Failure("exit %d, not JSON: %s %s" % (p.returncode, out[:300],
                                                        p.stderr.decode()[:300]))
        return p.returncode, doc

    def expect(sig, rc_want, status_want, requests=None, extra=(), st=state):
        """requests: the first path segments that the server of `st` saw."""
        st.requests = []
        rc, doc = verify(sig, extra)
        sigs = doc.get("signatures") or [{}]
        rev = sigs[0].get("checks", {}).get("revocation", {})
        got = doc.get("status") if status_want == "NV_OK" else sigs[0].get("status")
        if rc != rc_want or got != status_want:
            raise Failure("exit %d status %s, want exit %d status %s; revocation check %r" %
                          (rc, got, rc_want, status_want, rev))
        if requests is not None and [r[1].split("/")[1] for r in st.requests] != requests:
            raise Failure("requests %r, want %r" % (st.requests, requests))

    RS = revoked.cert.serial_number
    cases = Cases()
    case = cases.add

    @case("OCSP good, signed by the issuer; no CRL asked")
    def _():
        state.ocsp, state.crl = ocsp_answer(by_serial((RS,))), None
        expect(good_sig, 0, "NV_OK", ["ocsp"])

    @case("OCSP revoked")
    def _():
        state.ocsp, state.crl = ocsp_answer(by_serial((RS,))), crl()
        expect(revoked_sig, 1, "NV_E_CERT_REVOKED", ["ocsp"])

    @case("OCSP good from a delegated responder (id-kp-OCSPSigning)")
    def _():
        state.ocsp = ocsp_answer(by_serial(), signer=responder, key=rkey, certs=[responder])
        state.crl = None
        expect(good_sig, 0, "NV_OK", ["ocsp"])

    @case("a delegated responder without nocheck is checked on the CRL first")
    def _():
        state.ocsp = ocsp_answer(by_serial(), signer=responder2, key=rkey2, certs=[responder2])
        state.crl = crl()
        expect(good_sig, 0, "NV_OK", ["ocsp", "root.crl"])
        # the responder revoked: its "good" for the revoked leaf does not
        # count; the leaf's CRL (the same one, from the context's cache) decides
        state.crl = crl((responder2.serial_number, RS))
        expect(good_sig, 0, "NV_OK", ["ocsp", "root.crl"])
        expect(revoked_sig, 1, "NV_E_CERT_REVOKED", ["ocsp", "root.crl"])

    @case("OCSP HTTP 500, then the CRL: good and revoked")
    def _():
        state.ocsp, state.crl = (lambda s: None), crl((RS,))
        expect(good_sig, 0, "NV_OK", ["ocsp", "root.crl"])
        expect(revoked_sig, 1, "NV_E_CERT_REVOKED", ["ocsp", "root.crl"])

    @case("OCSP unknown, then the CRL")
    def _():
        state.ocsp, state.crl = ocsp_answer(by_serial(unknown=True)), crl()
        expect(good_sig, 0, "NV_OK", ["ocsp", "root.crl"])

    @case("stale OCSP answer, CRL missing: unknown")
    def _():
        state.ocsp = ocsp_answer(by_serial(), next_update=now - datetime.timedelta(minutes=5))
        state.crl = None
        expect(good_sig, 1, "NV_E_REVOCATION_UNKNOWN", ["ocsp", "root.crl"])

    @case("CRL signed by another key, expired CRL: unknown")
    def _():
        state.ocsp, state.crl = (lambda s: None), crl(key=other.key)
        expect(good_sig, 1, "NV_E_REVOCATION_UNKNOWN")
        state.crl = crl(next_update=now - datetime.timedelta(minutes=5),
                        last_update=now - day)
        expect(good_sig, 1, "NV_E_REVOCATION_UNKNOWN")

    @case("a slow OCSP responder times out (2 s), the CRL answers")
    def _():
        state.ocsp, state.crl = ocsp_answer(by_serial()), crl()
        state.ocsp_delay = 3.0
        try:
            t0 = time.monotonic()
            expect(good_sig, 0, "NV_OK")
            took = time.monotonic() - t0
        finally:
            state.ocsp_delay = 0.0
        if took > 6.0:
            raise Failure("took %.1f s" % took)

    # OpenSSL's own responder: `openssl ocsp -port` binds every interface
    # (3.0 takes only a port number), so it runs with notaryc inside
    # `unshare -n`, where only loopback exists (toolchain.md section 5).
    def write_root_for_openssl():
        """work/root.key (0600) and work/root.pem for openssl ocsp and openssl ca."""
        from cryptography.hazmat.primitives import serialization
        keyfile = os.path.join(work, "root.key")
        with open(os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            f.write(root.key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        ns.write_file(os.path.join(work, "root.pem"), ns.pem(root.cert))

    def with_openssl_responder(sig, index_lines, signer="root", at=None):
        """notaryc verify-blob against `openssl ocsp`, its answers signed by
        the root or (signer="responder") by the delegated responder."""
        if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("openssl") \
                or not shutil.which("bash") or not shutil.which("ip"):
            return None
        write_root_for_openssl()
        if signer == "responder":
            from cryptography.hazmat.primitives import serialization
            keyfile = os.path.join(work, "responder.key")
            with open(os.open(keyfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                      "wb") as f:
                f.write(rkey.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
            ns.write_file(os.path.join(work, "responder.pem"), ns.pem(responder))
        with open(os.path.join(work, "index.txt"), "w") as f:
            f.write("".join(index_lines))
        script = r"""
ip link set lo up || exit 90
cd "$1"
openssl ocsp -index index.txt -port 8888 -rsigner "$8.pem" -rkey "$8.key" -CA root.pem \
  -ndays 1 > responder.log 2>&1 &
pid=$!
ready=0
for i in $(seq 100); do
  if grep -q "ACCEPT\|Waiting for OCSP" responder.log 2>/dev/null; then ready=1; break; fi
  sleep 0.05
done
[ $ready = 1 ] || { kill $pid; exit 91; }
"$2" verify-blob --signature "$3" --trust-policy "$4" --trust-store "$5" --at "$6" \
  --output json "$7" > verify.json
rc=$?
kill $pid 2>/dev/null
wait $pid 2>/dev/null
exit $rc
"""
        at = at or now + datetime.timedelta(minutes=1)
        p = subprocess.run(["unshare", "-n", "bash", "-c", script, "sh", work, a.notaryc, sig,
                            pol, store, rfc3339(at), blob, signer],
                           capture_output=True, timeout=120)
        if p.returncode >= 90:
            raise Failure("responder setup failed (%d): %s" % (p.returncode, p.stderr[:300]))
        with open(os.path.join(work, "verify.json")) as f:
            doc = json.load(f)
        return p.returncode, doc

    def index_line(cert, revoked_at=None):
        exp = cert.not_valid_after.strftime("%y%m%d%H%M%SZ")
        serial = "%X" % cert.serial_number
        if len(serial) % 2:
            serial = "0" + serial
        subject = "/" + "/".join(a.rfc4514_string() for a in reversed(list(cert.subject)))
        if revoked_at is None:
            return "V\t%s\t\t%s\tunknown\t%s\n" % (exp, serial, subject)
        return "R\t%s\t%s,keyCompromise\t%s\tunknown\t%s\n" % (
            exp, revoked_at.strftime("%y%m%d%H%M%SZ"), serial, subject)

    @case("openssl ocsp responder (unshare -n): good and revoked")
    def _():
        lines = [index_line(ogood.cert), index_line(orevoked.cert, now - hour)]
        r = with_openssl_responder(good_osig, lines)
        if r is None:
            raise Skip("needs root, unshare, ip, bash and openssl")
        rc, doc = r
        if rc != 0 or doc.get("status") != "NV_OK":
            raise Failure("good: exit %d %r" % (rc, doc.get("signatures")))
        rc, doc = with_openssl_responder(revoked_osig, lines)
        st = (doc.get("signatures") or [{}])[0].get("status")
        if rc != 1 or st != "NV_E_CERT_REVOKED":
            raise Failure("revoked: exit %d status %s" % (rc, st))

    @case("openssl ocsp responder: a certificate its index does not know is unknown; "
          "answers from a delegated responder; a stale answer is unknown")
    def _():
        lines = [index_line(ogood.cert), index_line(orevoked.cert, now - hour)]
        r = with_openssl_responder(unknown_osig, lines)
        if r is None:
            raise Skip("needs root, unshare, ip, bash and openssl")
        want = [(r, 1, "NV_E_REVOCATION_UNKNOWN", "unknown")]
        # id-kp-OCSPSigning, issued by the root, no nocheck and no CRL
        # distribution point: its answer is used (with a warning)
        want.append((with_openssl_responder(good_osig, lines, signer="responder"), 0, "NV_OK",
                     "delegated good"))
        want.append((with_openssl_responder(revoked_osig, lines, signer="responder"), 1,
                     "NV_E_CERT_REVOKED", "delegated revoked"))
        # -ndays 1: two days on, the answer's nextUpdate has passed
        want.append((with_openssl_responder(good_osig, lines, at=now + 2 * day), 1,
                     "NV_E_REVOCATION_UNKNOWN", "stale"))
        for (rc, doc), rc_want, st_want, what in want:
            st = doc.get("status") if st_want == "NV_OK" else \
                (doc.get("signatures") or [{}])[0].get("status")
            if rc != rc_want or st != st_want:
                raise Failure("%s: exit %d status %s, want %d %s; %r" % (
                    what, rc, st, rc_want, st_want, doc.get("signatures")))

    @case("--ocsp-timeout 250 gives up on a responder that answers after 0.7 s; "
          "--crl-timeout 250 on such a CRL server")
    def _():
        state.ocsp, state.crl = ocsp_answer(by_serial()), crl()
        state.ocsp_delay = 0.7
        try:
            expect(good_sig, 0, "NV_OK", ["ocsp"])  # within the default 2 s
            expect(good_sig, 0, "NV_OK", ["ocsp", "root.crl"], ["--ocsp-timeout", "250"])
            state.crl_delay = 0.7
            expect(good_sig, 1, "NV_E_REVOCATION_UNKNOWN", ["ocsp", "root.crl"],
                   ["--ocsp-timeout", "250", "--crl-timeout", "250"])
        finally:
            state.ocsp_delay = state.crl_delay = 0.0

    # OpenSSL's CA tool keeps its own index (work/<name>/index.txt) and
    # makes the CRLs (`openssl ca -revoke`, `openssl ca -gencrl`) that the
    # server hands out; the configuration is that of
    # tests/unit/x509/data/revocation/gen.sh.
    class OpensslCA:
        CONFIG = """[ ca ]
default_ca = CA_default
[ CA_default ]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_crl_days = 1
policy = pol
[ pol ]
commonName = supplied
[ crl_base ]
freshestCRL = URI:{delta_url}
[ crl_delta ]
deltaCRL = critical,DER:02:01:01
[ crl_delta_bad ]
deltaCRL = critical,DER:02:01:09
"""

        def __init__(self, name):
            if not shutil.which("openssl"):
                raise Skip("needs openssl")
            write_root_for_openssl()
            self.dir = os.path.join(work, name)
            os.makedirs(self.dir, exist_ok=True)
            ns.write_file(os.path.join(self.dir, "index.txt"), b"")
            ns.write_file(os.path.join(self.dir, "crlnumber"), b"01\n")
            self.config = os.path.join(self.dir, "ca.cnf")
            ns.write_file(self.config, self.CONFIG.format(
                dir=self.dir, delta_url=base + "/delta.crl").encode("ascii"))
            self.crls = 0

        def openssl(self, *args):
            p = subprocess.run(["openssl"] + list(args), capture_output=True, timeout=60,
                               env=dict(os.environ, OPENSSL_CONF="/dev/null"))
            if p.returncode != 0:
                raise Failure("openssl %s: %s" % (" ".join(args[:2]),
                                                  p.stderr.decode("utf-8", "replace")[-400:]))

        def ca(self, *args):
            self.openssl("ca", "-config", self.config, "-cert", os.path.join(work, "root.pem"),
                         "-keyfile", os.path.join(work, "root.key"), "-batch", *args)

        def revoke(self, leaf, *how):
            path = os.path.join(self.dir, "%x.pem" % leaf.cert.serial_number)
            ns.write_file(path, ns.pem(leaf.cert))
            self.ca("-revoke", path, *how)

        def lift_hold(self, leaf):
            """The index line of a held leaf turned into removeFromCRL, as
            gen.sh's awk does (openssl ca has no option for it)."""
            index = os.path.join(self.dir, "index.txt")
            with open(index) as f:
                lines = [l.rstrip("\n").split("\t") for l in f]
            for l in lines:
                if int(l[3], 16) == leaf.cert.serial_number:
                    l[2] = l[2].split(",")[0] + ",removeFromCRL"
            ns.write_file(index, "".join("\t".join(l) + "\n" for l in lines).encode())

        def gencrl(self, *extra):
            """The next CRL: its DER bytes, and the paths of its PEM and DER files."""
            self.crls += 1
            pem_path = os.path.join(self.dir, "crl-%d.pem" % self.crls)
            der_path = os.path.join(self.dir, "crl-%d.der" % self.crls)
            self.ca("-gencrl", "-out", pem_path, *extra)
            self.openssl("crl", "-in", pem_path, "-outform", "DER", "-out", der_path)
            with open(der_path, "rb") as f:
                return f.read(), pem_path, der_path

    full = {}

    def openssl_full_crl():
        """ca-key-compromise revoked (keyCompromise), ca-hold on hold
        (certificateHold, holdInstructionReject), ca-good not listed."""
        if not full:
            ca = OpensslCA("ca-full")
            ca.revoke(ca_kc, "-crl_reason", "keyCompromise")
            ca.revoke(ca_hold, "-crl_hold", "holdInstructionReject")
            full["der"], full["pem_path"], full["der_path"] = ca.gencrl()
        return full["der"], full["pem_path"], full["der_path"]

    @case("openssl ca -gencrl CRL over HTTP: good passes, keyCompromise revoked, "
          "certificateHold revoked")
    def _():
        der = openssl_full_crl()[0]
        state.ocsp, state.crl, state.files = (lambda s: None), None, {"/openssl.crl": der}
        expect(ca_good_sig, 0, "NV_OK", ["openssl.crl"])
        expect(ca_kc_sig, 1, "NV_E_CERT_REVOKED", ["openssl.crl"])
        expect(ca_hold_sig, 1, "NV_E_CERT_REVOKED", ["openssl.crl"])

    @case("delta CRL: a hold lifted by removeFromCRL in the delta passes; a revocation only "
          "in the delta fails; a delta whose base number is too new -> unknown")
    def _():
        ca = OpensslCA("ca-delta")
        ca.revoke(d_unhold, "-crl_hold", "holdInstructionReject")
        ca.revoke(d_leaf, "-crl_hold", "holdInstructionReject")
        base_crl = ca.gencrl("-crlexts", "crl_base")[0]        # number 1, freshestCRL
        plain_base = ca.gencrl()[0]                            # number 2, no freshestCRL
        ca.lift_hold(d_unhold)
        ca.lift_hold(d_leaf)
        ca.revoke(d_later, "-crl_reason", "keyCompromise")
        delta_crl = ca.gencrl("-crlexts", "crl_delta")[0]      # number 3, base 1
        too_new = ca.gencrl("-crlexts", "crl_delta_bad")[0]    # number 4, needs base 9
        state.ocsp, state.crl = (lambda s: None), None
        state.files = {"/base.crl": base_crl, "/plain-base.crl": plain_base,
                       "/delta.crl": delta_crl}
        both = ["base.crl", "delta.crl"]
        expect(d_good_sig, 0, "NV_OK", both)
        expect(d_unhold_sig, 0, "NV_OK", both)
        expect(d_later_sig, 1, "NV_E_CERT_REVOKED", both)
        expect(d_leaf_sig, 0, "NV_OK", ["plain-base.crl", "delta.crl"])
        state.files["/delta.crl"] = too_new
        expect(d_good_sig, 1, "NV_E_REVOCATION_UNKNOWN", both)
        del state.files["/delta.crl"]  # a delta that cannot be had
        expect(d_good_sig, 1, "NV_E_REVOCATION_UNKNOWN", both)
        expect(d_leaf_sig, 1, "NV_E_REVOCATION_UNKNOWN", ["plain-base.crl", "delta.crl"])

    @case("the on-disk cache answers on a second run with the server stopped")
    def _():
        state2 = State()
        srv2 = serve(state2)
        url2 = "http://127.0.0.1:%d/root.crl" % srv2.server_address[1]
        _leaf, sig = sign_with("cached", crl_url=url2)
        cache = os.path.join(work, "crl-cache")
        os.mkdir(cache)
        use_cache = ["--revocation-cache", cache]
        try:
            state2.crl = crl()
            expect(sig, 0, "NV_OK", ["root.crl"], use_cache, st=state2)
            want = ["crl-" + hashlib.sha256(url2.encode("ascii")).hexdigest()]
            if os.listdir(cache) != want:
                raise Failure("cache holds %r, want %r" % (os.listdir(cache), want))
        finally:
            srv2.shutdown()
            srv2.server_close()
        expect(sig, 0, "NV_OK", [], use_cache, st=state2)
        expect(sig, 1, "NV_E_REVOCATION_UNKNOWN", [], st=state2)  # no cache: the server is gone

    @case("offline: --revocation-offline with --crl preloaded answers, with no request made; "
          "without --crl unknown")
    def _():
        der, pem_path, der_path = openssl_full_crl()
        # the server would answer everything
        state.ocsp, state.crl = ocsp_answer(by_serial()), crl()
        state.files = {"/openssl.crl": der}
        off = ["--revocation-offline"]
        expect(ca_good_sig, 0, "NV_OK", [], off + ["--crl", pem_path])
        expect(ca_good_sig, 0, "NV_OK", [], off + ["--crl", der_path])
        expect(ca_kc_sig, 1, "NV_E_CERT_REVOKED", [], off + ["--crl", pem_path])
        expect(ca_hold_sig, 1, "NV_E_CERT_REVOKED", [], off + ["--crl", der_path])
        expect(ca_good_sig, 1, "NV_E_REVOCATION_UNKNOWN", [], off)
        # a leaf with an OCSP responder too: no OCSP request either
        root_crl = os.path.join(work, "root-offline.crl")
        ns.write_file(root_crl, crl((RS,)))
        expect(good_sig, 1, "NV_E_REVOCATION_UNKNOWN", [], off)
        expect(good_sig, 0, "NV_OK", [], off + ["--crl", root_crl])
        expect(revoked_sig, 1, "NV_E_CERT_REVOKED", [], off + ["--crl", root_crl])
        # the CRL of another issuer's key does not answer
        other_crl = os.path.join(work, "other-offline.crl")
        ns.write_file(other_crl, crl(key=other.key))
        expect(good_sig, 1, "NV_E_REVOCATION_UNKNOWN", [], off + ["--crl", other_crl])

    @case("nothing listens: unknown")
    def _():
        srv.shutdown()
        srv.server_close()
        expect(good_sig, 1, "NV_E_REVOCATION_UNKNOWN")

    def stop_server():
        try:
            srv.shutdown()
        except OSError:
            pass

    return cases.run(work, stop_server)


if __name__ == "__main__":
    sys.exit(main())
