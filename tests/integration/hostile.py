"""A small OCI registry that misbehaves on purpose.

Python standard library only. It serves the read side of the distribution
API (GET/HEAD /v2/, manifests, blobs, and optionally the Referrers API) for
fixtures.Repo content, on 127.0.0.1 and a free port, in a thread of the test
process, and records every request with its headers.

Misbehaviour is set per (kind, reference): kind is "manifest", "blob" or
"referrers", reference a digest or tag. Actions:

  ("wrong-body", bytes)       serve other bytes, with the requested digest in
                              Docker-Content-Digest (a lying registry)
  ("other-content", bytes)    serve other bytes with their own digest in
                              Docker-Content-Digest (it resolves the reference
                              to something else)
  ("huge-length", n)          Content-Length: n, then junk until the client
                              hangs up (n is above every size limit)
  ("short-length", n)         Content-Length: n (smaller than the content),
                              then the real content and endless junk
  ("no-length",)              no Content-Length, Connection: close, endless
                              junk (the body ends only when the server closes)
  ("chunked-endless",)        Transfer-Encoding: chunked, chunks forever
  ("drip", seconds)           the real headers, then one body byte every
                              `seconds`
  ("stall",)                  accept the request and never answer
  ("redirect", url)           307 to url (the path is kept if url ends in /)
  ("status", code, body)      answer code with body

Referrers API (off unless referrers_api=True): GET /v2/<n>/referrers/<d>
answers an image index of the repository's index entries. With
filters_applied=True it sends OCI-Filters-Applied: artifactType and filters
by ?artifactType=; with paginate_forever=True every page is empty and has a
Link to the next one.

auth=("user", "password") requires HTTP Basic on every /v2/ request (401
with a Basic challenge otherwise); the requests log shows what arrived.

Junk streams stop after `junk_cap` bytes (1 GiB) or at shutdown, so a broken
client fails the test by its wall-clock limit, never by filling the disk.
"""
import base64
import hashlib
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MT_INDEX = "application/vnd.oci.image.index.v1+json"
JUNK = b"\x00" * 65536


