#!/usr/bin/python3
"""Tests of the notaryc tool: exit status, text and JSON output.

    test_cli.py --notaryc PATH --source-root DIR --group GROUP

GROUP is one of usage, verify, failures, envelope, blob, policy (meson runs
each as its own test of the suite "cli"). Standard library only; the blob
group runs tests/signer/notary_signer.py (python3-cryptography) as an
independent signer, and its revocation case imports it and
python3-cryptography to make a leaf with a CRL distribution point and the
root's CRLs.
Every verification pins its time with --at. Prints one line per case and
ends with "N passed, N failed".
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

SCOPE = "example.local/notaryc-demo"
PIN = "2027-01-01T00:00:00Z"          # inside the demo certificates' 2024..2044
BEFORE_DEMO = "2023-06-01T00:00:00Z"  # before their notBefore (2024-01-01)
SIGNER = "CN=Notary Bench RSA-3072 Signer,O=Notary Bench,L=Seattle,ST=WA,C=US"
CHECKS = ("integrity", "authenticity", "authenticTimestamp", "expiry", "revocation")


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Env:
    """Paths, the demo layout's facts, temp dirs and a runner."""

    def __init__(self, notaryc, root):
        self.notaryc = notaryc
        self.root = root
        self.demo = os.path.join(root, "tools", "demo")
        self.policy = os.path.join(self.demo, "trustpolicy.json")
        self.store = os.path.join(self.demo, "truststore")
        self.tmp = tempfile.mkdtemp(prefix="notaryc-cli-")
        self.home = os.path.join(self.tmp, "home")
        os.mkdir(self.home)
        self.layouts = {k: self.read_layout(os.path.join(self.demo, "layout-" + k))
                        for k in ("jws", "cose")}

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    @staticmethod
    def read_layout(path):
        with open(os.path.join(path, "index.json")) as f:
            index = json.load(f)
        info = {"path": path}
        for m in index["manifests"]:
            tag = m.get("annotations", {}).get("org.opencontainers.image.ref.name")
            if tag == "v1":
                info["artifact"] = {k: m[k] for k in ("mediaType", "digest", "size")}
        for m in index["manifests"]:
            if m["mediaType"] != "application/vnd.oci.image.manifest.v1+json":
                continue
            with open(os.path.join(path, "blobs", *m["digest"].split(":")), "rb") as f:
                manifest = json.load(f)
            if manifest.get("artifactType") == "application/vnd.cncf.notary.signature":
                info["sig_manifest"] = m["digest"]
                layer = manifest["layers"][0]
                info["envelope_media_type"] = layer["mediaType"]
                info["envelope"] = os.path.join(path, "blobs", *layer["digest"].split(":"))
        return info

    def run(self, *args, env=None, stdin=None):
        e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.home,
             "LC_ALL": "C"}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "LD_LIBRARY_PATH"):
            if k in os.environ:
                e[k] = os.environ[k]
        if env:
            e.update(env)
        p = subprocess.run([self.notaryc] + list(args), capture_output=True, env=e,
                           input=stdin, timeout=60)
        return p.returncode, p.stdout.decode("utf-8", "replace"), \
            p.stderr.decode("utf-8", "replace")

    def verify(self, ref, *extra, policy=None, store=None, scope=SCOPE, at=PIN):
        args = ["verify", "--oci-layout", "--scope", scope,
                "--trust-policy", policy or self.policy, "--trust-store", store or self.store]
        if at:
            args += ["--at", at]
        return self.run(*(args + list(extra) + [ref]))

    def layout_ref(self, kind, tag="v1"):
        return self.layouts[kind]["path"] + ":" + tag

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w" if isinstance(data, str) else "wb") as f:
            f.write(data)
        return path

    def demo_policy(self, **changes):
        """The demo policy with its one statement changed; written to a temp file."""
        with open(self.policy) as f:
            doc = json.load(f)
        st = doc["trustPolicies"][0]
        for k, v in changes.items():
            if v is None:
                st.pop(k, None)
            else:
                st[k] = v
        name = "policy-%d.json" % len(os.listdir(self.tmp))
        return self.write(name, json.dumps(doc))


def parse_json(out):
    lines = out.splitlines()
    check(len(lines) == 1, "JSON output is %d lines, not one" % len(lines))
    return json.loads(lines[0])


def expect_rc(got, want, out, err):
    check(got == want, "exit %d, want %d\nstdout: %s\nstderr: %s" % (got, want, out[-1500:],
                                                                     err[-1500:]))


# ---------------------------------------------------------------- usage

