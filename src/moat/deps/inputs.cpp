#include "moat/deps/inputs.hpp"

#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "moat/deps/osv.hpp"
#include "moat/deps/requirement.hpp"
#include "moat/util/file.hpp"

namespace moat::deps {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20;
constexpr int kMaxIncludeDepth = 32;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

void add_error(InputResult& result, const fs::path& path, int line, std::string message) {
  std::string where = path.string();
  if (line > 0) where += ":" + std::to_string(line);
  result.errors.push_back(ScanError{where, std::move(message)});
}

Dependency pinned(std::string name, std::string version, const fs::path& path, int line, std::string snippet = {}) {
  Dependency dependency;
  dependency.normalized = normalize_name(name);
  dependency.name = std::move(name);
  dependency.version = std::move(version);
  dependency.location = Location{path.string(), line, 0, 0, 0};
  dependency.snippet = std::move(snippet);
  return dependency;
}

/// A PEP 508 requirement as a dependency: pinned by a single == / ===, else audited by range.
Dependency from_requirement(const Requirement& requirement, const fs::path& path, int line, std::string snippet) {
  Dependency dependency = pinned(requirement.name, "", path, line, std::move(snippet));
  dependency.marker = requirement.marker;
  if (!requirement.url.empty()) {
    dependency.not_audited = "direct URL reference (" + requirement.url + ")";
  } else if (const auto version = requirement.specifier.pinned_version()) {
    dependency.version = *version;
  } else {
    dependency.alternatives.push_back(requirement.specifier);
  }
  return dependency;
}

int toml_line(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// ---------------------------------------------------------------- requirements files (pip)

struct LogicalLine {
  int number = 0;  // first physical line
  std::string text;
};

/// pip's preprocessing: join backslash continuations, drop comments, expand ${VAR}.
std::vector<LogicalLine> logical_lines(std::string_view content) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  std::vector<LogicalLine> lines;
  std::istringstream stream{std::string(content)};
  std::string physical;
  int number = 0;
  LogicalLine current;
  bool continuing = false;
  while (std::getline(stream, physical)) {
    ++number;
    if (!physical.empty() && physical.back() == '\r') physical.pop_back();
    if (!continuing) current = LogicalLine{number, ""};
    const bool is_comment = trim(physical).starts_with('#');
    if (!is_comment && !physical.empty() && physical.back() == '\\') {
      physical.pop_back();
      current.text += physical;
      continuing = true;
      continue;
    }
    current.text += physical;
    continuing = false;
    lines.push_back(current);
  }
  if (continuing) lines.push_back(current);
  for (auto& line : lines) {
    // A comment starts with "#" at the start or after whitespace.
    for (std::size_t at = 0; (at = line.text.find('#', at)) != std::string::npos; ++at) {
      if (at == 0 || line.text[at - 1] == ' ' || line.text[at - 1] == '\t') {
        line.text.erase(at);
        break;
      }
    }
    // ${VAR} with VAR in [A-Z0-9_]; unset variables stay as written (as pip does).
    for (std::size_t at = 0; (at = line.text.find("${", at)) != std::string::npos;) {
      const std::size_t close = line.text.find('}', at);
      if (close == std::string::npos) break;
      const std::string name = line.text.substr(at + 2, close - at - 2);
      const bool valid = !name.empty() && std::ranges::all_of(name, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      });
      const char* value = valid ? std::getenv(name.c_str()) : nullptr;
      if (value != nullptr) {
        line.text.replace(at, close - at + 1, value);
        at += std::string_view(value).size();
      } else {
        at = close + 1;
      }
    }
  }
  return lines;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool looks_like_url_or_path(std::string_view text) {
  return text.find("://") != std::string_view::npos || text.starts_with('.') || text.starts_with('/') ||
         text.starts_with("file:") || text.ends_with(".whl") || text.ends_with(".tar.gz") || text.ends_with(".zip");
}

/// `#egg=name` of a URL, or the project name of a wheel/sdist file name.
std::string name_from_url(std::string_view url) {
  if (const auto egg = url.find("#egg="); egg != std::string_view::npos) {
    std::string_view name = url.substr(egg + 5);
    name = name.substr(0, name.find('&'));
    return std::string(name.substr(0, name.find_first_of("[=<>!~;")));
  }
  std::string_view file = url.substr(url.find_last_of('/') + 1);
  if (file.ends_with(".whl")) return std::string(file.substr(0, file.find('-')));
  for (const std::string_view suffix : {".tar.gz", ".zip", ".tar.bz2"})
    if (file.ends_with(suffix)) {
      file.remove_suffix(suffix.size());
      return std::string(file.substr(0, file.rfind('-')));
    }
  return {};
}

class RequirementsReader {
 public:
  explicit RequirementsReader(InputResult& result) : result_(result) {}

