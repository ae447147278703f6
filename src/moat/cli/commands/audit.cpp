// `moat audit [INPUT...]`: dependency vulnerabilities against the offline OSV database.
#include <chrono>
#include <cstdio>
#include <memory>
#include <toml++/toml.h>

#include "moat/cli/command.hpp"
#include "moat/cli/dependency_checks.hpp"
#include "moat/cli/report_options.hpp"
#include "moat/deps/audit.hpp"
#include "moat/deps/database.hpp"
#include "moat/deps/inputs.hpp"
#include "moat/util/file.hpp"

namespace moat::cli {

namespace {

namespace fs = std::filesystem;

struct AuditCommandOptions {
  ReportOptions report;
  std::vector<std::string> inputs;
  std::string database;
  std::string input_format;
  std::vector<std::string> pythons;
  std::string target_python = "3.12";
  std::string platform = "linux";
  bool all_markers = false;
  std::vector<std::string> ignore_vulns;
  std::string config;
};

/// Ignore entries of `[tool.moat.audit]` in pyproject.toml or `[audit]` in moat.toml:
/// ignore = [{ id = "PYSEC-...", reason = "...", expires = "2026-12-31" }].
std::vector<deps::IgnoreRule> config_ignores(const std::string& explicit_path, std::vector<ScanError>& errors) {
  std::vector<fs::path> candidates;
  if (!explicit_path.empty()) candidates.emplace_back(explicit_path);
  else candidates = {"pyproject.toml", "moat.toml"};
  std::vector<deps::IgnoreRule> rules;
  for (const auto& path : candidates) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) continue;
    auto text = read_file(path, std::size_t{16} << 20);
    if (!text) continue;
    toml::table document;
    try {
      document = toml::parse(*text, path.string());
    } catch (const toml::parse_error& parse_error) {
      errors.push_back(ScanError{path.string(), std::string(parse_error.description())});
      continue;
    }
    const toml::node_view<toml::node> section =
        path.filename() == "pyproject.toml" ? document["tool"]["moat"]["audit"] : document["audit"];
    if (!section) continue;
    if (const auto* list = section["ignore"].as_array()) {
      for (const auto& item : *list) {
        if (const auto* id = item.as_string()) {
          rules.push_back(deps::IgnoreRule{id->get(), "", ""});
        } else if (const auto* table = item.as_table()) {
          deps::IgnoreRule rule{(*table)["id"].value_or(std::string()), (*table)["reason"].value_or(std::string()), ""};
          if (const auto* expires = (*table)["expires"].as_date()) {
            char buffer[16];
            std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", expires->get().year, expires->get().month, expires->get().day);
            rule.expires = buffer;
          } else {
            rule.expires = (*table)["expires"].value_or(std::string());
          }
          if (!rule.id.empty()) rules.push_back(std::move(rule));
        }
      }
    }
    break;  // the first config found is the one used
  }
  return rules;
}

