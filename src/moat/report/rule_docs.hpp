#pragma once
// Every analyzer's rule documentation, for `moat explain` and SARIF help text: rule_docs.cpp lists
// each component's `<component>_rule_docs()` table.
#include <span>
#include <vector>

#include "moat/base/rule_doc.hpp"

namespace moat::report {

/// All known rule documentation tables.
std::vector<std::span<const RuleDoc>> rule_doc_tables();

/// The documentation of a rule by ID ("B602"; ruff's "S602" is accepted for B-codes), or null.
const RuleDoc* find_rule_doc(std::string_view id);

}  // namespace moat::report
