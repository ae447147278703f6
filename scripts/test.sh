#!/usr/bin/env bash
# Builds one configuration (default: release) and runs its whole test suite.
#   scripts/test.sh [release|asan-ubsan|debug]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
bash scripts/deps.sh --test
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"