  void read(const fs::path& path, bool constraint, int depth) {
    std::error_code error;
    const fs::path canonical = fs::weakly_canonical(path, error);
    if (std::ranges::find(stack_, canonical) != stack_.end()) {
      add_error(result_, path, 0, "include cycle: this file includes itself through -r/-c");
      return;
    }
    if (depth > kMaxIncludeDepth) {
      add_error(result_, path, 0, "includes nested too deeply");
      return;
    }
    auto content = read_file(path, kMaxInputBytes);
    if (!content) {
      add_error(result_, path, 0, content.error().message);
      return;
    }
    stack_.push_back(canonical);
    for (const auto& line : logical_lines(*content)) read_line(path, line, constraint, depth);
    stack_.pop_back();
  }

  void apply_constraints() {
    // Constraints are not installed; they pin what the requirements leave open.
    for (auto& dependency : result_.dependencies) {
      if (!dependency.version.empty() || dependency.not_audited.size()) continue;
      const auto found = constraints_.find(dependency.normalized);
      if (found != constraints_.end()) {
        dependency.version = found->second;
        dependency.alternatives.clear();
      }
    }
  }

 private:
  void read_line(const fs::path& path, const LogicalLine& line, bool constraint, int depth) {
    const std::string_view text = trim(line.text);
    if (text.empty()) return;
    auto words = split_words(text);
    if (text.starts_with('-')) {
      read_option_line(path, line, words, constraint, depth);
      return;
    }
    // The requirement ends where the first option (a word starting with "-") begins.
    std::string requirement_text;
    std::size_t index = 0;
    for (; index < words.size() && !words[index].starts_with("--"); ++index)
      requirement_text += (requirement_text.empty() ? "" : " ") + words[index];
    for (; index < words.size(); ++index) {
      const std::string& option = words[index];
      const bool known = option.starts_with("--hash") || option.starts_with("--config-settings") ||
                         option.starts_with("--global-option") || option.starts_with("--install-option");
      if (!known) add_error(result_, path, line.number, "unknown per-requirement option " + option);
      if (option.find('=') == std::string::npos) ++index;  // "--hash sha256:..." takes the next word
    }
    add_requirement(path, line, requirement_text, constraint, false);
  }

  void read_option_line(const fs::path& path, const LogicalLine& line, const std::vector<std::string>& words,
                        bool constraint, int depth) {
    std::string option = words[0];
    std::string value = words.size() > 1 ? words[1] : "";
    if (const auto equals = option.find('='); equals != std::string::npos && option.starts_with("--")) {
      value = option.substr(equals + 1);
      option.erase(equals);
    } else if (option.size() > 2 && option[1] != '-') {
      value = option.substr(2);  // "-rfile.txt"
      option.erase(2);
    }
    if (option == "-r" || option == "--requirement" || option == "-c" || option == "--constraint") {
      if (value.empty()) return add_error(result_, path, line.number, option + " needs a file name");
      if (value.find("://") != std::string::npos)
        return add_error(result_, path, line.number, "remote include " + value + " is not fetched (offline)");
      read((path.parent_path() / value).lexically_normal(), constraint || option == "-c" || option == "--constraint",
           depth + 1);
      return;
    }
    if (option == "-e" || option == "--editable") {
      std::string target = value;
      for (std::size_t index = 2; index < words.size() && !words[index].starts_with("-"); ++index) target += " " + words[index];
      add_requirement(path, line, target, constraint, true);
      return;
    }
    static const std::set<std::string> kGlobal{"-i", "--index-url", "--extra-index-url", "--no-index", "-f",
                                               "--find-links", "--no-binary", "--only-binary", "--prefer-binary",
                                               "--require-hashes", "--pre", "--trusted-host", "--use-feature",
                                               "--no-deps", "--only-deps"};
    if (!kGlobal.contains(option)) add_error(result_, path, line.number, "unknown option " + option);
  }

