"""A small Bearer token server for docker-registry's `auth: token`.

Python standard library + Debian's python3-cryptography (/usr/bin/python3).
Runs in a thread of the test process, on 127.0.0.1 and a free port, and logs
every request (so tests count token requests and see which credentials
arrived).

GET /token?service=S&scope=repository:NAME:ACTIONS[&scope=...]
    with HTTP Basic credentials of a known user; also
POST /token (OAuth2 form: grant_type=password, username, password, service,
    scope), which some clients use.

The answer is {"token", "access_token", "expires_in", "issued_at"}. The JWT is
ES256 with the issuer certificate in the `x5c` header; docker-registry 2.8
checks it against `rootcertbundle` (toolchain.md section 6c). Claims: iss,
sub, aud (= service), exp, nbf, iat, jti, access.

Each user has a set of repositories (fnmatch patterns) and actions; a scope
outside them is not refused but granted with an empty action list, as real
token servers do, so the registry answers 401 error="insufficient_scope".
No credentials or wrong ones: 401.
"""
import base64
import datetime
import fnmatch
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class TokenServer:
    def __init__(self, key_path, cert_path, issuer, service, users, ttl=300):
        """users: {name: (password, [repo patterns], [actions])}."""
        with open(key_path, "rb") as f:
            self.key = serialization.load_pem_private_key(f.read(), password=None)
        if not isinstance(self.key, ec.EllipticCurvePrivateKey):
            raise ValueError("the token key must be EC P-256 (ES256)")
        with open(cert_path, "rb") as f:
            cert = x509.load_pem_x509_certificate(f.read())
        self.x5c = [base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()]
        self.issuer = issuer
        self.service = service
        self.users = users
        self.ttl = ttl
        self.log = []
        self.lock = threading.Lock()
        self.httpd = None
        self.thread = None

    # -- tokens --

    def sign(self, claims):
        header = {"typ": "JWT", "alg": "ES256", "x5c": self.x5c}
        signing_input = (_b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         _b64url(json.dumps(claims, separators=(",", ":")).encode()))
        der = self.key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return signing_input + "." + _b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

    def grant(self, user, scopes):
        _, patterns, actions = self.users[user]
        access = []
        for scope in scopes:
            parts = scope.split(":")
            if len(parts) < 3 or parts[0] != "repository":
                continue
            name, wanted = ":".join(parts[1:-1]), parts[-1].split(",")
            allowed = [a for a in wanted if a in actions] if any(
                fnmatch.fnmatchcase(name, p) for p in patterns) else []
            access.append({"type": "repository", "name": name, "actions": allowed})
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": user, "aud": self.service, "exp": now + self.ttl,
                  "nbf": now - 10, "iat": now, "jti": secrets.token_hex(16), "access": access}
        return self.sign(claims), access

    # -- server --

    def start(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, code, obj, extra=()):
                body = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for k, v in extra:
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _basic(self):
                h = self.headers.get("Authorization", "")
                if not h.lower().startswith("basic "):
                    return None, None
                try:
                    user, _, pw = base64.b64decode(h[6:].strip()).decode().partition(":")
                except Exception:
                    return None, None
                return user, pw

            def _handle(self, user, password, scopes, service):
                entry = {"method": self.command, "path": self.path, "user": user,
                         "authorization": "Authorization" in self.headers,
                         "scopes": scopes, "service": service}
                known = server.users.get(user) if user is not None else None
                if known is None or known[0] != password:
                    entry["status"] = 401
                    with server.lock:
                        server.log.append(entry)
                    self._answer(401, {"errors": [{"code": "UNAUTHORIZED",
                                                   "message": "authentication required"}]},
                                 [("WWW-Authenticate", 'Basic realm="notaryc-it-token"')])
                    return
                if service != server.service:
                    entry["status"] = 400
                    with server.lock:
                        server.log.append(entry)
                    self._answer(400, {"errors": [{"code": "INVALID", "message": "service"}]})
                    return
                token, access = server.grant(user, scopes)
                entry["status"], entry["access"] = 200, access
                with server.lock:
                    server.log.append(entry)
                issued = datetime.datetime.now(datetime.timezone.utc).strftime(
                    "%Y-%m-%dT%H:%M:%SZ")
                self._answer(200, {"token": token, "access_token": token,
                                   "expires_in": server.ttl, "issued_at": issued})

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                if url.path != "/token":
                    self._answer(404, {"errors": [{"code": "NOT_FOUND"}]})
                    return
                q = urllib.parse.parse_qs(url.query)
                user, pw = self._basic()
                self._handle(user, pw, q.get("scope", []), (q.get("service") or [""])[0])

            def do_POST(self):
                url = urllib.parse.urlsplit(self.path)
                n = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(min(n, 65536)).decode())
                if url.path != "/token" or (form.get("grant_type") or [""])[0] != "password":
                    self._answer(400, {"errors": [{"code": "UNSUPPORTED"}]})
                    return
                scopes = []
                for s in form.get("scope", []):
                    scopes += s.split(" ")
                self._handle((form.get("username") or [None])[0],
                             (form.get("password") or [None])[0], scopes,
                             (form.get("service") or [""])[0])

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def realm(self):
        return "http://127.0.0.1:%d/token" % self.port

    def requests(self):
        with self.lock:
            return list(self.log)

    def stop(self):
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
