#pragma once
// Runs the checks over Python files: one parse, one traversal dispatching each node to the
// enabled checks, suppression comments, Bandit's per-file metrics. lint_files() spreads files over
// a pool of worker threads and returns results in input order, so output is deterministic.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/lint/checker.hpp"
#include "moat/lint/options.hpp"

namespace moat::lint {

struct FileResult {
  std::string path;             // as reported (Bandit: "./a.py" for a relative file named directly)
  std::vector<Issue> issues;    // after suppression, in Bandit's scan order
  std::map<int, std::string> shown_lines;  // line number -> text (with line end), only the lines issues show
  int context_lines = 3;        // LintOptions::context_lines the shown lines were kept for
  int loc = 0;                  // Bandit's loc: non-blank lines not starting with '#'
  int nosec = 0;                // issues suppressed by a blanket nosec
  int skipped_tests = 0;        // issues suppressed by an ID-specific nosec
  int suppressed_other = 0;     // issues suppressed by noqa / moat: ignore
  std::vector<std::pair<int, std::string>> unused_suppressions;  // line, the comment
  std::optional<std::string> error;  // the file was skipped: why (Bandit's reason text)
  std::size_t lines = 0;
};

/// Lints one file's bytes. `path` is used for messages, `assert_used.skips` and the module name.
FileResult lint_source(std::string path, std::string_view bytes, const LintOptions& options);

/// How lint_source parses, for callers that parse a file once and share the tree with other checks.
py::ParseOptions lint_parse_options(const LintOptions& options, std::string_view path);

/// lint_source on a module the caller parsed from `bytes` with lint_parse_options().
FileResult lint_parsed(std::string path, std::string_view bytes, const py::ParseResult& parsed,
                       const LintOptions& options);

/// Reads and lints each file, using `jobs` threads (0: all cores). `progress` (may be empty) is
/// called from worker threads with the number of files done so far.
std::vector<FileResult> lint_files(const std::vector<std::string>& paths, const LintOptions& options, unsigned jobs,
                                   const std::function<void(std::size_t)>& progress = {});

/// Bandit's `code` field: numbered source lines around the issue (FileResult::context_lines = Bandit's -n).
std::string issue_code(const FileResult& file, const Issue& issue);

/// A moat Finding for an issue, with Bandit's fields in `details`.
Finding to_finding(const FileResult& file, const Issue& issue);

/// The findings of all files in scan order, files that could not be scanned as errors, and
/// stats: files, lines, loc, nosec, skipped_tests, suppressed, and Bandit's per-file metrics
/// ("bandit_metrics", for bandit-json). The findings are built on `jobs` threads (0: one per core).
Report make_report(const std::vector<FileResult>& files, unsigned jobs = 1);

}  // namespace moat::lint
