#pragma once
// Taint mode, intra-procedural: values matched by pattern-sources flow through assignments,
// augmented assignments, loops, `with ... as`, containers, f-strings, operators, attribute and
// subscript access and call results (a call with a tainted argument or receiver returns taint),
// unless they pass through a pattern-sanitizers match; a pattern-sinks range containing a tainted
// value is a finding. Each function body is analysed on its own, statements in order; loop bodies
// twice; a reassignment clears a variable's taint only outside branches.
#include <vector>

#include "moat/pattern/match.hpp"
#include "moat/pattern/python_pattern.hpp"
#include "moat/pattern/rule.hpp"

namespace moat::pattern {

/// The sink ranges that receive tainted data in `file` (the findings of a taint rule).
std::vector<RangeMatch> match_taint(const Rule& rule, const FileContext& file);

}  // namespace moat::pattern
