#!/usr/bin/env bash
# Compares the start-up cost of two moat binaries: single runs of each, interleaved so that the
# machine's drift and other load hit both alike, then the median and quartiles of CPU time
# (task-clock) and wall time, and the page faults of one run, for `moat --help` and for a Bandit-mode
# scan of a directory holding one small .py file (the figures in docs/scan.md, "Start-up").
#   scripts/compare_startup.sh OLD_MOAT NEW_MOAT [RUNS]    (RUNS defaults to 100; needs perf)
set -euo pipefail
old=${1:?usage: compare_startup.sh OLD_MOAT NEW_MOAT [RUNS]}
new=${2:?usage: compare_startup.sh OLD_MOAT NEW_MOAT [RUNS]}
runs=${3:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/project"
printf 'import os\nos.system("ls")\n' >"$work/project/app.py"

quartiles() {  # column of $work/$binary.txt: "median (quartiles q1-q3)"
  cut -d' ' -f"$1" "$work/$binary.txt" | sort -n |
    awk '{ v[NR] = $1 } END { printf "%.1f ms (quartiles %.1f-%.1f)", v[int(NR / 2) + 1], v[int(NR / 4) + 1], v[int(3 * NR / 4) + 1] }'
}

compare() {  # label, moat arguments...
  local label=$1 binary run faults
  shift
  : >"$work/old.txt"
  : >"$work/new.txt"
  for ((run = 0; run < runs; ++run)); do
    for binary in old new; do
      # perf exits with moat's code, 1 when the scan has findings.
      { perf stat -x, -e task-clock,duration_time "${!binary}" "$@" 2>&1 >/dev/null || true; } |
        awk -F, '/task-clock/ { cpu = $1 } /duration_time/ { printf "%s %.3f\n", cpu, $1 / 1e6 }' >>"$work/$binary.txt"
    done
  done
  echo "== $label ($runs interleaved runs each)"
  for binary in old new; do
    faults=$({ perf stat -x, -e page-faults "${!binary}" "$@" 2>&1 >/dev/null || true; } | awk -F, '/page-faults/ { print $1 }')
    echo "$binary: CPU median $(quartiles 1), wall median $(quartiles 2), $faults page faults"
  done
}

compare "moat --help" --help
compare "moat scan --bandit-compat --format bandit-json, one file" \
  scan --bandit-compat --format bandit-json -o "$work/report.json" "$work/project"
