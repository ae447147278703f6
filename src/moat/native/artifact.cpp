#include "moat/native/artifact.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <ranges>

#include "moat/native/version.hpp"

namespace moat::native {

namespace {

bool named_like_binary(std::string_view path) {
  const auto name = path.substr(path.find_last_of('/') + 1);
  return name.ends_with(".so") || name.find(".so.") != std::string_view::npos || name.ends_with(".pyd") ||
         name.ends_with(".dll") || name.ends_with(".dylib");
}

// The evidence that settled the version: a version symbol or banner, then a sibling or the SBOM,
// then a version node or a libtool suffix; the bare file name only says which library it is.
std::string strongest_evidence(const LibraryIdentification& library) {
  constexpr std::array kStrength = {EvidenceKind::version_function, EvidenceKind::banner, EvidenceKind::sibling,
                                    EvidenceKind::sbom, EvidenceKind::version_node, EvidenceKind::file_name};
  for (const auto kind : kStrength)
    for (const auto& evidence : library.evidence)
      if (evidence.kind == kind && (kind != EvidenceKind::file_name || evidence.detail.starts_with("libtool")))
        return evidence.detail;
  return library.evidence.empty() ? std::string() : library.evidence.front().detail;
}

nlohmann::ordered_json library_rows(std::span<const BinaryReport> reports, std::span<const std::string> paths) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (std::size_t index = 0; index < reports.size(); ++index) {
    const auto& report = reports[index];
    for (const auto& library : report.libraries) {
      const auto cves = std::ranges::count(report.vulnerabilities, library.library, &VulnerabilityMatch::library);
      rows.push_back({{"path", paths[index]},
                      {"library", library.library},
                      {"name", library.display_name},
                      {"version", library.version.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(library.version)},
                      {"lower_bound", library.version_is_lower_bound},
                      {"confidence", to_string(library.confidence)},
                      {"statically_linked", library.statically_linked},
                      {"cves", cves},
                      {"evidence", strongest_evidence(library)}});
      if (report.build) {
        rows.back()["build"] = report.build->describe();
        rows.back()["backported"] = std::ranges::count(report.backported, library.library, &VulnerabilityMatch::library);
      }
    }
  }
  return rows;
}

constexpr std::string_view kSbomSuffix = ".dist-info/sboms/auditwheel.cdx.json";

Finding sbom_finding(const std::string& location, std::string message) {
  Finding finding;
  finding.rule_id = "MOAT-N014";
  for (const auto& doc : native_rule_docs())
    if (doc.id == finding.rule_id) finding.title = doc.title;
  finding.message = std::move(message);
  finding.severity = Severity::medium;
  finding.confidence = Confidence::medium;
  finding.category = Category::native;
  finding.location.path = location;
  return finding;
}

}  // namespace

std::string upstream_of_package_version(std::string_view version) {
  if (const auto colon = version.find(':'); colon != std::string_view::npos) version.remove_prefix(colon + 1);
  version = version.substr(0, version.find_first_of("-+~"));
  if (const auto repack = version.find(".dfsg"); repack != std::string_view::npos) version = version.substr(0, repack);
  return std::string(version);
}

ArtifactScanner::ArtifactScanner(AnalyzeOptions options) : options_(std::move(options)) {}

