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

/// False when `formula` surely selects nothing in `file`: a literal or identifier that every match
/// needs is absent (checked on the file's trigrams, no matching done).
bool may_match(const Formula& formula, const FileContext& file);

/// Removes duplicate ranges (same span and bindings), keeping the first.
void deduplicate(std::vector<RangeMatch>& matches);

}  // namespace moat::pattern
