#include <array>
#include <algorithm>
#include <functional>
#include <iterator>
#include <map>

#include "moat/native/native.hpp"
#include "moat/util/encoding.hpp"

namespace moat::native {

namespace {

Severity severity_of(std::string_view label) {
  if (label.starts_with("critical")) return Severity::critical;
  if (label.starts_with("high")) return Severity::high;
  if (label.starts_with("low")) return Severity::low;
  return Severity::medium;  // moderate, medium, unknown or not given
}

bool has_exact_version(const LibraryIdentification& library) {
  return !library.version.empty() && !library.version_is_lower_bound &&
         std::ranges::none_of(library.evidence, [](const Evidence& evidence) { return evidence.kind == EvidenceKind::sibling; });
}

// zlib CVEs in contrib/minizip (the data's notes say so) concern only binaries that contain
// MiniZip's code, recognisable by its unzip/zip entry points.
bool applies_to_binary(const NativeVulnerability& record, std::span<const std::byte> bytes) {
  if (record.library != "zlib" || record.notes.find("minizip") == std::string::npos) return true;
  const auto text = std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return text.find("unzOpen") != std::string_view::npos || text.find("zipOpen") != std::string_view::npos;
}

void match_vulnerabilities(BinaryReport& report, const NativeVulnDb& db, std::span<const std::byte> bytes) {
  report.vulnerabilities.clear();
  for (const auto& library : report.libraries) {
    if (!has_exact_version(library)) continue;
    for (const auto* record : db.matches(library.library, library.version))
      if (applies_to_binary(*record, bytes)) report.vulnerabilities.push_back({library.library, library.version, *record});
  }
}

// A file whose bytes are a known distribution build (or whose auditwheel name keeps the hash
// prefix of one) is that build: the CVEs its package's changelog names are fixed there, whatever
// the upstream version number says.
void settle_backports(BinaryReport& report, std::string_view name, std::span<const std::byte> bytes,
                      const KnownBuilds& known) {
  if (report.vulnerabilities.empty() || known.builds().empty()) return;
  const auto digest = sha256(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  const KnownBuild* build = known.find(hex_encode(digest_bytes(digest)));
  std::string how = "SHA-256 matches ";
  if (build == nullptr) {
    const auto normalized = normalize_library_name(name);
    if (normalized.renamed_by == "auditwheel" && (build = known.find_by_prefix(normalized.hash)) != nullptr)
      how = "auditwheel hash " + normalized.hash + " (SHA-256 of the original file) matches ";
  }
  if (build == nullptr) return;
  report.build = *build;
  for (auto& library : report.libraries)
    library.evidence.push_back({EvidenceKind::known_build, how + build->describe()});
  const auto fixed_here = [&](const VulnerabilityMatch& match) {
    return build->fixes(match.record.id) ||
           std::ranges::any_of(match.record.aliases, [&](const std::string& alias) { return build->fixes(alias); });
  };
  const auto fixed = std::ranges::stable_partition(report.vulnerabilities, std::not_fn(fixed_here));
  report.backported.assign(std::make_move_iterator(fixed.begin()), std::make_move_iterator(fixed.end()));
  report.vulnerabilities.erase(fixed.begin(), fixed.end());
}

const LibraryIdentification* find_library(const BinaryReport& report, std::string_view id) {
  for (const auto& library : report.libraries)
    if (library.library == id) return &library;
  return nullptr;
}

std::string evidence_summary(const LibraryIdentification& library) {
  std::string text;
  for (const auto& evidence : library.evidence) {
    if (!text.empty()) text += "; ";
    text += evidence.detail;
  }
  return text;
}

Finding make_finding(const BinaryReport& report, std::string_view rule_id, std::string message, Severity severity,
                     Confidence confidence) {
  Finding finding;
  finding.rule_id = rule_id;
  for (const auto& doc : native_rule_docs())
    if (doc.id == rule_id) finding.title = doc.title;
  finding.message = std::move(message);
  finding.severity = severity;
  finding.confidence = confidence;
  finding.category = Category::native;
  finding.location.path = report.path;
  return finding;
}

nlohmann::ordered_json optional_bool(std::optional<bool> value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

}  // namespace

bool looks_like_binary(std::span<const std::byte> first_bytes) { return detect_format(first_bytes).has_value(); }

BinaryReport analyze_binary(std::string_view name, std::span<const std::byte> bytes, const AnalyzeOptions& options) {
  BinaryReport report;
  report.path = name;
  report.size = bytes.size();
  auto facts = parse_binary(bytes);
  if (!facts) {
    report.parse_error = facts.error().message;
    return report;
  }
  report.facts = std::move(*facts);
  report.hardening = assess_hardening(*report.facts);
  report.libraries = identify_libraries(name, bytes, *report.facts);
  report.platform = platform_requirement(*report.facts);
  if (!options.claimed_platform_tag.empty())
    report.platform_problem = platform_tag_problem(report.platform, options.claimed_platform_tag);
  match_vulnerabilities(report, options.vulnerabilities != nullptr ? *options.vulnerabilities : NativeVulnDb::embedded(), bytes);
  settle_backports(report, name, bytes, options.known_builds != nullptr ? *options.known_builds : KnownBuilds::embedded());
  return report;
}

void propagate_sibling_versions(std::vector<BinaryReport>& reports) {
  // soname (and file name) -> report, for the libraries whose version is exact.
  std::map<std::string, const BinaryReport*, std::less<>> by_name;
  for (const auto& report : reports) {
    if (!report.facts) continue;
    const auto file = normalize_library_name(report.path);
    by_name.emplace(file.name, &report);
    if (!report.facts->soname.empty()) by_name.emplace(normalize_library_name(report.facts->soname).name, &report);
  }
  for (auto& report : reports) {
    if (!report.facts) continue;
    for (auto& library : report.libraries) {
      if (library.statically_linked || (!library.version.empty() && !library.version_is_lower_bound)) continue;
      for (const auto& needed : report.facts->needed) {
        const auto sibling = by_name.find(normalize_library_name(needed).name);
        if (sibling == by_name.end() || sibling->second == &report) continue;
        const auto* source = find_library(*sibling->second, library.library);
        if (source == nullptr || !has_exact_version(*source)) continue;
        library.version = source->version;
        library.version_is_lower_bound = false;
        library.confidence = Confidence::medium;
        library.evidence.push_back({EvidenceKind::sibling, "links " + needed + ", which is " + source->display_name + " " + source->version});
        break;
      }
    }
  }
}

std::vector<Finding> native_findings(const BinaryReport& report) {
  std::vector<Finding> findings;
  if (!report.facts) {
    findings.push_back(make_finding(report, "MOAT-N002", "malformed binary: " + report.parse_error, Severity::medium,
                                    Confidence::high));
    return findings;
  }
  const auto& facts = *report.facts;
  if (!facts.anomalies.empty()) {
    auto finding = make_finding(report, "MOAT-N002", "malformed " + std::string(to_string(facts.format)) + ": " + facts.anomalies.front() +
                                                         (facts.anomalies.size() > 1 ? " (and " + std::to_string(facts.anomalies.size() - 1) + " more)" : ""),
                                Severity::medium, Confidence::high);
    finding.details["anomalies"] = facts.anomalies;
    findings.push_back(std::move(finding));
  }

  for (const auto& match : report.vulnerabilities) {
    const auto* library = find_library(report, match.library);
    const auto& record = match.record;
    std::string message = (library != nullptr ? library->display_name : match.library) + " " + match.version +
                          (library != nullptr && library->statically_linked ? " (statically linked)" : "") + " is affected by " +
                          record.id + (record.severity.empty() ? "" : " (" + record.severity + ")");
    if (record.fixed) message += "; fixed in " + *record.fixed;
    else if (record.last_affected) message += "; last affected " + *record.last_affected + ", no fixed release listed";
    auto finding = make_finding(report, "MOAT-N001", std::move(message), severity_of(record.severity),
                                library != nullptr ? library->confidence : Confidence::medium);
    finding.snippet = record.id;
    finding.details["library"] = match.library;
    finding.details["version"] = match.version;
    finding.details["vulnerability"] = record.id;
    finding.details["aliases"] = record.aliases;
    finding.details["introduced"] = record.introduced ? nlohmann::ordered_json(*record.introduced) : nullptr;
    finding.details["fixed"] = record.fixed ? nlohmann::ordered_json(*record.fixed) : nullptr;
    finding.details["summary"] = record.summary;
    if (library != nullptr) {
      finding.details["statically_linked"] = library->statically_linked;
      finding.details["evidence"] = evidence_summary(*library);
    }
    findings.push_back(std::move(finding));
  }

  const auto& hardening = report.hardening;
  const bool loadable = facts.kind == BinaryKind::executable || facts.kind == BinaryKind::shared_library;
  if (loadable && !hardening.nx) {
    findings.push_back(make_finding(report, "MOAT-N003",
                                    facts.format == BinaryFormat::pe ? "DLL/executable is not marked NX-compatible (DEP)"
                                    : facts.format == BinaryFormat::elf && !facts.elf.has_gnu_stack
                                        ? "no PT_GNU_STACK header: the loader makes the stack executable"
                                        : "requests an executable stack",
                                    Severity::high, Confidence::high));
  }
  if (facts.format == BinaryFormat::elf && loadable) {
    if (hardening.relro == Relro::none)
      findings.push_back(make_finding(report, "MOAT-N004", "no RELRO: relocations and the GOT stay writable", Severity::medium,
                                      Confidence::high));
    if (hardening.text_relocations)
      findings.push_back(make_finding(report, "MOAT-N005", "text relocations (DT_TEXTREL): code pages are made writable at load time",
                                      Severity::medium, Confidence::high));
    if (hardening.canary == false && hardening.fortifiable > 0)
      findings.push_back(make_finding(report, "MOAT-N006", "no stack protector (__stack_chk_fail is not imported)",
                                      Severity::low, Confidence::low));
    if (hardening.fortified == 0 && hardening.fortifiable > 0)
      findings.push_back(make_finding(report, "MOAT-N007",
                                      "not built with _FORTIFY_SOURCE: fortified 0 of " + std::to_string(hardening.fortifiable) +
                                          " fortifiable libc functions",
                                      Severity::low, Confidence::low));
  }
  if (hardening.pie == false)
    findings.push_back(make_finding(report, "MOAT-N008", "executable is not position independent (no ASLR for its code)",
                                    Severity::medium, Confidence::high));
  for (const auto& path : hardening.search_paths) {
    if (path.kind == SearchPathKind::origin_relative) continue;
    const auto severity = path.kind == SearchPathKind::absolute ? Severity::medium : Severity::high;
    const std::string shown = path.path.empty() ? "an empty entry (the current directory)" : "\"" + path.path + "\"";
    auto finding = make_finding(report, "MOAT-N009",
                                path.source + " contains " + shown + " (" + std::string(to_string(path.kind)) + ")" +
                                    (path.source == "RPATH" ? "; DT_RPATH is searched even before LD_LIBRARY_PATH" : ""),
                                severity, Confidence::high);
    finding.snippet = path.source + "=" + path.path;
    findings.push_back(std::move(finding));
  }
  if (report.platform_problem) {
    auto finding = make_finding(report, "MOAT-N010", *report.platform_problem, Severity::high, Confidence::high);
    finding.details["satisfied_tag"] = report.platform.satisfied_tag;
    findings.push_back(std::move(finding));
  }
  if (facts.format == BinaryFormat::pe) {
    if (hardening.aslr == false)
      findings.push_back(make_finding(report, "MOAT-N011", "no ASLR: DYNAMIC_BASE is off or the relocations were stripped",
                                      Severity::medium, Confidence::high));
    if (hardening.control_flow_guard == false)
      findings.push_back(make_finding(report, "MOAT-N012", "not built with Control Flow Guard (/guard:cf)", Severity::low,
                                      Confidence::medium));
  }
  if (facts.format == BinaryFormat::macho) {
    for (const auto& dependency : facts.needed) {
      if (!dependency.starts_with("/usr/local/") && !dependency.starts_with("/opt/")) continue;
      auto finding = make_finding(report, "MOAT-N013",
                                  "loads " + dependency + " from an absolute path outside the system: a library that was not bundled",
                                  Severity::medium, Confidence::high);
      finding.snippet = dependency;
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

nlohmann::ordered_json to_json(const BinaryReport& report) {
  nlohmann::ordered_json json;
  json["path"] = report.path;
  json["size"] = report.size;
  if (!report.facts) {
    json["error"] = report.parse_error;
    return json;
  }
  const auto& facts = *report.facts;
  json["format"] = to_string(facts.format);
  json["kind"] = to_string(facts.kind);
  json["architecture"] = facts.architecture;
  json["bits"] = facts.is_64_bit ? 64 : 32;
  json["endianness"] = facts.big_endian ? "big" : "little";
  json["soname"] = facts.soname;
  json["needed"] = facts.needed;
  json["rpath"] = facts.rpath;
  json["runpath"] = facts.runpath;
  const auto& hardening = report.hardening;
  nlohmann::ordered_json checks;
  checks["relro"] = hardening.relro ? nlohmann::ordered_json(to_string(*hardening.relro)) : nullptr;
  checks["nx"] = hardening.nx;
  checks["canary"] = optional_bool(hardening.canary);
  checks["fortified"] = hardening.fortified;
  checks["fortifiable"] = hardening.fortifiable;
  checks["pie"] = facts.kind == BinaryKind::shared_library ? nlohmann::ordered_json("dso") : optional_bool(hardening.pie);
  checks["textrel"] = hardening.text_relocations;
  checks["ibt"] = optional_bool(hardening.ibt);
  checks["shstk"] = optional_bool(hardening.shadow_stack);
  checks["bti"] = optional_bool(hardening.bti);
  checks["pac"] = optional_bool(hardening.pac);
  checks["aslr"] = optional_bool(hardening.aslr);
  checks["high_entropy_va"] = optional_bool(hardening.high_entropy_va);
  checks["cfg"] = optional_bool(hardening.control_flow_guard);
  checks["signed"] = optional_bool(hardening.code_signed);
  nlohmann::ordered_json paths = nlohmann::ordered_json::array();
  for (const auto& path : hardening.search_paths)
    paths.push_back({{"path", path.path}, {"source", path.source}, {"kind", to_string(path.kind)}});
  checks["search_paths"] = std::move(paths);
  json["hardening"] = std::move(checks);
  nlohmann::ordered_json libraries = nlohmann::ordered_json::array();
  for (const auto& library : report.libraries) {
    nlohmann::ordered_json entry;
    entry["library"] = library.library;
    entry["name"] = library.display_name;
    entry["version"] = library.version.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(library.version);
    entry["lower_bound"] = library.version_is_lower_bound;
    entry["confidence"] = to_string(library.confidence);
    entry["statically_linked"] = library.statically_linked;
    nlohmann::ordered_json evidence = nlohmann::ordered_json::array();
    for (const auto& item : library.evidence) evidence.push_back({{"kind", to_string(item.kind)}, {"detail", item.detail}});
    entry["evidence"] = std::move(evidence);
    libraries.push_back(std::move(entry));
  }
  json["libraries"] = std::move(libraries);
  nlohmann::ordered_json vulnerabilities = nlohmann::ordered_json::array();
  for (const auto& match : report.vulnerabilities)
    vulnerabilities.push_back({{"library", match.library},
                               {"version", match.version},
                               {"id", match.record.id},
                               {"fixed", match.record.fixed ? nlohmann::ordered_json(*match.record.fixed) : nullptr},
                               {"severity", match.record.severity}});
  json["vulnerabilities"] = std::move(vulnerabilities);
  if (report.build) {
    json["build"] = {{"distribution", report.build->distribution}, {"package", report.build->package},
                     {"version", report.build->version}, {"file", report.build->file}, {"sha256", report.build->sha256}};
    nlohmann::ordered_json backported = nlohmann::ordered_json::array();
    for (const auto& match : report.backported)
      backported.push_back({{"library", match.library}, {"version", match.version}, {"id", match.record.id}});
    json["backported"] = std::move(backported);
  }
  if (facts.format == BinaryFormat::elf) {
    json["platform"] = {{"glibc", report.platform.highest_glibc},
                        {"glibcxx", report.platform.highest_glibcxx},
                        {"satisfied_tag", report.platform.satisfied_tag},
                        {"limiting_symbol", report.platform.limiting_symbol}};
  }
  if (!facts.anomalies.empty()) json["anomalies"] = facts.anomalies;
  return json;
}

std::string format_library_table(std::span<const BinaryReport> reports) {
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"PATH", "LIBRARY", "VERSION", "CONFIDENCE", "CVES", "EVIDENCE"});
  for (const auto& report : reports) {
    for (const auto& library : report.libraries) {
      const auto cves = std::ranges::count_if(report.vulnerabilities, [&](const VulnerabilityMatch& match) {
        return match.library == library.library;
      });
      std::string version = library.version.empty() ? "?" : (library.version_is_lower_bound ? ">=" : "") + library.version;
      if (library.statically_linked) version += " (static)";
      // The strongest evidence: the first one beyond the file name, which only says which library.
      const auto decisive = std::ranges::find_if(library.evidence, [](const Evidence& evidence) { return evidence.kind != EvidenceKind::file_name || evidence.detail.starts_with("libtool"); });
      const auto& shown = decisive != library.evidence.end() ? decisive->detail : library.evidence.front().detail;
      rows.push_back({report.path, library.display_name, version, std::string(to_string(library.confidence)),
                      std::to_string(cves), shown});
    }
  }
  std::array<std::size_t, 6> widths{};
  for (const auto& row : rows)
    for (std::size_t column = 0; column + 1 < row.size(); ++column) widths[column] = std::max(widths[column], row[column].size());
  std::string text;
  for (const auto& row : rows) {
    for (std::size_t column = 0; column < row.size(); ++column) {
      text += row[column];
      if (column + 1 < row.size()) text.append(widths[column] - row[column].size() + 2, ' ');
    }
    text += '\n';
  }
  return text;
}

}  // namespace moat::native
