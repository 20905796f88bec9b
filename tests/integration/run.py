#!/usr/bin/python3
"""Integration tests: notaryc verify against real and hostile registries.

    /usr/bin/python3 tests/integration/run.py GROUP --notaryc BUILD/tools/notaryc \
        [--source-root DIR]

GROUP is one of
  harness-plain    docker-registry over plain HTTP: starts, takes curl pushes,
                   serves them back byte for byte, stops (harness self-test)
  harness-tls      the same over TLS (CA and server certificate made here with
                   openssl) with htpasswd Basic auth; checks 401s and that an
                   untrusted CA fails curl's handshake
  harness-token    the same with Bearer token auth and token_server.py;
                   checks the challenge, insufficient_scope, bad passwords
  harness-hostile  every misbehaviour of hostile.py, observed with curl
  layouts          the scenario content as OCI image layouts through
                   `notaryc verify --oci-layout` (the same pipeline; pins the
                   per-signature statuses the registry scenarios expect)
  registry-plain   scenarios against docker-registry, plain HTTP
  registry-tls     scenarios against docker-registry, TLS + Basic auth
  registry-token   scenarios against docker-registry, Bearer tokens
  hostile          scenarios against hostile.py (wrong digests, oversized and
                   endless bodies, self-referencing index, endless pagination,
                   a slow response, a redirect to another host)

Exit status: 0 passed, 1 failed, 77 skipped (meson's skip code): a needed
tool is missing, or, for the registry-* and hostile groups, `notaryc verify`
still answers NV_E_UNSUPPORTED for registry references (the registry client
has not landed). Every skip prints "SKIP <why>".
The last line is "GROUP: N passed, N failed, N skipped".

Scenario verifications print "REQUESTS <scenario> <n>": the HTTP requests
one `notaryc verify` made, from the registry's access log (plus the token
server's log) or the hostile server's log.

Environment: NV_IT_KEEP=1 keeps the temporary directories;
NV_IT_FORCE=1 runs the scenario groups even while registry references are
unsupported (to exercise the harness; they then fail).
"""
import argparse
import importlib
import json
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness as H  # noqa: E402
from fixtures import (ARTIFACT_DIGEST, MAX_BLOB, MAX_MANIFEST, MT_INDEX,  # noqa: E402
                      MT_MANIFEST, Fixtures, Repo, digest)
from hostile import HostileRegistry  # noqa: E402

AT = "2027-01-01T00:00:00Z"     # verification time (--at): inside the bench certificates' validity
# Seconds one notaryc verify may take: the registry client's default total
# time-out is 30 s (NV_REGISTRY_DEFAULT_TIMEOUT_MS), so even a server that
# stalls must be given up within these limits.
WALL_LIMIT = 45
SLOW_WALL_LIMIT = 60            # the slow-response case, which runs into that time-out
MAX_RSS_KIB = 512 * 1024        # bounded memory: no body is read unbounded into memory
USER, PASSWORD = "testuser", "testpass"
LIMITED_USER, LIMITED_PASSWORD = "limited", "limitedpass"


# ---------------------------------------------------------------------------
# reporting


class Report:
    def __init__(self, group):
        self.group = group
        self.passed = self.failed = self.skipped = 0

    def ok(self, name, detail=""):
        self.passed += 1
        print("ok   %s%s" % (name, (": " + detail) if detail else ""), flush=True)

    def fail(self, name, why):
        self.failed += 1
        print("FAIL %s: %s" % (name, why), flush=True)

    def skip(self, name, why):
        self.skipped += 1
        print("SKIP %s: %s" % (name, why), flush=True)

    def check(self, name, problems, detail=""):
        if problems:
            self.fail(name, "; ".join(problems))
        else:
            self.ok(name, detail)

    def expect(self, name, cond, why):
        if cond:
            self.ok(name)
        else:
            self.fail(name, why)
        return cond

    def finish(self):
        print("%s: %d passed, %d failed, %d skipped"
              % (self.group, self.passed, self.failed, self.skipped), flush=True)
        if self.failed:
            return 1
        if self.skipped and not self.passed:
            return 77
        return 0


def status_codes(source_root):
    """NV_* name -> number, from the public header."""
    codes = {}
    path = os.path.join(source_root, "include", "notaryc", "nv_errors.h")
    with open(path) as f:
        for m in re.finditer(r"^\s*(NV_[A-Z0-9_]+)\s*=\s*(-?\d+)\s*,", f.read(), re.M):
            codes[m.group(1)] = int(m.group(2))
    return codes


# ---------------------------------------------------------------------------
# running notaryc


class VerifyRun:
    def __init__(self, argv):
        self.argv = argv
        self.rc = None
        self.signal = None
        self.timed_out = False
        self.elapsed = 0.0
        self.maxrss_kib = 0
        self.stdout = ""
        self.stderr = ""
        self.json = None
        self.json_error = None


class Notaryc:
    def __init__(self, exe, workdir, truststore):
        self.exe = os.path.abspath(exe)
        self.workdir = workdir
        self.truststore = truststore
        self.home = os.path.join(workdir, "home")
        os.makedirs(os.path.join(self.home, ".docker"), exist_ok=True)
        self.env = H.clean_env(self.home)
        self._n = 0

    def verify(self, reference, policy, args=(), password=None, limit=WALL_LIMIT):
        argv = [self.exe, "verify", "--trust-policy", policy, "--trust-store", self.truststore,
                "--output", "json", "--at", AT] + list(args) + [reference]
        return self.run(argv, password, limit)

    def run(self, argv, stdin_text=None, limit=WALL_LIMIT):
        """Runs argv with a wall-clock limit; records exit code or signal,
        time and peak RSS (wait4)."""
        self._n += 1
        out_path = os.path.join(self.workdir, "notaryc-%d.out" % self._n)
        err_path = os.path.join(self.workdir, "notaryc-%d.err" % self._n)
        r = VerifyRun(argv)
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            start = time.monotonic()
            p = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin_text is not None
                                 else subprocess.DEVNULL, stdout=out, stderr=err, env=self.env,
                                 preexec_fn=H._pdeathsig)
            killer = H.on_cleanup(lambda: _kill(p.pid))
            if stdin_text is not None:
                try:
                    p.stdin.write(stdin_text.encode() + b"\n")
                    p.stdin.close()
                except (BrokenPipeError, OSError):
                    pass
            status, rusage = None, None
            while True:
                pid, st, ru = os.wait4(p.pid, os.WNOHANG)
                if pid == p.pid:
                    status, rusage = st, ru
                    break
                if time.monotonic() - start > limit:
                    r.timed_out = True
                    _kill(p.pid)
                    _, status, rusage = os.wait4(p.pid, 0)
                    break
                time.sleep(0.01)
            p.returncode = 0  # reaped here; keep Popen from waiting again
            H.forget(killer)
            r.elapsed = time.monotonic() - start
            r.maxrss_kib = rusage.ru_maxrss
            if os.WIFSIGNALED(status):
                r.signal = os.WTERMSIG(status)
            else:
                r.rc = os.WEXITSTATUS(status)
        with open(out_path, "rb") as f:
            r.stdout = f.read().decode("utf-8", "replace")
        with open(err_path, "rb") as f:
            r.stderr = f.read().decode("utf-8", "replace")
        try:
            r.json = json.loads(r.stdout)
            if not isinstance(r.json, dict):
                r.json, r.json_error = None, "stdout is JSON but not an object"
        except ValueError as e:
            r.json_error = "stdout is not JSON (%s): %r" % (e, r.stdout[:300])
        return r


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _names(spec):
    return (spec,) if isinstance(spec, str) else tuple(spec)


