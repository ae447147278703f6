#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and scans the bundled example project.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target moat
# A scratch vulnerability database from the bundled example advisories (real use: moat db update).
export MOAT_DB=$PWD/build/release/quickstart-osv.sqlite
./build/release/moat db import examples/advisories >/dev/null
echo "== moat scan examples/insecure-app"
# Exit code 1 means "findings", which is what this example is for.
./build/release/moat scan --no-progress examples/insecure-app || [ $? -eq 1 ]
