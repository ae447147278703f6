#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz", clang-14, ASan/UBSan) and runs each for at most
# $1 seconds (default 60) on its corpus in fuzz/corpus/<name>/. Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
cmake --preset fuzz >/dev/null
targets=()
for source in fuzz/*_fuzz.cpp; do targets+=("moat_$(basename "$source" .cpp)"); done
cmake --build --preset fuzz --target "${targets[@]}"
status=0
for source in fuzz/*_fuzz.cpp; do
  name=$(basename "$source" .cpp)
  corpus=fuzz/corpus/${name%_fuzz}
  mkdir -p "$corpus"
  work=$(mktemp -d)
  echo "== fuzzing $name for ${seconds}s"
  if ! "build/fuzz/moat_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$work/" "$work" "$corpus"; then
    echo "fuzz: $name found a problem; reproducer in $work" >&2
    status=1
  fi
done
exit $status
