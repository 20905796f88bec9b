#!/usr/bin/python3
"""Integration group `timestamps`: RFC 3161 timestamps from a real TSA.

OpenSSL's TSA (`openssl ts -reply`, with TSA certificates this script makes)
stamps blob signatures made by the independent signer
(tests/signer/notary_signer.py); `notaryc verify-blob` verifies them under
a blob trust policy with `ca:` and `tsa:` stores. No server runs: the TSA
is a one-shot command. genTime is the current time, so every certificate's
validity and the verification time (--at) are set relative to it.

    /usr/bin/python3 tests/integration/timestamps.py --notaryc build/tools/notaryc \
        --source-root .

Cases: valid; expired signing certificate saved by the timestamp (always,
and afterCertExpiry); signing certificate not yet valid at genTime;
signing certificate expired before genTime; TSA root not in the tsa store;
imprint over other bytes; a token whose signature is broken; afterCertExpiry
with an unexpired chain ignores a bad token; no tsa store (the current-time
check); JWS and COSE. Exit 77 when python3-cryptography, python3-cbor2 or
openssl is missing. Ends with `GROUP: N passed, N failed, N skipped`.
"""
import datetime
import json
import os
import shutil
import subprocess
import sys

from signed_group import Cases, Failure, args, rfc3339, work_dir  # noqa: E402




