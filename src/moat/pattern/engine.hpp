#pragma once
// The rule engine's entry points: run loaded rules over one prepared file and get findings
// (category "rules"), ready for finish_report() or `moat scan`.
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "moat/base/finding.hpp"
#include "moat/pattern/python_pattern.hpp"
#include "moat/pattern/rule.hpp"

namespace moat::pattern {

struct RunOptions {
  /// Honour `# nosemgrep` / `# nosemgrep: id` comments. Off for malware rules: a malicious
  /// package must not silence them (GuardDog runs Semgrep with --disable-nosem).
  bool honor_nosemgrep = true;
};

/// Runs every rule that applies to the file (language, paths) and returns its findings, sorted by
/// position, one per rule and range. A file that did not parse only gets regex-based findings.
std::vector<Finding> run_rules(std::span<const Rule> rules, const FileContext& file, const RunOptions& options = {});

/// What scanning one file gave: its findings, and why it could not be read or parsed, if so.
struct FileScan {
  std::vector<Finding> findings;
  std::optional<ScanError> error;  // unreadable, or a syntax error (then only regex findings)
  bool read = false;               // the file could be read (and was matched)
};

/// Reads, parses and matches every file on `jobs` threads (0: one per core). One result per path,
/// in the order given. Each file is parsed once for all rules and released when done.
std::vector<FileScan> scan_files(std::span<const Rule> rules, std::span<const std::filesystem::path> paths,
                                 const RunOptions& options = {}, unsigned jobs = 0);

/// The final ranges of one rule on one file (search or taint mode), before suppression.
std::vector<RangeMatch> match_rule(const Rule& rule, const FileContext& file);

/// The rule's message with $X / $...X replaced by their bound source text.
std::string interpolate(std::string_view message, const Bindings& bindings);

}  // namespace moat::pattern