void ArtifactScanner::add_member(std::string location, std::string_view path, std::span<const std::byte> data) {
  if (path.ends_with(kSbomSuffix)) {
    read_sbom(std::move(location), std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
    return;
  }
  if (analyses(path, data)) add_report(path, analyze_binary(location, data, options_));
}

bool ArtifactScanner::analyses(std::string_view path, std::span<const std::byte> data) {
  return !path.ends_with(kSbomSuffix) && looks_like_binary(data.first(std::min<std::size_t>(data.size(), 8)));
}

void ArtifactScanner::add_report(std::string_view path, BinaryReport report) {
  reports_.push_back(std::move(report));
  member_paths_.emplace_back(path);
}

void ArtifactScanner::add_unread_member(std::string_view path, std::uint64_t size) {
  if (named_like_binary(path)) not_analysed_.push_back(std::string(path) + " (" + std::to_string(size) + " bytes)");
}

void ArtifactScanner::read_sbom(std::string location, std::string_view text) {
  sbom_location_ = std::move(location);
  const auto document = nlohmann::json::parse(text, nullptr, false);
  const auto components = document.is_object() ? document.find("components") : document.end();
  if (!document.is_object() || components == document.end() || !components->is_array()) {
    sbom_error_ = "not a CycloneDX document with a components list";
    return;
  }
  for (const auto& component : *components) {
    if (!component.is_object()) continue;
    SbomComponent entry{component.value("name", ""), component.value("version", ""), component.value("purl", ""), {}};
    if (entry.purl.starts_with("pkg:pypi/")) continue;  // the wheel itself
    entry.library = library_of_package(entry.package);
    sbom_.push_back(std::move(entry));
  }
}

// Every SBOM component moat has detection data for is compared with the versions found in the
// binaries: the same upstream version confirms the copy's provenance (its CVE findings may be
// fixed by a distribution backport), a different one is a MOAT-N014 finding.
nlohmann::ordered_json ArtifactScanner::cross_check_sbom(std::vector<Finding>& findings) {
  if (sbom_location_.empty()) return nullptr;
  if (!sbom_error_.empty()) {
    findings.push_back(sbom_finding(sbom_location_, "unreadable auditwheel SBOM: " + sbom_error_));
    return nullptr;
  }
  auto listed = nlohmann::ordered_json::array();
  for (const auto& component : sbom_) {
    std::string status = "no detection data";
    const auto upstream = upstream_of_package_version(component.version);
    std::vector<std::string> found;  // "OpenSSL 3.0.22 (pkg.libs/libcrypto-...)"
    bool confirmed = false;
    for (auto& report : reports_) {
      for (auto& library : report.libraries) {
        if (component.library.empty() || library.library != component.library || library.version.empty() ||
            library.version_is_lower_bound)
          continue;
        if (compare_versions(library.version, upstream) == 0) {
          confirmed = true;
          library.evidence.push_back({EvidenceKind::sbom, "auditwheel SBOM: " + component.purl});
          for (auto& finding : findings) {
            if (finding.rule_id != "MOAT-N001" || finding.location.path != report.path || finding.details.value("library", "") != library.library)
              continue;
            finding.confidence = Confidence::low;
            finding.message += "; the SBOM names the distribution package " + component.package + " " + component.version +
                               ", which may carry the fix as a backport";
            finding.details["distribution_package"] = component.purl;
          }
        } else {
          found.push_back(library.display_name + " " + library.version + " (" + report.path + ")");
        }
      }
    }
    if (confirmed) status = "confirmed";
    else if (!found.empty()) {
      status = "mismatch";
      std::string shown;
      for (const auto& item : found) shown += (shown.empty() ? "" : ", ") + item;
      findings.push_back(sbom_finding(sbom_location_, "the auditwheel SBOM lists " + component.package + " " + component.version +
                                                                 " but the binaries contain " + shown));
    } else if (!component.library.empty()) {
      status = "not found in the binaries";
    }
    listed.push_back({{"package", component.package}, {"version", component.version}, {"purl", component.purl},
                      {"library", component.library}, {"status", status}});
  }
  return listed;
}

ArtifactNativeResult ArtifactScanner::finish() && {
  ArtifactNativeResult result;
  if (reports_.empty() && not_analysed_.empty()) return result;
  propagate_sibling_versions(reports_);
  for (const auto& report : reports_) std::ranges::move(native_findings(report), std::back_inserter(result.findings));
  auto sbom = cross_check_sbom(result.findings);

  auto& summary = result.summary;
  summary["binaries"] = reports_.size();
  if (!options_.claimed_platform_tag.empty()) summary["claimed_platform_tag"] = options_.claimed_platform_tag;
  const auto platform = combined_platform(reports_);
  if (!platform.tag.empty() || !platform.limiting_symbol.empty()) {
    summary["satisfied_platform_tag"] = platform.tag;
    summary["limiting_symbol"] = platform.limiting_symbol;
    const auto at = std::ranges::find(reports_, platform.limiting_binary, &BinaryReport::path);
    summary["limiting_binary"] = at == reports_.end() ? platform.limiting_binary : member_paths_[static_cast<std::size_t>(at - reports_.begin())];
  }
  summary["libraries"] = library_rows(reports_, member_paths_);
  if (!not_analysed_.empty()) summary["not_analysed"] = not_analysed_;
  if (!sbom.is_null()) summary["sbom"] = std::move(sbom);
  nlohmann::ordered_json details = nlohmann::ordered_json::array();
  for (const auto& report : reports_) details.push_back(to_json(report));
  summary["details"] = std::move(details);
  result.binaries = std::move(reports_);
  return result;
}

CombinedPlatform combined_platform(std::span<const BinaryReport> reports) {
  CombinedPlatform combined;
  int highest_minor = -1;
  bool glibc = false;
  bool musl = false;
  for (const auto& report : reports) {
    if (!report.facts || report.facts->format != BinaryFormat::elf) continue;
    const auto& requirement = report.platform;
    if (requirement.musl) {
      if (!musl && !glibc) combined = {requirement.satisfied_tag, "libc.musl", report.path};
      musl = true;
      continue;
    }
    if (!requirement.highest_glibc.empty()) glibc = true;
    if (requirement.satisfied_tag.empty()) {  // newer libstdc++ than any policy: nothing fits
      if (highest_minor != std::numeric_limits<int>::max()) combined = {"", requirement.limiting_symbol, report.path};
      highest_minor = std::numeric_limits<int>::max();
      continue;
    }
    if (requirement.satisfied_glibc_minor > highest_minor) {
      highest_minor = requirement.satisfied_glibc_minor;
      if (!musl) combined = {requirement.satisfied_tag, requirement.limiting_symbol, report.path};
    }
  }
  if (musl && glibc) {  // musl and glibc binaries side by side: no single policy fits
    combined.tag.clear();
    combined.limiting_symbol = "both musl and glibc binaries";
  }
  return combined;
}

}  // namespace moat::native
