#!/usr/bin/env python3
"""Runs every command example in README.md and docs/*.md, the way a reader would type them.

usage: doc_examples.py --moat BINARY --source DIR [--shared DIR] [--timeout SECONDS] [FILE...]

Executed: fenced blocks marked ```sh (every line is a command) and ```console (the lines that start
with "$ " are commands, the rest is output). A trailing backslash continues a command. A command is
expected to exit 0 unless it ends with a comment "# exit N" (for example "# exit 1" for an example
that shows findings). A block preceded by the line "<!-- docs-test: skip REASON -->" is not run.
Examples that cannot run offline or in a few seconds are fenced as ```text instead.

Each file's examples run in order, in one fresh copy of the source tree (with ../shared beside it
when given), with `moat` on PATH and at build/release/moat, HOME and XDG_CACHE_HOME inside the copy (the vulnerability
database is imported there from the shared OSV snapshot when present) and proxies pointing at a
closed loopback port, so nothing leaves the machine. Exit 0 all passed, 1 a failure.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(`{3,})\s*([A-Za-z0-9_-]*)\s*$")
SKIP = re.compile(r"^<!--\s*docs-test:\s*skip\b.*-->\s*$")
EXPECTED_EXIT = re.compile(r"\s#\s*exit\s+(\d+)\s*$")


class Command:
    def __init__(self, path, line, text):
        self.path = path
        self.line = line
        match = EXPECTED_EXIT.search(text)
        self.expected = int(match.group(1)) if match else 0
        self.text = text[: match.start()] if match else text

    def where(self):
        return f"{self.path}:{self.line}"


def join_continuations(lines):
    """(line number, text) pairs with backslash-continued lines joined."""
    joined, pending, start = [], "", 0
    for number, text in lines:
        if not pending:
            start = number
        if text.rstrip().endswith("\\"):
            pending += text.rstrip()[:-1] + " "
            continue
        joined.append((start, pending + text))
        pending = ""
    if pending:
        joined.append((start, pending))
    return joined


def commands_in(path, relative):
    """The executable commands of one Markdown file, and the problems found in its fences."""
    with open(path, encoding="utf-8") as stream:
        lines = stream.read().split("\n")
    commands, problems = [], []
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if not fence:
            index += 1
            continue
        ticks, language = fence.group(1), fence.group(2)
        skipped = index > 0 and SKIP.match(lines[index - 1].strip())
        body_start = index + 1
        end = body_start
        while end < len(lines) and lines[end].strip() != ticks:
            end += 1
        body = [(number + 1, lines[number]) for number in range(body_start, end)]
        index = end + 1
        if skipped or language not in ("sh", "console"):
            continue
        if language == "console":
            prompts = [(n, t[2:]) for n, t in body if t.startswith("$ ")]
            if not prompts:
                problems.append(f"{relative}:{body_start}: ```console block without a '$ ' command line")
            # Continuation lines of a prompt follow it directly.
            selected, taking = [], False
            for number, text in body:
                if text.startswith("$ "):
                    selected.append((number, text[2:]))
                    taking = text.rstrip().endswith("\\")
                elif taking:
                    selected.append((number, text))
                    taking = text.rstrip().endswith("\\")
            body = selected
        for number, text in join_continuations(body):
            stripped = text.strip()
            if stripped and not stripped.startswith("#"):
                commands.append(Command(relative, number, stripped))
    return commands, problems


def prepare(source, shared, moat, root):
    """A copy of the source tree and an environment for running examples in it."""
    tree = os.path.join(root, "moat")
    shutil.copytree(source, tree, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "build", "shared", "__pycache__"))
    if shared:
        os.symlink(os.path.abspath(shared), os.path.join(root, "shared"))
    bin_dir = os.path.join(root, "bin")
    os.makedirs(bin_dir)
    os.symlink(os.path.abspath(moat), os.path.join(bin_dir, "moat"))
    # Pages written for a checkout call the built binary by its path.
    os.makedirs(os.path.join(tree, "build", "release"))
    os.symlink(os.path.abspath(moat), os.path.join(tree, "build", "release", "moat"))
    home = os.path.join(root, "home")
    os.makedirs(home)
    closed = "http://127.0.0.1:9"
    environment = {
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "XDG_CACHE_HOME": os.path.join(home, ".cache"),
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        "http_proxy": closed, "https_proxy": closed, "HTTP_PROXY": closed, "HTTPS_PROXY": closed,
        "TMPDIR": root,
    }
    return tree, environment


def run_file(relative, commands, arguments):
    with tempfile.TemporaryDirectory(prefix="moat-docs-") as root:
        tree, environment = prepare(arguments.source, arguments.shared, arguments.moat, root)
        osv = os.path.join(arguments.shared or "", "data", "osv", "pypa-advisory-db.zip")
        if arguments.shared and os.path.exists(osv):
            subprocess.run([arguments.moat, "db", "import", osv], env=environment, cwd=tree,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=arguments.timeout, check=True)
        # One shell for the whole file, so that `cd` and variables carry over as for a reader.
        script = ["set -u"]
        for command in commands:
            script.append(command.text)
            script.append(
                f"__status=$?; if [ $__status -ne {command.expected} ]; then "
                f"echo \"docs-test: {command.where()}: exit $__status, expected {command.expected}\" >&2; exit 99; fi")
        try:
            result = subprocess.run(["bash", "-c", "\n".join(script)], env=environment, cwd=tree,
                                    stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                                    timeout=arguments.timeout)
        except subprocess.TimeoutExpired:
            print(f"{relative}: examples did not finish within {arguments.timeout} s", file=sys.stderr)
            return False
        if result.returncode == 0:
            print(f"{relative}: {len(commands)} commands ok")
            return True
        print(f"{relative}: FAILED\n--- stdout (tail)\n{result.stdout[-3000:]}\n--- stderr (tail)\n{result.stderr[-3000:]}",
              file=sys.stderr)
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moat", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--shared")
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("files", nargs="*")
    arguments = parser.parse_args()
    files = arguments.files or ["README.md"] + sorted(
        os.path.join("docs", name) for name in os.listdir(os.path.join(arguments.source, "docs")) if name.endswith(".md"))
    ok, total = True, 0
    for relative in files:
        commands, problems = commands_in(os.path.join(arguments.source, relative), relative)
        for problem in problems:
            print(problem, file=sys.stderr)
            ok = False
        if commands:
            total += len(commands)
            ok = run_file(relative, commands, arguments) and ok
    print(f"{total} documented commands run from {len(files)} files")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
