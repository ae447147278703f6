#!/usr/bin/env bash
# Sets everything up on a fresh Debian 12 machine and scans the bundled example project.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target moat
echo "== moat debug ast examples/insecure-app/app.py"
./build/release/moat debug ast examples/insecure-app/app.py || true
echo "== moat scan examples/insecure-app"
./build/release/moat scan examples/insecure-app || true
