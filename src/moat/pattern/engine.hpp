#pragma once
// The rule engine's entry points: run loaded rules over one prepared file and get findings
// (category "rules"), ready for finish_report() or `moat scan`.
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

/// The final ranges of one rule on one file (search or taint mode), before suppression.
std::vector<RangeMatch> match_rule(const Rule& rule, const FileContext& file);

/// The rule's message with $X / $...X replaced by their bound source text.
std::string interpolate(std::string_view message, const Bindings& bindings);

}  // namespace moat::pattern
