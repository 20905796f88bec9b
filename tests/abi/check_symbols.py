#!/usr/bin/env python3
"""Keep the public API, the version script, the shared library and the
API pages in step.

  check_symbols.py --include DIR --map FILE --lib LIBNOTARYC.SO --docs DIR
  check_symbols.py --self-test

Checks: (1) the functions declared NV_API in the headers, the names in the
version script and the dynamic symbols libnotaryc.so defines are the same
set; (2) every exported symbol carries a NOTARYC_* version; (3) every export
has a page docs/api/<name>.md with the required sections, and no page names
a function that is not exported.
"""
import argparse
import os
import re
import subprocess
import sys

DECL = re.compile(r"\bNV_API\b[^;{}]*?\b(nv_[a-z0-9_]+)\s*\(")
NODE = re.compile(r"(NOTARYC_[A-Za-z0-9_.]+)\s*\{(.*?)\}\s*([A-Za-z0-9_.]*)\s*;", re.S)
REQUIRED_SECTIONS = ["# NAME", "# SYNOPSIS", "# DESCRIPTION", "# RETURN VALUE",
                     "# OWNERSHIP", "# THREAD SAFETY", "# EXAMPLE"]


def header_functions(include_dir):
    names = set()
    for dirpath, _dirs, files in os.walk(include_dir):
        for name in files:
            if name.endswith((".h", ".h.in")):
                text = open(os.path.join(dirpath, name), encoding="utf-8").read()
                text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
                names.update(DECL.findall(text))
    return names


def map_functions(map_text):
    """Return ({name: node}, [problems])."""
    text = re.sub(r"/\*.*?\*/", " ", map_text, flags=re.S)
    names, problems = {}, []
    for node, body, _parent in NODE.findall(text):
        glob = body.split("local:")[0].replace("global:", "")
        for sym in re.findall(r"([A-Za-z0-9_*]+)\s*;", glob):
            if sym in names:
                problems.append("%s is listed in both %s and %s" % (sym, names[sym], node))
            names[sym] = node
    return names, problems


def library_exports(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    exports = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3 or parts[1] not in "TtWDBRV":
            continue
        sym = parts[2]
        name, _, version = sym.partition("@")
        if name.startswith("NOTARYC_") or version == "" and name.startswith("_"):
            continue
        exports[name] = version.lstrip("@")
    return exports


def doc_pages(docs_dir):
    pages = {}
    for name in os.listdir(docs_dir):
        if name.endswith(".md") and name.startswith("nv_"):
            pages[name[:-3]] = open(os.path.join(docs_dir, name), encoding="utf-8").read()
    return pages


def compare(headers, mapped, exports, pages):
    problems = []
    for label, other in (("version script", set(mapped)), ("libnotaryc.so", set(exports))):
        for n in sorted(headers - other):
            problems.append("%s is declared NV_API but missing from the %s" % (n, label))
        for n in sorted(other - headers):
            problems.append("%s is in the %s but not declared NV_API in a public header" % (n, label))
    for n, version in sorted(exports.items()):
        if not version.startswith("NOTARYC_"):
            problems.append("%s is exported without a NOTARYC_* symbol version" % n)
        elif n in mapped and version != mapped[n]:
            problems.append("%s has version %s but the script puts it in %s" % (n, version, mapped[n]))
    if pages is not None:
        for n in sorted(headers - set(pages)):
            problems.append("%s has no page docs/api/%s.md" % (n, n))
        for n in sorted(set(pages) - headers):
            problems.append("docs/api/%s.md documents a function that is not exported" % n)
        for n, text in sorted(pages.items()):
            if n not in headers:
                continue
            for section in REQUIRED_SECTIONS:
                if not re.search("^" + re.escape(section) + r"\s*$", text, re.M):
                    problems.append("docs/api/%s.md lacks the section '%s'" % (n, section))
            if n + "(" not in text.replace(" (", "("):
                problems.append("docs/api/%s.md never shows %s() in its synopsis" % (n, n))
    return problems


def self_test():
    page = "\n".join(REQUIRED_SECTIONS) + "\nnv_a(void)\n"
    good = dict(headers={"nv_a"}, mapped={"nv_a": "NOTARYC_0.1"},
                exports={"nv_a": "NOTARYC_0.1"}, pages={"nv_a": page})
    breaks = {
        "export without NV_API": dict(good, exports={"nv_a": "NOTARYC_0.1", "nv_b": "NOTARYC_0.1"}),
        "NV_API without export": dict(good, headers={"nv_a", "nv_b"},
                                      mapped={"nv_a": "NOTARYC_0.1", "nv_b": "NOTARYC_0.1"}),
        "missing from map": dict(good, mapped={}),
        "unversioned export": dict(good, exports={"nv_a": ""}),
        "missing page": dict(good, pages={}),
        "stale page": dict(good, pages={"nv_a": page, "nv_gone": page}),
        "page without sections": dict(good, pages={"nv_a": "nv_a()"}),
    }
    failures = 0
    if compare(**good):
        print("FAIL consistent input reported problems")
        failures += 1
    else:
        print("PASS consistent input")
    for name, args in breaks.items():
        if compare(**args):
            print("PASS caught: %s" % name)
        else:
            print("FAIL not caught: %s" % name)
            failures += 1
    m, problems = map_functions("NOTARYC_0.1 { global: nv_a; local: *; };\n"
                                "NOTARYC_0.2 { global: nv_a; } NOTARYC_0.1;\n")
    if problems:
        print("PASS caught: symbol in two map nodes")
    else:
        print("FAIL not caught: symbol in two map nodes")
        failures += 1
    total = len(breaks) + 2
    print("%d passed, %d failed" % (total - failures, failures))
    return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--include")
    ap.add_argument("--map")
    ap.add_argument("--lib")
    ap.add_argument("--docs")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    headers = header_functions(args.include)
    mapped, problems = map_functions(open(args.map, encoding="utf-8").read())
    mapped.pop("*", None)
    exports = library_exports(args.lib)
    pages = doc_pages(args.docs) if args.docs else None
    problems += compare(headers, mapped, exports, pages)
    for p in problems:
        print("ABI: " + p)
    checked = len(headers)
    print("%d exported functions checked: %d passed, %d failed"
          % (checked, checked if not problems else 0, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
