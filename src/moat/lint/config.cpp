#include "moat/lint/config.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "moat/util/file.hpp"

namespace moat::lint {

namespace fs = std::filesystem;

namespace {

/// A config source, YAML or TOML, seen through the few operations the loader needs.
class ConfigView {
 public:
  virtual ~ConfigView() = default;
  [[nodiscard]] virtual std::optional<std::vector<std::string>> strings(const std::string& section,
                                                                        const std::string& key) const = 0;
  [[nodiscard]] virtual std::optional<long long> integer(const std::string& section, const std::string& key) const = 0;
  [[nodiscard]] virtual std::optional<bool> boolean(const std::string& section, const std::string& key) const = 0;
  [[nodiscard]] virtual bool has_section(const std::string& section) const = 0;
};

class YamlView final : public ConfigView {
 public:
  explicit YamlView(YAML::Node root) : root_(std::move(root)) {}
  [[nodiscard]] std::optional<std::vector<std::string>> strings(const std::string& section,
                                                                const std::string& key) const override {
    const YAML::Node node = lookup(section, key);
    if (!node) return std::nullopt;
    std::vector<std::string> out;
    if (node.IsSequence()) {
      for (const auto& item : node)
        if (item.IsScalar()) out.push_back(item.as<std::string>());
    } else if (node.IsScalar()) {
      std::stringstream stream(node.as<std::string>());
      std::string item;
      while (std::getline(stream, item, ','))
        if (!item.empty()) out.push_back(item);
    }
    return out;
  }
  [[nodiscard]] std::optional<long long> integer(const std::string& section, const std::string& key) const override {
    const YAML::Node node = lookup(section, key);
    if (!node || !node.IsScalar()) return std::nullopt;
    try {
      return node.as<long long>();
    } catch (const YAML::Exception&) {
      return std::nullopt;
    }
  }
  [[nodiscard]] std::optional<bool> boolean(const std::string& section, const std::string& key) const override {
    const YAML::Node node = lookup(section, key);
    if (!node || !node.IsScalar()) return std::nullopt;
    try {
      return node.as<bool>();
    } catch (const YAML::Exception&) {
      return std::nullopt;
    }
  }
  [[nodiscard]] bool has_section(const std::string& section) const override {
    return root_.IsMap() && root_[section] && root_[section].IsMap();
  }

