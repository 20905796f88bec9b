"""Process, port, certificate and push helpers for the integration tests.

Python 3 standard library only (run with /usr/bin/python3). Everything this
module starts listens on 127.0.0.1 only, on a free port, and is stopped by
PID at the end: by the `with` block that started it, by an atexit hook, and
by the SIGTERM/SIGINT/SIGHUP handlers (meson sends SIGTERM on a time-out).
Children also get PR_SET_PDEATHSIG, so a harness killed with SIGKILL does
not leave a registry behind.

Nothing here uses libnotaryc: pushes go through curl, readiness checks and
read-backs through curl or urllib.
"""
import atexit
import base64
import ctypes
import hashlib
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

LOCALHOST = "127.0.0.1"

MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
ACCEPT_MANIFESTS = MT_MANIFEST + ", " + MT_INDEX


class Skip(Exception):
    """The test cannot run here (a tool is missing); exit 77 for meson."""


def sha256_digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------
# cleanup of everything started


_cleanups = []
_cleanup_lock = threading.Lock()


def on_cleanup(fn):
    """Run fn (once) at exit, on a fatal signal, or when run_cleanups() is
    called; returns a handle for forget()."""
    with _cleanup_lock:
        _cleanups.append(fn)
    return fn


def forget(fn):
    with _cleanup_lock:
        if fn in _cleanups:
            _cleanups.remove(fn)


def run_cleanups():
    while True:
        with _cleanup_lock:
            if not _cleanups:
                return
            fn = _cleanups.pop()
        try:
            fn()
        except Exception as e:  # keep cleaning up
            sys.stderr.write("harness: cleanup failed: %r\n" % (e,))


def _on_signal(signum, _frame):
    sys.stderr.write("harness: signal %d, stopping every started process\n" % signum)
    run_cleanups()
    os._exit(128 + signum)


atexit.register(run_cleanups)
for _sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(_sig, _on_signal)


_libc = None


def _pdeathsig():
    # In the child between fork and exec: die with the parent.
    global _libc
    try:
        if _libc is None:
            _libc = ctypes.CDLL(None, use_errno=True)
        _libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Process:
    """A child process that is stopped by its PID when the test ends."""

    def __init__(self, argv, log_path, cwd=None, env=None):
        self.argv = argv
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                     preexec_fn=_pdeathsig)
        self.pid = self.proc.pid
        self._handle = on_cleanup(self.stop)

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        """SIGTERM, then SIGKILL after 5 s; by PID only."""
        forget(self._handle)
        if self.proc.poll() is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


class TempDir:
    """A temporary directory removed at the end (kept with NV_IT_KEEP=1)."""

    def __init__(self, prefix="nv-it-"):
        self.path = tempfile.mkdtemp(prefix=prefix)
        self._handle = on_cleanup(self.remove)

    def remove(self):
        forget(self._handle)
        if os.environ.get("NV_IT_KEEP"):
            sys.stderr.write("harness: kept %s\n" % self.path)
            return
        shutil.rmtree(self.path, ignore_errors=True)

    def join(self, *parts):
        return os.path.join(self.path, *parts)


def free_port():
    """A port that was free on 127.0.0.1 a moment ago (callers retry on a
    bind race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOCALHOST, 0))
        return s.getsockname()[1]


def port_open(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((LOCALHOST, port)) == 0


def need_tool(name):
    path = shutil.which(name)
    if path is None:
        raise Skip("%s is not installed (tools/install-deps.sh test installs it)" % name)
    return path


def run(argv, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    kw.setdefault("timeout", 60)
    return subprocess.run(argv, check=False, **kw)


def clean_env(home):
    """The environment for curl and notaryc: no proxies, a private HOME and
    DOCKER_CONFIG so the machine's ~/.docker/config.json is never read."""
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy",
                                "curl_ca_bundle", "ssl_cert_file", "ssl_cert_dir",
                                "docker_config", "notation_config", "xdg_config_home")}
    env["HOME"] = home
    env["DOCKER_CONFIG"] = os.path.join(home, ".docker")
    env["NO_PROXY"] = "*"
    return env


# ---------------------------------------------------------------------------
# certificates (openssl CLI)