CHECK_KEYS = ("integrity", "authenticity", "authenticTimestamp", "expiry", "revocation")
EXIT_FOR = {0: "verified", 1: "not verified", 2: "usage or operational error", 3: "skipped"}


def judge(r, codes, exit_code, status, sigs=None, media_types=None, limit=WALL_LIMIT):
    """Problems with run r, given the expected exit code, top-level status
    name(s) and per-signature status names (each a name or a tuple of
    accepted names), in order. [] means it is as expected."""
    p = []
    if r.timed_out:
        return ["no answer within the %d s wall-clock limit (killed)" % limit]
    if r.signal is not None:
        return ["killed by signal %d (a crash)" % r.signal]
    if r.rc not in EXIT_FOR:
        return ["exit code %d is outside 0..3" % r.rc]
    if r.maxrss_kib > MAX_RSS_KIB:
        p.append("peak RSS %d KiB is over %d KiB" % (r.maxrss_kib, MAX_RSS_KIB))
    if r.json is None:
        return p + ["exit %d, %s; stderr: %s" % (r.rc, r.json_error, r.stderr.strip()[-400:])]
    j = r.json
    got_status = j.get("status")
    if r.rc != exit_code:
        p.append("exit %d (%s), want %d (%s)" % (r.rc, EXIT_FOR[r.rc], exit_code,
                                                  EXIT_FOR[exit_code]))
    if got_status not in _names(status):
        p.append("status %s (%s), want %s" % (got_status, j.get("message"),
                                             " or ".join(_names(status))))
    if got_status in codes and j.get("code") != codes[got_status]:
        p.append("code %r does not match %s = %d" % (j.get("code"), got_status,
                                                     codes[got_status]))
    if j.get("verified") is not (exit_code == 0):
        p.append("verified is %r" % j.get("verified"))
    for key in ("reference", "digest", "verified", "status", "code", "message", "policy",
                "warnings", "signatures"):
        if key not in j:
            p.append("member %s missing" % key)
    if exit_code == 0 and j.get("digest") != ARTIFACT_DIGEST:
        p.append("digest %r, want %s" % (j.get("digest"), ARTIFACT_DIGEST))
    if exit_code == 0 and (j.get("policy") or {}).get("name") != "integration":
        p.append("policy %r, want the statement 'integration'" % (j.get("policy"),))
    got_sigs = j.get("signatures") or []
    if sigs is not None:
        names = [s.get("status") for s in got_sigs]
        if len(names) != len(sigs) or any(n not in _names(w) for n, w in zip(names, sigs)):
            p.append("signature statuses %s, want %s" % (
                names, ["|".join(_names(w)) for w in sigs]))
    for i, s in enumerate(got_sigs):
        st = s.get("status")
        if st in codes and s.get("code") != codes[st]:
            p.append("signature %d: code %r does not match %s" % (i, s.get("code"), st))
        if st == "NV_OK":
            for key in ("manifest_digest", "media_type", "signing_scheme", "signer"):
                if not s.get(key):
                    p.append("signature %d: member %s empty" % (i, key))
            if "CN=Notary Bench RSA-3072 Signer" not in (s.get("signer") or ""):
                p.append("signature %d: signer %r" % (i, s.get("signer")))
            checks = s.get("checks") or {}
            for key in CHECK_KEYS:
                c = checks.get(key)
                if not isinstance(c, dict) or any(k not in c for k in (
                        "action", "outcome", "status", "code", "message")):
                    p.append("signature %d: checks.%s incomplete: %r" % (i, key, c))
            if (checks.get("integrity") or {}).get("outcome") != "passed":
                p.append("signature %d: integrity not passed" % i)
    if media_types is not None:
        got_mt = [s.get("media_type") for s in got_sigs]
        if got_mt != list(media_types):
            p.append("media types %s, want %s" % (got_mt, list(media_types)))
    return p


def brief(r):
    if r.json is None:
        return "exit %s" % r.rc
    return "exit %d %s, %d signature(s) [%s], %.2f s, %d KiB" % (
        r.rc, r.json.get("status"), len(r.json.get("signatures") or []),
        ", ".join(s.get("status", "?") for s in r.json.get("signatures") or []),
        r.elapsed, r.maxrss_kib)


# ---------------------------------------------------------------------------
# the scenario content (shared by layouts, registries and the hostile server)


def build_repos(fx):
    """repository name -> Repo, with the referrers tag index finished."""
    repos = {}

    def repo(name):
        repos[name] = Repo(fx, name)
        return repos[name]

    repo("int/jws").sign("rsa-jws")
    repo("int/cose").sign("rsa-cose")
    r = repo("int/later-valid")
    r.sign("tampered-jws")
    r.sign("ec-jws")
    r.sign("rsa-cose")
    repo("int/unsigned")
    r = repo("int/many")
    r.sign("tampered-jws", created="2026-11-27T05:31:01Z")
    r.sign("ec-jws", created="2026-11-27T05:31:02Z")
    r.sign("tampered-jws", created="2026-11-27T05:31:03Z")
    r.sign("rsa-jws", created="2026-11-27T05:31:04Z")
    r = repo("int/selfref")
    # the index lists the subject itself (as a signature), then a good one
    r.add_raw_entry(dict(fx.subject, artifactType="application/vnd.cncf.notary.signature"))
    r.sign("rsa-jws")
    r = repo("int/selfref-only")
    r.add_raw_entry(dict(fx.subject, artifactType="application/vnd.cncf.notary.signature"))
    r = repo("int/sig-too-large")
    r.sign("rsa-jws", entry_size=MAX_MANIFEST + 1)
    r = repo("int/blob-too-large")
    r.sign("rsa-jws", layer_size=MAX_BLOB + 1)
    for r in repos.values():
        r.finish()
    return repos


class Scenario:
    def __init__(self, name, repo, ref, exit_code, status, sigs=None, args=(), media_types=None,
                 never_fetched=None, count=False):
        self.name, self.repo, self.ref = name, repo, ref
        self.exit_code, self.status, self.sigs = exit_code, status, sigs
        self.args = list(args)
        self.media_types = media_types
        self.never_fetched = never_fetched  # a function of the Repo: digests never requested
        self.count = count


