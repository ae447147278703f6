#pragma once
// Configuration files, read into one ScanConfig:
//   * moat's own: `[tool.moat]` in pyproject.toml, or moat.toml / .moat.toml (same keys, no prefix);
//   * Bandit's, for migration: `[tool.bandit]` in a TOML file, a YAML file (`-c`), `.bandit` INI.
// Keys (Bandit names, and moat/ruff-style aliases): tests/select, skips/ignore, exclude_dirs/exclude,
// include, per-file-ignores (moat), bandit-compat (moat), and per-check sections named as Bandit's
// (assert_used, hardcoded_tmp_directory, shell_injection, ssl_with_bad_version, try_except_pass,
// try_except_continue, weak_cryptographic_key, markupsafe_xss), which replace the defaults
// wholesale as in Bandit.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "moat/lint/options.hpp"
#include "moat/util/error.hpp"

namespace moat::lint {

struct ScanConfig {
  std::vector<std::string> tests;         // IDs / prefixes to run (empty: all)
  std::vector<std::string> skips;         // IDs / prefixes to skip
  std::vector<std::string> exclude;       // path globs
  std::vector<std::string> include;       // file globs (Bandit's `include`)
  std::map<std::string, std::vector<std::string>> per_file_ignores;  // glob -> codes
  std::optional<bool> bandit_compat;
  std::optional<std::string> severity;
  std::optional<std::string> confidence;
  PluginOptions plugins;
  bool any_file = false;  // a config file was read
  std::string source;     // which file
};

/// A Bandit YAML config (`bandit -c file.yaml`).
Result<ScanConfig> load_bandit_yaml(const std::filesystem::path& path);

/// A TOML file: `table` is "tool.bandit" or "tool.moat" (pyproject.toml), or "" for moat.toml.
/// A pyproject.toml without the table gives an empty config.
Result<ScanConfig> load_toml(const std::filesystem::path& path, std::string_view table);

/// Bandit's `.bandit` INI file ([bandit] section): returns its key/value pairs.
Result<std::map<std::string, std::string>> load_bandit_ini(const std::filesystem::path& path);

/// moat's config for a scan of `start`: the nearest pyproject.toml with [tool.moat] or
/// [tool.bandit], else moat.toml/.moat.toml, walking up from `start`. Empty config when none.
Result<ScanConfig> discover_config(const std::filesystem::path& start);

/// Turns tests/skips lists into the set of enabled checks (Bandit semantics: "B001" = every
/// blacklist, prefixes allowed); errors name unknown codes.
Result<CheckSet> select_checks(const std::vector<std::string>& tests, const std::vector<std::string>& skips);

}  // namespace moat::lint
