#include "moat/dist/inspect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <map>

#include "moat/dist/conda.hpp"
#include "moat/dist/member_pool.hpp"
#include "moat/dist/metadata.hpp"
#include "moat/dist/rules.hpp"
#include "moat/dist/sdist.hpp"
#include "moat/dist/secrets.hpp"

namespace moat::dist {

namespace {

using Kept = std::map<std::string, std::string>;

/// Metadata members larger than this are not kept (bounds memory when many .pth files are shipped).
constexpr std::size_t kMaxKeptBytes = std::size_t{32} << 20;

bool is_sdist(ArchiveKind kind) { return kind == ArchiveKind::sdist_tar || kind == ArchiveKind::sdist_zip; }
bool is_conda(ArchiveKind kind) { return kind == ArchiveKind::conda || kind == ArchiveKind::conda_tar_bz2; }

bool keeps(ArchiveKind kind, std::string_view path) {
  if (kind == ArchiveKind::wheel) return wheel_keeps(path);
  if (is_sdist(kind)) return sdist_keeps(path);
  if (is_conda(kind)) return conda_keeps(path);
  return wheel_keeps(path) || sdist_keeps(path) || conda_keeps(path);
}

/// entry_points.txt (INI): {"console_scripts": ["name = module:function", ...], ...}.
nlohmann::ordered_json parse_entry_points(std::string_view text) {
  nlohmann::ordered_json groups = nlohmann::ordered_json::object();
  std::string group;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line(text.substr(start, end - start));
    start = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      group = line.substr(1, line.size() - 2);
      continue;
    }
    if (!group.empty()) groups[group].push_back(line);
  }
  return groups;
}

void summarize_metadata(const CoreMetadata& metadata, nlohmann::ordered_json& summary) {
  for (const auto& [key, field] : std::initializer_list<std::pair<const char*, const char*>>{
           {"name", "Name"}, {"version", "Version"}, {"summary", "Summary"}, {"license_expression", "License-Expression"},
           {"requires_python", "Requires-Python"}})
    if (auto value = metadata.get(field); value && !value->empty()) summary[key] = *value;
  const auto requirements = metadata.get_all("Requires-Dist");
  if (!requirements.empty()) summary["requires_dist"] = requirements;
}

void summarize(ArchiveKind kind, const ArchiveContents& contents, const Kept& kept, nlohmann::ordered_json& summary) {
  for (const auto& [path, text] : kept) {
    if (path.ends_with(".dist-info/METADATA") || path.ends_with("/PKG-INFO"))
      summarize_metadata(parse_core_metadata(text), summary);
    if (path.ends_with(".dist-info/entry_points.txt")) summary["entry_points"] = parse_entry_points(text);
    if (path.ends_with(".dist-info/WHEEL")) {
      const auto wheel = parse_core_metadata(text);
      summary["tags"] = wheel.get_all("Tag");
      if (auto purelib = wheel.get("Root-Is-Purelib")) summary["root_is_purelib"] = *purelib == "true";
    }
    if (path.ends_with(".dist-info/RECORD")) {
      const auto verification = verify_record(text, path, contents.entries);
      summary["record"] = {{"rows", verification.rows}, {"verified", verification.verified},
                           {"problems", verification.problems.size()}};
    }
    if (path == "info/index.json" && is_conda(kind)) {
      const auto index = nlohmann::ordered_json::parse(text, nullptr, false);
      if (index.is_object())
        for (const char* key : {"name", "version", "build", "subdir", "license", "depends"})
          if (index.contains(key)) summary[key] = index[key];
    }
  }
  std::vector<std::string> pth;
  for (const auto& entry : contents.entries)
    if (entry.path.ends_with(".pth")) pth.push_back(entry.path);
  if (!pth.empty()) summary["pth_files"] = pth;
}

std::string human_bytes(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < (1 << 20)) return fmt::format("{:.1f} KB", static_cast<double>(bytes) / 1024);
  if (bytes < (1 << 30)) return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1 << 20));
  return fmt::format("{:.2f} GB", static_cast<double>(bytes) / (1 << 30));
}