JWS, COSE = "application/jose+json", "application/cose"
# The reference envelopes' failures under the integration policy (pinned by
# the layouts group): a flipped signature byte, and a chain ending at the
# P-256 root that the policy's store does not hold.
TAMPERED = "NV_E_SIGNATURE_INVALID"
UNTRUSTED = "NV_E_CHAIN_NOT_TRUSTED"


def common_scenarios():
    return [
        Scenario("tag-jws", "int/jws", "tag", 0, "NV_OK", ["NV_OK"], media_types=[JWS],
                 count=True),
        Scenario("digest-jws", "int/jws", "digest", 0, "NV_OK", ["NV_OK"], media_types=[JWS]),
        Scenario("tag-cose", "int/cose", "tag", 0, "NV_OK", ["NV_OK"], media_types=[COSE]),
        Scenario("digest-cose", "int/cose", "digest", 0, "NV_OK", ["NV_OK"],
                 media_types=[COSE], count=True),
        Scenario("later-valid", "int/later-valid", "tag", 0, "NV_OK",
                 [TAMPERED, UNTRUSTED, "NV_OK"], media_types=[JWS, JWS, COSE], count=True),
        Scenario("no-signatures", "int/unsigned", "tag", 1, "NV_E_NO_SIGNATURES", [],
                 count=True),
        Scenario("attempt-limit", "int/many", "digest", 1, "NV_E_MAX_SIGNATURE_ATTEMPTS",
                 [TAMPERED, UNTRUSTED], args=["--max-signatures", "2"],
                 never_fetched=lambda r: r.signatures[2:]),
        Scenario("attempt-limit-reached-valid", "int/many", "digest", 0, "NV_OK",
                 [TAMPERED, UNTRUSTED, TAMPERED, "NV_OK"], args=["--max-signatures", "4"]),
        # An index entry naming the subject itself is refused as a signature
        # (the OCI-layout path's behaviour, pinned by the layouts group): it
        # is recorded and skipped, and never fetched again as a signature.
        Scenario("selfref-tag-index", "int/selfref", "tag", 0, "NV_OK",
                 ["NV_E_SIG_MANIFEST_SUBJECT", "NV_OK"]),
        Scenario("selfref-only-tag-index", "int/selfref-only", "digest", 1,
                 "NV_E_VERIFICATION_FAILED", ["NV_E_SIG_MANIFEST_SUBJECT"]),
        Scenario("sig-manifest-declared-too-large", "int/sig-too-large", "tag", 1,
                 "NV_E_VERIFICATION_FAILED", ["NV_E_SIG_MANIFEST_TOO_LARGE"],
                 never_fetched=lambda r: r.signatures),
        Scenario("blob-declared-too-large", "int/blob-too-large", "tag", 1,
                 "NV_E_VERIFICATION_FAILED", ["NV_E_SIG_BLOB_TOO_LARGE"],
                 never_fetched=lambda r: [d for d in r.blobs if d.startswith("sha256:")
                                          and d != digest(b"{}")]),
    ]


def reference(host, repo, ref):
    return "%s/%s%s" % (host, repo, ":v1" if ref == "tag" else "@" + ARTIFACT_DIGEST)


# ---------------------------------------------------------------------------
# the registry-support gate


def probe_registry_support(nc, fx, work):
    """None when `notaryc verify` takes registry references and the registry
    flags; else why not. Skips only while the library answers
    NV_E_UNSUPPORTED for a registry reference, or the CLI refuses the
    registry flags as arriving "in a later release" (both must land); any
    other answer runs the scenarios, which then pass or fail."""
    if os.environ.get("NV_IT_FORCE"):
        return None
    probe = "127.0.0.1:%d/nv-it/probe" % H.free_port()  # nothing listens there
    policy = fx.policy([probe], os.path.join(work, "probe-policy.json"))
    r = nc.verify(probe + ":v1", policy, ["--plain-http"], limit=30)
    if r.rc == 2 and r.json is not None and r.json.get("status") == "NV_E_UNSUPPORTED":
        return "notaryc verify answers NV_E_UNSUPPORTED for registry references (%s)" % (
            r.json.get("message"),)
    if r.rc == 2 and r.json is None and "later release" in r.stderr:
        r2 = nc.verify(probe + ":v1", policy, [], limit=30)
        lib = ("the library answers NV_E_UNSUPPORTED too" if r2.json is not None and
               r2.json.get("status") == "NV_E_UNSUPPORTED" else
               "the library already takes them: %s" % (
                   r2.json.get("status") if r2.json is not None else "exit %s" % r2.rc))
        return "the notaryc CLI refuses the registry flags (%s); %s" % (
            r.stderr.strip().splitlines()[0], lib)
    return None


def skip_all(rep, names, why):
    print("SKIP %s: waiting for the registry client: %s" % (rep.group, why), flush=True)
    for n in names:
        rep.skip(n, "waiting for the registry client (see above)")


# ---------------------------------------------------------------------------
# groups: harness self-tests


def push_all(curl, repos, rep, label):
    for r in repos.values():
        try:
            r.push(curl)
        except (H.CurlError, RuntimeError, KeyError) as e:
            rep.fail("%s push %s" % (label, r.name), str(e))
            return False
    rep.ok("%s push" % label, "%d repositories, %d manifests, %d blobs via curl" % (
        len(repos), sum(len(r.manifests) for r in repos.values()),
        sum(len(r.blobs) for r in repos.values())))
    return True


def read_back(curl, repos, rep, label):
    problems = []
    n = 0
    for r in repos.values():
        for tag, d in r.tags.items():
            hdrs, body = curl.get_manifest(r.name, tag)
            n += 1
            if body != r.manifests[d][1]:
                problems.append("%s:%s differs" % (r.name, tag))
            if hdrs.get("docker-content-digest") != d:
                problems.append("%s:%s Docker-Content-Digest %r" % (
                    r.name, tag, hdrs.get("docker-content-digest")))
        for d, (mt, data) in r.manifests.items():
            hdrs, body = curl.get_manifest(r.name, d)
            n += 1
            if body != data:
                problems.append("%s@%s differs" % (r.name, d))
            if hdrs.get("content-type") != mt:
                problems.append("%s@%s Content-Type %r" % (r.name, d, hdrs.get("content-type")))
        for d, data in r.blobs.items():
            n += 1
            if curl.get_blob(r.name, d) != data:
                problems.append("blob %s in %s differs" % (d, r.name))
    rep.check("%s read back" % label, problems, "%d objects byte-identical" % n)


def stop_and_check(reg, rep, label):
    pid, port = reg.proc.pid, reg.port
    reg.stop()
    gone = True
    try:
        os.kill(pid, 0)
        gone = False
    except ProcessLookupError:
        pass
    rep.expect("%s stop" % label, gone and not H.port_open(port),
               "PID %d still running or port %d still open" % (pid, port))


