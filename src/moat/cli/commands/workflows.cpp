// `moat workflows [PATH...]`: audit CI workflows that build and publish packages, and credential
// files next to them.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "moat/cli/command.hpp"
#include "moat/cli/report_options.hpp"
#include "moat/publish/publish.hpp"

namespace moat::cli {

namespace {

struct WorkflowsArguments {
  std::vector<std::string> paths;
  ReportOptions report;
};

int run_workflows(const WorkflowsArguments& arguments) {
  const auto started = std::chrono::steady_clock::now();
  Report report;
  std::vector<std::string> paths = arguments.paths;
  if (paths.empty()) {
    std::error_code error;
    if (!std::filesystem::exists(".github", error) && !std::filesystem::exists(".gitlab-ci.yml", error)) {
      std::fputs("moat workflows: no .github/workflows or .gitlab-ci.yml here; give a directory or files\n", stderr);
      return kExitFailure;
    }
    paths.emplace_back(".");
  }
  std::vector<publish::AuditInput> inputs;
  for (const auto& path : paths) {
    auto found = publish::collect_inputs(path, path, report);
    inputs.insert(inputs.end(), found.begin(), found.end());
  }
  const std::size_t audited = publish::audit_inputs(inputs, report);
  if (inputs.empty() && report.errors.empty())
    report.errors.push_back({paths.front(), "no workflow, GitLab CI or credential files found"});
  report.stats["files"] = audited;
  report.stats["seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return finish_report(report, arguments.report, audited > 0);
}

}  // namespace

void configure_workflows_command(CLI::App& command, CommandRunner& run) {
  auto arguments = std::make_shared<WorkflowsArguments>();
  command.add_option("PATH", arguments->paths,
                     "Workflow files, a workflows directory, or a project directory (default: the current project's "
                     ".github/workflows, .gitlab-ci.yml and credential files)");
  add_report_options(command, arguments->report, {"text", "json", "sarif", "github", "markdown", "html"});
  run = [arguments] { return run_workflows(*arguments); };
}

}  // namespace moat::cli