def t_usage(env):
    cases = []

    def case(name, args, rc, err_has=None, out_has=None):
        def run():
            got, out, err = env.run(*args)
            expect_rc(got, rc, out, err)
            if err_has:
                check(err_has in err, "stderr lacks %r: %s" % (err_has, err))
            if out_has:
                check(out_has in out, "stdout lacks %r: %s" % (out_has, out))
        cases.append((name, run))

    base = ["verify", "--oci-layout", "--scope", SCOPE, "--trust-policy", env.policy,
            "--trust-store", env.store]
    ref = env.layout_ref("jws")
    case("no arguments", [], 2, "usage: notaryc")
    case("unknown command", ["frobnicate"], 2, 'unknown command "frobnicate"')
    case("help", ["help"], 0, out_has="verify-envelope")
    for cmd in ("verify", "verify-envelope", "verify-blob", "inspect"):
        case("%s --help" % cmd, [cmd, "--help"], 0, out_has="usage: notaryc " + cmd)
    case("policy --help", ["policy", "--help"], 0, out_has="usage: notaryc policy")
    case("policy validate --help", ["policy", "validate", "--help"], 0, out_has="usage")
    case("version", ["version"], 0, out_has="notaryc 0.")
    case("version with an argument", ["version", "x"], 2)
    case("unknown flag", base + ["--bogus", ref], 2, "unknown option --bogus")
    case("unknown short flag", base + ["-q", ref], 2, "unknown option -q")
    case("missing argument", base + [ref, "--at"], 2, "--at needs an argument")
    case("missing argument -m", base + [ref, "-m"], 2, "-m needs an argument")
    case("--oci-layout without --scope",
         ["verify", "--oci-layout", "--trust-policy", env.policy, ref], 2, "--scope")
    case("--scope without --oci-layout", ["verify", "--scope", SCOPE, ref], 2,
         "--scope is only for --oci-layout")
    case("bad --scope", ["verify", "--oci-layout", "--scope", "Not A Scope", ref], 2,
         "not a registry/repository scope")
    case("no reference", base, 2, "a REFERENCE is required")
    case("two references", base + [ref, ref], 2, "exactly one REFERENCE")
    case("--output xml", base + ["--output", "xml", ref], 2, "--output must be text or json")
    for bad in ("2027-01-01", "2027-13-01T00:00:00Z", "2027-02-29T00:00:00Z",
                "2027-01-01T00:00:00", "2027-01-01 00:00:00Z", "2027-01-01T24:00:00Z",
                "2027-01-01T00:60:00Z", "2027-01-01T00:00:60Z", "2027-01-01T00:00:00.Z",
                "2027-01-01T00:00:00+0100", "2027-1-01T00:00:00Z", "x", "",
                "2027-01-01T00:00:00Zjunk"):
        case("--at %r rejected" % bad, base + ["--at", bad, ref], 2, "not an RFC 3339 time")
    case("--at before 1970", base + ["--at", "1969-12-31T23:59:59Z", ref], 2, "before 1970")
    for bad in ("0", "10001", "-1", "abc", "", "1x", " 1", "+1", "99999999999999999999"):
        case("--max-signatures %r rejected" % bad,
             base + ["--at", PIN, "--max-signatures", bad, ref], 2, "--max-signatures must be")
    for good in ("1", "10000"):
        case("--max-signatures %s accepted" % good,
             base + ["--at", PIN, "--max-signatures", good, ref], 0, out_has="VERIFIED")
    for bad in ("novalue", "=v", "k=", "="):
        case("-m %r rejected" % bad, base + ["-m", bad, ref], 2, "KEY=VALUE")
    case("-m key given twice", base + ["-m", "a=1", "-m", "a=2", ref], 2, "given twice")
    for flag in (["--plain-http"], ["--insecure-skip-tls-verify"], ["--ca-file", "x.pem"],
                 ["--username", "u"], ["--password-stdin"], ["--timeout", "5"]):
        case("registry flag %s refused with --oci-layout" % flag[0], base + flag + [ref], 2,
             flag[0] + " applies to registry references, not to --oci-layout")
    reg = ["verify", "--trust-policy", "p.json", "--trust-store", "s"]
    case("--username without --password-stdin", reg + ["--username", "u", "r.io/a:v1"], 2,
         "--username and --password-stdin go together")
    for bad in ("0", "3601", "-1", "1.5", "x"):
        case("--timeout %r rejected" % bad, reg + ["--timeout", bad, "r.io/a:v1"], 2,
             "--timeout wants whole seconds")
    case("--ca-file without its argument", base + [ref, "--ca-file"], 2, "needs an argument")
    # revocation options, shared by the three verify commands
    for cmd in ("verify", "verify-envelope", "verify-blob"):
        case("%s --help lists the revocation options" % cmd, [cmd, "--help"], 0,
             out_has="revocation options")
        for flag in ("--revocation-offline", "--crl FILE", "--revocation-cache DIR",
                     "--ocsp-timeout MS", "--crl-timeout MS"):
            case("%s --help lists %s" % (cmd, flag), [cmd, "--help"], 0, out_has=flag)
    for flag in ("--ocsp-timeout", "--crl-timeout"):
        for bad in ("0", "60001", "abc", "-1", "", "1.5", " 5", "+5", "99999999999999999999"):
            case("%s %r rejected" % (flag, bad), base + [flag, bad, ref], 2,
                 flag + " wants whole milliseconds from 1 to 60000")
    case("revocation options accepted", base + ["--at", PIN, "--ocsp-timeout", "60000",
                                                "--crl-timeout", "1", "--revocation-offline",
                                                "--revocation-cache", env.tmp, ref],
         0, out_has="VERIFIED")
    missing = os.path.join(env.tmp, "missing.crl")
    case("--crl of a missing file", base + ["--crl", missing, ref], 2,
         "cannot open --crl file " + missing)
    not_crl = env.write("not-a-crl.crl", "this is not a CRL\n")
    case("--crl of a file that is not a CRL", base + ["--crl", not_crl, ref], 2,
         "--crl file %s is not a usable CRL: nv_revocation_preload_crl: " % not_crl)
    case("--crl of a certificate (PEM of another kind)", base + ["--crl", os.path.join(
        env.store, "x509", "ca", "bench-rsa3072", "root.crt"), ref], 2,
         "a PEM file without a -----BEGIN X509 CRL----- block")
    trailing = env.write("trailing-pem.crl",
                         "-----BEGIN X509 CRL-----MIIB\nMIIB\n-----END X509 CRL-----\n")
    case("--crl of a PEM block with text after BEGIN", base + ["--crl", trailing, ref], 2,
         "text after -----BEGIN X509 CRL----- on its line")
    bad_pem = env.write("bad-pem.crl", "-----BEGIN X509 CRL-----\nMIIB=\n-----END X509 CRL-----\n")
    case("--crl of a PEM block with bad base64", base + ["--crl", bad_pem, ref], 2,
         "--crl file %s: bad base64 in the PEM block" % bad_pem)
    open_pem = env.write("open-pem.crl", "-----BEGIN X509 CRL-----\nMIIB\n")
    case("--crl of a PEM block without its end", base + ["--crl", open_pem, ref], 2,
         "no -----END X509 CRL----- line")
    case("--crl of a directory", base + ["--crl", env.tmp, ref], 2,
         "--crl file %s is not a regular file" % env.tmp)
    case("--crl 65 times", base + ["--crl", not_crl] * 65 + [ref], 2, "at most 64 --crl files")
    case("--crl without its argument", base + [ref, "--crl"], 2, "--crl needs an argument")
    for bad in (os.path.join(env.tmp, "no-such-dir"), not_crl, ""):
        case("--revocation-cache %r rejected" % bad, base + ["--revocation-cache", bad, ref], 2,
             '--revocation-cache "%s" is not an existing directory' % bad)
    case("verify-envelope without --target",
         ["verify-envelope", "--envelope", "e", "--media-type", "application/cose", "r"], 2,
         "--envelope, --media-type and --target are required")
    case("verify-blob without --signature", ["verify-blob", "blob"], 2,
         "--signature FILE is required")
    case("verify-blob without a blob", ["verify-blob", "--signature", "s.jws.sig"], 2,
         "a BLOBFILE is required")
    case("verify-blob envelope type unknown", ["verify-blob", "--signature", "s.sig", "b"], 2,
         "give --media-type")
    case("policy without sub-command", ["policy"], 2, "validate or match")
    case("policy unknown sub-command", ["policy", "frob"], 2, "unknown sub-command")
    case("policy match without reference", ["policy", "match", env.policy], 2,
         "FILE and REFERENCE are required")
    case("inspect without --envelope", ["inspect"], 2, "--envelope FILE is required")
    return cases


# ---------------------------------------------------------------- verify

