#include "moat/cli/report_options.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "moat/cli/command.hpp"
#include "moat/util/file.hpp"

namespace moat::cli {

namespace {

std::vector<std::string> split_codes(const std::vector<std::string>& values) {
  std::vector<std::string> codes;
  for (const auto& value : values) {
    std::stringstream stream(value);
    std::string code;
    while (std::getline(stream, code, ','))
      if (!code.empty()) codes.push_back(code);
  }
  return codes;
}

bool matches_any_prefix(const std::string& rule_id, const std::vector<std::string>& codes) {
  return std::ranges::any_of(codes, [&](const std::string& code) { return rule_id.starts_with(code); });
}

bool environment_set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

/// FORCE_COLOR / CLICOLOR_FORCE: set, not empty and not "0".
bool environment_forces(const char* name) {
  const char* value = std::getenv(name);
  return environment_set(name) && std::string_view(value) != "0";
}

/// Terminals that print OSC 8 escapes instead of ignoring them.
bool terminal_shows_hyperlinks() {
  const char* term = std::getenv("TERM");
  return term == nullptr || (std::string_view(term) != "linux" && std::string_view(term) != "dumb");
}

}  // namespace

void add_report_options(CLI::App& command, ReportOptions& options, const std::vector<std::string>& formats) {
  command.add_option("--format", options.format, "Report format")->check(CLI::IsMember(formats));
  command.add_option("-o,--output", options.output, "Write the report to FILE (atomically) instead of stdout");
  command.add_option("--select", options.select, "Only these rule codes or prefixes (comma-separated)")
      ->allow_extra_args(false);  // one value per --select, so paths after it stay paths
  command.add_option("--ignore", options.ignore, "Skip these rule codes or prefixes (comma-separated)")
      ->allow_extra_args(false);
  command.add_option("--severity", options.severity, "Minimum severity reported")
      ->check(CLI::IsMember({"low", "medium", "high", "critical"}));
  command.add_option("--confidence", options.confidence, "Minimum confidence reported")
      ->check(CLI::IsMember({"low", "medium", "high"}));
  command.add_flag("--exit-zero", options.exit_zero, "Exit 0 even when there are findings");
  command.add_flag("--strict", options.strict, "Exit 2 when any input could not be checked");
  command.add_option("--color", options.color, "Colours: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command.add_flag("--no-progress", options.no_progress, "Never show a progress line");
  command.add_flag("-q,--quiet", options.quiet, "Print the findings only: no summary lines, no progress");
}

FindingSelection::FindingSelection(const ReportOptions& options)
    : selected_(split_codes(options.select)),
      ignored_(split_codes(options.ignore)),
      minimum_severity_(parse_severity(options.severity).value_or(Severity::low)),
      minimum_confidence_(parse_confidence(options.confidence).value_or(Confidence::low)) {}

bool FindingSelection::operator()(const Finding& finding) const {
  if (!selected_.empty() && !matches_any_prefix(finding.rule_id, selected_)) return false;
  if (matches_any_prefix(finding.rule_id, ignored_)) return false;
  return finding.severity >= minimum_severity_ && finding.confidence >= minimum_confidence_;
}


bool use_color(const std::string& setting, int stream_fd) {
  if (setting == "always") return true;
  if (setting == "never") return false;
  if (environment_set("NO_COLOR")) return false;
  if (environment_forces("FORCE_COLOR") || environment_forces("CLICOLOR_FORCE")) return true;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return ::isatty(stream_fd) != 0;
}

bool show_progress(const ReportOptions& options) {
  return !options.no_progress && !options.quiet && ::isatty(2) != 0 && use_color(options.color, 2);
}

int finish_report(Report& report, const ReportOptions& options, bool anything_checked) {
  const FindingSelection selected(options);
  std::erase_if(report.findings, [&](const Finding& finding) { return !selected(finding); });
  sort_findings(report.findings);
  const auto format = report::parse_format(options.format).value_or(report::Format::text);
  if (report::shows_fingerprints(format)) fill_fingerprints(report.findings);
  report::RenderOptions render_options;
  render_options.color = options.output.empty() && format == report::Format::text && use_color(options.color, 1);
  // Links only where a person clicks them: colour on and stdout a terminal (never in files or pipes).
  render_options.hyperlinks = render_options.color && ::isatty(1) != 0 && terminal_shows_hyperlinks();
  render_options.summary = !options.quiet;
  const std::string rendered = report::render(report, format, render_options);
  if (options.output.empty()) {
    std::fwrite(rendered.data(), 1, rendered.size(), stdout);
    std::fflush(stdout);
  } else if (auto written = write_file_atomically(options.output, rendered, Durability::regenerable); !written) {
    std::fprintf(stderr, "moat: %s\n", written.error().to_string().c_str());
    return kExitFailure;
  }
  if (!anything_checked || (options.strict && !report.errors.empty())) return kExitFailure;
  if (!report.findings.empty() && !options.exit_zero) return kExitFindings;
  return kExitClean;
}

}  // namespace moat::cli
