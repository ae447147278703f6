#pragma once
// moat's native-code analyzer: the entry points `moat native` and `moat inspect` call.
//
//   auto report = moat::native::analyze_binary("pkg.libs/libcrypto-55019c10.so.3", bytes, options);
//   for (auto& finding : moat::native::native_findings(report)) ...
//
// analyze_binary never fails: an unparseable file gives a report with parse_error set (and a
// MOAT-N002 finding). For a set of files from one archive or directory, call
// propagate_sibling_versions() before turning reports into findings.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/base/rule_doc.hpp"
#include "moat/native/binary.hpp"
#include "moat/native/hardening.hpp"
#include "moat/native/known_builds.hpp"
#include "moat/native/libraries.hpp"
#include "moat/native/vulndb.hpp"

namespace moat::native {

struct AnalyzeOptions {
  /// The platform tag the wheel claims (from its file name or WHEEL file); empty: not checked.
  std::string claimed_platform_tag;
  /// Vulnerability data; nullptr means the data embedded in moat.
  const NativeVulnDb* vulnerabilities = nullptr;
  /// Known distribution builds whose backported fixes cancel CVE matches; nullptr: the embedded ones.
  const KnownBuilds* known_builds = nullptr;
};

struct VulnerabilityMatch {
  std::string library;  // id, as in LibraryIdentification
  std::string version;
  NativeVulnerability record;
};

struct BinaryReport {
  std::string path;  // as given: "dist.whl!/pkg.libs/libz-062372f2.so.1.2.11" inside archives
  std::uint64_t size = 0;
  std::optional<BinaryFacts> facts;  // absent when the headers could not be parsed
  std::string parse_error;
  Hardening hardening;
  std::vector<LibraryIdentification> libraries;
  std::vector<VulnerabilityMatch> vulnerabilities;
  /// The distribution build this file is, when its hash is known (only looked up for files with
  /// CVE matches), and the matches its package's changelog says it fixed (not reported).
  std::optional<KnownBuild> build;
  std::vector<VulnerabilityMatch> backported;
  PlatformRequirement platform;
  std::optional<std::string> platform_problem;  // set when the claimed tag is not satisfied
};

/// True when the first bytes are an ELF, Mach-O or PE header: worth reading the whole file.
bool looks_like_binary(std::span<const std::byte> first_bytes);

/// Parses one binary and runs identification, hardening, CVE matching and the platform check.
BinaryReport analyze_binary(std::string_view name, std::span<const std::byte> bytes, const AnalyzeOptions& options = {});

/// For binaries shipped together (one wheel, one directory): a library that only says which
/// library it is (libssl, by name) takes the exact version of the sibling it links to (libcrypto).
/// CVEs are reported on the sibling that holds the version evidence, not twice.
void propagate_sibling_versions(std::vector<BinaryReport>& reports);

/// The report's findings, category "native", located at report.path.
std::vector<Finding> native_findings(const BinaryReport& report);

/// The report as JSON: format, kind, architecture, hardening, libraries (with evidence), CVEs.
nlohmann::ordered_json to_json(const BinaryReport& report);

/// A plain-text table of bundled libraries: path, library, version, confidence, evidence.
std::string format_library_table(std::span<const BinaryReport> reports);

/// One RuleDoc per MOAT-N rule.
std::span<const RuleDoc> native_rule_docs();

}  // namespace moat::native
