#!/usr/bin/env bash
# Downloads Debian's own builds of the C libraries moat identifies (apt-get download: no install,
# no root needed) into a cache directory, for the native wheel tests (tests/e2e/native_wheel_test.cpp).
# The tests never touch the network; without these .debs they skip with a message naming this script.
#   MOAT_TEST_DEBS   cache directory (default ~/.cache/moat-debs)
set -euo pipefail
dir=${MOAT_TEST_DEBS:-$HOME/.cache/moat-debs}
mkdir -p "$dir"
cd "$dir"
# One package per identified library that Debian 12 ships (libssl3 holds libssl and libcrypto).
packages=(
  libssl3 zlib1g libcurl4 libsqlite3-0 libexpat1 libxml2 libxslt1.1 libpng16-16 libjpeg62-turbo
  libtiff6 libwebp7 libfreetype6 libharfbuzz0b liblcms2-2 libopenjp2-7 libffi8 libyaml-0-2
  libbz2-1.0 liblzma5 libzstd1 liblz4-1 libssh2-1 libpcre2-8-0 libopenblas0-pthread libgmp10
  libbrotli1 libgfortran5 libgomp1
)
missing=()
for package in "${packages[@]}"; do
  compgen -G "${package}_*.deb" >/dev/null || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "native fixtures: all ${#packages[@]} packages already in $dir"
  exit 0
fi
# A failed download (offline CI, package renamed) must not fail CI: the tests skip what is absent.
if ! apt-get download "${missing[@]}" 2>/dev/null; then
  for package in "${missing[@]}"; do
    apt-get download "$package" >/dev/null 2>&1 || echo "native fixtures: could not download $package" >&2
  done
fi
echo "native fixtures: $(ls -1 ./*.deb 2>/dev/null | wc -l) .deb files in $dir"
