#!/usr/bin/env bash
# Installs the Debian 12 packages moat builds with; `--test` adds the ones only the test suite
# uses (a real browser, a JSON Schema validator, checksec as an oracle). Idempotent; needs root (or sudo).
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config git python3
  clang-16 libclang-rt-16-dev clang-format clang-tidy
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libfmt-dev nlohmann-json3-dev libtomlplusplus-dev libyaml-cpp-dev
  libssl-dev libsqlite3-dev libcurl4-openssl-dev libarchive-dev libpcre2-dev libgpgme-dev libzstd-dev zlib1g-dev libdeflate-dev
  gnupg
)
if [ "${1:-}" = "--test" ]; then
  packages+=(
    checksec            # hardening results compared with Debian's checksec
    python3-jsonschema  # JSON Schema tests of reports and config
    chromium            # the HTML report in a real browser
  )
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
