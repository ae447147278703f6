#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): installs moat from a Debian package when
# MOAT_DEB_URL is set (checked against MOAT_DEB_SHA256 when given), else builds it from the
# action's own source in MOAT_SOURCE. Puts `moat` on the job's PATH either way.
set -euo pipefail
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if [ -n "${MOAT_DEB_URL:-}" ]; then
  package="${RUNNER_TEMP:-/tmp}/moat.deb"
  curl --fail --silent --show-error --location --proto '=https' --output "$package" "$MOAT_DEB_URL"
  if [ -n "${MOAT_DEB_SHA256:-}" ]; then
    echo "$MOAT_DEB_SHA256  $package" | sha256sum --check --strict -
  else
    echo "::warning title=moat::deb-sha256 is empty, so the downloaded package was not checked"
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$package"
else
  cd "$MOAT_SOURCE"
  bash scripts/deps.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target moat
  mkdir -p "${RUNNER_TEMP:-/tmp}/moat-bin"
  cp build/release/moat "${RUNNER_TEMP:-/tmp}/moat-bin/"
  [ -z "${GITHUB_PATH:-}" ] || echo "${RUNNER_TEMP:-/tmp}/moat-bin" >>"$GITHUB_PATH"
  export PATH="${RUNNER_TEMP:-/tmp}/moat-bin:$PATH"
fi
moat --version
