#pragma once
// Known builds of C libraries: a shared object's SHA-256 -> the distribution package it came from
// and the CVEs that package's changelog says it fixed. Distributions backport fixes to old
// upstream versions (Debian's libwebp 1.2.4-0.2+deb12u1 has the CVE-2023-4863 fix), so a version
// number alone over-reports; an exact build settles it. Data: scripts/known_builds_from_debs.py,
// embedded from data/native/known-builds.json, more via `moat db import` (docs/native.md).
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "moat/util/error.hpp"

namespace moat::native {

struct KnownBuild {
  std::string sha256;        // lowercase hex of the file as the package ships it
  std::string file;          // path inside the package: "usr/lib/x86_64-linux-gnu/libwebp.so.7.1.5"
  std::string distribution;  // "debian"
  std::string package;       // "libwebp7"
  std::string version;       // package version: "1.2.4-0.2+deb12u1"
  std::string architecture;  // "amd64"
  std::vector<std::string> fixed;  // CVE ids the package's changelog names, sorted

  /// "debian libwebp7 1.2.4-0.2+deb12u1 (usr/lib/x86_64-linux-gnu/libwebp.so.7.1.5)"
  [[nodiscard]] std::string describe() const;
  [[nodiscard]] bool fixes(std::string_view cve) const;
};

class KnownBuilds {
 public:
  /// Parses `{"builds": [...]}`; `source` names the document in errors.
  static Result<KnownBuilds> parse(std::string_view json, const std::string& source);
  static Result<KnownBuilds> load(const std::filesystem::path& path);
  /// The data compiled into moat.
  static const KnownBuilds& embedded();

  /// Adds other's builds (an imported file on top of the embedded data).
  void merge(const KnownBuilds& other);

  /// The build with exactly this SHA-256 (lowercase hex), or nullptr.
  [[nodiscard]] const KnownBuild* find(std::string_view sha256_hex) const;
  /// The one build whose SHA-256 starts with `prefix` (auditwheel keeps 8 hex digits of the
  /// original file's hash in the name it gives a grafted library), or nullptr when none or several do.
  [[nodiscard]] const KnownBuild* find_by_prefix(std::string_view prefix) const;
  [[nodiscard]] std::span<const KnownBuild> builds() const { return builds_; }

 private:
  void sort();
  std::vector<KnownBuild> builds_;  // sorted by sha256
};

}  // namespace moat::native