def group_harness_plain(a, rep, work, fx):
    repos = build_repos(fx)
    reg = H.Registry(work.path, "plain").start()
    rep.ok("plain start", "PID %d on %s" % (reg.proc.pid, reg.host))
    curl = H.Curl(reg.base, work.path)
    if push_all(curl, repos, rep, "plain"):
        read_back(curl, repos, rep, "plain")
        # facts the client relies on (toolchain.md section 6)
        code, hdrs, body, _ = curl.raw("GET", "/v2/int/jws/referrers/" + ARTIFACT_DIGEST)
        rep.expect("plain has no Referrers API", code == 404 and b"404 page not found" in body,
                   "GET referrers: HTTP %d %r" % (code, body[:80]))
        code, _, body, _ = curl.raw("GET", "/v2/int/jws/manifests/v1")
        rep.expect("plain needs an Accept header for OCI manifests", code == 404,
                   "GET without Accept: HTTP %d" % code)
        mark = len(reg.access_log_lines())
        curl.get_manifest("int/jws", "v1")
        seen = reg.requests_since(mark)
        rep.expect("plain request counting", seen == ["GET /v2/int/jws/manifests/v1 HTTP/1.1"],
                   "access log after one GET: %r" % seen)
    stop_and_check(reg, rep, "plain")


def group_harness_tls(a, rep, work, fx):
    pki = H.Pki(work.join("pki"))
    rep.ok("tls pki", "CA, server certificate (IP:127.0.0.1, DNS:localhost), untrusted CA")
    repos = build_repos(fx)
    reg = H.Registry(work.path, "tls-basic", pki=pki, users={USER: PASSWORD}).start()
    rep.ok("tls start", "PID %d on %s" % (reg.proc.pid, reg.base))
    curl = H.Curl(reg.base, work.path, cacert=pki.ca_crt, auth=("basic", USER, PASSWORD))
    if push_all(curl, repos, rep, "tls"):
        read_back(curl, repos, rep, "tls")
    anon = H.Curl(reg.base, work.path, cacert=pki.ca_crt)
    code, hdrs, _, _ = anon.raw("GET", "/v2/int/jws/manifests/v1",
                                ["Accept: " + H.ACCEPT_MANIFESTS])
    rep.expect("tls anonymous gets a Basic challenge",
               code == 401 and hdrs.get("www-authenticate", "").startswith("Basic"),
               "HTTP %d %r" % (code, hdrs.get("www-authenticate")))
    bad = H.Curl(reg.base, work.path, cacert=pki.ca_crt, auth=("basic", USER, "wrong"))
    code, _, _, _ = bad.raw("GET", "/v2/int/jws/manifests/v1", ["Accept: " + H.ACCEPT_MANIFESTS])
    rep.expect("tls wrong password is 401", code == 401, "HTTP %d" % code)
    for label, cacert in (("no CA", None), ("another CA", pki.other_ca_crt)):
        c = H.Curl(reg.base, work.path, cacert=cacert, auth=("basic", USER, PASSWORD))
        _, _, _, rc = c.raw("GET", "/v2/")
        rep.expect("tls untrusted (%s) fails the handshake" % label, rc == 60,
                   "curl exit %d, want 60" % rc)
    c = H.Curl(reg.base, work.path, insecure=True, auth=("basic", USER, PASSWORD))
    code, _, _, _ = c.raw("GET", "/v2/")
    rep.expect("tls -k reaches the registry", code == 200, "HTTP %d" % code)
    stop_and_check(reg, rep, "tls")


def start_token_registry(work):
    pki = H.Pki(work.join("pki"))
    from token_server import TokenServer
    ts = TokenServer(pki.token_key, pki.token_crt, "notaryc-it-token-issuer", "notaryc-it",
                     {USER: (PASSWORD, ["*"], ["pull", "push"]),
                      LIMITED_USER: (LIMITED_PASSWORD, ["int/other"], ["pull"])}).start()
    H.on_cleanup(ts.stop)
    reg = H.Registry(work.path, "token", pki=pki, token_realm=ts.realm,
                     token_service="notaryc-it", token_issuer="notaryc-it-token-issuer").start()
    return pki, ts, reg


def need_cryptography():
    try:
        importlib.import_module("cryptography")
    except ImportError:
        raise H.Skip("python3-cryptography is not installed for %s (the token server "
                     "signs ES256 JWTs with it; run with /usr/bin/python3)" % sys.executable)


def group_harness_token(a, rep, work, fx):
    need_cryptography()
    repos = build_repos(fx)
    _, ts, reg = start_token_registry(work)
    rep.ok("token start", "registry PID %d on %s, token server %s" % (
        reg.proc.pid, reg.host, ts.realm))
    anon = H.Curl(reg.base, work.path)
    code, hdrs, _, _ = anon.raw("GET", "/v2/int/jws/manifests/v1",
                                ["Accept: " + H.ACCEPT_MANIFESTS])
    ch = H.parse_challenge(hdrs.get("www-authenticate", ""))
    rep.expect("token challenge", code == 401 and ch.get("scheme") == "Bearer"
               and ch.get("realm") == ts.realm and ch.get("service") == "notaryc-it"
               and ch.get("scope") == "repository:int/jws:pull",
               "HTTP %d %r" % (code, hdrs.get("www-authenticate")))
    curl = H.Curl(reg.base, work.path, auth=("bearer", ts.realm, USER, PASSWORD))
    pushed = True
    for r in repos.values():
        curl.token = None  # one token per repository, as scopes are per repository
        try:
            r.push(curl)
        except (H.CurlError, RuntimeError) as e:
            rep.fail("token push %s" % r.name, str(e))
            pushed = False
            break
    if pushed:
        rep.ok("token push", "%d repositories with pull,push tokens" % len(repos))
        reader = H.Curl(reg.base, work.path, auth=("bearer", ts.realm, USER, PASSWORD))
        for r in repos.values():
            reader.token = None
            read_back(reader, {r.name: r}, rep, "token %s" % r.name)
    limited = H.Curl(reg.base, work.path, auth=("bearer", ts.realm, LIMITED_USER,
                                                LIMITED_PASSWORD))
    try:
        limited.request("GET", "/v2/int/jws/manifests/v1", ["Accept: " + H.ACCEPT_MANIFESTS])
        rep.fail("token insufficient scope", "the limited user read int/jws")
    except H.CurlError:
        code, hdrs, _, _ = limited.raw("GET", "/v2/int/jws/manifests/v1",
                                       ["Accept: " + H.ACCEPT_MANIFESTS])
        rep.expect("token insufficient scope",
                   code == 401 and 'error="insufficient_scope"' in hdrs.get(
                       "www-authenticate", ""),
                   "HTTP %d %r" % (code, hdrs.get("www-authenticate")))
    wrong = H.Curl(reg.base, work.path, auth=("bearer", ts.realm, USER, "wrong"))
    try:
        wrong.request("GET", "/v2/int/jws/manifests/v1", ["Accept: " + H.ACCEPT_MANIFESTS])
        rep.fail("token wrong password", "a wrong password got a token")
    except H.CurlError as e:
        rep.expect("token wrong password", "token request failed" in str(e), str(e))
    log = ts.requests()
    rep.expect("token server log", any(e["status"] == 401 for e in log)
               and any(e["status"] == 200 for e in log),
               "%d entries" % len(log))
    stop_and_check(reg, rep, "token")
    ts.stop()


