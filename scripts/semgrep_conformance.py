#!/usr/bin/env python3
"""Conformance of moat's rule engine with Semgrep's community Python rules.

Runs `moat rules test` once per rule file of a semgrep-rules checkout (kept outside this
repository), classifies every rule as search or taint mode, and prints the pass rates and the
failures grouped by cause. Rules whose `languages` do not include python are out of scope and only
counted.

    scripts/semgrep_conformance.py /tmp/semgrep-rules [--moat build/release/moat] [--subdir python]
                                   [--json out.json] [--jobs 2] [--verbose]
"""

import argparse
import collections
import concurrent.futures
import json
import pathlib
import re
import subprocess
import sys

import yaml

RESULT_LINE = re.compile(r"^(PASS|FAIL|SKIP)  (\S+)")
ERROR_LINE = re.compile(r"^ERROR (.*?):(\d+): rule '([^']*)': (.*)$")
ERROR_ANY = re.compile(r"^ERROR (.*)$")
DETAIL_LINE = re.compile(r"^      (.*): missed lines (.*); unexpected lines (.*)$")


def rules_of(rule_file):
    """(id, mode, languages) for every rule of a YAML file; [] when it is not a rule file."""
    try:
        document = yaml.safe_load(rule_file.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return []
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        return []
    found = []
    for rule in document["rules"]:
        if isinstance(rule, dict) and "id" in rule:
            languages = [str(language).lower() for language in rule.get("languages") or []]
            found.append((str(rule["id"]), "taint" if rule.get("mode") == "taint" else "search", languages))
    return found


def normalise_cause(message):
    """A loader message without the specifics that differ between rules (quoted names, numbers)."""
    message = re.sub(r"'[^']*'", "'…'", message)
    message = re.sub(r"\"[^\"]*\"", "\"…\"", message)
    return re.sub(r"\d+", "N", message)


def run_one(moat, rule_file):
    completed = subprocess.run([moat, "rules", "test", str(rule_file)], capture_output=True, text=True,
                               timeout=300, check=False)
    statuses, errors, details = {}, collections.defaultdict(list), collections.defaultdict(list)
    current = None
    for line in completed.stdout.splitlines():
        if match := RESULT_LINE.match(line):
            current = match.group(2)
            statuses[current] = match.group(1)
        elif match := ERROR_LINE.match(line):
            errors[match.group(3)].append(match.group(4))
        elif match := ERROR_ANY.match(line):
            errors[""].append(match.group(1))
        elif (match := DETAIL_LINE.match(line)) and current:
            details[current].append({"missed": match.group(2), "unexpected": match.group(3)})
    return statuses, errors, details, completed.returncode, completed.stderr


def classify(rule_id, statuses, errors, details):
    """(status, cause) of one rule."""
    if rule_id in errors:
        return "fail", "load: " + normalise_cause(errors[rule_id][0])
    if "" in errors and rule_id not in statuses:
        return "fail", "load: " + normalise_cause(errors[""][0].split(": ", 1)[-1])
    status = statuses.get(rule_id)
    if status == "PASS":
        return "pass", None
    if status == "SKIP":
        return "untested", None
    if status == "FAIL":
        missed = any(d["missed"] != "none" for d in details[rule_id])
        unexpected = any(d["unexpected"] != "none" for d in details[rule_id])
        kind = "missed and unexpected" if missed and unexpected else "missed" if missed else "unexpected"
        return "fail", "results: " + kind
    return "fail", "not run (moat crashed or printed nothing)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("checkout", type=pathlib.Path, help="semgrep-rules checkout")
    parser.add_argument("--moat", default="build/release/moat", help="moat binary")
    parser.add_argument("--subdir", default="python", help="directory of the checkout to test")
    parser.add_argument("--json", type=pathlib.Path, help="write every rule's result here")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="list the rule ids of every cause")
    args = parser.parse_args()

    rule_files = sorted(p for p in (args.checkout / args.subdir).rglob("*.y*ml")
                        if p.suffix in (".yaml", ".yml") and ".test." not in p.name and ".fixed." not in p.name)
    results = []
    in_scope_files = []
    for rule_file in rule_files:
        rules = rules_of(rule_file)
        if any("python" in languages for _, _, languages in rules):
            in_scope_files.append((rule_file, rules))
        for rule_id, mode, languages in rules:
            if "python" not in languages:
                results.append({"id": rule_id, "file": str(rule_file), "mode": mode, "status": "out-of-scope",
                                "cause": "languages: " + ",".join(languages)})

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        runs = {pool.submit(run_one, args.moat, f): (f, rules) for f, rules in in_scope_files}
        for future in concurrent.futures.as_completed(runs):
            rule_file, rules = runs[future]
            try:
                statuses, errors, details, _, stderr = future.result()
            except subprocess.TimeoutExpired:
                statuses, errors, details, stderr = {}, {"": ["timeout"]}, {}, ""
            for rule_id, mode, languages in rules:
                if "python" not in languages:
                    continue
                status, cause = classify(rule_id, statuses, errors, details)
                if cause and cause.startswith("not run") and stderr.strip():
                    cause += ": " + stderr.strip().splitlines()[-1][:120]
                results.append({"id": rule_id, "file": str(rule_file), "mode": mode, "status": status,
                                "cause": cause, "details": details.get(rule_id, [])})

    results.sort(key=lambda r: (r["file"], r["id"]))
    for mode in ("search", "taint"):
        scoped = [r for r in results if r["mode"] == mode and r["status"] in ("pass", "fail")]
        passed = sum(r["status"] == "pass" for r in scoped)
        rate = 100.0 * passed / len(scoped) if scoped else 0.0
        print(f"{mode}: {passed}/{len(scoped)} = {rate:.1f}%")
    counts = collections.Counter(r["status"] for r in results)
    print(f"untested (no test file): {counts['untested']}; out of scope (not python): {counts['out-of-scope']}")

    causes = collections.defaultdict(list)
    for r in results:
        if r["status"] == "fail":
            causes[r["cause"]].append(r)
    print("\nfailures by cause:")
    for cause, rules in sorted(causes.items(), key=lambda item: (-len(item[1]), item[0])):
        print(f"{len(rules):4d}  {cause}")
        if args.verbose:
            for r in rules:
                print(f"        {r['mode']:6s} {r['id']}  ({r['file']})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