 private:
  [[nodiscard]] YAML::Node lookup(const std::string& section, const std::string& key) const {
    if (!root_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    if (section.empty()) return root_[key];
    const YAML::Node table = root_[section];
    if (!table || !table.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    return table[key];
  }
  YAML::Node root_;
};

class TomlView final : public ConfigView {
 public:
  explicit TomlView(const toml::table* root) : root_(root) {}
  [[nodiscard]] std::optional<std::vector<std::string>> strings(const std::string& section,
                                                                const std::string& key) const override {
    const toml::node* node = lookup(section, key);
    if (node == nullptr) return std::nullopt;
    std::vector<std::string> out;
    if (const auto* array = node->as_array()) {
      for (const auto& item : *array)
        if (const auto* text = item.as_string()) out.push_back(text->get());
    } else if (const auto* text = node->as_string()) {
      std::stringstream stream(text->get());
      std::string item;
      while (std::getline(stream, item, ','))
        if (!item.empty()) out.push_back(item);
    }
    return out;
  }
  [[nodiscard]] std::optional<long long> integer(const std::string& section, const std::string& key) const override {
    const toml::node* node = lookup(section, key);
    if (node == nullptr) return std::nullopt;
    if (const auto* value = node->as_integer()) return value->get();
    return std::nullopt;
  }
  [[nodiscard]] std::optional<bool> boolean(const std::string& section, const std::string& key) const override {
    const toml::node* node = lookup(section, key);
    if (node == nullptr) return std::nullopt;
    if (const auto* value = node->as_boolean()) return value->get();
    return std::nullopt;
  }
  [[nodiscard]] bool has_section(const std::string& section) const override {
    return root_ != nullptr && root_->get_as<toml::table>(section) != nullptr;
  }
  [[nodiscard]] const toml::table* root() const { return root_; }

 private:
  [[nodiscard]] const toml::node* lookup(const std::string& section, const std::string& key) const {
    if (root_ == nullptr) return nullptr;
    const toml::table* table = root_;
    if (!section.empty()) table = root_->get_as<toml::table>(section);
    if (table == nullptr) return nullptr;
    return table->get(key);
  }
  const toml::table* root_;
};

/// Reads the keys shared by every format.
void read_common(const ConfigView& view, ScanConfig& config) {
  for (const char* key : {"tests", "select"})
    if (auto values = view.strings("", key)) config.tests.insert(config.tests.end(), values->begin(), values->end());
  for (const char* key : {"skips", "ignore"})
    if (auto values = view.strings("", key)) config.skips.insert(config.skips.end(), values->begin(), values->end());
  for (const char* key : {"exclude_dirs", "exclude", "extend-exclude"})
    if (auto values = view.strings("", key)) config.exclude.insert(config.exclude.end(), values->begin(), values->end());
  if (auto values = view.strings("", "include")) config.include = *values;
  if (auto compat = view.boolean("", "bandit-compat")) config.bandit_compat = compat;
  PluginOptions& plugins = config.plugins;
  if (view.has_section("assert_used")) plugins.assert_skips = view.strings("assert_used", "skips").value_or(std::vector<std::string>{});
  if (auto dirs = view.strings("hardcoded_tmp_directory", "tmp_dirs")) plugins.tmp_dirs = *dirs;
  if (auto typed = view.boolean("try_except_pass", "check_typed_exception")) plugins.try_except_pass_typed = *typed;
  if (auto typed = view.boolean("try_except_continue", "check_typed_exception")) plugins.try_except_continue_typed = *typed;
  if (view.has_section("shell_injection")) {
    // A section replaces the defaults wholesale: a list it leaves out is empty.
    const auto subprocess = view.strings("shell_injection", "subprocess");
    const auto shell = view.strings("shell_injection", "shell");
    plugins.subprocess = subprocess.value_or(std::vector<std::string>{});
    plugins.shell = shell.value_or(std::vector<std::string>{});
    plugins.no_shell = view.strings("shell_injection", "no_shell").value_or(std::vector<std::string>{});
    plugins.shell_section_has_subprocess = subprocess.has_value();
    plugins.shell_section_has_shell = shell.has_value();
  }
  if (view.has_section("ssl_with_bad_version"))
    plugins.bad_protocol_versions =
        view.strings("ssl_with_bad_version", "bad_protocol_versions").value_or(std::vector<std::string>{});
  const auto size = [&](const char* key, int& into) {
    if (auto value = view.integer("weak_cryptographic_key", key)) into = static_cast<int>(*value);
  };
  size("weak_key_size_dsa_high", plugins.weak_key_dsa_high);
  size("weak_key_size_dsa_medium", plugins.weak_key_dsa_medium);
  size("weak_key_size_rsa_high", plugins.weak_key_rsa_high);
  size("weak_key_size_rsa_medium", plugins.weak_key_rsa_medium);
  size("weak_key_size_ec_high", plugins.weak_key_ec_high);
  size("weak_key_size_ec_medium", plugins.weak_key_ec_medium);
  if (auto names = view.strings("markupsafe_xss", "extend_markup_names")) plugins.markup_names = *names;
  if (auto calls = view.strings("markupsafe_xss", "allowed_calls")) plugins.markup_allowed_calls = *calls;
}

}  // namespace

Result<ScanConfig> load_bandit_yaml(const fs::path& path) {
  auto text = read_file(path, std::size_t{16} << 20);
  if (!text) return std::unexpected(text.error());
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& error) {
    return fail(path.string(), "invalid YAML: " + std::string(error.what()));
  }
  if (!root.IsMap()) return fail(path.string(), "the config file is not a mapping");
  ScanConfig config;
  read_common(YamlView(root), config);
  config.any_file = true;
  config.source = path.string();
  return config;
}

Result<ScanConfig> load_toml(const fs::path& path, std::string_view table) {
  auto text = read_file(path, std::size_t{16} << 20);
  if (!text) return std::unexpected(text.error());
  toml::table root;
  try {
    root = toml::parse(*text, path.string());
  } catch (const toml::parse_error& error) {
    return fail(path.string(), "invalid TOML at line " + std::to_string(error.source().begin.line) + ": " +
                                   std::string(error.description()));
  }
  const toml::table* section = &root;
  if (!table.empty()) section = root.at_path(table).as_table();
  ScanConfig config;
  config.source = path.string();
  if (section == nullptr) return config;
  const TomlView view(section);
  read_common(view, config);
  if (const auto* ignores = section->get_as<toml::table>("per-file-ignores")) {
    for (const auto& [glob, codes] : *ignores) {
      std::vector<std::string>& into = config.per_file_ignores[std::string(glob.str())];
      if (const auto* list = codes.as_array()) {
        for (const auto& code : *list)
          if (const auto* text_code = code.as_string()) into.push_back(text_code->get());
      } else if (const auto* single = codes.as_string()) {
        into.push_back(single->get());
      }
    }
  }
  if (auto severity = section->get_as<std::string>("severity")) config.severity = severity->get();
  if (auto confidence = section->get_as<std::string>("confidence")) config.confidence = confidence->get();
  config.any_file = true;
  return config;
}

Result<std::map<std::string, std::string>> load_bandit_ini(const fs::path& path) {
  auto text = read_file(path, std::size_t{1} << 20);
  if (!text) return std::unexpected(text.error());
  std::map<std::string, std::string> values;
  std::stringstream stream(*text);
  std::string line;
  bool in_section = false;
  bool found_section = false;
  while (std::getline(stream, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#' || line[first] == ';') continue;
    if (line[first] == '[') {
      in_section = line.substr(first) == "[bandit]";
      found_section = found_section || in_section;
      continue;
    }
    if (!in_section) continue;
    const auto separator = line.find_first_of("=:");
    if (separator == std::string::npos) continue;
    auto trim = [](std::string value) {
      const auto begin = value.find_first_not_of(" \t");
      const auto end = value.find_last_not_of(" \t");
      return begin == std::string::npos ? std::string() : value.substr(begin, end - begin + 1);
    };
    std::string key = trim(line.substr(0, separator));
    for (char& c : key)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    values[key] = trim(line.substr(separator + 1));
  }
  if (!found_section) return fail(path.string(), "no [bandit] section");
  return values;
}

Result<ScanConfig> discover_config(const fs::path& start) {
  std::error_code error;
  fs::path directory = fs::absolute(start, error);
  if (!fs::is_directory(directory, error)) directory = directory.parent_path();
  for (int depth = 0; depth < 256 && !directory.empty(); ++depth) {
    for (const char* name : {"moat.toml", ".moat.toml"})
      if (fs::is_regular_file(directory / name, error)) return load_toml(directory / name, "");
    if (fs::is_regular_file(directory / "pyproject.toml", error)) {
      for (const char* table : {"tool.moat", "tool.bandit"}) {
        auto config = load_toml(directory / "pyproject.toml", table);
        if (!config) return config;
        if (config->any_file) return config;
      }
    }
    if (directory == directory.root_path()) break;
    directory = directory.parent_path();
  }
  return ScanConfig{};
}

Result<CheckSet> select_checks(const std::vector<std::string>& tests, const std::vector<std::string>& skips) {
  CheckSet enabled;
  const auto expand = [](const std::string& code) -> Result<CheckSet> {
    CheckSet matched = checks_matching(code);
    if (matched.none()) {
      if (const auto by_name = find_check_by_name(code)) matched.set(index(*by_name));
    }
    if (matched.none()) return fail(code, "unknown check ID or prefix");
    return matched;
  };
  if (tests.empty()) {
    enabled.set();
  } else {
    for (const std::string& code : tests) {
      auto matched = expand(code);
      if (!matched) return std::unexpected(matched.error());
      enabled |= *matched;
    }
  }
  for (const std::string& code : skips) {
    auto matched = expand(code);
    if (!matched) return std::unexpected(matched.error());
    enabled &= ~*matched;
  }
  return enabled;
}

}  // namespace moat::lint