def group_harness_hostile(a, rep, work, fx):
    repos = build_repos(fx)
    jws = repos["int/jws"]
    sig = jws.signatures[0]
    env = fx.envelopes["rsa-jws"]
    big = MAX_MANIFEST + 1
    mis = {
        ("manifest", ARTIFACT_DIGEST): ("wrong-body", fx.envelopes["rsa-cose"].data),
        ("manifest", "v1"): ("huge-length", big),
        ("blob", env.digest): ("short-length", 100),
        ("manifest", sig): ("no-length",),
        ("blob", digest(b"{}")): ("chunked-endless",),
    }
    h = HostileRegistry([jws], mis, referrers_api=True, junk_cap=64 << 20).start()
    H.on_cleanup(h.stop)
    c = H.Curl(h.base, work.path)
    code, hdrs, body, _ = c.raw("GET", "/v2/int/jws/manifests/" + ARTIFACT_DIGEST,
                                ["Accept: " + H.ACCEPT_MANIFESTS])
    rep.expect("hostile wrong-body", code == 200 and digest(body) != ARTIFACT_DIGEST
               and hdrs.get("docker-content-digest") == ARTIFACT_DIGEST,
               "HTTP %d, body %s" % (code, digest(body)))
    # curl with a size cap shows what a client without one would read
    for label, url, want in (
            ("huge-length", "/v2/int/jws/manifests/v1", str(big)),
            ("no-length", "/v2/int/jws/manifests/" + sig, None),
            ("chunked-endless", "/v2/int/jws/blobs/" + digest(b"{}"), None)):
        r = H.run(["curl", "-sS", "--noproxy", "*", "--max-time", "5", "-D", "-", "-o",
                   os.devnull, "-w", "%{size_download}", h.base + url,
                   "--max-filesize", str(1 << 20)], timeout=30)
        out = r.stdout.decode("latin-1")
        m = re.search(r"content-length:\s*(\d+)", out, re.I)
        size = int(out.strip().splitlines()[-1]) if out.strip() else 0
        if want is not None:
            ok = m is not None and m.group(1) == want and r.returncode == 63
            why = "curl exit %d, Content-Length %s" % (r.returncode, m and m.group(1))
        else:
            # no length, and far more than any limit arrives (until curl's
            # time-out, its --max-filesize where enforced, or the junk cap)
            ok = m is None and size >= (4 << 20)
            why = "curl exit %d, Content-Length %s, %d bytes read" % (
                r.returncode, m and m.group(1), size)
        rep.expect("hostile %s" % label, ok, why)
    code, hdrs, body, rc = c.raw("GET", "/v2/int/jws/blobs/" + env.digest)
    rep.expect("hostile short-length", hdrs.get("content-length") == "100" and len(body) == 100
               and body == env.data[:100], "Content-Length %r, %d bytes" % (
                   hdrs.get("content-length"), len(body)))
    code, hdrs, body, _ = c.raw("GET", "/v2/int/jws/referrers/" + ARTIFACT_DIGEST +
                                "?artifactType=application%2Fvnd.cncf.notary.signature")
    idx = json.loads(body) if code == 200 else {}
    rep.expect("hostile referrers API", code == 200 and hdrs.get("content-type") == MT_INDEX
               and hdrs.get("oci-filters-applied") == "artifactType"
               and [m["digest"] for m in idx.get("manifests", [])] == [sig],
               "HTTP %d %r" % (code, body[:200]))
    h.stop()
    rep.expect("hostile stop", not H.port_open(h.port), "port %d still open" % h.port)

    # pagination forever, drip, stall, auth and the redirect to another host
    b = HostileRegistry([jws]).start()
    H.on_cleanup(b.stop)
    mis = {("manifest", "v1"): ("drip", 0.5), ("manifest", sig): ("stall",),
           ("blob", env.digest): ("redirect", "http://localhost:%d/" % b.port)}
    h = HostileRegistry([jws], mis, referrers_api=True, paginate_forever=True,
                        auth=(USER, PASSWORD)).start()
    H.on_cleanup(h.stop)
    c = H.Curl(h.base, work.path, auth=("basic", USER, PASSWORD))
    url, pages = "/v2/int/jws/referrers/" + ARTIFACT_DIGEST, 0
    for _ in range(5):
        code, hdrs, body, _ = c.raw("GET", url)
        m = re.match(r'<([^>]+)>;\s*rel="next"', hdrs.get("link", ""))
        if code != 200 or not m:
            break
        pages += 1
        url = m.group(1)
    rep.expect("hostile endless pagination", pages == 5, "%d pages had a next Link" % pages)
    for label, url in (("drip", "/v2/int/jws/manifests/v1"),
                       ("stall", "/v2/int/jws/manifests/" + sig)):
        t0 = time.monotonic()
        r = H.run(["curl", "-sS", "--noproxy", "*", "--max-time", "1.5", "-u",
                   "%s:%s" % (USER, PASSWORD), "-o", os.devnull, h.base + url], timeout=30)
        rep.expect("hostile %s" % label, r.returncode == 28 and time.monotonic() - t0 < 10,
                   "curl exit %d (want 28, time-out)" % r.returncode)
    code, _, _, _ = H.Curl(h.base, work.path).raw("GET", "/v2/")
    rep.expect("hostile auth", code == 401, "anonymous GET /v2/: HTTP %d" % code)
    code, hdrs, _, _ = c.raw("GET", "/v2/int/jws/blobs/" + env.digest)
    rep.expect("hostile redirect", code == 307 and hdrs.get("location") ==
               "http://localhost:%d/v2/int/jws/blobs/%s" % (b.port, env.digest),
               "HTTP %d Location %r" % (code, hdrs.get("location")))
    # the leak detector detects: curl -L drops the credentials on another host,
    # --location-trusted sends them, and the second server's log tells which
    for label, extra, leaked in (("credentials dropped", [], False),
                                 ("leak detected", ["--location-trusted"], True)):
        before = len(b.requests())
        r = H.run(["curl", "-sS", "--noproxy", "*", "--max-time", "10", "-L", "-u",
                   "%s:%s" % (USER, PASSWORD), "-o", work.join("redirected")] + extra +
                  [h.base + "/v2/int/jws/blobs/" + env.digest], timeout=30)
        got = b.requests()[before:]
        with open(work.join("redirected"), "rb") as f:
            body = f.read()
        rep.expect("hostile redirect, %s" % label,
                   r.returncode == 0 and body == env.data and len(got) == 1
                   and ("authorization" in got[0]["headers"]) == leaked,
                   "curl exit %d, %d requests at the other host, headers %r" % (
                       r.returncode, len(got), got and sorted(got[0]["headers"])))
    h.stop()
    b.stop()


# ---------------------------------------------------------------------------
# groups: scenarios