  void add_requirement(const fs::path& path, const LogicalLine& line, const std::string& text, bool constraint,
                       bool editable) {
    const std::string snippet(trim(line.text));
    if (editable || looks_like_url_or_path(text)) {
      const std::string name = name_from_url(text);
      if (name.empty() || constraint) return;  // an unnamed local path: nothing to look up
      Dependency dependency = pinned(name, "", path, line.number, snippet);
      dependency.not_audited = editable ? "editable install (" + text + ")" : "URL or local path (" + text + ")";
      result_.dependencies.push_back(std::move(dependency));
      return;
    }
    auto requirement = Requirement::parse(text);
    if (!requirement) {
      add_error(result_, path, line.number, "invalid requirement '" + text + "': " + requirement.error().message);
      return;
    }
    Dependency dependency = from_requirement(*requirement, path, line.number, snippet);
    if (constraint) {
      if (!dependency.version.empty()) constraints_[dependency.normalized] = dependency.version;
      return;
    }
    result_.dependencies.push_back(std::move(dependency));
  }

  InputResult& result_;
  std::vector<fs::path> stack_;
  std::map<std::string, std::string> constraints_;
};

// ---------------------------------------------------------------- TOML inputs

std::optional<toml::table> parse_toml(const fs::path& path, InputResult& result) {
  auto content = read_file(path, kMaxInputBytes);
  if (!content) {
    add_error(result, path, 0, content.error().message);
    return std::nullopt;
  }
  try {
    return toml::parse(*content, path.string());
  } catch (const toml::parse_error& error) {
    add_error(result, path, static_cast<int>(error.source().begin.line), std::string(error.description()));
    return std::nullopt;
  }
}

void add_pep508_list(const toml::array* list, const fs::path& path, InputResult& result) {
  if (list == nullptr) return;
  for (const auto& item : *list) {
    const auto* text = item.as_string();
    if (text == nullptr) continue;
    auto requirement = Requirement::parse(text->get());
    if (!requirement) {
      add_error(result, path, toml_line(item), "invalid requirement '" + text->get() + "': " + requirement.error().message);
      continue;
    }
    result.dependencies.push_back(from_requirement(*requirement, path, toml_line(item), text->get()));
  }
}

void add_dependency_group(const toml::table& groups, const std::string& name, const fs::path& path, InputResult& result,
                          std::vector<std::string>& stack) {
  const std::string normalized = normalize_name(name);
  if (std::ranges::find(stack, normalized) != stack.end()) {
    add_error(result, path, 0, "dependency group '" + name + "' includes itself");
    return;
  }
  const toml::array* list = nullptr;
  for (const auto& [key, value] : groups)
    if (normalize_name(key.str()) == normalized) list = value.as_array();
  if (list == nullptr) {
    add_error(result, path, 0, "dependency group '" + name + "' is not defined");
    return;
  }
  stack.push_back(normalized);
  for (const auto& item : *list) {
    if (const auto* table = item.as_table()) {
      if (const auto include = (*table)["include-group"].value<std::string>())
        add_dependency_group(groups, *include, path, result, stack);
      continue;
    }
    toml::array single;
    single.push_back(item.value_or(std::string()));
    if (auto requirement = Requirement::parse(item.value_or(std::string()))) {
      result.dependencies.push_back(from_requirement(*requirement, path, toml_line(item), item.value_or(std::string())));
    } else {
      add_error(result, path, toml_line(item), "invalid requirement: " + requirement.error().message);
    }
  }
  stack.pop_back();
}

void add_poetry_table(const toml::table* table, const fs::path& path, InputResult& result) {
  if (table == nullptr) return;
  for (const auto& [key, value] : *table) {
    const std::string name(key.str());
    if (name == "python") continue;
    const int line = toml_line(value);
    std::vector<const toml::node*> entries;
    if (const auto* many = value.as_array())
      for (const auto& item : *many) entries.push_back(&item);
    else
      entries.push_back(&value);
    for (const toml::node* entry : entries) {
      Dependency dependency = pinned(name, "", path, line, name);
      std::string constraint;
      if (const auto* text = entry->as_string()) {
        constraint = text->get();
      } else if (const auto* options = entry->as_table()) {
        for (const char* local : {"git", "path", "url"})
          if (options->contains(local)) dependency.not_audited = std::string(local) + " dependency";
        constraint = (*options)["version"].value_or(std::string("*"));
        if (const auto markers = (*options)["markers"].value<std::string>())
          if (auto marker = Marker::parse(*markers)) dependency.marker = std::move(*marker);
      }
      if (dependency.not_audited.empty()) {
        auto sets = poetry_constraint(constraint);
        if (!sets) {
          add_error(result, path, line, "invalid Poetry constraint for " + name + ": '" + constraint + "'");
          continue;
        }
        if (sets->size() == 1 && sets->front().pinned_version()) dependency.version = *sets->front().pinned_version();
        else dependency.alternatives = std::move(*sets);
      }
      result.dependencies.push_back(std::move(dependency));
    }
  }
}

void read_pyproject(const fs::path& path, InputResult& result) {
  const auto document = parse_toml(path, result);
  if (!document) return;
  if (const auto* project = (*document)["project"].as_table()) {
    add_pep508_list((*project)["dependencies"].as_array(), path, result);
    if (const auto* optional = (*project)["optional-dependencies"].as_table())
      for (const auto& [extra, list] : *optional) add_pep508_list(list.as_array(), path, result);
  }
  if (const auto* groups = (*document)["dependency-groups"].as_table()) {
    for (const auto& [name, list] : *groups) {
      std::vector<std::string> stack;
      add_dependency_group(*groups, std::string(name.str()), path, result, stack);
    }
  }
  const auto poetry = (*document)["tool"]["poetry"];
  add_poetry_table(poetry["dependencies"].as_table(), path, result);
  add_poetry_table(poetry["dev-dependencies"].as_table(), path, result);
  if (const auto* groups = poetry["group"].as_table())
    for (const auto& [name, group] : *groups)
      if (const auto* table = group.as_table()) add_poetry_table((*table)["dependencies"].as_table(), path, result);
  add_pep508_list((*document)["tool"]["uv"]["dev-dependencies"].as_array(), path, result);
  if (const auto* pdm = (*document)["tool"]["pdm"]["dev-dependencies"].as_table())
    for (const auto& [group, list] : *pdm) add_pep508_list(list.as_array(), path, result);
}

/// [[package]] / [[packages]] tables of a lock file: name and version; local sources flagged.
void read_toml_lock(const fs::path& path, InputResult& result, const char* array_key) {
  const auto document = parse_toml(path, result);
  if (!document) return;
  const auto* packages = (*document)[array_key].as_array();
  if (packages == nullptr) return;
  for (const auto& item : *packages) {
    const auto* package = item.as_table();
    if (package == nullptr) continue;
    const auto name = (*package)["name"].value<std::string>();
    const int line = toml_line(item);
    if (!name) {
      add_error(result, path, line, "package entry without a name");
      continue;
    }
    Dependency dependency = pinned(*name, (*package)["version"].value_or(std::string()), path, line,
                                   *name + " " + (*package)["version"].value_or(std::string()));
    const auto source = (*package)["source"];
    if (const auto* table = source.as_table()) {
      // uv.lock: {registry}, {git}, {path}, {directory}, {editable}, {virtual}, {url}; poetry.lock: {type, url}.
      for (const char* local : {"git", "path", "directory", "editable", "virtual", "url"})
        if (table->contains(local)) dependency.not_audited = std::string(local) + " source";
      if (const auto type = (*table)["type"].value<std::string>(); type && *type != "legacy")
        dependency.not_audited = *type + " source";
    }
    for (const char* local : {"vcs", "directory", "archive"})  // pylock.toml source forms
      if (package->contains(local) && !package->contains("version")) dependency.not_audited = std::string(local) + " source";
    if (const auto marker = (*package)["marker"].value<std::string>())
      if (auto parsed = Marker::parse(*marker)) dependency.marker = std::move(*parsed);
    if (dependency.version.empty() && dependency.not_audited.empty()) dependency.not_audited = "no version in the lock";
    result.dependencies.push_back(std::move(dependency));
  }
}

void read_pipfile_lock(const fs::path& path, InputResult& result) {
  auto content = read_file(path, kMaxInputBytes);
  if (!content) return add_error(result, path, 0, content.error().message);
  const json document = json::parse(*content, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return add_error(result, path, 0, "invalid JSON");
  for (const char* section : {"default", "develop"}) {
    const auto found = document.find(section);
    if (found == document.end() || !found->is_object()) continue;
    for (const auto& [name, entry] : found->items()) {
      // Line numbers: find the key in the text.
      const auto at = content->find("\"" + name + "\"");
      const int line = at == std::string::npos ? 0 : static_cast<int>(std::count(content->begin(), content->begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
      std::string version = entry.is_object() ? entry.value("version", "") : "";
      if (version.starts_with("==")) version.erase(0, 2);
      Dependency dependency = pinned(name, version, path, line, name + (version.empty() ? "" : "==" + version));
      if (entry.is_object()) {
        for (const char* local : {"git", "path", "file", "hg", "svn"})
          if (entry.contains(local)) dependency.not_audited = std::string(local) + " source";
        if (entry.contains("markers") && entry["markers"].is_string())
          if (auto marker = Marker::parse(entry["markers"].get<std::string>())) dependency.marker = std::move(*marker);
      }
      if (dependency.version.empty() && dependency.not_audited.empty()) dependency.not_audited = "no version in the lock";
      result.dependencies.push_back(std::move(dependency));
    }
  }
}

void read_conda(const fs::path& path, InputResult& result) {
  auto content = read_file(path, kMaxInputBytes);
  if (!content) return add_error(result, path, 0, content.error().message);
  auto document = yaml_to_json(*content);
  if (!document) return add_error(result, path, 0, document.error().message);
  if (!document->is_object() || !document->contains("dependencies")) return;
  for (const auto& item : (*document)["dependencies"]) {
    if (!item.is_object() || !item.contains("pip") || !item["pip"].is_array()) continue;  // conda specs are not PyPI
    for (const auto& line_value : item["pip"]) {
      if (!line_value.is_string()) continue;
      const std::string line_text = line_value.get<std::string>();
      const auto at = content->find(line_text);
      const int line = at == std::string::npos ? 0 : static_cast<int>(std::count(content->begin(), content->begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
      if (line_text.starts_with('-')) continue;  // pip options inside the block
      auto requirement = Requirement::parse(line_text);
      if (!requirement) {
        add_error(result, path, line, "invalid pip requirement '" + line_text + "': " + requirement.error().message);
        continue;
      }
      result.dependencies.push_back(from_requirement(*requirement, path, line, line_text));
    }
  }
}

/// Name and Version headers of a METADATA / PKG-INFO file.
std::pair<std::string, std::string> metadata_name_version(std::string_view text) {
  std::string name;
  std::string version;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(start, end - start));
    if (line.empty()) break;  // headers end at the first blank line
    if (line.starts_with("Name:")) name = std::string(trim(line.substr(5)));
    else if (line.starts_with("Version:")) version = std::string(trim(line.substr(8)));
    start = end + 1;
  }
  return {name, version};
}

void read_site_packages(const fs::path& directory, InputResult& result) {
  std::error_code error;
  std::vector<fs::path> entries;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".dist-info") || name.ends_with(".egg-info")) entries.push_back(entry.path());
  }
  if (error) return add_error(result, directory, 0, "cannot list: " + error.message());
  std::ranges::sort(entries);
  for (const auto& entry : entries) {
    const bool dist_info = entry.extension() == ".dist-info";
    fs::path metadata = entry;
    if (fs::is_directory(entry, error)) metadata = entry / (dist_info ? "METADATA" : "PKG-INFO");
    auto text = read_file(metadata, std::size_t{16} << 20);
    if (!text) {
      add_error(result, metadata, 0, text.error().message);
      continue;
    }
    const auto [name, version] = metadata_name_version(*text);
    if (name.empty() || version.empty()) {
      add_error(result, metadata, 0, "no Name or Version header");
      continue;
    }
    Dependency dependency = pinned(name, version, metadata, 0, name + "==" + version);
    if (auto direct = read_file(entry / "direct_url.json", 1 << 20)) {
      // PEP 610: installed from a VCS, a local directory or an archive URL, not a PyPI release.
      const json parsed = json::parse(*direct, nullptr, false);
      if (!parsed.is_discarded() && parsed.is_object() && (parsed.contains("vcs_info") || parsed.contains("dir_info")))
        dependency.not_audited = parsed.contains("vcs_info") ? "installed from a VCS" : "installed from a local directory";
    }
    result.dependencies.push_back(std::move(dependency));
  }
}

bool is_requirements_name(const std::string& name) {
  const bool requirements_like = name.starts_with("requirements") || name.ends_with("requirements.txt");
  return (requirements_like && (name.ends_with(".txt") || name.ends_with(".in"))) || name == "constraints.txt";
}

}  // namespace

