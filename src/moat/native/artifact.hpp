#pragma once
// The native checks over the members of one artifact (a wheel, sdist or conda package) as the
// archive reader streams them: every ELF/Mach-O/PE member is analysed while its bytes are at hand
// (they are not kept), versions are shared between siblings at the end, and the result is the
// findings plus a summary of the bundled libraries and of the platform tag the binaries satisfy.
// An auditwheel SBOM (`.dist-info/sboms/auditwheel.cdx.json`) is cross-checked against what the
// binaries contain: a confirmed distribution package marks its CVE findings as possibly backported.
//
//   ArtifactScanner scanner({.claimed_platform_tag = "manylinux_2_17_x86_64"});
//   scanner.add_member("demo.whl!/demo.libs/libz-062372f2.so.1.2.11", "demo.libs/libz-062372f2.so.1.2.11", bytes);
//   auto result = std::move(scanner).finish();
#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/native/native.hpp"

namespace moat::native {

struct ArtifactNativeResult {
  std::vector<BinaryReport> binaries;  // paths are the finding locations ("dist.whl!/...")
  std::vector<Finding> findings;
  /// {"binaries", "claimed_platform_tag", "satisfied_platform_tag", "limiting_symbol", "limiting_binary",
  ///  "libraries": [{"path", "library", "name", "version", "lower_bound", "confidence",
  ///  "statically_linked", "cves", "evidence", and for a known build "build", "backported"}], "not_analysed": [...], "sbom": [{"package", "version",
  ///  "purl", "library", "status"}], "details": [to_json(binary)...]};
  /// null when the artifact holds no binary.
  nlohmann::ordered_json summary;
};

class ArtifactScanner {
 public:
  explicit ArtifactScanner(AnalyzeOptions options = {});

  /// One regular member with its bytes. `location` names it in findings; `path` is its path inside
  /// the artifact. Members that are not ELF, Mach-O or PE images are ignored.
  void add_member(std::string location, std::string_view path, std::span<const std::byte> data);
  /// add_member in two halves, for callers that analyse binaries on other threads: whether it would
  /// analyse this member (an ELF, Mach-O or PE image), then analyze_binary(location, data, options())
  /// added back with add_report, in member order.
  [[nodiscard]] static bool analyses(std::string_view path, std::span<const std::byte> data);
  void add_report(std::string_view path, BinaryReport report);
  [[nodiscard]] const AnalyzeOptions& options() const { return options_; }
  /// A member whose bytes were not read (larger than the reader buffers): listed as not analysed
  /// when its name says it is a shared object or extension module.
  void add_unread_member(std::string_view path, std::uint64_t size);

  [[nodiscard]] ArtifactNativeResult finish() &&;

 private:
  AnalyzeOptions options_;
  std::vector<BinaryReport> reports_;
  std::vector<std::string> member_paths_;  // parallel to reports_
  std::vector<std::string> not_analysed_;
  struct SbomComponent {
    std::string package, version, purl, library;
  };
  std::string sbom_location_;
  std::vector<SbomComponent> sbom_;
  std::string sbom_error_;

  void read_sbom(std::string location, std::string_view text);
  nlohmann::ordered_json cross_check_sbom(std::vector<Finding>& findings);
};

/// The upstream part of a distribution package version: "1:1.2.13.dfsg-1" -> "1.2.13",
/// "3.0.17-1~deb12u2" -> "3.0.17", "1:3.0.7-27.el9" -> "3.0.7", "3.1.4-r5" -> "3.1.4".
std::string upstream_of_package_version(std::string_view version);

/// The lowest manylinux/musllinux tag every ELF binary in `reports` satisfies (the most demanding
/// binary sets it), with the symbol and binary that set it. Empty tag: none fits, or no ELF binary.
struct CombinedPlatform {
  std::string tag;
  std::string limiting_symbol;
  std::string limiting_binary;
};
CombinedPlatform combined_platform(std::span<const BinaryReport> reports);

}  // namespace moat::native