class HostileRegistry:
    def __init__(self, repos, misbehave=None, auth=None, referrers_api=False,
                 filters_applied=True, paginate_forever=False, junk_cap=1 << 30):
        self.repos = {r.name: r for r in repos}
        self.misbehave = dict(misbehave or {})
        self.auth = auth
        self.referrers_api = referrers_api
        self.filters_applied = filters_applied
        self.paginate_forever = paginate_forever
        self.junk_cap = junk_cap
        self.log = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.httpd = None
        self.port = None

    @property
    def host(self):
        return "127.0.0.1:%d" % self.port

    @property
    def base(self):
        return "http://" + self.host

    def requests(self):
        with self.lock:
            return list(self.log)

    def requests_for(self, fragment):
        return [r for r in self.requests() if fragment in r["path"]]

    def start(self):
        reg = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            # -- plumbing --

            def _record(self, status):
                with reg.lock:
                    reg.log.append({"method": self.command, "path": self.path,
                                    "headers": {k.lower(): v for k, v in self.headers.items()},
                                    "status": status, "time": time.monotonic()})

            def _send(self, code, body=b"", ctype="application/json", extra=(), head=False):
                self._record(code)
                self.send_response(code)
                if ctype:
                    self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Docker-Distribution-Api-Version", "registry/2.0")
                for k, v in extra:
                    self.send_header(k, v)
                self.end_headers()
                if not head:
                    self.wfile.write(body)

            def _error(self, code, err, head=False):
                body = json.dumps({"errors": [{"code": err, "message": err.lower()}]}).encode()
                self._send(code, body, head=head)

            def _junk(self, limit, chunked=False):
                sent = 0
                try:
                    while sent < limit and not reg.stopping.is_set():
                        if chunked:
                            self.wfile.write(b"%x\r\n" % len(JUNK) + JUNK + b"\r\n")
                        else:
                            self.wfile.write(JUNK)
                        sent += len(JUNK)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass
                self.close_connection = True

            def _authorized(self):
                if reg.auth is None:
                    return True
                want = "Basic " + base64.b64encode(("%s:%s" % reg.auth).encode()).decode()
                return self.headers.get("Authorization", "") == want

            # -- misbehaviour --

            def _misbehave(self, action, body, ctype, digest, head):
                kind = action[0]
                if kind == "wrong-body":
                    self._send(200, action[1], ctype, [("Docker-Content-Digest", digest)], head)
                elif kind == "other-content":
                    own = "sha256:" + hashlib.sha256(action[1]).hexdigest()
                    self._send(200, action[1], ctype, [("Docker-Content-Digest", own)], head)
                elif kind == "status":
                    self._send(action[1], action[2], "application/json", (), head)
                elif kind == "redirect":
                    url = action[1]
                    if url.endswith("/"):
                        url = url[:-1] + urllib.parse.urlsplit(self.path).path
                    self._send(307, b"", None, [("Location", url)], head)
                elif kind == "stall":
                    self._record(0)
                    reg.stopping.wait(600)
                    self.close_connection = True
                elif kind in ("huge-length", "short-length", "no-length", "chunked-endless",
                              "drip"):
                    self._record(200)
                    self.send_response(200)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Docker-Content-Digest", digest)
                    if kind == "huge-length":
                        self.send_header("Content-Length", str(action[1]))
                    elif kind == "short-length":
                        self.send_header("Content-Length", str(action[1]))
                    elif kind == "no-length":
                        self.send_header("Connection", "close")
                    elif kind == "chunked-endless":
                        self.send_header("Transfer-Encoding", "chunked")
                    else:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if head:
                        return
                    try:
                        if kind == "short-length":
                            self.wfile.write(body)
                        if kind == "drip":
                            for i in range(len(body)):
                                if reg.stopping.wait(action[1]):
                                    break
                                self.wfile.write(body[i:i + 1])
                                self.wfile.flush()
                            self.close_connection = True
                            return
                    except (BrokenPipeError, ConnectionResetError, OSError):
                        self.close_connection = True
                        return
                    self._junk(reg.junk_cap, chunked=(kind == "chunked-endless"))
                else:
                    raise ValueError(kind)

            # -- routes --

            def _route(self, head):
                url = urllib.parse.urlsplit(self.path)
                path = url.path
                if not path.startswith("/v2/"):
                    self._send(404, b"404 page not found", "text/plain", head=head)
                    return
                if not self._authorized():
                    self._send(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}', "application/json",
                               [("WWW-Authenticate", 'Basic realm="hostile"')], head)
                    return
                if path == "/v2/":
                    self._send(200, b"{}", head=head)
                    return
                m = re.match(r"^/v2/(.+)/(manifests|blobs|referrers)/([^/]+)$", path)
                if not m or m.group(1) not in reg.repos:
                    self._error(404, "NAME_UNKNOWN", head)
                    return
                repo, kind, ref = reg.repos[m.group(1)], m.group(2), m.group(3)
                if kind == "referrers":
                    self._referrers(repo, ref, urllib.parse.parse_qs(url.query), head)
                    return
                digest = ref
                if kind == "manifests":
                    digest = repo.tags.get(ref, ref)
                    found = repo.manifests.get(digest)
                    ctype, body = found if found else (None, None)
                else:
                    body = repo.blobs.get(digest)
                    ctype = "application/octet-stream"
                action = reg.misbehave.get((kind.rstrip("s"), ref))
                if action is None and digest != ref:
                    action = reg.misbehave.get((kind.rstrip("s"), digest))
                if action is not None:
                    self._misbehave(action, body or b"", ctype or "application/octet-stream",
                                    digest, head)
                    return
                if body is None:
                    self._error(404, "MANIFEST_UNKNOWN" if kind == "manifests" else
                                "BLOB_UNKNOWN", head)
                    return
                self._send(200, body, ctype, [("Docker-Content-Digest", digest)], head)

            def _referrers(self, repo, digest, query, head):
                if not reg.referrers_api:
                    self._send(404, b"404 page not found", "text/plain", head=head)
                    return
                action = reg.misbehave.get(("referrers", digest))
                if action is not None:
                    self._misbehave(action, b"", MT_INDEX, digest, head)
                    return
                extra = []
                if reg.paginate_forever:
                    page = int((query.get("page") or ["0"])[0])
                    entries = []
                    extra.append(("Link", '</v2/%s/referrers/%s?page=%d>; rel="next"'
                                  % (repo.name, digest, page + 1)))
                else:
                    entries = list(repo.index_entries) if digest == repo.artifact_digest else []
                    wanted = (query.get("artifactType") or [None])[0]
                    if reg.filters_applied and wanted is not None:
                        entries = [e for e in entries if e.get("artifactType") == wanted]
                        extra.append(("OCI-Filters-Applied", "artifactType"))
                body = json.dumps({"schemaVersion": 2, "mediaType": MT_INDEX,
                                   "manifests": entries}, separators=(",", ":")).encode()
                self._send(200, body, MT_INDEX, extra, head)

            def do_GET(self):
                self._route(head=False)

            def do_HEAD(self):
                self._route(head=True)

            def do_PUT(self):
                self._send(405, b"", head=False)

            do_POST = do_PUT
            do_DELETE = do_PUT
            do_PATCH = do_PUT

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.httpd is not None:
            self.stopping.set()
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
