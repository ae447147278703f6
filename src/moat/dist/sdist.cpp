#include "moat/dist/sdist.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <set>

#include "moat/dist/metadata.hpp"
#include "moat/dist/rules.hpp"

namespace moat::dist {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool has_component(std::string_view path, std::string_view component) {
  std::size_t start = 0;
  while (start < path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (path.substr(start, end - start) == component && end < path.size()) return true;  // a directory
    start = end + 1;
  }
  return false;
}

std::string without_spaces(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '\t') out.push_back(c);
  return out;
}

std::set<std::string> specifier_set(std::string_view text) {
  std::set<std::string> clauses;
  const std::string compact = without_spaces(text);
  std::size_t start = 0;
  while (start <= compact.size()) {
    const std::size_t end = std::min(compact.find(',', start), compact.size());
    if (end > start) clauses.insert(compact.substr(start, end - start));
    start = end + 1;
  }
  return clauses;
}

}  // namespace

std::pair<std::string, std::string> split_sdist_filename(std::string_view file_name) {
  std::string name = std::filesystem::path(std::string(file_name)).filename().string();
  for (std::string_view suffix : {".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".tar"})
    if (lower(name).ends_with(suffix)) {
      name.resize(name.size() - suffix.size());
      break;
    }
  const std::size_t dash = name.rfind('-');
  if (dash == std::string::npos || dash == 0) return {};
  return {name.substr(0, dash), name.substr(dash + 1)};
}

bool sdist_keeps(std::string_view path) {
  const std::size_t slash = path.find('/');
  if (slash == std::string_view::npos || path.find('/', slash + 1) != std::string_view::npos) return false;
  const std::string_view name = path.substr(slash + 1);
  return name == "PKG-INFO" || name == "pyproject.toml";
}

std::string_view unwanted_file_rule(std::string_view path) {
  const std::string name = lower(base_name(path));
  if (has_component(path, ".git") || has_component(path, ".hg") || has_component(path, ".svn")) return "MOAT-S003";
  static constexpr std::array<std::string_view, 19> kSensitiveNames{
      ".pypirc", ".netrc", "_netrc", ".npmrc", ".env", ".envrc", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
      ".bash_history", ".zsh_history", ".python_history", ".htpasswd", "credentials.json", "terraform.tfstate",
      ".git-credentials", ".dockercfg", "secrets.toml"};
  if (std::ranges::find(kSensitiveNames, name) != kSensitiveNames.end()) return "MOAT-S003";
  if (name.starts_with(".env.") && !name.ends_with(".example") && !name.ends_with(".sample") &&
      !name.ends_with(".template") && !name.ends_with(".dist"))
    return "MOAT-S003";
  if (name == "credentials" && (has_component(path, ".aws") || has_component(path, ".gcloud"))) return "MOAT-S003";
  if (name == "config.json" && has_component(path, ".docker")) return "MOAT-S003";
  if (name == "config" && has_component(path, ".kube")) return "MOAT-S003";
  for (std::string_view suffix : {".p12", ".pfx", ".jks", ".keystore", ".ppk"})
    if (name.ends_with(suffix)) return "MOAT-S003";
  if (name.starts_with("client_secret") && name.ends_with(".json")) return "MOAT-S003";
  if (name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swo") || name.ends_with(".bak") ||
      name.ends_with(".orig") || name.ends_with(".rej") || name == ".ds_store" || name == "thumbs.db" ||
      (name.starts_with('#') && name.ends_with('#')))
    return "MOAT-S004";
  return {};
}

std::vector<Finding> check_shipped_files(const ArchiveContents& contents) {
  std::vector<Finding> findings;
  bool vcs_reported = false;
  for (const auto& entry : contents.entries) {
    const std::string_view rule = unwanted_file_rule(entry.path);
    if (rule.empty()) continue;
    const bool vcs = has_component(entry.path, ".git") || has_component(entry.path, ".hg") || has_component(entry.path, ".svn");
    if (vcs) {
      if (vcs_reported) continue;
      vcs_reported = true;
      findings.push_back(make_finding(rule, Severity::high, inside(contents.display_name, entry.path),
                                      "version-control metadata shipped (repository history, possibly credentials)", 538));
      continue;
    }
    if (entry.type == EntryType::directory) continue;
    if (rule == "MOAT-S003")
      findings.push_back(make_finding(rule, Severity::high, inside(contents.display_name, entry.path),
                                      "'" + entry.path + "' should never be published: it usually holds credentials", 538));
    else
      findings.push_back(make_finding(rule, Severity::low, inside(contents.display_name, entry.path),
                                      "editor backup or OS junk file '" + entry.path + "'"));
  }
  return findings;
}

std::vector<Finding> check_sdist(const ArchiveContents& contents, const std::map<std::string, std::string>& kept,
                                 std::string_view file_name, const std::vector<std::string>& large_binaries) {
  std::vector<Finding> findings;
  auto add = [&](std::string_view rule, Severity severity, std::string location, std::string message) {
    findings.push_back(make_finding(rule, severity, std::move(location), std::move(message)));
  };
  const auto [name, version] = split_sdist_filename(file_name);
  if (name.empty()) add("MOAT-S001", Severity::medium, contents.display_name, "the file name is not {name}-{version}.tar.gz");

  std::set<std::string> roots;
  for (const auto& entry : contents.entries) roots.insert(entry.path.substr(0, entry.path.find('/')));
  std::string root;
  if (roots.size() != 1) {
    add("MOAT-S001", Severity::medium, contents.display_name,
        "the sdist has " + std::to_string(roots.size()) + " top-level entries, expected one {name}-{version}/ directory");
    const auto with_pkg_info = std::ranges::find_if(kept, [](const auto& item) { return item.first.ends_with("/PKG-INFO"); });
    if (with_pkg_info != kept.end()) root = with_pkg_info->first.substr(0, with_pkg_info->first.find('/'));
  } else {
    root = *roots.begin();
    if (!name.empty() && root != std::string(name) + "-" + std::string(version) &&
        (normalize_project_name(root.substr(0, root.rfind('-'))) != normalize_project_name(name) ||
         !versions_equal(root.substr(root.rfind('-') + 1), version)))
      add("MOAT-S001", Severity::low, inside(contents.display_name, root),
          "top-level directory '" + root + "' does not match the file name");
  }

  const auto pkg_info = kept.find(root + "/PKG-INFO");
  std::optional<CoreMetadata> metadata;
  if (pkg_info == kept.end()) {
    add("MOAT-M001", Severity::high, contents.display_name, "the sdist has no " + root + "/PKG-INFO");
  } else {
    metadata = parse_core_metadata(pkg_info->second);
    MetadataContext context;
    context.location = inside(contents.display_name, pkg_info->first);
    context.artifact_location = contents.display_name;
    context.expected_name = name;
    context.expected_version = version;
    std::set<std::string_view> paths;
    for (const auto& entry : contents.entries) paths.insert(entry.path);
    context.has_license_file = [&](std::string_view license) { return paths.contains(root + "/" + std::string(license)); };
    auto metadata_findings = check_core_metadata(*metadata, context);
    std::ranges::move(metadata_findings, std::back_inserter(findings));
  }

  const auto pyproject = kept.find(root + "/pyproject.toml");
  if (pyproject != kept.end() && metadata) {
    const std::string location = inside(contents.display_name, pyproject->first);
    toml::table parsed;
    std::string parse_error;
    try {  // toml++ is built with exceptions; none leaves this function
      parsed = toml::parse(pyproject->second, pyproject->first);
    } catch (const toml::parse_error& error) {
      parse_error = std::string(error.description());
    }
    if (!parse_error.empty()) {
      add("MOAT-S002", Severity::low, location, "pyproject.toml does not parse: " + parse_error);
    } else if (const toml::table* project = parsed["project"].as_table()) {
      std::set<std::string> dynamic;
      if (const auto* list = (*project)["dynamic"].as_array())
        for (const auto& item : *list)
          if (const auto value = item.value<std::string>()) dynamic.insert(*value);
      auto compare = [&](std::string_view key, std::string_view field, auto&& equal) {
        const auto declared = (*project)[key].value<std::string>();
        const auto recorded = metadata->get(field);
        if (!declared || dynamic.contains(std::string(key))) return;
        if (!recorded) {
          add("MOAT-S002", Severity::medium, location,
              "pyproject.toml sets " + std::string(key) + " but PKG-INFO has no " + std::string(field));
        } else if (!equal(*declared, *recorded)) {
          add("MOAT-S002", Severity::medium, location,
              "pyproject.toml " + std::string(key) + " '" + *declared + "' differs from PKG-INFO " + std::string(field) +
                  " '" + *recorded + "'");
        }
      };
      compare("name", "Name", [](std::string_view a, std::string_view b) {
        return normalize_project_name(a) == normalize_project_name(b);
      });
      compare("version", "Version", [](std::string_view a, std::string_view b) { return versions_equal(a, b); });
      compare("requires-python", "Requires-Python",
              [](std::string_view a, std::string_view b) { return specifier_set(a) == specifier_set(b); });
    }
  }

  for (const auto& path : large_binaries)
    add("MOAT-S005", Severity::low, inside(contents.display_name, path), "large binary file '" + path + "' in the sdist");
  return findings;
}

}  // namespace moat::dist
