// `moat inspect ARTIFACT...`: summary and findings for wheels, sdists and conda packages.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "moat/cli/code_checks.hpp"
#include "moat/cli/command.hpp"
#include "moat/cli/report_options.hpp"
#include "moat/deps/typosquat.hpp"
#include "moat/dist/environment.hpp"
#include "moat/dist/inspect.hpp"

namespace moat::cli {

namespace {

struct InspectArguments {
  std::vector<std::string> artifacts;
  ReportOptions report;
  dist::InspectOptions inspect;
  bool no_secrets = false;
  std::vector<std::string> rules;
  bool no_builtin_rules = false;
  std::vector<std::string> packages, src_dirs, package_omit;  // check-wheel-contents W101/W102
};

/// The artifacts to inspect: files as given; directories contribute the artifacts directly inside.
std::vector<std::filesystem::path> expand(const std::vector<std::string>& inputs, Report& report) {
  std::vector<std::filesystem::path> paths;
  for (const auto& input : inputs) {
    std::error_code error;
    if (std::filesystem::is_directory(input, error) && dist::is_environment_directory(input)) {
      paths.emplace_back(input);  // an installed environment (site-packages)
    } else if (std::filesystem::is_directory(input, error)) {
      std::vector<std::filesystem::path> found;
      for (const auto& item : std::filesystem::directory_iterator(input, error))
        if (item.is_regular_file(error) && dist::is_artifact_name(item.path().filename().string()))
          found.push_back(item.path());
      std::ranges::sort(found);
      if (found.empty()) report.errors.push_back({input, "no wheels, sdists or conda packages in this directory"});
      paths.insert(paths.end(), found.begin(), found.end());
    } else if (!std::filesystem::exists(input, error)) {
      report.errors.push_back({input, "no such file"});
    } else if (!dist::is_artifact_name(std::filesystem::path(input).filename().string())) {
      report.errors.push_back({input, "not a wheel, sdist (.tar.gz, .zip) or conda package (.conda, .tar.bz2)"});
    } else {
      paths.emplace_back(input);
    }
  }
  return paths;
}

int run_inspect(InspectArguments& arguments) {
  // The typosquatting check's index of popular names and the native checks' data take tens of
  // milliseconds each to build: build them on their own threads while the rules load.
  const std::jthread popular_names([] { deps::PopularNames::embedded(); });
  const std::jthread native_data([] {
    native_vulnerabilities();
    known_builds();
  });
  Report report;
  arguments.inspect.secrets = !arguments.no_secrets;
  const auto rules = load_scan_rules(!arguments.no_builtin_rules, arguments.rules);
  for (const auto& error : rules->errors) report.errors.push_back({error.subject, error.message});
  arguments.inspect.python_scanner = python_code_checks({}, rules);  // every code check, default mode
  arguments.inspect.name_checker = typosquat_check();
  if (!arguments.packages.empty() || !arguments.src_dirs.empty()) {
    auto tree = dist::collect_package_tree(
        {arguments.packages.begin(), arguments.packages.end()}, {arguments.src_dirs.begin(), arguments.src_dirs.end()},
        arguments.package_omit.empty() ? dist::default_package_omit() : arguments.package_omit);
    if (!tree) {
      std::fprintf(stderr, "moat inspect: %s\n", tree.error().to_string().c_str());
      return kExitFailure;
    }
    arguments.inspect.wheel.package_tree = std::move(*tree);
  }
  arguments.inspect.member_scanners = {native_binary_checks()};
  const auto paths = expand(arguments.artifacts, report);
  std::string summaries;
  nlohmann::ordered_json artifacts = nlohmann::ordered_json::array();
  std::size_t checked = 0;
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      auto environment = dist::inspect_environment(path, path.string());
      if (!environment) {
        report.errors.push_back({environment.error().subject, environment.error().message});
        continue;
      }
      ++checked;
      summaries += fmt::format("{}  (environment, {} distributions, {} files verified against RECORD)\n",
                               path.string(), environment->summary.value("distributions", 0),
                               environment->summary.value("files_verified", 0));
      artifacts.push_back(std::move(environment->summary));
      std::ranges::move(environment->findings, std::back_inserter(report.findings));
      std::ranges::move(environment->errors, std::back_inserter(report.errors));
      continue;
    }
    auto inspected = dist::inspect_artifact(path, arguments.inspect, path.string());
    if (!inspected) {
      report.errors.push_back({inspected.error().subject, inspected.error().message});
      continue;
    }
    ++checked;
    summaries += dist::format_summary(inspected->summary);
    artifacts.push_back(std::move(inspected->summary));
    std::ranges::move(inspected->findings, std::back_inserter(report.findings));
    std::ranges::move(inspected->errors, std::back_inserter(report.errors));
  }
  report.stats["files"] = checked;
  report.stats["artifacts"] = std::move(artifacts);
  if (arguments.report.format == "text" && arguments.report.output.empty() && !summaries.empty()) {
    std::fwrite(summaries.data(), 1, summaries.size(), stdout);
    std::fputc('\n', stdout);
  }
  return finish_report(report, arguments.report, checked > 0);
}

}  // namespace

void configure_inspect_command(CLI::App& command, CommandRunner& run) {
  auto arguments = std::make_shared<InspectArguments>();
  command.add_option("ARTIFACT", arguments->artifacts, "Wheels, sdists, conda packages, directories holding them, or a site-packages directory")
      ->required();
  add_report_options(command, arguments->report, {"text", "json", "github", "markdown", "sarif", "html"});
  auto& limits = arguments->inspect.limits;
  command.add_option("--max-entries", limits.max_entries, "Most archive members read (archive-bomb limit)")
      ->capture_default_str();
  command.add_option("--max-entry-size", limits.max_entry_bytes, "Largest uncompressed member, in bytes")
      ->capture_default_str();
  command.add_option("--max-total-size", limits.max_total_bytes, "Largest total uncompressed size, in bytes")
      ->capture_default_str();
  command.add_option("--max-ratio", limits.max_ratio, "Highest compression ratio (uncompressed / archive size)")
      ->capture_default_str();
  command.add_option("--toplevel", arguments->inspect.wheel.toplevel,
                     "Top-level names the wheel must contain, and nothing else (check-wheel-contents W201/W202)")
      ->delimiter(',');
  command.add_option("--package", arguments->packages,
                     "Local package (directory or module) the wheel's library must match (W101/W102); repeatable");
  command.add_option("--src-dir", arguments->src_dirs,
                     "Directory whose entries the wheel's library must match (W101/W102); repeatable");
  command.add_option("--package-omit", arguments->package_omit,
                     "Globs of names left out of --package/--src-dir trees (default: .*,CVS,RCS,*.pyc,*.pyo,*.egg-info)")
      ->delimiter(',');
  command.add_flag("--no-secrets", arguments->no_secrets, "Do not scan members for secrets");
  command.add_option("-j,--jobs", arguments->inspect.jobs, "Worker threads checking members (default: all cores)");
  command.add_option("--rules", arguments->rules, "Also run this Semgrep-format rule file or directory (repeatable)");
  command.add_flag("--no-builtin-rules", arguments->no_builtin_rules, "Leave out moat's built-in rule pack");
  run = [arguments] { return run_inspect(*arguments); };
}

}  // namespace moat::cli
