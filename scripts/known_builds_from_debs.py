#!/usr/bin/env python3
"""Known builds of C libraries, from Debian packages: the data behind moat's backport awareness.

For every shared object in each .deb given, records its SHA-256 with the package, its version and
the CVE ids the package's own changelog (usr/share/doc/<package>/changelog.Debian.gz) names: the
fixes Debian applied, often backported to an old upstream version whose number still looks
vulnerable (libwebp 1.2.4-0.2+deb12u1 carries the CVE-2023-4863 fix). moat reads the result with
`moat db import FILE`; a bundled library whose bytes (or auditwheel's hash prefix) match a known
build is not reported for the CVEs its build fixed.

    scripts/known_builds_from_debs.py ~/.cache/moat-debs/*.deb -o known-builds.json

Only the Debian changelog is read, never the upstream one (changelog.gz): upstream fixes are already
told apart by the version number. Packages are read with `dpkg-deb --fsys-tarfile`; nothing is
installed or run from them.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

CVE = re.compile(r"CVE-\d{4}-\d{4,}")


def deb_field(deb, field):
    return subprocess.run(["dpkg-deb", "-f", deb, field], check=True, capture_output=True, text=True).stdout.strip()


def builds_of(deb):
    package = deb_field(deb, "Package")
    version = deb_field(deb, "Version")
    architecture = deb_field(deb, "Architecture")
    tar_bytes = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True, capture_output=True).stdout
    objects = []
    fixed = set()
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as archive:
        for member in archive:
            name = member.name.removeprefix("./")
            if member.isfile() and name == f"usr/share/doc/{package}/changelog.Debian.gz":
                fixed.update(CVE.findall(gzip.decompress(archive.extractfile(member).read()).decode("utf-8", "replace")))
            elif member.isfile() and name.startswith(("usr/lib/", "lib/")) and ".so" in os.path.basename(name):
                data = archive.extractfile(member).read()
                if data[:4] == b"\x7fELF":
                    objects.append((name, hashlib.sha256(data).hexdigest()))
    return [
        {
            "sha256": digest,
            "file": name,
            "distribution": "debian",
            "package": package,
            "version": version,
            "architecture": architecture,
            "fixed": sorted(fixed),
        }
        for name, digest in sorted(objects)
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("debs", nargs="+", help=".deb files")
    parser.add_argument("-o", "--output", required=True, help="JSON file to write (atomically)")
    arguments = parser.parse_args()
    builds = []
    for deb in sorted(arguments.debs):
        try:
            builds.extend(builds_of(deb))
        except (subprocess.CalledProcessError, tarfile.TarError, OSError) as error:
            print(f"known builds: {deb}: {error}", file=sys.stderr)
            return 1
    document = {"generated_by": "scripts/known_builds_from_debs.py", "builds": builds}
    directory = os.path.dirname(os.path.abspath(arguments.output))
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False, suffix=".tmp") as stream:
        json.dump(document, stream, indent=1)
        stream.write("\n")
    os.replace(stream.name, arguments.output)
    print(f"{len(builds)} shared objects from {len(arguments.debs)} packages written to {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
