#pragma once
// metavariable-analysis analyzers: properties of a bound string decided by analysing its content.
#include <string_view>

namespace moat::pattern {

/// Semgrep's `analyzer: redos`: true when the regular expression can backtrack exponentially.
/// Decided conservatively on the regex's structure: a group repeated without bound (`*`, `+`,
/// `{n,}`) that itself contains an unbounded repetition, like `(a+)+` or `(\w+\s?)*`.
bool regex_may_backtrack_exponentially(std::string_view regex);

}  // namespace moat::pattern
