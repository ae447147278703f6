#!/usr/bin/env bash
# Builds the Debian package from the release build, unpacks it into an empty root and checks it as
# a user would meet it: the declared Depends are satisfiable on this Debian 12 machine, every
# library the binary loads comes from a package it depends on, the man page and completions are
# in place, and the installed moat prints its version and scans the bundled example.
#   scripts/test_package.sh    (after `bash scripts/test.sh release`)
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
cmake --build --preset release --target moat moat_share >/dev/null
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
package="$build/moat_${version}_amd64.deb"
rm -f "$package"
(cd "$build" && cpack -G DEB >/dev/null)
[ -f "$package" ] || { echo "FAIL: cpack did not make $package" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== $package ($(du -h "$package" | cut -f1))"
dpkg-deb --field "$package" Package Version Architecture Depends
[ "$(dpkg-deb --field "$package" Package)" = moat ] || fail "package name"
[ "$(dpkg-deb --field "$package" Version)" = "$version" ] || fail "package version"

# Every dependency is a package installed here in a version that satisfies it (first alternative).
depends=$(dpkg-deb --field "$package" Depends)
[ -n "$depends" ] || fail "no Depends"
IFS=',' read -r -a entries <<<"$depends"
for entry in "${entries[@]}"; do
  entry=${entry%%|*}
  read -r name relation wanted <<<"$(echo "$entry" | tr -d '()')"
  installed=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null) || fail "Depends on $name, which is not installed here"
  if [ -n "${relation:-}" ]; then
    dpkg --compare-versions "$installed" "$relation" "$wanted" || fail "$name $installed does not satisfy $relation $wanted"
  fi
done

dpkg-deb -x "$package" "$root"
moat="$root/usr/bin/moat"
[ -x "$moat" ] || fail "no usr/bin/moat"
for file in usr/share/man/man1/moat.1.gz usr/share/bash-completion/completions/moat \
            usr/share/zsh/vendor-completions/_moat usr/share/fish/vendor_completions.d/moat.fish \
            usr/share/doc/moat/README.md usr/share/doc/moat/examples/insecure-app/app.py; do
  [ -s "$root/$file" ] || fail "missing $file"
done
gzip -dc "$root/usr/share/man/man1/moat.1.gz" | grep -q '^\.TH MOAT 1' || fail "man page has no .TH header"

# Each library the binary links directly (ELF NEEDED) comes from a package named in Depends.
owner_of() {  # dpkg knows a file under /lib or /usr/lib, depending on the package (merged /usr)
  local candidate
  for candidate in "$1" "$(readlink -f "$1")" "${1#/usr}" "/usr$1"; do
    dpkg-query -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 && return 0
  done
  return 1
}
named_in_depends() {  # $1 is a package named in Depends, with or without a version
  [[ ",$depends," == *", $1 "* || ",$depends," == *",$1 "* || ",$depends," == *", $1,"* || ",$depends," == *",$1,"* ]]
}
ldd "$moat" | grep -q 'not found' && fail "unresolved libraries: $(ldd "$moat" | grep 'not found')"
for needed in $(readelf -d "$moat" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  library=$(ldd "$moat" | awk -v name="$needed" '$1 == name { print $3 }')
  [ -n "$library" ] || fail "cannot resolve $needed"
  owner=$(owner_of "$library") || fail "no package owns $library"
  named_in_depends "$owner" || fail "$needed comes from $owner, which Depends does not name"
done

# The libraries moat loads at run time (dlopen) come from packages named in Depends too.
for soname in libcurl.so.4 libarchive.so.13 libgpgme.so.11; do
  grep -qF "\"$soname\"" src/moat/deps/update.cpp src/moat/util/libarchive_api.hpp src/moat/sign/gpgme_api.hpp ||
    fail "$soname is no longer loaded at run time: update this list"
  library=$(/sbin/ldconfig -p | awk -v name="$soname" '$1 == name { print $NF; exit }')
  [ -n "$library" ] || fail "cannot resolve $soname"
  owner=$(owner_of "$library") || fail "no package owns $library"
  named_in_depends "$owner" || fail "$soname (loaded at run time) comes from $owner, which Depends does not name"
done

# The installed binary, away from the source tree.
first_line=$(cd "$root" && "$moat" --version | head -1)
[ "$first_line" = "moat $version" ] || fail "--version printed '$first_line'"
(cd "$root" && "$moat" --version)
set +e
output=$(cd "$root" && "$moat" scan --no-progress usr/share/doc/moat/examples/insecure-app 2>&1)
status=$?
set -e
[ "$status" -eq 1 ] || fail "scan of the example exited $status, expected 1 (findings):
$output"
for rule in B602 B301 B506 B324; do
  grep -q "$rule" <<<"$output" || fail "scan of the example did not report $rule"
done
echo "$output" | tail -1
set +e
"$moat" scan --no-progress examples/insecure-app >/dev/null 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || fail "scan of examples/insecure-app exited $status, expected 1"
echo "== package OK: installs into an empty root, runs, scans"