class Pki:
    """A CA, a server certificate for 127.0.0.1/localhost signed by it, a
    second CA that signed nothing (the "untrusted CA"), and a self-signed
    token-issuer certificate, all made with the openssl CLI in DIR."""

    def __init__(self, directory):
        need_tool("openssl")
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        p = lambda name: os.path.join(directory, name)
        self.ca_key, self.ca_crt = p("ca.key"), p("ca.crt")
        self.server_key, self.server_crt = p("server.key"), p("server.crt")
        self.other_ca_key, self.other_ca_crt = p("other-ca.key"), p("other-ca.crt")
        self.token_key, self.token_crt = p("token.key"), p("token.crt")
        self.ca_dir = p("ca-dir")
        self._self_signed(self.ca_key, self.ca_crt, "/CN=notaryc integration test CA", ca=True)
        self._self_signed(self.other_ca_key, self.other_ca_crt,
                          "/CN=notaryc integration untrusted CA", ca=True)
        self._self_signed(self.token_key, self.token_crt, "/CN=notaryc-it-token-issuer", ca=False)
        csr = p("server.csr")
        ext = p("server.ext")
        with open(ext, "w") as f:
            f.write("basicConstraints=critical,CA:FALSE\n"
                    "keyUsage=critical,digitalSignature\n"
                    "extendedKeyUsage=serverAuth\n"
                    "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        self._openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                       "-nodes", "-keyout", self.server_key, "-out", csr, "-subj", "/CN=127.0.0.1"])
        self._openssl(["x509", "-req", "-in", csr, "-CA", self.ca_crt, "-CAkey", self.ca_key,
                       "-set_serial", "2", "-days", "30", "-extfile", ext, "-out", self.server_crt])
        # a directory that holds only ca.crt (the form skopeo/containers use)
        os.makedirs(self.ca_dir, exist_ok=True)
        shutil.copy(self.ca_crt, os.path.join(self.ca_dir, "ca.crt"))

    def _self_signed(self, key, crt, subj, ca):
        args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", crt, "-days", "30", "-subj", subj]
        if ca:
            args += ["-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign"]
        self._openssl(args)

    @staticmethod
    def _openssl(args):
        r = run(["openssl"] + args)
        if r.returncode != 0:
            raise RuntimeError("openssl %s failed: %s" % (args[0], r.stderr.decode()))


# ---------------------------------------------------------------------------
# Debian's docker-registry (distribution 2.8.2)


REGISTRY_BIN = "docker-registry"


def htpasswd_line(user, password):
    """A bcrypt htpasswd line: htpasswd -B from apache2-utils."""
    need_tool("htpasswd")
    r = run(["htpasswd", "-Bbn", user, password])
    if r.returncode != 0:
        raise RuntimeError("htpasswd failed: %s" % r.stderr.decode())
    return r.stdout.decode().strip() + "\n"


class Registry:
    """docker-registry serve on 127.0.0.1:<free port> with its own storage.

    mode "plain": HTTP, anonymous.
    mode "tls-basic": HTTPS with a server certificate from pki, htpasswd
        Basic auth for users (dict user -> password).
    mode "token": HTTP, Bearer token auth; the realm is token_realm, the
        issuer's certificate pki.token_crt is the rootcertbundle.
    """

    def __init__(self, workdir, mode, pki=None, users=None, token_realm=None,
                 token_service=None, token_issuer=None):
        need_tool(REGISTRY_BIN)
        self.mode = mode
        self.pki = pki
        self.users = users or {}
        self.dir = os.path.join(workdir, "registry-" + mode)
        os.makedirs(self.dir, exist_ok=True)
        self.storage = os.path.join(self.dir, "data")
        self.log_path = os.path.join(self.dir, "registry.log")
        self.token_realm = token_realm
        self.token_service = token_service
        self.token_issuer = token_issuer
        self.proc = None
        self.port = None

    @property
    def scheme(self):
        return "https" if self.mode == "tls-basic" else "http"

    @property
    def host(self):
        return "%s:%d" % (LOCALHOST, self.port)

    @property
    def base(self):
        return "%s://%s" % (self.scheme, self.host)

    def _config(self):
        lines = [
            "version: 0.1",
            "log:",
            "  level: info",
            "  formatter: text",
            "  accesslog:",
            "    disabled: false",
            "storage:",
            "  filesystem:",
            "    rootdirectory: %s" % self.storage,
            "  delete:",
            "    enabled: true",
            "  maintenance:",
            "    uploadpurging:",
            "      enabled: false",
            "http:",
            "  addr: %s:%d" % (LOCALHOST, self.port),
            "  secret: not-a-secret-integration-test-only",
        ]
        if self.mode == "tls-basic":
            lines += ["  tls:",
                      "    certificate: %s" % self.pki.server_crt,
                      "    key: %s" % self.pki.server_key]
        if self.mode == "tls-basic":
            htpasswd = os.path.join(self.dir, "htpasswd")
            with open(htpasswd, "w") as f:
                for user, password in sorted(self.users.items()):
                    f.write(htpasswd_line(user, password))
            lines += ["auth:", "  htpasswd:", "    realm: notaryc-it",
                      "    path: %s" % htpasswd]
        elif self.mode == "token":
            lines += ["auth:", "  token:",
                      "    realm: %s" % self.token_realm,
                      "    service: %s" % self.token_service,
                      "    issuer: %s" % self.token_issuer,
                      "    rootcertbundle: %s" % self.pki.token_crt]
        elif self.mode != "plain":
            raise ValueError(self.mode)
        lines += ["health:", "  storagedriver:", "    enabled: false", ""]
        return "\n".join(lines)

    def start(self, tries=5):
        """Start and wait until GET /v2/ answers 200 or 401."""
        last = ""
        for _ in range(tries):
            self.port = free_port()
            cfg = os.path.join(self.dir, "config.yml")
            with open(cfg, "w") as f:
                f.write(self._config())
            if os.path.exists(self.log_path):
                os.remove(self.log_path)
            self.proc = Process([shutil.which(REGISTRY_BIN), "serve", cfg], self.log_path)
            if self._wait_ready(15.0):
                return self
            last = self.proc.log_text()
            self.proc.stop()
            if "address already in use" not in last:
                break
        raise RuntimeError("docker-registry (%s) did not start:\n%s" % (self.mode, last[-3000:]))

    def _wait_ready(self, seconds):
        handlers = [urllib.request.ProxyHandler({})]  # never a proxy from the environment
        if self.scheme == "https":
            handlers.append(urllib.request.HTTPSHandler(
                context=ssl.create_default_context(cafile=self.pki.ca_crt)))
        opener = urllib.request.build_opener(*handlers)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.proc.alive():
                return False
            try:
                with opener.open(self.base + "/v2/", timeout=1) as r:
                    if r.status == 200:
                        return True
            except urllib.error.HTTPError as e:
                if e.code == 401:
                    return True
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.03)
        return False

    def stop(self):
        if self.proc is not None:
            self.proc.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- request counting from the access log --

    def access_log_lines(self):
        """The combined-log-format lines ('127.0.0.1 - - [...] "GET /v2/..."')."""
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return []
        return [l for l in text.splitlines() if l.startswith(LOCALHOST + " - ") and '"' in l]

    def requests_since(self, mark, settle=0.3):
        """Access-log request lines after `mark` (a count of lines), waiting
        until the log stops growing."""
        last, stable_since = -1, time.monotonic()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            n = len(self.access_log_lines())
            if n != last:
                last, stable_since = n, time.monotonic()
            elif time.monotonic() - stable_since >= settle:
                break
            time.sleep(0.05)
        return [l.split('"')[1] for l in self.access_log_lines()[mark:]]


