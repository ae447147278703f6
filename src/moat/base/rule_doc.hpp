#pragma once
// The documentation block every rule carries: `moat explain CODE`, SARIF help text and the rule
// reference in docs/ are all printed from it. Each analyzer component exposes its table through a
// `std::span<const RuleDoc> <component>_rule_docs()` function.
#include <string>
#include <string_view>

namespace moat {

struct RuleDoc {
  std::string_view id;          // "B602", "MOAT-WF001", ...
  std::string_view title;       // short name, e.g. "subprocess_popen_with_shell_equals_true"
  std::string_view what;        // what it detects
  std::string_view why;         // why it is a problem
  std::string_view example;     // code or config that triggers it
  std::string_view fix;         // what to do instead
  std::string_view references;  // one URL or citation per line
};

/// The block as `moat explain` prints it (Markdown-ish plain text).
std::string format_rule_doc(const RuleDoc& doc);

}  // namespace moat
