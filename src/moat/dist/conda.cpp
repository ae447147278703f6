#include "moat/dist/conda.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <unordered_map>

#include "moat/dist/rules.hpp"

namespace moat::dist {

bool conda_keeps(std::string_view path) {
  return path == "info/index.json" || path == "info/paths.json" || path == "info/files" || path == "metadata.json";
}

PathsVerification verify_paths_json(std::string_view paths_json, std::span<const EntryInfo> entries) {
  PathsVerification result;
  using Kind = PathsProblem::Kind;
  const auto document = nlohmann::json::parse(paths_json, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("paths") || !document["paths"].is_array()) {
    result.problems.push_back({Kind::invalid, "info/paths.json", "info/paths.json is not valid JSON with a paths array"});
    return result;
  }
  std::unordered_map<std::string_view, const EntryInfo*> files;
  for (const auto& entry : entries)
    if (entry.type != EntryType::directory) files.emplace(entry.path, &entry);
  std::set<std::string> listed;
  for (const auto& item : document["paths"]) {
    if (!item.is_object() || !item.contains("_path") || !item["_path"].is_string()) {
      result.problems.push_back({Kind::invalid, "info/paths.json", "a paths.json entry has no _path"});
      continue;
    }
    const std::string path = item["_path"].get<std::string>();
    const std::string type = item.value("path_type", std::string("hardlink"));
    ++result.listed;
    listed.insert(path);
    if (type == "directory") continue;
    const auto found = files.find(path);
    if (found == files.end()) {
      result.problems.push_back({Kind::missing, path, "'" + path + "' is listed in paths.json but not in the package"});
      continue;
    }
    const EntryInfo& entry = *found->second;
    if (type == "softlink" || entry.type != EntryType::file || !entry.complete) continue;
    bool matched = true;
    if (item.contains("size_in_bytes") && item["size_in_bytes"].is_number_unsigned() &&
        item["size_in_bytes"].get<std::uint64_t>() != entry.size) {
      result.problems.push_back({Kind::size_mismatch, path,
                                 "'" + path + "' is " + std::to_string(entry.size) + " bytes, paths.json says " +
                                     std::to_string(item["size_in_bytes"].get<std::uint64_t>())});
      matched = false;
    }
    if (item.contains("sha256") && item["sha256"].is_string()) {
      const std::string actual = to_hex(entry.sha256);
      if (item["sha256"].get<std::string>() != actual) {
        result.problems.push_back({Kind::hash_mismatch, path,
                                   "sha256 of '" + path + "' is " + actual + ", paths.json says " +
                                       item["sha256"].get<std::string>()});
        matched = false;
      }
    } else {
      matched = false;
    }
    if (matched) ++result.verified;
  }
  for (const auto& entry : entries) {
    if (entry.type == EntryType::directory || entry.path.starts_with("info/") || entry.path == "metadata.json") continue;
    if (!listed.contains(entry.path))
      result.problems.push_back({Kind::not_listed, entry.path, "'" + entry.path + "' is in the package but not in paths.json"});
  }
  return result;
}

Result<PathsVerification> verify_conda_package(const std::filesystem::path& package, const ArchiveLimits& limits) {
  std::string paths_json;
  bool found = false;
  auto contents = read_archive_file(package, limits, [&](const EntryInfo& entry, std::string_view data, bool buffered) {
    if (buffered && entry.path == "info/paths.json") {
      paths_json.assign(data);
      found = true;
    }
  });
  if (!contents) return std::unexpected(contents.error());
  if (contents->stopped_by_limit) return fail(package.string(), contents->findings.back().message);
  if (!contents->errors.empty()) return fail(contents->errors.front().path, contents->errors.front().message);
  if (!found) return fail(package.string(), "no info/paths.json in the package");
  return verify_paths_json(paths_json, contents->entries);
}

std::vector<Finding> check_conda(const ArchiveContents& contents, const std::map<std::string, std::string>& kept,
                                 std::string_view file_name) {
  std::vector<Finding> findings;
  auto add = [&](std::string_view rule, Severity severity, std::string path, std::string message) {
    findings.push_back(make_finding(rule, severity, path.empty() ? contents.display_name : inside(contents.display_name, path),
                                    std::move(message)));
  };
  if (contents.kind == ArchiveKind::conda) {
    const auto marker = kept.find("metadata.json");
    const auto document = marker == kept.end() ? nlohmann::json() : nlohmann::json::parse(marker->second, nullptr, false);
    if (!document.is_object() || document.value("conda_pkg_format_version", 0) != 2)
      add("MOAT-C001", Severity::low, "metadata.json", "metadata.json missing or not conda_pkg_format_version 2");
  }
  const auto index = kept.find("info/index.json");
  if (index == kept.end()) {
    add("MOAT-C001", Severity::high, "", "the package has no info/index.json");
  } else {
    const auto document = nlohmann::json::parse(index->second, nullptr, false);
    if (!document.is_object()) {
      add("MOAT-C001", Severity::high, "info/index.json", "info/index.json is not a JSON object");
    } else {
      std::string stem = std::filesystem::path(std::string(file_name)).filename().string();
      for (std::string_view suffix : {".conda", ".tar.bz2"})
        if (stem.ends_with(suffix)) stem.resize(stem.size() - suffix.size());
      const auto text = [&](const char* key) {
        return document.contains(key) && document[key].is_string() ? document[key].get<std::string>() : std::string();
      };
      const std::string expected = text("name") + "-" + text("version") + "-" + text("build");
      if (text("name").empty() || text("version").empty() || text("build").empty())
        add("MOAT-C001", Severity::medium, "info/index.json", "index.json lacks name, version or build");
      else if (expected != stem)
        add("MOAT-C001", Severity::high, "info/index.json",
            "index.json says " + expected + " but the file is named " + stem);
    }
  }
  const auto paths = kept.find("info/paths.json");
  if (paths == kept.end()) {
    add("MOAT-C001", Severity::high, "", "the package has no info/paths.json");
    return findings;
  }
  using Kind = PathsProblem::Kind;
  const PathsVerification verification = verify_paths_json(paths->second, contents.entries);
  for (const auto& problem : verification.problems) {
    switch (problem.kind) {
      case Kind::invalid: add("MOAT-C001", Severity::high, "info/paths.json", problem.message); break;
      case Kind::hash_mismatch:
      case Kind::size_mismatch: add("MOAT-C002", Severity::high, problem.path, problem.message); break;
      case Kind::not_listed: add("MOAT-C003", Severity::high, problem.path, problem.message); break;
      case Kind::missing: add("MOAT-C004", Severity::medium, "info/paths.json", problem.message); break;
    }
  }
  if (const auto files = kept.find("info/files"); files != kept.end()) {
    const auto document = nlohmann::json::parse(paths->second, nullptr, false);
    std::set<std::string> from_paths;
    if (document.is_object() && document.contains("paths") && document["paths"].is_array())
      for (const auto& item : document["paths"])
        if (item.is_object() && item.contains("_path") && item["_path"].is_string() &&
            item.value("path_type", std::string()) != "directory")
          from_paths.insert(item["_path"].get<std::string>());
    std::size_t start = 0;
    const std::string& text = files->second;
    while (start < text.size()) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string line = text.substr(start, end - start);
      if (!line.empty() && !from_paths.contains(line))
        add("MOAT-C004", Severity::low, "info/files", "info/files lists '" + line + "', which paths.json does not");
      start = end + 1;
    }
  }
  return findings;
}

}  // namespace moat::dist