def run_scenario(rep, codes, label, sc, r, fetched=None, repo=None, limit=WALL_LIMIT,
                 name=None):
    problems = judge(r, codes, sc.exit_code, sc.status, sc.sigs, sc.media_types, limit)
    if sc.never_fetched is not None and fetched is not None:
        for d in sc.never_fetched(repo):
            hits = [l for l in fetched if d in l]
            if hits:
                problems.append("fetched %s although its declared size or the attempt limit "
                                "forbids it: %s" % (d, hits[0]))
    rep.check("%s %s" % (label, name or sc.name), problems, brief(r))
    return not problems


def print_requests(label, lines):
    print("REQUESTS %s %d" % (label, len(lines)), flush=True)
    for l in lines:
        print("    %s" % l, flush=True)


def group_layouts(a, rep, work, fx, codes):
    nc = Notaryc(a.notaryc, work.path, fx.truststore)
    repos = build_repos(fx)
    scopes = ["127.0.0.1:5000/" + n for n in repos]
    policy = fx.policy(scopes, work.join("policy.json"))
    for sc in common_scenarios():
        path = repos[sc.repo].write_layout(work.join("layout-" + sc.repo.replace("/", "-")))
        ref = path + (":v1" if sc.ref == "tag" else "@" + ARTIFACT_DIGEST)
        r = nc.verify(ref, policy, ["--oci-layout", "--scope", "127.0.0.1:5000/" + sc.repo]
                      + sc.args)
        run_scenario(rep, codes, "layout", sc, r)
    judge_self_test(rep, codes, nc)


def judge_self_test(rep, codes, nc):
    """The checks themselves catch a crash, a bad exit code, a hang, output
    that is not the result object, and unbounded memory."""
    py = sys.executable
    cases = [
        ("a signal", ["/bin/sh", "-c", "kill -SEGV $$"], 5, "killed by signal"),
        ("exit 4", ["/bin/sh", "-c", "exit 4"], 5, "outside 0..3"),
        ("a hang", ["/bin/sleep", "30"], 1, "wall-clock limit"),
        ("not JSON", ["/bin/sh", "-c", "echo verified"], 5, "not JSON"),
        ("members missing", ["/bin/sh", "-c", "echo '{\"status\":\"NV_OK\",\"code\":0}'"],
         5, "member reference missing"),
        ("wrong code", ["/bin/sh", "-c", "echo '{\"status\":\"NV_OK\",\"code\":-5}'"],
         5, "does not match"),
        ("memory", [py, "-c", "b = b'x' * (600 << 20); print('{}')"], 30, "peak RSS"),
    ]
    for label, argv, limit, want in cases:
        r = nc.run(argv, limit=limit)
        problems = judge(r, codes, 0, "NV_OK", limit=limit)
        rep.expect("judge catches %s" % label, any(want in x for x in problems),
                   "problems %r" % problems)


def group_registry(a, rep, work, fx, codes, mode):
    need_tool_names = [H.REGISTRY_BIN] + (["htpasswd", "openssl"] if mode == "tls-basic" else
                                          ["openssl"] if mode == "token" else [])
    for t in need_tool_names:
        H.need_tool(t)
    if mode == "token":
        need_cryptography()
    nc = Notaryc(a.notaryc, work.path, fx.truststore)
    repos = build_repos(fx)
    label = {"plain": "plain", "tls-basic": "tls", "token": "token"}[mode]
    plan = scenario_plan(mode)
    why = probe_registry_support(nc, fx, work.path)
    if why is not None:
        skip_all(rep, ["%s %s" % (label, p[0]) for p in plan], why)
        return
    ts = pki = None
    if mode == "plain":
        reg = H.Registry(work.path, "plain").start()
        curl = H.Curl(reg.base, work.path)
    elif mode == "tls-basic":
        pki = H.Pki(work.join("pki"))
        reg = H.Registry(work.path, "tls-basic", pki=pki, users={USER: PASSWORD}).start()
        curl = H.Curl(reg.base, work.path, cacert=pki.ca_crt, auth=("basic", USER, PASSWORD))
    else:
        pki, ts, reg = start_token_registry(work)
        curl = H.Curl(reg.base, work.path, auth=("bearer", ts.realm, USER, PASSWORD))
    try:
        for r in repos.values():
            curl.token = None
            r.push(curl)
        policy = fx.policy(["%s/%s" % (reg.host, n) for n in repos], work.join("policy.json"))
        for name, sc, args, password in plan:
            args = [x.format(ca=pki.ca_crt if pki else "", other_ca=pki.other_ca_crt if pki
                             else "") for x in args]
            ref = reference(reg.host, sc.repo, sc.ref)
            mark = len(reg.access_log_lines())
            tmark = len(ts.requests()) if ts else 0
            r = nc.verify(ref, policy, sc.args + args, password=password)
            lines = reg.requests_since(mark)
            if ts:
                lines += ["token: %s %s -> %d" % (e["method"], e["path"], e["status"])
                          for e in ts.requests()[tmark:]]
            ok = run_scenario(rep, codes, label, sc, r, lines, repos.get(sc.repo), name=name)
            if sc.count or not ok:
                print_requests("%s/%s" % (label, name), lines)
    finally:
        reg.stop()
        if ts:
            ts.stop()


def scenario_plan(mode):
    """[(name, Scenario, extra args, password on stdin)]; "{ca}" and
    "{other_ca}" in args are replaced by the CA files."""
    cs = {s.name: s for s in common_scenarios()}
    if mode == "plain":
        return [(s.name, s, ["--plain-http"], None) for s in cs.values()]
    creds = ["--username", USER, "--password-stdin"]
    if mode == "tls-basic":
        auth_fail = Scenario("wrong-password", "int/jws", "tag", 2, "NV_E_REGISTRY_AUTH")
        tls_fail = Scenario("untrusted-ca", "int/jws", "tag", 2, "NV_E_TLS")
        return [
            ("tag-jws", cs["tag-jws"], ["--ca-file", "{ca}"] + creds, PASSWORD),
            ("digest-cose", cs["digest-cose"], ["--ca-file", "{ca}"] + creds, PASSWORD),
            ("later-valid", cs["later-valid"], ["--ca-file", "{ca}"] + creds, PASSWORD),
            ("wrong-password", auth_fail, ["--ca-file", "{ca}"] + creds, "wrong"),
            ("untrusted-ca-system-store", tls_fail, creds, PASSWORD),
            ("untrusted-ca-other-ca-file", tls_fail, ["--ca-file", "{other_ca}"] + creds,
             PASSWORD),
            ("insecure-skip-tls-verify", cs["tag-jws"], ["--insecure-skip-tls-verify"] + creds,
             PASSWORD),
        ]
    auth_fail = Scenario("wrong-password", "int/jws", "tag", 2, "NV_E_REGISTRY_AUTH")
    denied = Scenario("insufficient-scope", "int/jws", "tag", 2, "NV_E_REGISTRY_DENIED")
    limited = ["--username", LIMITED_USER, "--password-stdin"]
    return [
        ("tag-jws", cs["tag-jws"], ["--plain-http"] + creds, PASSWORD),
        ("digest-cose", cs["digest-cose"], ["--plain-http"] + creds, PASSWORD),
        ("later-valid", cs["later-valid"], ["--plain-http"] + creds, PASSWORD),
        ("no-signatures", cs["no-signatures"], ["--plain-http"] + creds, PASSWORD),
        ("wrong-password", auth_fail, ["--plain-http"] + creds, "wrong"),
        ("insufficient-scope", denied, ["--plain-http"] + limited, LIMITED_PASSWORD),
    ]