std::string_view to_string(InputFormat format) {
  switch (format) {
    case InputFormat::requirements: return "requirements";
    case InputFormat::pyproject: return "pyproject";
    case InputFormat::poetry_lock: return "poetry-lock";
    case InputFormat::uv_lock: return "uv-lock";
    case InputFormat::pdm_lock: return "pdm-lock";
    case InputFormat::pipfile_lock: return "pipfile-lock";
    case InputFormat::pylock: return "pylock";
    case InputFormat::conda: return "conda";
    case InputFormat::site_packages: return "site-packages";
  }
  return "requirements";
}

std::optional<InputFormat> parse_input_format(std::string_view name) {
  for (const auto format : {InputFormat::requirements, InputFormat::pyproject, InputFormat::poetry_lock, InputFormat::uv_lock,
                            InputFormat::pdm_lock, InputFormat::pipfile_lock, InputFormat::pylock, InputFormat::conda,
                            InputFormat::site_packages})
    if (to_string(format) == name) return format;
  return std::nullopt;
}

std::optional<InputFormat> detect_input_format(const fs::path& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    for (const auto& entry : fs::directory_iterator(path, error)) {
      const std::string name = entry.path().filename().string();
      if (name.ends_with(".dist-info") || name.ends_with(".egg-info")) return InputFormat::site_packages;
    }
    return std::nullopt;
  }
  const std::string name = path.filename().string();
  if (name == "pyproject.toml") return InputFormat::pyproject;
  if (name == "poetry.lock") return InputFormat::poetry_lock;
  if (name == "uv.lock") return InputFormat::uv_lock;
  if (name == "pdm.lock") return InputFormat::pdm_lock;
  if (name == "Pipfile.lock") return InputFormat::pipfile_lock;
  if (name == "pylock.toml" || (name.starts_with("pylock.") && name.ends_with(".toml"))) return InputFormat::pylock;
  if (name == "environment.yml" || name == "environment.yaml" || (name.ends_with(".yml") && name.find("environment") != std::string::npos))
    return InputFormat::conda;
  if (is_requirements_name(name) || name.ends_with(".txt")) return InputFormat::requirements;
  return std::nullopt;
}