/// The native-code section (the keys native::ArtifactScanner writes): binaries, the platform tag they
/// satisfy against the claimed one, and one aligned row per bundled library.
std::string format_native_section(const nlohmann::ordered_json& native) {
  std::string out = fmt::format("  native: {} binaries", native.value("binaries", 0));
  if (native.contains("satisfied_platform_tag")) {
    const auto tag = native.value("satisfied_platform_tag", "");
    out += tag.empty() ? fmt::format(", no manylinux policy fits ({})", native.value("limiting_symbol", ""))
                       : fmt::format(", satisfy {}", tag);
    if (!tag.empty() && !native.value("limiting_symbol", "").empty())
      out += fmt::format(" ({} in {})", native.value("limiting_symbol", ""), native.value("limiting_binary", ""));
  }
  if (native.contains("claimed_platform_tag")) out += fmt::format(", claimed {}", native.value("claimed_platform_tag", ""));
  out += '\n';
  std::vector<std::array<std::string, 5>> rows;
  for (const auto& library : native.value("libraries", nlohmann::ordered_json::array())) {
    std::string version = library["version"].is_string() ? library["version"].get<std::string>() : "?";
    if (library.value("lower_bound", false)) version = ">=" + version;
    if (library.value("statically_linked", false)) version += " (static)";
    rows.push_back({library.value("path", ""), library.value("name", "") + " " + version, library.value("confidence", ""),
                    library.contains("backported")
                        ? fmt::format("{} CVEs ({} fixed by {})", library.value("cves", 0), library.value("backported", 0),
                                      library.value("build", ""))
                        : fmt::format("{} CVEs", library.value("cves", 0)),
                    library.value("evidence", "")});
  }
  std::array<std::size_t, 5> widths{};
  for (const auto& row : rows)
    for (std::size_t column = 0; column < row.size(); ++column) widths[column] = std::max(widths[column], row[column].size());
  for (const auto& row : rows)
    out += fmt::format("    {:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", row[0], widths[0], row[1], widths[1], row[2], widths[2],
                       row[3], widths[3], row[4]);
  for (const auto& skipped : native.value("not_analysed", nlohmann::ordered_json::array()))
    out += fmt::format("    not analysed (too large to buffer): {}\n", skipped.get<std::string>());
  return out;
}

}  // namespace

bool is_artifact_name(std::string_view file_name) { return archive_kind_from_name(file_name) != ArchiveKind::unknown; }

Result<ArtifactReport> inspect_artifact(const std::filesystem::path& path, const InspectOptions& options,
                                        std::string display_name) {
  if (display_name.empty()) display_name = path.string();
  const std::string file_name = path.filename().string();
  const ArchiveKind kind = archive_kind_from_name(file_name);
  Kept kept;
  std::vector<std::string> large_binaries;
  std::uint64_t python_files = 0;
  MemberScanContext context{kind, file_name, {}};
  if (kind == ArchiveKind::wheel)
    if (const auto wheel_name = parse_wheel_filename(file_name)) context.platform_tag = fmt::format("{}", fmt::join(wheel_name->platform_tags, "."));
  std::vector<std::pair<const MemberScanner*, std::unique_ptr<MemberScanSession>>> sessions;
  for (const auto& scanner : options.member_scanners)
    if (auto session = scanner.start ? scanner.start(context) : nullptr) sessions.emplace_back(&scanner, std::move(session));
  // Secrets and code are checked on workers while the archive streams, each member's findings in
  // its own slot so that they keep member order.
  std::deque<std::vector<Finding>> content_findings;
  MemberPool pool(options.jobs, options.max_queued_bytes);
  const auto visitor = [&](const EntryInfo& entry, std::string_view data, bool buffered) {
    if (entry.type != EntryType::file) return;
    if (!sessions.empty()) {
      const std::string location = inside(display_name, entry.path);
      for (auto& [scanner, session] : sessions) session->member(location, entry, data, buffered, pool);
    }
    if (buffered && data.size() <= kMaxKeptBytes && keeps(kind, entry.path)) kept.emplace(entry.path, data);
    if (is_sdist(kind) && entry.size > options.large_binary_bytes && (!buffered || looks_binary(data)))
      large_binaries.push_back(entry.path);
    if (!buffered) return;
    const bool python = entry.path.ends_with(".py");
    if (python) ++python_files;
    const bool secrets = options.secrets && data.size() <= options.max_secret_scan_bytes && !looks_binary(data);
    const bool code = python && options.python_scanner;
    if (!secrets && !code) return;
    auto& slot = content_findings.emplace_back();
    pool.submit(data, [&options, &slot, location = inside(display_name, entry.path), secrets, code](std::string_view bytes) {
      if (secrets) slot = scan_secrets(location, bytes);
      if (code) std::ranges::move(options.python_scanner(location, bytes), std::back_inserter(slot));
    });
  };
  auto contents = read_archive_file(path, options.limits, visitor, display_name, &pool);
  pool.wait();
  if (!contents) return std::unexpected(contents.error());

  ArtifactReport report;
  report.findings = std::move(contents->findings);
  report.errors = std::move(contents->errors);
  for (auto& findings : content_findings) std::ranges::move(findings, std::back_inserter(report.findings));
  std::vector<std::pair<std::string, nlohmann::ordered_json>> sections;
  for (auto& [scanner, session] : sessions) {
    nlohmann::ordered_json section;
    std::ranges::move(session->finish(section), std::back_inserter(report.findings));
    if (!section.is_null()) sections.emplace_back(scanner->key, std::move(section));
  }
  std::vector<Finding> checks;
  if (kind == ArchiveKind::wheel) checks = check_wheel(*contents, kept, file_name, options.wheel);
  else if (is_sdist(kind)) checks = check_sdist(*contents, kept, file_name, large_binaries);
  else if (is_conda(kind)) checks = check_conda(*contents, kept, file_name);
  if (contents->stopped_by_limit) {
    // Structural checks of a half-read archive would only repeat the bomb finding as noise.
    std::erase_if(checks, [](const Finding& finding) {
      return finding.rule_id.starts_with("MOAT-D") || finding.rule_id.starts_with("MOAT-C") ||
             finding.rule_id.starts_with("MOAT-M") || finding.rule_id.starts_with("MOAT-W") ||
             finding.rule_id.starts_with("MOAT-S00");
    });
  }
  std::ranges::move(checks, std::back_inserter(report.findings));
  auto shipped = check_shipped_files(*contents);
  std::ranges::move(shipped, std::back_inserter(report.findings));

  auto& summary = report.summary;
  summary["path"] = display_name;
  summary["kind"] = std::string(to_string(kind));
  summary["size"] = contents->archive_bytes;
  summary["files"] = std::ranges::count(contents->entries, EntryType::file, &EntryInfo::type);
  summary["python_files"] = python_files;
  summary["uncompressed_bytes"] = contents->uncompressed_bytes;
  if (contents->stopped_by_limit) summary["stopped_by_limit"] = true;
  summarize(kind, *contents, kept, summary);
  if (options.name_checker && (kind == ArchiveKind::wheel || is_sdist(kind)) && summary.contains("name")) {
    auto named = options.name_checker(summary["name"].get<std::string>(), display_name);
    std::ranges::move(named, std::back_inserter(report.findings));
  }
  for (auto& [key, section] : sections) summary[key] = std::move(section);
  return report;
}

