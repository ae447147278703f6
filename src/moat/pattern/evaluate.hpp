#pragma once
// Search-mode evaluation of a rule's formula over one file, in Semgrep's order: positive ranges
// intersected (pattern-inside last), negatives removed, metavariable conditions, then focus.
#include <vector>

#include "moat/pattern/match.hpp"
#include "moat/pattern/python_pattern.hpp"
#include "moat/pattern/rule.hpp"

namespace moat::pattern {

/// Every range of `file` within `window` that `formula` selects. `context` is the enclosing
/// match of a metavariable-pattern (its range stands in for a conjunction without positives).
std::vector<RangeMatch> evaluate(const Formula& formula, const FileContext& file, Span window,
                                 const RangeMatch* context = nullptr);

/// Removes duplicate ranges (same span and bindings), keeping the first.
void deduplicate(std::vector<RangeMatch>& matches);

}  // namespace moat::pattern
