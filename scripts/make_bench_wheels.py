#!/usr/bin/env python3
"""Builds the ~50 MB benchmark wheels docs/inspect.md measures `moat inspect` on.

  python-heavy  large-1.0-py3-none-any.whl: 1,000 generated Python modules of 40 KB (40 MB) and
                10 MB of incompressible extension-like files (the layout bench/dist_bench.cpp builds).
  realistic     native-1.0-cp311-cp311-manylinux_2_28_x86_64.whl: laid out like scipy or pyarrow,
                about 80% shared libraries (real ELF objects copied from the machine), 12% Python
                (the standard library's own modules) and the rest data files.
  big-native    bignative-1.0-cp311-cp311-manylinux_2_28_x86_64.whl: the realistic layout with
                110 MB of shared libraries, so that the wheel itself is over 50 MB.

Usage: scripts/make_bench_wheels.py OUTPUT_DIR [--elf-dir DIR] [--python-dir DIR]
The wheels are valid (WHEEL, METADATA, RECORD with SHA-256 of every member) and deterministic for
a given machine. Nothing here is run by the tests; it only makes benchmark inputs.
"""
import argparse
import base64
import hashlib
import pathlib
import random
import sys
import zipfile

MB = 1 << 20


def python_module(index: int, size: int) -> bytes:
    """Python source that compresses like real code, different in every module."""
    out = [f'"""Module {index}."""\nimport os\nimport sys\n\n']
    length = len(out[0])
    rng = random.Random(index)
    while length < size:
        n = rng.getrandbits(32)
        chunk = (f"def function_{n % 100000}(value, other=None):\n    \"\"\"Return a value.\"\"\"\n"
                 f"    if other is None:\n        other = value * {n % 97}\n"
                 f"    result = [item for item in range(value) if item % {n % 13 + 2}]\n"
                 f"    return sum(result) + other  # {n}\n\n")
        out.append(chunk)
        length += len(chunk)
    return "".join(out).encode()


def write_wheel(path: pathlib.Path, name: str, tag: str, files: list[tuple[str, bytes]]) -> None:
    dist_info = f"{name}-1.0.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\nSummary: benchmark wheel\n\n".encode()
    wheel = f"Wheel-Version: 1.0\nGenerator: make_bench_wheels\nRoot-Is-Purelib: {'true' if tag.startswith('py3') else 'false'}\nTag: {tag}\n".encode()
    members = files + [(f"{dist_info}/METADATA", metadata), (f"{dist_info}/WHEEL", wheel)]
    record = []
    for member, data in members:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{member},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    members.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members:
            info = zipfile.ZipInfo(member, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    total = sum(len(data) for _, data in members)
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB, {total / 1e6:.1f} MB uncompressed, {len(members)} members")


def python_heavy(out: pathlib.Path) -> None:
    files = [(f"large/sub{i % 20}/mod{i}.py", python_module(i, 40 << 10)) for i in range(1000)]
    for i in range(5):
        files.append((f"large/_ext{i}.cpython-311-x86_64-linux-gnu.so", random.Random(i).randbytes(2 * MB)))
    write_wheel(out / "large-1.0-py3-none-any.whl", "large", "py3-none-any", files)


def is_elf(path: pathlib.Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def realistic(out: pathlib.Path, elf_dir: pathlib.Path, python_dir: pathlib.Path, name: str = "native",
              native_mb: int = 40) -> None:
    files: list[tuple[str, bytes]] = []
    # native_mb of shared libraries: real ELF objects between 256 KB and 6 MB, in name order.
    native = 0
    seen = set()
    for path in sorted(elf_dir.glob("*.so*")):
        if native >= native_mb * MB:
            break
        real = path.resolve()
        if real in seen or not real.is_file() or not is_elf(real):
            continue
        size = real.stat().st_size
        if not 256 << 10 <= size <= 6 * MB:
            continue
        seen.add(real)
        stem = path.name.split(".so")[0]
        files.append((f"{name}/_libs/{stem}.cpython-311-x86_64-linux-gnu.so", real.read_bytes()))
        native += size
    # ~6 MB of Python: the standard library's modules, in path order.
    python = 0
    for path in sorted(python_dir.rglob("*.py")):
        if python >= 6 * MB:
            break
        relative = path.relative_to(python_dir)
        if any(part in ("test", "tests", "idlelib", "lib2to3", "site-packages", "dist-packages") for part in relative.parts):
            continue
        data = path.read_bytes()
        files.append((f"{name}/{relative.as_posix()}", data))
        python += len(data)
    # ~4 MB of data: typing stubs, CSV tables and compressed test data like scientific wheels ship.
    rng = random.Random(7)
    for i in range(40):
        rows = "\n".join(",".join(f"{rng.random():.6f}" for _ in range(8)) for _ in range(1200))
        files.append((f"{name}/data/table{i}.csv", rows.encode()))
    for i in range(4):
        files.append((f"{name}/data/blob{i}.npz", rng.randbytes(256 << 10)))
    write_wheel(out / f"{name}-1.0-cp311-cp311-manylinux_2_28_x86_64.whl", name, "cp311-cp311-manylinux_2_28_x86_64",
                files)
    print(f"  {native / 1e6:.1f} MB shared libraries, {python / 1e6:.1f} MB Python")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=pathlib.Path)
    parser.add_argument("--elf-dir", type=pathlib.Path, default=pathlib.Path("/usr/lib/x86_64-linux-gnu"))
    parser.add_argument("--python-dir", type=pathlib.Path,
                        default=pathlib.Path(f"/usr/lib/python{sys.version_info.major}.{sys.version_info.minor}"))
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    python_heavy(args.output)
    realistic(args.output, args.elf_dir, args.python_dir)
    realistic(args.output, args.elf_dir, args.python_dir, "bignative", 110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