InputResult read_input(const fs::path& path, InputFormat format) {
  InputResult result;
  switch (format) {
    case InputFormat::requirements: {
      RequirementsReader reader(result);
      reader.read(path, false, 0);
      reader.apply_constraints();
      break;
    }
    case InputFormat::pyproject: read_pyproject(path, result); break;
    case InputFormat::poetry_lock:
    case InputFormat::uv_lock:
    case InputFormat::pdm_lock: read_toml_lock(path, result, "package"); break;
    case InputFormat::pylock: read_toml_lock(path, result, "packages"); break;
    case InputFormat::pipfile_lock: read_pipfile_lock(path, result); break;
    case InputFormat::conda: read_conda(path, result); break;
    case InputFormat::site_packages: read_site_packages(path, result); break;
  }
  return result;
}

Result<std::vector<fs::path>> site_packages_of(const fs::path& python) {
  std::error_code error;
  // A bare name ("python3") is looked up on PATH by the shell.
  if (python.has_parent_path() && !fs::exists(python, error)) return fail(python.string(), "no such interpreter");
  // -I: ignore environment variables and the user site; -S: do not import site (no .pth runs).
  const std::string command = "'" + python.string() +
                              "' -I -S -c 'import sysconfig;p=sysconfig.get_paths();print(p[\"purelib\"]);print(p[\"platlib\"])' "
                              "2>/dev/null";
  if (python.string().find('\'') != std::string::npos) return fail(python.string(), "unsupported interpreter path");
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return fail(python.string(), "cannot run the interpreter");
  std::string output;
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0 && output.size() < 65536) output.append(buffer.data(), got);
  const int status = ::pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return fail(python.string(), "the interpreter did not report its site-packages");
  std::vector<fs::path> directories;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && fs::is_directory(line, error) && std::ranges::find(directories, fs::path(line)) == directories.end())
      directories.emplace_back(line);
  if (directories.empty()) return fail(python.string(), "no site-packages directory found");
  return directories;
}

