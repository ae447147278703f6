#!/usr/bin/env python3
"""Writes docs/commands.md from the CLI itself: `moat --help` and every command's and
subcommand's --help, so the page lists every command and option exactly as the binary does.

usage: python3 scripts/gen_commands_doc.py build/release/moat > docs/commands.md
A test (tests/e2e/docs_test.cpp) fails when the committed page differs from this output.
"""
import re
import subprocess
import sys

HEADER = """# Commands

Every command and option of `moat`, generated from the command-line definition by
`python3 scripts/gen_commands_doc.py build/release/moat > docs/commands.md` (do not edit by hand; a
test checks the page against the binary). The command-line and JSON contract is [cli.md](cli.md);
the configuration file is [configuration.md](configuration.md); task-oriented pages are listed in
[README.md](README.md).

Exit codes of the report commands (`scan`, `audit`, `inspect`, `native`, `workflows`,
`rules scan`): 0 no findings at or above the thresholds, 1 findings, 2 usage error or a failure to
do the job. `verify`: 0 verified, 1 not verified, 2 usage or input error.

Report formats: `text`, `json` (schema: [../schemas/moat-report-v1.schema.json](../schemas/moat-report-v1.schema.json)),
`sarif` (SARIF 2.1.0), `github` (workflow annotations), `markdown`, `html` (one self-contained
page), `bandit-json` (`scan`), `cyclonedx` (`audit`).
"""


def help_text(moat, words):
    result = subprocess.run([moat, *words, "--help"], capture_output=True, text=True, check=False)
    return result.stdout.rstrip() + "\n"


def subcommands(text):
    """Names listed under "Subcommands:" in CLI11's help."""
    names, inside = [], False
    for line in text.split("\n"):
        if line.startswith("Subcommands:"):
            inside = True
            continue
        if inside:
            match = re.match(r"^  (\S+)\s", line)
            if match:
                names.append(match.group(1))
            elif line and not line.startswith(" "):
                inside = False
    return names


def section(moat, words, level, out):
    text = help_text(moat, words)
    out.append(f"\n{'#' * level} `moat {' '.join(words)}`\n\n```text\n{text}```\n")
    for name in subcommands(text):
        section(moat, [*words, name], min(level + 1, 4), out)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    moat = sys.argv[1]
    top = help_text(moat, [])
    out = [HEADER, f"\n## `moat`\n\n```text\n{top}```\n"]
    for name in subcommands(top):
        section(moat, [name], 2, out)
    sys.stdout.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