def main():
    a = args()
    try:
        import notary_signer as ns
        import cbor2  # noqa: F401  (COSE envelopes)
    except ImportError as e:
        print("SKIP timestamps: %s (python3-cryptography, python3-cbor2)" % e)
        return 77
    if shutil.which("openssl") is None:
        print("SKIP timestamps: openssl not found")
        return 77

    work = work_dir("nv-it-ts-")
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    day = datetime.timedelta(days=1)
    hour = datetime.timedelta(hours=1)
    long_nb, long_na = rfc3339(now - 365 * day), rfc3339(now + 3650 * day)

    # the signing PKI and the TSA PKI, each with its own root
    root = ns.make_root("C=US, O=notaryc ts test, CN=signing root", not_before=long_nb,
                        not_after=long_na)
    tsa_root = ns.make_root("C=US, O=notaryc ts test, CN=TSA root", not_before=long_nb,
                            not_after=long_na)
    tsa = ns.make_tsa_leaf(tsa_root, "C=US, O=notaryc ts test, CN=TSA", not_before=long_nb,
                           not_after=long_na)
    other_root = ns.make_root("C=US, O=notaryc ts test, CN=other TSA root",
                              not_before=long_nb, not_after=long_na)
    store = os.path.join(work, "truststore")
    ns.write_file(os.path.join(store, "x509", "ca", "ts", "root.crt"), ns.pem(root.cert))
    ns.write_file(os.path.join(store, "x509", "tsa", "ts", "root.crt"), ns.pem(tsa_root.cert))
    ns.write_file(os.path.join(store, "x509", "tsa", "other", "root.crt"),
                  ns.pem(other_root.cert))
    blob = os.path.join(work, "blob.bin")
    ns.write_file(blob, b"notaryc timestamp integration test\n" * 100)
    with open(blob, "rb") as f:
        data = f.read()

    def policy(name, stores, verify_ts="always"):
        path = os.path.join(work, "policy-%s.json" % name)
        doc = {"version": "1.0", "trustPolicies": [{
            "name": "ts", "globalPolicy": True,
            "signatureVerification": {"level": "strict", "verifyTimestamp": verify_ts},
            "trustStores": stores, "trustedIdentities": ["*"]}]}
        with open(path, "w") as f:
            json.dump(doc, f)
        return path

    p_always = policy("always", ["ca:ts", "tsa:ts"])
    p_after = policy("after", ["ca:ts", "tsa:ts"], "afterCertExpiry")
    p_other = policy("other", ["ca:ts", "tsa:other"])
    p_after_other = policy("after-other", ["ca:ts", "tsa:other"], "afterCertExpiry")
    p_none = policy("none", ["ca:ts"])

    def stamp(sig):
        return ns.timestamp_token(tsa, [tsa.cert, tsa_root.cert], sig, work)

    def stamp_other_bytes(sig):
        return ns.timestamp_token(tsa, [tsa.cert, tsa_root.cert], b"other bytes", work)

    def stamp_broken(sig):
        token = bytearray(stamp(sig))
        token[-10] ^= 0x01  # inside the SignerInfo's signature value
        return bytes(token)

    def sign(name, not_before, not_after, fmt="jws", timestamper=stamp):
        leaf = ns.make_leaf(root, "C=US, O=notaryc ts test, CN=signer " + name,
                            not_before=rfc3339(not_before), not_after=rfc3339(not_after))
        target = ns.blob_descriptor(data, ns.key_algorithm(leaf.key))
        fn = ns.sign_cose if fmt == "cose" else ns.sign_jws
        env = fn(leaf, [leaf.cert, root.cert], target, rfc3339(now), None, "timestamps.py",
                 timestamper=timestamper)
        path = os.path.join(work, "%s.%s.sig" % (name, fmt))
        ns.write_file(path, env)
        return path

    def verify(sig, pol, at):
        p = subprocess.run([a.notaryc, "verify-blob", "--signature", sig, "--trust-policy", pol,
                            "--trust-store", store, "--at", rfc3339(at), "--output", "json",
                            blob], capture_output=True, timeout=120)
        out = p.stdout.decode("utf-8", "replace")
        try:
            doc = json.loads(out)
        except ValueError:
            raise Failure("exit %d, not JSON: %s %s" % (p.returncode, out[:300],
                                                        p.stderr.decode()[:300]))
        return p.returncode, doc

    def expect(sig, pol, at, rc_want, status_want, ts_outcome=None):
        rc, doc = verify(sig, pol, at)
        sigs = doc.get("signatures") or [{}]
        checks = sigs[0].get("checks", {})
        ts = checks.get("authenticTimestamp") or checks.get("authentic_timestamp") or {}
        # the signature's status (the verdict is NV_E_VERIFICATION_FAILED
        # when it is rejected)
        got = doc.get("status") if status_want == "NV_OK" else sigs[0].get("status")
        if rc != rc_want or got != status_want:
            raise Failure("exit %d status %s, want exit %d status %s; timestamp check %r" %
                          (rc, got, rc_want, status_want, ts))
        if ts_outcome is not None and ts.get("outcome") != ts_outcome:
            raise Failure("authentic timestamp check %r, want outcome %s" % (ts, ts_outcome))
        return doc

    cases = Cases()
    case = cases.add

    @case("valid timestamp (JWS and COSE), shown by notaryc")
    def _():
        for fmt in ("jws", "cose"):
            sig = sign("valid", now - day, now + 30 * day, fmt)
            doc = expect(sig, p_always, now + hour, 0, "NV_OK", "passed")
            shown = doc["signatures"][0].get("timestamp")
            if not isinstance(shown, str) or not shown.startswith(rfc3339(now)[:10]):
                raise Failure("JSON timestamp %r, want genTime on %s" % (shown, rfc3339(now)[:10]))
            if not isinstance(doc["signatures"][0].get("timestamp_accuracy_us"), int):
                raise Failure("no timestamp_accuracy_us in %r" % doc["signatures"][0])
            p = subprocess.run([a.notaryc, "verify-blob", "--signature", sig, "--trust-policy",
                                p_always, "--trust-store", store, "--at", rfc3339(now + hour),
                                blob], capture_output=True, timeout=120)
            text = p.stdout.decode("utf-8", "replace")
            if p.returncode != 0 or "timestamp:" not in text or "RFC 3161" not in text:
                raise Failure("text report without the timestamp line: %s" % text[:600])

    @case("expired signing certificate saved by the timestamp")
    def _():
        for fmt in ("jws", "cose"):
            sig = sign("expired", now - day, now + hour, fmt)
            expect(sig, p_always, now + 2 * day, 0, "NV_OK", "passed")
            expect(sig, p_after, now + 2 * day, 0, "NV_OK", "passed")
            # without a tsa store the verification time decides
            expect(sig, p_none, now + 2 * day, 1, "NV_E_CERT_EXPIRED")

    @case("signing certificate not yet valid at genTime")
    def _():
        sig = sign("future", now + day, now + 10 * day)
        expect(sig, p_always, now + 2 * day, 1, "NV_E_TIMESTAMP_BEFORE_CERT_VALIDITY")

    @case("genTime after the signing certificate expired")
    def _():
        sig = sign("past", now - 10 * day, now - day)
        expect(sig, p_always, now + hour, 1, "NV_E_TIMESTAMP_AFTER_CERT_VALIDITY")

    @case("TSA root not in the tsa store")
    def _():
        sig = sign("wrongroot", now - day, now + 30 * day)
        expect(sig, p_other, now + hour, 1, "NV_E_TSA_CHAIN_UNTRUSTED")

    @case("imprint over other bytes")
    def _():
        sig = sign("imprint", now - day, now + 30 * day, timestamper=stamp_other_bytes)
        expect(sig, p_always, now + hour, 1, "NV_E_TSTINFO_IMPRINT_MISMATCH")

    @case("token signature broken")
    def _():
        sig = sign("broken", now - day, now + 30 * day, timestamper=stamp_broken)
        expect(sig, p_always, now + hour, 1, "NV_E_TIMESTAMP_SIGNATURE_INVALID")

    @case("afterCertExpiry: an unexpired chain does not look at the token")
    def _():
        sig = sign("unexpired", now - day, now + 30 * day)
        expect(sig, p_after_other, now + hour, 0, "NV_OK", "passed")
        expect(sig, p_after_other, now + 60 * day, 1, "NV_E_TSA_CHAIN_UNTRUSTED")

    @case("no timestamp with verifyTimestamp always")
    def _():
        sig = sign("none", now - day, now + 30 * day, timestamper=None)
        expect(sig, p_always, now + hour, 1, "NV_E_TIMESTAMP_MISSING")

    return cases.run(work)


if __name__ == "__main__":
    sys.exit(main())
