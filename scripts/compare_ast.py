#!/usr/bin/env python3
"""Compares `moat debug ast --attributes` with CPython's ast.dump(..., include_attributes=True).

Usage: compare_ast.py [--moat BINARY] [--known FILE] [--jobs N] [--show N] [--stdlib] [--site-packages] [PATH...]

PATH is a .py file or a directory searched for .py files. A file differs when the dumps differ
or when only one of the two rejects it. --known names a file of paths (relative to the roots as
printed) that are allowed to differ; any other difference makes the exit status 1.
Run it with the CPython whose ast moat reproduces (3.11).
"""
import argparse
import ast
import concurrent.futures
import os
import pickle
import subprocess
import sys
import sysconfig
import warnings


def python_dump(path):
    try:
        with open(path, "rb") as handle:
            source = handle.read()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.dump(ast.parse(source), include_attributes=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def python_dumps(paths):
    return [python_dump(p) for p in paths]


def moat_dumps(binary, paths):
    """Runs moat on a batch; returns {path: dump or None}."""
    proc = subprocess.run([binary, "debug", "ast", "--attributes", "--", *paths],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = {}
    current = None
    lines = proc.stdout.decode("utf-8", "surrogateescape").split("\n")
    if len(paths) == 1:
        out[paths[0]] = lines[0] if proc.returncode == 0 else None
        return out
    wanted = set(paths)
    for line in lines:
        if line.startswith("# ") and line[2:] in wanted:
            current = line[2:]
            out[current] = None
        elif current is not None and line:
            out[current] = line
    for p in paths:
        out.setdefault(p, None)
    return out


def collect(paths):
    files = []
    for root in paths:
        if os.path.isdir(root):
            for directory, _, names in os.walk(root):
                files.extend(os.path.join(directory, n) for n in names if n.endswith(".py"))
        else:
            files.append(root)
    return sorted(files)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moat", default=os.path.join(os.path.dirname(__file__), "..", "build", "release", "moat"))
    parser.add_argument("--known", help="file listing paths allowed to differ")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--show", type=int, default=20, help="print the first N differences")
    parser.add_argument("--stdlib", action="store_true", help="the standard library (without site-packages)")
    parser.add_argument("--site-packages", action="store_true", help="the site-packages directory")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if sys.version_info[:2] != (3, 11):
        print("compare_ast.py: needs CPython 3.11 as the oracle, this is %s; skipped" % sys.version.split()[0])
        return 77
    if not os.access(args.moat, os.X_OK):
        print("compare_ast.py: no moat binary at %s" % args.moat)
        return 2

    paths = list(args.paths)
    stdlib = sysconfig.get_paths()["stdlib"]
    site = sysconfig.get_paths()["purelib"]
    files = collect(paths)
    if args.stdlib:
        files += [f for f in collect([stdlib]) if not f.startswith(site + os.sep)]
    if args.site_packages:
        files += collect([site])
    files = sorted(set(files))
    batch = 100
    batches = [files[i:i + batch] for i in range(0, len(files), batch)]
    # MOAT_AST_CACHE=FILE keeps CPython's dumps between runs (development only).
    cache_path = os.environ.get("MOAT_AST_CACHE")
    cache = {}
    if cache_path and os.path.exists(cache_path):
        with open(cache_path, "rb") as handle:
            cache = pickle.load(handle)
    expected = {p: cache[p] for p in files if p in cache}
    todo = [p for p in files if p not in expected]
    py_batches = [todo[i:i + batch] for i in range(0, len(todo), batch)]
    actual = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
        py_futures = {pool.submit(python_dumps, b): b for b in py_batches}
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as threads:
            moat_futures = [threads.submit(moat_dumps, args.moat, b) for b in batches]
            for future, paths in py_futures.items():
                expected.update(zip(paths, future.result()))
            for future in moat_futures:
                actual.update(future.result())
    if cache_path and todo:
        cache.update(expected)
        with open(cache_path, "wb") as handle:
            pickle.dump(cache, handle)

    known = set()
    if args.known:
        with open(args.known) as handle:
            known = {line.strip() for line in handle if line.strip() and not line.startswith("#")}
    differences = []
    for path in files:
        want, got = expected[path], actual.get(path)
        if want == got:
            continue
        shown = os.path.relpath(path, stdlib) if path.startswith(stdlib) else path
        if want is None:
            kind = "moat accepts a file CPython rejects"
        elif got is None:
            kind = "moat rejects a file CPython accepts"
        else:
            i = next((k for k, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
            kind = "dump differs at %d: cpython %r / moat %r" % (i, want[max(0, i - 80):i + 60], got[max(0, i - 80):i + 60])
        differences.append((shown, kind))
    unexpected = [d for d in differences if d[0] not in known]
    if os.environ.get("MOAT_AST_FAILURES"):
        with open(os.environ["MOAT_AST_FAILURES"], "w") as handle:
            handle.writelines((os.path.join(stdlib, p) if not os.path.isabs(p) else p) + "\n" for p, _ in differences)
    for path, kind in unexpected[:args.show]:
        print("%s: %s" % (path, kind))
    rejected = sum(1 for p in files if expected[p] is None)
    print("files: %d (CPython rejects %d); differences: %d (%d known, %d unexpected)"
          % (len(files), rejected, len(differences), len(differences) - len(unexpected), len(unexpected)))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