# ---------------------------------------------------------------------------
# a curl client for the OCI distribution API (pushes and read-backs)


class CurlError(Exception):
    pass


class Curl:
    """Pushes and reads with the curl CLI.

    auth: None, ("basic", user, password) or ("bearer", token_url, user,
    password): for Bearer the client reads the challenge of the first 401
    and asks token_url for a token with the challenged scope, then retries,
    exactly as a docker client does.
    """

    def __init__(self, base, workdir, cacert=None, auth=None, insecure=False):
        need_tool("curl")
        self.base = base.rstrip("/")
        self.workdir = workdir
        self.cacert = cacert
        self.auth = auth
        self.insecure = insecure
        self.token = None
        self.env = clean_env(workdir)
        self._n = 0

    def _common(self):
        args = ["curl", "-sS", "--max-time", "30", "--noproxy", "*"]
        if self.cacert:
            args += ["--cacert", os.path.abspath(self.cacert)]
        if self.insecure:
            args += ["-k"]
        return args

    def raw(self, method, url, headers=(), data_file=None, auth=True):
        """One request; returns (status, headers dict lowercased, body bytes,
        curl exit code)."""
        self._n += 1
        hdr_file = os.path.join(self.workdir, "curl-%d.hdr" % self._n)
        body_file = os.path.join(self.workdir, "curl-%d.body" % self._n)
        args = self._common() + ["-X", method, "-D", hdr_file, "-o", body_file,
                                 "-w", "%{http_code}"]
        if method == "HEAD":
            args = [a for a in args if a not in ("-X", "HEAD")] + ["-I"]
        for h in headers:
            args += ["-H", h]
        if auth and self.auth and self.auth[0] == "basic":
            args += ["-u", "%s:%s" % (self.auth[1], self.auth[2])]
        if auth and self.token:
            args += ["-H", "Authorization: Bearer " + self.token]
        if data_file is not None:
            args += ["--data-binary", "@" + data_file]
        args.append(url if url.startswith("http") else self.base + url)
        r = run(args, env=self.env)
        try:
            with open(body_file, "rb") as f:
                body = f.read()
        except FileNotFoundError:
            body = b""
        hdrs = {}
        try:
            with open(hdr_file, "rb") as f:
                for line in f.read().decode("latin-1").splitlines():
                    if ":" in line and not line.startswith("HTTP/"):
                        k, v = line.split(":", 1)
                        hdrs[k.strip().lower()] = v.strip()
        except FileNotFoundError:
            pass
        for p in (hdr_file, body_file):
            if os.path.exists(p):
                os.remove(p)
        code = int(r.stdout.decode() or "0") if r.returncode == 0 else 0
        return code, hdrs, body, r.returncode

    def request(self, method, url, headers=(), data=None, expect=(200,)):
        data_file = None
        if data is not None:
            self._n += 1
            data_file = os.path.join(self.workdir, "curl-%d.data" % self._n)
            with open(data_file, "wb") as f:
                f.write(data)
        try:
            code, hdrs, body, rc = self.raw(method, url, headers, data_file)
            if code == 401 and self.auth and self.auth[0] == "bearer":
                self._fetch_token(hdrs.get("www-authenticate", ""))
                code, hdrs, body, rc = self.raw(method, url, headers, data_file)
        finally:
            if data_file and os.path.exists(data_file):
                os.remove(data_file)
        if rc != 0:
            raise CurlError("curl exit %d for %s %s" % (rc, method, url))
        if code not in expect:
            raise CurlError("%s %s: HTTP %d %s" % (method, url, code, body[:300]))
        return code, hdrs, body

    def _fetch_token(self, challenge):
        params = parse_challenge(challenge)
        if params.get("scheme", "").lower() != "bearer":
            raise CurlError("no Bearer challenge: %r" % challenge)
        _, _token_url, user, password = self.auth
        query = "service=" + urllib.parse.quote(params.get("service", ""))
        if "scope" in params:
            query += "&scope=" + urllib.parse.quote(params["scope"])
        r = run(self._common() + ["-u", "%s:%s" % (user, password), "-f",
                                  params["realm"] + "?" + query], env=self.env)
        if r.returncode != 0:
            raise CurlError("token request failed: curl exit %d %s" % (r.returncode, r.stderr))
        self.token = json.loads(r.stdout)["token"]

    # -- OCI distribution API --

    def push_blob(self, repo, data):
        digest = sha256_digest(data)
        code, hdrs, _ = self.request("POST", "/v2/%s/blobs/uploads/" % repo,
                                     headers=["Content-Length: 0"], expect=(202,))
        loc = hdrs["location"]
        if loc.startswith("/"):
            loc = self.base + loc
        loc += ("&" if "?" in loc else "?") + "digest=" + urllib.parse.quote(digest)
        # application/octet-stream: curl's default form type is refused (400 DIGEST_INVALID)
        self.request("PUT", loc, headers=["Content-Type: application/octet-stream"],
                     data=data, expect=(201,))
        return digest

    def push_manifest(self, repo, ref, data, media_type):
        _, hdrs, _ = self.request("PUT", "/v2/%s/manifests/%s" % (repo, ref),
                                  headers=["Content-Type: " + media_type], data=data,
                                  expect=(201,))
        return hdrs.get("docker-content-digest")

    def get_manifest(self, repo, ref):
        _, hdrs, body = self.request("GET", "/v2/%s/manifests/%s" % (repo, ref),
                                     headers=["Accept: " + ACCEPT_MANIFESTS])
        return hdrs, body

    def get_blob(self, repo, digest):
        # -L is not used: the registry serves blobs from its filesystem
        _, hdrs, body = self.request("GET", "/v2/%s/blobs/%s" % (repo, digest))
        return body


def parse_challenge(value):
    """'Bearer realm="x",service="y",scope="z"' -> dict with 'scheme'."""
    out = {}
    value = value.strip()
    if not value:
        return out
    scheme, _, rest = value.partition(" ")
    out["scheme"] = scheme
    i = 0
    while i < len(rest):
        eq = rest.find("=", i)
        if eq < 0:
            break
        key = rest[i:eq].strip(" ,")
        j = eq + 1
        if j < len(rest) and rest[j] == '"':
            end = rest.find('"', j + 1)
            if end < 0:
                end = len(rest)
            out[key] = rest[j + 1:end]
            i = end + 1
        else:
            end = rest.find(",", j)
            if end < 0:
                end = len(rest)
            out[key] = rest[j:end]
            i = end
        i += 1 if i < len(rest) and rest[i] == "," else 0
    return out



def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