def check_demo_json(env, kind, doc, ref):
    lay = env.layouts[kind]
    check(doc["verified"] is True, "verified is not true")
    check(doc["status"] == "NV_OK" and doc["code"] == 0, "status %s" % doc["status"])
    check(doc["reference"] == ref, "reference %r" % doc["reference"])
    check(doc["digest"] == lay["artifact"]["digest"], "digest %r" % doc["digest"])
    check(doc["policy"] == {"name": "notaryc-demo", "level": "strict"},
          "policy %r" % doc["policy"])
    check(doc["verification_time"] == PIN, "verification_time %r" % doc["verification_time"])
    check(len(doc["signatures"]) == 1, "%d signatures" % len(doc["signatures"]))
    s = doc["signatures"][0]
    check(s["manifest_digest"] == lay["sig_manifest"], "manifest_digest %r" % s["manifest_digest"])
    check(s["media_type"] == lay["envelope_media_type"], "media_type %r" % s["media_type"])
    check(s["signing_scheme"] == "notary.x509", "signing_scheme %r" % s["signing_scheme"])
    check(s["signer"] == SIGNER, "signer %r" % s["signer"])
    check(s["signing_time"] == "2026-11-27T05:31:09Z", "signing_time %r" % s["signing_time"])
    check(s["status"] == "NV_OK", "signature status %r" % s["status"])
    for name in CHECKS[:4]:
        c = s["checks"][name]
        check(c["action"] == "enforce" and c["outcome"] == "passed" and c["code"] == 0,
              "check %s: %r" % (name, c))
    c = s["checks"]["revocation"]
    check(c["action"] == "skip" and c["outcome"] == "not_run", "revocation %r" % c)


def t_verify(env):
    cases = []

    def demo_json(kind):
        def run():
            ref = env.layout_ref(kind)
            rc, out, err = env.verify(ref, "--output", "json")
            expect_rc(rc, 0, out, err)
            doc = parse_json(out)
            check_demo_json(env, kind, doc, ref)
            check(any("tag \"v1\" resolved to" in w for w in doc["warnings"]),
                  "no tag warning: %r" % doc["warnings"])
            check(err == "", "stderr not empty: %s" % err)
        return run

    def demo_text(kind):
        def run():
            lay = env.layouts[kind]
            ref = env.layout_ref(kind)
            rc, out, err = env.verify(ref)
            expect_rc(rc, 0, out, err)
            lines = out.splitlines()
            check(lines[0] == "VERIFIED %s (digest %s)" % (ref, lay["artifact"]["digest"]),
                  "first line %r" % lines[0])
            check('statement "notaryc-demo", level strict; verification time ' + PIN in out,
                  "no policy line")
            check("signature 1 of 1: " + lay["sig_manifest"] in out, "no signature line")
            check(SIGNER in out and lay["envelope_media_type"] in out, "no signer/media type")
            for name in CHECKS[:4]:
                check(any(l.split() == [name, "enforce", "passed"] for l in lines),
                      "no passed line for %s" % name)
            check(any(l.split() == ["revocation", "skip", "skipped"] for l in lines),
                  "no skipped revocation line")
            check("result:        accepted" in out, "no accepted line")
        return run

    def by_digest():
        lay = env.layouts["jws"]
        ref = lay["path"] + "@" + lay["artifact"]["digest"]
        rc, out, err = env.verify(ref, "--output", "json")
        expect_rc(rc, 0, out, err)
        doc = parse_json(out)
        check_demo_json(env, "jws", doc, ref)
        check(doc["warnings"] == [], "warnings %r" % doc["warnings"])

    def at_offset():
        rc, out, err = env.verify(env.layout_ref("jws"), "--output", "json",
                                  at="2027-01-01T01:30:00.123+01:30")
        expect_rc(rc, 0, out, err)
        check(parse_json(out)["verification_time"] == PIN, "offset not applied")

    def at_leap_day():
        rc, out, err = env.verify(env.layout_ref("jws"), "--output", "json",
                                  at="2028-02-29T12:00:00z")
        expect_rc(rc, 0, out, err)
        check(parse_json(out)["verification_time"] == "2028-02-29T12:00:00Z", "leap day")

    def not_yet_valid():
        rc, out, err = env.verify(env.layout_ref("jws"), "--output", "json", at=BEFORE_DEMO)
        expect_rc(rc, 1, out, err)
        doc = parse_json(out)
        check(doc["verified"] is False and doc["status"] == "NV_E_VERIFICATION_FAILED",
              "status %r" % doc["status"])
        s = doc["signatures"][0]
        c = s["checks"]["authenticTimestamp"]
        check(c["outcome"] == "failed" and c["status"] == "NV_E_CERT_NOT_YET_VALID"
              and c["code"] == -2600 and c["action"] == "enforce", "check %r" % c)
        check(s["status"] == "NV_E_CERT_NOT_YET_VALID", "signature status %r" % s["status"])
        check(s["checks"]["integrity"]["outcome"] == "passed", "integrity")
        rc, out, err = env.verify(env.layout_ref("jws"), at=BEFORE_DEMO)
        expect_rc(rc, 1, out, err)
        check(out.startswith("NOT VERIFIED "), "text: %r" % out[:60])
        check("FAILED (enforced): NV_E_CERT_NOT_YET_VALID" in out, "text check line")

    def user_metadata_mismatch():
        rc, out, err = env.verify(env.layout_ref("cose"), "--output", "json",
                                  "-m", "team=platform")
        expect_rc(rc, 1, out, err)
        doc = parse_json(out)
        s = doc["signatures"][0]
        check(s["status"] == "NV_E_USER_METADATA_MISMATCH", "status %r" % s["status"])
        rc, out, err = env.verify(env.layout_ref("cose"), "--user-metadata=team=platform")
        expect_rc(rc, 1, out, err)
        check("REJECTED (NV_E_USER_METADATA_MISMATCH)" in out, "text: %s" % out)

    def verbose():
        rc, out, err = env.verify(env.layout_ref("jws"), "-v")
        expect_rc(rc, 0, out, err)
        check("notaryc: [warn] verify: tag \"v1\" resolved" in err, "stderr: %s" % err)

    def config_dir(variable):
        def run():
            base = os.path.join(env.tmp, "cfg-" + variable)
            conf = {"NOTATION_CONFIG": base,
                    "XDG_CONFIG_HOME": os.path.join(base, "notation"),
                    "HOME": os.path.join(base, ".config", "notation")}[variable]
            os.makedirs(conf)
            shutil.copy(env.policy, os.path.join(conf, "trustpolicy.json"))
            shutil.copytree(env.store, os.path.join(conf, "truststore"))
            vars_ = {"HOME": env.home}
            if variable == "NOTATION_CONFIG":
                vars_["NOTATION_CONFIG"] = conf
            elif variable == "XDG_CONFIG_HOME":
                vars_["XDG_CONFIG_HOME"] = base
            else:
                vars_["HOME"] = base
            args = ["verify", "--oci-layout", "--scope", SCOPE, "--at", PIN,
                    env.layout_ref("jws")]
            rc, out, err = env.run(*args, env=vars_)
            expect_rc(rc, 0, out, err)
            # trustpolicy.oci.json wins over trustpolicy.json: a wrong
            # identity there must fail the verification.
            with open(env.policy) as f:
                doc = json.load(f)
            doc["trustPolicies"][0]["trustedIdentities"] = [
                "x509.subject: C=US, ST=WA, O=Notary Bench, CN=Someone Else"]
            with open(os.path.join(conf, "trustpolicy.oci.json"), "w") as f:
                json.dump(doc, f)
            rc, out, err = env.run(*args, env=vars_)
            expect_rc(rc, 1, out, err)
            check("NV_E_IDENTITY_MISMATCH" in out, "oci.json not preferred: %s" % out)
        return run

    def no_config():
        rc, out, err = env.run("verify", "--oci-layout", "--scope", SCOPE, "--at", PIN,
                               env.layout_ref("jws"), env={"HOME": ""})
        expect_rc(rc, 2, out, err)
        check("NOTATION_CONFIG" in err, "stderr: %s" % err)

    cases += [("demo JWS layout, JSON", demo_json("jws")),
              ("demo COSE layout, JSON", demo_json("cose")),
              ("demo JWS layout, text", demo_text("jws")),
              ("demo COSE layout, text", demo_text("cose")),
              ("reference by digest", by_digest),
              ("--at with an offset and fraction", at_offset),
              ("--at on a leap day", at_leap_day),
              ("--at before notBefore", not_yet_valid),
              ("--user-metadata mismatch", user_metadata_mismatch),
              ("-v logs to stderr", verbose),
              ("config from NOTATION_CONFIG", config_dir("NOTATION_CONFIG")),
              ("config from XDG_CONFIG_HOME", config_dir("XDG_CONFIG_HOME")),
              ("config from HOME", config_dir("HOME")),
              ("no config directory", no_config)]
    return cases


