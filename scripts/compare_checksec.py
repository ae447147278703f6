#!/usr/bin/env python3
"""Compares moat's ELF hardening results with Debian's checksec (2.6.0) on real shared libraries.

    scripts/compare_checksec.py --moat build/release/src/moat/moat [--dir /usr/lib/x86_64-linux-gnu]
                                [--count 120] [--min 100] [--verbose]

Takes the first COUNT regular ELF shared objects (sorted by name) in DIR, runs
`checksec --format=json --file=F` on each and `moat native --format json` on all of them, and compares
RELRO, stack canary, NX, PIE/DSO, RPATH, RUNPATH and the number of fortified functions. Exit 0 when
at least MIN libraries agree on all of them. The "fortify-able" count is shown but not required to
agree: the tools define it differently (docs/native.md, "Agreement with checksec").
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

PROPERTIES = ("relro", "canary", "nx", "pie", "rpath", "runpath", "fortified")
INFORMATIONAL = ("fortify-able",)


def shared_objects(directory, count):
    found = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if ".so" not in name or os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, "rb") as stream:
            if stream.read(4) != b"\x7fELF":
                continue  # linker scripts named .so
        found.append(path)
        if len(found) == count:
            break
    return found


def checksec(path):
    output = subprocess.run(["checksec", "--format=json", f"--file={path}"], capture_output=True, text=True).stdout
    return json.loads(output)[path]


def moat_view(binary):
    """moat's JSON for one binary, in checksec's vocabulary."""
    hardening = binary["hardening"]
    paths = hardening["search_paths"]
    return {
        "relro": {"none": "no"}.get(hardening["relro"], hardening["relro"]),
        "canary": "yes" if hardening["canary"] else "no",
        "nx": "yes" if hardening["nx"] else "no",
        "pie": "dso" if hardening["pie"] == "dso" else ("yes" if hardening["pie"] else "no"),
        "rpath": "yes" if any(p["source"] == "RPATH" for p in paths) else "no",
        "runpath": "yes" if any(p["source"] == "RUNPATH" for p in paths) else "no",
        "fortified": str(hardening["fortified"]),
        "fortify-able": str(hardening["fortifiable"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moat", required=True)
    parser.add_argument("--dir", default="/usr/lib/x86_64-linux-gnu")
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--min", type=int, default=100)
    parser.add_argument("--verbose", action="store_true")
    arguments = parser.parse_args()

    libraries = shared_objects(arguments.dir, arguments.count)
    with tempfile.TemporaryDirectory() as scratch:
        report = os.path.join(scratch, "native.json")
        subprocess.run([arguments.moat, "native", "--exit-zero", "--format", "json", "-o", report, *libraries], check=True)
        with open(report) as stream:
            ours = {binary["path"]: moat_view(binary) for binary in json.load(stream)["stats"]["native"]}
    with ThreadPoolExecutor(max_workers=2) as pool:
        theirs = dict(zip(libraries, pool.map(checksec, libraries)))

    agree_all = 0
    per_property = {name: 0 for name in PROPERTIES + INFORMATIONAL}
    for path in libraries:
        mine, other = ours.get(path), theirs[path]
        if mine is None:
            print(f"{path}: not analysed by moat")
            continue
        differences = [name for name in PROPERTIES if mine[name] != other.get(name)]
        for name in PROPERTIES + INFORMATIONAL:
            per_property[name] += mine[name] == other.get(name)
        if not differences:
            agree_all += 1
        if differences or arguments.verbose:
            shown = ", ".join(f"{name}: moat {mine[name]} / checksec {other.get(name)}" for name in differences)
            print(f"{path}: {shown or 'agree'}")
    print(f"{len(libraries)} libraries compared; agreeing on every property: {agree_all}")
    for name in PROPERTIES + INFORMATIONAL:
        print(f"  {name}: {per_property[name]}/{len(libraries)}" + (" (informational)" if name in INFORMATIONAL else ""))
    return 0 if agree_all >= arguments.min else 1


if __name__ == "__main__":
    sys.exit(main())
