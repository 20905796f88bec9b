#!/usr/bin/env python3
"""Check the layering rule of docs/design.md section 2 on #include lines.

Layers depend one way: verify -> {registry, envelope, x509, policy} -> base,
plus policy -> x509. Third-party headers stay in their layer (libcurl in
registry, libcbor in envelope, OpenSSL in x509 and base/digest.c, cJSON in
base/json.c). Public headers include only public and standard headers; the
tools include only the public API.

  check_layering.py --root SRC [--stamp FILE]   check the tree (exit 1 on a violation)
  check_layering.py --self-test                 prove the checker catches breaks
"""
import argparse
import os
import re
import sys
import tempfile

LAYER_DEPS = {
    "base": set(),
    "registry": {"base"},
    "envelope": {"base"},
    "x509": {"base"},
    "policy": {"base", "x509"},
    "verify": {"base", "registry", "envelope", "x509", "policy"},
}

# third-party header -> where it may appear: layer names, or "layer/file.c".
THIRD_PARTY = [
    (re.compile(r"^openssl/"), {"x509", "base/digest.c"}),
    (re.compile(r"^(cbor\.h|cbor/)"), {"envelope"}),
    (re.compile(r"^(cjson/|cJSON)"), {"base/json.c"}),
    (re.compile(r"^curl/"), {"registry"}),
    (re.compile(r"^cmocka\.h$"), set()),  # tests only
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def third_party_rule(header):
    for pattern, allowed in THIRD_PARTY:
        if pattern.search(header):
            return allowed
    return None


def check_file(path, rel, errors):
    """rel is the path relative to the source root, with '/' separators."""
    parts = rel.split("/")
    kind = parts[0]
    layer = None
    if kind == "lib" and len(parts) > 2 and parts[1] in LAYER_DEPS:
        layer = parts[1]
        layer_file = parts[1] + "/" + "/".join(parts[2:])
    elif kind == "tests" and len(parts) > 3 and parts[1] == "unit" and parts[2] in LAYER_DEPS:
        layer = parts[2]
        layer_file = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            quote, header = m.groups()
            where = "%s:%d" % (rel, lineno)
            if ".." in header.split("/"):
                errors.append("%s: relative include \"%s\" escapes the layer" % (where, header))
                continue
            public = header == "notaryc.h" or header.startswith("notaryc/")
            rule = third_party_rule(header)
            if kind == "include":
                if not public and rule is not None:
                    errors.append("%s: public header includes third-party <%s>" % (where, header))
                elif quote == '"' and not public:
                    errors.append("%s: public header includes internal \"%s\"" % (where, header))
                continue
            if kind == "tools":
                if quote == '"' or rule is not None:
                    errors.append("%s: tools may use only the public API and the C library, not %s"
                                  % (where, header))
                continue
            if layer is None:
                continue
            if rule is not None:
                if kind == "tests":
                    # a layer's tests may use what the layer and its dependencies use
                    owners = {entry.split("/")[0] for entry in rule}
                    ok = header == "cmocka.h" or bool(owners & ({layer} | LAYER_DEPS[layer]))
                else:
                    ok = layer in rule or layer_file in rule
                if not ok:
                    errors.append("%s: third-party <%s> is not allowed in %s"
                                  % (where, header, layer_file or "tests of layer " + layer))
                continue
            if quote == '"' and "/" in header:
                target = header.split("/")[0]
                if target in LAYER_DEPS and target != layer and target not in LAYER_DEPS[layer]:
                    errors.append("%s: layer %s may not include \"%s\" (allowed: %s)"
                                  % (where, layer, header,
                                     ", ".join(sorted(LAYER_DEPS[layer])) or "nothing"))


def check_tree(root):
    errors = []
    for top in ("lib", "include", "tools", "tests/unit"):
        base = os.path.join(root, top)
        for dirpath, _dirs, files in os.walk(base):
            for name in sorted(files):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                check_file(path, rel, errors)
    return errors


def self_test():
    """Each deliberate break must be reported; the clean tree must pass."""
    cases = {
        "sideways": ("lib/envelope/x.c", '#include "x509/nv_x509_certs.h"\n'),
        "upward": ("lib/base/x.c", '#include "policy/nv_pol_level.h"\n'),
        "curl outside registry": ("lib/verify/x.c", "#include <curl/curl.h>\n"),
        "openssl in policy": ("lib/policy/x.c", "#include <openssl/x509.h>\n"),
        "cjson outside json.c": ("lib/base/other.c", "#include <cjson/cJSON.h>\n"),
        "cbor in x509": ("lib/x509/x.c", "#include <cbor.h>\n"),
        "relative escape": ("lib/envelope/x.c", '#include "../x509/nv_x509_certs.h"\n'),
        "tool uses internals": ("tools/t.c", '#include "base/nv_diag.h"\n'),
        "public header uses openssl": ("include/notaryc/x.h", "#include <openssl/evp.h>\n"),
        "unit test sideways": ("tests/unit/registry/t.c", '#include "envelope/nv_env_format.h"\n'),
    }
    clean = {
        "lib/policy/ok.c": '#include "x509/nv_x509_certs.h"\n#include "base/nv_diag.h"\n#include <stdio.h>\n',
        "lib/verify/ok.c": '#include "registry/nv_reg_global.h"\n#include <notaryc/nv_errors.h>\n',
        "lib/base/json.c": "#include <cjson/cJSON.h>\n",
        "lib/base/digest.c": "#include <openssl/evp.h>\n",
        "tools/ok.c": "#include <notaryc.h>\n#include <string.h>\n",
        "tests/unit/x509/ok.c": "#include <cmocka.h>\n#include <openssl/x509.h>\n#include \"x509/nv_x509_certs.h\"\n",
    }
    failures = 0

    def make_tree(files):
        tmp = tempfile.TemporaryDirectory()
        for rel, text in files.items():
            path = os.path.join(tmp.name, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        return tmp

    with make_tree(clean) as tmp:
        errs = check_tree(tmp)
        if errs:
            print("FAIL clean tree reported: %s" % errs)
            failures += 1
        else:
            print("PASS clean tree")
    for name, (rel, text) in cases.items():
        files = dict(clean)
        files[rel] = text
        with make_tree(files) as tmp:
            if check_tree(tmp):
                print("PASS caught: %s" % name)
            else:
                print("FAIL not caught: %s" % name)
                failures += 1
    total = len(cases) + 1
    print("%d passed, %d failed" % (total - failures, failures))
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root")
    ap.add_argument("--stamp")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    errors = check_tree(args.root)
    for e in errors:
        print("layering violation: " + e, file=sys.stderr)
    if errors:
        return 1
    if args.stamp:
        with open(args.stamp, "w") as f:
            f.write("ok\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
