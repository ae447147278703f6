#pragma once
// The common options of commands that print a findings report (scan, audit, inspect, workflows)
// and the one function that filters, renders, writes and turns a Report into an exit code.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/report/render.hpp"

namespace moat::cli {

struct ReportOptions {
  std::string format = "text";
  std::string output;                // empty: stdout
  std::vector<std::string> select;   // rule codes or prefixes; empty: all
  std::vector<std::string> ignore;
  std::string severity = "low";      // minimum reported
  std::string confidence = "low";
  bool exit_zero = false;
  bool strict = false;               // any input error makes the exit code 2
  std::string color = "auto";
  bool no_progress = false;
  bool quiet = false;                // findings only: no summary lines, no progress
};

/// Declares --format, -o, --select, --ignore, --severity, --confidence, --exit-zero, --strict,
/// --color, --no-progress, -q/--quiet on `command`. `formats` lists the formats this command accepts.
void add_report_options(CLI::App& command, ReportOptions& options, const std::vector<std::string>& formats);

/// Whether a finding passes --select/--ignore and the severity/confidence thresholds, with the
/// options parsed once for a whole report.
class FindingSelection {
 public:
  explicit FindingSelection(const ReportOptions& options);
  bool operator()(const Finding& finding) const;

 private:
  std::vector<std::string> selected_;
  std::vector<std::string> ignored_;
  Severity minimum_severity_;
  Confidence minimum_confidence_;
};


/// Filters and sorts the findings, fills fingerprints, renders in the chosen format, writes to
/// stdout or atomically to --output, and returns the exit code of the contract:
/// 2 when nothing could be checked (or any error with --strict), 1 with findings, else 0.
int finish_report(Report& report, const ReportOptions& options, bool anything_checked);

/// True when colour should be used on `stream_fd` for the --color setting, honouring NO_COLOR,
/// FORCE_COLOR/CLICOLOR_FORCE, TERM=dumb and whether it is a terminal.
bool use_color(const std::string& setting, int stream_fd);

/// True when a progress line may be drawn on stderr: not turned off, stderr a terminal that takes
/// colour (so never when piped, logged or in a dumb terminal).
bool show_progress(const ReportOptions& options);

}  // namespace moat::cli