Result<std::vector<SpecifierSet>> poetry_constraint(std::string_view constraint) {
  std::vector<SpecifierSet> sets;
  std::size_t start = 0;
  while (true) {
    const std::size_t bar = constraint.find("||", start);
    const std::string_view alternative = trim(constraint.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
    std::string pep440;
    // Clauses are separated by commas or spaces.
    std::string clause_text(alternative);
    std::ranges::replace(clause_text, ',', ' ');
    for (std::string clause : split_words(clause_text)) {
      std::string converted;
      if (clause == "*" || clause.empty()) continue;
      if (clause.starts_with("~=")) {
        converted = clause;  // PEP 440 compatible release, as Poetry reads it
      } else if (clause.starts_with('^') || clause.starts_with('~')) {
        // ^: the leftmost non-zero component may not change; ~: the minor version may not change.
        const bool caret = clause[0] == '^';
        const std::string base = clause.substr(1);
        const auto version = Version::parse(base);
        if (!version) return fail(std::string(constraint), "invalid version " + base);
        std::vector<std::uint64_t> upper = version->release;
        std::size_t keep = std::min<std::size_t>(2, upper.size());
        if (caret) {
          keep = 0;
          while (keep + 1 < upper.size() && upper[keep] == 0) ++keep;
          ++keep;
        } else if (upper.size() == 1) {
          keep = 1;
        }
        upper.resize(keep);
        upper.back() += 1;
        std::string upper_text;
        for (std::size_t index = 0; index < upper.size(); ++index) upper_text += (index ? "." : "") + std::to_string(upper[index]);
        converted = ">=" + base + ",<" + upper_text;
      } else if (clause.front() >= '0' && clause.front() <= '9') {
        converted = "==" + clause;
      } else if (clause.starts_with('=') && !clause.starts_with("==")) {
        converted = "=" + clause;
      } else {
        converted = clause;
      }
      pep440 += (pep440.empty() ? "" : ",") + converted;
    }
    auto set = SpecifierSet::parse(pep440);
    if (!set) return std::unexpected(set.error());
    sets.push_back(std::move(*set));
    if (bar == std::string_view::npos) break;
    start = bar + 2;
  }
  return sets;
}

}  // namespace moat::deps