int run_audit(AuditCommandOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const fs::path database_path = options.database.empty() ? deps::default_database_path() : fs::path(options.database);
  auto database = deps::Database::open(database_path);
  if (!database) {
    std::fprintf(stderr, "moat audit: %s\n", database.error().to_string().c_str());
    return kExitFailure;
  }

  Report report;
  DependencyInputs read;
  const auto read_one = [&](const fs::path& path, std::optional<deps::InputFormat> format) {
    read_dependency_input(path, format, read, report);
  };

  std::optional<deps::InputFormat> forced;
  if (!options.input_format.empty()) forced = deps::parse_input_format(options.input_format);
  for (const auto& python : options.pythons) {
    auto directories = deps::site_packages_of(python);
    if (!directories) {
      report.errors.push_back(ScanError{python, directories.error().message});
      continue;
    }
    for (const auto& directory : *directories) read_one(directory, deps::InputFormat::site_packages);
  }
  std::vector<std::string> inputs = options.inputs;
  if (inputs.empty() && options.pythons.empty()) inputs.emplace_back(".");
  for (const auto& input : inputs) {
    std::error_code error;
    const fs::path path(input);
    if (!fs::exists(path, error)) {
      report.errors.push_back(ScanError{input, "no such file or directory"});
      continue;
    }
    if (fs::is_directory(path, error) && !forced && !deps::detect_input_format(path)) {
      const auto found = dependency_files_in(path);
      if (found.empty()) report.errors.push_back(ScanError{input, "no dependency files found"});
      for (const auto& file : found) read_one(file, std::nullopt);
      continue;
    }
    read_one(path, forced);
  }

  deps::AuditOptions audit_options;
  if (!options.all_markers) audit_options.environment = deps::MarkerEnvironment::for_python(options.target_python, options.platform);
  for (const auto& id : options.ignore_vulns) audit_options.ignores.push_back(deps::IgnoreRule{id, "--ignore-vuln", ""});
  for (auto& rule : config_ignores(options.config, report.errors)) audit_options.ignores.push_back(std::move(rule));
  audit_options.today = today_utc();

  auto result = deps::audit_dependencies(*database, read.dependencies, audit_options);
  for (const auto& warning : result.warnings) std::fprintf(stderr, "moat audit: warning: %s\n", warning.c_str());
  report.findings = std::move(result.findings);
  report.errors.insert(report.errors.end(), result.errors.begin(), result.errors.end());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.stats["files"] = read.files_read;
  report.stats["dependencies"] = result.audited;
  report.stats["not_audited"] = result.not_audited;
  report.stats["database"] = database_path.string();
  report.stats["seconds"] = seconds;

  if (options.report.format != "cyclonedx") return finish_report(report, options.report, read.files_read > 0);
  const FindingSelection selected(options.report);
  std::erase_if(report.findings, [&](const Finding& f) { return !selected(f); });
  sort_findings(report.findings);
  const std::string bom = deps::render_cyclonedx(result, report.findings);
  for (const auto& error : report.errors) std::fprintf(stderr, "moat audit: %s: %s\n", error.path.c_str(), error.message.c_str());
  if (options.report.output.empty()) {
    std::fwrite(bom.data(), 1, bom.size(), stdout);
  } else if (auto written = write_file_atomically(options.report.output, bom); !written) {
    std::fprintf(stderr, "moat audit: %s\n", written.error().to_string().c_str());
    return kExitFailure;
  }
  if (read.files_read == 0 || (options.report.strict && !report.errors.empty())) return kExitFailure;
  return !report.findings.empty() && !options.report.exit_zero ? kExitFindings : kExitClean;
}

}  // namespace

void configure_audit_command(CLI::App& command, CommandRunner& run) {
  auto options = std::make_shared<AuditCommandOptions>();
  command.add_option("INPUT", options->inputs,
                     "Requirements, pyproject.toml, lock files, environment.yml, site-packages or project directories");
  add_report_options(command, options->report, {"text", "json", "sarif", "github", "markdown", "cyclonedx", "html"});
  command.add_option("--db", options->database, "Vulnerability database (default: $MOAT_DB or the XDG cache)");
  command.add_option("--input-format", options->input_format,
                     "Read INPUT as: requirements, pyproject, poetry-lock, uv-lock, pdm-lock, pipfile-lock, pylock, conda, site-packages");
  command.add_option("--python", options->pythons, "Audit the site-packages of this Python interpreter");
  command.add_option("--target-python", options->target_python, "Python version markers are evaluated for (default 3.12)");
  command.add_option("--platform", options->platform, "Platform markers are evaluated for: linux, darwin or win32")
      ->check(CLI::IsMember({"linux", "darwin", "macos", "win32", "windows"}));
  command.add_flag("--all-markers", options->all_markers, "Audit every entry whatever its environment markers");
  command.add_option("--ignore-vuln", options->ignore_vulns, "Do not report this advisory id (or any of its aliases)");
  command.add_option("--config", options->config, "Config file with [tool.moat.audit] / [audit] ignore entries");
  run = [options] { return run_audit(*options); };
}

}  // namespace moat::cli