std::string format_summary(const nlohmann::ordered_json& summary) {
  std::string out = fmt::format("{}  ({}, {} files, {} -> {})\n", summary.value("path", ""), summary.value("kind", ""),
                                summary.value("files", 0), human_bytes(summary.value("size", std::uint64_t{0})),
                                human_bytes(summary.value("uncompressed_bytes", std::uint64_t{0})));
  if (summary.contains("name"))
    out += fmt::format("  name: {} {}\n", summary.value("name", ""), summary.value("version", ""));
  if (summary.contains("summary")) out += fmt::format("  summary: {}\n", summary.value("summary", ""));
  if (summary.contains("license_expression")) out += fmt::format("  license: {}\n", summary.value("license_expression", ""));
  if (summary.contains("requires_python")) out += fmt::format("  requires-python: {}\n", summary.value("requires_python", ""));
  if (summary.contains("requires_dist")) {
    std::vector<std::string> requirements = summary["requires_dist"];
    out += fmt::format("  requires: {}\n", fmt::join(requirements, ", "));
  }
  if (summary.contains("tags")) {
    std::vector<std::string> tags = summary["tags"];
    out += fmt::format("  tags: {}\n", fmt::join(tags, ", "));
  }
  if (summary.contains("subdir"))
    out += fmt::format("  build: {}  subdir: {}\n", summary.value("build", ""), summary.value("subdir", ""));
  if (summary.contains("entry_points"))
    for (const auto& [group, entries] : summary["entry_points"].items())
      for (const auto& entry : entries) out += fmt::format("  entry point [{}]: {}\n", group, entry.get<std::string>());
  if (summary.contains("pth_files"))
    for (const auto& pth : summary["pth_files"]) out += fmt::format("  .pth file: {}\n", pth.get<std::string>());
  if (summary.contains("record"))
    out += fmt::format("  RECORD: {} rows, {} verified, {} problems\n", summary["record"].value("rows", 0),
                       summary["record"].value("verified", 0), summary["record"].value("problems", 0));
  if (summary.contains("native")) out += format_native_section(summary["native"]);
  return out;
}

}  // namespace moat::dist
