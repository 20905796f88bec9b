"""What the integration groups that sign with tests/signer/notary_signer.py
and run notaryc share (revocation.py, timestamps.py): the command line, the
signer module on sys.path, a work directory, and the case runner that ends
with `GROUP: N passed, N failed, N skipped`."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def args():
    """--notaryc and --source-root; the signer directory goes on sys.path."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--notaryc", required=True)
    ap.add_argument("--source-root", required=True)
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.source_root, "tests", "signer"))
    return a


class Cases:
    """Cases registered with @cases.add(name), run in order by run()."""

    def __init__(self):
        self.items = []

    def add(self, name):
        def deco(fn):
            self.items.append((name, fn))
            return fn
        return deco

    def run(self, work, cleanup=None):
        """Run every case; then `cleanup` and the removal of `work` (kept with
        NV_IT_KEEP=1). Returns the exit status."""
        passed = failed = skipped = 0
        try:
            for name, fn in self.items:
                try:
                    fn()
                    print("PASS %s" % name)
                    passed += 1
                except Skip as e:
                    print("SKIP %s: %s" % (name, e))
                    skipped += 1
                except (Failure, subprocess.SubprocessError, OSError) as e:
                    print("FAIL %s: %s" % (name, e))
                    failed += 1
        finally:
            if cleanup is not None:
                cleanup()
            if os.environ.get("NV_IT_KEEP") == "1":
                print("kept %s" % work)
            else:
                shutil.rmtree(work, ignore_errors=True)
        print("GROUP: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
        return 1 if failed else 0


def work_dir(prefix):
    return tempfile.mkdtemp(prefix=prefix)