# ---------------------------------------------------------------- failures

def t_failures(env):
    wrong = ["x509.subject: C=US, ST=WA, L=Seattle, O=Notary Bench, CN=Someone Else"]

    def wrong_identity():
        policy = env.demo_policy(trustedIdentities=wrong)
        rc, out, err = env.verify(env.layout_ref("jws"), "--output", "json", policy=policy)
        expect_rc(rc, 1, out, err)
        doc = parse_json(out)
        check(doc["verified"] is False and doc["status"] == "NV_E_VERIFICATION_FAILED"
              and doc["code"] == -1000, "status %r" % doc["status"])
        s = doc["signatures"][0]
        c = s["checks"]["authenticity"]
        check(c["action"] == "enforce" and c["outcome"] == "failed"
              and c["status"] == "NV_E_IDENTITY_MISMATCH" and c["code"] == -2406,
              "authenticity %r" % c)
        check(s["status"] == "NV_E_IDENTITY_MISMATCH", "signature status")
        rc, out, err = env.verify(env.layout_ref("jws"), policy=policy)
        expect_rc(rc, 1, out, err)
        lines = out.splitlines()
        check(lines[0].startswith("NOT VERIFIED " + env.layout_ref("jws")), lines[0])
        check("authenticity        enforce  FAILED (enforced): NV_E_IDENTITY_MISMATCH" in out,
              "no failed check line")
        check("result:        REJECTED (NV_E_IDENTITY_MISMATCH)" in out, "no rejected line")
        check(lines[-1].startswith("reason: none of the 1 signatures"), lines[-1])

    def audit():
        policy = env.demo_policy(trustedIdentities=wrong,
                                 signatureVerification={"level": "audit"})
        rc, out, err = env.verify(env.layout_ref("jws"), "--output", "json", policy=policy)
        expect_rc(rc, 0, out, err)
        doc = parse_json(out)
        check(doc["verified"] is True and doc["policy"]["level"] == "audit", "verdict")
        c = doc["signatures"][0]["checks"]["authenticity"]
        check(c["action"] == "log" and c["outcome"] == "failed"
              and c["status"] == "NV_E_IDENTITY_MISMATCH", "authenticity %r" % c)
        check(any("authenticity failed, only logged" in w for w in doc["warnings"]),
              "no warning about the logged failure: %r" % doc["warnings"])
        rc, out, err = env.verify(env.layout_ref("jws"), policy=policy)
        expect_rc(rc, 0, out, err)
        check(out.startswith("VERIFIED "), out[:40])
        check("failed (logged): NV_E_IDENTITY_MISMATCH" in out, "no logged line")
        check("warning: signature 1: authenticity failed, only logged" in out, "no warning")

    def skip():
        policy = env.demo_policy(signatureVerification={"level": "skip"}, trustStores=None,
                                 trustedIdentities=None)
        rc, out, err = env.verify(env.layout_ref("jws"), "--output", "json", policy=policy)
        expect_rc(rc, 3, out, err)
        doc = parse_json(out)
        check(doc["status"] == "NV_E_SKIPPED" and doc["verified"] is False, "status")
        check(doc["signatures"] == [], "signatures examined")
        rc, out, err = env.verify(env.layout_ref("jws"), policy=policy)
        expect_rc(rc, 3, out, err)
        check(out.startswith("SKIPPED " + env.layout_ref("jws")), out[:60])

    def tampered():
        lay = env.layouts["jws"]
        copy = os.path.join(env.tmp, "tampered-layout")
        shutil.copytree(lay["path"], copy)
        blob = os.path.join(copy, os.path.relpath(lay["envelope"], lay["path"]))
        os.chmod(blob, 0o644)
        with open(blob, "rb") as f:
            data = bytearray(f.read())
        data[len(data) // 2] ^= 0x01
        with open(blob, "wb") as f:
            f.write(data)
        rc, out, err = env.verify(copy + ":v1", "--output", "json")
        expect_rc(rc, 1, out, err)
        doc = parse_json(out)
        s = doc["signatures"][0]
        check(s["status"] == "NV_E_SIG_DIGEST_MISMATCH" and s["code"] == -2008,
              "signature status %r" % s["status"])
        check(doc["status"] == "NV_E_VERIFICATION_FAILED", "status %r" % doc["status"])
        rc, out, err = env.verify(copy + ":v1")
        expect_rc(rc, 1, out, err)
        check("REJECTED (NV_E_SIG_DIGEST_MISMATCH)" in out and "none ran" in out, out)

    def no_applicable_policy():
        rc, out, err = env.verify(env.layout_ref("jws"), "--output", "json",
                                  scope="example.local/other")
        expect_rc(rc, 1, out, err)
        check(parse_json(out)["status"] == "NV_E_NO_APPLICABLE_POLICY", "status")

    def registry_reference():
        # no statement for the repository: decided before any request
        base = ["verify", "--trust-policy", env.policy, "--trust-store", env.store,
                "--at", PIN, "--output", "json"]
        rc, out, err = env.run(*(base + ["127.0.0.1:1/notaryc-demo:v1"]))
        expect_rc(rc, 1, out, err)
        check(parse_json(out)["status"] == "NV_E_NO_APPLICABLE_POLICY", "status")
        # a Docker Hub short name is not expanded
        rc, out, err = env.run(*(base + ["alpine:3"]))
        expect_rc(rc, 2, out, err)
        doc = parse_json(out)
        check(doc["status"] == "NV_E_REFERENCE_INVALID", "status %r" % doc["status"])
        # a statement for it, but nothing listens on port 1: a network error
        policy = env.demo_policy(registryScopes=["127.0.0.1:1/notaryc-demo"])
        rc, out, err = env.run("verify", "--trust-policy", policy, "--trust-store", env.store,
                               "--at", PIN, "--output", "json", "--plain-http", "--timeout", "5",
                               "127.0.0.1:1/notaryc-demo:v1")
        expect_rc(rc, 2, out, err)
        doc = parse_json(out)
        check(doc["status"] in ("NV_E_NETWORK", "NV_E_TIMEOUT"), "status %r" % doc["status"])
        check(doc["verified"] is False and doc["signatures"] == [], "no signature examined")

    def missing_policy():
        rc, out, err = env.verify(env.layout_ref("jws"),
                                  policy=os.path.join(env.tmp, "nope.json"))
        expect_rc(rc, 2, out, err)
        check("cannot load the OCI trust policy" in err and out == "", err)

    def invalid_policy():
        policy = env.demo_policy(signatureVerification={"level": "bogus"})
        rc, out, err = env.verify(env.layout_ref("jws"), "--output", "json", policy=policy)
        expect_rc(rc, 2, out, err)
        check("cannot load the OCI trust policy" in err and out == "", err)

    def missing_store():
        rc, out, err = env.verify(env.layout_ref("jws"),
                                  store=os.path.join(env.tmp, "no-store"))
        expect_rc(rc, 2, out, err)
        check("cannot load the trust store" in err, err)

    def other_statements_store_missing():
        # only the applicable statement's stores are loaded
        with open(env.policy) as f:
            doc = json.load(f)
        other = dict(doc["trustPolicies"][0], name="other",
                     registryScopes=["example.local/other"], trustStores=["ca:absent"])
        doc["trustPolicies"].append(other)
        policy = env.write("two-statements.json", json.dumps(doc))
        rc, out, err = env.verify(env.layout_ref("jws"), policy=policy)
        expect_rc(rc, 0, out, err)
        rc, out, err = env.verify(env.layout_ref("jws"), policy=policy, scope="example.local/other")
        expect_rc(rc, 2, out, err)
        check("cannot load the trust store" in err and "absent" in err, err)

    def missing_layout():
        rc, out, err = env.verify(os.path.join(env.tmp, "no-layout") + ":v1")
        expect_rc(rc, 2, out, err)
        check(err.startswith("notaryc: ") and out == "", err)

    def unknown_tag():
        rc, out, err = env.verify(env.layout_ref("jws", "v2"))
        expect_rc(rc, 2, out, err)

    return [("wrong trusted identity", wrong_identity),
            ("wrong identity under audit", audit),
            ("level skip", skip),
            ("tampered envelope blob", tampered),
            ("no applicable statement", no_applicable_policy),
            ("registry references without a registry", registry_reference),
            ("missing policy file", missing_policy),
            ("invalid policy file", invalid_policy),
            ("missing trust store", missing_store),
            ("another statement's store missing", other_statements_store_missing),
            ("missing layout", missing_layout),
            ("unknown tag", unknown_tag)]


# ---------------------------------------------------------------- envelope

def t_envelope(env):
    def descriptor(kind, **changes):
        d = dict(env.layouts[kind]["artifact"])
        d.update(changes)
        return env.write("desc-%d.json" % len(os.listdir(env.tmp)), json.dumps(d))

    def run(kind, target, ref=SCOPE, *extra):
        lay = env.layouts[kind]
        return env.run("verify-envelope", "--envelope", lay["envelope"],
                       "--media-type", lay["envelope_media_type"], "--target", target,
                       "--trust-policy", env.policy, "--trust-store", env.store,
                       "--at", PIN, *(list(extra) + [ref]))

    def good(kind):
        def r():
            rc, out, err = run(kind, descriptor(kind), SCOPE, "--output", "json")
            expect_rc(rc, 0, out, err)
            doc = parse_json(out)
            check(doc["verified"] is True and doc["status"] == "NV_OK", "status")
            check(doc["digest"] == env.layouts[kind]["artifact"]["digest"], "digest")
            s = doc["signatures"][0]
            check(s["manifest_digest"] == "" and s["signer"] == SIGNER, "signature %r" % s)
            rc, out, err = run(kind, descriptor(kind))
            expect_rc(rc, 0, out, err)
            check(out.startswith("VERIFIED " + SCOPE + " (digest "), out[:80])
        return r

    def with_digest():
        digest = env.layouts["jws"]["artifact"]["digest"]
        rc, out, err = run("jws", descriptor("jws"), SCOPE + "@" + digest)
        expect_rc(rc, 0, out, err)

    def digest_disagrees():
        other = "sha256:" + "0" * 64
        rc, out, err = run("jws", descriptor("jws"), SCOPE + "@" + other)
        expect_rc(rc, 2, out, err)
        check("is not the target descriptor's" in err, err)

    def wrong_size():
        size = env.layouts["jws"]["artifact"]["size"] + 1
        rc, out, err = run("jws", descriptor("jws", size=size), SCOPE, "--output", "json")
        expect_rc(rc, 1, out, err)
        doc = parse_json(out)
        check(doc["status"] == "NV_E_VERIFICATION_FAILED", "status")
        check(doc["signatures"][0]["status"] == "NV_E_TARGET_ARTIFACT_MISMATCH",
              "signature %r" % doc["signatures"][0]["status"])

    def extra_members():
        rc, out, err = run("cose", descriptor("cose", annotations={"a": "b"},
                                              artifactType="application/x", urls=[1, 2.5e3]))
        expect_rc(rc, 0, out, err)

    def bad_descriptors():
        a = env.layouts["jws"]["artifact"]
        body = '"mediaType":"%s","digest":"%s"' % (a["mediaType"], a["digest"])
        for text in ("{%s}" % body,                              # no size
                     '{%s,"size":246,"size":246}' % body,        # duplicate
                     '{%s,"size":246} x' % body,                 # trailing data
                     '{%s,"size":-246}' % body,                  # negative
                     '{%s,"size":246.0}' % body,                 # not an integer
                     '{%s,"size":0246}' % body,                  # leading zero
                     '{%s,"size":"246"}' % body,                 # a string
                     '[%s]' % body, "", "{"):
            path = env.write("bad-desc-%d.json" % len(os.listdir(env.tmp)), text)
            rc, out, err = run("jws", path)
            expect_rc(rc, 2, out, err)
            check("target descriptor" in err, "text %r: %s" % (text, err))

    def wrong_media_type():
        rc, out, err = env.run("verify-envelope", "--envelope", env.layouts["jws"]["envelope"],
                               "--media-type", "application/cose", "--target",
                               descriptor("jws"), "--trust-policy", env.policy,
                               "--trust-store", env.store, "--at", PIN, "--output", "json",
                               SCOPE)
        expect_rc(rc, 1, out, err)
        check(parse_json(out)["signatures"][0]["checks"]["integrity"]["outcome"] == "failed",
              "integrity not failed")

    return [("JWS envelope with target descriptor", good("jws")),
            ("COSE envelope with target descriptor", good("cose")),
            ("reference with the same digest", with_digest),
            ("reference digest disagrees", digest_disagrees),
            ("wrong target size", wrong_size),
            ("descriptor with other members", extra_members),
            ("malformed descriptors", bad_descriptors),
            ("envelope decoded as the wrong type", wrong_media_type)]


# ---------------------------------------------------------------- blob

BLOB_POLICY = {
    "version": "1.0",
    "trustPolicies": [{
        "name": "blob-test",
        "signatureVerification": {"level": "strict"},
        "trustStores": ["ca:blob-test"],
        "trustedIdentities": ["*"],
        "globalPolicy": True,
    }],
}


def t_blob(env, signer):
    work = os.path.join(env.tmp, "blob")
    os.mkdir(work)
    blob = os.path.join(work, "artifact.bin")
    with open(blob, "wb") as f:
        f.write(b"notaryc blob test\n" * 1000)
    # An RSA-3072 root and leaf valid 2025-01-01 .. 2035-01-01 and a PS384
    # JWS over the blob (sha384 digest, media type application/octet-stream).
    p = subprocess.run([sys.executable, signer, work, "--blob", blob, "--key", "rsa3072",
                        "--root-subject", "C=US, O=notaryc CLI test, CN=notaryc CLI test root",
                        "--leaf-subject", "C=US, O=notaryc CLI test, CN=notaryc CLI test signer",
                        "--not-after", "2035-01-01T00:00:00Z",
                        "--signing-time", "2026-01-01T00:00:00Z",
                        "--signing-agent", "notaryc-cli-test/1.0",
                        "--envelope", "blob.jws.sig", "--truststore", "blob-test"],
                       capture_output=True, timeout=120)
    if p.returncode != 0:
        def signer_failed():
            raise Failure("notary_signer.py failed (python3-cryptography under /usr/bin/python3 "
                          "is needed): %s" % p.stderr.decode("utf-8", "replace")[-1500:])
        return [("independent blob signer", signer_failed)]
    signature = os.path.join(work, "blob.jws.sig")
    store = os.path.join(work, "truststore")
    policy = os.path.join(work, "trustpolicy.blob.json")
    with open(policy, "w") as f:
        json.dump(BLOB_POLICY, f)
    with open(blob, "rb") as f:
        content = f.read()
    digest = "sha384:" + hashlib.sha384(content).hexdigest()

    def run(target, *extra, sig=signature, at=PIN, store=store):
        args = ["verify-blob", "--signature", sig, "--trust-policy", policy,
                "--trust-store", store]
        if at:
            args += ["--at", at]
        return env.run(*(args + list(extra) + [target]))

    def good():
        rc, out, err = run(blob, "--output", "json")
        expect_rc(rc, 0, out, err)
        doc = parse_json(out)
        check(doc["verified"] is True and doc["status"] == "NV_OK", "status %r" % doc["status"])
        # nv_verify.h promises the signed digest of the blob here; the
        # library leaves it empty so far (reported), so "" is tolerated.
        check(doc["digest"] in (digest, ""), "digest %r, want %r" % (doc["digest"], digest))
        check(doc["policy"] == {"name": "blob-test", "level": "strict"}, "policy")
        s = doc["signatures"][0]
        check(s["media_type"] == "application/jose+json" and s["signing_time"] ==
              "2026-01-01T00:00:00Z", "signature %r" % s)
        check("notaryc CLI test signer" in s["signer"], "signer %r" % s["signer"])
        for name in CHECKS:
            check(s["checks"][name]["outcome"] == "passed", "%s %r" % (name, s["checks"][name]))
        rc, out, err = run(blob)
        expect_rc(rc, 0, out, err)
        check(out.splitlines()[0] in ("VERIFIED %s (digest %s)" % (blob, digest),
                                      "VERIFIED " + blob), out[:120])

    def named_policy():
        rc, out, err = run(blob, "--policy-name", "blob-test")
        expect_rc(rc, 0, out, err)
        rc, out, err = run(blob, "--policy-name", "nope", "--output", "json")
        expect_rc(rc, 1, out, err)
        check(parse_json(out)["status"] == "NV_E_NO_APPLICABLE_POLICY", "status")

    def blob_media_type():
        rc, out, err = run(blob, "--blob-media-type", "application/octet-stream")
        expect_rc(rc, 0, out, err)
        rc, out, err = run(blob, "--blob-media-type", "text/plain", "--output", "json")
        expect_rc(rc, 1, out, err)
        check(parse_json(out)["signatures"][0]["status"] == "NV_E_BLOB_DIGEST_MISMATCH", "code")

    def modified():
        changed = os.path.join(work, "modified.bin")
        with open(changed, "wb") as f:
            f.write(content[:-1] + b"!")
        rc, out, err = run(changed, "--output", "json")
        expect_rc(rc, 1, out, err)
        doc = parse_json(out)
        s = doc["signatures"][0]
        check(doc["status"] == "NV_E_VERIFICATION_FAILED", "status %r" % doc["status"])
        check(s["status"] == "NV_E_BLOB_DIGEST_MISMATCH" and s["code"] == -2903,
              "signature %r" % s["status"])
        rc, out, err = run(changed)
        expect_rc(rc, 1, out, err)
        check("REJECTED (NV_E_BLOB_DIGEST_MISMATCH)" in out, out)

    def media_type_option():
        plain = os.path.join(work, "signature.bin")
        shutil.copy(signature, plain)
        rc, out, err = run(blob, sig=plain)
        expect_rc(rc, 2, out, err)
        rc, out, err = run(blob, "--media-type", "application/jose+json", sig=plain)
        expect_rc(rc, 0, out, err)

    def before_validity():
        rc, out, err = run(blob, "--output", "json", at="2024-12-31T23:59:59Z")
        expect_rc(rc, 1, out, err)
        c = parse_json(out)["signatures"][0]["checks"]["authenticTimestamp"]
        check(c["status"] == "NV_E_CERT_NOT_YET_VALID", "check %r" % c)

    def default_config():
        conf = os.path.join(work, "config")
        os.mkdir(conf)
        shutil.copy(policy, os.path.join(conf, "trustpolicy.blob.json"))
        shutil.copytree(store, os.path.join(conf, "truststore"))
        rc, out, err = env.run("verify-blob", "--signature", signature, "--at", PIN, blob,
                               env={"NOTATION_CONFIG": conf})
        expect_rc(rc, 0, out, err)

    def oci_policy_refused():
        rc, out, err = run(blob, "--trust-policy", env.policy)
        expect_rc(rc, 2, out, err)
        check("cannot load the blob trust policy" in err, err)

    def blob_policy_commands():
        rc, out, err = env.run("policy", "validate", policy)
        expect_rc(rc, 0, out, err)
        check(out.startswith("VALID blob trust policy"), out)
        rc, out, err = env.run("policy", "match", "--global", policy)
        expect_rc(rc, 0, out, err)
        check('statement "blob-test", level strict' in out, out)
        rc, out, err = env.run("policy", "match", "--blob", "blob-test", policy)
        expect_rc(rc, 0, out, err)
        rc, out, err = env.run("policy", "match", "--blob", "nope", policy)
        expect_rc(rc, 1, out, err)
        check(out.startswith("NO MATCH"), out)

    def inspect_blob_signature():
        rc, out, err = env.run("inspect", "--envelope", signature)
        expect_rc(rc, 0, out, err)
        check("media type:              application/jose+json" in out, out)
        check("signing agent:           notaryc-cli-test/1.0 (unsigned)" in out, out)
        check('"digest":"%s"' % digest in out, "payload not shown")

    def revocation_offline():
        # A leaf naming a CRL distribution point (nothing listens there;
        # offline nothing is asked), the root's CRLs made by
        # python3-cryptography, never by libnotaryc.
        sys.path.insert(0, os.path.dirname(os.path.abspath(signer)))
        import datetime
        import notary_signer as ns
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        rwork = os.path.join(work, "revocation")
        root = ns.make_root("C=US, O=notaryc CLI test, CN=notaryc CLI revocation root", "ec256",
                            crl_sign=True)
        other = ns.make_root("C=US, O=notaryc CLI test, CN=notaryc CLI revocation root", "ec256",
                             crl_sign=True)  # same name, another key
        leaf = ns.make_leaf(root, "C=US, O=notaryc CLI test, CN=notaryc CLI revocation signer",
                            "ec256", crl_url="http://127.0.0.1:9/notaryc-cli-test.crl")
        sig = os.path.join(rwork, "revocation.jws.sig")
        ns.write_file(sig, ns.sign_jws(leaf, [leaf.cert, root.cert], ns.blob_descriptor(
            content, ns.key_algorithm(leaf.key)), "2026-01-01T00:00:00Z"))
        rstore = os.path.join(rwork, "truststore")
        ns.write_file(os.path.join(rstore, "x509", "ca", "blob-test", "root.crt"),
                      ns.pem(root.cert))
        pin = ns.parse_time(PIN)

        def crl(issuer, revoked=(), encoding=serialization.Encoding.DER):
            b = (x509.CertificateRevocationListBuilder().issuer_name(issuer.cert.subject)
                 .last_update(pin - datetime.timedelta(days=1))
                 .next_update(pin + datetime.timedelta(days=1))
                 .add_extension(x509.CRLNumber(1), critical=False))
            for serial in revoked:
                b = b.add_revoked_certificate(x509.RevokedCertificateBuilder()
                                              .serial_number(serial)
                                              .revocation_date(pin - datetime.timedelta(days=2))
                                              .build())
            path = os.path.join(rwork, "crl-%d.crl" % len(os.listdir(rwork)))
            ns.write_file(path, b.sign(issuer.key, hashes.SHA256()).public_bytes(encoding))
            return path

        def rev(*extra):
            rc, out, err = run(blob, "--revocation-offline", "--output", "json", *extra, sig=sig,
                               store=rstore)
            doc = parse_json(out) if out else {}
            s = (doc.get("signatures") or [{}])[0]
            return rc, s.get("status"), s.get("checks", {}).get("revocation", {}), out, err

        rc, status, check_, out, err = rev()
        expect_rc(rc, 1, out, err)
        check(status == "NV_E_REVOCATION_UNKNOWN" and check_.get("outcome") == "failed" and
              check_.get("action") == "enforce", "offline without --crl: %s %r" % (status, check_))
        for name, path in (("DER", crl(root)),
                           ("PEM", crl(root, encoding=serialization.Encoding.PEM))):
            rc, status, check_, out, err = rev("--crl", path)
            expect_rc(rc, 0, out, err)
            check(status == "NV_OK" and check_.get("outcome") == "passed",
                  "offline with a %s --crl: %s %r" % (name, status, check_))
        rc, status, check_, out, err = rev("--crl", crl(root, [leaf.cert.serial_number]))
        expect_rc(rc, 1, out, err)
        check(status == "NV_E_CERT_REVOKED", "a --crl that lists the leaf: %s" % status)
        # a CRL under the root's name signed by another key does not count
        rc, status, check_, out, err = rev("--crl", crl(other))
        expect_rc(rc, 1, out, err)
        check(status == "NV_E_REVOCATION_UNKNOWN", "a --crl by another key: %s" % status)
        # the text report says why
        rc, out, err = run(blob, "--revocation-offline", sig=sig, store=rstore)
        expect_rc(rc, 1, out, err)
        check("REJECTED (NV_E_REVOCATION_UNKNOWN)" in out, out)

    return [("blob signature verifies", good),
            ("--policy-name", named_policy),
            ("--blob-media-type", blob_media_type),
            ("modified blob", modified),
            ("envelope type from --media-type", media_type_option),
            ("--at before the signer's validity", before_validity),
            ("blob policy from NOTATION_CONFIG", default_config),
            ("OCI policy given for a blob", oci_policy_refused),
            ("policy validate/match on a blob policy", blob_policy_commands),
            ("inspect the blob signature", inspect_blob_signature),
            ("--revocation-offline: unknown; --crl DER or PEM answers", revocation_offline)]


# ---------------------------------------------------------------- policy, inspect

def t_policy(env):
    def validate_good():
        rc, out, err = env.run("policy", "validate", env.policy)
        expect_rc(rc, 0, out, err)
        lines = out.splitlines()
        check(lines[0] == "VALID OCI trust policy %s (1 statement)" % env.policy, lines[0])
        check(lines[1].strip() == 'statement "notaryc-demo", level strict', lines[1])
        check([l.split() for l in lines[2:]] == [[c, "enforce"] for c in CHECKS[:4]] +
              [["revocation", "skip"]], "actions %r" % lines[2:])

    def validate_bad():
        for changes, code in (({"signatureVerification": {"level": "bogus"}},
                               "NV_E_POLICY_LEVEL_INVALID"),
                              ({"registryScopes": ["example.local/a", "example.local/a"]},
                               "NV_E_POLICY_SCOPE_DUPLICATE"),
                              ({"trustedIdentities": []}, None)):
            path = env.demo_policy(**changes)
            rc, out, err = env.run("policy", "validate", path)
            expect_rc(rc, 2, out, err)
            check(err.startswith("INVALID OCI trust policy " + path), err)
            if code:
                check(code in err, "%s not in %s" % (code, err))
        rc, out, err = env.run("policy", "validate", env.write("garbage.json", "{"))
        expect_rc(rc, 2, out, err)
        rc, out, err = env.run("policy", "validate", os.path.join(env.tmp, "missing.json"))
        expect_rc(rc, 2, out, err)
        check("INVALID" in err, err)
        rc, out, err = env.run("policy", "validate", "--blob", env.policy)
        expect_rc(rc, 2, out, err)
        check(err.startswith("INVALID blob trust policy"), err)

    def match():
        for ref in (SCOPE, SCOPE + ":v1", SCOPE + "@sha256:" + "a" * 64):
            rc, out, err = env.run("policy", "match", env.policy, ref)
            expect_rc(rc, 0, out, err)
            lines = out.splitlines()
            check(lines[0] == 'statement "notaryc-demo", level strict', lines[0])
            check(lines[1] == "  applies to " + ref, lines[1])
            check(lines[-1].split() == ["revocation", "skip"], lines[-1])
        rc, out, err = env.run("policy", "match", env.policy, "example.local/other:v1")
        expect_rc(rc, 1, out, err)
        check(out.startswith("NO MATCH"), out)

    def match_wildcard_and_skip():
        with open(env.policy) as f:
            doc = json.load(f)
        doc["trustPolicies"].append({"name": "everything-else", "registryScopes": ["*"],
                                     "signatureVerification": {"level": "skip"}})
        path = env.write("two-statements.json", json.dumps(doc))
        rc, out, err = env.run("policy", "match", path, "example.local/other:v1")
        expect_rc(rc, 0, out, err)
        check(out.startswith('statement "everything-else", level skip'), out)
        check("notaryc verify exits 3" in out, out)
        rc, out, err = env.run("policy", "match", path, SCOPE)
        expect_rc(rc, 0, out, err)
        check(out.startswith('statement "notaryc-demo"'), out)
        rc, out, err = env.run("policy", "validate", path)
        expect_rc(rc, 0, out, err)
        check("(2 statements)" in out, out)

    def inspect(kind):
        def run():
            lay = env.layouts[kind]
            rc, out, err = env.run("inspect", "--envelope", lay["envelope"])
            expect_rc(rc, 0, out, err)
            check("media type guessed from the content" in out, "no guess note")
            check("this is NOT verification" in out, "no warning that this is not verification")
            check("media type:              " + lay["envelope_media_type"] in out, out)
            check("signing scheme:          notary.x509" in out, out)
            check("signature algorithm:     PS384" in out, out)
            check("signing time:            2026-11-27T05:31:09Z" in out, out)
            check("  [0] " + SIGNER in out, out)
            check("  [1] CN=Notary Bench RSA-3072 Root CA" in out, out)
            check('"digest":"%s"' % lay["artifact"]["digest"] in out, "payload")
            rc, out2, err = env.run("inspect", "--envelope", lay["envelope"], "--media-type",
                                    lay["envelope_media_type"])
            expect_rc(rc, 0, out2, err)
            check("guessed" not in out2, "guessed with --media-type")
        return run

    def inspect_bad():
        path = env.write("not-an-envelope.jws.sig", '{"payload":1}')
        rc, out, err = env.run("inspect", "--envelope", path)
        expect_rc(rc, 2, out, err)
        check("cannot decode" in err and "NV_E_" in err, err)
        rc, out, err = env.run("inspect", "--envelope", os.path.join(env.tmp, "none"))
        expect_rc(rc, 2, out, err)
        rc, out, err = env.run("inspect", "--envelope", env.layouts["jws"]["envelope"],
                               "extra")
        expect_rc(rc, 2, out, err)

    return [("policy validate: demo policy", validate_good),
            ("policy validate: invalid policies", validate_bad),
            ("policy match", match),
            ("policy match: wildcard and skip", match_wildcard_and_skip),
            ("inspect JWS envelope", inspect("jws")),
            ("inspect COSE envelope", inspect("cose")),
            ("inspect failures", inspect_bad)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--notaryc", required=True)
    ap.add_argument("--source-root", required=True)
    ap.add_argument("--blob-signer")
    ap.add_argument("--group", required=True,
                    choices=["usage", "verify", "failures", "envelope", "blob", "policy"])
    a = ap.parse_args()
    env = Env(os.path.abspath(a.notaryc), os.path.abspath(a.source_root))
    passed = failed = 0
    try:
        if a.group == "blob":
            signer = a.blob_signer or os.path.join(os.path.dirname(__file__), os.pardir,
                                                   "signer", "notary_signer.py")
            cases = t_blob(env, signer)
        else:
            cases = globals()["t_" + a.group](env)
        for name, fn in cases:
            try:
                fn()
                passed += 1
                print("ok     %s" % name)
            except Failure as e:
                failed += 1
                print("FAILED %s: %s" % (name, e))
            except Exception as e:  # a crash of the test itself counts as a failure
                failed += 1
                print("FAILED %s: %s: %s" % (name, type(e).__name__, e))
    finally:
        env.cleanup()
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