class HostileCase:
    """One hostile-server scenario: content, misbehaviour, the reference
    kind, the expected outcome and checks on the servers' request logs."""

    def __init__(self, name, repo, ref, exit_code, status, sigs=None, misbehave=None,
                 server=None, check=None, limit=WALL_LIMIT, redirect_target=False,
                 auth=None, count=False):
        self.sc = Scenario(name, repo.name, ref, exit_code, status, sigs)
        self.repo = repo
        self.misbehave = misbehave or {}
        self.server = server or {}
        self.check = check
        self.limit = limit
        self.redirect_target = redirect_target
        self.auth = auth
        self.count = count


SBOM_TYPE = "application/spdx+json"
# A digest reference answered with other bytes: the registry resolved it to
# another digest (notation-go's CVE-2023-33959 check) or, equally, the bytes
# do not match their digest; either code, never a verification.
DIGEST_REF_MISMATCH = ("NV_E_RESOLVED_DIGEST_MISMATCH", "NV_E_CONTENT_DIGEST_MISMATCH")
TOO_BIG = MAX_MANIFEST + 1
BLOB_TOO_BIG = 40 * 1024 * 1024
# A signature manifest or envelope served with more bytes than its
# descriptor declares: over its limit, or not the declared content.
SIG_MANIFEST_SERVED_TOO_LARGE = ("NV_E_SIG_MANIFEST_TOO_LARGE", "NV_E_SIG_DIGEST_MISMATCH")
SIG_BLOB_SERVED_TOO_LARGE = ("NV_E_SIG_BLOB_TOO_LARGE", "NV_E_SIG_DIGEST_MISMATCH")


def flipped(data):
    """The same bytes with the last one changed: same size, other digest."""
    return data[:-1] + bytes([data[-1] ^ 0x01])


def hostile_cases(fx):
    repos = build_repos(fx)
    jws = repos["int/jws"]
    sig = jws.signatures[0]
    env = fx.envelopes["rsa-jws"]
    tag_index = jws.referrers_tag()

    # a non-signature referrer first: with an unfiltered Referrers API answer
    # the client must filter it out itself, and never fetch it
    unfiltered = Repo(fx, "int/unfiltered")
    sbom = b'{"spdxVersion":"SPDX-2.3"}'
    unfiltered.add_raw_entry({"mediaType": MT_MANIFEST, "digest": digest(sbom),
                              "size": len(sbom), "artifactType": SBOM_TYPE})
    unfiltered.sign("rsa-jws")
    unfiltered.finish()

    # a junk signature (its envelope is served with other bytes) before a good one
    junk_first = Repo(fx, "int/junk-first")
    junk_first.sign("rsa-cose")
    junk_first.sign("rsa-jws")
    junk_first.finish()

    def not_fetched(d, what):
        def check(h, b):
            hits = h.requests_for(d)
            return ["%s was fetched: %s" % (what, hits[0]["path"])] if hits else []
        return check

    def api_used(h, b):
        p = []
        api = h.requests_for("/referrers/")
        if not api or "artifactType=application%2Fvnd.cncf.notary.signature" not in \
                api[0]["path"]:
            p.append("no Referrers API request with the artifactType filter: %r"
                     % [r["path"] for r in api])
        if h.requests_for("/manifests/" + tag_index):
            p.append("read the referrers tag index although the Referrers API answered")
        for r in h.requests():
            if "/manifests/" in r["path"] and MT_MANIFEST not in r["headers"].get("accept", ""):
                p.append("%s without an OCI Accept header" % r["path"])
                break
        return p

    def pages_bounded(h, b):
        n = len(h.requests_for("/referrers/"))
        print("    referrers pages requested: %d" % n, flush=True)
        return [] if n < 10000 else ["%d referrers pages requested" % n]

    def fell_back(h, b):
        return [] if h.requests_for("/manifests/" + tag_index) else [
            "did not fall back to the referrers tag index"]

    def no_credentials_followed(h, b):
        p = []
        moved = b.requests()
        if not any("authorization" in r["headers"] for r in h.requests()):
            p.append("the credentials never reached the registry itself")
        if not moved:
            p.append("the redirect target was never asked (the redirect was not followed)")
        leaked = [r["path"] for r in moved if "authorization" in r["headers"]]
        if leaked:
            p.append("credentials followed the redirect to another host: %s" % leaked[0])
        return p

    # the Referrers API with the subject itself listed first
    api_selfref = repos["int/selfref"]

    return [
        HostileCase("referrers-api", jws, "tag", 0, "NV_OK", ["NV_OK"],
                    server={"referrers_api": True}, check=api_used, count=True),
        HostileCase("referrers-api-unfiltered", unfiltered, "digest", 0, "NV_OK", ["NV_OK"],
                    server={"referrers_api": True, "filters_applied": False},
                    check=not_fetched(digest(sbom), "the non-signature referrer")),
        HostileCase("referrers-api-wrong-content-type", jws, "digest", 0, "NV_OK", ["NV_OK"],
                    misbehave={("referrers", ARTIFACT_DIGEST):
                               ("status", 200, b'{"schemaVersion":2,"manifests":[]}')},
                    server={"referrers_api": True}, check=fell_back),
        HostileCase("referrers-api-selfref", api_selfref, "digest", 0, "NV_OK",
                    ["NV_E_SIG_MANIFEST_SUBJECT", "NV_OK"], server={"referrers_api": True}),
        HostileCase("referrers-api-endless-pagination", jws, "digest", 2,
                    "NV_E_REFERRERS_LIST_FAILED",
                    server={"referrers_api": True, "paginate_forever": True},
                    check=pages_bounded, count=True),
        HostileCase("referrers-api-endless-body", jws, "digest", 2,
                    ("NV_E_REFERRERS_LIST_FAILED", "NV_E_CONTENT_TOO_LARGE"),
                    misbehave={("referrers", ARTIFACT_DIGEST): ("no-length",)},
                    server={"referrers_api": True}),
        HostileCase("referrers-tag-index-too-large", jws, "digest", 2,
                    ("NV_E_REFERRERS_LIST_FAILED", "NV_E_CONTENT_TOO_LARGE"),
                    misbehave={("manifest", tag_index): ("huge-length", TOO_BIG)}),
        HostileCase("wrong-digest-manifest", jws, "digest", 2, DIGEST_REF_MISMATCH,
                    misbehave={("manifest", ARTIFACT_DIGEST): ("wrong-body",
                                                                flipped(fx.artifact))}),
        HostileCase("digest-resolves-to-other-manifest", jws, "digest", 2, DIGEST_REF_MISMATCH,
                    misbehave={("manifest", ARTIFACT_DIGEST): ("other-content",
                                                                flipped(fx.artifact))}),
        HostileCase("wrong-digest-signature-manifest", jws, "digest", 1,
                    "NV_E_VERIFICATION_FAILED", ["NV_E_SIG_DIGEST_MISMATCH"],
                    misbehave={("manifest", sig): ("wrong-body",
                                                    flipped(jws.manifests[sig][1]))}),
        HostileCase("wrong-digest-blob", jws, "digest", 1, "NV_E_VERIFICATION_FAILED",
                    ["NV_E_SIG_DIGEST_MISMATCH"],
                    misbehave={("blob", env.digest): ("wrong-body", flipped(env.data))}),
        HostileCase("wrong-digest-blob-then-valid", junk_first, "tag", 0, "NV_OK",
                    ["NV_E_SIG_DIGEST_MISMATCH", "NV_OK"],
                    misbehave={("blob", fx.envelopes["rsa-cose"].digest):
                               ("wrong-body", flipped(fx.envelopes["rsa-cose"].data))}),
        HostileCase("manifest-content-length-too-large", jws, "tag", 2,
                    "NV_E_CONTENT_TOO_LARGE",
                    misbehave={("manifest", "v1"): ("huge-length", TOO_BIG)}),
        HostileCase("manifest-no-content-length-endless", jws, "digest", 2,
                    "NV_E_CONTENT_TOO_LARGE",
                    misbehave={("manifest", ARTIFACT_DIGEST): ("no-length",)}),
        HostileCase("manifest-chunked-endless", jws, "tag", 2, "NV_E_CONTENT_TOO_LARGE",
                    misbehave={("manifest", "v1"): ("chunked-endless",)}),
        HostileCase("manifest-content-length-lies-short", jws, "digest", 2, DIGEST_REF_MISMATCH,
                    misbehave={("manifest", ARTIFACT_DIGEST): ("short-length", 100)}),
        HostileCase("signature-manifest-too-large", jws, "digest", 1,
                    "NV_E_VERIFICATION_FAILED",
                    [SIG_MANIFEST_SERVED_TOO_LARGE],
                    misbehave={("manifest", sig): ("huge-length", TOO_BIG)}),
        HostileCase("blob-content-length-too-large", jws, "digest", 1,
                    "NV_E_VERIFICATION_FAILED",
                    [SIG_BLOB_SERVED_TOO_LARGE],
                    misbehave={("blob", env.digest): ("huge-length", BLOB_TOO_BIG)}),
        HostileCase("blob-no-content-length-endless", jws, "digest", 1,
                    "NV_E_VERIFICATION_FAILED",
                    [SIG_BLOB_SERVED_TOO_LARGE],
                    misbehave={("blob", env.digest): ("no-length",)}),
        HostileCase("slow-response", jws, "tag", 2, "NV_E_TIMEOUT",
                    misbehave={("manifest", "v1"): ("drip", 1.0)}, limit=SLOW_WALL_LIMIT),
        HostileCase("redirect-to-another-host", jws, "digest", 0, "NV_OK", ["NV_OK"],
                    misbehave={("blob", env.digest): ("redirect", "http://localhost:{b}/")},
                    redirect_target=True, auth=(USER, PASSWORD),
                    check=no_credentials_followed),
        HostileCase("wrong-password", jws, "digest", 2, "NV_E_REGISTRY_AUTH",
                    auth=(USER, PASSWORD)),
    ]


