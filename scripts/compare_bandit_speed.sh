#!/usr/bin/env bash
# Times Bandit 1.9.4 and moat on the same files in one run, and checks they report the same issues.
#   scripts/compare_bandit_speed.sh BANDIT_SITE [TARGET]
# BANDIT_SITE: a directory where Bandit 1.9.4 is importable (e.g. `pip install --target DIR
# bandit==1.9.4`, or its tag checked out), kept outside this repository. TARGET defaults to this
# machine's CPython standard library, site-packages excluded (the figures in docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bandit_site=${1:?usage: compare_bandit_speed.sh BANDIT_SITE [TARGET]}
target=${2:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
moat=${MOAT:-build/release/moat}
python=${PYTHON:-/usr/bin/python3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
measure() {  # label, command...: wall seconds, CPU seconds and peak RSS of the command
  local label=$1
  shift
  /usr/bin/time -f "$label: %e s wall, %U s user + %S s system CPU, %M KB peak RSS" "$@" >/dev/null 2>"$out/time" || true
  tail -1 "$out/time"
}
exclude="$target/site-packages"
measure "Bandit 1.9.4" env PYTHONPATH="$bandit_site" "$python" -m bandit -q -r "$target" -x "$exclude" -f json -o "$out/bandit.json"
for run in 1 2 3; do
  measure "moat bandit (run $run)" "$moat" bandit -q -r "$target" -x "$exclude" -f json -o "$out/moat.json"
done
# The same checks and report without `moat bandit`'s search of every directory for `.bandit`.
for run in 1 2 3; do
  measure "moat scan --bandit-compat (run $run)" "$moat" scan --bandit-compat --format bandit-json --exclude "$exclude" \
    -o "$out/scan.json" "$target"
done
"$python" - "$out/bandit.json" "$out/moat.json" "$out/scan.json" <<'PY'
import collections, json, sys
def issues(path):
    results = json.load(open(path))["results"]
    return collections.Counter((r["filename"], r["line_number"], r["test_id"], r["issue_severity"], r["issue_confidence"]) for r in results)
bandit = issues(sys.argv[1])
for label, path in (("moat bandit", sys.argv[2]), ("moat scan --bandit-compat", sys.argv[3])):
    moat = issues(path)
    print(f"issues: Bandit {sum(bandit.values())}, {label} {sum(moat.values())}, only Bandit {sum((bandit - moat).values())}, only moat {sum((moat - bandit).values())}")
PY
