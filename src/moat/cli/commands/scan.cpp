// `moat scan PATH...`: Python code checks (Bandit's 75 checks; default mode adds the semantic
// model's findings, --bandit-compat reproduces Bandit 1.9.4 exactly) over files and directories,
// plus, outside compat mode, the rule engine (built-in pack and --rules) over the same files, the release-workflow audit of project directories, the artifact
// checks (with the code checks inside) of wheels, sdists and conda packages, and the dependency
// audit of the requirements, lock files and site-packages directories it meets.

#include <chrono>
#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <iterator>
#include <memory>
#include <set>

#include "moat/cli/code_checks.hpp"
#include "moat/cli/command.hpp"
#include "moat/cli/dependency_checks.hpp"
#include "moat/cli/report_options.hpp"
#include "moat/dist/inspect.hpp"
#include "moat/lint/config.hpp"
#include "moat/lint/discovery.hpp"
#include "moat/lint/linter.hpp"
#include "moat/pattern/engine.hpp"
#include "moat/publish/publish.hpp"
#include "moat/util/file.hpp"
#include "moat/util/keep_until_exit.hpp"

namespace moat::cli {

namespace {

struct ScanArguments {
  std::vector<std::string> paths;
  ReportOptions report;
  std::string config;
  bool bandit_compat = false;
  unsigned jobs = 0;
  std::vector<std::string> exclude;
  bool no_gitignore = false;
  bool ignore_nosec = false;
  std::string baseline;
  std::string write_baseline;
  bool report_unused_suppressions = false;
  std::vector<std::string> rules;
  bool no_builtin_rules = false;
};

/// Fingerprints recorded in a baseline file: a moat baseline ({"fingerprints": [...]}) or a
/// moat JSON report ({"findings": [{"fingerprint": ...}]}).
Result<std::set<std::string>> read_baseline(const std::string& path) {
  auto text = read_file(path, std::size_t{256} << 20);
  if (!text) return std::unexpected(text.error());
  const auto document = nlohmann::json::parse(*text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) return fail(path, "not a JSON baseline");
  std::set<std::string> fingerprints;
  if (const auto list = document.find("fingerprints"); list != document.end() && list->is_array()) {
    for (const auto& item : *list)
      if (item.is_string()) fingerprints.insert(item.get<std::string>());
  } else if (const auto findings = document.find("findings"); findings != document.end() && findings->is_array()) {
    for (const auto& finding : *findings)
      if (finding.is_object() && finding.contains("fingerprint") && finding["fingerprint"].is_string())
        fingerprints.insert(finding["fingerprint"].get<std::string>());
  } else {
    return fail(path, "no \"fingerprints\" or \"findings\" array");
  }
  return fingerprints;
}

class Progress {
 public:
  Progress(std::size_t total, bool enabled)
      : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  void update(std::size_t done) {
    if (!enabled_) return;
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    if (elapsed < std::chrono::milliseconds(300) || (done % 16 != 0 && done != total_)) return;
    std::fprintf(stderr, "\rmoat: scanned %zu/%zu files", done, total_);
    shown_ = true;
  }
  ~Progress() {
    if (shown_) std::fputs("\r\033[K", stderr);
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

 private:
  std::size_t total_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

void append_report(Report& into, Report&& from) {
  std::ranges::move(from.findings, std::back_inserter(into.findings));
  std::ranges::move(from.errors, std::back_inserter(into.errors));
}

bool names_an_artifact(const std::string& path) {
  return dist::is_artifact_name(std::filesystem::path(path).filename().string());
}

/// The analyzers besides the code checks that apply to the scanned paths: a project directory's
/// release workflows and credential files, and artifacts (wheels, sdists, conda packages) named on
/// the command line, whose Python modules get the same code checks. Returns how many inputs they read.
std::size_t run_project_analyzers(const std::vector<std::string>& paths, const lint::LintOptions& lint_options,
                                  const std::shared_ptr<const pattern::RuleSet>& rules, unsigned jobs, Report& report) {
  std::size_t checked = 0;
  for (const std::string& path : paths) {
    std::error_code error;
    std::vector<std::string> artifacts;
    if (std::filesystem::is_directory(path, error)) {
      Report workflows;
      checked += publish::audit_inputs(publish::collect_inputs(path, path, workflows), workflows);
      append_report(report, std::move(workflows));
      // `moat scan dist/`: the artifacts directly inside, in name order.
      for (const auto& entry : std::filesystem::directory_iterator(path, error))
        if (entry.is_regular_file(error) && names_an_artifact(entry.path().string()))
          artifacts.push_back(entry.path().string());
      std::ranges::sort(artifacts);
    } else if (names_an_artifact(path)) {
      artifacts.push_back(path);
    }
    dist::InspectOptions inspect_options;
    inspect_options.jobs = jobs;
    inspect_options.python_scanner = python_code_checks(lint_options, rules);
    inspect_options.name_checker = typosquat_check();
    inspect_options.member_scanners = {native_binary_checks()};
    for (const std::string& artifact_path : artifacts) {
      auto artifact = dist::inspect_artifact(artifact_path, inspect_options, artifact_path);
      if (!artifact) {
        report.errors.push_back({artifact_path, artifact.error().message});
        continue;
      }
      ++checked;
      std::ranges::move(artifact->findings, std::back_inserter(report.findings));
      std::ranges::move(artifact->errors, std::back_inserter(report.errors));
    }
  }
  return checked;
}

int run_scan(ScanArguments& arguments) {
  if (arguments.paths.empty()) arguments.paths.push_back(".");
  Result<lint::ScanConfig> config = arguments.config.empty()
                                        ? lint::discover_config(arguments.paths.front())
                                        : (arguments.config.ends_with(".toml")
                                               ? lint::load_toml(arguments.config, arguments.config.ends_with("pyproject.toml") ? "tool.moat" : "")
                                               : lint::load_bandit_yaml(arguments.config));
  if (!config) {
    std::fprintf(stderr, "moat scan: %s\n", config.error().to_string().c_str());
    return kExitFailure;
  }
  lint::LintOptions options;
  options.bandit_compat = arguments.bandit_compat || config->bandit_compat.value_or(false);
  options.ignore_nosec = arguments.ignore_nosec;
  options.plugins = config->plugins;
  auto enabled = lint::select_checks(config->tests, config->skips);
  if (!enabled) {
    std::fprintf(stderr, "moat scan: %s: %s\n", config->source.c_str(), enabled.error().to_string().c_str());
    return kExitFailure;
  }
  options.enabled = *enabled;
  if (config->severity && arguments.report.severity == "low") arguments.report.severity = *config->severity;
  if (config->confidence && arguments.report.confidence == "low") arguments.report.confidence = *config->confidence;

  lint::ScanDiscovery request;
  for (const std::string& path : arguments.paths)
    if (!names_an_artifact(path) && !names_a_dependency_file(path)) request.targets.push_back(path);
  request.exclude_globs = config->exclude;
  request.exclude_globs.insert(request.exclude_globs.end(), arguments.exclude.begin(), arguments.exclude.end());
  request.respect_gitignore = !arguments.no_gitignore;
  const lint::Discovered discovered = lint::discover_python_files(request, arguments.jobs);
  for (const std::string& warning : discovered.warnings) std::fprintf(stderr, "moat scan: %s\n", warning.c_str());

  const auto started = std::chrono::steady_clock::now();
  // Bandit compatibility means Bandit's findings and nothing else.
  std::shared_ptr<const pattern::RuleSet> rules;
  if (!options.bandit_compat) rules = load_scan_rules(!arguments.no_builtin_rules, arguments.rules);
  PythonFilesScan scanned;
  {
    Progress progress(discovered.files.size(), show_progress(arguments.report));
    scanned = scan_python_files(discovered.files, options, rules.get(), {.honor_nosemgrep = !options.ignore_nosec},
                                arguments.jobs, [&](std::size_t done) { progress.update(done); });
  }
  const std::vector<lint::FileResult>& results = scanned.linted;
  Report report = lint::make_report(results, arguments.jobs);
  if (rules) {
    for (const auto& error : rules->errors) report.errors.push_back({error.subject, error.message});
    // A syntax error in a file is already reported by the code checks.
    for (auto& findings : scanned.rule_findings) std::ranges::move(findings, std::back_inserter(report.findings));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::size_t other_inputs =
      options.bandit_compat ? 0 : run_project_analyzers(arguments.paths, options, rules, arguments.jobs, report) + audit_scanned_dependencies(arguments.paths, report);
  for (const auto& missing : discovered.warnings) report.errors.push_back({missing.substr(0, missing.find(':')), "No such file or directory"});
  // Per-file ignores from the config: glob -> codes or prefixes.
  std::erase_if(report.findings, [&](const Finding& finding) {
    for (const auto& [glob, codes] : config->per_file_ignores) {
      if (!lint::fnmatch_match(glob, finding.location.path) &&
          !lint::fnmatch_match(glob, std::filesystem::path(finding.location.path).filename().string()))
        continue;
      for (const std::string& code : codes)
        if (lint::checks_matching(code).any() && finding.rule_id.starts_with(code.starts_with('S') ? "B" + code.substr(1) : code))
          return true;
    }
    return false;
  });
  if (arguments.report_unused_suppressions) {
    for (const lint::FileResult& file : results)
      for (const auto& [line, comment] : file.unused_suppressions) {
        Finding finding;
        finding.rule_id = "MOAT-L001";
        finding.title = "unused_suppression";
        finding.message = "Suppression comment suppresses nothing: " + comment;
        finding.severity = Severity::low;
        finding.confidence = Confidence::high;
        finding.location = Location{file.path, line, 0, line, 0};
        finding.snippet = comment;
        report.findings.push_back(std::move(finding));
      }
  }
  // Baselines match findings by fingerprint; reports that print them get them in finish_report().
  if (!arguments.baseline.empty() || !arguments.write_baseline.empty()) fill_fingerprints(report.findings);
  if (!arguments.baseline.empty()) {
    auto known = read_baseline(arguments.baseline);
    if (!known) {
      std::fprintf(stderr, "moat scan: %s\n", known.error().to_string().c_str());
      return kExitFailure;
    }
    const std::size_t before = report.findings.size();
    std::erase_if(report.findings, [&](const Finding& finding) { return known->contains(finding.fingerprint); });
    report.stats["baselined"] = before - report.findings.size();
  }
  if (!arguments.write_baseline.empty()) {
    nlohmann::ordered_json baseline;
    baseline["version"] = 1;
    std::set<std::string> fingerprints;
    const FindingSelection selected(arguments.report);
    for (const Finding& finding : report.findings)
      if (selected(finding)) fingerprints.insert(finding.fingerprint);
    baseline["fingerprints"] = fingerprints;
    if (auto written = write_file_atomically(arguments.write_baseline, baseline.dump(2) + "\n"); !written) {
      std::fprintf(stderr, "moat scan: %s\n", written.error().to_string().c_str());
      return kExitFailure;
    }
  }
  report.stats["seconds"] = seconds;
  report.stats["mode"] = options.bandit_compat ? "bandit-compat" : "default";
  if (arguments.report.format != "bandit-json") report.stats.erase("bandit_metrics");
  // Nothing checked: every input was missing or unreadable (an empty directory is fine).
  const bool anything_checked = report.stats["files"].get<std::size_t>() > 0 || other_inputs > 0 ||
                                (discovered.files.empty() && discovered.warnings.empty() && report.errors.empty());
  const int exit_code = finish_report(report, arguments.report, anything_checked);
  keep_until_exit(std::move(report));
  keep_until_exit(std::move(scanned));
  return exit_code;
}

}  // namespace

void configure_scan_command(CLI::App& command, CommandRunner& run) {
  auto arguments = std::make_shared<ScanArguments>();
  command.add_option("PATH", arguments->paths, "Files and directories to scan (default: .)");
  add_report_options(command, arguments->report, {"text", "json", "sarif", "github", "bandit-json", "markdown", "html"});
  command.add_option("--config", arguments->config,
                     "Config file: moat.toml, pyproject.toml ([tool.moat]) or a Bandit YAML file");
  command.add_flag("--bandit-compat", arguments->bandit_compat, "Results exactly as Bandit 1.9.4 gives them");
  command.add_option("--rules", arguments->rules, "Also run this Semgrep-format rule file or directory (repeatable)");
  command.add_flag("--no-builtin-rules", arguments->no_builtin_rules, "Leave out moat's built-in rule pack");
  command.add_option("-j,--jobs", arguments->jobs, "Worker threads (default: all cores)");
  command.add_option("--exclude", arguments->exclude, "Glob of paths to skip (repeatable)");
  command.add_flag("--no-gitignore", arguments->no_gitignore, "Scan files that .gitignore excludes");
  command.add_flag("--ignore-nosec", arguments->ignore_nosec, "Do not honour # nosec / # noqa / # moat: ignore");
  command.add_option("--baseline", arguments->baseline, "Suppress the findings recorded in this baseline file");
  command.add_option("--write-baseline", arguments->write_baseline, "Record the current findings' fingerprints");
  command.add_flag("--report-unused-suppressions", arguments->report_unused_suppressions,
                   "Report suppression comments that suppress nothing (MOAT-L001)");
  run = [arguments] { return run_scan(*arguments); };
}

}  // namespace moat::cli