def group_hostile(a, rep, work, fx, codes):
    nc = Notaryc(a.notaryc, work.path, fx.truststore)
    cases = hostile_cases(fx)
    why = probe_registry_support(nc, fx, work.path)
    if why is not None:
        skip_all(rep, ["hostile " + c.sc.name for c in cases], why)
        return
    for c in cases:
        b = None
        if c.redirect_target:
            b = HostileRegistry([c.repo]).start()
            H.on_cleanup(b.stop)
        mis = {k: tuple(x.format(b=b.port) if isinstance(x, str) and b else x for x in v)
               for k, v in c.misbehave.items()}
        h = HostileRegistry([c.repo], mis, auth=c.auth, **c.server).start()
        H.on_cleanup(h.stop)
        try:
            policy = fx.policy(["%s/%s" % (h.host, c.repo.name)],
                               work.join("policy-%s.json" % c.sc.name))
            args = ["--plain-http"]
            password = None
            if c.auth is not None:
                args += ["--username", c.auth[0], "--password-stdin"]
                password = c.auth[1] if c.sc.name != "wrong-password" else "wrong"
            r = nc.verify(reference(h.host, c.repo.name, c.sc.ref), policy, args,
                          password=password, limit=c.limit)
            h.stopping.set()  # end endless streams before reading the logs
            problems = judge(r, codes, c.sc.exit_code, c.sc.status, c.sc.sigs, None, c.limit)
            if c.check is not None and not r.timed_out:
                problems += c.check(h, b)
            rep.check("hostile " + c.sc.name, problems, brief(r))
            if c.count or problems:
                print_requests("hostile/" + c.sc.name, ["%s %s -> %s" % (
                    x["method"], x["path"], x["status"]) for x in h.requests()][:60])
        finally:
            h.stop()
            if b is not None:
                b.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("group")
    ap.add_argument("--notaryc", required=True)
    ap.add_argument("--source-root", default=os.path.dirname(os.path.dirname(HERE)))
    a = ap.parse_args()
    rep = Report(a.group)
    codes = status_codes(a.source_root)
    fx = Fixtures(a.source_root)
    work = H.TempDir("nv-it-%s-" % a.group)
    groups = {
        "harness-plain": lambda: group_harness_plain(a, rep, work, fx),
        "harness-tls": lambda: group_harness_tls(a, rep, work, fx),
        "harness-token": lambda: group_harness_token(a, rep, work, fx),
        "harness-hostile": lambda: group_harness_hostile(a, rep, work, fx),
        "layouts": lambda: group_layouts(a, rep, work, fx, codes),
        "registry-plain": lambda: group_registry(a, rep, work, fx, codes, "plain"),
        "registry-tls": lambda: group_registry(a, rep, work, fx, codes, "tls-basic"),
        "registry-token": lambda: group_registry(a, rep, work, fx, codes, "token"),
        "hostile": lambda: group_hostile(a, rep, work, fx, codes),
    }
    if a.group not in groups:
        ap.error("unknown group %r (one of %s)" % (a.group, ", ".join(groups)))
    try:
        groups[a.group]()
    except H.Skip as e:
        rep.skip(a.group, str(e))
    except Exception as e:  # a harness error is a failure, never a pass
        import traceback
        traceback.print_exc()
        rep.fail(a.group, "harness error: %r" % (e,))
    finally:
        H.run_cleanups()
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main())
