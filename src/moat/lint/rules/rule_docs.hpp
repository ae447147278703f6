#pragma once
// Declarations of the RuleDoc each rule file defines next to its check (kDocB101, ...).
#include "moat/base/rule_doc.hpp"

namespace moat::lint::rules {

#define MOAT_BANDIT_CHECK(id, name, test_name, severity, confidence, cwe) extern const RuleDoc kDoc##id;
#include "moat/lint/checks.def"
#undef MOAT_BANDIT_CHECK

}  // namespace moat::lint::rules
